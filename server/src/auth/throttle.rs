//! Sign-in throttling: failures are counted per account and per client address, in the
//! database, so every instance behind a load balancer enforces the same limits. Past a free
//! allowance each further attempt must wait twice as long as the previous one (capped),
//! answered with 429 and `Retry-After`.

use std::net::IpAddr;

use sea_orm::sea_query::{CaseStatement, Expr, ExprTrait, OnConflict};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use time::{Duration, OffsetDateTime};

use crate::db::entities::login_throttle::{self, Column, Entity};
use crate::error::Result;

/// Failures allowed before delays start.
const ACCOUNT_ALLOWANCE: i32 = 5;
const ADDRESS_ALLOWANCE: i32 = 20;
/// Failures older than this are forgotten.
const WINDOW: Duration = Duration::minutes(15);
const MAX_DELAY: Duration = Duration::minutes(15);

fn keys(account: &str, address: Option<IpAddr>) -> Vec<(String, i32)> {
    let mut keys = vec![(format!("account:{account}"), ACCOUNT_ALLOWANCE)];
    if let Some(ip) = address {
        keys.push((format!("address:{ip}"), ADDRESS_ALLOWANCE));
    }
    keys
}

/// 1 s after the first failure past the allowance, then 2 s, 4 s, … up to 15 minutes.
fn delay_for(failures: i32, allowance: i32) -> Duration {
    if failures < allowance {
        return Duration::ZERO;
    }
    let exponent = Ord::min(failures - allowance, 20) as u32;
    Duration::seconds(1i64 << exponent).min(MAX_DELAY)
}

/// How long one counter still blocks at `now`.
fn remaining(
    failures: i32,
    last_failure: OffsetDateTime,
    allowance: i32,
    now: OffsetDateTime,
) -> Duration {
    let elapsed = now - last_failure;
    if elapsed >= WINDOW {
        return Duration::ZERO;
    }
    (delay_for(failures, allowance) - elapsed).max(Duration::ZERO)
}

/// `Err(seconds)` when this account or address must wait before trying again.
pub async fn check(
    conn: &impl ConnectionTrait,
    account: &str,
    address: Option<IpAddr>,
) -> Result<std::result::Result<(), u64>> {
    let now = OffsetDateTime::now_utc();
    let mut wait = Duration::ZERO;
    for (key, allowance) in keys(account, address) {
        if let Some(row) = Entity::find_by_id(key).one(conn).await? {
            wait = wait.max(remaining(row.failures, row.last_failure, allowance, now));
        }
    }
    if wait.is_zero() {
        Ok(Ok(()))
    } else {
        Ok(Err(Ord::max(wait.whole_seconds(), 1) as u64))
    }
}

/// Counts a failure atomically (one upsert per key, safe under concurrent instances);
/// a counter whose last failure is older than the window starts again at one.
pub async fn record_failure(
    conn: &impl ConnectionTrait,
    account: &str,
    address: Option<IpAddr>,
) -> Result<()> {
    let now = OffsetDateTime::now_utc();
    let cutoff = now - WINDOW;
    for (key, _) in keys(account, address) {
        let reset_or_add = CaseStatement::new()
            .case(
                Expr::col((Entity, Column::LastFailure)).lt(cutoff),
                Expr::val(1),
            )
            .finally(Expr::col((Entity, Column::Failures)).add(1));
        Entity::insert(login_throttle::ActiveModel {
            key: Set(key),
            failures: Set(1),
            last_failure: Set(now),
        })
        .on_conflict(
            OnConflict::column(Column::Key)
                .value(Column::Failures, reset_or_add)
                .value(Column::LastFailure, Expr::val(now))
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    }
    // Forgotten counters are removed so the table stays small.
    Entity::delete_many()
        .filter(Column::LastFailure.lt(cutoff))
        .exec(conn)
        .await?;
    Ok(())
}

/// A successful sign-in clears the account's failures (not the address's).
pub async fn record_success(conn: &impl ConnectionTrait, account: &str) -> Result<()> {
    Entity::delete_by_id(format!("account:{account}"))
        .exec(conn)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_after_the_allowance_and_are_capped() {
        assert_eq!(delay_for(4, 5), Duration::ZERO);
        assert_eq!(delay_for(5, 5), Duration::seconds(1));
        assert_eq!(delay_for(7, 5), Duration::seconds(4));
        assert_eq!(delay_for(40, 5), MAX_DELAY);
    }

    #[test]
    fn a_counter_blocks_until_its_delay_has_passed_and_is_forgotten_after_the_window() {
        let now = OffsetDateTime::now_utc();
        assert_eq!(remaining(6, now, 5, now), Duration::seconds(2));
        assert_eq!(
            remaining(6, now - Duration::seconds(3), 5, now),
            Duration::ZERO
        );
        assert_eq!(remaining(40, now - WINDOW, 5, now), Duration::ZERO);
    }
}
