//! Each site's reading of the visit documents (requirements §4 C19–C21): the hours visits and
//! calls are allowed, the monthly reporting chain (who signs, by which day) and the visiting
//! cadence. Presets are named after the document they come from; nothing is hard-coded to one.

use crate::people::Role;
use chrono::NaiveTime;
use serde::{Deserialize, Serialize};

/// Where issues beyond the director's authority go (C20).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Escalation {
    /// 管理者代表 (S0 第1/7篇).
    ManagementRepresentative,
    /// 公司客户投诉中心 (S0 第11篇).
    CompanyComplaintCentre,
}

/// How often a role must visit residents (C19).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CadencePeriod {
    Week,
    Month,
}

/// "管理处主任每周必须访问业户": `role` visits at least `times` per `per`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CadenceTarget {
    pub role: Role,
    pub per: CadencePeriod,
    pub times: u32,
}

/// One step of the monthly chain: who does it and by which day of the next month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepRule {
    /// The roles that may do it (the first is the one the document names).
    pub roles: Vec<Role>,
    /// Day of the following month it is due by ("每月5日前"); `None`: the document sets none.
    pub due_day: Option<u32>,
}

/// The per-site visit policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitPolicy {
    /// The preset it started from (`s0_1_7`, `s0_5_11`, `s1`), shown on the settings.
    pub preset: String,
    /// Visits at or after this local time are refused ("原则上22:00后不予访问", 第11篇).
    /// `None`: no limit.
    pub visits_until: Option<NaiveTime>,
    /// … and before this time of the morning (the night runs on past midnight). An assumption
    /// of this product (the documents name only the evening), kept as a setting.
    pub visits_from: NaiveTime,
    /// Phone visits at or after this time get a warning, not a refusal (S4: 晚上21时以后).
    pub calls_until: Option<NaiveTime>,
    /// … and before this one (S4: 清晨).
    pub calls_from: NaiveTime,
    /// 客户服务主管 signs the records (第1/7篇: by the 5th).
    pub records: StepRule,
    /// The month's visit summary (第1/7篇: 管理处主任 by the 10th; 第11篇: 客户服务主管 by the 5th).
    pub summary: StepRule,
    /// Review and decision (第1/7篇: 管理者代表 by the 15th; 第11篇: 管理处主任, no day set).
    pub approval: StepRule,
    pub escalation: Escalation,
    /// Shown as targets beside the month's visits.
    pub cadence: Vec<CadenceTarget>,
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN)
}

impl VisitPolicy {
    pub const PRESETS: [&'static str; 3] = ["s0_1_7", "s0_5_11", "s1"];

    /// S0 第1篇 = 第7篇 《物业人员访问业户工作规程》: director and CS supervisor every week;
    /// records by the 5th, summary by the 10th, approval by the 15th (管理者代表). The
    /// company-level 管理者代表 signs in this app as `admin` unless the site names another role.
    /// The 22:00 limit of 第11篇 is kept as the default: the other documents set no hour.
    pub fn s0_1_7() -> Self {
        VisitPolicy {
            preset: "s0_1_7".into(),
            visits_until: Some(hm(22, 0)),
            visits_from: hm(6, 0),
            calls_until: Some(hm(21, 0)),
            calls_from: hm(7, 0),
            records: StepRule {
                roles: vec![Role::CsMgr],
                due_day: Some(5),
            },
            summary: StepRule {
                roles: vec![Role::CenterMgr],
                due_day: Some(10),
            },
            approval: StepRule {
                roles: vec![Role::Admin],
                due_day: Some(15),
            },
            escalation: Escalation::ManagementRepresentative,
            cadence: vec![
                CadenceTarget {
                    role: Role::CenterMgr,
                    per: CadencePeriod::Week,
                    times: 1,
                },
                CadenceTarget {
                    role: Role::CsMgr,
                    per: CadencePeriod::Week,
                    times: 1,
                },
            ],
        }
    }

    /// S0 第5篇 / 第11篇 (h小区): the CS supervisor visits every month and writes the summary by
    /// the 5th; the director decides and sends what is beyond him to 公司客户投诉中心.
    pub fn s0_5_11() -> Self {
        VisitPolicy {
            preset: "s0_5_11".into(),
            records: StepRule {
                roles: vec![Role::CsMgr],
                due_day: Some(5),
            },
            summary: StepRule {
                roles: vec![Role::CsMgr],
                due_day: Some(5),
            },
            approval: StepRule {
                roles: vec![Role::CenterMgr],
                due_day: None,
            },
            escalation: Escalation::CompanyComplaintCentre,
            cadence: vec![CadenceTarget {
                role: Role::CsMgr,
                per: CadencePeriod::Month,
                times: 1,
            }],
            ..Self::s0_1_7()
        }
    }

    /// S1 《业户服务手册》: "物业经理每月3次走访业户" (the 服务中心经理 here); the chain as 第1/7篇.
    pub fn s1() -> Self {
        VisitPolicy {
            preset: "s1".into(),
            cadence: vec![CadenceTarget {
                role: Role::CenterMgr,
                per: CadencePeriod::Month,
                times: 3,
            }],
            ..Self::s0_1_7()
        }
    }

    pub fn preset(name: &str) -> Option<Self> {
        match name {
            "s0_1_7" => Some(Self::s0_1_7()),
            "s0_5_11" => Some(Self::s0_5_11()),
            "s1" => Some(Self::s1()),
            _ => None,
        }
    }

    /// A policy a site may store: due days within 1–28, each step with a role, the morning
    /// before the evening limit.
    pub fn check(&self) -> Result<(), &'static str> {
        for s in [&self.records, &self.summary, &self.approval] {
            if s.roles.is_empty() {
                return Err("every step needs a role");
            }
            if s.due_day.is_some_and(|d| !(1..=28).contains(&d)) {
                return Err("due days are 1–28");
            }
        }
        if let (Some(a), Some(b)) = (self.records.due_day, self.summary.due_day) {
            if b < a {
                return Err("the summary cannot be due before the records");
            }
        }
        if let (Some(a), Some(b)) = (self.summary.due_day, self.approval.due_day) {
            if b < a {
                return Err("the approval cannot be due before the summary");
            }
        }
        if self
            .visits_until
            .is_some_and(|until| until <= self.visits_from)
        {
            return Err("visits_from must be before visits_until");
        }
        if self.cadence.iter().any(|c| c.times == 0 || c.times > 31) {
            return Err("cadence times are 1–31");
        }
        Ok(())
    }
}

impl Default for VisitPolicy {
    fn default() -> Self {
        Self::s0_1_7()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_follow_their_documents() {
        let a = VisitPolicy::s0_1_7();
        assert_eq!(
            (a.records.due_day, a.summary.due_day, a.approval.due_day),
            (Some(5), Some(10), Some(15))
        );
        assert_eq!(a.summary.roles, vec![Role::CenterMgr]);
        let b = VisitPolicy::s0_5_11();
        assert_eq!(b.summary.due_day, Some(5));
        assert_eq!(b.summary.roles, vec![Role::CsMgr]);
        assert_eq!(b.escalation, Escalation::CompanyComplaintCentre);
        assert_eq!(b.cadence[0].per, CadencePeriod::Month);
        assert_eq!(VisitPolicy::s1().cadence[0].times, 3);
        for p in VisitPolicy::PRESETS {
            let policy = VisitPolicy::preset(p).expect("preset");
            assert_eq!(policy.preset, p);
            assert_eq!(policy.check(), Ok(()));
        }
    }

    #[test]
    fn a_policy_out_of_order_is_refused() {
        let mut p = VisitPolicy::s0_1_7();
        p.summary.due_day = Some(4);
        assert!(p.check().is_err());
        let mut p = VisitPolicy::s0_1_7();
        p.approval.due_day = Some(29);
        assert!(p.check().is_err());
        let mut p = VisitPolicy::s0_1_7();
        p.approval.roles.clear();
        assert!(p.check().is_err());
    }

    #[test]
    fn json_round_trips() {
        let p = VisitPolicy::s0_5_11();
        let v = serde_json::to_value(&p).expect("json");
        assert_eq!(v["visits_until"], "22:00:00");
        assert_eq!(v["approval"]["due_day"], serde_json::Value::Null);
        let back: VisitPolicy = serde_json::from_value(v).expect("back");
        assert_eq!(back, p);
    }
}
