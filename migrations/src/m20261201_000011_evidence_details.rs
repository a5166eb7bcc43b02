//! What scoring and reviewers need to know about a document beyond its kind and expiry:
//! when it was issued, the period a report covers (SOC 2), and an insurance certificate's
//! limit and currency.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one column at a time.
        let columns = [
            ColumnDef::new(Evidence::IssuedOn).date().null().to_owned(),
            ColumnDef::new(Evidence::PeriodStart)
                .date()
                .null()
                .to_owned(),
            ColumnDef::new(Evidence::PeriodEnd).date().null().to_owned(),
            ColumnDef::new(Evidence::CoverageAmount)
                .big_integer()
                .null()
                .to_owned(),
            ColumnDef::new(Evidence::CoverageCurrency)
                .string()
                .null()
                .to_owned(),
        ];
        for column in columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(Evidence::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            Evidence::CoverageCurrency,
            Evidence::CoverageAmount,
            Evidence::PeriodEnd,
            Evidence::PeriodStart,
            Evidence::IssuedOn,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Evidence::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Evidence {
    Table,
    IssuedOn,
    PeriodStart,
    PeriodEnd,
    CoverageAmount,
    CoverageCurrency,
}
