//! Users, invitations and the outbox (ASVS V6.4, V8).

use assay_core::access::Role;
use assay_core::api::{ErrorResponse, UserView};
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{PASSWORD, TestApp, get_with, new_client, post_with, spawn_app};

async fn invite(
    app: &TestApp,
    admin: &reqwest::Client,
    email: &str,
    role: &str,
) -> reqwest::Response {
    post_with(
        admin,
        &app.url("/api/users"),
        &json!({ "email": email, "display_name": "New Person", "role": role }),
    )
    .await
}

/// The token of the invitation link in the newest email to `email`, as its recipient
/// reads it (the sealed email opened with the server's key).
pub async fn invitation_token(app: &TestApp, email: &str) -> String {
    let mail = app.newest_email_to(email).await;
    let (_, token) = mail
        .text
        .split_once("/invitation#token=")
        .unwrap_or_else(|| panic!("the token travels in the fragment: {}", mail.text));
    token.split_whitespace().next().expect("token").to_owned()
}

#[tokio::test]
async fn an_admin_invites_a_user_who_sets_a_password_once_and_signs_in() {
    let app = spawn_app().await;
    app.create_user("Acme", "ada@acme.test", Role::Admin).await;
    let admin = app.signed_in("ada@acme.test").await;

    let created = invite(&app, &admin, "Pat@Acme.test", "procurement").await;

    assert_eq!(created.status(), StatusCode::CREATED);
    let user: UserView = created.json().await.expect("user");
    assert_eq!(user.email, "pat@acme.test");
    assert_eq!(user.role, Role::Procurement);
    assert!(!user.has_password);
    let token = invitation_token(&app, "pat@acme.test").await;

    let accept = app
        .post_json(
            "/api/invitations/accept",
            &json!({ "token": token, "password": "pats own passphrase" }),
        )
        .await;
    assert_eq!(accept.status(), 204);
    let again = app
        .post_json(
            "/api/invitations/accept",
            &json!({ "token": token, "password": "another passphrase!" }),
        )
        .await;
    assert_eq!(
        again.status(),
        StatusCode::GONE,
        "invitation links work once"
    );
    let login = post_with(
        &new_client(),
        &app.url("/api/auth/login"),
        &json!({ "email": "pat@acme.test", "password": "pats own passphrase" }),
    )
    .await;
    assert_eq!(login.status(), 200);
}

#[tokio::test]
async fn an_unknown_invitation_token_is_404_and_an_expired_one_410() {
    let app = spawn_app().await;
    app.create_user("Acme", "ada@acme.test", Role::Admin).await;
    let admin = app.signed_in("ada@acme.test").await;
    invite(&app, &admin, "pat@acme.test", "auditor").await;
    let token = invitation_token(&app, "pat@acme.test").await;

    let unknown = app
        .post_json(
            "/api/invitations/accept",
            &json!({ "token": "nope", "password": "pats own passphrase" }),
        )
        .await;
    use sea_orm::ConnectionTrait;
    app.db
        .execute_unprepared("UPDATE invitations SET expires_at = '2000-01-01 00:00:00+00:00'")
        .await
        .expect("expire");
    let expired = app
        .post_json(
            "/api/invitations/accept",
            &json!({ "token": token, "password": "pats own passphrase" }),
        )
        .await;

    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    assert_eq!(expired.status(), StatusCode::GONE);
}

#[tokio::test]
async fn inviting_an_existing_email_is_a_conflict_and_bad_input_names_the_field() {
    let app = spawn_app().await;
    app.create_user("Acme", "ada@acme.test", Role::Admin).await;
    let admin = app.signed_in("ada@acme.test").await;

    let duplicate = invite(&app, &admin, "ada@acme.test", "auditor").await;
    let bad_email = invite(&app, &admin, "not-an-email", "auditor").await;
    let bad_role = invite(&app, &admin, "x@acme.test", "overlord").await;

    assert_eq!(duplicate.status(), StatusCode::CONFLICT);
    assert_eq!(bad_email.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: ErrorResponse = bad_email.json().await.expect("error");
    assert_eq!(body.error.field.as_deref(), Some("email"));
    assert_eq!(bad_role.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn only_admins_manage_users() {
    let app = spawn_app().await;
    app.create_user("Acme", "ada@acme.test", Role::Admin).await;
    for (email, role) in [
        ("pro@acme.test", Role::Procurement),
        ("risk@acme.test", Role::RiskManager),
        ("aud@acme.test", Role::Auditor),
    ] {
        app.create_user("Acme", email, role).await;
        let client = app.signed_in(email).await;
        assert_eq!(
            get_with(&client, &app.url("/api/users")).await.status(),
            403,
            "{role}"
        );
        assert_eq!(
            invite(&app, &client, "x@acme.test", "admin").await.status(),
            403,
            "{role}"
        );
        assert_eq!(
            get_with(&client, &app.url("/api/outbox")).await.status(),
            403,
            "{role}"
        );
    }
}

#[tokio::test]
async fn deactivating_a_user_and_changing_a_role_apply_at_the_next_request() {
    let app = spawn_app().await;
    app.create_user("Acme", "ada@acme.test", Role::Admin).await;
    let bob = app.create_user("Acme", "bob@acme.test", Role::Admin).await;
    let carol = app
        .create_user("Acme", "carol@acme.test", Role::Auditor)
        .await;
    let admin = app.signed_in("ada@acme.test").await;
    let bob_client = app.signed_in("bob@acme.test").await;
    let carol_client = app.signed_in("carol@acme.test").await;
    assert_eq!(
        get_with(&bob_client, &app.url("/api/users")).await.status(),
        200
    );

    let demote = admin
        .patch(app.url(&format!("/api/users/{}", bob.id)))
        .json(&json!({ "role": "auditor" }))
        .send()
        .await
        .expect("request");
    let deactivate = admin
        .patch(app.url(&format!("/api/users/{}", carol.id)))
        .json(&json!({ "active": false }))
        .send()
        .await
        .expect("request");

    assert_eq!(demote.status(), 200);
    let demoted: UserView = demote.json().await.expect("user");
    assert_eq!(demoted.role, Role::Auditor);
    assert_eq!(deactivate.status(), 200);
    assert_eq!(
        get_with(&bob_client, &app.url("/api/users")).await.status(),
        401,
        "privilege change ends the session"
    );
    assert_eq!(
        get_with(&carol_client, &app.url("/api/auth/me"))
            .await
            .status(),
        401
    );
    let carol_login = post_with(
        &new_client(),
        &app.url("/api/auth/login"),
        &json!({ "email": "carol@acme.test", "password": PASSWORD }),
    )
    .await;
    assert_eq!(
        carol_login.status(),
        401,
        "a deactivated user cannot sign in"
    );
    let bob_again = app.signed_in("bob@acme.test").await;
    assert_eq!(
        get_with(&bob_again, &app.url("/api/users")).await.status(),
        403,
        "now an auditor"
    );
}

#[tokio::test]
async fn the_last_active_admin_cannot_be_demoted_or_deactivated() {
    let app = spawn_app().await;
    let ada = app.create_user("Acme", "ada@acme.test", Role::Admin).await;
    let admin = app.signed_in("ada@acme.test").await;

    for change in [json!({ "role": "auditor" }), json!({ "active": false })] {
        let response = admin
            .patch(app.url(&format!("/api/users/{}", ada.id)))
            .json(&change)
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), StatusCode::CONFLICT, "{change}");
        let body: ErrorResponse = response.json().await.expect("error");
        assert_eq!(body.error.code, "last_admin");
    }
}

#[tokio::test]
async fn people_lists_names_and_roles_of_the_organisation_only() {
    let app = spawn_app().await;
    app.create_user("Acme", "rita@acme.test", Role::RiskManager)
        .await;
    app.create_user("Acme", "paul@acme.test", Role::Procurement)
        .await;
    app.create_user("Other Org", "olga@other.test", Role::Admin)
        .await;
    let rita = app.signed_in("rita@acme.test").await;
    let response = get_with(&rita, &app.url("/api/people")).await;
    assert_eq!(response.status(), 200);
    let people: Vec<serde_json::Value> = response.json().await.expect("people");
    assert_eq!(people.len(), 2, "only Acme's people: {people:?}");
    assert!(
        people.iter().all(|p| p.get("email").is_none()),
        "no email addresses"
    );
    let roles: Vec<&str> = people.iter().filter_map(|p| p["role"].as_str()).collect();
    assert!(roles.contains(&"risk_manager") && roles.contains(&"procurement"));
    assert_eq!(
        new_client()
            .get(app.url("/api/people"))
            .send()
            .await
            .expect("request")
            .status(),
        401
    );
}

fn login(
    app: &TestApp,
    email: &str,
    password: &str,
) -> impl std::future::Future<Output = reqwest::Response> {
    let (url, body) = (
        app.url("/api/auth/login"),
        json!({ "email": email, "password": password }),
    );
    async move { post_with(&new_client(), &url, &body).await }
}

async fn reset(app: &TestApp, admin: &reqwest::Client, user: uuid::Uuid) -> reqwest::Response {
    post_with(
        admin,
        &app.url(&format!("/api/users/{user}/password-reset")),
        &json!({}),
    )
    .await
}

#[tokio::test]
async fn an_admin_sends_a_password_link_that_sets_a_new_password_once_and_ends_sessions() {
    let app = spawn_app().await;
    app.create_user("Acme", "ada@acme.test", Role::Admin).await;
    let pat = app
        .create_user("Acme", "pat@acme.test", Role::Procurement)
        .await;
    let admin = app.signed_in("ada@acme.test").await;
    let pats_session = app.signed_in("pat@acme.test").await;

    let first = reset(&app, &admin, pat.id).await;
    assert_eq!(first.status(), StatusCode::NO_CONTENT, "the link is sent");
    let first_token = invitation_token(&app, "pat@acme.test").await;
    let mail = app.newest_email_to("pat@acme.test").await;
    assert!(
        mail.text.contains("set a new password") || mail.text.contains("Set a new password"),
        "the email says what the link is for: {}",
        mail.text
    );
    assert_eq!(
        login(&app, "pat@acme.test", PASSWORD).await.status(),
        StatusCode::OK,
        "the current password works until a new one is set"
    );

    // A second link replaces the first.
    assert_eq!(
        reset(&app, &admin, pat.id).await.status(),
        StatusCode::NO_CONTENT
    );
    let token = invitation_token(&app, "pat@acme.test").await;
    assert_ne!(token, first_token, "each link is new");
    let stale = app
        .post_json(
            "/api/invitations/accept",
            &json!({ "token": first_token, "password": "pats new passphrase" }),
        )
        .await;
    assert_eq!(
        stale.status(),
        StatusCode::GONE,
        "the replaced link no longer works"
    );

    let accept = app
        .post_json(
            "/api/invitations/accept",
            &json!({ "token": token, "password": "pats new passphrase" }),
        )
        .await;
    assert_eq!(
        accept.status(),
        StatusCode::NO_CONTENT,
        "the new password is set"
    );
    let again = app
        .post_json(
            "/api/invitations/accept",
            &json!({ "token": token, "password": "someone elses phrase" }),
        )
        .await;
    assert_eq!(again.status(), StatusCode::GONE, "the link works once");
    assert_eq!(
        login(&app, "pat@acme.test", "pats new passphrase")
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        login(&app, "pat@acme.test", PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED,
        "the old password no longer works"
    );
    let me = get_with(&pats_session, &app.url("/api/auth/me")).await;
    assert_eq!(
        me.status(),
        StatusCode::UNAUTHORIZED,
        "the session from before the reset has ended"
    );

    let log: serde_json::Value = get_with(&admin, &app.url("/api/audit?limit=200"))
        .await
        .json()
        .await
        .expect("audit log");
    let sent = log["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|e| e["action"] == "user.password_reset_sent")
        .count();
    assert_eq!(sent, 2, "each link sent is in the audit log: {log}");
}

#[tokio::test]
async fn only_an_admin_of_the_same_organisation_sends_password_links_to_active_users() {
    let app = spawn_app().await;
    app.create_user("Acme", "ada@acme.test", Role::Admin).await;
    let pat = app
        .create_user("Acme", "pat@acme.test", Role::Procurement)
        .await;
    app.create_user("Acme", "rita@acme.test", Role::RiskManager)
        .await;
    app.create_user("Other", "otto@other.test", Role::Admin)
        .await;

    let rita = app.signed_in("rita@acme.test").await;
    assert_eq!(
        reset(&app, &rita, pat.id).await.status(),
        StatusCode::FORBIDDEN,
        "only Admins send password links"
    );
    let otto = app.signed_in("otto@other.test").await;
    assert_eq!(
        reset(&app, &otto, pat.id).await.status(),
        StatusCode::NOT_FOUND,
        "another organisation's Admin cannot reach Acme's users"
    );
    assert_eq!(
        reset(&app, &otto, uuid::Uuid::now_v7()).await.status(),
        StatusCode::NOT_FOUND
    );

    let admin = app.signed_in("ada@acme.test").await;
    let deactivated = admin
        .patch(app.url(&format!("/api/users/{}", pat.id)))
        .json(&json!({ "active": false }))
        .send()
        .await
        .expect("request");
    assert_eq!(deactivated.status(), StatusCode::OK);
    let refused = reset(&app, &admin, pat.id).await;
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    let error: ErrorResponse = refused.json().await.expect("error body");
    assert_eq!(error.error.code, "user_inactive");
    let outbox: serde_json::Value = get_with(&admin, &app.url("/api/outbox"))
        .await
        .json()
        .await
        .expect("outbox");
    let resets = outbox["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|e| e["kind"] == "password_reset")
        .count();
    assert_eq!(resets, 0, "no password link was queued: {outbox}");
}

#[tokio::test]
async fn someone_who_never_used_their_invitation_gets_it_again_and_only_the_new_link_works() {
    let app = spawn_app().await;
    app.create_user("Acme", "ada@acme.test", Role::Admin).await;
    let admin = app.signed_in("ada@acme.test").await;
    let invited: UserView = invite(&app, &admin, "pat@acme.test", "auditor")
        .await
        .json()
        .await
        .expect("user");
    let first = invitation_token(&app, "pat@acme.test").await;

    assert_eq!(
        reset(&app, &admin, invited.id).await.status(),
        StatusCode::NO_CONTENT
    );
    let mail = app.newest_email_to("pat@acme.test").await;
    assert!(
        mail.text.contains("invited you"),
        "an invited person is invited again, not told to reset a password: {}",
        mail.text
    );
    let token = invitation_token(&app, "pat@acme.test").await;
    let old = app
        .post_json(
            "/api/invitations/accept",
            &json!({ "token": first, "password": "pats own passphrase" }),
        )
        .await;
    assert_eq!(
        old.status(),
        StatusCode::GONE,
        "the first invitation link is replaced"
    );
    let new = app
        .post_json(
            "/api/invitations/accept",
            &json!({ "token": token, "password": "pats own passphrase" }),
        )
        .await;
    assert_eq!(new.status(), StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn password_links_sent_at_once_leave_exactly_one_working_link_and_no_server_error() {
    use assay_server::db::entities::invitation;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

    let app = spawn_app().await;
    app.create_user("Acme", "ada@acme.test", Role::Admin).await;
    let pat = app
        .create_user("Acme", "pat@acme.test", Role::Procurement)
        .await;
    let admin = app.signed_in("ada@acme.test").await;
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let (admin, url) = (
            admin.clone(),
            app.url(&format!("/api/users/{}/password-reset", pat.id)),
        );
        tasks.push(tokio::spawn(async move {
            post_with(&admin, &url, &json!({})).await.status()
        }));
    }
    for task in tasks {
        let status = task.await.expect("task");
        assert!(
            status == StatusCode::NO_CONTENT || status == StatusCode::SERVICE_UNAVAILABLE,
            "each request is sent or told to retry, never a server error: {status}"
        );
    }
    let live = invitation::Entity::find()
        .filter(invitation::Column::UserId.eq(pat.id))
        .filter(invitation::Column::UsedAt.is_null())
        .count(&app.db)
        .await
        .expect("count");
    assert_eq!(live, 1, "only the newest link works");
    let token = invitation_token(&app, "pat@acme.test").await;
    let accept = app
        .post_json(
            "/api/invitations/accept",
            &json!({ "token": token, "password": "pats new passphrase" }),
        )
        .await;
    assert_eq!(
        accept.status(),
        StatusCode::NO_CONTENT,
        "the link in the newest email is the live one"
    );
}
