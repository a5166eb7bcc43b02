//! The template library.

use assay_core::access::Role;
use assay_core::api::{ErrorResponse, TemplateView};
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{get_with, post_with, spawn_app};

fn vsaq(name: &str) -> String {
    let path = crate::helpers::in_crate(&format!("../../shared/testdata/vsaq/{name}"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[tokio::test]
async fn every_organisation_sees_the_published_built_in_baseline() {
    let app = spawn_app().await;
    app.create_user("Acme", "aud@acme.test", Role::Auditor)
        .await;
    let auditor = app.signed_in("aud@acme.test").await;

    let list: Vec<TemplateView> = get_with(&auditor, &app.url("/api/templates"))
        .await
        .json()
        .await
        .expect("list");

    let baseline = list.iter().find(|t| t.built_in).expect("the baseline");
    assert_eq!(
        baseline.title,
        "Assay Baseline — Security & Data Protection"
    );
    assert_eq!(baseline.summary["questions"], 51);
    assert_eq!(baseline.versions.len(), 1);
    assert_eq!(baseline.versions[0].version, 1);
}

#[tokio::test]
async fn a_vsaq_file_is_imported_as_a_draft_and_published_as_immutable_versions() {
    let app = spawn_app().await;
    app.create_user("Acme", "pro@acme.test", Role::Procurement)
        .await;
    let pro = app.signed_in("pro@acme.test").await;

    let created = post_with(
        &pro,
        &app.url("/api/templates"),
        &json!({ "content": vsaq("webapp.json") }),
    )
    .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let template: TemplateView = created.json().await.expect("template");
    assert_eq!(template.source_format, "vsaq");
    assert_eq!(template.summary["questions"], 73);
    assert!(template.versions.is_empty(), "a draft until published");
    let publish_url = app.url(&format!("/api/templates/{}/publish", template.id));

    let published: TemplateView = post_with(&pro, &publish_url, &json!({}))
        .await
        .json()
        .await
        .expect("published");
    let again = post_with(&pro, &publish_url, &json!({})).await;

    assert_eq!(published.versions.len(), 1);
    assert_eq!(published.versions[0].sha256.len(), 64);
    assert_eq!(
        again.status(),
        StatusCode::CONFLICT,
        "nothing changed since version 1"
    );
    let baseline_publish = post_with(
        &pro,
        &app.url(&format!(
            "/api/templates/{}/publish",
            assay_server::services::templates::BASELINE_ID
        )),
        &json!({}),
    )
    .await;
    assert_eq!(
        baseline_publish.status(),
        StatusCode::CONFLICT,
        "built-in templates are Assay's"
    );
}

#[tokio::test]
async fn a_broken_file_is_refused_with_its_line_and_nothing_is_stored() {
    let app = spawn_app().await;
    app.create_user("Acme", "pro@acme.test", Role::Procurement)
        .await;
    let pro = app.signed_in("pro@acme.test").await;
    let broken = "{\n \"questionnaire\": [{\n  \"type\": \"block\", \"text\": \"x\", \"items\": [\n   {\"type\": \"yesno\", \"id\": \"q1\", \"cond\": \"a &&\"}\n  ]}]\n}\n";

    let response = post_with(
        &pro,
        &app.url("/api/templates"),
        &json!({ "content": broken, "format": "vsaq" }),
    )
    .await;
    let unknown = post_with(
        &pro,
        &app.url("/api/templates"),
        &json!({ "content": "hello" }),
    )
    .await;

    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: ErrorResponse = response.json().await.expect("error");
    assert_eq!(body.error.field.as_deref(), Some("content"));
    assert!(
        body.error.message.contains("line 4") && body.error.message.contains("q1"),
        "{}",
        body.error.message
    );
    assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let list: Vec<TemplateView> = get_with(&pro, &app.url("/api/templates"))
        .await
        .json()
        .await
        .expect("list");
    assert_eq!(list.len(), 1, "only the baseline");
}

#[tokio::test]
async fn templates_stay_inside_their_organisation_and_auditors_cannot_import() {
    let app = spawn_app().await;
    app.create_user("Acme", "pro@acme.test", Role::Procurement)
        .await;
    app.create_user("Acme", "aud@acme.test", Role::Auditor)
        .await;
    app.create_user("Beta", "pro@beta.test", Role::Procurement)
        .await;
    let pro = app.signed_in("pro@acme.test").await;
    let auditor = app.signed_in("aud@acme.test").await;
    let stranger = app.signed_in("pro@beta.test").await;
    let template: TemplateView = post_with(
        &pro,
        &app.url("/api/templates"),
        &json!({ "content": vsaq("test_template.json") }),
    )
    .await
    .json()
    .await
    .expect("template");
    let url = app.url(&format!("/api/templates/{}", template.id));

    assert_eq!(get_with(&auditor, &url).await.status(), StatusCode::OK);
    assert_eq!(
        post_with(
            &auditor,
            &app.url("/api/templates"),
            &json!({ "content": vsaq("test_template.json") })
        )
        .await
        .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        get_with(&stranger, &url).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        post_with(&stranger, &format!("{url}/publish"), &json!({}))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let theirs: Vec<TemplateView> = get_with(&stranger, &app.url("/api/templates"))
        .await
        .json()
        .await
        .expect("list");
    assert!(theirs.iter().all(|t| t.built_in), "{theirs:?}");
}
