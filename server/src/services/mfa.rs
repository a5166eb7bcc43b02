//! Multi-factor authentication: TOTP enrolment with recovery codes, the second step of
//! sign-in, and the organisation setting that requires it.

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel,
    QueryFilter,
};
use secrecy::SecretString;
use serde_json::json;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::auth::password::PasswordService;
use crate::auth::totp;
use crate::caller::UserCaller;
use crate::crypto::MasterKey;
use crate::db::accounts;
use crate::db::entities::{recovery_code, user};
use crate::error::{Error, Result};
use crate::services::audit::{self, Action, Event};
use crate::state::Ctx;

pub const RECOVERY_CODES: usize = 10;

/// What the user needs to add Assay to an authenticator app.
pub struct Enrolment {
    pub secret: String,
    pub otpauth_uri: String,
    pub qr_svg: String,
}

/// Starts enrolment: a new secret is stored, not yet active until a code confirms it.
/// The TOTP seed is sealed under the master key and bound to its user.
fn seal_secret(key: &MasterKey, user_id: Uuid, secret: &str) -> Result<String> {
    key.seal_text(secret, user_id.as_bytes())
        .map_err(|e| Error::Internal(e.into()))
}

fn open_secret(key: &MasterKey, user: &user::Model) -> Option<Vec<u8>> {
    let sealed = user.mfa_secret.as_deref()?;
    let secret = key.open_text(sealed, user.id.as_bytes()).ok()?;
    totp::base32_decode(&secret)
}

pub async fn begin_enrolment(
    ctx: &Ctx,
    key: &MasterKey,
    current: &UserCaller,
) -> Result<Enrolment> {
    let db = &ctx.db;
    let user = accounts::find_user(db, current.id)
        .await?
        .ok_or(Error::Unauthorized)?;
    if user.mfa_enabled {
        return Err(Error::Conflict {
            code: "mfa_already_enabled",
            message: "Two-factor authentication is already on; turn it off first to change it."
                .to_owned(),
        });
    }
    let mut bytes = [0u8; 20];
    getrandom::fill(&mut bytes)
        .map_err(|e| Error::Internal(anyhow::anyhow!("no randomness: {e}")))?;
    let secret = totp::base32_encode(&bytes);
    let uri = totp::otpauth_uri(&secret, &user.email, "Assay");
    let qr_svg = totp::qr_svg(&uri)
        .ok_or_else(|| Error::Internal(anyhow::anyhow!("QR code rendering failed")))?;
    let mut active = user.into_active_model();
    active.mfa_secret = Set(Some(seal_secret(key, current.id, &secret)?));
    active.updated_at = Set(ctx.clock.now());
    active.update(db).await?;
    Ok(Enrolment {
        secret,
        otpauth_uri: uri,
        qr_svg,
    })
}

/// Confirms enrolment with a current code; returns the recovery codes (shown once).
pub async fn confirm_enrolment(
    ctx: &Ctx,
    key: &MasterKey,
    current: &UserCaller,
    code: &str,
) -> Result<Vec<String>> {
    let db = &ctx.db;
    let user = accounts::find_user(db, current.id)
        .await?
        .ok_or(Error::Unauthorized)?;
    if user.mfa_enabled {
        return Err(Error::Conflict {
            code: "mfa_already_enabled",
            message: "Two-factor authentication is already on.".to_owned(),
        });
    }
    let secret = open_secret(key, &user).ok_or_else(|| Error::Conflict {
        code: "mfa_not_started",
        message: "Start the set-up first.".to_owned(),
    })?;
    let step =
        totp::verify(&secret, code, ctx.clock.now().unix_timestamp(), None).ok_or_else(|| {
            Error::validation(
                "code",
                "That code is not valid. Check the time on your device and try the current code.",
            )
        })?;
    let mut codes = Vec::with_capacity(RECOVERY_CODES);
    let txn = crate::db::begin_write(db).await?;
    recovery_code::Entity::delete_many()
        .filter(recovery_code::Column::UserId.eq(user.id))
        .exec(&txn)
        .await?;
    for _ in 0..RECOVERY_CODES {
        let mut bytes = [0u8; 10];
        getrandom::fill(&mut bytes)
            .map_err(|e| Error::Internal(anyhow::anyhow!("no randomness: {e}")))?;
        let code = totp::format_recovery_code(&bytes);
        recovery_code::ActiveModel {
            id: Set(Uuid::now_v7()),
            user_id: Set(user.id),
            code_hash: Set(totp::hash_recovery_code(&code)),
            used_at: Set(None),
        }
        .insert(&txn)
        .await?;
        codes.push(code);
    }
    let mut active = user.clone().into_active_model();
    active.mfa_enabled = Set(true);
    active.mfa_last_step = Set(Some(step));
    active.updated_at = Set(ctx.clock.now());
    active.update(&txn).await?;
    audit::record(
        &txn,
        Event::own_account(
            user.organization_id,
            user.id,
            &user.email,
            Action::MfaEnabled,
            json!({ "recovery_codes": RECOVERY_CODES }),
        ),
        ctx.clock.now(),
    )
    .await?;
    txn.commit().await?;
    Ok(codes)
}

/// Turns MFA off after re-checking the password.
pub async fn disable(
    ctx: &Ctx,
    passwords: &PasswordService,
    current: &UserCaller,
    password: &SecretString,
) -> Result<()> {
    let db = &ctx.db;
    let user = accounts::find_user(db, current.id)
        .await?
        .ok_or(Error::Unauthorized)?;
    crate::auth::throttle::recheck_password(db, passwords, &user, password)
        .await?
        .map_err(|()| Error::validation("password", "The password is not correct."))?;
    let txn = crate::db::begin_write(db).await?;
    recovery_code::Entity::delete_many()
        .filter(recovery_code::Column::UserId.eq(user.id))
        .exec(&txn)
        .await?;
    let mut active = user.clone().into_active_model();
    active.mfa_enabled = Set(false);
    active.mfa_secret = Set(None);
    active.mfa_last_step = Set(None);
    active.updated_at = Set(ctx.clock.now());
    active.update(&txn).await?;
    audit::record(
        &txn,
        Event::own_account(
            user.organization_id,
            user.id,
            &user.email,
            Action::MfaDisabled,
            json!({}),
        ),
        ctx.clock.now(),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The second step of sign-in: a current TOTP code (never the same one twice) or an unused
/// recovery code. Returns which kind was used.
pub async fn check_second_factor(
    conn: &impl ConnectionTrait,
    key: &MasterKey,
    user: &user::Model,
    code: &str,
    now: OffsetDateTime,
) -> Result<Option<&'static str>> {
    if let Some(secret) = open_secret(key, user)
        && let Some(step) = totp::verify(&secret, code, now.unix_timestamp(), user.mfa_last_step)
    {
        let mut active = user.clone().into_active_model();
        active.mfa_last_step = Set(Some(step));
        active.update(conn).await?;
        return Ok(Some("totp"));
    }
    let hash = totp::hash_recovery_code(code);
    let unused = recovery_code::Entity::find()
        .filter(recovery_code::Column::UserId.eq(user.id))
        .filter(recovery_code::Column::CodeHash.eq(hash))
        .filter(recovery_code::Column::UsedAt.is_null())
        .one(conn)
        .await?;
    if let Some(code) = unused {
        let mut used = code.into_active_model();
        used.used_at = Set(Some(now));
        used.update(conn).await?;
        return Ok(Some("recovery_code"));
    }
    Ok(None)
}
