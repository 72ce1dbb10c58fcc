//! A site's repair policy: where the documents disagree (requirements §4 C1–C3, C8, C9), each
//! reading is a preset named after its source and the site picks one. Stored per site on the
//! server and shipped to devices with the reference data, so phones judge clocks offline.

use super::sla::SlaPolicy;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// How repair fees are collected (§4 C9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum BillingPolicy {
    /// S1 §六.3: on `batch_day` the confirmed charges go into each household's 付款请求书,
    /// payable up to and including `due_day`; after that a 业务员 collects at the door.
    Monthly { batch_day: u32, due_day: u32 },
    /// S3 篇3: the technician takes the resident to the finance office to pay at once; each
    /// closed job is its own request, due the day it closed.
    AtFinance,
}

impl BillingPolicy {
    pub const S1_MONTHLY: BillingPolicy = BillingPolicy::Monthly {
        batch_day: 15,
        due_day: 20,
    };

    /// The due date of a request issued on `issued`: the `due_day` of the same month when it
    /// is still ahead, else of the next month.
    pub fn due_date(&self, issued: NaiveDate) -> NaiveDate {
        match *self {
            BillingPolicy::AtFinance => issued,
            BillingPolicy::Monthly { due_day, .. } => {
                let day = due_day.clamp(1, 28);
                if issued.day() <= day {
                    issued.with_day(day).unwrap_or(issued)
                } else {
                    let (y, m) = if issued.month() == 12 {
                        (issued.year() + 1, 1)
                    } else {
                        (issued.year(), issued.month() + 1)
                    };
                    NaiveDate::from_ymd_opt(y, m, day).unwrap_or(issued)
                }
            }
        }
    }

    /// The scheduled batch date of a month.
    pub fn batch_date(&self, year: i32, month: u32) -> Option<NaiveDate> {
        match *self {
            BillingPolicy::AtFinance => None,
            BillingPolicy::Monthly { batch_day, .. } => {
                NaiveDate::from_ymd_opt(year, month, batch_day.clamp(1, 28))
            }
        }
    }
}

/// Names of the three copies of the printed ticket (§4 C8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketCopies {
    /// S3 篇3 《日常报修单》: copy 1 客服部, copy 2 工程部经理, copy 3 财务部.
    S3Departments,
    /// S0 《维修单》: 业户联, 财务联, 存根联.
    S0ResidentFinanceStub,
}

impl TicketCopies {
    pub const fn names(self) -> [&'static str; 3] {
        match self {
            TicketCopies::S3Departments => ["第一联 客服部", "第二联 工程部经理", "第三联 财务部"],
            TicketCopies::S0ResidentFinanceStub => ["业户联", "财务联", "存根联"],
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepairPolicy {
    pub sla: SlaPolicy,
    pub billing: BillingPolicy,
    pub copies: TicketCopies,
    /// A repeat of the same item at the same unit within this many days of the earlier job's
    /// completion is a second repair (二次返修, S2 房修): the manager visits before dispatch.
    pub second_repair_days: i64,
    /// Repair records are kept this long (S3 篇3: 保存期3年).
    pub retention_years: u32,
}

impl Default for RepairPolicy {
    fn default() -> Self {
        RepairPolicy {
            sla: SlaPolicy::default(),
            billing: BillingPolicy::S1_MONTHLY,
            copies: TicketCopies::S3Departments,
            second_repair_days: 90,
            retention_years: 3,
        }
    }
}

impl RepairPolicy {
    /// The policy is sane enough to run on: refuses settings a typo would produce.
    pub fn validate(&self) -> Result<(), &'static str> {
        let s = &self.sla;
        let minutes = [
            s.ticket_minutes,
            s.notify_engineering_minutes,
            s.on_site_minutes,
            s.appointment_early_minutes,
            s.out_of_standard_reply_minutes,
            s.developer_notify_minutes,
        ];
        if minutes.iter().any(|m| !(0..=24 * 60).contains(m)) {
            return Err("minutes must be between 0 and 1440");
        }
        let days = [
            s.return_days,
            s.return_days_leak,
            s.material_escalation_days,
            self.second_repair_days,
        ];
        if days.iter().any(|d| !(1..=365).contains(d)) {
            return Err("days must be between 1 and 365");
        }
        if s.month_end_cutoff_days > 7 {
            return Err("the month-end cut-off is at most 7 days");
        }
        if let BillingPolicy::Monthly { batch_day, due_day } = self.billing {
            if !(1..=28).contains(&batch_day) || !(1..=28).contains(&due_day) {
                return Err("billing days must be between 1 and 28");
            }
        }
        if !(1..=30).contains(&self.retention_years) {
            return Err("retention must be between 1 and 30 years");
        }
        Ok(())
    }
}

/// The last day a record made at `closed` must still be kept.
pub fn retain_until(closed: NaiveDate, years: u32) -> NaiveDate {
    let y = closed.year() + i32::try_from(years).unwrap_or(3);
    NaiveDate::from_ymd_opt(y, closed.month(), closed.day())
        .or_else(|| NaiveDate::from_ymd_opt(y, closed.month(), 28))
        .unwrap_or(closed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn requests_issued_on_the_15th_are_due_on_the_20th() {
        let p = BillingPolicy::S1_MONTHLY;
        assert_eq!(p.batch_date(2026, 11), Some(d(2026, 11, 15)));
        assert_eq!(p.due_date(d(2026, 11, 15)), d(2026, 11, 20));
        assert_eq!(p.due_date(d(2026, 11, 20)), d(2026, 11, 20));
        // A batch run late, after the 20th, is due on the next month's 20th.
        assert_eq!(p.due_date(d(2026, 11, 21)), d(2026, 12, 20));
        assert_eq!(p.due_date(d(2026, 12, 21)), d(2027, 1, 20));
        assert_eq!(
            BillingPolicy::AtFinance.due_date(d(2026, 11, 21)),
            d(2026, 11, 21)
        );
        assert_eq!(BillingPolicy::AtFinance.batch_date(2026, 11), None);
    }

    #[test]
    fn records_are_kept_three_years() {
        assert_eq!(retain_until(d(2026, 11, 21), 3), d(2029, 11, 21));
        assert_eq!(retain_until(d(2028, 2, 29), 3), d(2031, 2, 28));
    }

    #[test]
    fn the_default_policy_is_valid_and_typos_are_refused() {
        assert_eq!(RepairPolicy::default().validate(), Ok(()));
        let mut p = RepairPolicy::default();
        p.sla.on_site_minutes = -15;
        assert!(p.validate().is_err());
        let p = RepairPolicy {
            billing: BillingPolicy::Monthly {
                batch_day: 31,
                due_day: 20,
            },
            ..RepairPolicy::default()
        };
        assert!(p.validate().is_err());
        assert_eq!(
            TicketCopies::S0ResidentFinanceStub.names(),
            ["业户联", "财务联", "存根联"]
        );
    }
}
