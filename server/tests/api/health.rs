use assay_core::api::{DatabaseKind, HealthResponse, HealthStatus};

use crate::helpers::spawn_app;

#[tokio::test]
async fn health_reports_version_and_database_after_a_round_trip() {
    let app = spawn_app().await;

    let response = app.get("/api/health").await;

    assert_eq!(response.status(), 200);
    let body: HealthResponse = response.json().await.expect("a health body");
    assert_eq!(body.status, HealthStatus::Ok);
    assert_eq!(body.version, env!("CARGO_PKG_VERSION"));
    let expected = match app.expected_database {
        "postgres" => DatabaseKind::Postgres,
        _ => DatabaseKind::Sqlite,
    };
    assert_eq!(
        body.database, expected,
        "health should name the engine in use"
    );
}

#[tokio::test]
async fn api_responses_are_never_cached_and_carry_security_headers() {
    let app = spawn_app().await;

    let response = app.get("/api/health").await;

    let headers = response.headers();
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "no-referrer");
    let csp = headers["content-security-policy"].to_str().expect("ascii");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(csp.contains("'wasm-unsafe-eval'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
}

#[tokio::test]
async fn every_response_has_a_fresh_server_chosen_request_id() {
    let app = spawn_app().await;

    let first = app
        .client
        .get(app.url("/api/health"))
        .header("x-request-id", "forged-id")
        .send()
        .await
        .expect("request");
    let second = app.get("/api/health").await;

    let a = first.headers()["x-request-id"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let b = second.headers()["x-request-id"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert_ne!(a, "forged-id", "a client-sent id must not be trusted");
    assert!(uuid::Uuid::parse_str(&a).is_ok(), "{a}");
    assert_ne!(a, b, "each request gets its own id");
}
