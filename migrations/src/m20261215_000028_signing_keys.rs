//! Each organisation's Ed25519 signing key, for evidence packs an auditor can verify
//! without an account. One row per organisation (the primary key), created the first time
//! the organisation signs a pack; the private half is sealed with the master key by the
//! server (a migration has no key), the public half is published.

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
                    .table(OrganizationSigningKeys::Table)
                    .col(uuid(OrganizationSigningKeys::OrganizationId).primary_key())
                    .col(string_len(OrganizationSigningKeys::PublicKey, 64))
                    .col(text(OrganizationSigningKeys::SealedPrivateKey))
                    .col(timestamp_with_time_zone(OrganizationSigningKeys::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                OrganizationSigningKeys::Table,
                                OrganizationSigningKeys::OrganizationId,
                            )
                            .to(Organizations::Table, Organizations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table(OrganizationSigningKeys::Table)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum OrganizationSigningKeys {
    Table,
    /// One key per organisation: a second insert for it is a conflict, which is how two
    /// first packs at once end with one key.
    OrganizationId,
    /// The 32-byte public key, as 64 lowercase hex digits.
    PublicKey,
    /// The 32-byte secret seed, hex, sealed with the master key (`v1:` + base64), bound to
    /// the organisation's id.
    SealedPrivateKey,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}
