//! The built-in baseline: its shape against the published JSON Schema, its coverage, and
//! that its rules and conditions point at real questions.

#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};

use assay_core::baseline::{BASELINE_JSON, baseline_template};
use assay_core::contract::{Contract, ContractPolicy, NO_POLICY};
use assay_core::evaluate::Answers;
use assay_core::import::TemplateFormat;
use assay_core::money::Money;
use assay_core::risk::{Criticality, DataType, InherentRiskProfile, RiskTier, SystemAccess};
use assay_core::scoring::{
    Category, EvidenceItem, EvidenceKind, FindingKind, ScoringInput, ScoringModel, score,
};
use assay_core::template::{Item, Severity};
use serde_json::Value;
use time::macros::date;

fn schema() -> Value {
    serde_json::from_str(include_str!("../schema/template.schema.json")).unwrap()
}

/// Checks `value` against the schema definition `def`: required keys present, no keys the
/// schema does not list (where it says additionalProperties: false), recursively for items.
fn check(schema: &Value, def: &Value, value: &Value, path: &str, errors: &mut Vec<String>) {
    let Some(obj) = value.as_object() else { return };
    if let Some(required) = def["required"].as_array() {
        for key in required.iter().filter_map(Value::as_str) {
            if !obj.contains_key(key) {
                errors.push(format!("{path}: missing `{key}`"));
            }
        }
    }
    if def["additionalProperties"] == Value::Bool(false) {
        let allowed = def["properties"].as_object().unwrap();
        for key in obj.keys() {
            if !allowed.contains_key(key) {
                errors.push(format!("{path}: unexpected `{key}`"));
            }
        }
    }
    if let Some(items) = obj.get("items").and_then(Value::as_array) {
        for (n, item) in items.iter().enumerate() {
            let kind = item["type"].as_str().unwrap_or_default();
            let item_def = &schema["$defs"][kind];
            if item_def.is_null() {
                errors.push(format!("{path}.items[{n}]: unknown type `{kind}`"));
            } else {
                check(
                    schema,
                    item_def,
                    item,
                    &format!("{path}.items[{n}]"),
                    errors,
                );
            }
        }
    }
}

#[test]
fn the_baseline_follows_the_published_schema() {
    let schema = schema();
    let baseline: Value = serde_json::from_str(BASELINE_JSON).unwrap();
    let mut errors = Vec::new();

    check(&schema, &schema, &baseline, "$", &mut errors);
    check(
        &schema,
        &schema["$defs"]["scoring"],
        &baseline["scoring"],
        "$.scoring",
        &mut errors,
    );

    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
}

#[test]
fn the_baseline_covers_every_category_with_40_to_60_questions() {
    let template = baseline_template().unwrap();
    let summary = template.summary(TemplateFormat::Json);

    assert_eq!(summary.title, "Assay Baseline — Security & Data Protection");
    assert!(
        (40..=60).contains(&summary.questions),
        "{}",
        summary.questions
    );
    assert_eq!(summary.questions, 51);
    let categories: BTreeSet<Category> = template
        .scoring
        .questions
        .values()
        .map(|r| r.category)
        .collect();
    assert_eq!(categories.len(), 10, "{categories:?}");
    assert_eq!(template.version.as_deref(), Some("2026.12.2"));
}

#[test]
fn every_rule_and_condition_points_at_an_existing_question_or_choice() {
    let template = baseline_template().unwrap();
    let mut ids = BTreeSet::new();
    for item in template.walk() {
        if let Some(id) = item.id() {
            ids.insert(id.to_owned());
        }
        if let Item::Question(q) = item
            && let assay_core::template::QuestionKind::SingleChoice { choices }
            | assay_core::template::QuestionKind::MultipleChoice { choices } = &q.kind
        {
            ids.extend(choices.iter().map(|c| c.id.clone()));
        }
    }
    for item in template.walk() {
        if let Some(condition) = item.condition() {
            for reference in condition.references() {
                assert!(
                    ids.contains(reference),
                    "condition `{condition}` names unknown `{reference}`"
                );
            }
        }
    }
    let rules = &template.scoring;
    let referenced = rules
        .questions
        .keys()
        .chain(rules.knock_outs.iter().map(|k| &k.question_id))
        .chain(rules.evidence.iter().map(|e| &e.question_id))
        .chain(rules.contract_checks.iter().map(|c| &c.question_id))
        .chain(rules.contract_terms.values());
    for id in referenced {
        assert!(ids.contains(id), "scoring names unknown question `{id}`");
    }
}

fn best_answers() -> Answers {
    let pairs: BTreeMap<&str, &str> = [
        ("gov_policy", "yes"),
        ("gov_owner", "yes"),
        ("gov_training", "yes"),
        ("gov_screening", "yes"),
        ("gov_confidentiality", "yes"),
        ("enc_at_rest", "yes"),
        ("enc_aes256", "checked"),
        ("tls13", "checked"),
        ("keys_kms", "checked"),
        ("enc_customer_keys", "yes"),
        ("acc_mfa_admin", "yes"),
        ("acc_mfa_all", "yes"),
        ("acc_least_privilege", "yes"),
        ("rev_quarterly", "checked"),
        ("acc_privileged_logging", "yes"),
        ("acc_offboarding_hours", "8"),
        ("cert_soc2_t2", "checked"),
        ("aud_right_to_audit", "yes"),
        ("aud_pentest_date", "2026-05-01"),
        ("aud_critical_fix_days", "5"),
        ("ins_cover", "yes"),
        ("ins_amount", "10000000 EUR"),
        ("ins_liability_cap", "5000000 EUR"),
        ("brn_hours", "24"),
        ("brn_procedure", "yes"),
        ("dat_use_limited", "yes"),
        ("del_30", "checked"),
        ("dat_return_days", "30"),
        ("dat_cross_border", "no"),
        ("dat_dpa", "yes"),
        ("sub_used", "yes"),
        ("sub_notice_days", "30"),
        ("sub_objection", "yes"),
        ("sub_flowdown", "yes"),
        ("ir_plan", "yes"),
        ("ir_tested", "2026-03-15"),
        ("ir_24x7", "yes"),
        ("bc_plan", "yes"),
        ("bc_rto_hours", "4"),
        ("bc_rpo_hours", "1"),
        ("bc_sla_percent", "99.95"),
        ("bc_service_credits", "yes"),
        ("bc_restore_tested", "2026-08-01"),
    ]
    .into_iter()
    .collect();
    Answers(
        pairs
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect(),
    )
}

fn evidence() -> Vec<EvidenceItem> {
    vec![
        EvidenceItem {
            id: "soc2".into(),
            kind: EvidenceKind::Soc2Type2,
            expires: None,
            period_end: Some(date!(2026 - 06 - 30)),
        },
        EvidenceItem {
            id: "ins".into(),
            kind: EvidenceKind::CyberInsuranceCertificate,
            expires: Some(date!(2027 - 03 - 31)),
            period_end: None,
        },
        EvidenceItem {
            id: "pt".into(),
            kind: EvidenceKind::PenetrationTestSummary,
            expires: None,
            period_end: Some(date!(2026 - 05 - 01)),
        },
    ]
}

#[test]
fn a_model_vendor_scores_100_and_a_late_notifier_breaks_the_contract() {
    let template = baseline_template().unwrap();
    let profile = InherentRiskProfile {
        data_types: [DataType::Health].into_iter().collect(),
        system_access: SystemAccess::Administrative,
        criticality: Criticality::Critical,
    };
    let contract = Contract {
        breach_notification_hours: Some(72.0),
        minimum_insurance: Some(Money::parse("5000000 EUR").expect("money")),
        ..Contract::default()
    };
    let model = ScoringModel::default();
    let evidence = evidence();
    let answers = best_answers();
    let input = |answers| ScoringInput {
        template: &template,
        rules: &template.scoring,
        answers,
        evidence: &evidence,
        contract: &contract,
        policy: &NO_POLICY,
        fourth_parties: None,
        profile: &profile,
        as_of: date!(2026 - 11 - 22),
        model: &model,
        submitted: true,
        overrides: &[],
        incidents: &[],
        settled: &[],
        rates: &assay_core::money::NO_RATES,
    };

    let best = score(&input(&answers));
    assert_eq!(best.overall, Some(100.0), "{:#?}", best.findings);
    assert!(best.findings.is_empty(), "{:#?}", best.findings);
    assert_eq!(best.inherent_tier, RiskTier::Critical);
    assert_eq!(best.residual_tier, RiskTier::Medium);

    let mut late = answers.clone();
    late.0.insert("brn_hours".into(), "96".into());
    late.0.insert("acc_mfa_admin".into(), "no".into());
    let worse = score(&input(&late));
    let kinds: Vec<FindingKind> = worse.findings.iter().map(|f| f.kind).collect();
    assert!(kinds.contains(&FindingKind::ContractMismatch), "{kinds:?}");
    assert!(kinds.contains(&FindingKind::KnockOut), "{kinds:?}");
    assert!(
        kinds.contains(&FindingKind::Warning),
        "the no-MFA warning rule fires: {kinds:?}"
    );
    assert!(worse.overall.unwrap() < 100.0);
    assert!(worse.residual_tier >= RiskTier::High);
}

/// The vendor of the issue: strong answers on most questions, but insurance below the
/// contract minimum, breach notification slower than the contract, a late incident report
/// and an expired penetration test: a medium inherent risk the score alone lowers to Low.
fn troubled_vendor(settled: &[assay_core::scoring::Settlement]) -> assay_core::scoring::ScoreCard {
    let template = baseline_template().unwrap();
    let profile = InherentRiskProfile {
        data_types: [DataType::Personal].into_iter().collect(),
        system_access: SystemAccess::ReadOnly,
        criticality: Criticality::Low,
    };
    let contract = Contract {
        breach_notification_hours: Some(72.0),
        minimum_insurance: Some(Money::parse("5000000 EUR").expect("money")),
        ..Contract::default()
    };
    let mut answers = best_answers();
    answers.0.insert("ins_amount".into(), "1000000 EUR".into());
    answers.0.insert("brn_hours".into(), "96".into());
    answers
        .0
        .insert("aud_pentest_date".into(), "2024-01-10".into());
    let mut evidence = evidence();
    evidence.retain(|e| e.id != "pt");
    evidence.push(EvidenceItem {
        id: "pt-old".into(),
        kind: EvidenceKind::PenetrationTestSummary,
        expires: None,
        period_end: Some(date!(2024 - 01 - 10)),
    });
    let incident = assay_core::incident::IncidentFact {
        id: "inc-1".into(),
        title: "Leaked backup".into(),
        discovered_at: time::macros::datetime!(2026 - 10 - 01 0:00 UTC),
        reported_at: time::macros::datetime!(2026 - 10 - 06 0:00 UTC),
        notification_hours: 72,
    };
    score(&ScoringInput {
        template: &template,
        rules: &template.scoring,
        answers: &answers,
        evidence: &evidence,
        contract: &contract,
        policy: &NO_POLICY,
        fourth_parties: None,
        profile: &profile,
        as_of: date!(2026 - 11 - 22),
        model: &ScoringModel::default(),
        submitted: true,
        overrides: &[],
        incidents: std::slice::from_ref(&incident),
        settled,
        rates: &assay_core::money::NO_RATES,
    })
}

#[test]
fn open_high_findings_hold_the_residual_tier_at_medium_and_the_card_names_one() {
    let card = troubled_vendor(&[]);
    let high = card
        .findings
        .iter()
        .filter(|f| f.severity == assay_core::template::Severity::High)
        .count();
    assert!(
        high >= 4,
        "the troubled vendor has High findings: {:#?}",
        card.findings
    );
    let held = card
        .held_by
        .as_ref()
        .expect("a finding holds the tier above what the score gives");
    assert_eq!(
        card.residual_tier,
        RiskTier::Medium,
        "High findings hold the residual tier at Medium, whatever the average: {held:?}"
    );
    assert_eq!(held.from_score, RiskTier::Low, "the score alone gives Low");
    assert!(
        card.findings
            .iter()
            .any(|f| f.key == held.finding_key && !held.title.is_empty()),
        "the hold names one of the card's findings: {held:?}"
    );
}

#[test]
fn settled_findings_stop_holding_the_tier() {
    let open = troubled_vendor(&[]);
    let settled: Vec<_> = open
        .findings
        .iter()
        .map(|f| assay_core::scoring::Settlement {
            finding_key: f.key.clone(),
            by: assay_core::scoring::SettledBy::Accepted,
            until: Some(date!(2026 - 12 - 31)),
        })
        .collect();
    let card = troubled_vendor(&settled);
    assert_eq!(
        card.residual_tier,
        RiskTier::Low,
        "with every finding accepted, the score decides: {:?}",
        card.held_by
    );
    assert!(card.held_by.is_none());
    assert!(
        card.findings
            .iter()
            .all(|f| f.settled.is_some() && f.holds_tier.is_none()),
        "settled findings stay listed but hold nothing"
    );
    let lapsed: Vec<_> = settled
        .into_iter()
        .map(|mut s| {
            s.until = Some(date!(2026 - 11 - 01));
            s
        })
        .collect();
    assert_eq!(
        troubled_vendor(&lapsed).residual_tier,
        RiskTier::Medium,
        "an acceptance that has lapsed holds the tier again"
    );
}

#[test]
fn insurance_below_the_contract_minimum_is_one_finding_with_both_figures() {
    let card = troubled_vendor(&[]);
    let on_insurance: Vec<_> = card
        .findings
        .iter()
        .filter(|f| f.question_id.as_deref() == Some("ins_amount"))
        .collect();
    assert_eq!(
        on_insurance.len(),
        1,
        "one gap, one finding: {on_insurance:#?}"
    );
    assert_eq!(
        on_insurance[0].title,
        "Insurance below the contract minimum: 1,000,000 EUR answered, 5,000,000 EUR required"
    );
    let breach: Vec<_> = card
        .findings
        .iter()
        .filter(|f| f.question_id.as_deref() == Some("brn_hours"))
        .collect();
    assert_eq!(breach.len(), 1, "{breach:#?}");
    assert_eq!(
        breach[0].title,
        "Breach notification slower than the contract requires: 96 h answered, 72 h required"
    );
    let template = baseline_template().unwrap();
    let warnings: Vec<_> = template
        .problems()
        .into_iter()
        .filter(|p| p.message.contains("reported once"))
        .collect();
    assert!(
        warnings.is_empty(),
        "the baseline has no rule and check reporting the same gap: {warnings:?}"
    );
}

#[test]
fn a_hidden_question_raises_no_finding_of_any_kind() {
    let mut answers = best_answers();
    answers.0.insert("ins_cover".into(), "no".into());
    answers.0.remove("ins_amount");
    let mut evidence = evidence();
    evidence.retain(|e| e.kind != EvidenceKind::CyberInsuranceCertificate);
    let card = baseline_card(
        &answers,
        &evidence,
        Some(5_000_000.0),
        &assay_core::money::NO_RATES,
    );
    let hidden: Vec<_> = card
        .findings
        .iter()
        .filter(|f| {
            matches!(
                f.question_id.as_deref(),
                Some("ins_amount" | "ins_certificate")
            )
        })
        .collect();
    assert!(
        hidden.is_empty(),
        "without insurance the amount and certificate questions are hidden and raise nothing: {hidden:#?}"
    );
    assert!(
        card.questions
            .iter()
            .filter(|q| q.id == "ins_amount")
            .all(|q| q.points.is_none() && q.contribution == 0.0),
        "a hidden question counts in no denominator"
    );
}

/// The baseline scored for a low-risk vendor whose contract asks 72-hour breach notice and
/// the `minimum` insurance in EUR.
fn baseline_card(
    answers: &Answers,
    evidence: &[EvidenceItem],
    minimum: Option<f64>,
    rates: &assay_core::money::ExchangeRates,
) -> assay_core::scoring::ScoreCard {
    let template = baseline_template().unwrap();
    score(&ScoringInput {
        template: &template,
        rules: &template.scoring,
        answers,
        evidence,
        contract: &Contract {
            breach_notification_hours: Some(72.0),
            minimum_insurance: minimum.map(|amount| Money {
                amount,
                currency: "EUR".to_owned(),
            }),
            ..Contract::default()
        },
        policy: &NO_POLICY,
        fourth_parties: None,
        profile: &InherentRiskProfile {
            data_types: BTreeSet::new(),
            system_access: SystemAccess::None,
            criticality: Criticality::Low,
        },
        as_of: date!(2026 - 11 - 22),
        model: &ScoringModel::default(),
        submitted: true,
        overrides: &[],
        incidents: &[],
        settled: &[],
        rates,
    })
}

/// The baseline's insurance question answered `answer` against a EUR `minimum`.
fn insurance_card(
    answer: &str,
    minimum: Option<f64>,
    rates: &assay_core::money::ExchangeRates,
) -> assay_core::scoring::ScoreCard {
    let mut answers = best_answers();
    answers.0.insert("ins_amount".into(), answer.into());
    baseline_card(&answers, &evidence(), minimum, rates)
}

fn insurance_points(card: &assay_core::scoring::ScoreCard) -> Option<f64> {
    card.questions
        .iter()
        .find(|q| q.id == "ins_amount")
        .and_then(|q| q.points)
}

#[test]
fn money_compares_across_currencies_only_through_a_rate_never_silently() {
    let none = &assay_core::money::NO_RATES;
    let yen = insurance_card("5000000 JPY", Some(5_000_000.0), none);
    assert_eq!(
        insurance_points(&yen),
        Some(0.0),
        "5,000,000 JPY does not meet a EUR 5,000,000 minimum by its digits"
    );
    assert!(
        yen.findings
            .iter()
            .any(|f| f.kind == FindingKind::CannotCompareCurrency
                && f.question_id.as_deref() == Some("ins_amount")),
        "without a rate the card says it cannot compare: {:#?}",
        yen.findings
    );
    let rates = assay_core::money::ExchangeRates::checked(
        "EUR",
        &[("usd".to_owned(), 0.9)],
        time::macros::date!(2026 - 12 - 01),
    )
    .expect("a valid table");
    let dollars = insurance_card("USD 6,000,000", Some(5_000_000.0), &rates);
    assert_eq!(
        insurance_points(&dollars),
        Some(1.0),
        "USD 6,000,000 is EUR 5,400,000 at 0.9"
    );
    let short = insurance_card("USD 5,000,000", Some(5_000_000.0), &rates);
    assert_eq!(
        insurance_points(&short),
        Some(0.0),
        "EUR 4,500,000 is short"
    );
    let gap = short
        .findings
        .iter()
        .find(|f| f.title
            == "Insurance below the contract minimum: 4,500,000 EUR answered, 5,000,000 EUR required")
        .expect("the converted amount is named in the title");
    assert!(
        gap.reason
            .ends_with("The answer was converted at 1 USD = 0.9 EUR (rates of 1 Dec 2026)."),
        "the reason says how the amount was converted: {}",
        gap.reason
    );
    let no_minimum = insurance_card("1 EUR", None, none);
    assert_eq!(
        insurance_points(&no_minimum),
        None,
        "without a contract minimum the amount is not judged (no free full points)"
    );
}

#[test]
fn a_warning_on_a_single_choice_fires_from_the_answer_the_portal_stores() {
    // The portal stores a single choice as the chosen id under the question, not as
    // `"tls_old": "checked"`; the outdated-TLS warning must see both forms.
    let template = baseline_template().unwrap();
    let fires = |value: &str| {
        let mut answers = best_answers();
        answers.0.remove("tls13");
        answers
            .0
            .insert("enc_in_transit".to_owned(), value.to_owned());
        template
            .evaluate(&answers)
            .findings
            .iter()
            .any(|f| f.id == "warn_old_tls")
    };
    assert!(fires("tls_old"));
    assert!(fires("tls_none"));
    assert!(!fires("tls13"));
}

#[test]
fn a_warning_without_its_own_text_says_which_answer_raised_it() {
    let mut answers = best_answers();
    answers
        .0
        .insert("aud_right_to_audit".to_owned(), "no".to_owned());
    let card = baseline_card(
        &answers,
        &evidence(),
        Some(5_000_000.0),
        &assay_core::money::NO_RATES,
    );
    let warning = card
        .findings
        .iter()
        .find(|f| f.title == "No right to audit")
        .expect("answering no raises the warning");
    assert_eq!(
        warning.reason,
        "Raised by the answer to “Will you grant us (or an auditor we appoint) the right to audit, on reasonable notice?”: No.",
        "the reason names the question and the answer as people read them"
    );
}

/// The contract's full terms meet the vendor's answers: each gap is one finding naming both
/// sides, on the question that answered it; a term the organisation's policy requires and
/// the contract lacks is a finding on the vendor that holds the residual tier up.
#[test]
fn contract_terms_are_checked_against_the_answers_and_the_policy() {
    let template = baseline_template().unwrap();
    assert!(
        template.problems().is_empty(),
        "the baseline maps its contract questions cleanly: {:?}",
        template.problems()
    );
    let profile = InherentRiskProfile {
        data_types: [DataType::Personal].into_iter().collect(),
        system_access: SystemAccess::ReadOnly,
        criticality: Criticality::Low,
    };
    let contract = Contract {
        sla_percent: Some(99.9),
        right_to_object: Some(true),
        liability_cap: Some(Money::parse("1000000 GBP").expect("money")),
        data_return_days: Some(30),
        ..Contract::default()
    };
    let policy: ContractPolicy = serde_json::from_value(serde_json::json!({
        "rules": [{"scope": {"data_types": ["personal"]}, "require": {"term": "dpa"}, "severity": "high"}]
    }))
    .expect("policy");
    let mut answers = best_answers();
    answers.0.insert("bc_sla_percent".into(), "99.5".into());
    answers.0.insert("sub_objection".into(), "no".into());
    answers.0.insert("dat_return_days".into(), "90".into());
    // 5,000,000 EUR against a cap in GBP with no rate: said, not guessed.
    let model = ScoringModel::default();
    let evidence = evidence();
    let with_rates = |rates| {
        score(&ScoringInput {
            template: &template,
            rules: &template.scoring,
            answers: &answers,
            evidence: &evidence,
            contract: &contract,
            policy: &policy,
            fourth_parties: None,
            profile: &profile,
            as_of: date!(2026 - 11 - 22),
            model: &model,
            submitted: true,
            overrides: &[],
            incidents: &[],
            settled: &[],
            rates,
        })
    };
    let card = with_rates(&assay_core::money::NO_RATES);
    let by_key = |key: &str| {
        card.findings
            .iter()
            .find(|f| f.key == key)
            .unwrap_or_else(|| panic!("no finding {key}: {:#?}", card.findings))
    };
    let sla = by_key("contract:sla:answer_falls_short");
    assert_eq!(
        sla.reason,
        "SLA answered 99.5 %; the contract requires 99.9 %."
    );
    assert_eq!(sla.question_id.as_deref(), Some("bc_sla_percent"));
    assert_eq!(sla.kind, FindingKind::ContractMismatch);
    let object = by_key("contract:right_to_object:answer_falls_short");
    assert_eq!(object.question_id.as_deref(), Some("sub_objection"));
    let back = by_key("contract:data_return:answer_falls_short");
    assert!(
        back.reason.contains("90 days") && back.reason.contains("30 days"),
        "{}",
        back.reason
    );
    let cap = by_key("contract:liability_cap:currency_mismatch");
    assert!(
        cap.reason.contains("EUR") && cap.reason.contains("GBP"),
        "{}",
        cap.reason
    );
    let dpa = by_key("contract:dpa:term_missing");
    assert_eq!(dpa.kind, FindingKind::ContractPolicy);
    assert_eq!(dpa.severity, Severity::High);
    assert!(
        card.findings
            .iter()
            .all(|f| f.key != "contract:dpa:answer_falls_short"),
        "the vendor answered yes to the DPA: no answer finding"
    );
    assert!(
        card.residual_tier >= RiskTier::Medium,
        "a High policy finding holds the tier at Medium or worse: {:?}",
        card.residual_tier
    );
    // With the rate, the cap is compared in the contract's currency.
    let rates = assay_core::money::ExchangeRates::checked(
        "GBP",
        &[("EUR".to_owned(), 0.85)],
        date!(2026 - 11 - 01),
    )
    .expect("rates");
    let card = with_rates(&rates);
    assert!(
        card.findings
            .iter()
            .all(|f| !f.key.starts_with("contract:liability_cap")),
        "5,000,000 EUR at 0.85 is 4,250,000 GBP, above the 1,000,000 GBP cap: {:#?}",
        card.findings
    );
}
