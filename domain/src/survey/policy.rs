//! Where the documents disagree on surveys (requirements §4 C14–C18), each reading is a preset
//! named after its source; a site picks one, and a survey keeps a copy of the policy it was
//! opened under (changing the site's choice later does not change an old survey's numbers).
//!
//! | | A: S0 第1/7篇 全面意见征询 | B: S0 第11篇 (h小区) | C: S0 第8篇 业户满意度调查工作规程 |
//! |---|---|---|---|
//! | when | by 30 June | June and December | at least yearly |
//! | scale | 3 levels | 3 levels | 4 levels |
//! | hand-out | 100 % of occupied, every 单元 | 100 %, every 单元 | ≥ 90 % |
//! | returned | ≥ 60 % | ≥ 60 % | ≥ 80 % |
//! | penalty | −5 pp per pp below 60 % | same | none |
//! | collect | 15 working days | 15 working days | — |
//! | analysis | by 31 July | 30 working days | — |
//! | publish | — | measures within 30 working days of hand-out | — |
//! | target | ≥ 90 % shown | ≥ 90 % shown | ≥ 90 % overall and every item |

use super::scale::Scale;
use crate::calendar::WorkCalendar;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SurveyVariant {
    /// A: S0 第1篇 = 第7篇 "全面意见征询".
    S0FullOpinion,
    /// B: S0 第11篇, twice a year.
    S0TwiceYearly,
    /// C: S0 第8篇 "业户满意度调查工作规程(16)".
    S0SatisfactionProcedure,
}

impl SurveyVariant {
    pub const ALL: [SurveyVariant; 3] = [
        SurveyVariant::S0FullOpinion,
        SurveyVariant::S0TwiceYearly,
        SurveyVariant::S0SatisfactionProcedure,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            SurveyVariant::S0FullOpinion => "s0_full_opinion",
            SurveyVariant::S0TwiceYearly => "s0_twice_yearly",
            SurveyVariant::S0SatisfactionProcedure => "s0_satisfaction_procedure",
        }
    }

    pub fn parse(s: &str) -> Option<SurveyVariant> {
        SurveyVariant::ALL
            .into_iter()
            .find(|v| v.code() == s.trim())
    }

    /// The preset of the variant's document.
    pub fn preset(self) -> SurveyPolicy {
        match self {
            SurveyVariant::S0FullOpinion => SurveyPolicy {
                variant: self,
                scale: Scale::ThreeLevel,
                handout_target_permille: 1000,
                every_entrance: true,
                return_target_permille: 600,
                penalty: Some(ReturnPenalty::S0),
                target_permille: 900,
                item_target: false,
                pareto_cut_permille: 800,
                handout_months: vec![6],
                collect_working_days: Some(15),
                analysis: AnalysisDeadline::FixedDate { month: 7, day: 31 },
                publish_working_days: None,
                return_visit_days: 7,
            },
            SurveyVariant::S0TwiceYearly => SurveyPolicy {
                variant: self,
                scale: Scale::ThreeLevel,
                handout_target_permille: 1000,
                every_entrance: true,
                return_target_permille: 600,
                penalty: Some(ReturnPenalty::S0),
                target_permille: 900,
                item_target: false,
                pareto_cut_permille: 800,
                handout_months: vec![6, 12],
                collect_working_days: Some(15),
                analysis: AnalysisDeadline::WorkingDaysAfterHandout { days: 30 },
                publish_working_days: Some(30),
                return_visit_days: 7,
            },
            SurveyVariant::S0SatisfactionProcedure => SurveyPolicy {
                variant: self,
                scale: Scale::FourLevel,
                handout_target_permille: 900,
                every_entrance: false,
                return_target_permille: 800,
                penalty: None,
                target_permille: 900,
                item_target: true,
                pareto_cut_permille: 800,
                handout_months: vec![],
                collect_working_days: None,
                analysis: AnalysisDeadline::None,
                publish_working_days: None,
                return_visit_days: 7,
            },
        }
    }
}

/// "问卷回收数量不得低于发放数量的60%,每低1个百分点满意率相应降低5个百分点": below
/// `below_permille` of returns, the satisfaction rate loses `points_per_point` percentage
/// points for each percentage point of shortfall. Fractions of a point count in proportion
/// (55.5 % returned → 4.5 points short → 22.5 points cut).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnPenalty {
    pub below_permille: u32,
    pub points_per_point: u32,
}

impl ReturnPenalty {
    pub const S0: ReturnPenalty = ReturnPenalty {
        below_permille: 600,
        points_per_point: 5,
    };
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AnalysisDeadline {
    /// 第1/7篇: "管理处主任于7月31日前完成问卷统计分析工作" — that date of the hand-out year.
    FixedDate { month: u32, day: u32 },
    /// 第11篇: "客户服务主管于30个工作日内完成问卷统计分析工作".
    WorkingDaysAfterHandout { days: u32 },
    /// 第8篇 sets none.
    None,
}

/// A site's (or a survey's) survey policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyPolicy {
    pub variant: SurveyVariant,
    pub scale: Scale,
    /// Questionnaires handed out of occupied households, per mille (1000 or 900).
    pub handout_target_permille: u32,
    /// "每个单元必须发到": every entrance (单元) with occupied households gets questionnaires.
    pub every_entrance: bool,
    /// Returned of handed out, per mille (600 or 800).
    pub return_target_permille: u32,
    pub penalty: Option<ReturnPenalty>,
    /// Satisfaction target, per mille (≥ 90 %, inclusive).
    pub target_permille: u32,
    /// Whether every item must also reach the target (第8篇 "各分项的满意率应达到90%(含)以上").
    pub item_target: bool,
    /// Pareto cut of cumulative dissatisfaction, per mille (80 %).
    pub pareto_cut_permille: u32,
    /// Months by whose end the questionnaires are delivered (A: June; B: June and December).
    pub handout_months: Vec<u32>,
    /// Working days after the hand-out to collect the questionnaires.
    pub collect_working_days: Option<u32>,
    pub analysis: AnalysisDeadline,
    /// Working days after the hand-out to post the measures on the notice board (第11篇).
    pub publish_working_days: Option<u32>,
    /// A dissatisfied respondent's return visit (回访, 第8篇 4.7) is due this many days after
    /// the questionnaire is entered.
    pub return_visit_days: u32,
}

impl Default for SurveyPolicy {
    fn default() -> Self {
        SurveyVariant::S0FullOpinion.preset()
    }
}

impl SurveyPolicy {
    /// Refuses settings a typo would produce.
    pub fn validate(&self) -> Result<(), &'static str> {
        let permille = [
            self.handout_target_permille,
            self.return_target_permille,
            self.target_permille,
            self.pareto_cut_permille,
        ];
        if permille.iter().any(|p| *p == 0 || *p > 1000) {
            return Err("rates must be between 0.1 % and 100 %");
        }
        if let Some(p) = self.penalty {
            if p.below_permille > 1000 || p.points_per_point > 100 {
                return Err("penalty out of range");
            }
        }
        if self.handout_months.iter().any(|m| !(1..=12).contains(m)) {
            return Err("months are 1 to 12");
        }
        let days = [self.collect_working_days, self.publish_working_days];
        if days.iter().flatten().any(|d| *d == 0 || *d > 365) {
            return Err("working days must be 1 to 365");
        }
        if let AnalysisDeadline::WorkingDaysAfterHandout { days } = self.analysis {
            if days == 0 || days > 365 {
                return Err("working days must be 1 to 365");
            }
        }
        if let AnalysisDeadline::FixedDate { month, day } = self.analysis {
            if NaiveDate::from_ymd_opt(2026, month, day).is_none() {
                return Err("not a date");
            }
        }
        if !(1..=90).contains(&self.return_visit_days) {
            return Err("return-visit days must be 1 to 90");
        }
        Ok(())
    }

    /// The dates a survey handed out on `handed_out_on` must meet.
    pub fn deadlines(&self, handed_out_on: NaiveDate, cal: &WorkCalendar) -> Deadlines {
        let year = handed_out_on.year();
        let month = handed_out_on.month();
        // The hand-out month this survey belongs to: the first listed month not before the
        // hand-out, else (handed out after the last one) the last one of the year — late.
        let handout_month = self
            .handout_months
            .iter()
            .copied()
            .filter(|m| *m >= month)
            .min()
            .or_else(|| self.handout_months.iter().copied().max());
        let handout_by = handout_month.and_then(|m| last_day_of_month(year, m));
        Deadlines {
            handout_by,
            handout_late: handout_by.is_some_and(|d| handed_out_on > d),
            collect_by: self
                .collect_working_days
                .map(|n| cal.add_working_days(handed_out_on, n)),
            analysis_by: match self.analysis {
                AnalysisDeadline::FixedDate { month, day } => {
                    NaiveDate::from_ymd_opt(year, month, day)
                }
                AnalysisDeadline::WorkingDaysAfterHandout { days } => {
                    Some(cal.add_working_days(handed_out_on, days))
                }
                AnalysisDeadline::None => None,
            },
            publish_by: self
                .publish_working_days
                .map(|n| cal.add_working_days(handed_out_on, n)),
        }
    }
}

fn last_day_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    let (y, m) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).and_then(|d| d.pred_opt())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadlines {
    /// 送达业户 by this date (A: 30 June; B: 30 June or 31 December).
    pub handout_by: Option<NaiveDate>,
    pub handout_late: bool,
    /// 收回问卷 by this date (hand-out + 15 working days).
    pub collect_by: Option<NaiveDate>,
    /// 完成问卷统计分析 and fill in the 问卷结果统计表 by this date.
    pub analysis_by: Option<NaiveDate>,
    /// Measures posted on the notice board by this date.
    pub publish_by: Option<NaiveDate>,
}
