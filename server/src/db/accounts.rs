//! Queries for organisations, users, invitations and the outbox. Every function that reads
//! tenant data takes the organisation id and filters by it.

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, JoinType,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, sea_query::Expr,
};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::db::entities::{invitation, organization, outbox, user};

pub async fn find_user(
    conn: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<user::Model>, sea_orm::DbErr> {
    user::Entity::find_by_id(id).one(conn).await
}

/// A user and their organisation in one statement: every signed-in request reads both.
pub async fn find_user_with_organization(
    conn: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<(user::Model, organization::Model)>, sea_orm::DbErr> {
    let found = user::Entity::find_by_id(id)
        .select_also(organization::Entity)
        .join(
            JoinType::InnerJoin,
            user::Entity::belongs_to(organization::Entity)
                .from(user::Column::OrganizationId)
                .to(organization::Column::Id)
                .into(),
        )
        .one(conn)
        .await?;
    Ok(found.and_then(|(user, org)| Some((user, org?))))
}

pub async fn find_user_in_org(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    id: Uuid,
) -> Result<Option<user::Model>, sea_orm::DbErr> {
    user::Entity::find_by_id(id)
        .filter(user::Column::OrganizationId.eq(organization_id))
        .one(conn)
        .await
}

/// As [`find_user_in_org`], holding the row until the transaction ends, so that two
/// writers to the same account (e.g. two password links sent at once) take turns.
pub async fn find_user_in_org_for_write(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    id: Uuid,
) -> Result<Option<user::Model>, sea_orm::DbErr> {
    user::Entity::find_by_id(id)
        .filter(user::Column::OrganizationId.eq(organization_id))
        .lock_exclusive()
        .one(conn)
        .await
}

/// The organisation's active users in these roles, oldest account first.
pub async fn active_users_in_roles(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    roles: &[assay_core::access::Role],
) -> Result<Vec<user::Model>, sea_orm::DbErr> {
    user::Entity::find()
        .filter(user::Column::OrganizationId.eq(organization_id))
        .filter(user::Column::Active.eq(true))
        .filter(user::Column::Role.is_in(roles.iter().map(|r| r.as_str())))
        .order_by_asc(user::Column::CreatedAt)
        .all(conn)
        .await
}

/// A vendor's owner, when the vendor has one and the account is active.
pub async fn active_owner(
    conn: &impl ConnectionTrait,
    vendor: &crate::db::entities::vendor::Model,
) -> Result<Option<user::Model>, sea_orm::DbErr> {
    let Some(owner) = vendor.owner_id else {
        return Ok(None);
    };
    Ok(find_user_in_org(conn, vendor.organization_id, owner)
        .await?
        .filter(|u| u.active))
}

pub async fn find_user_by_email(
    conn: &impl ConnectionTrait,
    email: &str,
) -> Result<Option<user::Model>, sea_orm::DbErr> {
    user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .one(conn)
        .await
}

/// As [`find_user_by_email`], holding the row until the transaction ends, so that two
/// sign-ins of the same account through single sign-on apply its role in turn.
pub async fn find_user_by_email_for_write(
    conn: &impl ConnectionTrait,
    email: &str,
) -> Result<Option<user::Model>, sea_orm::DbErr> {
    user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .lock_exclusive()
        .one(conn)
        .await
}

pub async fn list_users(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
) -> Result<Vec<user::Model>, sea_orm::DbErr> {
    user::Entity::find()
        .filter(user::Column::OrganizationId.eq(organization_id))
        .order_by_asc(user::Column::Email)
        .all(conn)
        .await
}

pub async fn count_active_admins(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
) -> Result<u64, sea_orm::DbErr> {
    user::Entity::find()
        .filter(user::Column::OrganizationId.eq(organization_id))
        .filter(user::Column::Role.eq(assay_core::access::Role::Admin.as_str()))
        .filter(user::Column::Active.eq(true))
        .count(conn)
        .await
}

pub async fn find_organization(
    conn: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<organization::Model>, sea_orm::DbErr> {
    organization::Entity::find_by_id(id).one(conn).await
}

pub async fn find_organization_by_slug(
    conn: &impl ConnectionTrait,
    slug: &str,
) -> Result<Option<organization::Model>, sea_orm::DbErr> {
    organization::Entity::find()
        .filter(organization::Column::Slug.eq(slug))
        .one(conn)
        .await
}

pub async fn insert_organization(
    conn: &impl ConnectionTrait,
    name: &str,
    slug: &str,
    now: OffsetDateTime,
) -> Result<organization::Model, sea_orm::DbErr> {
    organization::ActiveModel {
        id: Set(Uuid::now_v7()),
        slug: Set(slug.to_owned()),
        name: Set(name.to_owned()),
        require_mfa: Set(false),
        time_zone: Set("UTC".to_owned()),
        created_at: Set(now),
    }
    .insert(conn)
    .await
}

pub struct NewUser<'a> {
    pub organization_id: Uuid,
    pub email: &'a str,
    pub display_name: &'a str,
    pub role: &'a str,
    pub password_hash: Option<String>,
    /// Provisioned by a sign-in through single sign-on.
    pub signed_in_with_sso: bool,
}

pub async fn insert_user(
    conn: &impl ConnectionTrait,
    new: NewUser<'_>,
    now: OffsetDateTime,
) -> Result<user::Model, sea_orm::DbErr> {
    user::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(new.organization_id),
        email: Set(new.email.to_owned()),
        display_name: Set(new.display_name.to_owned()),
        role: Set(new.role.to_owned()),
        password_hash: Set(new.password_hash),
        active: Set(true),
        mfa_secret: Set(None),
        mfa_enabled: Set(false),
        session_epoch: Set(0),
        mfa_last_step: Set(None),
        signed_in_with_sso: Set(new.signed_in_with_sso),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(conn)
    .await
}

pub async fn insert_invitation(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    user_id: Uuid,
    token_hash: String,
    expires_at: OffsetDateTime,
    now: OffsetDateTime,
) -> Result<invitation::Model, sea_orm::DbErr> {
    invitation::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(organization_id),
        user_id: Set(user_id),
        token_hash: Set(token_hash),
        expires_at: Set(expires_at),
        used_at: Set(None),
        created_at: Set(now),
    }
    .insert(conn)
    .await
}

/// Marks every unused link of the user as used, so that only a newer one works.
pub async fn withdraw_invitations(
    conn: &impl ConnectionTrait,
    user_id: Uuid,
    now: OffsetDateTime,
) -> Result<u64, sea_orm::DbErr> {
    Ok(invitation::Entity::update_many()
        .col_expr(invitation::Column::UsedAt, Expr::value(now))
        .filter(invitation::Column::UserId.eq(user_id))
        .filter(invitation::Column::UsedAt.is_null())
        .exec(conn)
        .await?
        .rows_affected)
}

pub async fn find_invitation_by_hash(
    conn: &impl ConnectionTrait,
    token_hash: &str,
) -> Result<Option<invitation::Model>, sea_orm::DbErr> {
    invitation::Entity::find()
        .filter(invitation::Column::TokenHash.eq(token_hash))
        .one(conn)
        .await
}

/// A page of the organisation's emails, newest first (ids are UUIDv7: id order is the order
/// they were queued), starting after `after`, at most `fetch` rows; and how many there are.
pub async fn list_outbox(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    after: Option<Uuid>,
    fetch: u64,
) -> Result<(Vec<outbox::Model>, u64), sea_orm::DbErr> {
    let query = outbox::Entity::find().filter(outbox::Column::OrganizationId.eq(organization_id));
    let total = query.clone().count(conn).await?;
    let mut page = query;
    if let Some(after) = after {
        page = page.filter(super::id_before_in_organization(
            outbox::Column::OrganizationId,
            outbox::Column::Id,
            organization_id,
            after,
        ));
    }
    let rows = page
        .order_by_desc(outbox::Column::Id)
        .limit(fetch)
        .all(conn)
        .await?;
    Ok((rows, total))
}

/// The display names of these users (of any organisation: callers pass ids they read from
/// their own organisation's rows), in one query.
pub async fn display_names(
    conn: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = Uuid>,
) -> Result<std::collections::BTreeMap<Uuid, String>, sea_orm::DbErr> {
    let ids: std::collections::BTreeSet<Uuid> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(std::collections::BTreeMap::new());
    }
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect())
}
