//! Queries for bulk sends and their items. Every read a client can reach takes the
//! organisation id and filters by it; the scheduler's reads take none (it serves them all).

use std::collections::{BTreeMap, BTreeSet};

use assay_core::assessment::AssessmentStatus;
use assay_core::bulk::{BulkSendStatus, ItemResult};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, JoinType, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use crate::db::entities::{assessment, bulk_send, bulk_send_item as item, vendor, vendor_contact};
use crate::db::stored;

/// Bulk send `id` of the organisation.
pub async fn find(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    id: Uuid,
) -> Result<Option<bulk_send::Model>, sea_orm::DbErr> {
    bulk_send::Entity::find_by_id(id)
        .filter(bulk_send::Column::OrganizationId.eq(organization_id))
        .one(conn)
        .await
}

/// One page of the organisation's bulk sends, newest first, below `after`.
pub async fn page(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    after: Option<Uuid>,
    fetch: u64,
) -> Result<Vec<bulk_send::Model>, sea_orm::DbErr> {
    let mut query =
        bulk_send::Entity::find().filter(bulk_send::Column::OrganizationId.eq(organization_id));
    if let Some(after) = after {
        query = query.filter(crate::db::id_before_in_organization(
            bulk_send::Column::OrganizationId,
            bulk_send::Column::Id,
            organization_id,
            after,
        ));
    }
    query
        .order_by_desc(bulk_send::Column::Id)
        .limit(fetch)
        .all(conn)
        .await
}

pub async fn count(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
) -> Result<u64, sea_orm::DbErr> {
    bulk_send::Entity::find()
        .filter(bulk_send::Column::OrganizationId.eq(organization_id))
        .count(conn)
        .await
}

/// An item with its vendor's legal name.
#[derive(FromQueryResult)]
pub struct NamedItem {
    #[sea_orm(nested)]
    pub item: item::Model,
    pub vendor_name: String,
}

/// One page of a send's items in id order (the vendor-name order they were made in),
/// after `after`, each with its vendor's name: one statement.
pub async fn items_page(
    conn: &impl ConnectionTrait,
    bulk_send_id: Uuid,
    after: Option<Uuid>,
    fetch: u64,
) -> Result<Vec<NamedItem>, sea_orm::DbErr> {
    let mut query = item::Entity::find().filter(item::Column::BulkSendId.eq(bulk_send_id));
    if let Some(after) = after {
        query = query.filter(item::Column::Id.gt(after));
    }
    query
        .join(
            JoinType::InnerJoin,
            item::Entity::belongs_to(vendor::Entity)
                .from(item::Column::VendorId)
                .to(vendor::Column::Id)
                .into(),
        )
        .column_as(vendor::Column::LegalName, "vendor_name")
        .order_by_asc(item::Column::Id)
        .limit(fetch)
        .into_model::<NamedItem>()
        .all(conn)
        .await
}

/// The oldest send not done yet, of any organisation: the scheduler's one read when idle.
pub async fn next_unfinished(
    conn: &impl ConnectionTrait,
) -> Result<Option<bulk_send::Model>, sea_orm::DbErr> {
    bulk_send::Entity::find()
        // Two equality ranges of the (status, id) index, however many sends are done.
        .filter(bulk_send::Column::Status.is_in([
            stored(BulkSendStatus::Queued),
            stored(BulkSendStatus::Running),
        ]))
        .order_by_asc(bulk_send::Column::Id)
        .one(conn)
        .await
}

/// Up to `limit` pending items of a send, first made first, locked (on PostgreSQL) until
/// the transaction ends: another instance reading them meanwhile waits, then no longer
/// sees them as pending.
pub async fn pending_locked(
    conn: &impl ConnectionTrait,
    bulk_send_id: Uuid,
    limit: u64,
) -> Result<Vec<item::Model>, sea_orm::DbErr> {
    item::Entity::find()
        .filter(item::Column::BulkSendId.eq(bulk_send_id))
        .filter(item::Column::Result.eq(stored(ItemResult::Pending)))
        .order_by_asc(item::Column::Id)
        .limit(limit)
        .lock_exclusive()
        .all(conn)
        .await
}

/// The vendors of one organisation among `ids`, locked until the transaction ends, so two
/// sends never look at one vendor at once.
pub async fn vendors_locked(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    ids: &BTreeSet<Uuid>,
) -> Result<BTreeMap<Uuid, vendor::Model>, sea_orm::DbErr> {
    Ok(vendor::Entity::find()
        .filter(vendor::Column::OrganizationId.eq(organization_id))
        .filter(vendor::Column::Id.is_in(ids.iter().copied()))
        .order_by_asc(vendor::Column::Id)
        .lock_exclusive()
        .all(conn)
        .await?
        .into_iter()
        .map(|v| (v.id, v))
        .collect())
}

/// The contacts of these vendors, each vendor's in the order they were registered.
pub async fn contacts_of(
    conn: &impl ConnectionTrait,
    ids: &BTreeSet<Uuid>,
) -> Result<BTreeMap<Uuid, Vec<vendor_contact::Model>>, sea_orm::DbErr> {
    let mut out: BTreeMap<Uuid, Vec<vendor_contact::Model>> = BTreeMap::new();
    for contact in vendor_contact::Entity::find()
        .filter(vendor_contact::Column::VendorId.is_in(ids.iter().copied()))
        .order_by_asc(vendor_contact::Column::Id)
        .all(conn)
        .await?
    {
        out.entry(contact.vendor_id).or_default().push(contact);
    }
    Ok(out)
}

/// Which of these vendors have an assessment still open (not completed or cancelled).
pub async fn with_open_assessment(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    ids: &BTreeSet<Uuid>,
) -> Result<BTreeSet<Uuid>, sea_orm::DbErr> {
    let closed = AssessmentStatus::ALL
        .into_iter()
        .filter(|s| s.is_final())
        .map(stored);
    Ok(assessment::Entity::find()
        .select_only()
        .column(assessment::Column::VendorId)
        .distinct()
        .filter(assessment::Column::OrganizationId.eq(organization_id))
        .filter(assessment::Column::VendorId.is_in(ids.iter().copied()))
        .filter(assessment::Column::Status.is_not_in(closed))
        .into_tuple::<Uuid>()
        .all(conn)
        .await?
        .into_iter()
        .collect())
}

/// The ids and names of the organisation's vendors among `ids`, `IN_CHUNK` at a time.
pub async fn named_vendors(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    ids: &[Uuid],
) -> Result<Vec<(Uuid, String)>, sea_orm::DbErr> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(crate::services::IN_CHUNK) {
        out.extend(
            vendor::Entity::find()
                .select_only()
                .column(vendor::Column::Id)
                .column(vendor::Column::LegalName)
                .filter(vendor::Column::OrganizationId.eq(organization_id))
                .filter(vendor::Column::Id.is_in(chunk.iter().copied()))
                .into_tuple::<(Uuid, String)>()
                .all(conn)
                .await?,
        );
    }
    Ok(out)
}
