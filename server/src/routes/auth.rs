//! Sign-in, sign-out, the current user, and password change.

use assay_core::api::{
    ChangePasswordRequest, ErrorResponse, LoginRequest, Me, MfaCode, MfaSetup, OrganizationView,
    PasswordConfirmation, RecoveryCodes, UpdateOrganizationRequest,
};
use axum::extract::State;
use axum::http::StatusCode;
use secrecy::SecretString;
use tower_sessions::Session;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::session;
use crate::auth::throttle::ClientAddress;
use crate::caller::UserCaller;
use crate::db::accounts;
use crate::error::{ApiJson, Error, Result};
use crate::routes::{examples, views};
use crate::services::accounts as service;
use crate::services::mfa;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(change_password))
        .routes(routes!(begin_mfa_setup))
        .routes(routes!(enable_mfa))
        .routes(routes!(disable_mfa))
        .routes(routes!(update_organization))
}

/// Starts MFA enrolment: a new secret, its `otpauth://` URI and a QR code.
#[utoipa::path(post, path = "/api/auth/mfa/setup", tag = "auth",
    responses((status = 200, body = MfaSetup, example = json!({
        "secret": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
        "otpauth_uri": "otpauth://totp/Assay:priya.shah%40acme.example?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Assay",
        "qr_svg": "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 41 41\">…</svg>"
    })), (status = 409, description = "Already enabled", body = ErrorResponse)))]
async fn begin_mfa_setup(
    State(state): State<AppState>,
    user: UserCaller,
) -> Result<ApiJson<MfaSetup>> {
    let enrolment = mfa::begin_enrolment(&state.ctx(), &state.master_key, &user).await?;
    Ok(ApiJson(MfaSetup {
        secret: enrolment.secret,
        otpauth_uri: enrolment.otpauth_uri,
        qr_svg: enrolment.qr_svg,
    }))
}

/// Confirms enrolment with a current code; answers the recovery codes, shown only now.
#[utoipa::path(post, path = "/api/auth/mfa/enable", tag = "auth",
    request_body(content = MfaCode, example = json!({ "code": "492039" })),
    responses((status = 200, body = RecoveryCodes, example = json!({ "recovery_codes": ["7QKX-M2PD", "H4WN-9TRC", "ZB6E-K8FJ"] })), (status = 422, description = "Wrong code", body = ErrorResponse)))]
async fn enable_mfa(
    State(state): State<AppState>,
    user: UserCaller,
    session: Session,
    ApiJson(body): ApiJson<MfaCode>,
) -> Result<ApiJson<RecoveryCodes>> {
    let recovery_codes =
        mfa::confirm_enrolment(&state.ctx(), &state.master_key, &user, &body.code).await?;
    // A change of authentication strength: new session id.
    session::cycle(&session).await?;
    Ok(ApiJson(RecoveryCodes { recovery_codes }))
}

/// Turns MFA off (the password is checked again).
#[utoipa::path(post, path = "/api/auth/mfa/disable", tag = "auth",
    request_body(content = PasswordConfirmation, example = json!({ "password": "correct horse battery staple" })),
    responses((status = 204, description = "Turned off"), (status = 422, body = ErrorResponse)))]
async fn disable_mfa(
    State(state): State<AppState>,
    user: UserCaller,
    session: Session,
    ApiJson(body): ApiJson<PasswordConfirmation>,
) -> Result<StatusCode> {
    mfa::disable(
        &state.ctx(),
        &state.passwords,
        &user,
        &SecretString::from(body.password),
    )
    .await?;
    session::cycle(&session).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Organisation settings (Admin): whether every user must use MFA and the time zone times
/// are shown in (IANA name). Fields left out stay as they are.
#[utoipa::path(patch, path = "/api/organization", tag = "auth",
    request_body(content = UpdateOrganizationRequest, example = json!({ "require_mfa": true, "time_zone": "Europe/Berlin" })),
    responses((status = 200, body = OrganizationView, example = json!(examples::organization())), (status = 403, body = ErrorResponse)))]
async fn update_organization(
    State(state): State<AppState>,
    user: UserCaller,
    ApiJson(body): ApiJson<UpdateOrganizationRequest>,
) -> Result<ApiJson<OrganizationView>> {
    let org = service::update_organisation(&state.ctx(), &user, body).await?;
    Ok(ApiJson(views::organization(&org)))
}

/// Signs in with email and password; sets the session cookie.
#[utoipa::path(post, path = "/api/auth/login", tag = "auth",
    request_body(content = LoginRequest, example = json!({ "email": "priya.shah@acme.example", "password": "correct horse battery staple", "totp": "492039" })),
    responses(
        (status = 200, description = "Signed in", body = Me, example = json!(examples::me())),
        (status = 401, description = "Wrong email or password (one answer for both, code `invalid_credentials`); `mfa_required` when the password was right and a code is needed; `invalid_mfa_code`", body = ErrorResponse),
        (status = 429, description = "Too many failed attempts; see Retry-After", body = ErrorResponse),
        (status = 503, description = "Too many sign-ins at once (code `busy`): nothing was checked or counted; retry after Retry-After", body = ErrorResponse),
    ))]
async fn login(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    session: Session,
    ApiJson(body): ApiJson<LoginRequest>,
) -> Result<ApiJson<Me>> {
    let password = SecretString::from(body.password);
    let user = service::authenticate(
        &state.ctx(),
        &state.master_key,
        &state.passwords,
        &body.email,
        &password,
        body.totp.as_deref(),
        Some(address),
    )
    .await?;
    session::sign_in(&session, user.id, user.session_epoch).await?;
    let org = accounts::find_organization(&state.db, user.organization_id)
        .await?
        .ok_or(Error::NotFound)?;
    Ok(ApiJson(views::me(&user, &org)))
}

/// Ends the session.
#[utoipa::path(post, path = "/api/auth/logout", tag = "auth",
    responses((status = 204, description = "Signed out"), (status = 401, body = ErrorResponse)))]
async fn logout(
    State(state): State<AppState>,
    user: UserCaller,
    session: Session,
) -> Result<StatusCode> {
    service::record_sign_out(&state.ctx(), &user).await?;
    session::sign_out(&session).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The signed-in user and their organisation.
#[utoipa::path(get, path = "/api/auth/me", tag = "auth",
    responses((status = 200, body = Me, example = json!(examples::me())), (status = 401, body = ErrorResponse)))]
async fn me(State(state): State<AppState>, user: UserCaller) -> Result<ApiJson<Me>> {
    let model = accounts::find_user(&state.db, user.id)
        .await?
        .ok_or(Error::Unauthorized)?;
    let org = accounts::find_organization(&state.db, user.organization_id)
        .await?
        .ok_or(Error::NotFound)?;
    Ok(ApiJson(Me {
        user: views::user(&model),
        organization: views::organization(&org),
        mfa_enrolment_required: user.mfa_enrolment_required,
    }))
}

/// Changes the signed-in user's password. Every other session of the user ends; this one
/// continues under a new session id.
#[utoipa::path(post, path = "/api/auth/password", tag = "auth",
    request_body(content = ChangePasswordRequest, example = json!({ "current_password": "correct horse battery staple", "new_password": "violet kettle harbour lantern" })),
    responses((status = 204, description = "Changed"), (status = 422, body = ErrorResponse), (status = 401, body = ErrorResponse)))]
async fn change_password(
    State(state): State<AppState>,
    user: UserCaller,
    session: Session,
    ApiJson(body): ApiJson<ChangePasswordRequest>,
) -> Result<StatusCode> {
    let epoch = service::change_password(
        &state.ctx(),
        &state.passwords,
        &user,
        &SecretString::from(body.current_password),
        &SecretString::from(body.new_password),
    )
    .await?;
    session::sign_in(&session, user.id, epoch).await?;
    Ok(StatusCode::NO_CONTENT)
}
