//! Queries for contracts: every version of a vendor's terms, the one in force (the highest
//! version) and the organisation's policy row. Every function filters by the organisation.

use std::collections::BTreeMap;

use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::db::entities::{contract_version, organization_policy, vendor};

/// Only the highest version of each vendor's contract.
fn in_force() -> Expr {
    Expr::cust(
        "\"contract_versions\".\"version\" = (SELECT MAX(\"c2\".\"version\") FROM \"contract_versions\" AS \"c2\" \
         WHERE \"c2\".\"vendor_id\" = \"contract_versions\".\"vendor_id\")",
    )
}

/// The contract in force of one vendor.
pub async fn current(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    vendor_id: Uuid,
) -> Result<Option<contract_version::Model>, sea_orm::DbErr> {
    contract_version::Entity::find()
        .filter(contract_version::Column::OrganizationId.eq(organization_id))
        .filter(contract_version::Column::VendorId.eq(vendor_id))
        .order_by_desc(contract_version::Column::Version)
        .limit(1)
        .one(conn)
        .await
}

/// The contracts in force of these vendors, by vendor, in one query.
pub async fn current_of_vendors(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    vendor_ids: &[Uuid],
) -> Result<BTreeMap<Uuid, contract_version::Model>, sea_orm::DbErr> {
    if vendor_ids.is_empty() {
        return Ok(BTreeMap::new());
    }
    Ok(contract_version::Entity::find()
        .filter(contract_version::Column::OrganizationId.eq(organization_id))
        .filter(contract_version::Column::VendorId.is_in(vendor_ids.iter().copied()))
        .filter(in_force())
        .all(conn)
        .await?
        .into_iter()
        .map(|c| (c.vendor_id, c))
        .collect())
}

/// A vendor's versions, newest first, older than `before` (a version number) when given.
pub async fn history(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    vendor_id: Uuid,
    before: Option<i32>,
    limit: u64,
) -> Result<Vec<contract_version::Model>, sea_orm::DbErr> {
    let mut query = contract_version::Entity::find()
        .filter(contract_version::Column::OrganizationId.eq(organization_id))
        .filter(contract_version::Column::VendorId.eq(vendor_id));
    if let Some(before) = before {
        query = query.filter(contract_version::Column::Version.lt(before));
    }
    query
        .order_by_desc(contract_version::Column::Version)
        .limit(limit)
        .all(conn)
        .await
}

/// Locks the vendor's row until the transaction ends, so two saves of its contract number
/// their versions one after the other on PostgreSQL too (SQLite's write lock already
/// serialises them). `None`: no such vendor in the organisation.
pub async fn lock_vendor(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    vendor_id: Uuid,
) -> Result<Option<vendor::Model>, sea_orm::DbErr> {
    vendor::Entity::find_by_id(vendor_id)
        .filter(vendor::Column::OrganizationId.eq(organization_id))
        .lock_exclusive()
        .one(conn)
        .await
}

/// Adds the next version of a vendor's contract (call with the vendor locked).
pub async fn insert_next(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    vendor_id: Uuid,
    terms: String,
    notice_date: Option<time::Date>,
    changed_by: Uuid,
    at: OffsetDateTime,
) -> Result<contract_version::Model, sea_orm::DbErr> {
    let version = current(conn, organization_id, vendor_id)
        .await?
        .map_or(1, |c| c.version + 1);
    let model = contract_version::Model {
        vendor_id,
        version,
        organization_id,
        terms,
        notice_date,
        changed_by: Some(changed_by),
        changed_at: at,
    };
    contract_version::Entity::insert(contract_version::ActiveModel::from(model.clone()))
        .exec_without_returning(conn)
        .await?;
    Ok(model)
}

/// The contracts in force, of every organisation, whose notice date falls from `from` to
/// `through`: the renewal reminders' daily candidates, oldest notice first.
pub async fn notice_dates_between(
    conn: &impl ConnectionTrait,
    from: time::Date,
    through: time::Date,
) -> Result<Vec<contract_version::Model>, sea_orm::DbErr> {
    contract_version::Entity::find()
        .filter(contract_version::Column::NoticeDate.gte(from))
        .filter(contract_version::Column::NoticeDate.lte(through))
        .filter(in_force())
        .order_by_asc(contract_version::Column::NoticeDate)
        .all(conn)
        .await
}

/// The organisation's settings row, if it changed any default.
pub async fn policy(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
) -> Result<Option<organization_policy::Model>, sea_orm::DbErr> {
    organization_policy::Entity::find_by_id(organization_id)
        .one(conn)
        .await
}

/// Which of the organisation's settings a save replaces.
#[derive(Debug, Clone, Copy)]
pub enum PolicyColumn {
    ContractPolicy,
    RegimeOverrides,
    Adequacy,
    ClientProfile,
    RenewalReminders,
}

/// Sets one of the organisation's settings (JSON; `None` returns it to the default),
/// creating the row on first use; the others stay as they are.
pub async fn set_policy(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    column: PolicyColumn,
    value: Option<String>,
    by: Uuid,
    at: OffsetDateTime,
) -> Result<(), sea_orm::DbErr> {
    use organization_policy::Column as C;
    let mut row = organization_policy::ActiveModel {
        organization_id: Set(organization_id),
        contract_policy: Set(None),
        regime_overrides: Set(None),
        adequacy: Set(None),
        client_profile: Set(None),
        renewal_reminders: Set(None),
        updated_by: Set(Some(by)),
        updated_at: Set(at),
    };
    let target = match column {
        PolicyColumn::ContractPolicy => {
            row.contract_policy = Set(value);
            C::ContractPolicy
        }
        PolicyColumn::RegimeOverrides => {
            row.regime_overrides = Set(value);
            C::RegimeOverrides
        }
        PolicyColumn::Adequacy => {
            row.adequacy = Set(value);
            C::Adequacy
        }
        PolicyColumn::ClientProfile => {
            row.client_profile = Set(value);
            C::ClientProfile
        }
        PolicyColumn::RenewalReminders => {
            row.renewal_reminders = Set(value);
            C::RenewalReminders
        }
    };
    organization_policy::Entity::insert(row)
        .on_conflict(
            OnConflict::column(C::OrganizationId)
                .update_columns([target, C::UpdatedBy, C::UpdatedAt])
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    Ok(())
}
