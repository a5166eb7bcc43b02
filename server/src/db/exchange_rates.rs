//! Queries over an organisation's exchange-rate tables.

use std::collections::BTreeMap;

use assay_core::money::ExchangeRates;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::db::entities::exchange_rate_table;
use crate::error::{Error, Result};

/// The newest tables of the organisation, newest first.
pub async fn newest(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    limit: u64,
) -> Result<Vec<exchange_rate_table::Model>> {
    Ok(exchange_rate_table::Entity::find()
        .filter(exchange_rate_table::Column::OrganizationId.eq(organization_id))
        .order_by_desc(exchange_rate_table::Column::RecordedAt)
        .order_by_desc(exchange_rate_table::Column::Id)
        .limit(limit)
        .all(conn)
        .await?)
}

/// The rates of a stored table.
pub fn rates_of(row: &exchange_rate_table::Model) -> Result<BTreeMap<String, f64>> {
    serde_json::from_str(&row.rates).map_err(Error::internal)
}

/// The rates scoring converts amounts with: the newest table, or none at all.
pub async fn current(conn: &impl ConnectionTrait, organization_id: Uuid) -> Result<ExchangeRates> {
    let Some(row) = newest(conn, organization_id, 1).await?.pop() else {
        return Ok(ExchangeRates::default());
    };
    Ok(ExchangeRates {
        rates: rates_of(&row)?,
        base: Some(row.base),
        quoted_on: Some(row.quoted_on),
    })
}
