//! Delegation of one section to a colleague (a narrower link), and pre-fill from the
//! vendor's last completed assessment of the same template.

use assay_core::api::{AssessmentView, ErrorResponse, InvitationView, PortalAssessment};
use reqwest::StatusCode;
use sea_orm::ConnectionTrait;
use serde_json::json;

use crate::assessments::{emailed_token, put_answer, send_csv, vendor_session};
use crate::helpers::{TestApp, get_with, post_with, spawn_app};

const CSV: &str = "section,type,id,text,required,condition\n\
,section,sec_enc,Encryption,false,\n\
Encryption,yes_no,q_encrypt,Do you encrypt customer data at rest?,true,\n\
Encryption,short_text,q_how,How are the keys managed?,true,q_encrypt/yes\n\
,section,sec_breach,Breach notification,false,\n\
Breach notification,duration_hours,q_notify,Hours to notify us of a breach,true,\n\
Breach notification,long_text,q_process,Describe your process,false,q_encrypt/yes\n";

/// The newest link emailed to `to` (the token from its fragment).
async fn newest_token(app: &TestApp, to: &str) -> String {
    emailed_token(app, to).await
}

async fn portal(app: &TestApp, client: &reqwest::Client) -> PortalAssessment {
    get_with(client, &app.url("/api/portal/assessment"))
        .await
        .json()
        .await
        .expect("portal")
}

async fn delegate(app: &TestApp, client: &reqwest::Client, section: &str) -> reqwest::Response {
    post_with(
        client,
        &app.url("/api/portal/delegations"),
        &json!({ "section_id": section, "name": "Sam Security", "email": "sam@vendor.test" }),
    )
    .await
}

#[tokio::test]
async fn a_delegate_sees_and_answers_only_the_delegated_section_and_cannot_submit() {
    let app = spawn_app().await;
    let sent = send_csv(&app, CSV).await;
    let vera = vendor_session(&app, &sent.token).await;
    assert_eq!(
        put_answer(&app, &vera, "q_encrypt", "yes", 0)
            .await
            .status(),
        StatusCode::OK
    );

    let unknown = delegate(&app, &vera, "no_such_section").await;
    let delegated = delegate(&app, &vera, "sec_breach").await;

    assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(delegated.status(), StatusCode::CREATED);
    let invitation: InvitationView = delegated.json().await.expect("invitation");
    assert_eq!(invitation.section_id.as_deref(), Some("sec_breach"));
    assert_eq!(invitation.delegated_by.as_deref(), Some("vera@vendor.test"));

    let sam = vendor_session(&app, &newest_token(&app, "sam@vendor.test").await).await;
    let seen = portal(&app, &sam).await;
    assert_eq!(seen.section.as_deref(), Some("sec_breach"));
    assert_eq!(seen.delegated_by.as_deref(), Some("vera@vendor.test"));
    let template = serde_json::to_string(&seen.template).expect("json");
    assert!(
        template.contains("q_notify") && !template.contains("q_how"),
        "only the section: {template}"
    );
    assert_eq!(
        seen.answers.keys().collect::<Vec<_>>(),
        ["q_encrypt"],
        "what its conditions read, and nothing else"
    );

    let own = put_answer(&app, &sam, "q_notify", "24", 0).await;
    let foreign = put_answer(&app, &sam, "q_encrypt", "no", 1).await;
    let submit = post_with(&sam, &app.url("/api/portal/submit"), &json!({})).await;
    let further = delegate(&app, &sam, "sec_breach").await;

    assert_eq!(own.status(), StatusCode::OK);
    assert_eq!(
        foreign.status(),
        StatusCode::NOT_FOUND,
        "outside the section"
    );
    assert_eq!(submit.status(), StatusCode::FORBIDDEN);
    assert_eq!(further.status(), StatusCode::FORBIDDEN);
    let vera_sees = portal(&app, &vera).await;
    assert_eq!(
        vera_sees.answers["q_notify"].value, "24",
        "the contact sees the delegate's answer"
    );
    assert_eq!(vera_sees.answers["q_encrypt"].value, "yes");
}

#[tokio::test]
async fn resending_keeps_a_delegates_link_limited_to_the_section() {
    let app = spawn_app().await;
    let sent = send_csv(&app, CSV).await;
    let vera = vendor_session(&app, &sent.token).await;
    assert_eq!(
        delegate(&app, &vera, "sec_breach").await.status(),
        StatusCode::CREATED
    );
    let old = newest_token(&app, "sam@vendor.test").await;

    let resent: AssessmentView = post_with(
        &sent.procurement,
        &app.url(&format!("/api/assessments/{}/resend", sent.assessment.id)),
        &json!({}),
    )
    .await
    .json()
    .await
    .expect("resent");

    let new = newest_token(&app, "sam@vendor.test").await;
    assert_ne!(old, new);
    let sam = vendor_session(&app, &new).await;
    assert_eq!(
        portal(&app, &sam).await.section.as_deref(),
        Some("sec_breach")
    );
    assert!(
        resent
            .invitations
            .iter()
            .any(|i| i.recipient_email == "sam@vendor.test"
                && !i.revoked
                && i.section_id.as_deref() == Some("sec_breach")),
        "procurement sees the delegation: {:?}",
        resent.invitations
    );
}

#[tokio::test]
async fn answers_of_the_last_completed_assessment_are_offered_but_never_applied_unasked() {
    let app = spawn_app().await;
    let first = send_csv(&app, CSV).await;
    let vera = vendor_session(&app, &first.token).await;
    for (key, value) in [
        ("q_encrypt", "yes"),
        ("q_how", "Cloud KMS"),
        ("q_notify", "48"),
    ] {
        assert_eq!(
            put_answer(&app, &vera, key, value, 0).await.status(),
            StatusCode::OK
        );
    }
    assert_eq!(
        post_with(&vera, &app.url("/api/portal/submit"), &json!({}))
            .await
            .status(),
        StatusCode::OK
    );
    // Review and decisions complete an assessment; here the database stands in for them.
    app.db
        .execute_unprepared("UPDATE assessments SET status = 'completed'")
        .await
        .expect("completed");

    let again = post_with(
        &first.procurement,
        &app.url("/api/assessments"),
        &json!({ "vendor_id": first.assessment.vendor_id, "template_id": first.assessment.template_id,
                 "due_date": "2099-06-30", "recipients": [{ "name": "Vera", "email": "vera@vendor.test" }] }),
    )
    .await;
    assert_eq!(again.status(), StatusCode::CREATED);
    let vera2 = vendor_session(&app, &newest_token(&app, "vera@vendor.test").await).await;
    let offered = portal(&app, &vera2).await;

    assert!(
        offered.answers.is_empty(),
        "nothing is applied without confirmation"
    );
    assert_eq!(offered.previous["q_notify"].value, "48");
    assert_eq!(offered.previous["q_how"].value, "Cloud KMS");
    assert!(offered.previous_submitted_at.is_some());
    assert_eq!(
        put_answer(&app, &vera2, "q_notify", "24", 0).await.status(),
        StatusCode::OK
    );
    let after = portal(&app, &vera2).await;
    assert!(
        !after.previous.contains_key("q_notify"),
        "answered keys are no longer offered"
    );
    assert!(after.previous.contains_key("q_encrypt"));
}

#[tokio::test]
async fn a_delegate_cannot_reach_files_outside_the_section() {
    let app = spawn_app().await;
    let sent = send_csv(&app, CSV).await;
    let vera = vendor_session(&app, &sent.token).await;
    assert_eq!(
        delegate(&app, &vera, "sec_breach").await.status(),
        StatusCode::CREATED
    );
    let sam = vendor_session(&app, &newest_token(&app, "sam@vendor.test").await).await;
    let upload = |client: reqwest::Client, question: Option<&'static str>| {
        let url = app.url("/api/portal/evidence");
        async move {
            let mut form = reqwest::multipart::Form::new().part(
                "file",
                reqwest::multipart::Part::bytes(b"%PDF-1.7\n%%EOF\n".to_vec()).file_name("p.pdf"),
            );
            if let Some(q) = question {
                form = form.text("question_id", q);
            }
            client
                .post(url)
                .header("sec-fetch-site", "same-origin")
                .multipart(form)
                .send()
                .await
                .expect("request")
        }
    };

    let veras = upload(vera.clone(), Some("q_how")).await;
    let sams_unnamed = upload(sam.clone(), None).await;
    let sams_foreign = upload(sam.clone(), Some("q_how")).await;
    let sams_own = upload(sam.clone(), Some("q_process")).await;

    assert_eq!(veras.status(), StatusCode::CREATED);
    let file: assay_core::api::EvidenceView = veras.json().await.expect("evidence");
    assert_eq!(sams_unnamed.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let error: ErrorResponse = sams_foreign.json().await.expect("error");
    assert_eq!(error.error.field.as_deref(), Some("question_id"));
    assert_eq!(sams_own.status(), StatusCode::CREATED);
    assert_eq!(
        get_with(&sam, &app.url(&format!("/api/portal/evidence/{}", file.id)))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        portal(&app, &sam).await.evidence.len(),
        1,
        "only the section's file"
    );
}
