//! A vendor contact may delegate one section to a colleague: the colleague's link is an
//! invitation limited to that section, recording who delegated it.

use sea_orm_migration::prelude::*;

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
                    .add_column(
                        ColumnDef::new(AssessmentInvitations::SectionId)
                            .string()
                            .null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(AssessmentInvitations::Table)
                    .add_column(
                        ColumnDef::new(AssessmentInvitations::DelegatedBy)
                            .string()
                            .null(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            AssessmentInvitations::DelegatedBy,
            AssessmentInvitations::SectionId,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(AssessmentInvitations::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum AssessmentInvitations {
    Table,
    SectionId,
    DelegatedBy,
}
