use assay_core::api::*;
use assay_core::schedule::ScheduleSettings;
use assay_core::template::Template;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::helpers::spawn_app;

/// Every route the server answers under /api, with its methods. A route added to the
/// router but not here, or here but not documented, fails this test.
const ROUTES: &[(&str, &[&str])] = &[
    ("/api/health", &["get"]),
    ("/api/openapi.json", &["get"]),
    ("/api/setup", &["get", "post"]),
    ("/api/auth/login", &["post"]),
    ("/api/auth/logout", &["post"]),
    ("/api/auth/me", &["get"]),
    ("/api/auth/oidc/start", &["get"]),
    ("/api/auth/oidc/callback", &["get"]),
    ("/api/auth/password", &["post"]),
    ("/api/auth/mfa/setup", &["post"]),
    ("/api/auth/mfa/enable", &["post"]),
    ("/api/auth/mfa/disable", &["post"]),
    ("/api/organization", &["patch"]),
    ("/api/users", &["get", "post"]),
    ("/api/users/{id}", &["patch"]),
    ("/api/users/{id}/password-reset", &["post"]),
    ("/api/invitations/accept", &["post"]),
    ("/api/outbox", &["get"]),
    ("/api/audit", &["get"]),
    ("/api/audit/export.csv", &["get"]),
    ("/api/audit/export.json", &["get"]),
    ("/api/audit/verify", &["get"]),
    ("/api/vendors", &["get", "post"]),
    ("/api/vendors/{id}", &["get", "patch", "delete"]),
    ("/api/vendors/{id}/contract", &["get", "put"]),
    ("/api/vendors/{id}/contracts", &["get"]),
    ("/api/vendors/{id}/restore", &["post"]),
    ("/api/vendors/{id}/evidence", &["get"]),
    ("/api/templates", &["get", "post"]),
    ("/api/templates/{id}", &["get"]),
    ("/api/templates/{id}/export.xlsx", &["get"]),
    ("/api/templates/{id}/publish", &["post"]),
    ("/api/templates/{id}/draft", &["put"]),
    ("/api/assessments", &["get", "post"]),
    ("/api/assessments/{id}", &["get", "patch"]),
    ("/api/assessments/{id}/cancel", &["post"]),
    ("/api/assessments/{id}/resend", &["post"]),
    ("/api/assessments/{id}/revoke", &["post"]),
    ("/api/assessments/{id}/recipients/resend", &["post"]),
    ("/api/assessments/{id}/recipients/revoke", &["post"]),
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
    ("/api/assessments/{id}/acceptances", &["post"]),
    (
        "/api/assessments/{id}/acceptances/{acceptance_id}",
        &["delete"],
    ),
    ("/api/assessments/{id}/decision", &["post"]),
    ("/api/remediations", &["get", "post"]),
    ("/api/remediations/{id}", &["patch"]),
    ("/api/remediations/{id}/close", &["post"]),
    ("/api/portal/remediations/{id}", &["put"]),
    ("/api/scoring-models", &["get", "post"]),
    ("/api/scoring-models/what-if", &["post"]),
    ("/api/dashboard", &["get"]),
    ("/api/work", &["get"]),
    ("/api/tokens", &["get", "post"]),
    ("/api/tokens/{id}", &["delete"]),
    ("/api/assessments/{id}/export.pdf", &["get"]),
    ("/api/assessments/{id}/export.json", &["get"]),
    ("/api/assessments/{id}/export.csv", &["get"]),
    ("/api/assessments/{id}/oscal", &["get"]),
    ("/api/portal/answers.xlsx", &["get"]),
    ("/api/portal/answers/import", &["post"]),
    ("/api/portal/answers/import/apply", &["post"]),
    ("/api/assessments/{id}/answers.xlsx", &["get"]),
    ("/api/assessments/{id}/answers/import", &["post"]),
    ("/api/assessments/{id}/answers/import/apply", &["post"]),
    ("/api/exports/portfolio.xlsx", &["get"]),
    ("/api/exports/portfolio.csv", &["get"]),
    ("/api/assessments/{id}/pack", &["get"]),
    ("/api/organizations/{slug}/signing-key", &["get"]),
    ("/api/assessments/{id}/send", &["post"]),
    ("/api/bulk-sends", &["get", "post"]),
    ("/api/bulk-sends/{id}", &["get"]),
    ("/api/assessments/bulk", &["post"]),
    ("/api/settings/regimes", &["get", "put"]),
    ("/api/settings/adequacy", &["get", "put"]),
    ("/api/settings/policy", &["get", "put"]),
    ("/api/settings/sso", &["get", "put"]),
    ("/api/settings/client-profile", &["get", "put"]),
    ("/api/vendors/{id}/subprocessors", &["get", "put"]),
    ("/api/portal/subprocessors", &["get", "post"]),
    ("/api/fourth-parties", &["get"]),
    ("/api/fourth-parties/export.csv", &["get"]),
    ("/api/settings/schedules", &["get", "put"]),
    ("/api/settings/exchange-rates", &["get", "put"]),
    ("/api/people", &["get"]),
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

const METHODS: [&str; 5] = ["get", "put", "post", "patch", "delete"];

/// The document as the running application serves it.
async fn served_document() -> Value {
    let app = spawn_app().await;
    app.get("/api/openapi.json")
        .await
        .json()
        .await
        .expect("the OpenAPI document is JSON")
}

/// A documented example of a JSON body.
struct Example<'a> {
    path: &'a str,
    method: &'a str,
    /// `request` or the response status.
    part: String,
    value: &'a Value,
}

/// The examples of one media type object: `example`, or every `examples.*.value`.
fn examples_of(media: &Value) -> Vec<&Value> {
    let mut found: Vec<&Value> = media.get("example").into_iter().collect();
    if let Some(named) = media.get("examples").and_then(Value::as_object) {
        found.extend(named.values().filter_map(|e| e.get("value")));
    }
    found
}

/// Every JSON request body and 2xx JSON response of the document, with its examples (none
/// when it has none).
fn json_bodies(doc: &Value) -> Vec<(&str, &str, String, Vec<&Value>)> {
    let mut bodies = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in METHODS {
            let Some(operation) = item.get(method) else {
                continue;
            };
            if let Some(media) = operation.pointer("/requestBody/content/application~1json") {
                bodies.push((
                    path.as_str(),
                    method,
                    "request".to_owned(),
                    examples_of(media),
                ));
            }
            for (status, response) in operation["responses"].as_object().expect("responses") {
                if !status.starts_with('2') {
                    continue;
                }
                if let Some(media) = response.pointer("/content/application~1json") {
                    bodies.push((path.as_str(), method, status.clone(), examples_of(media)));
                }
            }
        }
    }
    bodies
}

fn examples(doc: &Value) -> Vec<Example<'_>> {
    json_bodies(doc)
        .into_iter()
        .flat_map(|(path, method, part, values)| {
            values.into_iter().map(move |value| Example {
                path,
                method,
                part: part.clone(),
                value,
            })
        })
        .collect()
}

#[tokio::test]
async fn openapi_every_json_request_and_success_response_carries_an_example() {
    let doc = served_document().await;

    let bodies = json_bodies(&doc);
    let missing: Vec<String> = bodies
        .iter()
        .filter(|(_, _, _, examples)| examples.is_empty())
        .map(|(path, method, part, _)| match part.as_str() {
            "request" => format!("{} {path}: the request body", method.to_uppercase()),
            status => format!("{} {path}: the {status} response", method.to_uppercase()),
        })
        .collect();

    assert!(
        bodies.len() > 80,
        "the walk found only {} JSON bodies; is the document complete?",
        bodies.len()
    );
    assert!(
        missing.is_empty(),
        "these JSON bodies have no example:\n  {}",
        missing.join("\n  ")
    );
}

type Check = fn(&Value) -> Result<(), String>;

/// The example deserialises into `T`, and serialising that again gives back every value the
/// example states: a misspelt or unknown field (which serde would skip) fails too.
fn parses<T: DeserializeOwned + Serialize>(example: &Value) -> Result<(), String> {
    let parsed: T = serde_json::from_value(example.clone()).map_err(|e| e.to_string())?;
    let again = serde_json::to_value(&parsed).map_err(|e| e.to_string())?;
    match first_difference(example, &again, String::new()) {
        None => Ok(()),
        Some(at) => Err(format!(
            "`{at}` does not survive a round trip through the type (misspelt or unknown field?)"
        )),
    }
}

/// Where `example` states something `actual` does not hold; numbers compare by value
/// (`2` and `2.0` are the same weight), and a stated `null` matches an absent field.
fn first_difference(example: &Value, actual: &Value, at: String) -> Option<String> {
    match (example, actual) {
        (Value::Object(stated), Value::Object(held)) => stated.iter().find_map(|(key, value)| {
            let at = format!("{at}.{key}");
            match held.get(key) {
                Some(other) => first_difference(value, other, at),
                None if value.is_null() => None,
                None => Some(at),
            }
        }),
        (Value::Array(stated), Value::Array(held)) if stated.len() == held.len() => stated
            .iter()
            .zip(held)
            .enumerate()
            .find_map(|(i, (value, other))| first_difference(value, other, format!("{at}[{i}]"))),
        (Value::Number(a), Value::Number(b)) if a.as_f64() == b.as_f64() => None,
        (a, b) if a == b => None,
        _ => Some(if at.is_empty() { ".".to_owned() } else { at }),
    }
}

/// `GET /api/assessments/{id}/oscal`: one OSCAL assessment-results document (the API test
/// `oscal` runs compliance-trestle over a real one).
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct OscalDocument {
    #[serde(rename = "assessment-results")]
    assessment_results: OscalAssessmentResults,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct OscalAssessmentResults {
    uuid: uuid::Uuid,
    metadata: serde_json::Map<String, Value>,
    #[serde(rename = "import-ap")]
    import_ap: serde_json::Map<String, Value>,
    results: Vec<serde_json::Map<String, Value>>,
    #[serde(rename = "back-matter")]
    back_matter: serde_json::Map<String, Value>,
}

/// `GET /api/assessments/{id}/export.json`: the assessment, the template and the scorecard.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct AssessmentExport {
    organisation: String,
    assessment: AssessmentView,
    template: Template,
    scorecard: ScorecardView,
}

/// `(path, method, part, check)` rows from `"path" method part => Type`, where part is
/// `request` or the response status.
macro_rules! example_types {
    ($($path:literal $method:ident $part:tt => $ty:ty,)*) => {
        &[$(($path, stringify!($method), stringify!($part), parses::<$ty> as Check),)*]
    };
}

/// The type each documented JSON example stands for.
const EXAMPLE_TYPES: &[(&str, &str, &str, Check)] = example_types![
    "/api/health" get 200 => HealthResponse,
    "/api/openapi.json" get 200 => utoipa::openapi::OpenApi,
    "/api/setup" get 200 => SetupStatus,
    "/api/setup" post request => SetupRequest,
    "/api/setup" post 201 => Me,
    "/api/auth/login" post request => LoginRequest,
    "/api/auth/login" post 200 => Me,
    "/api/auth/me" get 200 => Me,
    "/api/auth/password" post request => ChangePasswordRequest,
    "/api/auth/mfa/setup" post 200 => MfaSetup,
    "/api/auth/mfa/enable" post request => MfaCode,
    "/api/auth/mfa/enable" post 200 => RecoveryCodes,
    "/api/auth/mfa/disable" post request => PasswordConfirmation,
    "/api/organization" patch request => UpdateOrganizationRequest,
    "/api/organization" patch 200 => OrganizationView,
    "/api/users" get 200 => Vec<UserView>,
    "/api/users" post request => InviteUserRequest,
    "/api/users" post 201 => UserView,
    "/api/users/{id}" patch request => UpdateUserRequest,
    "/api/users/{id}" patch 200 => UserView,
    "/api/invitations/accept" post request => AcceptInvitationRequest,
    "/api/outbox" get 200 => CursorPage<OutboxEmailView>,
    "/api/people" get 200 => Vec<PersonView>,
    "/api/incidents" get 200 => CursorPage<IncidentView>,
    "/api/incidents" post request => RecordIncidentRequest,
    "/api/incidents" post 201 => IncidentView,
    "/api/incidents/{id}" get 200 => IncidentView,
    "/api/incidents/{id}/updates" post request => IncidentUpdateRequest,
    "/api/incidents/{id}/updates" post 201 => IncidentView,
    "/api/portal/incidents" get 200 => Vec<IncidentView>,
    "/api/portal/incidents" post request => IncidentReport,
    "/api/portal/incidents" post 201 => IncidentView,
    "/api/portal/incidents/{id}" get 200 => IncidentView,
    "/api/portal/incidents/{id}/updates" post request => IncidentUpdateRequest,
    "/api/portal/incidents/{id}/updates" post 201 => IncidentView,
    "/api/audit" get 200 => CursorPage<AuditEntryView>,
    "/api/audit/export.json" get 200 => Vec<AuditEntryView>,
    "/api/vendors" get 200 => CursorPage<VendorSummary>,
    "/api/vendors/{id}/evidence" get 200 => CursorPage<VendorFileView>,
    "/api/vendors" post request => VendorInput,
    "/api/vendors" post 201 => VendorView,
    "/api/vendors/{id}" get 200 => VendorView,
    "/api/vendors/{id}" patch request => VendorPatch,
    "/api/vendors/{id}" patch 200 => VendorView,
    "/api/vendors/{id}/contract" get 200 => ContractView,
    "/api/vendors/{id}/contract" put request => assay_core::contract::Contract,
    "/api/vendors/{id}/contracts" get 200 => CursorPage<ContractVersionView>,
    "/api/vendors/{id}/contract" put 200 => VendorView,
    "/api/vendors/{id}/restore" post 200 => VendorView,
    "/api/templates" get 200 => Vec<TemplateView>,
    "/api/templates" post request => ImportTemplateRequest,
    "/api/templates" post 201 => TemplateView,
    "/api/templates/{id}" get 200 => TemplateView,
    "/api/templates/{id}/publish" post 200 => TemplateView,
    "/api/templates/{id}/draft" put request => Template,
    "/api/templates/{id}/draft" put 200 => TemplateView,
    "/api/assessments" get 200 => CursorPage<AssessmentSummary>,
    "/api/assessments" post request => CreateAssessmentRequest,
    "/api/assessments" post 201 => AssessmentView,
    "/api/assessments/{id}" get 200 => AssessmentView,
    "/api/assessments/{id}" patch request => UpdateAssessmentRequest,
    "/api/assessments/{id}" patch 200 => AssessmentView,
    "/api/assessments/{id}/send" post request => SendAssessmentRequest,
    "/api/assessments/{id}/send" post 200 => AssessmentView,
    "/api/bulk-sends" get 200 => CursorPage<BulkSendSummary>,
    "/api/bulk-sends" post request => CreateBulkSendRequest,
    "/api/bulk-sends" post 202 => BulkSendView,
    "/api/bulk-sends/{id}" get 200 => BulkSendView,
    "/api/assessments/bulk" post request => BulkAssessmentsRequest,
    "/api/assessments/bulk" post 200 => BulkAssessmentsView,
    "/api/assessments/{id}/cancel" post 200 => AssessmentView,
    "/api/assessments/{id}/resend" post 200 => AssessmentView,
    "/api/assessments/{id}/revoke" post 200 => AssessmentView,
    "/api/assessments/{id}/recipients/resend" post request => RecipientRequest,
    "/api/assessments/{id}/recipients/resend" post 200 => AssessmentView,
    "/api/assessments/{id}/recipients/revoke" post request => RecipientRequest,
    "/api/assessments/{id}/recipients/revoke" post 200 => AssessmentView,
    "/api/portal/session" post request => PortalSessionRequest,
    "/api/portal/assessment" get 200 => PortalAssessment,
    "/api/portal/answers/{question_id}" put request => SaveAnswerRequest,
    "/api/portal/answers/{question_id}" put 200 => AnswerView,
    "/api/portal/submit" post 200 => PortalAssessment,
    "/api/portal/evidence" post 201 => EvidenceView,
    "/api/portal/delegations" post request => DelegateSectionRequest,
    "/api/portal/delegations" post 201 => InvitationView,
    "/api/assessments/{id}/scorecard" get 200 => ScorecardView,
    "/api/assessments/{id}/reviews/{question_id}" put request => ReviewRequest,
    "/api/assessments/{id}/reviews/{question_id}" put 200 => ScorecardView,
    "/api/assessments/{id}/clarifications" post request => ClarificationRequest,
    "/api/assessments/{id}/clarifications" post 201 => ScorecardView,
    "/api/portal/clarifications" post request => ClarificationRequest,
    "/api/portal/clarifications" post 201 => Vec<ClarificationView>,
    "/api/assessments/{id}/overrides" post request => OverrideRequest,
    "/api/assessments/{id}/overrides" post 201 => ScorecardView,
    "/api/assessments/{id}/overrides/{override_id}" delete 200 => ScorecardView,
    "/api/assessments/{id}/acceptances" post request => AcceptRiskRequest,
    "/api/assessments/{id}/acceptances" post 201 => ScorecardView,
    "/api/assessments/{id}/acceptances/{acceptance_id}" delete 200 => ScorecardView,
    "/api/assessments/{id}/decision" post request => DecisionRequest,
    "/api/assessments/{id}/decision" post 200 => ScorecardView,
    "/api/remediations" get 200 => CursorPage<RemediationView>,
    "/api/remediations" post request => CreateRemediationRequest,
    "/api/remediations" post 201 => RemediationView,
    "/api/remediations/{id}" patch request => UpdateRemediationRequest,
    "/api/remediations/{id}" patch 200 => RemediationView,
    "/api/remediations/{id}/close" post request => CloseRemediationRequest,
    "/api/remediations/{id}/close" post 200 => RemediationView,
    "/api/portal/remediations/{id}" put request => CommitRemediationRequest,
    "/api/portal/remediations/{id}" put 200 => Vec<PortalRemediation>,
    "/api/scoring-models" get 200 => Vec<ScoringModelView>,
    "/api/scoring-models" post request => ScoringModelRequest,
    "/api/scoring-models" post 201 => ScoringModelView,
    "/api/scoring-models/what-if" post request => ScoringModelRequest,
    "/api/scoring-models/what-if" post 200 => WhatIfView,
    "/api/dashboard" get 200 => DashboardView,
    "/api/work" get 200 => WorkView,
    "/api/tokens" get 200 => Vec<ApiTokenView>,
    "/api/tokens" post request => CreateApiTokenRequest,
    "/api/tokens" post 201 => CreatedApiToken,
    "/api/assessments/{id}/export.json" get 200 => AssessmentExport,
    "/api/assessments/{id}/oscal" get 200 => OscalDocument,
    "/api/portal/answers/import" post 200 => assay_core::api::AnswerImportView,
    "/api/portal/answers/import/apply" post 200 => assay_core::api::AnswerImportView,
    "/api/assessments/{id}/answers/import" post 200 => assay_core::api::AnswerImportView,
    "/api/assessments/{id}/answers/import/apply" post 200 => assay_core::api::AnswerImportView,
    "/api/settings/regimes" get 200 => assay_core::api::RegimesView,
    "/api/settings/regimes" put request => assay_core::regime::RegimeOverrides,
    "/api/settings/regimes" put 200 => assay_core::api::RegimesView,
    "/api/organizations/{slug}/signing-key" get 200 => SigningKeyView,
    "/api/settings/adequacy" get 200 => assay_core::api::AdequacyView,
    "/api/settings/adequacy" put request => assay_core::transfer::AdequacyLists,
    "/api/settings/adequacy" put 200 => assay_core::api::AdequacyView,
    "/api/settings/sso" get 200 => SsoSettingsView,
    "/api/settings/sso" put request => SsoSettingsRequest,
    "/api/settings/sso" put 200 => SsoSettingsView,
    "/api/settings/policy" get 200 => assay_core::contract::ContractPolicy,
    "/api/settings/policy" put request => assay_core::contract::ContractPolicy,
    "/api/settings/policy" put 200 => assay_core::contract::ContractPolicy,
    "/api/settings/client-profile" get 200 => Option<assay_core::regime::ClientProfile>,
    "/api/settings/client-profile" put request => assay_core::regime::ClientProfile,
    "/api/settings/client-profile" put 200 => assay_core::regime::ClientProfile,
    "/api/vendors/{id}/subprocessors" get 200 => RegisterView,
    "/api/vendors/{id}/subprocessors" put request => Vec<assay_core::subprocessor::Subprocessor>,
    "/api/vendors/{id}/subprocessors" put 200 => RegisterView,
    "/api/fourth-parties" get 200 => FourthPartiesView,
    "/api/portal/subprocessors" get 200 => RegisterView,
    "/api/portal/subprocessors" post request => assay_server::services::subprocessors::ChangeNotice,
    "/api/portal/subprocessors" post 200 => RegisterView,
    "/api/settings/schedules" get 200 => ScheduleSettings,
    "/api/settings/schedules" put request => ScheduleSettings,
    "/api/settings/schedules" put 200 => ScheduleSettings,
    "/api/settings/exchange-rates" get 200 => assay_core::api::ExchangeRatesView,
    "/api/settings/exchange-rates" put request => assay_core::api::ExchangeRatesRequest,
    "/api/settings/exchange-rates" put 200 => assay_core::api::ExchangeRatesView,
];

/// Examples of types the test cannot deserialise, with why.
const UNCHECKED: &[(&str, &str, &str, &str)] = &[(
    "/api/audit/verify",
    "get",
    "200",
    "`ChainReport` is a server type that is only serialised",
)];

#[tokio::test]
async fn openapi_examples_deserialise_into_the_types_they_document() {
    let doc = served_document().await;

    let mut problems = Vec::new();
    let mut checked = Vec::new();
    for example in examples(&doc) {
        let key = (example.path, example.method, example.part.as_str());
        let check = EXAMPLE_TYPES
            .iter()
            .find(|(path, method, part, _)| (*path, *method, *part) == key);
        let what = format!(
            "{} {} ({})",
            example.method.to_uppercase(),
            example.path,
            example.part
        );
        match check {
            Some((path, method, part, parses)) => {
                checked.push((*path, *method, *part));
                if let Err(why) = parses(example.value) {
                    problems.push(format!("{what}: {why}"));
                }
            }
            None if UNCHECKED
                .iter()
                .any(|(path, method, part, _)| (*path, *method, *part) == key) => {}
            None => problems.push(format!(
                "{what}: no type in EXAMPLE_TYPES to check the example against"
            )),
        }
    }
    for (path, method, part, _) in EXAMPLE_TYPES {
        if !checked.contains(&(*path, *method, *part)) {
            problems.push(format!(
                "{} {path} ({part}): in EXAMPLE_TYPES, but the document has no such example",
                method.to_uppercase()
            ));
        }
    }

    assert!(
        problems.is_empty(),
        "examples that do not match their types:\n  {}",
        problems.join("\n  ")
    );
}
