//! No usable secret at rest: invitation and portal links are never stored or shown in
//! plaintext. Email bodies are sealed in the outbox until delivered and dropped after; the
//! outbox API shows who an email is for and how its delivery went, never its text.

use assay_core::api::{CursorPage, OutboxEmailView};
use assay_server::db::entities::outbox;
use assay_server::services::mailer::DELIVERED;
use migrations::{Migrator, MigratorTrait};
use reqwest::StatusCode;
use sea_orm::sea_query::{Alias, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::json;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::assessments::{emailed_token, send, vendor_session};
use crate::helpers::{TestApp, get_with, post_with, spawn_app, spawn_app_with};
use crate::smtp::{self, SmtpServer};
use crate::users::invitation_token;

/// `text` as lower-case hexadecimal, the way both databases render binary columns.
fn hex(text: &str) -> String {
    text.bytes().map(|b| format!("{b:02x}")).collect()
}

/// Fails, naming the table, if `secret` is anywhere in `stored` (from
/// [`TestApp::stored_text`]), as text or as bytes.
fn assert_not_stored(stored: &str, secret: &str, what: &str) {
    let found = stored
        .lines()
        .find(|line| line.contains(secret) || line.to_lowercase().contains(&hex(secret)));
    assert!(
        found.is_none(),
        "the {what} is stored in plaintext, in table {}",
        found
            .and_then(|line| line.split_once(": "))
            .map_or("?", |(table, _)| table)
    );
}

async fn outbox_row(app: &TestApp, to: &str) -> outbox::Model {
    outbox::Entity::find()
        .filter(outbox::Column::Recipient.eq(to))
        .one(&app.db)
        .await
        .expect("query")
        .unwrap_or_else(|| panic!("an email to {to}"))
}

#[tokio::test]
async fn no_token_is_stored_or_shown_after_inviting_sending_and_resending() {
    let app = spawn_app().await;
    let sent = send(&app).await;
    let admin = app.signed_in("admin@acme.test").await;
    let invited = post_with(
        &admin,
        &app.url("/api/users"),
        &json!({ "email": "pat@acme.test", "display_name": "Pat", "role": "procurement" }),
    )
    .await;
    assert_eq!(invited.status(), StatusCode::CREATED, "setup: invited");
    let resent = post_with(
        &sent.procurement,
        &app.url(&format!("/api/assessments/{}/resend", sent.assessment.id)),
        &json!({}),
    )
    .await;
    assert_eq!(resent.status(), StatusCode::OK, "setup: resent");
    // The links as their recipients read them; the new portal link opens a session.
    let invitation = invitation_token(&app, "pat@acme.test").await;
    let portal = emailed_token(&app, "vera@vendor.test").await;
    assert_ne!(portal, sent.token, "resending made a new link");
    vendor_session(&app, &portal).await;

    let stored = app.stored_text().await;
    let listed = get_with(&admin, &app.url("/api/outbox")).await;

    assert!(
        stored.contains("outbox: ") && stored.contains("pat@acme.test"),
        "the dump covers the outbox"
    );
    for (token, what) in [
        (&invitation, "user invitation token"),
        (&sent.token, "first portal token"),
        (&portal, "resent portal token"),
    ] {
        assert_not_stored(&stored, token, what);
    }
    assert!(
        !stored.contains("#token="),
        "no link is stored, live or withdrawn"
    );
    assert_eq!(listed.status(), StatusCode::OK);
    let listed = listed.text().await.expect("body");
    for token in [&invitation, &sent.token, &portal] {
        assert!(
            !listed.contains(token.as_str()),
            "the outbox API shows a token"
        );
    }
    assert!(!listed.contains("#token="), "the outbox API shows a link");
    let emails: CursorPage<OutboxEmailView> = serde_json::from_str(&listed).expect("outbox");
    let emails = emails.items;
    let to_pat = emails
        .iter()
        .find(|m| m.recipient == "pat@acme.test")
        .expect("the invitation is listed");
    assert_eq!(to_pat.kind, "account_invitation");
    assert_eq!(to_pat.status, "queued");
    assert_eq!(to_pat.subject, "You are invited to Acme on Assay");
}

#[tokio::test]
async fn a_delivered_email_keeps_only_the_delivery_notice_and_its_link_works() {
    let server = SmtpServer::start().await;
    let app = spawn_app_with(|s| smtp::configure(s, server.port)).await;
    let sent = send(&app).await;
    let queued = outbox_row(&app, "vera@vendor.test").await;
    assert!(
        queued.sealed && queued.body.starts_with("v1:"),
        "sealed while it waits"
    );

    let round = app.scheduler.run_once().await.expect("a scheduler round");

    assert_eq!(round.delivery.map(|d| d.sent), Some(1));
    let received = server.wait_for(1).await;
    let link = format!("http://127.0.0.1:8080/portal#token={}", sent.token);
    assert!(received[0].text.contains(&link), "{}", received[0].text);
    assert!(
        received[0].html.contains(&format!("href=\"{link}\"")),
        "{}",
        received[0].html
    );
    let delivered = outbox_row(&app, "vera@vendor.test").await;
    assert_eq!(delivered.status, "sent");
    assert_eq!(delivered.body, DELIVERED);
    assert_eq!(delivered.html_body, None);
    assert!(!delivered.sealed);
    assert_not_stored(
        &app.stored_text().await,
        &sent.token,
        "delivered portal token",
    );
    // The link that arrived is the one that works.
    let (_, token) = received[0]
        .text
        .split_once("/portal#token=")
        .expect("a link");
    vendor_session(&app, token.split_whitespace().next().expect("token")).await;
}

#[tokio::test]
async fn emails_queued_before_the_upgrade_are_sealed_at_start_up_and_still_delivered() {
    let app = spawn_app().await;
    // The outbox as a version before sealing left it: one email waiting, one delivered.
    let since_sealing = Migrator::migrations()
        .iter()
        .rev()
        .position(|m| m.name() == "m20261204_000017_sealed_outbox")
        .expect("the sealing migration")
        + 1;
    Migrator::down(&app.db, Some(since_sealing as u32))
        .await
        .expect("back to the schema before sealing");
    let waiting = Uuid::now_v7();
    let columns = [
        "id",
        "recipient",
        "subject",
        "body",
        "html_body",
        "status",
        "kind",
        "attempts",
        "created_at",
    ];
    let mut insert = Query::insert();
    insert
        .into_table(Alias::new("outbox"))
        .columns(columns.map(Alias::new));
    for (id, to, status, token) in [
        (waiting, "old@vendor.test", "queued", "legacy-waiting-token"),
        (
            Uuid::now_v7(),
            "done@vendor.test",
            "sent",
            "legacy-sent-token",
        ),
    ] {
        insert.values_panic([
            id.into(),
            to.into(),
            "Old invitation".into(),
            format!("Hello,\n\nhttp://127.0.0.1:8080/portal#token={token}\n").into(),
            format!("<p><a href=\"http://127.0.0.1:8080/portal#token={token}\">Open</a></p>")
                .into(),
            status.into(),
            "assessment_invitation".into(),
            0.into(),
            OffsetDateTime::now_utc().into(),
        ]);
    }
    app.db.execute(&insert).await.expect("legacy rows");

    Migrator::up(&app.db, None).await.expect("migrated again");
    assert_eq!(
        outbox_row(&app, "done@vendor.test").await.body,
        DELIVERED,
        "the migration drops what was delivered"
    );
    let server = SmtpServer::start().await;
    let upgraded = app
        .spawn_sibling_with(|s| smtp::configure(s, server.port))
        .await;

    let sealed = outbox_row(&app, "old@vendor.test").await;
    assert!(sealed.sealed, "start-up seals what is waiting");
    let stored = app.stored_text().await;
    assert_not_stored(&stored, "legacy-waiting-token", "waiting legacy token");
    assert_not_stored(&stored, "legacy-sent-token", "delivered legacy token");
    let round = upgraded.scheduler.run_once().await.expect("a round");
    assert_eq!(round.delivery.map(|d| d.sent), Some(1));
    let received = server.wait_for(1).await;
    assert_eq!(received[0].to, "old@vendor.test");
    assert!(
        received[0]
            .text
            .contains("/portal#token=legacy-waiting-token"),
        "{}",
        received[0].text
    );
    assert!(received[0].html.contains("legacy-waiting-token"));
    let delivered = outbox::Entity::find_by_id(waiting)
        .one(&app.db)
        .await
        .expect("query")
        .expect("the email");
    assert_eq!(delivered.body, DELIVERED);
}
