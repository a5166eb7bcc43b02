//! Sessions end when they should, even with requests in flight: sign-out is final, a
//! vendor's session ends with the link it was opened with (revoked, re-sent, cancelled),
//! and a section delegate reaches only their own section's threads and items.

use assay_core::access::Role;
use assay_core::api::{PortalAssessment, ScorecardView};
use reqwest::StatusCode;
use serde_json::json;

use crate::assessments::{Sent, emailed_token, put_answer, send, send_template, vendor_session};
use crate::helpers::{PASSWORD, TestApp, get_with, new_client, post_with, spawn_app};

/// Signs in without a cookie jar and returns the `name=value` of the session cookie.
async fn session_cookie(app: &TestApp, email: &str) -> String {
    let login = new_client()
        .post(app.url("/api/auth/login"))
        .json(&json!({ "email": email, "password": PASSWORD }))
        .send()
        .await
        .expect("login");
    assert_eq!(login.status(), StatusCode::OK);
    login
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.contains("assay_session="))
        .and_then(|v| v.split(';').next())
        .expect("a session cookie")
        .to_owned()
}

#[tokio::test]
async fn sign_out_is_final_even_with_requests_in_flight() {
    let app = spawn_app().await;
    app.create_user("Acme", "ada@acme.test", Role::Admin).await;
    let client = new_client();
    for round in 0..10 {
        let cookie = session_cookie(&app, "ada@acme.test").await;
        // Requests that load the session before sign-out and save it after.
        let mut in_flight = Vec::new();
        for _ in 0..8 {
            let request = client
                .get(app.url("/api/vendors"))
                .header("cookie", &cookie)
                .send();
            in_flight.push(tokio::spawn(request));
        }
        let logout = client
            .post(app.url("/api/auth/logout"))
            .header("cookie", &cookie)
            .header("sec-fetch-site", "same-origin")
            .json(&json!({}))
            .send()
            .await
            .expect("logout");
        assert_eq!(logout.status(), StatusCode::NO_CONTENT, "round {round}");
        for request in in_flight {
            let status = request.await.expect("task").expect("response").status();
            assert!(
                status == StatusCode::OK || status == StatusCode::UNAUTHORIZED,
                "round {round}: {status}"
            );
        }
        let replay = client
            .get(app.url("/api/auth/me"))
            .header("cookie", &cookie)
            .send()
            .await
            .expect("replay");
        assert_eq!(
            replay.status(),
            StatusCode::UNAUTHORIZED,
            "round {round}: the old cookie must not work after sign-out"
        );
    }
}

async fn portal_status(app: &TestApp, vendor: &reqwest::Client) -> StatusCode {
    get_with(vendor, &app.url("/api/portal/assessment"))
        .await
        .status()
}

/// Every portal action a vendor session can take, with the status each answered.
async fn portal_actions(
    app: &TestApp,
    vendor: &reqwest::Client,
) -> Vec<(&'static str, StatusCode)> {
    let read = portal_status(app, vendor).await;
    let save = put_answer(app, vendor, "q_notes", "still here?", 0)
        .await
        .status();
    let report = post_with(
        vendor,
        &app.url("/api/portal/incidents"),
        &json!({ "title": "Leak", "description": "x", "discovered_at": "2026-01-01T00:00:00Z" }),
    )
    .await
    .status();
    vec![
        ("read", read),
        ("save", save),
        ("report an incident", report),
    ]
}

async fn assert_ended(app: &TestApp, vendor: &reqwest::Client, after: &str) {
    for (action, status) in portal_actions(app, vendor).await {
        assert!(
            status == StatusCode::GONE || status == StatusCode::UNAUTHORIZED,
            "after {after}, a session opened earlier must not {action}: {status}"
        );
    }
    let first = get_with(vendor, &app.url("/api/portal/assessment")).await;
    assert_eq!(
        first.status(),
        StatusCode::UNAUTHORIZED,
        "after {after} the session itself is gone"
    );
}

#[tokio::test]
async fn revoking_resending_or_cancelling_ends_vendor_sessions_opened_before() {
    let app = spawn_app().await;
    let sent = send(&app).await;
    let id = sent.assessment.id;

    let before_revoke = vendor_session(&app, &sent.token).await;
    assert_eq!(portal_status(&app, &before_revoke).await, StatusCode::OK);
    let gone = get_with(&before_revoke, &app.url("/api/portal/assessment")).await;
    assert_eq!(gone.status(), StatusCode::OK);
    let revoked = post_with(
        &sent.procurement,
        &app.url(&format!("/api/assessments/{id}/revoke")),
        &json!({}),
    )
    .await;
    assert!(revoked.status().is_success(), "{}", revoked.status());
    let withdrawn = get_with(&before_revoke, &app.url("/api/portal/assessment")).await;
    assert_eq!(withdrawn.status(), StatusCode::GONE);
    let body = withdrawn.text().await.expect("body");
    assert!(body.contains("withdrawn"), "a readable reason: {body}");
    assert_ended(&app, &before_revoke, "revoke").await;

    let resent = post_with(
        &sent.procurement,
        &app.url(&format!("/api/assessments/{id}/resend")),
        &json!({}),
    )
    .await;
    assert!(resent.status().is_success(), "{}", resent.status());
    let new_token = emailed_token(&app, "vera@vendor.test").await;
    let before_resend = vendor_session(&app, &new_token).await;
    assert_eq!(portal_status(&app, &before_resend).await, StatusCode::OK);
    let again = post_with(
        &sent.procurement,
        &app.url(&format!("/api/assessments/{id}/resend")),
        &json!({}),
    )
    .await;
    assert!(again.status().is_success());
    assert_ended(&app, &before_resend, "a resend").await;

    let newest = emailed_token(&app, "vera@vendor.test").await;
    let before_cancel = vendor_session(&app, &newest).await;
    let cancelled = post_with(
        &sent.procurement,
        &app.url(&format!("/api/assessments/{id}/cancel")),
        &json!({}),
    )
    .await;
    assert!(cancelled.status().is_success(), "{}", cancelled.status());
    assert_ended(&app, &before_cancel, "cancelling").await;
}

/// The scored mini template in two sections: controls (encryption, MFA) and breach notice.
const TWO_SECTIONS: &str = r#"{
  "title": "Two sections",
  "items": [
    { "type": "section", "id": "controls", "title": "Controls", "items": [
      { "type": "question", "id": "enc_rest", "text": "Is customer data encrypted at rest?", "kind": { "kind": "yes_no" }, "required": true, "na_allowed": false },
      { "type": "question", "id": "mfa_admin", "text": "Do administrators use MFA?", "kind": { "kind": "yes_no" }, "required": true, "na_allowed": false }
    ]},
    { "type": "section", "id": "breach", "title": "Breach notice", "items": [
      { "type": "question", "id": "brn_hours", "text": "Within how many hours do you notify a breach?", "kind": { "kind": "duration_hours" }, "required": true, "na_allowed": false }
    ]}
  ],
  "scoring": {
    "questions": {
      "enc_rest": { "category": "encryption", "weight": 1, "rule": { "rule": "yes_no", "yes": 1.0, "no": 0.0 } },
      "brn_hours": { "category": "breach_notification", "weight": 1, "rule": { "rule": "at_most_bands", "bands": [[24, 1.0], [72, 0.7]], "otherwise": 0.0 } },
      "mfa_admin": { "category": "access_control", "weight": 1, "rule": { "rule": "yes_no", "yes": 1.0, "no": 0.0 } }
    },
    "knock_outs": [{ "question_id": "mfa_admin", "below": 1.0, "min_tier": "high", "title": "No MFA for administrative access" }]
  }
}"#;

#[tokio::test]
async fn a_delegate_reaches_only_their_own_sections_threads_and_remediation_items() {
    let app = spawn_app().await;
    let Sent {
        assessment, token, ..
    } = send_template(&app, TWO_SECTIONS, "json").await;
    let vera = vendor_session(&app, &token).await;
    let delegated = post_with(
        &vera,
        &app.url("/api/portal/delegations"),
        &json!({ "section_id": "breach", "name": "Sam Security", "email": "sam@vendor.test" }),
    )
    .await;
    assert_eq!(delegated.status(), StatusCode::CREATED);
    let sam = vendor_session(&app, &emailed_token(&app, "sam@vendor.test").await).await;
    for (q, v) in [
        ("enc_rest", "yes"),
        ("mfa_admin", "no"),
        ("brn_hours", "48"),
    ] {
        assert_eq!(
            put_answer(&app, &vera, q, v, 0).await.status(),
            StatusCode::OK
        );
    }
    let submitted = post_with(&vera, &app.url("/api/portal/submit"), &json!({})).await;
    assert_eq!(submitted.status(), StatusCode::OK);
    app.create_user("Acme", "risk@acme.test", Role::RiskManager)
        .await;
    let risk = app.signed_in("risk@acme.test").await;
    let id = assessment.id;

    // A remediation item about MFA (the controls section) and a question about it.
    let card: ScorecardView =
        get_with(&risk, &app.url(&format!("/api/assessments/{id}/scorecard")))
            .await
            .json()
            .await
            .expect("scorecard");
    let finding = card
        .card
        .findings
        .iter()
        .find(|f| f.question_id.as_deref() == Some("mfa_admin"))
        .expect("the MFA knock-out is a finding");
    let item: serde_json::Value = post_with(
        &risk,
        &app.url("/api/remediations"),
        &json!({ "assessment_id": id, "finding_key": finding.key, "due_date": "2099-03-31",
                 "closure_evidence": "The enforced MFA policy" }),
    )
    .await
    .json()
    .await
    .expect("item");
    let asked = post_with(
        &risk,
        &app.url(&format!("/api/assessments/{id}/clarifications")),
        &json!({ "question_id": "mfa_admin", "message": "Not even for break-glass accounts?" }),
    )
    .await;
    assert_eq!(asked.status(), StatusCode::CREATED);

    let sams_view: PortalAssessment = get_with(&sam, &app.url("/api/portal/assessment"))
        .await
        .json()
        .await
        .expect("portal");
    assert!(
        sams_view.remediations.is_empty(),
        "the delegate of another section does not see the MFA item: {:?}",
        sams_view.remediations
    );
    assert!(
        sams_view.clarifications.is_empty(),
        "nor the thread about MFA"
    );
    let item_url = app.url(&format!(
        "/api/portal/remediations/{}",
        item["id"].as_str().expect("id")
    ));
    // Commits to the MFA item and replies in the MFA thread: the statuses of both.
    let act = |client: reqwest::Client| {
        let (item_url, thread_url) = (item_url.clone(), app.url("/api/portal/clarifications"));
        async move {
            let commit = client
                .put(item_url)
                .json(&json!({ "vendor_committed_date": "2099-01-31" }))
                .send()
                .await
                .expect("commit")
                .status();
            let reply = post_with(
                &client,
                &thread_url,
                &json!({ "question_id": "mfa_admin", "message": "Yes, even those." }),
            )
            .await
            .status();
            (commit, reply)
        }
    };
    assert_eq!(
        act(sam).await,
        (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND),
        "a delegate can neither commit to another section's item nor post in its thread"
    );
    assert_eq!(
        act(vera).await,
        (StatusCode::OK, StatusCode::CREATED),
        "the contact, who reaches every section, can do both"
    );
}
