//! Guesses sent all at once: the attempt is reserved before the password is checked, so
//! the limit holds however many arrive together, for sign-in and for password re-checks.

use assay_core::access::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{PASSWORD, new_client, post_with, spawn_app};

/// The free attempts per account before delays start (auth::throttle).
const ACCOUNT_ALLOWANCE: usize = 5;

#[tokio::test]
async fn forty_simultaneous_wrong_passwords_get_at_most_the_allowance_checked() {
    let app = spawn_app().await;
    app.create_user("Acme", "ada@acme.test", Role::Admin).await;
    let mut attempts = Vec::new();
    for n in 0..41 {
        let url = app.url("/api/auth/login");
        // The right password is sent in the middle of the storm.
        let password = if n == 20 {
            PASSWORD.to_owned()
        } else {
            format!("guess number {n}")
        };
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
        .filter(|s| **s == StatusCode::UNAUTHORIZED || **s == StatusCode::OK)
        .count();
    let throttled = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert!(
        checked <= ACCOUNT_ALLOWANCE,
        "on {}: {checked} of 41 simultaneous attempts had their password checked; at most {ACCOUNT_ALLOWANCE} may be: {statuses:?}",
        app.expected_database
    );
    assert_eq!(
        checked + throttled,
        41,
        "every other attempt waits (429): {statuses:?}"
    );
    let after = app
        .post_json(
            "/api/auth/login",
            &json!({ "email": "ada@acme.test", "password": PASSWORD }),
        )
        .await;
    assert_eq!(
        after.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "right after the storm even the right password waits"
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
