//! What a vendor may answer: values checked against their question (by core, on the
//! server), N/A with a justification, evidence questions answered by files, and
//! procurement moving the due date.

use assay_core::api::{AnswerView, AssessmentView, AuditEntryView, CursorPage, ErrorResponse};
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::json;

use crate::assessments::{put_answer, send_csv, vendor_session};
use crate::helpers::{TestApp, get_with, post_with, spawn_app};

const CSV: &str = "type,id,text,required,na_allowed,condition\n\
yes_no,q_encrypt,Do you encrypt customer data at rest?,true,false,\n\
date,q_pentest,When did the last penetration test end?,true,false,\n\
duration_hours,q_notify,Hours to notify us of a breach,true,false,\n\
yes_no,q_health,Do you process health data under HIPAA?,true,true,\n\
evidence,q_report,Upload your SOC 2 report,true,false,\n";

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n";

async fn upload_for(app: &TestApp, client: &reqwest::Client, question: &str) -> reqwest::Response {
    let form = Form::new()
        .part(
            "file",
            Part::bytes(PDF.to_vec()).file_name("report.pdf".to_owned()),
        )
        .text("question_id", question.to_owned());
    client
        .post(app.url("/api/portal/evidence"))
        .header("sec-fetch-site", "same-origin")
        .multipart(form)
        .send()
        .await
        .expect("request")
}

async fn error_of(response: reqwest::Response) -> ErrorResponse {
    response.json().await.expect("an error body")
}

#[tokio::test]
async fn answers_are_checked_against_their_question_and_stored_in_canonical_form() {
    let app = spawn_app().await;
    let sent = send_csv(&app, CSV).await;
    let vendor = vendor_session(&app, &sent.token).await;

    let yes = put_answer(&app, &vendor, "q_encrypt", " YES ", 0).await;
    let maybe = put_answer(&app, &vendor, "q_encrypt", "maybe", 1).await;
    let bad_date = put_answer(&app, &vendor, "q_pentest", "last spring", 0).await;
    let negative = put_answer(&app, &vendor, "q_notify", "-4", 0).await;
    let typed_evidence = put_answer(&app, &vendor, "q_report", "see attached", 0).await;

    assert_eq!(yes.status(), StatusCode::OK);
    let saved: AnswerView = yes.json().await.expect("answer");
    assert_eq!(saved.value, "yes", "stored in canonical form");
    for (response, what) in [
        (maybe, "yes/no"),
        (bad_date, "date"),
        (negative, "hours"),
        (typed_evidence, "evidence"),
    ] {
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{what}"
        );
        let error = error_of(response).await;
        assert_eq!(error.error.field.as_deref(), Some("value"), "{what}");
        assert!(!error.error.message.is_empty(), "{what}");
    }
    let portal: serde_json::Value = get_with(&vendor, &app.url("/api/portal/assessment"))
        .await
        .json()
        .await
        .expect("portal");
    assert_eq!(
        portal["answers"]["q_encrypt"]["value"], "yes",
        "a refused value never replaces the accepted one"
    );
}

#[tokio::test]
async fn not_applicable_needs_a_justification_and_only_where_the_question_allows_it() {
    let app = spawn_app().await;
    let sent = send_csv(&app, CSV).await;
    let vendor = vendor_session(&app, &sent.token).await;
    let put = |question: &'static str, body: serde_json::Value| {
        let vendor = vendor.clone();
        let url = app.url(&format!("/api/portal/answers/{question}"));
        async move { vendor.put(url).json(&body).send().await.expect("request") }
    };

    let bare = put("q_health", json!({ "value": "n/a", "version": 0 })).await;
    let refused = put(
        "q_encrypt",
        json!({ "value": "n/a", "version": 0, "justification": "We hold nothing" }),
    )
    .await;
    let justified = put(
        "q_health",
        json!({ "value": "N/A", "version": 0, "justification": "We are not a US healthcare provider." }),
    )
    .await;

    assert_eq!(bare.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_of(bare).await.error.field.as_deref(),
        Some("justification")
    );
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(justified.status(), StatusCode::OK);
    let seen = sent.as_procurement_sees_it(&app).await;
    assert_eq!(seen.answers["q_health"].value, "n/a");
    assert_eq!(
        seen.answers["q_health"].justification.as_deref(),
        Some("We are not a US healthcare provider."),
        "procurement sees why"
    );
}

#[tokio::test]
async fn a_required_evidence_question_is_answered_by_uploading_a_file_and_uploads_lock_on_submission()
 {
    let app = spawn_app().await;
    let sent = send_csv(&app, CSV).await;
    let vendor = vendor_session(&app, &sent.token).await;
    for (question, value) in [
        ("q_encrypt", "yes"),
        ("q_pentest", "2026-10-01"),
        ("q_notify", "24"),
        ("q_health", "no"),
    ] {
        assert_eq!(
            put_answer(&app, &vendor, question, value, 0).await.status(),
            StatusCode::OK,
            "{question}"
        );
    }

    let early = post_with(&vendor, &app.url("/api/portal/submit"), &json!({})).await;
    let wrong_question = upload_for(&app, &vendor, "q_nope").await;
    let uploaded = upload_for(&app, &vendor, "q_report").await;
    let submitted = post_with(&vendor, &app.url("/api/portal/submit"), &json!({})).await;
    let late = upload_for(&app, &vendor, "q_report").await;

    assert_eq!(early.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_of(early).await.error.details.expect("details")["missing"],
        json!(["q_report"])
    );
    assert_eq!(wrong_question.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_of(wrong_question).await.error.field.as_deref(),
        Some("question_id")
    );
    assert_eq!(uploaded.status(), StatusCode::CREATED);
    assert_eq!(submitted.status(), StatusCode::OK);
    assert_eq!(
        late.status(),
        StatusCode::CONFLICT,
        "no new files after submission"
    );
    let seen = sent.as_procurement_sees_it(&app).await;
    assert_eq!((seen.answered, seen.questions), (5, 5));
}

#[tokio::test]
async fn procurement_extends_the_due_date_and_the_change_is_audited() {
    let app = spawn_app().await;
    let sent = send_csv(&app, CSV).await;
    let url = app.url(&format!("/api/assessments/{}", sent.assessment.id));
    let patch = |body: serde_json::Value| {
        let client = sent.procurement.clone();
        let url = url.clone();
        async move { client.patch(url).json(&body).send().await.expect("request") }
    };

    let extended = patch(json!({ "due_date": "2099-03-31" })).await;
    let past = patch(json!({ "due_date": "2020-01-01" })).await;
    let garbled = patch(json!({ "due_date": "next week" })).await;

    assert_eq!(extended.status(), StatusCode::OK);
    let view: AssessmentView = extended.json().await.expect("assessment");
    assert_eq!(view.due_date, "2099-03-31");
    for response in [past, garbled] {
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            error_of(response).await.error.field.as_deref(),
            Some("due_date")
        );
    }
    let admin = app.signed_in("admin@acme.test").await;
    let log: CursorPage<AuditEntryView> = get_with(
        &admin,
        &app.url("/api/audit?action=assessment.due_date_changed"),
    )
    .await
    .json()
    .await
    .expect("audit");
    assert_eq!(log.items.len(), 1);
    assert_eq!(log.items[0].detail["to"], "2099-03-31");

    post_with(&sent.procurement, &format!("{url}/cancel"), &json!({})).await;
    let closed = patch(json!({ "due_date": "2099-04-30" })).await;
    assert_eq!(closed.status(), StatusCode::CONFLICT);
}

#[tokio::test]
async fn an_answer_save_costs_the_same_few_statements_however_much_is_answered() {
    let app = spawn_app().await;
    let sent = send_csv(&app, CSV).await;
    let vendor = vendor_session(&app, &sent.token).await;
    // The portal session is settled (its expiry renewed) before anything is counted.
    assert_eq!(
        put_answer(&app, &vendor, "q_health", "no", 0)
            .await
            .status(),
        StatusCode::OK
    );

    let before = app.queries.get();
    let first = put_answer(&app, &vendor, "q_encrypt", "yes", 0).await;
    let first_cost = app.queries.get() - before;
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(
        put_answer(&app, &vendor, "q_pentest", "2026-01-31", 0)
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        put_answer(&app, &vendor, "q_notify", "48", 0)
            .await
            .status(),
        StatusCode::OK
    );
    let before = app.queries.get();
    let again = put_answer(&app, &vendor, "q_encrypt", "no", 1).await;
    let later_cost = app.queries.get() - before;

    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(
        first_cost, later_cost,
        "a save costs the same statements with one answer stored as with four"
    );
    assert!(
        later_cost <= 8,
        "an answer save takes {later_cost} statements; it should take at most 8 (the session, its link, then in the transaction the assessment, the answer, its write, and the progress: answers, files and the row)"
    );
}
