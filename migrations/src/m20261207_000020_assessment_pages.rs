//! Assessments that list a page at a time and share their template.
//!
//! - `assessments.template_snapshot` goes: every assessment already names its template
//!   version (`template_id`, `template_version`, unique in `template_versions`), whose
//!   content is immutable, so the copy only cost space (100 KB per assessment for a
//!   250-question template) and a parse on every read.
//! - `assessments.questions_visible` / `questions_answered`: progress as the vendor last
//!   left it, kept by the writes that change it (answers, evidence), so a list row needs
//!   neither the template nor the answers. Null on assessments made before this migration
//!   until their next change; lists work it out for those.
//! - Indexes for keyset pages: newest first (ids are time-ordered UUIDv7) within an
//!   organisation, within a status, and within a vendor.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("ALTER TABLE assessments DROP COLUMN template_snapshot")
            .await?;
        for column in [
            integer_null(Assessments::QuestionsVisible),
            integer_null(Assessments::QuestionsAnswered),
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
        for (name, columns) in [
            (
                "idx_assessments_page",
                &[Assessments::OrganizationId, Assessments::Id][..],
            ),
            (
                "idx_assessments_status_page",
                &[
                    Assessments::OrganizationId,
                    Assessments::Status,
                    Assessments::Id,
                ][..],
            ),
            (
                "idx_assessments_vendor_page",
                &[Assessments::VendorId, Assessments::Id][..],
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(Assessments::Table);
            for column in columns {
                index.col(column.clone());
            }
            manager.create_index(index.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for name in [
            "idx_assessments_page",
            "idx_assessments_status_page",
            "idx_assessments_vendor_page",
        ] {
            manager
                .drop_index(
                    Index::drop()
                        .name(name)
                        .table(Assessments::Table)
                        .to_owned(),
                )
                .await?;
        }
        for column in [
            Assessments::QuestionsVisible,
            Assessments::QuestionsAnswered,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Assessments::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Assessments::Table)
                    .add_column(text(Assessments::TemplateSnapshot).default(""))
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE assessments SET template_snapshot = (SELECT content FROM template_versions tv \
                 WHERE tv.template_id = assessments.template_id AND tv.version = assessments.template_version)",
            )
            .await?;
        Ok(())
    }
}

#[derive(DeriveIden, Clone)]
enum Assessments {
    Table,
    Id,
    OrganizationId,
    VendorId,
    Status,
    TemplateSnapshot,
    QuestionsVisible,
    QuestionsAnswered,
}
