//! API tokens: created by an Admin, shown once, stored hashed, usable as a bearer token
//! within their scope and organisation, and dead once revoked or expired.

use assay_core::access::Role;
use assay_core::api::{ApiTokenView, CreatedApiToken};
use reqwest::StatusCode;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::helpers::{TestApp, get_with, new_client, post_with, spawn_app};
use crate::review::submitted;

async fn token(app: &TestApp, admin: &reqwest::Client, scope: &str) -> CreatedApiToken {
    let response = post_with(
        admin,
        &app.url("/api/tokens"),
        &json!({ "name": format!("Board {scope}"), "scope": scope }),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.expect("token")
}

fn bearer(
    app: &TestApp,
    token: &str,
    method: reqwest::Method,
    path: &str,
) -> reqwest::RequestBuilder {
    new_client()
        .request(method, app.url(path))
        .bearer_auth(token)
}

#[tokio::test]
async fn a_read_only_token_reads_and_exports_but_changes_nothing() {
    let app = spawn_app().await;
    let s = submitted(&app).await;
    let admin = app.signed_in("admin@acme.test").await;
    let created = token(&app, &admin, "read_only").await;
    assert!(created.token.starts_with("assay_"));
    assert!(created.token.starts_with(&created.view.prefix));

    let list = bearer(
        &app,
        &created.token,
        reqwest::Method::GET,
        "/api/assessments",
    )
    .send()
    .await
    .expect("list");
    assert_eq!(list.status(), StatusCode::OK);
    let pdf = bearer(
        &app,
        &created.token,
        reqwest::Method::GET,
        &s.path("/export.pdf"),
    )
    .send()
    .await
    .expect("pdf");
    assert_eq!(pdf.status(), StatusCode::OK);
    let decide = bearer(
        &app,
        &created.token,
        reqwest::Method::POST,
        &s.path("/decision"),
    )
    .json(&json!({ "outcome": "approved", "rationale": "fine" }))
    .send()
    .await
    .expect("decide");
    assert_eq!(decide.status(), StatusCode::FORBIDDEN);
    for (method, path) in [
        (reqwest::Method::GET, "/api/tokens"),
        (reqwest::Method::GET, "/api/users"),
        (reqwest::Method::GET, "/api/auth/me"),
    ] {
        let refused = bearer(&app, &created.token, method, path)
            .send()
            .await
            .expect("request");
        assert_eq!(refused.status(), StatusCode::FORBIDDEN, "{path}");
    }

    // Stored hashed: the token itself is nowhere in the database.
    let rows = app
        .db
        .query_all_raw(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            "SELECT token_hash FROM api_tokens".to_owned(),
        ))
        .await
        .expect("rows");
    let hash: String = rows[0].try_get("", "token_hash").expect("hash");
    assert_ne!(hash, created.token);
    assert_eq!(hash.len(), 64);

    let views: Vec<ApiTokenView> = get_with(&admin, &app.url("/api/tokens"))
        .await
        .json()
        .await
        .expect("tokens");
    assert_eq!(views.len(), 1);
    assert!(views[0].last_used_at.is_some(), "use is recorded");
    assert!(
        !serde_json::to_string(&views)
            .expect("json")
            .contains(&created.token)
    );
}

#[tokio::test]
async fn a_read_write_token_decides_and_the_audit_log_names_it() {
    let app = spawn_app().await;
    let s = submitted(&app).await;
    let admin = app.signed_in("admin@acme.test").await;
    let created = token(&app, &admin, "read_write").await;
    let decide = bearer(
        &app,
        &created.token,
        reqwest::Method::POST,
        &s.path("/decision"),
    )
    .json(&json!({ "outcome": "approved", "rationale": "Automated approval of a low-risk vendor" }))
    .send()
    .await
    .expect("decide");
    assert_eq!(decide.status(), StatusCode::OK);
    let audit: Value = get_with(&admin, &app.url("/api/audit?action=assessment.decided"))
        .await
        .json()
        .await
        .expect("audit");
    assert!(audit.to_string().contains("API token"), "{audit}");
}

#[tokio::test]
async fn revoked_expired_unknown_and_foreign_tokens_are_refused() {
    let app = spawn_app().await;
    let s = submitted(&app).await;
    let admin = app.signed_in("admin@acme.test").await;
    let created = token(&app, &admin, "read_only").await;
    let path = s.path("/scorecard");
    let status = |token: String| {
        let app = &app;
        let path = path.clone();
        async move {
            bearer(app, &token, reqwest::Method::GET, &path)
                .send()
                .await
                .expect("request")
                .status()
        }
    };
    assert_eq!(status(created.token.clone()).await, StatusCode::OK);
    assert_eq!(
        status("assay_unknown".to_owned()).await,
        StatusCode::UNAUTHORIZED
    );

    // Another organisation's token sees nothing of Acme.
    app.create_user("Other", "admin@other.test", Role::Admin)
        .await;
    let other_admin = app.signed_in("admin@other.test").await;
    let foreign = token(&app, &other_admin, "read_write").await;
    assert_eq!(status(foreign.token.clone()).await, StatusCode::NOT_FOUND);
    let list: Value = bearer(
        &app,
        &foreign.token,
        reqwest::Method::GET,
        "/api/assessments",
    )
    .send()
    .await
    .expect("list")
    .json()
    .await
    .expect("json");
    assert_eq!(
        list["items"],
        json!([]),
        "another organisation's token lists none of Acme's assessments"
    );
    assert_eq!(list["total"], 0);
    let theirs = get_with(&other_admin, &app.url("/api/tokens")).await;
    let theirs: Vec<ApiTokenView> = theirs.json().await.expect("tokens");
    assert_eq!(theirs.len(), 1, "only their own token");
    let revoke_foreign = other_admin
        .delete(app.url(&format!("/api/tokens/{}", created.view.id)))
        .send()
        .await
        .expect("revoke");
    assert_eq!(revoke_foreign.status(), StatusCode::NOT_FOUND);

    // Expired.
    app.db
        .execute_unprepared(
            "UPDATE api_tokens SET expires_at = '2000-01-01 00:00:00+00:00' WHERE name = 'Board read_write'",
        )
        .await
        .expect("expire");
    assert_eq!(status(foreign.token).await, StatusCode::UNAUTHORIZED);

    // Revoked.
    let revoked = admin
        .delete(app.url(&format!("/api/tokens/{}", created.view.id)))
        .send()
        .await
        .expect("revoke");
    assert_eq!(revoked.status(), StatusCode::NO_CONTENT);
    assert_eq!(status(created.token).await, StatusCode::UNAUTHORIZED);

    // Only Admins manage tokens.
    let risk = post_with(
        &s.risk,
        &app.url("/api/tokens"),
        &json!({ "name": "mine", "scope": "read_only" }),
    )
    .await;
    assert_eq!(risk.status(), StatusCode::FORBIDDEN);
    let bad = post_with(
        &admin,
        &app.url("/api/tokens"),
        &json!({ "name": " ", "scope": "read_only" }),
    )
    .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
}
