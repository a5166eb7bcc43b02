//! Money across currencies and times in the organisation's own zone.
//!
//! - `organizations.time_zone`: the IANA zone (`Europe/Berlin`) every time Assay shows to
//!   the organisation's people is written in; `UTC` until an Admin sets it.
//! - `exchange_rate_tables`: an organisation's dated exchange-rate tables, kept as a
//!   history: each save by an Admin adds a table (its base currency, the value of one unit
//!   of each other currency in the base, the day the rates are quoted for). Scoring uses the
//!   newest; a contract minimum in one currency is compared with an answer in another only
//!   through it.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Organizations::Table)
                    .add_column(string(Organizations::TimeZone).default("UTC"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ExchangeRateTables::Table)
                    .col(pk_uuid(ExchangeRateTables::Id))
                    .col(uuid(ExchangeRateTables::OrganizationId))
                    .col(string(ExchangeRateTables::Base))
                    .col(text(ExchangeRateTables::Rates))
                    .col(date(ExchangeRateTables::QuotedOn))
                    .col(uuid(ExchangeRateTables::RecordedBy))
                    .col(timestamp_with_time_zone(ExchangeRateTables::RecordedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                ExchangeRateTables::Table,
                                ExchangeRateTables::OrganizationId,
                            )
                            .to(Organizations::Table, Organizations::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_exchange_rate_tables_organization")
                    .table(ExchangeRateTables::Table)
                    .col(ExchangeRateTables::OrganizationId)
                    .col(ExchangeRateTables::RecordedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ExchangeRateTables::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Organizations::Table)
                    .drop_column(Organizations::TimeZone)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
    TimeZone,
}

#[derive(DeriveIden)]
enum ExchangeRateTables {
    Table,
    Id,
    OrganizationId,
    Base,
    Rates,
    QuotedOn,
    RecordedBy,
    RecordedAt,
}
