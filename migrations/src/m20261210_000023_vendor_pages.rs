//! Keyset pages of the vendor register in each of its orders, within an organisation and a
//! status (active or archived), each ending in the id that breaks ties:
//!
//! - by name: `(organization_id, status, legal_name, id)`;
//! - by tier, most critical first: `vendors.tier_rank` keeps the inherent tier as a number
//!   in that order (0 critical, 1 high, 2 medium, 3 low; written with the tier) so the order
//!   is a column an index holds, not a `CASE` over every row; then name and id;
//! - recently updated: `(organization_id, status, updated_at, id)`.
//!
//! Before this, every page sorted all of the organisation's vendors and skipped the pages
//! before it (`OFFSET`), so a deep page cost as much as reading the whole register.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEXES: [(&str, &[&str]); 3] = [
    (
        "idx_vendors_name_page",
        &["organization_id", "status", "legal_name", "id"],
    ),
    (
        "idx_vendors_tier_page",
        &["organization_id", "status", "tier_rank", "legal_name", "id"],
    ),
    (
        "idx_vendors_updated_page",
        &["organization_id", "status", "updated_at", "id"],
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Vendors::Table)
                    .add_column(small_integer(Vendors::TierRank).default(3))
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE vendors SET tier_rank = CASE inherent_tier WHEN 'critical' THEN 0 \
                 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END",
            )
            .await?;
        for (name, columns) in INDEXES {
            let mut index = Index::create();
            index.name(name).table(Vendors::Table);
            for column in columns {
                index.col(Alias::new(*column));
            }
            manager.create_index(index.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, _) in INDEXES {
            manager
                .drop_index(Index::drop().name(name).table(Vendors::Table).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Vendors::Table)
                    .drop_column(Vendors::TierRank)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Vendors {
    Table,
    TierRank,
}
