//! Breach and incident reports: the deadline from discovery, a late report's finding on the
//! scorecard, client-recorded incidents, the timeline from both sides, validation, roles and
//! isolation between organisations and between vendors.

use assay_core::access::Role;
use assay_core::api::{CursorPage, DashboardView, IncidentView, OutboxEmailView, VendorView};
use assay_core::incident::{IncidentParty, IncidentStatus};
use assay_core::scoring::FindingKind;
use assay_core::template::Severity;
use reqwest::StatusCode;
use serde_json::{Value, json};
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};

use crate::assessments::{emailed_token, vendor_session};
use crate::helpers::{TestApp, get_with, post_with, spawn_app};
use crate::review::{Submitted, submitted};

/// Stops the test clock on a whole second, so stored instants compare exactly on SQLite
/// and PostgreSQL (microseconds) alike.
fn whole_second(app: &TestApp) -> OffsetDateTime {
    let now = app
        .clock
        .now()
        .replace_nanosecond(0)
        .expect("a valid instant");
    app.clock.set(now);
    now
}

fn at(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).expect("formats")
}

fn parse(text: &str) -> OffsetDateTime {
    OffsetDateTime::parse(text, &Rfc3339).expect("an RFC 3339 instant")
}

pub fn report(discovered: OffsetDateTime) -> Value {
    json!({
        "title": "Exposed backup bucket",
        "description": "A bucket with nightly backups was publicly readable.",
        "discovered_at": at(discovered),
        "data_types": ["personal"],
        "records_affected": 1200,
        "containment": "Bucket made private; keys rotated.",
        "contact": "Dana Ops, security@vendor.test"
    })
}

async fn created(response: reqwest::Response) -> IncidentView {
    let status = response.status();
    let body = response.text().await.expect("body");
    assert_eq!(status, StatusCode::CREATED, "{body}");
    serde_json::from_str(&body).expect("an incident")
}

pub async fn file_from_portal(
    app: &TestApp,
    s: &Submitted,
    discovered: OffsetDateTime,
) -> IncidentView {
    created(
        post_with(
            &s.vendor,
            &app.url("/api/portal/incidents"),
            &report(discovered),
        )
        .await,
    )
    .await
}

fn late_findings(card: &assay_core::api::ScorecardView) -> Vec<&assay_core::scoring::Finding> {
    card.card
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::LateIncidentReport)
        .collect()
}

async fn stored_versions(app: &TestApp) -> i64 {
    use sea_orm::{ConnectionTrait, Statement};
    let row = app
        .db
        .query_one_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM scorecards",
        ))
        .await
        .expect("query")
        .expect("a count");
    row.try_get("", "n").expect("n")
}

pub(crate) async fn assert_error(
    response: reqwest::Response,
    status: StatusCode,
    code: &str,
    field: &str,
) {
    assert_eq!(response.status(), status, "expected {status} on {field}");
    let body: Value = response.json().await.expect("an error body");
    assert_eq!(body["error"]["code"], code, "{body}");
    assert_eq!(body["error"]["field"], field, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{body}"
    );
}

#[tokio::test]
async fn an_incident_reported_in_time_raises_no_finding_and_the_client_is_emailed() {
    let app = spawn_app().await;
    let s = submitted(&app).await;
    let now = whole_second(&app);
    let discovered = now - Duration::hours(2);

    let incident = file_from_portal(&app, &s, discovered).await;

    assert!(!incident.late, "two hours after discovery is in time");
    assert_eq!(incident.hours_late, 0);
    assert_eq!(incident.notification_hours, 72, "the contract's hours");
    assert_eq!(
        parse(&incident.deadline_at),
        discovered + Duration::hours(72)
    );
    assert_eq!(
        parse(&incident.reported_at),
        now,
        "reported by the app clock"
    );
    assert_eq!(incident.hours_to_deadline, 70);
    assert_eq!(incident.status, IncidentStatus::Open);
    assert_eq!(incident.reported_by, IncidentParty::Vendor);
    assert_eq!(incident.reported_by_name, "Vera");
    assert_eq!(incident.vendor_name, "Vendor Ltd");
    assert_eq!(incident.records_affected, Some(1200));
    assert!(
        late_findings(&s.scorecard(&app).await).is_empty(),
        "no late-report finding"
    );

    let admin = app.signed_in("admin@acme.test").await;
    let outbox: CursorPage<OutboxEmailView> = get_with(&admin, &app.url("/api/outbox"))
        .await
        .json()
        .await
        .expect("outbox");
    let outbox = outbox.items;
    let about: Vec<&OutboxEmailView> = outbox
        .iter()
        .filter(|e| e.subject == "Incident reported by Vendor Ltd: Exposed backup bucket")
        .collect();
    let mut recipients: Vec<&str> = about.iter().map(|e| e.recipient.as_str()).collect();
    recipients.sort_unstable();
    assert_eq!(
        recipients,
        ["admin@acme.test", "pro@acme.test", "risk@acme.test"],
        "risk managers, admins and the vendor's owner (procurement registered it, so owns it)"
    );
    let text = app.email(about[0].id).await.text;
    assert!(text.contains(&incident.id.to_string()), "{text}");

    let audit: Value = get_with(&admin, &app.url("/api/audit?action=incident.reported"))
        .await
        .json()
        .await
        .expect("audit");
    assert_eq!(
        audit["items"][0]["target_id"],
        incident.id.to_string(),
        "{audit}"
    );
}

#[tokio::test]
async fn a_late_report_is_marked_late_and_stores_a_scorecard_with_the_finding() {
    let app = spawn_app().await;
    let s = submitted(&app).await;
    let now = whole_second(&app);
    let before = stored_versions(&app).await;

    let incident = file_from_portal(&app, &s, now - Duration::hours(96)).await;

    assert!(incident.late);
    assert_eq!(incident.hours_late, 24);
    assert_eq!(incident.hours_to_deadline, -24);
    assert_eq!(
        stored_versions(&app).await,
        before + 1,
        "filing stored a new scorecard version at once"
    );
    let card = s.scorecard(&app).await;
    let late = late_findings(&card);
    assert_eq!(late.len(), 1, "{:?}", card.card.findings);
    assert_eq!(late[0].key, format!("incident:{}", incident.id));
    assert_eq!(late[0].severity, Severity::High);
    assert_eq!(
        late[0].reason,
        "Incident 'Exposed backup bucket' reported 96 h after discovery; the contract requires 72 h"
    );

    // The assessment's JSON export carries the vendor's incidents.
    let export: Value = get_with(&s.risk, &app.url(&s.path("/export.json")))
        .await
        .json()
        .await
        .expect("export");
    assert_eq!(export["incidents"][0]["id"], incident.id.to_string());
    assert_eq!(export["incidents"][0]["late"], true);
}

#[tokio::test]
async fn a_client_recorded_incident_keeps_when_the_vendor_reported_it_and_counts_down_by_the_clock()
{
    let app = spawn_app().await;
    let s = submitted(&app).await;
    let now = whole_second(&app);
    let discovered = now - Duration::hours(90);
    let mut body = report(discovered);
    body["vendor_id"] = json!(s.sent.assessment.vendor_id);
    body["reported_at"] = json!(at(discovered + Duration::hours(80)));

    let incident = created(post_with(&s.risk, &app.url("/api/incidents"), &body).await).await;

    assert_eq!(incident.reported_by, IncidentParty::Client);
    assert_eq!(
        parse(&incident.reported_at),
        discovered + Duration::hours(80)
    );
    assert!(incident.late && incident.hours_late == 8, "{incident:?}");
    assert_eq!(late_findings(&s.scorecard(&app).await).len(), 1);

    // Without reported_at it was reported now; the countdown follows the clock.
    let mut fresh = report(now - Duration::hours(1));
    fresh["vendor_id"] = json!(s.sent.assessment.vendor_id);
    let fresh = created(post_with(&s.risk, &app.url("/api/incidents"), &fresh).await).await;
    assert_eq!(parse(&fresh.reported_at), now);
    assert_eq!(fresh.hours_to_deadline, 71);
    app.clock.advance(Duration::hours(10));
    let later: IncidentView = get_with(&s.risk, &app.url(&format!("/api/incidents/{}", fresh.id)))
        .await
        .json()
        .await
        .expect("incident");
    assert_eq!(later.hours_to_deadline, 61);
    assert!(!later.late, "the report itself stays on time");
}

#[tokio::test]
async fn both_sides_write_the_timeline_and_resolving_needs_a_closing_report() {
    let app = spawn_app().await;
    let s = submitted(&app).await;
    let now = whole_second(&app);
    let incident = file_from_portal(&app, &s, now - Duration::hours(1)).await;
    let dashboard: DashboardView = get_with(&s.risk, &app.url("/api/dashboard"))
        .await
        .json()
        .await
        .expect("dashboard");
    assert_eq!(dashboard.open_incidents, 1);
    assert_eq!(dashboard.open_incident_list[0].id, incident.id);
    assert_eq!(
        dashboard.open_incident_list[0].deadline_at,
        incident.deadline_at
    );

    let vendor_path = app.url(&format!("/api/portal/incidents/{}/updates", incident.id));
    let client_path = app.url(&format!("/api/incidents/{}/updates", incident.id));
    let contained = created(
        post_with(
            &s.vendor,
            &vendor_path,
            &json!({ "message": "Keys rotated; no downloads since.", "status": "contained" }),
        )
        .await,
    )
    .await;
    assert_eq!(contained.status, IncidentStatus::Contained);
    app.clock.advance(Duration::minutes(5));
    created(
        post_with(
            &s.risk,
            &client_path,
            &json!({ "message": "Which customers are affected?" }),
        )
        .await,
    )
    .await;

    assert_error(
        post_with(
            &s.risk,
            &client_path,
            &json!({ "message": "Closing", "status": "resolved" }),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
        "closing_report",
    )
    .await;
    app.clock.advance(Duration::minutes(5));
    let resolved = created(
        post_with(
            &s.vendor,
            &vendor_path,
            &json!({ "message": "Closing", "status": "resolved",
                     "closing_report": "Cause: a bucket policy. Impact: 1,200 records. Prevention: policy checks." }),
        )
        .await,
    )
    .await;
    assert_eq!(resolved.status, IncidentStatus::Resolved);
    assert!(resolved.resolved_at.is_some());
    assert!(
        resolved
            .closing_report
            .as_deref()
            .is_some_and(|r| r.starts_with("Cause"))
    );

    let seen: IncidentView = get_with(
        &s.vendor,
        &app.url(&format!("/api/portal/incidents/{}", incident.id)),
    )
    .await
    .json()
    .await
    .expect("the vendor's view");
    let timeline: Vec<(IncidentParty, Option<IncidentStatus>)> = seen
        .updates
        .iter()
        .map(|u| (u.author_kind, u.status))
        .collect();
    assert_eq!(
        timeline,
        [
            (IncidentParty::Vendor, Some(IncidentStatus::Contained)),
            (IncidentParty::Client, None),
            (IncidentParty::Vendor, Some(IncidentStatus::Resolved)),
        ],
        "oldest first, the refused update not stored"
    );
    assert_eq!(seen.updates[1].author, "risk@acme.test");

    let after = post_with(
        &s.risk,
        &client_path,
        &json!({ "message": "One more thing" }),
    )
    .await;
    assert_eq!(after.status(), StatusCode::CONFLICT);
    let listed: CursorPage<IncidentView> =
        get_with(&s.risk, &app.url("/api/incidents?status=open"))
            .await
            .json()
            .await
            .expect("list");
    assert!(listed.items.is_empty(), "resolved incidents are not open");
    let resolved_list: CursorPage<IncidentView> = get_with(
        &s.risk,
        &app.url(&format!(
            "/api/incidents?status=resolved&vendor_id={}",
            s.sent.assessment.vendor_id
        )),
    )
    .await
    .json()
    .await
    .expect("list");
    assert_eq!(resolved_list.items.len(), 1);
    assert_eq!(resolved_list.total, 1);
    let dashboard: DashboardView = get_with(&s.risk, &app.url("/api/dashboard"))
        .await
        .json()
        .await
        .expect("dashboard");
    assert_eq!(dashboard.open_incidents, 0);
}

#[tokio::test]
async fn reports_that_cannot_be_true_are_refused_with_the_field() {
    let app = spawn_app().await;
    let s = submitted(&app).await;
    let now = whole_second(&app);
    let portal = app.url("/api/portal/incidents");

    let mut future = report(now + Duration::days(1));
    assert_error(
        post_with(&s.vendor, &portal, &future).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
        "discovered_at",
    )
    .await;
    future["discovered_at"] = json!("last Tuesday");
    assert_error(
        post_with(&s.vendor, &portal, &future).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
        "discovered_at",
    )
    .await;
    let mut negative = report(now - Duration::hours(1));
    negative["records_affected"] = json!(-5);
    assert_error(
        post_with(&s.vendor, &portal, &negative).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
        "records_affected",
    )
    .await;
    let mut untitled = report(now - Duration::hours(1));
    untitled["title"] = json!("  ");
    assert_error(
        post_with(&s.vendor, &portal, &untitled).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
        "title",
    )
    .await;

    let mut before_discovery = report(now - Duration::hours(5));
    before_discovery["vendor_id"] = json!(s.sent.assessment.vendor_id);
    before_discovery["reported_at"] = json!(at(now - Duration::hours(6)));
    assert_error(
        post_with(&s.risk, &app.url("/api/incidents"), &before_discovery).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
        "reported_at",
    )
    .await;
    let mut unknown_vendor = report(now - Duration::hours(5));
    unknown_vendor["vendor_id"] = json!(uuid::Uuid::now_v7());
    assert_error(
        post_with(&s.risk, &app.url("/api/incidents"), &unknown_vendor).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
        "vendor_id",
    )
    .await;

    let listed: CursorPage<IncidentView> = get_with(&s.risk, &app.url("/api/incidents"))
        .await
        .json()
        .await
        .expect("list");
    assert!(listed.items.is_empty(), "nothing was stored: {listed:?}");
}

#[tokio::test]
async fn auditors_read_incidents_but_only_managing_roles_record_and_update_them() {
    let app = spawn_app().await;
    let s = submitted(&app).await;
    let now = whole_second(&app);
    let incident = file_from_portal(&app, &s, now - Duration::hours(1)).await;
    app.create_user("Acme", "auditor@acme.test", Role::Auditor)
        .await;
    let auditor = app.signed_in("auditor@acme.test").await;

    let listed: CursorPage<IncidentView> = get_with(&auditor, &app.url("/api/incidents"))
        .await
        .json()
        .await
        .expect("list");
    assert_eq!(listed.items.len(), 1, "auditors read incidents");
    let one = get_with(
        &auditor,
        &app.url(&format!("/api/incidents/{}", incident.id)),
    )
    .await;
    assert_eq!(one.status(), StatusCode::OK);

    let mut body = report(now - Duration::hours(1));
    body["vendor_id"] = json!(s.sent.assessment.vendor_id);
    let refused = post_with(&auditor, &app.url("/api/incidents"), &body).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let refused = post_with(
        &auditor,
        &app.url(&format!("/api/incidents/{}/updates", incident.id)),
        &json!({ "message": "noted" }),
    )
    .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);

    // Procurement records incidents too (they own the vendor relationship).
    created(post_with(&s.sent.procurement, &app.url("/api/incidents"), &body).await).await;
    // Without a portal session there is no portal access.
    let anonymous = app.get("/api/portal/incidents").await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn another_organisation_and_another_vendors_portal_see_none_of_the_incidents() {
    let app = spawn_app().await;
    let s = submitted(&app).await;
    let now = whole_second(&app);
    let incident = file_from_portal(&app, &s, now - Duration::hours(1)).await;

    app.create_user("Other", "admin@other.test", Role::Admin)
        .await;
    let other = app.signed_in("admin@other.test").await;
    let path = format!("/api/incidents/{}", incident.id);
    assert_eq!(
        get_with(&other, &app.url(&path)).await.status(),
        StatusCode::NOT_FOUND
    );
    let listed: Value = get_with(&other, &app.url("/api/incidents"))
        .await
        .json()
        .await
        .expect("list");
    assert_eq!(
        listed,
        json!({ "items": [], "total": 0 }),
        "another organisation lists none"
    );
    let update = post_with(
        &other,
        &app.url(&format!("{path}/updates")),
        &json!({ "message": "x", "status": "contained" }),
    )
    .await;
    assert_eq!(update.status(), StatusCode::NOT_FOUND);
    let mut body = report(now - Duration::hours(1));
    body["vendor_id"] = json!(s.sent.assessment.vendor_id);
    assert_error(
        post_with(&other, &app.url("/api/incidents"), &body).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
        "vendor_id",
    )
    .await;
    let dashboard: DashboardView = get_with(&other, &app.url("/api/dashboard"))
        .await
        .json()
        .await
        .expect("dashboard");
    assert_eq!(dashboard.open_incidents, 0);

    // A second vendor of the same organisation, with its own portal session.
    let second: VendorView = post_with(
        &s.sent.procurement,
        &app.url("/api/vendors"),
        &json!({ "legal_name": "Second Vendor", "system_access": "none", "criticality": "low" }),
    )
    .await
    .json()
    .await
    .expect("vendor");
    let sent = post_with(
        &s.sent.procurement,
        &app.url("/api/assessments"),
        &json!({ "vendor_id": second.id, "template_id": s.sent.assessment.template_id,
                 "due_date": "2099-01-31", "recipients": [{ "name": "Sam", "email": "sam@second.test" }] }),
    )
    .await;
    assert_eq!(sent.status(), StatusCode::CREATED);
    let token = emailed_token(&app, "sam@second.test").await;
    let stranger = vendor_session(&app, &token).await;
    let theirs: Value = get_with(&stranger, &app.url("/api/portal/incidents"))
        .await
        .json()
        .await
        .expect("list");
    assert_eq!(
        theirs,
        json!([]),
        "another vendor's incidents are not listed"
    );
    assert_eq!(
        get_with(
            &stranger,
            &app.url(&format!("/api/portal/incidents/{}", incident.id))
        )
        .await
        .status(),
        StatusCode::NOT_FOUND
    );
    let update = post_with(
        &stranger,
        &app.url(&format!("/api/portal/incidents/{}/updates", incident.id)),
        &json!({ "message": "x" }),
    )
    .await;
    assert_eq!(update.status(), StatusCode::NOT_FOUND);
    // A user session is not a portal session, and the other way round.
    assert_eq!(
        get_with(&s.risk, &app.url("/api/portal/incidents"))
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        get_with(&s.vendor, &app.url("/api/incidents"))
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    // Nothing changed on the incident.
    let unchanged: IncidentView = get_with(&s.risk, &app.url(&path))
        .await
        .json()
        .await
        .expect("incident");
    assert!(unchanged.updates.is_empty());
    assert_eq!(unchanged.status, IncidentStatus::Open);
}

#[tokio::test]
async fn a_delegate_answering_one_section_cannot_report_or_read_incidents() {
    let app = spawn_app().await;
    let sent = crate::assessments::send_template(&app, crate::review::SCORED, "json").await;
    let vera = vendor_session(&app, &sent.token).await;
    let delegated = post_with(
        &vera,
        &app.url("/api/portal/delegations"),
        &json!({ "section_id": "s", "name": "Sam Security", "email": "sam@vendor.test" }),
    )
    .await;
    assert_eq!(delegated.status(), StatusCode::CREATED);
    let token = emailed_token(&app, "sam@vendor.test").await;
    let sam = vendor_session(&app, &token).await;
    let now = whole_second(&app);

    let refused = post_with(&sam, &app.url("/api/portal/incidents"), &report(now)).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        get_with(&sam, &app.url("/api/portal/incidents"))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    // The recipient, before submitting, may report one.
    let filed =
        created(post_with(&vera, &app.url("/api/portal/incidents"), &report(now)).await).await;
    assert_eq!(filed.reported_by_name, "Vera");
}
