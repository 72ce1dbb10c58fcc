//! The monthly resident-visit quota by occupied households (requirements §3.3, §5.3 rule 25):
//! N ≤ 300: 4 %, 300 < N ≤ 500: 5 %, 500 < N ≤ 800: 6 %, N > 800: 7 %. Distinct households,
//! return visits excluded.

use serde::{Deserialize, Serialize};

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

#[cfg(test)]
mod tests {
    use super::*;

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
