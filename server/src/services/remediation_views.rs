//! Remediation items as the pages show them (with vendor and owner names), for the review
//! page, the remediation list and the dashboard.

use std::collections::BTreeSet;

use assay_core::api::RemediationView;
use assay_core::review::RemediationStatus;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::db::entities::remediation as entity;
use crate::db::entities::{user, vendor};
use crate::error::{Error, Result};
use crate::services::rfc3339;

/// Views of remediation rows; names of vendors and owners in two queries, not per row.
pub(crate) async fn views(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    rows: Vec<entity::Model>,
    now: OffsetDateTime,
) -> Result<Vec<RemediationView>> {
    let vendor_ids: BTreeSet<Uuid> = rows.iter().map(|r| r.vendor_id).collect();
    let owner_ids: BTreeSet<Uuid> = rows.iter().filter_map(|r| r.owner_id).collect();
    let vendor_ids: Vec<Uuid> = vendor_ids.into_iter().collect();
    let mut vendors: std::collections::BTreeMap<Uuid, String> = Default::default();
    for chunk in vendor_ids.chunks(crate::services::IN_CHUNK) {
        vendors.extend(
            vendor::Entity::find()
                .filter(vendor::Column::OrganizationId.eq(organization_id))
                .filter(vendor::Column::Id.is_in(chunk.iter().copied()))
                .all(conn)
                .await?
                .into_iter()
                .map(|v| (v.id, v.legal_name)),
        );
    }
    let owners: std::collections::BTreeMap<Uuid, String> = user::Entity::find()
        .filter(user::Column::OrganizationId.eq(organization_id))
        .filter(user::Column::Id.is_in(owner_ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    let today = now.date();
    rows.into_iter()
        .map(|r| {
            let status = RemediationStatus::parse(&r.status).ok_or_else(|| {
                Error::internal(anyhow::anyhow!("remediation status {}", r.status))
            })?;
            Ok(RemediationView {
                id: r.id,
                vendor_id: r.vendor_id,
                vendor_name: vendors.get(&r.vendor_id).cloned().unwrap_or_default(),
                assessment_id: r.assessment_id,
                finding_key: r.finding_key,
                title: r.title,
                severity: crate::services::restored(&r.severity)?,
                question_id: r.question_id,
                owner_id: r.owner_id,
                owner_name: r.owner_id.and_then(|o| owners.get(&o).cloned()),
                due_date: r.due_date.to_string(),
                vendor_committed_date: r.vendor_committed_date.map(|d| d.to_string()),
                closure_evidence: r.closure_evidence,
                status,
                overdue: status == RemediationStatus::Open && r.due_date < today,
                created_at: rfc3339(r.created_at),
                closed_at: r.closed_at.map(rfc3339),
                closing_note: r.closing_note,
            })
        })
        .collect()
}

/// The remediation items of one assessment, by due date.
pub(crate) async fn of_assessment(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    assessment_id: Uuid,
    now: OffsetDateTime,
) -> Result<Vec<RemediationView>> {
    let rows = entity::Entity::find()
        .filter(entity::Column::OrganizationId.eq(organization_id))
        .filter(entity::Column::AssessmentId.eq(assessment_id))
        .order_by_asc(entity::Column::DueDate)
        .all(conn)
        .await?;
    views(conn, organization_id, rows, now).await
}
