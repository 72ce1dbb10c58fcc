//! Front-desk procedures (前台): lock-opening 撬锁 (S0 第2篇) and renovation permits 装修
//! (S0 第9篇 3.2, S2 《住宅小区服务中心装修管理工作规程》). Pure state machines: the caller
//! passes `now`, new ids and the facts read from storage.

pub mod lock_opening;
pub mod renovation;
pub mod views;

use crate::work_orders::sla::china;
use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Utc, Weekday};
use serde::{Deserialize, Serialize};

/// 管理处办公时间: who checks identity for a lock-opening depends on it (S0 第2篇: the 物业部
/// in office hours, the 保安部 outside them). A per-site setting (requirements §4 C26).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeHours {
    /// Local (China) time the office opens, `08:30`.
    pub start: NaiveTime,
    /// Local time it closes, `17:30` (exclusive).
    pub end: NaiveTime,
    /// Whether the office is open on Saturdays and Sundays.
    #[serde(default)]
    pub weekends: bool,
}

impl Default for OfficeHours {
    fn default() -> Self {
        OfficeHours {
            start: NaiveTime::from_hms_opt(8, 30, 0).unwrap_or_default(),
            end: NaiveTime::from_hms_opt(17, 30, 0).unwrap_or_default(),
            weekends: true,
        }
    }
}

impl OfficeHours {
    /// Whether `at` falls inside the office hours (China time).
    pub fn contains(&self, at: DateTime<Utc>) -> bool {
        let local = at.with_timezone(&china());
        if !self.weekends && is_weekend(local.date_naive()) {
            return false;
        }
        let t = local.time();
        if self.start <= self.end {
            self.start <= t && t < self.end
        } else {
            // An office open across midnight (rare, but a setting may say so).
            t >= self.start || t < self.end
        }
    }

    /// Refuses a setting that opens and closes at the same minute.
    pub fn validate(&self) -> Result<(), &'static str> {
        if self.start == self.end {
            return Err("start and end must differ");
        }
        Ok(())
    }
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn cst(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        china()
            .with_ymd_and_hms(y, m, d, h, min, 0)
            .single()
            .expect("valid")
            .with_timezone(&Utc)
    }

    #[test]
    fn office_hours_default_half_past_eight_to_half_past_five() {
        let h = OfficeHours::default();
        assert!(!h.contains(cst(2026, 11, 20, 8, 29)));
        assert!(h.contains(cst(2026, 11, 20, 8, 30)));
        assert!(h.contains(cst(2026, 11, 20, 17, 29)));
        assert!(!h.contains(cst(2026, 11, 20, 17, 30)));
        assert!(!h.contains(cst(2026, 11, 20, 23, 0)));
        // Saturday: open by default, closed when the site says so.
        assert!(h.contains(cst(2026, 11, 21, 10, 0)));
        let weekdays = OfficeHours {
            weekends: false,
            ..h
        };
        assert!(!weekdays.contains(cst(2026, 11, 21, 10, 0)));
    }

    #[test]
    fn office_hours_across_midnight() {
        let h = OfficeHours {
            start: NaiveTime::from_hms_opt(22, 0, 0).expect("t"),
            end: NaiveTime::from_hms_opt(6, 0, 0).expect("t"),
            weekends: true,
        };
        assert!(h.contains(cst(2026, 11, 20, 23, 0)));
        assert!(h.contains(cst(2026, 11, 20, 5, 0)));
        assert!(!h.contains(cst(2026, 11, 20, 12, 0)));
    }
}
