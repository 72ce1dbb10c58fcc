//! 满意度调查 / 全面意见征询: satisfaction surveys (requirements §2.9, §3.9, §4 C14–C18, §5.3
//! rule 29). A survey is handed out (发放) to households, returned questionnaires (回收) are
//! entered item by item on the 3- or 4-level scale, and the results follow the documents'
//! exact formulas: abstentions left out, the −5-point penalty per point of return shortfall,
//! the 80 % Pareto cut for 主要改进项目, hand-out coverage of every 单元, and the deadlines.
//!
//! - `scale.rs`: the two scales, ratings, and how marked boxes become an answer or an abstention.
//! - `items.rs`: the default items (the service topics of S0 第1/7篇).
//! - `policy.rs`: the three documents' readings as presets (A 第1/7篇, B 第11篇, C 第8篇) and
//!   their deadlines in working days.
//! - `results.rs`: every number of the 问卷结果统计表.
//! - `views.rs`: the REST JSON, shared by the server and the screens.

pub mod items;
pub mod policy;
pub mod results;
pub mod scale;
pub mod views;

#[cfg(test)]
mod tests;

/// Why a survey input was refused. Stable snake_case codes cross the wire; nothing is changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SurveyRefusal {
    /// A rating that is not on the survey's scale (`fairly_satisfied` on a 4-level survey, or
    /// an unknown word).
    #[error("rating {rating:?} is not on this survey's scale (item {item})")]
    RatingOffScale { item: String, rating: String },
    #[error("no item {0} on this survey")]
    UnknownItem(String),
    #[error("item {0} answered twice")]
    DuplicateItem(String),
    #[error("the survey is closed")]
    SurveyClosed,
    #[error("no questionnaire was handed out to this household")]
    NotHandedOut,
    #[error("this household's questionnaire was already entered")]
    AlreadyReturned,
    #[error("the unit is vacant: questionnaires go to occupied households")]
    UnitVacant,
    #[error("the unit is not one of this survey's site")]
    UnitNotInSite,
    #[error("{field}: {reason}")]
    Invalid {
        field: &'static str,
        reason: &'static str,
    },
}

impl SurveyRefusal {
    pub fn code(&self) -> &'static str {
        match self {
            SurveyRefusal::RatingOffScale { .. } => "rating_off_scale",
            SurveyRefusal::UnknownItem(_) => "unknown_item",
            SurveyRefusal::DuplicateItem(_) => "duplicate_item",
            SurveyRefusal::SurveyClosed => "survey_closed",
            SurveyRefusal::NotHandedOut => "not_handed_out",
            SurveyRefusal::AlreadyReturned => "already_returned",
            SurveyRefusal::UnitVacant => "unit_vacant",
            SurveyRefusal::UnitNotInSite => "unit_not_in_site",
            SurveyRefusal::Invalid { .. } => "invalid_survey",
        }
    }
}

use crate::people::Role;

/// Who hands out questionnaires, enters returned ones and reads surveys: the front desk (客服,
/// 第8篇's 客服助理) and the managers.
pub fn may_enter(role: Role) -> bool {
    matches!(
        role,
        Role::Desk | Role::CsMgr | Role::CenterMgr | Role::Admin
    )
}

/// Who opens and closes surveys, picks the site's preset and schedules the return visits: the
/// customer-service manager (客服部经理 / 客户服务主管), the centre manager and the administrator.
pub fn may_manage(role: Role) -> bool {
    matches!(role, Role::CsMgr | Role::CenterMgr | Role::Admin)
}
