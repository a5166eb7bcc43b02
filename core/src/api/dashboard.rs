//! `GET /api/dashboard`: the portfolio at a glance.

use serde::{Deserialize, Serialize};

use super::incidents::IncidentSummary;
use super::remediations::RemediationView;
use crate::assessment::AssessmentStatus;
use crate::risk::RiskTier;

/// A count per label, for the dashboard's charts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Count<K> {
    pub key: K,
    pub count: u64,
}

/// One cell of the inherent × residual heat map.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HeatCell {
    pub inherent: RiskTier,
    pub residual: RiskTier,
    pub count: u64,
}

/// An evidence file expiring soon.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExpiringEvidence {
    pub evidence_id: uuid::Uuid,
    pub vendor_id: uuid::Uuid,
    pub vendor_name: String,
    pub assessment_id: uuid::Uuid,
    pub file_name: String,
    pub kind: Option<String>,
    pub expires_on: String,
}

/// A finding title and how many vendors' latest scorecards carry it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FrequentFinding {
    pub title: String,
    pub vendors: u64,
}

/// An overdue assessment on the dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OverdueAssessment {
    pub assessment_id: uuid::Uuid,
    pub vendor_id: uuid::Uuid,
    pub vendor_name: String,
    pub due_date: String,
}

/// `GET /api/dashboard`: the portfolio at a glance (filters: tag, criticality, owner).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DashboardView {
    pub vendors: u64,
    /// Assessed vendors (those whose latest assessment has a scorecard) by residual tier,
    /// most critical first. Adds up to the heat map's total; vendors not assessed yet are
    /// in `not_assessed`, never counted as Low.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub by_residual_tier: Vec<Count<RiskTier>>,
    /// Assessed vendors by inherent × residual tier (all sixteen cells).
    pub heat_map: Vec<HeatCell>,
    /// Vendors matching the filters that have no scorecard yet.
    #[serde(default)]
    pub not_assessed: u64,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub assessments_by_status: Vec<Count<AssessmentStatus>>,
    pub overdue: Vec<OverdueAssessment>,
    pub expiring_evidence: Vec<ExpiringEvidence>,
    /// Open remediation items, by due date.
    pub open_remediations: Vec<RemediationView>,
    pub frequent_findings: Vec<FrequentFinding>,
    /// Incidents not resolved yet.
    #[serde(default)]
    pub open_incidents: u64,
    /// The unresolved incidents, by notification deadline.
    #[serde(default)]
    pub open_incident_list: Vec<IncidentSummary>,
}
