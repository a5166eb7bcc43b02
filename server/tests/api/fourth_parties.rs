//! Fourth parties (#17): a vendor's subprocessor register kept by the client or changed by
//! the vendor through the portal, the transfer and notice findings it raises (holding the
//! residual tier up), the portfolio's concentration, and isolation between organisations.

use assay_core::access::Role;
use assay_core::api::{FourthPartiesView, RegisterView};
use assay_core::scoring::FindingKind;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, get_with, post_with, spawn_app};
use crate::review::submitted;

fn row(name: &str, countries: &[&str], mechanism: &str) -> Value {
    json!({
        "name": name, "service": "Hosting", "data_types": ["personal"],
        "processing_countries": countries, "storage_countries": [],
        "mechanism": { "kind": mechanism }, "added_on": "2025-01-15"
    })
}

async fn put_register(
    app: &TestApp,
    client: &reqwest::Client,
    vendor: uuid::Uuid,
    rows: &Value,
) -> reqwest::Response {
    client
        .put(app.url(&format!("/api/vendors/{vendor}/subprocessors")))
        .json(rows)
        .send()
        .await
        .expect("request")
}

/// The vendor's register as `client` reads it.
async fn register_of(app: &TestApp, client: &reqwest::Client, vendor: uuid::Uuid) -> RegisterView {
    get_with(
        client,
        &app.url(&format!("/api/vendors/{vendor}/subprocessors")),
    )
    .await
    .json()
    .await
    .expect("register")
}

/// The audit entries of register changes, newest first, as an Admin reads them.
async fn register_audits(app: &TestApp, admin: &reqwest::Client) -> Vec<Value> {
    let audit: Value = get_with(
        admin,
        &app.url("/api/audit?action=vendor.subprocessors_updated&limit=100"),
    )
    .await
    .json()
    .await
    .expect("audit");
    audit["items"].as_array().cloned().unwrap_or_default()
}

async fn set_country(app: &TestApp, admin: &reqwest::Client, country: &str) {
    let set = admin
        .put(app.url("/api/settings/client-profile"))
        .json(&json!({ "country": country }))
        .send()
        .await
        .expect("request");
    assert_eq!(set.status(), StatusCode::OK, "{:?}", set.text().await);
}

#[tokio::test]
async fn a_transfer_without_adequacy_or_mechanism_is_a_high_finding_that_holds_the_tier() {
    let app = spawn_app().await;
    let s = submitted(&app).await;
    let vendor = s.sent.assessment.vendor_id;
    let pro = &s.sent.procurement;
    let admin = app.signed_in("admin@acme.test").await;

    // Without the client's country only notice can be judged: no transfer finding yet.
    let saved = put_register(
        &app,
        pro,
        vendor,
        &json!([
            row("Cloud Hosting GmbH", &["DE"], "none"),
            row("Offshore Support Pvt Ltd", &["IN"], "none")
        ]),
    )
    .await;
    assert_eq!(saved.status(), StatusCode::OK, "{:?}", saved.text().await);
    let register: RegisterView = saved.json().await.expect("register");
    assert_eq!(register.subprocessors.len(), 2);
    assert!(register.client_country.is_none());
    assert!(register.subprocessors.iter().all(|r| r.findings.is_empty()));

    set_country(&app, &admin, "DE").await;
    let register = register_of(&app, pro, vendor).await;
    assert_eq!(register.client_country.as_deref(), Some("DE"));
    let offshore = register
        .subprocessors
        .iter()
        .find(|r| r.entry.name == "Offshore Support Pvt Ltd")
        .expect("the offshore row");
    let finding = offshore.findings.first().expect("a transfer finding");
    assert_eq!(
        finding.key(),
        "contract:transfers:transfer_without_mechanism:offshore support pvt:IN"
    );
    assert!(
        finding.message.contains("India") && finding.message.contains("no transfer mechanism"),
        "names the country and what is missing: {}",
        finding.message
    );
    let inside = register
        .subprocessors
        .iter()
        .find(|r| r.entry.name == "Cloud Hosting GmbH")
        .expect("the German row");
    assert!(
        inside.findings.is_empty(),
        "data that stays in the EEA needs nothing"
    );

    let card: Value = get_with(&s.risk, &app.url(&s.path("/scorecard")))
        .await
        .json()
        .await
        .expect("scorecard");
    let findings: Vec<assay_core::scoring::Finding> =
        serde_json::from_value(card["card"]["findings"].clone()).expect("findings");
    let transfer = findings
        .iter()
        .find(|f| f.kind == FindingKind::FourthParty)
        .unwrap_or_else(|| panic!("the transfer is on the scorecard: {findings:#?}"));
    assert_eq!(transfer.severity, assay_core::template::Severity::High);
    assert!(transfer.reason.contains("Offshore Support Pvt Ltd"));
    assert!(
        transfer.holds_tier.is_some(),
        "an open High finding holds the residual tier"
    );

    // The PDF scorecard lists the register, the finding under its row; the JSON has it too.
    let pdf = get_with(&s.risk, &app.url(&s.path("/export.pdf")))
        .await
        .bytes()
        .await
        .expect("pdf");
    let file = app.data_dir().join("scorecard.pdf");
    std::fs::write(&file, &pdf).expect("written");
    let text = crate::exports::pdftotext(&file, false);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "Subprocessors",
        "Offshore Support",
        "India",
        "Cloud Hosting GmbH",
    ] {
        assert!(flat.contains(expected), "the PDF shows {expected}: {flat}");
    }
    let export: Value = get_with(&s.risk, &app.url(&s.path("/export.json")))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        export["subprocessors"].as_array().map(Vec::len),
        Some(2),
        "the JSON export carries the register"
    );

    // A mechanism put in place: the finding goes.
    let mut fixed = row("Offshore Support Pvt Ltd", &["IN"], "scc");
    fixed["mechanism"] = json!({ "kind": "scc", "module": 3 });
    let saved = put_register(
        &app,
        pro,
        vendor,
        &json!([row("Cloud Hosting GmbH", &["DE"], "none"), fixed]),
    )
    .await;
    let register: RegisterView = saved.json().await.expect("register");
    assert!(register.subprocessors.iter().all(|r| r.findings.is_empty()));

    // A refused row names itself, and nothing is saved.
    let refused = put_register(
        &app,
        pro,
        vendor,
        &json!([
            row("Cloud Hosting GmbH", &["DE"], "none"),
            row("  ", &["FR"], "none")
        ]),
    )
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = refused.json().await.expect("error");
    assert_eq!(body["error"]["field"], "subprocessors[1].name");
    let twice = put_register(
        &app,
        pro,
        vendor,
        &json!([
            row("Cloud Hosting GmbH", &["DE"], "none"),
            row("Cloud Hosting", &["DE"], "none")
        ]),
    )
    .await;
    assert_eq!(
        twice.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "one row per subprocessor"
    );
    let kept = register_of(&app, pro, vendor).await;
    assert_eq!(kept.subprocessors.len(), 2, "nothing accepted is lost");
}

#[tokio::test]
async fn the_vendor_gives_notice_through_the_portal_and_short_notice_is_a_finding() {
    let app = spawn_app().await;
    let s = submitted(&app).await;
    let vendor = s.sent.assessment.vendor_id;
    let contract = s
        .sent
        .procurement
        .put(app.url(&format!("/api/vendors/{vendor}/contract")))
        .json(&json!({ "breach_notification_hours": 72, "subprocessor_notice_days": 30, "start_date": "2025-01-01" }))
        .send()
        .await
        .expect("request");
    assert_eq!(contract.status(), StatusCode::OK);
    let today = time::OffsetDateTime::now_utc().date();
    let mut added = row("Helpdesk Tools Inc", &["DE"], "none");
    added["added_on"] = json!((today + time::Duration::days(10)).to_string());
    let notice = post_with(
        &s.vendor,
        &app.url("/api/portal/subprocessors"),
        &json!({ "change": "add", "subprocessor": added }),
    )
    .await;
    assert_eq!(notice.status(), StatusCode::OK, "{:?}", notice.text().await);
    let seen: RegisterView = notice.json().await.expect("register");
    assert_eq!(seen.subprocessors.len(), 1);
    assert_eq!(
        seen.subprocessors[0].entry.notice_given_on,
        Some(today),
        "the notice is dated the day it was given"
    );
    assert!(
        seen.subprocessors[0].findings.is_empty(),
        "the vendor does not read the client's findings"
    );

    let register = register_of(&app, &s.sent.procurement, vendor).await;
    let short = register.subprocessors[0]
        .findings
        .iter()
        .find(|f| {
            f.key()
                .starts_with("contract:subprocessor_notice:subprocessor_notice_short")
        })
        .expect("ten days' notice against thirty");
    assert!(
        short.message.contains("10 days' notice"),
        "{}",
        short.message
    );

    let removed = post_with(
        &s.vendor,
        &app.url("/api/portal/subprocessors"),
        &json!({ "change": "remove", "name": "Helpdesk Tools" }),
    )
    .await;
    assert_eq!(removed.status(), StatusCode::OK);
    let after: RegisterView = removed.json().await.expect("register");
    assert!(
        after.subprocessors.is_empty(),
        "legal forms aside, the same subprocessor"
    );
    let unknown = post_with(
        &s.vendor,
        &app.url("/api/portal/subprocessors"),
        &json!({ "change": "remove", "name": "Never Listed" }),
    )
    .await;
    assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let hostile = post_with(
        &s.vendor,
        &app.url("/api/portal/subprocessors"),
        &json!({ "change": "add", "subprocessor": row(&"x".repeat(100_000), &["DE"], "none") }),
    )
    .await;
    assert_eq!(hostile.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let admin = app.signed_in("admin@acme.test").await;
    let audits = register_audits(&app, &admin).await;
    assert_eq!(
        audits.len(),
        2,
        "each accepted change notice is audited: {audits:?}"
    );
}

async fn vendor(app: &TestApp, pro: &reqwest::Client, name: &str, criticality: &str) -> uuid::Uuid {
    let made: Value = post_with(
        pro,
        &app.url("/api/vendors"),
        &json!({ "legal_name": name, "system_access": "read_write", "criticality": criticality, "data_types": ["personal"] }),
    )
    .await
    .json()
    .await
    .expect("vendor");
    serde_json::from_value(made["id"].clone()).expect("id")
}

#[tokio::test]
async fn the_portfolio_sees_which_subprocessors_and_countries_many_vendors_share() {
    let app = spawn_app().await;
    app.create_user("Acme", "pro@acme.test", Role::Procurement)
        .await;
    let pro = app.signed_in("pro@acme.test").await;
    let a = vendor(&app, &pro, "Payroll Ltd", "critical").await;
    let b = vendor(&app, &pro, "CRM Ltd", "low").await;
    let c = vendor(&app, &pro, "Archive Ltd", "low").await;
    for (v, name) in [
        (a, "Amazon Web Services, Inc."),
        (b, "amazon web services"),
        (c, "Amazon Web Services Inc"),
    ] {
        let saved = put_register(&app, &pro, v, &json!([row(name, &["IE"], "adequacy")])).await;
        assert_eq!(saved.status(), StatusCode::OK);
    }
    let archived = pro
        .delete(app.url(&format!("/api/vendors/{c}")))
        .send()
        .await
        .expect("request");
    assert_eq!(archived.status(), StatusCode::NO_CONTENT);
    // Another organisation on the same cloud never shows in Acme's view.
    app.create_user("Globex", "pro@globex.test", Role::Procurement)
        .await;
    let globex = app.signed_in("pro@globex.test").await;
    let theirs = vendor(&app, &globex, "Globex Vendor", "critical").await;
    assert_eq!(
        put_register(
            &app,
            &globex,
            theirs,
            &json!([row("Amazon Web Services", &["IE"], "adequacy")])
        )
        .await
        .status(),
        StatusCode::OK
    );
    assert_eq!(
        get_with(
            &globex,
            &app.url(&format!("/api/vendors/{a}/subprocessors"))
        )
        .await
        .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        put_register(&app, &globex, a, &json!([])).await.status(),
        StatusCode::NOT_FOUND
    );

    let view: FourthPartiesView = get_with(&pro, &app.url("/api/fourth-parties"))
        .await
        .json()
        .await
        .expect("fourth parties");
    assert_eq!(view.vendors, 2, "active vendors with a register");
    let aws = view.subprocessors.first().expect("a dependency");
    assert_eq!(
        aws.vendors, 2,
        "one subprocessor however it is spelt; archived vendors left out"
    );
    assert_eq!(
        aws.sentence,
        format!("2 vendors, 1 of them Critical, depend on {}.", aws.name)
    );
    assert!(!aws.vendor_ids.contains(&theirs.to_string()));
    let ireland = view.countries.first().expect("a country");
    assert_eq!(ireland.key, "IE");
    assert_eq!(ireland.vendors, 2);
    assert_eq!(
        view.vendor_names.get(&a.to_string()).map(String::as_str),
        Some("Payroll Ltd"),
        "vendors are named, not only identified"
    );
    assert!(!view.vendor_names.contains_key(&theirs.to_string()));

    // The same as CSV, with names and tier counts; Globex's vendor is not in it.
    let csv = get_with(&pro, &app.url("/api/fourth-parties/export.csv")).await;
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(
        csv.headers()[reqwest::header::CONTENT_TYPE]
            .to_str()
            .is_ok_and(|t| t.starts_with("text/csv")),
        "a CSV file"
    );
    let text = csv.text().await.expect("body");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "Kind,Name,Vendors,Critical,High,Medium,Low,Which");
    assert!(
        lines.iter().any(|l| l.starts_with("Subprocessor,")
            && l.contains(",2,1,")
            && l.contains("Payroll Ltd")),
        "the shared subprocessor with its vendors and tiers: {text}"
    );
    assert!(
        lines.iter().any(|l| l.starts_with("Country,Ireland,2,")),
        "{text}"
    );
    assert!(
        !text.contains("Globex"),
        "no other organisation's vendor: {text}"
    );
}

#[tokio::test]
async fn concurrent_register_changes_from_both_sides_are_each_applied_once() {
    let app = spawn_app().await;
    let s = submitted(&app).await;
    let vendor = s.sent.assessment.vendor_id;
    let url = app.url(&format!("/api/vendors/{vendor}/subprocessors"));
    let client_side = (0..6).map(|i| {
        let (client, url) = (s.sent.procurement.clone(), url.clone());
        async move {
            client
                .put(url)
                .json(&json!([
                    row("Cloud Hosting GmbH", &["DE"], "adequacy"),
                    row(&format!("Client Listed {i}"), &["FR"], "adequacy")
                ]))
                .send()
                .await
                .expect("request")
                .status()
        }
    });
    let vendor_side = (0..6).map(|i| {
        let (client, url) = (s.vendor.clone(), app.url("/api/portal/subprocessors"));
        async move {
            client
                .post(url)
                .json(&json!({ "change": "add", "subprocessor": row(&format!("Vendor Added {i}"), &["IE"], "adequacy") }))
                .send()
                .await
                .expect("request")
                .status()
        }
    });
    let (a, b) = tokio::join!(
        futures_util::future::join_all(client_side),
        futures_util::future::join_all(vendor_side)
    );
    assert!(
        a.iter().chain(&b).all(|s| *s == StatusCode::OK),
        "every change is acknowledged, none fails: {a:?} {b:?}"
    );
    let register: RegisterView = get_with(&s.sent.procurement, &url)
        .await
        .json()
        .await
        .expect("register");
    let names: Vec<&str> = register
        .subprocessors
        .iter()
        .map(|r| r.entry.name.as_str())
        .collect();
    let mut unique = names.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(
        unique.len(),
        names.len(),
        "no subprocessor twice: {names:?}"
    );
    assert_eq!(
        names.iter().filter(|n| **n == "Cloud Hosting GmbH").count(),
        1,
        "the row both sides name is on the register once"
    );
}

#[tokio::test]
async fn hundreds_of_subprocessors_page_fifty_at_a_time_in_the_same_few_statements() {
    let app = spawn_app().await;
    app.create_user("Acme", "pro@acme.test", Role::Procurement)
        .await;
    let pro = app.signed_in("pro@acme.test").await;
    let big = vendor(&app, &pro, "Big Platform Ltd", "high").await;
    let small = vendor(&app, &pro, "Small Shop Ltd", "critical").await;
    let rows: Vec<Value> = (0..130)
        .map(|i| row(&format!("Provider {i:03}"), &["IE"], "adequacy"))
        .collect();
    assert_eq!(
        put_register(&app, &pro, big, &json!(rows)).await.status(),
        StatusCode::OK
    );
    // Three of them are shared: they come first.
    let shared: Vec<Value> = (0..3)
        .map(|i| row(&format!("Provider {i:03}"), &["DE"], "adequacy"))
        .collect();
    assert_eq!(
        put_register(&app, &pro, small, &json!(shared))
            .await
            .status(),
        StatusCode::OK
    );

    let mut seen: Vec<String> = Vec::new();
    let mut after: Option<String> = None;
    let mut statements = Vec::new();
    let mut pages = 0;
    loop {
        let url = match &after {
            None => app.url("/api/fourth-parties"),
            Some(a) => {
                reqwest::Url::parse_with_params(&app.url("/api/fourth-parties"), [("after", a)])
                    .expect("a URL")
                    .to_string()
            }
        };
        let before = app.queries.get();
        let response = get_with(&pro, &url).await;
        statements.push(app.queries.get() - before);
        assert_eq!(response.status(), StatusCode::OK, "page {pages}");
        let view: FourthPartiesView = response.json().await.expect("a page");
        pages += 1;
        assert_eq!(
            view.subprocessors_total, 130,
            "the total counts them all, on every page"
        );
        assert!(
            view.subprocessors.len() <= 50,
            "at most fifty a page, not {}",
            view.subprocessors.len()
        );
        assert_eq!(view.countries.len(), 2, "every country on every page");
        for d in &view.subprocessors {
            for id in &d.vendor_ids {
                assert!(
                    view.vendor_names.contains_key(id),
                    "each vendor on the page is named"
                );
            }
        }
        if pages == 1 {
            assert!(
                view.subprocessors[..3].iter().all(|d| d.vendors == 2),
                "the shared ones first"
            );
        }
        let mentioned: Vec<&String> = view
            .subprocessors
            .iter()
            .chain(&view.countries)
            .flat_map(|d| &d.vendor_ids)
            .collect();
        assert!(
            view.vendor_names.keys().all(|id| mentioned.contains(&id)),
            "only the vendors this page mentions are named"
        );
        seen.extend(view.subprocessors.into_iter().map(|d| d.key));
        match view.next {
            Some(next) => after = Some(next),
            None => break,
        }
        assert!(pages < 10, "the pages end");
    }
    assert_eq!(pages, 3, "130 subprocessors on three pages");
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(
        (seen.len(), unique.len()),
        (130, 130),
        "each subprocessor once"
    );
    assert!(
        statements.windows(2).all(|w| w[0] == w[1]),
        "every page costs the same statements: {statements:?}"
    );

    let refused = get_with(&pro, &app.url("/api/fourth-parties?after=not-a-cursor")).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = refused.json().await.expect("error body");
    assert_eq!(body["error"]["field"], "after", "{body}");
    // Hostile cursors: a number past any count, control characters, a huge key.
    let huge = format!("1~0~{}", "x".repeat(6_000));
    for (hostile, expected) in [
        (
            format!("{}~0~a", "9".repeat(40)),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        ("~~".to_owned(), StatusCode::UNPROCESSABLE_ENTITY),
        // Well formed, naming no subprocessor: the page after where it would stand.
        ("3~0~provider\u{0}".to_owned(), StatusCode::OK),
        (huge, StatusCode::OK),
    ] {
        let url =
            reqwest::Url::parse_with_params(&app.url("/api/fourth-parties"), [("after", &hostile)])
                .expect("a URL");
        let response = get_with(&pro, url.as_str()).await;
        assert_eq!(response.status(), expected, "after={hostile:.30}");
    }
    assert_eq!(
        get_with(&pro, &app.url("/api/fourth-parties"))
            .await
            .status(),
        StatusCode::OK,
        "the server keeps answering"
    );

    // The export holds them all, whatever the page.
    let csv = get_with(&pro, &app.url("/api/fourth-parties/export.csv"))
        .await
        .text()
        .await
        .expect("body");
    assert_eq!(
        csv.lines()
            .filter(|l| l.starts_with("Subprocessor,"))
            .count(),
        130,
        "every subprocessor in the export"
    );
}

/// A questionnaire whose table is the subprocessor register.
const REGISTER_TEMPLATE: &str = r#"{
  "title": "Register questionnaire",
  "items": [{ "type": "section", "id": "s", "title": "Subprocessors", "items": [
    { "type": "question", "id": "subs", "text": "List your subprocessors", "required": true,
      "kind": { "kind": "table", "register": true, "max_rows": 20, "columns": [
        { "id": "name", "label": "Name", "kind": { "kind": "short_text" }, "required": true },
        { "id": "service", "label": "Service", "kind": { "kind": "short_text" }, "required": true },
        { "id": "data_types", "label": "Data", "multiple": true, "kind": { "kind": "single_choice", "choices": [
          { "id": "personal", "label": "Personal data" }, { "id": "payment", "label": "Payment data" } ] } },
        { "id": "processing_countries", "label": "Processes in", "kind": { "kind": "country" }, "required": true, "multiple": true },
        { "id": "mechanism", "label": "Mechanism", "kind": { "kind": "single_choice", "choices": [
          { "id": "none", "label": "None" }, { "id": "scc2", "label": "SCC module 2" } ] } },
        { "id": "added_on", "label": "Used since", "kind": { "kind": "date" } }
      ] } }
  ] }]
}"#;

#[tokio::test]
async fn the_register_the_vendor_answers_in_the_questionnaire_becomes_the_register_on_submission() {
    let app = spawn_app().await;
    let sent = crate::assessments::send_template(&app, REGISTER_TEMPLATE, "json").await;
    let vendor_id = sent.assessment.vendor_id;
    let pro = &sent.procurement;
    let admin = app.signed_in("admin@acme.test").await;
    set_country(&app, &admin, "DE").await;

    // The client already keeps a register (received by email): one the vendor will list
    // again, one it will not.
    let saved = put_register(
        &app,
        pro,
        vendor_id,
        &json!([
            row("Cloud Hosting GmbH", &["DE"], "none"),
            row("Legacy Mail Ltd", &["DE"], "none")
        ]),
    )
    .await;
    assert_eq!(saved.status(), StatusCode::OK, "{:?}", saved.text().await);

    let vendor = crate::assessments::vendor_session(&app, &sent.token).await;
    // A row the register cannot hold is refused when saved, naming the row.
    let refused = crate::assessments::put_answer(
        &app,
        &vendor,
        "subs",
        &json!([{ "name": "x".repeat(300), "service": "Hosting", "processing_countries": "DE" }])
            .to_string(),
        0,
    )
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = refused.json().await.expect("error body");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("Row 1: the subprocessor's name must be at most")),
        "{body}"
    );
    // Hostile cells of several values: too many, a control character, an unknown choice.
    let many = (0..60)
        .map(|i| ["DE", "FR", "IE", "IN", "US", "GB"][i % 6])
        .collect::<Vec<_>>()
        .join(",");
    let sixty: String = assay_core::country::Country::all()
        .take(60)
        .map(|c| c.code().to_owned())
        .collect::<Vec<_>>()
        .join(",");
    for hostile in [
        json!([{ "name": "A", "service": "B", "processing_countries": sixty }]),
        json!([{ "name": "A", "service": "B", "processing_countries": "DE,\u{0007}FR" }]),
        json!([{ "name": "A", "service": "B", "processing_countries": "DE", "data_types": "personal,secrets" }]),
    ] {
        let refused =
            crate::assessments::put_answer(&app, &vendor, "subs", &hostile.to_string(), 0).await;
        assert_eq!(
            refused.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{hostile}: {:?}",
            refused.text().await
        );
    }
    let repeated = crate::assessments::put_answer(
        &app,
        &vendor,
        "subs",
        &json!([{ "name": "A", "service": "B", "processing_countries": many }]).to_string(),
        0,
    )
    .await;
    assert_eq!(
        repeated.status(),
        StatusCode::OK,
        "sixty mentions of six countries are six countries: {:?}",
        repeated.text().await
    );
    let rows = json!([
        { "name": "Cloud Hosting", "service": "Hosting", "data_types": "personal",
          "processing_countries": "de, ie", "mechanism": "none", "added_on": "2026-01-10" },
        { "name": "Offshore Support Pvt Ltd", "service": "Support desk",
          "data_types": "personal, payment", "processing_countries": "IN" },
    ]);
    let saved = crate::assessments::put_answer(&app, &vendor, "subs", &rows.to_string(), 1).await;
    assert_eq!(saved.status(), StatusCode::OK, "{:?}", saved.text().await);
    let unchanged = register_of(&app, pro, vendor_id).await;
    assert_eq!(
        unchanged.subprocessors.len(),
        2,
        "answers in progress do not change the register"
    );

    let submitted = post_with(&vendor, &app.url("/api/portal/submit"), &json!({})).await;
    assert!(
        submitted.status().is_success(),
        "{:?}",
        submitted.text().await
    );

    let register = register_of(&app, pro, vendor_id).await;
    let names: Vec<&str> = register
        .subprocessors
        .iter()
        .map(|r| r.entry.name.as_str())
        .collect();
    assert_eq!(
        names.len(),
        2,
        "the vendor's rows are the register; the one it no longer names is removed: {names:?}"
    );
    let cloud = register
        .subprocessors
        .iter()
        .find(|r| r.entry.name == "Cloud Hosting")
        .expect("the same subprocessor, legal form aside, updated in place");
    assert_eq!(
        cloud.entry.added_on.to_string(),
        "2025-01-15",
        "a subprocessor already on the register keeps the day it was added"
    );
    assert_eq!(
        cloud
            .entry
            .processing_countries
            .iter()
            .map(|c| c.code())
            .collect::<Vec<_>>(),
        ["DE", "IE"]
    );
    let offshore = register
        .subprocessors
        .iter()
        .find(|r| r.entry.name == "Offshore Support Pvt Ltd")
        .expect("the new subprocessor");
    let transfer = offshore
        .findings
        .iter()
        .find(|f| f.message.contains("India"))
        .expect("personal data to India without a mechanism is caught from the answer");
    assert_eq!(transfer.severity, assay_core::template::Severity::High);

    // The scorecard recorded on submission already reads the new register.
    let scorecard: Value = get_with(
        pro,
        &app.url(&format!(
            "/api/assessments/{}/scorecard",
            sent.assessment.id
        )),
    )
    .await
    .json()
    .await
    .expect("scorecard");
    assert!(
        scorecard.to_string().contains("Offshore Support Pvt Ltd"),
        "the transfer finding is on the submitted scorecard: {scorecard}"
    );

    let audits = register_audits(&app, &admin).await;
    let from_answers = audits
        .iter()
        .find(|e| e["detail"]["from_assessment"].is_string())
        .unwrap_or_else(|| panic!("the change from the answers is audited: {audits:?}"));
    assert_eq!(
        from_answers["detail"]["removed"],
        json!(["Legacy Mail Ltd"]),
        "{from_answers}"
    );
    let verify = app.audit_verification(&admin).await;
    assert_eq!(
        verify["intact"],
        json!(true),
        "the audit chain is whole: {verify}"
    );
}

#[tokio::test]
async fn a_submission_racing_register_writes_from_the_client_neither_fails_nor_loses_either() {
    let app = spawn_app().await;
    let sent = crate::assessments::send_template(&app, REGISTER_TEMPLATE, "json").await;
    let vendor_id = sent.assessment.vendor_id;
    let vendor = crate::assessments::vendor_session(&app, &sent.token).await;
    let rows = json!([{ "name": "Answered Hosting", "service": "Hosting",
                        "processing_countries": "DE", "mechanism": "none" }]);
    let saved = crate::assessments::put_answer(&app, &vendor, "subs", &rows.to_string(), 0).await;
    assert_eq!(saved.status(), StatusCode::OK, "{:?}", saved.text().await);

    let url = app.url(&format!("/api/vendors/{vendor_id}/subprocessors"));
    let client_side = (0..8).map(|i| {
        let (client, url) = (sent.procurement.clone(), url.clone());
        async move {
            client
                .put(url)
                .json(&json!([row(
                    &format!("Client Listed {i}"),
                    &["FR"],
                    "adequacy"
                )]))
                .send()
                .await
                .expect("request")
                .status()
        }
    });
    let (submit_url, empty) = (app.url("/api/portal/submit"), json!({}));
    let submit = post_with(&vendor, &submit_url, &empty);
    let (writes, submitted) = tokio::join!(futures_util::future::join_all(client_side), submit);
    assert!(
        writes.iter().all(|s| *s == StatusCode::OK),
        "every client write is acknowledged: {writes:?}"
    );
    assert!(
        submitted.status().is_success(),
        "the submission is acknowledged: {:?}",
        submitted.text().await
    );
    // Each writer replaced the whole register in turn: whichever came last, the register is
    // one of the whole registers written, never a mixture or a duplicate.
    let register: RegisterView = get_with(&sent.procurement, &url)
        .await
        .json()
        .await
        .expect("register");
    let names: Vec<&str> = register
        .subprocessors
        .iter()
        .map(|r| r.entry.name.as_str())
        .collect();
    assert_eq!(
        names.len(),
        1,
        "one whole register, not a mixture: {names:?}"
    );
    let admin = app.signed_in("admin@acme.test").await;
    let audits = register_audits(&app, &admin).await;
    assert_eq!(
        audits.len(),
        9,
        "eight client writes and the submission, each audited: {audits:?}"
    );
    let verify = app.audit_verification(&admin).await;
    assert_eq!(
        verify["intact"],
        json!(true),
        "the audit chain is whole: {verify}"
    );
}
