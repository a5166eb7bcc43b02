//! HTTP only: one `router()` per resource module, composed here with the OpenAPI document.
//! Handlers extract, authorise, call a service and map the result; rules live elsewhere.

use std::sync::Arc;

use axum::{Extension, Router};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

mod assessments;
mod audit;
mod auth;
mod bulk_sends;
mod evidence;
mod examples;
pub(crate) mod exports;
mod fourth_parties;
mod health;
mod incidents;
mod openapi;
mod packs;
mod people;
mod review;
mod settings;
mod setup;
mod sso;
mod templates;
mod tokens;
mod users;
mod vendors;
pub mod views;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Assay API",
        description = "Vendor due diligence: questionnaires, evidence, scoring and decisions.",
    ),
    components(schemas(assay_core::api::ErrorResponse)),
    modifiers(&BearerTokens)
)]
struct ApiDoc;

/// Declares the two ways to authenticate: the session cookie and API tokens.
struct BearerTokens;

impl utoipa::Modify for BearerTokens {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{
            ApiKey, ApiKeyValue, Http, HttpAuthScheme, SecurityScheme,
        };
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_token",
            SecurityScheme::Http(
                Http::builder()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "An API token created by an Admin (`POST /api/tokens`), as `Authorization: Bearer <token>`.",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new("assay_session"))),
        );
    }
}

/// Every API route, each registered together with its OpenAPI description so that the
/// document cannot miss one.
pub fn api_routes() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(health::router())
        .merge(setup::router())
        .merge(openapi::router())
        .merge(auth::router())
        .merge(sso::router())
        .merge(users::router())
        .merge(people::router())
        .merge(audit::router())
        .merge(vendors::router())
        .merge(fourth_parties::router())
        .merge(templates::router())
        .merge(assessments::router())
        .merge(bulk_sends::router())
        .merge(evidence::router())
        .merge(review::router())
        .merge(incidents::router())
        .merge(tokens::router())
        .merge(settings::router())
        .merge(exports::router())
        .merge(packs::router())
        .split_for_parts();
    let router = router.layer(Extension(Arc::new(doc.clone())));
    (router, doc)
}
