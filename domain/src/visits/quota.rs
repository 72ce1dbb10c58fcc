//! The monthly resident-visit quota by occupied households (requirements §3.3, §5.3 rule 25):
//! N ≤ 300: 4 %, 300 < N ≤ 500: 5 %, 500 < N ≤ 800: 6 %, N > 800: 7 %. Distinct households,
//! return visits excluded. Also the month's progress toward it and the year's coverage of every
//! occupied household ("not visited this year").

use crate::ids::{StaffId, UnitId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};

/// The tier a site falls in and what it must do this month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitQuota {
    pub occupied_households: u32,
    /// The tier's rate in whole percent.
    pub rate_percent: u32,
    /// Distinct households to visit this month, rounded up (a quota is a floor: "≥").
    pub visits_required: u32,
}

pub fn monthly_visit_quota(occupied_households: u32) -> VisitQuota {
    let rate_percent = match occupied_households {
        0..=300 => 4,
        301..=500 => 5,
        501..=800 => 6,
        _ => 7,
    };
    let visits_required = (u64::from(occupied_households) * u64::from(rate_percent)).div_ceil(100);
    VisitQuota {
        occupied_households,
        rate_percent,
        visits_required: u32::try_from(visits_required).unwrap_or(u32::MAX),
    }
}

/// One contact with a household, as the counting sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CountedVisit {
    pub unit_id: UnitId,
    pub visitor: StaffId,
    pub at: DateTime<Utc>,
    /// A 回访 (follow-up of a complaint or a repair): never counted toward the quota.
    pub return_visit: bool,
}

/// One visitor's share of the month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitorCount {
    pub visitor: StaffId,
    /// Every visit they recorded (repeats included).
    pub visits: u32,
    /// Households they were the first to visit this month (what counts toward the quota).
    pub households: u32,
}

/// The month's progress toward the quota.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuotaProgress {
    pub quota: VisitQuota,
    /// Distinct households visited (return visits excluded, a repeat visit counted once).
    pub visited: u32,
    /// Households still to visit to meet the quota (0 once met).
    pub deficit: u32,
    /// Visited households as a share of the occupied ones, in percent with one decimal, to
    /// compare with `quota.rate_percent`.
    pub rate_percent: f64,
    /// Visits to a household already visited this month (recorded, not counted).
    pub repeat_visits: u32,
    /// 回访 done this month (not counted).
    pub return_visits: u32,
    pub met: bool,
    /// In the order of their counted households, most first.
    pub by_visitor: Vec<VisitorCount>,
}

fn percent_1dp(part: u32, whole: u32) -> f64 {
    if whole == 0 {
        return 0.0;
    }
    (f64::from(part) * 1000.0 / f64::from(whole)).round() / 10.0
}

/// Counts `visits` (those of one month; the caller selects them) against the quota of
/// `occupied_households`. Only occupied households should be passed in; the first visit to a
/// household is the one that counts, so the credit goes to whoever came first.
pub fn quota_progress(occupied_households: u32, visits: &[CountedVisit]) -> QuotaProgress {
    let quota = monthly_visit_quota(occupied_households);
    let mut ordered: Vec<&CountedVisit> = visits.iter().collect();
    ordered.sort_by_key(|v| v.at);
    let mut seen: HashSet<UnitId> = HashSet::new();
    let mut per: BTreeMap<StaffId, VisitorCount> = BTreeMap::new();
    let (mut repeat_visits, mut return_visits) = (0, 0);
    for v in ordered {
        if v.return_visit {
            return_visits += 1;
            continue;
        }
        let c = per.entry(v.visitor).or_insert(VisitorCount {
            visitor: v.visitor,
            visits: 0,
            households: 0,
        });
        c.visits += 1;
        if seen.insert(v.unit_id) {
            c.households += 1;
        } else {
            repeat_visits += 1;
        }
    }
    let visited = u32::try_from(seen.len()).unwrap_or(u32::MAX);
    let mut by_visitor: Vec<VisitorCount> = per.into_values().collect();
    by_visitor.sort_by(|a, b| {
        b.households
            .cmp(&a.households)
            .then(b.visits.cmp(&a.visits))
    });
    QuotaProgress {
        quota,
        visited,
        deficit: quota.visits_required.saturating_sub(visited),
        rate_percent: percent_1dp(visited, occupied_households),
        repeat_visits,
        return_visits,
        met: visited >= quota.visits_required,
        by_visitor,
    }
}

/// The calendar year's coverage: every occupied household visited once a year (100 %).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct YearCoverage {
    pub year: i32,
    pub occupied_households: u32,
    pub visited: u32,
    pub not_visited: u32,
    pub rate_percent: f64,
}

/// `visited` is the number of distinct occupied households with a (non-return) visit in `year`.
pub fn year_coverage(year: i32, occupied_households: u32, visited: u32) -> YearCoverage {
    let visited = visited.min(occupied_households);
    YearCoverage {
        year,
        occupied_households,
        visited,
        not_visited: occupied_households - visited,
        rate_percent: percent_1dp(visited, occupied_households),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use uuid::Uuid;

    fn unit(n: u128) -> UnitId {
        UnitId(Uuid::from_u128(n))
    }
    fn staff(n: u128) -> StaffId {
        StaffId(Uuid::from_u128(1000 + n))
    }
    fn visit(u: u128, by: u128, day: u32, return_visit: bool) -> CountedVisit {
        CountedVisit {
            unit_id: unit(u),
            visitor: staff(by),
            at: Utc
                .with_ymd_and_hms(2026, 11, day, 2, 0, 0)
                .single()
                .expect("time"),
            return_visit,
        }
    }

    #[test]
    fn a_repeat_visit_to_a_household_is_not_counted_again() {
        let p = quota_progress(600, &[visit(1, 1, 2, false), visit(1, 2, 3, false)]);
        assert_eq!(p.visited, 1);
        assert_eq!(p.repeat_visits, 1);
        assert_eq!(p.quota.visits_required, 36);
        assert_eq!(p.deficit, 35);
        // The first visitor gets the household; the second only the visit.
        assert_eq!(p.by_visitor[0].visitor, staff(1));
        assert_eq!((p.by_visitor[0].visits, p.by_visitor[0].households), (1, 1));
        assert_eq!((p.by_visitor[1].visits, p.by_visitor[1].households), (1, 0));
    }

    #[test]
    fn return_visits_are_excluded() {
        let p = quota_progress(300, &[visit(1, 1, 2, true), visit(2, 1, 2, true)]);
        assert_eq!((p.visited, p.return_visits, p.deficit), (0, 2, 12));
        assert!(p.by_visitor.is_empty());
        // A household visited on a return visit and then visited: counted once, by the visit.
        let p = quota_progress(300, &[visit(1, 1, 2, true), visit(1, 2, 3, false)]);
        assert_eq!((p.visited, p.repeat_visits, p.return_visits), (1, 0, 1));
    }

    #[test]
    fn the_quota_is_met_at_the_required_number_not_before() {
        let visits: Vec<_> = (0..12).map(|u| visit(u, 1, 5, false)).collect();
        let p = quota_progress(300, &visits[..11]);
        assert_eq!((p.visited, p.deficit, p.met), (11, 1, false));
        let p = quota_progress(300, &visits);
        assert_eq!((p.visited, p.deficit, p.met), (12, 0, true));
        assert_eq!(p.rate_percent, 4.0);
        // Above the quota, the deficit stays 0.
        let more: Vec<_> = (0..20).map(|u| visit(u, 1, 5, false)).collect();
        assert_eq!(quota_progress(300, &more).deficit, 0);
    }

    #[test]
    fn the_rate_has_one_decimal() {
        let visits: Vec<_> = (0..1).map(|u| visit(u, 1, 5, false)).collect();
        assert_eq!(quota_progress(600, &visits).rate_percent, 0.2);
        assert_eq!(quota_progress(0, &[]).rate_percent, 0.0);
    }

    #[test]
    fn the_year_counts_toward_every_household() {
        let y = year_coverage(2026, 600, 150);
        assert_eq!((y.not_visited, y.rate_percent), (450, 25.0));
        assert_eq!(year_coverage(2026, 10, 12).not_visited, 0);
    }

    #[test]
    fn tiers_at_their_boundaries() {
        let cases = [
            (0, 4, 0),
            (300, 4, 12),
            (301, 5, 16), // 15.05 → 16
            (500, 5, 25),
            (501, 6, 31), // 30.06 → 31
            (600, 6, 36),
            (800, 6, 48),
            (801, 7, 57), // 56.07 → 57
        ];
        for (n, rate, visits) in cases {
            let q = monthly_visit_quota(n);
            assert_eq!(
                (q.rate_percent, q.visits_required),
                (rate, visits),
                "N = {n}"
            );
        }
    }
}
