//! Sign-in, sign-out, the current user, and password change.

use std::net::SocketAddr;

use assay_core::api::{ChangePasswordRequest, ErrorResponse, LoginRequest, Me};
use axum::extract::{ConnectInfo, State};
use axum::http::StatusCode;
use secrecy::SecretString;
use tower_sessions::Session;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::session::{self, CurrentUser};
use crate::db::accounts;
use crate::error::{ApiJson, Error, Result};
use crate::routes::views;
use crate::services::accounts as service;
use crate::startup::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(change_password))
}

/// Signs in with email and password; sets the session cookie.
#[utoipa::path(post, path = "/api/auth/login", tag = "auth", request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = Me),
        (status = 401, description = "Wrong email or password (one answer for both)", body = ErrorResponse),
        (status = 429, description = "Too many failed attempts; see Retry-After", body = ErrorResponse),
    ))]
async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    session: Session,
    ApiJson(body): ApiJson<LoginRequest>,
) -> Result<ApiJson<Me>> {
    let password = SecretString::from(body.password);
    let user = service::authenticate(
        &state.db,
        &state.passwords,
        &state.throttle,
        &body.email,
        &password,
        Some(peer.ip()),
    )
    .await?;
    session::sign_in(&session, user.id, user.session_epoch).await?;
    let org = accounts::find_organization(&state.db, user.organization_id)
        .await?
        .ok_or(Error::NotFound)?;
    Ok(ApiJson(Me {
        user: views::user(&user),
        organization: views::organization(&org),
    }))
}

/// Ends the session.
#[utoipa::path(post, path = "/api/auth/logout", tag = "auth",
    responses((status = 204, description = "Signed out"), (status = 401, body = ErrorResponse)))]
async fn logout(State(state): State<AppState>, user: CurrentUser) -> Result<StatusCode> {
    service::record_sign_out(&state.db, &user).await?;
    session::sign_out(&user.session).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The signed-in user and their organisation.
#[utoipa::path(get, path = "/api/auth/me", tag = "auth",
    responses((status = 200, body = Me), (status = 401, body = ErrorResponse)))]
async fn me(State(state): State<AppState>, user: CurrentUser) -> Result<ApiJson<Me>> {
    let model = accounts::find_user(&state.db, user.id)
        .await?
        .ok_or(Error::Unauthorized)?;
    let org = accounts::find_organization(&state.db, user.organization_id)
        .await?
        .ok_or(Error::NotFound)?;
    Ok(ApiJson(Me {
        user: views::user(&model),
        organization: views::organization(&org),
    }))
}

/// Changes the signed-in user's password. Every other session of the user ends; this one
/// continues under a new session id.
#[utoipa::path(post, path = "/api/auth/password", tag = "auth", request_body = ChangePasswordRequest,
    responses((status = 204, description = "Changed"), (status = 422, body = ErrorResponse), (status = 401, body = ErrorResponse)))]
async fn change_password(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(body): ApiJson<ChangePasswordRequest>,
) -> Result<StatusCode> {
    let epoch = service::change_password(
        &state.db,
        &state.passwords,
        &user,
        &SecretString::from(body.current_password),
        &SecretString::from(body.new_password),
    )
    .await?;
    session::sign_in(&user.session, user.id, epoch).await?;
    Ok(StatusCode::NO_CONTENT)
}
