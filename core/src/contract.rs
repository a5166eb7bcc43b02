//! A vendor's contract terms in full (#17): what they are, whether they are sane, how the
//! vendor's answers measure up to them, how they measure up to the organisation's contract
//! policy, and when to remind people of the notice date before a renewal.
//!
//! Every check returns [`ContractFinding`]s that name both sides ("SLA answered 99.5 %;
//! the contract requires 99.9 %"), with a stable code, the term and a severity, so the
//! server can store them beside scoring's findings and the UI can show them as they are.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use time::{Date, Duration};

use crate::country::Country;
use crate::money::{Money, is_currency};
use crate::named;
use crate::risk::{Criticality, DataType, RiskTier};
use crate::template::Severity;
use crate::text::{figure, long_date};

/// The longest span of hours a term may name (a year): more is a typing mistake.
pub const MAX_HOURS: f64 = 8_760.0;
/// The most days a notice or return period may name (ten years).
pub const MAX_DAYS: u32 = 3_650;
/// The longest free text of a term (data return format, jurisdiction).
pub const MAX_TEXT: usize = 200;

/// The law the contract is governed by. The country is typed, because checks and
/// reports group by it; the jurisdiction within it is free text, because the places
/// contracts name are often smaller than a country ("England and Wales", "New York",
/// "Canton of Zurich") and no code list covers them all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoverningLaw {
    pub country: Country,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jurisdiction: Option<String>,
}

/// The full contract terms of a vendor. Every term is optional: a contract that does not
/// say something leaves it out, and checks about it have nothing to compare with.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Contract {
    /// What the contract is worth a year, for reports.
    pub value: Option<Money>,
    /// Hours from the vendor becoming aware of a breach to notifying the client.
    pub breach_notification_hours: Option<f64>,
    pub right_to_audit: Option<bool>,
    /// Days of notice the client must give before an audit.
    pub audit_notice_days: Option<u32>,
    /// A data processing agreement is in place (`None`: the contract does not say).
    pub dpa_in_place: Option<bool>,
    /// The day the data processing agreement was signed; a date means one is in place.
    #[serde(with = "iso_date::option")]
    pub dpa_signed: Option<Date>,
    pub liability_cap: Option<Money>,
    /// The smallest liability cap the client accepts for this vendor.
    pub required_liability_cap: Option<Money>,
    /// The least cyber-insurance cover the vendor must hold.
    pub minimum_insurance: Option<Money>,
    /// Availability promised, in percent (99.9).
    pub sla_percent: Option<f64>,
    pub service_credits: Option<bool>,
    pub rpo_hours: Option<f64>,
    pub rto_hours: Option<f64>,
    /// Days after termination within which the data is returned or deleted.
    pub data_return_days: Option<u32>,
    /// In which form the data comes back ("CSV and PDF exports").
    pub data_return_format: Option<String>,
    /// Staff are bound to confidentiality.
    pub staff_confidentiality: Option<bool>,
    /// Subcontractors are bound to the same confidentiality.
    pub subcontractor_confidentiality: Option<bool>,
    /// Days of notice the vendor gives before adding or replacing a subprocessor.
    pub subprocessor_notice_days: Option<u32>,
    /// The client may object to a new subprocessor.
    pub right_to_object: Option<bool>,
    pub governing_law: Option<GoverningLaw>,
    #[serde(with = "iso_date::option")]
    pub start_date: Option<Date>,
    #[serde(with = "iso_date::option")]
    pub renewal_date: Option<Date>,
    /// The last day on which notice not to renew can be given.
    #[serde(with = "iso_date::option")]
    pub notice_date: Option<Date>,
}

/// One contract term, for findings and field names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Term {
    BreachNotification,
    RightToAudit,
    AuditNotice,
    Dpa,
    LiabilityCap,
    Insurance,
    Sla,
    ServiceCredits,
    Rpo,
    Rto,
    DataReturn,
    StaffConfidentiality,
    SubcontractorConfidentiality,
    SubprocessorNotice,
    RightToObject,
    GoverningLaw,
    Dates,
    /// Transfers of personal data out of the client's region.
    Transfers,
    /// The vendor's subprocessor register.
    Subprocessors,
}

named!(Term {
    BreachNotification => "breach_notification", "Breach notification";
    RightToAudit => "right_to_audit", "Right to audit";
    AuditNotice => "audit_notice", "Audit notice";
    Dpa => "dpa", "Data processing agreement";
    LiabilityCap => "liability_cap", "Liability cap";
    Insurance => "insurance", "Cyber-insurance";
    Sla => "sla", "Availability SLA";
    ServiceCredits => "service_credits", "Service credits";
    Rpo => "rpo", "Recovery point objective";
    Rto => "rto", "Recovery time objective";
    DataReturn => "data_return", "Data return at termination";
    StaffConfidentiality => "staff_confidentiality", "Staff confidentiality";
    SubcontractorConfidentiality => "subcontractor_confidentiality", "Subcontractor confidentiality";
    SubprocessorNotice => "subprocessor_notice", "Subprocessor change notice";
    RightToObject => "right_to_object", "Right to object to subprocessors";
    GoverningLaw => "governing_law", "Governing law";
    Dates => "dates", "Contract dates";
    Transfers => "transfers", "International transfers";
    Subprocessors => "subprocessors", "Subprocessors";
});

/// What kind of problem a finding is; stable, so remediation items can refer to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingCode {
    /// The vendor's answer is weaker than what the contract says.
    AnswerFallsShort,
    /// Two amounts are in different currencies and cannot be compared.
    CurrencyMismatch,
    /// The organisation's policy requires a term the contract lacks.
    TermMissing,
    /// The contract has the term, but weaker than the policy requires.
    TermTooWeak,
    /// A subprocessor was added with less notice than the contract promises.
    SubprocessorNoticeShort,
    /// Personal data leaves the client's region without adequacy or a mechanism.
    TransferWithoutMechanism,
    /// A transfer rests on an Art. 49 derogation, meant for occasional transfers.
    TransferOnDerogation,
    /// Whether the destination is adequate cannot be confirmed from the shipped list.
    TransferAdequacyUnconfirmed,
}

named!(FindingCode {
    AnswerFallsShort => "answer_falls_short", "Answer falls short of the contract";
    CurrencyMismatch => "currency_mismatch", "Amounts in different currencies";
    TermMissing => "term_missing", "Term missing from the contract";
    TermTooWeak => "term_too_weak", "Term weaker than the policy";
    SubprocessorNoticeShort => "subprocessor_notice_short", "Subprocessor added without the agreed notice";
    TransferWithoutMechanism => "transfer_without_mechanism", "Transfer without adequacy or safeguards";
    TransferOnDerogation => "transfer_on_derogation", "Transfer on a derogation";
    TransferAdequacyUnconfirmed => "transfer_adequacy_unconfirmed", "Adequacy not confirmed";
});

/// A problem with a contract, a transfer or a subprocessor, as people read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractFinding {
    pub code: FindingCode,
    pub term: Term,
    pub severity: Severity,
    /// Names both sides: "SLA answered 99.5 %; the contract requires 99.9 %."
    pub message: String,
    /// What the finding is about beyond the term (a subprocessor, a country), so two
    /// findings of one code and term keep apart keys; empty when the term says it all.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub subject: String,
}

impl ContractFinding {
    pub(crate) fn new(code: FindingCode, term: Term, severity: Severity, message: String) -> Self {
        ContractFinding {
            code,
            term,
            severity,
            message,
            subject: String::new(),
        }
    }

    /// Stable while the same problem persists: `contract:sla:answer_falls_short`.
    pub fn key(&self) -> String {
        let mut key = format!("contract:{}:{}", self.term.as_str(), self.code.as_str());
        if !self.subject.is_empty() {
            key.push(':');
            key.push_str(&self.subject);
        }
        key
    }
}

// Days as `2026-01-31` on the wire and in data files, as people and other tools write them.
pub(crate) use crate::day::iso_date;

/// `(field, message)`: what is wrong with a value, and where.
pub type Problem = (String, String);

fn problem(field: &str, message: impl Into<String>) -> Problem {
    (field.to_owned(), message.into())
}

fn check_hours(field: &str, what: &str, value: Option<f64>, out: &mut Vec<Problem>) {
    if let Some(hours) = value
        && !(hours.is_finite() && (0.0..=MAX_HOURS).contains(&hours))
    {
        out.push(problem(
            field,
            format!(
                "{what} must be a number of hours from 0 to {}.",
                figure(MAX_HOURS)
            ),
        ));
    }
}

fn check_days(field: &str, what: &str, value: Option<u32>, out: &mut Vec<Problem>) {
    if value.is_some_and(|days| days > MAX_DAYS) {
        out.push(problem(
            field,
            format!("{what} must be at most {MAX_DAYS} days."),
        ));
    }
}

fn check_text(field: &str, what: &str, value: Option<&str>, out: &mut Vec<Problem>) {
    match value {
        Some(text) if text.trim().is_empty() => {
            out.push(problem(
                field,
                format!("{what} cannot be blank; leave it out instead."),
            ));
        }
        Some(text) if text.chars().count() > MAX_TEXT => out.push(problem(
            field,
            format!("{what} must be at most {MAX_TEXT} characters."),
        )),
        _ => {}
    }
}

/// Problems with an amount that did not come through [`Money::parse`] (built in code or
/// read by another route): a non-finite or negative amount, an unknown currency.
pub(crate) fn check_money(field: &str, what: &str, value: Option<&Money>, out: &mut Vec<Problem>) {
    if let Some(money) = value {
        if !(money.amount.is_finite() && (0.0..=1e15).contains(&money.amount)) {
            out.push(problem(
                field,
                format!("{what} must be an amount from 0 to 10¹⁵."),
            ));
        } else if !is_currency(&money.currency) {
            out.push(problem(
                field,
                format!("{what} needs an ISO 4217 currency, such as EUR."),
            ));
        }
    }
}

impl Contract {
    /// Whether a data processing agreement is in place: said outright, or a signing date.
    pub fn has_dpa(&self) -> Option<bool> {
        self.dpa_in_place.or(self.dpa_signed.map(|_| true))
    }

    /// The one currency scoring compares amounts answered in money with: the minimum
    /// insurance's, else the liability cap's, else the contract value's.
    pub fn currency(&self) -> Option<&str> {
        self.minimum_insurance
            .as_ref()
            .or(self.liability_cap.as_ref())
            .or(self.value.as_ref())
            .map(|m| m.currency.as_str())
    }

    /// Every problem with the terms, as `(field, message)`; empty when they can be kept.
    pub fn problems(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        if self.dpa_in_place == Some(false) && self.dpa_signed.is_some() {
            out.push(problem(
                "dpa_in_place",
                "A signing date says a data processing agreement is in place; clear the date or say one is in place.",
            ));
        }
        check_money("value", "The contract value", self.value.as_ref(), &mut out);
        check_hours(
            "breach_notification_hours",
            "The breach-notification deadline",
            self.breach_notification_hours,
            &mut out,
        );
        check_hours("rpo_hours", "The RPO", self.rpo_hours, &mut out);
        check_hours("rto_hours", "The RTO", self.rto_hours, &mut out);
        if let Some(sla) = self.sla_percent
            && !(sla.is_finite() && (0.0..=100.0).contains(&sla))
        {
            out.push(problem(
                "sla_percent",
                "The SLA is a percentage from 0 to 100, such as 99.9.",
            ));
        }
        check_days(
            "audit_notice_days",
            "The audit notice",
            self.audit_notice_days,
            &mut out,
        );
        check_days(
            "data_return_days",
            "The data return period",
            self.data_return_days,
            &mut out,
        );
        check_days(
            "subprocessor_notice_days",
            "The subprocessor notice",
            self.subprocessor_notice_days,
            &mut out,
        );
        check_text(
            "data_return_format",
            "The data return format",
            self.data_return_format.as_deref(),
            &mut out,
        );
        check_text(
            "governing_law.jurisdiction",
            "The jurisdiction",
            self.governing_law
                .as_ref()
                .and_then(|law| law.jurisdiction.as_deref()),
            &mut out,
        );
        check_money(
            "liability_cap",
            "The liability cap",
            self.liability_cap.as_ref(),
            &mut out,
        );
        check_money(
            "required_liability_cap",
            "The required liability cap",
            self.required_liability_cap.as_ref(),
            &mut out,
        );
        check_money(
            "minimum_insurance",
            "The minimum insurance",
            self.minimum_insurance.as_ref(),
            &mut out,
        );
        if let (Some(start), Some(renewal)) = (self.start_date, self.renewal_date)
            && renewal < start
        {
            out.push(problem(
                "renewal_date",
                format!(
                    "The renewal date ({}) comes before the start date ({}).",
                    long_date(renewal),
                    long_date(start)
                ),
            ));
        }
        if let (Some(notice), Some(renewal)) = (self.notice_date, self.renewal_date)
            && notice > renewal
        {
            out.push(problem(
                "notice_date",
                format!(
                    "The notice date ({}) is after the renewal date ({}): notice not to renew must come before it.",
                    long_date(notice),
                    long_date(renewal)
                ),
            ));
        }
        if let (Some(start), Some(notice)) = (self.start_date, self.notice_date)
            && notice < start
        {
            out.push(problem(
                "notice_date",
                format!(
                    "The notice date ({}) comes before the start date ({}).",
                    long_date(notice),
                    long_date(start)
                ),
            ));
        }
        out
    }

    /// A liability cap below the client's own required minimum (or not comparable with it).
    pub fn liability_shortfall(&self) -> Option<ContractFinding> {
        let required = self.required_liability_cap.as_ref()?;
        let Some(cap) = self.liability_cap.as_ref() else {
            return Some(ContractFinding::new(
                FindingCode::TermMissing,
                Term::LiabilityCap,
                Severity::Medium,
                format!(
                    "The contract names no liability cap; at least {} is required.",
                    amount(required)
                ),
            ));
        };
        compare_money(
            Term::LiabilityCap,
            cap,
            required,
            "The liability cap is",
            "the required minimum is",
            FindingCode::TermTooWeak,
            Severity::Medium,
        )
    }
}

/// "5,000,000 EUR".
fn amount(money: &Money) -> String {
    format!("{} {}", figure(money.amount), money.currency)
}

/// "72 h", "99.9 %", "30 days".
fn hours(value: f64) -> String {
    format!("{} h", figure(value))
}

fn percent(value: f64) -> String {
    format!("{} %", figure(value))
}

fn days(value: u32) -> String {
    if value == 1 {
        "1 day".to_owned()
    } else {
        format!("{value} days")
    }
}

/// A finding when `have` is below `need`, or when they are in different currencies.
fn compare_money(
    term: Term,
    have: &Money,
    need: &Money,
    have_says: &str,
    need_says: &str,
    code: FindingCode,
    severity: Severity,
) -> Option<ContractFinding> {
    if !(have.amount.is_finite() && need.amount.is_finite()) {
        return None;
    }
    if have.currency != need.currency {
        return Some(ContractFinding::new(
            FindingCode::CurrencyMismatch,
            term,
            Severity::Medium,
            format!(
                "{have_says} {} and {need_says} {}: amounts in {} and {} cannot be compared without an exchange rate.",
                amount(have),
                amount(need),
                have.currency,
                need.currency
            ),
        ));
    }
    (have.amount < need.amount).then(|| {
        ContractFinding::new(
            code,
            term,
            severity,
            format!(
                "{have_says} {}; {need_says} {}.",
                amount(have),
                amount(need)
            ),
        )
    })
}

/// What the vendor answered about the terms, read from its questionnaire. `None`: not
/// asked or not answered, which raises nothing.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContractAnswers {
    pub notice_hours: Option<f64>,
    pub sla_percent: Option<f64>,
    pub rpo_hours: Option<f64>,
    pub rto_hours: Option<f64>,
    pub liability_cap: Option<Money>,
    pub insurance: Option<Money>,
    pub right_to_audit: Option<bool>,
    pub dpa: Option<bool>,
    pub staff_confidentiality: Option<bool>,
    pub subcontractor_confidentiality: Option<bool>,
    pub service_credits: Option<bool>,
    pub data_return_days: Option<u32>,
    pub right_to_object: Option<bool>,
    pub subprocessor_notice_days: Option<u32>,
}

/// A contract term a questionnaire question answers: templates map questions to these
/// (`scoring.contract_terms`) so the answers are checked against the vendor's contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnsweredTerm {
    NoticeHours,
    SlaPercent,
    RpoHours,
    RtoHours,
    LiabilityCap,
    Insurance,
    RightToAudit,
    Dpa,
    StaffConfidentiality,
    SubcontractorConfidentiality,
    ServiceCredits,
    DataReturnDays,
    RightToObject,
    SubprocessorNoticeDays,
}

named!(AnsweredTerm {
    NoticeHours => "notice_hours", "Breach-notification hours";
    SlaPercent => "sla_percent", "Availability (SLA %)";
    RpoHours => "rpo_hours", "RPO hours";
    RtoHours => "rto_hours", "RTO hours";
    LiabilityCap => "liability_cap", "Liability cap";
    Insurance => "insurance", "Cyber-insurance cover";
    RightToAudit => "right_to_audit", "Right to audit";
    Dpa => "dpa", "Data processing agreement";
    StaffConfidentiality => "staff_confidentiality", "Staff confidentiality";
    SubcontractorConfidentiality => "subcontractor_confidentiality", "Subcontractor confidentiality";
    ServiceCredits => "service_credits", "Service credits";
    DataReturnDays => "data_return_days", "Data return days";
    RightToObject => "right_to_object", "Right to object to subprocessors";
    SubprocessorNoticeDays => "subprocessor_notice_days", "Subprocessor notice days";
});

/// The form of answer a term is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerShape {
    /// A number (hours, percent).
    Number,
    /// A whole number of days.
    Days,
    Money,
    YesNo,
}

impl AnsweredTerm {
    /// The contract term its answer is checked against.
    pub fn term(self) -> Term {
        use AnsweredTerm::*;
        match self {
            NoticeHours => Term::BreachNotification,
            SlaPercent => Term::Sla,
            RpoHours => Term::Rpo,
            RtoHours => Term::Rto,
            LiabilityCap => Term::LiabilityCap,
            Insurance => Term::Insurance,
            RightToAudit => Term::RightToAudit,
            Dpa => Term::Dpa,
            StaffConfidentiality => Term::StaffConfidentiality,
            SubcontractorConfidentiality => Term::SubcontractorConfidentiality,
            ServiceCredits => Term::ServiceCredits,
            DataReturnDays => Term::DataReturn,
            RightToObject => Term::RightToObject,
            SubprocessorNoticeDays => Term::SubprocessorNotice,
        }
    }

    pub fn shape(self) -> AnswerShape {
        use AnsweredTerm::*;
        match self {
            NoticeHours | SlaPercent | RpoHours | RtoHours => AnswerShape::Number,
            DataReturnDays | SubprocessorNoticeDays => AnswerShape::Days,
            LiabilityCap | Insurance => AnswerShape::Money,
            RightToAudit
            | Dpa
            | StaffConfidentiality
            | SubcontractorConfidentiality
            | ServiceCredits
            | RightToObject => AnswerShape::YesNo,
        }
    }
}

impl ContractAnswers {
    /// Reads one term from an answer in its canonical form (see [`crate::answer`]);
    /// `false`, and nothing set, when the answer is not of the term's shape.
    pub fn set(&mut self, term: AnsweredTerm, answer: &str) -> bool {
        let answer = answer.trim();
        let number = || crate::text::parse_number(answer);
        let days = || {
            number()
                .filter(|d| *d >= 0.0 && d.fract() == 0.0 && *d <= f64::from(u32::MAX))
                .map(|d| d as u32)
        };
        let flag = || match answer {
            "yes" | "checked" => Some(true),
            "no" => Some(false),
            _ => None,
        };
        let money = || Money::parse(answer).ok();
        use AnsweredTerm::*;
        let set = match term {
            NoticeHours => number().map(|v| self.notice_hours = Some(v)),
            SlaPercent => number().map(|v| self.sla_percent = Some(v)),
            RpoHours => number().map(|v| self.rpo_hours = Some(v)),
            RtoHours => number().map(|v| self.rto_hours = Some(v)),
            LiabilityCap => money().map(|v| self.liability_cap = Some(v)),
            Insurance => money().map(|v| self.insurance = Some(v)),
            RightToAudit => flag().map(|v| self.right_to_audit = Some(v)),
            Dpa => flag().map(|v| self.dpa = Some(v)),
            StaffConfidentiality => flag().map(|v| self.staff_confidentiality = Some(v)),
            SubcontractorConfidentiality => {
                flag().map(|v| self.subcontractor_confidentiality = Some(v))
            }
            ServiceCredits => flag().map(|v| self.service_credits = Some(v)),
            DataReturnDays => days().map(|v| self.data_return_days = Some(v)),
            RightToObject => flag().map(|v| self.right_to_object = Some(v)),
            SubprocessorNoticeDays => days().map(|v| self.subprocessor_notice_days = Some(v)),
        };
        set.is_some()
    }
}

/// A number both sides name, and which way is better.
struct Numeric {
    term: Term,
    contract: Option<f64>,
    answer: Option<f64>,
    /// `true`: the answer must be at most the contract's (hours); else at least (SLA).
    at_most: bool,
    what: &'static str,
    unit: fn(f64) -> String,
    severity: Severity,
}

/// A promise the contract makes (`true`) that the vendor's answer denies.
struct Promise {
    term: Term,
    contract: Option<bool>,
    answer: Option<bool>,
    grants: &'static str,
    severity: Severity,
}

/// Each term the vendor's answers fall short of, naming both sides. Amounts compare only
/// in one currency; in two, the finding says they cannot be compared. Answers that are
/// not numbers (NaN, infinite) compare with nothing.
pub fn check_answers(contract: &Contract, answers: &ContractAnswers) -> Vec<ContractFinding> {
    let mut findings = Vec::new();
    let numerics = [
        Numeric {
            term: Term::BreachNotification,
            contract: contract.breach_notification_hours,
            answer: answers.notice_hours,
            at_most: true,
            what: "Breach notification",
            unit: hours,
            severity: Severity::High,
        },
        Numeric {
            term: Term::Sla,
            contract: contract.sla_percent,
            answer: answers.sla_percent,
            at_most: false,
            what: "SLA",
            unit: percent,
            severity: Severity::Medium,
        },
        Numeric {
            term: Term::Rpo,
            contract: contract.rpo_hours,
            answer: answers.rpo_hours,
            at_most: true,
            what: "RPO",
            unit: hours,
            severity: Severity::Medium,
        },
        Numeric {
            term: Term::Rto,
            contract: contract.rto_hours,
            answer: answers.rto_hours,
            at_most: true,
            what: "RTO",
            unit: hours,
            severity: Severity::Medium,
        },
        Numeric {
            term: Term::DataReturn,
            contract: contract.data_return_days.map(f64::from),
            answer: answers.data_return_days.map(f64::from),
            at_most: true,
            what: "Data return at termination",
            unit: |d| format!("{} days", figure(d)),
            severity: Severity::Medium,
        },
        Numeric {
            term: Term::SubprocessorNotice,
            contract: contract.subprocessor_notice_days.map(f64::from),
            answer: answers.subprocessor_notice_days.map(f64::from),
            at_most: false,
            what: "Subprocessor change notice",
            unit: |d| format!("{} days", figure(d)),
            severity: Severity::Medium,
        },
    ];
    for n in numerics {
        let (Some(required), Some(answered)) = (n.contract, n.answer) else {
            continue;
        };
        if !(required.is_finite() && answered.is_finite()) {
            continue;
        }
        let short = if n.at_most {
            answered > required
        } else {
            answered < required
        };
        if short {
            findings.push(ContractFinding::new(
                FindingCode::AnswerFallsShort,
                n.term,
                n.severity,
                format!(
                    "{} answered {}; the contract requires {}{}.",
                    n.what,
                    (n.unit)(answered),
                    if n.at_most { "at most " } else { "" },
                    (n.unit)(required)
                ),
            ));
        }
    }
    let money = [
        (
            Term::LiabilityCap,
            contract.liability_cap.as_ref(),
            answers.liability_cap.as_ref(),
            "Liability cap answered as",
        ),
        (
            Term::Insurance,
            contract.minimum_insurance.as_ref(),
            answers.insurance.as_ref(),
            "Cyber-insurance answered as",
        ),
    ];
    for (term, required, answered, says) in money {
        if let (Some(required), Some(answered)) = (required, answered) {
            findings.extend(compare_money(
                term,
                answered,
                required,
                says,
                "the contract requires",
                FindingCode::AnswerFallsShort,
                Severity::Medium,
            ));
        }
    }
    let promises = [
        Promise {
            term: Term::RightToAudit,
            contract: contract.right_to_audit,
            answer: answers.right_to_audit,
            grants: "grants the client a right to audit",
            severity: Severity::High,
        },
        Promise {
            term: Term::Dpa,
            contract: contract.has_dpa(),
            answer: answers.dpa,
            grants: "has a data processing agreement in place",
            severity: Severity::High,
        },
        Promise {
            term: Term::StaffConfidentiality,
            contract: contract.staff_confidentiality,
            answer: answers.staff_confidentiality,
            grants: "binds the vendor's staff to confidentiality",
            severity: Severity::Medium,
        },
        Promise {
            term: Term::SubcontractorConfidentiality,
            contract: contract.subcontractor_confidentiality,
            answer: answers.subcontractor_confidentiality,
            grants: "binds subcontractors to confidentiality",
            severity: Severity::Medium,
        },
        Promise {
            term: Term::ServiceCredits,
            contract: contract.service_credits,
            answer: answers.service_credits,
            grants: "gives service credits for missed availability",
            severity: Severity::Medium,
        },
        Promise {
            term: Term::RightToObject,
            contract: contract.right_to_object,
            answer: answers.right_to_object,
            grants: "lets the client object to new subprocessors",
            severity: Severity::Medium,
        },
    ];
    for p in promises {
        if p.contract == Some(true) && p.answer == Some(false) {
            findings.push(ContractFinding::new(
                FindingCode::AnswerFallsShort,
                p.term,
                p.severity,
                format!("{} answered no; the contract {}.", p.term.label(), p.grants),
            ));
        }
    }
    findings
}

/// Which vendors a policy rule is for: all of those conditions that are given must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Scope {
    /// The vendor handles any of these; empty: whatever it handles.
    pub data_types: BTreeSet<DataType>,
    /// The vendor's risk tier is at least this.
    pub min_tier: Option<RiskTier>,
    /// The vendor's criticality is at least this.
    pub min_criticality: Option<Criticality>,
}

/// What the organisation requires of a contract in scope.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "term", rename_all = "snake_case")]
pub enum Requirement {
    Dpa,
    RightToAudit,
    StaffConfidentiality,
    SubcontractorConfidentiality,
    RightToObject,
    ServiceCredits,
    MinLiabilityCap { amount: Money },
    MinInsurance { amount: Money },
    MaxBreachNotificationHours { hours: f64 },
    MinSlaPercent { percent: f64 },
    MaxRpoHours { hours: f64 },
    MaxRtoHours { hours: f64 },
    MinSubprocessorNoticeDays { days: u32 },
    MaxDataReturnDays { days: u32 },
}

impl Requirement {
    /// The term it concerns.
    pub fn term(&self) -> Term {
        match self {
            Requirement::Dpa => Term::Dpa,
            Requirement::RightToAudit => Term::RightToAudit,
            Requirement::StaffConfidentiality => Term::StaffConfidentiality,
            Requirement::SubcontractorConfidentiality => Term::SubcontractorConfidentiality,
            Requirement::RightToObject => Term::RightToObject,
            Requirement::ServiceCredits => Term::ServiceCredits,
            Requirement::MinLiabilityCap { .. } => Term::LiabilityCap,
            Requirement::MinInsurance { .. } => Term::Insurance,
            Requirement::MaxBreachNotificationHours { .. } => Term::BreachNotification,
            Requirement::MinSlaPercent { .. } => Term::Sla,
            Requirement::MaxRpoHours { .. } => Term::Rpo,
            Requirement::MaxRtoHours { .. } => Term::Rto,
            Requirement::MinSubprocessorNoticeDays { .. } => Term::SubprocessorNotice,
            Requirement::MaxDataReturnDays { .. } => Term::DataReturn,
        }
    }

    /// The severity when a rule names none: High for the terms regulators ask about
    /// first (DPA, right to audit, breach notification), Medium for the rest.
    pub fn default_severity(&self) -> Severity {
        match self {
            Requirement::Dpa
            | Requirement::RightToAudit
            | Requirement::MaxBreachNotificationHours { .. } => Severity::High,
            _ => Severity::Medium,
        }
    }
}

/// One rule of a contract policy: "every vendor handling personal data must have a DPA".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PolicyRule {
    #[serde(default)]
    pub scope: Scope,
    pub require: Requirement,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
}

/// The most rules a policy holds.
pub const MAX_RULES: usize = 100;

/// An organisation's contract policy: the terms its vendors' contracts must have.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ContractPolicy {
    pub rules: Vec<PolicyRule>,
}

/// A policy with no rules: nothing is required beyond what each contract says.
pub static NO_POLICY: ContractPolicy = ContractPolicy { rules: Vec::new() };

/// The vendor a policy is applied to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicySubject<'a> {
    pub data_types: &'a BTreeSet<DataType>,
    pub criticality: Criticality,
    pub tier: RiskTier,
}

impl Scope {
    fn includes(&self, vendor: &PolicySubject<'_>) -> bool {
        (self.data_types.is_empty() || !self.data_types.is_disjoint(vendor.data_types))
            && self.min_tier.is_none_or(|t| vendor.tier >= t)
            && self.min_criticality.is_none_or(|c| vendor.criticality >= c)
    }

    /// "vendors handling personal data with criticality Critical", for messages.
    fn describe(&self) -> String {
        let mut parts = Vec::new();
        if !self.data_types.is_empty() {
            let kinds: Vec<String> = self
                .data_types
                .iter()
                .map(|d| d.label().to_ascii_lowercase())
                .collect();
            parts.push(format!("handling {}", kinds.join(" or ")));
        }
        if let Some(tier) = self.min_tier {
            parts.push(format!("of tier {} or above", tier.label()));
        }
        if let Some(criticality) = self.min_criticality {
            parts.push(format!("of criticality {} or above", criticality.label()));
        }
        if parts.is_empty() {
            "every vendor".to_owned()
        } else {
            format!("vendors {}", parts.join(" and "))
        }
    }
}

impl ContractPolicy {
    /// Every problem with the policy, as `(field, message)`.
    pub fn problems(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        if self.rules.len() > MAX_RULES {
            out.push(problem(
                "rules",
                format!("A policy holds at most {MAX_RULES} rules."),
            ));
            return out;
        }
        for (i, rule) in self.rules.iter().enumerate() {
            let field = format!("rules[{i}].require");
            let n = i + 1;
            match &rule.require {
                Requirement::MinLiabilityCap { amount } | Requirement::MinInsurance { amount } => {
                    check_money(
                        &field,
                        &format!("Rule {n}'s amount"),
                        Some(amount),
                        &mut out,
                    );
                }
                Requirement::MaxBreachNotificationHours { hours }
                | Requirement::MaxRpoHours { hours }
                | Requirement::MaxRtoHours { hours } => {
                    check_hours(&field, &format!("Rule {n}'s limit"), Some(*hours), &mut out);
                }
                Requirement::MinSlaPercent { percent }
                    if !(percent.is_finite() && (0.0..=100.0).contains(percent)) =>
                {
                    out.push(problem(
                        &field,
                        format!("Rule {n}'s SLA is a percentage from 0 to 100."),
                    ));
                }
                Requirement::MinSubprocessorNoticeDays { days }
                | Requirement::MaxDataReturnDays { days } => {
                    check_days(&field, &format!("Rule {n}'s period"), Some(*days), &mut out);
                }
                _ => {}
            }
        }
        out
    }

    /// Findings for the terms the vendor's contract lacks or sets too weakly, for every
    /// rule whose scope includes the vendor. Absent terms are missing; amounts in another
    /// currency than the rule's cannot be compared and say so.
    pub fn check(&self, vendor: &PolicySubject<'_>, contract: &Contract) -> Vec<ContractFinding> {
        self.rules
            .iter()
            .filter(|rule| rule.scope.includes(vendor))
            .filter_map(|rule| {
                let mut finding = rule_finding(&rule.require, contract, &rule.scope)?;
                if finding.code != FindingCode::CurrencyMismatch {
                    finding.severity = rule
                        .severity
                        .unwrap_or_else(|| rule.require.default_severity());
                }
                Some(finding)
            })
            .collect()
    }
}

fn rule_finding(
    require: &Requirement,
    contract: &Contract,
    scope: &Scope,
) -> Option<ContractFinding> {
    let term = require.term();
    let who = scope.describe();
    let missing = |what: &str| {
        Some(ContractFinding::new(
            FindingCode::TermMissing,
            term,
            require.default_severity(),
            format!("The policy requires {what} for {who}; the contract has none."),
        ))
    };
    let weak = |message: String| {
        Some(ContractFinding::new(
            FindingCode::TermTooWeak,
            term,
            require.default_severity(),
            message,
        ))
    };
    let flag = |value: Option<bool>, what: &str| match value {
        Some(true) => None,
        _ => missing(what),
    };
    match require {
        Requirement::Dpa => flag(contract.has_dpa(), "a data processing agreement"),
        Requirement::RightToAudit => flag(contract.right_to_audit, "a right to audit"),
        Requirement::StaffConfidentiality => flag(
            contract.staff_confidentiality,
            "staff confidentiality obligations",
        ),
        Requirement::SubcontractorConfidentiality => flag(
            contract.subcontractor_confidentiality,
            "subcontractor confidentiality obligations",
        ),
        Requirement::RightToObject => flag(
            contract.right_to_object,
            "a right to object to new subprocessors",
        ),
        Requirement::ServiceCredits => flag(contract.service_credits, "service credits"),
        Requirement::MinLiabilityCap { amount: need } => match &contract.liability_cap {
            None => missing(&format!("a liability cap of at least {}", amount(need))),
            Some(have) => compare_money(
                term,
                have,
                need,
                "The contract caps liability at",
                "the policy requires at least",
                FindingCode::TermTooWeak,
                require.default_severity(),
            ),
        },
        Requirement::MinInsurance { amount: need } => match &contract.minimum_insurance {
            None => missing(&format!("cyber-insurance of at least {}", amount(need))),
            Some(have) => compare_money(
                term,
                have,
                need,
                "The contract requires cyber-insurance of",
                "the policy requires at least",
                FindingCode::TermTooWeak,
                require.default_severity(),
            ),
        },
        Requirement::MaxBreachNotificationHours { hours: limit } => {
            match contract.breach_notification_hours {
                None => missing(&format!("breach notification within {}", hours(*limit))),
                Some(have) if have > *limit => weak(format!(
                    "The contract allows breach notification within {}; the policy requires at most {}.",
                    hours(have),
                    hours(*limit)
                )),
                Some(_) => None,
            }
        }
        Requirement::MinSlaPercent { percent: need } => match contract.sla_percent {
            None => missing(&format!(
                "an availability SLA of at least {}",
                percent(*need)
            )),
            Some(have) if have < *need => weak(format!(
                "The contract's SLA is {}; the policy requires at least {}.",
                percent(have),
                percent(*need)
            )),
            Some(_) => None,
        },
        Requirement::MaxRpoHours { hours: limit } | Requirement::MaxRtoHours { hours: limit } => {
            let (have, what) = if matches!(require, Requirement::MaxRpoHours { .. }) {
                (contract.rpo_hours, "RPO")
            } else {
                (contract.rto_hours, "RTO")
            };
            match have {
                None => missing(&format!("an {what} of at most {}", hours(*limit))),
                Some(have) if have > *limit => weak(format!(
                    "The contract's {what} is {}; the policy requires at most {}.",
                    hours(have),
                    hours(*limit)
                )),
                Some(_) => None,
            }
        }
        Requirement::MinSubprocessorNoticeDays { days: need } => {
            match contract.subprocessor_notice_days {
                None => missing(&format!(
                    "{} of notice before a subprocessor changes",
                    days(*need)
                )),
                Some(have) if have < *need => weak(format!(
                    "The contract gives {} of notice before a subprocessor changes; the policy requires at least {}.",
                    days(have),
                    days(*need)
                )),
                Some(_) => None,
            }
        }
        Requirement::MaxDataReturnDays { days: limit } => match contract.data_return_days {
            None => missing(&format!(
                "data returned or deleted within {} of termination",
                days(*limit)
            )),
            Some(have) if have > *limit => weak(format!(
                "The contract returns data within {} of termination; the policy requires at most {}.",
                days(have),
                days(*limit)
            )),
            Some(_) => None,
        },
    }
}

/// When to remind people of the notice date, in days before it: 90 and 30 by default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<u32>", into = "Vec<u32>")]
pub struct ReminderOffsets(Vec<u32>);

/// The most reminders one contract gets.
pub const MAX_REMINDERS: usize = 10;

impl Default for ReminderOffsets {
    fn default() -> Self {
        ReminderOffsets(vec![90, 30])
    }
}

impl ReminderOffsets {
    /// Offsets from days before the notice date: at most [`MAX_REMINDERS`], each at most
    /// [`MAX_DAYS`], none twice. Kept from the earliest reminder to the latest.
    pub fn new(mut days: Vec<u32>) -> Result<Self, String> {
        if days.len() > MAX_REMINDERS {
            return Err(format!("At most {MAX_REMINDERS} reminders per contract."));
        }
        if days.iter().any(|d| *d > MAX_DAYS) {
            return Err(format!(
                "A reminder comes at most {MAX_DAYS} days before the notice date."
            ));
        }
        days.sort_unstable_by(|a, b| b.cmp(a));
        if days.windows(2).any(|w| w[0] == w[1]) {
            return Err("Each reminder is listed once.".to_owned());
        }
        Ok(ReminderOffsets(days))
    }

    pub fn days(&self) -> &[u32] {
        &self.0
    }
}

impl TryFrom<Vec<u32>> for ReminderOffsets {
    type Error = String;

    fn try_from(days: Vec<u32>) -> Result<Self, Self::Error> {
        ReminderOffsets::new(days)
    }
}

impl From<ReminderOffsets> for Vec<u32> {
    fn from(offsets: ReminderOffsets) -> Vec<u32> {
        offsets.0
    }
}

/// A reminder that the notice date of a renewal is coming.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reminder {
    pub days_before: u32,
    /// The day it is due.
    #[serde(with = "iso_date")]
    pub on: Date,
    #[serde(with = "iso_date")]
    pub notice_date: Date,
}

impl Reminder {
    /// "30 days left to give notice not to renew (by 1 Mar 2027)."
    pub fn message(&self) -> String {
        format!(
            "{} left to give notice not to renew (by {}).",
            days(self.days_before),
            long_date(self.notice_date)
        )
    }
}

/// The reminders due on `today` for a contract whose notice date is `notice_date`.
pub fn reminders_due(notice_date: Date, offsets: &ReminderOffsets, today: Date) -> Vec<Reminder> {
    reminders_between(notice_date, offsets, today.previous_day(), today)
}

/// The reminders due after `after` and up to `through` (both days), so a job that missed
/// days catches up without sending any twice; earliest first. `after: None`: from the
/// beginning of time.
pub fn reminders_between(
    notice_date: Date,
    offsets: &ReminderOffsets,
    after: Option<Date>,
    through: Date,
) -> Vec<Reminder> {
    offsets
        .0
        .iter()
        .filter_map(|&days_before| {
            let on = notice_date.checked_sub(Duration::days(i64::from(days_before)))?;
            (after.is_none_or(|a| on > a) && on <= through).then_some(Reminder {
                days_before,
                on,
                notice_date,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn eur(text: &str) -> Money {
        Money::parse(&format!("{text} EUR")).expect("money")
    }

    fn messages(findings: &[ContractFinding]) -> Vec<&str> {
        findings.iter().map(|f| f.message.as_str()).collect()
    }

    fn contract() -> Contract {
        Contract {
            breach_notification_hours: Some(72.0),
            right_to_audit: Some(true),
            dpa_signed: Some(date!(2026 - 01 - 15)),
            liability_cap: Some(eur("2000000")),
            minimum_insurance: Some(eur("5000000")),
            sla_percent: Some(99.9),
            rpo_hours: Some(4.0),
            rto_hours: Some(8.0),
            data_return_days: Some(30),
            staff_confidentiality: Some(true),
            subprocessor_notice_days: Some(30),
            right_to_object: Some(true),
            start_date: Some(date!(2026 - 01 - 01)),
            renewal_date: Some(date!(2027 - 01 - 01)),
            notice_date: Some(date!(2026 - 10 - 01)),
            ..Contract::default()
        }
    }

    #[test]
    fn sane_terms_have_no_problems_and_absurd_ones_are_named() {
        assert_eq!(contract().problems(), Vec::<Problem>::new());
        let absurd = Contract {
            breach_notification_hours: Some(f64::NAN),
            sla_percent: Some(100.5),
            rpo_hours: Some(-1.0),
            rto_hours: Some(f64::INFINITY),
            data_return_days: Some(100_000),
            data_return_format: Some("x".repeat(10_000)),
            governing_law: Some(GoverningLaw {
                country: Country::parse("GB").expect("GB"),
                jurisdiction: Some("   ".to_owned()),
            }),
            liability_cap: Some(Money {
                amount: f64::NAN,
                currency: "EUR".to_owned(),
            }),
            minimum_insurance: Some(Money {
                amount: 5.0,
                currency: "EURO".to_owned(),
            }),
            notice_date: Some(date!(2027 - 02 - 01)),
            renewal_date: Some(date!(2027 - 01 - 01)),
            ..Contract::default()
        };
        let fields: Vec<String> = absurd.problems().into_iter().map(|(f, _)| f).collect();
        assert_eq!(
            fields,
            [
                "breach_notification_hours",
                "rpo_hours",
                "rto_hours",
                "sla_percent",
                "data_return_days",
                "data_return_format",
                "governing_law.jurisdiction",
                "liability_cap",
                "minimum_insurance",
                "notice_date",
            ]
        );
        let notice = absurd
            .problems()
            .into_iter()
            .find(|(f, _)| f == "notice_date")
            .map(|(_, m)| m);
        assert_eq!(
            notice.as_deref(),
            Some(
                "The notice date (1 Feb 2027) is after the renewal date (1 Jan 2027): notice not to renew must come before it."
            )
        );
    }

    #[test]
    fn answers_weaker_than_the_contract_name_both_sides() {
        let answers = ContractAnswers {
            notice_hours: Some(96.0),
            sla_percent: Some(99.5),
            rpo_hours: Some(4.0),
            rto_hours: Some(24.0),
            insurance: Some(eur("1000000")),
            right_to_audit: Some(false),
            dpa: Some(true),
            subprocessor_notice_days: Some(14),
            ..ContractAnswers::default()
        };
        let findings = check_answers(&contract(), &answers);
        assert_eq!(
            messages(&findings),
            [
                "Breach notification answered 96 h; the contract requires at most 72 h.",
                "SLA answered 99.5 %; the contract requires 99.9 %.",
                "RTO answered 24 h; the contract requires at most 8 h.",
                "Subprocessor change notice answered 14 days; the contract requires 30 days.",
                "Cyber-insurance answered as 1,000,000 EUR; the contract requires 5,000,000 EUR.",
                "Right to audit answered no; the contract grants the client a right to audit.",
            ]
        );
        assert_eq!(findings[0].severity, Severity::High);
        assert_eq!(
            findings[0].key(),
            "contract:breach_notification:answer_falls_short"
        );
        assert!(
            findings
                .iter()
                .all(|f| f.code == FindingCode::AnswerFallsShort),
            "{findings:?}"
        );
    }

    #[test]
    fn answers_that_meet_the_contract_raise_nothing() {
        let answers = ContractAnswers {
            notice_hours: Some(24.0),
            sla_percent: Some(99.95),
            rpo_hours: Some(1.0),
            rto_hours: Some(8.0),
            insurance: Some(eur("5000000")),
            liability_cap: Some(eur("3000000")),
            right_to_audit: Some(true),
            dpa: Some(true),
            staff_confidentiality: Some(true),
            data_return_days: Some(10),
            right_to_object: Some(true),
            subprocessor_notice_days: Some(60),
            ..ContractAnswers::default()
        };
        assert_eq!(check_answers(&contract(), &answers), []);
        assert_eq!(
            check_answers(&Contract::default(), &answers),
            [],
            "nothing to compare with"
        );
    }

    #[test]
    fn amounts_in_two_currencies_are_not_compared() {
        let answers = ContractAnswers {
            insurance: Some(Money::parse("10000000 USD").expect("money")),
            ..ContractAnswers::default()
        };
        let findings = check_answers(&contract(), &answers);
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].code, FindingCode::CurrencyMismatch);
        assert_eq!(
            findings[0].message,
            "Cyber-insurance answered as 10,000,000 USD and the contract requires 5,000,000 EUR: amounts in USD and EUR cannot be compared without an exchange rate."
        );
    }

    #[test]
    fn the_liability_cap_is_held_to_the_clients_own_minimum() {
        let mut terms = contract();
        assert_eq!(terms.liability_shortfall(), None, "no minimum set");
        terms.required_liability_cap = Some(eur("5000000"));
        assert_eq!(
            terms.liability_shortfall().map(|f| f.message),
            Some(
                "The liability cap is 2,000,000 EUR; the required minimum is 5,000,000 EUR."
                    .to_owned()
            )
        );
        terms.liability_cap = None;
        assert_eq!(
            terms.liability_shortfall().map(|f| f.code),
            Some(FindingCode::TermMissing)
        );
    }

    fn policy() -> ContractPolicy {
        serde_json::from_value(serde_json::json!({
            "rules": [
                {"scope": {"data_types": ["personal", "health"]}, "require": {"term": "dpa"}},
                {"scope": {"min_criticality": "critical"}, "require": {"term": "right_to_audit"}},
                {"require": {"term": "min_liability_cap", "amount": "1000000 EUR"}},
                {"require": {"term": "max_breach_notification_hours", "hours": 48}},
                {"scope": {"min_tier": "high"}, "require": {"term": "min_sla_percent", "percent": 99.95}, "severity": "high"}
            ]
        }))
        .expect("a policy")
    }

    #[test]
    fn a_policy_flags_missing_and_weak_terms_for_vendors_in_scope() {
        let personal = BTreeSet::from([DataType::Personal]);
        let vendor = PolicySubject {
            data_types: &personal,
            criticality: Criticality::Critical,
            tier: RiskTier::High,
        };
        let bare = Contract {
            breach_notification_hours: Some(72.0),
            sla_percent: Some(99.9),
            ..Contract::default()
        };
        assert_eq!(policy().problems(), Vec::<Problem>::new());
        let findings = policy().check(&vendor, &bare);
        assert_eq!(
            messages(&findings),
            [
                "The policy requires a data processing agreement for vendors handling personal data or health data; the contract has none.",
                "The policy requires a right to audit for vendors of criticality Critical or above; the contract has none.",
                "The policy requires a liability cap of at least 1,000,000 EUR for every vendor; the contract has none.",
                "The contract allows breach notification within 72 h; the policy requires at most 48 h.",
                "The contract's SLA is 99.9 %; the policy requires at least 99.95 %.",
            ]
        );
        let severities: Vec<Severity> = findings.iter().map(|f| f.severity).collect();
        assert_eq!(
            severities,
            [
                Severity::High,
                Severity::High,
                Severity::Medium,
                Severity::High,
                Severity::High
            ]
        );
        let nothing = BTreeSet::new();
        let small = PolicySubject {
            data_types: &nothing,
            criticality: Criticality::Low,
            tier: RiskTier::Low,
        };
        let kinds: Vec<Term> = policy()
            .check(&small, &bare)
            .iter()
            .map(|f| f.term)
            .collect();
        assert_eq!(
            kinds,
            [Term::LiabilityCap, Term::BreachNotification],
            "out of scope: the DPA, audit and SLA rules"
        );
        assert_eq!(policy().check(&vendor, &contract_meeting_policy()), []);
    }

    fn contract_meeting_policy() -> Contract {
        Contract {
            breach_notification_hours: Some(24.0),
            sla_percent: Some(99.99),
            ..contract()
        }
    }

    #[test]
    fn an_absurd_policy_is_refused() {
        let policy = ContractPolicy {
            rules: vec![
                PolicyRule {
                    scope: Scope::default(),
                    require: Requirement::MaxBreachNotificationHours { hours: f64::NAN },
                    severity: None,
                },
                PolicyRule {
                    scope: Scope::default(),
                    require: Requirement::MinSlaPercent { percent: 101.0 },
                    severity: None,
                },
            ],
        };
        let fields: Vec<String> = policy.problems().into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["rules[0].require", "rules[1].require"]);
    }

    #[test]
    fn reminders_come_90_and_30_days_before_the_notice_date() {
        let notice = date!(2026 - 10 - 01);
        let offsets = ReminderOffsets::default();
        assert_eq!(
            reminders_due(notice, &offsets, date!(2026 - 07 - 02)).len(),
            0
        );
        let due = reminders_due(notice, &offsets, date!(2026 - 07 - 03));
        assert_eq!(due.len(), 1, "90 days before 1 Oct is 3 Jul");
        assert_eq!(
            due[0].message(),
            "90 days left to give notice not to renew (by 1 Oct 2026)."
        );
        assert_eq!(
            reminders_due(notice, &offsets, date!(2026 - 09 - 01))
                .iter()
                .map(|r| r.days_before)
                .collect::<Vec<_>>(),
            [30]
        );
        let missed = reminders_between(
            notice,
            &offsets,
            Some(date!(2026 - 06 - 30)),
            date!(2026 - 09 - 15),
        );
        assert_eq!(
            missed.iter().map(|r| r.days_before).collect::<Vec<_>>(),
            [90, 30]
        );
        assert_eq!(
            reminders_between(
                notice,
                &offsets,
                Some(date!(2026 - 09 - 01)),
                date!(2026 - 09 - 15)
            ),
            [],
            "already sent through 1 Sep"
        );
        assert_eq!(
            reminders_due(Date::MIN, &offsets, Date::MIN),
            [],
            "no day before the first"
        );
    }

    #[test]
    fn reminder_offsets_are_checked() {
        assert_eq!(
            ReminderOffsets::new(vec![30, 90, 7]).map(|o| o.0),
            Ok(vec![90, 30, 7])
        );
        assert!(ReminderOffsets::new(vec![30, 30]).is_err());
        assert!(ReminderOffsets::new(vec![100_000]).is_err());
        assert!(ReminderOffsets::new((0..20).collect()).is_err());
        assert!(serde_json::from_str::<ReminderOffsets>("[30, 30]").is_err());
    }

    #[test]
    fn scoring_compares_money_in_the_insurance_currency() {
        let mut terms = contract();
        assert_eq!(terms.currency(), Some("EUR"));
        terms.minimum_insurance = None;
        terms.liability_cap = Some(Money::parse("1000000 GBP").expect("money"));
        assert_eq!(terms.currency(), Some("GBP"));
    }

    #[test]
    fn a_dpa_is_in_place_when_said_or_dated() {
        let mut terms = Contract::default();
        assert_eq!(terms.has_dpa(), None);
        terms.dpa_in_place = Some(true);
        assert_eq!(terms.has_dpa(), Some(true));
        terms.dpa_in_place = None;
        terms.dpa_signed = Some(date!(2026 - 01 - 15));
        assert_eq!(terms.has_dpa(), Some(true));
        terms.dpa_in_place = Some(false);
        assert!(
            terms.problems().iter().any(|(f, _)| f == "dpa_in_place"),
            "a signing date with no DPA in place is a contradiction"
        );
    }

    #[test]
    fn answers_are_read_by_the_kind_of_their_term() {
        let mut answers = ContractAnswers::default();
        assert!(answers.set(AnsweredTerm::SlaPercent, "99.5"));
        assert!(answers.set(AnsweredTerm::RightToObject, "no"));
        assert!(answers.set(AnsweredTerm::LiabilityCap, "1000000 EUR"));
        assert!(answers.set(AnsweredTerm::DataReturnDays, "30"));
        assert!(
            !answers.set(AnsweredTerm::DataReturnDays, "-3"),
            "days are not negative"
        );
        assert!(!answers.set(AnsweredTerm::Dpa, "maybe"));
        assert!(!answers.set(AnsweredTerm::SlaPercent, "NaN"));
        assert_eq!(answers.sla_percent, Some(99.5));
        assert_eq!(answers.right_to_object, Some(false));
        assert_eq!(answers.data_return_days, Some(30));
        assert_eq!(
            answers.liability_cap.map(|m| m.to_string()),
            Some("1000000 EUR".to_owned())
        );
        let unknown: Result<AnsweredTerm, _> = serde_json::from_str("\"colour\"");
        assert!(unknown.is_err(), "unknown terms are refused");
    }

    #[test]
    fn contracts_round_trip_through_json() {
        let mut terms = contract();
        terms.governing_law = Some(GoverningLaw {
            country: Country::parse("GB").expect("GB"),
            jurisdiction: Some("England and Wales".to_owned()),
        });
        let json = serde_json::to_value(&terms).expect("serialises");
        assert_eq!(json["liability_cap"], "2000000 EUR");
        assert_eq!(json["governing_law"]["country"], "GB");
        let back: Contract = serde_json::from_value(json).expect("reads back");
        assert_eq!(back, terms);
        crate::named::assert_names_are_the_wire::<Term>();
        crate::named::assert_names_are_the_wire::<FindingCode>();
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn number() -> impl Strategy<Value = f64> {
            prop_oneof![
                Just(f64::NAN),
                Just(f64::INFINITY),
                Just(-1.0),
                0.0..10_000.0f64,
            ]
        }

        fn maybe<T: std::fmt::Debug + Clone>(
            s: impl Strategy<Value = T>,
        ) -> impl Strategy<Value = Option<T>> {
            proptest::option::of(s)
        }

        prop_compose! {
            fn answers()(
                notice_hours in maybe(number()),
                sla_percent in maybe(number()),
                rto_hours in maybe(number()),
                right_to_audit in maybe(any::<bool>()),
                dpa in maybe(any::<bool>()),
                subprocessor_notice_days in maybe(0u32..400),
                insurance in maybe((0.0..1e9f64, prop_oneof![Just("EUR"), Just("USD")])),
            ) -> ContractAnswers {
                ContractAnswers {
                    notice_hours,
                    sla_percent,
                    rto_hours,
                    right_to_audit,
                    dpa,
                    subprocessor_notice_days,
                    insurance: insurance.map(|(amount, currency)| Money { amount, currency: currency.to_owned() }),
                    ..ContractAnswers::default()
                }
            }
        }

        proptest! {
            #[test]
            fn answers_never_panic_and_every_finding_names_its_term(answers in answers()) {
                for finding in check_answers(&contract(), &answers) {
                    prop_assert!(!finding.message.is_empty());
                    prop_assert!(finding.message.ends_with('.'), "{}", finding.message);
                }
            }

            #[test]
            fn answering_exactly_the_contract_raises_nothing(answers in answers()) {
                let mut terms = contract();
                terms.breach_notification_hours = answers.notice_hours;
                terms.sla_percent = answers.sla_percent;
                terms.rto_hours = answers.rto_hours;
                terms.right_to_audit = answers.right_to_audit;
                terms.dpa_signed = answers.dpa.filter(|d| *d).map(|_| date!(2026 - 01 - 01));
                terms.subprocessor_notice_days = answers.subprocessor_notice_days;
                terms.minimum_insurance = answers.insurance.clone();
                prop_assert_eq!(check_answers(&terms, &answers), vec![]);
            }

            #[test]
            fn a_stricter_answer_never_adds_a_finding(answers in answers(), better in 0.0..100.0f64) {
                let before = check_answers(&contract(), &answers).len();
                let stricter = ContractAnswers {
                    notice_hours: answers.notice_hours.map(|h| h - better),
                    rto_hours: answers.rto_hours.map(|h| h - better),
                    sla_percent: answers.sla_percent.map(|p| p + better),
                    ..answers
                };
                prop_assert!(check_answers(&contract(), &stricter).len() <= before);
            }

            #[test]
            fn validation_never_panics(
                hours in maybe(number()),
                sla in maybe(number()),
                days in maybe(any::<u32>()),
                text in maybe("\\PC{0,300}"),
                a in maybe(-3000i32..3000),
                b in maybe(-3000i32..3000),
            ) {
                let day = |n: i32| date!(2026 - 01 - 01).checked_add(Duration::days(i64::from(n)));
                let terms = Contract {
                    breach_notification_hours: hours,
                    sla_percent: sla,
                    data_return_days: days,
                    data_return_format: text,
                    notice_date: a.and_then(day),
                    renewal_date: b.and_then(day),
                    ..Contract::default()
                };
                for (field, message) in terms.problems() {
                    prop_assert!(!field.is_empty() && !message.is_empty());
                }
            }
        }
    }
}
