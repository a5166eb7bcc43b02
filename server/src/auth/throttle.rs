//! Sign-in throttling: attempts are counted per account and per client address (and per
//! user for password re-checks, per address for first-run setup tokens), in the database, so every instance behind a load balancer
//! enforces the same limits. An attempt is reserved before the password is verified, so
//! concurrent guesses cannot slip past the count. Past a free
//! allowance each further attempt must wait twice as long as the previous one (capped),
//! answered with 429 and `Retry-After`.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use secrecy::SecretString;

use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, IntoActiveModel, QueryFilter,
};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::auth::password::PasswordService;
use crate::clock::Clock;
use crate::db::entities::login_throttle::{self, Column, Entity};
use crate::db::entities::user;
use crate::error::{Error, Result};
use crate::state::AppState;

/// Failures allowed before delays start.
const ACCOUNT_ALLOWANCE: i32 = 5;
const ADDRESS_ALLOWANCE: i32 = 20;
/// Failures older than this are forgotten.
const WINDOW: Duration = Duration::minutes(15);
const MAX_DELAY: Duration = Duration::minutes(15);

/// What is being attempted: a sign-in for an account (by address too), a re-check of a
/// signed-in user's password before a sensitive change (password, MFA), or a setup token.
#[derive(Debug, Clone, Copy)]
pub enum Attempt<'a> {
    SignIn {
        account: &'a str,
        address: Option<IpAddr>,
    },
    Recheck {
        user_id: Uuid,
    },
    /// A first-run setup token tried from this address (guesses of the token are
    /// throttled like guesses of a password).
    Setup {
        address: IpAddr,
    },
}

impl Attempt<'_> {
    fn keys(&self) -> Vec<(String, i32)> {
        match self {
            Attempt::SignIn { account, address } => {
                let mut keys = vec![(format!("account:{account}"), ACCOUNT_ALLOWANCE)];
                if let Some(ip) = address {
                    keys.push((format!("address:{ip}"), ADDRESS_ALLOWANCE));
                }
                keys
            }
            Attempt::Recheck { user_id } => {
                vec![(format!("recheck:{user_id}"), ACCOUNT_ALLOWANCE)]
            }
            Attempt::Setup { address } => {
                vec![(format!("setup:{address}"), ACCOUNT_ALLOWANCE)]
            }
        }
    }
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
    // A clock that went back (another instance's skew) never lengthens a wait.
    let elapsed = (now - last_failure).max(Duration::ZERO);
    if elapsed >= WINDOW {
        return Duration::ZERO;
    }
    (delay_for(failures, allowance) - elapsed).max(Duration::ZERO)
}

/// Reserves one attempt before the password is checked: `Err(seconds)` when the account,
/// the address or the re-check must wait first. A granted attempt is counted as a failure
/// at once, in one write transaction (SQLite's write lock; PostgreSQL's row lock), so
/// forty simultaneous guesses are counted forty times and only the allowance's worth is
/// ever checked. [`succeeded`] gives the reservation back.
pub async fn reserve(
    db: &DatabaseConnection,
    attempt: Attempt<'_>,
) -> Result<std::result::Result<(), u64>> {
    // Attackers live in real time: delays follow the wall clock, not the domain clock
    // that tests move (as sessions do).
    let now = Clock::system().now();
    let txn = crate::db::begin_write(db).await?;
    let cutoff = now - WINDOW;
    let mut wait = Duration::ZERO;
    let keys = attempt.keys();
    let mut rows = Vec::with_capacity(keys.len());
    for (key, allowance) in &keys {
        // One statement creates the counter (already forgotten) or takes the existing one,
        // locked until the commit on PostgreSQL. An insert-if-missing followed by a
        // `SELECT … FOR UPDATE` lost the row when a successful sign-in deleted it in
        // between (READ COMMITTED), and the sign-in failed with 500.
        let row = Entity::insert(login_throttle::ActiveModel {
            key: Set(key.clone()),
            failures: Set(0),
            last_failure: Set(cutoff - Duration::seconds(1)),
        })
        .on_conflict(
            OnConflict::column(Column::Key)
                .update_column(Column::Key)
                .to_owned(),
        )
        .exec_with_returning(&txn)
        .await?;
        wait = wait.max(remaining(row.failures, row.last_failure, *allowance, now));
        rows.push(row);
    }
    if !wait.is_zero() {
        txn.rollback().await?;
        return Ok(Err(Ord::max(wait.whole_seconds(), 1) as u64));
    }
    for row in rows {
        let failures = if row.last_failure < cutoff {
            1
        } else {
            row.failures + 1
        };
        let mut active = row.into_active_model();
        active.failures = Set(failures);
        active.last_failure = Set(now);
        active.update(&txn).await?;
    }
    // Forgotten counters are removed so the table stays small.
    Entity::delete_many()
        .filter(Column::LastFailure.lt(cutoff))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(Ok(()))
}

/// The password (and second factor) was right: the account's or re-check's failures are
/// cleared, and the address gets back the attempt [`reserve`] counted.
pub async fn succeeded(conn: &impl ConnectionTrait, attempt: Attempt<'_>) -> Result<()> {
    let keys = attempt.keys();
    let mut keys = keys.into_iter();
    if let Some((first, _)) = keys.next() {
        Entity::delete_by_id(first).exec(conn).await?;
    }
    for (key, _) in keys {
        Entity::update_many()
            .col_expr(Column::Failures, Expr::col(Column::Failures).sub(1))
            .filter(Column::Key.eq(key))
            .filter(Column::Failures.gt(0))
            .exec(conn)
            .await?;
    }
    Ok(())
}

/// The password could not be checked at all (the server was busy hashing, 503): the
/// attempt [`reserve`] counted is given back on every counter, so a user retrying during a
/// sign-in storm is not locked out by refusals that checked nothing. Only the one
/// reservation is returned, so this never shortens the wait earned by real failures.
pub async fn unchecked(conn: &impl ConnectionTrait, attempt: Attempt<'_>) -> Result<()> {
    for (key, _) in attempt.keys() {
        Entity::update_many()
            .col_expr(Column::Failures, Expr::col(Column::Failures).sub(1))
            .filter(Column::Key.eq(key))
            .filter(Column::Failures.gt(0))
            .exec(conn)
            .await?;
    }
    Ok(())
}

/// The password of `attempt` checked under its reservation: a busy hasher
/// ([`Error::Busy`]) gives the reservation back before the error goes up.
pub async fn verify_reserved(
    db: &DatabaseConnection,
    passwords: &PasswordService,
    attempt: Attempt<'_>,
    password: &SecretString,
    stored: Option<&str>,
) -> Result<bool> {
    match passwords.verify(password, stored).await {
        Err(busy @ Error::Busy { .. }) => {
            unchecked(db, attempt).await?;
            Err(busy)
        }
        checked => checked,
    }
}

/// Checks a signed-in user's password again before a sensitive change, within the same
/// kind of limit as sign-in (429 past it): `Err(())` when it is wrong.
pub async fn recheck_password(
    db: &DatabaseConnection,
    passwords: &PasswordService,
    user: &user::Model,
    password: &SecretString,
) -> Result<std::result::Result<(), ()>> {
    let attempt = Attempt::Recheck { user_id: user.id };
    if let Err(retry_after_secs) = reserve(db, attempt).await? {
        return Err(Error::TooManyRequests { retry_after_secs });
    }
    if verify_reserved(
        db,
        passwords,
        attempt,
        password,
        user.password_hash.as_deref(),
    )
    .await?
    {
        succeeded(db, attempt).await?;
        Ok(Ok(()))
    } else {
        Ok(Err(()))
    }
}

/// The client a request comes from, as throttling counts it ([`client_address`] of the
/// peer and its `X-Forwarded-For`).
#[derive(Debug, Clone, Copy)]
pub struct ClientAddress(pub IpAddr);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        let ConnectInfo(peer) = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .copied()
            .ok_or_else(|| {
                Error::internal(anyhow::anyhow!(
                    "no peer address: the router must be served with connect info"
                ))
            })?;
        Ok(ClientAddress(client_address(
            peer.ip(),
            &parts.headers,
            &state.settings.trusted_proxies,
        )))
    }
}

/// The client a request comes from: the peer, or, when the peer is a trusted proxy, the
/// nearest address in `X-Forwarded-For` that is not one (each proxy appends the address it
/// received the request from, so only the right-most entries can be believed).
pub fn client_address(peer: IpAddr, headers: &HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let forwarded = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect::<Vec<_>>();
    let mut client = peer;
    for hop in forwarded.iter().rev() {
        match hop.parse::<IpAddr>() {
            Ok(address) if trusted.contains(&address) => client = address,
            Ok(address) => return address,
            Err(_) => return client,
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_addresses_are_believed_only_from_trusted_proxies() {
        let proxy: IpAddr = "10.0.0.2".parse().expect("ip");
        let client: IpAddr = "203.0.113.7".parse().expect("ip");
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            "198.51.100.1, 203.0.113.7".parse().expect("header"),
        );
        assert_eq!(
            client_address(proxy, &headers, &[proxy]),
            client,
            "the right-most untrusted hop; the left one could be forged by the client"
        );
        assert_eq!(
            client_address(client, &headers, &[proxy]),
            client,
            "a client that is not a trusted proxy cannot name another address"
        );
        assert_eq!(client_address(proxy, &headers, &[]), proxy);
        assert_eq!(client_address(proxy, &HeaderMap::new(), &[proxy]), proxy);
    }

    #[test]
    fn delays_grow_after_the_allowance_and_are_capped() {
        assert_eq!(delay_for(4, 5), Duration::ZERO);
        assert_eq!(delay_for(5, 5), Duration::seconds(1));
        assert_eq!(delay_for(7, 5), Duration::seconds(4));
        assert_eq!(delay_for(40, 5), MAX_DELAY);
    }

    #[test]
    fn a_counter_blocks_until_its_delay_has_passed_and_is_forgotten_after_the_window() {
        let now = time::macros::datetime!(2026-12-01 09:00 UTC);
        assert_eq!(remaining(6, now, 5, now), Duration::seconds(2));
        assert_eq!(
            remaining(6, now - Duration::seconds(3), 5, now),
            Duration::ZERO
        );
        assert_eq!(remaining(40, now - WINDOW, 5, now), Duration::ZERO);
    }
}
