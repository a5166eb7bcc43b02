use assay_core::api::ErrorResponse;
use reqwest::StatusCode;

use crate::helpers::spawn_app;

async fn error_of(response: reqwest::Response) -> (StatusCode, ErrorResponse, String) {
    let status = response.status();
    let request_id = response.headers()["x-request-id"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let body: ErrorResponse = response
        .json()
        .await
        .expect("every API error has the JSON error body");
    (status, body, request_id)
}

#[tokio::test]
async fn unknown_api_path_is_a_json_404_and_never_the_web_app() {
    let app = spawn_app().await;

    let (status, body, request_id) = error_of(app.get("/api/no-such-thing").await).await;

    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body.error.code, "not_found");
    assert_eq!(body.error.request_id.as_deref(), Some(request_id.as_str()));
}

#[tokio::test]
async fn wrong_method_is_a_json_405() {
    let app = spawn_app().await;

    let response = app
        .client
        .post(app.url("/api/health"))
        .json(&serde_json::json!({}))
        .send()
        .await
        .expect("request");
    let (status, body, _) = error_of(response).await;

    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(body.error.code, "method_not_allowed");
}

#[tokio::test]
async fn json_error_body_has_code_message_and_request_id_fields() {
    let app = spawn_app().await;

    let raw: serde_json::Value = app.get("/api/missing").await.json().await.expect("json");

    let error = &raw["error"];
    assert!(error["code"].is_string(), "{raw}");
    assert!(error["message"].is_string(), "{raw}");
    assert!(error["request_id"].is_string(), "{raw}");
}

#[tokio::test]
async fn malformed_json_is_a_400_in_the_error_format() {
    let app = spawn_app().await;

    let response = app
        .client
        .post(app.url("/api/auth/login"))
        .header("content-type", "application/json")
        .body("{\"email\": ")
        .send()
        .await
        .expect("request");
    let (status, body, _) = error_of(response).await;

    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body.error.code, "malformed_json");
}

#[tokio::test]
async fn a_body_that_is_not_json_is_a_415() {
    let app = spawn_app().await;

    let response = app
        .client
        .post(app.url("/api/auth/login"))
        .header("content-type", "application/xml")
        .body("<login/>")
        .send()
        .await
        .expect("request");
    let (status, body, _) = error_of(response).await;

    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(body.error.code, "unsupported_media_type");
}

#[tokio::test]
async fn an_oversized_body_is_a_413() {
    let app = spawn_app().await;
    let huge = format!(
        "{{\"email\":\"{}\",\"password\":\"x\"}}",
        "a".repeat(2 * 1024 * 1024)
    );

    let response = app
        .client
        .post(app.url("/api/auth/login"))
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .expect("request");
    let (status, body, _) = error_of(response).await;

    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(body.error.code, "payload_too_large");
}
