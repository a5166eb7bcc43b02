//! Organisations, users, invitations, sign-in and passwords.

use std::net::IpAddr;

use assay_core::access::{Permission, Role};
use base64::Engine;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, IntoActiveModel, SqlErr};
use secrecy::{ExposeSecret, SecretString};
use serde_json::json;
use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::auth::password::{PasswordService, check_new_password};
use crate::auth::throttle::{self, Attempt};
use crate::caller::UserCaller;
use crate::crypto::MasterKey;
use crate::db::accounts::{self, NewUser};
use crate::db::entities::{organization, user};
use crate::error::{Error, Result};
use crate::services::audit::{self, Action, Actor, Event};
use crate::services::mailer::{self, EmailKind, Mailer};
use crate::services::{letters, mfa};
use crate::state::Ctx;

/// How long an invitation link stays valid.
pub const INVITATION_LIFETIME: Duration = Duration::hours(72);

/// A syntactically plausible email address, trimmed and lower-cased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self> {
        let email = raw.trim().to_lowercase();
        let valid = email.len() <= 254
            && email.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !email.contains(char::is_whitespace)
                    && email.matches('@').count() == 1
            });
        if valid {
            Ok(Email(email))
        } else {
            Err(Error::validation("email", "Enter a valid email address."))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A person's name as shown in the app: 1 to 100 characters.
pub fn parse_display_name(raw: &str) -> Result<String> {
    crate::services::text_field("display_name", raw, 100, true)
}

/// A URL-safe identifier derived from a name: lower-case letters, digits and dashes.
pub fn slugify(name: &str) -> String {
    let mut slug = String::new();
    for c in name.trim().to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').chars().take(60).collect()
}

pub(crate) fn unique_violation(e: &sea_orm::DbErr) -> bool {
    matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}

pub(crate) fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// 256 random bits, URL-safe.
pub fn new_token() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| Error::Internal(anyhow::anyhow!("no randomness: {e}")))?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// An organisation's name (1 to 200 characters, one line) and the slug made from it;
/// errors are about `name`.
pub fn parse_organisation_name(raw: &str) -> Result<(String, String)> {
    let name = crate::services::text_field("name", raw, 200, true)?;
    let slug = slugify(&name);
    if slug.is_empty() {
        return Err(Error::validation(
            "name",
            "The name needs at least one letter or digit.",
        ));
    }
    Ok((name, slug))
}

/// Creates a tenant (operator CLI).
pub async fn create_organization(ctx: &Ctx, name: &str) -> Result<organization::Model> {
    let db = &ctx.db;
    let (name, slug) = parse_organisation_name(name)?;
    let txn = crate::db::begin_write(db).await?;
    let org = accounts::insert_organization(&txn, &name, &slug, ctx.clock.now())
        .await
        .map_err(|e| {
            if unique_violation(&e) {
                Error::Conflict {
                    code: "organisation_exists",
                    message: format!("an organisation with the slug “{slug}” already exists"),
                }
            } else {
                e.into()
            }
        })?;
    audit::record(
        &txn,
        Event {
            organization_id: Some(org.id),
            actor: Actor::operator(),
            action: Action::OrganisationCreated,
            target: Some(("organisation", org.id.to_string())),
            detail: json!({ "name": org.name, "slug": org.slug }),
        },
        ctx.clock.now(),
    )
    .await?;
    txn.commit().await?;
    Ok(org)
}

fn email_taken(e: sea_orm::DbErr) -> Error {
    if unique_violation(&e) {
        Error::Conflict {
            code: "email_taken",
            message: "a user with this email address already exists".to_owned(),
        }
    } else {
        e.into()
    }
}

/// Creates a user with a password (operator CLI).
pub async fn create_user_with_password(
    ctx: &Ctx,
    passwords: &PasswordService,
    org_slug: &str,
    email: &str,
    display_name: Option<&str>,
    role: Role,
    password: &SecretString,
) -> Result<user::Model> {
    let db = &ctx.db;
    let email = Email::parse(email)?;
    let display_name = parse_display_name(display_name.unwrap_or(email.as_str()))?;
    check_new_password(password.expose_secret(), email.as_str())
        .map_err(|m| Error::validation("password", m))?;
    let org = accounts::find_organization_by_slug(db, org_slug)
        .await?
        .ok_or(Error::NotFound)?;
    let hash = passwords.hash(password).await?;
    let txn = crate::db::begin_write(db).await?;
    let user = accounts::insert_user(
        &txn,
        NewUser {
            organization_id: org.id,
            email: email.as_str(),
            display_name: &display_name,
            role: role.as_str(),
            password_hash: Some(hash),
            signed_in_with_sso: false,
        },
        ctx.clock.now(),
    )
    .await
    .map_err(email_taken)?;
    audit::record(
        &txn,
        Event {
            organization_id: Some(org.id),
            actor: Actor::operator(),
            action: Action::UserCreated,
            target: Some(("user", user.id.to_string())),
            detail: json!({ "email": user.email, "role": user.role }),
        },
        ctx.clock.now(),
    )
    .await?;
    txn.commit().await?;
    Ok(user)
}

/// Sets a new password for an account (operator CLI) and ends all its sessions.
pub async fn reset_password(
    ctx: &Ctx,
    passwords: &PasswordService,
    email: &str,
    password: &SecretString,
) -> Result<user::Model> {
    let db = &ctx.db;
    let email = Email::parse(email)?;
    check_new_password(password.expose_secret(), email.as_str())
        .map_err(|m| Error::validation("password", m))?;
    let user = accounts::find_user_by_email(db, email.as_str())
        .await?
        .ok_or(Error::NotFound)?;
    let hash = passwords.hash(password).await?;
    let txn = crate::db::begin_write(db).await?;
    let org_id = user.organization_id;
    let user = set_password(&txn, user, hash, ctx.clock.now()).await?;
    audit::record(
        &txn,
        Event {
            organization_id: Some(org_id),
            actor: Actor::operator(),
            action: Action::PasswordReset,
            target: Some(("user", user.id.to_string())),
            detail: json!({ "email": user.email }),
        },
        ctx.clock.now(),
    )
    .await?;
    txn.commit().await?;
    Ok(user)
}

/// Stores a new hash and bumps the session epoch, which ends every existing session.
async fn set_password(
    conn: &impl sea_orm::ConnectionTrait,
    user: user::Model,
    hash: String,
    now: OffsetDateTime,
) -> Result<user::Model> {
    let epoch = user.session_epoch + 1;
    let mut active = user.into_active_model();
    active.password_hash = Set(Some(hash));
    active.session_epoch = Set(epoch);
    active.updated_at = Set(now);
    Ok(active.update(conn).await?)
}

/// A sign-in refused after the password was right: who, and why.
struct Refusal<'a> {
    user: &'a user::Model,
    account: &'a str,
    address: Option<IpAddr>,
    reason: &'static str,
}

impl<'a> Refusal<'a> {
    fn new(
        user: &'a user::Model,
        account: &'a str,
        address: Option<IpAddr>,
        reason: &'static str,
    ) -> Self {
        Refusal {
            user,
            account,
            address,
            reason,
        }
    }
}

/// Records the refusal in the audit log, commits, and answers `error`.
async fn refuse(
    txn: crate::db::WriteTxn,
    refusal: Refusal<'_>,
    error: Error,
    now: time::OffsetDateTime,
) -> Result<user::Model> {
    audit::record(
        &txn,
        Event {
            organization_id: Some(refusal.user.organization_id),
            actor: Actor::anonymous(),
            action: Action::SignInFailed,
            target: Some(("user", refusal.user.id.to_string())),
            detail: json!({
                "email": refusal.account,
                "reason": refusal.reason,
                "address": refusal.address.map(|a| a.to_string()),
            }),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Err(error)
}

/// Checks credentials with throttling; the same 401 for an unknown email and a wrong
/// password, and the same time spent on both. Success and failure are both audited.
pub async fn authenticate(
    ctx: &Ctx,
    key: &MasterKey,
    passwords: &PasswordService,
    email: &str,
    password: &SecretString,
    second_factor: Option<&str>,
    address: Option<IpAddr>,
) -> Result<user::Model> {
    let db = &ctx.db;
    let account = email.trim().to_lowercase();
    let attempt = Attempt::SignIn {
        account: &account,
        address,
    };
    if let Err(retry_after_secs) = throttle::reserve(db, attempt).await? {
        return Err(Error::TooManyRequests { retry_after_secs });
    }
    let user = accounts::find_user_by_email(db, &account).await?;
    let stored = user.as_ref().and_then(|u| u.password_hash.as_deref());
    let valid = throttle::verify_reserved(db, passwords, attempt, password, stored).await?;
    match user {
        Some(user) if valid && user.active => {
            let txn = crate::db::begin_write(db).await?;
            if crate::services::sso::password_refused(&txn, &user).await? {
                let refusal = Refusal::new(&user, &account, address, "sso_required");
                return refuse(txn, refusal, Error::SsoRequired, ctx.clock.now()).await;
            }
            let factor = if user.mfa_enabled {
                let Some(code) = second_factor.filter(|c| !c.trim().is_empty()) else {
                    // The password was right; the UI now asks for the code.
                    return Err(Error::MfaRequired);
                };
                match mfa::check_second_factor(&txn, key, &user, code, ctx.clock.now()).await? {
                    Some(kind) => Some(kind),
                    None => {
                        let refusal = Refusal::new(&user, &account, address, "wrong_second_factor");
                        return refuse(txn, refusal, Error::InvalidMfaCode, ctx.clock.now()).await;
                    }
                }
            } else {
                None
            };
            throttle::succeeded(&txn, attempt).await?;
            audit::record(
                &txn,
                Event::own_account(
                    user.organization_id,
                    user.id,
                    &user.email,
                    Action::SignInSucceeded,
                    json!({
                        "address": address.map(|a| a.to_string()),
                        "second_factor": factor,
                    }),
                ),
                ctx.clock.now(),
            )
            .await?;
            txn.commit().await?;
            Ok(user)
        }
        user => {
            let reason = match &user {
                None => "unknown_account",
                Some(u) if !u.active => "deactivated",
                Some(u) if u.password_hash.is_none() => "no_password_set",
                Some(_) => "wrong_password",
            };
            let txn = crate::db::begin_write(db).await?;
            audit::record(
                &txn,
                Event {
                    organization_id: user.as_ref().map(|u| u.organization_id),
                    actor: Actor::anonymous(),
                    action: Action::SignInFailed,
                    target: user.as_ref().map(|u| ("user", u.id.to_string())),
                    detail: json!({
                        "email": account,
                        "reason": reason,
                        "address": address.map(|a| a.to_string()),
                    }),
                },
                ctx.clock.now(),
            )
            .await?;
            txn.commit().await?;
            Err(Error::InvalidCredentials)
        }
    }
}

/// Records a sign-out.
pub async fn record_sign_out(ctx: &Ctx, user: &UserCaller) -> Result<()> {
    let db = &ctx.db;
    let txn = crate::db::begin_write(db).await?;
    audit::record(
        &txn,
        Event::own_account(
            user.organization_id,
            user.id,
            &user.email,
            Action::SignedOut,
            json!({}),
        ),
        ctx.clock.now(),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Changes the signed-in user's own password; every other session of theirs ends.
/// Returns the new session epoch for the current session.
pub async fn change_password(
    ctx: &Ctx,
    passwords: &PasswordService,
    current: &UserCaller,
    current_password: &SecretString,
    new_password: &SecretString,
) -> Result<i32> {
    let db = &ctx.db;
    let user = accounts::find_user(db, current.id)
        .await?
        .ok_or(Error::Unauthorized)?;
    throttle::recheck_password(db, passwords, &user, current_password)
        .await?
        .map_err(|()| {
            Error::validation("current_password", "The current password is not correct.")
        })?;
    check_new_password(new_password.expose_secret(), &user.email)
        .map_err(|m| Error::validation("new_password", m))?;
    let hash = passwords.hash(new_password).await?;
    let txn = crate::db::begin_write(db).await?;
    let user = set_password(&txn, user, hash, ctx.clock.now()).await?;
    audit::record(
        &txn,
        Event::own_account(
            user.organization_id,
            user.id,
            &user.email,
            Action::PasswordChanged,
            json!({}),
        ),
        ctx.clock.now(),
    )
    .await?;
    txn.commit().await?;
    Ok(user.session_epoch)
}

/// An Admin invites someone: the user exists at once (without a password) and an email
/// with a single-use link is queued (its body sealed). Returns the user and the raw token
/// (which is stored only hashed).
pub async fn invite_user(
    ctx: &Ctx,
    mailer: &Mailer,
    admin: &UserCaller,
    email: &str,
    display_name: &str,
    role: Role,
) -> Result<(user::Model, String)> {
    let db = &ctx.db;
    admin.require(Permission::ManageUsers)?;
    let email = Email::parse(email)?;
    let display_name = parse_display_name(display_name)?;
    let token = new_token()?;
    let txn = crate::db::begin_write(db).await?;
    let user = accounts::insert_user(
        &txn,
        NewUser {
            organization_id: admin.organization_id,
            email: email.as_str(),
            display_name: &display_name,
            role: role.as_str(),
            password_hash: None,
            signed_in_with_sso: false,
        },
        ctx.clock.now(),
    )
    .await
    .map_err(email_taken)?;
    let expires_at = ctx.clock.now() + INVITATION_LIFETIME;
    accounts::insert_invitation(
        &txn,
        admin.organization_id,
        user.id,
        hash_token(&token),
        expires_at,
        ctx.clock.now(),
    )
    .await?;
    let org = accounts::find_organization(&txn, admin.organization_id)
        .await?
        .ok_or(Error::NotFound)?;
    // The token travels in the fragment, which browsers never send to a server.
    let link = mailer.link(&format!("/invitation#token={token}"));
    mailer
        .queue(
            &txn,
            mailer::Email {
                organization_id: Some(admin.organization_id),
                to: email.as_str().to_owned(),
                kind: EmailKind::AccountInvitation,
                letter: letters::account_invitation(
                    &display_name,
                    &admin.display_name,
                    &org.name,
                    role.label(),
                    &link,
                ),
            },
            ctx.clock.now(),
        )
        .await?;
    audit::record(
        &txn,
        Event::by(
            admin,
            Action::UserInvited,
            ("user", user.id.to_string()),
            json!({ "email": user.email, "role": user.role }),
        ),
        ctx.clock.now(),
    )
    .await?;
    txn.commit().await?;
    Ok((user, token))
}

/// An Admin sends a user of their organisation a single-use link to set a new password
/// (the way back for someone who forgot theirs; someone who never used their invitation gets
/// the invitation again). Earlier unused links of the user stop working; the current password keeps working until the new
/// one is set, which ends every session. Two-factor sign-in stays as it is.
pub async fn send_password_reset(
    ctx: &Ctx,
    mailer: &Mailer,
    admin: &UserCaller,
    user_id: Uuid,
) -> Result<user::Model> {
    let db = &ctx.db;
    admin.require(Permission::ManageUsers)?;
    let token = new_token()?;
    let now = ctx.clock.now();
    let txn = crate::db::begin_write(db).await?;
    let user = accounts::find_user_in_org_for_write(&txn, admin.organization_id, user_id)
        .await?
        .ok_or(Error::NotFound)?;
    if !user.active {
        return Err(Error::Conflict {
            code: "user_inactive",
            message: "This account is deactivated: reactivate it before sending a password link."
                .to_owned(),
        });
    }
    accounts::withdraw_invitations(&txn, user.id, now).await?;
    accounts::insert_invitation(
        &txn,
        admin.organization_id,
        user.id,
        hash_token(&token),
        now + INVITATION_LIFETIME,
        now,
    )
    .await?;
    let org = accounts::find_organization(&txn, admin.organization_id)
        .await?
        .ok_or(Error::NotFound)?;
    // The same page as an invitation sets the password; the token is in the fragment.
    let link = mailer.link(&format!("/invitation#token={token}"));
    // Someone who never set a password gets their invitation again, in its own words.
    let (kind, letter) = match (&user.password_hash, user.role.parse::<Role>()) {
        (None, Ok(role)) => (
            EmailKind::AccountInvitation,
            letters::account_invitation(
                &user.display_name,
                &admin.display_name,
                &org.name,
                role.label(),
                &link,
            ),
        ),
        _ => (
            EmailKind::PasswordReset,
            letters::password_reset(&user.display_name, &admin.display_name, &org.name, &link),
        ),
    };
    mailer
        .queue(
            &txn,
            mailer::Email {
                organization_id: Some(admin.organization_id),
                to: user.email.clone(),
                kind,
                letter,
            },
            now,
        )
        .await?;
    audit::record(
        &txn,
        Event::by(
            admin,
            Action::PasswordResetSent,
            ("user", user.id.to_string()),
            json!({ "email": user.email }),
        ),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(user)
}

/// The invited person sets their password with the link's token.
pub async fn accept_invitation(
    ctx: &Ctx,
    passwords: &PasswordService,
    token: &str,
    password: &SecretString,
) -> Result<user::Model> {
    let db = &ctx.db;
    let invitation = accounts::find_invitation_by_hash(db, &hash_token(token.trim()))
        .await?
        .ok_or(Error::NotFound)?;
    if invitation.used_at.is_some() {
        return Err(Error::Gone(
            "This link has already been used, or a newer one replaced it.".to_owned(),
        ));
    }
    if invitation.expires_at <= ctx.clock.now() {
        return Err(Error::Gone(
            "This invitation has expired; ask your administrator for a new one.".to_owned(),
        ));
    }
    let user = accounts::find_user(db, invitation.user_id)
        .await?
        .ok_or(Error::NotFound)?;
    check_new_password(password.expose_secret(), &user.email)
        .map_err(|m| Error::validation("password", m))?;
    let hash = passwords.hash(password).await?;
    let txn = crate::db::begin_write(db).await?;
    let mut used = invitation.into_active_model();
    used.used_at = Set(Some(ctx.clock.now()));
    used.update(&txn).await?;
    let user = set_password(&txn, user, hash, ctx.clock.now()).await?;
    audit::record(
        &txn,
        Event::own_account(
            user.organization_id,
            user.id,
            &user.email,
            Action::InvitationAccepted,
            json!({}),
        ),
        ctx.clock.now(),
    )
    .await?;
    txn.commit().await?;
    Ok(user)
}

/// What an Admin may change about a user.
#[derive(Debug, Clone, Default)]
pub struct UserChanges {
    pub display_name: Option<String>,
    pub role: Option<Role>,
    pub active: Option<bool>,
}

/// Changes a user of the Admin's own organisation. A role change or deactivation ends the
/// user's sessions; the organisation always keeps at least one active Admin.
pub async fn update_user(
    ctx: &Ctx,
    admin: &UserCaller,
    user_id: Uuid,
    changes: UserChanges,
) -> Result<user::Model> {
    let db = &ctx.db;
    admin.require(Permission::ManageUsers)?;
    let txn = crate::db::begin_write(db).await?;
    let user = accounts::find_user_in_org_for_write(&txn, admin.organization_id, user_id)
        .await?
        .ok_or(Error::NotFound)?;
    let was_admin = user.role == Role::Admin.as_str() && user.active;
    let new_role = changes
        .role
        .map(Role::as_str)
        .unwrap_or(&user.role)
        .to_owned();
    let new_active = changes.active.unwrap_or(user.active);
    if was_admin
        && (new_role != Role::Admin.as_str() || !new_active)
        && accounts::count_active_admins(&txn, admin.organization_id).await? <= 1
    {
        return Err(Error::Conflict {
            code: "last_admin",
            message: "the organisation must keep at least one active Admin".to_owned(),
        });
    }
    let privilege_changed = new_role != user.role || new_active != user.active;
    let mut detail = serde_json::Map::new();
    let mut active = user.clone().into_active_model();
    if let Some(name) = changes.display_name {
        let name = parse_display_name(&name)?;
        if name != user.display_name {
            detail.insert(
                "display_name".into(),
                json!({ "from": user.display_name, "to": name }),
            );
            active.display_name = Set(name);
        }
    }
    if new_role != user.role {
        detail.insert("role".into(), json!({ "from": user.role, "to": new_role }));
        active.role = Set(new_role);
    }
    if new_active != user.active {
        detail.insert(
            "active".into(),
            json!({ "from": user.active, "to": new_active }),
        );
        active.active = Set(new_active);
    }
    if detail.is_empty() {
        txn.commit().await?;
        return Ok(user);
    }
    if privilege_changed {
        active.session_epoch = Set(user.session_epoch + 1);
    }
    active.updated_at = Set(ctx.clock.now());
    let updated = active.update(&txn).await?;
    audit::record(
        &txn,
        Event::by(
            admin,
            Action::UserUpdated,
            ("user", updated.id.to_string()),
            serde_json::Value::Object(detail),
        ),
        ctx.clock.now(),
    )
    .await?;
    txn.commit().await?;
    Ok(updated)
}

/// The active people of the caller's organisation, by name, for assigning work (vendor
/// owners, remediation owners): ids, names and roles only. Everyone who reads assessments.
pub async fn people(ctx: &Ctx, user: &UserCaller) -> Result<Vec<assay_core::api::PersonView>> {
    let db = &ctx.db;
    user.require(Permission::ReadAssessments)?;
    let mut people: Vec<assay_core::api::PersonView> =
        accounts::list_users(db, user.organization_id)
            .await?
            .into_iter()
            .filter(|u| u.active)
            .filter_map(|u| {
                Some(assay_core::api::PersonView {
                    role: crate::services::restored(&u.role).ok()?,
                    id: u.id,
                    display_name: u.display_name,
                })
            })
            .collect();
    people.sort_by_key(|p| p.display_name.to_lowercase());
    Ok(people)
}

/// `PATCH /api/organization` (Admin): whether every user must use MFA, and the time zone
/// the organisation's people read times in. What is left out stays; a change is audited
/// with the values before and after.
pub async fn update_organisation(
    ctx: &Ctx,
    admin: &UserCaller,
    request: assay_core::api::UpdateOrganizationRequest,
) -> Result<organization::Model> {
    admin.require(Permission::ManageOrganisation)?;
    let time_zone = match request.time_zone.as_deref().map(str::trim) {
        None => None,
        Some(name) => Some(
            crate::zone::Zone::named(name)
                .map(|_| name.to_owned())
                .ok_or_else(|| {
                    Error::validation(
                        "time_zone",
                        "Choose a time zone from the list, such as Europe/Berlin or UTC.",
                    )
                })?,
        ),
    };
    let txn = crate::db::begin_write(&ctx.db).await?;
    let org = accounts::find_organization(&txn, admin.organization_id)
        .await?
        .ok_or(Error::NotFound)?;
    let require_mfa = request.require_mfa.unwrap_or(org.require_mfa);
    let time_zone = time_zone.unwrap_or_else(|| org.time_zone.clone());
    if org.require_mfa == require_mfa && org.time_zone == time_zone {
        txn.commit().await?;
        return Ok(org);
    }
    let before = json!({ "require_mfa": org.require_mfa, "time_zone": org.time_zone });
    let mut active = org.into_active_model();
    active.require_mfa = Set(require_mfa);
    active.time_zone = Set(time_zone.clone());
    let org = active.update(&txn).await?;
    audit::record(
        &txn,
        Event::by(
            admin,
            Action::OrganisationUpdated,
            ("organisation", org.id.to_string()),
            json!({ "before": before, "after": { "require_mfa": require_mfa, "time_zone": time_zone } }),
        ),
        ctx.clock.now(),
    )
    .await?;
    txn.commit().await?;
    Ok(org)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            Email::parse("  Alice@Example.COM ")
                .expect("valid")
                .as_str(),
            "alice@example.com"
        );
        for bad in [
            "",
            "alice",
            "alice@",
            "@example.com",
            "a@b",
            "a b@c.de",
            "a@@c.de",
            "a@.com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn slugs_are_url_safe() {
        assert_eq!(slugify("  Acme Corp. (EU) "), "acme-corp-eu");
        assert_eq!(slugify("!!!"), "");
    }

    #[test]
    fn tokens_are_256_bit_and_distinct() {
        let a = new_token().expect("token");
        let b = new_token().expect("token");
        assert_eq!(a.len(), 43);
        assert_ne!(a, b);
    }
}
