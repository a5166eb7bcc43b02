//! What the export renderers read: a view of one assessment's scorecard, already resolved
//! to the labels people read (the server builds it from the database and `assay-core`).
//! Copied verbatim into the server as `server/src/exports/report.rs`: do not change field
//! names or types; add nothing here without saying so.

/// One assessment's scorecard, for the PDF.
#[derive(Debug, Clone, PartialEq)]
pub struct ScorecardReport {
    pub organisation: String,
    pub vendor: String,
    /// "Assay baseline v3"
    pub template: String,
    pub assessment_id: String,
    /// "Completed", "Under review" …
    pub status: String,
    /// RFC 3339, UTC.
    pub generated_at: String,
    /// The date the scorecard was computed for (YYYY-MM-DD).
    pub as_of: String,
    /// "assay-scoring-1"
    pub method_version: String,
    /// "3" (the organisation's scoring model version)
    pub model_version: String,
    /// The scorecard's own version number (1, 2, …: each recomputation that changed it).
    pub scorecard_version: i32,
    /// 0–100, none when nothing was scorable.
    pub overall: Option<f64>,
    /// "Low" | "Medium" | "High" | "Critical"
    pub inherent_tier: String,
    pub residual_tier: String,
    /// Why the residual tier is what it is, when an open finding holds it above the score's
    /// ("Held at Medium by the open finding “…”; the score alone gives Low").
    pub residual_note: Option<String>,
    /// Per category, in display order; score 0–100 or none when the category has no counted question.
    pub categories: Vec<CategoryLine>,
    pub findings: Vec<FindingLine>,
    pub overrides: Vec<OverrideLine>,
    pub decision: Option<DecisionLine>,
    pub evidence: Vec<EvidenceLine>,
    pub questions: Vec<QuestionLine>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CategoryLine {
    /// "Encryption", "Breach notification" …
    pub label: String,
    pub weight: f64,
    pub score: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FindingLine {
    /// "Critical" | "High" | "Medium" | "Low" | "Info"
    pub severity: String,
    /// "Warning", "Knock-out", "Contract mismatch", "Evidence missing", "Evidence expired", "Unanswered"
    pub kind: String,
    pub title: String,
    /// "answered 96, at most 72 required"
    pub reason: String,
    /// The question id the finding is about, when there is one ("breach.hours").
    pub question_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OverrideLine {
    /// "Question breach.hours" or "Residual tier"
    pub target: String,
    /// "0.00 → 0.70 points" or "High → Medium"
    pub change: String,
    pub reason: String,
    /// Name of the risk manager.
    pub by: String,
    /// YYYY-MM-DD, when time-boxed.
    pub expires_on: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DecisionLine {
    /// "Approved" | "Approved with conditions" | "Rejected"
    pub outcome: String,
    pub conditions: Vec<String>,
    pub rationale: String,
    pub by: String,
    /// RFC 3339.
    pub at: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EvidenceLine {
    pub file_name: String,
    /// "SOC 2 Type II report" …
    pub kind: String,
    /// 64 lowercase hex digits.
    pub sha256: String,
    pub size_bytes: i64,
    /// YYYY-MM-DD
    pub expires_on: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct QuestionLine {
    pub id: String,
    pub text: String,
    /// Category label.
    pub category: String,
    /// The answer as the vendor gave it ("yes", "96", "n/a: we hold no card data") or "" when unanswered.
    pub answer: String,
    /// 0–1 when scored.
    pub points: Option<f64>,
    pub weight: f64,
    /// Share of the overall score, 0–100 scale.
    pub contribution: f64,
    /// "Scored" | "N/A" | "Unanswered" | "Hidden" | "Overridden"
    pub status: String,
}

/// One row of the portfolio's vendor sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct VendorRow {
    pub vendor: String,
    pub criticality: String,
    pub owner: String,
    pub tags: String,
    pub inherent_tier: String,
    /// Empty when the vendor has no scorecard yet.
    pub residual_tier: String,
    pub overall: Option<f64>,
    /// "Approved" … or "".
    pub decision: String,
    /// YYYY-MM-DD of the last completed assessment, or none.
    pub last_assessed: Option<String>,
    pub open_findings: i64,
    /// Incidents not resolved yet.
    pub open_incidents: i64,
}

/// One row of the portfolio's findings sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct FindingRow {
    pub vendor: String,
    pub assessment_id: String,
    pub severity: String,
    pub kind: String,
    pub title: String,
    pub reason: String,
    pub question_id: String,
}

/// One row of the portfolio's remediation sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct RemediationRow {
    pub vendor: String,
    pub title: String,
    pub severity: String,
    /// "Open" | "Closed"
    pub status: String,
    pub owner: String,
    /// YYYY-MM-DD
    pub due_on: String,
    pub vendor_committed_on: Option<String>,
    pub closure_evidence: String,
}

/// One row of the portfolio's incidents sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentRow {
    pub vendor: String,
    pub title: String,
    /// "Open" | "Contained" | "Resolved"
    pub status: String,
    /// "Vendor" | "Client"
    pub reported_by: String,
    /// `YYYY-MM-DD HH:MM UTC`
    pub discovered_at: String,
    pub reported_at: String,
    pub deadline_at: String,
    pub notification_hours: i64,
    /// Hours after the deadline the report came (rounded up); none when on time.
    pub hours_late: Option<i64>,
    pub records_affected: Option<i64>,
    /// Labels, comma-separated.
    pub data_types: String,
}
