//! Queries for first-run setup: whether any organisation exists, and the one stored hash
//! of the setup token (its row always has id 1).

use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect,
};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::db::entities::{organization, setup_token};

/// The id of the only row the table can hold.
const ONLY: i32 = 1;

/// Whether at least one organisation exists (reads one id, whatever the table's size).
pub async fn any_organization(conn: &impl ConnectionTrait) -> Result<bool, sea_orm::DbErr> {
    Ok(organization::Entity::find()
        .select_only()
        .column(organization::Column::Id)
        .into_tuple::<Uuid>()
        .one(conn)
        .await?
        .is_some())
}

/// Stores `token_hash` as the setup token, replacing any earlier one.
pub async fn replace_token(
    conn: &impl ConnectionTrait,
    token_hash: String,
    now: OffsetDateTime,
) -> Result<(), sea_orm::DbErr> {
    setup_token::Entity::insert(setup_token::ActiveModel {
        id: Set(ONLY),
        token_hash: Set(token_hash),
        created_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(setup_token::Column::Id)
            .update_columns([
                setup_token::Column::TokenHash,
                setup_token::Column::CreatedAt,
            ])
            .to_owned(),
    )
    .exec(conn)
    .await?;
    Ok(())
}

/// The stored setup token, if one is waiting to be used.
pub async fn find_token(
    conn: &impl ConnectionTrait,
) -> Result<Option<setup_token::Model>, sea_orm::DbErr> {
    setup_token::Entity::find_by_id(ONLY).one(conn).await
}

/// Deletes the stored token if its hash is `token_hash`; answers whether it did. One
/// statement, so of concurrent callers only one can see `true`: on PostgreSQL the others
/// wait for the row lock and then find the row gone; on SQLite writers take turns.
pub async fn consume_token(
    conn: &impl ConnectionTrait,
    token_hash: &str,
) -> Result<bool, sea_orm::DbErr> {
    let deleted = setup_token::Entity::delete_many()
        .filter(setup_token::Column::Id.eq(ONLY))
        .filter(setup_token::Column::TokenHash.eq(token_hash))
        .exec(conn)
        .await?;
    Ok(deleted.rows_affected == 1)
}

/// Removes a stored token, if any (once an organisation exists it could never be used).
pub async fn forget_token(conn: &impl ConnectionTrait) -> Result<(), sea_orm::DbErr> {
    setup_token::Entity::delete_many().exec(conn).await?;
    Ok(())
}
