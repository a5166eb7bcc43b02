//! The assessments list at the size real portfolios reach: newest first, a page at a time,
//! the same few database statements whatever the page size or the list's length, with
//! progress kept on the row (so a list never reads answers or templates), and a vendor's
//! files listed without opening every assessment.

use std::collections::BTreeSet;

use assay_core::api::{AssessmentSummary, CursorPage, VendorFileView};
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::assessments::{put_answer, send, vendor_session};
use crate::evidence_details::upload;
use crate::helpers::{TestApp, get_with, new_vendor, post_with, spawn_app};

/// How many assessments the organisation has beyond the first (enough for many pages).
const MORE: usize = 1_100;

async fn page(
    app: &TestApp,
    client: &reqwest::Client,
    query: &str,
) -> CursorPage<AssessmentSummary> {
    let response = get_with(client, &app.url(&format!("/api/assessments?{query}"))).await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "GET /api/assessments?{query}"
    );
    response.json().await.expect("a page of assessments")
}

/// Statements the server sent to the database for one request.
async fn statements_for(app: &TestApp, client: &reqwest::Client, query: &str) -> u64 {
    let before = app.queries.get();
    page(app, client, query).await;
    app.queries.get() - before
}

#[tokio::test]
async fn a_thousand_assessments_page_newest_first_in_the_same_few_statements() {
    let app = spawn_app().await;
    let sent = send(&app).await;
    let pro = &sent.procurement;
    // Eight procurement tabs sending at once, as a quarter's campaign does.
    let mut tasks = Vec::new();
    for lane in 0..8 {
        let (client, url) = (pro.clone(), app.url("/api/assessments"));
        let template_id = sent.assessment.template_id;
        let vendors = app.url("/api/vendors");
        tasks.push(tokio::spawn(async move {
            for n in (lane..MORE).step_by(8) {
                // A vendor has one open assessment of a template at a time: one vendor each.
                let vendor_id = new_vendor(&client, &vendors, &format!("Vendor {n:04}")).await;
                let body = json!({ "vendor_id": vendor_id, "template_id": template_id,
                                   "due_date": "2099-03-31", "recipients": [{ "name": "Vera", "email": "vera@vendor.test" }] });
                let response = post_with(&client, &url, &body).await;
                assert_eq!(
                    response.status(),
                    StatusCode::CREATED,
                    "every send is acknowledged"
                );
            }
        }));
    }
    for task in tasks {
        task.await.expect("a sending lane");
    }

    // Every assessment once, newest first, across pages of 200.
    let mut seen = Vec::new();
    let mut cursors = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let query = match &after {
            Some(cursor) => format!("limit=200&after={cursor}"),
            None => "limit=200".to_owned(),
        };
        let p = page(&app, pro, &query).await;
        assert_eq!(
            p.total as usize,
            MORE + 1,
            "the total counts every assessment on every page"
        );
        assert!(p.items.len() <= 200, "a page never holds more than asked");
        seen.extend(p.items);
        match p.next {
            Some(next) => {
                cursors.push(next.clone());
                after = Some(next);
            }
            None => break,
        }
    }
    assert_eq!(seen.len(), MORE + 1, "paging reaches every assessment");
    let distinct: BTreeSet<_> = seen.iter().map(|a| a.id).collect();
    assert_eq!(
        distinct.len(),
        seen.len(),
        "no assessment appears on two pages"
    );
    assert!(
        seen.windows(2).all(|w| w[0].created_at >= w[1].created_at),
        "newest first"
    );
    assert_eq!(
        seen.last().map(|a| a.id),
        Some(sent.assessment.id),
        "the first one sent comes last"
    );
    let row = &seen[0];
    assert_eq!(
        row.title, sent.assessment.title,
        "rows carry the questionnaire's title"
    );
    assert!(
        row.vendor_name.starts_with("Vendor "),
        "and the vendor's name: {}",
        row.vendor_name
    );
    assert_eq!(
        seen.last().map(|a| a.vendor_name.as_str()),
        Some(sent.assessment.vendor_name.as_str()),
        "each row its own vendor's name"
    );
    assert_eq!(
        (row.answered, row.questions),
        (0, sent.assessment.questions),
        "and progress"
    );

    // The same statements for a page of 1, of 200, and deep in the list.
    let _warm = statements_for(&app, pro, "limit=1").await;
    let small = statements_for(&app, pro, "limit=1").await;
    let large = statements_for(&app, pro, "limit=200").await;
    let cursor = &cursors[4];
    let deep = statements_for(&app, pro, &format!("limit=200&after={cursor}")).await;
    assert_eq!(small, large, "a page of 200 costs what a page of 1 does");
    assert_eq!(
        small, deep,
        "a page deep in the list costs what the first does"
    );
    assert!(
        small <= 4,
        "a page takes {small} statements; it should take at most 4 (the session, the caller's account with its organisation, the count, and the rows with their vendors' names; reading writes nothing)"
    );

    // A row is a summary: no answers, files, invitations or template.
    let raw: Value = get_with(pro, &app.url("/api/assessments?limit=1"))
        .await
        .json()
        .await
        .expect("json");
    let keys: Vec<&str> = raw["items"][0]
        .as_object()
        .expect("a row")
        .keys()
        .map(String::as_str)
        .collect();
    for heavy in ["answers", "evidence", "invitations", "template"] {
        assert!(
            !keys.contains(&heavy),
            "list rows leave out `{heavy}`: {keys:?}"
        );
    }
}

#[tokio::test]
async fn progress_filters_and_bad_cursors_in_the_list() {
    let app = spawn_app().await;
    let sent = send(&app).await;
    let pro = &sent.procurement;
    let vendor = vendor_session(&app, &sent.token).await;
    assert_eq!(
        put_answer(&app, &vendor, "q_encrypt", "yes", 0)
            .await
            .status(),
        StatusCode::OK
    );
    let rows = page(&app, pro, "").await;
    assert_eq!(rows.items.len(), 1);
    assert_eq!(
        (rows.items[0].answered, rows.items[0].questions),
        (1, 3),
        "answering yes shows the follow-up question and counts the answer"
    );
    assert_eq!(rows.items[0].status.label(), "In progress");

    // A second assessment (of another vendor: one open a template), cancelled: the status
    // filter tells them apart.
    let other_vendor = new_vendor(pro, &app.url("/api/vendors"), "Second Vendor").await;
    let second: Value = post_with(
        pro,
        &app.url("/api/assessments"),
        &json!({ "vendor_id": other_vendor, "template_id": sent.assessment.template_id,
                 "due_date": "2099-03-31", "recipients": [{ "name": "Vera", "email": "vera@vendor.test" }] }),
    )
    .await
    .json()
    .await
    .expect("second");
    let cancelled = post_with(
        pro,
        &app.url(&format!(
            "/api/assessments/{}/cancel",
            second["id"].as_str().expect("id")
        )),
        &json!({}),
    )
    .await;
    assert_eq!(cancelled.status(), StatusCode::OK);
    let only = page(&app, pro, "status=cancelled").await;
    assert_eq!(only.total, 1, "one cancelled assessment");
    assert_eq!(
        only.items[0].id.to_string(),
        second["id"].as_str().expect("id")
    );
    let of_vendor = page(
        &app,
        pro,
        &format!("vendor_id={}", sent.assessment.vendor_id),
    )
    .await;
    assert_eq!(of_vendor.total, 1, "the first is this vendor's");
    let of_other = page(&app, pro, &format!("vendor_id={other_vendor}")).await;
    assert_eq!(
        (of_other.total, of_other.items[0].id.to_string()),
        (1, second["id"].as_str().expect("id").to_owned()),
        "the second is the other vendor's"
    );
    let of_nobody = page(&app, pro, &format!("vendor_id={}", uuid::Uuid::now_v7())).await;
    assert_eq!(of_nobody.total, 0, "an unknown vendor has none");

    for (query, field) in [
        ("limit=0", "limit"),
        ("limit=201", "limit"),
        ("after=not-a-cursor", "after"),
        ("status=lost", "status"),
    ] {
        let response = get_with(pro, &app.url(&format!("/api/assessments?{query}"))).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "?{query} is refused"
        );
        let body: Value = response.json().await.expect("error body");
        assert_eq!(
            body["error"]["field"], field,
            "?{query} names `{field}`: {body}"
        );
    }
}

#[tokio::test]
async fn an_assessment_from_before_progress_was_kept_shows_its_progress_and_the_list_writes_nothing()
 {
    let app = spawn_app().await;
    let sent = send(&app).await;
    let vendor = vendor_session(&app, &sent.token).await;
    assert_eq!(
        put_answer(&app, &vendor, "q_encrypt", "no", 0)
            .await
            .status(),
        StatusCode::OK
    );
    // As the upgrade leaves it: no progress on the row.
    let forget = Statement::from_string(
        app.db.get_database_backend(),
        "UPDATE assessments SET questions_visible = NULL, questions_answered = NULL".to_owned(),
    );
    app.db.execute_raw(forget).await.expect("clear progress");
    let rows = page(&app, &sent.procurement, "").await;
    assert_eq!(
        (rows.items[0].answered, rows.items[0].questions),
        (1, 2),
        "worked out from the answers: `no` hides the follow-up"
    );
    let stored = app
        .db
        .query_one_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM assessments WHERE questions_visible IS NULL".to_owned(),
        ))
        .await
        .expect("count")
        .expect("a row");
    let still_unset: i64 = stored.try_get("", "n").expect("n");
    assert_eq!(still_unset, 1, "reading the list stored nothing");
    // The next answer keeps it on the row.
    assert_eq!(
        put_answer(&app, &vendor, "q_notes", "none", 0)
            .await
            .status(),
        StatusCode::OK
    );
    let rows = page(&app, &sent.procurement, "").await;
    assert_eq!((rows.items[0].answered, rows.items[0].questions), (2, 2));
}

#[tokio::test]
async fn a_vendors_files_list_across_its_assessments_and_stay_in_the_organisation() {
    let app = spawn_app().await;
    let sent = send(&app).await;
    let vendor = vendor_session(&app, &sent.token).await;
    let uploaded = upload(&app, &vendor, &[("question_id", "q_notes")]).await;
    assert_eq!(uploaded.status(), StatusCode::CREATED, "the file is stored");
    let url = app.url(&format!(
        "/api/vendors/{}/evidence",
        sent.assessment.vendor_id
    ));
    let page: CursorPage<VendorFileView> = get_with(&sent.procurement, &url)
        .await
        .json()
        .await
        .expect("files");
    assert_eq!(
        (page.total, page.next.as_deref()),
        (1, None),
        "one file, one page"
    );
    let files = page.items;
    assert_eq!(files.len(), 1, "the one file");
    assert_eq!(files[0].file.file_name, "certificate.pdf");
    assert_eq!(
        files[0].assessment_title, sent.assessment.title,
        "named by its questionnaire"
    );
    assert_eq!(files[0].assessment_id, sent.assessment.id);

    app.create_user(
        "Other",
        "pro@other.test",
        assay_core::access::Role::Procurement,
    )
    .await;
    let stranger = app.signed_in("pro@other.test").await;
    assert_eq!(
        get_with(&stranger, &url).await.status(),
        StatusCode::NOT_FOUND,
        "another organisation cannot list them"
    );
}

/// Pages through a keyset-paged list of `path`, `limit` rows at a time; returns every row.
async fn every_row(app: &TestApp, client: &reqwest::Client, path: &str, limit: u64) -> Vec<Value> {
    let mut rows = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let url = match &after {
            Some(cursor) => format!("{path}?limit={limit}&after={cursor}"),
            None => format!("{path}?limit={limit}"),
        };
        let page: Value = get_with(client, &app.url(&url))
            .await
            .json()
            .await
            .expect("a page");
        let items = page["items"].as_array().expect("items").clone();
        assert!(
            items.len() as u64 <= limit,
            "{url}: a page holds at most {limit}"
        );
        rows.extend(items);
        if page["next"].is_null() {
            assert_eq!(
                page["total"].as_u64(),
                Some(rows.len() as u64),
                "{url}: the total counts every row"
            );
        }
        match page["next"].as_str() {
            Some(next) => after = Some(next.to_owned()),
            None => break,
        }
    }
    rows
}

#[tokio::test]
async fn incidents_and_the_outbox_page_by_cursor_in_a_fixed_number_of_statements() {
    let app = spawn_app().await;
    let sent = send(&app).await;
    let pro = &sent.procurement;
    let base = time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .expect("instant")
        - time::Duration::days(30);
    // 45 incidents, discovered in 15 distinct hours: ties on the time must still page
    // without losing or repeating one.
    for n in 0..45i64 {
        let discovered = base + time::Duration::hours(n / 3);
        let filed = post_with(
            pro,
            &app.url("/api/incidents"),
            &json!({
                "vendor_id": sent.assessment.vendor_id,
                "title": format!("Incident {n}"),
                "description": "A bucket was publicly readable.",
                "discovered_at": discovered.format(&time::format_description::well_known::Rfc3339).expect("rfc 3339"),
                "reported_at": (discovered + time::Duration::hours(1)).format(&time::format_description::well_known::Rfc3339).expect("rfc 3339"),
                "data_types": ["personal"],
                "records_affected": 10,
                "containment": "Made private.",
                "contact": "Dana Ops, security@vendor.test"
            }),
        )
        .await;
        assert_eq!(filed.status(), StatusCode::CREATED, "incident {n}");
    }
    let incidents = every_row(&app, pro, "/api/incidents", 7).await;
    assert_eq!(incidents.len(), 45, "every incident, once");
    let titles: BTreeSet<&str> = incidents
        .iter()
        .filter_map(|i| i["title"].as_str())
        .collect();
    assert_eq!(titles.len(), 45, "no incident on two pages");
    let times: Vec<&str> = incidents
        .iter()
        .filter_map(|i| i["discovered_at"].as_str())
        .collect();
    assert!(
        times.windows(2).all(|w| w[0] >= w[1]),
        "newest discovery first: {times:?}"
    );

    let admin = app.signed_in("admin@acme.test").await;
    let emails = every_row(&app, &admin, "/api/outbox", 20).await;
    let ids: BTreeSet<&str> = emails.iter().filter_map(|e| e["id"].as_str()).collect();
    assert_eq!(ids.len(), emails.len(), "no email on two pages");
    assert!(
        emails.len() > 45,
        "the invitation and the incident notices are all listed: {}",
        emails.len()
    );

    // The same statements for a page of 1 and of 50, for each list.
    for (client, path) in [
        (pro, "/api/incidents"),
        (&admin, "/api/outbox"),
        (pro, "/api/remediations"),
    ] {
        let mut cost = Vec::new();
        for limit in [1, 1, 50] {
            let before = app.queries.get();
            let response = get_with(client, &app.url(&format!("{path}?limit={limit}"))).await;
            assert_eq!(response.status(), StatusCode::OK, "{path}");
            cost.push(app.queries.get() - before);
        }
        assert_eq!(
            cost[1], cost[2],
            "{path}: a page of 50 costs what a page of 1 does ({cost:?})"
        );
    }
    for path in ["/api/incidents", "/api/remediations"] {
        for (query, field) in [
            ("limit=0", "limit"),
            ("limit=201", "limit"),
            ("after=bm9wZQ", "after"),
        ] {
            let response = get_with(pro, &app.url(&format!("{path}?{query}"))).await;
            assert_eq!(
                response.status(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "{path}?{query}"
            );
            let body: Value = response.json().await.expect("error");
            assert_eq!(body["error"]["field"], field, "{path}?{query}: {body}");
        }
    }
}

/// How many assessments `query`'s list holds, walked 200 at a time, and the total its
/// pages show.
async fn counted(app: &TestApp, client: &reqwest::Client, query: &str) -> (usize, u64) {
    let (rows, total) = crate::list_pages::walk(app, client, "/api/assessments", query, 200).await;
    (rows.len(), total)
}

#[tokio::test]
async fn the_lists_totals_follow_every_assessment_created_answered_and_cancelled_at_once() {
    let app = spawn_app().await;
    let sent = send(&app).await;
    let pro = &sent.procurement;
    // Another organisation's assessments never show in this one's totals.
    let other = crate::assessments::send_in(&app, "Other", crate::assessments::CSV, "csv").await;

    // Sixteen more, created at once by concurrent clients.
    let mut tasks = Vec::new();
    for n in 0..16 {
        let (client, url) = (pro.clone(), app.url("/api/assessments"));
        let vendors = app.url("/api/vendors");
        let template_id = sent.assessment.template_id;
        tasks.push(tokio::spawn(async move {
            // One vendor each: a vendor has one open assessment of a template at a time.
            let vendor_id = new_vendor(&client, &vendors, &format!("Vendor {n:02}")).await;
            let body = json!({ "vendor_id": vendor_id, "template_id": template_id,
                               "due_date": "2099-03-31", "recipients": [{ "name": format!("Vera {n}"), "email": format!("vera{n}@vendor.test") }] });
            let response = post_with(&client, &url, &body).await;
            assert_eq!(
                response.status(),
                StatusCode::CREATED,
                "an assessment is created"
            );
            let body: Value = response.json().await.expect("an assessment");
            body["id"].as_str().expect("id").to_owned()
        }));
    }
    let mut ids = Vec::new();
    for task in tasks {
        ids.push(task.await.expect("a creating client"));
    }
    // Six cancelled at once, and the first one answered (in progress).
    let mut tasks = Vec::new();
    for id in ids.iter().take(6) {
        let (client, url) = (
            pro.clone(),
            app.url(&format!("/api/assessments/{id}/cancel")),
        );
        tasks.push(tokio::spawn(async move {
            let response = post_with(&client, &url, &json!({})).await;
            assert_eq!(
                response.status(),
                StatusCode::OK,
                "a cancellation is accepted"
            );
        }));
    }
    for task in tasks {
        task.await.expect("a cancelling client");
    }
    let vendor = vendor_session(&app, &sent.token).await;
    assert_eq!(
        put_answer(&app, &vendor, "q_encrypt", "yes", 0)
            .await
            .status(),
        StatusCode::OK
    );

    for (query, expected) in [
        ("", 17),
        ("status=sent", 10),
        ("status=cancelled", 6),
        ("status=in_progress", 1),
        ("status=completed", 0),
    ] {
        let (rows, total) = counted(&app, pro, query).await;
        assert_eq!(
            (rows, total),
            (expected, expected as u64),
            "?{query}: the list holds {expected} and its total says so"
        );
    }
    let (rows, total) = counted(&app, &other.procurement, "").await;
    assert_eq!(
        (rows, total),
        (1, 1),
        "the other organisation sees its one assessment and a total of 1"
    );
}
