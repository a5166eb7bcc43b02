//! Sign-in, sessions, throttling and CSRF (ASVS V6, V7, V3.5; see docs/SECURITY.md).

use assay_core::access::Role;
use assay_core::api::{ErrorResponse, Me};
use serde_json::json;

use crate::helpers::{PASSWORD, get_with, new_client, post_with, spawn_app, spawn_app_with};

fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.contains("assay_session="))
        .map(str::to_owned)
}

#[tokio::test]
async fn sign_in_returns_the_user_and_a_strict_http_only_session_cookie() {
    let app = spawn_app().await;
    let user = app.create_user("Acme", "ada@acme.test", Role::Admin).await;

    let response = app
        .post_json(
            "/api/auth/login",
            &json!({ "email": "ADA@acme.test ", "password": PASSWORD }),
        )
        .await;

    assert_eq!(response.status(), 200);
    let cookie = session_cookie(&response).expect("a session cookie is set");
    assert!(cookie.starts_with("assay_session="), "{cookie}");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Strict"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");
    assert!(
        !cookie.contains("Secure"),
        "plain http development: {cookie}"
    );
    let me: Me = response.json().await.expect("me");
    assert_eq!(me.user.id, user.id);
    assert_eq!(me.user.role, Role::Admin);
    assert_eq!(me.organization.slug, "acme");

    let again = app.get("/api/auth/me").await;
    assert_eq!(
        again.status(),
        200,
        "the cookie authenticates later requests"
    );
}

#[tokio::test]
async fn over_https_the_cookie_is_secure_and_host_prefixed() {
    let app = spawn_app_with(|s| s.cookie_secure = true).await;
    app.create_user("Acme", "ada@acme.test", Role::Admin).await;

    let response = app
        .post_json(
            "/api/auth/login",
            &json!({ "email": "ada@acme.test", "password": PASSWORD }),
        )
        .await;

    let cookie = session_cookie(&response).expect("a session cookie is set");
    assert!(cookie.starts_with("__Host-assay_session="), "{cookie}");
    assert!(cookie.contains("Secure"), "{cookie}");
    assert!(
        !cookie.contains("Domain="),
        "__Host- cookies carry no Domain: {cookie}"
    );
}

#[tokio::test]
async fn unknown_email_and_wrong_password_get_the_same_answer() {
    let app = spawn_app().await;
    app.create_user("Acme", "ada@acme.test", Role::Admin).await;

    let wrong = app
        .post_json(
            "/api/auth/login",
            &json!({ "email": "ada@acme.test", "password": "not the password" }),
        )
        .await;
    let unknown = app
        .post_json(
            "/api/auth/login",
            &json!({ "email": "nobody@acme.test", "password": PASSWORD }),
        )
        .await;

    assert_eq!(wrong.status(), 401);
    assert_eq!(unknown.status(), 401);
    let wrong: ErrorResponse = wrong.json().await.expect("error body");
    let unknown: ErrorResponse = unknown.json().await.expect("error body");
    assert_eq!(wrong.error.code, unknown.error.code);
    assert_eq!(wrong.error.message, unknown.error.message);
}

#[tokio::test]
async fn a_session_id_planted_before_sign_in_is_replaced() {
    let app = spawn_app().await;
    app.create_user("Acme", "ada@acme.test", Role::Admin).await;
    let planted = "AAAAAAAAAAAAAAAAAAAAAA";

    let response = app
        .client
        .post(app.url("/api/auth/login"))
        .header("cookie", format!("assay_session={planted}"))
        .json(&json!({ "email": "ada@acme.test", "password": PASSWORD }))
        .send()
        .await
        .expect("request");

    let cookie = session_cookie(&response).expect("a session cookie is set");
    assert!(!cookie.contains(planted), "session fixation: {cookie}");
    let attacker = new_client();
    let me = attacker
        .get(app.url("/api/auth/me"))
        .header("cookie", format!("assay_session={planted}"))
        .send()
        .await
        .expect("request");
    assert_eq!(me.status(), 401);
}

#[tokio::test]
async fn sign_out_ends_the_session_for_good() {
    let app = spawn_app().await;
    app.create_user("Acme", "ada@acme.test", Role::Admin).await;
    let login = app
        .post_json(
            "/api/auth/login",
            &json!({ "email": "ada@acme.test", "password": PASSWORD }),
        )
        .await;
    let cookie = session_cookie(&login).expect("cookie");
    let cookie_pair = cookie.split(';').next().expect("pair").to_owned();

    let logout = app.post_json("/api/auth/logout", &json!({})).await;

    assert_eq!(logout.status(), 204);
    assert_eq!(app.get("/api/auth/me").await.status(), 401);
    let replay = new_client()
        .get(app.url("/api/auth/me"))
        .header("cookie", cookie_pair)
        .send()
        .await
        .expect("request");
    assert_eq!(
        replay.status(),
        401,
        "a copied cookie must not outlive sign-out"
    );
}

#[tokio::test]
async fn without_a_session_protected_endpoints_answer_401() {
    let app = spawn_app().await;
    for path in [
        "/api/auth/me",
        "/api/users",
        "/api/audit",
        "/api/outbox",
        "/api/audit/verify",
    ] {
        assert_eq!(app.get(path).await.status(), 401, "{path}");
    }
}

#[tokio::test]
async fn an_expired_session_is_not_accepted() {
    let app = spawn_app().await;
    app.create_user("Acme", "ada@acme.test", Role::Admin).await;
    let client = app.signed_in("ada@acme.test").await;
    use sea_orm::ConnectionTrait;
    app.db
        .execute_unprepared("UPDATE sessions SET expiry_date = '2000-01-01 00:00:00+00:00'")
        .await
        .expect("expire sessions");

    let me = get_with(&client, &app.url("/api/auth/me")).await;

    assert_eq!(me.status(), 401, "an idle-expired session must be refused");
}

#[tokio::test]
async fn a_session_past_its_absolute_lifetime_ends() {
    let app = spawn_app_with(|s| s.session_absolute_hours = 1).await;
    app.create_user("Acme", "ada@acme.test", Role::Admin).await;
    let client = app.signed_in("ada@acme.test").await;
    // Move the sign-in time two hours back inside the stored session data.
    use sea_orm::{ConnectionTrait, Statement};
    let row = app
        .db
        .query_one_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT data FROM sessions",
        ))
        .await
        .expect("query")
        .expect("one session");
    let data: String = row.try_get("", "data").expect("data");
    let mut value: serde_json::Value = serde_json::from_str(&data).expect("json");
    let signed_in = value["assay.auth"]["signed_in_at"]
        .as_i64()
        .expect("signed_in_at");
    value["assay.auth"]["signed_in_at"] = json!(signed_in - 7200);
    app.db
        .execute_unprepared(&format!(
            "UPDATE sessions SET data = '{}'",
            value.to_string().replace('\'', "''")
        ))
        .await
        .expect("update");

    let me = get_with(&client, &app.url("/api/auth/me")).await;

    assert_eq!(me.status(), 401);
}

#[tokio::test]
async fn repeated_failures_are_throttled_with_retry_after_and_others_are_unaffected() {
    let app = spawn_app().await;
    app.create_user("Acme", "ada@acme.test", Role::Admin).await;
    app.create_user("Acme", "bob@acme.test", Role::Auditor)
        .await;
    for _ in 0..5 {
        let r = app
            .post_json(
                "/api/auth/login",
                &json!({ "email": "ada@acme.test", "password": "wrong wrong wrong" }),
            )
            .await;
        assert_eq!(r.status(), 401);
    }

    let throttled = app
        .post_json(
            "/api/auth/login",
            &json!({ "email": "ada@acme.test", "password": PASSWORD }),
        )
        .await;

    assert_eq!(throttled.status(), 429, "even the right password waits");
    let retry_after: u64 = throttled.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!(retry_after >= 1);
    let body: ErrorResponse = throttled.json().await.expect("error body");
    assert_eq!(body.error.code, "too_many_requests");
    let other = new_client();
    let ok = post_with(
        &other,
        &app.url("/api/auth/login"),
        &json!({ "email": "bob@acme.test", "password": PASSWORD }),
    )
    .await;
    assert_eq!(ok.status(), 200, "another account is not locked out");
}

#[tokio::test]
async fn cross_site_and_form_encoded_writes_are_refused() {
    let app = spawn_app().await;
    app.create_user("Acme", "ada@acme.test", Role::Admin).await;
    let client = app.signed_in("ada@acme.test").await;

    let form = client
        .post(app.url("/api/auth/logout"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("a=b")
        .send()
        .await
        .expect("request");
    let foreign = client
        .post(app.url("/api/auth/logout"))
        .header("origin", "https://evil.example")
        .json(&json!({}))
        .send()
        .await
        .expect("request");
    let cross_site = client
        .post(app.url("/api/auth/logout"))
        .header("sec-fetch-site", "cross-site")
        .json(&json!({}))
        .send()
        .await
        .expect("request");

    for response in [form, foreign, cross_site] {
        assert_eq!(response.status(), 403);
        let body: ErrorResponse = response.json().await.expect("error body");
        assert_eq!(body.error.code, "forbidden");
    }
    assert_eq!(
        get_with(&client, &app.url("/api/auth/me")).await.status(),
        200,
        "still signed in"
    );
}

#[tokio::test]
async fn a_password_change_ends_the_users_other_sessions_but_not_this_one() {
    let app = spawn_app().await;
    app.create_user("Acme", "ada@acme.test", Role::Admin).await;
    let laptop = app.signed_in("ada@acme.test").await;
    let phone = app.signed_in("ada@acme.test").await;

    let change = post_with(
        &laptop,
        &app.url("/api/auth/password"),
        &json!({ "current_password": PASSWORD, "new_password": "a brand new passphrase" }),
    )
    .await;

    assert_eq!(change.status(), 204);
    assert_eq!(
        get_with(&laptop, &app.url("/api/auth/me")).await.status(),
        200
    );
    assert_eq!(
        get_with(&phone, &app.url("/api/auth/me")).await.status(),
        401
    );
    let old = post_with(
        &new_client(),
        &app.url("/api/auth/login"),
        &json!({ "email": "ada@acme.test", "password": PASSWORD }),
    )
    .await;
    assert_eq!(old.status(), 401, "the old password no longer works");
}

#[tokio::test]
async fn weak_new_passwords_are_refused_with_the_field_named() {
    let app = spawn_app().await;
    app.create_user("Acme", "ada@acme.test", Role::Admin).await;
    let client = app.signed_in("ada@acme.test").await;

    for (new_password, why) in [("short", "too short"), ("password1234", "too common")] {
        let response = post_with(
            &client,
            &app.url("/api/auth/password"),
            &json!({ "current_password": PASSWORD, "new_password": new_password }),
        )
        .await;
        assert_eq!(response.status(), 422, "{why}");
        let body: ErrorResponse = response.json().await.expect("error body");
        assert_eq!(body.error.field.as_deref(), Some("new_password"), "{why}");
    }
}

#[tokio::test]
async fn the_password_and_session_id_never_appear_in_the_logs() {
    let app = spawn_app().await;
    app.create_user("Acme", "logcheck@acme.test", Role::Admin)
        .await;
    let secret_password = "an unmistakable-secret passphrase 7731";
    let client = app.signed_in("logcheck@acme.test").await;
    let change = post_with(
        &client,
        &app.url("/api/auth/password"),
        &json!({ "current_password": PASSWORD, "new_password": secret_password }),
    )
    .await;
    assert_eq!(change.status(), 204);
    let login = post_with(
        &new_client(),
        &app.url("/api/auth/login"),
        &json!({ "email": "logcheck@acme.test", "password": secret_password }),
    )
    .await;
    let cookie = session_cookie(&login).expect("cookie");
    let session_id = cookie
        .split(';')
        .next()
        .and_then(|pair| pair.split_once('='))
        .map(|(_, id)| id.to_owned())
        .expect("session id");

    let logs = crate::helpers::captured_logs();

    assert!(logs.contains("/api/auth/login"), "the requests were logged");
    assert!(
        !logs.contains(secret_password),
        "the password leaked into the logs"
    );
    assert!(
        !logs.contains(PASSWORD),
        "the test password leaked into the logs"
    );
    let leaks: Vec<&str> = logs.lines().filter(|l| l.contains(&session_id)).collect();
    assert!(
        leaks.is_empty(),
        "the session id leaked into the logs: {leaks:?}"
    );
}

#[tokio::test]
async fn throttling_holds_across_server_instances_sharing_the_database() {
    let first = spawn_app().await;
    let second = first.spawn_sibling().await;
    first
        .create_user("Acme", "ada@acme.test", Role::Admin)
        .await;
    for _ in 0..5 {
        let r = first
            .post_json(
                "/api/auth/login",
                &json!({ "email": "ada@acme.test", "password": "wrong wrong wrong" }),
            )
            .await;
        assert_eq!(r.status(), 401);
    }

    let elsewhere = second
        .post_json(
            "/api/auth/login",
            &json!({ "email": "ada@acme.test", "password": PASSWORD }),
        )
        .await;

    assert_eq!(
        elsewhere.status(),
        429,
        "the other instance knows about the failures"
    );
}

#[tokio::test]
async fn a_session_started_on_one_instance_works_on_another() {
    let first = spawn_app().await;
    let second = first.spawn_sibling().await;
    first
        .create_user("Acme", "ada@acme.test", Role::Admin)
        .await;
    let login = first
        .post_json(
            "/api/auth/login",
            &json!({ "email": "ada@acme.test", "password": PASSWORD }),
        )
        .await;
    let cookie = session_cookie(&login).expect("cookie");
    let pair = cookie.split(';').next().expect("pair").to_owned();

    let me = new_client()
        .get(second.url("/api/auth/me"))
        .header("cookie", pair)
        .send()
        .await
        .expect("request");

    assert_eq!(me.status(), 200, "sessions live in the shared database");
}

#[tokio::test]
async fn expired_session_rows_are_swept_while_live_ones_stay() {
    let app = spawn_app().await;
    app.create_user("Acme", "ada@acme.test", Role::Admin).await;
    let client = app.signed_in("ada@acme.test").await;
    use sea_orm::{ConnectionTrait, Statement};
    app.db
        .execute_unprepared(
            "INSERT INTO sessions (id, data, expiry_date) VALUES ('stale-session', '{}', '2000-01-01 00:00:00+00:00')",
        )
        .await
        .expect("insert an expired session");
    let count = |sql: &'static str| {
        let db = app.db.clone();
        async move {
            let row = db
                .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
                .await
                .expect("query")
                .expect("row");
            row.try_get_by_index::<i64>(0).expect("count")
        }
    };

    // A starting instance sweeps at once (and every ten minutes after).
    let _second = app.spawn_sibling().await;
    let mut remaining = 1;
    for _ in 0..200 {
        remaining = count("SELECT COUNT(*) FROM sessions WHERE id = 'stale-session'").await;
        if remaining == 0 {
            break;
        }
        tokio::task::yield_now().await;
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }

    assert_eq!(remaining, 0, "the expired row is removed");
    assert_eq!(
        get_with(&client, &app.url("/api/auth/me")).await.status(),
        200,
        "live sessions stay"
    );
}
