use crate::helpers::spawn_app;

#[tokio::test]
async fn client_side_routes_get_the_web_app_page_not_a_json_error() {
    let app = spawn_app().await;

    let response = app.get("/vendors/some-client-route").await;

    // 200 with the app when the frontend has been built, 503 with an explanation when the
    // server was compiled without it; never the API's JSON 404.
    assert!(
        response.status() == 200 || response.status() == 503,
        "status {}",
        response.status()
    );
    let content_type = response.headers()["content-type"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(content_type.starts_with("text/html"), "{content_type}");
    let body = response.text().await.expect("text");
    assert!(body.contains("Assay"), "{body}");
}
