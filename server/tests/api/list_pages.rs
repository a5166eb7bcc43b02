//! The vendor register, the audit log and a vendor's files page by cursor at the size real
//! organisations reach: every row exactly once in the list's order (ties broken by id),
//! the same statements for a page of 1, 50 or 200 and deep in the list, bad cursors and
//! limits refused naming their field, and nothing of another organisation ever shown. The
//! assessments list searches by vendor and questionnaire in the same statements.

use std::collections::BTreeSet;

use assay_core::access::Role;
use assay_server::db::entities::{audit_chain_head, audit_log, evidence, vendor};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use serde_json::{Value, json};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::assessments::{send, vendor_session};
use crate::evidence_details::upload;
use crate::helpers::{TestApp, get_with, post_with, spawn_app};

/// Rows seeded for each list: many pages of 200.
const ROWS: usize = 2_500;

/// Every row of a keyset-paged list, `limit` at a time: `query` holds the filters. Checks
/// on every page that it holds at most `limit` rows and that the total stays the same.
pub async fn walk(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    query: &str,
    limit: u64,
) -> (Vec<Value>, u64) {
    let mut rows = Vec::new();
    let mut after: Option<String> = None;
    let mut total = None;
    loop {
        let mut url = format!("{path}?limit={limit}&{query}");
        if let Some(cursor) = &after {
            url.push_str(&format!("&after={cursor}"));
        }
        let response = get_with(client, &app.url(&url)).await;
        assert_eq!(response.status(), StatusCode::OK, "GET {url}");
        let page: Value = response.json().await.expect("a page");
        let items = page["items"].as_array().expect("items").clone();
        assert!(
            items.len() as u64 <= limit,
            "{url}: at most {limit} rows a page"
        );
        let this_total = page["total"].as_u64().expect("a total");
        assert_eq!(
            *total.get_or_insert(this_total),
            this_total,
            "{url}: the total is the same on every page"
        );
        rows.extend(items);
        match page["next"].as_str() {
            Some(next) => after = Some(next.to_owned()),
            None => break,
        }
    }
    (rows, total.unwrap_or_default())
}

/// The `next` cursor of the first page of `path?query`.
pub async fn first_cursor(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    query: &str,
) -> String {
    let join = if path.contains('?') { '&' } else { '?' };
    let page: Value = get_with(client, &app.url(&format!("{path}{join}{query}")))
        .await
        .json()
        .await
        .expect("a page");
    page["next"]
        .as_str()
        .unwrap_or_else(|| panic!("{path}?{query} has a second page: {page}"))
        .to_owned()
}

/// Statements the server sent for `GET path` (after one untimed request warms caches).
async fn statements(app: &TestApp, client: &reqwest::Client, path: &str) -> u64 {
    let before = app.queries.get();
    let response = get_with(client, &app.url(path)).await;
    assert_eq!(response.status(), StatusCode::OK, "GET {path}");
    app.queries.get() - before
}

/// The same statements for a page of 1, 50 and 200 and for a page deep in the list; returns
/// that number.
async fn fixed_cost(app: &TestApp, client: &reqwest::Client, path: &str, deep: &str) -> u64 {
    let join = if path.contains('?') { '&' } else { '?' };
    let _warm = statements(app, client, &format!("{path}{join}limit=1")).await;
    let mut cost = Vec::new();
    for query in [
        "limit=1".to_owned(),
        "limit=50".to_owned(),
        "limit=200".to_owned(),
        format!("limit=200&after={deep}"),
    ] {
        cost.push(statements(app, client, &format!("{path}{join}{query}")).await);
    }
    assert!(
        cost.iter().all(|c| *c == cost[0]),
        "{path}: pages of 1, 50, 200 and deep in the list cost the same statements: {cost:?}"
    );
    cost[0]
}

/// Each request is refused with 422 naming `field`.
async fn refused(app: &TestApp, client: &reqwest::Client, cases: &[(String, &str)]) {
    for (path, field) in cases {
        let response = get_with(client, &app.url(path)).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{path} is refused"
        );
        let body: Value = response.json().await.expect("an error body");
        let error = &body["error"];
        assert!(
            error["code"].is_string() && error["message"].is_string(),
            "{path}: a code and a message: {body}"
        );
        assert_eq!(error["field"], *field, "{path} names `{field}`: {body}");
    }
}

fn ids(rows: &[Value]) -> Vec<Uuid> {
    rows.iter()
        .map(|r| Uuid::parse_str(r["id"].as_str().expect("an id")).expect("a uuid"))
        .collect()
}

/// `ROWS` more vendors in the organisation of `template`, copied from it: 250 names (ten
/// vendors each), the four tiers, 100 update times and a `payroll` tag on every fifth,
/// so every order has ties that only the id breaks.
async fn seed_vendors(app: &TestApp, template: Uuid) {
    let model = vendor::Entity::find_by_id(template)
        .one(&app.db)
        .await
        .expect("read")
        .expect("the vendor to copy");
    let base = OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .expect("instant")
        - Duration::days(1);
    let tiers = [("critical", 0), ("high", 1), ("medium", 2), ("low", 3)];
    let numbers: Vec<usize> = (0..ROWS).collect();
    for batch in numbers.chunks(500) {
        let rows = batch.iter().map(|n| {
            let (tier, rank) = tiers[n % 4];
            vendor::Model {
                id: Uuid::new_v4(),
                legal_name: format!("Vendor {:03}", n % 250),
                services: if n % 3 == 0 {
                    "Cloud hosting"
                } else {
                    "Printing"
                }
                .to_owned(),
                inherent_tier: tier.to_owned(),
                tier_rank: rank,
                tags: if n % 5 == 0 { r#"["payroll"]"# } else { "[]" }.to_owned(),
                updated_at: base + Duration::seconds(i64::try_from(n % 100).expect("small")),
                ..model.clone()
            }
            .into_active_model()
        });
        vendor::Entity::insert_many(rows)
            .exec(&app.db)
            .await
            .expect("vendors seeded");
    }
}

#[tokio::test]
async fn thousands_of_vendors_page_in_every_order_once_each_in_a_fixed_number_of_statements() {
    let app = spawn_app().await;
    let acme = app
        .create_user("Acme", "pro@acme.test", Role::Procurement)
        .await;
    app.create_user("Beta", "pro@beta.test", Role::Procurement)
        .await;
    let pro = app.signed_in("pro@acme.test").await;
    let beta = app.signed_in("pro@beta.test").await;
    let mut template = None;
    for (client, name) in [(&pro, "Vendor 999 original"), (&beta, "Vendor 001")] {
        let created: Value = post_with(
            client,
            &app.url("/api/vendors"),
            &json!({ "legal_name": name, "system_access": "none", "criticality": "low", "tags": ["payroll"] }),
        )
        .await
        .json()
        .await
        .expect("a vendor");
        template.get_or_insert(Uuid::parse_str(created["id"].as_str().expect("id")).expect("uuid"));
    }
    seed_vendors(&app, template.expect("Acme's vendor")).await;

    // What each order should be, from the rows as stored.
    let stored = vendor::Entity::find()
        .filter(vendor::Column::OrganizationId.eq(acme.organization_id))
        .all(&app.db)
        .await
        .expect("read");
    assert_eq!(
        stored.len(),
        ROWS + 1,
        "the seeded vendors and the original"
    );
    let mut by_name = stored.clone();
    by_name.sort_by(|a, b| (&a.legal_name, a.id).cmp(&(&b.legal_name, b.id)));
    let mut by_tier = stored.clone();
    by_tier.sort_by(|a, b| {
        (a.tier_rank, &a.legal_name, a.id).cmp(&(b.tier_rank, &b.legal_name, b.id))
    });
    let mut by_update = stored.clone();
    by_update.sort_by_key(|v| std::cmp::Reverse((v.updated_at, v.id)));

    for (sort, expected) in [
        ("name", &by_name),
        ("tier", &by_tier),
        ("updated", &by_update),
    ] {
        let (rows, total) = walk(&app, &pro, "/api/vendors", &format!("sort={sort}"), 200).await;
        assert_eq!(
            total,
            (ROWS + 1) as u64,
            "sort={sort}: the total counts them all"
        );
        let seen = ids(&rows);
        assert_eq!(
            seen.iter().collect::<BTreeSet<_>>().len(),
            seen.len(),
            "sort={sort}: no vendor on two pages"
        );
        let want: Vec<Uuid> = expected.iter().map(|v| v.id).collect();
        assert!(
            seen == want,
            "sort={sort}: every vendor once, in order, ties broken by id (first difference at {:?})",
            seen.iter().zip(&want).position(|(a, b)| a != b)
        );
    }

    // Search and a tag, paged in small steps: the same rows as the filters over the whole.
    let (rows, total) = walk(
        &app,
        &pro,
        "/api/vendors",
        "sort=tier&q=CLOUD&tag=payroll",
        7,
    )
    .await;
    let want: Vec<Uuid> = by_tier
        .iter()
        .filter(|v| v.services.contains("Cloud") && v.tags.contains("payroll"))
        .map(|v| v.id)
        .collect();
    assert_eq!(
        total,
        want.len() as u64,
        "the total counts what the filters match"
    );
    assert_eq!(
        ids(&rows),
        want,
        "filtered pages hold exactly the matches, in order"
    );
    let (critical, _) = walk(&app, &pro, "/api/vendors", "sort=name&tier=critical", 200).await;
    assert_eq!(critical.len(), ROWS / 4, "a quarter are critical");
    assert!(
        critical.iter().all(|v| v["inherent_tier"] == "critical"),
        "the tier filter holds on every page"
    );

    // Another organisation's vendors never show, nor does it see Acme's.
    let beta_ids: BTreeSet<Uuid> = ids(&walk(&app, &beta, "/api/vendors", "", 200).await.0)
        .into_iter()
        .collect();
    assert_eq!(beta_ids.len(), 1, "Beta sees its one vendor only");
    assert!(
        by_name.iter().all(|v| !beta_ids.contains(&v.id)),
        "no Acme vendor in Beta's list"
    );

    // The same statements whatever the page size or depth, in every order.
    for sort in ["name", "tier", "updated"] {
        let path = format!("/api/vendors?sort={sort}");
        let deep = {
            let mut cursor = first_cursor(&app, &pro, &path, "limit=200").await;
            for _ in 0..5 {
                cursor =
                    first_cursor(&app, &pro, &path, &format!("limit=200&after={cursor}")).await;
            }
            cursor
        };
        let cost = fixed_cost(&app, &pro, &path, &deep).await;
        assert!(
            cost <= 4,
            "sort={sort}: a page takes {cost} statements; at most 4 (session, caller's account with its organisation, count, rows)"
        );
    }

    // Bad limits and cursors, and cursors used under another order, other filters or by
    // another organisation.
    let name_cursor = first_cursor(&app, &pro, "/api/vendors", "sort=name&limit=10").await;
    let search_cursor = first_cursor(&app, &pro, "/api/vendors", "q=vendor&limit=10").await;
    refused(
        &app,
        &pro,
        &[
            ("/api/vendors?limit=0".to_owned(), "limit"),
            ("/api/vendors?limit=201".to_owned(), "limit"),
            ("/api/vendors?after=bm90IGEgY3Vyc29y".to_owned(), "after"),
            ("/api/vendors?after=%25%25%25".to_owned(), "after"),
            ("/api/vendors?sort=price".to_owned(), "sort"),
            (
                format!("/api/vendors?sort=tier&after={name_cursor}"),
                "after",
            ),
            (
                format!("/api/vendors?sort=updated&after={name_cursor}"),
                "after",
            ),
            (
                format!("/api/vendors?tag=payroll&after={name_cursor}"),
                "after",
            ),
            (
                format!("/api/vendors?q=other&after={search_cursor}"),
                "after",
            ),
            (
                format!("/api/vendors?status=archived&after={name_cursor}"),
                "after",
            ),
        ],
    )
    .await;
    refused(
        &app,
        &beta,
        &[(format!("/api/vendors?after={name_cursor}"), "after")],
    )
    .await;
    let same = get_with(
        &pro,
        &app.url(&format!(
            "/api/vendors?sort=name&limit=10&after={name_cursor}"
        )),
    )
    .await;
    assert_eq!(
        same.status(),
        StatusCode::OK,
        "the cursor works under the order and filters it was made with"
    );
}

/// `ROWS` more entries in the organisation's audit chain after its last, alternating
/// between vendor and sign-in actions; the chain head moves on so later appends follow.
async fn seed_audit(app: &TestApp, organization_id: Uuid) {
    let chain = organization_id.to_string();
    let head = audit_chain_head::Entity::find_by_id(chain.clone())
        .one(&app.db)
        .await
        .expect("read")
        .expect("the organisation's chain");
    let numbers: Vec<i64> = (1..=i64::try_from(ROWS).expect("small")).collect();
    for batch in numbers.chunks(500) {
        let rows = batch.iter().map(|n| audit_log::ActiveModel {
            chain: Set(chain.clone()),
            seq: Set(head.last_seq + n),
            organization_id: Set(Some(organization_id)),
            actor_id: Set(None),
            actor: Set(format!("seed{}@acme.test", n % 7)),
            action: Set(if n % 2 == 0 {
                "vendor.updated"
            } else {
                "auth.sign_in_failed"
            }
            .to_owned()),
            target_type: Set(None),
            target_id: Set(None),
            occurred_at: Set(format!("2026-12-01T10:{:02}:00.000000Z", n % 60)),
            request_id: Set(None),
            detail: Set("{}".to_owned()),
            prev_hash: Set(String::new()),
            hash: Set(format!("seeded-{n}")),
            ..Default::default()
        });
        audit_log::Entity::insert_many(rows)
            .exec(&app.db)
            .await
            .expect("entries seeded");
    }
    let last = head.last_seq + i64::try_from(ROWS).expect("small");
    let mut moved = head.into_active_model();
    moved.last_seq = Set(last);
    audit_chain_head::Entity::update(moved)
        .exec(&app.db)
        .await
        .expect("head moved");
}

#[tokio::test]
async fn thousands_of_audit_entries_page_newest_first_once_each_in_a_fixed_number_of_statements() {
    let app = spawn_app().await;
    let acme = app.create_user("Acme", "ada@acme.test", Role::Admin).await;
    app.create_user("Beta", "bo@beta.test", Role::Admin).await;
    let admin = app.signed_in("ada@acme.test").await;
    let beta = app.signed_in("bo@beta.test").await;
    seed_audit(&app, acme.organization_id).await;

    let (rows, total) = walk(&app, &admin, "/api/audit", "", 200).await;
    assert!(
        total as usize > ROWS,
        "the seeded entries and Acme's own: {total}"
    );
    assert_eq!(rows.len() as u64, total, "every entry, once");
    let seqs: Vec<i64> = rows
        .iter()
        .map(|e| e["seq"].as_i64().expect("seq"))
        .collect();
    assert!(
        seqs.windows(2).all(|w| w[0] > w[1]),
        "newest first, each entry once"
    );
    assert_eq!(seqs.last(), Some(&1), "down to the chain's first entry");

    let (failed, failed_total) =
        walk(&app, &admin, "/api/audit", "action=auth.sign_in_failed", 9).await;
    assert_eq!(
        failed_total,
        (ROWS as u64).div_ceil(2),
        "half the seeded entries"
    );
    assert_eq!(
        failed.len() as u64,
        failed_total,
        "the filter holds on every page"
    );
    assert!(failed.iter().all(|e| e["action"] == "auth.sign_in_failed"));
    let (by_actor, _) = walk(&app, &admin, "/api/audit", "actor=seed3%40", 200).await;
    assert!(
        by_actor.iter().all(|e| e["actor"] == "seed3@acme.test") && !by_actor.is_empty(),
        "the actor filter holds"
    );

    let (theirs, _) = walk(&app, &beta, "/api/audit", "", 200).await;
    assert!(
        theirs.iter().all(|e| !e["actor"]
            .as_str()
            .unwrap_or_default()
            .ends_with("@acme.test")),
        "Beta sees none of Acme's entries"
    );

    let mut deep = first_cursor(&app, &admin, "/api/audit", "limit=200").await;
    for _ in 0..5 {
        deep = first_cursor(
            &app,
            &admin,
            "/api/audit",
            &format!("limit=200&after={deep}"),
        )
        .await;
    }
    let cost = fixed_cost(&app, &admin, "/api/audit", &deep).await;
    assert!(
        cost <= 4,
        "an audit page takes {cost} statements; at most 4 (session, caller's account with its organisation, count, rows)"
    );

    let cursor = first_cursor(&app, &admin, "/api/audit", "limit=10").await;
    refused(
        &app,
        &admin,
        &[
            ("/api/audit?limit=0".to_owned(), "limit"),
            ("/api/audit?limit=201".to_owned(), "limit"),
            ("/api/audit?after=MTIz".to_owned(), "after"),
            (format!("/api/audit?action=auth.&after={cursor}"), "after"),
        ],
    )
    .await;
    refused(
        &app,
        &beta,
        &[(format!("/api/audit?after={cursor}"), "after")],
    )
    .await;
}

#[tokio::test]
async fn thousands_of_a_vendors_files_page_newest_first_once_each_in_a_fixed_number_of_statements()
{
    let app = spawn_app().await;
    let sent = send(&app).await;
    let pro = &sent.procurement;
    let vendor = vendor_session(&app, &sent.token).await;
    let uploaded = upload(&app, &vendor, &[("question_id", "q_notes")]).await;
    assert_eq!(
        uploaded.status(),
        StatusCode::CREATED,
        "a real file to copy"
    );
    let model = evidence::Entity::find()
        .one(&app.db)
        .await
        .expect("read")
        .expect("the file");
    // Copies in 100 upload times, so most share theirs with 24 others.
    let numbers: Vec<usize> = (0..ROWS).collect();
    for batch in numbers.chunks(500) {
        let rows = batch.iter().map(|n| {
            evidence::Model {
                id: Uuid::new_v4(),
                file_name: format!("copy-{n}.pdf"),
                created_at: model.created_at
                    - Duration::minutes(i64::try_from(1 + n % 100).expect("small")),
                ..model.clone()
            }
            .into_active_model()
        });
        evidence::Entity::insert_many(rows)
            .exec(&app.db)
            .await
            .expect("files seeded");
    }
    let path = format!("/api/vendors/{}/evidence", sent.assessment.vendor_id);
    let mut stored = evidence::Entity::find().all(&app.db).await.expect("read");
    stored.sort_by_key(|f| std::cmp::Reverse((f.created_at, f.id)));

    let (rows, total) = walk(&app, pro, &path, "", 200).await;
    assert_eq!(total, (ROWS + 1) as u64, "the total counts every file");
    let seen: Vec<Uuid> = rows
        .iter()
        .map(|r| Uuid::parse_str(r["file"]["id"].as_str().expect("id")).expect("uuid"))
        .collect();
    let want: Vec<Uuid> = stored.iter().map(|f| f.id).collect();
    assert!(
        seen == want,
        "every file once, newest first, ties broken by id (first difference at {:?})",
        seen.iter().zip(&want).position(|(a, b)| a != b)
    );
    assert!(
        rows.iter()
            .all(|r| r["assessment_title"] == sent.assessment.title.as_str()),
        "each named by its questionnaire"
    );

    let mut deep = first_cursor(&app, pro, &path, "limit=200").await;
    for _ in 0..5 {
        deep = first_cursor(&app, pro, &path, &format!("limit=200&after={deep}")).await;
    }
    let cost = fixed_cost(&app, pro, &path, &deep).await;
    assert!(
        cost <= 6,
        "a page of files takes {cost} statements; at most 6 (session, caller's account with its organisation, vendor, count, files, their assessments)"
    );

    // Another vendor's cursor, bad limits; another organisation finds no such vendor.
    let other: Value = post_with(
        pro,
        &app.url("/api/vendors"),
        &json!({ "legal_name": "Other Ltd", "system_access": "none", "criticality": "low" }),
    )
    .await
    .json()
    .await
    .expect("a vendor");
    let other_path = format!(
        "/api/vendors/{}/evidence",
        other["id"].as_str().expect("id")
    );
    let cursor = first_cursor(&app, pro, &path, "limit=10").await;
    refused(
        &app,
        pro,
        &[
            (format!("{path}?limit=0"), "limit"),
            (format!("{path}?limit=201"), "limit"),
            (format!("{path}?after=eHl6"), "after"),
            (format!("{other_path}?after={cursor}"), "after"),
        ],
    )
    .await;
    app.create_user("Beta", "pro@beta.test", Role::Procurement)
        .await;
    let stranger = app.signed_in("pro@beta.test").await;
    assert_eq!(
        get_with(&stranger, &app.url(&path)).await.status(),
        StatusCode::NOT_FOUND,
        "another organisation cannot list them"
    );
}

#[tokio::test]
async fn assessments_are_found_by_vendor_or_questionnaire_in_the_same_statements() {
    let app = spawn_app().await;
    let sent = send(&app).await;
    let pro = &sent.procurement;
    // A second vendor with a name holding wildcards, sent the same questionnaire.
    let other: Value = post_with(
        pro,
        &app.url("/api/vendors"),
        &json!({ "legal_name": "100% Payroll_Co", "system_access": "none", "criticality": "low" }),
    )
    .await
    .json()
    .await
    .expect("a vendor");
    let second: Value = post_with(
        pro,
        &app.url("/api/assessments"),
        &json!({ "vendor_id": other["id"], "template_id": sent.assessment.template_id,
                 "due_date": "2099-03-31", "recipients": [{ "name": "Vera", "email": "vera@vendor.test" }] }),
    )
    .await
    .json()
    .await
    .expect("a second assessment");
    let first_id = sent.assessment.id.to_string();
    let second_id = second["id"].as_str().expect("id").to_owned();
    let found = |query: &'static str| {
        let (app, pro) = (&app, pro);
        async move {
            let (rows, total) = walk(app, pro, "/api/assessments", query, 50).await;
            assert_eq!(
                rows.len() as u64,
                total,
                "{query}: the total counts the matches"
            );
            rows.iter()
                .map(|r| r["id"].as_str().expect("id").to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        found("q=vendor%20LTD").await,
        [first_id.as_str()],
        "by vendor name, any case"
    );
    assert_eq!(
        found("q=100%25").await,
        [second_id.as_str()],
        "`%` is matched literally"
    );
    assert_eq!(
        found("q=payroll_co").await,
        [second_id.as_str()],
        "`_` matches itself"
    );
    assert_eq!(
        found("q=vendor_ltd").await,
        Vec::<String>::new(),
        "`_` matches nothing else"
    );
    let title = sent.assessment.title.to_uppercase();
    let by_title = walk(
        &app,
        pro,
        "/api/assessments",
        &format!("q={}", title.replace(' ', "%20")),
        50,
    )
    .await
    .0;
    assert_eq!(
        by_title.len(),
        2,
        "both by the questionnaire's title ({title})"
    );
    assert_eq!(
        found("q=payroll&status=cancelled").await,
        Vec::<String>::new(),
        "the search combines with the status filter"
    );

    // Another organisation's vendor of the same name is not searched.
    app.create_user("Beta", "pro@beta.test", Role::Procurement)
        .await;
    let beta = app.signed_in("pro@beta.test").await;
    let theirs: Value = get_with(&beta, &app.url("/api/assessments?q=vendor"))
        .await
        .json()
        .await
        .expect("a page");
    assert_eq!(theirs["total"], 0, "Beta finds none of Acme's: {theirs}");

    let _warm = statements(&app, pro, "/api/assessments?limit=1").await;
    let plain = statements(&app, pro, "/api/assessments?limit=1").await;
    let searched = statements(&app, pro, "/api/assessments?limit=1&q=vendor").await;
    let wide = statements(&app, pro, "/api/assessments?limit=200&q=e").await;
    assert_eq!(
        (searched, wide),
        (plain, plain),
        "a search costs the statements a plain page does"
    );
}
