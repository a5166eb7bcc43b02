//! A document's details (issue and expiry dates, a report's period, an insurance limit),
//! checked on upload; and removing a file uploaded by mistake.

use assay_core::api::{ErrorResponse, EvidenceView};
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::json;

use crate::assessments::{send, vendor_session};
use crate::helpers::{TestApp, get_with, post_with, spawn_app};

const PDF: &[u8] =
    b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\nCertificate of insurance\n%%EOF\n";

pub async fn upload(
    app: &TestApp,
    client: &reqwest::Client,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let mut form = Form::new().part(
        "file",
        Part::bytes(PDF.to_vec()).file_name("certificate.pdf"),
    );
    for (name, value) in fields {
        form = form.text(name.to_string(), value.to_string());
    }
    client
        .post(app.url("/api/portal/evidence"))
        .header("sec-fetch-site", "same-origin")
        .multipart(form)
        .send()
        .await
        .expect("request")
}

#[tokio::test]
async fn an_insurance_certificate_keeps_its_limit_currency_and_dates() {
    let app = spawn_app().await;
    let sent = send(&app).await;
    let vendor = vendor_session(&app, &sent.token).await;

    let response = upload(
        &app,
        &vendor,
        &[
            ("kind", "cyber_insurance_certificate"),
            ("issued_on", "2026-01-15"),
            ("expires_on", "2027-01-14"),
            ("coverage_amount", "5,000,000"),
            ("coverage_currency", "eur"),
        ],
    )
    .await;

    assert_eq!(response.status(), StatusCode::CREATED);
    let stored: EvidenceView = response.json().await.expect("evidence");
    assert_eq!(stored.coverage_amount, Some(5_000_000));
    assert_eq!(stored.coverage_currency.as_deref(), Some("EUR"));
    assert_eq!(stored.issued_on.as_deref(), Some("2026-01-15"));
    let seen = sent.as_procurement_sees_it(&app).await;
    assert_eq!(seen.evidence[0].expires_on.as_deref(), Some("2027-01-14"));
    assert_eq!(seen.evidence[0].coverage_amount, Some(5_000_000));
}

#[tokio::test]
async fn inconsistent_document_details_are_refused_naming_the_field() {
    let app = spawn_app().await;
    let sent = send(&app).await;
    let vendor = vendor_session(&app, &sent.token).await;
    let cases: [(&[(&str, &str)], &str); 5] = [
        (
            &[
                ("kind", "soc2_type2"),
                ("period_start", "2026-07-01"),
                ("period_end", "2026-06-30"),
            ],
            "period_end",
        ),
        (
            &[("issued_on", "2026-05-01"), ("expires_on", "2026-04-30")],
            "expires_on",
        ),
        (&[("coverage_amount", "5000000")], "coverage_currency"),
        (
            &[("coverage_amount", "-5"), ("coverage_currency", "EUR")],
            "coverage_amount",
        ),
        (&[("issued_on", "1 May 2026")], "issued_on"),
    ];
    for (fields, field) in cases {
        let response = upload(&app, &vendor, fields).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{fields:?}"
        );
        let error: ErrorResponse = response.json().await.expect("error");
        assert_eq!(error.error.field.as_deref(), Some(field), "{fields:?}");
    }
    let portal: serde_json::Value = get_with(&vendor, &app.url("/api/portal/assessment"))
        .await
        .json()
        .await
        .expect("portal");
    assert_eq!(portal["evidence"], json!([]), "nothing refused was stored");
}

fn blob_count(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |entries| {
        entries
            .flatten()
            .map(|e| {
                if e.path().is_dir() {
                    blob_count(&e.path())
                } else {
                    1
                }
            })
            .sum()
    })
}

#[tokio::test]
async fn a_vendor_removes_a_mistaken_file_until_the_questionnaire_is_submitted() {
    let app = spawn_app().await;
    let sent = send(&app).await;
    let vendor = vendor_session(&app, &sent.token).await;
    let first: EvidenceView = upload(&app, &vendor, &[])
        .await
        .json()
        .await
        .expect("evidence");
    let second: EvidenceView = upload(&app, &vendor, &[])
        .await
        .json()
        .await
        .expect("evidence");
    let evidence_dir = app.data_dir().join("evidence");
    assert_eq!(blob_count(&evidence_dir), 2, "setup: two blobs");
    let url = |id: uuid::Uuid| app.url(&format!("/api/portal/evidence/{id}"));

    let removed = vendor
        .delete(url(first.id))
        .header("sec-fetch-site", "same-origin")
        .send()
        .await
        .expect("request");
    let gone = get_with(&vendor, &url(first.id)).await;

    assert_eq!(removed.status(), StatusCode::NO_CONTENT);
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    assert_eq!(blob_count(&evidence_dir), 1, "the blob is deleted too");
    for (key, value) in [("q_encrypt", "yes"), ("q_how", "KMS")] {
        vendor
            .put(app.url(&format!("/api/portal/answers/{key}")))
            .json(&json!({ "value": value, "version": 0 }))
            .send()
            .await
            .expect("request");
    }
    assert_eq!(
        post_with(&vendor, &app.url("/api/portal/submit"), &json!({}))
            .await
            .status(),
        StatusCode::OK
    );
    let locked = vendor
        .delete(url(second.id))
        .header("sec-fetch-site", "same-origin")
        .send()
        .await
        .expect("request");
    assert_eq!(
        locked.status(),
        StatusCode::CONFLICT,
        "submitted files stay"
    );
    assert_eq!(
        get_with(&vendor, &url(second.id)).await.status(),
        StatusCode::OK
    );
}
