//! Repair fees to payment requests (requirements §2.15, S1 §六.3): on the batch day the charges
//! residents confirmed go into each household's 付款请求书, due by the due day; unpaid requests
//! past it go on the list for door collection. Technicians never take cash: only finance marks
//! a request paid.

use super::model::{RepairKind, WorkOrder, WorkOrderStatus};
use super::policy::BillingPolicy;
use super::sla::china;
use crate::ids::{UnitId, WorkOrderId};
use crate::money::Fen;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A confirmed repair fee, ready to bill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Charge {
    pub order_id: WorkOrderId,
    pub number: String,
    pub unit_id: UnitId,
    pub closed_at: DateTime<Utc>,
    pub description: String,
    pub amount: Fen,
}

/// The fee a closed job bills, if any: in-home, not under warranty, with a positive total.
pub fn charge_of(wo: &WorkOrder) -> Option<Charge> {
    if wo.status != WorkOrderStatus::Closed || wo.kind == RepairKind::WarrantyComplaint {
        return None;
    }
    let amount = wo.total()?;
    if amount.0 <= 0 {
        return None;
    }
    Some(Charge {
        order_id: wo.id,
        number: wo.number.clone()?,
        unit_id: wo.unit_id?,
        closed_at: wo.closed_at?,
        description: if wo.scope.is_empty() {
            wo.content.clone()
        } else {
            wo.scope.clone()
        },
        amount,
    })
}

/// One household's 付款请求书 before it is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestDraft {
    pub unit_id: UnitId,
    pub lines: Vec<Charge>,
    pub total: Fen,
    pub issued_on: NaiveDate,
    pub due_on: NaiveDate,
}

/// The batch issued on `issued_on`: every unbilled charge closed on or before that day (China
/// time), grouped by household, in unit then closing order. Charges closed later wait for the
/// next batch.
pub fn build_batch(
    unbilled: &[Charge],
    issued_on: NaiveDate,
    policy: &BillingPolicy,
) -> Vec<RequestDraft> {
    let mut due: Vec<&Charge> = unbilled
        .iter()
        .filter(|c| c.closed_at.with_timezone(&china()).date_naive() <= issued_on)
        .collect();
    due.sort_by_key(|c| (c.unit_id, c.closed_at, c.order_id));
    let mut out: Vec<RequestDraft> = Vec::new();
    for c in due {
        match out.last_mut() {
            Some(r) if r.unit_id == c.unit_id => {
                r.total = Fen(r.total.0.saturating_add(c.amount.0));
                r.lines.push(c.clone());
            }
            _ => out.push(RequestDraft {
                unit_id: c.unit_id,
                lines: vec![c.clone()],
                total: c.amount,
                issued_on,
                due_on: policy.due_date(issued_on),
            }),
        }
    }
    out
}

/// Unpaid after its due day: goes to door collection.
pub fn is_overdue(due_on: NaiveDate, paid: bool, today: NaiveDate) -> bool {
    !paid && today > due_on
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use uuid::Uuid;

    fn charge(n: u128, unit: u128, closed: DateTime<Utc>, fen: i64) -> Charge {
        Charge {
            order_id: WorkOrderId(Uuid::from_u128(n)),
            number: format!("BX-2026-11-{n:04}"),
            unit_id: UnitId(Uuid::from_u128(unit)),
            closed_at: closed,
            description: "换水龙头".into(),
            amount: Fen(fen),
        }
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn a_batch_groups_by_household_and_sums_in_fen() {
        let at = |day, h| Utc.with_ymd_and_hms(2026, 11, day, h, 0, 0).unwrap();
        let charges = vec![
            charge(1, 7, at(3, 2), 3_500),
            charge(2, 8, at(4, 2), 12_000),
            charge(3, 7, at(10, 2), 4_050),
            // 15 Nov 17:00 UTC is already the 16th in China: next batch.
            charge(4, 7, at(15, 17), 9_900),
        ];
        let batch = build_batch(&charges, d(2026, 11, 15), &BillingPolicy::S1_MONTHLY);
        assert_eq!(batch.len(), 2);
        assert_eq!(batch[0].unit_id, UnitId(Uuid::from_u128(7)));
        assert_eq!(batch[0].total, Fen(7_550));
        assert_eq!(batch[0].lines.len(), 2);
        assert_eq!(batch[0].due_on, d(2026, 11, 20));
        assert_eq!(batch[1].total, Fen(12_000));
    }

    #[test]
    fn overdue_starts_the_day_after_the_due_day() {
        let due = d(2026, 11, 20);
        assert!(!is_overdue(due, false, d(2026, 11, 20)));
        assert!(is_overdue(due, false, d(2026, 11, 21)));
        assert!(!is_overdue(due, true, d(2026, 11, 21)));
    }
}
