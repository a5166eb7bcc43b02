//! The scheduler's due dates, so each round reads only what is due (indexed) instead of
//! every open assessment, every evidence file and every assessment of every vendor.
//!
//! - `assessments.next_reminder_on`: the next day a reminder or the overdue notice may be
//!   due (null once none is left, or when the assessment is not with the vendor).
//! - `vendors.reassess_on`: the next day the vendor may come due for its reassessment (its
//!   latest assessment completed, the cadence of the tier it was decided at come round).
//! - `evidence.next_alert_on`: the next day the file enters an expiry alert window.
//!
//! Each is never later than the day something is due: a write that changes what it depends
//! on sets it to that day (the scheduler's next round works out the exact next day), and
//! the round moves it on once it has looked. The days depend on each organisation's
//! schedules (JSON), which SQL cannot read portably, so rows that may be due are marked here
//! with a day long past and the first rounds work them out, a bounded batch per round.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// "Due since long ago": the next round looks at the row and keeps its real next day.
const LOOK_NOW: &str = "'1970-01-01'";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, column, index) in [
            (
                Assessments::Table.into_iden(),
                Assessments::NextReminderOn.into_iden(),
                "idx_assessments_next_reminder_on",
            ),
            (
                Vendors::Table.into_iden(),
                Vendors::ReassessOn.into_iden(),
                "idx_vendors_reassess_on",
            ),
            (
                Evidence::Table.into_iden(),
                Evidence::NextAlertOn.into_iden(),
                "idx_evidence_next_alert_on",
            ),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(table.clone())
                        .add_column(date_null(column.clone()))
                        .to_owned(),
                )
                .await?;
            manager
                .create_index(
                    Index::create()
                        .name(index)
                        .table(table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        // Assessments with the vendor.
        manager
            .exec_stmt(
                Query::update()
                    .table(Assessments::Table)
                    .value(Assessments::NextReminderOn, Expr::cust(LOOK_NOW))
                    .and_where(Expr::col(Assessments::Status).is_in([
                        "sent",
                        "in_progress",
                        "returned_for_clarification",
                    ]))
                    .to_owned(),
            )
            .await?;
        // Vendors with a completed assessment.
        manager
            .exec_stmt(
                Query::update()
                    .table(Vendors::Table)
                    .value(Vendors::ReassessOn, Expr::cust(LOOK_NOW))
                    .and_where(
                        Expr::col(Vendors::Id).in_subquery(
                            Query::select()
                                .column(Assessments::VendorId)
                                .from(Assessments::Table)
                                .and_where(Expr::col(Assessments::Status).eq("completed"))
                                .to_owned(),
                        ),
                    )
                    .to_owned(),
            )
            .await?;
        // Files with an expiry date (those already expired are let go by the first look).
        manager
            .exec_stmt(
                Query::update()
                    .table(Evidence::Table)
                    .value(Evidence::NextAlertOn, Expr::cust(LOOK_NOW))
                    .and_where(Expr::col(Evidence::ExpiresOn).is_not_null())
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, column, index) in [
            (
                Evidence::Table.into_iden(),
                Evidence::NextAlertOn.into_iden(),
                "idx_evidence_next_alert_on",
            ),
            (
                Vendors::Table.into_iden(),
                Vendors::ReassessOn.into_iden(),
                "idx_vendors_reassess_on",
            ),
            (
                Assessments::Table.into_iden(),
                Assessments::NextReminderOn.into_iden(),
                "idx_assessments_next_reminder_on",
            ),
        ] {
            manager
                .drop_index(Index::drop().name(index).table(table.clone()).to_owned())
                .await?;
            manager
                .alter_table(Table::alter().table(table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Assessments {
    Table,
    VendorId,
    Status,
    NextReminderOn,
}

#[derive(DeriveIden)]
enum Vendors {
    Table,
    Id,
    ReassessOn,
}

#[derive(DeriveIden)]
enum Evidence {
    Table,
    ExpiresOn,
    NextAlertOn,
}
