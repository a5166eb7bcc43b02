//! Email delivery and the scheduler, with time under the test's control: SMTP delivery to a
//! real server, retries, reminders before and after the due date, evidence expiry alerts,
//! reassessments by tier, restarts and two instances on one database.

use assay_core::access::Role;
use assay_core::api::{
    AssessmentSummary, AssessmentView, CursorPage, OutboxEmailView, ScorecardView,
};
use assay_core::assessment::AssessmentStatus;
use assay_core::schedule::ScheduleSettings;
use reqwest::StatusCode;
use serde_json::json;
use time::{Duration, OffsetDateTime, Time};

use crate::assessments::{Sent, put_answer, send, vendor_session};
use crate::evidence_details::upload;
use crate::helpers::{TestApp, get_with, post_with, spawn_app, spawn_app_with};
use crate::review::submitted;
use crate::smtp::{self, SmtpServer};

/// Every email of the organisation, newest first, across the outbox's pages.
pub(crate) async fn outbox(app: &TestApp) -> Vec<OutboxEmailView> {
    let admin = app.signed_in("admin@acme.test").await;
    let mut emails = Vec::new();
    let mut after = String::new();
    loop {
        let response = get_with(&admin, &app.url(&format!("/api/outbox?limit=200{after}"))).await;
        assert_eq!(response.status(), StatusCode::OK);
        let page: CursorPage<OutboxEmailView> = response.json().await.expect("outbox");
        emails.extend(page.items);
        match page.next {
            Some(next) => after = format!("&after={next}"),
            None => return emails,
        }
    }
}

pub(crate) async fn of_kind(app: &TestApp, kind: &str) -> Vec<OutboxEmailView> {
    outbox(app)
        .await
        .into_iter()
        .filter(|m| m.kind == kind)
        .collect()
}

/// Moves the clock to 09:00 UTC on `days` days from the real today.
pub(crate) fn at_day(app: &TestApp, days: i64) {
    let today = OffsetDateTime::now_utc().date();
    app.clock.set(
        (today + Duration::days(days))
            .with_time(Time::from_hms(9, 0, 0).expect("time"))
            .assume_utc(),
    );
}

/// Sets the assessment's due date to `days` days from today.
pub(crate) async fn due_in(app: &TestApp, sent: &Sent, days: i64) {
    let due = OffsetDateTime::now_utc().date() + Duration::days(days);
    let response = sent
        .procurement
        .patch(app.url(&format!("/api/assessments/{}", sent.assessment.id)))
        .json(&json!({ "due_date": due.to_string() }))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::OK);
}

pub(crate) async fn put_schedules(
    app: &TestApp,
    client: &reqwest::Client,
    settings: &serde_json::Value,
) -> reqwest::Response {
    client
        .put(app.url("/api/settings/schedules"))
        .json(settings)
        .send()
        .await
        .expect("request")
}

pub(crate) async fn round(app: &TestApp) -> assay_server::services::scheduler::Report {
    app.scheduler.run_once().await.expect("a scheduler round")
}

#[tokio::test]
async fn an_admin_sets_the_schedules_and_bad_values_are_refused() {
    let app = spawn_app().await;
    app.create_user("Acme", "admin@acme.test", Role::Admin)
        .await;
    app.create_user("Acme", "risk@acme.test", Role::RiskManager)
        .await;
    let admin = app.signed_in("admin@acme.test").await;
    let risk = app.signed_in("risk@acme.test").await;

    let defaults: ScheduleSettings = get_with(&risk, &app.url("/api/settings/schedules"))
        .await
        .json()
        .await
        .expect("settings");
    assert_eq!(defaults, ScheduleSettings::default());
    assert_eq!(defaults.reassessment_months.critical, 6);
    assert_eq!(defaults.reminder_days, vec![7, 3, 1]);

    let mut wanted = serde_json::to_value(&defaults).expect("json");
    wanted["reminder_days"] = json!([1, 14, 7, 7]);
    wanted["auto_send_reassessments"] = json!(true);
    let refused = put_schedules(&app, &risk, &wanted).await;
    assert_eq!(
        refused.status(),
        StatusCode::FORBIDDEN,
        "only Admins change schedules"
    );

    let saved = put_schedules(&app, &admin, &wanted).await;
    assert_eq!(saved.status(), StatusCode::OK);
    let saved: ScheduleSettings = saved.json().await.expect("settings");
    assert_eq!(
        saved.reminder_days,
        vec![14, 7, 1],
        "sorted, without repeats"
    );
    assert!(saved.auto_send_reassessments);

    let mut bad = wanted.clone();
    bad["reassessment_months"]["high"] = json!(0);
    let response = put_schedules(&app, &admin, &bad).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: serde_json::Value = response.json().await.expect("error");
    assert_eq!(body["error"]["field"], "reassessment_months.high");
    let mut unknown = wanted.clone();
    unknown["reminder_hours"] = json!([1]);
    let response = put_schedules(&app, &admin, &unknown).await;
    assert!(
        response.status().is_client_error(),
        "unknown fields are refused"
    );

    let kept: ScheduleSettings = get_with(&admin, &app.url("/api/settings/schedules"))
        .await
        .json()
        .await
        .expect("settings");
    assert_eq!(
        kept, saved,
        "refused changes leave the saved settings alone"
    );
    let audit = app.audit_log(&admin).await;
    let entry = audit
        .iter()
        .find(|e| e.action == "schedules.updated")
        .expect("the change is audited");
    assert_eq!(entry.detail["after"]["reminder_days"], json!([14, 7, 1]));
    assert_eq!(entry.detail["before"]["reminder_days"], json!([7, 3, 1]));
}

#[tokio::test]
async fn emails_are_delivered_over_smtp_as_text_and_html_once() {
    let server = SmtpServer::start().await;
    let app = spawn_app_with(|s| smtp::configure(s, server.port)).await;
    send(&app).await;

    let report = round(&app).await;
    assert_eq!(report.delivery.map(|d| d.sent), Some(1));
    let received = server.wait_for(1).await;
    let mail = &received[0];
    assert_eq!(mail.to, "vera@vendor.test");
    assert_eq!(mail.from, "Assay <assay@acme.test>");
    assert_eq!(
        mail.subject,
        "Acme asks you to complete a security questionnaire"
    );
    assert!(
        mail.text
            .contains("Acme asks Vendor Ltd to complete \"Mini\""),
        "{}",
        mail.text
    );
    assert!(mail.text.contains("/portal#token="));
    assert!(
        mail.html
            .contains("<a href=\"http://127.0.0.1:8080/portal#token="),
        "{}",
        mail.html
    );

    let queued = outbox(&app).await;
    let invitation = queued
        .iter()
        .find(|m| m.kind == "assessment_invitation")
        .expect("the invitation");
    assert_eq!(invitation.status, "sent");
    assert_eq!(invitation.attempts, 1);
    assert!(invitation.sent_at.is_some());
    assert!(
        mail.message_id.contains(&invitation.id.to_string()),
        "the Message-ID is the outbox id: {}",
        mail.message_id
    );

    // Later rounds do not send it again.
    let again = round(&app).await;
    assert_eq!(again.delivery.map(|d| d.sent), Some(0));
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn a_failed_delivery_is_retried_with_backoff_until_it_arrives() {
    // Nothing listens on the port yet: the first attempt is refused.
    let port = smtp::free_port();
    let app = spawn_app_with(|s| smtp::configure(s, port)).await;
    send(&app).await;
    let report = round(&app).await;
    assert_eq!(report.delivery.map(|d| d.retrying), Some(1));
    let email = of_kind(&app, "assessment_invitation").await.remove(0);
    assert_eq!(email.status, "retrying");
    assert_eq!(email.attempts, 1);
    assert!(email.last_error.is_some(), "the error is shown");
    assert!(email.next_attempt_at.is_some());
    assert!(
        app.newest_email_to("vera@vendor.test")
            .await
            .text
            .contains("/portal#token="),
        "a failed attempt keeps the sealed text for the next one"
    );

    // Not before the backoff has passed, even with the server up.
    let server = SmtpServer::start_on(port).await;
    let early = round(&app).await;
    assert_eq!(early.delivery.map(|d| d.sent), Some(0));
    app.clock.advance(Duration::seconds(61));
    let later = round(&app).await;
    assert_eq!(later.delivery.map(|d| d.sent), Some(1));
    let received = server.wait_for(1).await;
    assert_eq!(received[0].to, "vera@vendor.test");
    let email = of_kind(&app, "assessment_invitation").await.remove(0);
    assert_eq!(email.status, "sent");
    assert_eq!(email.attempts, 2);
}

#[tokio::test]
async fn reminders_go_out_seven_three_and_one_days_before_and_once_when_overdue() {
    let app = spawn_app().await;
    let sent = send(&app).await;
    due_in(&app, &sent, 10).await;

    let mut subjects = Vec::new();
    for (day, expected) in [
        (0, None),
        (2, None),
        (3, Some("Reminder: \"Mini\" is due in 7 days")),
        (4, None),
        (7, Some("Reminder: \"Mini\" is due in 3 days")),
        (9, Some("Reminder: \"Mini\" is due tomorrow")),
        (10, None),
        (
            11,
            Some(&*format!(
                "Overdue: \"Mini\" was due on {}",
                OffsetDateTime::now_utc().date() + Duration::days(10)
            )),
        ),
        (12, None),
        (40, None),
    ] {
        at_day(&app, day);
        let report = round(&app).await;
        assert_eq!(
            report.reminders,
            usize::from(expected.is_some()),
            "day {day}: {report:?}"
        );
        // A second round on the same day sends nothing more.
        assert_eq!(round(&app).await.reminders, 0, "day {day}, again");
        if let Some(subject) = expected {
            subjects.push(subject.to_owned());
        }
    }
    let mut reminders: Vec<OutboxEmailView> = outbox(&app)
        .await
        .into_iter()
        .filter(|m| m.kind == "reminder" || m.kind == "overdue")
        .collect();
    reminders.reverse();
    assert_eq!(
        reminders
            .iter()
            .map(|m| m.subject.clone())
            .collect::<Vec<_>>(),
        subjects
    );
    assert!(reminders.iter().all(|m| m.recipient == "vera@vendor.test"));
    let text = app.email(reminders[0].id).await.text;
    assert!(
        text.contains("personal link from your invitation"),
        "{text}"
    );

    let admin = app.signed_in("admin@acme.test").await;
    let audit = app.audit_log(&admin).await;
    let logged: Vec<_> = audit
        .iter()
        .filter(|e| e.action == "reminder.sent")
        .collect();
    assert_eq!(logged.len(), 4);
    assert!(logged.iter().all(|e| e.actor == "scheduler"));
}

#[tokio::test]
async fn a_submitted_assessment_is_not_chased_and_a_new_due_date_restarts_the_reminders() {
    let app = spawn_app().await;
    let sent = send(&app).await;
    due_in(&app, &sent, 5).await;
    at_day(&app, 2);
    assert_eq!(round(&app).await.reminders, 1, "3 days left");
    // Moving the due date starts afresh: the 7-day reminder of the new date.
    due_in(&app, &sent, 20).await;
    at_day(&app, 13);
    assert_eq!(round(&app).await.reminders, 1);
    let subjects: Vec<String> = of_kind(&app, "reminder")
        .await
        .into_iter()
        .map(|m| m.subject)
        .collect();
    assert_eq!(
        subjects,
        [
            "Reminder: \"Mini\" is due in 7 days",
            "Reminder: \"Mini\" is due in 3 days"
        ]
    );

    // Answered and submitted: nothing more, not even when overdue.
    let vendor = vendor_session(&app, &sent.token).await;
    assert_eq!(
        put_answer(&app, &vendor, "q_encrypt", "no", 0)
            .await
            .status(),
        StatusCode::OK
    );
    let submit = post_with(&vendor, &app.url("/api/portal/submit"), &json!({})).await;
    assert_eq!(submit.status(), StatusCode::OK);
    at_day(&app, 30);
    assert_eq!(round(&app).await.reminders, 0);
}

#[tokio::test]
async fn turning_reminders_off_stops_them() {
    let app = spawn_app().await;
    let sent = send(&app).await;
    due_in(&app, &sent, 5).await;
    let admin = app.signed_in("admin@acme.test").await;
    let mut settings = serde_json::to_value(ScheduleSettings::default()).expect("json");
    settings["reminders_enabled"] = json!(false);
    let response = put_schedules(&app, &admin, &settings).await;
    assert_eq!(response.status(), StatusCode::OK);
    at_day(&app, 4);
    assert_eq!(round(&app).await.reminders, 0);
    at_day(&app, 9);
    assert_eq!(round(&app).await.reminders, 0);
}

#[tokio::test]
async fn two_instances_on_one_database_send_each_reminder_exactly_once() {
    let server = SmtpServer::start().await;
    let first = spawn_app_with(|s| smtp::configure(s, server.port)).await;
    let second = first.spawn_sibling().await;
    let sent = send(&first).await;
    due_in(&first, &sent, 8).await;

    let mut expected = 1; // the invitation
    for day in [0, 1, 2, 5, 6, 7, 8, 9, 10] {
        at_day(&first, day);
        let (a, b) = tokio::join!(first.scheduler.run_once(), second.scheduler.run_once());
        let (a, b) = (a.expect("round"), b.expect("round"));
        let reminded = a.reminders + b.reminders;
        assert!(reminded <= 1, "day {day}: {a:?} {b:?}");
        expected += reminded;
    }
    // 7 days (day 1), 3 days (day 5), 1 day (day 7), overdue (day 9).
    assert_eq!(expected, 5);
    // Whatever is still leased or queued goes out on the next rounds.
    for _ in 0..3 {
        let _ = tokio::join!(first.scheduler.run_once(), second.scheduler.run_once());
    }
    let received = server.wait_for(expected).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let received_now = server.received();
    assert_eq!(received_now.len(), expected, "no email twice: {received:?}");
    let mut ids: Vec<_> = received_now.iter().map(|m| m.message_id.clone()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), expected);
    assert!(
        of_kind(&second, "reminder")
            .await
            .iter()
            .all(|m| m.status == "sent"),
        "both instances see one outbox"
    );
}

#[tokio::test]
async fn a_restart_in_the_middle_neither_repeats_nor_loses_a_reminder() {
    // The first instance has no SMTP server configured: it queues, nothing is sent.
    let app = spawn_app().await;
    let sent = send(&app).await;
    due_in(&app, &sent, 10).await;
    at_day(&app, 3);
    assert_eq!(round(&app).await.reminders, 1);
    assert_eq!(of_kind(&app, "reminder").await[0].status, "queued");

    // "Restart" with SMTP configured: a new instance on the same database.
    let server = SmtpServer::start().await;
    let restarted = app
        .spawn_sibling_with(|s| smtp::configure(s, server.port))
        .await;
    let report = restarted.scheduler.run_once().await.expect("round");
    assert_eq!(report.reminders, 0, "the 7-day reminder was already queued");
    assert_eq!(
        report.delivery.map(|d| d.sent),
        Some(2),
        "invitation and reminder"
    );
    server.wait_for(2).await;

    // An instance that died holding an email's lease: it stays with it until the lease
    // runs out, then another instance sends it.
    at_day(&app, 7);
    assert_eq!(app.scheduler.run_once().await.expect("round").reminders, 1);
    let reminder = of_kind(&app, "reminder")
        .await
        .into_iter()
        .find(|m| m.status == "queued")
        .expect("the 3-day reminder");
    use sea_orm::ConnectionTrait;
    let lease_until = app.clock.now() + Duration::minutes(5);
    let stmt = sea_orm::Statement::from_sql_and_values(
        app.db.get_database_backend(),
        match app.db.get_database_backend() {
            sea_orm::DatabaseBackend::Postgres => {
                "UPDATE outbox SET status = 'sending', lease_owner = 'dead', lease_until = $1 WHERE subject = $2 AND status = 'queued'"
            }
            _ => {
                "UPDATE outbox SET status = 'sending', lease_owner = 'dead', lease_until = ? WHERE subject = ? AND status = 'queued'"
            }
        },
        [lease_until.into(), reminder.subject.clone().into()],
    );
    assert_eq!(
        app.db
            .execute_raw(stmt)
            .await
            .expect("lease")
            .rows_affected(),
        1
    );
    let held = restarted.scheduler.run_once().await.expect("round");
    assert_eq!(
        held.delivery.map(|d| d.sent),
        Some(0),
        "the lease is respected"
    );
    app.clock.advance(Duration::minutes(6));
    let taken = restarted.scheduler.run_once().await.expect("round");
    assert_eq!(
        taken.delivery.map(|d| d.sent),
        Some(1),
        "the expired lease is taken over"
    );
    let received = server.wait_for(3).await;
    assert_eq!(received[2].subject, reminder.subject);
}

#[tokio::test]
async fn the_background_scheduler_delivers_without_being_asked() {
    let server = SmtpServer::start().await;
    let app = spawn_app_with(|s| {
        smtp::configure(s, server.port);
        s.scheduler_interval_secs = 1;
    })
    .await;
    send(&app).await;
    let received = server.wait_for(1).await;
    assert_eq!(received[0].to, "vera@vendor.test");
}

#[tokio::test]
async fn the_vendor_owner_hears_thirty_seven_and_one_days_before_evidence_expires() {
    let app = spawn_app().await;
    let sent = send(&app).await;
    let owner = app
        .create_user("Acme", "owner@acme.test", Role::RiskManager)
        .await;
    let response = sent
        .procurement
        .patch(app.url(&format!("/api/vendors/{}", sent.assessment.vendor_id)))
        .json(&json!({ "owner_id": owner.id }))
        .send()
        .await
        .expect("request");
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "{:?}",
        response.text().await
    );
    let vendor = vendor_session(&app, &sent.token).await;
    let expires = OffsetDateTime::now_utc().date() + Duration::days(40);
    let uploaded = upload(
        &app,
        &vendor,
        &[
            ("kind", "iso27001_certificate"),
            ("expires_on", &expires.to_string()),
        ],
    )
    .await;
    assert_eq!(uploaded.status(), StatusCode::CREATED);

    let mut alerts = 0;
    for (day, expected) in [
        (0, 0),
        (9, 0),
        (10, 1),
        (20, 0),
        (33, 1),
        (38, 0),
        (39, 1),
        (40, 0),
        (41, 0),
    ] {
        at_day(&app, day);
        let report = round(&app).await;
        assert_eq!(report.expiry_alerts, expected, "day {day}");
        alerts += expected;
    }
    assert_eq!(alerts, 3);
    let emails = of_kind(&app, "evidence_expiry").await;
    assert_eq!(emails.len(), 3);
    assert!(emails.iter().all(|m| m.recipient == "owner@acme.test"));
    let subjects: Vec<_> = emails.iter().rev().map(|m| m.subject.clone()).collect();
    assert_eq!(
        subjects,
        [
            "Vendor Ltd's ISO 27001 certificate expires in 30 days",
            "Vendor Ltd's ISO 27001 certificate expires in 7 days",
            "Vendor Ltd's ISO 27001 certificate expires tomorrow",
        ]
    );
    let text = app.email(emails[0].id).await.text;
    assert!(
        text.contains(&format!("/vendors/{}", sent.assessment.vendor_id)),
        "{text}"
    );
}

#[tokio::test]
async fn a_newer_file_of_the_same_kind_silences_the_old_ones_alerts() {
    let app = spawn_app().await;
    let sent = send(&app).await;
    let vendor = vendor_session(&app, &sent.token).await;
    let today = OffsetDateTime::now_utc().date();
    for days in [20, 400] {
        let expires = today + Duration::days(days);
        let uploaded = upload(
            &app,
            &vendor,
            &[("kind", "soc2_type2"), ("expires_on", &expires.to_string())],
        )
        .await;
        assert_eq!(uploaded.status(), StatusCode::CREATED);
    }
    assert_eq!(
        round(&app).await.expiry_alerts,
        0,
        "the renewal outlasts it"
    );
}

#[tokio::test]
async fn a_vendor_is_reassessed_when_its_tier_cadence_comes_round() {
    let app = spawn_app().await;
    let s = submitted(&app).await;
    let decided = s
        .post(
            &app,
            "/decision",
            &json!({ "outcome": "approved", "rationale": "Acceptable for now." }),
        )
        .await;
    assert_eq!(
        decided.status(),
        StatusCode::OK,
        "{:?}",
        decided.text().await
    );
    let card: ScorecardView = decided.json().await.expect("card");
    let months = ScheduleSettings::default()
        .reassessment_months
        .of(card.card.residual_tier);
    let decision_mail = of_kind(&app, "decision").await;
    assert_eq!(decision_mail.len(), 1, "the vendor hears the decision");
    assert_eq!(decision_mail[0].recipient, "vera@vendor.test");
    assert!(decision_mail[0].subject.ends_with(": Approved"));

    let today = OffsetDateTime::now_utc().date();
    let due = assay_core::schedule::add_months(today, months);
    at_day(&app, (due - today).whole_days() - 1);
    assert_eq!(round(&app).await.reassessments, 0, "not yet");
    at_day(&app, (due - today).whole_days());
    assert_eq!(round(&app).await.reassessments, 1);
    assert_eq!(round(&app).await.reassessments, 0, "once");

    let list: CursorPage<AssessmentSummary> = get_with(&s.risk, &app.url("/api/assessments"))
        .await
        .json()
        .await
        .expect("list");
    let list = list.items;
    let draft = list
        .iter()
        .find(|a| a.status == AssessmentStatus::Draft)
        .expect("a draft reassessment");
    assert_eq!(draft.vendor_id, s.sent.assessment.vendor_id);
    let draft: AssessmentView = get_with(
        &s.sent.procurement,
        &app.url(&format!("/api/assessments/{}", draft.id)),
    )
    .await
    .json()
    .await
    .expect("draft");
    assert_eq!(draft.previous_id, Some(s.sent.assessment.id));
    assert_eq!(draft.proposed_recipients.len(), 1);
    assert_eq!(draft.proposed_recipients[0].email, "vera@vendor.test");
    assert!(draft.invitations.is_empty(), "a draft has not gone out");
    let notice = of_kind(&app, "reassessment").await;
    let mut told: Vec<_> = notice.iter().map(|m| m.recipient.as_str()).collect();
    told.sort();
    assert_eq!(
        told,
        ["pro@acme.test"],
        "the vendor's owner hears of it (procurement registered it, so owns it)"
    );
    let text = app.email(notice[0].id).await.text;
    assert!(text.contains("is ready: check the recipients"), "{text}");

    // Procurement sends it.
    let send_due = (app.clock.today() + Duration::days(30)).to_string();
    let response = post_with(
        &s.sent.procurement,
        &app.url(&format!("/api/assessments/{}/send", draft.id)),
        &json!({ "due_date": send_due, "recipients": [{ "name": "Vera", "email": "vera@vendor.test" }] }),
    )
    .await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "{:?}",
        response.text().await
    );
    let sent: AssessmentView = response.json().await.expect("sent");
    assert_eq!(sent.status, AssessmentStatus::Sent);
    assert_eq!(sent.invitations.len(), 1);
    let again = post_with(
        &s.sent.procurement,
        &app.url(&format!("/api/assessments/{}/send", draft.id)),
        &json!({ "due_date": send_due, "recipients": [{ "name": "Vera", "email": "vera@vendor.test" }] }),
    )
    .await;
    assert_eq!(again.status(), StatusCode::CONFLICT, "only a draft is sent");
}

#[tokio::test]
async fn an_organisation_may_have_reassessments_sent_automatically() {
    let app = spawn_app().await;
    let s = submitted(&app).await;
    let admin = app.signed_in("admin@acme.test").await;
    let mut settings = serde_json::to_value(ScheduleSettings::default()).expect("json");
    settings["auto_send_reassessments"] = json!(true);
    settings["reassessment_due_days"] = json!(21);
    for tier in ["critical", "high", "medium", "low"] {
        settings["reassessment_months"][tier] = json!(1);
    }
    let response = put_schedules(&app, &admin, &settings).await;
    assert_eq!(response.status(), StatusCode::OK);
    let decided = s
        .post(
            &app,
            "/decision",
            &json!({ "outcome": "rejected", "rationale": "No MFA." }),
        )
        .await;
    assert_eq!(decided.status(), StatusCode::OK);
    at_day(&app, 40);
    assert_eq!(round(&app).await.reassessments, 1);
    let list: CursorPage<AssessmentSummary> = get_with(&s.risk, &app.url("/api/assessments"))
        .await
        .json()
        .await
        .expect("list");
    let list = list.items;
    let next = list
        .iter()
        .find(|a| a.id != s.sent.assessment.id)
        .expect("the reassessment");
    assert_eq!(next.status, AssessmentStatus::Sent);
    assert_eq!(
        next.due_date,
        (app.clock.today() + Duration::days(21)).to_string()
    );
    let invitations: Vec<_> = of_kind(&app, "assessment_invitation")
        .await
        .into_iter()
        .filter(|m| m.recipient == "vera@vendor.test")
        .collect();
    assert_eq!(
        invitations.len(),
        2,
        "the first invitation and the reassessment's"
    );
}
