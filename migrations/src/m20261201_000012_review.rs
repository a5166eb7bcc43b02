//! Review, decisions and scorecards: stored scorecard versions, per-answer review state and
//! clarification threads, overrides, decisions, remediation items, scoring models per
//! organisation, and API tokens.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The portfolio and the dashboard look assessments up by vendor, a page at a time.
        manager
            .create_index(
                Index::create()
                    .name("idx_assessments_vendor")
                    .table(Assessments::Table)
                    .col(Assessments::VendorId)
                    .col(Assessments::SubmittedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Scorecards::Table)
                    .col(pk_uuid(Scorecards::Id))
                    .col(uuid(Scorecards::AssessmentId))
                    .col(integer(Scorecards::Version))
                    .col(string(Scorecards::ModelVersion))
                    .col(date(Scorecards::AsOf))
                    .col(text(Scorecards::Body))
                    .col(string(Scorecards::Digest))
                    .col(boolean(Scorecards::Frozen))
                    .col(timestamp_with_time_zone(Scorecards::ComputedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Scorecards::Table, Scorecards::AssessmentId)
                            .to(Assessments::Table, Assessments::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_scorecards_assessment_version")
                    .table(Scorecards::Table)
                    .col(Scorecards::AssessmentId)
                    .col(Scorecards::Version)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AnswerReviews::Table)
                    .col(uuid(AnswerReviews::AssessmentId))
                    .col(string(AnswerReviews::QuestionId))
                    .col(string(AnswerReviews::Status))
                    .col(uuid_null(AnswerReviews::ReviewedBy))
                    .col(timestamp_with_time_zone(AnswerReviews::UpdatedAt))
                    .primary_key(
                        Index::create()
                            .col(AnswerReviews::AssessmentId)
                            .col(AnswerReviews::QuestionId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(AnswerReviews::Table, AnswerReviews::AssessmentId)
                            .to(Assessments::Table, Assessments::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Clarifications::Table)
                    .col(pk_uuid(Clarifications::Id))
                    .col(uuid(Clarifications::AssessmentId))
                    .col(string(Clarifications::QuestionId))
                    .col(string(Clarifications::AuthorKind))
                    .col(string(Clarifications::Author))
                    .col(text(Clarifications::Body))
                    .col(timestamp_with_time_zone(Clarifications::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Clarifications::Table, Clarifications::AssessmentId)
                            .to(Assessments::Table, Assessments::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_clarifications_assessment")
                    .table(Clarifications::Table)
                    .col(Clarifications::AssessmentId)
                    .col(Clarifications::CreatedAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ScoreOverrides::Table)
                    .col(pk_uuid(ScoreOverrides::Id))
                    .col(uuid(ScoreOverrides::AssessmentId))
                    .col(string_null(ScoreOverrides::QuestionId))
                    .col(double_null(ScoreOverrides::Points))
                    .col(string_null(ScoreOverrides::Tier))
                    .col(text(ScoreOverrides::Reason))
                    .col(date_null(ScoreOverrides::ExpiresOn))
                    .col(uuid(ScoreOverrides::CreatedBy))
                    .col(string(ScoreOverrides::CreatedByName))
                    .col(timestamp_with_time_zone(ScoreOverrides::CreatedAt))
                    .col(timestamp_with_time_zone_null(ScoreOverrides::WithdrawnAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ScoreOverrides::Table, ScoreOverrides::AssessmentId)
                            .to(Assessments::Table, Assessments::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_score_overrides_assessment")
                    .table(ScoreOverrides::Table)
                    .col(ScoreOverrides::AssessmentId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Decisions::Table)
                    .col(pk_uuid(Decisions::AssessmentId))
                    .col(string(Decisions::Outcome))
                    .col(text(Decisions::Conditions))
                    .col(text(Decisions::Rationale))
                    .col(uuid(Decisions::DecidedBy))
                    .col(string(Decisions::DecidedByName))
                    .col(timestamp_with_time_zone(Decisions::DecidedAt))
                    .col(integer(Decisions::ScorecardVersion))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Decisions::Table, Decisions::AssessmentId)
                            .to(Assessments::Table, Assessments::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Remediations::Table)
                    .col(pk_uuid(Remediations::Id))
                    .col(uuid(Remediations::OrganizationId))
                    .col(uuid(Remediations::VendorId))
                    .col(uuid(Remediations::AssessmentId))
                    .col(string(Remediations::FindingKey))
                    .col(text(Remediations::Title))
                    .col(string(Remediations::Severity))
                    .col(string_null(Remediations::QuestionId))
                    .col(uuid_null(Remediations::OwnerId))
                    .col(date(Remediations::DueDate))
                    .col(date_null(Remediations::VendorCommittedDate))
                    .col(text(Remediations::ClosureEvidence))
                    .col(string(Remediations::Status))
                    .col(uuid(Remediations::CreatedBy))
                    .col(timestamp_with_time_zone(Remediations::CreatedAt))
                    .col(timestamp_with_time_zone_null(Remediations::ClosedAt))
                    .col(uuid_null(Remediations::ClosedBy))
                    .col(text_null(Remediations::ClosingNote))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Remediations::Table, Remediations::AssessmentId)
                            .to(Assessments::Table, Assessments::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_remediations_org_status_due")
                    .table(Remediations::Table)
                    .col(Remediations::OrganizationId)
                    .col(Remediations::Status)
                    .col(Remediations::DueDate)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ScoringModels::Table)
                    .col(pk_uuid(ScoringModels::Id))
                    .col(uuid(ScoringModels::OrganizationId))
                    .col(integer(ScoringModels::Version))
                    .col(text(ScoringModels::Body))
                    .col(text(ScoringModels::Note))
                    .col(uuid(ScoringModels::CreatedBy))
                    .col(timestamp_with_time_zone(ScoringModels::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_scoring_models_org_version")
                    .table(ScoringModels::Table)
                    .col(ScoringModels::OrganizationId)
                    .col(ScoringModels::Version)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ApiTokens::Table)
                    .col(pk_uuid(ApiTokens::Id))
                    .col(uuid(ApiTokens::OrganizationId))
                    .col(uuid(ApiTokens::CreatedBy))
                    .col(string(ApiTokens::Name))
                    .col(string(ApiTokens::Scope))
                    .col(string_uniq(ApiTokens::TokenHash))
                    .col(string(ApiTokens::Prefix))
                    .col(timestamp_with_time_zone_null(ApiTokens::ExpiresAt))
                    .col(timestamp_with_time_zone_null(ApiTokens::LastUsedAt))
                    .col(timestamp_with_time_zone_null(ApiTokens::RevokedAt))
                    .col(timestamp_with_time_zone(ApiTokens::CreatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_assessments_vendor")
                    .table(Assessments::Table)
                    .to_owned(),
            )
            .await?;
        for table in [
            ApiTokens::Table.into_iden(),
            ScoringModels::Table.into_iden(),
            Remediations::Table.into_iden(),
            Decisions::Table.into_iden(),
            ScoreOverrides::Table.into_iden(),
            Clarifications::Table.into_iden(),
            AnswerReviews::Table.into_iden(),
            Scorecards::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Assessments {
    Table,
    Id,
    VendorId,
    SubmittedAt,
}

#[derive(DeriveIden)]
enum Scorecards {
    Table,
    Id,
    AssessmentId,
    /// 1, 2, …: a new version whenever a recomputation gives a different scorecard.
    Version,
    ModelVersion,
    AsOf,
    /// The scorecard as `assay-core` computed it (JSON).
    Body,
    /// SHA-256 of the body, to tell whether a recomputation changed anything.
    Digest,
    /// Frozen by the decision: never replaced.
    Frozen,
    ComputedAt,
}

#[derive(DeriveIden)]
enum AnswerReviews {
    Table,
    AssessmentId,
    QuestionId,
    /// accepted | clarification_requested | answered
    Status,
    ReviewedBy,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Clarifications {
    Table,
    Id,
    AssessmentId,
    QuestionId,
    /// reviewer | vendor
    AuthorKind,
    Author,
    Body,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ScoreOverrides {
    Table,
    Id,
    AssessmentId,
    /// Set for a points override; none for a residual-tier override.
    QuestionId,
    Points,
    Tier,
    Reason,
    /// The last day it applies.
    ExpiresOn,
    CreatedBy,
    CreatedByName,
    CreatedAt,
    WithdrawnAt,
}

#[derive(DeriveIden)]
enum Decisions {
    Table,
    AssessmentId,
    /// approved | approved_with_conditions | rejected
    Outcome,
    /// JSON list of strings.
    Conditions,
    Rationale,
    DecidedBy,
    DecidedByName,
    DecidedAt,
    /// The frozen scorecard version the decision was made on.
    ScorecardVersion,
}

#[derive(DeriveIden)]
enum Remediations {
    Table,
    Id,
    OrganizationId,
    VendorId,
    AssessmentId,
    /// The finding's stable key on the scorecard.
    FindingKey,
    Title,
    Severity,
    QuestionId,
    OwnerId,
    DueDate,
    VendorCommittedDate,
    /// What the vendor must provide to close it.
    ClosureEvidence,
    /// open | closed
    Status,
    CreatedBy,
    CreatedAt,
    ClosedAt,
    ClosedBy,
    ClosingNote,
}

#[derive(DeriveIden)]
enum ScoringModels {
    Table,
    Id,
    OrganizationId,
    Version,
    /// Category weights and thresholds (JSON).
    Body,
    Note,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ApiTokens {
    Table,
    Id,
    OrganizationId,
    CreatedBy,
    Name,
    /// read_only | read_write
    Scope,
    /// SHA-256 of the token; the token itself is shown once.
    TokenHash,
    /// The first characters, to recognise a token in the list.
    Prefix,
    ExpiresAt,
    LastUsedAt,
    RevokedAt,
    CreatedAt,
}
