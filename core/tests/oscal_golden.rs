//! The OSCAL importer on NIST's sample catalog (../shared/testdata/oscal; counts verified
//! by walking the JSON independently: 4 groups, 4 controls, 3 statuses each) and on a
//! generated 1,000-control catalog.

#![allow(clippy::unwrap_used)]

use assay_core::import::{self, TemplateFormat};
use assay_core::template::{Item, QuestionKind};
use oscal_catalog::generated_catalog;

#[path = "support/oscal_catalog.rs"]
mod oscal_catalog;

fn basic_catalog() -> String {
    let path = format!(
        "{}/../../shared/testdata/oscal/basic-catalog.json",
        std::env::var("CARGO_MANIFEST_DIR").expect("cargo test sets CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn the_sample_catalog_becomes_sections_and_status_questions() {
    let text = basic_catalog();
    assert_eq!(import::detect_format(&text), Some(TemplateFormat::Oscal));

    let template = import::import(&text, TemplateFormat::Oscal).unwrap();
    let summary = template.summary(TemplateFormat::Oscal);

    assert_eq!(
        summary.title,
        "Sample Security Catalog *for Demonstration* and Testing"
    );
    assert_eq!(
        (summary.sections, summary.questions, summary.choices),
        (4, 4, 12)
    );
    let first = template.questions().next().unwrap();
    assert_eq!(first.id, "s1.1.1");
    assert!(
        first
            .text
            .starts_with("1.1.1 Information security roles and responsibilities"),
        "{}",
        first.text
    );
    assert!(
        first.text.contains(
            "[Selection (one or more): initiating a device lock after [Assignment: a duration] of inactivity; requiring the user to initiate a device lock before leaving the system unattended]"
        ),
        "{}",
        first.text
    );
    assert!(
        first
            .help
            .as_deref()
            .unwrap_or_default()
            .contains("Allocation of information security responsibilities")
    );
    let QuestionKind::SingleChoice { choices } = &first.kind else {
        panic!("a status question")
    };
    let labels: Vec<&str> = choices.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(
        labels,
        ["Implemented", "Partially implemented", "Not implemented"]
    );
    assert!(first.na_allowed);
    assert!(
        matches!(&template.items[0], Item::Section(s) if s.title == "1 Organization of Information Security")
    );
}

#[test]
fn a_generated_thousand_control_catalog_imports_completely() {
    // 20 families × 25 controls, each with one enhancement: 1,000 questions.
    let text = generated_catalog(20, 25);

    let template = import::import(&text, TemplateFormat::Oscal).unwrap();

    let summary = template.summary(TemplateFormat::Oscal);
    assert_eq!((summary.sections, summary.questions), (20, 1000));
    let first = template.questions().next().unwrap();
    assert!(
        first.text.contains(
            "[Selection (one or more): daily; every [Assignment: organization-defined frequency]]"
        ),
        "{}",
        first.text
    );
    assert!(
        first.text.contains("  a. Document the review."),
        "{}",
        first.text
    );
}

#[test]
fn errors_carry_the_line() {
    let err = import::import(
        "{\n \"catalog\": {\n  \"metadata\": 5\n }\n}",
        TemplateFormat::Oscal,
    )
    .unwrap_err();
    assert_eq!(err.line, Some(3), "{err}");
}
