//! Email bodies stop being readable at rest. An invitation email carries a live link (a
//! token that signs its holder in as the vendor or sets a user's password), so from now on
//! the server seals `body` and `html_body` with the master key when it queues an email, and
//! replaces them with the delivery notice (`DELIVERED`) once the email is sent. `sealed` says which rows
//! hold ciphertext.
//!
//! A migration cannot seal (it has no key): rows queued before this one stay plaintext with
//! `sealed = false` until the server seals them at start-up (`mailer::seal_plaintext`), and
//! the delivery worker still sends such a row as it is. What needs no key happens here:
//! emails already delivered lose their text now.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// What a delivered email keeps instead of its text (the server writes the same words).
const DELIVERED: &str = "Delivered; the message text is not kept.";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Outbox::Table)
                    .add_column(
                        ColumnDef::new(Outbox::Sealed)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::update()
                    .table(Outbox::Table)
                    .value(Outbox::Body, DELIVERED)
                    .value(Outbox::HtmlBody, Option::<String>::None)
                    .and_where(Expr::col(Outbox::Status).eq("sent"))
                    .to_owned(),
            )
            .await
    }

    /// Drops the flag only. Emails still waiting stay sealed (the key is not available
    /// here), and a version from before this migration would send them as ciphertext: let
    /// the outbox drain before going back.
    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Outbox::Table)
                    .drop_column(Outbox::Sealed)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Body,
    HtmlBody,
    Status,
    Sealed,
}
