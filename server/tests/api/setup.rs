//! First run: the one-time setup token `assay serve` prints while no organisation exists,
//! and `POST /api/setup`, which spends it on the first organisation and its Admin, once.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use assay_core::access::Role;
use assay_core::api::{CursorPage, ErrorResponse, Me, SetupStatus};
use assay_server::db::entities::organization;
use assay_server::services::setup;
use reqwest::StatusCode;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::helpers::{TestApp, new_client, post_with, spawn_app};

/// The token `assay serve` would print now (a later call replaces it, as a restart does).
async fn printed_token(app: &TestApp) -> String {
    setup::issue_token(&app.ctx())
        .await
        .expect("the token is stored")
        .expect("no organisation yet, so a token is made")
}

fn form(token: &str) -> Value {
    json!({
        "token": token,
        "organization_name": "Acme Insurance",
        "admin_name": "Priya Shah",
        "admin_email": "priya@acme.test",
        "password": "violet kettle harbour lantern",
    })
}

async fn set_up(client: &reqwest::Client, app: &TestApp, body: &Value) -> reqwest::Response {
    post_with(client, &app.url("/api/setup"), body).await
}

async fn error_of(response: reqwest::Response) -> assay_core::api::ErrorBody {
    response
        .json::<ErrorResponse>()
        .await
        .expect("an error body")
        .error
}

async fn organisations(app: &TestApp) -> u64 {
    organization::Entity::find()
        .count(&app.db)
        .await
        .expect("count")
}

async fn needed(app: &TestApp) -> bool {
    let response = app.get("/api/setup").await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json::<SetupStatus>().await.expect("json").needed
}

#[tokio::test]
async fn setup_is_needed_until_the_first_organisation_exists() {
    let app = spawn_app().await;
    assert!(needed(&app).await, "a new installation needs setting up");

    app.create_user("Acme", "ada@acme.test", Role::Admin).await;

    assert!(!needed(&app).await, "an organisation exists");
}

#[tokio::test]
async fn setup_without_a_token_is_refused_and_creates_nothing() {
    let app = spawn_app().await;
    printed_token(&app).await;
    let mut body = form("");
    body.as_object_mut().expect("object").remove("token");

    let response = set_up(&app.client, &app, &body).await;

    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(error_of(response).await.code, "invalid_setup_token");
    assert_eq!(organisations(&app).await, 0);
}

#[tokio::test]
async fn setup_with_a_wrong_token_is_refused() {
    let app = spawn_app().await;
    let token = printed_token(&app).await;

    let response = set_up(&app.client, &app, &form(&format!("{token}x"))).await;

    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let error = error_of(response).await;
    assert_eq!(error.code, "invalid_setup_token");
    assert!(
        error.message.contains("assay serve"),
        "the message says where the right link is: {}",
        error.message
    );
    assert_eq!(organisations(&app).await, 0);
    assert!(needed(&app).await);
}

#[tokio::test]
async fn the_token_is_stored_only_as_its_hash() {
    let app = spawn_app().await;

    let token = printed_token(&app).await;

    assert!(
        token.len() >= 22,
        "at least 128 bits in URL-safe base64: {token}"
    );
    assert!(
        token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
        "URL-safe: {token}"
    );
    let stored = app.stored_text().await;
    assert!(
        !stored.contains(&token),
        "the token itself is nowhere in the database"
    );
    assert!(
        stored.contains(&hex::encode(Sha256::digest(token.as_bytes()))),
        "its SHA-256 is stored"
    );
}

#[tokio::test]
async fn setup_with_the_printed_token_creates_the_organisation_and_its_admin_and_signs_in() {
    let app = spawn_app().await;
    let token = printed_token(&app).await;

    let response = set_up(&app.client, &app, &form(&token)).await;

    assert_eq!(response.status(), StatusCode::CREATED);
    let me: Me = response.json().await.expect("the new Admin");
    assert_eq!(me.user.role, Role::Admin);
    assert_eq!(me.user.email, "priya@acme.test");
    assert_eq!(me.user.display_name, "Priya Shah");
    assert_eq!(me.organization.name, "Acme Insurance");
    assert_eq!(me.organization.slug, "acme-insurance");
    let signed_in = app.get("/api/auth/me").await;
    assert_eq!(
        signed_in.status(),
        StatusCode::OK,
        "the session cookie was set"
    );
    assert_eq!(organisations(&app).await, 1);
    assert!(!needed(&app).await);
    assert!(
        assay_server::db::setup::find_token(&app.db)
            .await
            .expect("query")
            .is_none(),
        "the token is spent"
    );
    let audit: CursorPage<assay_core::api::AuditEntryView> = app
        .get("/api/audit")
        .await
        .json()
        .await
        .expect("the Admin reads the audit log");
    let actions: Vec<&str> = audit.items.iter().map(|e| e.action.as_str()).collect();
    for action in [
        "organisation.created",
        "user.created",
        "auth.sign_in_succeeded",
    ] {
        assert!(
            actions.contains(&action),
            "{action} is audited: {actions:?}"
        );
    }
    assert!(
        audit.items.iter().all(|e| e.actor == "priya@acme.test"),
        "the new Admin did it"
    );
    let again = new_client();
    let password_works = post_with(
        &again,
        &app.url("/api/auth/login"),
        &json!({ "email": "priya@acme.test", "password": "violet kettle harbour lantern" }),
    )
    .await;
    assert_eq!(password_works.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_same_token_cannot_be_used_twice() {
    let app = spawn_app().await;
    let token = printed_token(&app).await;
    let first = set_up(&app.client, &app, &form(&token)).await;
    assert_eq!(first.status(), StatusCode::CREATED, "setup succeeds once");

    let mut body = form(&token);
    body["organization_name"] = json!("Other Corp");
    body["admin_email"] = json!("mallory@other.test");
    let second = set_up(&new_client(), &app, &body).await;

    assert_eq!(second.status(), StatusCode::CONFLICT);
    assert_eq!(error_of(second).await.code, "already_set_up");
    assert_eq!(organisations(&app).await, 1);
}

#[tokio::test]
async fn twenty_simultaneous_setups_with_the_valid_token_create_exactly_one_organisation() {
    let app = spawn_app().await;
    let token = printed_token(&app).await;
    let mut requests = Vec::new();
    for n in 0..20 {
        let url = app.url("/api/setup");
        let mut body = form(&token);
        body["organization_name"] = json!(format!("Racer {n}"));
        body["admin_email"] = json!(format!("racer{n}@acme.test"));
        requests.push(tokio::spawn(async move {
            post_with(&new_client(), &url, &body).await.status()
        }));
    }
    let mut statuses = Vec::new();
    for request in requests {
        statuses.push(request.await.expect("task"));
    }

    let created = statuses.iter().filter(|s| s.is_success()).count();
    assert_eq!(
        created, 1,
        "on {}: exactly one setup succeeds: {statuses:?}",
        app.expected_database
    );
    assert!(
        statuses
            .iter()
            .all(|s| s.is_success() || s.is_client_error()),
        "the others are refused with 4xx, never 5xx: {statuses:?}"
    );
    assert_eq!(organisations(&app).await, 1, "exactly one organisation");
    let users = assay_server::db::entities::user::Entity::find()
        .count(&app.db)
        .await
        .expect("count");
    assert_eq!(users, 1, "and exactly one Admin");
}

#[tokio::test]
async fn setup_is_refused_once_an_organisation_exists() {
    let app = spawn_app().await;
    let token = printed_token(&app).await;
    app.create_user("Acme", "ada@acme.test", Role::Admin).await;

    let response = set_up(&app.client, &app, &form(&token)).await;

    assert_eq!(response.status(), StatusCode::CONFLICT);
    assert_eq!(error_of(response).await.code, "already_set_up");
    assert_eq!(organisations(&app).await, 1);
    assert_eq!(
        setup::issue_token(&app.ctx()).await.expect("query"),
        None,
        "no token is made once an organisation exists"
    );
    assert!(
        assay_server::db::setup::find_token(&app.db)
            .await
            .expect("query")
            .is_none(),
        "and the unusable one is forgotten"
    );
}

#[tokio::test]
async fn a_restart_replaces_the_earlier_token() {
    let app = spawn_app().await;
    let earlier = printed_token(&app).await;
    let later = printed_token(&app).await;

    let refused = set_up(&app.client, &app, &form(&earlier)).await;
    let accepted = set_up(&app.client, &app, &form(&later)).await;

    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(accepted.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn guessed_tokens_are_throttled_like_passwords() {
    let app = spawn_app().await;
    printed_token(&app).await;
    let mut statuses = Vec::new();
    for n in 0..8 {
        statuses.push(
            set_up(&app.client, &app, &form(&format!("guess-{n}")))
                .await
                .status(),
        );
    }

    assert_eq!(
        statuses[0],
        StatusCode::FORBIDDEN,
        "a guess is refused: {statuses:?}"
    );
    assert_eq!(
        statuses.last(),
        Some(&StatusCode::TOO_MANY_REQUESTS),
        "past the allowance, guesses must wait: {statuses:?}"
    );
}

#[tokio::test]
async fn hostile_setup_input_is_refused_with_a_4xx_naming_the_field_and_spends_nothing() {
    let app = spawn_app().await;
    let token = printed_token(&app).await;
    let with = |field: &str, value: Value| {
        let mut body = form(&token);
        body[field] = value;
        body
    };
    let cases = [
        (
            "a 100,000-character organisation name",
            with("organization_name", json!("A".repeat(100_000))),
            Some("organization_name"),
        ),
        (
            "a NUL in the organisation name",
            with("organization_name", json!("Acme\u{0}Corp")),
            Some("organization_name"),
        ),
        (
            "a name of punctuation only (no slug)",
            with("organization_name", json!("!!! ???")),
            Some("organization_name"),
        ),
        (
            "a text-direction override in the Admin's name",
            with("admin_name", json!("Priya \u{202e}hahS")),
            Some("admin_name"),
        ),
        (
            "a line break in the Admin's name",
            with("admin_name", json!("Priya\nShah")),
            Some("admin_name"),
        ),
        (
            "an empty Admin name",
            with("admin_name", json!("   ")),
            Some("admin_name"),
        ),
        (
            "a header injected into the email address",
            with(
                "admin_email",
                json!("priya@acme.test\r\nBcc: all@acme.test"),
            ),
            Some("admin_email"),
        ),
        (
            "a 300-character email address",
            with(
                "admin_email",
                json!(format!("{}@acme.test", "p".repeat(300))),
            ),
            Some("admin_email"),
        ),
        (
            "a 10,000-character password",
            with("password", json!("x".repeat(10_000))),
            Some("password"),
        ),
        (
            "a common password",
            with("password", json!("password1234")),
            Some("password"),
        ),
        (
            "a number for a name",
            with("organization_name", json!(42)),
            None,
        ),
        (
            "a 500,000-character token",
            with("token", json!("t".repeat(500_000))),
            None,
        ),
        (
            "a body over the size limit",
            with("admin_name", json!("P".repeat(2 * 1024 * 1024))),
            None,
        ),
    ];
    for (what, body, field) in cases {
        let response = set_up(&app.client, &app, &body).await;
        let status = response.status();
        assert!(status.is_client_error(), "{what}: 4xx, got {status}");
        if let Some(field) = field {
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{what}");
            let error = error_of(response).await;
            assert_eq!(error.field.as_deref(), Some(field), "{what}: {error:?}");
        }
    }
    assert_eq!(organisations(&app).await, 0, "nothing was created");

    let response = set_up(&app.client, &app, &form(&token)).await;
    assert_eq!(
        response.status(),
        StatusCode::CREATED,
        "refused requests did not spend the token"
    );
}

#[tokio::test]
async fn assay_serve_prints_the_setup_link_and_warns_about_a_public_url_it_cannot_match() {
    let app = spawn_app().await;
    let mut command = Command::new(env!("CARGO_BIN_EXE_assay"));
    command
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env("ASSAY_DATA_DIR", app.data_dir())
        .env("ASSAY_PUBLIC_URL", "http://localhost:8080")
        .env("RUST_LOG", "warn")
        .env_remove("ASSAY_DATABASE_URL")
        .env_remove("ASSAY_MASTER_KEY")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(url) = app.database_url() {
        command.env("ASSAY_DATABASE_URL", url);
    }
    let mut server = command.spawn().expect("assay serve starts");
    let stdout = server.stdout.take().expect("stdout");
    let first_line = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).map(|_| line)
    });
    let line = tokio::time::timeout(std::time::Duration::from_secs(60), first_line)
        .await
        .expect("the link is printed within a minute")
        .expect("task")
        .expect("stdout is readable");
    server.kill().expect("the server stops");
    let output = server.wait_with_output().expect("its output");
    let stderr = String::from_utf8_lossy(&output.stderr);

    let token = line
        .trim_end()
        .strip_prefix("No organisation yet. Open http://localhost:8080/setup?token=")
        .and_then(|rest| rest.strip_suffix(" to create the first organisation and its Admin."))
        .unwrap_or_else(|| panic!("the setup line: {line:?}"));
    assert!(
        stderr.contains("public_url (http://localhost:8080) names port 8080"),
        "the bind address and public_url cannot match, and the log says so: {stderr}"
    );
    assert!(!stderr.contains(token), "the token is not logged: {stderr}");
    let response = set_up(&app.client, &app, &form(token)).await;
    assert_eq!(
        response.status(),
        StatusCode::CREATED,
        "the printed token sets Assay up"
    );
}
