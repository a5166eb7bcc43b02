//! Scoring: a pure, deterministic, versioned function from a template, its scoring rules,
//! the answers, evidence, contract terms, the vendor's inherent-risk profile, an as-of date
//! and a scoring model to a scorecard an auditor can recompute by hand (docs/SCORING.md).
//!
//! Each scored question earns points in [0, 1]. Within a category, questions count by
//! weight; categories count by the model's category weights. A question's contribution is
//! its share of the overall score, and the overall score is the sum of the contributions.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::{Date, Duration};

use crate::contract::{Contract, ContractAnswers, ContractFinding, ContractPolicy, PolicySubject};
use crate::evaluate::Answers;
use crate::incident::IncidentFact;
use crate::money::{ExchangeRates, Money};
use crate::named;
use crate::risk::{InherentRiskProfile, RiskTier};
use crate::template::QuestionKind;
use crate::template::{Severity, Template};
use crate::text::{capitalised, figure, plain_text};

// The rules a template carries live in `scoring_rules`, where the template model reaches
// them without depending on scoring; callers keep finding them here too.
pub use crate::scoring_rules::{
    Category, ContractCheck, EvidenceKind, EvidenceRequirement, KnockOut, QuestionRule, Rule,
    ScoringRules, Threshold,
};

/// The version of this scoring method; stored with every scorecard.
pub const METHOD_VERSION: &str = "assay-scoring-1";

/// An evidence file's metadata.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceItem {
    pub id: String,
    pub kind: EvidenceKind,
    #[serde(default)]
    pub expires: Option<Date>,
    #[serde(default)]
    pub period_end: Option<Date>,
}

/// Tier thresholds and category weights, versioned per organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScoringModel {
    pub version: String,
    pub category_weights: BTreeMap<Category, f64>,
    /// At or above: controls are strong (residual two tiers below inherent).
    pub strong: f64,
    /// At or above: adequate (one tier below); below: the inherent tier stands.
    pub adequate: f64,
    /// The lowest residual tier an open finding of each severity allows (a severity not
    /// listed holds nothing). Default: Critical → at least High, High → at least Medium.
    #[serde(default = "default_finding_floors")]
    pub finding_floors: BTreeMap<Severity, RiskTier>,
}

/// Critical findings hold the residual tier at High or worse, High findings at Medium.
pub fn default_finding_floors() -> BTreeMap<Severity, RiskTier> {
    BTreeMap::from([
        (Severity::Critical, RiskTier::High),
        (Severity::High, RiskTier::Medium),
    ])
}

impl Default for ScoringModel {
    fn default() -> Self {
        ScoringModel {
            version: "default-1".to_owned(),
            category_weights: BTreeMap::new(),
            strong: 80.0,
            adequate: 60.0,
            finding_floors: default_finding_floors(),
        }
    }
}

impl ScoringModel {
    /// Why the model cannot be used, as (field, message); `None` when it can.
    pub fn problem(&self) -> Option<(String, String)> {
        for (category, weight) in &self.category_weights {
            if !weight.is_finite() || *weight < 0.0 || *weight > 100.0 {
                return Some((
                    format!("category_weights.{}", category.as_str()),
                    format!(
                        "The weight of {} must be between 0 and 100.",
                        category.label()
                    ),
                ));
            }
        }
        if Category::ALL.iter().all(|c| self.weight(*c) == 0.0) {
            return Some((
                "category_weights".to_owned(),
                "At least one category needs a weight above 0.".to_owned(),
            ));
        }
        if !(0.0..=100.0).contains(&self.adequate) || self.adequate.is_nan() {
            return Some((
                "adequate".to_owned(),
                "The adequate threshold must be between 0 and 100.".to_owned(),
            ));
        }
        if !(self.adequate..=100.0).contains(&self.strong) || self.strong.is_nan() {
            return Some((
                "strong".to_owned(),
                "The strong threshold must be between the adequate threshold and 100.".to_owned(),
            ));
        }
        None
    }

    /// A category's weight (1 unless the model says otherwise).
    pub fn weight(&self, category: Category) -> f64 {
        self.category_weights.get(&category).copied().unwrap_or(1.0)
    }
}

/// Everything scoring reads.
#[derive(Debug, Clone)]
pub struct ScoringInput<'a> {
    pub template: &'a Template,
    pub rules: &'a ScoringRules,
    pub answers: &'a Answers,
    pub evidence: &'a [EvidenceItem],
    /// The vendor's current contract: thresholds read its terms, and every term a
    /// question is mapped to is checked against the answer.
    pub contract: &'a Contract,
    /// The organisation's contract policy: terms every vendor in a rule's scope must have.
    pub policy: &'a ContractPolicy,
    /// The vendor's subprocessors, checked for notice and transfers; `None`: not checked.
    pub fourth_parties: Option<FourthParties<'a>>,
    pub profile: &'a InherentRiskProfile,
    pub as_of: Date,
    pub model: &'a ScoringModel,
    /// Once submitted, unanswered required questions score 0; before, they are left out.
    pub submitted: bool,
    /// A risk manager's overrides; those expired on `as_of` are ignored.
    pub overrides: &'a [Override],
    /// The vendor's incident reports; each one that came after the contract's
    /// notification deadline is a finding.
    pub incidents: &'a [IncidentFact],
    /// Findings that no longer hold the residual tier up: remediated, or accepted by a
    /// risk manager (until an optional last day).
    pub settled: &'a [Settlement],
    /// The organisation's exchange rates, for amounts in another currency than the
    /// contract's.
    pub rates: &'a ExchangeRates,
}

/// The vendor's subprocessor register and what its transfers are judged by.
#[derive(Debug, Clone, Copy)]
pub struct FourthParties<'a> {
    pub register: &'a [crate::subprocessor::Subprocessor],
    /// The client's own country: its region decides which transfers need safeguards
    /// (none set: only the contract's change notice is checked).
    pub client: Option<crate::country::Country>,
    pub lists: &'a crate::transfer::AdequacyLists,
}

/// How a finding stopped counting against the residual tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SettledBy {
    /// Its remediation item was closed with evidence.
    Remediated,
    /// A risk manager accepted the risk, with a reason.
    Accepted,
}

named!(SettledBy {
    Remediated => "remediated", "Remediated";
    Accepted => "accepted", "Risk accepted";
});

/// A finding (by its key) that no longer holds the residual tier up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settlement {
    pub finding_key: String,
    pub by: SettledBy,
    /// The last day it counts as settled (a risk acceptance can lapse).
    #[serde(default)]
    pub until: Option<Date>,
}

impl Settlement {
    fn active_on(&self, date: Date) -> bool {
        self.until.is_none_or(|last| date <= last)
    }
}

/// What an override replaces.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "target", rename_all = "snake_case")]
pub enum OverrideTarget {
    /// The question's points (0–1) replace the computed ones.
    Question { question_id: String, points: f64 },
    /// The residual tier replaces the computed one (knock-outs included).
    ResidualTier { tier: RiskTier },
}

/// A risk manager's exception to the computed score, with the reason an auditor reads and
/// an optional last day after which it lapses by itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Override {
    pub id: String,
    #[serde(flatten)]
    pub target: OverrideTarget,
    pub reason: String,
    /// The last day the override applies.
    #[serde(default)]
    pub expires_on: Option<Date>,
}

impl Override {
    /// Whether the override applies on `date`.
    pub fn active_on(&self, date: Date) -> bool {
        self.expires_on.is_none_or(|last| date <= last)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum QuestionStatus {
    Scored,
    NotApplicable,
    Unanswered,
    Hidden,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuestionScore {
    pub id: String,
    pub category: Category,
    pub weight: f64,
    pub status: QuestionStatus,
    /// In [0, 1] when scored.
    pub points: Option<f64>,
    /// Share of the overall score (0–100 scale).
    pub contribution: f64,
    /// When an override replaced the points: the override and the points it replaced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overridden: Option<OverriddenPoints>,
}

/// The computed points an override replaced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OverriddenPoints {
    pub override_id: String,
    pub computed: Option<f64>,
}

/// The computed residual tier an override replaced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OverriddenTier {
    pub override_id: String,
    pub computed: RiskTier,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryScore {
    pub category: Category,
    pub weight: f64,
    /// 0–100.
    pub score: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    Warning,
    KnockOut,
    ContractMismatch,
    EvidenceMissing,
    EvidenceExpired,
    UnansweredRequired,
    /// An incident reported after the contract's breach-notification deadline.
    LateIncidentReport,
    /// An amount in another currency than the contract's, with no rate to compare it.
    CannotCompareCurrency,
    /// The contract lacks a term the organisation's policy requires, or sets it too weakly.
    ContractPolicy,
    /// A subprocessor added without the contract's notice, or a transfer of personal data
    /// out of the client's region without adequacy or safeguards.
    FourthParty,
}

named!(FindingKind {
    Warning => "warning", "Warning";
    KnockOut => "knock_out", "Knock-out";
    ContractMismatch => "contract_mismatch", "Contract mismatch";
    EvidenceMissing => "evidence_missing", "Evidence missing";
    EvidenceExpired => "evidence_expired", "Evidence expired";
    UnansweredRequired => "unanswered_required", "Unanswered";
    LateIncidentReport => "late_incident_report", "Late incident report";
    CannotCompareCurrency => "cannot_compare_currency", "Cannot compare currencies";
    ContractPolicy => "contract_policy", "Contract policy";
    FourthParty => "fourth_party", "Subprocessor";
});

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Finding {
    pub kind: FindingKind,
    pub severity: Severity,
    pub question_id: Option<String>,
    pub title: String,
    pub reason: String,
    /// The evidence files behind an evidence finding (expired or out of date).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence_ids: Vec<String>,
    /// Stable across recomputations while the same problem persists (remediation items
    /// and risk acceptances refer to it).
    #[serde(default)]
    pub key: String,
    /// While open: the lowest residual tier this finding allows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holds_tier: Option<RiskTier>,
    /// Remediated or accepted: it no longer holds the tier up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settled: Option<SettledBy>,
}

impl Finding {
    fn new(
        kind: FindingKind,
        severity: Severity,
        question_id: Option<String>,
        title: String,
        reason: String,
    ) -> Finding {
        let key = format!(
            "{}:{}:{}",
            kind.as_str(),
            question_id.as_deref().unwrap_or_default(),
            title
        );
        Finding {
            kind,
            severity,
            question_id,
            title,
            reason,
            evidence_ids: Vec::new(),
            key,
            holds_tier: None,
            settled: None,
        }
    }

    /// The same finding under an explicit key (kept when titles carry the figures).
    fn keyed(mut self, key: String) -> Finding {
        self.key = key;
        self
    }
}

/// The finding that holds the residual tier above what the score alone gives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TierHold {
    pub finding_key: String,
    pub title: String,
    /// The tier the finding holds the residual tier at.
    pub tier: RiskTier,
    /// The tier the score alone gives.
    pub from_score: RiskTier,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScoreCard {
    pub method_version: String,
    pub model_version: String,
    /// 0–100; `None` when nothing is scorable.
    pub overall: Option<f64>,
    pub categories: Vec<CategoryScore>,
    pub questions: Vec<QuestionScore>,
    pub findings: Vec<Finding>,
    pub inherent_tier: RiskTier,
    pub residual_tier: RiskTier,
    /// When an open finding holds the residual tier above what the score gives: which one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub held_by: Option<TierHold>,
    /// When an override replaced the residual tier: the override and the computed tier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub residual_overridden: Option<OverriddenTier>,
}

/// A non-negative number in millionths (scoring's fixed-point unit), rounded half up (weights and points are finite and
/// at least 0 by the time they are counted).
fn micro(x: f64) -> i128 {
    // Weights are at most a few thousand: far inside i128.
    #[allow(clippy::cast_possible_truncation)]
    let value = (x.max(0.0) * 1e6).round() as i128;
    value
}

/// `numerator / denominator` rounded half up, for non-negative numbers.
fn div_round(numerator: i128, denominator: i128) -> i128 {
    (2 * numerator + denominator) / (2 * denominator)
}

/// A value in millionths as published: rounded half up to `decimals` places.
fn published(millionths: i128, decimals: u32) -> f64 {
    let step = 10_i128.pow(6 - decimals);
    #[allow(clippy::cast_precision_loss)]
    let value = div_round(millionths, step) as f64 / 10_f64.powi(decimals as i32);
    value
}

fn clamp01(x: f64) -> f64 {
    if x.is_nan() { 0.0 } else { x.clamp(0.0, 1.0) }
}

/// A number at the start of an answer ("72", "72 hours", "5000000 EUR").
fn leading_number(text: &str) -> Option<f64> {
    let token = text.split_whitespace().next()?;
    crate::text::parse_number(&token.replace(',', ""))
}

struct Outcome {
    /// `None`: the rule has nothing to judge by (no contract term): left out.
    points: Option<f64>,
    mismatch: Option<Mismatch>,
    /// Why the answer could not be compared with the threshold (it counts 0).
    uncompared: Option<String>,
}

/// An answer read as a number for a comparison with `threshold`.
enum Reading {
    /// The number, and how it was converted from another currency when it was.
    Value(f64, Option<String>),
    /// Money in a currency the contract's amounts cannot be compared with; why.
    Uncompared(String),
}

/// The number an answer stands for against `threshold`: an amount of money is converted
/// into the contract's currency (through the organisation's rates), never compared across
/// currencies as it stands; other answers by their leading number.
fn reading(answer: &str, threshold: Threshold, input: &ScoringInput<'_>) -> Option<Reading> {
    let Ok(money) = Money::parse(answer) else {
        return leading_number(answer).map(|v| Reading::Value(v, None));
    };
    if matches!(threshold, Threshold::Fixed(_)) {
        return Some(Reading::Value(money.amount, None));
    }
    let Some(currency) = input.contract.currency() else {
        return Some(Reading::Uncompared(format!(
            "The answer is in {}, and the contract names no currency for its amounts.",
            money.currency
        )));
    };
    Some(match money.in_currency(currency, input.rates) {
        Some(value) => Reading::Value(
            value,
            (money.currency != currency)
                .then(|| input.rates.conversion(&money.currency, currency))
                .flatten(),
        ),
        None => Reading::Uncompared(format!(
            "The answer is in {} and the contract in {currency}, and there is no exchange rate between them.",
            money.currency
        )),
    })
}

/// An answer on the wrong side of a threshold.
struct Mismatch {
    threshold: Threshold,
    value: f64,
    limit: f64,
    at_most: bool,
    /// The currency both amounts are in (the contract's), for money.
    currency: Option<String>,
    /// How the answer was converted into that currency, when it was in another.
    converted: Option<String>,
}

impl Mismatch {
    /// What the finding is called, before the figures.
    fn label(&self) -> &'static str {
        match (self.threshold, self.at_most) {
            (Threshold::ContractBreachNotificationHours, _) => {
                "Breach notification slower than the contract"
            }
            (Threshold::ContractMinimumInsurance, _) => "Insurance below the contract minimum",
            (Threshold::Fixed(_), true) => "Answer above the required maximum",
            (Threshold::Fixed(_), false) => "Answer below the required minimum",
        }
    }

    /// "96 h answered, 72 h required".
    fn figures(&self, kind: &QuestionKind) -> String {
        format!(
            "{} answered, {} required",
            self.quantity(kind, self.value),
            self.quantity(kind, self.limit)
        )
    }

    fn quantity(&self, kind: &QuestionKind, value: f64) -> String {
        match (kind, &self.currency) {
            (QuestionKind::Money, Some(currency)) => format!("{} {currency}", figure(value)),
            _ => quantity(kind, value),
        }
    }

    fn reason(&self, kind: &QuestionKind, question: &str) -> String {
        let converted = self
            .converted
            .as_ref()
            .map(|how| format!(" The answer was converted at {how}."))
            .unwrap_or_default();
        format!(
            "“{question}” was answered {}; {} {} is required.{converted}",
            self.quantity(kind, self.value),
            if self.at_most { "at most" } else { "at least" },
            self.quantity(kind, self.limit)
        )
    }
}

/// The finding of an amount that cannot be compared with the contract's.
fn uncompared_finding(question_id: &str, question: &str, why: String) -> Finding {
    Finding::new(
        FindingKind::CannotCompareCurrency,
        Severity::Medium,
        Some(question_id.to_owned()),
        "Cannot compare currencies".to_owned(),
        format!(
            "“{}”: {why} The question counts 0 until an Admin adds the exchange rate or the contract names its currency.",
            plain_text(question)
        ),
    )
}

/// A number with the unit its question asks for.
fn quantity(kind: &QuestionKind, value: f64) -> String {
    match kind {
        QuestionKind::DurationHours => format!("{} h", figure(value)),
        _ => figure(value),
    }
}

fn threshold_value(t: Threshold, contract: &Contract) -> Option<f64> {
    match t {
        Threshold::Fixed(v) => Some(v),
        Threshold::ContractBreachNotificationHours => contract.breach_notification_hours,
        Threshold::ContractMinimumInsurance => {
            contract.minimum_insurance.as_ref().map(|m| m.amount)
        }
    }
}

/// Points for an answer, and a contract mismatch to report; `None` when the answer cannot
/// be read for this rule (it counts as unanswered).
fn apply(rule: &Rule, answer: &str, checked: &[&str], input: &ScoringInput<'_>) -> Option<Outcome> {
    let plain = |points| {
        Some(Outcome {
            points: Some(points),
            mismatch: None,
            uncompared: None,
        })
    };
    match rule {
        Rule::YesNo { yes, no } => match answer {
            "yes" | "checked" => plain(*yes),
            "no" => plain(*no),
            _ => None,
        },
        Rule::Choices { points } => {
            let best = checked
                .iter()
                .filter_map(|c| points.get(*c))
                .copied()
                .fold(None, |acc: Option<f64>, p| {
                    Some(acc.map_or(p, |a| a.max(p)))
                });
            best.and_then(plain)
        }
        Rule::AtMostBands { bands, otherwise } => {
            let value = leading_number(answer)?;
            let points = bands
                .iter()
                .find(|(bound, _)| value <= *bound)
                .map_or(*otherwise, |(_, p)| *p);
            plain(points)
        }
        Rule::AtMost { threshold } | Rule::AtLeast { threshold } => {
            let at_most = matches!(rule, Rule::AtMost { .. });
            let Some(limit) = threshold_value(*threshold, input.contract) else {
                // Nothing to compare with (the contract has no such term): left out.
                reading(answer, *threshold, input)?;
                return Some(Outcome {
                    points: None,
                    mismatch: None,
                    uncompared: None,
                });
            };
            let (value, converted) = match reading(answer, *threshold, input)? {
                Reading::Value(value, converted) => (value, converted),
                Reading::Uncompared(why) => {
                    return Some(Outcome {
                        points: Some(0.0),
                        mismatch: None,
                        uncompared: Some(why),
                    });
                }
            };
            let met = if at_most {
                value <= limit
            } else {
                value >= limit
            };
            if met {
                plain(1.0)
            } else {
                Some(Outcome {
                    points: Some(0.0),
                    uncompared: None,
                    mismatch: Some(Mismatch {
                        threshold: *threshold,
                        value,
                        limit,
                        at_most,
                        currency: input.contract.currency().map(str::to_owned),
                        converted,
                    }),
                })
            }
        }
        Rule::Freshness { max_age_days } => {
            let date = crate::day::parse(answer.trim())?;
            let age = (input.as_of - date).whole_days();
            plain(if (0..=*max_age_days).contains(&age) {
                1.0
            } else {
                0.0
            })
        }
    }
}

/// Checks an evidence requirement; `Some(kind, files)` when unmet (the files are the
/// expired or out-of-date ones).
fn evidence_gap(
    req: &EvidenceRequirement,
    input: &ScoringInput<'_>,
) -> Option<(FindingKind, Vec<String>)> {
    let candidates: Vec<&EvidenceItem> = input
        .evidence
        .iter()
        .filter(|e| req.alternatives.contains(&e.kind))
        .collect();
    if candidates.is_empty() {
        return Some((FindingKind::EvidenceMissing, Vec::new()));
    }
    let valid = candidates.iter().any(|e| {
        let not_expired = e.expires.is_none_or(|d| d >= input.as_of);
        let fresh = match (req.max_period_age_days, e.period_end) {
            (Some(max), Some(end)) => (input.as_of - end).whole_days() <= max,
            (Some(_), None) => false,
            (None, _) => true,
        };
        not_expired && fresh
    });
    (!valid).then(|| {
        (
            FindingKind::EvidenceExpired,
            candidates.iter().map(|e| e.id.clone()).collect(),
        )
    })
}

/// The finding of an unmet evidence requirement, titled for people ("Missing SOC 2 Type
/// II report or ISO 27001 certificate"); its key is the one earlier versions gave it.
fn evidence_finding(
    req: &EvidenceRequirement,
    kind: FindingKind,
    files: Vec<String>,
    question: &str,
    as_of: Date,
) -> Finding {
    let kinds = req
        .alternatives
        .iter()
        .map(|k| k.label())
        .collect::<Vec<_>>()
        .join(" or ");
    let (title, reason) = if kind == FindingKind::EvidenceMissing {
        (
            format!("Missing {kinds}"),
            format!("“{question}” needs {kinds}; none was provided."),
        )
    } else {
        (
            format!("{} expired or out of date", capitalised(&kinds)),
            format!(
                "“{question}” needs {kinds} valid on {}; the one provided has expired or covers a period that ended too long ago.",
                crate::text::long_date(as_of)
            ),
        )
    };
    let key = format!(
        "{}:{}:Evidence for `{}`",
        kind.as_str(),
        req.question_id,
        req.question_id
    );
    let mut finding = Finding::new(
        kind,
        Severity::High,
        Some(req.question_id.clone()),
        title,
        reason,
    )
    .keyed(key);
    finding.evidence_ids = files;
    finding
}

/// Active overrides: per question `(override id, points)`, and the residual tier's.
type ActiveOverrides<'a> = (
    BTreeMap<&'a str, (&'a str, f64)>,
    Option<(&'a str, RiskTier)>,
);

/// The active override of each question, and of the residual tier (the last one given wins).
fn active_overrides<'a>(input: &'a ScoringInput<'_>) -> ActiveOverrides<'a> {
    let mut questions = BTreeMap::new();
    let mut tier = None;
    for o in input.overrides.iter().filter(|o| o.active_on(input.as_of)) {
        match &o.target {
            OverrideTarget::Question {
                question_id,
                points,
            } => {
                questions.insert(question_id.as_str(), (o.id.as_str(), clamp01(*points)));
            }
            OverrideTarget::ResidualTier { tier: t } => tier = Some((o.id.as_str(), *t)),
        }
    }
    (questions, tier)
}

/// Why a warning without its own text was raised, in the answers people gave: "Raised by
/// the answer to “Does the contract give you the right to audit?”: No."
fn raised_by(warning: &crate::template::Warning, input: &ScoringInput<'_>) -> String {
    let mut questions: Vec<&crate::template::Question> = Vec::new();
    for id in warning
        .condition
        .as_ref()
        .map(crate::condition::Condition::references)
        .unwrap_or_default()
    {
        // A condition names a question, or one of its choices.
        let owner = input
            .template
            .questions()
            .find(|q| q.id == id || q.choices().iter().any(|c| c.id == id));
        if let Some(q) = owner
            && !questions.iter().any(|seen| seen.id == q.id)
        {
            questions.push(q);
        }
    }
    let parts: Vec<String> = questions
        .iter()
        .map(|q| {
            let answer = input.answers.answer_text(input.template, &q.id);
            let answer = if answer.is_empty() {
                "not answered".to_owned()
            } else {
                answer
            };
            format!("“{}”: {answer}", plain_text(&q.text))
        })
        .collect();
    match parts.as_slice() {
        [] => "The answers meet the condition of this warning.".to_owned(),
        [one] => format!("Raised by the answer to {one}."),
        many => format!("Raised by the answers to {}.", many.join("; ")),
    }
}

/// The vendor's answers against each contract term a visible question is mapped to
/// (amounts converted into the term's currency where a rate allows), the contract's
/// liability cap against the client's required minimum, and the contract against the
/// organisation's policy. Each names both sides; its key stays while the problem does.
fn contract_findings(
    input: &ScoringInput<'_>,
    visible: &std::collections::HashSet<&str>,
) -> Vec<Finding> {
    let mut answers = ContractAnswers::default();
    let mut asked_by = BTreeMap::new();
    for (term, question_id) in &input.rules.contract_terms {
        let Some(answer) = input
            .answers
            .0
            .get(question_id)
            .filter(|_| visible.contains(question_id.as_str()))
        else {
            continue;
        };
        let required = match term {
            crate::contract::AnsweredTerm::LiabilityCap => input.contract.liability_cap.as_ref(),
            crate::contract::AnsweredTerm::Insurance => input.contract.minimum_insurance.as_ref(),
            _ => None,
        };
        let converted = match (Money::parse(answer), required) {
            (Ok(money), Some(required)) if money.currency != required.currency => money
                .in_currency(&required.currency, input.rates)
                .map(|amount| Money {
                    amount,
                    currency: required.currency.clone(),
                })
                .map(|m| m.to_string()),
            _ => None,
        };
        if answers.set(*term, converted.as_deref().unwrap_or(answer)) {
            asked_by.insert(term.term(), question_id.clone());
        }
    }
    let subject = PolicySubject {
        data_types: &input.profile.data_types,
        criticality: input.profile.criticality,
        tier: input.profile.inherent_tier(),
    };
    let answered = crate::contract::check_answers(input.contract, &answers)
        .into_iter()
        .map(|f| (FindingKind::ContractMismatch, f));
    let policy = input
        .contract
        .liability_shortfall()
        .into_iter()
        .chain(input.policy.check(&subject, input.contract))
        .map(|f| (FindingKind::ContractPolicy, f));
    answered
        .chain(policy)
        .map(|(kind, f): (FindingKind, ContractFinding)| {
            let question = (kind == FindingKind::ContractMismatch)
                .then(|| asked_by.get(&f.term).cloned())
                .flatten();
            Finding::new(
                kind,
                f.severity,
                question,
                format!("{}: {}", f.term.label(), f.code.label().to_lowercase()),
                f.message.clone(),
            )
            .keyed(f.key())
        })
        .collect()
}

/// Scores an assessment.
pub fn score(input: &ScoringInput<'_>) -> ScoreCard {
    let evaluation = input.template.evaluate(input.answers);
    let (question_overrides, tier_override) = active_overrides(input);
    let warnings: BTreeMap<&str, &crate::template::Warning> = input
        .template
        .walk()
        .into_iter()
        .filter_map(|item| match item {
            crate::template::Item::Warning(w) => Some((w.id.as_str(), w)),
            _ => None,
        })
        .collect();
    let mut findings: Vec<Finding> = evaluation
        .findings
        .iter()
        .map(|w| {
            let warning = warnings.get(w.id.as_str()).copied();
            let text = plain_text(warning.map(|w| w.text.as_str()).unwrap_or_default());
            let reason = if text.is_empty() {
                warning.map(|w| raised_by(w, input)).unwrap_or_default()
            } else {
                text
            };
            Finding::new(
                FindingKind::Warning,
                w.severity,
                None,
                w.title.clone(),
                reason,
            )
        })
        .collect();

    let visible_ids: std::collections::HashSet<&str> = evaluation
        .visible_questions
        .iter()
        .map(String::as_str)
        .collect();
    let question_text = |id: &str| {
        input
            .template
            .questions()
            .find(|q| q.id == id)
            .map(|q| plain_text(&q.text))
            .unwrap_or_else(|| id.to_owned())
    };

    // Evidence caps per question; a hidden question needs no evidence.
    let mut caps: BTreeMap<&str, f64> = BTreeMap::new();
    for req in &input.rules.evidence {
        if !visible_ids.contains(req.question_id.as_str()) {
            continue;
        }
        if let Some((kind, files)) = evidence_gap(req, input) {
            let cap = caps.entry(req.question_id.as_str()).or_insert(1.0);
            *cap = cap.min(clamp01(req.cap_when_unmet));
            findings.push(evidence_finding(
                req,
                kind,
                files,
                &question_text(&req.question_id),
                input.as_of,
            ));
        }
    }
    // A question with a contract check reports its gap through the check alone.
    let contract_checked: std::collections::HashSet<&str> = input
        .rules
        .contract_checks
        .iter()
        .map(|c| c.question_id.as_str())
        .collect();
    // Points per question, in document order.
    let mut rows: Vec<QuestionScore> = Vec::new();
    for question in input.template.questions() {
        let Some(rule) = input.rules.questions.get(&question.id) else {
            continue;
        };
        let weight = if rule.weight.is_finite() && rule.weight > 0.0 {
            rule.weight
        } else {
            0.0
        };
        let visible = visible_ids.contains(question.id.as_str());
        let answer = input
            .answers
            .0
            .get(&question.id)
            .map(String::as_str)
            .unwrap_or_default();
        let checked: Vec<&str> = question
            .choices()
            .iter()
            .filter(|c| {
                input.answers.0.get(&c.id).is_some_and(|v| v == "checked") || answer == c.id
            })
            .map(|c| c.id.as_str())
            .collect();
        let (mut status, mut points) = if !visible {
            (QuestionStatus::Hidden, None)
        } else if answer.eq_ignore_ascii_case("n/a") {
            (QuestionStatus::NotApplicable, None)
        } else {
            match apply(&rule.rule, answer, &checked, input) {
                Some(outcome) => {
                    if let Some(mismatch) = outcome
                        .mismatch
                        .filter(|_| !contract_checked.contains(question.id.as_str()))
                    {
                        let label = mismatch.label();
                        findings.push(
                            Finding::new(
                                FindingKind::ContractMismatch,
                                Severity::High,
                                Some(question.id.clone()),
                                format!("{label}: {}", mismatch.figures(&question.kind)),
                                mismatch.reason(&question.kind, &plain_text(&question.text)),
                            )
                            .keyed(format!(
                                "{}:{}:{label}",
                                FindingKind::ContractMismatch.as_str(),
                                question.id
                            )),
                        );
                    }
                    if let Some(why) = outcome.uncompared {
                        findings.push(uncompared_finding(&question.id, &question.text, why));
                    }
                    let cap = caps.get(question.id.as_str()).copied().unwrap_or(1.0);
                    match outcome.points {
                        Some(p) => (QuestionStatus::Scored, Some(clamp01(p).min(cap))),
                        None => (QuestionStatus::NotApplicable, None),
                    }
                }
                None if question.required && input.submitted => {
                    findings.push(Finding::new(
                        FindingKind::UnansweredRequired,
                        Severity::Medium,
                        Some(question.id.clone()),
                        "Required question not answered".to_owned(),
                        format!("“{}” counts as 0 points.", plain_text(&question.text)),
                    ));
                    (QuestionStatus::Unanswered, Some(0.0))
                }
                None => (QuestionStatus::Unanswered, None),
            }
        };
        // An override replaces the points of a question that counts (never a hidden one).
        let overridden = match question_overrides.get(question.id.as_str()) {
            Some((id, replacement)) if status != QuestionStatus::Hidden => {
                let computed = points;
                status = QuestionStatus::Scored;
                points = Some(*replacement);
                Some(OverriddenPoints {
                    override_id: (*id).to_owned(),
                    computed,
                })
            }
            _ => None,
        };
        rows.push(QuestionScore {
            id: question.id.clone(),
            category: rule.category,
            weight,
            status,
            points,
            contribution: 0.0,
            overridden,
        });
    }

    // Category denominators over counted questions, then category weights over active
    // categories; in fixed point (millionths), so that every sum is exact and the result
    // the same however often and in whatever order it is computed.
    let mut category_sums: BTreeMap<Category, (i128, i128)> = BTreeMap::new();
    for row in &rows {
        if let Some(p) = row.points.filter(|_| row.weight > 0.0) {
            let (points, weights) = category_sums.entry(row.category).or_insert((0, 0));
            *points += micro(row.weight) * micro(p);
            *weights += micro(row.weight);
        }
    }
    let category_weight = |c: Category| micro(input.model.weight(c).max(0.0));
    let total_category_weight: i128 = category_sums.keys().map(|c| category_weight(*c)).sum();
    // Category scores in millionths of a point (0–100 scale).
    let category_scores: BTreeMap<Category, i128> = category_sums
        .iter()
        .filter(|(_, (_, weights))| *weights > 0)
        .map(|(c, (points, weights))| (*c, div_round(100 * points, *weights)))
        .collect();
    for row in &mut rows {
        let (Some(p), Some((_, weights))) = (row.points, category_sums.get(&row.category)) else {
            continue;
        };
        if *weights <= 0 || total_category_weight <= 0 || row.weight <= 0.0 {
            continue;
        }
        row.contribution = published(
            div_round(
                100 * category_weight(row.category) * micro(row.weight) * micro(p),
                total_category_weight * weights,
            ),
            2,
        );
    }
    let overall = (total_category_weight > 0).then(|| {
        let weighted: i128 = category_scores
            .iter()
            .map(|(c, score)| category_weight(*c) * score)
            .sum();
        published(div_round(weighted, total_category_weight), 1)
    });
    let categories = category_scores
        .into_iter()
        .map(|(category, score)| CategoryScore {
            category,
            weight: input.model.weight(category),
            score: published(score, 1),
        })
        .collect();

    for check in &input.rules.contract_checks {
        let Some(question) = input
            .template
            .questions()
            .find(|q| q.id == check.question_id)
            .filter(|q| visible_ids.contains(q.id.as_str()))
        else {
            continue;
        };
        let limit = threshold_value(check.threshold, input.contract);
        let answer = input
            .answers
            .0
            .get(&check.question_id)
            .filter(|_| limit.is_some())
            .and_then(|a| reading(a, check.threshold, input));
        let answer = match answer {
            Some(Reading::Uncompared(why)) => {
                if !findings.iter().any(|f| {
                    f.kind == FindingKind::CannotCompareCurrency
                        && f.question_id.as_deref() == Some(check.question_id.as_str())
                }) {
                    findings.push(uncompared_finding(&question.id, &question.text, why));
                }
                None
            }
            Some(Reading::Value(value, converted)) => Some((value, converted)),
            None => None,
        };
        if let (Some((value, converted)), Some(limit)) = (answer, limit) {
            let met = if check.at_most {
                value <= limit
            } else {
                value >= limit
            };
            if !met {
                let mismatch = Mismatch {
                    threshold: check.threshold,
                    value,
                    limit,
                    at_most: check.at_most,
                    currency: input.contract.currency().map(str::to_owned),
                    converted,
                };
                findings.push(
                    Finding::new(
                        FindingKind::ContractMismatch,
                        Severity::High,
                        Some(check.question_id.clone()),
                        format!("{}: {}", check.title, mismatch.figures(&question.kind)),
                        mismatch.reason(&question.kind, &plain_text(&question.text)),
                    )
                    .keyed(format!(
                        "{}:{}:{}",
                        FindingKind::ContractMismatch.as_str(),
                        check.question_id,
                        check.title
                    )),
                );
            }
        }
    }

    findings.extend(contract_findings(input, &visible_ids));
    if let Some(fourth) = input.fourth_parties {
        findings.extend(
            crate::subprocessor::check_register(
                input.contract,
                fourth.register,
                fourth.client,
                fourth.lists,
                input.as_of,
            )
            .into_iter()
            .map(|f| {
                Finding::new(
                    FindingKind::FourthParty,
                    f.severity,
                    None,
                    f.code.label().to_owned(),
                    f.message.clone(),
                )
                .keyed(f.key())
            }),
        );
    }

    for incident in input.incidents {
        if let Some(reason) = incident.late_reason() {
            let mut finding = Finding::new(
                FindingKind::LateIncidentReport,
                Severity::High,
                None,
                format!("Incident reported late: {}", incident.title),
                reason,
            );
            // One finding per incident, whatever its title becomes.
            finding.key = format!("incident:{}", incident.id);
            findings.push(finding);
        }
    }

    let inherent = input.profile.inherent_tier();
    let from_score = match overall {
        Some(s) if s >= input.model.strong => inherent.lowered(2),
        Some(s) if s >= input.model.adequate => inherent.lowered(1),
        _ => inherent,
    };
    for ko in &input.rules.knock_outs {
        let failed = rows
            .iter()
            .find(|q| q.id == ko.question_id)
            .and_then(|q| q.points)
            .is_some_and(|p| p < ko.below);
        if failed {
            let mut finding = Finding::new(
                FindingKind::KnockOut,
                Severity::Critical,
                Some(ko.question_id.clone()),
                ko.title.clone(),
                format!(
                    "A failed critical control keeps the residual tier at {} or worse.",
                    ko.min_tier.label()
                ),
            );
            finding.holds_tier = Some(ko.min_tier);
            findings.push(finding);
        }
    }
    // Every open finding holds the tier at its severity's floor (a knock-out at its own);
    // a remediated or accepted one holds nothing.
    for finding in &mut findings {
        let settlement = input
            .settled
            .iter()
            .find(|s| s.finding_key == finding.key && s.active_on(input.as_of));
        if let Some(settlement) = settlement {
            finding.settled = Some(settlement.by);
            finding.holds_tier = None;
        } else if finding.kind != FindingKind::KnockOut {
            finding.holds_tier = input.model.finding_floors.get(&finding.severity).copied();
        }
    }
    let mut residual = from_score;
    let mut held_by = None;
    for finding in &findings {
        if let Some(tier) = finding.holds_tier.filter(|t| *t > residual) {
            residual = tier;
            held_by = Some(TierHold {
                finding_key: finding.key.clone(),
                title: finding.title.clone(),
                tier,
                from_score,
            });
        }
    }
    let residual_overridden = tier_override.map(|(id, tier)| {
        let computed = residual;
        residual = tier;
        OverriddenTier {
            override_id: id.to_owned(),
            computed,
        }
    });

    ScoreCard {
        method_version: METHOD_VERSION.to_owned(),
        model_version: input.model.version.clone(),
        overall,
        categories,
        questions: rows,
        findings,
        inherent_tier: inherent,
        residual_tier: residual,
        held_by,
        residual_overridden,
    }
}

// `YYYY-MM-DD` on the wire, as every date in the API (time's own format is a tuple).
use crate::day::iso_date;

/// A future change of the scorecard without anyone doing anything: evidence expiring, a
/// report period growing too old, a dated answer going stale, or an override lapsing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScheduledChange {
    /// The first day the scorecard is different (`YYYY-MM-DD`).
    #[serde(with = "iso_date")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub on: Date,
    pub overall: Option<f64>,
    pub residual_tier: RiskTier,
    /// Findings that appear on that day.
    pub new_findings: Vec<String>,
    /// Why it changes, in words ("the SOC 2 Type II report expired on 31 Dec 2026").
    #[serde(default)]
    pub reasons: Vec<String>,
    /// The categories whose score changes, from today's score to that day's.
    #[serde(default)]
    pub categories: Vec<CategoryChange>,
}

/// One category's score today and on the day of a scheduled change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryChange {
    pub category: Category,
    pub from: Option<f64>,
    pub to: Option<f64>,
}

impl ScheduledChange {
    /// "On 1 Jan 2027 the SOC 2 Type II report expired on 31 Dec 2026: Audit and assurance
    /// 84.0 → 61.0, residual tier Low → Medium."
    pub fn sentence(&self, today: &ScoreCard) -> String {
        let mut effects: Vec<String> = self
            .categories
            .iter()
            .map(|c| {
                let score = |v: Option<f64>| {
                    v.map_or_else(|| "not scored".to_owned(), |v| crate::text::fixed(v, 1))
                };
                format!("{} {} → {}", c.category.label(), score(c.from), score(c.to))
            })
            .collect();
        if self.residual_tier != today.residual_tier {
            effects.push(format!(
                "residual tier {} → {}",
                today.residual_tier.label(),
                self.residual_tier.label()
            ));
        }
        if !self.new_findings.is_empty() {
            effects.push(format!("new findings: {}", self.new_findings.join("; ")));
        }
        let why = if self.reasons.is_empty() {
            "the scorecard changes by itself".to_owned()
        } else {
            self.reasons.join(", and ")
        };
        format!(
            "On {} {why}: {}.",
            crate::text::long_date(self.on),
            effects.join(", ")
        )
    }
}

/// The next day on which the scorecard changes by itself, if one comes, with why.
pub fn next_change(input: &ScoringInput<'_>) -> Option<ScheduledChange> {
    let day = Duration::days(1);
    let mut candidates: BTreeMap<Date, Vec<String>> = BTreeMap::new();
    let mut add = |date: Option<Date>, reason: String| {
        if let Some(date) = date.filter(|d| *d > input.as_of) {
            let reasons = candidates.entry(date).or_default();
            if !reasons.contains(&reason) {
                reasons.push(reason);
            }
        }
    };
    for item in input.evidence {
        if let Some(expires) = item.expires {
            add(
                expires.checked_add(day),
                format!(
                    "the {} expired on {}",
                    item.kind.label(),
                    crate::text::long_date(expires)
                ),
            );
        }
        for req in &input.rules.evidence {
            if let (Some(max), Some(end), true) = (
                req.max_period_age_days,
                item.period_end,
                req.alternatives.contains(&item.kind),
            ) {
                add(
                    end.checked_add(Duration::days(max + 1)),
                    format!(
                        "the {} (its period ended {}) is more than {max} days old",
                        item.kind.label(),
                        crate::text::long_date(end)
                    ),
                );
            }
        }
    }
    for (id, rule) in &input.rules.questions {
        if let (Rule::Freshness { max_age_days }, Some(answer)) =
            (&rule.rule, input.answers.0.get(id))
            && let Some(date) = crate::day::parse(answer.trim())
        {
            let question = input
                .template
                .questions()
                .find(|q| &q.id == id)
                .map_or_else(|| id.clone(), |q| plain_text(&q.text));
            add(
                date.checked_add(Duration::days(max_age_days + 1)),
                format!("the answer to “{question}” is more than {max_age_days} days old"),
            );
        }
    }
    for o in input.overrides {
        if let Some(last) = o.expires_on {
            add(
                last.checked_add(day),
                format!("an override lapsed after {}", crate::text::long_date(last)),
            );
        }
    }
    let now = score(input);
    for settlement in input.settled {
        if let Some(last) = settlement.until {
            let title = now
                .findings
                .iter()
                .find(|f| f.key == settlement.finding_key)
                .map_or_else(|| "a finding".to_owned(), |f| format!("“{}”", f.title));
            add(
                last.checked_add(day),
                format!(
                    "the risk acceptance of {title} lapsed after {}",
                    crate::text::long_date(last)
                ),
            );
        }
    }
    let same = |a: &ScoreCard| {
        a.residual_tier == now.residual_tier
            && a.overall == now.overall
            && a.findings.len() == now.findings.len()
    };
    candidates.into_iter().find_map(|(on, reasons)| {
        let later = score(&ScoringInput {
            as_of: on,
            ..input.clone()
        });
        if same(&later) {
            return None;
        }
        let score_of = |card: &ScoreCard, c: Category| {
            card.categories
                .iter()
                .find(|x| x.category == c)
                .map(|x| x.score)
        };
        let categories = Category::ALL
            .into_iter()
            .filter_map(|c| {
                let (from, to) = (score_of(&now, c), score_of(&later, c));
                (from != to).then_some(CategoryChange {
                    category: c,
                    from,
                    to,
                })
            })
            .collect();
        Some(ScheduledChange {
            on,
            overall: later.overall,
            residual_tier: later.residual_tier,
            new_findings: later
                .findings
                .iter()
                .filter(|f| !now.findings.iter().any(|n| n.key == f.key))
                .map(|f| f.title.clone())
                .collect(),
            reasons,
            categories,
        })
    })
}
