//! Queries for the vendor register. Every function takes the organisation id and filters by
//! it, so another tenant's vendor is never found.

use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, Order, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use uuid::Uuid;

use crate::db::entities::{vendor, vendor_contact, vendor_contract};

pub async fn find(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    id: Uuid,
) -> Result<Option<vendor::Model>, sea_orm::DbErr> {
    vendor::Entity::find_by_id(id)
        .filter(vendor::Column::OrganizationId.eq(organization_id))
        .one(conn)
        .await
}

/// Vendors' names by id, of one organisation, in one query.
pub async fn names(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    ids: &std::collections::BTreeSet<Uuid>,
) -> Result<std::collections::BTreeMap<Uuid, String>, sea_orm::DbErr> {
    if ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(vendor::Entity::find()
        .select_only()
        .column(vendor::Column::Id)
        .column(vendor::Column::LegalName)
        .filter(vendor::Column::OrganizationId.eq(organization_id))
        .filter(vendor::Column::Id.is_in(ids.iter().copied()))
        .into_tuple::<(Uuid, String)>()
        .all(conn)
        .await?
        .into_iter()
        .collect())
}

pub async fn contacts(
    conn: &impl ConnectionTrait,
    vendor_id: Uuid,
) -> Result<Vec<vendor_contact::Model>, sea_orm::DbErr> {
    vendor_contact::Entity::find()
        .filter(vendor_contact::Column::VendorId.eq(vendor_id))
        .order_by_asc(vendor_contact::Column::Name)
        .all(conn)
        .await
}

pub async fn contract(
    conn: &impl ConnectionTrait,
    vendor_id: Uuid,
) -> Result<Option<vendor_contract::Model>, sea_orm::DbErr> {
    vendor_contract::Entity::find_by_id(vendor_id)
        .one(conn)
        .await
}

pub async fn replace_contacts(
    conn: &impl ConnectionTrait,
    vendor_id: Uuid,
    contacts: Vec<vendor_contact::ActiveModel>,
) -> Result<(), sea_orm::DbErr> {
    vendor_contact::Entity::delete_many()
        .filter(vendor_contact::Column::VendorId.eq(vendor_id))
        .exec(conn)
        .await?;
    if !contacts.is_empty() {
        vendor_contact::Entity::insert_many(contacts)
            .exec_without_returning(conn)
            .await?;
    }
    Ok(())
}

/// How the list is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    Name,
    Tier,
    Updated,
}

/// The list's filters.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub search: Option<String>,
    pub tier: Option<String>,
    pub tag: Option<String>,
    pub status: Option<String>,
}

pub async fn list(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    filter: &ListFilter,
    sort: Sort,
    page: u64,
    per_page: u64,
) -> Result<(Vec<vendor::Model>, u64), sea_orm::DbErr> {
    let mut condition = Condition::all().add(vendor::Column::OrganizationId.eq(organization_id));
    condition = condition.add(
        vendor::Column::Status.eq(filter.status.clone().unwrap_or_else(|| "active".to_owned())),
    );
    if let Some(search) = filter
        .search
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        // `%`, `_` and the escape character itself are matched literally: `q=%` finds
        // names with a per cent sign, not every vendor.
        let search = search.to_lowercase();
        let like = |column| super::contains(Expr::expr(Func::lower(Expr::col(column))), &search);
        condition = condition.add(
            Condition::any()
                .add(like(vendor::Column::LegalName))
                .add(like(vendor::Column::Services)),
        );
    }
    if let Some(tier) = &filter.tier {
        condition = condition.add(vendor::Column::InherentTier.eq(tier.clone()));
    }
    if let Some(tag) = &filter.tag {
        // Tags are stored as a JSON array of strings; match the quoted element.
        let escaped = serde_json::to_string(tag).unwrap_or_default();
        condition = condition.add(super::contains(Expr::col(vendor::Column::Tags), &escaped));
    }
    let query = vendor::Entity::find().filter(condition);
    let total = query.clone().count(conn).await?;
    let query = match sort {
        Sort::Name => query.order_by(vendor::Column::LegalName, Order::Asc),
        Sort::Updated => query.order_by(vendor::Column::UpdatedAt, Order::Desc),
        // Tier names do not sort in severity order, so map them.
        Sort::Tier => query.order_by(
            Expr::cust("CASE inherent_tier WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END"),
            Order::Asc,
        ),
    }
    .order_by(vendor::Column::LegalName, Order::Asc)
    .order_by(vendor::Column::Id, Order::Asc);
    let items = query
        .offset(page.saturating_sub(1) * per_page)
        .limit(per_page)
        .all(conn)
        .await?;
    Ok((items, total))
}
