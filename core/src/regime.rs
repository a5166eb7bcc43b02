//! Regulatory regimes and their incident-reporting clocks (#17): GDPR, UK GDPR, NIS2,
//! DORA, HIPAA and the SEC's Form 8-K, shipped in `core/data/regimes.json` with the
//! article and a source for every clock. Which regimes apply to a client and a vendor,
//! which clock is the strictest, and the breach-notification hours to propose for the
//! vendor's contract.
//!
//! Some clocks are "without undue delay" and name no hours (GDPR Art. 33(2), the vendor's
//! own duty as processor). They are kept as such, never turned into a number: a proposal
//! comes only from clocks with hours, and says which prompt-only duties apply beside it.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::contract::{MAX_HOURS, Problem};
use crate::country::{Country, Region};
use crate::named;
use crate::risk::DataType;
use crate::text::figure;

/// The shipped presets, as published in the data file.
pub const REGIMES_JSON: &str = include_str!("../data/regimes.json");

/// The fewest hours a proposal names, unless a clock itself allows fewer: a contract
/// that asks for notice within minutes is one nobody can keep.
pub const MIN_PROPOSED_HOURS: f64 = 1.0;

/// What the client is, in the terms regulations use to say whom they bind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sector {
    /// A financial entity under DORA Art. 2 (banks, insurers, investment firms, …).
    FinancialEntity,
    /// An essential entity under NIS2 Art. 3(1).
    Nis2Essential,
    /// An important entity under NIS2 Art. 3(2).
    Nis2Important,
    /// A HIPAA covered entity (health plan, clearinghouse, provider; 45 CFR 160.103).
    HipaaCoveredEntity,
    /// A domestic registrant filing Form 8-K with the US SEC.
    SecRegistrant,
}

named!(Sector {
    FinancialEntity => "financial_entity", "Financial entity (DORA)";
    Nis2Essential => "nis2_essential", "Essential entity (NIS2)";
    Nis2Important => "nis2_important", "Important entity (NIS2)";
    HipaaCoveredEntity => "hipaa_covered_entity", "Covered entity (HIPAA)";
    SecRegistrant => "sec_registrant", "SEC registrant";
});

/// The client organisation as the regimes see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClientProfile {
    /// Where the client is established.
    pub country: Country,
    #[serde(default)]
    pub sectors: BTreeSet<Sector>,
    /// Hours the client keeps for itself between the vendor's notice and its own
    /// deadline (to assess, decide, write the report).
    #[serde(default = "default_margin")]
    pub margin_hours: f64,
}

fn default_margin() -> f64 {
    24.0
}

/// Who reports, seen from the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Party {
    Client,
    Vendor,
}

named!(Party {
    Client => "client", "The client";
    Vendor => "vendor", "The vendor";
});

/// The moment a clock starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockStart {
    /// Becoming aware of the breach or incident.
    Awareness,
    /// Discovery: the first day it is known, or would be with reasonable diligence.
    Discovery,
    /// Classifying the incident (DORA: as major).
    Classification,
    /// Determining that the incident is material (SEC).
    MaterialityDetermination,
    /// Submitting the previous report.
    PreviousReport,
}

named!(ClockStart {
    Awareness => "awareness", "becoming aware";
    Discovery => "discovery", "discovery";
    Classification => "classification", "classification as major";
    MaterialityDetermination => "materiality_determination", "determining materiality";
    PreviousReport => "previous_report", "the previous report";
});

/// A span a regulation counts in.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Span {
    Hours(f64),
    CalendarDays(u32),
    BusinessDays(u32),
    Months(u32),
}

impl Span {
    /// The fewest hours the span can last, for comparing clocks: business days count
    /// 24 hours each (no weekend between), months 28 days each.
    pub fn min_hours(self) -> f64 {
        match self {
            Span::Hours(h) => h,
            Span::CalendarDays(d) | Span::BusinessDays(d) => f64::from(d) * 24.0,
            Span::Months(m) => f64::from(m) * 28.0 * 24.0,
        }
    }

    /// "72 hours", "4 business days", "1 month".
    pub fn describe(self) -> String {
        let plural = |n: u32, one: &str, many: &str| {
            if n == 1 {
                format!("1 {one}")
            } else {
                format!("{n} {many}")
            }
        };
        match self {
            Span::Hours(1.0) => "1 hour".to_owned(),
            Span::Hours(h) => format!("{} hours", figure(h)),
            Span::CalendarDays(d) => plural(d, "calendar day", "calendar days"),
            Span::BusinessDays(d) => plural(d, "business day", "business days"),
            Span::Months(m) => plural(m, "month", "months"),
        }
    }

    fn problem(self) -> Option<&'static str> {
        let hours = self.min_hours();
        (!(hours.is_finite() && hours > 0.0 && hours <= MAX_HOURS))
            .then_some("A clock runs for more than 0 hours and at most a year.")
    }
}

/// A second limit that holds whatever the first: DORA's initial notification is due 4
/// hours after classification but at most 24 hours after becoming aware.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Backstop {
    pub limit: Span,
    pub starts: ClockStart,
}

/// How this review checked a clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verification {
    /// Against the provision's wording, as reproduced at `checked_at`.
    Text,
    /// Against secondary summaries only.
    Summary,
    /// Entered by the organisation.
    Organisation,
}

/// One reporting duty: who reports to whom, from when, within what.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Clock {
    /// Stable within its regime (`art33_1`); overrides refer to it.
    pub id: String,
    pub article: String,
    pub stage: String,
    pub reporter: Party,
    pub recipient: String,
    pub starts: ClockStart,
    /// The hours, days or months it allows; `None` when it names none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<Span>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backstop: Option<Backstop>,
    /// The report is due "without undue delay" (or "without unreasonable delay"),
    /// whatever limit follows.
    #[serde(default)]
    pub without_undue_delay: bool,
    /// The first report of an incident: the one a vendor's notice must come before.
    pub first_notice: bool,
    pub verification: Verification,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub checked_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Clock {
    /// The fewest hours the clock can allow from its start; `None` for a clock that names
    /// no number (only "without undue delay").
    pub fn hours(&self) -> Option<f64> {
        [self.limit, self.backstop.map(|b| b.limit)]
            .into_iter()
            .flatten()
            .map(Span::min_hours)
            .reduce(f64::min)
    }

    /// "Within 4 hours of classification as major, and at most 24 hours after becoming aware".
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if self.without_undue_delay {
            parts.push("without undue delay".to_owned());
        }
        if let Some(limit) = self.limit {
            parts.push(format!(
                "within {} of {}",
                limit.describe(),
                self.starts.label()
            ));
        }
        if let Some(backstop) = self.backstop {
            parts.push(format!(
                "at most {} after {}",
                backstop.limit.describe(),
                backstop.starts.label()
            ));
        }
        crate::text::capitalised(&parts.join(", and "))
    }
}

/// When a regime applies: every condition given must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Applicability {
    /// The client is established in one of these regions, or one of `client_countries`;
    /// both empty: anywhere.
    pub client_regions: BTreeSet<Region>,
    pub client_countries: BTreeSet<Country>,
    /// The client is any of these; empty: whatever it is.
    pub sectors: BTreeSet<Sector>,
    /// The vendor handles any of these; empty: whatever it handles.
    pub data_types: BTreeSet<DataType>,
}

impl Applicability {
    fn holds(&self, client: &ClientProfile, data_types: &BTreeSet<DataType>) -> bool {
        let anywhere = self.client_regions.is_empty() && self.client_countries.is_empty();
        (anywhere
            || self.client_countries.contains(&client.country)
            || self.client_regions.iter().any(|r| client.country.is_in(*r)))
            && (self.sectors.is_empty() || !self.sectors.is_disjoint(&client.sectors))
            && (self.data_types.is_empty() || !self.data_types.is_disjoint(data_types))
    }
}

/// A regulation's reporting duties and when they apply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Regime {
    pub id: String,
    pub name: String,
    pub instrument: String,
    pub source: String,
    pub applies: Applicability,
    pub clocks: Vec<Clock>,
}

/// The shipped file.
#[derive(Debug, Clone, Deserialize)]
struct RegimeFile {
    version: String,
    regimes: Vec<Regime>,
}

/// The version of the shipped presets, stored with a proposal.
pub fn presets_version() -> Result<String, Vec<Problem>> {
    read(REGIMES_JSON).map(|(version, _)| version)
}

/// The shipped presets, read and checked.
pub fn presets() -> Result<Vec<Regime>, Vec<Problem>> {
    read(REGIMES_JSON).map(|(_, regimes)| regimes)
}

fn read(json: &str) -> Result<(String, Vec<Regime>), Vec<Problem>> {
    let file: RegimeFile = serde_json::from_str(json).map_err(|e| {
        vec![(
            "regimes".to_owned(),
            format!("The regimes file is not valid: {e}"),
        )]
    })?;
    let problems = problems(&file.regimes);
    if problems.is_empty() {
        Ok((file.version, file.regimes))
    } else {
        Err(problems)
    }
}

const MAX_TEXT: usize = 500;

fn identifier(text: &str) -> bool {
    (1..=40).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// Every problem with a set of regimes, as `(field, message)`.
pub fn problems(regimes: &[Regime]) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut ids = BTreeSet::new();
    for (i, regime) in regimes.iter().enumerate() {
        let at = |field: &str| format!("regimes[{i}].{field}");
        if !identifier(&regime.id) {
            out.push((
                at("id"),
                "An id is 1 to 40 lower-case letters, digits or _.".to_owned(),
            ));
        } else if !ids.insert(regime.id.as_str()) {
            out.push((at("id"), format!("“{}” is listed twice.", regime.id)));
        }
        for (field, text) in [("name", &regime.name), ("instrument", &regime.instrument)] {
            if text.trim().is_empty() || text.chars().count() > MAX_TEXT {
                out.push((
                    at(field),
                    format!("Give the {field}, in at most {MAX_TEXT} characters."),
                ));
            }
        }
        if !regime.source.starts_with("https://") || regime.source.len() > MAX_TEXT {
            out.push((
                at("source"),
                "Give the source as an https:// address.".to_owned(),
            ));
        }
        if regime.clocks.is_empty() || regime.clocks.len() > 20 {
            out.push((at("clocks"), "A regime has 1 to 20 clocks.".to_owned()));
        }
        let mut clock_ids = BTreeSet::new();
        for (j, clock) in regime.clocks.iter().enumerate() {
            let at = |field: &str| format!("regimes[{i}].clocks[{j}].{field}");
            if !identifier(&clock.id) {
                out.push((
                    at("id"),
                    "An id is 1 to 40 lower-case letters, digits or _.".to_owned(),
                ));
            } else if !clock_ids.insert(clock.id.as_str()) {
                out.push((at("id"), format!("“{}” is listed twice.", clock.id)));
            }
            for (field, text) in [
                ("article", &clock.article),
                ("stage", &clock.stage),
                ("recipient", &clock.recipient),
            ] {
                if text.trim().is_empty() || text.chars().count() > MAX_TEXT {
                    out.push((
                        at(field),
                        format!("Give the {field}, in at most {MAX_TEXT} characters."),
                    ));
                }
            }
            if clock
                .note
                .as_ref()
                .is_some_and(|n| n.chars().count() > 2 * MAX_TEXT)
                || clock.checked_at.chars().count() > MAX_TEXT
            {
                out.push((at("note"), "The note is too long.".to_owned()));
            }
            if clock.limit.is_none() && clock.backstop.is_none() && !clock.without_undue_delay {
                out.push((
                    at("limit"),
                    "A clock needs hours, days or months, or to be “without undue delay”."
                        .to_owned(),
                ));
            }
            for span in [clock.limit, clock.backstop.map(|b| b.limit)]
                .into_iter()
                .flatten()
            {
                if let Some(message) = span.problem() {
                    out.push((at("limit"), message.to_owned()));
                }
            }
        }
    }
    out
}

/// An organisation's changes to one clock.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ClockOverride {
    pub limit: Option<Span>,
    pub without_undue_delay: Option<bool>,
}

/// An organisation's changes to one regime.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RegimeOverride {
    /// `Some(false)`: the organisation does not want this regime considered.
    pub enabled: Option<bool>,
    /// By clock id.
    pub clocks: BTreeMap<String, ClockOverride>,
}

/// An organisation's changes to the presets, by regime id.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RegimeOverrides {
    pub regimes: BTreeMap<String, RegimeOverride>,
}

/// The presets with the organisation's changes: disabled regimes left out, edited clocks
/// replaced (and marked as the organisation's). An override naming a regime or clock the
/// presets lack, or leaving a clock without any limit, is a problem, not ignored.
pub fn merge(presets: &[Regime], overrides: &RegimeOverrides) -> Result<Vec<Regime>, Vec<Problem>> {
    let mut out = Vec::new();
    let mut problems_found = Vec::new();
    for id in overrides.regimes.keys() {
        if !presets.iter().any(|r| &r.id == id) {
            problems_found.push((
                format!("regimes.{id}"),
                format!("There is no regime “{id}”."),
            ));
        }
    }
    for regime in presets {
        let Some(change) = overrides.regimes.get(&regime.id) else {
            out.push(regime.clone());
            continue;
        };
        for clock_id in change.clocks.keys() {
            if !regime.clocks.iter().any(|c| &c.id == clock_id) {
                problems_found.push((
                    format!("regimes.{}.clocks.{clock_id}", regime.id),
                    format!("{} has no clock “{clock_id}”.", regime.name),
                ));
            }
        }
        if change.enabled == Some(false) {
            continue;
        }
        let mut regime = regime.clone();
        for clock in &mut regime.clocks {
            if let Some(edit) = change.clocks.get(&clock.id) {
                if let Some(limit) = edit.limit {
                    clock.limit = Some(limit);
                }
                if let Some(prompt) = edit.without_undue_delay {
                    clock.without_undue_delay = prompt;
                }
                clock.verification = Verification::Organisation;
            }
        }
        out.push(regime);
    }
    problems_found.extend(
        problems(&out)
            .into_iter()
            .map(|(field, message)| (format!("overrides: {field}"), message)),
    );
    if problems_found.is_empty() {
        Ok(out)
    } else {
        Err(problems_found)
    }
}

/// The regimes that apply to the client for a vendor handling `data_types`.
pub fn applicable<'a>(
    regimes: &'a [Regime],
    client: &ClientProfile,
    data_types: &BTreeSet<DataType>,
) -> Vec<&'a Regime> {
    regimes
        .iter()
        .filter(|r| r.applies.holds(client, data_types))
        .collect()
}

/// A clock and the regime it belongs to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RegimeClock<'a> {
    pub regime: &'a Regime,
    pub clock: &'a Clock,
}

impl RegimeClock<'_> {
    /// "DORA Art. 19(4)(a)".
    pub fn citation(&self) -> String {
        format!("{} {}", self.regime.name, self.clock.article)
    }
}

/// The first-notice clock with the fewest hours among `regimes`, and its hours; `None`
/// when none names a number. Ties go to the regime listed first.
pub fn strictest_clock<'a>(regimes: &[&'a Regime]) -> Option<(RegimeClock<'a>, f64)> {
    let mut best: Option<(RegimeClock<'a>, f64)> = None;
    for regime in regimes {
        for clock in regime.clocks.iter().filter(|c| c.first_notice) {
            if let Some(hours) = clock.hours().filter(|h| h.is_finite())
                && best.as_ref().is_none_or(|(_, b)| hours < *b)
            {
                best = Some((RegimeClock { regime, clock }, hours));
            }
        }
    }
    best
}

/// The breach-notification hours to propose for a vendor's contract, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Proposal {
    /// `None` when no applicable clock names hours.
    pub hours: Option<f64>,
    /// The clock that drove it ("DORA Art. 19(4)(a)").
    pub driven_by: Option<String>,
    pub strictest_hours: Option<f64>,
    /// First-notice duties that are "without undue delay" with no hours of their own.
    pub prompt_only: Vec<String>,
    /// For people: what was proposed and why.
    pub explanation: String,
}

/// The strictest numeric first-notice clock among `regimes` less the client's margin,
/// never above that clock and never below [`MIN_PROPOSED_HOURS`] (or the clock itself,
/// if it allows fewer). Duties "without undue delay" name no hours: they are listed, and
/// the explanation says the proposal is the latest the contract may allow, not a target.
/// A margin that is not a number of hours from 0 counts as 0.
pub fn propose_notification_hours(regimes: &[&Regime], margin_hours: f64) -> Proposal {
    let margin = if margin_hours.is_finite() && margin_hours > 0.0 {
        margin_hours
    } else {
        0.0
    };
    let prompt_only: Vec<String> = regimes
        .iter()
        .flat_map(|regime| {
            regime
                .clocks
                .iter()
                .filter(|c| c.first_notice && c.without_undue_delay && c.hours().is_none())
                .map(move |clock| RegimeClock { regime, clock }.citation())
        })
        .collect();
    let prompt_note = if prompt_only.is_empty() {
        String::new()
    } else {
        format!(
            " {} also {} notice without undue delay, which is no number of hours: ask the vendor to notify as soon as it can, and at the latest by the hours agreed.",
            prompt_only.join(" and "),
            if prompt_only.len() == 1 {
                "asks for"
            } else {
                "ask for"
            }
        )
    };
    let Some((driver, strictest)) = strictest_clock(regimes) else {
        let explanation = if regimes.is_empty() {
            "No regime applies to this vendor, so there is no regulatory clock to propose hours from.".to_owned()
        } else {
            format!(
                "No applicable clock names a number of hours, so no figure is proposed; agree one with the vendor.{prompt_note}"
            )
        };
        return Proposal {
            hours: None,
            driven_by: None,
            strictest_hours: None,
            prompt_only,
            explanation,
        };
    };
    let floor = MIN_PROPOSED_HOURS.min(strictest);
    let hours = (strictest - margin).max(floor).min(strictest);
    let citation = driver.citation();
    let explanation = format!(
        "{} h: {citation} requires notice {}, to {}; less the {} h the organisation keeps for itself{}.{prompt_note}",
        figure(hours),
        driver.clock.describe().to_ascii_lowercase(),
        driver.clock.recipient,
        figure(margin),
        if hours > strictest - margin {
            format!(", but no less than {} h", figure(floor))
        } else {
            String::new()
        }
    );
    Proposal {
        hours: Some(hours),
        driven_by: Some(citation),
        strictest_hours: Some(strictest),
        prompt_only,
        explanation,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> Vec<Regime> {
        match presets() {
            Ok(regimes) => regimes,
            Err(problems) => panic!("the shipped regimes are invalid: {problems:?}"),
        }
    }

    fn client(country: &str, sectors: &[Sector]) -> ClientProfile {
        ClientProfile {
            country: Country::parse(country).expect("a country"),
            sectors: sectors.iter().copied().collect(),
            margin_hours: 24.0,
        }
    }

    fn ids(regimes: &[&Regime]) -> Vec<String> {
        regimes.iter().map(|r| r.id.clone()).collect()
    }

    fn personal() -> BTreeSet<DataType> {
        BTreeSet::from([DataType::Personal])
    }

    #[test]
    fn the_shipped_file_parses_and_every_clock_cites_its_source() {
        let regimes = shipped();
        assert_eq!(
            regimes.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
            ["gdpr", "uk_gdpr", "nis2", "dora", "hipaa", "sec_8k"]
        );
        assert!(presets_version().is_ok_and(|v| !v.is_empty()));
        for regime in &regimes {
            assert!(regime.source.starts_with("https://"), "{}", regime.id);
            for clock in &regime.clocks {
                assert!(
                    clock.checked_at.starts_with("https://"),
                    "{} {} says where it was checked",
                    regime.id,
                    clock.id
                );
            }
        }
    }

    #[test]
    fn the_clocks_say_what_the_regulations_say() {
        let regimes = shipped();
        let clock = |regime: &str, id: &str| {
            regimes
                .iter()
                .find(|r| r.id == regime)
                .and_then(|r| r.clocks.iter().find(|c| c.id == id))
                .cloned()
                .expect("the clock")
        };
        assert_eq!(clock("gdpr", "art33_1").hours(), Some(72.0));
        assert_eq!(
            clock("gdpr", "art33_2").hours(),
            None,
            "without undue delay"
        );
        assert_eq!(clock("nis2", "art23_4_a").hours(), Some(24.0));
        let dora = clock("dora", "art19_4_a");
        assert_eq!(dora.hours(), Some(4.0));
        assert_eq!(
            dora.describe(),
            "Within 4 hours of classification as major, and at most 24 hours after becoming aware"
        );
        assert_eq!(
            clock("hipaa", "164_410").hours(),
            Some(1440.0),
            "60 calendar days"
        );
        assert_eq!(
            clock("sec_8k", "item_1_05").hours(),
            Some(96.0),
            "4 business days at least"
        );
    }

    #[test]
    fn regimes_apply_by_region_sector_and_data() {
        let regimes = shipped();
        let none = BTreeSet::new();
        assert_eq!(
            ids(&applicable(&regimes, &client("DE", &[]), &personal())),
            ["gdpr"]
        );
        assert_eq!(
            ids(&applicable(&regimes, &client("DE", &[]), &none)),
            Vec::<String>::new()
        );
        assert_eq!(
            ids(&applicable(
                &regimes,
                &client("NO", &[Sector::FinancialEntity]),
                &personal()
            )),
            ["gdpr"],
            "DORA is listed for the EU only"
        );
        assert_eq!(
            ids(&applicable(
                &regimes,
                &client("FR", &[Sector::FinancialEntity, Sector::Nis2Essential]),
                &none
            )),
            ["nis2", "dora"]
        );
        assert_eq!(
            ids(&applicable(&regimes, &client("GB", &[]), &personal())),
            ["uk_gdpr"]
        );
        let health = BTreeSet::from([DataType::Health]);
        assert_eq!(
            ids(&applicable(
                &regimes,
                &client("US", &[Sector::HipaaCoveredEntity, Sector::SecRegistrant]),
                &health
            )),
            ["hipaa", "sec_8k"]
        );
    }

    #[test]
    fn the_proposal_follows_the_strictest_clock_less_the_margin() {
        let regimes = shipped();
        let gdpr_only = applicable(&regimes, &client("DE", &[]), &personal());
        let proposal = propose_notification_hours(&gdpr_only, 24.0);
        assert_eq!(proposal.hours, Some(48.0));
        assert_eq!(proposal.driven_by.as_deref(), Some("GDPR Art. 33(1)"));
        assert_eq!(proposal.prompt_only, ["GDPR Art. 33(2)"]);
        assert_eq!(
            proposal.explanation,
            "48 h: GDPR Art. 33(1) requires notice without undue delay, and within 72 hours of becoming aware, to the competent supervisory authority; less the 24 h the organisation keeps for itself. GDPR Art. 33(2) also asks for notice without undue delay, which is no number of hours: ask the vendor to notify as soon as it can, and at the latest by the hours agreed."
        );
        let bank = applicable(
            &regimes,
            &client("DE", &[Sector::FinancialEntity, Sector::Nis2Essential]),
            &personal(),
        );
        let proposal = propose_notification_hours(&bank, 24.0);
        assert_eq!(
            proposal.driven_by.as_deref(),
            Some("DORA Art. 19(4)(a); Delegated Regulation (EU) 2025/301 Art. 5")
        );
        assert_eq!(proposal.strictest_hours, Some(4.0));
        assert_eq!(
            proposal.hours,
            Some(MIN_PROPOSED_HOURS),
            "4 h less 24 h, held at the minimum"
        );
        assert!(
            proposal.explanation.contains("but no less than 1 h"),
            "{}",
            proposal.explanation
        );
    }

    #[test]
    fn without_numeric_clocks_nothing_is_proposed_and_the_reason_is_given() {
        let regimes = shipped();
        let gdpr = regimes.iter().find(|r| r.id == "gdpr").expect("gdpr");
        let processor_only = Regime {
            clocks: gdpr
                .clocks
                .iter()
                .filter(|c| c.id == "art33_2")
                .cloned()
                .collect(),
            ..gdpr.clone()
        };
        let proposal = propose_notification_hours(&[&processor_only], 24.0);
        assert_eq!(proposal.hours, None);
        assert!(
            proposal
                .explanation
                .starts_with("No applicable clock names a number of hours")
        );
        assert_eq!(
            propose_notification_hours(&[], 24.0).explanation,
            "No regime applies to this vendor, so there is no regulatory clock to propose hours from."
        );
    }

    #[test]
    fn organisations_edit_and_disable_presets_and_mistakes_are_named() {
        let regimes = shipped();
        let overrides: RegimeOverrides = serde_json::from_value(serde_json::json!({
            "regimes": {
                "gdpr": {"clocks": {"art33_1": {"limit": {"hours": 48}}}},
                "sec_8k": {"enabled": false}
            }
        }))
        .expect("overrides");
        let merged = merge(&regimes, &overrides).expect("valid overrides");
        assert!(!merged.iter().any(|r| r.id == "sec_8k"), "disabled");
        let gdpr = merged.iter().find(|r| r.id == "gdpr").expect("gdpr");
        assert_eq!(gdpr.clocks[0].hours(), Some(48.0));
        assert_eq!(gdpr.clocks[0].verification, Verification::Organisation);

        let wrong: RegimeOverrides = serde_json::from_value(serde_json::json!({
            "regimes": {
                "gdrp": {"enabled": false},
                "nis2": {"clocks": {"art99": {}, "art23_4_a": {"limit": {"hours": -5}}}}
            }
        }))
        .expect("well-formed overrides");
        let fields: Vec<String> = merge(&regimes, &wrong)
            .expect_err("invalid overrides")
            .into_iter()
            .map(|(f, _)| f)
            .collect();
        assert_eq!(
            fields,
            [
                "regimes.gdrp",
                "regimes.nis2.clocks.art99",
                "overrides: regimes[2].clocks[0].limit"
            ]
        );
        assert!(
            serde_json::from_value::<RegimeOverrides>(
                serde_json::json!({"regimes": {"gdpr": {"enable": false}}})
            )
            .is_err(),
            "a misspelt field is refused, not ignored"
        );
    }

    #[test]
    fn names_are_the_wire() {
        crate::named::assert_names_are_the_wire::<Sector>();
        crate::named::assert_names_are_the_wire::<Party>();
        crate::named::assert_names_are_the_wire::<ClockStart>();
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn span() -> impl Strategy<Value = Option<Span>> {
            proptest::option::of(prop_oneof![
                (0.0..2000.0f64).prop_map(Span::Hours),
                (0u32..100).prop_map(Span::CalendarDays),
                (0u32..30).prop_map(Span::BusinessDays),
                (0u32..12).prop_map(Span::Months),
            ])
        }

        fn regime() -> impl Strategy<Value = Regime> {
            proptest::collection::vec((span(), span(), any::<bool>(), any::<bool>()), 1..5)
                .prop_map(|clocks| Regime {
                    id: "r".to_owned(),
                    name: "R".to_owned(),
                    instrument: "R".to_owned(),
                    source: "https://example.org".to_owned(),
                    applies: Applicability::default(),
                    clocks: clocks
                        .into_iter()
                        .enumerate()
                        .map(|(i, (limit, backstop, prompt, first))| Clock {
                            id: format!("c{i}"),
                            article: format!("Art. {i}"),
                            stage: "Report".to_owned(),
                            reporter: Party::Client,
                            recipient: "the authority".to_owned(),
                            starts: ClockStart::Awareness,
                            limit,
                            backstop: backstop.map(|limit| Backstop {
                                limit,
                                starts: ClockStart::Awareness,
                            }),
                            without_undue_delay: prompt,
                            first_notice: first,
                            verification: Verification::Organisation,
                            checked_at: String::new(),
                            note: None,
                        })
                        .collect(),
                })
        }

        proptest! {
            #[test]
            fn the_proposal_never_exceeds_the_strictest_numeric_clock(
                regimes in proptest::collection::vec(regime(), 0..4),
                margin in prop_oneof![Just(f64::NAN), Just(-3.0), 0.0..200.0f64],
            ) {
                let refs: Vec<&Regime> = regimes.iter().collect();
                let proposal = propose_notification_hours(&refs, margin);
                let strictest = refs
                    .iter()
                    .flat_map(|r| r.clocks.iter())
                    .filter(|c| c.first_notice)
                    .filter_map(Clock::hours)
                    .reduce(f64::min);
                prop_assert_eq!(proposal.strictest_hours, strictest);
                match (proposal.hours, strictest) {
                    (Some(hours), Some(limit)) => {
                        prop_assert!(hours <= limit, "{} > {}", hours, limit);
                        prop_assert!(hours >= MIN_PROPOSED_HOURS.min(limit));
                    }
                    (None, None) => {}
                    other => prop_assert!(false, "hours and strictest disagree: {:?}", other),
                }
                prop_assert!(!proposal.explanation.is_empty());
            }

            #[test]
            fn a_larger_margin_never_proposes_more_hours(
                regimes in proptest::collection::vec(regime(), 1..4),
                margin in 0.0..100.0f64,
                more in 0.0..100.0f64,
            ) {
                let refs: Vec<&Regime> = regimes.iter().collect();
                let a = propose_notification_hours(&refs, margin).hours;
                let b = propose_notification_hours(&refs, margin + more).hours;
                prop_assert!(b <= a, "{:?} > {:?}", b, a);
            }

            #[test]
            fn overrides_never_panic(json in "\\PC{0,200}") {
                if let Ok(overrides) = serde_json::from_str::<RegimeOverrides>(&json) {
                    let _ = merge(&shipped(), &overrides);
                }
            }
        }
    }
}
