//! Tenant isolation: nothing of one organisation is visible or changeable from another,
//! and another tenant's object looks exactly like a missing one (ASVS V8.2.2).

use assay_core::access::Role;
use assay_core::api::{AuditEntryView, CursorPage, OutboxEmailView, UserView};
use serde_json::json;

use crate::helpers::{get_with, post_with, spawn_app};

#[tokio::test]
async fn an_admin_of_one_organisation_sees_and_changes_nothing_of_another() {
    let app = spawn_app().await;
    let alpha_admin = app
        .create_user("Alpha", "admin@alpha.test", Role::Admin)
        .await;
    let alpha_user = app
        .create_user("Alpha", "user@alpha.test", Role::Auditor)
        .await;
    app.create_user("Beta", "admin@beta.test", Role::Admin)
        .await;
    let alpha = app.signed_in("admin@alpha.test").await;
    let beta = app.signed_in("admin@beta.test").await;
    let invited = post_with(
        &alpha,
        &app.url("/api/users"),
        &json!({ "email": "new@alpha.test", "display_name": "New", "role": "auditor" }),
    )
    .await;
    assert_eq!(invited.status(), 201);

    let users: Vec<UserView> = get_with(&beta, &app.url("/api/users"))
        .await
        .json()
        .await
        .expect("users");
    let outbox: CursorPage<OutboxEmailView> = get_with(&beta, &app.url("/api/outbox"))
        .await
        .json()
        .await
        .expect("outbox");
    let outbox = outbox.items;
    let audit: CursorPage<AuditEntryView> = get_with(&beta, &app.url("/api/audit?limit=200"))
        .await
        .json()
        .await
        .expect("audit");
    let foreign_patch = beta
        .patch(app.url(&format!("/api/users/{}", alpha_user.id)))
        .json(&json!({ "active": false }))
        .send()
        .await
        .expect("request");
    let missing_patch = beta
        .patch(app.url(&format!("/api/users/{}", uuid::Uuid::now_v7())))
        .json(&json!({ "active": false }))
        .send()
        .await
        .expect("request");

    assert!(
        users.iter().all(|u| u.email.ends_with("@beta.test")),
        "{users:?}"
    );
    assert!(outbox.is_empty(), "{outbox:?}");
    let alpha_ids = [alpha_admin.id.to_string(), alpha_user.id.to_string()];
    assert!(
        audit.items.iter().all(|e| !e.actor.ends_with("@alpha.test")
            && !e.target_id.as_ref().is_some_and(|t| alpha_ids.contains(t))),
        "beta's audit log shows alpha's events: {:?}",
        audit.items
    );
    assert_eq!(foreign_patch.status(), 404);
    let foreign_body = foreign_patch.text().await.expect("body");
    let missing_body = missing_patch.text().await.expect("body");
    let strip = |s: &str| {
        s.split("\"request_id\"")
            .next()
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(
        strip(&foreign_body),
        strip(&missing_body),
        "foreign and missing look the same"
    );
    let csv = get_with(&beta, &app.url("/api/audit/export.csv"))
        .await
        .text()
        .await
        .expect("csv");
    assert!(
        !csv.contains("@alpha.test"),
        "beta's CSV export shows alpha's events"
    );
    let exported: Vec<AuditEntryView> = get_with(&beta, &app.url("/api/audit/export.json"))
        .await
        .json()
        .await
        .expect("json");
    assert!(exported.iter().all(|e| !e.actor.ends_with("@alpha.test")));
    let verify: serde_json::Value = get_with(&beta, &app.url("/api/audit/verify"))
        .await
        .json()
        .await
        .expect("report");
    assert_eq!(
        verify["entries_checked"].as_u64(),
        Some(exported.len() as u64),
        "verification covers beta's own chain only"
    );
    let org = beta
        .patch(app.url("/api/organization"))
        .json(&json!({ "require_mfa": true }))
        .send()
        .await
        .expect("request");
    let org: serde_json::Value = org.json().await.expect("organisation");
    assert_eq!(
        org["slug"], "beta",
        "an admin changes only their own organisation"
    );
    let alpha_me: assay_core::api::Me = get_with(&alpha, &app.url("/api/auth/me"))
        .await
        .json()
        .await
        .expect("me");
    assert!(
        !alpha_me.organization.require_mfa,
        "alpha's setting is untouched"
    );
    let still: Vec<UserView> = get_with(&alpha, &app.url("/api/users"))
        .await
        .json()
        .await
        .expect("users");
    assert!(
        still.iter().any(|u| u.id == alpha_user.id && u.active),
        "alpha's user is untouched"
    );
}
