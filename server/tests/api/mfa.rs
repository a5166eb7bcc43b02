//! TOTP multi-factor authentication (ASVS V6.5, V6.6).

use assay_core::access::Role;
use assay_core::api::{ErrorResponse, Me, MfaSetup, RecoveryCodes};
use assay_server::auth::totp;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{PASSWORD, TestApp, get_with, new_client, post_with, spawn_app};

/// The time step the server is at: its clock, not the wall clock (a test's clock starts at
/// the real time and stands still, so a wall-clock step drifts past the server's window
/// when a slow run crosses a 30-second boundary).
fn now_step(app: &TestApp) -> i64 {
    app.clock.now().unix_timestamp() / totp::STEP_SECONDS
}

fn code(secret: &str, step: i64) -> String {
    let secret = totp::base32_decode(secret).expect("base32 secret");
    format!("{:06}", totp::code_at(&secret, step))
}

/// Enrols `client`'s user; returns the secret, the step used, and the recovery codes.
async fn enrol(app: &TestApp, client: &reqwest::Client) -> (String, i64, Vec<String>) {
    let setup: MfaSetup = post_with(client, &app.url("/api/auth/mfa/setup"), &json!({}))
        .await
        .json()
        .await
        .expect("setup");
    assert!(setup.qr_svg.contains("<svg"), "a QR code to scan");
    assert!(
        setup.otpauth_uri.starts_with("otpauth://totp/Assay:"),
        "{}",
        setup.otpauth_uri
    );
    let step = now_step(app);
    let enabled = post_with(
        client,
        &app.url("/api/auth/mfa/enable"),
        &json!({ "code": code(&setup.secret, step) }),
    )
    .await;
    assert_eq!(enabled.status(), 200, "enrolment with the current code");
    let codes: RecoveryCodes = enabled.json().await.expect("recovery codes");
    (setup.secret, step, codes.recovery_codes)
}

async fn login(app: &TestApp, email: &str, totp: Option<&str>) -> reqwest::Response {
    let mut body = json!({ "email": email, "password": PASSWORD });
    if let Some(code) = totp {
        body["totp"] = json!(code);
    }
    post_with(&new_client(), &app.url("/api/auth/login"), &body).await
}

async fn code_of(response: reqwest::Response) -> String {
    let body: ErrorResponse = response.json().await.expect("error body");
    body.error.code
}

#[tokio::test]
async fn after_enrolment_sign_in_needs_a_fresh_code_and_never_accepts_one_twice() {
    let app = spawn_app().await;
    app.create_user("Acme", "ada@acme.test", Role::Admin).await;
    let client = app.signed_in("ada@acme.test").await;
    let (secret, step, codes) = enrol(&app, &client).await;
    assert_eq!(codes.len(), 10);

    let without = login(&app, "ada@acme.test", None).await;
    let wrong = login(&app, "ada@acme.test", Some("000000")).await;
    let next = code(&secret, step + 1);
    let right = login(&app, "ada@acme.test", Some(&next)).await;
    let replay = login(&app, "ada@acme.test", Some(&next)).await;

    assert_eq!(without.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(code_of(without).await, "mfa_required");
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(code_of(wrong).await, "invalid_mfa_code");
    assert_eq!(right.status(), StatusCode::OK);
    let me: Me = right.json().await.expect("me");
    assert!(me.user.mfa_enabled);
    assert_eq!(
        replay.status(),
        StatusCode::UNAUTHORIZED,
        "a code works once"
    );
}

#[tokio::test]
async fn a_recovery_code_signs_in_once() {
    let app = spawn_app().await;
    app.create_user("Acme", "ada@acme.test", Role::Admin).await;
    let client = app.signed_in("ada@acme.test").await;
    let (_, _, codes) = enrol(&app, &client).await;

    let first = login(&app, "ada@acme.test", Some(&codes[0].to_uppercase())).await;
    let again = login(&app, "ada@acme.test", Some(&codes[0])).await;

    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(again.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_wrong_code_does_not_complete_enrolment() {
    let app = spawn_app().await;
    app.create_user("Acme", "ada@acme.test", Role::Admin).await;
    let client = app.signed_in("ada@acme.test").await;
    post_with(&client, &app.url("/api/auth/mfa/setup"), &json!({})).await;

    let response = post_with(
        &client,
        &app.url("/api/auth/mfa/enable"),
        &json!({ "code": "123456" }),
    )
    .await;

    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        login(&app, "ada@acme.test", None).await.status(),
        StatusCode::OK,
        "MFA stays off"
    );
}

#[tokio::test]
async fn turning_mfa_off_needs_the_password() {
    let app = spawn_app().await;
    app.create_user("Acme", "ada@acme.test", Role::Admin).await;
    let client = app.signed_in("ada@acme.test").await;
    enrol(&app, &client).await;

    let wrong = post_with(
        &client,
        &app.url("/api/auth/mfa/disable"),
        &json!({ "password": "not my password" }),
    )
    .await;
    let right = post_with(
        &client,
        &app.url("/api/auth/mfa/disable"),
        &json!({ "password": PASSWORD }),
    )
    .await;

    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(right.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        login(&app, "ada@acme.test", None).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn when_the_organisation_requires_mfa_users_must_enrol_before_anything_else() {
    let app = spawn_app().await;
    app.create_user("Acme", "ada@acme.test", Role::Admin).await;
    app.create_user("Acme", "aud@acme.test", Role::Auditor)
        .await;
    let admin = app.signed_in("ada@acme.test").await;
    let set = admin
        .patch(app.url("/api/organization"))
        .json(&json!({ "require_mfa": true }))
        .send()
        .await
        .expect("request");
    assert_eq!(set.status(), 200);
    let auditor = app.signed_in("aud@acme.test").await;

    let me: Me = get_with(&auditor, &app.url("/api/auth/me"))
        .await
        .json()
        .await
        .expect("me");
    let blocked = get_with(&auditor, &app.url("/api/audit")).await;

    assert!(me.mfa_enrolment_required);
    assert_eq!(blocked.status(), StatusCode::FORBIDDEN);
    assert_eq!(code_of(blocked).await, "mfa_enrolment_required");
    enrol(&app, &auditor).await;
    assert_eq!(
        get_with(&auditor, &app.url("/api/audit")).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn only_admins_change_the_organisation_mfa_requirement() {
    let app = spawn_app().await;
    app.create_user("Acme", "risk@acme.test", Role::RiskManager)
        .await;
    let client = app.signed_in("risk@acme.test").await;

    let response = client
        .patch(app.url("/api/organization"))
        .json(&json!({ "require_mfa": true }))
        .send()
        .await
        .expect("request");

    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_totp_seed_is_stored_encrypted() {
    let app = spawn_app().await;
    let ada = app.create_user("Acme", "ada@acme.test", Role::Admin).await;
    let client = app.signed_in("ada@acme.test").await;
    let (secret, _, _) = enrol(&app, &client).await;

    let stored = assay_server::db::accounts::find_user(&app.db, ada.id)
        .await
        .expect("query")
        .expect("user")
        .mfa_secret
        .expect("a stored seed");

    assert!(stored.starts_with("v1:"), "sealed format: {stored}");
    assert!(
        !stored.contains(&secret),
        "the seed must not be stored in clear"
    );
}
