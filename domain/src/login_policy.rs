//! The login rate limit: how many failures an account or an address may have before it waits.
//! Pure: the server passes the recent failures it counted and `now`.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// Limits, a per-site deployment setting with these defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginLimits {
    /// Failures of one account inside the window before it is locked.
    pub per_account: u32,
    /// Failures from one address inside the window before it is locked (a shared office
    /// router carries several people, so it is looser).
    pub per_address: u32,
    /// The window, and how long a lock lasts after the last failure.
    pub window_minutes: i64,
}

impl Default for LoginLimits {
    fn default() -> Self {
        LoginLimits {
            per_account: 5,
            per_address: 30,
            window_minutes: 15,
        }
    }
}

/// What the counter found: failures since the window start, and the newest failure's time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FailureCount {
    pub failures: u32,
    pub last_failure: Option<DateTime<Utc>>,
}

/// The verdict before a password is even checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginGate {
    Open,
    /// Refused until this instant.
    LockedUntil(DateTime<Utc>),
}

impl LoginLimits {
    /// Start of the window the server must count failures in.
    pub fn window_start(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        now - Duration::minutes(self.window_minutes)
    }

    /// Decides from the two counts; the later lock wins.
    pub fn gate(&self, account: FailureCount, address: FailureCount) -> LoginGate {
        let lock = |c: FailureCount, limit: u32| -> Option<DateTime<Utc>> {
            if c.failures >= limit {
                c.last_failure
                    .map(|t| t + Duration::minutes(self.window_minutes))
            } else {
                None
            }
        };
        match (
            lock(account, self.per_account),
            lock(address, self.per_address),
        ) {
            (None, None) => LoginGate::Open,
            (Some(a), None) | (None, Some(a)) => LoginGate::LockedUntil(a),
            (Some(a), Some(b)) => LoginGate::LockedUntil(a.max(b)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 21, 9, min, 0)
            .single()
            .expect("valid time")
    }

    #[test]
    fn fifth_failure_locks_the_account_for_the_window() {
        let l = LoginLimits::default();
        let none = FailureCount {
            failures: 0,
            last_failure: None,
        };
        let four = FailureCount {
            failures: 4,
            last_failure: Some(at(10)),
        };
        let five = FailureCount {
            failures: 5,
            last_failure: Some(at(10)),
        };
        assert_eq!(l.gate(four, none), LoginGate::Open);
        assert_eq!(l.gate(five, none), LoginGate::LockedUntil(at(25)));
        assert_eq!(l.window_start(at(30)), at(15));
    }

    #[test]
    fn address_limit_is_independent_and_later_lock_wins() {
        let l = LoginLimits::default();
        let acct = FailureCount {
            failures: 5,
            last_failure: Some(at(1)),
        };
        let addr = FailureCount {
            failures: 30,
            last_failure: Some(at(3)),
        };
        assert_eq!(l.gate(acct, addr), LoginGate::LockedUntil(at(18)));
        let quiet = FailureCount {
            failures: 1,
            last_failure: Some(at(3)),
        };
        assert_eq!(l.gate(quiet, addr), LoginGate::LockedUntil(at(18)));
    }
}
