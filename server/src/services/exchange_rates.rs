//! An organisation's exchange rates: dated tables an Admin saves (each save adds one; the
//! earlier ones stay for the record). Scoring converts an amount in another currency than
//! the contract's through the newest table, and names the rate it used; without a rate it
//! raises "cannot compare currencies", never a silent pass.

use assay_core::access::Permission;
use assay_core::api::{
    ExchangeRateLine, ExchangeRateTableView, ExchangeRatesRequest, ExchangeRatesView,
};
use assay_core::money::ExchangeRates;
use sea_orm::{ActiveModelTrait, ActiveValue::Set};
use serde_json::json;
use uuid::Uuid;

use crate::caller::UserCaller;
use crate::db::entities::exchange_rate_table;
use crate::db::{accounts, exchange_rates};
use crate::error::{Error, Result};
use crate::services::audit::{self, Action, Event};
use crate::state::Ctx;

/// How many earlier tables the settings page lists.
const EARLIER: u64 = 20;

/// `GET /api/settings/exchange-rates` (everyone who reads assessments: the rates explain
/// findings they read).
pub async fn get(ctx: &Ctx, user: &UserCaller) -> Result<ExchangeRatesView> {
    user.require(Permission::ReadAssessments)?;
    view(&ctx.db, user.organization_id).await
}

/// `PUT /api/settings/exchange-rates` (Admin): a new table, audited with the table before
/// it. Every submitted assessment's card is recorded again by the scheduler's next sweep.
pub async fn put(
    ctx: &Ctx,
    user: &UserCaller,
    request: ExchangeRatesRequest,
) -> Result<ExchangeRatesView> {
    user.require(Permission::ManageOrganisation)?;
    let today = ctx.clock.today();
    let quoted_on = time::Date::parse(
        request.quoted_on.trim(),
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()
    .filter(|d| *d <= today)
    .ok_or_else(|| {
        Error::validation(
            "quoted_on",
            "Give the day the rates are quoted for, as YYYY-MM-DD, today or earlier.",
        )
    })?;
    if request.rates.len() > assay_core::money::MAX_RATES {
        return Err(Error::validation(
            "rates",
            format!(
                "A table holds at most {} rates.",
                assay_core::money::MAX_RATES
            ),
        ));
    }
    let pairs: Vec<(String, f64)> = request
        .rates
        .iter()
        .map(|r| (r.currency.clone(), r.rate))
        .collect();
    let table = ExchangeRates::checked(&request.base, &pairs, quoted_on)
        .map_err(|(field, message)| Error::validation(&field, message))?;
    let base = table.base.clone().unwrap_or_default();
    let txn = crate::db::begin_write(&ctx.db).await?;
    let before = exchange_rates::current(&txn, user.organization_id).await?;
    let now = ctx.clock.now();
    exchange_rate_table::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(user.organization_id),
        base: Set(base.clone()),
        rates: Set(serde_json::to_string(&table.rates).map_err(Error::internal)?),
        quoted_on: Set(quoted_on),
        recorded_by: Set(user.id),
        recorded_at: Set(now),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Event::by(
            user,
            Action::ExchangeRatesUpdated,
            ("organisation", user.organization_id.to_string()),
            json!({
                "before": before.base.as_ref().map(|b| json!({ "base": b, "rates": before.rates, "quoted_on": before.quoted_on.map(|d| d.to_string()) })),
                "after": { "base": base, "rates": table.rates, "quoted_on": quoted_on.to_string() },
            }),
        ),
        now,
    )
    .await?;
    crate::db::assessments::mark_submitted_changing(&txn, user.organization_id, today).await?;
    txn.commit().await?;
    view(&ctx.db, user.organization_id).await
}

async fn view(
    conn: &impl sea_orm::ConnectionTrait,
    organization_id: Uuid,
) -> Result<ExchangeRatesView> {
    let rows = exchange_rates::newest(conn, organization_id, EARLIER + 1).await?;
    let names = accounts::display_names(conn, rows.iter().map(|r| r.recorded_by)).await?;
    let mut tables = rows
        .iter()
        .map(|row| {
            Ok(ExchangeRateTableView {
                base: row.base.clone(),
                quoted_on: row.quoted_on.to_string(),
                rates: exchange_rates::rates_of(row)?
                    .into_iter()
                    .map(|(currency, rate)| ExchangeRateLine { currency, rate })
                    .collect(),
                recorded_by: names.get(&row.recorded_by).cloned().unwrap_or_default(),
                recorded_at: crate::services::rfc3339(row.recorded_at),
            })
        })
        .collect::<Result<Vec<_>>>()?
        .into_iter();
    Ok(ExchangeRatesView {
        current: tables.next(),
        earlier: tables.collect(),
    })
}
