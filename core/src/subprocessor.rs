//! Fourth parties (#17): a vendor's subprocessor register, the checks on it (change
//! notice under the contract, transfers out of the client's region) and concentration
//! across vendors: which subprocessors and countries many vendors depend on.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet};

pub mod register_table;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::contract::{Contract, ContractFinding, FindingCode, Problem, Term, iso_date};
use crate::country::{Country, fold};
use crate::risk::{DataType, RiskTier};
use crate::template::Severity;
use crate::text::long_date;
use crate::transfer::{self, AdequacyLists, Condition, Mechanism, Transfer};

/// The longest name, service or certification text.
pub const MAX_TEXT: usize = 200;
/// The most countries one row names.
pub const MAX_COUNTRIES: usize = 50;

/// One row of a vendor's subprocessor register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subprocessor {
    pub name: String,
    /// What it does for the vendor ("hosting", "email delivery").
    pub service: String,
    #[serde(default)]
    pub data_types: BTreeSet<DataType>,
    /// Where the data is processed (accessed, worked on).
    #[serde(default)]
    pub processing_countries: BTreeSet<Country>,
    /// Where the data is stored.
    #[serde(default)]
    pub storage_countries: BTreeSet<Country>,
    pub mechanism: Mechanism,
    /// The partial-adequacy conditions it meets (DPF certification, …).
    #[serde(default)]
    pub meets: BTreeSet<Condition>,
    /// Certifications as the vendor names them ("ISO 27001, SOC 2 Type II"): free text,
    /// because registers name schemes Assay has no list of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certification: Option<String>,
    #[serde(with = "iso_date")]
    pub added_on: Date,
    /// The day the vendor told the client it would add it; `None`: no notice.
    #[serde(
        default,
        with = "iso_date::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub notice_given_on: Option<Date>,
}

impl Subprocessor {
    /// Every problem with the row, as `(field, message)`.
    pub fn problems(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        let text =
            |field: &str, what: &str, value: &str, required: bool, out: &mut Vec<Problem>| {
                if required && value.trim().is_empty() {
                    out.push((field.to_owned(), format!("Give the {what}.")));
                } else if value.chars().count() > MAX_TEXT {
                    out.push((
                        field.to_owned(),
                        format!("The {what} must be at most {MAX_TEXT} characters."),
                    ));
                }
            };
        text("name", "subprocessor's name", &self.name, true, &mut out);
        text(
            "service",
            "service it provides",
            &self.service,
            true,
            &mut out,
        );
        if let Some(certification) = &self.certification {
            text(
                "certification",
                "certification",
                certification,
                false,
                &mut out,
            );
        }
        if self.processing_countries.len() > MAX_COUNTRIES
            || self.storage_countries.len() > MAX_COUNTRIES
        {
            out.push((
                "processing_countries".to_owned(),
                format!("Name at most {MAX_COUNTRIES} countries."),
            ));
        }
        if self.processing_countries.is_empty() && self.storage_countries.is_empty() {
            out.push((
                "processing_countries".to_owned(),
                "Name at least one country where it processes or stores the data.".to_owned(),
            ));
        }
        out
    }

    /// Every country the data reaches.
    pub fn countries(&self) -> BTreeSet<Country> {
        self.processing_countries
            .union(&self.storage_countries)
            .copied()
            .collect()
    }
}

/// Findings on a vendor's register: subprocessors added after the contract started with
/// less notice than the contract promises (or none), and transfers out of the client's
/// region without adequacy or safeguards ([`transfer::check_transfer`], per country);
/// without the client's country (`None`), the notice check alone.
pub fn check_register(
    contract: &Contract,
    register: &[Subprocessor],
    client: Option<Country>,
    lists: &AdequacyLists,
    day: Date,
) -> Vec<ContractFinding> {
    let mut findings = Vec::new();
    for sub in register {
        let key = normalise_name(&sub.name);
        if let Some(needed) = contract.subprocessor_notice_days
            && contract.start_date.is_none_or(|start| sub.added_on > start)
        {
            let given = sub
                .notice_given_on
                .map(|on| (sub.added_on - on).whole_days());
            let message = match given {
                None => Some(format!(
                    "{} was added on {} without notice; the contract requires {needed} days' notice.",
                    sub.name,
                    long_date(sub.added_on)
                )),
                Some(days) if days < i64::from(needed) => Some(format!(
                    "{} was added on {} with {} days' notice (given on {}); the contract requires {needed}.",
                    sub.name,
                    long_date(sub.added_on),
                    days.max(0),
                    sub.notice_given_on.map(long_date).unwrap_or_default()
                )),
                Some(_) => None,
            };
            if let Some(message) = message {
                findings.push(ContractFinding {
                    subject: key.clone(),
                    ..ContractFinding::new(
                        FindingCode::SubprocessorNoticeShort,
                        Term::SubprocessorNotice,
                        Severity::Medium,
                        message,
                    )
                });
            }
        }
        // Without the client's own country there is no region for the data to leave.
        let Some(client) = client else {
            continue;
        };
        for destination in sub.countries() {
            findings.extend(transfer::check_transfer(
                lists,
                &Transfer {
                    client,
                    recipient: &sub.name,
                    destination,
                    data_types: &sub.data_types,
                    mechanism: sub.mechanism,
                    recipient_meets: &sub.meets,
                },
                day,
            ));
        }
    }
    findings
}

/// Legal-form words dropped from the end of a name.
const LEGAL_SUFFIXES: &[&str] = &[
    "inc",
    "incorporated",
    "llc",
    "llp",
    "lp",
    "ltd",
    "limited",
    "plc",
    "corp",
    "corporation",
    "co",
    "company",
    "gmbh",
    "ag",
    "kg",
    "se",
    "sa",
    "sas",
    "sarl",
    "srl",
    "spa",
    "bv",
    "nv",
    "ab",
    "oy",
    "oyj",
    "as",
    "asa",
    "aps",
    "pty",
    "pte",
    "kk",
    "ulc",
    "lda",
    "sro",
    "kft",
];

/// A subprocessor's name as a key: lower case, accents and punctuation gone, whitespace
/// collapsed, legal forms dropped from the end ("Amazon Web Services, Inc." and
/// "amazon  web services" give "amazon web services"). A name that is nothing but a legal
/// form keeps it. Applying it twice changes nothing.
pub fn normalise_name(name: &str) -> String {
    let folded = fold(name.chars().take(4 * MAX_TEXT));
    let spaced: String = folded
        .chars()
        .filter(|c| *c != '.')
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let mut words: Vec<&str> = spaced.split_whitespace().collect();
    while words.len() > 1 && words.last().is_some_and(|w| LEGAL_SUFFIXES.contains(w)) {
        words.pop();
    }
    words.join(" ")
}

/// One vendor's register, for concentration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VendorRegister<'a> {
    /// The vendor's id (counted once however many rows name a subprocessor).
    pub vendor: &'a str,
    pub tier: RiskTier,
    pub subprocessors: &'a [Subprocessor],
}

/// How many vendors depend on one subprocessor or country.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dependency {
    /// The normalised name, or the country code.
    pub key: String,
    /// As people read it: the spelling most registers use, or the country's name.
    pub name: String,
    pub vendors: usize,
    pub by_tier: BTreeMap<RiskTier, usize>,
    pub vendor_ids: Vec<String>,
    /// "14 vendors, 3 of them Critical, depend on Amazon Web Services."
    pub sentence: String,
}

/// By key: the spellings seen (and how often), and the vendors with their tiers.
type Groups<'a> = BTreeMap<String, (BTreeMap<String, usize>, BTreeMap<&'a str, RiskTier>)>;

fn sentence(vendors: usize, critical: usize, name: &str) -> String {
    match (vendors, critical) {
        (1, 1) => format!("1 vendor, a Critical one, depends on {name}."),
        (1, _) => format!("1 vendor depends on {name}."),
        (n, 0) => format!("{n} vendors depend on {name}."),
        (n, c) => format!("{n} vendors, {c} of them Critical, depend on {name}."),
    }
}

fn dependencies(groups: Groups<'_>) -> Vec<Dependency> {
    let mut out: Vec<Dependency> = groups
        .into_iter()
        .map(|(key, (spellings, vendors))| {
            let name = spellings
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                .map_or_else(|| key.clone(), |(s, _)| s.clone());
            let mut by_tier = BTreeMap::new();
            for tier in vendors.values() {
                *by_tier.entry(*tier).or_insert(0) += 1;
            }
            let critical = by_tier.get(&RiskTier::Critical).copied().unwrap_or(0);
            Dependency {
                sentence: sentence(vendors.len(), critical, &name),
                key,
                name,
                vendors: vendors.len(),
                by_tier,
                vendor_ids: vendors.keys().map(|v| (*v).to_owned()).collect(),
            }
        })
        .collect();
    out.sort_by(|a, b| a.place().cmp(&b.place()));
    out
}

impl Dependency {
    /// Where it stands in a concentration list: most vendors first, then most Critical
    /// vendors, then by key.
    fn place(&self) -> (Reverse<usize>, Reverse<usize>, &str) {
        (
            Reverse(self.vendors),
            Reverse(self.critical()),
            self.key.as_str(),
        )
    }

    fn critical(&self) -> usize {
        self.by_tier.get(&RiskTier::Critical).copied().unwrap_or(0)
    }

    /// The cursor that continues a list after this dependency ([`page_after`]).
    pub fn cursor(&self) -> String {
        format!("{}~{}~{}", self.vendors, self.critical(), self.key)
    }
}

/// A page of a concentration list (sorted as [`concentration`] sorts it): the `size`
/// dependencies that come after `after` (the [`Dependency::cursor`] of the last one shown;
/// `None` for the first page), and the cursor of the page after, if any. Keyed by place,
/// not by position: when one dependency's count changes between two pages it moves to its
/// new place, and every other one is still shown exactly once. `None` when the cursor is
/// not one.
pub fn page_after(
    list: &[Dependency],
    after: Option<&str>,
    size: usize,
) -> Option<(Vec<Dependency>, Option<String>)> {
    let start = match after {
        None => 0,
        Some(cursor) => {
            let mut parts = cursor.splitn(3, '~');
            let vendors: usize = parts.next()?.parse().ok()?;
            let critical: usize = parts.next()?.parse().ok()?;
            let key = parts.next()?;
            let place = (Reverse(vendors), Reverse(critical), key);
            list.partition_point(|d| d.place() <= place)
        }
    };
    let page: Vec<Dependency> = list.iter().skip(start).take(size).cloned().collect();
    let next = (start + page.len() < list.len())
        .then(|| page.last().map(Dependency::cursor))
        .flatten();
    Some((page, next))
}

/// Subprocessors grouped by normalised name, most depended-on first (then by Critical
/// vendors, then by name).
pub fn concentration(registers: &[VendorRegister<'_>]) -> Vec<Dependency> {
    let mut groups: Groups<'_> = BTreeMap::new();
    for register in registers {
        for sub in register.subprocessors {
            let key = normalise_name(&sub.name);
            if key.is_empty() {
                continue;
            }
            let group = groups.entry(key).or_default();
            *group
                .0
                .entry(sub.name.split_whitespace().collect::<Vec<_>>().join(" "))
                .or_insert(0) += 1;
            group.1.insert(register.vendor, register.tier);
        }
    }
    dependencies(groups)
}

/// Countries where vendors' subprocessors process or store data, most depended-on first.
pub fn country_concentration(registers: &[VendorRegister<'_>]) -> Vec<Dependency> {
    let mut groups: Groups<'_> = BTreeMap::new();
    for register in registers {
        for country in register
            .subprocessors
            .iter()
            .flat_map(Subprocessor::countries)
        {
            let group = groups.entry(country.to_string()).or_default();
            group.0.insert(country.name().to_owned(), 1);
            group.1.insert(register.vendor, register.tier);
        }
    }
    dependencies(groups)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn c(code: &str) -> Country {
        Country::parse(code).expect("a country")
    }

    fn sub(name: &str, countries: &[&str], mechanism: Mechanism) -> Subprocessor {
        Subprocessor {
            name: name.to_owned(),
            service: "hosting".to_owned(),
            data_types: BTreeSet::from([DataType::Personal]),
            processing_countries: countries.iter().map(|x| c(x)).collect(),
            storage_countries: BTreeSet::new(),
            mechanism,
            meets: BTreeSet::new(),
            certification: Some("ISO 27001".to_owned()),
            added_on: date!(2026 - 02 - 01),
            notice_given_on: Some(date!(2026 - 01 - 01)),
        }
    }

    #[test]
    fn names_normalise_across_case_spacing_punctuation_and_legal_forms() {
        assert_eq!(
            normalise_name("Amazon Web Services, Inc."),
            "amazon web services"
        );
        assert_eq!(
            normalise_name("  amazon   web services "),
            "amazon web services"
        );
        assert_eq!(normalise_name("Société Générale S.A."), "societe generale");
        assert_eq!(normalise_name("Acme Holdings Co. Ltd"), "acme holdings");
        assert_eq!(
            normalise_name("Inc."),
            "inc",
            "a name that is only a legal form keeps it"
        );
        assert_eq!(normalise_name(""), "");
    }

    #[test]
    fn rows_are_checked() {
        assert_eq!(
            sub("AWS", &["IE"], Mechanism::None).problems(),
            Vec::<Problem>::new()
        );
        let mut bad = sub("  ", &[], Mechanism::None);
        bad.certification = Some("x".repeat(1_000));
        let fields: Vec<String> = bad.problems().into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["name", "certification", "processing_countries"]);
    }

    #[test]
    fn late_notice_and_transfers_without_safeguards_are_findings() {
        let lists = transfer::shipped().expect("shipped lists");
        let contract = Contract {
            subprocessor_notice_days: Some(60),
            start_date: Some(date!(2025 - 01 - 01)),
            ..Contract::default()
        };
        let mut silent = sub("Mailer Ltd", &["IE"], Mechanism::None);
        silent.notice_given_on = None;
        let register = [
            sub("Acme Hosting GmbH", &["DE"], Mechanism::None),
            silent,
            sub("Offshore Support Pvt", &["IN"], Mechanism::None),
            sub("Safe Support", &["IN"], Mechanism::Scc { module: 3 }),
        ];
        let findings = check_register(
            &contract,
            &register,
            Some(c("DE")),
            &lists,
            date!(2026 - 03 - 01),
        );
        let messages: Vec<&str> = findings.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "Acme Hosting GmbH was added on 1 Feb 2026 with 31 days' notice (given on 1 Jan 2026); the contract requires 60.",
                "Mailer Ltd was added on 1 Feb 2026 without notice; the contract requires 60 days' notice.",
                "Offshore Support Pvt was added on 1 Feb 2026 with 31 days' notice (given on 1 Jan 2026); the contract requires 60.",
                "Personal data goes to Offshore Support Pvt in India (IN) without safeguards: India (IN) has no adequacy decision for transfers from the EEA, and no transfer mechanism is recorded. Put Standard Contractual Clauses or BCRs in place.",
                "Safe Support was added on 1 Feb 2026 with 31 days' notice (given on 1 Jan 2026); the contract requires 60.",
            ]
        );
        let signed_later = Contract {
            start_date: Some(date!(2026 - 06 - 01)),
            ..contract
        };
        assert_eq!(
            check_register(
                &signed_later,
                &register[..2],
                Some(c("DE")),
                &lists,
                date!(2026 - 03 - 01)
            ),
            [],
            "subprocessors listed when the contract was signed need no notice"
        );
    }

    #[test]
    fn a_concentration_list_pages_by_place_each_dependency_once() {
        let subs: Vec<Vec<Subprocessor>> = (0..7)
            .map(|i| {
                (0..=i)
                    .map(|j| sub(&format!("Cloud {j:02}"), &["IE"], Mechanism::None))
                    .collect()
            })
            .collect();
        let ids: Vec<String> = (0..7).map(|i| format!("v{i}")).collect();
        let registers: Vec<VendorRegister<'_>> = subs
            .iter()
            .zip(&ids)
            .map(|(s, id)| VendorRegister {
                vendor: id,
                tier: RiskTier::Low,
                subprocessors: s,
            })
            .collect();
        let list = concentration(&registers);
        assert_eq!(list.len(), 7);
        let mut seen = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let (page, next) = page_after(&list, after.as_deref(), 3).expect("a valid cursor");
            assert!(page.len() <= 3, "a page holds at most its size");
            seen.extend(page.into_iter().map(|d| d.key));
            match next {
                Some(next) => after = Some(next),
                None => break,
            }
        }
        let all: Vec<String> = list.iter().map(|d| d.key.clone()).collect();
        assert_eq!(
            seen, all,
            "every dependency once, in order, over three pages"
        );
        // When one dependency loses vendors between two pages, it moves; every other one
        // is still shown exactly once (a position cursor would repeat one).
        let (first, next) = page_after(&list, None, 3).expect("first page");
        let mut changed = list.clone();
        changed[0].vendors = 1;
        changed.sort_by(|a, b| a.place().cmp(&b.place()));
        let (second, _) = page_after(&changed, next.as_deref(), 10).expect("second page");
        let shown: Vec<&str> = first
            .iter()
            .chain(&second)
            .map(|d| d.key.as_str())
            .collect();
        for key in &all[1..] {
            assert_eq!(
                shown.iter().filter(|k| **k == key.as_str()).count(),
                1,
                "{key} shown once: {shown:?}"
            );
        }
        assert!(
            page_after(&list, Some("three~0~x"), 3).is_none(),
            "not a cursor"
        );
        assert!(page_after(&list, Some("3"), 3).is_none(), "not a cursor");
        let (empty, none) = page_after(&[], None, 3).expect("an empty list");
        assert!(empty.is_empty() && none.is_none());
    }

    #[test]
    fn concentration_counts_vendors_once_and_names_the_critical_ones() {
        let aws = [
            sub("Amazon Web Services, Inc.", &["US", "IE"], Mechanism::None),
            sub("AWS", &["DE"], Mechanism::None),
        ];
        let aws_lower = [sub("amazon web services", &["IE"], Mechanism::None)];
        let both = [
            sub("Amazon Web Services Inc", &["IE"], Mechanism::None),
            sub("Amazon Web Services Inc", &["IE"], Mechanism::None),
        ];
        let registers = [
            VendorRegister {
                vendor: "v1",
                tier: RiskTier::Critical,
                subprocessors: &aws,
            },
            VendorRegister {
                vendor: "v2",
                tier: RiskTier::Low,
                subprocessors: &aws_lower,
            },
            VendorRegister {
                vendor: "v3",
                tier: RiskTier::Critical,
                subprocessors: &both,
            },
        ];
        let found = concentration(&registers);
        assert_eq!(found[0].key, "amazon web services");
        assert_eq!(found[0].vendors, 3, "v3 counts once");
        assert_eq!(
            found[0].sentence,
            "3 vendors, 2 of them Critical, depend on Amazon Web Services Inc."
        );
        assert_eq!(
            found[1].sentence,
            "1 vendor, a Critical one, depends on AWS."
        );
        let countries = country_concentration(&registers);
        assert_eq!(
            countries[0].sentence,
            "3 vendors, 2 of them Critical, depend on Ireland."
        );
        assert_eq!(
            countries.iter().map(|d| d.key.as_str()).collect::<Vec<_>>(),
            ["IE", "DE", "US"]
        );
    }

    proptest::proptest! {
        #[test]
        fn normalisation_is_idempotent(name in "\\PC{0,40}") {
            let once = normalise_name(&name);
            proptest::prop_assert_eq!(normalise_name(&once), once.clone());
        }

        #[test]
        fn legal_forms_and_case_do_not_split_a_group(
            words in proptest::collection::vec("[a-z]{3,8}", 1..4),
            suffix in proptest::sample::select(vec!["", ", Inc.", " LLC", " GmbH", " S.A.", " Ltd"]),
        ) {
            proptest::prop_assume!(!words.iter().any(|w| LEGAL_SUFFIXES.contains(&w.as_str())));
            let plain = words.join(" ");
            let fancy = format!("  {}{suffix} ", plain.to_uppercase());
            proptest::prop_assert_eq!(normalise_name(&fancy), normalise_name(&plain));
        }
    }
}
