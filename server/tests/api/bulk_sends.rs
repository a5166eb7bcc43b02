//! Bulk sends: one questionnaire to many vendors in one action, sent in the background by
//! the scheduler's bulk-send job, each vendor exactly once whatever restarts or overlaps,
//! with a result per vendor; checked up front, and kept to the caller's organisation.

use std::collections::{BTreeMap, BTreeSet};

use assay_core::access::Role;
use assay_core::api::{BulkSendSummary, BulkSendView, CursorPage, ErrorResponse, TemplateView};
use assay_core::bulk::{BulkSendStatus, ItemResult, SkipReason};
use assay_server::db::entities::{assessment, job_lease, outbox};
use assay_server::services::bulk_sends;
use assay_server::services::mailer::Mailer;
use reqwest::StatusCode;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect, Set};
use serde_json::{Value, json};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::assessments::CSV;
use crate::helpers::{TestApp, get_with, post_with, spawn_app};

/// An organisation with a procurement user and a published template.
struct Org {
    pro: reqwest::Client,
    template_id: Uuid,
}

async fn organisation(app: &TestApp, name: &str) -> Org {
    let slug = assay_server::services::accounts::slugify(name);
    let email = format!("pro@{slug}.test");
    app.create_user(name, &email, Role::Procurement).await;
    let pro = app.signed_in(&email).await;
    let template: TemplateView = post_with(
        &pro,
        &app.url("/api/templates"),
        &json!({ "content": CSV, "format": "csv", "title": "Mini" }),
    )
    .await
    .json()
    .await
    .expect("setup: template imported");
    let published = post_with(
        &pro,
        &app.url(&format!("/api/templates/{}/publish", template.id)),
        &json!({}),
    )
    .await;
    assert_eq!(published.status(), StatusCode::OK, "setup: published");
    Org {
        pro,
        template_id: template.id,
    }
}

/// Registers a vendor with these contacts (`[name, email, role]`) and tags.
async fn vendor(
    app: &TestApp,
    org: &Org,
    name: &str,
    contacts: &[(&str, &str, Option<&str>)],
    tag: &str,
) -> Uuid {
    let contacts: Vec<Value> = contacts
        .iter()
        .map(|(n, e, r)| json!({ "name": n, "email": e, "role": r }))
        .collect();
    let response = post_with(
        &org.pro,
        &app.url("/api/vendors"),
        &json!({ "legal_name": name, "system_access": "none", "criticality": "low",
                 "tags": [tag], "contacts": contacts }),
    )
    .await;
    assert_eq!(
        response.status(),
        StatusCode::CREATED,
        "setup: vendor {name}"
    );
    let body: Value = response.json().await.expect("vendor");
    body["id"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .expect("an id")
}

/// `count` vendors "Vendor 0001"…, each with one contact `c<i>@v<i>.test`, tagged `tag`,
/// registered from eight tabs at once.
async fn many_vendors(app: &TestApp, org: &Org, count: usize, tag: &str) -> Vec<Uuid> {
    let mut lanes = Vec::new();
    for lane in 0..8 {
        let (client, url, tag) = (org.pro.clone(), app.url("/api/vendors"), tag.to_owned());
        lanes.push(tokio::spawn(async move {
            let mut ids: Vec<Uuid> = Vec::new();
            for i in (lane..count).step_by(8) {
                let response = post_with(
                    &client,
                    &url,
                    &json!({ "legal_name": format!("Vendor {i:04}"), "system_access": "none",
                             "criticality": "low", "tags": [tag],
                             "contacts": [{ "name": format!("Contact {i}"), "email": format!("c{i}@v{i}.test") }] }),
                )
                .await;
                assert_eq!(response.status(), StatusCode::CREATED, "setup: vendor {i}");
                let body: Value = response.json().await.expect("vendor");
                ids.push(body["id"].as_str().and_then(|s| s.parse().ok()).expect("an id"));
            }
            ids
        }));
    }
    let mut ids = Vec::new();
    for lane in lanes {
        ids.extend(lane.await.expect("a lane"));
    }
    ids
}

fn due(days: i64) -> String {
    (OffsetDateTime::now_utc().date() + Duration::days(days)).to_string()
}

async fn start(app: &TestApp, client: &reqwest::Client, body: &Value) -> reqwest::Response {
    post_with(client, &app.url("/api/bulk-sends"), body).await
}

async fn started(app: &TestApp, org: &Org, recipients: Value, vendors: Value) -> BulkSendView {
    let response = start(
        app,
        &org.pro,
        &json!({ "template_id": org.template_id, "due_date": due(30),
                 "recipients": recipients, "vendors": vendors }),
    )
    .await;
    assert_eq!(
        response.status(),
        StatusCode::ACCEPTED,
        "the send is accepted"
    );
    response.json().await.expect("the send")
}

async fn bulk_send(app: &TestApp, client: &reqwest::Client, id: Uuid, query: &str) -> BulkSendView {
    let response = get_with(client, &app.url(&format!("/api/bulk-sends/{id}?{query}"))).await;
    assert_eq!(response.status(), StatusCode::OK, "the send reads");
    response.json().await.expect("the send")
}

/// Every vendor of the send with its result, walking the pages by `items.next`.
async fn all_items(
    app: &TestApp,
    client: &reqwest::Client,
    id: Uuid,
) -> Vec<assay_core::api::BulkSendItemView> {
    let mut items = Vec::new();
    let mut query = String::new();
    loop {
        let page = bulk_send(app, client, id, &query).await;
        assert!(page.items.items.len() <= 50, "50 a page");
        items.extend(page.items.items);
        match page.items.next {
            Some(next) => query = format!("after={next}"),
            None => return items,
        }
    }
}

/// Runs scheduler rounds on `app` until no bulk-send item is left (at most `rounds`).
async fn drain(app: &TestApp, rounds: usize) {
    for _ in 0..rounds {
        let report = app.scheduler.run_once().await.expect("a round");
        if report.bulk_items == 0 {
            return;
        }
    }
}

/// Assessments per vendor, from the database.
async fn assessments_per_vendor(app: &TestApp) -> BTreeMap<Uuid, usize> {
    let mut out = BTreeMap::new();
    for vendor in assessment::Entity::find()
        .select_only()
        .column(assessment::Column::VendorId)
        .into_tuple::<Uuid>()
        .all(&app.db)
        .await
        .expect("assessments")
    {
        *out.entry(vendor).or_default() += 1;
    }
    out
}

/// Invitation emails per recipient, from the outbox.
async fn invitations_per_recipient(app: &TestApp) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for to in outbox::Entity::find()
        .select_only()
        .column(outbox::Column::Recipient)
        .filter(outbox::Column::Kind.eq("assessment_invitation"))
        .into_tuple::<String>()
        .all(&app.db)
        .await
        .expect("outbox")
    {
        *out.entry(to).or_default() += 1;
    }
    out
}

fn mailer(app: &TestApp) -> Mailer {
    Mailer::new(&app.ctx().settings.public_url, app.master_key())
}

#[tokio::test]
async fn five_hundred_vendors_are_each_sent_once_across_a_restart_in_the_middle() {
    let app = spawn_app().await;
    let org = organisation(&app, "Acme").await;
    let ids = many_vendors(&app, &org, 500, "q4").await;
    let small = organisation(&app, "Small").await;
    let few = many_vendors(&app, &small, 3, "few").await;

    let job = started(
        &app,
        &org,
        json!({ "rule": "primary" }),
        json!({ "filter": { "tag": "q4" } }),
    )
    .await;
    let s = &job.summary;
    assert_eq!(
        (s.status, s.total, s.pending, s.sent),
        (BulkSendStatus::Queued, 500, 500, 0),
        "queued with a pending item per vendor"
    );
    assert_eq!(
        job.items.items[0].vendor_name, "Vendor 0000",
        "in name order, named"
    );
    let second = job.items.next.clone().expect("more than one page");
    let second = bulk_send(&app, &org.pro, job.summary.id, &format!("after={second}")).await;
    assert_eq!(
        second.items.items[0].vendor_name, "Vendor 0050",
        "the POST's cursor pages on"
    );

    // Instance A gives 137 vendors their results, then dies holding the job's lease.
    let round = bulk_sends::run(&app.ctx(), &mailer(&app), 137)
        .await
        .expect("a partial round");
    assert_eq!(
        round,
        bulk_sends::Round {
            items: 137,
            more: true
        }
    );
    job_lease::Entity::insert(job_lease::ActiveModel {
        name: Set("bulk_sends".to_owned()),
        owner: Set(Some("instance-crashed".to_owned())),
        lease_until: Set(Some(app.clock.now() + Duration::minutes(10))),
        last_run_at: Set(None),
        last_error: Set(None),
    })
    .on_conflict(
        OnConflict::column(job_lease::Column::Name)
            .update_columns([job_lease::Column::Owner, job_lease::Column::LeaseUntil])
            .to_owned(),
    )
    .exec_without_returning(&app.db)
    .await
    .expect("the dead instance's lease");
    let halfway = bulk_send(&app, &org.pro, job.summary.id, "").await.summary;
    assert_eq!(
        (halfway.status, halfway.sent, halfway.pending),
        (BulkSendStatus::Running, 137, 363),
        "progress shows while it runs"
    );

    // Instance B starts (a restart): the lease holds it off until the lease runs out…
    let b = app.spawn_sibling().await;
    let held = b.scheduler.run_once().await.expect("a round");
    assert_eq!(held.bulk_items, 0, "the dead instance's lease is respected");
    // …then it takes the job over and finishes it.
    app.clock.advance(Duration::minutes(11));
    drain(&b, 5).await;

    let done = bulk_send(&b, &org.pro, job.summary.id, "").await.summary;
    assert_eq!(
        (
            done.status,
            done.total,
            done.sent,
            done.skipped,
            done.failed,
            done.pending
        ),
        (BulkSendStatus::Done, 500, 500, 0, 0, 0),
        "every vendor sent, nothing pending: {done:?}"
    );
    assert!(done.finished_at.is_some());
    let per_vendor = assessments_per_vendor(&app).await;
    for id in &ids {
        assert_eq!(
            per_vendor.get(id),
            Some(&1),
            "vendor {id} has exactly one assessment"
        );
    }
    let emails = invitations_per_recipient(&app).await;
    assert_eq!(emails.len(), 500, "one address per vendor");
    assert!(
        emails.values().all(|n| *n == 1),
        "each contact got exactly one invitation: {:?}",
        emails.iter().filter(|(_, n)| **n != 1).collect::<Vec<_>>()
    );
    let items = all_items(&app, &org.pro, job.summary.id).await;
    assert_eq!(
        items.len(),
        500,
        "every vendor listed once across the pages"
    );
    assert!(
        items
            .iter()
            .all(|i| i.result == ItemResult::Sent && i.assessment_id.is_some())
    );
    let listed: BTreeSet<Uuid> = items.iter().map(|i| i.vendor_id).collect();
    assert_eq!(
        listed,
        ids.iter().copied().collect(),
        "the vendors the filter chose"
    );

    // One audit entry for the action (with the count) and one for its end.
    let admin_email = "admin@acme.test";
    app.create_user("Acme", admin_email, Role::Admin).await;
    let log = app.audit_log(&app.signed_in(admin_email).await).await;
    let entries: Vec<_> = log
        .iter()
        .filter(|e| e.action == "bulk_send.started")
        .collect();
    assert_eq!(entries.len(), 1, "one entry for the bulk send");
    assert_eq!(entries[0].detail["vendors"], json!(500));
    assert_eq!(
        log.iter()
            .filter(|e| e.action == "bulk_send.finished")
            .count(),
        1
    );
    assert!(
        log.iter().all(|e| e.action != "assessment.sent"),
        "audited as one action, not one per vendor"
    );

    // A page of results costs the same statements for 3 vendors as for 500, first or deep.
    let small_job = started(
        &app,
        &small,
        json!({ "rule": "primary" }),
        json!({ "ids": few }),
    )
    .await;
    drain(&app, 2).await;
    let cost = |client: reqwest::Client, id: Uuid, query: String| {
        let app = &app;
        async move {
            let before = app.queries.get();
            bulk_send(app, &client, id, &query).await;
            app.queries.get() - before
        }
    };
    let first = bulk_send(&app, &org.pro, job.summary.id, "").await;
    let deep = format!("after={}", first.items.next.expect("a second page"));
    let large_first = cost(org.pro.clone(), job.summary.id, String::new()).await;
    let large_deep = cost(org.pro.clone(), job.summary.id, deep).await;
    let small_first = cost(small.pro.clone(), small_job.summary.id, String::new()).await;
    assert_eq!(
        (large_first, large_deep),
        (small_first, small_first),
        "a page of 50 of 500 costs what a page of 3 does"
    );
}

#[tokio::test]
async fn two_instances_working_one_send_at_once_send_each_vendor_once() {
    let app = spawn_app().await;
    let org = organisation(&app, "Acme").await;
    let ids = many_vendors(&app, &org, 120, "all").await;
    let job = started(&app, &org, json!({ "rule": "all" }), json!({ "ids": ids })).await;
    let b = app.spawn_sibling().await;
    // Both ignore the lease (as if it had run out under a slow instance).
    let (ma, mb) = (mailer(&app), mailer(&b));
    let (ca, cb) = (app.ctx(), b.ctx());
    let one = tokio::spawn(async move { bulk_sends::run(&ca, &ma, 500).await });
    let two = tokio::spawn(async move { bulk_sends::run(&cb, &mb, 500).await });
    let (one, two) = (one.await.expect("task"), two.await.expect("task"));
    let done = one.expect("instance A's run").items + two.expect("instance B's run").items;
    assert_eq!(done, 120, "between them, each item once");
    let summary = bulk_send(&app, &org.pro, job.summary.id, "").await.summary;
    assert_eq!((summary.status, summary.sent), (BulkSendStatus::Done, 120));
    let per_vendor = assessments_per_vendor(&app).await;
    assert!(
        ids.iter().all(|id| per_vendor.get(id) == Some(&1)),
        "one assessment each"
    );
    assert!(
        invitations_per_recipient(&app)
            .await
            .values()
            .all(|n| *n == 1)
    );
    app.create_user("Acme", "admin@acme.test", Role::Admin)
        .await;
    let log = app.audit_log(&app.signed_in("admin@acme.test").await).await;
    assert_eq!(
        log.iter()
            .filter(|e| e.action == "bulk_send.finished")
            .count(),
        1,
        "finished once, by whichever instance did the last vendor"
    );
}

#[tokio::test]
async fn vendors_without_a_contact_with_an_open_assessment_or_archived_are_skipped_with_the_reason()
{
    let app = spawn_app().await;
    let org = organisation(&app, "Acme").await;
    let ready = vendor(
        &app,
        &org,
        "A Ready",
        &[
            ("Sam Sales", "sales@a.test", Some("Sales")),
            ("Sec Lead", "sec@a.test", Some("security")),
            ("Second Sec", "sec2@a.test", Some(" Security ")),
        ],
        "t",
    )
    .await;
    let without = vendor(&app, &org, "B Without contacts", &[], "t").await;
    let wrong_role = vendor(
        &app,
        &org,
        "C Sales only",
        &[("Sal", "sal@c.test", Some("Sales"))],
        "t",
    )
    .await;
    let open = vendor(
        &app,
        &org,
        "D Open",
        &[("Dee", "dee@d.test", Some("Security"))],
        "t",
    )
    .await;
    let archived = vendor(
        &app,
        &org,
        "E Archived",
        &[("Eve", "eve@e.test", Some("Security"))],
        "t",
    )
    .await;
    let sent = post_with(
        &org.pro,
        &app.url("/api/assessments"),
        &json!({ "vendor_id": open, "template_id": org.template_id, "due_date": due(20),
                 "recipients": [{ "name": "Dee", "email": "dee@d.test" }] }),
    )
    .await;
    assert_eq!(
        sent.status(),
        StatusCode::CREATED,
        "setup: an open assessment"
    );
    let gone = org
        .pro
        .delete(app.url(&format!("/api/vendors/{archived}")))
        .send()
        .await
        .expect("request");
    assert_eq!(gone.status(), StatusCode::NO_CONTENT, "setup: archived");

    let job = started(
        &app,
        &org,
        json!({ "rule": "all", "role": "SECURITY" }),
        json!({ "ids": [ready, without, wrong_role, open, archived] }),
    )
    .await;
    drain(&app, 3).await;

    let view = bulk_send(&app, &org.pro, job.summary.id, "").await;
    let results: Vec<(&str, ItemResult, Option<SkipReason>, Option<&str>)> = view
        .items
        .items
        .iter()
        .map(|i| {
            (
                i.vendor_name.as_str(),
                i.result,
                i.skipped_because,
                i.reason.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        results,
        [
            ("A Ready", ItemResult::Sent, None, None),
            (
                "B Without contacts",
                ItemResult::Skipped,
                Some(SkipReason::NoContact),
                Some("The vendor has no contact.")
            ),
            (
                "C Sales only",
                ItemResult::Skipped,
                Some(SkipReason::NoContactWithRole),
                Some("No contact of the vendor has that role.")
            ),
            (
                "D Open",
                ItemResult::Skipped,
                Some(SkipReason::AssessmentOpen),
                Some("An assessment of this vendor is already open.")
            ),
            (
                "E Archived",
                ItemResult::Skipped,
                Some(SkipReason::VendorArchived),
                Some("The vendor is archived.")
            ),
        ]
    );
    let s = &view.summary;
    assert_eq!(
        (s.status, s.sent, s.skipped, s.failed, s.pending),
        (BulkSendStatus::Done, 1, 4, 0, 0)
    );
    let emails = invitations_per_recipient(&app).await;
    assert_eq!(
        emails.keys().map(String::as_str).collect::<Vec<_>>(),
        ["dee@d.test", "sec2@a.test", "sec@a.test"],
        "A's two security contacts (and D's single send); nobody in sales"
    );
    let link = view.items.items[0]
        .assessment_id
        .expect("the assessment sent");
    let assessment = get_with(&org.pro, &app.url(&format!("/api/assessments/{link}"))).await;
    assert_eq!(
        assessment.status(),
        StatusCode::OK,
        "the result links the assessment"
    );

    // The primary rule: only the first contact registered.
    let second = started(
        &app,
        &org,
        json!({ "rule": "primary" }),
        json!({ "ids": [wrong_role] }),
    )
    .await;
    drain(&app, 2).await;
    let view = bulk_send(&app, &org.pro, second.summary.id, "").await;
    assert_eq!(view.items.items[0].result, ItemResult::Sent);
    assert_eq!(
        invitations_per_recipient(&app).await.get("sal@c.test"),
        Some(&1)
    );
}

#[tokio::test]
async fn a_bulk_send_is_checked_up_front_and_refusals_name_the_field() {
    let app = spawn_app().await;
    let org = organisation(&app, "Acme").await;
    let one = vendor(&app, &org, "One", &[("O", "o@one.test", None)], "t").await;
    let draft: TemplateView = post_with(
        &org.pro,
        &app.url("/api/templates"),
        &json!({ "content": CSV, "format": "csv", "title": "Unpublished" }),
    )
    .await
    .json()
    .await
    .expect("setup: a draft template");
    let today = OffsetDateTime::now_utc().date().to_string();
    let base = json!({ "template_id": org.template_id, "due_date": due(30),
                       "recipients": { "rule": "primary" }, "vendors": { "ids": [one] } });
    let with = |key: &str, value: Value| {
        let mut body = base.clone();
        body[key] = value;
        body
    };
    let too_many: Vec<Uuid> = (0..5001).map(|_| Uuid::now_v7()).collect();
    let cases = [
        (with("template_id", json!(Uuid::now_v7())), "template_id"),
        (with("template_id", json!(draft.id)), "template_id"),
        (with("due_date", json!("2020-01-01")), "due_date"),
        (with("due_date", json!(today)), "due_date"),
        (with("due_date", json!("31/01/2027")), "due_date"),
        (with("vendors", json!({ "ids": [] })), "vendors"),
        (with("vendors", json!({ "ids": too_many })), "vendors"),
        (
            with("vendors", json!({ "ids": [one, Uuid::now_v7()] })),
            "vendors",
        ),
        (
            with(
                "vendors",
                json!({ "filter": { "q": "nobody by this name" } }),
            ),
            "vendors",
        ),
        (
            with(
                "recipients",
                json!({ "rule": "all", "role": "x".repeat(101) }),
            ),
            "recipients",
        ),
    ];
    for (body, field) in cases {
        let response = start(&app, &org.pro, &body).await;
        let status = response.status();
        let error: ErrorResponse = response.json().await.expect("an error body");
        assert_eq!(
            (status, error.error.field.as_deref()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some(field)),
            "{body}: {error:?}"
        );
    }
    let unknown_rule = start(
        &app,
        &org.pro,
        &with("recipients", json!({ "rule": "everyone" })),
    )
    .await;
    assert!(
        unknown_rule.status().is_client_error(),
        "an unknown rule is refused"
    );

    app.create_user("Acme", "auditor@acme.test", Role::Auditor)
        .await;
    let reviewer = app.signed_in("auditor@acme.test").await;
    assert_eq!(
        start(&app, &reviewer, &base).await.status(),
        StatusCode::FORBIDDEN,
        "only senders send"
    );

    let list: CursorPage<BulkSendSummary> = get_with(&org.pro, &app.url("/api/bulk-sends"))
        .await
        .json()
        .await
        .expect("the list");
    assert_eq!(list.total, 0, "nothing was stored");
    assert!(assessments_per_vendor(&app).await.is_empty());
}

#[tokio::test]
async fn another_organisations_vendors_and_sends_stay_out_of_reach() {
    let app = spawn_app().await;
    let acme = organisation(&app, "Acme").await;
    let globex = organisation(&app, "Globex").await;
    let theirs = vendor(
        &app,
        &acme,
        "Secret Supplier",
        &[("S", "s@secret.test", None)],
        "shared",
    )
    .await;
    let ours = vendor(
        &app,
        &globex,
        "Our Supplier",
        &[("O", "o@ours.test", None)],
        "shared",
    )
    .await;
    let acme_job = started(
        &app,
        &acme,
        json!({ "rule": "primary" }),
        json!({ "ids": [theirs] }),
    )
    .await;

    for vendors in [json!({ "ids": [theirs] }), json!({ "ids": [ours, theirs] })] {
        let response = start(
            &app,
            &globex.pro,
            &json!({ "template_id": globex.template_id, "due_date": due(30),
                     "recipients": { "rule": "primary" }, "vendors": vendors }),
        )
        .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let text = response.text().await.expect("body");
        assert!(
            !text.contains("Secret Supplier"),
            "nothing about the other's vendor: {text}"
        );
    }
    // Acme's template is not Globex's to send.
    let response = start(
        &app,
        &globex.pro,
        &json!({ "template_id": acme.template_id, "due_date": due(30),
                 "recipients": { "rule": "primary" }, "vendors": { "ids": [ours] } }),
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // A filter only ever reaches the caller's own vendors.
    let job = started(
        &app,
        &globex,
        json!({ "rule": "primary" }),
        json!({ "filter": { "tag": "shared" } }),
    )
    .await;
    assert_eq!(job.summary.total, 1);
    assert_eq!(job.items.items[0].vendor_id, ours);

    let peek = get_with(
        &globex.pro,
        &app.url(&format!("/api/bulk-sends/{}", acme_job.summary.id)),
    )
    .await;
    assert_eq!(
        peek.status(),
        StatusCode::NOT_FOUND,
        "another organisation's send is not found"
    );
    let list: CursorPage<BulkSendSummary> = get_with(&globex.pro, &app.url("/api/bulk-sends"))
        .await
        .json()
        .await
        .expect("the list");
    assert_eq!(
        list.items.iter().map(|s| s.id).collect::<Vec<_>>(),
        [job.summary.id],
        "only its own sends"
    );
}

#[tokio::test]
async fn overlapping_sends_started_at_once_send_each_vendor_once() {
    let app = spawn_app().await;
    let org = organisation(&app, "Acme").await;
    let ids = many_vendors(&app, &org, 30, "overlap").await;
    let body = json!({ "template_id": org.template_id, "due_date": due(30),
                       "recipients": { "rule": "primary" }, "vendors": { "ids": ids } });
    let mut tasks = Vec::new();
    for _ in 0..6 {
        let (client, url, body) = (org.pro.clone(), app.url("/api/bulk-sends"), body.clone());
        tasks.push(tokio::spawn(async move {
            post_with(&client, &url, &body).await.status()
        }));
    }
    for task in tasks {
        let status = task.await.expect("a tab");
        assert!(status.as_u16() < 500, "no server error: {status}");
        assert!(
            status == StatusCode::ACCEPTED || status == StatusCode::SERVICE_UNAVAILABLE,
            "accepted (or busy, to retry): {status}"
        );
    }
    // Two instances work through them at once, ignoring the lease.
    let b = app.spawn_sibling().await;
    let (ma, mb, ca, cb) = (mailer(&app), mailer(&b), app.ctx(), b.ctx());
    let one = tokio::spawn(async move { bulk_sends::run(&ca, &ma, 5_000).await });
    let two = tokio::spawn(async move { bulk_sends::run(&cb, &mb, 5_000).await });
    one.await.expect("task").expect("instance A's run");
    two.await.expect("task").expect("instance B's run");

    let per_vendor = assessments_per_vendor(&app).await;
    assert!(
        ids.iter().all(|id| per_vendor.get(id) == Some(&1)),
        "one assessment each: {per_vendor:?}"
    );
    assert!(
        invitations_per_recipient(&app)
            .await
            .values()
            .all(|n| *n == 1),
        "one email each"
    );
    let list: CursorPage<BulkSendSummary> = get_with(&org.pro, &app.url("/api/bulk-sends"))
        .await
        .json()
        .await
        .expect("the list");
    assert!(
        list.items
            .iter()
            .all(|s| s.status == BulkSendStatus::Done && s.pending == 0)
    );
    let sent: u64 = list.items.iter().map(|s| s.sent).sum();
    let skipped: u64 = list.items.iter().map(|s| s.skipped).sum();
    assert_eq!(sent, 30, "each vendor sent by one of the sends");
    assert_eq!(
        skipped,
        30 * (list.total - 1),
        "the others skip it: an assessment is open"
    );
}

/// `count` new vendors of `org`, each sent the template by a bulk send: their assessments,
/// in vendor-name order.
async fn sent_assessments(app: &TestApp, org: &Org, count: usize, tag: &str) -> Vec<Uuid> {
    let vendors = many_vendors(app, org, count, tag).await;
    let job = started(
        app,
        org,
        json!({ "rule": "primary" }),
        json!({ "ids": vendors }),
    )
    .await;
    drain(app, 2).await;
    all_items(app, &org.pro, job.summary.id)
        .await
        .iter()
        .map(|i| i.assessment_id.expect("setup: sent"))
        .collect()
}

async fn bulk_action(app: &TestApp, client: &reqwest::Client, body: &Value) -> reqwest::Response {
    post_with(client, &app.url("/api/assessments/bulk"), body).await
}

/// The action applied: 200 and a result per assessment.
async fn applied(
    app: &TestApp,
    client: &reqwest::Client,
    body: Value,
) -> assay_core::api::BulkAssessmentsView {
    let response = bulk_action(app, client, &body).await;
    assert_eq!(response.status(), StatusCode::OK, "{body}");
    response.json().await.expect("results")
}

async fn assessment_now(app: &TestApp, client: &reqwest::Client, id: Uuid) -> Value {
    get_with(client, &app.url(&format!("/api/assessments/{id}")))
        .await
        .json()
        .await
        .expect("the assessment")
}

#[tokio::test]
async fn one_action_on_many_assessments_reports_each_and_changes_only_what_it_fits() {
    let app = spawn_app().await;
    let org = organisation(&app, "Acme").await;
    let ids = sent_assessments(&app, &org, 3, "act").await;
    let (a, b, c) = (ids[0], ids[1], ids[2]);
    let cancelled = post_with(
        &org.pro,
        &app.url(&format!("/api/assessments/{c}/cancel")),
        &json!({}),
    )
    .await;
    assert_eq!(cancelled.status(), StatusCode::OK, "setup: one cancelled");
    // A month later the other two are overdue.
    app.clock.advance(Duration::days(31));
    let before = invitations_per_recipient(&app).await;

    let resent = applied(
        &app,
        &org.pro,
        json!({ "action": "resend", "assessment_ids": [a, b, c] }),
    )
    .await;
    assert_eq!((resent.done, resent.skipped), (2, 1), "{resent:?}");
    assert_eq!(
        resent
            .results
            .iter()
            .map(|r| (r.assessment_id, r.done))
            .collect::<Vec<_>>(),
        [(a, true), (b, true), (c, false)],
        "a result per assessment, in the order asked"
    );
    assert_eq!(
        resent.results[2].reason.as_deref(),
        Some("Links can only be re-sent while the vendor is answering.")
    );
    assert_eq!(
        resent.results[0].vendor_name, "Vendor 0000",
        "named by vendor"
    );
    let after = invitations_per_recipient(&app).await;
    let grew: Vec<&String> = after
        .keys()
        .filter(|k| after[*k] > before.get(*k).copied().unwrap_or(0))
        .collect();
    assert_eq!(grew.len(), 2, "the two open ones got new links: {grew:?}");

    let new_due = (app.clock.now().date() + Duration::days(30)).to_string();
    let extended = applied(
        &app,
        &org.pro,
        json!({ "action": "extend", "due_date": new_due, "assessment_ids": [a, c] }),
    )
    .await;
    assert_eq!((extended.done, extended.skipped), (1, 1));
    let moved = assessment_now(&app, &org.pro, a).await;
    assert_eq!(moved["due_date"], json!(new_due));
    assert_eq!(moved["overdue"], json!(false), "no longer overdue");

    let cancel = applied(
        &app,
        &org.pro,
        json!({ "action": "cancel", "assessment_ids": [b, c] }),
    )
    .await;
    assert_eq!((cancel.done, cancel.skipped), (1, 1));
    let b_now = assessment_now(&app, &org.pro, b).await;
    assert_eq!(b_now["status"], json!("cancelled"));

    // Each change is audited like the same change on the assessment's own page.
    let admin_email = "admin@acme.test";
    app.create_user("Acme", admin_email, Role::Admin).await;
    let log = app.audit_log(&app.signed_in(admin_email).await).await;
    let count = |action: &str| log.iter().filter(|e| e.action == action).count();
    assert_eq!(
        (
            count("assessment.resent"),
            count("assessment.due_date_changed"),
            count("assessment.cancelled")
        ),
        (2, 1, 2),
        "two resent, one moved, two cancelled (one by hand)"
    );
}

#[tokio::test]
async fn bulk_actions_are_checked_first_and_reach_only_the_callers_assessments() {
    let app = spawn_app().await;
    let acme = organisation(&app, "Acme").await;
    let globex = organisation(&app, "Globex").await;
    let a = sent_assessments(&app, &acme, 1, "a").await[0];
    let g = sent_assessments(&app, &globex, 1, "g").await[0];

    let too_many: Vec<Uuid> = (0..201).map(|_| Uuid::now_v7()).collect();
    for (body, field) in [
        (
            json!({ "action": "extend", "assessment_ids": [a] }),
            "due_date",
        ),
        (
            json!({ "action": "extend", "due_date": "2020-01-01", "assessment_ids": [a] }),
            "due_date",
        ),
        (
            json!({ "action": "cancel", "assessment_ids": [] }),
            "assessment_ids",
        ),
        (
            json!({ "action": "cancel", "assessment_ids": too_many }),
            "assessment_ids",
        ),
        (
            json!({ "action": "cancel", "assessment_ids": [a, g] }),
            "assessment_ids",
        ),
    ] {
        let response = bulk_action(&app, &acme.pro, &body).await;
        let status = response.status();
        let error: ErrorResponse = response.json().await.expect("an error body");
        assert_eq!(
            (status, error.error.field.as_deref()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some(field)),
            "{body}: {error:?}"
        );
    }
    app.create_user("Acme", "auditor@acme.test", Role::Auditor)
        .await;
    let auditor = app.signed_in("auditor@acme.test").await;
    let refused = bulk_action(
        &app,
        &auditor,
        &json!({ "action": "cancel", "assessment_ids": [a] }),
    )
    .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);

    for (client, id) in [(&acme.pro, a), (&globex.pro, g)] {
        let now = assessment_now(&app, client, id).await;
        assert_eq!(now["status"], json!("sent"), "nothing was changed");
    }
}

/// One single send (`POST /api/assessments`) of the organisation's template to `vendor`:
/// its status and error code, if any.
async fn single_send(
    app: &TestApp,
    org: &Org,
    vendor: Uuid,
    email: String,
) -> (StatusCode, Option<String>) {
    let response = post_with(
        &org.pro,
        &app.url("/api/assessments"),
        &json!({ "vendor_id": vendor, "template_id": org.template_id, "due_date": due(20),
                 "recipients": [{ "name": "Dee", "email": email }] }),
    )
    .await;
    let status = response.status();
    let code = if status.is_success() {
        None
    } else {
        response
            .json::<ErrorResponse>()
            .await
            .ok()
            .map(|e| e.error.code)
    };
    (status, code)
}

/// Assessments per vendor that are still open (neither completed nor cancelled).
async fn open_per_vendor(app: &TestApp) -> BTreeMap<Uuid, usize> {
    let mut out = BTreeMap::new();
    for vendor in assessment::Entity::find()
        .select_only()
        .column(assessment::Column::VendorId)
        .filter(assessment::Column::Status.is_not_in(["completed", "cancelled"]))
        .into_tuple::<Uuid>()
        .all(&app.db)
        .await
        .expect("assessments")
    {
        *out.entry(vendor).or_default() += 1;
    }
    out
}

#[tokio::test]
async fn concurrent_single_sends_to_one_vendor_open_one_assessment_and_the_rest_hear_409() {
    let app = spawn_app().await;
    let org = organisation(&app, "Acme").await;
    let dee = vendor(&app, &org, "Dee Ltd", &[("Dee", "dee@d.test", None)], "x").await;

    let sends = (0..10).map(|i| single_send(&app, &org, dee, format!("dee{i}@d.test")));
    let outcomes = futures_util::future::join_all(sends).await;

    assert!(
        outcomes.iter().all(|(s, _)| !s.is_server_error()),
        "no send fails with a server error: {outcomes:?}"
    );
    let created = outcomes
        .iter()
        .filter(|(s, _)| *s == StatusCode::CREATED)
        .count();
    assert_eq!(
        created, 1,
        "exactly one send opens an assessment: {outcomes:?}"
    );
    assert!(
        outcomes.iter().all(|(s, code)| *s == StatusCode::CREATED
            || (*s == StatusCode::CONFLICT && code.as_deref() == Some("assessment_open"))),
        "the others are told an assessment is already open: {outcomes:?}"
    );
    assert_eq!(
        open_per_vendor(&app).await.get(&dee),
        Some(&1),
        "one open assessment for the vendor"
    );

    // Once it is cancelled, the vendor can be sent the questionnaire again.
    let open: Vec<Uuid> = assessment::Entity::find()
        .select_only()
        .column(assessment::Column::Id)
        .filter(assessment::Column::VendorId.eq(dee))
        .into_tuple()
        .all(&app.db)
        .await
        .expect("assessments");
    let cancelled = post_with(
        &org.pro,
        &app.url(&format!("/api/assessments/{}/cancel", open[0])),
        &json!({}),
    )
    .await;
    assert_eq!(cancelled.status(), StatusCode::OK, "cancelled");
    assert_eq!(
        single_send(&app, &org, dee, "dee@d.test".to_owned())
            .await
            .0,
        StatusCode::CREATED,
        "a new send once the open one is cancelled"
    );
}

#[tokio::test]
async fn a_bulk_send_racing_single_sends_opens_one_assessment_per_vendor() {
    let app = spawn_app().await;
    let org = organisation(&app, "Acme").await;
    let ids = many_vendors(&app, &org, 40, "race").await;
    let job = started(
        &app,
        &org,
        json!({ "rule": "primary" }),
        json!({ "ids": ids }),
    )
    .await;

    // The job's rounds and a single send to every vendor, all at once.
    let ctx = app.ctx();
    let mailer = mailer(&app);
    let bulk = async {
        let mut rounds = 0;
        while bulk_sends::run(&ctx, &mailer, 5)
            .await
            .expect("a bulk-send round never fails")
            .items
            > 0
        {
            rounds += 1;
            assert!(rounds < 100, "the send finishes");
        }
    };
    let singles = futures_util::future::join_all(
        ids.iter()
            .enumerate()
            .map(|(i, id)| single_send(&app, &org, *id, format!("single{i}@v.test"))),
    );
    let ((), outcomes) = tokio::join!(bulk, singles);

    assert!(
        outcomes.iter().all(|(s, code)| *s == StatusCode::CREATED
            || (*s == StatusCode::CONFLICT && code.as_deref() == Some("assessment_open"))),
        "each single send opens the assessment or hears it is already open, never a 5xx: {outcomes:?}"
    );
    let open = open_per_vendor(&app).await;
    for id in &ids {
        assert_eq!(
            open.get(id),
            Some(&1),
            "vendor {id} has exactly one open assessment"
        );
    }
    let items = all_items(&app, &org.pro, job.summary.id).await;
    let singles_sent = outcomes
        .iter()
        .filter(|(s, _)| *s == StatusCode::CREATED)
        .count();
    let bulk_sent = items
        .iter()
        .filter(|i| i.result == ItemResult::Sent)
        .count();
    assert_eq!(
        singles_sent + bulk_sent,
        ids.len(),
        "each vendor was sent by one of the two"
    );
    assert!(
        items.iter().all(|i| i.result == ItemResult::Sent
            || i.skipped_because == Some(SkipReason::AssessmentOpen)),
        "the bulk send skips a vendor a single send reached first, saying why"
    );
}
