//! Local dates and working days (工作日) in China time, shared by every deadline the documents
//! count in days: the complaint reply "within one working day", the renovation review "within 3
//! working days", the survey's "15 working days", the delivery rectification's reply.
//!
//! A working day is Monday to Friday, unless the site's calendar lists it as a holiday; a
//! weekend day the site lists as worked (调休) counts as a working day.

use crate::work_orders::sla::china;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use serde::{Deserialize, Serialize};

/// A site's deviations from Monday–Friday.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkCalendar {
    /// Public holidays falling on weekdays (e.g. 国庆).
    #[serde(default)]
    pub holidays: Vec<NaiveDate>,
    /// Weekend days worked in exchange (调休上班).
    #[serde(default)]
    pub extra_workdays: Vec<NaiveDate>,
}

impl WorkCalendar {
    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        if self.extra_workdays.contains(&d) {
            return true;
        }
        if self.holidays.contains(&d) {
            return false;
        }
        !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
    }

    /// "Within `n` working days" of something received on `d`: a day received on a rest day
    /// counts as received on the next working day (顺延), then `n` working days follow
    /// (`n = 0`: that day itself). Wednesday + 3 = Monday; Saturday + 3 = Thursday.
    pub fn add_working_days(&self, d: NaiveDate, n: u32) -> NaiveDate {
        let mut day = d;
        while !self.is_working_day(day) {
            day += Duration::days(1);
        }
        let mut left = n;
        while left > 0 {
            day += Duration::days(1);
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }

    /// The first working day strictly after `d`: "the next day" of a reply (Friday and
    /// Saturday → Monday).
    pub fn next_working_day(&self, d: NaiveDate) -> NaiveDate {
        let mut day = d + Duration::days(1);
        while !self.is_working_day(day) {
            day += Duration::days(1);
        }
        day
    }

    /// End of the `n`-th working day after the local date of `t` (23:59:59 China time).
    pub fn end_of_working_day_after(&self, t: DateTime<Utc>, n: u32) -> DateTime<Utc> {
        end_of_day(self.add_working_days(local_date(t), n))
    }
}

/// The date of `t` in China.
pub fn local_date(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&china()).date_naive()
}

/// The last second of a local date, as UTC.
pub fn end_of_day(d: NaiveDate) -> DateTime<Utc> {
    let t = d.and_time(NaiveTime::from_hms_opt(23, 59, 59).expect("valid time"));
    china()
        .from_local_datetime(&t)
        .single()
        .expect("a fixed offset has no gaps")
        .with_timezone(&Utc)
}

/// The first second of a local date, as UTC.
pub fn start_of_day(d: NaiveDate) -> DateTime<Utc> {
    china()
        .from_local_datetime(&d.and_time(NaiveTime::MIN))
        .single()
        .expect("a fixed offset has no gaps")
        .with_timezone(&Utc)
}

/// Local time of day of `t` in China.
pub fn local_time(t: DateTime<Utc>) -> NaiveTime {
    t.with_timezone(&china()).time()
}

/// The same day-of-month `months` later, clamped to the month's end (31 Jan + 1 → 28/29 Feb).
pub fn add_months(t: DateTime<Utc>, months: u32) -> DateTime<Utc> {
    t.checked_add_months(chrono::Months::new(months))
        .unwrap_or(t)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn working_days_skip_the_weekend() {
        let cal = WorkCalendar::default();
        // Friday 2026-11-20 + 1 working day = Monday 23rd.
        assert_eq!(cal.add_working_days(d(2026, 11, 20), 1), d(2026, 11, 23));
        // Received Saturday counts from Monday: Monday itself for 0, Tuesday for 1.
        assert_eq!(cal.add_working_days(d(2026, 11, 21), 0), d(2026, 11, 23));
        assert_eq!(cal.add_working_days(d(2026, 11, 21), 1), d(2026, 11, 24));
        // The next working day after Friday or Saturday is Monday.
        assert_eq!(cal.next_working_day(d(2026, 11, 20)), d(2026, 11, 23));
        assert_eq!(cal.next_working_day(d(2026, 11, 21)), d(2026, 11, 23));
        // Wednesday + 3 = Monday.
        assert_eq!(cal.add_working_days(d(2026, 11, 18), 3), d(2026, 11, 23));
    }

    #[test]
    fn holidays_and_swapped_workdays() {
        let cal = WorkCalendar {
            holidays: vec![d(2026, 10, 1), d(2026, 10, 2)],
            extra_workdays: vec![d(2026, 10, 10)],
        };
        // Wednesday 30 Sep + 1 → Monday 5 Oct (1–2 Oct holidays, 3–4 weekend).
        assert_eq!(cal.add_working_days(d(2026, 9, 30), 1), d(2026, 10, 5));
        assert!(cal.is_working_day(d(2026, 10, 10)));
    }

    #[test]
    fn end_of_day_is_local_midnight_minus_a_second() {
        let e = end_of_day(d(2026, 11, 23));
        assert_eq!(e.to_rfc3339(), "2026-11-23T15:59:59+00:00");
        assert_eq!(
            start_of_day(d(2026, 11, 23)).to_rfc3339(),
            "2026-11-22T16:00:00+00:00"
        );
    }
}
