//! The vendor register.

use assay_core::access::Role;
use assay_core::api::{CursorPage, ErrorResponse, VendorStatus, VendorSummary, VendorView};
use assay_core::risk::RiskTier;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, get_with, post_with, spawn_app};

fn acme_cloud() -> Value {
    json!({
        "legal_name": "Acme Cloud Ltd",
        "website": "https://acme-cloud.example",
        "services": "Hosting of the customer portal",
        "data_types": ["personal", "payment"],
        "system_access": "read_write",
        "criticality": "high",
        "countries": ["de", "IE"],
        "tags": ["hosting", "eu"],
        "contacts": [{ "name": "Vera Vendor", "email": "Vera@Acme-Cloud.example", "role": "Security lead" }]
    })
}

async fn create(app: &TestApp, client: &reqwest::Client, body: &Value) -> reqwest::Response {
    post_with(client, &app.url("/api/vendors"), body).await
}

/// Acme's procurement user with a registered vendor, Acme's auditor, and Beta's procurement
/// user (another organisation), each signed in.
async fn acme_vendor_with_onlookers(
    app: &TestApp,
) -> (
    reqwest::Client,
    reqwest::Client,
    reqwest::Client,
    VendorView,
) {
    app.create_user("Acme", "pro@acme.test", Role::Procurement)
        .await;
    app.create_user("Acme", "aud@acme.test", Role::Auditor)
        .await;
    app.create_user("Beta", "pro@beta.test", Role::Procurement)
        .await;
    let pro = app.signed_in("pro@acme.test").await;
    let auditor = app.signed_in("aud@acme.test").await;
    let stranger = app.signed_in("pro@beta.test").await;
    let response = create(app, &pro, &acme_cloud()).await;
    assert_eq!(
        response.status(),
        StatusCode::CREATED,
        "the vendor is registered"
    );
    let vendor: VendorView = response.json().await.expect("vendor");
    (pro, auditor, stranger, vendor)
}

#[tokio::test]
async fn procurement_registers_a_vendor_with_its_inherent_tier_and_contacts() {
    let app = spawn_app().await;
    app.create_user("Acme", "pro@acme.test", Role::Procurement)
        .await;
    let pro = app.signed_in("pro@acme.test").await;

    let response = create(&app, &pro, &acme_cloud()).await;

    assert_eq!(response.status(), StatusCode::CREATED);
    let vendor: VendorView = response.json().await.expect("vendor");
    assert_eq!(
        vendor.inherent_tier,
        RiskTier::Critical,
        "payment data (3) + read-write (2) + high (2) = 7"
    );
    assert_eq!(vendor.countries, ["DE", "IE"]);
    assert_eq!(vendor.contacts[0].email, "vera@acme-cloud.example");
    let fetched: VendorView = get_with(&pro, &app.url(&format!("/api/vendors/{}", vendor.id)))
        .await
        .json()
        .await
        .expect("vendor");
    assert_eq!(fetched, vendor);
}

#[tokio::test]
async fn bad_input_names_the_field_and_nothing_is_created() {
    let app = spawn_app().await;
    app.create_user("Acme", "pro@acme.test", Role::Procurement)
        .await;
    let pro = app.signed_in("pro@acme.test").await;
    for (field, value) in [
        ("legal_name", json!("  ")),
        ("website", json!("ftp://x")),
        ("countries", json!(["Narnia"])),
        ("countries", json!(["XX"])),
    ] {
        let mut body = acme_cloud();
        body[field] = value;
        let response = create(&app, &pro, &body).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}"
        );
        let error: ErrorResponse = response.json().await.expect("error");
        assert_eq!(error.error.field.as_deref(), Some(field));
    }
    let mut body = acme_cloud();
    body["system_access"] = json!("root");
    assert_eq!(
        create(&app, &pro, &body).await.status(),
        StatusCode::BAD_REQUEST
    );
    let list: CursorPage<VendorSummary> = get_with(&pro, &app.url("/api/vendors"))
        .await
        .json()
        .await
        .expect("list");
    assert_eq!(list.total, 0);
}

#[tokio::test]
async fn the_list_searches_filters_sorts_and_pages() {
    let app = spawn_app().await;
    app.create_user("Acme", "pro@acme.test", Role::Procurement)
        .await;
    let pro = app.signed_in("pro@acme.test").await;
    for (name, access, criticality, tag) in [
        ("Zeta Payroll", "administrative", "critical", "hr"),
        ("Alpha Print", "none", "low", "office"),
        ("Mid Analytics", "read_only", "medium", "hr"),
    ] {
        let body = json!({ "legal_name": name, "data_types": ["personal"], "system_access": access, "criticality": criticality, "tags": [tag] });
        assert_eq!(
            create(&app, &pro, &body).await.status(),
            StatusCode::CREATED
        );
    }
    let list = |query: &str| {
        let url = app.url(&format!("/api/vendors?{query}"));
        let pro = pro.clone();
        async move {
            get_with(&pro, &url)
                .await
                .json::<CursorPage<VendorSummary>>()
                .await
                .expect("page")
        }
    };

    let by_name = list("").await;
    let by_tier = list("sort=tier").await;
    let hr = list("tag=hr").await;
    let search = list("q=ANALYT").await;
    let critical = list("tier=critical").await;
    let first = list("limit=2").await;
    let second = list(&format!(
        "limit=2&after={}",
        first.next.as_deref().expect("a second page")
    ))
    .await;

    let names = |p: &CursorPage<VendorSummary>| {
        p.items
            .iter()
            .map(|v| v.legal_name.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(&by_name),
        ["Alpha Print", "Mid Analytics", "Zeta Payroll"]
    );
    assert_eq!(names(&by_tier)[0], "Zeta Payroll");
    assert_eq!(names(&hr), ["Mid Analytics", "Zeta Payroll"]);
    assert_eq!(names(&search), ["Mid Analytics"]);
    assert_eq!(names(&critical), ["Zeta Payroll"]);
    assert_eq!(
        (names(&first), names(&second), second.total, second.next),
        (
            vec!["Alpha Print".to_owned(), "Mid Analytics".to_owned()],
            vec!["Zeta Payroll".to_owned()],
            3,
            None
        ),
        "two pages by name, the second the last"
    );
    let too_big = get_with(&pro, &app.url("/api/vendors?limit=1000")).await;
    assert_eq!(too_big.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn updates_recompute_the_tier_contract_terms_are_stored_and_archiving_hides_the_vendor() {
    let app = spawn_app().await;
    app.create_user("Acme", "pro@acme.test", Role::Procurement)
        .await;
    let pro = app.signed_in("pro@acme.test").await;
    let vendor: VendorView = create(&app, &pro, &acme_cloud())
        .await
        .json()
        .await
        .expect("vendor");
    let url = app.url(&format!("/api/vendors/{}", vendor.id));

    let patched: VendorView = pro
        .patch(&url)
        .json(&json!({ "data_types": [], "system_access": "none", "criticality": "low" }))
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("vendor");
    let contract = pro
        .put(format!("{url}/contract"))
        .json(&json!({ "breach_notification_hours": 72, "minimum_insurance": "EUR 5,000,000", "right_to_audit": true, "renewal_date": "2027-03-31" }))
        .send()
        .await
        .expect("request");
    let bad_contract = pro
        .put(format!("{url}/contract"))
        .json(&json!({ "minimum_insurance": "5000000" }))
        .send()
        .await
        .expect("request");
    let archived = pro.delete(&url).send().await.expect("request");

    assert_eq!(patched.inherent_tier, RiskTier::Low);
    assert_eq!(contract.status(), StatusCode::OK);
    let with_contract: VendorView = contract.json().await.expect("vendor");
    let contract = with_contract.contract.expect("contract terms");
    assert_eq!(contract.version, 1, "the first terms are version 1");
    assert_eq!(contract.terms.breach_notification_hours, Some(72.0));
    assert_eq!(
        contract.terms.minimum_insurance.map(|m| m.to_string()),
        Some("5000000 EUR".to_owned()),
        "money is kept with its currency"
    );
    assert_eq!(
        contract.terms.renewal_date.map(|d| d.to_string()),
        Some("2027-03-31".to_owned())
    );
    assert_eq!(
        bad_contract.status(),
        StatusCode::BAD_REQUEST,
        "an amount needs a currency"
    );
    let refusal: Value = bad_contract.json().await.expect("an error body");
    let message = refusal["error"]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("minimum_insurance") && message.contains("currency"),
        "the message names the term and what it lacks: {message}"
    );
    assert_eq!(archived.status(), StatusCode::NO_CONTENT);
    let active: CursorPage<VendorSummary> = get_with(&pro, &app.url("/api/vendors"))
        .await
        .json()
        .await
        .expect("list");
    assert_eq!(active.total, 0);
    let gone: CursorPage<VendorSummary> = get_with(&pro, &app.url("/api/vendors?status=archived"))
        .await
        .json()
        .await
        .expect("list");
    assert_eq!(gone.total, 1, "archived vendors keep their history");
}

#[tokio::test]
async fn other_roles_read_only_other_organisations_see_nothing_and_writes_are_audited() {
    let app = spawn_app().await;
    let (pro, auditor, stranger, vendor) = acme_vendor_with_onlookers(&app).await;
    let url = app.url(&format!("/api/vendors/{}", vendor.id));

    assert_eq!(get_with(&auditor, &url).await.status(), StatusCode::OK);
    assert_eq!(
        create(&app, &auditor, &acme_cloud()).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        get_with(&stranger, &url).await.status(),
        StatusCode::NOT_FOUND
    );
    let foreign_patch = stranger
        .patch(&url)
        .json(&json!({ "legal_name": "Hijacked" }))
        .send()
        .await
        .expect("request");
    assert_eq!(foreign_patch.status(), StatusCode::NOT_FOUND);
    let foreign_contract = stranger
        .put(format!("{url}/contract"))
        .json(&json!({}))
        .send()
        .await
        .expect("request");
    assert_eq!(foreign_contract.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        stranger
            .delete(&url)
            .send()
            .await
            .expect("request")
            .status(),
        StatusCode::NOT_FOUND
    );
    let theirs: CursorPage<VendorSummary> = get_with(&stranger, &app.url("/api/vendors"))
        .await
        .json()
        .await
        .expect("list");
    assert_eq!(theirs.total, 0);
    let still: VendorView = get_with(&pro, &url).await.json().await.expect("vendor");
    assert_eq!(still.legal_name, "Acme Cloud Ltd");
    let audit: Value = get_with(&auditor, &app.url("/api/audit?action=vendor."))
        .await
        .json()
        .await
        .expect("audit");
    assert_eq!(audit["total"], 1, "{audit}");
    assert_eq!(audit["items"][0]["action"], "vendor.created");
}

#[tokio::test]
async fn a_vendor_registered_without_an_owner_is_owned_by_whoever_registered_it() {
    let app = spawn_app().await;
    let pro = app
        .create_user("Acme", "pro@acme.test", Role::Procurement)
        .await;
    let risk = app
        .create_user("Acme", "risk@acme.test", Role::RiskManager)
        .await;
    let client = app.signed_in("pro@acme.test").await;
    let mut named = acme_cloud();
    named["legal_name"] = json!("Named Owner Ltd");
    named["owner_id"] = json!(risk.id);

    let unowned: VendorView = create(&app, &client, &acme_cloud())
        .await
        .json()
        .await
        .expect("vendor");
    let owned: VendorView = create(&app, &client, &named)
        .await
        .json()
        .await
        .expect("vendor");

    assert_eq!(
        unowned.owner_id,
        Some(pro.id),
        "no owner given: the creator owns it"
    );
    assert_eq!(
        owned.owner_id,
        Some(risk.id),
        "an owner given is kept, not replaced by the creator"
    );
}

#[tokio::test]
async fn an_archived_vendor_is_restored_to_the_active_list_and_both_moves_are_audited() {
    let app = spawn_app().await;
    let (pro, auditor, stranger, vendor) = acme_vendor_with_onlookers(&app).await;
    let url = app.url(&format!("/api/vendors/{}", vendor.id));
    let restore_url = format!("{url}/restore");
    let archived = pro.delete(&url).send().await.expect("request");
    assert_eq!(archived.status(), StatusCode::NO_CONTENT, "archived first");

    let by_auditor = post_with(&auditor, &restore_url, &json!({})).await;
    let by_stranger = post_with(&stranger, &restore_url, &json!({})).await;
    let restored = post_with(&pro, &restore_url, &json!({})).await;

    assert_eq!(
        by_auditor.status(),
        StatusCode::FORBIDDEN,
        "auditors only read"
    );
    assert_eq!(
        by_stranger.status(),
        StatusCode::NOT_FOUND,
        "another organisation's vendor does not exist for them"
    );
    assert_eq!(restored.status(), StatusCode::OK);
    let view: VendorView = restored.json().await.expect("vendor");
    assert_eq!(view.status, VendorStatus::Active);
    assert_eq!(
        view.contacts, vendor.contacts,
        "restoring keeps the contacts"
    );
    let active: CursorPage<VendorSummary> = get_with(&pro, &app.url("/api/vendors"))
        .await
        .json()
        .await
        .expect("list");
    let listed: Vec<&str> = active.items.iter().map(|v| v.legal_name.as_str()).collect();
    assert_eq!(listed, ["Acme Cloud Ltd"], "back on the active list");
    let audit: Value = get_with(&auditor, &app.url("/api/audit?action=vendor."))
        .await
        .json()
        .await
        .expect("audit");
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert!(
        actions.contains(&"vendor.archived") && actions.contains(&"vendor.restored"),
        "{actions:?}"
    );
}

#[tokio::test]
async fn countries_are_stored_as_assigned_iso_codes_whether_given_as_codes_or_names() {
    let app = spawn_app().await;
    app.create_user("Acme", "pro@acme.test", Role::Procurement)
        .await;
    let pro = app.signed_in("pro@acme.test").await;
    let mut body = acme_cloud();
    body["countries"] = json!(["Germany", "ie", " DE ", "united states", "UK"]);
    let response = create(&app, &pro, &body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let vendor: VendorView = response.json().await.expect("vendor");
    assert_eq!(
        vendor.countries,
        vec!["DE", "IE", "US", "GB"],
        "names become codes, case and spaces do not matter, each country once"
    );

    body["countries"] = json!(["XX"]);
    let response = create(&app, &pro, &body).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let error: ErrorResponse = response.json().await.expect("error");
    assert_eq!(
        error.error.message,
        "“XX” is not an assigned ISO 3166-1 country code."
    );
}
