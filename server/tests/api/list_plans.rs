//! A later page of a list starts at its cursor in the index of the list's order, on both
//! databases, when the rows are spread over many organisations as they are in production:
//! the test reads the plan of the statement a page request actually sent (`EXPLAIN QUERY
//! PLAN` on SQLite, `EXPLAIN` on PostgreSQL, after `ANALYZE` as the server's upkeep and
//! autovacuum do). PostgreSQL once walked the primary key for an assessments or outbox
//! page after the first, reading and discarding every other organisation's rows.

use assay_server::db::entities::{assessment, incident, outbox};
use reqwest::StatusCode;
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseBackend, EntityTrait, IntoActiveModel, Set,
    Statement,
};
use serde_json::{Value, json};
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

use crate::assessments::send;
use crate::helpers::{TestApp, get_with, post_with, spawn_app};
use crate::list_pages::first_cursor;

/// Organisations the copied rows are spread over (the caller's is one of them).
const ORGANISATIONS: usize = 10;
/// Copied rows per list, ids older than the real ones and alternating organisations.
const COPIES: u128 = 20_000;

/// Ids below any UUIDv7 made today, in insertion order, as UUIDv7 ids are.
fn copy_id(n: u128) -> Uuid {
    Uuid::from_u128(0x0192_0000_0000_7000_8000_0000_0000_0000 + n)
}

/// `COPIES` rows like `original`, the n-th with id `copy_id(n)` in the n-th of
/// `organisations` (round robin; `place` sets both), inserted 500 at a time.
async fn spread<A>(
    app: &TestApp,
    organisations: &[Uuid],
    original: A,
    place: impl Fn(&mut A, Uuid, Uuid),
) where
    A: ActiveModelTrait + Clone + Send,
{
    let copies: Vec<A> = (0..COPIES)
        .map(|n| {
            let mut copy = original.clone();
            place(&mut copy, copy_id(n), organisation(organisations, n));
            copy.reset_all()
        })
        .collect();
    for chunk in copies.chunks(500) {
        A::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&app.db)
            .await
            .expect("copies inserted");
    }
}

/// The organisation of the n-th copy.
fn organisation(organisations: &[Uuid], n: u128) -> Uuid {
    organisations[(n % organisations.len() as u128) as usize]
}

/// The plan of the page statement (the one reading `table` with `ORDER BY … LIMIT`) that
/// `GET path` sent, as one line per plan node.
async fn plan_of_page(app: &TestApp, client: &reqwest::Client, path: &str, table: &str) -> String {
    app.queries.record();
    let _ = app.queries.recorded();
    let response = get_with(client, &app.url(path)).await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "GET {path}: {}",
        crate::helpers::captured_logs()
            .lines()
            .filter(|l| l.contains("ERROR"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    let from = format!("FROM \"{table}\"");
    let page = app
        .queries
        .recorded()
        .into_iter()
        .rfind(|s| s.sql.contains(&from) && s.sql.contains("ORDER BY") && s.sql.contains("LIMIT"))
        .unwrap_or_else(|| panic!("GET {path} read a page of {table}"));
    let backend = app.db.get_database_backend();
    let (explain, column) = match backend {
        DatabaseBackend::Sqlite => ("EXPLAIN QUERY PLAN", "detail"),
        _ => ("EXPLAIN", "QUERY PLAN"),
    };
    let rows = app
        .db
        .query_all_raw(Statement {
            sql: format!("{explain} {}", page.sql),
            values: page.values.clone(),
            db_backend: backend,
        })
        .await
        .expect("the page statement explains");
    let lines: Vec<String> = rows
        .iter()
        .map(|r| r.try_get::<String>("", column).expect("a plan line"))
        .collect();
    lines.join("\n")
}

/// Brings the planner's statistics up to date, as the server's upkeep (SQLite `PRAGMA
/// optimize`) and PostgreSQL's autovacuum do on a live database.
async fn analyze(app: &TestApp) {
    let sql = match app.db.get_database_backend() {
        DatabaseBackend::Sqlite => "ANALYZE",
        _ => "ANALYZE assessments, outbox, incidents",
    };
    app.db.execute_unprepared(sql).await.expect("ANALYZE");
}

/// The plan walks `index` of `table` with the cursor in its range (`cursor` as each
/// database prints it), sorts nothing, and neither scans `table` nor walks its primary key.
/// (A table joined for names, a handful of rows here, may be read however is cheapest.)
fn assert_walks(plan: &str, table: &str, index: &str, cursor: [&str; 2], backend: DatabaseBackend) {
    let what = table;
    let cursor = match backend {
        DatabaseBackend::Sqlite => cursor[0],
        _ => cursor[1],
    };
    let uses = plan.lines().find(|l| l.contains(index));
    assert!(
        uses.is_some(),
        "{what}: a later page should walk {index}, but the plan is:\n{plan}"
    );
    assert!(
        plan.contains(cursor),
        "{what}: the cursor ({cursor}) should bound the walk of {index}, but the plan is:\n{plan}"
    );
    assert!(
        !plan.contains("TEMP B-TREE") && !plan.contains("Sort"),
        "{what}: a page should read the index in the list's order, not sort:\n{plan}"
    );
    assert!(
        !plan.contains(&format!("{table}_pkey")) && !plan.contains(&format!("SCAN {table}")),
        "{what}: a page should not walk the whole table or its primary key:\n{plan}"
    );
}

#[tokio::test]
async fn later_pages_start_at_their_cursor_in_the_list_index_among_many_organisations() {
    let app = spawn_app().await;
    let sent = send(&app).await;
    let pro = &sent.procurement;
    let admin = app.signed_in("admin@acme.test").await;
    let now = time::OffsetDateTime::now_utc();
    let filed = post_with(
        pro,
        &app.url("/api/incidents"),
        &json!({
            "vendor_id": sent.assessment.vendor_id,
            "title": "A bucket was public",
            "description": "A bucket was publicly readable.",
            "discovered_at": (now - time::Duration::hours(2)).format(&Rfc3339).expect("rfc 3339"),
            "reported_at": (now - time::Duration::hours(1)).format(&Rfc3339).expect("rfc 3339"),
            "data_types": ["personal"],
            "records_affected": 10,
            "containment": "Made private.",
            "contact": "Dana Ops, security@vendor.test"
        }),
    )
    .await;
    assert_eq!(filed.status(), StatusCode::CREATED, "an incident is filed");

    // Nine more organisations; the copies alternate between all ten.
    let own = app
        .create_user(
            "Acme",
            "viewer@acme.test",
            assay_core::access::Role::Procurement,
        )
        .await
        .organization_id;
    let mut organisations = vec![own];
    for n in 1..ORGANISATIONS {
        let other = app
            .create_user(
                &format!("Other {n}"),
                &format!("pro@other{n}.test"),
                assay_core::access::Role::Procurement,
            )
            .await;
        organisations.push(other.organization_id);
    }
    let original = assessment::Entity::find_by_id(sent.assessment.id)
        .one(&app.db)
        .await
        .expect("query")
        .expect("the assessment");
    spread(
        &app,
        &organisations,
        original.into_active_model(),
        |c, id, org| {
            c.id = Set(id);
            c.organization_id = Set(org);
        },
    )
    .await;
    let email = outbox::Entity::find().one(&app.db).await.expect("query");
    let email = email.expect("the invitation email").into_active_model();
    spread(&app, &organisations, email, |c, id, org| {
        c.id = Set(id);
        c.organization_id = Set(Some(org));
    })
    .await;
    let filed = incident::Entity::find().one(&app.db).await.expect("query");
    let filed = filed.expect("the incident").into_active_model();
    spread(&app, &organisations, filed, |c, id, org| {
        c.id = Set(id);
        c.organization_id = Set(org);
    })
    .await;
    analyze(&app).await;
    let backend = app.db.get_database_backend();

    let after = first_cursor(&app, pro, "/api/assessments", "limit=1").await;
    let plan = plan_of_page(
        &app,
        pro,
        &format!("/api/assessments?limit=50&after={after}"),
        "assessments",
    )
    .await;
    assert_walks(
        &plan,
        "assessments",
        "idx_assessments_page",
        ["id<?", "id <"],
        backend,
    );

    let after = first_cursor(&app, &admin, "/api/outbox", "limit=1").await;
    let plan = plan_of_page(
        &app,
        &admin,
        &format!("/api/outbox?limit=50&after={after}"),
        "outbox",
    )
    .await;
    assert_walks(
        &plan,
        "outbox",
        "idx_outbox_page",
        ["id<?", "id <"],
        backend,
    );

    let after = first_cursor(&app, pro, "/api/incidents", "limit=1").await;
    let plan = plan_of_page(
        &app,
        pro,
        &format!("/api/incidents?limit=50&after={after}"),
        "incidents",
    )
    .await;
    assert_walks(
        &plan,
        "incidents",
        "idx_incidents_page",
        ["(discovered_at,id)<", "ROW(discovered_at, id) <"],
        backend,
    );

    // The pages are still right: the second page of assessments holds the caller's
    // organisation's newest copies, none of another organisation's.
    let page: Value = get_with(
        pro,
        &app.url(&format!(
            "/api/assessments?limit=50&after={}",
            first_cursor(&app, pro, "/api/assessments", "limit=1").await
        )),
    )
    .await
    .json()
    .await
    .expect("a page");
    let ids: Vec<Uuid> = page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["id"].as_str().expect("an id").parse().expect("a uuid"))
        .collect();
    let expected: Vec<Uuid> = (0..COPIES)
        .rev()
        .filter(|n| organisation(&organisations, *n) == own)
        .take(50)
        .map(copy_id)
        .collect();
    assert_eq!(
        ids, expected,
        "the second page is the organisation's next 50, newest first"
    );
}
