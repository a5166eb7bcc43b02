//! The questionnaire lifecycle: send, open the link, answer, submit.

use assay_core::access::Role;
use assay_core::api::{AssessmentView, ErrorResponse, PortalAssessment, TemplateView, VendorView};
use assay_core::assessment::AssessmentStatus;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, get_with, new_client, post_with, spawn_app};

pub const CSV: &str = "type,id,text,required,condition\n\
yes_no,q_encrypt,Do you encrypt customer data at rest?,true,\n\
short_text,q_how,How are the keys managed?,true,q_encrypt/yes\n\
long_text,q_notes,Anything else?,false,\n";

pub struct Sent {
    pub assessment: AssessmentView,
    pub token: String,
    pub procurement: reqwest::Client,
}

impl Sent {
    /// The assessment now, as procurement's page loads it.
    pub async fn as_procurement_sees_it(&self, app: &TestApp) -> AssessmentView {
        get_with(
            &self.procurement,
            &app.url(&format!("/api/assessments/{}", self.assessment.id)),
        )
        .await
        .json()
        .await
        .expect("assessment")
    }
}

/// Procurement of "Acme" registers a vendor, imports and publishes the CSV template, and
/// sends it; returns the vendor's token from the outbox.
pub async fn send(app: &TestApp) -> Sent {
    send_csv(app, CSV).await
}

/// As [`send`], with the template given as CSV.
pub async fn send_csv(app: &TestApp, csv: &str) -> Sent {
    send_template(app, csv, "csv").await
}

/// As [`send`], with the template in any import format.
pub async fn send_template(app: &TestApp, content: &str, format: &str) -> Sent {
    send_in(app, "Acme", content, format).await
}

/// As [`send_template`], in the organisation named `organisation` (made if missing), by its
/// `pro@<slug>.test`, with an Admin `admin@<slug>.test`.
pub async fn send_in(app: &TestApp, organisation: &str, content: &str, format: &str) -> Sent {
    let slug = assay_server::services::accounts::slugify(organisation);
    let (pro, admin) = (format!("pro@{slug}.test"), format!("admin@{slug}.test"));
    app.create_user(organisation, &pro, Role::Procurement).await;
    app.create_user(organisation, &admin, Role::Admin).await;
    let pro = app.signed_in(&pro).await;
    let vendor: VendorView = post_with(
        &pro,
        &app.url("/api/vendors"),
        &json!({ "legal_name": "Vendor Ltd", "system_access": "read_only", "criticality": "medium" }),
    )
    .await
    .json()
    .await
    .expect("vendor");
    let template: TemplateView = post_with(
        &pro,
        &app.url("/api/templates"),
        &json!({ "content": content, "format": format, "title": "Mini" }),
    )
    .await
    .json()
    .await
    .expect("template");
    assert!(!template.id.is_nil(), "the template imported");
    let published = post_with(
        &pro,
        &app.url(&format!("/api/templates/{}/publish", template.id)),
        &json!({}),
    )
    .await;
    assert_eq!(published.status(), StatusCode::OK);
    let response = post_with(
        &pro,
        &app.url("/api/assessments"),
        &json!({ "vendor_id": vendor.id, "template_id": template.id, "due_date": "2099-01-31",
                 "recipients": [{ "name": "Vera", "email": "vera@vendor.test" }] }),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let assessment: AssessmentView = response.json().await.expect("assessment");
    Sent {
        assessment,
        token: emailed_token(app, "vera@vendor.test").await,
        procurement: pro,
    }
}

/// The token of the portal link in the newest email to `to`, as the recipient would read
/// it: the sealed email opened with the server's key.
pub async fn emailed_token(app: &TestApp, to: &str) -> String {
    let mail = app.newest_email_to(to).await;
    let (_, token) = mail.text.split_once("/portal#token=").unwrap_or_else(|| {
        panic!(
            "a portal link with the token in the fragment: {}",
            mail.text
        )
    });
    token.split_whitespace().next().expect("token").to_owned()
}

pub async fn vendor_session(app: &TestApp, token: &str) -> reqwest::Client {
    let client = new_client();
    let response = post_with(
        &client,
        &app.url("/api/portal/session"),
        &json!({ "token": token }),
    )
    .await;
    assert_eq!(
        response.status(),
        StatusCode::NO_CONTENT,
        "the link opens the portal"
    );
    client
}

pub async fn put_answer(
    app: &TestApp,
    client: &reqwest::Client,
    question: &str,
    value: &str,
    version: u32,
) -> reqwest::Response {
    client
        .put(app.url(&format!("/api/portal/answers/{question}")))
        .json(&json!({ "value": value, "version": version }))
        .send()
        .await
        .expect("request")
}

#[tokio::test]
async fn a_vendor_opens_the_link_answers_and_submits_and_procurement_sees_it() {
    let app = spawn_app().await;
    let sent = send(&app).await;
    assert_eq!(sent.assessment.status, AssessmentStatus::Sent);
    assert_eq!(sent.assessment.template_version, 1);
    let vendor = vendor_session(&app, &sent.token).await;

    let portal: PortalAssessment = get_with(&vendor, &app.url("/api/portal/assessment"))
        .await
        .json()
        .await
        .expect("portal");
    assert_eq!(portal.title, "Mini");
    assert_eq!(portal.organization_name, "Acme");
    let saved = put_answer(&app, &vendor, "q_encrypt", "yes", 0).await;
    assert_eq!(saved.status(), StatusCode::OK);
    let early = post_with(&vendor, &app.url("/api/portal/submit"), &json!({})).await;
    assert_eq!(early.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let missing: ErrorResponse = early.json().await.expect("error");
    assert_eq!(missing.error.code, "incomplete");
    assert_eq!(
        missing.error.details.expect("details")["missing"],
        json!(["q_how"]),
        "the conditional question appeared"
    );
    assert_eq!(
        put_answer(&app, &vendor, "q_how", "Cloud KMS with yearly rotation", 0)
            .await
            .status(),
        StatusCode::OK
    );
    let submitted = post_with(&vendor, &app.url("/api/portal/submit"), &json!({})).await;
    assert_eq!(submitted.status(), StatusCode::OK);
    let locked = put_answer(&app, &vendor, "q_notes", "late", 0).await;

    assert_eq!(
        locked.status(),
        StatusCode::CONFLICT,
        "answers lock on submission"
    );
    let seen = sent.as_procurement_sees_it(&app).await;
    assert_eq!(seen.status, AssessmentStatus::Submitted);
    assert_eq!(seen.answered, 2);
    assert_eq!(
        seen.answers["q_how"].value,
        "Cloud KMS with yearly rotation"
    );
    assert!(seen.invitations[0].opened);
    assert!(seen.submitted_at.is_some());
}

#[tokio::test]
async fn two_colleagues_never_overwrite_each_other() {
    let app = spawn_app().await;
    let sent = send(&app).await;
    let alice = vendor_session(&app, &sent.token).await;
    let bob = vendor_session(&app, &sent.token).await;

    let first = put_answer(&app, &alice, "q_encrypt", "yes", 0).await;
    let second = put_answer(&app, &bob, "q_encrypt", "no", 0).await;

    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(second.status(), StatusCode::CONFLICT);
    let error: ErrorResponse = second.json().await.expect("error");
    assert_eq!(error.error.code, "answer_changed");
    let current = &error.error.details.expect("details")["current"];
    assert_eq!(current["value"], "yes");
    assert_eq!(current["version"], 1);
    assert_eq!(
        put_answer(&app, &bob, "q_encrypt", "no", 1).await.status(),
        StatusCode::OK,
        "with the current version it saves"
    );
}

#[tokio::test]
async fn unknown_links_are_404_and_withdrawn_ones_410() {
    let app = spawn_app().await;
    let sent = send(&app).await;

    let unknown = post_with(
        &new_client(),
        &app.url("/api/portal/session"),
        &json!({ "token": "not-a-token" }),
    )
    .await;
    let cancel = post_with(
        &sent.procurement,
        &app.url(&format!("/api/assessments/{}/cancel", sent.assessment.id)),
        &json!({}),
    )
    .await;
    let withdrawn = post_with(
        &new_client(),
        &app.url("/api/portal/session"),
        &json!({ "token": sent.token }),
    )
    .await;
    let cancel_again = post_with(
        &sent.procurement,
        &app.url(&format!("/api/assessments/{}/cancel", sent.assessment.id)),
        &json!({}),
    )
    .await;

    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    assert_eq!(cancel.status(), StatusCode::OK);
    assert_eq!(withdrawn.status(), StatusCode::GONE);
    assert_eq!(
        cancel_again.status(),
        StatusCode::CONFLICT,
        "a cancelled assessment cannot be cancelled again"
    );
}

#[tokio::test]
async fn vendor_sessions_reach_only_their_assessment_and_client_sessions_not_the_portal() {
    let app = spawn_app().await;
    let sent = send(&app).await;
    app.create_user("Beta", "pro@beta.test", Role::Procurement)
        .await;
    let stranger = app.signed_in("pro@beta.test").await;
    let vendor = vendor_session(&app, &sent.token).await;

    for path in [
        "/api/auth/me",
        "/api/vendors",
        "/api/assessments",
        "/api/templates",
        "/api/audit",
    ] {
        assert_eq!(
            get_with(&vendor, &app.url(path)).await.status(),
            StatusCode::UNAUTHORIZED,
            "{path}"
        );
    }
    assert_eq!(
        get_with(&sent.procurement, &app.url("/api/portal/assessment"))
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    let url = app.url(&format!("/api/assessments/{}", sent.assessment.id));
    assert_eq!(
        get_with(&stranger, &url).await.status(),
        StatusCode::NOT_FOUND
    );
    let theirs: Value = get_with(&stranger, &app.url("/api/assessments"))
        .await
        .json()
        .await
        .expect("list");
    assert_eq!(
        theirs["items"],
        json!([]),
        "another organisation lists none of ours"
    );
    assert_eq!(theirs["total"], 0, "and counts none");
    assert_eq!(
        put_answer(&app, &vendor, "no_such_question", "x", 0)
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn an_acknowledged_answer_survives_a_restart() {
    let app = spawn_app().await;
    let sent = send(&app).await;
    let vendor = vendor_session(&app, &sent.token).await;
    assert_eq!(
        put_answer(&app, &vendor, "q_encrypt", "yes", 0)
            .await
            .status(),
        StatusCode::OK
    );

    // Another instance on the same database stands in for the restarted server.
    let restarted = app.spawn_sibling().await;
    let portal: PortalAssessment = get_with(&vendor, &restarted.url("/api/portal/assessment"))
        .await
        .json()
        .await
        .expect("portal");

    assert_eq!(portal.answers["q_encrypt"].value, "yes");
    assert_eq!(portal.status, AssessmentStatus::InProgress);
}

#[tokio::test]
async fn resending_replaces_the_link_and_revoking_withdraws_it() {
    let app = spawn_app().await;
    let sent = send(&app).await;
    let url = app.url(&format!("/api/assessments/{}", sent.assessment.id));

    let resent: AssessmentView = post_with(&sent.procurement, &format!("{url}/resend"), &json!({}))
        .await
        .json()
        .await
        .expect("resent");
    let old = post_with(
        &new_client(),
        &app.url("/api/portal/session"),
        &json!({ "token": sent.token }),
    )
    .await;
    let new_token = emailed_token(&app, "vera@vendor.test").await;
    assert_ne!(new_token, sent.token);
    vendor_session(&app, &new_token).await;
    let revoked: AssessmentView =
        post_with(&sent.procurement, &format!("{url}/revoke"), &json!({}))
            .await
            .json()
            .await
            .expect("revoked");
    let after = post_with(
        &new_client(),
        &app.url("/api/portal/session"),
        &json!({ "token": new_token }),
    )
    .await;

    assert_eq!(
        resent.invitations.len(),
        2,
        "the withdrawn link stays visible as history"
    );
    assert_eq!(old.status(), StatusCode::GONE);
    assert!(revoked.invitations.iter().all(|i| i.revoked));
    assert_eq!(after.status(), StatusCode::GONE);
}
