use crate::helpers::spawn_app;

/// Every route the server answers under /api, with its methods. A route added to the
/// router but not here, or here but not documented, fails this test.
const ROUTES: &[(&str, &[&str])] = &[
    ("/api/health", &["get"]),
    ("/api/openapi.json", &["get"]),
    ("/api/auth/login", &["post"]),
    ("/api/auth/logout", &["post"]),
    ("/api/auth/me", &["get"]),
    ("/api/auth/password", &["post"]),
    ("/api/auth/mfa/setup", &["post"]),
    ("/api/auth/mfa/enable", &["post"]),
    ("/api/auth/mfa/disable", &["post"]),
    ("/api/organization", &["patch"]),
    ("/api/users", &["get", "post"]),
    ("/api/users/{id}", &["patch"]),
    ("/api/invitations/accept", &["post"]),
    ("/api/outbox", &["get"]),
    ("/api/audit", &["get"]),
    ("/api/audit/export.csv", &["get"]),
    ("/api/audit/export.json", &["get"]),
    ("/api/audit/verify", &["get"]),
    ("/api/vendors", &["get", "post"]),
    ("/api/vendors/{id}", &["get", "patch", "delete"]),
    ("/api/vendors/{id}/contract", &["put"]),
    ("/api/templates", &["get", "post"]),
    ("/api/templates/{id}", &["get"]),
    ("/api/templates/{id}/publish", &["post"]),
    ("/api/templates/{id}/draft", &["put"]),
    ("/api/assessments", &["get", "post"]),
    ("/api/assessments/{id}", &["get", "patch"]),
    ("/api/assessments/{id}/cancel", &["post"]),
    ("/api/assessments/{id}/resend", &["post"]),
    ("/api/assessments/{id}/revoke", &["post"]),
    ("/api/portal/session", &["post"]),
    ("/api/portal/assessment", &["get"]),
    ("/api/portal/answers/{question_id}", &["put"]),
    ("/api/portal/submit", &["post"]),
    ("/api/portal/evidence", &["post"]),
    ("/api/portal/evidence/{id}", &["get", "delete"]),
    ("/api/portal/delegations", &["post"]),
    ("/api/evidence/{id}", &["get"]),
    ("/api/assessments/{id}/scorecard", &["get"]),
    ("/api/assessments/{id}/reviews/{question_id}", &["put"]),
    ("/api/assessments/{id}/clarifications", &["post"]),
    ("/api/portal/clarifications", &["post"]),
    ("/api/assessments/{id}/overrides", &["post"]),
    ("/api/assessments/{id}/overrides/{override_id}", &["delete"]),
    ("/api/assessments/{id}/decision", &["post"]),
    ("/api/remediations", &["get", "post"]),
    ("/api/remediations/{id}", &["patch"]),
    ("/api/remediations/{id}/close", &["post"]),
    ("/api/portal/remediations/{id}", &["put"]),
    ("/api/scoring-models", &["get", "post"]),
    ("/api/scoring-models/what-if", &["post"]),
    ("/api/dashboard", &["get"]),
    ("/api/tokens", &["get", "post"]),
    ("/api/tokens/{id}", &["delete"]),
    ("/api/assessments/{id}/export.pdf", &["get"]),
    ("/api/assessments/{id}/export.json", &["get"]),
    ("/api/assessments/{id}/export.csv", &["get"]),
    ("/api/exports/portfolio.xlsx", &["get"]),
    ("/api/exports/portfolio.csv", &["get"]),
    ("/api/incidents", &["get", "post"]),
    ("/api/incidents/{id}", &["get"]),
    ("/api/incidents/{id}/updates", &["post"]),
    ("/api/portal/incidents", &["get", "post"]),
    ("/api/portal/incidents/{id}", &["get"]),
    ("/api/portal/incidents/{id}/updates", &["post"]),
];

#[tokio::test]
async fn openapi_document_lists_every_route() {
    let app = spawn_app().await;

    let doc: serde_json::Value = app
        .get("/api/openapi.json")
        .await
        .json()
        .await
        .expect("the OpenAPI document is JSON");

    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().expect("paths");
    for (path, methods) in ROUTES {
        let item = paths
            .get(*path)
            .unwrap_or_else(|| panic!("{path} is missing from the OpenAPI document"));
        for method in *methods {
            assert!(
                item.get(*method).is_some(),
                "{method} {path} is not documented"
            );
        }
    }
    assert_eq!(
        paths.len(),
        ROUTES.len(),
        "the document lists routes this test does not know: {:?}",
        paths.keys().collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn every_documented_route_is_served() {
    let app = spawn_app().await;
    let doc: serde_json::Value = app
        .get("/api/openapi.json")
        .await
        .json()
        .await
        .expect("json");

    for (path, item) in doc["paths"].as_object().expect("paths") {
        if item.get("get").is_some() && !path.contains('{') {
            let status = app.get(path).await.status();
            assert_ne!(status, 404, "documented route {path} is not served");
        }
    }
}

#[tokio::test]
async fn writes_carry_examples_and_tokens_are_a_documented_scheme() {
    let app = spawn_app().await;
    let doc: serde_json::Value = app
        .get("/api/openapi.json")
        .await
        .json()
        .await
        .expect("json");
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(schemes["api_token"]["scheme"], "bearer");
    for (path, method) in [
        ("/api/assessments/{id}/overrides", "post"),
        ("/api/assessments/{id}/decision", "post"),
        ("/api/assessments/{id}/clarifications", "post"),
        ("/api/remediations", "post"),
        ("/api/scoring-models", "post"),
        ("/api/tokens", "post"),
    ] {
        let example =
            &doc["paths"][path][method]["requestBody"]["content"]["application/json"]["example"];
        assert!(
            example.is_object(),
            "{method} {path} has an example: {example}"
        );
    }
}
