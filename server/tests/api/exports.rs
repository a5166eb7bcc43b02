//! Exports: the PDF scorecard's text and how poppler renders its first page, the JSON and
//! CSV exports, the portfolio workbook's cells and CSV, and who may download them.

use std::io::Cursor;
use std::path::Path;
use std::process::Command;

use assay_core::access::Role;
use assay_core::api::{ScorecardView, VendorView};
use assay_core::risk::RiskTier;
use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};

use crate::assessments::{Sent, put_answer, send_template, vendor_session};
use crate::helpers::{TestApp, get_with, post_with, spawn_app};
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
        "Within how many hours do you notify a breach?",
    ] {
        assert!(flat.contains(expected), "`{expected}` in {flat}");
    }
    for id in ["brn_hours", "enc_rest", "mfa_admin"] {
        assert!(
            !flat.contains(id),
            "the question is named, not its id {id}: {flat}"
        );
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

/// A poppler tool's standard output; fails (never skips) when poppler is not installed.
fn poppler(tool: &str, args: &[&str]) -> Vec<u8> {
    let output = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!(
            "could not run {tool} ({e}): install poppler-utils \
             (`apt-get install -y poppler-utils`; ./scripts/test does it)"
        )
    });
    assert!(
        output.status.success(),
        "{tool} {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

pub fn pdftotext(pdf: &Path, page_one_only: bool) -> String {
    let path = pdf.to_str().expect("a UTF-8 path");
    let mut args = vec!["-layout", "-enc", "UTF-8"];
    if page_one_only {
        args.extend(["-f", "1", "-l", "1"]);
    }
    args.extend([path, "-"]);
    String::from_utf8(poppler("pdftotext", &args)).expect("UTF-8 text")
}

/// A binary PPM (P6) image: width, height and RGB bytes.
fn parse_ppm(bytes: &[u8]) -> (usize, usize, Vec<u8>) {
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(std::str::from_utf8(&bytes[start..at]).expect("ascii header"));
    }
    assert_eq!(fields[0], "P6", "a binary PPM");
    assert_eq!(fields[3], "255", "8 bits per channel");
    let width: usize = fields[1].parse().expect("width");
    let height: usize = fields[2].parse().expect("height");
    let pixels = bytes[at + 1..].to_vec();
    assert_eq!(pixels.len(), width * height * 3, "every pixel is there");
    (width, height, pixels)
}

/// An evidence upload: the question it answers, the file name and the document's details.
type Upload<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)]);

/// The baseline, sent to Vendor Ltd (whose contract wants breach notice within 72 hours)
/// and answered as a real vendor would: mostly well, with no MFA for administrators, slow
/// breach notice and no right to audit; evidence uploaded; submitted.
async fn baseline_submitted(app: &TestApp) -> (Sent, reqwest::Client) {
    let sent = send_template(app, assay_core::baseline::BASELINE_JSON, "json").await;
    let contract = sent
        .procurement
        .put(app.url(&format!(
            "/api/vendors/{}/contract",
            sent.assessment.vendor_id
        )))
        .json(&json!({ "breach_notification_hours": 72, "minimum_insurance": "1000000 EUR" }))
        .send()
        .await
        .expect("contract");
    assert_eq!(contract.status(), StatusCode::OK);
    let vendor = vendor_session(app, &sent.token).await;
    let recent = (OffsetDateTime::now_utc() - Duration::days(40))
        .date()
        .to_string();
    let answers: &[(&str, &str)] = &[
        ("gov_policy", "yes"),
        ("gov_owner", "yes"),
        ("gov_training", "yes"),
        ("gov_screening", "yes"),
        ("gov_confidentiality", "yes"),
        ("enc_at_rest", "yes"),
        ("enc_at_rest_algorithm", "enc_aes256"),
        ("enc_in_transit", "tls13"),
        ("enc_keys", "keys_kms"),
        ("enc_customer_keys", "no"),
        ("acc_mfa_admin", "no"),
        ("acc_mfa_all", "yes"),
        ("acc_least_privilege", "yes"),
        ("acc_reviews", "rev_quarterly"),
        ("acc_privileged_logging", "yes"),
        ("acc_offboarding_hours", "24"),
        ("cert_soc2_t2", "checked"),
        ("aud_right_to_audit", "no"),
        ("aud_pentest_date", &recent),
        ("aud_critical_fix_days", "7"),
        ("ins_cover", "yes"),
        ("ins_amount", "5000000 EUR"),
        ("ins_liability_cap", "2000000 EUR"),
        ("brn_hours", "96"),
        ("brn_procedure", "yes"),
        ("reg_gdpr", "checked"),
        (
            "brn_contact",
            "Sam Sec, security@vendor.test, +44 20 7946 0000",
        ),
        ("dat_use_limited", "yes"),
        ("dat_deletion", "del_30"),
        ("dat_return_days", "30"),
        ("dat_locations", "Germany (Frankfurt) and Ireland (Dublin)"),
        ("dat_cross_border", "no"),
        ("dat_dpa", "yes"),
        ("sub_used", "yes"),
        (
            "sub_list",
            r#"[{"name":"Hosting Co","service":"Hosting","data_types":"personal","processing_countries":"IE"},{"name":"Helpdesk Inc","service":"Support desk","processing_countries":"DE, IN","mechanism":"scc2"}]"#,
        ),
        ("sub_notice_days", "30"),
        ("sub_objection", "yes"),
        ("sub_flowdown", "yes"),
        ("ir_plan", "yes"),
        ("ir_tested", &recent),
        ("ir_24x7", "yes"),
        ("bc_plan", "yes"),
        ("bc_rto_hours", "4"),
        ("bc_rpo_hours", "1"),
        ("bc_sla_percent", "99.9"),
        ("bc_service_credits", "yes"),
        ("bc_restore_tested", &recent),
    ];
    for (question, value) in answers {
        let saved = put_answer(app, &vendor, question, value, 0).await;
        let status = saved.status();
        assert_eq!(
            status,
            StatusCode::OK,
            "{question} = {value}: {}",
            saved.text().await.expect("body")
        );
    }
    let pdf = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n";
    let period_end = (OffsetDateTime::now_utc() - Duration::days(60)).date();
    let period_start = (period_end - Duration::days(364)).to_string();
    let period_end = period_end.to_string();
    let uploads: [Upload; 3] = [
        (
            "aud_report",
            "vendor-soc2-type2-report.pdf",
            &[
                ("kind", "soc2_type2"),
                ("period_start", &period_start),
                ("period_end", &period_end),
            ],
        ),
        (
            "ins_certificate",
            "vendor-cyber-insurance.pdf",
            &[
                ("kind", "cyber_insurance_certificate"),
                ("coverage_amount", "5000000"),
                ("coverage_currency", "EUR"),
                ("expires_on", "2099-06-30"),
            ],
        ),
        (
            "aud_pentest_summary",
            "vendor-pentest-summary.pdf",
            &[("kind", "penetration_test_summary"), ("issued_on", &recent)],
        ),
    ];
    for (question, name, fields) in uploads {
        let mut form = Form::new()
            .part("file", Part::bytes(pdf.to_vec()).file_name(name.to_owned()))
            .text("question_id", question.to_owned());
        for (field, value) in fields {
            form = form.text(field.to_string(), value.to_string());
        }
        let uploaded = vendor
            .post(app.url("/api/portal/evidence"))
            .header("sec-fetch-site", "same-origin")
            .multipart(form)
            .send()
            .await
            .expect("upload");
        let status = uploaded.status();
        assert_eq!(
            status,
            StatusCode::CREATED,
            "{question}: {}",
            uploaded.text().await.expect("body")
        );
    }
    let submit = post_with(&vendor, &app.url("/api/portal/submit"), &json!({})).await;
    let status = submit.status();
    assert_eq!(
        status,
        StatusCode::OK,
        "{}",
        submit.text().await.expect("body")
    );
    (sent, vendor)
}

#[tokio::test]
async fn the_board_pdf_opens_on_an_executive_summary_poppler_reads_and_renders_in_colour() {
    // Arrange: a realistic baseline assessment, a remediation item with an owner, a late
    // incident and a conditional approval, all through the API.
    let app = spawn_app().await;
    let (sent, _vendor) = baseline_submitted(&app).await;
    let risk_user = app
        .create_user("Acme", "risk@acme.test", Role::RiskManager)
        .await;
    let risk = app.signed_in("risk@acme.test").await;
    let path = |rest: &str| format!("/api/assessments/{}{rest}", sent.assessment.id);
    let card: ScorecardView = get_with(&risk, &app.url(&path("/scorecard")))
        .await
        .json()
        .await
        .expect("scorecard");
    let most_severe = card
        .card
        .findings
        .iter()
        .max_by_key(|f| f.severity)
        .expect("the answers raise findings");
    let knock_out = card
        .card
        .findings
        .iter()
        .find(|f| f.title == "No MFA for administrative access")
        .expect("the MFA knock-out");
    let item = post_with(
        &risk,
        &app.url("/api/remediations"),
        &json!({ "assessment_id": sent.assessment.id, "finding_key": knock_out.key,
                 "owner_id": risk_user.id, "due_date": "2099-03-31",
                 "closure_evidence": "Screenshot of the enforced MFA policy" }),
    )
    .await;
    assert_eq!(
        item.status(),
        StatusCode::CREATED,
        "{:?}",
        item.text().await
    );
    let vendor: VendorView = get_with(
        &risk,
        &app.url(&format!("/api/vendors/{}", sent.assessment.vendor_id)),
    )
    .await
    .json()
    .await
    .expect("vendor");
    let discovered = OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .expect("instant")
        - Duration::days(10);
    let incident = post_with(
        &risk,
        &app.url("/api/incidents"),
        &json!({
            "vendor_id": vendor.id,
            "title": "Exposed backup bucket",
            "description": "A bucket with nightly backups was publicly readable.",
            "discovered_at": discovered.format(&Rfc3339).expect("rfc 3339"),
            "reported_at": (discovered + Duration::hours(80)).format(&Rfc3339).expect("rfc 3339"),
            "data_types": ["personal"],
            "records_affected": 1200,
            "containment": "Bucket made private; keys rotated.",
            "contact": "Dana Ops, security@vendor.test"
        }),
    )
    .await;
    assert_eq!(
        incident.status(),
        StatusCode::CREATED,
        "{:?}",
        incident.text().await
    );
    let decided = post_with(
        &risk,
        &app.url(&path("/decision")),
        &json!({ "outcome": "approved_with_conditions",
                 "conditions": ["Enforce MFA for every administrator by 31 Mar 2099"],
                 "rationale": "Strong encryption and assurance; MFA and notice gaps are being fixed." }),
    )
    .await;
    assert_eq!(
        decided.status(),
        StatusCode::OK,
        "{:?}",
        decided.text().await
    );
    let card: ScorecardView = get_with(&risk, &app.url(&path("/scorecard")))
        .await
        .json()
        .await
        .expect("scorecard");
    let residual = card.card.residual_tier;

    // The organisation reads times in Berlin.
    let admin = app.signed_in("admin@acme.test").await;
    let zone = admin
        .patch(app.url("/api/organization"))
        .json(&json!({ "time_zone": "Europe/Berlin" }))
        .send()
        .await
        .expect("request");
    assert_eq!(zone.status(), StatusCode::OK);

    // Act: download the PDF as the board would receive it.
    let response = get_with(&risk, &app.url(&path("/export.pdf"))).await;
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response.bytes().await.expect("pdf");
    let dir = tempfile::tempdir().expect("a temporary directory");
    let pdf = dir.path().join("scorecard.pdf");
    std::fs::write(&pdf, &bytes).expect("the PDF written");

    // Assert: page one, as poppler reads it, is the executive summary.
    let page_one = pdftotext(&pdf, true);
    let page_one_flat = page_one.split_whitespace().collect::<Vec<_>>().join(" ");
    let expected_page_one = [
        "Vendor risk scorecard — Vendor Ltd".to_owned(),
        "RESIDUAL RISK TIER".to_owned(),
        residual.label().to_owned(),
        "Why this tier".to_owned(),
        "Approved with conditions".to_owned(),
        "Enforce MFA for every administrator by 31 Mar 2099".to_owned(),
        format!("{} — {}", most_severe.severity.label(), most_severe.title),
        "Open remediation items".to_owned(),
        "No MFA for administrative access".to_owned(),
        "31 Mar 2099".to_owned(),
        "risk@acme.test".to_owned(),
    ];
    for expected in &expected_page_one {
        assert!(
            page_one_flat.contains(expected.as_str()),
            "page one lacks {expected:?}:\n{page_one}"
        );
    }
    let top = page_one_flat
        .split_once("Top findings")
        .map(|(_, rest)| rest)
        .expect("the top findings");
    let first = top
        .split_once("• ")
        .map(|(_, rest)| rest)
        .expect("a bullet");
    assert!(
        first.starts_with(&format!(
            "{} — {}",
            most_severe.severity.label(),
            most_severe.title
        )),
        "the most severe finding comes first: {top}"
    );
    assert_eq!(
        page_one_flat
            .matches("No MFA for administrative access:")
            .count(),
        1,
        "the knock-out and its warning are one problem on page one: {page_one}"
    );
    let remediation_line = page_one
        .lines()
        .find(|l| l.contains("No MFA for administrative access") && l.contains("31 Mar 2099"))
        .unwrap_or_else(|| panic!("the item and its due date on one line:\n{page_one}"));
    assert!(
        remediation_line.contains("risk@acme.test"),
        "{remediation_line}"
    );
    let generated = page_one_flat
        .split("Generated ")
        .nth(1)
        .expect("page one says when it was generated");
    assert!(
        generated.contains(" CET ") || generated.contains(" CEST "),
        "times are in the organisation's zone (Europe/Berlin): {generated:.40}"
    );
    assert!(
        !page_one_flat.contains("Question breakdown"),
        "the breakdown is detail, after page one"
    );

    // The whole file: the new sections, and words rather than ids or float noise.
    let text = pdftotext(&pdf, false);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "Incidents",
        "Exposed backup bucket",
        "Late by 8 h",
        "Personal data, 1,200 records",
        "Facts the score does not count",
        "Germany (Frankfurt) and Ireland (Dublin)",
        // The facts name the subprocessors; their register is a section of its own, taken
        // from the answers on submission.
        "Hosting Co, Helpdesk Inc (where each takes the data: see Subprocessors)",
        "Germany, India",
        "Standard Contractual Clauses (module 2)",
        "Sam Sec, security@vendor.test",
        "Is customer data encrypted at rest?",
        "AES-256",
        "SOC 2 Type II report",
    ] {
        assert!(flat.contains(expected), "missing {expected:?}:\n{text}");
    }
    let baseline = assay_core::baseline::baseline_template().expect("the baseline");
    let mut ids: Vec<String> = baseline
        .questions()
        .flat_map(|q| std::iter::once(q.id.clone()).chain(q.choices().iter().map(|c| c.id.clone())))
        .collect();
    ids.extend(
        [
            "soc2_type2",
            "cyber_insurance_certificate",
            "penetration_test_summary",
        ]
        .map(str::to_owned),
    );
    for id in &ids {
        assert!(
            !text.contains(id.as_str()),
            "raw id {id:?} in the PDF:\n{text}"
        );
    }
    let bytes_of_text = text.as_bytes();
    for (i, window) in bytes_of_text.windows(8).enumerate() {
        let noise = window[0].is_ascii_digit()
            && window[1] == b'.'
            && window[2..].iter().all(u8::is_ascii_digit);
        assert!(
            !noise,
            "float noise at byte {i}: {:?}",
            String::from_utf8_lossy(
                &bytes_of_text[i.saturating_sub(20)..(i + 28).min(bytes_of_text.len())]
            )
        );
    }

    // Page one, as poppler renders it: a PNG exists, and the residual tier's badge is
    // coloured in the top part of the page.
    let prefix = dir.path().join("page-one");
    let prefix = prefix.to_str().expect("a UTF-8 path");
    let pdf_path = pdf.to_str().expect("a UTF-8 path");
    poppler(
        "pdftoppm",
        &[
            "-f",
            "1",
            "-l",
            "1",
            "-r",
            "50",
            "-png",
            "-singlefile",
            pdf_path,
            prefix,
        ],
    );
    let png = std::fs::read(format!("{prefix}.png")).expect("pdftoppm wrote page one as PNG");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG file");
    let ppm = poppler(
        "pdftoppm",
        &["-f", "1", "-l", "1", "-r", "50", "-singlefile", pdf_path],
    );
    let (width, height, pixels) = parse_ppm(&ppm);
    let expected: (i32, i32, i32) = match residual {
        RiskTier::Low => (33, 140, 64),
        RiskTier::Medium => (250, 186, 26),
        RiskTier::High => (219, 84, 18),
        RiskTier::Critical => (140, 13, 18),
    };
    let mut badge_pixels = 0;
    let mut lowest_row = 0;
    for y in 0..height {
        for x in 0..width {
            let at = (y * width + x) * 3;
            let rgb = (
                i32::from(pixels[at]),
                i32::from(pixels[at + 1]),
                i32::from(pixels[at + 2]),
            );
            let close = (rgb.0 - expected.0).abs() < 25
                && (rgb.1 - expected.1).abs() < 25
                && (rgb.2 - expected.2).abs() < 25;
            if close {
                badge_pixels += 1;
                lowest_row = lowest_row.max(y);
            }
        }
    }
    assert!(
        badge_pixels > 500,
        "the {} badge is a solid block of its colour {expected:?} on page one: {badge_pixels} pixels",
        residual.label()
    );
    assert!(
        lowest_row < height / 3,
        "the badge is near the top of page one (row {lowest_row} of {height})"
    );
}

/// The portfolio export takes the dashboard's filters: what the dashboard shows under
/// "criticality high, tag EU, owner X" is what the file lists (the export used to ignore
/// them and list every vendor).
#[tokio::test]
async fn the_portfolio_export_lists_only_the_vendors_the_dashboard_filters_keep() {
    let app = spawn_app().await;
    let s = submitted(&app).await;
    let owner = app
        .create_user("Acme", "owner@acme.test", Role::RiskManager)
        .await;
    let pro = &s.sent.procurement;
    for (name, criticality, tags, owner_id) in [
        (
            "Kept Payroll Ltd",
            "high",
            json!(["EU", "payroll"]),
            Some(owner.id),
        ),
        ("Other Owner Ltd", "high", json!(["eu"]), None),
        ("Low Criticality Ltd", "low", json!(["EU"]), Some(owner.id)),
        ("Untagged Ltd", "high", json!([]), Some(owner.id)),
        ("Archived Ltd", "high", json!(["EU"]), Some(owner.id)),
    ] {
        let id = crate::dashboard::register_vendor(
            &app,
            pro,
            json!({ "legal_name": name, "system_access": "none", "criticality": criticality,
                    "tags": tags, "owner_id": owner_id }),
        )
        .await;
        if name == "Archived Ltd" {
            let archived = pro
                .delete(app.url(&format!("/api/vendors/{id}")))
                .send()
                .await
                .expect("request");
            assert_eq!(archived.status(), StatusCode::NO_CONTENT, "archiving");
        }
    }
    let vendors_in = |csv: &str| -> Vec<String> {
        let mut names: Vec<String> = csv
            .lines()
            .skip(1)
            .filter_map(|l| l.split(',').next().map(str::to_owned))
            .collect();
        names.sort();
        names
    };

    let query = format!("tag=eu&criticality=high&owner_id={}", owner.id);
    let response = get_with(
        &s.risk,
        &app.url(&format!("/api/exports/portfolio.csv?{query}")),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let csv = response.text().await.expect("csv");
    assert_eq!(
        vendors_in(&csv),
        vec!["Kept Payroll Ltd"],
        "only the vendor matching tag, criticality and owner: {csv}"
    );
    let dashboard: assay_core::api::DashboardView =
        get_with(&s.risk, &app.url(&format!("/api/dashboard?{query}")))
            .await
            .json()
            .await
            .expect("dashboard");
    assert_eq!(
        dashboard.vendors, 1,
        "the dashboard shows the same one vendor"
    );

    let by_tag = get_with(&s.risk, &app.url("/api/exports/portfolio.csv?tag=EU"))
        .await
        .text()
        .await
        .expect("csv");
    assert_eq!(
        vendors_in(&by_tag),
        vec!["Kept Payroll Ltd", "Low Criticality Ltd", "Other Owner Ltd"],
        "the tag matches in any case: {by_tag}"
    );

    let response = get_with(
        &s.risk,
        &app.url("/api/exports/portfolio.xlsx?criticality=low"),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response.bytes().await.expect("xlsx").to_vec();
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("xlsx");
    let sheet = workbook.worksheet_range("Vendors").expect("vendors");
    assert_eq!(
        sheet.height(),
        2,
        "a header and the one low-criticality vendor"
    );
    assert_eq!(
        cell(&sheet, 1, 0),
        Data::String("Low Criticality Ltd".into())
    );
    let findings = workbook.worksheet_range("Findings").expect("findings");
    assert!(
        findings.height() <= 1,
        "the scored (medium-criticality) vendor's findings are filtered out too"
    );

    let all = get_with(&s.risk, &app.url("/api/exports/portfolio.csv"))
        .await
        .text()
        .await
        .expect("csv");
    assert_eq!(
        vendors_in(&all).len(),
        5,
        "no filter: every active vendor, the archived one left out: {all}"
    );
    let unfiltered: assay_core::api::DashboardView = get_with(&s.risk, &app.url("/api/dashboard"))
        .await
        .json()
        .await
        .expect("dashboard");
    assert_eq!(
        unfiltered.vendors, 5,
        "the dashboard counts the same vendors the export lists"
    );
}

#[tokio::test]
async fn a_bad_portfolio_export_filter_is_a_422_naming_the_parameter() {
    let app = spawn_app().await;
    let s = submitted(&app).await;
    let long_tag = "x".repeat(41);
    for (path, field) in [
        (
            "/api/exports/portfolio.csv?criticality=severe",
            "criticality",
        ),
        (
            "/api/exports/portfolio.xlsx?criticality=severe",
            "criticality",
        ),
        ("/api/exports/portfolio.csv?owner_id=42", "owner_id"),
        (
            &*format!("/api/exports/portfolio.csv?tag={long_tag}"),
            "tag",
        ),
    ] {
        let response = get_with(&s.risk, &app.url(path)).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{path} should be refused before any file is sent"
        );
        let body: Value = response.json().await.expect("an error body");
        assert_eq!(body["error"]["field"], field, "{path}: {body}");
        assert!(
            body["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "{path}: the error says what is wrong: {body}"
        );
    }
}

/// Every download is audited, and downloads racing each other and other audited writes
/// keep the audit chain whole: each entry takes the chain head's lock in a transaction.
#[tokio::test]
async fn concurrent_downloads_and_writes_are_each_audited_and_the_chain_stays_whole() {
    let app = spawn_app().await;
    let s = submitted(&app).await;
    let admin = app.signed_in("admin@acme.test").await;
    let paths = [
        s.path("/export.json"),
        s.path("/export.csv"),
        "/api/exports/portfolio.csv".to_owned(),
    ];
    let mut tasks = Vec::new();
    for lane in 0..8usize {
        let (risk, pro) = (s.risk.clone(), s.sent.procurement.clone());
        let urls: Vec<String> = paths.iter().map(|p| app.url(p)).collect();
        let vendors = app.url("/api/vendors");
        tasks.push(tokio::spawn(async move {
            let mut downloads = 0usize;
            let mut statuses = Vec::new();
            for n in 0..4usize {
                let response = get_with(&risk, &urls[(lane + n) % urls.len()]).await;
                statuses.push(response.status());
                if response.status() == StatusCode::OK {
                    response.bytes().await.expect("the whole download");
                    downloads += 1;
                }
                // An audited write from another tab at the same moment.
                let made = post_with(
                    &pro,
                    &vendors,
                    &json!({ "legal_name": format!("Race {lane} {n} Ltd"), "system_access": "none", "criticality": "low" }),
                )
                .await;
                statuses.push(made.status());
            }
            (downloads, statuses)
        }));
    }
    let mut downloads = 0;
    for task in tasks {
        let (d, statuses) = task.await.expect("a lane");
        downloads += d;
        assert!(
            statuses.iter().all(|s| s.is_success()),
            "every download and write succeeds on {}: {statuses:?}",
            app.expected_database
        );
    }
    assert_eq!(downloads, 32, "every download was served");
    let audited = get_with(
        &admin,
        &app.url("/api/audit?action=export.downloaded&limit=100"),
    )
    .await
    .json::<Value>()
    .await
    .expect("the audit log");
    assert_eq!(
        audited["total"],
        json!(32),
        "each download is in the audit log once: {audited}"
    );
    let verify = app.audit_verification(&admin).await;
    assert_eq!(
        verify["intact"],
        json!(true),
        "the audit chain stays whole: {verify}"
    );
}
