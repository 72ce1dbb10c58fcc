//! Per-site settings of customer care. Where the documents disagree (requirements §4) each
//! reading is a preset; the site picks one, nothing is hard-coded.

use crate::calendar::WorkCalendar;
use serde::{Deserialize, Serialize};

/// When a complaint must first be answered (§4 C10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ComplaintReplyPreset {
    /// S3 篇5 (default): verbal the same day; written the same day and a written reply the next
    /// working day; never more than one working day.
    S3SameDay,
    /// S1: within 24 hours.
    S1Hours24,
    /// S0 intro: within 48 hours, a solution within one week.
    S0Hours48,
    /// S2 #16: within 2 hours.
    S2Hours2,
}

/// When and how often repairs are visited (§4 C4, C5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RepairVisitPreset {
    /// S3 篇4 (default): between one and two months after completion, at least 30 % with a
    /// month-end top-up; dissatisfied, unrated or unsigned tickets at once (daily).
    S3OneToTwoMonths,
    /// S0 第4/6/10/12篇: every entrusted repair within 24 hours of completion.
    S0Within24h,
    /// S1 §二.5, §五.5–7: every repair; urgent within 24 h and again 2 days later, leaks within
    /// 3 days and again after rain, others within a week.
    S1ByCategory,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CarePolicy {
    pub complaint_reply: ComplaintReplyPreset,
    pub repair_visits: RepairVisitPreset,
    /// Required share of closed repairs visited in a month (S3 篇4: ≥30 %).
    pub repair_visit_rate_percent: u32,
    /// Complaint return visit within this many days of closing (S3 篇4: 3).
    pub complaint_visit_days: i64,
    /// A problem found on a visit reaches the technician in writing within this many hours (S1).
    pub rectification_hours: i64,
    /// Holidays and swapped workdays for every working-day deadline.
    #[serde(default)]
    pub calendar: WorkCalendar,
}

impl Default for CarePolicy {
    fn default() -> Self {
        CarePolicy {
            complaint_reply: ComplaintReplyPreset::S3SameDay,
            repair_visits: RepairVisitPreset::S3OneToTwoMonths,
            repair_visit_rate_percent: 30,
            complaint_visit_days: 3,
            rectification_hours: 12,
            calendar: WorkCalendar::default(),
        }
    }
}

impl CarePolicy {
    pub fn validate(&self) -> Result<(), &'static str> {
        if self.repair_visit_rate_percent > 100 {
            return Err("repair_visit_rate_percent must be 0–100");
        }
        if !(1..=30).contains(&self.complaint_visit_days) {
            return Err("complaint_visit_days must be 1–30");
        }
        if !(1..=72).contains(&self.rectification_hours) {
            return Err("rectification_hours must be 1–72");
        }
        Ok(())
    }
}
