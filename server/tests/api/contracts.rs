//! Contracts in full (#17): every save is a new version kept in the history, a term that is
//! not sane is refused naming its field with nothing lost, the vendor's answers are checked
//! against each term a question is mapped to, the organisation's policy raises findings for
//! terms a contract lacks, concurrent saves each get their own version, and another
//! organisation sees none of it.

use assay_core::access::Role;
use assay_core::api::{ContractVersionView, ContractView, CursorPage, ScorecardView, VendorView};
use assay_core::scoring::FindingKind;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::assessments::{put_answer, send_template, vendor_session};
use crate::helpers::{TestApp, get_with, post_with, spawn_app};

/// Two questions mapped to contract terms: the SLA and the right to object.
const TERMS: &str = r#"{
  "title": "Contract terms mini",
  "items": [{ "type": "section", "id": "s", "title": "Service", "items": [
    { "type": "question", "id": "sla", "text": "What availability do you commit to (%)?", "kind": { "kind": "number", "unit": "%" }, "required": true, "na_allowed": false },
    { "type": "question", "id": "object", "text": "Can we object to a new subprocessor?", "kind": { "kind": "yes_no" }, "required": true, "na_allowed": false },
    { "type": "question", "id": "enc", "text": "Is data encrypted at rest?", "kind": { "kind": "yes_no" }, "required": true, "na_allowed": false }
  ]}],
  "scoring": {
    "questions": {
      "enc": { "category": "encryption", "weight": 1, "rule": { "rule": "yes_no", "yes": 1.0, "no": 0.0 } }
    },
    "contract_terms": { "sla_percent": "sla", "right_to_object": "object" }
  }
}"#;

async fn put_contract(
    app: &TestApp,
    client: &reqwest::Client,
    vendor: uuid::Uuid,
    terms: &Value,
) -> reqwest::Response {
    client
        .put(app.url(&format!("/api/vendors/{vendor}/contract")))
        .json(terms)
        .send()
        .await
        .expect("request")
}

async fn contract(app: &TestApp, client: &reqwest::Client, vendor: uuid::Uuid) -> ContractView {
    let response = get_with(client, &app.url(&format!("/api/vendors/{vendor}/contract"))).await;
    assert_eq!(response.status(), StatusCode::OK, "the contract reads");
    response.json().await.expect("a contract view")
}

async fn history(
    app: &TestApp,
    client: &reqwest::Client,
    vendor: uuid::Uuid,
    after: Option<&str>,
) -> CursorPage<ContractVersionView> {
    let url = match after {
        Some(after) => format!("/api/vendors/{vendor}/contracts?after={after}"),
        None => format!("/api/vendors/{vendor}/contracts"),
    };
    let response = get_with(client, &app.url(&url)).await;
    assert_eq!(response.status(), StatusCode::OK, "the history reads");
    response.json().await.expect("a page of versions")
}

#[tokio::test]
async fn every_save_is_a_version_with_who_and_when_and_a_refused_term_loses_nothing() {
    let app = spawn_app().await;
    let sent = send_template(&app, TERMS, "json").await;
    let pro = &sent.procurement;
    let vendor = sent.assessment.vendor_id;

    let none = contract(&app, pro, vendor).await;
    assert_eq!(none.version, 0, "no terms yet");

    let first = json!({
        "breach_notification_hours": 48, "sla_percent": 99.9, "right_to_object": true,
        "liability_cap": "EUR 2,000,000", "required_liability_cap": "5000000 EUR",
        "governing_law": { "country": "DE", "jurisdiction": "Frankfurt am Main" },
        "start_date": "2026-01-01", "renewal_date": "2027-12-31", "notice_date": "2027-09-30"
    });
    let saved = put_contract(&app, pro, vendor, &first).await;
    assert_eq!(saved.status(), StatusCode::OK, "{:?}", saved.text().await);
    let mut second = first.clone();
    second["sla_percent"] = json!(99.95);
    assert_eq!(
        put_contract(&app, pro, vendor, &second).await.status(),
        StatusCode::OK
    );

    let now = contract(&app, pro, vendor).await;
    assert_eq!(now.version, 2);
    assert_eq!(now.terms.sla_percent, Some(99.95));
    assert!(
        now.changed_by.as_deref().is_some_and(|n| !n.is_empty()),
        "who saved it, by name: {:?}",
        now.changed_by
    );
    assert!(now.changed_at.is_some());
    let shortfall = now
        .findings
        .iter()
        .find(|f| f.key() == "contract:liability_cap:term_too_weak")
        .expect("a cap below the required minimum is raised by the terms alone");
    assert!(
        shortfall.message.contains("2,000,000 EUR") && shortfall.message.contains("5,000,000 EUR"),
        "{}",
        shortfall.message
    );

    for (terms, field) in [
        (json!({ "sla_percent": 120 }), "sla_percent"),
        (
            json!({ "renewal_date": "2027-01-01", "notice_date": "2027-06-01" }),
            "notice_date",
        ),
        (json!({ "liability_cap": "lots" }), ""),
        (json!({ "currency": "EUR" }), ""),
        (
            json!({ "data_return_format": "x".repeat(100_000) }),
            "data_return_format",
        ),
    ] {
        let refused = put_contract(&app, pro, vendor, &terms).await;
        assert!(
            refused.status().is_client_error(),
            "{terms}: refused, got {}",
            refused.status()
        );
        let body: Value = refused.json().await.expect("an error body");
        assert!(
            body["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "{terms}: a readable message: {body}"
        );
        if !field.is_empty() {
            assert_eq!(body["error"]["field"], field, "{terms}: names its field");
        }
    }
    let kept = contract(&app, pro, vendor).await;
    assert_eq!(kept.version, 2, "refused saves add no version");
    assert_eq!(
        kept.terms.sla_percent,
        Some(99.95),
        "nothing accepted is lost"
    );

    let page = history(&app, pro, vendor, None).await;
    assert_eq!(page.total, 2);
    let versions: Vec<u32> = page.items.iter().map(|v| v.version).collect();
    assert_eq!(versions, [2, 1], "newest first");
    assert_eq!(
        page.items[1].terms.sla_percent,
        Some(99.9),
        "the old terms are kept"
    );
    assert!(page.next.is_none());

    let admin = app.signed_in("admin@acme.test").await;
    let audit: Value = get_with(
        &admin,
        &app.url("/api/audit?action=vendor.contract_updated"),
    )
    .await
    .json()
    .await
    .expect("audit");
    assert_eq!(
        audit["items"].as_array().map(Vec::len),
        Some(2),
        "each accepted save is audited, refused ones not: {audit}"
    );
}

#[tokio::test]
async fn a_long_history_pages_fifty_at_a_time_without_gaps_or_repeats() {
    let app = spawn_app().await;
    let sent = send_template(&app, TERMS, "json").await;
    let pro = &sent.procurement;
    let vendor = sent.assessment.vendor_id;
    for hours in 1..=55 {
        let saved = put_contract(
            &app,
            pro,
            vendor,
            &json!({ "breach_notification_hours": hours }),
        )
        .await;
        assert_eq!(saved.status(), StatusCode::OK);
    }
    let first = history(&app, pro, vendor, None).await;
    assert_eq!(first.total, 55);
    assert_eq!(first.items.len(), 50);
    let next = first.next.clone().expect("a second page");
    let second = history(&app, pro, vendor, Some(&next)).await;
    assert_eq!(second.total, 55, "the total does not change with the page");
    let all: Vec<u32> = first
        .items
        .iter()
        .chain(&second.items)
        .map(|v| v.version)
        .collect();
    assert_eq!(all, (1..=55).rev().collect::<Vec<u32>>());
    assert!(second.next.is_none());
    let bad = get_with(
        pro,
        &app.url(&format!("/api/vendors/{vendor}/contracts?after=soon")),
    )
    .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn concurrent_saves_each_become_their_own_version() {
    let app = spawn_app().await;
    let sent = send_template(&app, TERMS, "json").await;
    let vendor = sent.assessment.vendor_id;
    let saves = (1..=12).map(|hours| {
        let client = sent.procurement.clone();
        let url = app.url(&format!("/api/vendors/{vendor}/contract"));
        async move {
            client
                .put(url)
                .json(&json!({ "breach_notification_hours": hours }))
                .send()
                .await
                .expect("request")
                .status()
        }
    });
    let statuses = futures_util::future::join_all(saves).await;
    assert!(
        statuses.iter().all(|s| *s == StatusCode::OK),
        "every save is acknowledged, none fails: {statuses:?}"
    );
    let page = history(&app, &sent.procurement, vendor, None).await;
    let mut versions: Vec<u32> = page.items.iter().map(|v| v.version).collect();
    versions.sort_unstable();
    assert_eq!(
        versions,
        (1..=12).collect::<Vec<u32>>(),
        "one version per save"
    );
    let mut hours: Vec<u32> = page
        .items
        .iter()
        .filter_map(|v| v.terms.breach_notification_hours)
        .map(|h| h as u32)
        .collect();
    hours.sort_unstable();
    assert_eq!(hours, (1..=12).collect::<Vec<u32>>(), "no save is lost");
}

async fn scorecard(
    app: &TestApp,
    client: &reqwest::Client,
    assessment: uuid::Uuid,
) -> ScorecardView {
    let response = get_with(
        client,
        &app.url(&format!("/api/assessments/{assessment}/scorecard")),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("scorecard")
}

#[tokio::test]
async fn answers_meet_the_terms_and_the_policy_raises_what_the_contract_lacks() {
    let app = spawn_app().await;
    let sent = send_template(&app, TERMS, "json").await;
    let pro = &sent.procurement;
    let vendor = sent.assessment.vendor_id;
    let patched = pro
        .patch(app.url(&format!("/api/vendors/{vendor}")))
        .json(&json!({ "data_types": ["personal"] }))
        .send()
        .await
        .expect("request");
    assert_eq!(patched.status(), StatusCode::OK);
    let saved = put_contract(
        &app,
        pro,
        vendor,
        &json!({ "sla_percent": 99.9, "right_to_object": true }),
    )
    .await;
    assert_eq!(saved.status(), StatusCode::OK);

    let portal = vendor_session(&app, &sent.token).await;
    for (q, v) in [("sla", "99.5"), ("object", "no"), ("enc", "yes")] {
        assert_eq!(
            put_answer(&app, &portal, q, v, 0).await.status(),
            StatusCode::OK
        );
    }
    let submit = post_with(&portal, &app.url("/api/portal/submit"), &json!({})).await;
    assert_eq!(submit.status(), StatusCode::OK);

    let card = scorecard(&app, pro, sent.assessment.id).await.card;
    let sla = card
        .findings
        .iter()
        .find(|f| f.key == "contract:sla:answer_falls_short")
        .unwrap_or_else(|| panic!("the SLA gap is a finding: {:#?}", card.findings));
    assert_eq!(
        sla.reason,
        "SLA answered 99.5 %; the contract requires 99.9 %."
    );
    assert_eq!(
        sla.question_id.as_deref(),
        Some("sla"),
        "on the question that answered it"
    );
    assert!(
        card.findings
            .iter()
            .any(|f| f.key == "contract:right_to_object:answer_falls_short"),
        "the right to object denied: {:#?}",
        card.findings
    );
    assert!(
        card.findings
            .iter()
            .all(|f| f.kind != FindingKind::ContractPolicy),
        "no policy yet"
    );

    // The Admin sets a policy: a DPA for vendors handling personal data (this one), a
    // right to audit for health data (not this one).
    let admin = app.signed_in("admin@acme.test").await;
    let policy = json!({ "rules": [
        { "scope": { "data_types": ["personal"] }, "require": { "term": "dpa" }, "severity": "high" },
        { "scope": { "data_types": ["health"] }, "require": { "term": "right_to_audit" } }
    ]});
    let refused = pro
        .put(app.url("/api/settings/policy"))
        .json(&policy)
        .send()
        .await
        .expect("request");
    assert_eq!(
        refused.status(),
        StatusCode::FORBIDDEN,
        "only an Admin sets the policy"
    );
    let set = admin
        .put(app.url("/api/settings/policy"))
        .json(&policy)
        .send()
        .await
        .expect("request");
    assert_eq!(set.status(), StatusCode::OK, "{:?}", set.text().await);
    let read: Value = get_with(pro, &app.url("/api/settings/policy"))
        .await
        .json()
        .await
        .expect("policy");
    assert_eq!(read["rules"].as_array().map(Vec::len), Some(2));

    let card = scorecard(&app, pro, sent.assessment.id).await.card;
    let dpa = card
        .findings
        .iter()
        .find(|f| f.key == "contract:dpa:term_missing")
        .unwrap_or_else(|| panic!("the missing DPA is a finding: {:#?}", card.findings));
    assert_eq!(dpa.kind, FindingKind::ContractPolicy);
    assert!(dpa.reason.contains("personal data"), "{}", dpa.reason);
    assert!(
        card.findings
            .iter()
            .all(|f| f.key != "contract:right_to_audit:term_missing"),
        "the health-data rule is not for this vendor"
    );
    let view = contract(&app, pro, vendor).await;
    assert!(
        view.findings
            .iter()
            .any(|f| f.key() == "contract:dpa:term_missing"),
        "the vendor's contract says what it lacks"
    );

    // The DPA goes into the contract: the finding goes.
    let saved = put_contract(
        &app,
        pro,
        vendor,
        &json!({ "sla_percent": 99.9, "right_to_object": true, "dpa_in_place": true }),
    )
    .await;
    let vendor_view: VendorView = saved.json().await.expect("vendor");
    assert!(
        vendor_view.contract.expect("contract").findings.is_empty(),
        "nothing lacking any more"
    );
    let card = scorecard(&app, pro, sent.assessment.id).await.card;
    assert!(
        card.findings
            .iter()
            .all(|f| f.key != "contract:dpa:term_missing")
    );

    for bad in [
        json!({ "rules": [{ "require": { "term": "min_sla_percent", "percent": 140 } }] }),
        json!({ "rules": [{ "require": { "term": "teleportation" } }] }),
    ] {
        let refused = admin
            .put(app.url("/api/settings/policy"))
            .json(&bad)
            .send()
            .await
            .expect("request");
        assert!(
            refused.status().is_client_error(),
            "{bad}: {}",
            refused.status()
        );
    }
}

#[tokio::test]
async fn another_organisation_sees_neither_contracts_nor_policy() {
    let app = spawn_app().await;
    let sent = send_template(&app, TERMS, "json").await;
    let vendor = sent.assessment.vendor_id;
    assert_eq!(
        put_contract(
            &app,
            &sent.procurement,
            vendor,
            &json!({ "sla_percent": 99.9 })
        )
        .await
        .status(),
        StatusCode::OK
    );
    app.create_user("Globex", "admin@globex.test", Role::Admin)
        .await;
    let stranger = app.signed_in("admin@globex.test").await;
    for path in [
        format!("/api/vendors/{vendor}/contract"),
        format!("/api/vendors/{vendor}/contracts"),
    ] {
        assert_eq!(
            get_with(&stranger, &app.url(&path)).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    assert_eq!(
        put_contract(&app, &stranger, vendor, &json!({ "sla_percent": 1 }))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let theirs = stranger
        .put(app.url("/api/settings/policy"))
        .json(&json!({ "rules": [{ "require": { "term": "dpa" } }] }))
        .send()
        .await
        .expect("request");
    assert_eq!(theirs.status(), StatusCode::OK);
    let ours: Value = get_with(&sent.procurement, &app.url("/api/settings/policy"))
        .await
        .json()
        .await
        .expect("policy");
    assert_eq!(
        ours["rules"],
        json!([]),
        "another organisation's policy is its own"
    );
    let still = contract(&app, &sent.procurement, vendor).await;
    assert_eq!(still.terms.sla_percent, Some(99.9));
    assert!(still.findings.is_empty());
}

#[tokio::test]
async fn terms_kept_before_versions_become_version_one_with_their_money_and_dates() {
    use migrations::{Migrator, MigratorTrait};
    use sea_orm::ConnectionTrait;
    use sea_orm::sea_query::{Alias, Query};

    let app = spawn_app().await;
    let sent = send_template(&app, TERMS, "json").await;
    let vendor = sent.assessment.vendor_id;
    let since_versions = Migrator::migrations()
        .iter()
        .rev()
        .position(|m| m.name() == "m20261214_000027_contract_versions")
        .expect("the contract versions migration")
        + 1;
    Migrator::down(&app.db, Some(since_versions as u32))
        .await
        .expect("back to one row of terms per vendor");
    let mut insert = Query::insert();
    insert
        .into_table(Alias::new("vendor_contracts"))
        .columns(
            [
                "vendor_id",
                "contract_value",
                "currency",
                "renewal_date",
                "breach_notification_hours",
                "right_to_audit",
                "minimum_insurance",
                "liability_cap",
                "dpa_in_place",
                "updated_at",
            ]
            .map(Alias::new),
        )
        .values_panic([
            vendor.into(),
            180_000_i64.into(),
            "GBP".into(),
            time::macros::date!(2027 - 09 - 30).into(),
            24_i32.into(),
            true.into(),
            5_000_000_i64.into(),
            Option::<i64>::None.into(),
            false.into(),
            time::OffsetDateTime::now_utc().into(),
        ]);
    app.db.execute(&insert).await.expect("a legacy row");
    Migrator::up(&app.db, None).await.expect("migrated again");

    let carried = contract(&app, &sent.procurement, vendor).await;
    assert_eq!(carried.version, 1);
    let terms = carried.terms;
    assert_eq!(terms.breach_notification_hours, Some(24.0));
    assert_eq!(terms.right_to_audit, Some(true));
    assert_eq!(terms.dpa_in_place, Some(false));
    assert_eq!(
        terms.value.map(|m| m.to_string()),
        Some("180000 GBP".to_owned())
    );
    assert_eq!(
        terms.minimum_insurance.map(|m| m.to_string()),
        Some("5000000 GBP".to_owned())
    );
    assert_eq!(terms.liability_cap, None);
    assert_eq!(
        terms.renewal_date.map(|d| d.to_string()),
        Some("2027-09-30".to_owned())
    );
    assert_eq!(
        carried.changed_by, None,
        "no one is named for carried-over terms"
    );
    let next = put_contract(
        &app,
        &sent.procurement,
        vendor,
        &json!({ "breach_notification_hours": 12 }),
    )
    .await;
    assert_eq!(next.status(), StatusCode::OK);
    assert_eq!(contract(&app, &sent.procurement, vendor).await.version, 2);
}

#[tokio::test]
async fn the_owner_hears_ninety_and_thirty_days_before_the_notice_date_with_the_scorecard() {
    use crate::schedules::{at_day, of_kind, round};

    let app = spawn_app().await;
    let s = crate::review::submitted(&app).await;
    let vendor = s.sent.assessment.vendor_id;
    let owner = app
        .create_user("Acme", "owner@acme.test", Role::RiskManager)
        .await;
    let owned = s
        .sent
        .procurement
        .patch(app.url(&format!("/api/vendors/{vendor}")))
        .json(&json!({ "owner_id": owner.id }))
        .send()
        .await
        .expect("request");
    assert_eq!(owned.status(), StatusCode::OK);
    let today = time::OffsetDateTime::now_utc().date();
    let notice = today + time::Duration::days(100);
    let renews = today + time::Duration::days(190);
    let saved = put_contract(
        &app,
        &s.sent.procurement,
        vendor,
        &json!({ "breach_notification_hours": 72, "notice_date": notice.to_string(), "renewal_date": renews.to_string() }),
    )
    .await;
    assert_eq!(saved.status(), StatusCode::OK, "{:?}", saved.text().await);

    let mut reminded = 0;
    for (day, expected) in [
        (0, 0),
        (9, 0),
        (10, 1),
        (11, 0),
        (50, 0),
        (70, 1),
        (71, 0),
        (100, 0),
        (101, 0),
    ] {
        at_day(&app, day);
        let report = round(&app).await;
        assert_eq!(report.renewals, expected, "day {day}");
        reminded += expected;
    }
    assert_eq!(reminded, 2);
    // Saving the contract again with the same notice date sends nothing new.
    let again = put_contract(
        &app,
        &s.sent.procurement,
        vendor,
        &json!({ "breach_notification_hours": 48, "notice_date": notice.to_string(), "renewal_date": renews.to_string() }),
    )
    .await;
    assert_eq!(again.status(), StatusCode::OK);
    at_day(&app, 72);
    assert_eq!(round(&app).await.renewals, 0, "one reminder per window");

    let emails = of_kind(&app, "renewal").await;
    assert_eq!(emails.len(), 2);
    assert!(emails.iter().all(|m| m.recipient == "owner@acme.test"));
    let first = emails.last().expect("the 90-day reminder");
    assert_eq!(
        first.subject,
        "Decide on renewing Vendor Ltd: notice is due in 90 days"
    );
    let text = app.email(first.id).await.text;
    assert!(
        text.contains(&notice.to_string()),
        "the notice date: {text}"
    );
    assert!(
        text.contains(&renews.to_string()),
        "the renewal date: {text}"
    );
    assert!(
        text.contains("residual tier High"),
        "the latest scorecard (the MFA knock-out holds it at High): {text}"
    );
    assert!(text.contains(&format!("/vendors/{vendor}")), "{text}");

    // Turned off: nothing more, even in a new window.
    let admin = app.signed_in("admin@acme.test").await;
    let mut settings: Value = get_with(&admin, &app.url("/api/settings/schedules"))
        .await
        .json()
        .await
        .expect("schedules");
    assert_eq!(
        settings["renewal_notice_days"],
        json!([90, 30]),
        "the default"
    );
    settings["renewal_notice_days"] = json!([]);
    let off = crate::schedules::put_schedules(&app, &admin, &settings).await;
    assert_eq!(off.status(), StatusCode::OK);
    let later = today + time::Duration::days(400);
    put_contract(
        &app,
        &s.sent.procurement,
        vendor,
        &json!({ "notice_date": later.to_string() }),
    )
    .await;
    at_day(&app, 380);
    assert_eq!(round(&app).await.renewals, 0, "reminders turned off");
}
