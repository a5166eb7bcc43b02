//! Evidence in an S3-compatible bucket: a real S3 server (moto) on the loopback, the real
//! application booted with `evidence_store = "s3"`, and the bucket read directly to check
//! what is at rest.

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use assay_core::api::{ErrorResponse, EvidenceView};
use assay_server::config::EvidenceBackend;
use object_store::aws::AmazonS3Builder;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use secrecy::SecretString;

use crate::assessments::{send, vendor_session};
use crate::helpers::{TestApp, get_with, spawn_app_with};

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\nSOC 2 Type II report, period ending 2026-06-30\n%%EOF\n";
const BUCKET: &str = "assay-evidence";
const PREFIX: &str = "tenant-a/evidence";
const INSTALL: &str =
    "install it with: python3 -m pip install 'moto[server]' (./scripts/test does)";

/// A moto S3 server on a free loopback port, stopped when dropped.
struct S3Server {
    child: Child,
    endpoint: String,
    log: tempfile::NamedTempFile,
}

impl S3Server {
    /// Starts moto and waits until it answers; any failure fails the test, never skips it.
    async fn start() -> S3Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free loopback port")
            .port();
        let log = tempfile::NamedTempFile::new().expect("a log file for moto");
        let output = || Stdio::from(log.reopen().expect("moto's log file"));
        let child = Command::new("python3")
            .args([
                "-m",
                "moto.server",
                "-H",
                "127.0.0.1",
                "-p",
                &port.to_string(),
            ])
            .stdin(Stdio::null())
            .stdout(output())
            .stderr(output())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("could not run python3 for the moto S3 server: {e}; {INSTALL}")
            });
        let mut server = S3Server {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
            log,
        };
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(status) = server.child.try_wait().expect("moto's status") {
                panic!(
                    "the moto S3 server exited ({status}) before answering; {INSTALL}\n{}",
                    server.log_text()
                );
            }
            if client.get(&server.endpoint).send().await.is_ok() {
                return server;
            }
            assert!(
                Instant::now() < deadline,
                "the moto S3 server did not answer on {} within 60 s\n{}",
                server.endpoint,
                server.log_text()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(self.log.path()).unwrap_or_default()
    }

    /// S3's CreateBucket; moto accepts it unsigned.
    async fn create_bucket(&self, name: &str) {
        let response = reqwest::Client::new()
            .put(format!("{}/{name}", self.endpoint))
            .send()
            .await
            .expect("moto should answer CreateBucket");
        assert!(
            response.status().is_success(),
            "creating bucket {name} failed: {}",
            response.status()
        );
    }

    /// A client of the bucket for the test itself, to see what the server stored.
    fn bucket(&self, name: &str) -> Arc<dyn ObjectStore> {
        let store = AmazonS3Builder::new()
            .with_bucket_name(name)
            .with_region("us-east-1")
            .with_endpoint(&self.endpoint)
            .with_allow_http(true)
            .with_access_key_id("test-key")
            .with_secret_access_key("test-secret")
            .build()
            .expect("an S3 client for moto");
        Arc::new(store)
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The application with its evidence in `BUCKET` under `PREFIX` on `s3`.
async fn spawn_app_on(s3: &S3Server) -> TestApp {
    s3.create_bucket(BUCKET).await;
    let endpoint = s3.endpoint.clone();
    spawn_app_with(move |s| {
        s.evidence_store = EvidenceBackend::S3;
        s.s3_bucket = Some(BUCKET.to_owned());
        s.s3_endpoint = Some(endpoint);
        s.s3_allow_http = true;
        s.s3_prefix = Some(PREFIX.to_owned());
        s.s3_access_key_id = Some("test-key".to_owned());
        s.s3_secret_access_key = Some(SecretString::from("test-secret".to_owned()));
    })
    .await
}

async fn upload(app: &TestApp, client: &reqwest::Client, bytes: &[u8]) -> EvidenceView {
    let form = Form::new()
        .part(
            "file",
            Part::bytes(bytes.to_vec()).file_name("SOC 2 report.pdf"),
        )
        .text("kind", "soc2_type2")
        .text("expires_on", "2027-06-30");
    let response = client
        .post(app.url("/api/portal/evidence"))
        .header("sec-fetch-site", "same-origin")
        .multipart(form)
        .send()
        .await
        .expect("request");
    assert_eq!(
        response.status(),
        StatusCode::CREATED,
        "the upload is stored"
    );
    response.json().await.expect("evidence")
}

/// Every object under `prefix`, walking the "directories" S3 lists.
async fn objects_under(store: &dyn ObjectStore, prefix: &str) -> Vec<ObjectPath> {
    let mut pending = vec![ObjectPath::parse(prefix).expect("prefix")];
    let mut found = Vec::new();
    while let Some(dir) = pending.pop() {
        let listing = store
            .list_with_delimiter(Some(&dir))
            .await
            .expect("the bucket can be listed");
        pending.extend(listing.common_prefixes);
        found.extend(listing.objects.into_iter().map(|o| o.location));
    }
    found
}

async fn read_object(store: &dyn ObjectStore, location: &ObjectPath) -> Vec<u8> {
    store
        .get(location)
        .await
        .expect("the object exists")
        .bytes()
        .await
        .expect("its bytes")
        .to_vec()
}

#[tokio::test]
async fn evidence_in_an_s3_bucket_is_sealed_at_rest_and_downloads_intact() {
    let s3 = S3Server::start().await;
    let app = spawn_app_on(&s3).await;
    let sent = send(&app).await;
    let vendor = vendor_session(&app, &sent.token).await;

    let stored = upload(&app, &vendor, PDF).await;
    let download = get_with(
        &sent.procurement,
        &app.url(&format!("/api/evidence/{}", stored.id)),
    )
    .await;

    assert_eq!(download.status(), StatusCode::OK);
    assert_eq!(download.bytes().await.expect("bytes").as_ref(), PDF);
    let bucket = s3.bucket(BUCKET);
    let objects = objects_under(bucket.as_ref(), "").await;
    assert_eq!(objects.len(), 1, "one object in the bucket: {objects:?}");
    let hex = stored.id.simple().to_string();
    assert_eq!(
        objects[0].as_ref(),
        format!("{PREFIX}/{}/{}/{hex}.blob", &hex[..2], &hex[2..4]),
        "the blob is under the prefix, in the same layout as on disk"
    );
    let at_rest = read_object(bucket.as_ref(), &objects[0]).await;
    assert!(
        !PDF.windows(8)
            .any(|plain| at_rest.windows(8).any(|w| w == plain)),
        "no 8 bytes of the file appear in the stored object"
    );
    assert!(
        !app.data_dir().join("evidence").exists(),
        "nothing is written to the local disk"
    );
}

#[tokio::test]
async fn an_object_altered_in_the_bucket_is_never_served() {
    let s3 = S3Server::start().await;
    let app = spawn_app_on(&s3).await;
    let sent = send(&app).await;
    let vendor = vendor_session(&app, &sent.token).await;
    let stored = upload(&app, &vendor, PDF).await;
    let bucket = s3.bucket(BUCKET);
    let location = objects_under(bucket.as_ref(), PREFIX)
        .await
        .pop()
        .expect("the uploaded object");
    let mut bytes = read_object(bucket.as_ref(), &location).await;
    let last = bytes.len() - 1;
    bytes[last] ^= 0x55;
    bucket
        .put(&location, PutPayload::from(bytes))
        .await
        .expect("tamper");

    let download = get_with(
        &sent.procurement,
        &app.url(&format!("/api/evidence/{}", stored.id)),
    )
    .await;

    assert_eq!(download.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let error: ErrorResponse = download.json().await.expect("error body, not the file");
    assert_eq!(error.error.code, "internal_error");
}
