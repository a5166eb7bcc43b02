//! The regulatory presets and adequacy lists, as an organisation reads them.

use assay_core::access::Role;
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{get_with, new_client, spawn_app};

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
