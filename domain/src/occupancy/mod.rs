//! 入伙 / 退租: the front desk's move-in and tenant move-out procedures (S0 第9篇
//! "某住宅小区业户入伙退租工作规程"; requirements §2.13.1, §2.13.2, §2.18, §5.2 rule 24).
//!
//! Where each rule lives: the owner's move-in (papers, fees, handover inspection, rectification
//! and keys) in [`move_in`]; the tenant's move-out (owner's entrustment, security review, joint
//! inspection, settlement, passes, moved out) in [`move_out`]; 住户卡 (one per person, 按金 for
//! tenants and non-direct relatives) and the TV tail line (one per household) in [`cards`].
//! Pure: callers pass `now`, today's date in China and what the database knows (facts).

pub mod cards;
pub mod move_in;
pub mod move_out;

#[cfg(test)]
mod tests;

use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// The next working day after `day` (Saturdays and Sundays skipped; the seeds name no holiday
/// calendar). A rectification reported done on `day` is answered by then (S4 item 13).
pub fn next_working_day(day: NaiveDate) -> NaiveDate {
    let mut d = day + Duration::days(1);
    while matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
        d += Duration::days(1);
    }
    d
}

/// Trims a required free text and bounds its length.
pub(crate) fn text(s: &str, max: usize) -> Option<String> {
    let t = s.trim();
    if t.is_empty() || t.chars().count() > max {
        None
    } else {
        Some(t.to_owned())
    }
}

/// Trims an optional free text; `None` when too long.
pub(crate) fn optional_text(s: &str, max: usize) -> Option<String> {
    let t = s.trim();
    (t.chars().count() <= max).then(|| t.to_owned())
}

/// 管理处 front office: the desk and the managers above it (and the administrator).
pub fn is_front_office(role: crate::people::Role) -> bool {
    use crate::people::Role::*;
    matches!(role, Desk | CsMgr | CenterMgr | Admin)
}
