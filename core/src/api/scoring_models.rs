//! An organisation's scoring models: the versions, publishing a new one, and what-if.

use serde::{Deserialize, Serialize};

use crate::risk::RiskTier;
use crate::scoring_rules::Category;
use crate::template::Severity;

/// An organisation's scoring model version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScoringModelView {
    /// 0 is the built-in default (never stored).
    pub version: u32,
    pub category_weights: std::collections::BTreeMap<Category, f64>,
    pub strong: f64,
    pub adequate: f64,
    /// The lowest residual tier an open finding of each severity allows.
    pub finding_floors: std::collections::BTreeMap<Severity, RiskTier>,
    pub note: String,
    pub created_at: Option<String>,
    pub created_by: Option<String>,
}

/// `POST /api/scoring-models` (publish a new version) and `POST /api/scoring-models/what-if`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScoringModelRequest {
    /// Categories left out weigh 1.
    #[serde(default)]
    pub category_weights: std::collections::BTreeMap<Category, f64>,
    pub strong: f64,
    pub adequate: f64,
    /// The lowest residual tier an open finding of each severity allows; left out: Critical
    /// → High, High → Medium.
    #[serde(default = "crate::scoring::default_finding_floors")]
    pub finding_floors: std::collections::BTreeMap<Severity, RiskTier>,
    #[serde(default)]
    pub note: String,
}

/// How one vendor's latest scorecard would change under a proposed model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WhatIfRow {
    pub vendor_id: uuid::Uuid,
    pub vendor_name: String,
    pub assessment_id: uuid::Uuid,
    pub current_overall: Option<f64>,
    pub current_tier: RiskTier,
    pub proposed_overall: Option<f64>,
    pub proposed_tier: RiskTier,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WhatIfView {
    pub current_version: u32,
    pub rows: Vec<WhatIfRow>,
    /// Vendors whose residual tier would change.
    pub changed: usize,
}

/// One rate of an exchange-rate table: how many of the base currency one unit is worth.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExchangeRateLine {
    /// ISO 4217 code (`USD`).
    pub currency: String,
    /// The value of one unit of `currency` in the base (`0.92`).
    pub rate: f64,
}

/// `PUT /api/settings/exchange-rates` (Admin): a new table, kept beside the earlier ones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExchangeRatesRequest {
    /// ISO 4217 code of the base currency (`EUR`).
    pub base: String,
    /// The day the rates are quoted for, `YYYY-MM-DD` (not in the future).
    pub quoted_on: String,
    pub rates: Vec<ExchangeRateLine>,
}

/// One saved exchange-rate table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExchangeRateTableView {
    pub base: String,
    /// `YYYY-MM-DD`.
    pub quoted_on: String,
    pub rates: Vec<ExchangeRateLine>,
    /// Who saved it (display name).
    pub recorded_by: String,
    /// RFC 3339.
    pub recorded_at: String,
}

/// `GET /api/settings/exchange-rates`: the table scoring uses and the earlier ones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExchangeRatesView {
    /// None until an Admin saves a table: amounts then compare within one currency only.
    pub current: Option<ExchangeRateTableView>,
    /// Earlier tables, newest first (at most 20).
    pub earlier: Vec<ExchangeRateTableView>,
}
