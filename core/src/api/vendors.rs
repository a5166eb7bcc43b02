//! Vendors: their details, contacts and contract terms, as sent and as shown.

use serde::{Deserialize, Serialize};

use crate::risk::{Criticality, DataType, RiskTier, SystemAccess};

/// A vendor contact person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactInput {
    pub name: String,
    pub email: String,
    #[serde(default)]
    pub role: Option<String>,
}

/// `POST /api/vendors`, and the fields of `PATCH /api/vendors/{id}` (there every field is
/// optional and only those present change; `contacts` replaces the whole list).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VendorInput {
    pub legal_name: String,
    #[serde(default)]
    pub website: Option<String>,
    /// The services outsourced to the vendor.
    #[serde(default)]
    pub services: String,
    #[serde(default)]
    pub data_types: std::collections::BTreeSet<DataType>,
    pub system_access: SystemAccess,
    pub criticality: Criticality,
    /// ISO 3166-1 alpha-2 codes where data is stored or processed.
    #[serde(default)]
    pub countries: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub owner_id: Option<uuid::Uuid>,
    #[serde(default)]
    pub contacts: Vec<ContactInput>,
}

/// `PATCH /api/vendors/{id}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VendorPatch {
    pub legal_name: Option<String>,
    pub website: Option<String>,
    pub services: Option<String>,
    pub data_types: Option<std::collections::BTreeSet<DataType>>,
    pub system_access: Option<SystemAccess>,
    pub criticality: Option<Criticality>,
    pub countries: Option<Vec<String>>,
    pub tags: Option<Vec<String>>,
    pub owner_id: Option<uuid::Uuid>,
    pub contacts: Option<Vec<ContactInput>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactView {
    pub id: uuid::Uuid,
    pub name: String,
    pub email: String,
    pub role: Option<String>,
}

/// Contract terms that feed scoring (`PUT /api/vendors/{id}/contract`). Amounts are whole
/// units of `currency` (ISO 4217).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VendorContract {
    #[serde(default)]
    pub contract_value: Option<i64>,
    #[serde(default)]
    pub currency: Option<String>,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub renewal_date: Option<String>,
    #[serde(default)]
    pub breach_notification_hours: Option<u32>,
    #[serde(default)]
    pub right_to_audit: Option<bool>,
    #[serde(default)]
    pub minimum_insurance: Option<i64>,
    #[serde(default)]
    pub liability_cap: Option<i64>,
    #[serde(default)]
    pub dpa_in_place: Option<bool>,
}

/// Whether a vendor is in use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum VendorStatus {
    Active,
    Archived,
}

crate::named!(VendorStatus {
    Active => "active", "Active";
    Archived => "archived", "Archived";
});

/// A vendor with everything the vendor page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VendorView {
    pub id: uuid::Uuid,
    pub legal_name: String,
    pub website: Option<String>,
    pub services: String,
    pub data_types: std::collections::BTreeSet<DataType>,
    pub system_access: SystemAccess,
    pub criticality: Criticality,
    pub inherent_tier: RiskTier,
    pub countries: Vec<String>,
    pub tags: Vec<String>,
    pub owner_id: Option<uuid::Uuid>,
    pub status: VendorStatus,
    pub contacts: Vec<ContactView>,
    pub contract: Option<VendorContract>,
    pub created_at: String,
    pub updated_at: String,
}

/// A row of the vendor list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VendorSummary {
    pub id: uuid::Uuid,
    pub legal_name: String,
    pub inherent_tier: RiskTier,
    pub criticality: Criticality,
    pub status: VendorStatus,
    pub tags: Vec<String>,
    pub updated_at: String,
}
