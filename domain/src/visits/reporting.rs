//! The monthly chain of the visit records (S0 第1/7篇; 第11篇 variant): the 客户服务主管 signs
//! opinions on last month's records and hands them on (by the 5th); the month's 访问业户总结 is
//! written (by the 10th; 第11篇: by the CS supervisor by the 5th); it is reviewed and the measures
//! decided (管理者代表 by the 15th; 第11篇: the director). Steps go in order, each once, by the
//! roles the site's [`VisitPolicy`] names, and only after the month is over.

use super::policy::{StepRule, VisitPolicy};
use crate::ids::{SiteId, StaffId};
use crate::people::Role;
use crate::work_orders::sla::china;
use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportStep {
    /// 访问业户记录签署意见并汇总
    Records,
    /// 访问业户总结
    Summary,
    /// 阅批, measures decided
    Approval,
}

impl ReportStep {
    pub const ALL: [ReportStep; 3] = [
        ReportStep::Records,
        ReportStep::Summary,
        ReportStep::Approval,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            ReportStep::Records => "records",
            ReportStep::Summary => "summary",
            ReportStep::Approval => "approval",
        }
    }

    pub fn parse(s: &str) -> Option<ReportStep> {
        Self::ALL.into_iter().find(|x| x.code() == s)
    }

    pub fn rule(self, policy: &VisitPolicy) -> &StepRule {
        match self {
            ReportStep::Records => &policy.records,
            ReportStep::Summary => &policy.summary,
            ReportStep::Approval => &policy.approval,
        }
    }

    const fn previous(self) -> Option<ReportStep> {
        match self {
            ReportStep::Records => None,
            ReportStep::Summary => Some(ReportStep::Records),
            ReportStep::Approval => Some(ReportStep::Summary),
        }
    }
}

/// Who did a step, when, and what they wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepDone {
    pub by: StaffId,
    pub role: Role,
    pub at: DateTime<Utc>,
    pub text: String,
}

/// One site's chain for one month of visits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitReport {
    pub site_id: SiteId,
    /// The first day of the month whose visits it reports.
    pub month: NaiveDate,
    pub records: Option<StepDone>,
    pub summary: Option<StepDone>,
    pub approval: Option<StepDone>,
}

impl VisitReport {
    pub fn new(site_id: SiteId, month: NaiveDate) -> Self {
        VisitReport {
            site_id,
            month: month.with_day(1).unwrap_or(month),
            records: None,
            summary: None,
            approval: None,
        }
    }

    pub fn step(&self, s: ReportStep) -> Option<&StepDone> {
        match s {
            ReportStep::Records => self.records.as_ref(),
            ReportStep::Summary => self.summary.as_ref(),
            ReportStep::Approval => self.approval.as_ref(),
        }
    }

    fn slot(&mut self, s: ReportStep) -> &mut Option<StepDone> {
        match s {
            ReportStep::Records => &mut self.records,
            ReportStep::Summary => &mut self.summary,
            ReportStep::Approval => &mut self.approval,
        }
    }
}

/// The first day of the month after `month` (when its chain may start).
pub fn next_month(month: NaiveDate) -> NaiveDate {
    let first = month.with_day(1).unwrap_or(month);
    first.checked_add_months(Months::new(1)).unwrap_or(first)
}

/// The day a step of `month`'s chain is due by: that day of the following month.
pub fn due_date(month: NaiveDate, rule: &StepRule) -> Option<NaiveDate> {
    let day = rule.due_day?;
    next_month(month).with_day(day)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepState {
    /// The month is not over: nothing to do yet.
    NotYet,
    /// Waiting, not past its day.
    Due,
    /// Waiting, past its day.
    Overdue,
    /// Done by its day (or it has none).
    Done,
    /// Done, after its day.
    DoneLate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepStatus {
    pub step: ReportStep,
    pub roles: Vec<Role>,
    pub due: Option<NaiveDate>,
    pub state: StepState,
    pub done: Option<StepDone>,
}

fn local_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&china()).date_naive()
}

/// Each step's due date and state on `today` (a local date). "By the 5th" means through the
/// 5th: overdue from the 6th.
pub fn chain_status(
    report: &VisitReport,
    policy: &VisitPolicy,
    today: NaiveDate,
) -> Vec<StepStatus> {
    ReportStep::ALL
        .into_iter()
        .map(|step| {
            let rule = step.rule(policy);
            let due = due_date(report.month, rule);
            let done = report.step(step).cloned();
            let state = match (&done, due) {
                (Some(d), Some(due)) if local_date(d.at) > due => StepState::DoneLate,
                (Some(_), _) => StepState::Done,
                (None, _) if today < next_month(report.month) => StepState::NotYet,
                (None, Some(due)) if today > due => StepState::Overdue,
                (None, _) => StepState::Due,
            };
            StepStatus {
                step,
                roles: rule.roles.clone(),
                due,
                state,
                done,
            }
        })
        .collect()
}

pub const MAX_TEXT_CHARS: usize = 4000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ChainRefusal {
    #[error("the month is not over yet")]
    MonthNotOver,
    #[error("the previous step is not done yet")]
    OutOfOrder,
    #[error("this step is done already")]
    AlreadyDone,
    #[error("the site's policy gives this step to another role")]
    WrongRole,
    #[error("write the opinion, summary or decision (at most 4000 characters)")]
    BadText,
}

impl ChainRefusal {
    pub const fn code(self) -> &'static str {
        match self {
            ChainRefusal::MonthNotOver => "month_not_over",
            ChainRefusal::OutOfOrder => "out_of_order",
            ChainRefusal::AlreadyDone => "already_done",
            ChainRefusal::WrongRole => "wrong_role",
            ChainRefusal::BadText => "bad_text",
        }
    }
}

/// Does `step` of the chain, or refuses. Returns the chain with the step filled in.
pub fn apply_step(
    report: &VisitReport,
    step: ReportStep,
    by: StaffId,
    role: Role,
    text: &str,
    policy: &VisitPolicy,
    now: DateTime<Utc>,
) -> Result<VisitReport, ChainRefusal> {
    if !step.rule(policy).roles.contains(&role) {
        return Err(ChainRefusal::WrongRole);
    }
    if local_date(now) < next_month(report.month) {
        return Err(ChainRefusal::MonthNotOver);
    }
    if report.step(step).is_some() {
        return Err(ChainRefusal::AlreadyDone);
    }
    if let Some(prev) = step.previous() {
        if report.step(prev).is_none() {
            return Err(ChainRefusal::OutOfOrder);
        }
    }
    let text = text.trim();
    if text.is_empty() || text.chars().count() > MAX_TEXT_CHARS {
        return Err(ChainRefusal::BadText);
    }
    let mut next = report.clone();
    *next.slot(step) = Some(StepDone {
        by,
        role,
        at: now,
        text: text.to_owned(),
    });
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use uuid::Uuid;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }
    /// Noon, China time.
    fn noon(y: i32, m: u32, day: u32) -> DateTime<Utc> {
        china()
            .with_ymd_and_hms(y, m, day, 12, 0, 0)
            .single()
            .expect("time")
            .with_timezone(&Utc)
    }
    fn me() -> StaffId {
        StaffId(Uuid::from_u128(7))
    }
    fn nov() -> VisitReport {
        VisitReport::new(SiteId(Uuid::from_u128(1)), d(2026, 11, 1))
    }

    #[test]
    fn due_dates_are_the_5th_10th_and_15th_of_the_next_month() {
        let p = VisitPolicy::s0_1_7();
        let s = chain_status(&nov(), &p, d(2026, 12, 1));
        let dues: Vec<_> = s.iter().map(|x| x.due).collect();
        assert_eq!(
            dues,
            vec![
                Some(d(2026, 12, 5)),
                Some(d(2026, 12, 10)),
                Some(d(2026, 12, 15))
            ]
        );
        // December's chain runs into January.
        let dec = VisitReport::new(SiteId(Uuid::from_u128(1)), d(2026, 12, 1));
        assert_eq!(
            chain_status(&dec, &p, d(2027, 1, 1))[0].due,
            Some(d(2027, 1, 5))
        );
        // 第11篇: the summary by the 5th; the director's decision has no day.
        let q = VisitPolicy::s0_5_11();
        let s = chain_status(&nov(), &q, d(2026, 12, 1));
        assert_eq!(s[1].due, Some(d(2026, 12, 5)));
        assert_eq!(s[2].due, None);
    }

    #[test]
    fn a_step_is_overdue_the_day_after_its_day() {
        let p = VisitPolicy::s0_1_7();
        let state = |today| chain_status(&nov(), &p, today)[0].state;
        assert_eq!(state(d(2026, 11, 30)), StepState::NotYet);
        assert_eq!(state(d(2026, 12, 1)), StepState::Due);
        assert_eq!(state(d(2026, 12, 5)), StepState::Due);
        assert_eq!(state(d(2026, 12, 6)), StepState::Overdue);
        let st = |today| chain_status(&nov(), &p, today)[1].state;
        assert_eq!(st(d(2026, 12, 10)), StepState::Due);
        assert_eq!(st(d(2026, 12, 11)), StepState::Overdue);
        let st = |today| chain_status(&nov(), &p, today)[2].state;
        assert_eq!(st(d(2026, 12, 15)), StepState::Due);
        assert_eq!(st(d(2026, 12, 16)), StepState::Overdue);
        // No day set: never overdue.
        let q = VisitPolicy::s0_5_11();
        assert_eq!(
            chain_status(&nov(), &q, d(2027, 3, 1))[2].state,
            StepState::Due
        );
    }

    #[test]
    fn done_on_the_5th_is_on_time_on_the_6th_late() {
        let p = VisitPolicy::s0_1_7();
        let r = apply_step(
            &nov(),
            ReportStep::Records,
            me(),
            Role::CsMgr,
            "已阅",
            &p,
            noon(2026, 12, 5),
        )
        .expect("records");
        assert_eq!(
            chain_status(&r, &p, d(2026, 12, 20))[0].state,
            StepState::Done
        );
        let r = apply_step(
            &nov(),
            ReportStep::Records,
            me(),
            Role::CsMgr,
            "已阅",
            &p,
            noon(2026, 12, 6),
        )
        .expect("records");
        assert_eq!(
            chain_status(&r, &p, d(2026, 12, 20))[0].state,
            StepState::DoneLate
        );
    }

    #[test]
    fn steps_go_in_order_by_their_roles_after_the_month() {
        let p = VisitPolicy::s0_1_7();
        let at = noon(2026, 12, 3);
        assert_eq!(
            apply_step(
                &nov(),
                ReportStep::Records,
                me(),
                Role::CsMgr,
                "x",
                &p,
                noon(2026, 11, 30)
            ),
            Err(ChainRefusal::MonthNotOver)
        );
        assert_eq!(
            apply_step(
                &nov(),
                ReportStep::Summary,
                me(),
                Role::CenterMgr,
                "x",
                &p,
                at
            ),
            Err(ChainRefusal::OutOfOrder)
        );
        assert_eq!(
            apply_step(
                &nov(),
                ReportStep::Records,
                me(),
                Role::CenterMgr,
                "x",
                &p,
                at
            ),
            Err(ChainRefusal::WrongRole)
        );
        assert_eq!(
            apply_step(&nov(), ReportStep::Records, me(), Role::CsMgr, "  ", &p, at),
            Err(ChainRefusal::BadText)
        );
        let r = apply_step(
            &nov(),
            ReportStep::Records,
            me(),
            Role::CsMgr,
            "已签署意见",
            &p,
            at,
        )
        .expect("records");
        assert_eq!(
            apply_step(&r, ReportStep::Records, me(), Role::CsMgr, "again", &p, at),
            Err(ChainRefusal::AlreadyDone)
        );
        assert_eq!(
            apply_step(&r, ReportStep::Approval, me(), Role::Admin, "x", &p, at),
            Err(ChainRefusal::OutOfOrder)
        );
        let r = apply_step(
            &r,
            ReportStep::Summary,
            me(),
            Role::CenterMgr,
            "总结",
            &p,
            at,
        )
        .expect("summary");
        let r = apply_step(&r, ReportStep::Approval, me(), Role::Admin, "阅批", &p, at)
            .expect("approval");
        assert!(chain_status(&r, &p, d(2026, 12, 4))
            .iter()
            .all(|s| s.state == StepState::Done));
        // 第11篇: the CS supervisor writes the summary, the director decides.
        let q = VisitPolicy::s0_5_11();
        let r = apply_step(
            &nov(),
            ReportStep::Records,
            me(),
            Role::CsMgr,
            "意见",
            &q,
            at,
        )
        .expect("r");
        assert!(apply_step(&r, ReportStep::Summary, me(), Role::CsMgr, "总结", &q, at).is_ok());
        assert_eq!(
            apply_step(
                &r,
                ReportStep::Summary,
                me(),
                Role::CenterMgr,
                "总结",
                &q,
                at
            ),
            Err(ChainRefusal::WrongRole)
        );
    }
}
