//! Scorecards recorded by events, never by reading, and findings a risk manager accepts.
//!
//! - `assessments.score_changes_on`: the next day the assessment's scorecard changes by
//!   itself (evidence expiring, a report period growing too old, an override or a risk
//!   acceptance lapsing). The scheduler records a new version on that day, touching only
//!   the assessments that are due (indexed).
//! - `risk_acceptances`: a risk manager's acceptance of one finding (by its key), with the
//!   reason an auditor reads and an optional last day; while it holds, the finding no longer
//!   holds the residual tier up. Withdrawn acceptances are kept for the record.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Assessments::Table)
                    .add_column(date_null(Assessments::ScoreChangesOn))
                    .to_owned(),
            )
            .await?;
        // Assessments scored before this migration are looked at once, by the scheduler's
        // next round, which then keeps the day of their next change.
        manager
            .exec_stmt(
                Query::update()
                    .table(Assessments::Table)
                    .value(Assessments::ScoreChangesOn, Expr::cust("CURRENT_DATE"))
                    .and_where(Expr::col(Assessments::SubmittedAt).is_not_null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_assessments_score_changes_on")
                    .table(Assessments::Table)
                    .col(Assessments::ScoreChangesOn)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RiskAcceptances::Table)
                    .col(pk_uuid(RiskAcceptances::Id))
                    .col(uuid(RiskAcceptances::OrganizationId))
                    .col(uuid(RiskAcceptances::AssessmentId))
                    .col(text(RiskAcceptances::FindingKey))
                    .col(text(RiskAcceptances::FindingTitle))
                    .col(text(RiskAcceptances::Reason))
                    .col(date_null(RiskAcceptances::ExpiresOn))
                    .col(uuid(RiskAcceptances::CreatedBy))
                    .col(string(RiskAcceptances::CreatedByName))
                    .col(timestamp_with_time_zone(RiskAcceptances::CreatedAt))
                    .col(timestamp_with_time_zone_null(RiskAcceptances::WithdrawnAt))
                    .col(uuid_null(RiskAcceptances::WithdrawnBy))
                    .foreign_key(
                        ForeignKey::create()
                            .from(RiskAcceptances::Table, RiskAcceptances::AssessmentId)
                            .to(Assessments::Table, Assessments::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_risk_acceptances_assessment")
                    .table(RiskAcceptances::Table)
                    .col(RiskAcceptances::AssessmentId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(RiskAcceptances::Table).to_owned())
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("idx_assessments_score_changes_on")
                    .table(Assessments::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Assessments::Table)
                    .drop_column(Assessments::ScoreChangesOn)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Assessments {
    Table,
    Id,
    SubmittedAt,
    ScoreChangesOn,
}

#[derive(DeriveIden)]
enum RiskAcceptances {
    Table,
    Id,
    OrganizationId,
    AssessmentId,
    FindingKey,
    FindingTitle,
    Reason,
    ExpiresOn,
    CreatedBy,
    CreatedByName,
    CreatedAt,
    WithdrawnAt,
    WithdrawnBy,
}
