//! Email delivery and the scheduler. The outbox gains what a delivery worker needs (an HTML
//! part, attempts, the next attempt, a lease so that one instance sends each email, the
//! last error, when it was sent); `job_leases` lets one instance at a time run each
//! periodic job; `notices` records every scheduled notification under a unique key, so a
//! reminder is queued once however many instances sweep; `schedule_settings` holds each
//! organisation's cadence.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one column at a time.
        let columns = [
            ColumnDef::new(Outbox::HtmlBody).text().null().to_owned(),
            ColumnDef::new(Outbox::Kind)
                .string()
                .not_null()
                .default("other")
                .to_owned(),
            ColumnDef::new(Outbox::Attempts)
                .integer()
                .not_null()
                .default(0)
                .to_owned(),
            ColumnDef::new(Outbox::NextAttemptAt)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
            ColumnDef::new(Outbox::LeaseOwner)
                .string()
                .null()
                .to_owned(),
            ColumnDef::new(Outbox::LeaseUntil)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
            ColumnDef::new(Outbox::LastError).text().null().to_owned(),
            ColumnDef::new(Outbox::SentAt)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
        ];
        for column in columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(Outbox::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        // Emails recorded before delivery existed wait for it like new ones.
        manager
            .exec_stmt(
                Query::update()
                    .table(Outbox::Table)
                    .value(Outbox::Status, "queued")
                    .and_where(Expr::col(Outbox::Status).eq("recorded"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_outbox_status_next_attempt")
                    .table(Outbox::Table)
                    .col(Outbox::Status)
                    .col(Outbox::NextAttemptAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(JobLeases::Table)
                    .col(string(JobLeases::Name).primary_key())
                    .col(string_null(JobLeases::Owner))
                    .col(timestamp_with_time_zone_null(JobLeases::LeaseUntil))
                    .col(timestamp_with_time_zone_null(JobLeases::LastRunAt))
                    .col(text_null(JobLeases::LastError))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Notices::Table)
                    .col(pk_uuid(Notices::Id))
                    .col(uuid(Notices::OrganizationId))
                    .col(string_uniq(Notices::Key))
                    .col(string(Notices::Kind))
                    .col(uuid_null(Notices::SubjectId))
                    .col(timestamp_with_time_zone(Notices::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_notices_organization_created")
                    .table(Notices::Table)
                    .col(Notices::OrganizationId)
                    .col(Notices::CreatedAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ScheduleSettings::Table)
                    .col(uuid(ScheduleSettings::OrganizationId).primary_key())
                    .col(text(ScheduleSettings::Settings))
                    .col(uuid_null(ScheduleSettings::UpdatedBy))
                    .col(timestamp_with_time_zone(ScheduleSettings::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        // A reassessment the scheduler prepares names the assessment it follows; a draft is
        // sent later than it is created, and reminders count from the sending.
        for column in [
            ColumnDef::new(Assessments::PreviousId)
                .uuid()
                .null()
                .to_owned(),
            ColumnDef::new(Assessments::SentAt)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Assessments::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .exec_stmt(
                Query::update()
                    .table(Assessments::Table)
                    .value(Assessments::SentAt, Expr::col(Assessments::CreatedAt))
                    .and_where(Expr::col(Assessments::Status).ne("draft"))
                    .to_owned(),
            )
            .await?;
        // The scheduler finds assessments by status and due date.
        manager
            .create_index(
                Index::create()
                    .name("idx_assessments_status_due")
                    .table(Assessments::Table)
                    .col(Assessments::Status)
                    .col(Assessments::DueDate)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_assessments_status_due")
                    .table(Assessments::Table)
                    .to_owned(),
            )
            .await?;
        for column in [Assessments::SentAt, Assessments::PreviousId] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Assessments::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        for table in [
            ScheduleSettings::Table.into_iden(),
            Notices::Table.into_iden(),
            JobLeases::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        manager
            .drop_index(
                Index::drop()
                    .name("idx_outbox_status_next_attempt")
                    .table(Outbox::Table)
                    .to_owned(),
            )
            .await?;
        for column in [
            Outbox::SentAt,
            Outbox::LastError,
            Outbox::LeaseUntil,
            Outbox::LeaseOwner,
            Outbox::NextAttemptAt,
            Outbox::Attempts,
            Outbox::Kind,
            Outbox::HtmlBody,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Outbox::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Status,
    HtmlBody,
    Kind,
    Attempts,
    NextAttemptAt,
    LeaseOwner,
    LeaseUntil,
    LastError,
    SentAt,
}

#[derive(DeriveIden)]
enum JobLeases {
    Table,
    Name,
    Owner,
    LeaseUntil,
    LastRunAt,
    LastError,
}

#[derive(DeriveIden)]
enum Notices {
    Table,
    Id,
    OrganizationId,
    Key,
    Kind,
    SubjectId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ScheduleSettings {
    Table,
    OrganizationId,
    Settings,
    UpdatedBy,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Assessments {
    Table,
    Status,
    DueDate,
    PreviousId,
    SentAt,
    CreatedAt,
}
