//! The signed-in principal. A session holds exactly one [`Principal`]: a user of a client
//! organisation, or a vendor respondent scoped to one assessment. The extractors
//! for [`UserCaller`] and [`VendorCaller`] each accept only their own kind, so a vendor
//! session can never reach a client endpoint, and the reverse.
//!
//! For users the session stores only who signed in, when, and the user's session epoch; the
//! user is re-read on every request, so deactivation and role changes apply at once, and a
//! password change (which bumps the epoch) ends other sessions.
//!
//! A request that only reads writes nothing to the sessions table: the idle expiry is
//! pushed back by recording when the session was last renewed, and only when that was
//! more than [`RENEW_AFTER_SECS`] ago (the change makes the session layer save the row).

use assay_core::access::{Role, TokenScope};
use assay_core::assessment::AssessmentStatus;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use tower_sessions::Session;
use uuid::Uuid;

use crate::caller::{UserCaller, VendorCaller};
use crate::clock::Clock;
use crate::db::accounts;
use crate::error::{Error, Result};
use crate::state::AppState;

const AUTH_KEY: &str = "assay.auth";
/// When (Unix seconds) the session's idle expiry was last pushed back.
const RENEWED_KEY: &str = "assay.renewed_at";
/// A session in use is renewed (its row rewritten with a later expiry) at most this often;
/// in between, requests only read it. A busy user therefore costs one session write a
/// minute instead of one per request, and a session may end up to this long before
/// `session_idle_minutes` of real inactivity.
pub const RENEW_AFTER_SECS: i64 = 60;

/// Who a session belongs to. `signed_in_at` (Unix seconds) starts the absolute lifetime.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Principal {
    /// A user of a client organisation.
    User {
        user_id: Uuid,
        epoch: i32,
        signed_in_at: i64,
    },
    /// A vendor respondent who exchanged an invitation link for a session: it reaches one
    /// assessment of one organisation, and only one section of it when `section` is set
    /// (a delegate).
    Vendor {
        organization_id: Uuid,
        assessment_id: Uuid,
        invitation_id: Uuid,
        section: Option<String>,
        signed_in_at: i64,
    },
}

/// Starts an authenticated session: a new id (no fixation), then the principal.
pub async fn sign_in(session: &Session, user_id: Uuid, epoch: i32) -> Result<()> {
    start(
        session,
        Principal::User {
            user_id,
            epoch,
            signed_in_at: wall_now().unix_timestamp(),
        },
    )
    .await
}

/// Starts a vendor respondent's session for the link they opened.
pub async fn start_vendor(session: &Session, vendor: &VendorCaller) -> Result<()> {
    start(
        session,
        Principal::Vendor {
            organization_id: vendor.organization_id,
            assessment_id: vendor.assessment_id,
            invitation_id: vendor.invitation_id,
            section: vendor.section.clone(),
            signed_in_at: wall_now().unix_timestamp(),
        },
    )
    .await
}

/// Replaces whatever the session held with `principal`, under a new session id.
pub async fn start(session: &Session, principal: Principal) -> Result<()> {
    session.cycle_id().await.map_err(session_error)?;
    session
        .insert(AUTH_KEY, principal)
        .await
        .map_err(session_error)?;
    session
        .insert(RENEWED_KEY, wall_now().unix_timestamp())
        .await
        .map_err(session_error)
}

/// Keeps a session that is in use alive: when its last renewal is more than
/// [`RENEW_AFTER_SECS`] old, the renewal time changes, so the session layer saves the row
/// with a new idle expiry. Otherwise the session is left unmodified and nothing is written.
/// (A save never re-creates a row that sign-out deleted meanwhile: the store only updates.)
async fn keep_alive(session: &Session) -> Result<()> {
    let now = wall_now().unix_timestamp();
    let renewed_at = session
        .get::<i64>(RENEWED_KEY)
        .await
        .map_err(session_error)?;
    if due_for_renewal(renewed_at, now) {
        session
            .insert(RENEWED_KEY, now)
            .await
            .map_err(session_error)?;
    }
    Ok(())
}

/// Whether a session last renewed at `renewed_at` should be renewed at `now`; a session
/// without the mark (started by an older version) is renewed once, which adds it.
fn due_for_renewal(renewed_at: Option<i64>, now: i64) -> bool {
    renewed_at.is_none_or(|at| now - at > RENEW_AFTER_SECS)
}

/// The request's session and whoever it belongs to.
async fn load(parts: &mut Parts, state: &AppState) -> Result<(Session, Option<Principal>)> {
    let session = Session::from_request_parts(parts, state)
        .await
        .map_err(|(_, msg)| Error::Internal(anyhow::anyhow!("session layer: {msg}")))?;
    let principal = session
        .get::<Principal>(AUTH_KEY)
        .await
        .map_err(session_error)?;
    Ok((session, principal))
}

/// Sessions follow the wall clock, as the session library's idle expiry does: a test that
/// moves the domain clock months ahead keeps its sessions, and no setting of the domain
/// clock can make a session live longer in real time.
fn wall_now() -> OffsetDateTime {
    Clock::system().now()
}

fn expired(signed_in_at: i64, absolute_hours: u32, now: OffsetDateTime) -> bool {
    now.unix_timestamp() - signed_in_at > i64::from(absolute_hours) * 3600
}

/// The user claims of a principal; a vendor session (or none) is not a user.
fn user_claims(principal: Option<Principal>) -> Result<(Uuid, i32, i64)> {
    match principal {
        Some(Principal::User {
            user_id,
            epoch,
            signed_in_at,
        }) => Ok((user_id, epoch, signed_in_at)),
        Some(Principal::Vendor { .. }) | None => Err(Error::Unauthorized),
    }
}

fn vendor_claims(principal: Option<Principal>) -> Result<(Uuid, Uuid, Uuid, Option<String>, i64)> {
    match principal {
        Some(Principal::Vendor {
            organization_id,
            assessment_id,
            invitation_id,
            section,
            signed_in_at,
        }) => Ok((
            organization_id,
            assessment_id,
            invitation_id,
            section,
            signed_in_at,
        )),
        Some(Principal::User { .. }) | None => Err(Error::Unauthorized),
    }
}

impl FromRequestParts<AppState> for VendorCaller {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        let (session, principal) = load(parts, state).await?;
        let (organization_id, assessment_id, invitation_id, section, signed_in_at) =
            vendor_claims(principal)?;
        if expired(
            signed_in_at,
            state.settings.session_absolute_hours,
            wall_now(),
        ) {
            sign_out(&session).await?;
            return Err(Error::Unauthorized);
        }
        // The session lives only as long as its link: withdrawn (revoked or re-sent),
        // expired, or its questionnaire cancelled, and the session ends with it.
        let link =
            crate::db::portal::link_and_status(&state.db, invitation_id, assessment_id).await?;
        let ended = match &link {
            None => Some("This link is no longer valid. Ask your contact for a new one."),
            Some((link, _)) if link.revoked_at.is_some() => {
                Some("This link has been withdrawn. Ask your contact for a new one.")
            }
            Some((link, _)) if link.expires_at <= state.clock.now() => {
                Some("This link has expired. Ask your contact for a new one.")
            }
            Some((_, AssessmentStatus::Cancelled)) => Some("This questionnaire was cancelled."),
            Some(_) => None,
        };
        if let Some(message) = ended {
            sign_out(&session).await?;
            return Err(Error::Gone(message.to_owned()));
        }
        let Some((link, _)) = link else {
            return Err(Error::Unauthorized);
        };
        keep_alive(&session).await?;
        Ok(VendorCaller {
            organization_id,
            assessment_id,
            invitation_id,
            section,
            recipient_email: link.recipient_email,
            recipient_name: link.recipient_name,
        })
    }
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

impl FromRequestParts<AppState> for UserCaller {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        if let Some(token) = bearer(parts)? {
            return from_token(parts, state, &token).await;
        }
        let (session, principal) = load(parts, state).await?;
        let (user_id, epoch, signed_in_at) = user_claims(principal)?;
        if expired(
            signed_in_at,
            state.settings.session_absolute_hours,
            wall_now(),
        ) {
            sign_out(&session).await?;
            return Err(Error::Unauthorized);
        }
        let found = accounts::find_user_with_organization(&state.db, user_id).await?;
        let Some((user, org)) = found.filter(|(u, _)| u.active && u.session_epoch == epoch) else {
            sign_out(&session).await?;
            return Err(Error::Unauthorized);
        };
        let role = user
            .role
            .parse::<Role>()
            .map_err(|e| Error::Internal(e.into()))?;
        keep_alive(&session).await?;
        Ok(UserCaller {
            id: user.id,
            organization_id: user.organization_id,
            email: user.email,
            display_name: user.display_name,
            role,
            epoch: user.session_epoch,
            mfa_enrolment_required: org.require_mfa && !user.mfa_enabled,
            token: None,
        })
    }
}

/// The token of an `Authorization: Bearer` header, if there is one.
fn bearer(parts: &Parts) -> Result<Option<String>> {
    let Some(value) = parts.headers.get(axum::http::header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value.to_str().map_err(|_| Error::Unauthorized)?;
    match value.split_once(' ') {
        Some((scheme, token))
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
        {
            Ok(Some(token.trim().to_owned()))
        }
        _ => Err(Error::Unauthorized),
    }
}

/// A request authenticated by an API token acts as the token's creator, limited by its
/// scope; it never reaches the account endpoints (password, MFA, sign-out).
async fn from_token(parts: &mut Parts, state: &AppState, token: &str) -> Result<UserCaller> {
    if parts.uri.path().starts_with("/api/auth/") {
        return Err(Error::Forbidden(
            "API tokens cannot use account endpoints.".to_owned(),
        ));
    }
    let (model, user) = crate::services::tokens::authenticate(&state.ctx(), token).await?;
    let scope = TokenScope::parse(&model.scope)
        .ok_or_else(|| Error::Internal(anyhow::anyhow!("token scope {}", model.scope)))?;
    let role = user
        .role
        .parse::<Role>()
        .map_err(|e| Error::Internal(e.into()))?;
    Ok(UserCaller {
        id: user.id,
        organization_id: user.organization_id,
        email: format!("{} (API token \"{}\")", user.email, model.name),
        display_name: user.display_name,
        role,
        epoch: user.session_epoch,
        mfa_enrolment_required: false,
        token: Some(scope),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vendor() -> Principal {
        Principal::Vendor {
            organization_id: Uuid::nil(),
            assessment_id: Uuid::nil(),
            invitation_id: Uuid::nil(),
            section: None,
            signed_in_at: 0,
        }
    }

    fn user() -> Principal {
        Principal::User {
            user_id: Uuid::nil(),
            epoch: 0,
            signed_in_at: 0,
        }
    }

    #[test]
    fn a_vendor_session_is_never_a_user_and_a_user_session_never_a_vendor() {
        assert!(matches!(
            user_claims(Some(vendor())),
            Err(Error::Unauthorized)
        ));
        assert!(matches!(
            vendor_claims(Some(user())),
            Err(Error::Unauthorized)
        ));
        assert!(user_claims(Some(user())).is_ok());
        assert!(vendor_claims(Some(vendor())).is_ok());
        assert!(user_claims(None).is_err() && vendor_claims(None).is_err());
    }

    #[test]
    fn the_principal_kind_is_stored_explicitly() {
        let json = serde_json::to_value(vendor()).expect("json");
        assert_eq!(json["kind"], "vendor");
        let json = serde_json::to_value(user()).expect("json");
        assert_eq!(json["kind"], "user");
    }

    #[test]
    fn a_session_is_renewed_only_when_its_last_renewal_is_over_a_minute_old() {
        let now = 1_800_000_000;
        assert!(!due_for_renewal(Some(now), now));
        assert!(!due_for_renewal(Some(now - RENEW_AFTER_SECS), now));
        assert!(due_for_renewal(Some(now - RENEW_AFTER_SECS - 1), now));
        assert!(
            due_for_renewal(None, now),
            "a session without the mark gets it"
        );
    }

    #[test]
    fn sessions_expire_after_their_absolute_lifetime() {
        let now = time::macros::datetime!(2026-12-01 09:00 UTC);
        let t = now.unix_timestamp();
        assert!(!expired(t - 3599, 1, now));
        assert!(expired(t - 3601, 1, now));
    }
}
