//! Guesses sent all at once: the attempt is reserved before the password is checked, so
//! the limit holds however many arrive together, for sign-in and for password re-checks.

use assay_core::access::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{PASSWORD, new_client, post_with, spawn_app};

/// The free attempts per account before delays start (auth::throttle).
const ACCOUNT_ALLOWANCE: usize = 5;

#[tokio::test]
async fn forty_simultaneous_guesses_get_at_most_the_allowance_checked_and_the_owner_still_gets_in()
{
    let app = spawn_app().await;
    app.create_user("Acme", "ada@acme.test", Role::Admin).await;
    let mut attempts = Vec::new();
    for n in 0..40 {
        let url = app.url("/api/auth/login");
        let password = format!("guess number {n}");
        attempts.push(tokio::spawn(async move {
            post_with(
                &new_client(),
                &url,
                &json!({ "email": "ada@acme.test", "password": password }),
            )
            .await
            .status()
        }));
    }
    let mut statuses = Vec::new();
    for attempt in attempts {
        statuses.push(attempt.await.expect("task"));
    }
    let checked = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    let throttled = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert!(
        checked <= ACCOUNT_ALLOWANCE,
        "on {}: {checked} of 40 simultaneous guesses had their password checked; at most {ACCOUNT_ALLOWANCE} may be: {statuses:?}",
        app.expected_database
    );
    assert_eq!(
        checked + throttled,
        40,
        "every other attempt waits (429): {statuses:?}"
    );
    // Past the delay the account owner gets in: the storm slowed the account, not
    // locked it.
    let mut signed_in = false;
    for _ in 0..3 {
        let attempt = app
            .post_json(
                "/api/auth/login",
                &json!({ "email": "ada@acme.test", "password": PASSWORD }),
            )
            .await;
        if attempt.status() == StatusCode::OK {
            signed_in = true;
            break;
        }
        assert_eq!(attempt.status(), StatusCode::TOO_MANY_REQUESTS);
        let wait: u64 = attempt.headers()["retry-after"]
            .to_str()
            .expect("ascii")
            .parse()
            .expect("seconds");
        tokio::time::sleep(std::time::Duration::from_secs(wait)).await;
    }
    assert!(
        signed_in,
        "the right password works once the delay has passed"
    );
}

#[tokio::test]
async fn password_rechecks_are_throttled_like_sign_in() {
    let app = spawn_app().await;
    app.create_user("Acme", "ada@acme.test", Role::Admin).await;
    let ada = app.signed_in("ada@acme.test").await;
    let mut statuses = Vec::new();
    for n in 0..(ACCOUNT_ALLOWANCE + 3) {
        let response = post_with(
            &ada,
            &app.url("/api/auth/password"),
            &json!({ "current_password": format!("wrong {n}"), "new_password": "a completely new passphrase" }),
        )
        .await;
        statuses.push(response.status());
    }
    assert!(
        statuses[..ACCOUNT_ALLOWANCE]
            .iter()
            .all(|s| *s == StatusCode::UNPROCESSABLE_ENTITY),
        "wrong current passwords are refused at the field: {statuses:?}"
    );
    assert!(
        statuses[ACCOUNT_ALLOWANCE..]
            .iter()
            .all(|s| *s == StatusCode::TOO_MANY_REQUESTS),
        "past the allowance the re-check waits: {statuses:?}"
    );
    let disable = post_with(
        &ada,
        &app.url("/api/auth/mfa/disable"),
        &json!({ "password": PASSWORD }),
    )
    .await;
    assert_eq!(
        disable.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "the MFA re-check shares the limit, even with the right password"
    );
}

/// The same person signing in from many tabs or scripts at once: each success clears the
/// account's counter while the others are taking it. That once lost the counter between
/// two statements on PostgreSQL and answered the sign-in with 500.
#[tokio::test]
async fn simultaneous_right_passwords_sign_in_and_none_fails_with_a_server_error() {
    let app = spawn_app().await;
    app.create_user("Acme", "ada@acme.test", Role::Admin).await;
    let mut statuses = Vec::new();
    for _round in 0..40 {
        let mut attempts = Vec::new();
        for _ in 0..4 {
            let url = app.url("/api/auth/login");
            attempts.push(tokio::spawn(async move {
                post_with(
                    &new_client(),
                    &url,
                    &json!({ "email": "ada@acme.test", "password": PASSWORD }),
                )
                .await
                .status()
            }));
        }
        for attempt in attempts {
            statuses.push(attempt.await.expect("task"));
        }
    }
    // Each attempt is reserved before its password is checked, so some of those at once
    // are told to wait (429) until a success clears the counter; none may fail.
    let failed: Vec<_> = statuses
        .iter()
        .filter(|s| s.is_server_error() && **s != StatusCode::SERVICE_UNAVAILABLE)
        .collect();
    assert!(
        failed.is_empty(),
        "on {}: a right password signs in, waits (429) or is asked to retry (503), never fails: {statuses:?}",
        app.expected_database
    );
    assert!(
        statuses.contains(&StatusCode::OK),
        "sign-ins succeeded: {statuses:?}"
    );
}
