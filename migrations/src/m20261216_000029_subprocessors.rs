//! Fourth parties (#17): each vendor's subprocessor register, one row per subprocessor.
//!
//! A row holds `assay_core::subprocessor::Subprocessor` as JSON (name, service, data,
//! countries of processing and storage, transfer mechanism, conditions met, certification,
//! the day it was added and the day notice was given) with its normalised name in a
//! column of its own, so the portfolio's concentration view groups one organisation's rows
//! by name in one indexed query. A removed subprocessor keeps its row with the day it was
//! removed: the register's history stays, and who added what when is also in the audit log.

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
                    .table(Subprocessors::Table)
                    .col(pk_uuid(Subprocessors::Id))
                    .col(uuid(Subprocessors::OrganizationId))
                    .col(uuid(Subprocessors::VendorId))
                    .col(string(Subprocessors::NameKey))
                    .col(text(Subprocessors::Entry))
                    .col(date_null(Subprocessors::RemovedOn))
                    .col(string(Subprocessors::ChangedBy))
                    .col(timestamp_with_time_zone(Subprocessors::CreatedAt))
                    .col(timestamp_with_time_zone(Subprocessors::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Subprocessors::Table, Subprocessors::VendorId)
                            .to(Vendors::Table, Vendors::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Subprocessors::Table, Subprocessors::OrganizationId)
                            .to(Organizations::Table, Organizations::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_subprocessors_vendor")
                    .table(Subprocessors::Table)
                    .col(Subprocessors::VendorId)
                    .col(Subprocessors::RemovedOn)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_subprocessors_organization_name")
                    .table(Subprocessors::Table)
                    .col(Subprocessors::OrganizationId)
                    .col(Subprocessors::NameKey)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Subprocessors::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Subprocessors {
    Table,
    Id,
    OrganizationId,
    VendorId,
    /// `assay_core::subprocessor::normalise_name` of the name.
    NameKey,
    /// `assay_core::subprocessor::Subprocessor` as JSON.
    Entry,
    /// The day it left the register; null while it is on it.
    RemovedOn,
    /// Who changed it last: `user:<id>` or `vendor:<assessment id>` (a change notice
    /// through the portal).
    ChangedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Vendors {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}
