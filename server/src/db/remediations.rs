//! Remediation rows as the exports read them.

use assay_core::review::RemediationStatus;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::db::entities::remediation as entity;
use crate::error::Result;

/// The open items of one assessment, by due date (then creation), in one query.
pub async fn open_of_assessment(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    assessment_id: Uuid,
) -> Result<Vec<entity::Model>> {
    Ok(entity::Entity::find()
        .filter(entity::Column::OrganizationId.eq(organization_id))
        .filter(entity::Column::AssessmentId.eq(assessment_id))
        .filter(entity::Column::Status.eq(RemediationStatus::Open.as_str()))
        .order_by_asc(entity::Column::DueDate)
        .order_by_asc(entity::Column::CreatedAt)
        .all(conn)
        .await?)
}
