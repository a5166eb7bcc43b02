//! The OpenAPI 3.1 document, generated from the code at start-up.

use std::sync::Arc;

use axum::{Extension, Json};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_openapi))
}

/// This document.
#[utoipa::path(
    get,
    path = "/api/openapi.json",
    tag = "system",
    responses((status = 200, description = "The OpenAPI 3.1 document", content_type = "application/json",
        example = json!({ "openapi": "3.1.0", "info": { "title": "Assay API", "version": "0.1.0" },
            "paths": { "/api/health": { "get": { "tags": ["system"], "operationId": "get_health",
                "responses": { "200": { "description": "The server and its database answer" } } } } } })))
)]
async fn get_openapi(
    Extension(doc): Extension<Arc<utoipa::openapi::OpenApi>>,
) -> Json<utoipa::openapi::OpenApi> {
    Json((*doc).clone())
}
