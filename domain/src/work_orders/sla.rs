//! SLA clocks of a repair ticket (requirements §5.1, §2.1–2.5): each rule a pure function over
//! trusted timestamps. Where the documents disagree (§4 C1–C3) the numbers are a per-site
//! [`SlaPolicy`], with presets named after the document they come from.

use super::model::{RepairKind, Timing, WorkOrder, WorkOrderStatus};
use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// China Standard Time: the documents' "same day", "month end" and office hours are local.
pub fn china() -> FixedOffset {
    const CST: FixedOffset = match FixedOffset::east_opt(8 * 3600) {
        Some(o) => o,
        None => panic!("UTC+8 is a valid offset"),
    };
    CST
}

/// The numbers behind the clocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaPolicy {
    /// 日常报修单 filled in after the first contact.
    pub ticket_minutes: i64,
    /// Engineering told after the ticket.
    pub notify_engineering_minutes: i64,
    /// On site after 接单 for common-area and immediate jobs.
    pub on_site_minutes: i64,
    /// Arrive this long before an appointment.
    pub appointment_early_minutes: i64,
    /// Engineering manager's reply for items outside the paid fee standard.
    pub out_of_standard_reply_minutes: i64,
    /// Developer's supervision department told of an in-warranty quality complaint.
    pub developer_notify_minutes: i64,
    /// The ticket comes back (回单) within this many days.
    pub return_days: i64,
    /// … or this many for leaks, where the document distinguishes them.
    pub return_days_leak: i64,
    /// A shortage of materials is escalated after this many days.
    pub material_escalation_days: i64,
    /// Tickets of the last N days of a month count in the next month.
    pub month_end_cutoff_days: u32,
}

impl SlaPolicy {
    /// S3 篇3 《某物业辖区业户报修工作流程》 with S1's 3-day return and month-end rules.
    pub const S3_PROPERTY_DISTRICT: SlaPolicy = SlaPolicy {
        ticket_minutes: 5,
        notify_engineering_minutes: 2,
        on_site_minutes: 15,
        appointment_early_minutes: 5,
        out_of_standard_reply_minutes: 15,
        developer_notify_minutes: 5,
        return_days: 3,
        return_days_leak: 3,
        material_escalation_days: 3,
        month_end_cutoff_days: 2,
    };

    /// S2 《客户服务房修中心管理办法》: 10-minute hand-off, 30-minute visit, 6 / 12-day returns.
    pub const S2_HOUSE_REPAIR_CENTRE: SlaPolicy = SlaPolicy {
        ticket_minutes: 10,
        notify_engineering_minutes: 10,
        on_site_minutes: 30,
        appointment_early_minutes: 5,
        out_of_standard_reply_minutes: 30,
        developer_notify_minutes: 10,
        return_days: 6,
        return_days_leak: 12,
        material_escalation_days: 3,
        month_end_cutoff_days: 2,
    };
}

impl Default for SlaPolicy {
    fn default() -> Self {
        SlaPolicy::S3_PROPERTY_DISTRICT
    }
}

/// A clock's state at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ClockState {
    Running {
        due: DateTime<Utc>,
    },
    Met {
        due: DateTime<Utc>,
        at: DateTime<Utc>,
    },
    /// Past due; `at` is when it finished late, if it has.
    Breached {
        due: DateTime<Utc>,
        at: Option<DateTime<Utc>>,
    },
}

impl ClockState {
    pub fn is_breached(&self) -> bool {
        matches!(self, ClockState::Breached { .. })
    }
}

/// Judges a clock: done at or before `due` is met (the boundary minute counts as on time).
pub fn judge(due: DateTime<Utc>, done: Option<DateTime<Utc>>, now: DateTime<Utc>) -> ClockState {
    match done {
        Some(at) if at <= due => ClockState::Met { due, at },
        Some(at) => ClockState::Breached { due, at: Some(at) },
        None if now > due => ClockState::Breached { due, at: None },
        None => ClockState::Running { due },
    }
}

/// The time of an act as the server trusts it: the device's clock corrected by the offset
/// learned at its last sync (server minus device), never later than its arrival.
pub fn trusted(
    device_time: DateTime<Utc>,
    offset_ms: i64,
    received_at: DateTime<Utc>,
) -> DateTime<Utc> {
    (device_time + Duration::milliseconds(offset_ms)).min(received_at)
}

/// Offsets larger than this are flagged on the board (the phone's clock is wrong).
pub const SKEW_FLAG_MS: i64 = 5 * 60 * 1000;

pub fn minutes_after(t: DateTime<Utc>, m: i64) -> DateTime<Utc> {
    t + Duration::minutes(m)
}

/// The month a ticket is reported in: the last `cutoff_days` days of a month count in the next
/// month (S1 维修单处理 §7), by China time.
pub fn report_month(created_at: DateTime<Utc>, cutoff_days: u32) -> (i32, u32) {
    let local = created_at.with_timezone(&china()).date_naive();
    let (y, m) = (local.year(), local.month());
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    let first_of_next = NaiveDate::from_ymd_opt(ny, nm, 1).unwrap_or(local);
    let days_left = (first_of_next - local).num_days();
    if cutoff_days > 0 && days_left <= i64::from(cutoff_days) {
        (ny, nm)
    } else {
        (y, m)
    }
}

/// The clocks of a repair ticket (requirements §5.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockKind {
    /// 报修单 filled in ≤5 min after the call.
    Ticket,
    /// Engineering told ≤2 min after the ticket.
    EngineeringNotified,
    /// On site ≤15 min (common area and immediate jobs after 接单; urgent jobs after the call).
    OnSite,
    /// On site 5 min before the appointment.
    Appointment,
    /// The engineering manager's reply ≤15 min for items outside the fee standard.
    OutOfStandardReply,
    /// The developer's supervision department told ≤5 min (in-warranty complaints).
    DeveloperNotified,
    /// 回单: the ticket back within 3 days (6/12 under S2).
    Returned,
    /// A material shortage escalated after 3 days.
    MaterialEscalation,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clock {
    pub kind: ClockKind,
    pub state: ClockState,
}

/// Every clock that applies to `wo`, judged at `now`.
pub fn clocks(wo: &WorkOrder, p: &SlaPolicy, now: DateTime<Utc>) -> Vec<Clock> {
    use ClockKind::*;
    let mut out = Vec::new();
    let mut push = |kind, due, done| {
        out.push(Clock {
            kind,
            state: judge(due, done, now),
        })
    };
    let urgent = matches!(wo.kind, RepairKind::Urgent | RepairKind::Emergency);
    if let Some(c) = wo.contacted_at {
        push(
            Ticket,
            minutes_after(c, p.ticket_minutes),
            Some(wo.reported_at),
        );
    }
    if !wo.retroactive && wo.status != WorkOrderStatus::Referred {
        push(
            EngineeringNotified,
            minutes_after(wo.reported_at, p.notify_engineering_minutes),
            wo.eng_notified_at,
        );
    }
    match wo.timing {
        Timing::Appointment { at } if !urgent => {
            push(
                Appointment,
                minutes_after(at, -p.appointment_early_minutes),
                wo.arrived_at,
            );
        }
        _ => {
            let start = if urgent {
                Some(wo.reported_at)
            } else if wo.common_area || wo.timing == Timing::Immediate {
                wo.accepted_at
            } else {
                None
            };
            if let Some(s) = start {
                push(OnSite, minutes_after(s, p.on_site_minutes), wo.arrived_at);
            }
        }
    }
    if wo.kind == RepairKind::Daily && !wo.common_area && wo.matched.is_none() {
        let start = wo.eng_notified_at.unwrap_or(wo.reported_at);
        push(
            OutOfStandardReply,
            minutes_after(start, p.out_of_standard_reply_minutes),
            wo.reply.as_ref().map(|r| r.at),
        );
    }
    if wo.kind == RepairKind::WarrantyComplaint {
        push(
            DeveloperNotified,
            minutes_after(wo.reported_at, p.developer_notify_minutes),
            wo.warranty.as_ref().and_then(|w| w.developer_notified_at),
        );
    }
    if wo.status != WorkOrderStatus::Referred {
        let days = if wo.leak {
            p.return_days_leak
        } else {
            p.return_days
        };
        push(
            Returned,
            wo.reported_at + Duration::days(days),
            wo.closed_at,
        );
    }
    if let Some(s) = &wo.shortage {
        push(
            MaterialEscalation,
            s.reported_at + Duration::days(p.material_escalation_days),
            s.arrived_at,
        );
    }
    out
}

/// Emergencies first, then urgent repairs, then second repairs, then the rest.
pub fn urgency_rank(wo: &WorkOrder) -> u8 {
    match wo.kind {
        RepairKind::Emergency => 0,
        RepairKind::Urgent => 1,
        _ if wo.second_repair_of.is_some() => 2,
        _ => 3,
    }
}

/// The dispatch board's order: by urgency, then by the earliest due time of a clock still
/// open (running or breached and not done), jobs without one last, then by ticket time.
pub fn board_key(
    wo: &WorkOrder,
    p: &SlaPolicy,
    now: DateTime<Utc>,
) -> (u8, DateTime<Utc>, DateTime<Utc>) {
    let due = clocks(wo, p, now)
        .into_iter()
        .filter_map(|c| match c.state {
            ClockState::Running { due } | ClockState::Breached { due, at: None } => Some(due),
            _ => None,
        })
        .min()
        .unwrap_or(DateTime::<Utc>::MAX_UTC);
    (urgency_rank(wo), due, wo.reported_at)
}

/// Whether any clock of the job is breached (the board shows it red).
pub fn any_breached(wo: &WorkOrder, p: &SlaPolicy, now: DateTime<Utc>) -> bool {
    clocks(wo, p, now).iter().any(|c| c.state.is_breached())
}

/// `2026-11` → the first day of that month and of the next (for month filters and reports).
pub fn month_bounds(s: &str) -> Option<(NaiveDate, NaiveDate)> {
    let (y, m) = s.trim().split_once('-')?;
    if y.len() != 4 || m.len() != 2 {
        return None;
    }
    let start = NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, 1)?;
    let end = start.checked_add_months(chrono::Months::new(1))?;
    Some((start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("time")
            .with_timezone(&Utc)
    }

    #[test]
    fn a_fifteen_minute_clock_counts_the_boundary_minute_as_on_time() {
        let accepted = at("2026-11-21T14:45:00+08:00");
        let due = minutes_after(accepted, SlaPolicy::default().on_site_minutes);
        assert_eq!(due, at("2026-11-21T15:00:00+08:00"));
        let now = at("2026-11-21T16:00:00+08:00");
        assert!(matches!(
            judge(due, Some(at("2026-11-21T15:00:00+08:00")), now),
            ClockState::Met { .. }
        ));
        assert!(judge(due, Some(at("2026-11-21T15:01:00+08:00")), now).is_breached());
        assert!(matches!(
            judge(due, None, at("2026-11-21T14:59:59+08:00")),
            ClockState::Running { .. }
        ));
        assert!(judge(due, None, at("2026-11-21T15:00:01+08:00")).is_breached());
    }

    #[test]
    fn presets_carry_the_documents_numbers() {
        let s3 = SlaPolicy::S3_PROPERTY_DISTRICT;
        assert_eq!(
            (
                s3.ticket_minutes,
                s3.notify_engineering_minutes,
                s3.on_site_minutes,
                s3.appointment_early_minutes
            ),
            (5, 2, 15, 5)
        );
        assert_eq!(
            (
                s3.out_of_standard_reply_minutes,
                s3.developer_notify_minutes,
                s3.return_days
            ),
            (15, 5, 3)
        );
        let s2 = SlaPolicy::S2_HOUSE_REPAIR_CENTRE;
        assert_eq!(
            (s2.on_site_minutes, s2.return_days, s2.return_days_leak),
            (30, 6, 12)
        );
    }

    #[test]
    fn skewed_device_clocks_are_corrected_and_capped() {
        let received = at("2026-11-21T15:10:00+08:00");
        // The phone runs 7 minutes slow: it said 14:58 for an arrival at 15:05.
        assert_eq!(
            trusted(at("2026-11-21T14:58:00+08:00"), 7 * 60_000, received),
            at("2026-11-21T15:05:00+08:00")
        );
        // A phone running fast cannot date an arrival after the server got it.
        assert_eq!(
            trusted(at("2026-11-21T16:00:00+08:00"), 0, received),
            received
        );
    }

    #[test]
    fn month_filters_parse_strictly() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).expect("date");
        assert_eq!(
            month_bounds("2026-12"),
            Some((d(2026, 12, 1), d(2027, 1, 1)))
        );
        assert_eq!(
            month_bounds(" 2026-02 "),
            Some((d(2026, 2, 1), d(2026, 3, 1)))
        );
        for bad in ["2026-13", "2026-1", "26-01", "2026/01", ""] {
            assert_eq!(month_bounds(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_last_two_days_of_a_month_count_in_the_next() {
        let cases = [
            ("2026-11-28T23:59:00+08:00", (2026, 11)),
            ("2026-11-29T00:00:00+08:00", (2026, 12)),
            ("2026-11-30T12:00:00+08:00", (2026, 12)),
            ("2026-12-30T08:00:00+08:00", (2027, 1)),
            ("2026-02-27T08:00:00+08:00", (2026, 3)),
            ("2026-02-26T08:00:00+08:00", (2026, 2)),
            // 16:30 UTC on the 28th is already the 29th in China.
            ("2026-11-28T16:30:00Z", (2026, 12)),
        ];
        for (t, want) in cases {
            assert_eq!(report_month(at(t), 2), want, "{t}");
        }
        assert_eq!(report_month(at("2026-11-30T12:00:00+08:00"), 0), (2026, 11));
    }
}
