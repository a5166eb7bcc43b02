//! Evidence files' metadata; the encrypted contents live in the evidence store.

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
                    .table(Evidence::Table)
                    .col(pk_uuid(Evidence::Id))
                    .col(uuid(Evidence::OrganizationId))
                    .col(uuid(Evidence::AssessmentId))
                    .col(string_null(Evidence::QuestionId))
                    .col(string(Evidence::FileName))
                    .col(string(Evidence::FileType))
                    .col(big_integer(Evidence::Size))
                    .col(string(Evidence::Sha256))
                    .col(text(Evidence::WrappedKey))
                    .col(string_null(Evidence::Kind))
                    .col(date_null(Evidence::ExpiresOn))
                    .col(string(Evidence::UploadedBy))
                    .col(timestamp_with_time_zone(Evidence::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Evidence::Table, Evidence::AssessmentId)
                            .to(Assessments::Table, Assessments::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_evidence_assessment")
                    .table(Evidence::Table)
                    .col(Evidence::AssessmentId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Evidence::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Assessments {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Evidence {
    Table,
    Id,
    OrganizationId,
    AssessmentId,
    QuestionId,
    /// Safe download name, with the extension of the detected type.
    FileName,
    /// Detected from the contents (pdf, png, jpeg, docx, xlsx, csv, txt).
    FileType,
    Size,
    /// SHA-256 of the plaintext, checked on every download.
    Sha256,
    /// The file's data key sealed by the master key (base64).
    WrappedKey,
    Kind,
    ExpiresOn,
    UploadedBy,
    CreatedAt,
}
