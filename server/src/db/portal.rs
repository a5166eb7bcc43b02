//! Queries behind the vendor portal's sessions.

use std::collections::{BTreeMap, BTreeSet};

use assay_core::assessment::AssessmentStatus;
use assay_core::review::{RemediationStatus, ReviewStatus};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, JoinType, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

use crate::db::entities::remediation as entity;
use crate::db::entities::{answer_review, assessment, assessment_invitation};
use crate::error::{Error, Result};

/// The link a vendor session was opened with, and the status of its assessment (in one
/// round trip each), so every portal request can be checked against the link.
pub async fn link_and_status(
    conn: &impl ConnectionTrait,
    invitation_id: Uuid,
    assessment_id: Uuid,
) -> std::result::Result<Option<(assessment_invitation::Model, AssessmentStatus)>, DbErr> {
    // One statement: every portal request runs it.
    let Some((link, Some(row))) = assessment_invitation::Entity::find_by_id(invitation_id)
        .filter(assessment_invitation::Column::AssessmentId.eq(assessment_id))
        .select_also(assessment::Entity)
        .join(
            JoinType::InnerJoin,
            assessment_invitation::Entity::belongs_to(assessment::Entity)
                .from(assessment_invitation::Column::AssessmentId)
                .to(assessment::Column::Id)
                .into(),
        )
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    let status = AssessmentStatus::parse(&row.status)
        .ok_or_else(|| DbErr::Type(format!("unknown assessment status {:?}", row.status)))?;
    Ok(Some((link, status)))
}

/// The reviewer's status of each answer of an assessment.
pub async fn reviews_of(
    conn: &impl ConnectionTrait,
    assessment_id: Uuid,
) -> Result<BTreeMap<String, ReviewStatus>> {
    answer_review::Entity::find()
        .filter(answer_review::Column::AssessmentId.eq(assessment_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|r| {
            let status = ReviewStatus::parse(&r.status)
                .ok_or_else(|| Error::internal(anyhow::anyhow!("review status {}", r.status)))?;
            Ok((r.question_id, status))
        })
        .collect()
}

pub async fn open_rows(
    conn: &impl ConnectionTrait,
    assessment_id: Uuid,
) -> Result<Vec<entity::Model>> {
    Ok(entity::Entity::find()
        .filter(entity::Column::AssessmentId.eq(assessment_id))
        .filter(entity::Column::Status.eq(RemediationStatus::Open.as_str()))
        .order_by_asc(entity::Column::DueDate)
        .all(conn)
        .await?)
}

/// What open remediation items let the vendor change: the questions they are about, and
/// whether one is about no question (then general evidence may be uploaded).
pub async fn open_scope(
    conn: &impl ConnectionTrait,
    assessment_id: Uuid,
) -> Result<(BTreeSet<String>, bool)> {
    let rows = open_rows(conn, assessment_id).await?;
    let general = rows.iter().any(|r| r.question_id.is_none());
    Ok((
        rows.into_iter().filter_map(|r| r.question_id).collect(),
        general,
    ))
}
