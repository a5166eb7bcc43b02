//! The scheduler's rounds cost what is due, not what is stored: each job reads only the rows
//! whose due day has come (counted in statements, not timed), sends each notice once, and
//! looks again when a change makes something due sooner (new schedules, a cancelled
//! assessment, a restored vendor, a removed file, an upgrade from before the due days).

use assay_core::api::{AssessmentView, EvidenceView, ScorecardView};
use assay_core::schedule::ScheduleSettings;
use assay_server::db::entities::outbox;
use assay_server::services::scheduler::Report;
use migrations::{Migrator, MigratorTrait};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;
use time::{Duration, OffsetDateTime};

use crate::assessments::{Sent, send, vendor_session};
use crate::evidence_details::upload;
use crate::helpers::{TestApp, new_vendor, post_with, spawn_app};
use crate::review::submitted;
use crate::schedules::{at_day, due_in, of_kind, put_schedules, round};

/// A round in which nothing is due: per job (reminders, expiry alerts, reassessments, dated
/// scorecards, renewals, bulk sends), the lease taken, one indexed read, the lease
/// released (no SMTP server is set, so no delivery).
const IDLE_ROUND: u64 = 6 * 3;

/// Runs a round and counts the statements it sent to the database.
async fn counted_round(app: &TestApp) -> (Report, u64) {
    let before = app.queries.get();
    let report = round(app).await;
    (report, app.queries.get() - before)
}

/// The day `days` from the real today (as `at_day` counts), as the API writes dates.
fn day(days: i64) -> String {
    (OffsetDateTime::now_utc().date() + Duration::days(days)).to_string()
}

async fn emails_of_kind(app: &TestApp, kind: &str) -> u64 {
    outbox::Entity::find()
        .filter(outbox::Column::Kind.eq(kind))
        .count(&app.db)
        .await
        .expect("count the outbox")
}

/// Sends `count` more assessments like `sent`'s, due in `due_days`, from eight tabs at once.
async fn send_more(app: &TestApp, sent: &Sent, count: usize, due_days: i64) {
    let mut tasks = Vec::new();
    for lane in 0..8 {
        let (client, url) = (sent.procurement.clone(), app.url("/api/assessments"));
        let vendors = app.url("/api/vendors");
        let template_id = sent.assessment.template_id;
        let due = day(due_days);
        tasks.push(tokio::spawn(async move {
            for n in (lane..count).step_by(8) {
                // One vendor each: a vendor has one open assessment of a template at a time.
                let vendor_id =
                    new_vendor(&client, &vendors, &format!("Vendor {due} {n:04}")).await;
                let body = json!({ "vendor_id": vendor_id, "template_id": template_id,
                                   "due_date": due, "recipients": [{ "name": "Vera", "email": "vera@vendor.test" }] });
                let response = post_with(&client, &url, &body).await;
                assert_eq!(response.status(), StatusCode::CREATED, "setup: sent");
            }
        }));
    }
    for task in tasks {
        task.await.expect("a sending lane");
    }
}

#[tokio::test]
async fn a_round_costs_the_same_with_one_or_three_hundred_open_assessments_and_reminds_each_once() {
    let app = spawn_app().await;
    at_day(&app, 0);
    let sent = send(&app).await;
    due_in(&app, &sent, 10).await;
    assert_eq!(round(&app).await.reminders, 0, "nothing due on day 0");
    let (_, one_open) = counted_round(&app).await;

    send_more(&app, &sent, 299, 10).await;
    let first_look = round(&app).await;
    assert_eq!(
        first_look.reminders, 0,
        "the new assessments are looked at once"
    );
    let (_, three_hundred_open) = counted_round(&app).await;

    assert_eq!(
        three_hundred_open, one_open,
        "an idle round costs the same with 300 open assessments as with 1"
    );
    assert_eq!(
        one_open, IDLE_ROUND,
        "an idle round: per job, take the lease, one indexed read, release it"
    );

    // Seven days before the due date, all 300 are reminded in one round (within a batch)…
    at_day(&app, 3);
    let (report, _) = counted_round(&app).await;
    assert_eq!(
        report.reminders, 300,
        "every assessment hears once: {report:?}"
    );
    assert_eq!(emails_of_kind(&app, "reminder").await, 300);
    // …and then they cost nothing until their next stage, that day or the next.
    let (again, same_day) = counted_round(&app).await;
    at_day(&app, 4);
    let (next_day, day_after) = counted_round(&app).await;
    assert_eq!((again.reminders, next_day.reminders), (0, 0));
    assert_eq!(
        (same_day, day_after),
        (one_open, one_open),
        "reminded assessments are not looked at again before their next stage"
    );
    assert_eq!(emails_of_kind(&app, "reminder").await, 300, "none twice");
}

#[tokio::test]
async fn files_in_an_alert_window_are_alerted_in_one_round_and_not_looked_at_until_the_next() {
    let app = spawn_app().await;
    at_day(&app, 0);
    let sent = send(&app).await;
    let vendor = vendor_session(&app, &sent.token).await;
    round(&app).await;
    let (_, idle) = counted_round(&app).await;

    for _ in 0..40 {
        let uploaded = upload(
            &app,
            &vendor,
            &[("kind", "soc2_type2"), ("expires_on", &day(20))],
        )
        .await;
        assert_eq!(uploaded.status(), StatusCode::CREATED, "setup: uploaded");
    }
    let (report, _) = counted_round(&app).await;
    assert_eq!(
        report.expiry_alerts, 40,
        "each file is inside its 30-day window"
    );

    let (again, same_day) = counted_round(&app).await;
    at_day(&app, 1);
    let (next_day, day_after) = counted_round(&app).await;
    assert_eq!((again.expiry_alerts, next_day.expiry_alerts), (0, 0));
    assert_eq!(
        (same_day, day_after),
        (idle, idle),
        "alerted files are not looked at again before their next window"
    );
    at_day(&app, 13);
    assert_eq!(round(&app).await.expiry_alerts, 40, "the 7-day window");
    assert_eq!(emails_of_kind(&app, "evidence_expiry").await, 80);
}

#[tokio::test]
async fn new_reminder_days_apply_to_assessments_already_sent() {
    let app = spawn_app().await;
    at_day(&app, 0);
    let sent = send(&app).await;
    due_in(&app, &sent, 20).await;
    assert_eq!(
        round(&app).await.reminders,
        0,
        "first look: the 7-day stage is next"
    );
    let admin = app.signed_in("admin@acme.test").await;
    let mut settings = serde_json::to_value(ScheduleSettings::default()).expect("json");
    settings["reminder_days"] = json!([14, 7, 1]);
    assert_eq!(
        put_schedules(&app, &admin, &settings).await.status(),
        StatusCode::OK
    );

    at_day(&app, 6);
    assert_eq!(
        round(&app).await.reminders,
        1,
        "14 days before, a new stage"
    );
    let subjects: Vec<String> = of_kind(&app, "reminder")
        .await
        .into_iter()
        .map(|m| m.subject)
        .collect();
    assert_eq!(subjects, ["Reminder: \"Mini\" is due in 14 days"]);
}

#[tokio::test]
async fn reminders_turned_off_and_on_again_resume_with_the_stage_of_the_day() {
    let app = spawn_app().await;
    at_day(&app, 0);
    let sent = send(&app).await;
    due_in(&app, &sent, 10).await;
    let admin = app.signed_in("admin@acme.test").await;
    let mut settings = serde_json::to_value(ScheduleSettings::default()).expect("json");
    settings["reminders_enabled"] = json!(false);
    assert_eq!(
        put_schedules(&app, &admin, &settings).await.status(),
        StatusCode::OK
    );
    at_day(&app, 3);
    assert_eq!(round(&app).await.reminders, 0, "off");

    settings["reminders_enabled"] = json!(true);
    assert_eq!(
        put_schedules(&app, &admin, &settings).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        round(&app).await.reminders,
        1,
        "on again: the 7-day reminder"
    );
    at_day(&app, 7);
    assert_eq!(
        round(&app).await.reminders,
        1,
        "and the 3-day one on its day"
    );
}

async fn decided(app: &TestApp) -> crate::review::Submitted {
    let s = submitted(app).await;
    let decided = s
        .post(
            app,
            "/decision",
            &json!({ "outcome": "approved", "rationale": "Acceptable for now." }),
        )
        .await;
    assert_eq!(decided.status(), StatusCode::OK, "setup: decided");
    s
}

/// Days from today until the vendor decided today at `card`'s tier is due again.
fn cadence_days(card: &ScorecardView) -> i64 {
    let months = ScheduleSettings::default()
        .reassessment_months
        .of(card.card.residual_tier);
    let today = OffsetDateTime::now_utc().date();
    (assay_core::schedule::add_months(today, months) - today).whole_days()
}

#[tokio::test]
async fn cancelling_a_newer_assessment_puts_the_vendor_back_on_its_cadence() {
    let app = spawn_app().await;
    let s = decided(&app).await;
    let due = cadence_days(&s.scorecard(&app).await);
    let newer = post_with(
        &s.sent.procurement,
        &app.url("/api/assessments"),
        &json!({ "vendor_id": s.sent.assessment.vendor_id, "template_id": s.sent.assessment.template_id,
                 "due_date": day(due + 60), "recipients": [{ "name": "Vera", "email": "vera@vendor.test" }] }),
    )
    .await;
    assert_eq!(newer.status(), StatusCode::CREATED, "setup: sent by hand");
    let newer: AssessmentView = newer.json().await.expect("assessment");

    at_day(&app, due);
    assert_eq!(
        round(&app).await.reassessments,
        0,
        "the newer assessment is the vendor's latest"
    );
    let cancelled = post_with(
        &s.sent.procurement,
        &app.url(&format!("/api/assessments/{}/cancel", newer.id)),
        &json!({}),
    )
    .await;
    assert_eq!(cancelled.status(), StatusCode::OK);
    assert_eq!(
        round(&app).await.reassessments,
        1,
        "the completed one is the latest again, and due"
    );
    assert_eq!(round(&app).await.reassessments, 0, "once");
}

#[tokio::test]
async fn a_shorter_cadence_applies_to_vendors_already_decided() {
    let app = spawn_app().await;
    decided(&app).await;
    assert_eq!(round(&app).await.reassessments, 0, "first look: not yet");
    let admin = app.signed_in("admin@acme.test").await;
    let mut settings = serde_json::to_value(ScheduleSettings::default()).expect("json");
    for tier in ["critical", "high", "medium", "low"] {
        settings["reassessment_months"][tier] = json!(1);
    }
    assert_eq!(
        put_schedules(&app, &admin, &settings).await.status(),
        StatusCode::OK
    );
    at_day(&app, 40);
    assert_eq!(round(&app).await.reassessments, 1);
}

#[tokio::test]
async fn a_restored_vendor_gets_the_alert_it_missed_while_archived() {
    let app = spawn_app().await;
    at_day(&app, 0);
    let sent = send(&app).await;
    let vendor = vendor_session(&app, &sent.token).await;
    let uploaded = upload(&app, &vendor, &[("expires_on", &day(20))]).await;
    assert_eq!(uploaded.status(), StatusCode::CREATED, "setup: uploaded");
    let url = app.url(&format!("/api/vendors/{}", sent.assessment.vendor_id));
    let archived = sent.procurement.delete(&url).send().await.expect("request");
    assert_eq!(archived.status(), StatusCode::NO_CONTENT, "setup: archived");
    assert_eq!(round(&app).await.expiry_alerts, 0, "archived: no alert");

    at_day(&app, 2);
    let restored = post_with(&sent.procurement, &format!("{url}/restore"), &json!({})).await;
    assert_eq!(restored.status(), StatusCode::OK);
    assert_eq!(
        round(&app).await.expiry_alerts,
        1,
        "restored inside the 30-day window"
    );
}

#[tokio::test]
async fn removing_the_newer_file_lets_the_older_ones_alerts_resume() {
    let app = spawn_app().await;
    at_day(&app, 0);
    let sent = send(&app).await;
    let vendor = vendor_session(&app, &sent.token).await;
    let mut files = Vec::new();
    for days in [20, 400] {
        let uploaded = upload(
            &app,
            &vendor,
            &[("kind", "soc2_type2"), ("expires_on", &day(days))],
        )
        .await;
        assert_eq!(uploaded.status(), StatusCode::CREATED, "setup: uploaded");
        files.push(uploaded.json::<EvidenceView>().await.expect("evidence"));
    }
    assert_eq!(
        round(&app).await.expiry_alerts,
        0,
        "the renewal outlasts it"
    );

    at_day(&app, 1);
    let removed = vendor
        .delete(app.url(&format!("/api/portal/evidence/{}", files[1].id)))
        .header("sec-fetch-site", "same-origin")
        .send()
        .await
        .expect("request");
    assert_eq!(removed.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        round(&app).await.expiry_alerts,
        1,
        "the older file is alone again, inside its 30-day window"
    );
}

#[tokio::test]
async fn rows_from_before_the_upgrade_are_looked_at_by_the_first_round() {
    // An open assessment with a file, and a decided vendor, as a version without the due
    // days left them: the migration marks them, the first round works their days out.
    let app = spawn_app().await;
    at_day(&app, 0);
    let sent = send(&app).await;
    due_in(&app, &sent, 10).await;
    let vendor = vendor_session(&app, &sent.token).await;
    let uploaded = upload(&app, &vendor, &[("expires_on", &day(20))]).await;
    assert_eq!(uploaded.status(), StatusCode::CREATED, "setup: uploaded");
    let other = spawn_app().await;
    let s = decided(&other).await;
    let due = cadence_days(&s.scorecard(&other).await);
    // Back to the schema before the due days: every migration from that one on is rolled
    // back (counted by name, so migrations added since keep the test about the due days).
    let names: Vec<String> = Migrator::migrations()
        .iter()
        .map(|m| m.name().to_owned())
        .collect();
    let due_days = names
        .iter()
        .position(|n| n == "m20261208_000021_scheduler_due_dates")
        .expect("the due-days migration");
    let steps = u32::try_from(names.len() - due_days).expect("a few migrations");
    for app in [&app, &other] {
        Migrator::down(&app.db, Some(steps))
            .await
            .expect("back to the schema before the due days");
        Migrator::up(&app.db, None).await.expect("upgraded");
    }

    at_day(&app, 3);
    let report = round(&app).await;
    assert_eq!(
        (report.reminders, report.expiry_alerts),
        (1, 1),
        "the 7-day reminder and the 30-day alert: {report:?}"
    );
    at_day(&other, due);
    assert_eq!(round(&other).await.reassessments, 1);
}
