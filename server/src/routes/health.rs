//! Liveness with a real database round trip, for load balancers and the home page.

use assay_core::api::{HealthResponse, HealthStatus};
use axum::extract::State;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiJson, Result};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_health))
}

/// Reports the server version and database engine after pinging the database.
#[utoipa::path(
    get,
    path = "/api/health",
    tag = "system",
    responses(
        (status = 200, description = "The server and its database answer", body = HealthResponse,
            example = json!({ "status": "ok", "version": "0.1.0", "database": "sqlite" })),
        (status = 500, description = "The database does not answer", body = assay_core::api::ErrorResponse),
    )
)]
async fn get_health(State(state): State<AppState>) -> Result<ApiJson<HealthResponse>> {
    state.db.ping().await?;
    Ok(ApiJson(HealthResponse {
        status: HealthStatus::Ok,
        version: env!("CARGO_PKG_VERSION").to_owned(),
        database: crate::db::kind(&state.db),
    }))
}
