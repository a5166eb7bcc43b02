//! Evidence packs: a decided assessment's signed archive, the published key it verifies
//! with, `assay pack verify`, tampering, who may download one, and one key per
//! organisation however many first packs race.

use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};
use std::process::Command;

use assay_core::access::Role;
use assay_core::api::{ErrorResponse, SigningKeyView};
use assay_core::pack::{self, FileStatus, Manifest};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::assessments::{emailed_token, put_answer, send_template, vendor_session};
use crate::helpers::{TestApp, get_with, new_client, post_with, spawn_app};
use crate::review::{SCORED, Submitted};

const SOC2: &[u8] = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\nSOC 2 Type II report, period ending 2026-06-30\n%%EOF\n";
const INSURANCE: &[u8] = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\nCyber insurance certificate, limit 5,000,000 EUR\n%%EOF\n";

async fn upload(app: &TestApp, vendor: &reqwest::Client, name: &str, bytes: &[u8]) {
    let response = crate::evidence::upload(app, vendor, name, bytes).await;
    assert_eq!(
        response.status(),
        StatusCode::CREATED,
        "setup: {name} uploaded"
    );
}

/// How `GET /api/organizations/{slug}/signing-key` answers someone without a session.
async fn key_status(app: &TestApp, slug: &str) -> StatusCode {
    get_with(
        &new_client(),
        &app.url(&format!("/api/organizations/{slug}/signing-key")),
    )
    .await
    .status()
}

/// How many entries of `action` the audit log of Acme holds, as its Admin reads it.
async fn audited(app: &TestApp, action: &str) -> usize {
    let admin = app.signed_in("admin@acme.test").await;
    app.audit_log(&admin)
        .await
        .into_iter()
        .filter(|e| e.action == action)
        .count()
}

/// The vendor answers the scored template well (encrypted, 24 h, MFA) and submits.
async fn answer_and_submit(app: &TestApp, vendor: &reqwest::Client) {
    for (q, v) in [
        ("enc_rest", "yes"),
        ("brn_hours", "24"),
        ("mfa_admin", "yes"),
    ] {
        assert_eq!(
            put_answer(app, vendor, q, v, 0).await.status(),
            StatusCode::OK,
            "setup: {q} answered"
        );
    }
    let submit = post_with(vendor, &app.url("/api/portal/submit"), &json!({})).await;
    assert_eq!(submit.status(), StatusCode::OK, "setup: submitted");
}

/// The scored template sent by Acme, answered with two evidence files, submitted; the Risk
/// manager has not decided yet.
async fn submitted_with_files(app: &TestApp) -> Submitted {
    let sent = send_template(app, SCORED, "json").await;
    let vendor = vendor_session(app, &sent.token).await;
    upload(app, &vendor, "SOC 2 report.pdf", SOC2).await;
    upload(app, &vendor, "insurance.pdf", INSURANCE).await;
    answer_and_submit(app, &vendor).await;
    app.create_user("Acme", "risk@acme.test", Role::RiskManager)
        .await;
    let risk = app.signed_in("risk@acme.test").await;
    Submitted { sent, vendor, risk }
}

async fn decided_with_files(app: &TestApp) -> Submitted {
    let s = submitted_with_files(app).await;
    s.decide(
        app,
        &json!({ "outcome": "approved", "rationale": "Controls meet the contract." }),
    )
    .await;
    s
}

/// The pack's files by path.
fn unzip(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a ZIP archive");
    let mut files = BTreeMap::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).expect("an entry");
        let name = entry.name().expect("a name").into_owned();
        let mut contents = Vec::new();
        entry.read_to_end(&mut contents).expect("readable");
        files.insert(name, contents);
    }
    files
}

fn zip_files(files: &BTreeMap<String, Vec<u8>>) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, contents) in files {
        zip.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .expect("start");
        zip.write_all(contents).expect("write");
    }
    zip.finish().expect("zip").into_inner()
}

async fn download_pack(app: &TestApp, s: &Submitted) -> Vec<u8> {
    let response = get_with(&s.risk, &app.url(&s.path("/pack"))).await;
    assert_eq!(response.status(), StatusCode::OK, "the pack downloads");
    assert_eq!(response.headers()["content-type"], "application/zip");
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .expect("ascii")
            .contains("evidence-pack-vendor-ltd.zip"),
        "named after the vendor"
    );
    response.bytes().await.expect("bytes").to_vec()
}

/// The organisation's published key, read without a session.
async fn published_key(app: &TestApp, slug: &str) -> SigningKeyView {
    let response = get_with(
        &new_client(),
        &app.url(&format!("/api/organizations/{slug}/signing-key")),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK, "the key is public");
    response.json().await.expect("a signing key")
}

/// `assay pack verify FILE [--key KEY]`: success and standard output.
fn pack_verify(file: &std::path::Path, key: Option<&str>) -> (bool, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_assay"));
    command
        .args(["pack", "verify", file.to_str().expect("utf-8")])
        .env_remove("ASSAY_DATABASE_URL")
        .env_remove("ASSAY_MASTER_KEY");
    if let Some(key) = key {
        command.args(["--key", key]);
    }
    let output = command.output().expect("the assay binary runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

fn key_bytes(view: &SigningKeyView) -> [u8; 32] {
    pack::unhex(&view.public_key)
        .and_then(|k| k.try_into().ok())
        .expect("32 bytes of hex")
}

#[tokio::test]
async fn a_decided_assessments_pack_is_signed_and_every_file_matches_its_manifest() {
    let app = spawn_app().await;
    let s = decided_with_files(&app).await;

    let bytes = download_pack(&app, &s).await;
    let mut files = unzip(&bytes);

    let manifest: Manifest = serde_json::from_slice(&files["manifest.json"]).expect("manifest");
    assert_eq!(manifest.format, pack::FORMAT);
    assert_eq!(manifest.organization, "acme");
    assert_eq!(manifest.assessment_id, s.sent.assessment.id);
    let listed: Vec<&str> = manifest.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        listed,
        [
            "README.txt",
            "answers.json",
            "scorecard.json",
            "decision.json",
            "review-history.json",
            "evidence/SOC-2-report.pdf",
            "evidence/insurance.pdf"
        ],
        "every file but the manifest and signature, in the order written"
    );
    for entry in &manifest.files {
        let contents = &files[&entry.path];
        assert_eq!(entry.size, contents.len() as u64, "{}", entry.path);
        assert_eq!(
            entry.sha256,
            pack::hex(&Sha256::digest(contents)),
            "{}",
            entry.path
        );
    }
    assert_eq!(
        files["evidence/SOC-2-report.pdf"], SOC2,
        "decrypted, intact"
    );
    assert_eq!(files["evidence/insurance.pdf"], INSURANCE);

    let key = published_key(&app, "acme").await;
    assert_eq!(key.algorithm, "ed25519");
    assert_eq!(key.organization.name, "Acme");
    assert_eq!(key.fingerprint, manifest.signing_key.fingerprint);
    let verifying =
        ed25519_dalek::VerifyingKey::from_bytes(&key_bytes(&key)).expect("an Ed25519 key");
    let signature = ed25519_dalek::Signature::from_slice(&files["manifest.sig"]).expect("64 bytes");
    verifying
        .verify_strict(&files["manifest.json"], &signature)
        .expect("the signature verifies with the published key");
    let report = pack::verify(&mut files, Some(&key_bytes(&key)));
    assert!(report.valid, "{:?}", report.problems);
    assert_eq!(
        report.signer.as_ref().map(|s| s.organization.as_str()),
        Some("acme")
    );

    let readme = String::from_utf8(files["README.txt"].clone()).expect("text");
    for expected in [
        "Acme",
        "Vendor Ltd",
        "Approved",
        "Controls meet the contract.",
        &key.public_key,
        &key.fingerprint,
        "/api/organizations/acme/signing-key",
        "assay pack verify PACK.zip --key",
    ] {
        assert!(
            readme.contains(expected),
            "README has `{expected}`:\n{readme}"
        );
    }
    let answers: Value = serde_json::from_slice(&files["answers.json"]).expect("json");
    assert_eq!(answers["questions"][1]["id"], "brn_hours");
    assert_eq!(
        answers["questions"][1]["answer"], "24 h",
        "as people read it"
    );
    let scorecard: Value = serde_json::from_slice(&files["scorecard.json"]).expect("json");
    assert_eq!(scorecard["frozen"], true, "the decision's frozen scorecard");
    let decision: Value = serde_json::from_slice(&files["decision.json"]).expect("json");
    assert_eq!(decision["outcome"], "approved");
    assert_eq!(decision["scorecard_version"], scorecard["version"]);
    let history: Value = serde_json::from_slice(&files["review-history.json"]).expect("json");
    assert!(history["overrides"].is_array() && history["scorecard_versions"].is_array());

    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("pack.zip");
    std::fs::write(&file, &bytes).expect("written");
    let (ok, out) = pack_verify(&file, Some(&key.public_key));
    assert!(ok, "the CLI accepts the pack:\n{out}");
    assert!(out.contains("VALID: every file matches"), "{out}");
    assert!(out.contains("ok          evidence/insurance.pdf"), "{out}");
    assert!(out.contains(&key.fingerprint), "{out}");
    let (ok, out) = pack_verify(&file, None);
    assert!(ok, "valid against its own key too:\n{out}");
    assert!(
        out.contains("NOT checked against the organisation's published key"),
        "says plainly the key was not checked: {out}"
    );

    assert_eq!(
        audited(&app, "export.evidence_pack_downloaded").await,
        1,
        "one audit entry for the download"
    );
    assert_eq!(
        audited(&app, "organisation.signing_key_created").await,
        1,
        "the key was made with this first pack"
    );
}

#[tokio::test]
async fn a_tampered_pack_is_refused_by_core_and_the_cli_naming_the_file() {
    let app = spawn_app().await;
    let s = decided_with_files(&app).await;
    let original = unzip(&download_pack(&app, &s).await);
    let key = published_key(&app, "acme").await;
    let dir = tempfile::tempdir().expect("dir");

    let mut changed = original.clone();
    let evidence = changed.get_mut("evidence/insurance.pdf").expect("the file");
    evidence[40] ^= 0x01;
    let mut added = original.clone();
    added.insert(
        "evidence/backdated.pdf".to_owned(),
        b"%PDF-1.7 later".to_vec(),
    );
    let mut edited = original.clone();
    let manifest = String::from_utf8(edited["manifest.json"].clone()).expect("text");
    edited.insert(
        "manifest.json".to_owned(),
        manifest.replace("\"acme\"", "\"acme-ltd\"").into_bytes(),
    );

    for (case, mut files, named) in [
        (
            "one evidence byte changed",
            changed,
            "evidence/insurance.pdf",
        ),
        ("a file added", added, "evidence/backdated.pdf"),
        ("the manifest edited", edited, "manifest.json"),
    ] {
        let report = pack::verify(&mut files, Some(&key_bytes(&key)));
        assert!(!report.valid, "{case}: refused");
        assert!(
            report.problems.iter().any(|p| p.contains(named)),
            "{case}: names {named} in {:?}",
            report.problems
        );
        if case == "one evidence byte changed" {
            assert!(
                report
                    .files
                    .iter()
                    .any(|f| f.path == named && f.status == FileStatus::Changed)
            );
        }
        let file = dir.path().join("tampered.zip");
        std::fs::write(&file, zip_files(&files)).expect("written");
        let (ok, out) = pack_verify(&file, Some(&key.public_key));
        assert!(!ok, "{case}: the CLI exits non-zero:\n{out}");
        assert!(out.contains("NOT VALID"), "{case}: {out}");
        assert!(out.contains(named), "{case}: the CLI names {named}:\n{out}");
    }
}

#[tokio::test]
async fn a_pack_needs_a_decision_an_export_role_and_the_same_organisation() {
    let app = spawn_app().await;
    let s = submitted_with_files(&app).await;

    let undecided = get_with(&s.risk, &app.url(&s.path("/pack"))).await;
    assert_eq!(undecided.status(), StatusCode::CONFLICT);
    let body: ErrorResponse = undecided.json().await.expect("an error body");
    assert_eq!(body.error.code, "not_decided");
    assert_eq!(
        key_status(&app, "acme").await,
        StatusCode::NOT_FOUND,
        "no key before the first pack, and reading does not make one"
    );

    s.decide(
        &app,
        &json!({ "outcome": "approved", "rationale": "Controls meet the contract." }),
    )
    .await;
    let by_procurement = get_with(&s.sent.procurement, &app.url(&s.path("/pack"))).await;
    assert_eq!(
        by_procurement.status(),
        StatusCode::FORBIDDEN,
        "Procurement may not export"
    );
    let by_vendor = get_with(&s.vendor, &app.url(&s.path("/pack"))).await;
    assert_eq!(
        by_vendor.status(),
        StatusCode::UNAUTHORIZED,
        "a vendor-portal session is not a user"
    );
    app.create_user("Umbrella", "risk@umbrella.test", Role::RiskManager)
        .await;
    let other = app.signed_in("risk@umbrella.test").await;
    let across = get_with(&other, &app.url(&s.path("/pack"))).await;
    assert_eq!(
        across.status(),
        StatusCode::NOT_FOUND,
        "another organisation's assessment does not exist for them"
    );
    app.create_user("Acme", "auditor@acme.test", Role::Auditor)
        .await;
    let auditor = app.signed_in("auditor@acme.test").await;
    let by_auditor = get_with(&auditor, &app.url(&s.path("/pack"))).await;
    assert_eq!(by_auditor.status(), StatusCode::OK, "Auditors export");

    assert_eq!(key_status(&app, "no-such-org").await, StatusCode::NOT_FOUND);
    assert_eq!(
        key_status(&app, "umbrella").await,
        StatusCode::NOT_FOUND,
        "an organisation without packs has no key"
    );
}

#[tokio::test]
async fn two_first_packs_at_once_make_one_key_that_verifies_both() {
    let app = spawn_app().await;
    let s = decided_with_files(&app).await;
    // A second decided assessment in the same organisation.
    let resent = post_with(
        &s.sent.procurement,
        &app.url("/api/assessments"),
        &json!({ "vendor_id": s.sent.assessment.vendor_id, "template_id": s.sent.assessment.template_id,
                 "due_date": "2099-01-31", "recipients": [{ "name": "Walt", "email": "walt@vendor.test" }] }),
    )
    .await;
    assert_eq!(resent.status(), StatusCode::CREATED, "setup: sent again");
    let second: assay_core::api::AssessmentView = resent.json().await.expect("assessment");
    let vendor = vendor_session(&app, &emailed_token(&app, "walt@vendor.test").await).await;
    answer_and_submit(&app, &vendor).await;
    let decided = post_with(
        &s.risk,
        &app.url(&format!("/api/assessments/{}/decision", second.id)),
        &json!({ "outcome": "approved", "rationale": "Fine." }),
    )
    .await;
    assert_eq!(decided.status(), StatusCode::OK, "setup: decided");

    let (first_url, second_url) = (
        app.url(&s.path("/pack")),
        app.url(&format!("/api/assessments/{}/pack", second.id)),
    );
    let (a, b) = tokio::join!(
        get_with(&s.risk, &first_url),
        get_with(&s.risk, &second_url)
    );
    assert_eq!(a.status(), StatusCode::OK);
    assert_eq!(b.status(), StatusCode::OK);
    let key = published_key(&app, "acme").await;
    for response in [a, b] {
        let mut files = unzip(&response.bytes().await.expect("bytes"));
        let report = pack::verify(&mut files, Some(&key_bytes(&key)));
        assert!(
            report.valid,
            "both packs verify with the one published key: {:?}",
            report.problems
        );
    }
    assert_eq!(
        audited(&app, "organisation.signing_key_created").await,
        1,
        "one key was created"
    );
}

#[tokio::test]
async fn many_first_uses_of_the_signing_key_at_once_end_with_one_key() {
    let app = spawn_app().await;
    let admin = app
        .create_user("Acme", "admin@acme.test", Role::Admin)
        .await;
    let caller = assay_server::caller::UserCaller {
        id: admin.id,
        organization_id: admin.organization_id,
        email: admin.email.clone(),
        display_name: "Admin".to_owned(),
        role: Role::Admin,
        epoch: 0,
        mfa_enrolment_required: false,
        token: None,
    };
    let (ctx, master) = (app.ctx(), app.master_key());

    let keys = futures_util::future::join_all(
        (0..8).map(|_| assay_server::services::signing_keys::get_or_create(&ctx, &master, &caller)),
    )
    .await;

    let fingerprints: std::collections::BTreeSet<String> = keys
        .into_iter()
        .map(|k| k.expect("every caller gets the key").info().fingerprint)
        .collect();
    assert_eq!(fingerprints.len(), 1, "one key: {fingerprints:?}");
    let published = published_key(&app, "acme").await;
    assert_eq!(
        fingerprints.first(),
        Some(&published.fingerprint),
        "the stored key is the one every caller signs with"
    );
    assert_eq!(
        audited(&app, "organisation.signing_key_created").await,
        1,
        "the key's creation is audited once"
    );
}

#[tokio::test]
async fn a_browser_that_accepts_brotli_downloads_the_whole_pack() {
    let app = spawn_app().await;
    let s = decided_with_files(&app).await;
    let plain = download_pack(&app, &s).await;
    let response = s
        .risk
        .get(app.url(&s.path("/pack")))
        .header("accept-encoding", "br")
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
    let compressed = response
        .bytes()
        .await
        .expect("the compressed download reaches its end");
    let mut unpacked = Vec::new();
    brotli::BrotliDecompress(&mut Cursor::new(&compressed[..]), &mut unpacked)
        .expect("valid brotli");
    assert_eq!(
        unpacked.len(),
        plain.len(),
        "the compressed download holds a whole pack"
    );
    assert!(
        unzip(&unpacked).contains_key("manifest.sig"),
        "and it is a pack"
    );
}
