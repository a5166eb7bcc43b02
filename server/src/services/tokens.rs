//! API tokens: an Admin creates named tokens (read-only or read-write, optionally expiring)
//! for scripts and integrations. The token is shown once and stored only as its SHA-256;
//! a request with `Authorization: Bearer <token>` acts as the token's creator, limited by
//! the token's scope (`TokenScope::allows`), never on accounts or other tokens.

use assay_core::access::{Permission, TokenScope};
use assay_core::api::{ApiTokenView, CreateApiTokenRequest, CreatedApiToken};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder,
};
use serde_json::json;
use sha2::{Digest, Sha256};
use time::{Duration, Time};
use uuid::Uuid;

use crate::caller::UserCaller;
use crate::db::accounts;
use crate::db::entities::{api_token as entity, user};
use crate::error::{Error, Result};
use crate::services::accounts::new_token;
use crate::services::audit::{self, Action, Event};
use crate::services::parse_date;
use crate::services::rfc3339;
use crate::state::Ctx;

/// Every token starts with this, so secret scanners and people recognise one.
pub const PREFIX: &str = "assay_";

fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.trim().as_bytes()))
}

fn view(model: entity::Model, created_by: String) -> Result<ApiTokenView> {
    Ok(ApiTokenView {
        id: model.id,
        scope: TokenScope::parse(&model.scope)
            .ok_or_else(|| Error::Internal(anyhow::anyhow!("token scope {}", model.scope)))?,
        name: model.name,
        prefix: model.prefix,
        expires_at: model.expires_at.map(rfc3339),
        last_used_at: model.last_used_at.map(rfc3339),
        revoked: model.revoked_at.is_some(),
        created_by,
        created_at: rfc3339(model.created_at),
    })
}

/// `GET /api/tokens` (Admin).
pub async fn list(ctx: &Ctx, admin: &UserCaller) -> Result<Vec<ApiTokenView>> {
    let db = &ctx.db;
    admin.require(Permission::ManageApiTokens)?;
    let rows = entity::Entity::find()
        .filter(entity::Column::OrganizationId.eq(admin.organization_id))
        .order_by_desc(entity::Column::CreatedAt)
        .all(db)
        .await?;
    let names: std::collections::BTreeMap<Uuid, String> = user::Entity::find()
        .filter(user::Column::OrganizationId.eq(admin.organization_id))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    rows.into_iter()
        .map(|r| {
            let by = names.get(&r.created_by).cloned().unwrap_or_default();
            view(r, by)
        })
        .collect()
}

/// `POST /api/tokens` (Admin): the token is in the answer, and nowhere else, ever.
pub async fn create(
    ctx: &Ctx,
    admin: &UserCaller,
    request: CreateApiTokenRequest,
) -> Result<CreatedApiToken> {
    let db = &ctx.db;
    admin.require(Permission::ManageApiTokens)?;
    let name = crate::services::text_field("name", &request.name, 100, true)?;
    let name = name.as_str();
    let expires_at = match request
        .expires_on
        .as_deref()
        .filter(|t| !t.trim().is_empty())
    {
        Some(text) => {
            let last_day = parse_date("expires_on", text)?;
            if last_day < ctx.clock.now().date() {
                return Err(Error::validation("expires_on", "That day has passed."));
            }
            // Valid through the whole last day (UTC).
            Some(last_day.with_time(Time::MIDNIGHT).assume_utc() + Duration::days(1))
        }
        None => None,
    };
    let token = format!("{PREFIX}{}", new_token()?);
    let now = ctx.clock.now();
    let txn = crate::db::begin_write(db).await?;
    let model = entity::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(admin.organization_id),
        created_by: Set(admin.id),
        name: Set(name.to_owned()),
        scope: Set(request.scope.as_str().to_owned()),
        token_hash: Set(hash(&token)),
        prefix: Set(token.chars().take(PREFIX.len() + 6).collect()),
        expires_at: Set(expires_at),
        last_used_at: Set(None),
        revoked_at: Set(None),
        created_at: Set(now),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Event::by(
            admin,
            Action::ApiTokenCreated,
            ("api_token", model.id.to_string()),
            json!({ "name": name, "scope": request.scope.as_str(), "expires_at": expires_at.map(rfc3339) }),
        ), ctx.clock.now())
    .await?;
    txn.commit().await?;
    Ok(CreatedApiToken {
        token,
        view: view(model, admin.display_name.clone())?,
    })
}

/// `DELETE /api/tokens/{id}` (Admin): the token stops working at once.
pub async fn revoke(ctx: &Ctx, admin: &UserCaller, id: Uuid) -> Result<()> {
    let db = &ctx.db;
    admin.require(Permission::ManageApiTokens)?;
    let txn = crate::db::begin_write(db).await?;
    let model = entity::Entity::find_by_id(id)
        .filter(entity::Column::OrganizationId.eq(admin.organization_id))
        .one(&txn)
        .await?
        .ok_or(Error::NotFound)?;
    if model.revoked_at.is_none() {
        let name = model.name.clone();
        let mut active = model.into_active_model();
        active.revoked_at = Set(Some(ctx.clock.now()));
        active.update(&txn).await?;
        audit::record(
            &txn,
            Event::by(
                admin,
                Action::ApiTokenRevoked,
                ("api_token", id.to_string()),
                json!({ "name": name }),
            ),
            ctx.clock.now(),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// A valid token's row and its creator (active); `Unauthorized` for anything else.
pub async fn authenticate(ctx: &Ctx, token: &str) -> Result<(entity::Model, user::Model)> {
    let db = &ctx.db;
    let now = ctx.clock.now();
    let model = entity::Entity::find()
        .filter(entity::Column::TokenHash.eq(hash(token)))
        .one(db)
        .await?
        .filter(|t| t.revoked_at.is_none() && t.expires_at.is_none_or(|e| now < e))
        .ok_or(Error::Unauthorized)?;
    let creator = accounts::find_user(db, model.created_by)
        .await?
        .filter(|u| u.active && u.organization_id == model.organization_id)
        .ok_or(Error::Unauthorized)?;
    // Record use at most once a minute, so a busy integration does not write per request.
    if model
        .last_used_at
        .is_none_or(|t| now - t > Duration::minutes(1))
    {
        let mut active = model.clone().into_active_model();
        active.last_used_at = Set(Some(now));
        active.update(db).await?;
    }
    Ok((model, creator))
}
