//! Queries behind the vendor portal's sessions.

use assay_core::assessment::AssessmentStatus;
use sea_orm::{ConnectionTrait, DbErr, EntityTrait};
use uuid::Uuid;

use crate::db::entities::{assessment, assessment_invitation};

/// The link a vendor session was opened with, and the status of its assessment (in one
/// round trip each), so every portal request can be checked against the link.
pub async fn link_and_status(
    conn: &impl ConnectionTrait,
    invitation_id: Uuid,
    assessment_id: Uuid,
) -> Result<Option<(assessment_invitation::Model, AssessmentStatus)>, DbErr> {
    let Some(link) = assessment_invitation::Entity::find_by_id(invitation_id)
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    if link.assessment_id != assessment_id {
        return Ok(None);
    }
    let Some(row) = assessment::Entity::find_by_id(assessment_id)
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    let status = serde_json::from_value(serde_json::Value::String(row.status))
        .map_err(|e| DbErr::Type(format!("assessment status: {e}")))?;
    Ok(Some((link, status)))
}
