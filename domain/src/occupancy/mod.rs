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

/// REST views: the records with their unit's label ("8栋1单元801").
pub mod views {
    use super::cards::{CardHolder, CardStatus, ResidentCard};
    use super::move_in::MoveIn;
    use super::move_out::MoveOut;
    use crate::ids::UnitId;
    use crate::money::Fen;
    use chrono::{DateTime, NaiveDate, Utc};
    use serde::{Deserialize, Serialize};
    use uuid::Uuid;

    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct MoveInView {
        pub record: MoveIn,
        pub unit_label: String,
        /// Rectification items whose reply to the owner is late (shown red).
        pub overdue_items: Vec<u32>,
        pub today: NaiveDate,
    }

    impl MoveInView {
        pub fn new(record: MoveIn, unit_label: String, today: NaiveDate) -> MoveInView {
            let overdue_items = record.overdue_replies(today).iter().map(|i| i.no).collect();
            MoveInView {
                record,
                unit_label,
                overdue_items,
                today,
            }
        }
    }

    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct MoveOutView {
        pub record: MoveOut,
        pub unit_label: String,
    }

    /// A 住户卡 as shown: the ID number masked.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct CardView {
        pub id: Uuid,
        pub unit_id: UnitId,
        pub unit_label: String,
        pub card_no: String,
        pub holder_name: String,
        pub id_card_masked: String,
        pub holder: CardHolder,
        pub photos: u32,
        pub fee: Fen,
        pub deposit: Fen,
        pub status: CardStatus,
        pub issued_at: DateTime<Utc>,
        pub returned_at: Option<DateTime<Utc>>,
    }

    impl CardView {
        pub fn new(c: &ResidentCard, unit_label: String) -> CardView {
            CardView {
                id: c.id,
                unit_id: c.unit_id,
                unit_label,
                card_no: c.card_no.clone(),
                holder_name: c.holder_name.clone(),
                id_card_masked: c.id_card.masked(),
                holder: c.holder,
                photos: c.photos,
                fee: c.fee,
                deposit: c.deposit,
                status: c.status,
                issued_at: c.issued_at,
                returned_at: c.returned_at,
            }
        }
    }

    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct TailLineView {
        pub unit_id: UnitId,
        pub unit_label: String,
        pub collector_name: String,
        pub issued_at: DateTime<Utc>,
    }
}
