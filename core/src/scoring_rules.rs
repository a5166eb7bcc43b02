//! The scoring rules a template carries: each question's category, weight and rule, the
//! knock-outs, the evidence requirements and the contract checks. The template model holds
//! them and scoring reads them, so they stand apart from both.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::named;
use crate::risk::RiskTier;

/// What a question is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Encryption,
    AccessControl,
    AuditAssurance,
    Insurance,
    BreachNotification,
    DataHandling,
    IncidentResponse,
    Subprocessors,
    BusinessContinuity,
    Governance,
}

named!(Category {
    Governance => "governance", "Governance";
    Encryption => "encryption", "Encryption";
    AccessControl => "access_control", "Access control";
    AuditAssurance => "audit_assurance", "Audit and assurance";
    Insurance => "insurance", "Insurance";
    BreachNotification => "breach_notification", "Breach notification";
    DataHandling => "data_handling", "Data handling";
    IncidentResponse => "incident_response", "Incident response";
    Subprocessors => "subprocessors", "Subprocessors";
    BusinessContinuity => "business_continuity", "Business continuity";
});

/// A threshold fixed in the template, or taken from the vendor's contract.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Threshold {
    Fixed(f64),
    /// The contract's breach-notification hours.
    ContractBreachNotificationHours,
    /// The contract's minimum cyber-insurance coverage (same currency as the answer).
    ContractMinimumInsurance,
}

/// How an answer becomes points in [0, 1].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Rule {
    YesNo {
        yes: f64,
        no: f64,
    },
    /// Points per choice id; for several checked choices the best counts.
    Choices {
        points: BTreeMap<String, f64>,
    },
    /// Ordered upper bounds, lower values better (e.g. ≤24 h → 1.0, ≤72 h → 0.7); above
    /// every bound, `otherwise`.
    AtMostBands {
        bands: Vec<(f64, f64)>,
        otherwise: f64,
    },
    /// Full points when the number is at most the threshold (e.g. notice hours ≤ contract).
    AtMost {
        threshold: Threshold,
    },
    /// Full points when the number is at least the threshold (e.g. coverage ≥ contract).
    AtLeast {
        threshold: Threshold,
    },
    /// Full points when the date is at most `max_age_days` before the as-of date.
    Freshness {
        max_age_days: i64,
    },
}

/// Scoring of one question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionRule {
    pub category: Category,
    pub weight: f64,
    pub rule: Rule,
}

/// A failed critical control sets a minimum residual tier whatever the average.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KnockOut {
    pub question_id: String,
    /// Fires when the question scores below this.
    pub below: f64,
    pub min_tier: RiskTier,
    pub title: String,
}

/// Kinds of evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    Soc2Type1,
    Soc2Type2,
    Iso27001Certificate,
    CyberInsuranceCertificate,
    PenetrationTestSummary,
    Policy,
    Other,
}

named!(EvidenceKind {
    Soc2Type1 => "soc2_type1", "SOC 2 Type I report";
    Soc2Type2 => "soc2_type2", "SOC 2 Type II report";
    Iso27001Certificate => "iso27001_certificate", "ISO 27001 certificate";
    CyberInsuranceCertificate => "cyber_insurance_certificate", "cyber-insurance certificate";
    PenetrationTestSummary => "penetration_test_summary", "penetration test summary";
    Policy => "policy", "policy";
    Other => "other", "document";
});

/// Evidence a question needs: any one of the alternatives, valid on the as-of date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceRequirement {
    pub question_id: String,
    pub alternatives: Vec<EvidenceKind>,
    /// A report's period must end at most this many days before the as-of date.
    #[serde(default)]
    pub max_period_age_days: Option<i64>,
    /// The question's points are capped here while the requirement is unmet.
    pub cap_when_unmet: f64,
}

/// A contract term an answer must meet; only raises a finding (points come from the
/// question's rule), e.g. "notice hours at most the contract's hours".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContractCheck {
    pub question_id: String,
    pub threshold: Threshold,
    /// `true`: the answer must be at most the threshold; `false`: at least.
    pub at_most: bool,
    pub title: String,
}

/// The scoring rules shipped with a template.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoringRules {
    pub questions: BTreeMap<String, QuestionRule>,
    #[serde(default)]
    pub knock_outs: Vec<KnockOut>,
    #[serde(default)]
    pub evidence: Vec<EvidenceRequirement>,
    #[serde(default)]
    pub contract_checks: Vec<ContractCheck>,
    /// The question that answers each contract term: its answer is checked against the
    /// vendor's contract ("SLA answered 99.5 %; the contract requires 99.9 %").
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub contract_terms: BTreeMap<crate::contract::AnsweredTerm, String>,
}

impl ScoringRules {
    /// Moves every rule about question `old` to question `new` (the editor renames a
    /// question's id): its scoring rule, knock-outs, evidence requirements and contract checks.
    pub fn rename_question(&mut self, old: &str, new: &str) {
        if let Some(rule) = self.questions.remove(old) {
            self.questions.insert(new.to_owned(), rule);
        }
        let ids = self
            .knock_outs
            .iter_mut()
            .map(|k| &mut k.question_id)
            .chain(self.evidence.iter_mut().map(|e| &mut e.question_id))
            .chain(self.contract_checks.iter_mut().map(|c| &mut c.question_id))
            .chain(self.contract_terms.values_mut());
        for id in ids.filter(|id| *id == old) {
            new.clone_into(id);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.questions.is_empty()
            && self.knock_outs.is_empty()
            && self.evidence.is_empty()
            && self.contract_checks.is_empty()
            && self.contract_terms.is_empty()
    }
}
