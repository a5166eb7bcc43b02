//! The append-only, hash-chained audit log. One chain per organisation (and one, `system`,
//! for events that belong to none); the head table serialises appends to a chain.

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
                    .table(AuditChainHeads::Table)
                    .col(string(AuditChainHeads::Chain).primary_key())
                    .col(big_integer(AuditChainHeads::LastSeq))
                    .col(string(AuditChainHeads::LastHash))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .col(big_pk_auto(AuditLog::Id))
                    .col(string(AuditLog::Chain))
                    .col(big_integer(AuditLog::Seq))
                    .col(uuid_null(AuditLog::OrganizationId))
                    .col(uuid_null(AuditLog::ActorId))
                    .col(string(AuditLog::Actor))
                    .col(string(AuditLog::Action))
                    .col(string_null(AuditLog::TargetType))
                    .col(string_null(AuditLog::TargetId))
                    .col(string(AuditLog::OccurredAt))
                    .col(string_null(AuditLog::RequestId))
                    .col(text(AuditLog::Detail))
                    .col(string(AuditLog::PrevHash))
                    .col(string(AuditLog::Hash))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_audit_chain_seq")
                    .table(AuditLog::Table)
                    .col(AuditLog::Chain)
                    .col(AuditLog::Seq)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_audit_organization_time")
                    .table(AuditLog::Table)
                    .col(AuditLog::OrganizationId)
                    .col(AuditLog::OccurredAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AuditLog::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(AuditChainHeads::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum AuditChainHeads {
    Table,
    Chain,
    LastSeq,
    LastHash,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    Chain,
    Seq,
    OrganizationId,
    ActorId,
    Actor,
    Action,
    TargetType,
    TargetId,
    /// RFC 3339 UTC with microseconds, stored as text so the hashed form and the stored
    /// form are the same bytes on every engine.
    OccurredAt,
    RequestId,
    Detail,
    PrevHash,
    Hash,
}
