//! The signed-in principal. The session stores only who signed in, when, and the user's
//! session epoch; the user is re-read on every request, so deactivation and role changes
//! apply at once, and a password change (which bumps the epoch) ends other sessions.

use assay_core::access::{Permission, Role};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use tower_sessions::Session;
use uuid::Uuid;

use crate::db::accounts;
use crate::error::{Error, Result};
use crate::startup::AppState;

const AUTH_KEY: &str = "assay.auth";

/// What the session remembers about its user.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AuthState {
    pub user_id: Uuid,
    pub epoch: i32,
    /// Unix seconds; the absolute lifetime counts from here.
    pub signed_in_at: i64,
}

/// Starts an authenticated session: a new id (no fixation), then the principal.
pub async fn sign_in(session: &Session, user_id: Uuid, epoch: i32) -> Result<()> {
    session.cycle_id().await.map_err(session_error)?;
    session
        .insert(
            AUTH_KEY,
            AuthState {
                user_id,
                epoch,
                signed_in_at: OffsetDateTime::now_utc().unix_timestamp(),
            },
        )
        .await
        .map_err(session_error)
}

/// A new session id for the same principal (after a privilege change).
pub async fn cycle(session: &Session) -> Result<()> {
    session.cycle_id().await.map_err(session_error)
}

/// Ends the session everywhere (the row is deleted, the cookie cleared).
pub async fn sign_out(session: &Session) -> Result<()> {
    session.flush().await.map_err(session_error)
}

fn session_error(e: tower_sessions::session::Error) -> Error {
    Error::Internal(anyhow::anyhow!("session store: {e}"))
}

/// A signed-in, active user of a client organisation. `Debug` shows no secrets.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub session: Session,
    pub epoch: i32,
    /// The organisation requires MFA and the user has not enrolled: only their own account
    /// (to enrol) is open to them.
    pub mfa_enrolment_required: bool,
}

impl CurrentUser {
    /// 403 unless the user's role grants `permission`.
    pub fn require(&self, permission: Permission) -> Result<()> {
        if self.mfa_enrolment_required {
            return Err(Error::MfaEnrolmentRequired);
        }
        if self.role.can(permission) {
            Ok(())
        } else {
            Err(Error::Forbidden(
                "your role does not allow this action".to_owned(),
            ))
        }
    }
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        let session = Session::from_request_parts(parts, state)
            .await
            .map_err(|(_, msg)| Error::Internal(anyhow::anyhow!("session layer: {msg}")))?;
        let Some(auth) = session
            .get::<AuthState>(AUTH_KEY)
            .await
            .map_err(session_error)?
        else {
            return Err(Error::Unauthorized);
        };
        let age = OffsetDateTime::now_utc().unix_timestamp() - auth.signed_in_at;
        if age > state.settings.session_absolute_hours as i64 * 3600 {
            sign_out(&session).await?;
            return Err(Error::Unauthorized);
        }
        let user = accounts::find_user(&state.db, auth.user_id).await?;
        let Some(user) = user.filter(|u| u.active && u.session_epoch == auth.epoch) else {
            sign_out(&session).await?;
            return Err(Error::Unauthorized);
        };
        let org = accounts::find_organization(&state.db, user.organization_id)
            .await?
            .ok_or(Error::Unauthorized)?;
        let role = user
            .role
            .parse::<Role>()
            .map_err(|e| Error::Internal(e.into()))?;
        Ok(CurrentUser {
            id: user.id,
            organization_id: user.organization_id,
            email: user.email,
            display_name: user.display_name,
            role,
            session,
            epoch: user.session_epoch,
            mfa_enrolment_required: org.require_mfa && !user.mfa_enabled,
        })
    }
}
