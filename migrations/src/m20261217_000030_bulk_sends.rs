//! Bulk sends (#18): one questionnaire to many vendors, sent in the background.
//!
//! `bulk_sends` holds what was asked (template version, due date, recipients rule as
//! JSON), where it stands and its counts, which the rows of `bulk_send_items` change in the
//! transaction that gives each its result: a count is never ahead of or behind its items.
//! One item per vendor (unique), `pending` until the scheduler's bulk-send job sends it,
//! in the same transaction that creates the vendor's assessment and queues its emails, so
//! a restart between two items neither sends one twice nor skips one.

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
                    .table(BulkSends::Table)
                    .col(pk_uuid(BulkSends::Id))
                    .col(uuid(BulkSends::OrganizationId))
                    .col(uuid_null(BulkSends::CreatedBy))
                    .col(string(BulkSends::CreatedByLabel))
                    .col(uuid(BulkSends::TemplateId))
                    .col(integer(BulkSends::TemplateVersion))
                    .col(string(BulkSends::Title))
                    .col(date(BulkSends::DueDate))
                    .col(text(BulkSends::Recipients))
                    .col(string(BulkSends::Status))
                    .col(integer(BulkSends::Total))
                    .col(integer(BulkSends::Sent))
                    .col(integer(BulkSends::Skipped))
                    .col(integer(BulkSends::Failed))
                    .col(timestamp_with_time_zone(BulkSends::CreatedAt))
                    .col(timestamp_with_time_zone_null(BulkSends::FinishedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(BulkSends::Table, BulkSends::OrganizationId)
                            .to(Organizations::Table, Organizations::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        // The organisation's list, newest first, by keyset on the id.
        manager
            .create_index(
                Index::create()
                    .name("idx_bulk_sends_organization")
                    .table(BulkSends::Table)
                    .col(BulkSends::OrganizationId)
                    .col(BulkSends::Id)
                    .to_owned(),
            )
            .await?;
        // The scheduler's one read when idle: sends not done yet.
        manager
            .create_index(
                Index::create()
                    .name("idx_bulk_sends_status")
                    .table(BulkSends::Table)
                    .col(BulkSends::Status)
                    .col(BulkSends::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(BulkSendItems::Table)
                    .col(pk_uuid(BulkSendItems::Id))
                    .col(uuid(BulkSendItems::BulkSendId))
                    .col(uuid(BulkSendItems::VendorId))
                    .col(string(BulkSendItems::Result))
                    .col(string_null(BulkSendItems::SkipReason))
                    .col(text_null(BulkSendItems::Failure))
                    .col(uuid_null(BulkSendItems::AssessmentId))
                    .col(timestamp_with_time_zone_null(BulkSendItems::DoneAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(BulkSendItems::Table, BulkSendItems::BulkSendId)
                            .to(BulkSends::Table, BulkSends::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(BulkSendItems::Table, BulkSendItems::VendorId)
                            .to(Vendors::Table, Vendors::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // One item per vendor and send; also the pending items of a send, in order.
        manager
            .create_index(
                Index::create()
                    .name("idx_bulk_send_items_vendor")
                    .table(BulkSendItems::Table)
                    .col(BulkSendItems::BulkSendId)
                    .col(BulkSendItems::VendorId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_bulk_send_items_result")
                    .table(BulkSendItems::Table)
                    .col(BulkSendItems::BulkSendId)
                    .col(BulkSendItems::Result)
                    .col(BulkSendItems::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(BulkSendItems::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(BulkSends::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum BulkSends {
    Table,
    Id,
    OrganizationId,
    /// The user who started it (null once the user is gone).
    CreatedBy,
    /// Their email at the time, as the list shows it.
    CreatedByLabel,
    TemplateId,
    /// The version every vendor is sent: the latest published when the send was made.
    TemplateVersion,
    /// The questionnaire's title in that version.
    Title,
    DueDate,
    /// `assay_core::bulk::RecipientsRule` as JSON.
    Recipients,
    /// `queued`, `running` or `done`.
    Status,
    Total,
    Sent,
    Skipped,
    Failed,
    CreatedAt,
    FinishedAt,
}

#[derive(DeriveIden)]
enum BulkSendItems {
    Table,
    /// UUIDv7 made in vendor-name order when the send was made: id order is the order the
    /// results are listed in.
    Id,
    BulkSendId,
    VendorId,
    /// `pending`, `sent`, `skipped` or `failed`.
    Result,
    /// For `skipped`: `assay_core::bulk::SkipReason`.
    SkipReason,
    /// For `failed`: why, as people read it.
    Failure,
    /// For `sent`: the assessment created.
    AssessmentId,
    DoneAt,
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
