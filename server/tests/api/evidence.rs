//! Evidence upload and download: type by content, size limit, encryption at rest, hash
//! verification, isolation.

use assay_core::access::Role;
use assay_core::api::{ErrorResponse, EvidenceView};
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};

use crate::assessments::{send, vendor_session};
use crate::helpers::{TestApp, get_with, spawn_app, spawn_app_with};

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\nSOC 2 Type II report, period ending 2026-06-30\n%%EOF\n";

pub async fn upload(
    app: &TestApp,
    client: &reqwest::Client,
    name: &str,
    bytes: &[u8],
) -> reqwest::Response {
    let form = Form::new()
        .part(
            "file",
            Part::bytes(bytes.to_vec()).file_name(name.to_owned()),
        )
        .text("kind", "soc2_type2")
        .text("expires_on", "2027-06-30");
    client
        .post(app.url("/api/portal/evidence"))
        .header("sec-fetch-site", "same-origin")
        .multipart(form)
        .send()
        .await
        .expect("request")
}

fn blobs(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                out.extend(blobs(&path));
            } else {
                out.push(path);
            }
        }
    }
    out
}

#[tokio::test]
async fn a_vendor_uploads_a_pdf_stored_encrypted_and_procurement_downloads_it_intact() {
    let app = spawn_app().await;
    let sent = send(&app).await;
    let vendor = vendor_session(&app, &sent.token).await;

    let response = upload(&app, &vendor, "../SOC 2 \"report\".pdf", PDF).await;

    assert_eq!(response.status(), StatusCode::CREATED);
    let stored: EvidenceView = response.json().await.expect("evidence");
    assert_eq!(stored.file_type, "pdf");
    assert_eq!(stored.file_name, "SOC 2 _report_.pdf");
    assert_eq!(stored.size, PDF.len() as u64);
    let files = blobs(&app.data_dir().join("evidence"));
    assert_eq!(files.len(), 1);
    let on_disk = std::fs::read(&files[0]).expect("blob");
    assert!(
        !on_disk.windows(8).any(|w| w == b"%PDF-1.7"),
        "the stored file is not plaintext"
    );
    let download = get_with(
        &sent.procurement,
        &app.url(&format!("/api/evidence/{}", stored.id)),
    )
    .await;
    assert_eq!(download.status(), StatusCode::OK);
    assert_eq!(download.headers()["content-type"], "application/pdf");
    let disposition = download.headers()["content-disposition"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert_eq!(disposition, "attachment; filename=\"SOC 2 _report_.pdf\"");
    assert_eq!(download.bytes().await.expect("bytes").as_ref(), PDF);
    let seen = sent.as_procurement_sees_it(&app).await;
    assert_eq!(seen.evidence.len(), 1);
    assert_eq!(seen.evidence[0].sha256, stored.sha256);
    let again = get_with(
        &vendor,
        &app.url(&format!("/api/portal/evidence/{}", stored.id)),
    )
    .await;
    assert_eq!(again.bytes().await.expect("bytes").as_ref(), PDF);
}

#[tokio::test]
async fn the_wrong_type_is_415_and_too_large_413() {
    let app = spawn_app_with(|s| s.evidence_max_bytes = 200).await;
    let sent = send(&app).await;
    let vendor = vendor_session(&app, &sent.token).await;

    let exe = upload(
        &app,
        &vendor,
        "report.pdf",
        b"MZ\x90\x00\x03\x00\x00\x00 renamed executable",
    )
    .await;
    let big = upload(&app, &vendor, "big.pdf", &[PDF, &[b' '; 400]].concat()).await;

    assert_eq!(exe.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let error: ErrorResponse = exe.json().await.expect("error");
    assert!(
        error.error.message.contains("PDF"),
        "{}",
        error.error.message
    );
    assert_eq!(big.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        blobs(&app.data_dir().join("evidence")).is_empty(),
        "nothing stored"
    );
}

#[tokio::test]
async fn an_altered_stored_file_is_never_served() {
    let app = spawn_app().await;
    let sent = send(&app).await;
    let vendor = vendor_session(&app, &sent.token).await;
    let stored: EvidenceView = upload(&app, &vendor, "r.pdf", PDF)
        .await
        .json()
        .await
        .expect("evidence");
    let file = blobs(&app.data_dir().join("evidence")).remove(0);
    let mut bytes = std::fs::read(&file).expect("blob");
    let last = bytes.len() - 1;
    bytes[last] ^= 0x55;
    std::fs::write(&file, bytes).expect("tamper");

    let download = get_with(
        &sent.procurement,
        &app.url(&format!("/api/evidence/{}", stored.id)),
    )
    .await;

    assert_eq!(download.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let error: ErrorResponse = download.json().await.expect("error body, not the file");
    assert_eq!(error.error.code, "internal_error");
}

#[tokio::test]
async fn evidence_stays_inside_its_organisation_and_uploads_need_the_portal_origin() {
    let app = spawn_app().await;
    let sent = send(&app).await;
    let vendor = vendor_session(&app, &sent.token).await;
    let stored: EvidenceView = upload(&app, &vendor, "r.pdf", PDF)
        .await
        .json()
        .await
        .expect("evidence");
    app.create_user("Beta", "pro@beta.test", Role::Procurement)
        .await;
    let stranger = app.signed_in("pro@beta.test").await;

    let foreign = get_with(&stranger, &app.url(&format!("/api/evidence/{}", stored.id))).await;
    let client_in_portal = get_with(
        &sent.procurement,
        &app.url(&format!("/api/portal/evidence/{}", stored.id)),
    )
    .await;
    let cross_site = vendor
        .post(app.url("/api/portal/evidence"))
        .multipart(Form::new().part("file", Part::bytes(PDF.to_vec()).file_name("x.pdf")))
        .send()
        .await
        .expect("request");

    assert_eq!(foreign.status(), StatusCode::NOT_FOUND);
    assert_eq!(client_in_portal.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        cross_site.status(),
        StatusCode::FORBIDDEN,
        "multipart without same-origin proof"
    );
}
