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
