//! Criterion benchmarks for the pure core; numbers go to docs/BENCHMARKS.md.
//! Run: `cargo bench -p assay-core --bench core`.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::hint::black_box;

use assay_core::contract::{Contract, NO_POLICY};
use assay_core::evaluate::Answers;
use assay_core::import::{self, TemplateFormat};
use assay_core::risk::{Criticality, DataType, InherentRiskProfile, SystemAccess};
use assay_core::scoring::{
    Category, QuestionRule, Rule, ScoringInput, ScoringModel, ScoringRules, score,
};
use assay_core::template::{Item, Question, QuestionKind, Section, Template};
use criterion::{Criterion, criterion_group, criterion_main};

#[path = "../tests/support/oscal_catalog.rs"]
mod oscal_catalog;

/// 1,000 questions in 20 sections, every other one conditional on the previous.
fn large_assessment() -> (Template, ScoringRules, Answers) {
    let mut sections = Vec::new();
    let mut rules = BTreeMap::new();
    let mut answers = BTreeMap::new();
    for s in 0..20 {
        let mut items = Vec::new();
        for q in 0..50 {
            let id = format!("q{s}_{q}");
            let condition = (q % 2 == 1).then(|| {
                assay_core::condition::Condition::parse(&format!("q{s}_{}/yes", q - 1)).unwrap()
            });
            let (kind, rule, answer) = if q % 5 == 4 {
                (
                    QuestionKind::DurationHours,
                    Rule::AtMostBands {
                        bands: vec![(24.0, 1.0), (72.0, 0.7)],
                        otherwise: 0.0,
                    },
                    format!("{}", (s * 7 + q) % 100),
                )
            } else {
                (
                    QuestionKind::YesNo,
                    Rule::YesNo { yes: 1.0, no: 0.0 },
                    if (s + q) % 3 == 0 { "no" } else { "yes" }.to_owned(),
                )
            };
            items.push(Item::Question(Question {
                id: id.clone(),
                text: format!("Question {s}.{q}"),
                help: None,
                kind,
                required: true,
                na_allowed: true,
                condition,
            }));
            rules.insert(
                id.clone(),
                QuestionRule {
                    category: Category::ALL[(s + q) % 10],
                    weight: 1.0 + (q % 3) as f64,
                    rule,
                },
            );
            answers.insert(id, answer);
        }
        sections.push(Item::Section(Section {
            id: Some(format!("s{s}")),
            title: format!("Section {s}"),
            condition: None,
            items,
        }));
    }
    (
        Template::new("Large", sections),
        ScoringRules {
            questions: rules,
            ..Default::default()
        },
        Answers(answers),
    )
}

fn benches(c: &mut Criterion) {
    let (template, rules, answers) = large_assessment();
    let profile = InherentRiskProfile {
        data_types: [DataType::Personal].into_iter().collect(),
        system_access: SystemAccess::ReadWrite,
        criticality: Criticality::High,
    };
    let model = ScoringModel::default();
    let contract = Contract::default();
    let input = ScoringInput {
        template: &template,
        rules: &rules,
        answers: &answers,
        evidence: &[],
        contract: &contract,
        policy: &NO_POLICY,
        fourth_parties: None,
        profile: &profile,
        as_of: time::macros::date!(2026 - 11 - 22),
        model: &model,
        submitted: true,
        overrides: &[],
        incidents: &[],
        settled: &[],
        rates: &assay_core::money::NO_RATES,
    };
    assert_eq!(score(&input).questions.len(), 1000);
    c.bench_function("score 1,000-question assessment", |b| {
        b.iter(|| score(black_box(&input)))
    });

    let webapp = std::fs::read_to_string(format!(
        "{}/../../shared/testdata/vsaq/webapp.json",
        std::env::var("CARGO_MANIFEST_DIR").expect("cargo bench sets CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    c.bench_function("import VSAQ webapp.json", |b| {
        b.iter(|| import::import(black_box(&webapp), TemplateFormat::Vsaq).unwrap())
    });
    let template = import::import(&webapp, TemplateFormat::Vsaq).unwrap();
    let answers = Answers::from_vsaq_json(
        r#"{"application_ssl_exclusively": "checked", "tip_application_ssl_hsts_no": "checked"}"#,
    )
    .unwrap();
    let catalog = oscal_catalog::generated_catalog(20, 25);
    c.bench_function("import generated 1,000-control OSCAL catalog", |b| {
        b.iter(|| import::import(black_box(&catalog), TemplateFormat::Oscal).unwrap())
    });
    c.bench_function("evaluate VSAQ webapp.json", |b| {
        b.iter(|| template.evaluate(black_box(&answers)))
    });

    // The worst case that stalled the server for seconds with a backtracking matcher, and
    // the largest input the limits allow: a 256-character pattern over a 10,000-character
    // answer.
    let text = format!("{}b", "a".repeat(40));
    c.bench_function("matches(): a*a*a*a*a*a*a*c against 40 a and a b", |b| {
        b.iter(|| assay_core::regex::is_match(black_box("a*a*a*a*a*a*a*c"), black_box(&text)))
    });
    // Parsing at the limits: the deepest nesting accepted, and the refusal of input that
    // used to overflow the stack (10,000 `!`; refused by length before any recursion).
    let deepest = format!("{}a{}", "(!".repeat(16), ")".repeat(16));
    c.bench_function("parse a condition nested 32 levels deep", |b| {
        b.iter(|| assay_core::condition::Condition::parse(black_box(&deepest)).unwrap())
    });
    let hostile = format!("{}a", "!".repeat(10_000));
    c.bench_function("refuse a condition of 10,000 '!'", |b| {
        b.iter(|| assay_core::condition::Condition::parse(black_box(&hostile)).unwrap_err())
    });
    let pattern = format!("{}c", "a*".repeat(127));
    let answer = "a".repeat(10_000);
    c.bench_function(
        "matches(): 256-character pattern, 10,000-character answer",
        |b| b.iter(|| assay_core::regex::is_match(black_box(&pattern), black_box(&answer))),
    );
}

criterion_group!(core, benches);
criterion_main!(core);
