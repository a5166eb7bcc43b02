//! The one source of "now" for everything that depends on time passing: the scheduler,
//! reminders, expiry alerts, reassessment and incident deadlines. Production reads the
//! system clock; tests hold a [`Clock::manual`] and move it, so a schedule that spans
//! months runs in milliseconds and every instance sharing the handle agrees on the time.

use std::sync::{Arc, Mutex};

use time::{Duration, OffsetDateTime};

#[derive(Clone, Default)]
pub struct Clock(Option<Arc<Mutex<OffsetDateTime>>>);

impl Clock {
    /// The system clock.
    pub fn system() -> Self {
        Clock(None)
    }

    /// A clock that stands still at `at` until it is set or advanced.
    pub fn manual(at: OffsetDateTime) -> Self {
        Clock(Some(Arc::new(Mutex::new(at))))
    }

    pub fn now(&self) -> OffsetDateTime {
        match &self.0 {
            None => OffsetDateTime::now_utc(),
            Some(at) => *at.lock().unwrap_or_else(|poisoned| poisoned.into_inner()),
        }
    }

    pub fn today(&self) -> time::Date {
        self.now().date()
    }

    /// Moves a manual clock to `at`; the system clock cannot be moved.
    pub fn set(&self, at: OffsetDateTime) {
        if let Some(current) = &self.0 {
            *current
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner()) = at;
        }
    }

    /// Moves a manual clock forward by `by`.
    pub fn advance(&self, by: Duration) {
        self.set(self.now() + by);
    }

    pub fn is_manual(&self) -> bool {
        self.0.is_some()
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            None => f.write_str("Clock::system"),
            Some(_) => write!(f, "Clock::manual({})", self.now()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_moves_only_when_told_and_its_copies_agree() {
        let start = time::macros::datetime!(2026-12-01 09:00 UTC);
        let clock = Clock::manual(start);
        let sibling = clock.clone();
        assert_eq!(clock.now(), start);
        sibling.advance(Duration::days(3));
        assert_eq!(clock.now(), start + Duration::days(3));
        assert!(clock.is_manual());
        assert!(!Clock::system().is_manual());
    }
}
