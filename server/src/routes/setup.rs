//! First run: whether setup is needed, and creating the first organisation and its Admin
//! with the one-time token `assay serve` printed.

use assay_core::api::{ErrorResponse, Me, SetupRequest, SetupStatus};
use axum::extract::State;
use axum::http::StatusCode;
use tower_sessions::Session;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::session;
use crate::auth::throttle::ClientAddress;
use crate::error::{ApiJson, Result};
use crate::routes::{examples, views};
use crate::services::setup as service;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_setup, complete_setup))
}

/// Whether this installation has no organisation yet (then `assay serve` printed a setup
/// link). Nothing else is revealed, and no token is needed.
#[utoipa::path(get, path = "/api/setup", tag = "setup",
    responses((status = 200, body = SetupStatus, example = json!({ "needed": true }))))]
async fn get_setup(State(state): State<AppState>) -> Result<ApiJson<SetupStatus>> {
    let needed = service::needed(&state.ctx()).await?;
    Ok(ApiJson(SetupStatus { needed }))
}

/// Creates the first organisation and its Admin with the one-time token from the link
/// `assay serve` printed, consumes the token, and signs the Admin in (sets the session
/// cookie). Exactly one such request can succeed.
#[utoipa::path(post, path = "/api/setup", tag = "setup",
    request_body(content = SetupRequest, example = json!({
        "token": "x7Qm2cV9kL4pR8sT1wY6zA3bN5dF0gH2jK7mP9qS4uW",
        "organization_name": "Acme Insurance plc", "admin_name": "Priya Shah",
        "admin_email": "priya.shah@acme.example", "password": "violet kettle harbour lantern"
    })),
    responses(
        (status = 201, description = "Set up; signed in as the new Admin", body = Me, example = json!({
            "user": {
                "id": examples::USER_ID, "email": "priya.shah@acme.example",
                "display_name": "Priya Shah", "role": "admin", "active": true,
                "has_password": true, "mfa_enabled": false, "status": "active"
            },
            "organization": {
                "id": examples::ORGANIZATION_ID, "slug": "acme-insurance-plc",
                "name": "Acme Insurance plc", "require_mfa": false, "time_zone": "UTC"
            },
            "mfa_enrolment_required": false
        })),
        (status = 403, description = "The token is missing, wrong, used or replaced (`invalid_setup_token`)", body = ErrorResponse),
        (status = 409, description = "An organisation exists already (`already_set_up`)", body = ErrorResponse),
        (status = 422, description = "A field is not acceptable; `field` names it", body = ErrorResponse),
        (status = 429, description = "Too many wrong tokens from this address; see Retry-After", body = ErrorResponse),
    ))]
async fn complete_setup(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    session: Session,
    ApiJson(body): ApiJson<SetupRequest>,
) -> Result<(StatusCode, ApiJson<Me>)> {
    let (admin, org) = service::complete(&state.ctx(), &state.passwords, body, address).await?;
    session::sign_in(&session, admin.id, admin.session_epoch).await?;
    Ok((StatusCode::CREATED, ApiJson(views::me(&admin, &org))))
}
