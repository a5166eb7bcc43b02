//! The template library: an organisation's templates (and the built-in ones, with no
//! organisation), each with an editable draft and immutable published versions.

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
                    .table(Templates::Table)
                    .col(pk_uuid(Templates::Id))
                    .col(uuid_null(Templates::OrganizationId))
                    .col(string(Templates::Title))
                    .col(string(Templates::SourceFormat))
                    .col(text(Templates::Draft))
                    .col(timestamp_with_time_zone(Templates::CreatedAt))
                    .col(timestamp_with_time_zone(Templates::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_templates_organization")
                    .table(Templates::Table)
                    .col(Templates::OrganizationId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(TemplateVersions::Table)
                    .col(pk_uuid(TemplateVersions::Id))
                    .col(uuid(TemplateVersions::TemplateId))
                    .col(integer(TemplateVersions::Version))
                    .col(text(TemplateVersions::Content))
                    .col(string(TemplateVersions::Sha256))
                    .col(timestamp_with_time_zone(TemplateVersions::PublishedAt))
                    .col(uuid_null(TemplateVersions::PublishedBy))
                    .foreign_key(
                        ForeignKey::create()
                            .from(TemplateVersions::Table, TemplateVersions::TemplateId)
                            .to(Templates::Table, Templates::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_template_versions_number")
                    .table(TemplateVersions::Table)
                    .col(TemplateVersions::TemplateId)
                    .col(TemplateVersions::Version)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(TemplateVersions::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Templates::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Templates {
    Table,
    Id,
    /// NULL for built-in templates, which every organisation sees.
    OrganizationId,
    Title,
    SourceFormat,
    /// The editable draft, as Assay template JSON.
    Draft,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum TemplateVersions {
    Table,
    Id,
    TemplateId,
    Version,
    /// The published template, as Assay template JSON; never changed after insert.
    Content,
    Sha256,
    PublishedAt,
    PublishedBy,
}
