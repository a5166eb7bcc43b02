//! Golden tests on Google's VSAQ templates in ../shared/testdata/vsaq (counts verified by
//! reading the files: see docs/SCORING.md's importer notes).

#![allow(clippy::unwrap_used)]

use assay_core::evaluate::Answers;
use assay_core::import::{self, TemplateFormat, vsaq};
use assay_core::template::Severity;

fn testdata(name: &str) -> String {
    let path = format!(
        "{}/../../shared/testdata/vsaq/{name}",
        std::env::var("CARGO_MANIFEST_DIR").expect("cargo test sets CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn webapp_template_summary_matches_the_file() {
    let text = testdata("webapp.json");
    assert_eq!(import::detect_format(&text), Some(TemplateFormat::Vsaq));

    let template = import::import(&text, TemplateFormat::Vsaq).expect("webapp.json imports");
    let summary = template.summary(TemplateFormat::Vsaq);

    assert_eq!(summary.title, "Web Application Security Questionnaire");
    assert_eq!(summary.sections, 30, "blocks below the root");
    assert_eq!(summary.questions, 73);
    assert_eq!(summary.choices, 132);
    assert_eq!(summary.conditional_items, 96);
    assert_eq!(summary.warnings, 42);
    assert_eq!(
        (
            summary.severities.critical,
            summary.severities.high,
            summary.severities.medium
        ),
        (1, 16, 25),
        "one warning has no severity and counts as medium"
    );
}

#[test]
fn webapp_warnings_fire_only_when_their_whole_chain_is_visible() {
    let template = import::import(&testdata("webapp.json"), TemplateFormat::Vsaq).unwrap();

    let hsts_only =
        Answers::from_vsaq_json(r#"{"tip_application_ssl_hsts_no": "checked"}"#).unwrap();
    let both = Answers::from_vsaq_json(
        r#"{"application_ssl_exclusively": "checked", "tip_application_ssl_hsts_no": "checked"}"#,
    )
    .unwrap();

    let hidden = template.evaluate(&hsts_only);
    assert!(
        !hidden
            .findings
            .iter()
            .any(|f| f.id == "warn_application_ssl_nohsts"),
        "the HSTS question is hidden unless the site is HTTPS-only, so its answer cannot fire"
    );
    assert!(
        !hidden
            .visible_questions
            .iter()
            .any(|q| q == "application_ssl_cookies_secure")
    );
    let shown = template.evaluate(&both);
    let finding = shown
        .findings
        .iter()
        .find(|f| f.id == "warn_application_ssl_nohsts")
        .expect("HSTS warning fires");
    assert_eq!(finding.severity, Severity::High);
    assert_eq!(finding.title, "Strict Transport Security not enabled");
    assert!(
        shown
            .visible_questions
            .iter()
            .any(|q| q == "application_ssl_cookies_secure")
    );
}

#[test]
fn test_template_evaluates_questions_in_order_and_its_critical_tip() {
    let template = import::import(&testdata("test_template.json"), TemplateFormat::Vsaq).unwrap();
    let summary = template.summary(TemplateFormat::Vsaq);
    assert_eq!(
        (summary.sections, summary.questions, summary.choices),
        (3, 3, 2)
    );
    assert_eq!((summary.conditional_items, summary.warnings), (1, 1));

    let quiet = template.evaluate(&Answers::default());
    let loud =
        template.evaluate(&Answers::from_vsaq_json(r#"{"data_warning": "checked"}"#).unwrap());

    assert_eq!(quiet.visible_questions.len(), 3);
    assert_eq!(
        &quiet.visible_questions[1..],
        ["data_warning", "declaration"]
    );
    assert!(quiet.findings.is_empty());
    assert_eq!(loud.findings.len(), 1);
    assert_eq!(loud.findings[0].id, "data_tip");
    assert_eq!(loud.findings[0].severity, Severity::Critical);
}

#[test]
fn an_extension_is_inserted_after_the_named_block() {
    let mut template =
        import::import(&testdata("test_template.json"), TemplateFormat::Vsaq).unwrap();

    vsaq::apply_extension(&mut template, &testdata("test_template_extension.json")).unwrap();

    let questions = template.evaluate(&Answers::default()).visible_questions;
    assert_eq!(
        &questions[1..],
        ["company_specific", "data_warning", "declaration"]
    );
    let alone = import::import(
        &testdata("test_template_extension.json"),
        TemplateFormat::Vsaq,
    )
    .unwrap();
    assert_eq!(alone.summary(TemplateFormat::Vsaq).questions, 1);
}

#[test]
fn errors_name_the_line_and_the_item() {
    let broken = "{\n \"questionnaire\": [{\n  \"type\": \"block\", \"text\": \"x\", \"items\": [\n   {\"type\": \"yesno\", \"id\": \"q1\", \"cond\": \"a &&\"}\n  ]}]\n}\n";
    let err = import::import(broken, TemplateFormat::Vsaq).unwrap_err();
    assert_eq!(err.line, Some(4), "{err}");
    assert!(err.to_string().contains("q1"), "{err}");

    let syntax = "{\n \"questionnaire\": [\n  {\"type\": \"block\",, }\n ]\n}";
    let err = import::import(syntax, TemplateFormat::Vsaq).unwrap_err();
    assert_eq!(err.line, Some(3), "{err}");
}

#[test]
fn vsaqon_comments_and_concatenations_become_strict_json_with_the_same_lines() {
    let text = "// licence\n{\"a\": \"one \" +\n   \"two\",\n \"b\": 1}\n";
    let strict = vsaq::to_strict_json(text);
    let value: serde_json::Value = serde_json::from_str(&strict).unwrap();
    assert_eq!(value["a"], "one two");
    assert_eq!(strict.lines().count(), text.lines().count());
}

#[test]
fn real_questionnaires_have_no_text_problems() {
    // The text rules (no control or direction characters, bounded length) must accept what
    // real questionnaires contain.
    for name in ["webapp.json", "test_template.json"] {
        let template = import::import(&testdata(name), TemplateFormat::Vsaq).expect("imports");
        let texts: Vec<_> = template
            .problems()
            .into_iter()
            .filter(|p| p.message.contains("character"))
            .collect();
        assert!(texts.is_empty(), "{name}: {texts:?}");
    }
}

#[test]
fn native_json_round_trips() {
    let template = import::import(&testdata("webapp.json"), TemplateFormat::Vsaq).unwrap();
    let json = serde_json::to_string(&template).unwrap();
    assert_eq!(import::detect_format(&json), Some(TemplateFormat::Json));
    let back = import::import(&json, TemplateFormat::Json).unwrap();
    assert_eq!(back, template);
}
