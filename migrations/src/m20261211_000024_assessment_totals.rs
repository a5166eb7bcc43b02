//! How many assessments each organisation has in each status, kept by the database as
//! assessments are created, change status or are deleted, so the assessments list shows its
//! total without counting the organisation's rows on every page.
//!
//! Before this, a page's `COUNT(*)` read every one of the organisation's index entries: 0.3
//! ms of server CPU for 10,000 assessments on SQLite and about 1 ms on PostgreSQL, the only
//! part of a page that grew with the list (the page itself reads 51 entries). Now the
//! unfiltered total sums one row per status (a handful) and a status filter reads one row.
//!
//! Triggers rather than the services: every write to `assessments`, whichever service or
//! statement makes it, keeps the totals in the same transaction, so they cannot drift. On
//! PostgreSQL a status change updates its two rows in the order of the statuses' names, so
//! two transactions moving assessments of one organisation in opposite directions cannot
//! lock them in opposite orders (a deadlock).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

const SQLITE: &[&str] = &[
    "CREATE TRIGGER assessment_totals_insert AFTER INSERT ON assessments BEGIN \
       INSERT INTO assessment_totals (organization_id, status, total) \
         VALUES (NEW.organization_id, NEW.status, 1) \
         ON CONFLICT (organization_id, status) DO UPDATE SET total = total + 1; \
     END",
    "CREATE TRIGGER assessment_totals_delete AFTER DELETE ON assessments BEGIN \
       UPDATE assessment_totals SET total = total - 1 \
         WHERE organization_id = OLD.organization_id AND status = OLD.status; \
     END",
    "CREATE TRIGGER assessment_totals_update AFTER UPDATE OF status, organization_id ON assessments \
       WHEN OLD.status IS NOT NEW.status OR OLD.organization_id IS NOT NEW.organization_id BEGIN \
       UPDATE assessment_totals SET total = total - 1 \
         WHERE organization_id = OLD.organization_id AND status = OLD.status; \
       INSERT INTO assessment_totals (organization_id, status, total) \
         VALUES (NEW.organization_id, NEW.status, 1) \
         ON CONFLICT (organization_id, status) DO UPDATE SET total = total + 1; \
     END",
];

const POSTGRES: &[&str] = &[
    "CREATE FUNCTION assessment_totals_less(org uuid, st text) RETURNS void AS $$ \
       UPDATE assessment_totals SET total = total - 1 WHERE organization_id = org AND status = st \
     $$ LANGUAGE sql",
    "CREATE FUNCTION assessment_totals_more(org uuid, st text) RETURNS void AS $$ \
       INSERT INTO assessment_totals (organization_id, status, total) VALUES (org, st, 1) \
         ON CONFLICT (organization_id, status) DO UPDATE SET total = assessment_totals.total + 1 \
     $$ LANGUAGE sql",
    "CREATE FUNCTION assessment_totals_keep() RETURNS trigger AS $$ \
     BEGIN \
       IF TG_OP = 'INSERT' THEN \
         PERFORM assessment_totals_more(NEW.organization_id, NEW.status); \
       ELSIF TG_OP = 'DELETE' THEN \
         PERFORM assessment_totals_less(OLD.organization_id, OLD.status); \
       ELSIF (OLD.organization_id::text, OLD.status) < (NEW.organization_id::text, NEW.status) THEN \
         PERFORM assessment_totals_less(OLD.organization_id, OLD.status); \
         PERFORM assessment_totals_more(NEW.organization_id, NEW.status); \
       ELSE \
         PERFORM assessment_totals_more(NEW.organization_id, NEW.status); \
         PERFORM assessment_totals_less(OLD.organization_id, OLD.status); \
       END IF; \
       RETURN NULL; \
     END $$ LANGUAGE plpgsql",
    "CREATE TRIGGER assessment_totals_insert_delete AFTER INSERT OR DELETE ON assessments \
       FOR EACH ROW EXECUTE FUNCTION assessment_totals_keep()",
    "CREATE TRIGGER assessment_totals_update AFTER UPDATE OF status, organization_id ON assessments \
       FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status \
         OR OLD.organization_id IS DISTINCT FROM NEW.organization_id) \
       EXECUTE FUNCTION assessment_totals_keep()",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AssessmentTotals::Table)
                    .col(
                        ColumnDef::new(AssessmentTotals::OrganizationId)
                            .uuid()
                            .not_null(),
                    )
                    .col(ColumnDef::new(AssessmentTotals::Status).text().not_null())
                    .col(
                        ColumnDef::new(AssessmentTotals::Total)
                            .big_integer()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(AssessmentTotals::OrganizationId)
                            .col(AssessmentTotals::Status),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(AssessmentTotals::Table, AssessmentTotals::OrganizationId)
                            .to(Organizations::Table, Organizations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared(
            "INSERT INTO assessment_totals (organization_id, status, total) \
             SELECT organization_id, status, COUNT(*) FROM assessments \
             GROUP BY organization_id, status",
        )
        .await?;
        let statements = match manager.get_database_backend() {
            DbBackend::Postgres => POSTGRES,
            _ => SQLITE,
        };
        for statement in statements {
            db.execute_unprepared(statement).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DbBackend::Postgres => {
                db.execute_unprepared(
                    "DROP TRIGGER assessment_totals_insert_delete ON assessments; \
                     DROP TRIGGER assessment_totals_update ON assessments; \
                     DROP FUNCTION assessment_totals_keep(); \
                     DROP FUNCTION assessment_totals_more(uuid, text); \
                     DROP FUNCTION assessment_totals_less(uuid, text)",
                )
                .await?;
            }
            _ => {
                for trigger in [
                    "assessment_totals_insert",
                    "assessment_totals_delete",
                    "assessment_totals_update",
                ] {
                    db.execute_unprepared(&format!("DROP TRIGGER {trigger}"))
                        .await?;
                }
            }
        }
        manager
            .drop_table(Table::drop().table(AssessmentTotals::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum AssessmentTotals {
    Table,
    OrganizationId,
    Status,
    Total,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}
