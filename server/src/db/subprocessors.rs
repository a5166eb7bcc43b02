//! Queries for vendors' subprocessor registers. Every function filters by the organisation.

use std::collections::BTreeMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::db::entities::subprocessor;

/// The rows on these vendors' registers now (not removed), by vendor, in one query.
pub async fn current_of_vendors(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    vendor_ids: &[Uuid],
) -> Result<BTreeMap<Uuid, Vec<subprocessor::Model>>, sea_orm::DbErr> {
    let mut out: BTreeMap<Uuid, Vec<subprocessor::Model>> = BTreeMap::new();
    if vendor_ids.is_empty() {
        return Ok(out);
    }
    for row in subprocessor::Entity::find()
        .filter(subprocessor::Column::OrganizationId.eq(organization_id))
        .filter(subprocessor::Column::VendorId.is_in(vendor_ids.iter().copied()))
        .filter(subprocessor::Column::RemovedOn.is_null())
        .order_by_asc(subprocessor::Column::NameKey)
        .all(conn)
        .await?
    {
        out.entry(row.vendor_id).or_default().push(row);
    }
    Ok(out)
}

/// One vendor's register now, by name.
pub async fn register(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    vendor_id: Uuid,
) -> Result<Vec<subprocessor::Model>, sea_orm::DbErr> {
    Ok(current_of_vendors(conn, organization_id, &[vendor_id])
        .await?
        .remove(&vendor_id)
        .unwrap_or_default())
}

/// Every row on any register of the organisation now, for the concentration view.
pub async fn all_current(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
) -> Result<Vec<subprocessor::Model>, sea_orm::DbErr> {
    subprocessor::Entity::find()
        .filter(subprocessor::Column::OrganizationId.eq(organization_id))
        .filter(subprocessor::Column::RemovedOn.is_null())
        .order_by_asc(subprocessor::Column::NameKey)
        .all(conn)
        .await
}
