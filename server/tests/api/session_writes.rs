//! Sessions are written when they change; reads are reads. A signed-in user or vendor
//! browsing leaves the sessions table as it was; the idle expiry is pushed back at most
//! once a minute; and a session left idle still ends.

use assay_core::access::Role;
use assay_server::db::entities::session;
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, QueryOrder, Set};
use time::{Duration, OffsetDateTime};

use crate::assessments::{send, vendor_session};
use crate::helpers::{TestApp, get_with, spawn_app};

/// Every session row, as stored.
async fn session_rows(app: &TestApp) -> Vec<session::Model> {
    session::Entity::find()
        .order_by_asc(session::Column::Id)
        .all(&app.db)
        .await
        .expect("the sessions table")
}

/// The only session row (the test signed in once).
async fn only_session(app: &TestApp) -> session::Model {
    let rows = session_rows(app).await;
    assert_eq!(rows.len(), 1, "one signed-in session: {rows:?}");
    rows.into_iter().next().expect("one row")
}

fn renewed_at(row: &session::Model) -> i64 {
    let data: serde_json::Value = serde_json::from_str(&row.data).expect("session data is JSON");
    data["assay.renewed_at"]
        .as_i64()
        .unwrap_or_else(|| panic!("the session records its last renewal: {data}"))
}

/// Makes the stored session look as if it was last renewed `by` earlier: its renewal mark
/// and its idle expiry both move back (the server's clock moving forward, as seen by the
/// session).
async fn age(app: &TestApp, row: session::Model, by: Duration) -> session::Model {
    let mut data: serde_json::Value = serde_json::from_str(&row.data).expect("JSON");
    data["assay.renewed_at"] = (renewed_at(&row) - by.whole_seconds()).into();
    let expiry = row.expiry_date - by;
    let mut active = row.into_active_model();
    active.data = Set(data.to_string());
    active.expiry_date = Set(expiry);
    active.update(&app.db).await.expect("the session is aged")
}

fn sets_session_cookie(response: &reqwest::Response) -> bool {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.contains("assay_session="))
}

#[tokio::test]
async fn a_signed_in_user_and_a_vendor_reading_pages_write_nothing_to_the_sessions_table() {
    let app = spawn_app().await;
    let sent = send(&app).await;
    let vendor = vendor_session(&app, &sent.token).await;
    let before = session_rows(&app).await;
    assert_eq!(
        before.len(),
        2,
        "procurement's and the vendor's sessions: {before:?}"
    );

    for round in 0..20 {
        for path in ["/api/auth/me", "/api/vendors", "/api/dashboard"] {
            let response = get_with(&sent.procurement, &app.url(path)).await;
            assert_eq!(response.status(), StatusCode::OK, "{path} in round {round}");
            assert!(
                !sets_session_cookie(&response),
                "a read does not resend the cookie ({path})"
            );
        }
        let portal = get_with(&vendor, &app.url("/api/portal/assessment")).await;
        assert_eq!(portal.status(), StatusCode::OK, "portal in round {round}");
        assert!(!sets_session_cookie(&portal), "nor a vendor's read");
    }

    assert_eq!(
        session_rows(&app).await,
        before,
        "on {}: 80 reads within a minute leave every session row as it was",
        app.expected_database
    );
}

#[tokio::test]
async fn a_request_over_a_minute_after_the_last_renewal_pushes_the_idle_expiry_back_once() {
    let app = spawn_app().await;
    app.create_user("Acme", "ada@acme.test", Role::Admin).await;
    let ada = app.signed_in("ada@acme.test").await;
    let aged = age(&app, only_session(&app).await, Duration::seconds(90)).await;

    let renewing = get_with(&ada, &app.url("/api/auth/me")).await;
    let renewed = only_session(&app).await;
    let again = get_with(&ada, &app.url("/api/vendors")).await;

    assert_eq!(renewing.status(), StatusCode::OK);
    assert!(
        sets_session_cookie(&renewing),
        "the renewal refreshes the cookie too"
    );
    assert_eq!(renewed.id, aged.id, "the same session, not a new one");
    assert!(
        renewed.expiry_date - aged.expiry_date >= Duration::seconds(89),
        "on {}: the idle expiry moved from {} to {}",
        app.expected_database,
        aged.expiry_date,
        renewed.expiry_date
    );
    assert!(renewed_at(&renewed) >= renewed_at(&aged) + 90);
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(
        only_session(&app).await,
        renewed,
        "a request right after a renewal writes nothing"
    );
}

#[tokio::test]
async fn a_session_left_idle_past_its_expiry_ends_however_recently_it_was_renewed() {
    let app = spawn_app().await;
    app.create_user("Acme", "ada@acme.test", Role::Admin).await;
    let ada = app.signed_in("ada@acme.test").await;
    for _ in 0..5 {
        assert_eq!(
            get_with(&ada, &app.url("/api/auth/me")).await.status(),
            StatusCode::OK
        );
    }
    // The idle time has passed: the expiry is behind us while the renewal mark is recent.
    let row = only_session(&app).await;
    let mut active = row.into_active_model();
    active.expiry_date = Set(OffsetDateTime::now_utc() - Duration::seconds(1));
    active.update(&app.db).await.expect("expired");

    let me = get_with(&ada, &app.url("/api/auth/me")).await;
    let again = get_with(&ada, &app.url("/api/vendors")).await;

    assert_eq!(
        me.status(),
        StatusCode::UNAUTHORIZED,
        "on {}: an idle-expired session is refused",
        app.expected_database
    );
    assert_eq!(
        again.status(),
        StatusCode::UNAUTHORIZED,
        "and stays refused"
    );
    assert!(
        session_rows(&app)
            .await
            .iter()
            .all(|row| row.expiry_date < OffsetDateTime::now_utc()),
        "nothing renewed the expired session"
    );
}
