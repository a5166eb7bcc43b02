//! Incident rows as scoring reads them.

use std::collections::BTreeMap;

use assay_core::incident::{self as rules, IncidentFact};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::db::entities::incident as entity;
use crate::error::Result;

pub fn hours_of(row: &entity::Model) -> u32 {
    u32::try_from(row.notification_hours).unwrap_or(rules::DEFAULT_NOTIFICATION_HOURS)
}

/// The incidents of these vendors (at most a few hundred ids) as scoring facts, by vendor,
/// each vendor's in discovery order.
pub async fn facts_of_vendors(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    vendor_ids: &[Uuid],
) -> Result<BTreeMap<Uuid, Vec<IncidentFact>>> {
    let mut out: BTreeMap<Uuid, Vec<IncidentFact>> = BTreeMap::new();
    for r in entity::Entity::find()
        .filter(entity::Column::OrganizationId.eq(organization_id))
        .filter(entity::Column::VendorId.is_in(vendor_ids.iter().copied()))
        .order_by_asc(entity::Column::DiscoveredAt)
        .all(conn)
        .await?
    {
        out.entry(r.vendor_id).or_default().push(IncidentFact {
            id: r.id.to_string(),
            notification_hours: hours_of(&r),
            title: r.title,
            discovered_at: r.discovered_at,
            reported_at: r.reported_at,
        });
    }
    Ok(out)
}
