//! The home page's lists (`GET /api/work`): what waits on each role, each task linked to
//! where it is done, most urgent first, only the organisation's own, and in the same
//! number of statements however many tasks there are.

use assay_core::access::Role;
use assay_core::api::{AssessmentView, WorkKind, WorkList, WorkTarget, WorkView};
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};
use serde_json::json;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::assessments::{emailed_token, vendor_session};
use crate::evidence_details::upload;
use crate::helpers::{TestApp, get_with, post_with, spawn_app};
use crate::review::{Submitted, submitted};
use assay_server::db::entities::{assessment, remediation};

/// The lists `client` is shown.
async fn work(app: &TestApp, client: &reqwest::Client) -> WorkView {
    let response = get_with(client, &app.url("/api/work")).await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "the home page's lists load"
    );
    response.json().await.expect("a WorkView")
}

fn list(view: &WorkView, kind: WorkKind) -> &WorkList {
    view.lists
        .iter()
        .find(|l| l.kind == kind)
        .unwrap_or_else(|| panic!("{kind:?} is not among the lists: {view:?}"))
}

fn kinds(view: &WorkView) -> Vec<WorkKind> {
    view.lists.iter().map(|l| l.kind).collect()
}

/// Moves a stored assessment's due date (the API refuses a past one, as it should).
async fn set_due(app: &TestApp, id: Uuid, due: time::Date) {
    let mut row = assessment::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .expect("read")
        .expect("the assessment")
        .into_active_model();
    row.due_date = Set(due);
    row.update(&app.db).await.expect("due date moved");
}

/// A submitted assessment (with an incident reported and a remediation item now past due),
/// and a second one still with the vendor past its due date, carrying a certificate that
/// expires in ten days.
struct Scene {
    s: Submitted,
    late: AssessmentView,
    incident: Uuid,
    today: time::Date,
}

async fn scene(app: &TestApp) -> Scene {
    let s = submitted(app).await;
    let today = app.clock.today();
    // Of another vendor: the first still has this template open (submitted).
    let other_vendor = crate::helpers::new_vendor(
        &s.sent.procurement,
        &app.url("/api/vendors"),
        "Late Vendor Ltd",
    )
    .await;
    let second = post_with(
        &s.sent.procurement,
        &app.url("/api/assessments"),
        &json!({ "vendor_id": other_vendor, "template_id": s.sent.assessment.template_id,
                 "due_date": "2099-01-31", "recipients": [{ "name": "Walt", "email": "walt@vendor.test" }] }),
    )
    .await;
    assert_eq!(
        second.status(),
        StatusCode::CREATED,
        "a second assessment is sent"
    );
    let late: AssessmentView = second.json().await.expect("assessment");
    let walt = vendor_session(app, &emailed_token(app, "walt@vendor.test").await).await;
    let expires = (today + Duration::days(10)).to_string();
    let uploaded = upload(
        app,
        &walt,
        &[("kind", "iso27001_certificate"), ("expires_on", &expires)],
    )
    .await;
    assert_eq!(
        uploaded.status(),
        StatusCode::CREATED,
        "the certificate uploads"
    );
    set_due(app, late.id, today - Duration::days(3)).await;

    let id = s.remediate_last_finding(app, "2099-03-31").await.id;
    let mut row = remediation::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .expect("read")
        .expect("the item")
        .into_active_model();
    row.due_date = Set(today - Duration::days(2));
    row.update(&app.db).await.expect("due date moved");

    let reported =
        crate::incidents::file_from_portal(app, &s, OffsetDateTime::now_utc() - Duration::hours(1))
            .await;
    let incident = reported.id;
    Scene {
        s,
        late,
        incident,
        today,
    }
}

#[tokio::test]
async fn each_role_sees_what_waits_on_it_linked_to_where_it_is_done() {
    let app = spawn_app().await;
    let Scene {
        s,
        late,
        incident,
        today,
    } = scene(&app).await;

    let risk = work(&app, &s.risk).await;
    assert_eq!(
        kinds(&risk),
        vec![
            WorkKind::AwaitingReview,
            WorkKind::ExpiringEvidence,
            WorkKind::RemediationPastDue,
            WorkKind::IncidentClocks
        ],
        "a Risk manager reviews, follows evidence, remediation and incidents"
    );
    let review = list(&risk, WorkKind::AwaitingReview);
    assert_eq!(review.total, 1, "one submission waits: {review:?}");
    let waiting = &review.items[0];
    assert_eq!(waiting.target, WorkTarget::Assessment(s.sent.assessment.id));
    assert_eq!(waiting.vendor_name, "Vendor Ltd");
    assert_eq!(waiting.subject, "Mini", "the questionnaire's title");
    assert_eq!(waiting.when, today.to_string(), "submitted today");

    let expiring = list(&risk, WorkKind::ExpiringEvidence);
    assert_eq!(expiring.total, 1, "{expiring:?}");
    assert_eq!(expiring.items[0].target, WorkTarget::Assessment(late.id));
    assert_eq!(expiring.items[0].subject, "certificate.pdf");
    assert_eq!(
        expiring.items[0].when,
        (today + Duration::days(10)).to_string()
    );

    let remediation = list(&risk, WorkKind::RemediationPastDue);
    assert_eq!(remediation.total, 1, "{remediation:?}");
    assert!(remediation.items[0].late, "past due is late");
    assert_eq!(
        remediation.items[0].target,
        WorkTarget::Assessment(s.sent.assessment.id)
    );

    let clocks = list(&risk, WorkKind::IncidentClocks);
    assert_eq!(clocks.total, 1, "{clocks:?}");
    assert_eq!(clocks.items[0].target, WorkTarget::Incident(incident));
    assert_eq!(clocks.items[0].subject, "Exposed backup bucket");
    assert!(!clocks.items[0].late, "the deadline is still ahead");

    let procurement = work(&app, &s.sent.procurement).await;
    assert_eq!(
        kinds(&procurement),
        vec![
            WorkKind::OverdueAnswers,
            WorkKind::ExpiringEvidence,
            WorkKind::IncidentClocks
        ],
        "Procurement chases answers and evidence, and cannot review"
    );
    let overdue = list(&procurement, WorkKind::OverdueAnswers);
    assert_eq!(overdue.total, 1, "only the late one, not the submitted one");
    assert_eq!(overdue.items[0].target, WorkTarget::Assessment(late.id));
    assert_eq!(
        overdue.items[0].when,
        (today - Duration::days(3)).to_string(),
        "the due date it missed"
    );

    let admin = work(&app, &app.signed_in("admin@acme.test").await).await;
    assert_eq!(
        kinds(&admin),
        WorkKind::ALL.to_vec(),
        "an Admin sees every list"
    );
    assert!(!admin.first_steps, "Acme has a vendor: no first steps");

    app.create_user("Acme", "audit@acme.test", Role::Auditor)
        .await;
    let auditor = work(&app, &app.signed_in("audit@acme.test").await).await;
    assert!(auditor.lists.is_empty(), "nothing waits on an Auditor");

    app.create_user("Other", "admin@other.test", Role::Admin)
        .await;
    let other = work(&app, &app.signed_in("admin@other.test").await).await;
    assert!(
        other
            .lists
            .iter()
            .all(|l| l.total == 0 && l.items.is_empty()),
        "another organisation sees none of Acme's tasks: {other:?}"
    );
    assert!(
        other.first_steps,
        "an organisation without vendors is shown the first steps"
    );
    assert!(!auditor.first_steps, "an Auditor cannot register vendors");

    let anonymous = app.get("/api/work").await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn many_tasks_show_the_ten_most_urgent_and_the_total_in_the_same_statements() {
    let app = spawn_app().await;
    let Scene { s, late, today, .. } = scene(&app).await;
    let admin = app.signed_in("admin@acme.test").await;
    let _warm = work(&app, &admin).await;
    let before = app.queries.get();
    let few = work(&app, &admin).await;
    let few_statements = app.queries.get() - before;
    assert_eq!(list(&few, WorkKind::OverdueAnswers).total, 1);

    // 40 more assessments past due, each a day older than the last.
    let original = assessment::Entity::find_by_id(late.id)
        .one(&app.db)
        .await
        .expect("read")
        .expect("the late assessment");
    let copies: Vec<assessment::ActiveModel> = (1..=40)
        .map(|n| {
            let mut copy = original.clone().into_active_model();
            copy.id = Set(Uuid::now_v7());
            copy.due_date = Set(today - Duration::days(3 + n));
            copy.reset_all()
        })
        .collect();
    assessment::Entity::insert_many(copies)
        .exec_without_returning(&app.db)
        .await
        .expect("copies inserted");

    let before = app.queries.get();
    let many = work(&app, &admin).await;
    let many_statements = app.queries.get() - before;
    assert_eq!(
        many_statements, few_statements,
        "the home page costs the same statements with 1 or 41 overdue assessments"
    );
    let overdue = list(&many, WorkKind::OverdueAnswers);
    assert_eq!(overdue.total, 41, "the total counts every one");
    assert_eq!(overdue.items.len(), 10, "ten are listed");
    assert_eq!(
        overdue.items[0].when,
        (today - Duration::days(43)).to_string(),
        "the longest overdue comes first"
    );
    assert!(
        overdue.items.windows(2).all(|w| w[0].when <= w[1].when),
        "most overdue first: {overdue:?}"
    );
    assert_eq!(
        list(&many, WorkKind::AwaitingReview).items[0].target,
        WorkTarget::Assessment(s.sent.assessment.id),
        "the other lists are unchanged"
    );
}
