//! Assessments: a template version sent to a vendor, its recipients, the invitation links
//! (stored hashed) and the vendor's answers (versioned for concurrent editing).

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
                    .table(Assessments::Table)
                    .col(pk_uuid(Assessments::Id))
                    .col(uuid(Assessments::OrganizationId))
                    .col(uuid(Assessments::VendorId))
                    .col(uuid(Assessments::TemplateId))
                    .col(integer(Assessments::TemplateVersion))
                    .col(text(Assessments::TemplateSnapshot))
                    .col(string(Assessments::Status))
                    .col(date(Assessments::DueDate))
                    .col(uuid_null(Assessments::CreatedBy))
                    .col(timestamp_with_time_zone(Assessments::CreatedAt))
                    .col(timestamp_with_time_zone(Assessments::UpdatedAt))
                    .col(timestamp_with_time_zone_null(Assessments::SubmittedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Assessments::Table, Assessments::VendorId)
                            .to(Vendors::Table, Vendors::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_assessments_organization")
                    .table(Assessments::Table)
                    .col(Assessments::OrganizationId)
                    .col(Assessments::Status)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AssessmentInvitations::Table)
                    .col(pk_uuid(AssessmentInvitations::Id))
                    .col(uuid(AssessmentInvitations::AssessmentId))
                    .col(string(AssessmentInvitations::RecipientName))
                    .col(string(AssessmentInvitations::RecipientEmail))
                    .col(string_uniq(AssessmentInvitations::TokenHash))
                    .col(timestamp_with_time_zone(AssessmentInvitations::ExpiresAt))
                    .col(timestamp_with_time_zone_null(
                        AssessmentInvitations::RevokedAt,
                    ))
                    .col(timestamp_with_time_zone_null(
                        AssessmentInvitations::OpenedAt,
                    ))
                    .col(timestamp_with_time_zone(AssessmentInvitations::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                AssessmentInvitations::Table,
                                AssessmentInvitations::AssessmentId,
                            )
                            .to(Assessments::Table, Assessments::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Answers::Table)
                    .col(uuid(Answers::AssessmentId))
                    .col(string(Answers::QuestionId))
                    .col(text(Answers::Value))
                    .col(integer(Answers::Version))
                    .col(string(Answers::UpdatedBy))
                    .col(timestamp_with_time_zone(Answers::UpdatedAt))
                    .primary_key(
                        Index::create()
                            .col(Answers::AssessmentId)
                            .col(Answers::QuestionId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Answers::Table, Answers::AssessmentId)
                            .to(Assessments::Table, Assessments::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Answers::Table.into_iden(),
            AssessmentInvitations::Table.into_iden(),
            Assessments::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Vendors {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Assessments {
    Table,
    Id,
    OrganizationId,
    VendorId,
    TemplateId,
    TemplateVersion,
    /// The published template as it was when sent; later edits never change it.
    TemplateSnapshot,
    Status,
    DueDate,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    SubmittedAt,
}

#[derive(DeriveIden)]
enum AssessmentInvitations {
    Table,
    Id,
    AssessmentId,
    RecipientName,
    RecipientEmail,
    /// SHA-256 of the 256-bit token; the token itself is only in the email.
    TokenHash,
    ExpiresAt,
    RevokedAt,
    OpenedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Answers {
    Table,
    AssessmentId,
    QuestionId,
    Value,
    /// Increments on every save; a save must name the version it replaces.
    Version,
    UpdatedBy,
    UpdatedAt,
}
