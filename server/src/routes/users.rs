//! The organisation's users (Admins manage, invitations) and the email outbox.

use assay_core::access::Permission;
use assay_core::api::{
    AcceptInvitationRequest, CursorPage, ErrorResponse, InviteUserRequest, OutboxEmailView,
    UpdateUserRequest, UserView,
};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use secrecy::SecretString;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::caller::UserCaller;
use crate::db::accounts;
use crate::error::{ApiJson, Result};
use crate::routes::{examples, views};
use crate::services::accounts::{self as service, UserChanges};
use crate::services::pages::PageRequest;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_users, invite_user))
        .routes(routes!(update_user))
        .routes(routes!(send_password_reset))
        .routes(routes!(accept_invitation))
        .routes(routes!(list_outbox))
}

/// The users of the caller's organisation (Admin).
#[utoipa::path(get, path = "/api/users", tag = "users",
    responses((status = 200, body = Vec<UserView>, example = json!([examples::user(), {
        "id": "0193a5e0-5a22-7c33-8d44-5e6f70819203", "email": "tom.okafor@acme.example",
        "display_name": "Tom Okafor", "role": "procurement", "active": true, "has_password": false,
        "mfa_enabled": false, "status": "invited"
    }])), (status = 401, body = ErrorResponse), (status = 403, body = ErrorResponse)))]
async fn list_users(
    State(state): State<AppState>,
    user: UserCaller,
) -> Result<ApiJson<Vec<UserView>>> {
    user.require(Permission::ManageUsers)?;
    let users = accounts::list_users(&state.db, user.organization_id).await?;
    Ok(ApiJson(users.iter().map(views::user).collect()))
}

/// Invites a person (Admin): the user is created without a password and an email with a
/// single-use link is queued in the outbox.
#[utoipa::path(post, path = "/api/users", tag = "users",
    request_body(content = InviteUserRequest, example = json!({ "email": "tom.okafor@acme.example", "display_name": "Tom Okafor", "role": "procurement" })),
    responses((status = 201, body = UserView, example = json!({
        "id": "0193a5e0-5a22-7c33-8d44-5e6f70819203", "email": "tom.okafor@acme.example",
        "display_name": "Tom Okafor", "role": "procurement", "active": true, "has_password": false,
        "mfa_enabled": false, "status": "invited"
    })), (status = 409, description = "Email taken", body = ErrorResponse),
        (status = 422, body = ErrorResponse), (status = 403, body = ErrorResponse)))]
async fn invite_user(
    State(state): State<AppState>,
    admin: UserCaller,
    ApiJson(body): ApiJson<InviteUserRequest>,
) -> Result<(StatusCode, ApiJson<UserView>)> {
    let (user, _token) = service::invite_user(
        &state.ctx(),
        &state.mailer,
        &admin,
        &body.email,
        &body.display_name,
        body.role,
    )
    .await?;
    Ok((StatusCode::CREATED, ApiJson(views::user(&user))))
}

/// Changes a user's name, role or active flag (Admin). Role changes and deactivation end
/// the user's sessions at once.
#[utoipa::path(patch, path = "/api/users/{id}", tag = "users",
    request_body(content = UpdateUserRequest, example = json!({ "role": "auditor", "active": true })),
    params(("id" = Uuid, Path, description = "User id")),
    responses((status = 200, body = UserView, example = json!({
        "id": "0193a5e0-5a22-7c33-8d44-5e6f70819203", "email": "tom.okafor@acme.example",
        "display_name": "Tom Okafor", "role": "auditor", "active": true, "has_password": true,
        "mfa_enabled": false, "status": "active"
    })), (status = 404, body = ErrorResponse),
        (status = 409, description = "Would leave no active Admin", body = ErrorResponse)))]
async fn update_user(
    State(state): State<AppState>,
    admin: UserCaller,
    Path(id): Path<Uuid>,
    ApiJson(body): ApiJson<UpdateUserRequest>,
) -> Result<ApiJson<UserView>> {
    let changes = UserChanges {
        display_name: body.display_name,
        role: body.role,
        active: body.active,
    };
    let user = service::update_user(&state.ctx(), &admin, id, changes).await?;
    Ok(ApiJson(views::user(&user)))
}

/// Emails a user a single-use link to set a new password (Admin): for someone who forgot
/// theirs or never used their invitation. Earlier unused links stop working; the current
/// password works until the new one is set, which ends every session of the user.
#[utoipa::path(post, path = "/api/users/{id}/password-reset", tag = "users",
    params(("id" = Uuid, Path, description = "User id")),
    responses((status = 204, description = "The link is queued in the outbox"),
        (status = 404, body = ErrorResponse),
        (status = 409, description = "The account is deactivated", body = ErrorResponse),
        (status = 403, body = ErrorResponse)))]
async fn send_password_reset(
    State(state): State<AppState>,
    admin: UserCaller,
    Path(id): Path<Uuid>,
) -> Result<StatusCode> {
    service::send_password_reset(&state.ctx(), &state.mailer, &admin, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Sets the password of an invited user with the token from the invitation link.
#[utoipa::path(post, path = "/api/invitations/accept", tag = "users",
    request_body(content = AcceptInvitationRequest, example = json!({ "token": "x7Qm2cV9kL4pR8sT1wY6zA3bN5dF0gH2jK7mP9qS4uW", "password": "violet kettle harbour lantern" })),
    responses((status = 204, description = "Password set; sign in next"),
        (status = 404, description = "Unknown token", body = ErrorResponse),
        (status = 410, description = "Used or expired", body = ErrorResponse),
        (status = 422, body = ErrorResponse)))]
async fn accept_invitation(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<AcceptInvitationRequest>,
) -> Result<StatusCode> {
    service::accept_invitation(
        &state.ctx(),
        &state.passwords,
        &body.token,
        &SecretString::from(body.password),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct OutboxQuery {
    /// The `next` cursor of the previous page.
    after: Option<String>,
    /// Rows per page, 1 to 200; default 50.
    limit: Option<u64>,
}

/// Every email Assay sent or is sending for this organisation, newest first, with its
/// delivery status (Admin), a page at a time. Not the text: invitations carry personal links.
#[utoipa::path(get, path = "/api/outbox", tag = "users", params(OutboxQuery),
    responses((status = 200, body = CursorPage<OutboxEmailView>, example = json!({ "items": [{
        "id": "0193a3c2-5f1e-7c00-9a2b-3c4d5e6f7a8b", "recipient": "dana@vendor.example",
        "subject": "Reminder: \"Annual security review\" is due in 3 days",
        "status": "retrying", "kind": "reminder", "attempts": 2,
        "next_attempt_at": "2026-12-17T09:04:00Z", "last_error": "Connection refused (os error 111)",
        "sent_at": null, "created_at": "2026-12-17T09:00:00Z"
    }], "total": 1 })), (status = 403, body = ErrorResponse), (status = 422, body = ErrorResponse)))]
async fn list_outbox(
    State(state): State<AppState>,
    user: UserCaller,
    Query(query): Query<OutboxQuery>,
) -> Result<ApiJson<CursorPage<OutboxEmailView>>> {
    user.require(Permission::ManageUsers)?;
    let page = PageRequest::parse(query.after.as_deref(), query.limit, 1)?;
    let (rows, total) = accounts::list_outbox(
        &state.db,
        user.organization_id,
        page.after_id()?,
        page.fetch(),
    )
    .await?;
    let (rows, next) = page.finish(rows, |m| vec![m.id.to_string()]);
    Ok(ApiJson(CursorPage {
        items: rows.into_iter().map(views::outbox_email).collect(),
        total,
        next,
    }))
}
