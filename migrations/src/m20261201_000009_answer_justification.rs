//! Answers may carry a justification: why a question does not apply (`n/a`).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Answers::Table)
                    .add_column(ColumnDef::new(Answers::Justification).text().null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Answers::Table)
                    .drop_column(Answers::Justification)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Answers {
    Table,
    Justification,
}
