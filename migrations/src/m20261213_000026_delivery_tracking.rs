//! Delivery per recipient: each invitation names the outbox email that carries its link,
//! so the assessment page reads how that email went (queued, retrying, delivered, failed)
//! in one query for all its recipients; and an email the mail server refused for good (a
//! 5xx reply, a bounce) is told apart from one whose every attempt failed.
//!
//! Invitations made before this migration have no outbox id: their delivery was not
//! recorded against them and shows as "sent". No index on `outbox_id`: it is only read
//! from the invitation to the outbox (by the outbox's primary key), never the other way.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one column at a time.
        manager
            .alter_table(
                Table::alter()
                    .table(AssessmentInvitations::Table)
                    .add_column(uuid_null(AssessmentInvitations::OutboxId))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Outbox::Table)
                    .add_column(boolean(Outbox::Refused).default(false))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Outbox::Table)
                    .drop_column(Outbox::Refused)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(AssessmentInvitations::Table)
                    .drop_column(AssessmentInvitations::OutboxId)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum AssessmentInvitations {
    Table,
    /// The email that carries this link (`outbox.id`); null for links made before.
    OutboxId,
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    /// The receiving mail server refused the email for good (a 5xx reply).
    Refused,
}
