//! The hash-chained audit log (ASVS V16).

use assay_core::access::Role;
use assay_core::api::{AuditEntryView, CursorPage};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::helpers::{get_with, new_client, post_with, spawn_app};

#[tokio::test]
async fn sign_ins_and_user_changes_are_recorded_without_secrets() {
    let app = spawn_app().await;
    app.create_user("Acme", "ada@acme.test", Role::Admin).await;
    let failed = post_with(
        &new_client(),
        &app.url("/api/auth/login"),
        &json!({ "email": "ada@acme.test", "password": "a wrong password here" }),
    )
    .await;
    assert_eq!(failed.status(), 401);
    let admin = app.signed_in("ada@acme.test").await;
    post_with(
        &admin,
        &app.url("/api/users"),
        &json!({ "email": "pat@acme.test", "display_name": "Pat", "role": "auditor" }),
    )
    .await;

    let page: CursorPage<AuditEntryView> = get_with(&admin, &app.url("/api/audit"))
        .await
        .json()
        .await
        .expect("page");

    let actions: Vec<&str> = page.items.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        vec![
            "user.invited",
            "auth.sign_in_succeeded",
            "auth.sign_in_failed",
            "user.created",
            "organisation.created"
        ],
        "newest first"
    );
    let all = serde_json::to_string(&page.items).expect("json");
    assert!(
        !all.contains("a wrong password here"),
        "no password in the audit log"
    );
    assert!(
        page.items[0].request_id.is_some(),
        "entries carry the request id"
    );
    let filtered: CursorPage<AuditEntryView> =
        get_with(&admin, &app.url("/api/audit?action=auth."))
            .await
            .json()
            .await
            .expect("page");
    assert_eq!(filtered.total, 2);
}

#[tokio::test]
async fn verification_passes_on_an_untouched_log_and_names_the_first_altered_entry() {
    let app = spawn_app().await;
    app.create_user("Acme", "ada@acme.test", Role::Admin).await;
    let admin = app.signed_in("ada@acme.test").await;
    for i in 0..3 {
        post_with(
            &admin,
            &app.url("/api/users"),
            &json!({ "email": format!("u{i}@acme.test"), "display_name": "U", "role": "auditor" }),
        )
        .await;
    }
    let intact: Value = get_with(&admin, &app.url("/api/audit/verify"))
        .await
        .json()
        .await
        .expect("report");
    assert_eq!(intact["intact"], true, "{intact}");
    assert_eq!(intact["entries_checked"], 6, "{intact}");

    app.db
        .execute_unprepared("UPDATE audit_log SET detail = '{\"email\":\"someone-else@acme.test\",\"role\":\"admin\"}' WHERE action = 'user.invited' AND seq = 4")
        .await
        .expect("tamper");
    let broken: Value = get_with(&admin, &app.url("/api/audit/verify"))
        .await
        .json()
        .await
        .expect("report");

    assert_eq!(broken["intact"], false, "{broken}");
    assert_eq!(broken["first_broken"]["seq"], 4, "{broken}");
}

#[tokio::test]
async fn deleting_the_newest_entries_is_detected() {
    let app = spawn_app().await;
    app.create_user("Acme", "ada@acme.test", Role::Admin).await;
    let admin = app.signed_in("ada@acme.test").await;
    post_with(
        &admin,
        &app.url("/api/users"),
        &json!({ "email": "p@acme.test", "display_name": "P", "role": "auditor" }),
    )
    .await;

    app.db
        .execute_unprepared("DELETE FROM audit_log WHERE action = 'user.invited'")
        .await
        .expect("delete");
    let report: Value = get_with(&admin, &app.url("/api/audit/verify"))
        .await
        .json()
        .await
        .expect("report");

    assert_eq!(report["intact"], false, "{report}");
}

#[tokio::test]
async fn exports_contain_the_entries_as_csv_and_json() {
    let app = spawn_app().await;
    app.create_user("Acme", "ada@acme.test", Role::Admin).await;
    app.create_user("Acme", "aud@acme.test", Role::Auditor)
        .await;
    let auditor = app.signed_in("aud@acme.test").await;

    let csv = get_with(&auditor, &app.url("/api/audit/export.csv")).await;
    let json = get_with(&auditor, &app.url("/api/audit/export.json")).await;

    assert_eq!(csv.status(), 200);
    assert!(
        csv.headers()["content-type"]
            .to_str()
            .expect("ascii")
            .starts_with("text/csv")
    );
    let text = csv.text().await.expect("csv");
    let mut lines = text.lines();
    assert!(
        lines
            .next()
            .expect("header")
            .starts_with("seq,occurred_at,actor")
    );
    assert_eq!(
        lines.count(),
        4,
        "organisation, two users, one sign-in: {text}"
    );
    let entries: Vec<AuditEntryView> = json.json().await.expect("json");
    assert_eq!(entries.len(), 4);
    assert_eq!(entries[0].action, "organisation.created", "oldest first");
}

#[tokio::test]
async fn procurement_and_risk_managers_cannot_read_the_audit_log() {
    let app = spawn_app().await;
    app.create_user("Acme", "pro@acme.test", Role::Procurement)
        .await;
    app.create_user("Acme", "risk@acme.test", Role::RiskManager)
        .await;
    for email in ["pro@acme.test", "risk@acme.test"] {
        let client = app.signed_in(email).await;
        assert_eq!(
            get_with(&client, &app.url("/api/audit")).await.status(),
            403,
            "{email}"
        );
        assert_eq!(
            get_with(&client, &app.url("/api/audit/verify"))
                .await
                .status(),
            403,
            "{email}"
        );
    }
}

#[tokio::test]
async fn entries_holding_floats_verify_as_stored() {
    use assay_server::services::audit::{self, Action, Actor, Event};

    let app = spawn_app().await;
    let ada = app.create_user("Acme", "ada@acme.test", Role::Admin).await;
    // Scores like these are in real details (a closed remediation re-scores); printing
    // a parsed float again is not byte-stable, so verification used to report tampering.
    let mut floats = vec![94.09090909090912, 89.00000000000001, 95.00000000000004];
    floats.extend((1..200).map(|n| f64::from(n) / 11.0 * 3.7));
    for (n, value) in floats.iter().enumerate() {
        audit::record(
            &app.db,
            Event {
                organization_id: Some(ada.organization_id),
                actor: Actor::scheduler(),
                action: Action::RemediationClosed,
                target: Some(("remediation", n.to_string())),
                detail: json!({ "overall_after": value, "nested": { "weights": [value, value / 3.0] } }),
            },
            app.clock.now(),
        )
        .await
        .expect("recorded");
    }
    let admin = app.signed_in("ada@acme.test").await;
    let report: Value = get_with(&admin, &app.url("/api/audit/verify"))
        .await
        .json()
        .await
        .expect("report");
    assert_eq!(
        report["intact"],
        json!(true),
        "nothing was altered, so the chain verifies: {report}"
    );
    assert!(report["entries_checked"].as_u64().unwrap_or_default() >= 202);
}
