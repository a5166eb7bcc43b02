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

/// A vendor's contract in force (`GET /api/vendors/{id}/contract`, and on the vendor):
/// its terms, its version, who saved it and when, and what the terms raise by themselves
/// (a liability cap below the client's required minimum, a term the organisation's policy
/// requires). `PUT` takes the terms alone (`assay_core::contract::Contract`); every save is
/// a new version, kept in `GET /api/vendors/{id}/contracts`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContractView {
    /// 1, 2, 3… per vendor; 0 while no terms are recorded.
    pub version: u32,
    /// Every term, each optional: amounts as money (`"5000000 EUR"`), days as `YYYY-MM-DD`.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub terms: crate::contract::Contract,
    /// RFC 3339; none while no terms are recorded.
    pub changed_at: Option<String>,
    /// Who saved this version (a name); none for terms carried over from before versions.
    pub changed_by: Option<String>,
    /// What the terms raise against the client's required minimum and the policy.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub findings: Vec<crate::contract::ContractFinding>,
    /// What the regulations that apply propose for the breach-notification term, and which
    /// clock drives it.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub breach_notice: Option<super::BreachNoticeView>,
}

/// One saved version of a vendor's contract (`GET /api/vendors/{id}/contracts`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContractVersionView {
    pub version: u32,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub terms: crate::contract::Contract,
    /// RFC 3339.
    pub changed_at: String,
    pub changed_by: Option<String>,
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    /// The contract in force; none while no terms are recorded.
    pub contract: Option<ContractView>,
    /// What the regulations that apply propose for the contract's breach-notification
    /// term (none until the organisation's profile is set).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub breach_notice: Option<super::BreachNoticeView>,
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

/// One row of a vendor's subprocessor register, with what it raises.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubprocessorView {
    pub id: uuid::Uuid,
    /// Name, service, data types, countries of processing and storage, transfer mechanism,
    /// conditions met, certification, the day it was added and the day notice was given.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub entry: crate::subprocessor::Subprocessor,
    /// Its findings: added without the contract's notice, a transfer without adequacy or
    /// safeguards (each naming the country and what is missing).
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub findings: Vec<crate::contract::ContractFinding>,
}

/// A vendor's subprocessor register (`GET /api/vendors/{id}/subprocessors`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegisterView {
    pub vendor_id: uuid::Uuid,
    pub subprocessors: Vec<SubprocessorView>,
    /// The client's own country, whose region transfers are judged from; none until an
    /// Admin sets it (`PUT /api/settings/client-profile`), and then only notice is checked.
    pub client_country: Option<String>,
}

/// Which fourth parties the portfolio depends on (`GET /api/fourth-parties`): the
/// subprocessors and the countries many active vendors share, most vendors first, each with
/// the tiers of the vendors behind it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FourthPartiesView {
    /// A page of the subprocessors (most shared first); `next` continues it.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub subprocessors: Vec<crate::subprocessor::Dependency>,
    /// How many subprocessors there are in all.
    #[serde(default)]
    pub subprocessors_total: usize,
    /// Pass as `after` for the following page of subprocessors; none on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    /// Every country (at most one per ISO 3166 code), on every page.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub countries: Vec<crate::subprocessor::Dependency>,
    /// Active vendors with a register.
    pub vendors: usize,
    /// The name of each vendor named in `vendor_ids` on this page, by id.
    #[serde(default)]
    pub vendor_names: std::collections::BTreeMap<String, String>,
}
