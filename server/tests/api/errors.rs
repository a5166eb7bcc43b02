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
        .delete(app.url("/api/health"))
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
