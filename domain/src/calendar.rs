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

/// Most dates a site calendar lists (a few years of holidays and 调休 days).
pub const MAX_CALENDAR_DAYS: usize = 400;

/// Why a calendar edit is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CalendarRefusal {
    /// The same date is listed as a holiday and as a worked day.
    BothHolidayAndWorkday(NaiveDate),
    /// A 调休 day is a weekday: it is a working day already.
    WorkdayNotWeekend(NaiveDate),
    TooManyDays,
}

impl CalendarRefusal {
    pub const fn code(self) -> &'static str {
        match self {
            CalendarRefusal::BothHolidayAndWorkday(_) => "holiday_and_workday",
            CalendarRefusal::WorkdayNotWeekend(_) => "workday_not_weekend",
            CalendarRefusal::TooManyDays => "too_many_days",
        }
    }
}

impl WorkCalendar {
    /// Sorted, without repeats; refuses a calendar a slip of the finger would produce.
    pub fn normalized(mut self) -> Result<WorkCalendar, CalendarRefusal> {
        for v in [&mut self.holidays, &mut self.extra_workdays] {
            v.sort_unstable();
            v.dedup();
        }
        if self.holidays.len() + self.extra_workdays.len() > MAX_CALENDAR_DAYS {
            return Err(CalendarRefusal::TooManyDays);
        }
        if let Some(d) = self
            .holidays
            .iter()
            .find(|d| self.extra_workdays.contains(d))
        {
            return Err(CalendarRefusal::BothHolidayAndWorkday(*d));
        }
        if let Some(d) = self
            .extra_workdays
            .iter()
            .find(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
        {
            return Err(CalendarRefusal::WorkdayNotWeekend(*d));
        }
        Ok(self)
    }

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
    fn a_calendar_edit_is_sorted_and_checked() {
        // 国庆 2026: Thursday 1 to Wednesday 7 October off, Saturday 10 October worked.
        let c = WorkCalendar {
            holidays: vec![
                d(2026, 10, 7),
                d(2026, 10, 1),
                d(2026, 10, 2),
                d(2026, 10, 5),
                d(2026, 10, 6),
                d(2026, 10, 1),
            ],
            extra_workdays: vec![d(2026, 10, 10)],
        }
        .normalized()
        .unwrap();
        assert_eq!(c.holidays.len(), 5, "sorted, the repeat dropped");
        assert_eq!(c.holidays[0], d(2026, 10, 1));
        assert!(!c.is_working_day(d(2026, 10, 2)));
        assert!(c.is_working_day(d(2026, 10, 10)));
        // Received on the Wednesday before: Thursday 8, Friday 9, the worked Saturday 10.
        assert_eq!(c.add_working_days(d(2026, 9, 30), 3), d(2026, 10, 10));
        assert_eq!(
            WorkCalendar::default().add_working_days(d(2026, 9, 30), 3),
            d(2026, 10, 5)
        );

        let both = WorkCalendar {
            holidays: vec![d(2026, 10, 10)],
            extra_workdays: vec![d(2026, 10, 10)],
        };
        assert_eq!(
            both.normalized(),
            Err(CalendarRefusal::BothHolidayAndWorkday(d(2026, 10, 10)))
        );
        // Friday 9 October is a working day already.
        let weekday = WorkCalendar {
            holidays: vec![],
            extra_workdays: vec![d(2026, 10, 9)],
        };
        assert_eq!(
            weekday.normalized().unwrap_err().code(),
            "workday_not_weekend"
        );
        let many = WorkCalendar {
            holidays: (0..=MAX_CALENDAR_DAYS as i64)
                .map(|i| d(2026, 1, 1) + Duration::days(i))
                .collect(),
            extra_workdays: vec![],
        };
        assert_eq!(many.normalized(), Err(CalendarRefusal::TooManyDays));
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
