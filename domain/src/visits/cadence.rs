//! How the month's visits measure up to the site's cadence (C19): "管理处主任、客户服务主管每周
//! 必须访问业户" (第1/7篇), "客户服务主管每月必须访问业户" (第5/11篇), "物业经理每月3次走访业户"
//! (S1). Shown as targets; nothing is refused for missing one.

use super::policy::{CadencePeriod, CadenceTarget};
use super::record::local_date;
use crate::people::Role;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CadenceProgress {
    pub target: CadenceTarget,
    /// Visits the target asks for so far this month (weeks begun so far × times).
    pub required: u32,
    /// Visits that count toward it (at most `times` in each period).
    pub done: u32,
    pub met: bool,
}

/// Calendar weeks (Monday to Sunday) of the month from its first up to `last` (inclusive),
/// as their Mondays.
fn weeks(month: NaiveDate, last: NaiveDate) -> Vec<NaiveDate> {
    let first = month.with_day(1).unwrap_or(month);
    let mut monday = first - Duration::days(i64::from(first.weekday().num_days_from_monday()));
    let mut out = Vec::new();
    while monday <= last {
        out.push(monday);
        monday += Duration::days(7);
    }
    out
}

/// `visits`: the role of the visitor and the time of each (non-return) visit in `month`.
/// `today` limits the weeks counted while the month runs.
pub fn cadence_progress(
    targets: &[CadenceTarget],
    month: NaiveDate,
    today: NaiveDate,
    visits: &[(Role, DateTime<Utc>)],
) -> Vec<CadenceProgress> {
    let first = month.with_day(1).unwrap_or(month);
    let month_last = super::reporting::next_month(first) - Duration::days(1);
    let last = today.min(month_last);
    targets
        .iter()
        .map(|t| {
            let days: Vec<NaiveDate> = visits
                .iter()
                .filter(|(r, _)| *r == t.role)
                .map(|(_, at)| local_date(*at))
                .filter(|d| *d >= first && *d <= month_last)
                .collect();
            let (required, done) = match t.per {
                CadencePeriod::Month => {
                    let n = u32::try_from(days.len()).unwrap_or(u32::MAX);
                    (t.times, n.min(t.times))
                }
                CadencePeriod::Week => {
                    let ws = if last < first {
                        Vec::new()
                    } else {
                        weeks(first, last)
                    };
                    let done = ws
                        .iter()
                        .map(|m| {
                            let n = days
                                .iter()
                                .filter(|d| **d >= *m && **d < *m + Duration::days(7))
                                .count();
                            u32::try_from(n).unwrap_or(u32::MAX).min(t.times)
                        })
                        .sum();
                    (u32::try_from(ws.len()).unwrap_or(0) * t.times, done)
                }
            };
            CadenceProgress {
                target: *t,
                required,
                done,
                met: done >= required,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::work_orders::sla::china;
    use chrono::TimeZone;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, day).expect("date")
    }
    fn at(day: u32) -> DateTime<Utc> {
        china()
            .with_ymd_and_hms(2026, 11, day, 10, 0, 0)
            .single()
            .expect("t")
            .with_timezone(&Utc)
    }
    fn weekly(role: Role) -> CadenceTarget {
        CadenceTarget {
            role,
            per: CadencePeriod::Week,
            times: 1,
        }
    }

    #[test]
    fn weekly_targets_count_each_week_begun() {
        // 2026-11-01 is a Sunday: its week (Oct 26 – Nov 1) is the month's first.
        let t = [weekly(Role::CenterMgr)];
        let p = cadence_progress(&t, d(1), d(1), &[]);
        assert_eq!((p[0].required, p[0].done), (1, 0));
        let p = cadence_progress(&t, d(1), d(2), &[(Role::CenterMgr, at(1))]);
        assert_eq!((p[0].required, p[0].done, p[0].met), (2, 1, false));
        // Two visits in one week count once; someone else's visits not at all.
        let v = [
            (Role::CenterMgr, at(2)),
            (Role::CenterMgr, at(3)),
            (Role::CsMgr, at(10)),
        ];
        let p = cadence_progress(&t, d(1), d(30), &v);
        assert_eq!((p[0].required, p[0].done), (6, 1));
    }

    #[test]
    fn monthly_targets_cap_at_their_times() {
        let t = [CadenceTarget {
            role: Role::CenterMgr,
            per: CadencePeriod::Month,
            times: 3,
        }];
        let v: Vec<_> = (2..6).map(|day| (Role::CenterMgr, at(day))).collect();
        let p = cadence_progress(&t, d(1), d(10), &v[..2]);
        assert_eq!((p[0].required, p[0].done, p[0].met), (3, 2, false));
        let p = cadence_progress(&t, d(1), d(10), &v);
        assert_eq!((p[0].done, p[0].met), (3, true));
    }
}
