//! The organisation's people, as a picker needs them (names, not accounts).

use assay_core::api::{ErrorResponse, PersonView};
use axum::extract::State;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::caller::UserCaller;
use crate::error::{ApiJson, Result};
use crate::services::accounts;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_people))
}

/// The active people of the organisation, by name, to assign work to (a remediation item's
/// owner, a vendor's owner). Ids, names and roles only; no email addresses.
#[utoipa::path(get, path = "/api/people", tag = "users",
    responses((status = 200, body = Vec<PersonView>, example = json!([
        { "id": "0193a3c2-5f1e-7c00-9a2b-3c4d5e6f7a8b", "display_name": "Rita Risk", "role": "risk_manager" },
        { "id": "0193a3c2-6a2b-7d11-8c3d-4e5f6a7b8c9d", "display_name": "Paul Procurement", "role": "procurement" }
    ])), (status = 403, body = ErrorResponse)))]
async fn list_people(
    State(state): State<AppState>,
    user: UserCaller,
) -> Result<ApiJson<Vec<PersonView>>> {
    Ok(ApiJson(accounts::people(&state.ctx(), &user).await?))
}
