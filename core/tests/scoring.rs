//! The scoring method, checked on the worked example of docs/SCORING.md and by properties.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use assay_core::contract::{Contract, NO_POLICY};
use assay_core::evaluate::Answers;
use assay_core::risk::{Criticality, DataType, InherentRiskProfile, RiskTier, SystemAccess};
use assay_core::scoring::{
    Category, EvidenceItem, EvidenceKind, EvidenceRequirement, FindingKind, KnockOut, Override,
    OverrideTarget, QuestionRule, QuestionStatus, Rule, ScoreCard, ScoringInput, ScoringModel,
    ScoringRules, Threshold, next_change, score,
};
use assay_core::template::{Item, Question, QuestionKind, Section, Template};
use proptest::prelude::*;
use time::macros::date;

fn question(id: &str, kind: QuestionKind, required: bool) -> Item {
    Item::Question(Question {
        id: id.to_owned(),
        text: id.replace('_', " "),
        help: None,
        kind,
        required,
        na_allowed: true,
        condition: None,
    })
}

fn template() -> Template {
    Template::new(
        "Worked example",
        vec![Item::Section(Section {
            id: Some("s".to_owned()),
            title: "Controls".to_owned(),
            condition: None,
            items: vec![
                question("enc_rest", QuestionKind::YesNo, true),
                question("enc_transit", QuestionKind::YesNo, true),
                question("breach_hours", QuestionKind::DurationHours, true),
                question("mfa_admin", QuestionKind::YesNo, true),
            ],
        })],
    )
}

fn rule(category: Category, weight: f64, rule: Rule) -> QuestionRule {
    QuestionRule {
        category,
        weight,
        rule,
    }
}

fn yes_no() -> Rule {
    Rule::YesNo { yes: 1.0, no: 0.0 }
}

fn rules() -> ScoringRules {
    let mut questions = BTreeMap::new();
    questions.insert(
        "enc_rest".to_owned(),
        rule(Category::Encryption, 2.0, yes_no()),
    );
    questions.insert(
        "enc_transit".to_owned(),
        rule(Category::Encryption, 1.0, yes_no()),
    );
    questions.insert(
        "breach_hours".to_owned(),
        rule(
            Category::BreachNotification,
            1.0,
            Rule::AtMostBands {
                bands: vec![(24.0, 1.0), (72.0, 0.7)],
                otherwise: 0.0,
            },
        ),
    );
    ScoringRules {
        questions,
        ..Default::default()
    }
}

fn model() -> ScoringModel {
    let mut model = ScoringModel::default();
    model.category_weights.insert(Category::Encryption, 2.0);
    model
        .category_weights
        .insert(Category::BreachNotification, 1.0);
    model
}

fn profile() -> InherentRiskProfile {
    InherentRiskProfile {
        data_types: [DataType::Personal].into_iter().collect(),
        system_access: SystemAccess::ReadWrite,
        criticality: Criticality::Medium,
    }
}

fn answers(pairs: &[(&str, &str)]) -> Answers {
    Answers(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    )
}

fn run(
    rules: &ScoringRules,
    answers: &Answers,
    evidence: &[EvidenceItem],
    contract: &Contract,
) -> ScoreCard {
    let template = template();
    score(&ScoringInput {
        template: &template,
        rules,
        answers,
        evidence,
        contract,
        policy: &NO_POLICY,
        fourth_parties: None,
        profile: &profile(),
        as_of: date!(2026 - 11 - 22),
        model: &model(),
        submitted: true,
        overrides: &[],
        incidents: &[],
        settled: &[],
        rates: &assay_core::money::NO_RATES,
    })
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn the_worked_example_of_the_documentation() {
    let card = run(
        &rules(),
        &answers(&[
            ("enc_rest", "yes"),
            ("enc_transit", "no"),
            ("breach_hours", "48"),
        ]),
        &[],
        &Contract::default(),
    );

    let overall = card.overall.unwrap();
    assert_eq!(
        overall, 67.8,
        "(2 × 66.666667 + 70) / 3 = 67.777778, published with one decimal"
    );
    let by_id: BTreeMap<_, _> = card.questions.iter().map(|q| (q.id.as_str(), q)).collect();
    assert_eq!(format!("{:.2}", by_id["enc_rest"].contribution), "44.44");
    assert_eq!(format!("{:.2}", by_id["enc_transit"].contribution), "0.00");
    assert_eq!(
        format!("{:.2}", by_id["breach_hours"].contribution),
        "23.33"
    );
    let encryption = card
        .categories
        .iter()
        .find(|c| c.category == Category::Encryption)
        .unwrap();
    assert_eq!(encryption.score, 66.7, "published with one decimal");
    assert_eq!(
        card.inherent_tier,
        RiskTier::High,
        "personal data, read-write, medium criticality"
    );
    assert_eq!(
        card.residual_tier,
        RiskTier::Medium,
        "adequate controls lower it one tier"
    );
    assert!(card.findings.is_empty(), "{:?}", card.findings);
}

#[test]
fn a_vendor_slower_than_the_contract_is_a_finding_and_scores_nothing_there() {
    let mut rules = rules();
    rules.questions.insert(
        "breach_hours".to_owned(),
        rule(
            Category::BreachNotification,
            1.0,
            Rule::AtMost {
                threshold: Threshold::ContractBreachNotificationHours,
            },
        ),
    );
    let contract = Contract {
        breach_notification_hours: Some(72.0),
        minimum_insurance: None,
        ..Contract::default()
    };

    let card = run(&rules, &answers(&[("breach_hours", "96")]), &[], &contract);

    let finding = card
        .findings
        .iter()
        .find(|f| f.kind == FindingKind::ContractMismatch)
        .unwrap();
    assert_eq!(finding.question_id.as_deref(), Some("breach_hours"));
    assert!(
        finding.reason.contains("96") && finding.reason.contains("72"),
        "{}",
        finding.reason
    );
    let q = card
        .questions
        .iter()
        .find(|q| q.id == "breach_hours")
        .unwrap();
    assert_eq!(q.points, Some(0.0));
}

#[test]
fn a_contract_check_reports_96_hours_against_72_without_changing_the_points() {
    let mut rules = rules();
    rules
        .contract_checks
        .push(assay_core::scoring::ContractCheck {
            question_id: "breach_hours".to_owned(),
            threshold: Threshold::ContractBreachNotificationHours,
            at_most: true,
            title: "Breach notification slower than the contract".to_owned(),
        });
    let contract = Contract {
        breach_notification_hours: Some(72.0),
        minimum_insurance: None,
        ..Contract::default()
    };

    let slow = run(&rules, &answers(&[("breach_hours", "96")]), &[], &contract);
    let fast = run(&rules, &answers(&[("breach_hours", "48")]), &[], &contract);

    let finding = slow
        .findings
        .iter()
        .find(|f| f.kind == FindingKind::ContractMismatch)
        .unwrap();
    assert_eq!(
        finding.title, "Breach notification slower than the contract: 96 h answered, 72 h required",
        "the title names both sides"
    );
    assert_eq!(
        finding.reason,
        "“breach hours” was answered 96 h; at most 72 h is required."
    );
    assert!(
        !fast
            .findings
            .iter()
            .any(|f| f.kind == FindingKind::ContractMismatch)
    );
    let points = |c: &ScoreCard| {
        c.questions
            .iter()
            .find(|q| q.id == "breach_hours")
            .unwrap()
            .points
    };
    assert_eq!(points(&slow), Some(0.0), "96 h is above every band");
    assert_eq!(points(&fast), Some(0.7));
}

#[test]
fn missing_or_expired_evidence_caps_the_question_it_supports() {
    let mut rules = rules();
    rules.evidence.push(EvidenceRequirement {
        question_id: "enc_rest".to_owned(),
        alternatives: vec![EvidenceKind::Soc2Type2, EvidenceKind::Iso27001Certificate],
        max_period_age_days: Some(365),
        cap_when_unmet: 0.5,
    });
    let yes = answers(&[("enc_rest", "yes")]);
    let stale = [EvidenceItem {
        id: "e1".to_owned(),
        kind: EvidenceKind::Soc2Type2,
        expires: None,
        period_end: Some(date!(2025 - 06 - 30)),
    }];
    let current = [EvidenceItem {
        id: "e2".to_owned(),
        kind: EvidenceKind::Iso27001Certificate,
        expires: Some(date!(2027 - 01 - 01)),
        period_end: Some(date!(2026 - 09 - 30)),
    }];

    let missing = run(&rules, &yes, &[], &Contract::default());
    let expired = run(&rules, &yes, &stale, &Contract::default());
    let valid = run(&rules, &yes, &current, &Contract::default());

    let points = |c: &ScoreCard| {
        c.questions
            .iter()
            .find(|q| q.id == "enc_rest")
            .unwrap()
            .points
    };
    assert_eq!(points(&missing), Some(0.5));
    assert!(
        missing
            .findings
            .iter()
            .any(|f| f.kind == FindingKind::EvidenceMissing)
    );
    assert_eq!(points(&expired), Some(0.5));
    assert!(
        expired
            .findings
            .iter()
            .any(|f| f.kind == FindingKind::EvidenceExpired)
    );
    assert_eq!(
        points(&valid),
        Some(1.0),
        "ISO 27001 is an accepted alternative"
    );
}

#[test]
fn a_failed_critical_control_keeps_the_residual_tier_up() {
    let mut rules = rules();
    rules.questions.insert(
        "mfa_admin".to_owned(),
        rule(Category::AccessControl, 1.0, yes_no()),
    );
    rules.knock_outs.push(KnockOut {
        question_id: "mfa_admin".to_owned(),
        below: 1.0,
        min_tier: RiskTier::High,
        title: "No MFA for administrative access".to_owned(),
    });
    let all_good = [
        ("enc_rest", "yes"),
        ("enc_transit", "yes"),
        ("breach_hours", "12"),
    ];
    let mut no_mfa = all_good.to_vec();
    no_mfa.push(("mfa_admin", "no"));
    let mut with_mfa = all_good.to_vec();
    with_mfa.push(("mfa_admin", "yes"));

    let knocked = run(&rules, &answers(&no_mfa), &[], &Contract::default());
    let fine = run(&rules, &answers(&with_mfa), &[], &Contract::default());

    assert!(
        knocked.overall.unwrap() >= 60.0,
        "the average alone would lower the tier"
    );
    assert_eq!(knocked.residual_tier, RiskTier::High);
    assert!(
        knocked
            .findings
            .iter()
            .any(|f| f.kind == FindingKind::KnockOut)
    );
    assert_eq!(
        fine.residual_tier,
        RiskTier::Low,
        "strong controls: two tiers below High"
    );
}

#[test]
fn unanswered_required_questions_count_zero_only_once_submitted_and_na_leaves_the_denominator() {
    let rules = rules();
    let partial = answers(&[("enc_rest", "yes"), ("breach_hours", "n/a")]);
    let template = template();
    let draft = score(&ScoringInput {
        template: &template,
        rules: &rules,
        answers: &partial,
        evidence: &[],
        contract: &Contract::default(),
        policy: &NO_POLICY,
        fourth_parties: None,
        profile: &profile(),
        as_of: date!(2026 - 11 - 22),
        model: &model(),
        submitted: false,
        overrides: &[],
        incidents: &[],
        settled: &[],
        rates: &assay_core::money::NO_RATES,
    });
    let submitted = run(&rules, &partial, &[], &Contract::default());

    assert_eq!(
        draft.overall,
        Some(100.0),
        "only enc_rest counts while drafting"
    );
    assert_eq!(
        submitted.overall,
        Some(66.7),
        "enc_transit counts 0 once submitted"
    );
    let breach = submitted
        .questions
        .iter()
        .find(|q| q.id == "breach_hours")
        .unwrap();
    assert_eq!(breach.status, QuestionStatus::NotApplicable);
    assert!(
        submitted
            .findings
            .iter()
            .any(|f| f.kind == FindingKind::UnansweredRequired)
    );
}

#[test]
fn nothing_scorable_means_no_score() {
    let card = run(
        &rules(),
        &answers(&[
            ("enc_rest", "n/a"),
            ("enc_transit", "n/a"),
            ("breach_hours", "n/a"),
        ]),
        &[],
        &Contract::default(),
    );
    assert_eq!(card.overall, None);
    assert_eq!(card.residual_tier, card.inherent_tier);
}

fn answer_strategy() -> impl Strategy<Value = Vec<(&'static str, String)>> {
    let yn = prop_oneof![
        Just("yes".to_owned()),
        Just("no".to_owned()),
        Just("n/a".to_owned()),
        Just(String::new())
    ];
    let hours = prop_oneof![
        (0u32..200).prop_map(|h| h.to_string()),
        Just("n/a".to_owned()),
        Just(String::new())
    ];
    (yn.clone(), yn, hours)
        .prop_map(|(a, b, c)| vec![("enc_rest", a), ("enc_transit", b), ("breach_hours", c)])
}

fn to_answers(pairs: &[(&'static str, String)]) -> Answers {
    Answers(
        pairs
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
    )
}

proptest! {
    #[test]
    fn scores_stay_in_bounds_and_contributions_add_up(pairs in answer_strategy()) {
        let card = run(&rules(), &to_answers(&pairs), &[], &Contract::default());
        let sum: f64 = card.questions.iter().map(|q| q.contribution).sum();
        match card.overall {
            Some(overall) => {
                prop_assert!((0.0..=100.0).contains(&overall));
                // Contributions are published to two decimals, the overall to one.
                let slack = 0.05 + 0.005 * card.questions.len() as f64;
                prop_assert!((sum - overall).abs() <= slack, "{} vs {}", sum, overall);
            }
            None => prop_assert!(close(sum, 0.0)),
        }
        for c in &card.categories {
            prop_assert!((0.0..=100.0).contains(&c.score));
            prop_assert_eq!(c.score, (c.score * 10.0).round() / 10.0, "one decimal: {}", c.score);
        }
        if let Some(overall) = card.overall {
            prop_assert_eq!(overall, (overall * 10.0).round() / 10.0, "one decimal, no float noise: {}", overall);
        }
        let again = run(&rules(), &to_answers(&pairs), &[], &Contract::default());
        prop_assert_eq!(card, again, "the same inputs give the same card, to the bit");
    }

    #[test]
    fn marking_a_question_na_changes_no_other_points_nor_their_proportions(pairs in answer_strategy()) {
        let before = run(&rules(), &to_answers(&pairs), &[], &Contract::default());
        let mut na = pairs.clone();
        na[0].1 = "n/a".to_owned();
        let after = run(&rules(), &to_answers(&na), &[], &Contract::default());
        for (b, a) in before.questions.iter().zip(&after.questions).skip(1) {
            prop_assert_eq!(b.points, a.points);
        }
        // Among the other questions of the same category, contributions keep their ratio.
        let (b1, b2) = (&before.questions[1], &before.questions[2]);
        let (a1, a2) = (&after.questions[1], &after.questions[2]);
        if b1.category == b2.category && b2.contribution > 0.0 && a2.contribution > 0.0 {
            prop_assert!(close(b1.contribution / b2.contribution, a1.contribution / a2.contribution));
        }
    }

    #[test]
    fn improving_an_answer_never_lowers_the_score(pairs in answer_strategy(), better in 0u32..24) {
        let before = run(&rules(), &to_answers(&pairs), &[], &Contract::default());
        let mut improved = pairs.clone();
        improved[0].1 = "yes".to_owned();
        if let Ok(old) = pairs[2].1.parse::<u32>() {
            improved[2].1 = old.min(better).to_string();
        } else {
            improved[2].1 = pairs[2].1.clone();
        }
        let after = run(&rules(), &to_answers(&improved), &[], &Contract::default());
        if let (Some(b), Some(a)) = (before.overall, after.overall)
            && pairs[0].1 != "n/a" && !pairs[0].1.is_empty()
        {
            prop_assert!(a + 1e-9 >= b, "{} -> {}", b, a);
        }
    }
}

fn run_with(
    rules: &ScoringRules,
    answers: &Answers,
    evidence: &[EvidenceItem],
    overrides: &[Override],
    as_of: time::Date,
) -> ScoreCard {
    let template = template();
    score(&ScoringInput {
        template: &template,
        rules,
        answers,
        evidence,
        contract: &Contract::default(),
        policy: &NO_POLICY,
        fourth_parties: None,
        profile: &profile(),
        as_of,
        model: &model(),
        submitted: true,
        overrides,
        incidents: &[],
        settled: &[],
        rates: &assay_core::money::NO_RATES,
    })
}

fn worked_answers() -> Answers {
    answers(&[
        ("enc_rest", "yes"),
        ("enc_transit", "no"),
        ("breach_hours", "48"),
    ])
}

#[test]
fn a_points_override_replaces_the_computed_points_until_it_lapses() {
    let overrides = [Override {
        id: "o1".to_owned(),
        target: OverrideTarget::Question {
            question_id: "enc_transit".to_owned(),
            points: 1.0,
        },
        reason: "TLS verified in our own scan".to_owned(),
        expires_on: Some(date!(2026 - 12 - 31)),
    }];
    let before = run_with(&rules(), &worked_answers(), &[], &[], date!(2026 - 11 - 22));
    let with = run_with(
        &rules(),
        &worked_answers(),
        &[],
        &overrides,
        date!(2026 - 12 - 31),
    );
    let transit = with
        .questions
        .iter()
        .find(|q| q.id == "enc_transit")
        .unwrap();
    assert_eq!(transit.points, Some(1.0));
    let replaced = transit.overridden.as_ref().expect("marked as overridden");
    assert_eq!(replaced.override_id, "o1");
    assert_eq!(replaced.computed, Some(0.0));
    // Encryption 100, breach 70 → (2 × 100 + 70) / 3 = 90.
    assert!(close(with.overall.unwrap(), 90.0), "{:?}", with.overall);
    assert!(with.overall > before.overall);
    assert_eq!(
        with.residual_tier,
        RiskTier::Low,
        "90 ≥ strong: two tiers below High"
    );

    let lapsed = run_with(
        &rules(),
        &worked_answers(),
        &[],
        &overrides,
        date!(2027 - 01 - 01),
    );
    assert_eq!(
        lapsed.overall, before.overall,
        "the day after its last day it lapses"
    );
    assert!(lapsed.questions.iter().all(|q| q.overridden.is_none()));
}

#[test]
fn a_tier_override_wins_over_knock_outs_and_says_what_it_replaced() {
    let mut rules = rules();
    rules.questions.insert(
        "mfa_admin".to_owned(),
        rule(Category::AccessControl, 1.0, yes_no()),
    );
    rules.knock_outs.push(KnockOut {
        question_id: "mfa_admin".to_owned(),
        below: 1.0,
        min_tier: RiskTier::Critical,
        title: "No MFA for administrators".to_owned(),
    });
    let mut given = worked_answers();
    given.0.insert("mfa_admin".to_owned(), "no".to_owned());
    let overrides = [Override {
        id: "t1".to_owned(),
        target: OverrideTarget::ResidualTier {
            tier: RiskTier::High,
        },
        reason: "MFA rollout contracted for January".to_owned(),
        expires_on: None,
    }];
    let card = run_with(&rules, &given, &[], &overrides, date!(2026 - 11 - 22));
    assert_eq!(card.residual_tier, RiskTier::High);
    let replaced = card.residual_overridden.expect("marked");
    assert_eq!(replaced.computed, RiskTier::Critical);
    assert!(
        card.findings
            .iter()
            .any(|f| f.kind == FindingKind::KnockOut),
        "the finding stays"
    );
}

#[test]
fn expiring_evidence_is_announced_as_the_next_change() {
    let mut rules = rules();
    rules.evidence.push(EvidenceRequirement {
        question_id: "enc_rest".to_owned(),
        alternatives: vec![EvidenceKind::Soc2Type2],
        max_period_age_days: None,
        cap_when_unmet: 0.5,
    });
    let evidence = [EvidenceItem {
        id: "soc2".to_owned(),
        kind: EvidenceKind::Soc2Type2,
        expires: Some(date!(2027 - 01 - 15)),
        period_end: None,
    }];
    let template = template();
    let given = worked_answers();
    let contract = Contract::default();
    let profile = profile();
    let model = model();
    let input = ScoringInput {
        template: &template,
        rules: &rules,
        answers: &given,
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
    let change = next_change(&input).expect("the report expires");
    assert_eq!(change.on, date!(2027 - 01 - 16), "the day after its expiry");
    let now = score(&input).overall.unwrap();
    assert!(change.overall.unwrap() < now, "{change:?}");
    assert_eq!(
        change.new_findings,
        vec!["SOC 2 Type II report expired or out of date".to_owned()]
    );
    assert_eq!(
        change.reasons,
        vec!["the SOC 2 Type II report expired on 15 Jan 2027".to_owned()],
        "the notice says why"
    );
    assert_eq!(change.categories.len(), 1, "{:?}", change.categories);
    assert_eq!(change.categories[0].category, Category::Encryption);
    let sentence = change.sentence(&score(&input));
    assert!(
        sentence.starts_with(
            "On 16 Jan 2027 the SOC 2 Type II report expired on 15 Jan 2027: Encryption "
        ),
        "{sentence}"
    );
    assert!(sentence.contains(" → "), "{sentence}");
    let expired = score(&ScoringInput {
        as_of: change.on,
        ..input.clone()
    });
    let finding = expired
        .findings
        .iter()
        .find(|f| f.kind == FindingKind::EvidenceExpired)
        .unwrap();
    assert_eq!(
        finding.evidence_ids,
        vec!["soc2".to_owned()],
        "linked to the file"
    );
    assert!(
        next_change(&ScoringInput {
            evidence: &[],
            ..input
        })
        .is_none()
    );
}

#[test]
fn finding_keys_stay_the_same_across_recomputations() {
    let given = answers(&[("enc_rest", "yes")]);
    let a = run(&rules(), &given, &[], &Contract::default());
    let b = run(&rules(), &given, &[], &Contract::default());
    assert!(!a.findings.is_empty());
    let keys = |c: &ScoreCard| c.findings.iter().map(|f| f.key.clone()).collect::<Vec<_>>();
    assert_eq!(keys(&a), keys(&b));
    assert!(
        keys(&a)
            .iter()
            .all(|k| k.starts_with("unanswered_required:"))
    );
}

#[test]
fn scoring_models_with_impossible_thresholds_are_refused() {
    let mut model = ScoringModel::default();
    assert_eq!(model.problem(), None);
    model.strong = 50.0;
    assert_eq!(model.problem().map(|(f, _)| f), Some("strong".to_owned()));
    model.strong = 80.0;
    model.category_weights.insert(Category::Insurance, -1.0);
    assert_eq!(
        model.problem().map(|(f, _)| f),
        Some("category_weights.insurance".to_owned())
    );
    let zero: BTreeMap<Category, f64> = Category::ALL.iter().map(|c| (*c, 0.0)).collect();
    model.category_weights = zero;
    assert_eq!(
        model.problem().map(|(f, _)| f),
        Some("category_weights".to_owned())
    );
}

#[test]
fn an_incident_reported_after_the_contract_deadline_is_a_high_finding_and_one_in_time_is_none() {
    use assay_core::incident::IncidentFact;
    use time::macros::datetime;
    let template = template();
    let rules = rules();
    let answers = worked_answers();
    let contract = Contract::default();
    let profile = profile();
    let model = model();
    let incidents = [
        IncidentFact {
            id: "late-one".to_owned(),
            title: "Exposed backup bucket".to_owned(),
            discovered_at: datetime!(2026-11-01 09:00 UTC),
            reported_at: datetime!(2026-11-05 09:00 UTC),
            notification_hours: 72,
        },
        IncidentFact {
            id: "on-time".to_owned(),
            title: "Phishing".to_owned(),
            discovered_at: datetime!(2026-11-01 09:00 UTC),
            reported_at: datetime!(2026-11-04 09:00 UTC),
            notification_hours: 72,
        },
    ];
    let input = ScoringInput {
        template: &template,
        rules: &rules,
        answers: &answers,
        evidence: &[],
        contract: &contract,
        policy: &NO_POLICY,
        fourth_parties: None,
        profile: &profile,
        as_of: date!(2026 - 11 - 22),
        model: &model,
        submitted: true,
        overrides: &[],
        incidents: &incidents,
        settled: &[],
        rates: &assay_core::money::NO_RATES,
    };
    let with = score(&input);
    let without = score(&ScoringInput {
        incidents: &[],
        settled: &[],
        rates: &assay_core::money::NO_RATES,
        ..input.clone()
    });
    let late: Vec<_> = with
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::LateIncidentReport)
        .collect();
    assert_eq!(late.len(), 1, "only the late report is a finding: {late:?}");
    assert_eq!(late[0].key, "incident:late-one");
    assert_eq!(late[0].severity, assay_core::template::Severity::High);
    assert_eq!(
        late[0].reason,
        "Incident 'Exposed backup bucket' reported 96 h after discovery; the contract requires 72 h"
    );
    assert_eq!(with.overall, without.overall, "a finding, not points");
    assert_eq!(with.findings.len(), without.findings.len() + 1);
}
