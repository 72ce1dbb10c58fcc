//! The customer-service manager's monthly figures (S3 篇5: 月度投诉统计、分析及报告; S3 篇4:
//! 《业户回访记录月报表》): complaints by class, department and month, first-reply compliance,
//! and return-visit rates against their targets (complaints 100 %, repairs ≥30 %).

use super::complaint::{clocks, effective_class, Class, ClockKind, Complaint, Department};
use super::policy::CarePolicy;
use crate::calendar::local_date;
use crate::work_orders::sla::ClockState;
use chrono::{DateTime, Datelike, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplaintStats {
    pub total: u32,
    pub valid: u32,
    pub invalid: u32,
    /// Valid complaints by their class as it stands (escalations included).
    pub by_class: BTreeMap<Class, u32>,
    pub by_department: BTreeMap<Department, u32>,
    /// "YYYY-MM" → count, by the month received (China time).
    pub by_month: BTreeMap<String, u32>,
    /// First replies due so far: on time, late (done late or still missing past due).
    pub reply_on_time: u32,
    pub reply_late: u32,
    pub open: u32,
    pub closed: u32,
}

impl ComplaintStats {
    /// First-reply compliance in tenths of a percent; `None` when nothing was due yet.
    pub fn reply_compliance_permille(&self) -> Option<u32> {
        super::return_visit::rate_permille(self.reply_on_time, self.reply_on_time + self.reply_late)
    }
}

pub fn month_key(t: DateTime<Utc>) -> String {
    let d = local_date(t);
    format!("{:04}-{:02}", d.year(), d.month())
}

/// Figures over the complaints given (the caller picks the period).
pub fn complaint_stats(cs: &[Complaint], p: &CarePolicy, now: DateTime<Utc>) -> ComplaintStats {
    let mut s = ComplaintStats::default();
    for c in cs {
        s.total += 1;
        *s.by_month.entry(month_key(c.received_at)).or_default() += 1;
        match c.valid {
            Some(true) => {
                s.valid += 1;
                if let Some((class, _)) = effective_class(c, now) {
                    *s.by_class.entry(class).or_default() += 1;
                }
                if let Some(d) = c.department {
                    *s.by_department.entry(d).or_default() += 1;
                }
            }
            Some(false) => s.invalid += 1,
            None => {}
        }
        if c.closed_at.is_some() {
            s.closed += 1;
        } else {
            s.open += 1;
        }
        for k in clocks(c, p, now) {
            if k.kind != ClockKind::FirstReply {
                continue;
            }
            match k.state {
                ClockState::Met { .. } => s.reply_on_time += 1,
                ClockState::Breached { .. } => s.reply_late += 1,
                ClockState::Running { .. } => {}
            }
        }
    }
    s
}

/// Return visits of one kind in a period: what was due, what was done.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitRate {
    /// Closed items that count (closed complaints; closed resident repairs).
    pub base: u32,
    /// Of those, visited.
    pub visited: u32,
    /// The target in percent (100 for complaints, the site's rate for repairs).
    pub target_percent: u32,
}

impl VisitRate {
    pub fn rate_permille(&self) -> Option<u32> {
        super::return_visit::rate_permille(self.visited, self.base)
    }
    /// Met when the rate reaches the target (nothing due counts as met).
    pub fn met(&self) -> bool {
        u64::from(self.visited) * 100 >= u64::from(self.base) * u64::from(self.target_percent)
    }
}
