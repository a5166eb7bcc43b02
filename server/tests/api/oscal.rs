//! The OSCAL export: a decided assessment as an OSCAL `assessment-results` document that
//! compliance-trestle's OSCAL models accept, with the questions as reviewed controls, the
//! answers as observations, the knock-out as an open risk and the evidence with its hash.

use std::path::PathBuf;
use std::process::Command;

use assay_core::access::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::assessments::{put_answer, send_template, vendor_session};
use crate::helpers::{TestApp, get_with, post_with, spawn_app};
use crate::review::{SCORED, Submitted};

const SOC2: &[u8] = b"%PDF-1.7\nSOC 2 Type II report, period ending 2026-06-30\n%%EOF\n";

/// The Python that has compliance-trestle (`scripts/test` installs it).
fn trestle_python() -> PathBuf {
    let python = std::env::var_os("ASSAY_TRESTLE_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").expect("HOME"))
                .join(".cache/assay/trestle/bin/python")
        });
    assert!(
        python.exists(),
        "compliance-trestle is not installed at {}: run ./scripts/test once (it installs it) \
         or set ASSAY_TRESTLE_PYTHON",
        python.display()
    );
    python
}

/// Runs the OSCAL models over `document`: `Ok` when valid, else the validation errors.
fn trestle_validates(document: &Value) -> Result<(), String> {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("assessment-results.json");
    std::fs::write(&file, serde_json::to_vec(document).expect("json")).expect("written");
    let script = crate::helpers::in_crate("tests/oscal/validate.py");
    let output = Command::new(trestle_python())
        .arg(script)
        .arg(&file)
        .output()
        .expect("the validator runs");
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

/// The scored template answered yes / 24 / no with a SOC 2 report, submitted and decided
/// "approved with conditions".
async fn decided(app: &TestApp) -> Submitted {
    let sent = send_template(app, SCORED, "json").await;
    let vendor = vendor_session(app, &sent.token).await;
    let upload = crate::evidence::upload(app, &vendor, "SOC 2 report.pdf", SOC2).await;
    assert_eq!(upload.status(), StatusCode::CREATED, "setup: evidence");
    for (q, v) in [
        ("enc_rest", "yes"),
        ("brn_hours", "24"),
        ("mfa_admin", "no"),
    ] {
        assert_eq!(
            put_answer(app, &vendor, q, v, 0).await.status(),
            StatusCode::OK,
            "setup: {q}"
        );
    }
    let submit = post_with(&vendor, &app.url("/api/portal/submit"), &json!({})).await;
    assert_eq!(submit.status(), StatusCode::OK, "setup: submitted");
    app.create_user("Acme", "risk@acme.test", Role::RiskManager)
        .await;
    let risk = app.signed_in("risk@acme.test").await;
    let s = Submitted { sent, vendor, risk };
    s.decide(
        app,
        &json!({ "outcome": "approved_with_conditions", "conditions": ["MFA for administrators by March"],
                 "rationale": "Acceptable once MFA is in place." }),
    )
    .await;
    s
}

async fn oscal(app: &TestApp, client: &reqwest::Client, s: &Submitted) -> Value {
    let response = get_with(client, &app.url(&s.path("/oscal"))).await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "the OSCAL document downloads"
    );
    assert_eq!(response.headers()["content-type"], "application/json");
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .expect("ascii")
            .contains("assessment-results-vendor-ltd.json"),
        "named after the vendor: {:?}",
        response.headers()["content-disposition"]
    );
    response.json().await.expect("a JSON document")
}

/// The finding whose target is `control`.
fn finding<'a>(result: &'a Value, control: &str) -> &'a Value {
    result["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["target"]["target-id"] == control)
        .unwrap_or_else(|| panic!("a finding for {control}: {:#}", result["findings"]))
}

#[tokio::test]
async fn a_decided_assessment_exports_as_oscal_assessment_results_that_trestle_accepts() {
    let app = spawn_app().await;
    let s = decided(&app).await;
    let document = oscal(&app, &s.risk, &s).await;

    trestle_validates(&document)
        .unwrap_or_else(|e| panic!("compliance-trestle refused the export:\n{e}\n{document:#}"));

    let ar = &document["assessment-results"];
    assert_eq!(ar["metadata"]["oscal-version"], "1.2.1");
    let parties: Vec<&str> = ar["metadata"]["parties"]
        .as_array()
        .expect("parties")
        .iter()
        .map(|p| p["name"].as_str().expect("a name"))
        .collect();
    assert_eq!(
        parties,
        ["Acme", "Vendor Ltd"],
        "the assessor and the vendor"
    );
    let result = &ar["results"][0];
    let controls: Vec<&str> =
        result["reviewed-controls"]["control-selections"][0]["include-controls"]
            .as_array()
            .expect("the reviewed controls")
            .iter()
            .map(|c| c["control-id"].as_str().expect("an id"))
            .collect();
    assert_eq!(controls, ["enc_rest", "brn_hours", "mfa_admin"]);

    // The answers are observations that quote the question and the answer.
    let observations = result["observations"].as_array().expect("observations");
    assert_eq!(observations.len(), 3, "one per answer");
    let mfa_observation = observations
        .iter()
        .find(|o| o["props"][0]["value"] == "mfa_admin")
        .expect("the MFA answer");
    let said = mfa_observation["description"].as_str().expect("text");
    assert!(
        said.contains("Do administrators use MFA?") && said.contains("answered: No"),
        "the observation quotes question and answer: {said}"
    );

    // The encrypted answer satisfies its control; MFA does not and carries the knock-out.
    assert_eq!(
        finding(result, "enc_rest")["target"]["status"]["state"],
        "satisfied"
    );
    let mfa = finding(result, "mfa_admin");
    assert_eq!(mfa["target"]["status"]["state"], "not-satisfied");
    assert_eq!(
        mfa["related-observations"][0]["observation-uuid"],
        mfa_observation["uuid"]
    );
    let risk_uuid = &mfa["related-risks"][0]["risk-uuid"];
    let risk = result["risks"]
        .as_array()
        .expect("risks")
        .iter()
        .find(|r| &r["uuid"] == risk_uuid)
        .expect("the MFA finding's risk");
    assert_eq!(risk["title"], "No MFA for administrative access");
    assert_eq!(risk["status"], "open", "nobody remediated or accepted it");

    // The decision and the tier are in the result; the evidence in the back matter with
    // the SHA-256 of the bytes the vendor uploaded.
    let remarks = result["remarks"].as_str().expect("remarks");
    assert!(
        remarks.contains("Approved with conditions")
            && remarks.contains("MFA for administrators by March"),
        "the decision and its condition: {remarks}"
    );
    let evidence = ar["back-matter"]["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .find(|r| r["title"] == "SOC 2 report.pdf")
        .expect("the SOC 2 report in the back matter");
    assert_eq!(
        evidence["rlinks"][0]["hashes"][0],
        json!({ "algorithm": "SHA-256", "value": assay_core::pack::hex(&Sha256::digest(SOC2)) })
    );

    // The same scorecard exports with the same identifiers.
    let again = oscal(&app, &s.risk, &s).await;
    assert_eq!(again["assessment-results"]["uuid"], ar["uuid"]);
    assert_eq!(
        again["assessment-results"]["results"], document["assessment-results"]["results"],
        "the results of one scorecard do not change between downloads"
    );

    // The download is audited like every export.
    let admin = app.signed_in("admin@acme.test").await;
    let audited = app
        .audit_log(&admin)
        .await
        .into_iter()
        .filter(|e| e.action == "export.downloaded" && e.detail["format"] == "oscal")
        .count();
    assert_eq!(audited, 2, "each download is in the audit log");
}

#[tokio::test]
async fn the_validator_refuses_a_document_that_breaks_the_oscal_model() {
    let app = spawn_app().await;
    let s = decided(&app).await;
    let mut document = oscal(&app, &s.risk, &s).await;
    document["assessment-results"]["results"][0]["findings"][0]["target"]["status"]["state"] =
        json!("mostly-fine");
    let refused = trestle_validates(&document).expect_err("an unknown objective state");
    assert!(
        refused.contains("state"),
        "the validator names what is wrong: {refused}"
    );
    let mut document = oscal(&app, &s.risk, &s).await;
    document["assessment-results"]["uuid"] = json!("not-a-uuid");
    assert!(
        trestle_validates(&document).is_err(),
        "a malformed UUID is refused"
    );
}

#[tokio::test]
async fn another_organisation_cannot_export_and_the_vendor_cannot_either() {
    let app = spawn_app().await;
    let s = decided(&app).await;
    app.create_user("Globex", "admin@globex.test", Role::Admin)
        .await;
    let other = app.signed_in("admin@globex.test").await;
    let response = get_with(&other, &app.url(&s.path("/oscal"))).await;
    assert_eq!(
        response.status(),
        StatusCode::NOT_FOUND,
        "another organisation's assessment does not exist for it"
    );
    let response = get_with(&s.vendor, &app.url(&s.path("/oscal"))).await;
    assert_eq!(
        response.status(),
        StatusCode::UNAUTHORIZED,
        "a vendor's portal session is not a user's"
    );
}
