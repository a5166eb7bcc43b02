//! Queries for the vendor register. Every function takes the organisation id and filters by
//! it, so another tenant's vendor is never found.

use assay_core::api::VendorStatus;
use assay_core::risk::{Criticality, RiskTier};
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, Order, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Select,
};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::db::entities::{vendor, vendor_contact};

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

/// As [`find`], holding the vendor's row until the transaction ends: what opens an
/// assessment for a vendor (a send, a bulk send's item) takes it first, so the check that
/// none is open yet still holds when the new one is inserted (SQLite's write lock already
/// serialises writers; on PostgreSQL this row lock does).
pub async fn find_for_write(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    id: Uuid,
) -> Result<Option<vendor::Model>, sea_orm::DbErr> {
    vendor::Entity::find_by_id(id)
        .filter(vendor::Column::OrganizationId.eq(organization_id))
        .lock_exclusive()
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

/// How the list is sorted. Each order walks an index of its own (see the migration
/// `m20261210_000023_vendor_pages`) and ends in the id, so no two rows tie.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    /// By legal name, then id.
    Name,
    /// Most critical inherent tier first, then by legal name, then id.
    Tier,
    /// Most recently updated first, then the higher id.
    Updated,
}

impl Sort {
    /// Its name in the API's `sort=`.
    pub fn name(self) -> &'static str {
        match self {
            Sort::Name => "name",
            Sort::Tier => "tier",
            Sort::Updated => "updated",
        }
    }
}

/// The list's filters, checked.
#[derive(Debug, Clone)]
pub struct ListFilter {
    /// Lower-case text the legal name or the services description contains.
    pub search: Option<String>,
    pub tier: Option<RiskTier>,
    pub tag: Option<String>,
    pub status: VendorStatus,
}

/// The row a page starts after, as its sort keys it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum After {
    Name {
        legal_name: String,
        id: Uuid,
    },
    Tier {
        rank: i16,
        legal_name: String,
        id: Uuid,
    },
    Updated {
        updated_at: OffsetDateTime,
        id: Uuid,
    },
}

/// Where a tier sorts: most critical first. Kept on the row as `tier_rank` (written with
/// the tier) so that the tier order is a column an index holds.
pub fn tier_rank(tier: RiskTier) -> i16 {
    match tier {
        RiskTier::Critical => 0,
        RiskTier::High => 1,
        RiskTier::Medium => 2,
        RiskTier::Low => 3,
    }
}

fn filtered(organization_id: Uuid, filter: &ListFilter) -> Select<vendor::Entity> {
    let mut condition = Condition::all()
        .add(vendor::Column::OrganizationId.eq(organization_id))
        .add(vendor::Column::Status.eq(filter.status.as_str()));
    if let Some(search) = &filter.search {
        // `%`, `_` and the escape character itself are matched literally: `q=%` finds
        // names with a per cent sign, not every vendor.
        let like = |column| super::contains(Expr::expr(Func::lower(Expr::col(column))), search);
        condition = condition.add(
            Condition::any()
                .add(like(vendor::Column::LegalName))
                .add(like(vendor::Column::Services)),
        );
    }
    if let Some(tier) = filter.tier {
        // The rank, not the name: it is in every sort's index.
        condition = condition.add(vendor::Column::TierRank.eq(tier_rank(tier)));
    }
    if let Some(tag) = &filter.tag {
        // Tags are stored as a JSON array of strings; match the quoted element.
        let escaped = serde_json::to_string(tag).unwrap_or_default();
        condition = condition.add(super::contains(Expr::col(vendor::Column::Tags), &escaped));
    }
    vendor::Entity::find().filter(condition)
}

/// The ids and legal names of up to `limit` vendors matching the filters, by name (what a
/// bulk send chosen by the list's filters goes to): one query.
pub async fn matching(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    filter: &ListFilter,
    limit: u64,
) -> Result<Vec<(Uuid, String)>, sea_orm::DbErr> {
    filtered(organization_id, filter)
        .select_only()
        .column(vendor::Column::Id)
        .column(vendor::Column::LegalName)
        .order_by_asc(vendor::Column::LegalName)
        .order_by_asc(vendor::Column::Id)
        .limit(limit)
        .into_tuple()
        .all(conn)
        .await
}

/// How many vendors match the filters.
pub async fn count(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    filter: &ListFilter,
) -> Result<u64, sea_orm::DbErr> {
    filtered(organization_id, filter).count(conn).await
}

/// Up to `fetch` vendors matching the filters in `sort` order, after `after`: one query
/// that walks the sort's index from the cursor on.
pub async fn page(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    filter: &ListFilter,
    sort: Sort,
    after: Option<&After>,
    fetch: u64,
) -> Result<Vec<vendor::Model>, sea_orm::DbErr> {
    use vendor::Column as C;
    let mut query = filtered(organization_id, filter);
    let key = match after {
        None => None,
        Some(After::Name { legal_name, id }) => Some(super::after_key(
            &[C::LegalName, C::Id],
            [legal_name.clone().into(), (*id).into()],
            Order::Asc,
        )),
        Some(After::Tier {
            rank,
            legal_name,
            id,
        }) => Some(super::after_key(
            &[C::TierRank, C::LegalName, C::Id],
            [(*rank).into(), legal_name.clone().into(), (*id).into()],
            Order::Asc,
        )),
        Some(After::Updated { updated_at, id }) => Some(super::after_key(
            &[C::UpdatedAt, C::Id],
            [(*updated_at).into(), (*id).into()],
            Order::Desc,
        )),
    };
    if let Some(key) = key {
        query = query.filter(key);
    }
    let query = match sort {
        Sort::Name => query.order_by_asc(C::LegalName).order_by_asc(C::Id),
        Sort::Tier => query
            .order_by_asc(C::TierRank)
            .order_by_asc(C::LegalName)
            .order_by_asc(C::Id),
        Sort::Updated => query.order_by_desc(C::UpdatedAt).order_by_desc(C::Id),
    };
    query.limit(fetch).all(conn).await
}

/// The dashboard's filters, checked, which the portfolio export applies too.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PortfolioFilter {
    /// A tag the vendor carries, in any (ASCII) case.
    pub tag: Option<String>,
    pub criticality: Option<Criticality>,
    /// The user who owns the vendor.
    pub owner_id: Option<Uuid>,
}

impl PortfolioFilter {
    /// Whether a vendor the query returned carries the filter's tag. Tags are a JSON array
    /// in one column, and "eu" must find "EU" on SQLite and PostgreSQL alike (their `LOWER`
    /// differ outside ASCII), so the tag is matched here rather than in SQL.
    pub fn keeps(&self, v: &vendor::Model) -> bool {
        let Some(tag) = &self.tag else {
            return true;
        };
        serde_json::from_str::<Vec<String>>(&v.tags)
            .unwrap_or_default()
            .iter()
            .any(|t| t.eq_ignore_ascii_case(tag))
    }

    /// The organisation's vendors with the filter's criticality and owner (the tag is
    /// [`PortfolioFilter::keeps`]'s), in id order.
    fn select(&self, organization_id: Uuid) -> Select<vendor::Entity> {
        let mut condition =
            Condition::all().add(vendor::Column::OrganizationId.eq(organization_id));
        if let Some(criticality) = self.criticality {
            condition = condition.add(vendor::Column::Criticality.eq(super::stored(criticality)));
        }
        if let Some(owner) = self.owner_id {
            condition = condition.add(vendor::Column::OwnerId.eq(owner));
        }
        vendor::Entity::find()
            .filter(condition)
            .order_by_asc(vendor::Column::Id)
    }
}

/// The organisation's vendors with `status` matching the filter, in one query (the
/// dashboard reads them all, then their scorecards a chunk at a time).
pub async fn portfolio(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    filter: &PortfolioFilter,
    status: VendorStatus,
) -> Result<Vec<vendor::Model>, sea_orm::DbErr> {
    let mut vendors = filter
        .select(organization_id)
        .filter(vendor::Column::Status.eq(status.as_str()))
        .all(conn)
        .await?;
    vendors.retain(|v| filter.keeps(v));
    Ok(vendors)
}

/// Up to `limit` of the organisation's active vendors after the id `after`, in id order,
/// that match the filter's criticality and owner (the vendors the dashboard counts, so an
/// export agrees with the screen it was downloaded from): one query per page, so an export
/// reads thousands of vendors in a fixed number of statements per page. The caller applies
/// [`PortfolioFilter::keeps`] and pages on by the last id it got from here, so a page the
/// tag empties does not end the walk.
pub async fn portfolio_page(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    filter: &PortfolioFilter,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<vendor::Model>, sea_orm::DbErr> {
    let mut query = filter
        .select(organization_id)
        .filter(vendor::Column::Status.eq(VendorStatus::Active.as_str()))
        .limit(limit);
    if let Some(after) = after {
        query = query.filter(vendor::Column::Id.gt(after));
    }
    query.all(conn).await
}
