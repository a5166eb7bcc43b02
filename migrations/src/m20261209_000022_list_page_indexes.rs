//! Indexes for the keyset pages of the lists that grow without bound besides assessments:
//! the outbox newest first, incidents by discovery time, remediation items by due date,
//! each within an organisation and ending in the id that breaks ties. Without them every
//! page sorted all of an organisation's rows (SQLite's plan: "USE TEMP B-TREE FOR ORDER BY").

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEXES: [(&str, &str, [&str; 3]); 3] = [
    ("idx_outbox_page", "outbox", ["organization_id", "id", ""]),
    (
        "idx_incidents_page",
        "incidents",
        ["organization_id", "discovered_at", "id"],
    ),
    (
        "idx_remediations_page",
        "remediations",
        ["organization_id", "due_date", "id"],
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, columns) in INDEXES {
            let mut index = Index::create();
            index.name(name).table(Alias::new(table));
            for column in columns.iter().filter(|c| !c.is_empty()) {
                index.col(Alias::new(*column));
            }
            manager.create_index(index.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, _) in INDEXES {
            manager
                .drop_index(Index::drop().name(name).table(Alias::new(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
