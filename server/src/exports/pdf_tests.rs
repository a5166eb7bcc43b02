// Renders scorecards and reads them back with lopdf's text extractor, as a reader's
// copy-paste or a search index would.

use crate::exports::pdf::scorecard_pdf;
use crate::exports::report::{
    CategoryLine, DecisionLine, EvidenceLine, FindingLine, OverrideLine, QuestionLine,
    ScorecardReport,
};

const HASH_A: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
const HASH_B: &str = "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752";

fn empty_report() -> ScorecardReport {
    ScorecardReport {
        organisation: "Northwind Bank".into(),
        vendor: "Empty Vendor".into(),
        template: "Assay baseline v3".into(),
        assessment_id: "asm_000".into(),
        status: "Draft".into(),
        generated_at: "2025-03-14T09:30:00Z".into(),
        as_of: "2025-03-14".into(),
        method_version: "assay-scoring-1".into(),
        model_version: "3".into(),
        scorecard_version: 1,
        overall: None,
        inherent_tier: "Low".into(),
        residual_tier: "Low".into(),
        residual_note: None,
        categories: Vec::new(),
        findings: Vec::new(),
        overrides: Vec::new(),
        decision: None,
        evidence: Vec::new(),
        questions: Vec::new(),
    }
}

fn realistic_report() -> ScorecardReport {
    let categories = [
        "Encryption",
        "Breach notification",
        "Access control",
        "Resilience",
    ];
    let questions = (1..=60)
        .map(|n| {
            let category = categories[(n - 1) / 15];
            QuestionLine {
                id: format!("q{n:02}.control"),
                text: format!(
                    "Question {n}: does the vendor operate a documented and tested control \
                     for {category}, reviewed at least annually by an independent party?"
                ),
                category: category.into(),
                answer: if n % 7 == 0 {
                    String::new()
                } else {
                    "yes, see policy → section 4".into()
                },
                points: (n % 7 != 0).then_some(0.7),
                weight: 1.5,
                contribution: 1.35,
                status: if n % 7 == 0 {
                    "Unanswered".into()
                } else {
                    "Scored".into()
                },
            }
        })
        .collect();
    ScorecardReport {
        organisation: "Northwind Bank".into(),
        vendor: "Acme Cloud Ltd".into(),
        assessment_id: "asm_01HQ3K".into(),
        status: "Completed".into(),
        overall: Some(67.8),
        inherent_tier: "High".into(),
        residual_tier: "Medium".into(),
        residual_note: Some(
            "Held at Medium by the open finding “No MFA for administrators”; the score alone gives Low."
                .into(),
        ),
        scorecard_version: 2,
        categories: vec![
            CategoryLine {
                label: "Encryption".into(),
                weight: 2.0,
                score: Some(91.2),
            },
            CategoryLine {
                label: "Breach notification".into(),
                weight: 1.0,
                score: Some(12.5),
            },
            CategoryLine {
                label: "Access control".into(),
                weight: 1.0,
                score: Some(100.0),
            },
            CategoryLine {
                label: "Resilience".into(),
                weight: 1.0,
                score: None,
            },
        ],
        findings: vec![FindingLine {
            severity: "High".into(),
            kind: "Contract mismatch".into(),
            title: "Breach notification slower than the contract".into(),
            reason: "answered 96, at most 72 required".into(),
            question_id: Some("breach.hours".into()),
        }],
        overrides: vec![OverrideLine {
            target: "Question breach.hours".into(),
            change: "0.00 → 0.70 points".into(),
            reason: "Contract amendment signed, takes effect next quarter".into(),
            by: "Dana Risk".into(),
            expires_on: Some("2025-09-30".into()),
        }],
        decision: Some(DecisionLine {
            outcome: "Approved with conditions".into(),
            conditions: vec![
                "Provide the 2025 SOC 2 Type II report by 30 June".into(),
                "Reduce breach notification to ≤ 72 hours".into(),
            ],
            rationale: "Strong encryption and access control; notification gap is contractual."
                .into(),
            by: "Dana Risk".into(),
            at: "2025-03-14T10:02:00Z".into(),
        }),
        evidence: vec![
            EvidenceLine {
                file_name: "acme-soc2-type2-2024.pdf".into(),
                kind: "SOC 2 Type II report".into(),
                sha256: HASH_A.into(),
                size_bytes: 2_400_000,
                expires_on: Some("2025-12-31".into()),
            },
            EvidenceLine {
                file_name: "iso27001-certificate.pdf".into(),
                kind: "ISO 27001 certificate".into(),
                sha256: HASH_B.into(),
                size_bytes: 180_512,
                expires_on: None,
            },
        ],
        questions,
        ..empty_report()
    }
}

/// All pages' text with runs of whitespace collapsed, so wrapped text reads as one line.
fn extract_text(pdf: &[u8]) -> String {
    let document = lopdf::Document::load_mem(pdf).expect("the PDF parses");
    let pages: Vec<u32> = document.get_pages().keys().copied().collect();
    let text = document.extract_text(&pages).expect("text extracts");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn page_count(pdf: &[u8]) -> usize {
    lopdf::Document::load_mem(pdf)
        .expect("the PDF parses")
        .get_pages()
        .len()
}

#[test]
fn realistic_scorecard_is_readable_and_paginated() {
    let report = realistic_report();
    let pdf = scorecard_pdf(&report);
    assert!(pdf.starts_with(b"%PDF-"));

    let text = extract_text(&pdf);
    let pages = page_count(&pdf);
    assert!(pages >= 3, "60 questions span several pages, got {pages}");
    for expected in [
        "Vendor risk scorecard — Acme Cloud Ltd",
        "67.8 / 100",
        "Medium",
        "Breach notification slower than the contract",
        "answered 96, at most 72 required",
        "Approved with conditions",
        "Provide the 2025 SOC 2 Type II report by 30 June",
        "Why this tier",
        "Held at Medium by the open finding",
        "Model version 3 (method assay-scoring-1)",
        "Reduce breach notification to <= 72 hours",
        "0.00 -> 0.70 points",
        HASH_A,
        HASH_B,
        "Page 1 of",
        &format!("Page {pages} of {pages}"),
        "q60.control",
        "n/a",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in {text}");
    }
}

#[test]
fn empty_scorecard_says_so() {
    let pdf = scorecard_pdf(&empty_report());
    assert!(pdf.starts_with(b"%PDF-"));
    assert_eq!(page_count(&pdf), 1);
    let text = extract_text(&pdf);
    for expected in [
        "Not scored",
        "No findings",
        "No decision yet",
        "Page 1 of 1",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in {text}");
    }
}

#[test]
fn text_taller_than_a_page_is_split_not_lost() {
    let mut report = empty_report();
    let ending = "the-very-last-word";
    let long = format!("{} {ending}", "lorem ipsum dolor sit amet ".repeat(400));
    report.questions = vec![QuestionLine {
        id: "long.one".into(),
        text: long,
        category: "Misc".into(),
        answer: "x".repeat(300),
        points: None,
        weight: 1.0,
        contribution: 0.0,
        status: "N/A".into(),
    }];
    let pdf = scorecard_pdf(&report);
    assert!(page_count(&pdf) >= 2);
    assert!(extract_text(&pdf).contains(ending));
}
