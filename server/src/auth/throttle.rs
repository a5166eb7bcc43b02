//! Sign-in throttling: failures are counted per account and per client address; past a
//! free allowance each further attempt must wait twice as long as the previous one (capped),
//! answered with 429 and `Retry-After`. Counts live in this process; with several instances
//! an attacker gets at most the allowance once per instance.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Failures allowed before delays start.
const ACCOUNT_ALLOWANCE: u32 = 5;
const ADDRESS_ALLOWANCE: u32 = 20;
/// Failures older than this are forgotten.
const WINDOW: Duration = Duration::from_secs(15 * 60);
const MAX_DELAY: Duration = Duration::from_secs(15 * 60);
/// Entries kept at most, so a flood of random names cannot exhaust memory.
const MAX_ENTRIES: usize = 100_000;

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
}

#[derive(Debug, Clone, Default)]
pub struct LoginThrottle {
    inner: Arc<Mutex<HashMap<Key, Failures>>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Account(String),
    Address(IpAddr),
}

impl LoginThrottle {
    /// `Err(seconds)` when this account or address must wait before trying again.
    pub fn check(&self, account: &str, address: Option<IpAddr>) -> Result<(), u64> {
        let now = Instant::now();
        let map = self.lock();
        let mut wait = Duration::ZERO;
        for (key, allowance) in keys(account, address) {
            if let Some(f) = map.get(&key) {
                wait = wait.max(remaining(*f, allowance, now));
            }
        }
        if wait.is_zero() {
            Ok(())
        } else {
            Err(wait.as_secs().max(1))
        }
    }

    pub fn record_failure(&self, account: &str, address: Option<IpAddr>) {
        let now = Instant::now();
        let mut map = self.lock();
        if map.len() >= MAX_ENTRIES {
            map.retain(|_, f| now.duration_since(f.last) < WINDOW);
        }
        for (key, _) in keys(account, address) {
            let entry = map.entry(key).or_insert(Failures {
                count: 0,
                last: now,
            });
            if now.duration_since(entry.last) >= WINDOW {
                entry.count = 0;
            }
            entry.count = entry.count.saturating_add(1);
            entry.last = now;
        }
    }

    /// A successful sign-in clears the account's failures (not the address's).
    pub fn record_success(&self, account: &str) {
        self.lock().remove(&Key::Account(account.to_owned()));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Key, Failures>> {
        // A poisoned lock only means another thread panicked mid-update of counters.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn keys(account: &str, address: Option<IpAddr>) -> Vec<(Key, u32)> {
    let mut keys = vec![(Key::Account(account.to_owned()), ACCOUNT_ALLOWANCE)];
    if let Some(ip) = address {
        keys.push((Key::Address(ip), ADDRESS_ALLOWANCE));
    }
    keys
}

/// 1 s after the first failure past the allowance, then 2 s, 4 s, … up to 15 minutes.
fn delay_for(count: u32, allowance: u32) -> Duration {
    if count < allowance {
        return Duration::ZERO;
    }
    let exponent = (count - allowance).min(20);
    Duration::from_secs(1u64 << exponent).min(MAX_DELAY)
}

fn remaining(f: Failures, allowance: u32, now: Instant) -> Duration {
    let elapsed = now.duration_since(f.last);
    if elapsed >= WINDOW {
        return Duration::ZERO;
    }
    delay_for(f.count, allowance).saturating_sub(elapsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_after_the_allowance_and_are_capped() {
        assert_eq!(delay_for(4, 5), Duration::ZERO);
        assert_eq!(delay_for(5, 5), Duration::from_secs(1));
        assert_eq!(delay_for(7, 5), Duration::from_secs(4));
        assert_eq!(delay_for(40, 5), MAX_DELAY);
    }

    #[test]
    fn an_account_is_blocked_after_its_allowance_and_cleared_by_success() {
        let throttle = LoginThrottle::default();
        for _ in 0..ACCOUNT_ALLOWANCE {
            assert!(throttle.check("a@x.io", None).is_ok());
            throttle.record_failure("a@x.io", None);
        }
        assert!(throttle.check("a@x.io", None).is_err());
        assert!(
            throttle.check("b@x.io", None).is_ok(),
            "other accounts are unaffected"
        );
        throttle.record_success("a@x.io");
        assert!(throttle.check("a@x.io", None).is_ok());
    }

    #[test]
    fn an_address_spraying_many_accounts_is_blocked() {
        let throttle = LoginThrottle::default();
        let ip: IpAddr = "192.0.2.7".parse().expect("ip");
        for i in 0..ADDRESS_ALLOWANCE {
            throttle.record_failure(&format!("user{i}@x.io"), Some(ip));
        }
        assert!(throttle.check("fresh@x.io", Some(ip)).is_err());
        assert!(throttle.check("fresh@x.io", None).is_ok());
    }
}
