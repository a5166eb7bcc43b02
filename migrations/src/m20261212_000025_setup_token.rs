//! The one-time setup token of a new installation: `assay serve` creates one while no
//! organisation exists, and `POST /api/setup` consumes it to create the first organisation
//! and its Admin. Only the token's SHA-256 is stored, never the token, and there is at most
//! one row (the check on `id` makes a second one impossible), so a restart replaces the
//! earlier token instead of adding another that would also be valid.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SetupToken::Table)
                    .col(
                        integer(SetupToken::Id)
                            .primary_key()
                            .check(Expr::col(SetupToken::Id).eq(1)),
                    )
                    .col(string_len(SetupToken::TokenHash, 64))
                    .col(timestamp_with_time_zone(SetupToken::CreatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SetupToken::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum SetupToken {
    Table,
    /// Always 1: one token at a time.
    Id,
    /// Hex SHA-256 of the token.
    TokenHash,
    CreatedAt,
}
