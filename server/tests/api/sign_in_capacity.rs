//! A sign-in storm cannot starve the rest: password hashing has a fixed number of slots
//! (`password_hash_concurrency`) and a bounded queue (`password_hash_queue`). Beyond them a
//! sign-in is answered at once with 503 `busy` and `Retry-After`, everything else keeps
//! being served, and a refusal that checked no password does not count as a guess.
//!
//! The tests hold the server's only hashing slot themselves, so which requests find it
//! taken does not depend on timing.

use assay_core::access::Role;
use assay_server::auth::password::PasswordService;
use assay_server::error::Error;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, new_client, post_with, spawn_app_with};

/// A hashing slot held by the test until [`Occupied::release`].
struct Occupied {
    release: std::sync::mpsc::Sender<()>,
    done: tokio::task::JoinHandle<Result<(), Error>>,
}

impl Occupied {
    /// Frees the slot and waits until it is free.
    async fn release(self) {
        self.release.send(()).expect("the occupying work waits");
        self.done
            .await
            .expect("task")
            .expect("the occupying work ran");
    }
}

/// Takes one of the server's hashing slots; resolves once it is held.
async fn occupy(passwords: &PasswordService) -> Occupied {
    let (release, released) = std::sync::mpsc::channel::<()>();
    let (started, running) = tokio::sync::oneshot::channel();
    let passwords = passwords.clone();
    let done = tokio::spawn(async move {
        passwords
            .run(move |_| {
                let _ = started.send(());
                let _ = released.recv();
                Ok(())
            })
            .await
    });
    running.await.expect("the test holds the slot");
    Occupied { release, done }
}

/// What a client sees of a sign-in: status, `Retry-After` seconds and the body.
async fn sign_in(url: String, email: String) -> (StatusCode, Option<u64>, Value) {
    let response = post_with(
        &new_client(),
        &url,
        &json!({ "email": email, "password": PASSWORD }),
    )
    .await;
    let status = response.status();
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    let body = response.json().await.unwrap_or(Value::Null);
    (status, retry_after, body)
}

#[tokio::test]
async fn beyond_the_hashing_slots_and_queue_sign_ins_are_told_to_retry_and_the_rest_keep_working() {
    const STORM: usize = 8;
    let app = spawn_app_with(|s| {
        s.password_hash_concurrency = Some(1);
        s.password_hash_queue = 1;
        // Long enough that the one queued sign-in is still waiting when the slot frees.
        s.password_hash_wait_secs = 300;
    })
    .await;
    for n in 0..STORM {
        app.create_user("Acme", &format!("user{n}@acme.test"), Role::Auditor)
            .await;
    }
    let occupied = occupy(&app.passwords).await;

    let (answers, mut answered) = tokio::sync::mpsc::unbounded_channel();
    for n in 0..STORM {
        let (url, answers) = (app.url("/api/auth/login"), answers.clone());
        tokio::spawn(async move {
            let _ = answers.send(sign_in(url, format!("user{n}@acme.test")).await);
        });
    }
    // With the slot held, all but the one allowed to wait are answered at once.
    let mut refused = Vec::new();
    for _ in 0..STORM - 1 {
        refused.push(answered.recv().await.expect("an answer"));
    }
    let health = app.get("/api/health").await.status();
    occupied.release().await;
    let (waited, _, body) = answered.recv().await.expect("the queued sign-in's answer");

    for (status, retry_after, body) in &refused {
        assert_eq!(
            *status,
            StatusCode::SERVICE_UNAVAILABLE,
            "on {}: past the queue a sign-in is refused at once: {body}",
            app.expected_database
        );
        assert!(
            retry_after.is_some_and(|seconds| seconds >= 1),
            "with Retry-After: {retry_after:?}"
        );
        assert_eq!(body["error"]["code"], "busy", "{body}");
        assert!(body["error"]["message"].is_string(), "{body}");
    }
    assert_eq!(
        health,
        StatusCode::OK,
        "the server keeps answering while hashing is saturated"
    );
    assert_eq!(
        waited,
        StatusCode::OK,
        "the sign-in that waited in the queue gets in once the slot is free: {body}"
    );
}

#[tokio::test]
async fn a_sign_in_refused_as_busy_does_not_count_as_a_failed_guess() {
    let app = spawn_app_with(|s| {
        s.password_hash_concurrency = Some(1);
        s.password_hash_queue = 0;
    })
    .await;
    app.create_user("Acme", "ada@acme.test", Role::Admin).await;
    let occupied = occupy(&app.passwords).await;

    // More refusals than the account's five free failures.
    let mut statuses = Vec::new();
    for _ in 0..8 {
        let (status, _, _) = sign_in(app.url("/api/auth/login"), "ada@acme.test".into()).await;
        statuses.push(status);
    }
    occupied.release().await;
    let (after, _, body) = sign_in(app.url("/api/auth/login"), "ada@acme.test".into()).await;

    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::SERVICE_UNAVAILABLE),
        "every sign-in finds hashing busy (503), none is throttled (429): {statuses:?}"
    );
    assert_eq!(
        after,
        StatusCode::OK,
        "on {}: the owner gets straight in afterwards, the refusals were not counted: {body}",
        app.expected_database
    );
}
