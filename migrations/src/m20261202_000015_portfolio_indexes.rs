//! Indexes the portfolio reads need at scale: remediation items by vendor (the portfolio
//! pages by vendor; without it each page scanned the organisation's items).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("idx_remediations_vendor")
                    .table(Remediations::Table)
                    .col(Remediations::VendorId)
                    .col(Remediations::DueDate)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_remediations_vendor")
                    .table(Remediations::Table)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Remediations {
    Table,
    VendorId,
    DueDate,
}
