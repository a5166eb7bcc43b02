//! Exports: the PDF scorecard's text, the JSON and CSV exports, the portfolio workbook's
//! cells and CSV, and who may download them.

use std::io::Cursor;

use assay_core::access::Role;
use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{get_with, spawn_app};
use crate::review::submitted;

#[tokio::test]
async fn the_pdf_scorecard_carries_the_score_findings_and_decision() {
    let app = spawn_app().await;
    let s = submitted(&app).await;
    let decided = s
        .post(
            &app,
            "/decision",
            &json!({ "outcome": "rejected", "rationale": "No MFA for administrators and slow breach notice." }),
        )
        .await;
    assert_eq!(decided.status(), StatusCode::OK);
    let response = get_with(&s.risk, &app.url(&s.path("/export.pdf"))).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .expect("ascii")
            .contains("scorecard-vendor-ltd.pdf")
    );
    let bytes = response.bytes().await.expect("pdf");
    let document = lopdf::Document::load_mem(&bytes).expect("a PDF lopdf can read");
    let pages: Vec<u32> = document.get_pages().keys().copied().collect();
    let text = document.extract_text(&pages).expect("text");
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "Vendor Ltd",
        "33.3 / 100",
        "High",
        "Rejected",
        "No MFA for administrators and slow breach notice.",
        "No MFA for administrative access",
        "Breach notification slower than the contract requires",
        "brn_hours",
    ] {
        assert!(flat.contains(expected), "`{expected}` in {flat}");
    }
}

#[tokio::test]
async fn json_and_csv_exports_hold_the_answers_scores_and_findings() {
    let app = spawn_app().await;
    let s = submitted(&app).await;
    let json: Value = get_with(&s.risk, &app.url(&s.path("/export.json")))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(json["organisation"], "Acme");
    assert_eq!(json["assessment"]["answers"]["brn_hours"]["value"], "96");
    assert_eq!(
        json["scorecard"]["card"]["method_version"],
        "assay-scoring-1"
    );
    assert_eq!(json["scorecard"]["card"]["model_version"], "0");
    assert_eq!(json["scorecard"]["version"], 1);
    assert!(json["template"]["scoring"]["questions"]["brn_hours"].is_object());
    let findings: Vec<&str> = json["scorecard"]["card"]["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["title"].as_str())
        .collect();
    assert_eq!(
        findings,
        [
            "Breach notification slower than the contract requires: 96 h answered, 72 h required",
            "No MFA for administrative access"
        ]
    );

    let csv = get_with(&s.risk, &app.url(&s.path("/export.csv")))
        .await
        .text()
        .await
        .expect("csv");
    let expected = "question_id,question,category,answer,status,points,weight,contribution,findings\r\n\
        enc_rest,Is customer data encrypted at rest?,Encryption,Yes,Scored,1.00,1,33.33,\r\n\
        brn_hours,Within how many hours do you notify a breach?,Breach notification,96 h,Scored,0.00,1,0.00,\"Breach notification slower than the contract requires: 96 h answered, 72 h required\"\r\n\
        mfa_admin,Do administrators use MFA?,Access control,No,Scored,0.00,1,0.00,No MFA for administrative access\r\n";
    assert_eq!(csv, expected);
}

fn cell(range: &calamine::Range<Data>, row: u32, col: u32) -> Data {
    range.get_value((row, col)).cloned().unwrap_or(Data::Empty)
}

#[tokio::test]
async fn the_portfolio_workbook_has_vendors_findings_and_remediation_sheets() {
    let app = spawn_app().await;
    let s = submitted(&app).await;
    let card = s.scorecard(&app).await;
    let key = card.card.findings.last().expect("finding").key.clone();
    let created = crate::helpers::post_with(
        &s.risk,
        &app.url("/api/remediations"),
        &json!({ "assessment_id": s.sent.assessment.id, "finding_key": key,
                 "due_date": "2099-03-31", "closure_evidence": "MFA policy" }),
    )
    .await;
    assert_eq!(created.status(), StatusCode::CREATED);

    let response = get_with(&s.risk, &app.url("/api/exports/portfolio.xlsx")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response.bytes().await.expect("xlsx").to_vec();
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("xlsx");
    let vendors = workbook.worksheet_range("Vendors").expect("vendors");
    assert_eq!(cell(&vendors, 0, 0), Data::String("Vendor".into()));
    assert_eq!(cell(&vendors, 1, 0), Data::String("Vendor Ltd".into()));
    assert_eq!(cell(&vendors, 1, 4), Data::String("Low".into()), "inherent");
    assert_eq!(
        cell(&vendors, 1, 5),
        Data::String("High".into()),
        "residual"
    );
    match cell(&vendors, 1, 6) {
        Data::Float(overall) => assert_eq!(overall, 33.3, "published with one decimal"),
        other => panic!("overall is a number: {other:?}"),
    }
    assert_eq!(cell(&vendors, 1, 9), Data::Float(2.0), "open findings");
    let findings = workbook.worksheet_range("Findings").expect("findings");
    assert_eq!(findings.height(), 3);
    assert_eq!(
        cell(&findings, 2, 4),
        Data::String("No MFA for administrative access".into())
    );
    let remediation = workbook
        .worksheet_range("Remediation")
        .expect("remediation");
    assert_eq!(
        cell(&remediation, 1, 1),
        Data::String("No MFA for administrative access".into())
    );
    assert_eq!(cell(&remediation, 1, 3), Data::String("Open".into()));

    let csv = get_with(&s.risk, &app.url("/api/exports/portfolio.csv"))
        .await
        .text()
        .await
        .expect("csv");
    // Compressed (as browsers ask for it), the stream still ends cleanly.
    let compressed = s
        .risk
        .get(app.url("/api/exports/portfolio.csv"))
        .header("accept-encoding", "gzip, br")
        .send()
        .await
        .expect("compressed export");
    assert_eq!(compressed.status(), StatusCode::OK);
    let bytes = compressed.bytes().await.expect("the whole compressed body");
    assert!(!bytes.is_empty());
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "vendor,criticality,owner,tags,inherent_tier,residual_tier,overall,decision,last_assessed,open_findings,open_incidents"
    );
    assert_eq!(
        lines[1], "Vendor Ltd,Medium,pro@acme.test,,Low,High,33.3,,,2,0",
        "the vendor was registered without an owner, so whoever registered it owns it"
    );
    assert_eq!(lines.len(), 2);
}

#[tokio::test]
async fn exports_need_the_export_permission_and_stay_in_the_organisation() {
    let app = spawn_app().await;
    let s = submitted(&app).await;
    let pro = &s.sent.procurement;
    for path in [
        s.path("/export.pdf"),
        s.path("/export.json"),
        s.path("/export.csv"),
        "/api/exports/portfolio.xlsx".to_owned(),
        "/api/exports/portfolio.csv".to_owned(),
    ] {
        assert_eq!(
            get_with(pro, &app.url(&path)).await.status(),
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    app.create_user("Acme", "auditor@acme.test", Role::Auditor)
        .await;
    let auditor = app.signed_in("auditor@acme.test").await;
    assert_eq!(
        get_with(&auditor, &app.url(&s.path("/export.json")))
            .await
            .status(),
        StatusCode::OK,
        "auditors receive exports"
    );
    app.create_user("Other", "risk@other.test", Role::RiskManager)
        .await;
    let other = app.signed_in("risk@other.test").await;
    for rest in ["/export.pdf", "/export.json", "/export.csv", "/scorecard"] {
        assert_eq!(
            get_with(&other, &app.url(&s.path(rest))).await.status(),
            StatusCode::NOT_FOUND,
            "{rest}"
        );
    }
    let theirs = get_with(&other, &app.url("/api/exports/portfolio.csv"))
        .await
        .text()
        .await
        .expect("csv");
    assert!(!theirs.contains("Vendor Ltd"), "{theirs}");
}
