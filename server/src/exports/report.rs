//! What the export renderers read. [`ScorecardReport`] is one assessment's scorecard as the
//! PDF shows it: already resolved to the words people read (labels, never question or
//! choice ids; instants and dates as `services::exports` shows them), so the renderer only
//! lays it out. The other rows are the portfolio exports'. The server builds all of them
//! from the database and `assay-core`.

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
    /// When the file was made, as shown ("3 Dec 2026, 14:05 UTC").
    pub generated_at: String,
    /// The day the scorecard was computed for, as shown ("3 Dec 2026").
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
    /// Why the residual tier is what it is: the override that set it, the open finding that
    /// holds it up, or what the score made of the inherent tier.
    pub residual_note: Option<String>,
    /// Per category, in display order; score 0–100 or none when the category has no counted question.
    pub categories: Vec<CategoryLine>,
    /// Most severe first; among equals, open ones before remediated or accepted ones, and
    /// knock-outs before other kinds.
    pub findings: Vec<FindingLine>,
    pub overrides: Vec<OverrideLine>,
    pub decision: Option<DecisionLine>,
    /// The assessment's open remediation items, by due date.
    pub remediations: Vec<RemediationLine>,
    /// The vendor's newest incidents, newest discovery first.
    pub incidents: Vec<IncidentLine>,
    /// How many older incidents the report leaves out (the JSON export holds them all).
    pub more_incidents: usize,
    /// The vendor's subprocessor register now, with what each row raises.
    pub subprocessors: Vec<SubprocessorLine>,
    pub evidence: Vec<EvidenceLine>,
    /// What a board asks about that the score does not count (where the data is, who else
    /// touches it, whom to call), from the vendor's answers.
    pub facts: Vec<FactLine>,
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
    /// "Critical" | "High" | "Medium"
    pub severity: String,
    /// "Warning", "Knock-out", "Contract mismatch", "Evidence missing", "Evidence expired", "Unanswered"
    pub kind: String,
    pub title: String,
    /// "answered 96, at most 72 required"
    pub reason: String,
    /// "Open" | "Remediated" | "Risk accepted"
    pub status: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OverrideLine {
    /// "Question: Within how many hours …?" or "Residual tier"
    pub target: String,
    /// "0.00 → 0.70 points" or "High → Medium"
    pub change: String,
    pub reason: String,
    /// Name of the risk manager.
    pub by: String,
    /// The last day it applies, as shown, when time-boxed.
    pub expires_on: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DecisionLine {
    /// "Approved" | "Approved with conditions" | "Rejected"
    pub outcome: String,
    pub conditions: Vec<String>,
    pub rationale: String,
    pub by: String,
    /// As shown.
    pub at: String,
}

/// An open remediation item.
#[derive(Debug, Clone, PartialEq)]
pub struct RemediationLine {
    pub title: String,
    /// "Critical" | "High" | "Medium"
    pub severity: String,
    /// The owner's name, "Unassigned" when nobody owns it.
    pub owner: String,
    /// As shown.
    pub due_on: String,
    /// Past its due date.
    pub overdue: bool,
    /// The date the vendor committed to, as shown.
    pub vendor_committed_on: Option<String>,
}

/// A subprocessor of the vendor.
#[derive(Debug, Clone, PartialEq)]
pub struct SubprocessorLine {
    pub name: String,
    pub service: String,
    /// "Ireland, India"
    pub countries: String,
    /// "Standard Contractual Clauses (module 3)", "none"
    pub mechanism: String,
    /// What the row raises, one sentence each; empty when nothing.
    pub findings: String,
}

/// An incident of the vendor.
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentLine {
    pub title: String,
    /// "Open" | "Contained" | "Resolved"
    pub status: String,
    /// When the vendor reported it, as shown.
    pub reported_at: String,
    /// Reported after the contract's deadline.
    pub late: bool,
    /// "On time" or "Late by 8 h"
    pub timeliness: String,
    /// "Personal data, 1,200 records"; "Not stated" when the report says nothing.
    pub data_affected: String,
}

/// A fact the score does not count, as the vendor answered it.
#[derive(Debug, Clone, PartialEq)]
pub struct FactLine {
    /// "Data locations"
    pub label: String,
    /// The answer as people read it, or "Not answered".
    pub value: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EvidenceLine {
    pub file_name: String,
    /// "SOC 2 Type II report" …
    pub kind: String,
    /// 64 lowercase hex digits.
    pub sha256: String,
    pub size_bytes: i64,
    /// As shown.
    pub expires_on: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct QuestionLine {
    /// The question as the vendor read it (its id only when the template is missing).
    pub text: String,
    /// Category label.
    pub category: String,
    /// The answer as people read it ("Yes", "96 h", "Not applicable: we hold no card data") or "" when unanswered.
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
