//! International transfers of personal data (#17): the dated adequacy lists of the EU
//! (for the EEA), the UK and Switzerland, shipped in `core/data/adequacy.json` with their
//! sources; the transfer mechanisms; and the transfer rule.
//!
//! The rule: personal data leaving the client's own region (the EEA, the UK or
//! Switzerland) for a country without adequacy, or with partial adequacy whose condition
//! the recipient does not meet, and without a valid mechanism, is a High finding naming
//! the country, the recipient and what is missing. Inside the region, and for data that
//! is not personal, nothing is checked. Where a shipped list is known to be incomplete, a
//! country missing from it gives a Medium "not confirmed" finding instead of a High one.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::contract::{ContractFinding, FindingCode, Problem, Term, iso_date};
use crate::country::{Country, Region};
use crate::named;
use crate::risk::DataType;
use crate::template::Severity;
use crate::text::long_date;

/// The shipped adequacy lists.
pub const ADEQUACY_JSON: &str = include_str!("../data/adequacy.json");

/// What a recipient must be for a partial adequacy decision to cover it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    /// On the EU-US Data Privacy Framework List.
    EuUsDpf,
    /// Certified to the UK Extension to the EU-US Data Privacy Framework.
    UkExtensionDpf,
    /// Certified to the Swiss-US Data Privacy Framework.
    SwissUsDpf,
    /// Subject to Canada's PIPEDA (commercial organisations).
    Pipeda,
    /// A business operator subject to Japan's APPI (private sector).
    Appi,
}

impl Condition {
    /// Its name on a checkbox ("EU-US Data Privacy Framework").
    pub fn short_label(self) -> &'static str {
        match self {
            Condition::EuUsDpf => "EU-US Data Privacy Framework",
            Condition::UkExtensionDpf => "UK Extension to the Data Privacy Framework",
            Condition::SwissUsDpf => "Swiss-US Data Privacy Framework",
            Condition::Pipeda => "PIPEDA (Canada, commercial organisations)",
            Condition::Appi => "APPI (Japan, private sector)",
        }
    }
}

named!(Condition {
    EuUsDpf => "eu_us_dpf", "certified under the EU-US Data Privacy Framework";
    UkExtensionDpf => "uk_extension_dpf", "certified to the UK Extension to the Data Privacy Framework";
    SwissUsDpf => "swiss_us_dpf", "certified under the Swiss-US Data Privacy Framework";
    Pipeda => "pipeda", "a commercial organisation subject to PIPEDA";
    Appi => "appi", "a private-sector business operator subject to the APPI";
});

/// How a transfer is made lawful.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Mechanism {
    /// An adequacy decision covers the destination (checked, not taken on trust).
    Adequacy,
    /// The EU Standard Contractual Clauses (Implementing Decision (EU) 2021/914), module
    /// 1 (controller to controller) to 4 (processor to controller).
    Scc {
        module: u8,
    },
    BindingCorporateRules,
    /// The UK International Data Transfer Agreement.
    UkIdta,
    /// The UK Addendum to the EU Standard Contractual Clauses.
    UkAddendum,
    /// A derogation for a specific situation (GDPR Art. 49).
    Derogation,
    None,
}

impl Mechanism {
    /// Every mechanism as a choice: its id (in forms and in a register table's cells), the
    /// mechanism, and its label on a form or in a table.
    pub const OPTIONS: [(&'static str, Mechanism, &'static str); 10] = [
        ("none", Mechanism::None, "None recorded"),
        ("adequacy", Mechanism::Adequacy, "Adequacy decision"),
        (
            "scc1",
            Mechanism::Scc { module: 1 },
            "Standard Contractual Clauses, module 1",
        ),
        (
            "scc2",
            Mechanism::Scc { module: 2 },
            "Standard Contractual Clauses, module 2",
        ),
        (
            "scc3",
            Mechanism::Scc { module: 3 },
            "Standard Contractual Clauses, module 3",
        ),
        (
            "scc4",
            Mechanism::Scc { module: 4 },
            "Standard Contractual Clauses, module 4",
        ),
        (
            "bcr",
            Mechanism::BindingCorporateRules,
            "Binding Corporate Rules",
        ),
        (
            "uk_idta",
            Mechanism::UkIdta,
            "UK International Data Transfer Agreement",
        ),
        (
            "uk_addendum",
            Mechanism::UkAddendum,
            "UK Addendum to the SCCs",
        ),
        ("derogation", Mechanism::Derogation, "Art. 49 derogation"),
    ];

    /// The mechanism a choice id names.
    pub fn from_choice(id: &str) -> Option<Mechanism> {
        Self::OPTIONS
            .iter()
            .find(|(choice, ..)| *choice == id)
            .map(|(_, m, _)| *m)
    }

    /// Its label on a form or in a table ("Standard Contractual Clauses, module 3").
    pub fn option_label(self) -> &'static str {
        Self::OPTIONS
            .iter()
            .find(|(_, m, _)| *m == self)
            .map_or("Standard Contractual Clauses", |(.., label)| label)
    }

    /// "Standard Contractual Clauses (module 3)".
    pub fn label(self) -> String {
        match self {
            Mechanism::Adequacy => "adequacy".to_owned(),
            Mechanism::Scc { module } => format!("Standard Contractual Clauses (module {module})"),
            Mechanism::BindingCorporateRules => "Binding Corporate Rules".to_owned(),
            Mechanism::UkIdta => "the UK IDTA".to_owned(),
            Mechanism::UkAddendum => "the UK Addendum".to_owned(),
            Mechanism::Derogation => "an Art. 49 derogation".to_owned(),
            Mechanism::None => "none".to_owned(),
        }
    }

    /// Whether it can carry a transfer out of `region` (adequacy aside, which depends on
    /// the destination): EU SCCs for the EEA and, with the Swiss amendments the FDPIC
    /// recognises, for Switzerland; the IDTA or the Addendum for the UK; BCRs and
    /// derogations everywhere.
    pub fn safeguards(self, region: Region) -> bool {
        match self {
            Mechanism::Scc { module } => {
                (1..=4).contains(&module)
                    && matches!(region, Region::Eea | Region::Eu | Region::Switzerland)
            }
            Mechanism::UkIdta | Mechanism::UkAddendum => region == Region::Uk,
            Mechanism::BindingCorporateRules | Mechanism::Derogation => true,
            Mechanism::Adequacy | Mechanism::None => false,
        }
    }
}

/// A country's place on one adequacy list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Status {
    Adequate,
    /// Adequate only for recipients that meet the condition.
    Partial {
        condition: Condition,
    },
    NotAdequate,
}

/// One adequacy decision or regulation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdequacyEntry {
    pub country: Country,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<Condition>,
    pub decision: String,
    #[serde(with = "iso_date")]
    pub adopted: Date,
    pub source: String,
    /// Whether the date was confirmed against a source in review.
    #[serde(default)]
    pub date_verified: bool,
    #[serde(
        default,
        with = "iso_date::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub expires: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// An international organisation with an adequacy decision (it has no country code, so
/// the transfer rule does not use it; it is shown beside the list).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organisation {
    pub name: String,
    pub decision: String,
    #[serde(with = "iso_date")]
    pub adopted: Date,
    pub source: String,
    #[serde(default)]
    pub date_verified: bool,
}

/// The adequacy list of one region, as of a day. Organisations may keep their own,
/// edited copy; [`AdequacyList::problems`] checks it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdequacyList {
    /// The region transfers leave: `eea`, `uk` or `switzerland`.
    pub region: Region,
    pub authority: String,
    #[serde(with = "iso_date")]
    pub as_of: Date,
    /// `false`: entries are known to be missing; an unlisted country is unconfirmed.
    pub complete: bool,
    pub source: String,
    #[serde(default)]
    pub checked_at: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gaps: Option<String>,
    /// Regions adequate as a whole (the UK's and Switzerland's lists cover the EEA).
    #[serde(default)]
    pub adequate_regions: BTreeSet<Region>,
    #[serde(default)]
    pub organisations: Vec<Organisation>,
    pub entries: Vec<AdequacyEntry>,
}

/// The shipped file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdequacyLists {
    pub version: String,
    pub lists: Vec<AdequacyList>,
}

impl AdequacyLists {
    /// The list for transfers out of `region`.
    pub fn for_region(&self, region: Region) -> Option<&AdequacyList> {
        self.lists.iter().find(|l| l.region == region)
    }
}

/// The shipped lists, read and checked.
pub fn shipped() -> Result<AdequacyLists, Vec<Problem>> {
    let lists: AdequacyLists = serde_json::from_str(ADEQUACY_JSON).map_err(|e| {
        vec![(
            "adequacy".to_owned(),
            format!("The adequacy file is not valid: {e}"),
        )]
    })?;
    let problems: Vec<Problem> = lists
        .lists
        .iter()
        .flat_map(AdequacyList::problems)
        .collect();
    if problems.is_empty() {
        Ok(lists)
    } else {
        Err(problems)
    }
}

/// The most entries one list holds.
pub const MAX_ENTRIES: usize = 300;
const MAX_TEXT: usize = 1_000;

/// The region whose transfer rules bind a client established in `country`: the EEA, the
/// UK or Switzerland; `None` elsewhere (the rule does not apply).
pub fn client_region(country: Country) -> Option<Region> {
    [Region::Eea, Region::Uk, Region::Switzerland]
        .into_iter()
        .find(|r| country.is_in(*r))
}

impl AdequacyList {
    /// Every problem with the list, as `(field, message)`.
    pub fn problems(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        let field = |i: usize, name: &str| format!("entries[{i}].{name}");
        if self.region == Region::Eu {
            out.push((
                "region".to_owned(),
                "Transfers leave the EEA, the UK or Switzerland; use eea for the EU's list."
                    .to_owned(),
            ));
        }
        if self.entries.len() > MAX_ENTRIES {
            out.push((
                "entries".to_owned(),
                format!("A list holds at most {MAX_ENTRIES} entries."),
            ));
            return out;
        }
        let long = |t: &str| t.trim().is_empty() || t.chars().count() > MAX_TEXT;
        if long(&self.authority) {
            out.push((
                "authority".to_owned(),
                "Name the authority that keeps the list.".to_owned(),
            ));
        }
        if !self.source.starts_with("https://") || self.source.len() > MAX_TEXT {
            out.push((
                "source".to_owned(),
                "Give the list's source as an https:// address.".to_owned(),
            ));
        }
        let mut seen = BTreeSet::new();
        for (i, entry) in self.entries.iter().enumerate() {
            if !seen.insert(entry.country) {
                out.push((
                    field(i, "country"),
                    format!("{} is listed twice.", entry.country),
                ));
            }
            if entry.country.is_in(self.region)
                || self
                    .adequate_regions
                    .iter()
                    .any(|r| entry.country.is_in(*r))
            {
                out.push((
                    field(i, "country"),
                    format!("{} is inside the region; it needs no entry.", entry.country),
                ));
            }
            if long(&entry.decision) {
                out.push((
                    field(i, "decision"),
                    "Name the decision or regulation.".to_owned(),
                ));
            }
            if !entry.source.starts_with("https://") || entry.source.len() > MAX_TEXT {
                out.push((
                    field(i, "source"),
                    "Give the source as an https:// address.".to_owned(),
                ));
            }
            if entry.adopted > self.as_of {
                out.push((
                    field(i, "adopted"),
                    format!(
                        "Adopted on {}, after the list's date ({}).",
                        long_date(entry.adopted),
                        long_date(self.as_of)
                    ),
                ));
            }
            if entry.expires.is_some_and(|e| e <= entry.adopted) {
                out.push((
                    field(i, "expires"),
                    "It expires before it was adopted.".to_owned(),
                ));
            }
            if entry
                .note
                .as_ref()
                .is_some_and(|n| n.chars().count() > MAX_TEXT)
            {
                out.push((field(i, "note"), "The note is too long.".to_owned()));
            }
        }
        out
    }

    /// `country`'s status on `day`: an entry counts from its adoption until its expiry.
    pub fn status(&self, country: Country, day: Date) -> Status {
        if self.adequate_regions.iter().any(|r| country.is_in(*r)) {
            return Status::Adequate;
        }
        self.entries
            .iter()
            .find(|e| e.country == country && e.adopted <= day && e.expires.is_none_or(|x| day < x))
            .map_or(Status::NotAdequate, |e| match e.condition {
                Some(condition) => Status::Partial { condition },
                None => Status::Adequate,
            })
    }
}

/// A country whose status differs between two lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct StatusChange {
    pub country: Country,
    pub before: Status,
    pub after: Status,
}

/// The countries whose status on `day` differs between `old` and `new`, by code, so the
/// server can re-evaluate the vendors that transfer there.
pub fn changes(old: &AdequacyList, new: &AdequacyList, day: Date) -> Vec<StatusChange> {
    let countries: BTreeSet<Country> = old
        .entries
        .iter()
        .chain(&new.entries)
        .map(|e| e.country)
        .chain(
            old.adequate_regions
                .symmetric_difference(&new.adequate_regions)
                .flat_map(|r| Country::all().filter(move |c| c.is_in(*r))),
        )
        .collect();
    countries
        .into_iter()
        .filter_map(|country| {
            let (before, after) = (old.status(country, day), new.status(country, day));
            (before != after).then_some(StatusChange {
                country,
                before,
                after,
            })
        })
        .collect()
}

/// One flow of data to one country.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer<'a> {
    /// Where the client is established.
    pub client: Country,
    /// The subprocessor or vendor receiving the data.
    pub recipient: &'a str,
    pub destination: Country,
    pub data_types: &'a BTreeSet<DataType>,
    pub mechanism: Mechanism,
    /// The partial-adequacy conditions the recipient meets (DPF certification, …).
    pub recipient_meets: &'a BTreeSet<Condition>,
}

/// Data about people: personal, health and payment data (card and account data is about
/// the people who pay).
pub fn is_personal(data_types: &BTreeSet<DataType>) -> bool {
    data_types
        .iter()
        .any(|d| matches!(d, DataType::Personal | DataType::Health | DataType::Payment))
}

/// The transfer rule for one flow, on `day`; `None` when it is fine.
pub fn check_transfer(
    lists: &AdequacyLists,
    transfer: &Transfer<'_>,
    day: Date,
) -> Option<ContractFinding> {
    if !is_personal(transfer.data_types) {
        return None;
    }
    let region = client_region(transfer.client)?;
    let destination = transfer.destination;
    if destination.is_in(region) {
        return None;
    }
    let list = lists.for_region(region);
    let status = list.map_or(Status::NotAdequate, |l| l.status(destination, day));
    let missing_condition = match status {
        Status::Adequate => return None,
        Status::Partial { condition } if transfer.recipient_meets.contains(&condition) => {
            return None;
        }
        Status::Partial { condition } => Some(condition),
        Status::NotAdequate => None,
    };
    let place = format!("{} ({})", destination.name(), destination.code());
    let from = match region {
        Region::Uk => "the UK",
        Region::Switzerland => "Switzerland",
        Region::Eea | Region::Eu => "the EEA",
    };
    let subject = format!(
        "{}:{}",
        crate::subprocessor::normalise_name(transfer.recipient),
        destination
    );
    let finding = |code, severity, message| ContractFinding {
        subject: subject.clone(),
        ..ContractFinding::new(code, Term::Transfers, severity, message)
    };
    if transfer.mechanism.safeguards(region) {
        return (transfer.mechanism == Mechanism::Derogation).then(|| {
            finding(
                FindingCode::TransferOnDerogation,
                Severity::Medium,
                format!(
                    "Personal data goes to {} in {place} on an Art. 49 derogation, which covers occasional transfers, not a subprocessor's regular processing; put Standard Contractual Clauses or BCRs in place.",
                    transfer.recipient
                ),
            )
        });
    }
    let unconfirmed = status == Status::NotAdequate && list.is_none_or(|l| !l.complete);
    let why = match missing_condition {
        Some(condition) => format!(
            "{place}'s adequacy covers only recipients {}, and {} is not recorded as one",
            condition.label(),
            transfer.recipient
        ),
        None if unconfirmed => format!(
            "{place} is not on the shipped adequacy list for {from}, which is known to be incomplete"
        ),
        None => format!("{place} has no adequacy decision for transfers from {from}"),
    };
    let mechanism = match transfer.mechanism {
        Mechanism::None => "no transfer mechanism is recorded".to_owned(),
        Mechanism::Adequacy => "adequacy is claimed but does not hold".to_owned(),
        other => format!("{} does not cover transfers from {from}", other.label()),
    };
    let wanted = match region {
        Region::Uk => "the UK IDTA, the UK Addendum or BCRs",
        _ => "Standard Contractual Clauses or BCRs",
    };
    Some(if unconfirmed {
        finding(
            FindingCode::TransferAdequacyUnconfirmed,
            Severity::Medium,
            format!(
                "Personal data goes to {} in {place}: {why}, and {mechanism}. Confirm adequacy, or put {wanted} in place.",
                transfer.recipient
            ),
        )
    } else {
        finding(
            FindingCode::TransferWithoutMechanism,
            Severity::High,
            format!(
                "Personal data goes to {} in {place} without safeguards: {why}, and {mechanism}. Put {wanted} in place.",
                transfer.recipient
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const DAY: Date = date!(2026 - 03 - 01);

    fn lists() -> AdequacyLists {
        match shipped() {
            Ok(lists) => lists,
            Err(problems) => panic!("the shipped adequacy lists are invalid: {problems:?}"),
        }
    }

    fn c(code: &str) -> Country {
        Country::parse(code).expect("a country")
    }

    fn check(
        client: &str,
        to: &str,
        mechanism: Mechanism,
        meets: &[Condition],
    ) -> Option<ContractFinding> {
        let personal = BTreeSet::from([DataType::Personal]);
        let meets: BTreeSet<Condition> = meets.iter().copied().collect();
        check_transfer(
            &lists(),
            &Transfer {
                client: c(client),
                recipient: "Acme Cloud Inc.",
                destination: c(to),
                data_types: &personal,
                mechanism,
                recipient_meets: &meets,
            },
            DAY,
        )
    }

    #[test]
    fn the_shipped_lists_parse_and_hold_the_eu_list() {
        let lists = lists();
        let eu = lists.for_region(Region::Eea).expect("the EU's list");
        assert!(eu.complete);
        let listed: Vec<&str> = eu.entries.iter().map(|e| e.country.code()).collect();
        assert_eq!(
            listed,
            [
                "AD", "AR", "BR", "CA", "CH", "FO", "GB", "GG", "IL", "IM", "JE", "JP", "KR", "NZ",
                "US", "UY"
            ]
        );
        assert_eq!(
            eu.status(c("US"), DAY),
            Status::Partial {
                condition: Condition::EuUsDpf
            }
        );
        assert_eq!(
            eu.status(c("GB"), date!(2032 - 01 - 01)),
            Status::NotAdequate,
            "expires end of 2031"
        );
        assert_eq!(
            eu.status(c("BR"), date!(2025 - 01 - 01)),
            Status::NotAdequate,
            "not yet adopted"
        );
        assert!(lists.for_region(Region::Uk).is_some_and(|l| !l.complete));
        crate::named::assert_names_are_the_wire::<Condition>();
    }

    #[test]
    fn personal_data_to_a_country_without_adequacy_or_safeguards_is_high() {
        let finding = check("DE", "IN", Mechanism::None, &[]).expect("a finding");
        assert_eq!(finding.severity, Severity::High);
        assert_eq!(finding.code, FindingCode::TransferWithoutMechanism);
        assert_eq!(
            finding.message,
            "Personal data goes to Acme Cloud Inc. in India (IN) without safeguards: India (IN) has no adequacy decision for transfers from the EEA, and no transfer mechanism is recorded. Put Standard Contractual Clauses or BCRs in place."
        );
        assert_eq!(
            finding.key(),
            "contract:transfers:transfer_without_mechanism:acme cloud:IN"
        );
        assert_eq!(check("DE", "IN", Mechanism::Scc { module: 3 }, &[]), None);
        assert_eq!(
            check("DE", "IN", Mechanism::BindingCorporateRules, &[]),
            None
        );
        assert_eq!(
            check("DE", "IN", Mechanism::UkIdta, &[]).map(|f| f.severity),
            Some(Severity::High),
            "the IDTA is for the UK"
        );
        assert_eq!(
            check("DE", "IN", Mechanism::Scc { module: 9 }, &[]).map(|f| f.severity),
            Some(Severity::High),
            "there is no module 9"
        );
    }

    #[test]
    fn partial_adequacy_holds_only_for_recipients_meeting_its_condition() {
        let finding = check("FR", "US", Mechanism::None, &[]).expect("not certified");
        assert!(
            finding.message.contains("United States of America (US)'s adequacy covers only recipients certified under the EU-US Data Privacy Framework, and Acme Cloud Inc. is not recorded as one"),
            "{}",
            finding.message
        );
        assert_eq!(
            check("FR", "US", Mechanism::None, &[Condition::EuUsDpf]),
            None
        );
        assert!(
            check("GB", "US", Mechanism::None, &[Condition::EuUsDpf]).is_some(),
            "the UK needs the UK Extension"
        );
        assert_eq!(
            check("GB", "US", Mechanism::None, &[Condition::UkExtensionDpf]),
            None
        );
        assert_eq!(
            check("CH", "US", Mechanism::None, &[Condition::SwissUsDpf]),
            None
        );
    }

    #[test]
    fn inside_the_region_adequate_countries_and_other_clients_are_fine() {
        assert_eq!(check("DE", "FR", Mechanism::None, &[]), None);
        assert_eq!(
            check("DE", "NO", Mechanism::None, &[]),
            None,
            "Norway is in the EEA"
        );
        assert_eq!(check("DE", "JE", Mechanism::None, &[]), None);
        assert_eq!(check("DE", "GB", Mechanism::None, &[]), None);
        assert_eq!(
            check("GB", "DE", Mechanism::None, &[]),
            None,
            "the UK's list covers the EEA"
        );
        assert_eq!(
            check("US", "IN", Mechanism::None, &[]),
            None,
            "no rule for US clients"
        );
        let business = BTreeSet::from([DataType::ConfidentialBusiness]);
        let none = BTreeSet::new();
        let transfer = Transfer {
            client: c("DE"),
            recipient: "X",
            destination: c("CN"),
            data_types: &business,
            mechanism: Mechanism::None,
            recipient_meets: &none,
        };
        assert_eq!(
            check_transfer(&lists(), &transfer, DAY),
            None,
            "not personal data"
        );
    }

    #[test]
    fn an_incomplete_list_and_a_derogation_say_so_at_medium() {
        let unconfirmed = check("CH", "NZ", Mechanism::None, &[]).expect("a finding");
        assert_eq!(unconfirmed.code, FindingCode::TransferAdequacyUnconfirmed);
        assert_eq!(unconfirmed.severity, Severity::Medium);
        let derogation = check("DE", "IN", Mechanism::Derogation, &[]).expect("a finding");
        assert_eq!(derogation.code, FindingCode::TransferOnDerogation);
        assert_eq!(derogation.severity, Severity::Medium);
    }

    #[test]
    fn edited_lists_are_checked_and_changes_are_named() {
        let old = lists().for_region(Region::Eea).cloned().expect("list");
        let mut new = old.clone();
        new.entries.retain(|e| e.country.code() != "AR");
        new.entries.push(AdequacyEntry {
            country: c("IN"),
            condition: None,
            decision: "Imagined decision".to_owned(),
            adopted: date!(2026 - 01 - 01),
            source: "https://example.org/in".to_owned(),
            date_verified: false,
            expires: None,
            note: None,
        });
        assert_eq!(new.problems(), Vec::<Problem>::new());
        let changed: Vec<(String, Status, Status)> = changes(&old, &new, DAY)
            .into_iter()
            .map(|c| (c.country.to_string(), c.before, c.after))
            .collect();
        assert_eq!(
            changed,
            [
                ("AR".to_owned(), Status::Adequate, Status::NotAdequate),
                ("IN".to_owned(), Status::NotAdequate, Status::Adequate),
            ]
        );
        let mut bad = new.clone();
        bad.entries.push(bad.entries[0].clone());
        bad.entries[1].country = c("FR");
        bad.entries[2].source = "ftp://x".to_owned();
        bad.entries[3].adopted = date!(2099 - 01 - 01);
        let fields: Vec<String> = bad.problems().into_iter().map(|(f, _)| f).collect();
        assert_eq!(
            fields,
            [
                "entries[1].country",
                "entries[2].source",
                "entries[3].adopted",
                "entries[16].country"
            ]
        );
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn country() -> impl Strategy<Value = Country> {
            let all: Vec<Country> = Country::all().collect();
            proptest::sample::select(all)
        }

        fn mechanism() -> impl Strategy<Value = Mechanism> {
            prop_oneof![
                Just(Mechanism::None),
                Just(Mechanism::Adequacy),
                (0u8..6).prop_map(|module| Mechanism::Scc { module }),
                Just(Mechanism::BindingCorporateRules),
                Just(Mechanism::UkIdta),
                Just(Mechanism::UkAddendum),
                Just(Mechanism::Derogation),
            ]
        }

        fn conditions() -> impl Strategy<Value = BTreeSet<Condition>> {
            proptest::collection::btree_set(proptest::sample::select(Condition::ALL.to_vec()), 0..3)
        }

        fn data() -> impl Strategy<Value = BTreeSet<DataType>> {
            proptest::collection::btree_set(proptest::sample::select(DataType::ALL.to_vec()), 0..4)
        }

        proptest! {
            #[test]
            fn a_transfer_inside_the_region_is_never_a_finding(
                client in country(), to in country(), m in mechanism(), meets in conditions(), data in data()
            ) {
                let lists = lists();
                let t = Transfer { client, recipient: "R", destination: to, data_types: &data, mechanism: m, recipient_meets: &meets };
                let finding = check_transfer(&lists, &t, DAY);
                if client_region(client).is_some_and(|r| to.is_in(r)) || !is_personal(&data) {
                    prop_assert_eq!(finding, None);
                }
            }

            #[test]
            fn a_valid_mechanism_never_adds_a_finding(
                client in country(), to in country(), m in mechanism(), meets in conditions(), data in data()
            ) {
                let lists = lists();
                let t = Transfer { client, recipient: "R", destination: to, data_types: &data, mechanism: m, recipient_meets: &meets };
                let before = check_transfer(&lists, &t, DAY);
                let safeguard = match client_region(client) {
                    Some(Region::Uk) => Mechanism::UkIdta,
                    _ => Mechanism::Scc { module: 2 },
                };
                let after = check_transfer(&lists, &Transfer { mechanism: safeguard, ..t }, DAY);
                prop_assert_eq!(after.clone(), None);
                if before.is_none() { prop_assert!(after.is_none()); }
            }

            #[test]
            fn only_personal_data_without_safeguards_is_high(
                client in country(), to in country(), m in mechanism(), meets in conditions(), data in data()
            ) {
                let lists = lists();
                let t = Transfer { client, recipient: "R", destination: to, data_types: &data, mechanism: m, recipient_meets: &meets };
                if let Some(f) = check_transfer(&lists, &t, DAY) {
                    prop_assert!(is_personal(&data));
                    prop_assert_eq!(f.severity == Severity::High, f.code == FindingCode::TransferWithoutMechanism);
                    prop_assert!(f.message.contains(to.name()), "{}", f.message);
                }
            }
        }
    }
}
