//! The regulatory presets and adequacy lists, as an organisation reads them.

use assay_core::access::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{get_with, new_client, post_with, spawn_app};

#[tokio::test]
async fn a_risk_manager_reads_each_regimes_clocks_with_its_article_and_source() {
    let app = spawn_app().await;
    app.create_user("Acme", "risk@acme.test", Role::RiskManager)
        .await;
    let risk = app.signed_in("risk@acme.test").await;
    let response = get_with(&risk, &app.url("/api/settings/regimes")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.expect("json");
    assert!(
        body["version"].as_str().is_some_and(|v| !v.is_empty()),
        "{body}"
    );
    let regimes = body["regimes"].as_array().expect("regimes");
    let gdpr = regimes
        .iter()
        .find(|r| r["id"] == "gdpr")
        .expect("GDPR is shipped");
    assert!(
        gdpr["source"]
            .as_str()
            .is_some_and(|s| s.starts_with("https://eur-lex.europa.eu/")),
        "cited to EUR-Lex: {gdpr}"
    );
    let art33 = gdpr["clocks"]
        .as_array()
        .expect("clocks")
        .iter()
        .find(|c| c["article"] == "Art. 33(1)")
        .expect("Art. 33(1)");
    assert_eq!(
        art33["limit"]["hours"].as_f64(),
        Some(72.0),
        "72 hours to the authority: {art33}"
    );
    for id in ["nis2", "dora", "hipaa"] {
        assert!(
            regimes.iter().any(|r| r["id"] == id),
            "{id} is shipped: {body}"
        );
    }

    let lists: Value = get_with(&risk, &app.url("/api/settings/adequacy"))
        .await
        .json()
        .await
        .expect("json");
    let eea = lists["lists"]
        .as_array()
        .expect("lists")
        .iter()
        .find(|l| l["region"] == "eea")
        .expect("the EEA's list");
    assert_eq!(eea["complete"], true, "{eea}");
    assert!(eea["as_of"].as_str().is_some(), "dated: {eea}");

    for path in ["/api/settings/regimes", "/api/settings/adequacy"] {
        assert_eq!(
            get_with(&new_client(), &app.url(path)).await.status(),
            StatusCode::UNAUTHORIZED,
            "{path} needs a session"
        );
    }
}

async fn put(client: &reqwest::Client, url: &str, body: &Value) -> reqwest::Response {
    client.put(url).json(body).send().await.expect("request")
}

async fn refused_on(response: reqwest::Response, field: &str) {
    let status = response.status();
    let body: Value = response.json().await.expect("json");
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["field"], field, "names the field: {body}");
}

#[tokio::test]
async fn an_admin_reads_a_clock_differently_and_leaves_a_regime_out() {
    let app = spawn_app().await;
    app.create_user("Acme", "admin@acme.test", Role::Admin)
        .await;
    app.create_user("Acme", "risk@acme.test", Role::RiskManager)
        .await;
    app.create_user("Other", "admin@other.test", Role::Admin)
        .await;
    let admin = app.signed_in("admin@acme.test").await;
    let risk = app.signed_in("risk@acme.test").await;
    let url = app.url("/api/settings/regimes");
    let change = json!({ "regimes": {
        "gdpr": { "clocks": { "art33_1": { "limit": { "hours": 48.0 } } } },
        "nis2": { "enabled": false }
    }});

    assert_eq!(
        put(&risk, &url, &change).await.status(),
        StatusCode::FORBIDDEN,
        "only an Admin changes the regimes"
    );
    refused_on(
        put(&admin, &url, &json!({ "regimes": { "gdpr2": {} } })).await,
        "regimes.gdpr2",
    )
    .await;
    refused_on(
        put(
            &admin,
            &url,
            &json!({ "regimes": { "gdpr": { "clocks": { "art99": { "limit": { "hours": 1.0 } } } } } }),
        )
        .await,
        "regimes.gdpr.clocks.art99",
    )
    .await;
    let too_long = put(
        &admin,
        &url,
        &json!({ "regimes": { "gdpr": { "clocks": { "art33_1": { "limit": { "hours": 1.0e9 } } } } } }),
    )
    .await;
    assert_eq!(too_long.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let saved = put(&admin, &url, &change).await;
    assert_eq!(saved.status(), StatusCode::OK, "{:?}", saved.text().await);
    let view: assay_core::api::RegimesView =
        get_with(&risk, &url).await.json().await.expect("regimes");
    assert!(
        view.regimes.iter().all(|r| r.id != "nis2"),
        "NIS2 is left out"
    );
    let gdpr = view.regimes.iter().find(|r| r.id == "gdpr").expect("GDPR");
    let art33 = gdpr
        .clocks
        .iter()
        .find(|c| c.id == "art33_1")
        .expect("Art. 33(1)");
    assert_eq!(art33.hours(), Some(48.0), "the organisation's reading");
    assert_eq!(
        art33.verification,
        assay_core::regime::Verification::Organisation,
        "marked as the organisation's"
    );
    assert_eq!(view.overrides.regimes.len(), 2);

    // Another organisation still reads the presets.
    let other = app.signed_in("admin@other.test").await;
    let theirs: assay_core::api::RegimesView =
        get_with(&other, &url).await.json().await.expect("regimes");
    assert!(theirs.overrides.regimes.is_empty());
    assert!(theirs.regimes.iter().any(|r| r.id == "nis2"));

    // Back to the presets.
    let reset = put(&admin, &url, &json!({ "regimes": {} })).await;
    let view: assay_core::api::RegimesView = reset.json().await.expect("regimes");
    assert!(view.regimes.iter().any(|r| r.id == "nis2"));
}

#[tokio::test]
async fn the_regimes_that_apply_propose_the_breach_notice_and_name_the_incident_clock() {
    let app = spawn_app().await;
    let s = crate::review::submitted(&app).await;
    let vendor = s.sent.assessment.vendor_id;
    let admin = app.signed_in("admin@acme.test").await;
    let contract_url = app.url(&format!("/api/vendors/{vendor}/contract"));
    let patched = s
        .sent
        .procurement
        .patch(app.url(&format!("/api/vendors/{vendor}")))
        .json(&json!({ "data_types": ["personal"] }))
        .send()
        .await
        .expect("request");
    assert_eq!(
        patched.status(),
        StatusCode::OK,
        "{:?}",
        patched.text().await
    );

    let view: assay_core::api::ContractView = get_with(&s.risk, &contract_url)
        .await
        .json()
        .await
        .expect("contract");
    assert!(
        view.breach_notice.is_none(),
        "no proposal before the organisation's profile is set"
    );

    let profile = put(
        &admin,
        &app.url("/api/settings/client-profile"),
        &json!({ "country": "DE", "margin_hours": 24 }),
    )
    .await;
    assert_eq!(profile.status(), StatusCode::OK);
    let view: assay_core::api::ContractView = get_with(&s.risk, &contract_url)
        .await
        .json()
        .await
        .expect("contract");
    let notice = view.breach_notice.expect("a proposal");
    assert!(
        notice.regimes.iter().any(|r| r == "GDPR"),
        "GDPR applies to a German client and personal data: {notice:?}"
    );
    assert_eq!(
        notice.proposal.driven_by.as_deref(),
        Some("GDPR Art. 33(1)"),
        "{notice:?}"
    );
    assert_eq!(
        notice.proposal.hours,
        Some(48.0),
        "72 h less the 24 h margin"
    );

    // A financial entity: DORA's clock is stricter and drives it.
    put(
        &admin,
        &app.url("/api/settings/client-profile"),
        &json!({ "country": "DE", "sectors": ["financial_entity"], "margin_hours": 24 }),
    )
    .await;
    let vendor_view: assay_core::api::VendorView =
        get_with(&s.risk, &app.url(&format!("/api/vendors/{vendor}")))
            .await
            .json()
            .await
            .expect("vendor");
    let notice = vendor_view.breach_notice.expect("a proposal on the vendor");
    assert!(
        notice
            .proposal
            .driven_by
            .as_deref()
            .is_some_and(|d| d.starts_with("DORA")),
        "{notice:?}"
    );
    assert!(
        notice.proposal.hours.is_some_and(|h| h <= 4.0),
        "{notice:?}"
    );

    // An incident names the clock that binds the client, counted from the vendor's report.
    let now = app.clock.now().replace_nanosecond(0).expect("instant");
    app.clock.set(now);
    let mut body = crate::incidents::report(now - time::Duration::hours(2));
    body["vendor_id"] = json!(vendor);
    let response = post_with(&s.risk, &app.url("/api/incidents"), &body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let incident: assay_core::api::IncidentView = response.json().await.expect("incident");
    let clock = incident.regulatory.expect("the regulatory clock");
    assert!(clock.citation.starts_with("DORA"), "{clock:?}");
    assert!(clock.source.starts_with("https://"), "{clock:?}");
    assert!(
        clock.also.iter().any(|r| r == "GDPR"),
        "the other regimes are named: {clock:?}"
    );
    let due = time::OffsetDateTime::parse(
        &clock.due_at,
        &time::format_description::well_known::Rfc3339,
    )
    .expect("instant");
    assert!(
        due > now && due <= now + time::Duration::hours(24),
        "due within DORA's backstop of the report: {clock:?}"
    );

    // The vendor sees its incident, not the client's regulatory clock.
    let theirs: Vec<assay_core::api::IncidentView> =
        get_with(&s.vendor, &app.url("/api/portal/incidents"))
            .await
            .json()
            .await
            .expect("incidents");
    let seen = theirs
        .iter()
        .find(|i| i.id == incident.id)
        .expect("the vendor sees its incident");
    assert!(
        seen.regulatory.is_none(),
        "the client's own deadline is not the vendor's business"
    );
}

#[tokio::test]
async fn an_adequacy_change_records_the_vendors_that_transfer_there_again() {
    let app = spawn_app().await;
    let s = crate::review::submitted(&app).await;
    let vendor = s.sent.assessment.vendor_id;
    let admin = app.signed_in("admin@acme.test").await;
    put(
        &admin,
        &app.url("/api/settings/client-profile"),
        &json!({ "country": "DE" }),
    )
    .await;
    let saved = put(
        &s.sent.procurement,
        &app.url(&format!("/api/vendors/{vendor}/subprocessors")),
        &json!([{
            "name": "Seoul Support Co", "service": "Support desk", "data_types": ["personal"],
            "processing_countries": ["KR"], "storage_countries": [],
            "mechanism": { "kind": "none" }, "added_on": "2025-01-15"
        }]),
    )
    .await;
    assert_eq!(saved.status(), StatusCode::OK, "{:?}", saved.text().await);
    let transfer_findings = |card: &assay_core::api::ScorecardView| {
        card.card
            .findings
            .iter()
            .filter(|f| f.kind == assay_core::scoring::FindingKind::FourthParty)
            .count()
    };
    assert_eq!(
        transfer_findings(&s.scorecard(&app).await),
        0,
        "South Korea has an adequacy decision"
    );

    let url = app.url("/api/settings/adequacy");
    let mut lists: Value = get_with(&admin, &url).await.json().await.expect("lists");
    assert_eq!(lists["edited"], false, "the shipped lists");
    let eea = lists["lists"]
        .as_array_mut()
        .expect("lists")
        .iter_mut()
        .find(|l| l["region"] == "eea")
        .expect("the EEA list");
    eea["entries"]
        .as_array_mut()
        .expect("entries")
        .retain(|e| e["country"] != "KR");
    let edited = json!({ "version": "ours-2026-12-07", "lists": lists["lists"] });

    assert_eq!(
        put(&s.risk, &url, &edited).await.status(),
        StatusCode::FORBIDDEN,
        "only an Admin edits the lists"
    );
    let mut broken = edited.clone();
    broken["lists"][0]["source"] = json!("ftp://example.test");
    let refused = put(&admin, &url, &broken).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = refused.json().await.expect("json");
    assert!(
        body["error"]["field"]
            .as_str()
            .is_some_and(|f| f.starts_with("lists[0].")),
        "names the list: {body}"
    );
    let mut twice = edited.clone();
    let first = twice["lists"][0].clone();
    twice["lists"][1] = first;
    refused_on(put(&admin, &url, &twice).await, "lists[1].region").await;

    let saved = put(&admin, &url, &edited).await;
    assert_eq!(saved.status(), StatusCode::OK, "{:?}", saved.text().await);
    let view: assay_core::api::AdequacyView = saved.json().await.expect("view");
    assert!(view.edited);
    let change = view
        .changes
        .iter()
        .find(|c| c.country.code() == "KR" && c.region == assay_core::country::Region::Eea)
        .unwrap_or_else(|| panic!("South Korea's change is listed: {:?}", view.changes));
    assert_eq!(change.vendors, 1, "one vendor transfers there");

    let card = s.scorecard(&app).await;
    assert_eq!(
        transfer_findings(&card),
        1,
        "the transfer is now a finding: {:#?}",
        card.card.findings
    );
    let again: Value = get_with(&s.risk, &url).await.json().await.expect("lists");
    assert_eq!(again["edited"], true);
    assert_eq!(again["version"], "ours-2026-12-07");

    let log: Value = get_with(&admin, &app.url("/api/audit?action=adequacy.updated"))
        .await
        .json()
        .await
        .expect("audit");
    assert!(
        log.to_string().contains("adequacy.updated"),
        "the change is audited: {log}"
    );
}

#[tokio::test]
async fn concurrent_settings_saves_are_each_answered_and_none_is_lost() {
    let app = spawn_app().await;
    app.create_user("Acme", "admin@acme.test", Role::Admin)
        .await;
    let admin = app.signed_in("admin@acme.test").await;
    let lists: Value = get_with(&admin, &app.url("/api/settings/adequacy"))
        .await
        .json()
        .await
        .expect("lists");
    let saves = (0..12).map(|i| {
        let (admin, app) = (admin.clone(), &app);
        let lists = lists.clone();
        async move {
            let (path, body) = match i % 4 {
                0 => (
                    "/api/settings/regimes",
                    json!({ "regimes": { "gdpr": { "clocks": { "art33_1": { "limit": { "hours": 48.0 + f64::from(i) } } } } } }),
                ),
                1 => (
                    "/api/settings/client-profile",
                    json!({ "country": "DE", "margin_hours": i }),
                ),
                2 => (
                    "/api/settings/adequacy",
                    json!({ "version": format!("ours-{i}"), "lists": lists["lists"] }),
                ),
                _ => (
                    "/api/settings/policy",
                    json!({ "rules": [{ "scope": { "data_types": ["personal"] }, "require": { "term": "dpa" } }] }),
                ),
            };
            let response = admin
                .put(app.url(path))
                .json(&body)
                .send()
                .await
                .expect("request");
            (path, response.status())
        }
    });
    for (path, status) in futures_util::future::join_all(saves).await {
        assert_eq!(status, StatusCode::OK, "{path} answered {status}");
    }
    // Each kind of setting holds one of the values saved; none was lost to another.
    let regimes: assay_core::api::RegimesView = get_with(&admin, &app.url("/api/settings/regimes"))
        .await
        .json()
        .await
        .expect("regimes");
    assert!(regimes.overrides.regimes.contains_key("gdpr"));
    let profile: Value = get_with(&admin, &app.url("/api/settings/client-profile"))
        .await
        .json()
        .await
        .expect("profile");
    assert_eq!(profile["country"], "DE");
    let adequacy: Value = get_with(&admin, &app.url("/api/settings/adequacy"))
        .await
        .json()
        .await
        .expect("adequacy");
    assert_eq!(adequacy["edited"], true);
    let policy: Value = get_with(&admin, &app.url("/api/settings/policy"))
        .await
        .json()
        .await
        .expect("policy");
    assert_eq!(policy["rules"].as_array().map(Vec::len), Some(1));
}
