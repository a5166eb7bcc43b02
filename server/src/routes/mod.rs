//! HTTP only: one `router()` per resource module, composed here with the OpenAPI document.
//! Handlers extract, authorise, call a service and map the result; rules live elsewhere.

use std::sync::Arc;

use axum::{Extension, Router};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::startup::AppState;

mod assessments;
mod audit;
mod auth;
mod evidence;
mod exports;
mod health;
mod openapi;
mod review;
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
    components(schemas(assay_core::api::ErrorResponse))
)]
struct ApiDoc;

/// Every API route, each registered together with its OpenAPI description so that the
/// document cannot miss one.
pub fn api_routes() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(health::router())
        .merge(openapi::router())
        .merge(auth::router())
        .merge(users::router())
        .merge(audit::router())
        .merge(vendors::router())
        .merge(templates::router())
        .merge(assessments::router())
        .merge(evidence::router())
        .merge(review::router())
        .merge(tokens::router())
        .merge(exports::router())
        .split_for_parts();
    let router = router.layer(Extension(Arc::new(doc.clone())));
    (router, doc)
}
