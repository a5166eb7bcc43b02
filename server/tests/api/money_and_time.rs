//! Money across currencies and times in the organisation's own zone: an Admin keeps dated
//! exchange-rate tables that scoring converts amounts with (and names), and sets the time
//! zone people read times in.

use assay_core::access::Role;
use assay_core::api::{ExchangeRatesView, Me, ScorecardView};
use assay_core::scoring::FindingKind;
use reqwest::StatusCode;
use serde_json::{Value, json};
use time::Duration;

use crate::assessments::{put_answer, send_template, vendor_session};
use crate::helpers::{TestApp, get_with, post_with, spawn_app};

/// Insurance cover judged against the contract's minimum.
const INSURED: &str = r#"{
  "title": "Insurance mini",
  "items": [{ "type": "section", "id": "s", "title": "Insurance", "items": [
    { "type": "question", "id": "ins_amount", "text": "What is the coverage limit per claim?", "kind": { "kind": "money" }, "required": true, "na_allowed": false }
  ]}],
  "scoring": {
    "questions": {
      "ins_amount": { "category": "insurance", "weight": 1, "rule": { "rule": "at_least", "threshold": "contract_minimum_insurance" } }
    }
  }
}"#;

async fn put_json(client: &reqwest::Client, url: &str, body: &Value) -> reqwest::Response {
    client
        .put(url)
        .json(body)
        .send()
        .await
        .expect("request should reach the test server")
}

async fn rates(client: &reqwest::Client, app: &TestApp) -> ExchangeRatesView {
    let response = get_with(client, &app.url("/api/settings/exchange-rates")).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("exchange rates")
}

fn day(app: &TestApp, days_ago: i64) -> String {
    (app.clock.now() - Duration::days(days_ago))
        .date()
        .to_string()
}

async fn error_field(response: reqwest::Response) -> (StatusCode, Option<String>) {
    let status = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    (
        status,
        body["error"]["field"].as_str().map(ToOwned::to_owned),
    )
}

#[tokio::test]
async fn an_amount_in_another_currency_is_judged_through_the_admins_dated_rates() {
    let app = spawn_app().await;
    let sent = send_template(&app, INSURED, "json").await;
    let contract = sent
        .procurement
        .put(app.url(&format!(
            "/api/vendors/{}/contract",
            sent.assessment.vendor_id
        )))
        .json(&json!({ "minimum_insurance": "5000000 EUR" }))
        .send()
        .await
        .expect("contract");
    assert_eq!(contract.status(), StatusCode::OK);
    let vendor = vendor_session(&app, &sent.token).await;
    let saved = put_answer(&app, &vendor, "ins_amount", "USD 6,000,000", 0).await;
    assert_eq!(saved.status(), StatusCode::OK, "{:?}", saved.text().await);
    let submit = post_with(&vendor, &app.url("/api/portal/submit"), &json!({})).await;
    assert_eq!(submit.status(), StatusCode::OK);
    app.create_user("Acme", "risk@acme.test", Role::RiskManager)
        .await;
    let risk = app.signed_in("risk@acme.test").await;
    let admin = app.signed_in("admin@acme.test").await;
    let scorecard = format!("/api/assessments/{}/scorecard", sent.assessment.id);
    let card = || async {
        let response = get_with(&risk, &app.url(&scorecard)).await;
        assert_eq!(response.status(), StatusCode::OK);
        response.json::<ScorecardView>().await.expect("scorecard")
    };

    let before = card().await;
    assert!(
        before
            .card
            .findings
            .iter()
            .any(|f| f.kind == FindingKind::CannotCompareCurrency),
        "without rates, USD cannot be compared with a EUR minimum: {:#?}",
        before.card.findings
    );
    assert!(rates(&risk, &app).await.current.is_none());

    // Bad tables are refused naming the field, and nothing is kept.
    let url = app.url("/api/settings/exchange-rates");
    for (body, field) in [
        (
            json!({ "base": "EURO", "quoted_on": day(&app, 1), "rates": [] }),
            "base",
        ),
        (
            json!({ "base": "EUR", "quoted_on": day(&app, 1), "rates": [{ "currency": "EUX", "rate": 1.0 }] }),
            "rates[0].currency",
        ),
        (
            json!({ "base": "EUR", "quoted_on": day(&app, 1), "rates": [{ "currency": "USD", "rate": -0.9 }] }),
            "rates[0].rate",
        ),
        (
            json!({ "base": "EUR", "quoted_on": day(&app, -1), "rates": [{ "currency": "USD", "rate": 0.9 }] }),
            "quoted_on",
        ),
        (
            json!({ "base": "EUR", "quoted_on": "yesterday", "rates": [{ "currency": "USD", "rate": 0.9 }] }),
            "quoted_on",
        ),
    ] {
        let (status, got) = error_field(put_json(&admin, &url, &body).await).await;
        assert_eq!(
            (status, got.as_deref()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some(field)),
            "{body}"
        );
    }
    let many: Vec<Value> = (0..5_000)
        .map(|_| json!({ "currency": "USD", "rate": 0.9 }))
        .collect();
    let (status, _) = error_field(
        put_json(
            &admin,
            &url,
            &json!({ "base": "EUR", "quoted_on": day(&app, 1), "rates": many }),
        )
        .await,
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a huge table is refused"
    );
    let good = json!({ "base": "EUR", "quoted_on": day(&app, 2), "rates": [{ "currency": "usd", "rate": 0.9 }] });
    assert_eq!(
        put_json(&risk, &url, &good).await.status(),
        StatusCode::FORBIDDEN,
        "only Admins change the rates"
    );
    assert!(
        rates(&admin, &app).await.current.is_none(),
        "nothing was kept"
    );

    let saved = put_json(&admin, &url, &good).await;
    assert_eq!(saved.status(), StatusCode::OK, "{:?}", saved.text().await);
    let saved: ExchangeRatesView = saved.json().await.expect("rates");
    let current = saved.current.expect("a current table");
    assert_eq!(current.base, "EUR");
    assert_eq!(current.rates.len(), 1);
    assert_eq!(
        current.rates[0].currency, "USD",
        "codes are stored upper case"
    );

    let converted = card().await;
    assert!(
        !converted
            .card
            .findings
            .iter()
            .any(|f| f.question_id.as_deref() == Some("ins_amount")),
        "USD 6,000,000 at 0.9 is EUR 5,400,000, above the minimum: {:#?}",
        converted.card.findings
    );
    assert_eq!(
        converted.version, before.version,
        "saving rates records nothing in the request"
    );
    let report = app.scheduler.run_once().await.expect("round");
    assert_eq!(
        report.scorecards, 1,
        "the sweep records the card under the new rates"
    );
    assert_eq!(card().await.version, before.version + 1);

    let lower = json!({ "base": "EUR", "quoted_on": day(&app, 0), "rates": [{ "currency": "USD", "rate": 0.8 }] });
    assert_eq!(
        put_json(&admin, &url, &lower).await.status(),
        StatusCode::OK
    );
    let short = card().await;
    let finding = short
        .card
        .findings
        .iter()
        .find(|f| f.question_id.as_deref() == Some("ins_amount"))
        .expect("EUR 4,800,000 is below the minimum");
    assert!(
        finding
            .title
            .contains("4,800,000 EUR answered, 5,000,000 EUR required"),
        "{}",
        finding.title
    );
    assert!(
        finding
            .reason
            .contains("converted at 1 USD = 0.8 EUR (rates of"),
        "the reason names the rate used: {}",
        finding.reason
    );
    let history = rates(&risk, &app).await;
    assert_eq!(history.earlier.len(), 1, "the earlier table is kept");
    assert_eq!(history.earlier[0].rates[0].rate, 0.9);

    let audit = get_with(&admin, &app.url("/api/audit?action=exchange_rates.updated")).await;
    let text = audit.text().await.expect("audit");
    assert!(
        text.matches("exchange_rates.updated").count() >= 2,
        "both saves are audited: {text}"
    );

    app.create_user("Other", "admin@other.test", Role::Admin)
        .await;
    let other = app.signed_in("admin@other.test").await;
    assert!(
        rates(&other, &app).await.current.is_none(),
        "another organisation never sees these rates"
    );
}

#[tokio::test]
async fn an_admin_sets_the_time_zone_and_bad_names_are_refused() {
    let app = spawn_app().await;
    app.create_user("Acme", "admin@acme.test", Role::Admin)
        .await;
    app.create_user("Acme", "pro@acme.test", Role::Procurement)
        .await;
    let admin = app.signed_in("admin@acme.test").await;
    let pro = app.signed_in("pro@acme.test").await;
    let me = |client: reqwest::Client| {
        let url = app.url("/api/auth/me");
        async move {
            let response = get_with(&client, &url).await;
            response.json::<Me>().await.expect("me")
        }
    };
    assert_eq!(me(admin.clone()).await.organization.time_zone, "UTC");
    let url = app.url("/api/organization");
    let patch = |client: &reqwest::Client, body: Value| {
        let request = client.patch(&url).json(&body);
        async move { request.send().await.expect("request") }
    };
    for name in [
        json!("Mars/Olympus"),
        json!("Europe/Berlin\u{0}"),
        json!("../../etc/localtime"),
        json!("A".repeat(100_000)),
        json!(""),
    ] {
        let (status, field) = error_field(patch(&admin, json!({ "time_zone": name })).await).await;
        assert_eq!(
            (status, field.as_deref()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("time_zone")),
            "{name:.40}"
        );
    }
    assert_eq!(
        patch(&pro, json!({ "time_zone": "Europe/Berlin" }))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let set = patch(&admin, json!({ "time_zone": "Europe/Berlin" })).await;
    assert_eq!(set.status(), StatusCode::OK);
    let org = me(pro.clone()).await.organization;
    assert_eq!(org.time_zone, "Europe/Berlin", "everyone reads times in it");
    assert!(!org.require_mfa, "what was left out stays");
    let mfa = patch(&admin, json!({ "require_mfa": true })).await;
    assert_eq!(mfa.status(), StatusCode::OK);
    let org = me(admin.clone()).await.organization;
    assert_eq!(
        (org.require_mfa, org.time_zone.as_str()),
        (true, "Europe/Berlin")
    );
}
