//! The home page's task lists: for each kind, the first rows and how many there are, by
//! tenant in SQL, so that the cost of a list is two queries however large the portfolio.

use assay_core::assessment::AssessmentStatus;
use assay_core::incident::IncidentStatus;
use assay_core::review::RemediationStatus;
use sea_orm::sea_query::Query;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
};
use time::Date;
use uuid::Uuid;

use crate::db::entities::{assessment, evidence, incident, remediation, template, vendor};
use crate::error::Result;

/// The first `limit` rows of `select` and how many rows it has in all.
async fn first_and_total<E: EntityTrait>(
    conn: &impl ConnectionTrait,
    select: Select<E>,
    limit: u64,
) -> Result<(Vec<E::Model>, u64)>
where
    E::Model: Sync,
{
    let total = select.clone().count(conn).await?;
    let rows = if total == 0 {
        Vec::new()
    } else {
        select.limit(limit).all(conn).await?
    };
    Ok((rows, total))
}

fn assessments_in(
    organization_id: Uuid,
    statuses: impl IntoIterator<Item = AssessmentStatus>,
) -> Select<assessment::Entity> {
    assessment::Entity::find()
        .filter(assessment::Column::OrganizationId.eq(organization_id))
        .filter(assessment::Column::Status.is_in(statuses.into_iter().map(|s| s.as_str())))
}

/// Submitted or under review, the longest waiting first.
pub async fn awaiting_review(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    limit: u64,
) -> Result<(Vec<assessment::Model>, u64)> {
    let select = assessments_in(
        organization_id,
        [AssessmentStatus::Submitted, AssessmentStatus::UnderReview],
    )
    .order_by_asc(assessment::Column::SubmittedAt)
    .order_by_asc(assessment::Column::Id);
    first_and_total(conn, select, limit).await
}

/// With the vendor after their due date (before `today`), the longest overdue first.
pub async fn overdue_answers(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    today: Date,
    limit: u64,
) -> Result<(Vec<assessment::Model>, u64)> {
    let with_vendor = AssessmentStatus::ALL
        .into_iter()
        .filter(|s| s.vendor_can_answer());
    let select = assessments_in(organization_id, with_vendor)
        .filter(assessment::Column::DueDate.lt(today))
        .order_by_asc(assessment::Column::DueDate)
        .order_by_asc(assessment::Column::Id);
    first_and_total(conn, select, limit).await
}

/// Evidence of assessments that are not cancelled, expiring from `from` to `until`, soonest
/// first.
pub async fn expiring_evidence(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    from: Date,
    until: Date,
    limit: u64,
) -> Result<(Vec<evidence::Model>, u64)> {
    let live = Query::select()
        .column(assessment::Column::Id)
        .from(assessment::Entity)
        .and_where(assessment::Column::OrganizationId.eq(organization_id))
        .and_where(assessment::Column::Status.ne(AssessmentStatus::Cancelled.as_str()))
        .to_owned();
    let select = evidence::Entity::find()
        .filter(evidence::Column::OrganizationId.eq(organization_id))
        .filter(evidence::Column::ExpiresOn.gte(from))
        .filter(evidence::Column::ExpiresOn.lte(until))
        .filter(evidence::Column::AssessmentId.in_subquery(live))
        .order_by_asc(evidence::Column::ExpiresOn)
        .order_by_asc(evidence::Column::Id);
    first_and_total(conn, select, limit).await
}

/// Open remediation items due before `today`, the longest overdue first.
pub async fn remediation_past_due(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    today: Date,
    limit: u64,
) -> Result<(Vec<remediation::Model>, u64)> {
    let select = remediation::Entity::find()
        .filter(remediation::Column::OrganizationId.eq(organization_id))
        .filter(remediation::Column::Status.eq(RemediationStatus::Open.as_str()))
        .filter(remediation::Column::DueDate.lt(today))
        .order_by_asc(remediation::Column::DueDate)
        .order_by_asc(remediation::Column::Id);
    first_and_total(conn, select, limit).await
}

/// Every unresolved incident of the organisation (few: resolved ones are the history). The
/// deadline is worked out from each row, so the caller orders them.
pub async fn unresolved_incidents(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
) -> Result<Vec<incident::Model>> {
    let unresolved = [IncidentStatus::Open, IncidentStatus::Contained].map(|s| s.as_str());
    Ok(incident::Entity::find()
        .filter(incident::Column::OrganizationId.eq(organization_id))
        .filter(incident::Column::Status.is_in(unresolved))
        .all(conn)
        .await?)
}

/// Whether the organisation has registered any vendor (archived ones count), in one query.
pub async fn has_vendors(conn: &impl ConnectionTrait, organization_id: Uuid) -> Result<bool> {
    Ok(vendor::Entity::find()
        .select_only()
        .column(vendor::Column::Id)
        .filter(vendor::Column::OrganizationId.eq(organization_id))
        .into_tuple::<Uuid>()
        .one(conn)
        .await?
        .is_some())
}

/// The legal names of these vendors of the organisation, in one query.
pub async fn vendor_names(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    ids: impl IntoIterator<Item = Uuid>,
) -> Result<Vec<(Uuid, String)>> {
    Ok(vendor::Entity::find()
        .select_only()
        .column(vendor::Column::Id)
        .column(vendor::Column::LegalName)
        .filter(vendor::Column::OrganizationId.eq(organization_id))
        .filter(vendor::Column::Id.is_in(ids))
        .into_tuple()
        .all(conn)
        .await?)
}

/// The titles of these templates, in one query.
pub async fn template_titles(
    conn: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = Uuid>,
) -> Result<Vec<(Uuid, String)>> {
    Ok(template::Entity::find()
        .select_only()
        .column(template::Column::Id)
        .column(template::Column::Title)
        .filter(template::Column::Id.is_in(ids))
        .into_tuple()
        .all(conn)
        .await?)
}
