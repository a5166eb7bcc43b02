//! API tokens (Admin).

use assay_core::api::{ApiTokenView, CreateApiTokenRequest, CreatedApiToken, ErrorResponse};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::caller::UserCaller;
use crate::error::{ApiJson, Result};
use crate::routes::examples;
use crate::services::tokens;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_tokens, create_token))
        .routes(routes!(revoke_token))
}

/// The organisation's API tokens (never the tokens themselves).
#[utoipa::path(get, path = "/api/tokens", tag = "tokens",
    responses((status = 200, body = Vec<ApiTokenView>, example = json!([examples::api_token()])), (status = 403, body = ErrorResponse)))]
async fn list_tokens(
    State(state): State<AppState>,
    user: UserCaller,
) -> Result<ApiJson<Vec<ApiTokenView>>> {
    Ok(ApiJson(tokens::list(&state.ctx(), &user).await?))
}

/// Creates a named token (Admin). The answer carries the token this once; use it as
/// `Authorization: Bearer <token>`. A read-only token reads and exports; a read-write token
/// may also change data; neither manages users, the organisation or tokens.
#[utoipa::path(post, path = "/api/tokens", tag = "tokens",
    request_body(content = CreateApiTokenRequest, example = json!({ "name": "Board reporting", "scope": "read_only", "expires_on": "2027-06-30" })),
    responses((status = 201, body = CreatedApiToken, example = json!({
        "token": "assay_k3Xq9ZpR7vT2mW8yL4nB6cD1fG5hJ0sA9eU3iO7kQ2x", "view": examples::api_token()
    })), (status = 422, body = ErrorResponse), (status = 403, body = ErrorResponse)))]
async fn create_token(
    State(state): State<AppState>,
    user: UserCaller,
    ApiJson(body): ApiJson<CreateApiTokenRequest>,
) -> Result<(StatusCode, ApiJson<CreatedApiToken>)> {
    let created = tokens::create(&state.ctx(), &user, body).await?;
    Ok((StatusCode::CREATED, ApiJson(created)))
}

/// Revokes a token (Admin); it stops working at once.
#[utoipa::path(delete, path = "/api/tokens/{id}", tag = "tokens", params(("id" = Uuid, Path)),
    responses((status = 204, description = "Revoked"), (status = 404, body = ErrorResponse)))]
async fn revoke_token(
    State(state): State<AppState>,
    user: UserCaller,
    Path(id): Path<Uuid>,
) -> Result<StatusCode> {
    tokens::revoke(&state.ctx(), &user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
