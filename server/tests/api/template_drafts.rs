//! The template editor's API: a draft is replaced by an edited template, checked by core;
//! publishing it makes a new version, and what was already sent never changes.

use assay_core::api::{AssessmentView, ErrorResponse, PortalAssessment, TemplateView};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::assessments::{send, vendor_session};
use crate::helpers::{TestApp, get_with, post_with, spawn_app};

async fn put_draft(
    app: &TestApp,
    client: &reqwest::Client,
    id: uuid::Uuid,
    body: &Value,
) -> reqwest::Response {
    client
        .put(app.url(&format!("/api/templates/{id}/draft")))
        .json(body)
        .send()
        .await
        .expect("request")
}

#[tokio::test]
async fn an_edited_draft_publishes_as_a_new_version_and_what_was_sent_stays_as_sent() {
    let app = spawn_app().await;
    let sent = send(&app).await;
    let pro = &sent.procurement;
    let template: TemplateView = get_with(
        pro,
        &app.url(&format!("/api/templates/{}", sent.assessment.template_id)),
    )
    .await
    .json()
    .await
    .expect("template");
    let mut draft = template
        .draft
        .clone()
        .expect("a single template carries its draft");
    assert!(!template.unpublished_changes, "just published");
    draft["title"] = json!("Mini, second edition");
    draft["items"].as_array_mut().expect("items").push(json!({
        "type": "question", "id": "q_mfa", "text": "Do you enforce MFA?", "kind": { "kind": "yes_no" }, "required": true
    }));

    let saved = put_draft(&app, pro, template.id, &draft).await;
    assert_eq!(saved.status(), StatusCode::OK);
    let saved: TemplateView = saved.json().await.expect("template");
    assert!(saved.unpublished_changes);
    assert_eq!(saved.title, "Mini, second edition");
    let published: TemplateView = post_with(
        pro,
        &app.url(&format!("/api/templates/{}/publish", template.id)),
        &json!({}),
    )
    .await
    .json()
    .await
    .expect("published");

    assert_eq!(published.versions.len(), 2);
    assert!(!published.unpublished_changes);
    let vendor = vendor_session(&app, &sent.token).await;
    let portal: PortalAssessment = get_with(&vendor, &app.url("/api/portal/assessment"))
        .await
        .json()
        .await
        .expect("portal");
    assert_eq!(
        portal.title, "Mini",
        "the vendor still answers the version sent"
    );
    assert!(!portal.template.to_string().contains("q_mfa"));
    // To another vendor: the first still has this template open.
    let other_vendor =
        crate::helpers::new_vendor(pro, &app.url("/api/vendors"), "Other Vendor Ltd").await;
    let again: AssessmentView = post_with(
        pro,
        &app.url("/api/assessments"),
        &json!({ "vendor_id": other_vendor, "template_id": template.id, "due_date": "2099-02-28",
                 "recipients": [{ "name": "Vera", "email": "vera@vendor.test" }] }),
    )
    .await
    .json()
    .await
    .expect("assessment");
    assert_eq!(
        again.template_version, 2,
        "new assessments get the new version"
    );
    assert_eq!(again.title, "Mini, second edition");
}

#[tokio::test]
async fn a_broken_draft_is_refused_naming_the_item_and_the_stored_draft_is_kept() {
    let app = spawn_app().await;
    let sent = send(&app).await;
    let pro = &sent.procurement;
    let id = sent.assessment.template_id;
    let duplicate = json!({ "title": "T", "items": [
        { "type": "question", "id": "q1", "text": "A?", "kind": { "kind": "yes_no" } },
        { "type": "question", "id": "q1", "text": "B?", "kind": { "kind": "yes_no" } }
    ]});
    let choiceless = json!({ "title": "T", "items": [
        { "type": "question", "id": "q1", "text": "A?", "kind": { "kind": "single_choice", "choices": [] } }
    ]});
    let bad_condition = json!({ "title": "T", "items": [
        { "type": "question", "id": "q1", "text": "A?", "kind": { "kind": "yes_no" }, "condition": "q0 &&" }
    ]});

    for (body, needle) in [
        (&duplicate, "“q1”"),
        (&choiceless, "“q1”"),
        (&bad_condition, ""),
    ] {
        let response = put_draft(&app, pro, id, body).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}"
        );
        let error: ErrorResponse = response.json().await.expect("error");
        assert_eq!(error.error.field.as_deref(), Some("template"));
        assert!(
            error.error.message.contains(needle),
            "{}",
            error.error.message
        );
    }
    let kept: TemplateView = get_with(pro, &app.url(&format!("/api/templates/{id}")))
        .await
        .json()
        .await
        .expect("template");
    assert_eq!(kept.title, "Mini", "the stored draft is untouched");
}

#[tokio::test]
async fn the_built_in_baseline_cannot_be_edited_and_auditors_cannot_edit_at_all() {
    let app = spawn_app().await;
    let sent = send(&app).await;
    app.create_user("Acme", "aud@acme.test", assay_core::access::Role::Auditor)
        .await;
    let auditor = app.signed_in("aud@acme.test").await;
    let list: Vec<TemplateView> = get_with(&sent.procurement, &app.url("/api/templates"))
        .await
        .json()
        .await
        .expect("list");
    let baseline = list.iter().find(|t| t.built_in).expect("baseline");
    let body = json!({ "title": "Mine", "items": [
        { "type": "question", "id": "q1", "text": "A?", "kind": { "kind": "yes_no" } }
    ]});

    let built_in = put_draft(&app, &sent.procurement, baseline.id, &body).await;
    let by_auditor = put_draft(&app, &auditor, sent.assessment.template_id, &body).await;

    assert_eq!(built_in.status(), StatusCode::CONFLICT);
    assert_eq!(by_auditor.status(), StatusCode::FORBIDDEN);
}
