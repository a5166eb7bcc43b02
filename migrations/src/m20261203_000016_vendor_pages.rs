//! Vendors by tenant in id order: the portfolio exports page through an organisation's
//! vendors by id (`organization_id = ? AND id > ? ORDER BY id`). Without this index each page
//! read and sorted every vendor of the organisation, so an export's time grew with the square
//! of the vendor count.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("idx_vendors_organization_id")
                    .table(Vendors::Table)
                    .col(Vendors::OrganizationId)
                    .col(Vendors::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_vendors_organization_id")
                    .table(Vendors::Table)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Vendors {
    Table,
    Id,
    OrganizationId,
}
