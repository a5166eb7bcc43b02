// Renders scorecards and reads them back with lopdf's text extractor, as a reader's
// copy-paste or a search index would.

use crate::exports::pdf::scorecard_pdf;
use crate::exports::report::{
    CategoryLine, DecisionLine, EvidenceLine, FactLine, FindingLine, IncidentLine, OverrideLine,
    QuestionLine, RemediationLine, ScorecardReport, SubprocessorLine,
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
        generated_at: "14 Mar 2025, 09:30 UTC".into(),
        as_of: "14 Mar 2025".into(),
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
        remediations: Vec::new(),
        incidents: Vec::new(),
        more_incidents: 0,
        subprocessors: Vec::new(),
        evidence: Vec::new(),
        facts: Vec::new(),
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
        findings: vec![
            finding(
                "Critical",
                "No MFA for administrators",
                "A failed critical control keeps the residual tier at High or worse.",
            ),
            finding(
                "Critical",
                "No MFA for administrators",
                "The answers meet this warning's condition.",
            ),
            finding(
                "High",
                "Breach notification slower than the contract",
                "answered 96, at most 72 required",
            ),
            finding("High", "Right to audit refused", "answered No"),
            finding("Medium", "Keys managed by hand", "answered Manual"),
            finding("Medium", "Penetration test over a year old", "ended 2 Jan 2024"),
            finding("Medium", "Sixth finding stays off page one", "answered No"),
            finding("Medium", "Seventh finding stays off page one", "answered No"),
        ],
        remediations: vec![
            RemediationLine {
                title: "Enforce MFA for every administrator".into(),
                severity: "Critical".into(),
                owner: "Dana Risk".into(),
                due_on: "30 Apr 2025".into(),
                overdue: false,
                vendor_committed_on: Some("15 Apr 2025".into()),
            },
            RemediationLine {
                title: "Sign the right-to-audit clause".into(),
                severity: "High".into(),
                owner: "Unassigned".into(),
                due_on: "1 Mar 2025".into(),
                overdue: true,
                vendor_committed_on: None,
            },
        ],
        incidents: vec![
            IncidentLine {
                title: "Exposed backup bucket".into(),
                status: "Contained".into(),
                reported_at: "2 Mar 2025, 08:15 UTC".into(),
                late: true,
                timeliness: "Late by 8 h".into(),
                data_affected: "Personal data, 1,200 records".into(),
            },
            IncidentLine {
                title: "Phishing of a support agent".into(),
                status: "Resolved".into(),
                reported_at: "9 Jan 2025, 17:40 UTC".into(),
                late: false,
                timeliness: "On time".into(),
                data_affected: "Not stated".into(),
            },
        ],
        more_incidents: 3,
        subprocessors: vec![SubprocessorLine {
            name: "Offshore Support Pvt Ltd".to_owned(),
            service: "Payroll support desk".to_owned(),
            countries: "India".to_owned(),
            mechanism: "none".to_owned(),
            findings: "Personal data goes to Offshore Support Pvt Ltd in India (IN) without safeguards.".to_owned(),
        }],
        facts: vec![
            FactLine {
                label: "Data locations".into(),
                value: "Germany (Frankfurt) and Ireland (Dublin)".into(),
            },
            FactLine {
                label: "Subprocessors".into(),
                value: "Not answered".into(),
            },
            FactLine {
                label: "Security contact".into(),
                value: "Sam Sec, security@acme.example, +44 20 7946 0000".into(),
            },
        ],
        overrides: vec![OverrideLine {
            target: "Question: Within how many hours do you notify a breach?".into(),
            change: "0.00 → 0.70 points".into(),
            reason: "Contract amendment signed, takes effect next quarter".into(),
            by: "Dana Risk".into(),
            expires_on: Some("30 Sep 2025".into()),
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
            at: "14 Mar 2025, 10:02 UTC".into(),
        }),
        evidence: vec![
            EvidenceLine {
                file_name: "acme-soc2-type2-2024.pdf".into(),
                kind: "SOC 2 Type II report".into(),
                sha256: HASH_A.into(),
                size_bytes: 2_400_000,
                expires_on: Some("31 Dec 2025".into()),
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

fn finding(severity: &str, title: &str, reason: &str) -> FindingLine {
    FindingLine {
        severity: severity.into(),
        kind: "Warning".into(),
        title: title.into(),
        reason: reason.into(),
        status: "Open".into(),
    }
}

/// All pages' text with runs of whitespace collapsed, so wrapped text reads as one line.
fn extract_text(pdf: &[u8]) -> String {
    let document = lopdf::Document::load_mem(pdf).expect("the PDF parses");
    let pages: Vec<u32> = document.get_pages().keys().copied().collect();
    let text = document.extract_text(&pages).expect("text extracts");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Page one's text, whitespace collapsed.
fn page_one_text(pdf: &[u8]) -> String {
    let document = lopdf::Document::load_mem(pdf).expect("the PDF parses");
    let text = document.extract_text(&[1]).expect("text extracts");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The fill colours (`rg`) page one sets, rounded to hundredths.
fn page_one_fills(pdf: &[u8]) -> Vec<(i32, i32, i32)> {
    let document = lopdf::Document::load_mem(pdf).expect("the PDF parses");
    let page = *document.get_pages().get(&1).expect("page one");
    let content = document.get_and_decode_page_content(page).expect("content");
    content
        .operations
        .iter()
        .filter(|op| op.operator == "rg")
        .map(|op| {
            let c: Vec<i32> = op
                .operands
                .iter()
                .map(|o| (o.as_float().expect("a number") * 100.0).round() as i32)
                .collect();
            (c[0], c[1], c[2])
        })
        .collect()
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
        "Question 60: does the vendor operate",
        "n/a",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in {text}");
    }
}

#[test]
fn page_one_is_an_executive_summary_with_tiers_top_findings_and_open_items() {
    let pdf = scorecard_pdf(&realistic_report());
    let page_one = page_one_text(&pdf);
    for expected in [
        "Vendor risk scorecard — Acme Cloud Ltd",
        "For Northwind Bank",
        "RESIDUAL RISK TIER Medium",
        "INHERENT RISK TIER High",
        "OVERALL SCORE 67.8 / 100",
        "Why this tier Held at Medium by the open finding “No MFA for administrators”",
        "Approved with conditions",
        "Decided by Dana Risk on 14 Mar 2025, 10:02 UTC",
        "• Provide the 2025 SOC 2 Type II report by 30 June",
        "Top findings (5 of 7)",
        "• Critical — No MFA for administrators: A failed critical control keeps the residual tier at High or worse.",
        "• High — Breach notification slower than the contract: answered 96, at most 72 required",
        "• Medium — Penetration test over a year old: ended 2 Jan 2024",
        "Open remediation items",
        "Enforce MFA for every administrator Critical Dana Risk 30 Apr 2025",
        "vendor committed to 15 Apr 2025",
        "Sign the right-to-audit clause High Unassigned 1 Mar 2025 (overdue)",
        "Page 1 of",
    ] {
        assert!(
            page_one.contains(expected),
            "page one lacks {expected:?}: {page_one}"
        );
    }
    let critical = page_one.find("Critical — No MFA").expect("critical");
    let high = page_one.find("High — Breach").expect("high");
    let medium = page_one.find("Medium — Keys").expect("medium");
    assert!(
        critical < high && high < medium,
        "most severe first: {page_one}"
    );
    assert_eq!(
        page_one.matches("No MFA for administrators:").count(),
        1,
        "a title is listed once, with the first (most telling) reason: {page_one}"
    );
    for later in [
        "The answers meet this warning's condition.",
        "Sixth finding stays off page one",
        "Question breakdown",
        "Category scores",
        HASH_A,
    ] {
        assert!(
            !page_one.contains(later),
            "{later:?} belongs after page one: {page_one}"
        );
    }
    let everything = extract_text(&pdf);
    assert!(
        everything.contains("Seventh finding stays off page one"),
        "every finding is listed in the detail"
    );
}

#[test]
fn each_tier_is_a_badge_in_its_own_colour() {
    let cases = [
        ("Low", (13, 55, 25)),
        ("Medium", (98, 73, 10)),
        ("High", (86, 33, 7)),
        ("Critical", (55, 5, 7)),
    ];
    for (tier, fill) in cases {
        let report = ScorecardReport {
            residual_tier: tier.into(),
            inherent_tier: "Unknown".into(),
            ..empty_report()
        };
        let pdf = scorecard_pdf(&report);
        let fills = page_one_fills(&pdf);
        assert!(
            fills.contains(&fill),
            "the {tier} badge is filled with {fill:?}: {fills:?}"
        );
        for (other, other_fill) in cases.iter().filter(|(t, _)| *t != tier) {
            assert!(
                !fills.contains(other_fill),
                "a {tier} scorecard shows no {other} badge: {fills:?}"
            );
        }
        assert!(
            page_one_text(&pdf).contains(&format!("RESIDUAL RISK TIER {tier}")),
            "the tier is also in words"
        );
    }
}

#[test]
fn incidents_facts_and_overflowing_items_follow_page_one() {
    let mut report = realistic_report();
    report.remediations = (1..=9)
        .map(|n| RemediationLine {
            title: format!("Remediation item number {n}"),
            severity: "Medium".into(),
            owner: "Dana Risk".into(),
            due_on: format!("{n} May 2025"),
            overdue: false,
            vendor_committed_on: None,
        })
        .collect();
    let pdf = scorecard_pdf(&report);
    let page_one = page_one_text(&pdf);
    assert!(page_one.contains("Remediation item number 6 Medium Dana Risk 6 May 2025"));
    assert!(
        !page_one.contains("Remediation item number 7"),
        "{page_one}"
    );
    assert!(page_one.contains("and 3 more"), "{page_one}");
    let text = extract_text(&pdf);
    for expected in [
        "Remediation item number 9 Medium Dana Risk 9 May 2025",
        "Incidents",
        "Exposed backup bucket Contained 2 Mar 2025, 08:15 UTC Late by 8 h Personal data, 1,200 records",
        "Phishing of a support agent Resolved 9 Jan 2025, 17:40 UTC On time Not stated",
        "and 3 older incidents",
        "Facts the score does not count",
        "Data locations Germany (Frankfurt) and Ireland (Dublin)",
        "Subprocessors Not answered",
        "Security contact Sam Sec, security@acme.example",
        "Overrides",
        "Contract amendment signed, takes effect next quarter",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in {text}");
    }
}

#[test]
fn empty_scorecard_says_so() {
    let pdf = scorecard_pdf(&empty_report());
    assert!(pdf.starts_with(b"%PDF-"));
    assert_eq!(page_count(&pdf), 2, "the summary, then the detail");
    let page_one = page_one_text(&pdf);
    for expected in [
        "Not scored",
        "No findings",
        "No decision yet",
        "No open remediation items",
        "RESIDUAL RISK TIER Low",
        "Page 1 of 2",
    ] {
        assert!(
            page_one.contains(expected),
            "missing {expected:?} in {page_one}"
        );
    }
    let text = extract_text(&pdf);
    for expected in ["No incidents recorded for this vendor", "No evidence"] {
        assert!(text.contains(expected), "missing {expected:?} in {text}");
    }
}

#[test]
fn text_taller_than_a_page_is_split_not_lost() {
    let mut report = empty_report();
    let ending = "the-very-last-word";
    let long = format!("{} {ending}", "lorem ipsum dolor sit amet ".repeat(400));
    report.questions = vec![QuestionLine {
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
