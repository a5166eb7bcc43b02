//! Answers by spreadsheet: the vendor downloads the questionnaire as a workbook from the
//! portal, fills it in, uploads it; Assay shows what it will store and what it refuses, by
//! row, stores nothing until confirmed, and then stores the answers as if typed.

use assay_core::api::{AnswerImportOutcome, AnswerImportView, ErrorResponse, PortalAssessment};
use calamine::{Data, Reader, Xlsx};
use reqwest::StatusCode;
use reqwest::header::CONTENT_TYPE;
use rust_xlsxwriter::Workbook;
use sea_orm::ConnectionTrait;
use serde_json::json;

use crate::assessments::{send_template, vendor_session};
use crate::helpers::{TestApp, get_with, post_with, spawn_app};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A yes/no question, a choice asked only when the first is yes, hours that may be N/A,
/// and a multiple choice.
const TEMPLATE: &str = r#"{
  "title": "Spreadsheet check",
  "items": [{ "type": "section", "id": "s", "title": "Controls", "items": [
    { "type": "question", "id": "enc_rest", "text": "Is customer data encrypted at rest?", "kind": { "kind": "yes_no" }, "required": true, "na_allowed": false },
    { "type": "question", "id": "enc_how", "text": "With what?", "kind": { "kind": "single_choice", "choices": [{ "id": "aes", "label": "AES-256" }, { "id": "other", "label": "Something else" }] }, "required": false, "na_allowed": false, "condition": "enc_rest/yes" },
    { "type": "question", "id": "brn_hours", "text": "Within how many hours do you notify a breach?", "kind": { "kind": "duration_hours" }, "required": true, "na_allowed": true },
    { "type": "question", "id": "tls", "text": "Which TLS versions do you accept?", "kind": { "kind": "multiple_choice", "choices": [{ "id": "tls12", "label": "TLS 1.2" }, { "id": "tls13", "label": "TLS 1.3" }] }, "required": false, "na_allowed": false }
  ]}]
}"#;

/// A workbook with `header` and `rows`, as someone would type it.
fn workbook(header: &[&str], rows: &[&[&str]]) -> Vec<u8> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Answers").expect("name");
    for (c, text) in header.iter().enumerate() {
        sheet
            .write_string(0, u16::try_from(c).expect("column"), *text)
            .expect("header");
    }
    for (r, cells) in rows.iter().enumerate() {
        for (c, text) in cells.iter().enumerate() {
            if !text.is_empty() {
                sheet
                    .write_string(
                        u32::try_from(r + 1).expect("row"),
                        u16::try_from(c).expect("column"),
                        *text,
                    )
                    .expect("cell");
            }
        }
    }
    workbook.save_to_buffer().expect("saved")
}

async fn upload(
    app: &TestApp,
    vendor: &reqwest::Client,
    path: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    vendor
        .post(app.url(path))
        .header(CONTENT_TYPE, XLSX)
        .header("sec-fetch-site", "same-origin")
        .body(bytes)
        .send()
        .await
        .expect("request")
}

async fn import(
    app: &TestApp,
    vendor: &reqwest::Client,
    apply: bool,
    bytes: Vec<u8>,
) -> AnswerImportView {
    let path = if apply {
        "/api/portal/answers/import/apply"
    } else {
        "/api/portal/answers/import"
    };
    let response = upload(app, vendor, path, bytes).await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "{path}: {}",
        response.text().await.unwrap_or_default()
    );
    response.json().await.expect("an import view")
}

async fn portal(app: &TestApp, vendor: &reqwest::Client) -> PortalAssessment {
    get_with(vendor, &app.url("/api/portal/assessment"))
        .await
        .json()
        .await
        .expect("the portal's assessment")
}

fn outcome(view: &AnswerImportView, row: u32) -> (AnswerImportOutcome, Option<String>) {
    let r = view
        .rows
        .iter()
        .find(|r| r.row == row)
        .unwrap_or_else(|| panic!("row {row} in {:#?}", view.rows));
    (r.outcome, r.message.clone())
}

/// The filled-in sheet: the columns in another order than the download's, one answer
/// per kind, a choice the other answer does not ask, and three refusals.
fn filled() -> Vec<u8> {
    workbook(
        &["answer", "id", "justification", "question"],
        &[
            &["No", "enc_rest", "", "Is customer data encrypted at rest?"],
            &["AES-256", "enc_how", "", "With what?"],
            &[
                "Not applicable",
                "brn_hours",
                "We hold no personal data.",
                "",
            ],
            &["TLS 1.3; TLS 1.2", "tls", "", ""],
            &["Yes", "no_such_question", "", ""],
            &["", "enc_rest", "", "a blank cell changes nothing"],
        ],
    )
}

#[tokio::test]
async fn a_vendor_answers_by_spreadsheet_sees_what_will_change_and_then_stores_it() {
    let app = spawn_app().await;
    let sent = send_template(&app, TEMPLATE, "json").await;
    let vendor = vendor_session(&app, &sent.token).await;

    // The download: one row per question, saying how to answer it.
    let response = get_with(&vendor, &app.url("/api/portal/answers.xlsx")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[CONTENT_TYPE], XLSX);
    let bytes = response.bytes().await.expect("bytes").to_vec();
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).expect("a workbook");
    let sheet = book.worksheet_range("Answers").expect("the Answers sheet");
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(Data::to_string).collect())
        .collect();
    assert_eq!(rows[0][0], "id");
    let ids: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(ids, ["enc_rest", "enc_how", "brn_hours", "tls"]);
    assert!(
        rows[2][3].contains("AES-256") && rows[3][3].contains("Not applicable"),
        "how to answer names the options and N/A: {rows:?}"
    );

    // The preview names every row's fate and stores nothing.
    let preview = import(&app, &vendor, false, filled()).await;
    assert!(!preview.applied);
    assert_eq!(
        (
            preview.apply,
            preview.unchanged,
            preview.not_asked,
            preview.refused
        ),
        (3, 1, 1, 1),
        "{:#?}",
        preview.rows
    );
    assert_eq!(outcome(&preview, 2).0, AnswerImportOutcome::Apply);
    assert_eq!(
        outcome(&preview, 3).0,
        AnswerImportOutcome::NotAsked,
        "encryption answered No: “with what?” is not asked"
    );
    let (refused, why) = outcome(&preview, 6);
    assert_eq!(refused, AnswerImportOutcome::Refused);
    assert!(
        why.as_deref()
            .is_some_and(|m| m.contains("no_such_question")),
        "{why:?}"
    );
    assert!(
        portal(&app, &vendor).await.answers.is_empty(),
        "a preview stores nothing"
    );

    // Confirmed: stored as if typed, in canonical form, and audited once.
    let applied = import(&app, &vendor, true, filled()).await;
    assert!(applied.applied);
    assert_eq!(applied.apply, 3);
    let answers = portal(&app, &vendor).await.answers;
    assert_eq!(answers["enc_rest"].value, "no");
    assert_eq!(answers["brn_hours"].value, "n/a");
    assert_eq!(
        answers["brn_hours"].justification.as_deref(),
        Some("We hold no personal data.")
    );
    assert_eq!(answers["tls12"].value, "checked");
    assert_eq!(answers["tls13"].value, "checked");
    assert!(
        !answers.contains_key("enc_how"),
        "what is not asked is not stored"
    );

    // Uploading the same sheet again changes nothing.
    let again = import(&app, &vendor, true, filled()).await;
    assert_eq!((again.apply, again.unchanged), (0, 4), "{:#?}", again.rows);
    assert_eq!(portal(&app, &vendor).await.answers["enc_rest"].version, 1);

    let admin = app.signed_in("admin@acme.test").await;
    let imported: Vec<_> = app
        .audit_log(&admin)
        .await
        .into_iter()
        .filter(|e| e.action == "answers.imported")
        .collect();
    assert_eq!(
        imported.len(),
        1,
        "one audit entry per import that stored something"
    );
    assert_eq!(imported[0].detail["applied"], 3);
}

#[tokio::test]
async fn answers_the_portal_would_refuse_are_refused_by_row_and_nothing_else_changes() {
    let app = spawn_app().await;
    let sent = send_template(&app, TEMPLATE, "json").await;
    let vendor = vendor_session(&app, &sent.token).await;
    let sheet = workbook(
        &["id", "answer", "justification"],
        &[
            &["enc_rest", "Maybe"],
            &["brn_hours", "N/A"],
            &["tls", "SSL 3"],
            &["brn_hours", "24 h"],
        ],
    );
    let view = import(&app, &vendor, true, sheet).await;
    assert_eq!(view.refused, 4, "{:#?}", view.rows);
    let messages: Vec<String> = view.rows.iter().filter_map(|r| r.message.clone()).collect();
    assert!(messages[0].contains("yes or no"), "{messages:?}");
    assert!(messages[1].contains("Explain why"), "{messages:?}");
    assert!(
        messages[2].contains("“SSL 3” is not one of the options"),
        "{messages:?}"
    );
    assert!(
        messages[3].contains("Row 3 already answers"),
        "{messages:?}"
    );
    assert!(portal(&app, &vendor).await.answers.is_empty());
}

#[tokio::test]
async fn files_that_are_no_answers_workbook_get_a_clear_4xx_and_the_server_keeps_answering() {
    let app = spawn_app().await;
    let sent = send_template(&app, TEMPLATE, "json").await;
    let vendor = vendor_session(&app, &sent.token).await;

    let not_a_workbook = upload(
        &app,
        &vendor,
        "/api/portal/answers/import",
        b"%PDF-1.7 hello".to_vec(),
    )
    .await;
    assert_eq!(not_a_workbook.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let error: ErrorResponse = not_a_workbook.json().await.expect("an error");
    assert_eq!(error.error.field.as_deref(), Some("file"));
    assert!(
        error.error.message.contains("not an Excel workbook"),
        "{}",
        error.error.message
    );

    let no_columns = workbook(&["question", "reply"], &[&["enc_rest", "Yes"]]);
    let response = upload(&app, &vendor, "/api/portal/answers/import", no_columns).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let error: ErrorResponse = response.json().await.expect("an error");
    assert!(
        error.error.message.contains("“answer” column"),
        "{}",
        error.error.message
    );

    // Far more rows than a questionnaire has: refused naming the row, not read to the end.
    let ids: Vec<String> = (0..5_010).map(|i| format!("q{i}")).collect();
    let rows: Vec<[&str; 2]> = ids.iter().map(|id| [id.as_str(), "Yes"]).collect();
    let rows: Vec<&[&str]> = rows.iter().map(|r| &r[..]).collect();
    let response = upload(
        &app,
        &vendor,
        "/api/portal/answers/import",
        workbook(&["id", "answer"], &rows),
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let error: ErrorResponse = response.json().await.expect("an error");
    assert!(
        error.error.message.contains("at most 5000 rows"),
        "{}",
        error.error.message
    );

    // Control characters in a cell are refused like in the portal, not stored.
    let hostile = workbook(
        &["id", "answer"],
        &[&["enc_rest", "Yes"], &["brn_hours", "12\u{0}"]],
    );
    let view = import(&app, &vendor, false, hostile).await;
    assert_eq!(outcome(&view, 3).0, AnswerImportOutcome::Refused);

    let health = get_with(&vendor, &app.url("/api/health")).await;
    assert_eq!(
        health.status(),
        StatusCode::OK,
        "the server keeps answering"
    );
}

#[tokio::test]
async fn once_submitted_a_workbook_changes_nothing_and_says_why() {
    let app = spawn_app().await;
    let sent = send_template(&app, TEMPLATE, "json").await;
    let vendor = vendor_session(&app, &sent.token).await;
    let first = import(
        &app,
        &vendor,
        true,
        workbook(
            &["id", "answer"],
            &[&["enc_rest", "Yes"], &["brn_hours", "24"]],
        ),
    )
    .await;
    assert_eq!(first.apply, 2);
    let submit = post_with(&vendor, &app.url("/api/portal/submit"), &json!({})).await;
    assert_eq!(submit.status(), StatusCode::OK, "submitted");
    let response = upload(
        &app,
        &vendor,
        "/api/portal/answers/import/apply",
        workbook(&["id", "answer"], &[&["enc_rest", "No"]]),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let error: ErrorResponse = response.json().await.expect("an error");
    assert_eq!(error.error.code, "answers_locked");
    assert_eq!(portal(&app, &vendor).await.answers["enc_rest"].value, "yes");
}

#[tokio::test]
async fn workbooks_uploaded_at_once_are_each_answered_and_every_answer_lands_once() {
    let app = spawn_app().await;
    let sent = send_template(&app, TEMPLATE, "json").await;
    let vendor = vendor_session(&app, &sent.token).await;
    // Eight uploads at once, each of a different breach-notice answer.
    let uploads = (1..=8).map(|hours| {
        let app = &app;
        let vendor = &vendor;
        async move {
            let sheet = workbook(
                &["id", "answer"],
                &[&["enc_rest", "Yes"], &["brn_hours", &hours.to_string()]],
            );
            upload(app, vendor, "/api/portal/answers/import/apply", sheet)
                .await
                .status()
        }
    });
    let statuses = futures_util::future::join_all(uploads).await;
    assert!(
        statuses.iter().all(|s| *s == StatusCode::OK),
        "every upload is applied in turn, none fails: {statuses:?}"
    );
    let answers = portal(&app, &vendor).await.answers;
    assert_eq!(
        answers["enc_rest"].version, 1,
        "the same answer is stored once"
    );
    assert_eq!(
        answers["brn_hours"].version, 8,
        "each upload's different answer is a version of its own"
    );
}

#[tokio::test]
async fn procurement_enters_answers_received_by_email_and_is_named_for_them() {
    let app = spawn_app().await;
    let sent = send_template(&app, TEMPLATE, "json").await;
    let path = |rest: &str| format!("/api/assessments/{}{rest}", sent.assessment.id);

    let response = get_with(&sent.procurement, &app.url(&path("/answers.xlsx"))).await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "Procurement downloads the workbook"
    );
    let sheet = workbook(
        &["id", "answer"],
        &[&["enc_rest", "Yes"], &["brn_hours", "48"]],
    );
    let preview = upload(
        &app,
        &sent.procurement,
        &path("/answers/import"),
        sheet.clone(),
    )
    .await;
    assert_eq!(preview.status(), StatusCode::OK);
    let preview: AnswerImportView = preview.json().await.expect("a preview");
    assert_eq!((preview.applied, preview.apply), (false, 2));
    let applied = upload(
        &app,
        &sent.procurement,
        &path("/answers/import/apply"),
        sheet.clone(),
    )
    .await;
    assert_eq!(applied.status(), StatusCode::OK);

    // The vendor sees the answers in the portal, stored by the Procurement user.
    let vendor = vendor_session(&app, &sent.token).await;
    let answers = portal(&app, &vendor).await.answers;
    assert_eq!(answers["brn_hours"].value, "48");
    let admin = app.signed_in("admin@acme.test").await;
    let entry = app
        .audit_log(&admin)
        .await
        .into_iter()
        .find(|e| e.action == "answers.imported")
        .expect("audited");
    assert!(
        entry.actor.contains("pro@acme.test"),
        "the user who entered them: {}",
        entry.actor
    );

    // An Auditor may not; another organisation does not see the assessment.
    app.create_user("Acme", "audit@acme.test", assay_core::access::Role::Auditor)
        .await;
    let auditor = app.signed_in("audit@acme.test").await;
    let refused = upload(
        &app,
        &auditor,
        &path("/answers/import/apply"),
        sheet.clone(),
    )
    .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    app.create_user(
        "Globex",
        "pro@globex.test",
        assay_core::access::Role::Procurement,
    )
    .await;
    let other = app.signed_in("pro@globex.test").await;
    let hidden = upload(&app, &other, &path("/answers/import/apply"), sheet.clone()).await;
    assert_eq!(hidden.status(), StatusCode::NOT_FOUND);

    // Once the vendor submits, answers are theirs alone.
    let submit = post_with(&vendor, &app.url("/api/portal/submit"), &json!({})).await;
    assert_eq!(submit.status(), StatusCode::OK);
    let locked = upload(
        &app,
        &sent.procurement,
        &path("/answers/import/apply"),
        sheet,
    )
    .await;
    assert_eq!(locked.status(), StatusCode::CONFLICT);
}

#[tokio::test]
async fn a_preview_only_reads_so_it_answers_beside_an_apply_and_while_the_assessment_is_held() {
    let app = spawn_app().await;
    let sent = send_template(&app, TEMPLATE, "json").await;
    let vendor = vendor_session(&app, &sent.token).await;
    let sheet = || {
        workbook(
            &["id", "answer"],
            &[&["enc_rest", "Yes"], &["brn_hours", "24"]],
        )
    };

    // A preview and an apply of the same workbook at once: both answer.
    let (preview, applied) = tokio::join!(
        upload(&app, &vendor, "/api/portal/answers/import", sheet()),
        upload(&app, &vendor, "/api/portal/answers/import/apply", sheet()),
    );
    assert_eq!(preview.status(), StatusCode::OK, "the preview answers");
    assert_eq!(applied.status(), StatusCode::OK, "the apply answers");
    let applied: AnswerImportView = applied.json().await.expect("an import view");
    assert!(applied.applied, "the apply stored the answers");
    assert_eq!(
        portal(&app, &vendor).await.answers["brn_hours"].version,
        1,
        "the apply's answer is stored once"
    );

    // While another use case holds the write turn and the assessment's row (as an apply
    // does while it stores), a preview still answers at once: it takes neither.
    let held = assay_server::db::begin_write(&app.db)
        .await
        .expect("a write transaction");
    if held.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        held.execute_unprepared(&format!(
            "SELECT id FROM assessments WHERE id = '{}' FOR UPDATE",
            sent.assessment.id
        ))
        .await
        .expect("the assessment's row locked");
    }
    let changed = workbook(&["id", "answer"], &[&["brn_hours", "48"]]);
    let preview = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        upload(&app, &vendor, "/api/portal/answers/import", changed),
    )
    .await
    .expect("a preview does not wait for writers to finish");
    assert_eq!(preview.status(), StatusCode::OK, "the preview answers");
    let preview: AnswerImportView = preview.json().await.expect("an import view");
    assert!(!preview.applied, "a preview stores nothing");
    assert_eq!(
        outcome(&preview, 2).0,
        AnswerImportOutcome::Apply,
        "planned against the answers stored: 24 hours becomes 48"
    );
    held.rollback().await.expect("released");
    assert_eq!(
        portal(&app, &vendor).await.answers["brn_hours"].version,
        1,
        "the preview changed nothing"
    );
}
