//! The JSON of the survey REST API (`/api/v1/.../surveys`), shared by the server that writes it
//! and the screens that read it, and the parsing of what the desk enters.

use super::items::SurveyItem;
use super::policy::{Deadlines, SurveyPolicy};
use super::results::{ItemAnswer, Questionnaire, SurveyResults};
use super::scale::{read_marks, Scale};
use super::SurveyRefusal;
use crate::ids::{SiteId, UnitId};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SurveyStatus {
    /// Questionnaires are being handed out and returned.
    Open,
    /// Collection finished; the numbers are final.
    Closed,
}

impl SurveyStatus {
    pub const fn code(self) -> &'static str {
        match self {
            SurveyStatus::Open => "open",
            SurveyStatus::Closed => "closed",
        }
    }
    pub fn parse(s: &str) -> Option<SurveyStatus> {
        match s {
            "open" => Some(SurveyStatus::Open),
            "closed" => Some(SurveyStatus::Closed),
            _ => None,
        }
    }
}

/// `POST /api/v1/sites/{site}/surveys`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewSurvey {
    pub title: String,
    /// A preset (`s0_full_opinion`, `s0_twice_yearly`, `s0_satisfaction_procedure`); left out,
    /// the site's survey policy.
    #[serde(default)]
    pub variant: Option<String>,
    /// 发放日期.
    pub handed_out_on: NaiveDate,
    /// Left out: the default items (the S0 service topics).
    #[serde(default)]
    pub items: Option<Vec<SurveyItem>>,
    /// Days to the dissatisfied respondents' return visits; left out, the policy's.
    #[serde(default)]
    pub return_visit_days: Option<u32>,
}

pub const MAX_TITLE_CHARS: usize = 60;

/// One survey, as listed and opened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyView {
    pub id: Uuid,
    pub site_id: SiteId,
    pub site_name: String,
    pub title: String,
    pub status: SurveyStatus,
    pub policy: SurveyPolicy,
    pub items: Vec<SurveyItem>,
    pub handed_out_on: NaiveDate,
    pub deadlines: Deadlines,
    /// 已入住户数 when the survey was opened.
    pub occupied_households: u32,
    pub handed_out: u32,
    pub returned: u32,
    pub created_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
}

/// A unit on the hand-out and entry screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HouseholdRow {
    pub unit_id: UnitId,
    /// `5栋1单元1201`
    pub label: String,
    pub occupied: bool,
    /// The household's questionnaire record, once handed out.
    pub household_id: Option<Uuid>,
    pub handed_out_at: Option<DateTime<Utc>>,
    pub returned_at: Option<DateTime<Utc>>,
    /// Items the household rated dissatisfied (codes), once returned.
    #[serde(default)]
    pub dissatisfied_items: Vec<String>,
}

/// `POST /api/v1/surveys/{id}/handouts`: these units, or every occupied unit of the site.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandOutRequest {
    #[serde(default)]
    pub unit_ids: Vec<UnitId>,
    #[serde(default)]
    pub all_occupied: bool,
}

pub const MAX_HANDOUT_UNITS: usize = 2000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandOutResponse {
    /// Households newly recorded as handed out (a repeat changes nothing).
    pub added: u32,
    pub handed_out: u32,
}

/// The boxes marked on one item, as the desk enters them (rating codes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarkInput {
    pub item: String,
    #[serde(default)]
    pub marks: Vec<String>,
}

/// `POST /api/v1/surveys/{id}/returns`: one returned questionnaire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnInput {
    pub unit_id: UnitId,
    #[serde(default)]
    pub answers: Vec<MarkInput>,
    /// 业户的建议 (free text).
    #[serde(default)]
    pub suggestion: String,
}

pub const MAX_SUGGESTION_CHARS: usize = 1000;

impl ReturnInput {
    /// The questionnaire as stored: one answer per item of the survey, in the survey's order
    /// (an item not entered is an abstention). Refuses unknown items, an item given twice, a
    /// box off the scale, an over-long suggestion.
    pub fn parse(
        &self,
        scale: Scale,
        items: &[SurveyItem],
    ) -> Result<(Questionnaire, String), SurveyRefusal> {
        for (i, a) in self.answers.iter().enumerate() {
            if !items.iter().any(|it| it.code == a.item) {
                return Err(SurveyRefusal::UnknownItem(a.item.clone()));
            }
            if self.answers[..i].iter().any(|b| b.item == a.item) {
                return Err(SurveyRefusal::DuplicateItem(a.item.clone()));
            }
        }
        let mut answers = Vec::with_capacity(items.len());
        for it in items {
            let rating = match self.answers.iter().find(|a| a.item == it.code) {
                Some(a) => read_marks(scale, &it.code, &a.marks)?,
                None => None,
            };
            answers.push(ItemAnswer {
                item: it.code.clone(),
                rating,
            });
        }
        let suggestion = self.suggestion.trim().to_owned();
        if suggestion.chars().count() > MAX_SUGGESTION_CHARS {
            return Err(SurveyRefusal::Invalid {
                field: "suggestion",
                reason: "at most 1000 characters",
            });
        }
        Ok((Questionnaire { answers }, suggestion))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnResponse {
    pub household_id: Uuid,
    pub abstained: u32,
    /// Codes of the items rated dissatisfied.
    pub dissatisfied_items: Vec<String>,
    /// The return visit scheduled for a dissatisfied respondent.
    pub return_visit_id: Option<Uuid>,
}

/// `GET /api/v1/surveys/{id}/results`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultsView {
    pub survey: SurveyView,
    pub results: SurveyResults,
    /// Open return visits of this survey's dissatisfied respondents / all of them scheduled.
    pub return_visits_open: u32,
    pub return_visits_total: u32,
}

/// `POST /api/v1/surveys/{id}/return-visits`: schedules the missing ones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnVisitsResponse {
    pub created: u32,
    pub dissatisfied_households: u32,
}

/// `GET/PUT /api/v1/sites/{site}/survey-policy`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SitePolicyView {
    pub site_id: SiteId,
    pub policy: SurveyPolicy,
    /// Whether the site chose it (else the default, preset A).
    pub chosen: bool,
}

/// `PUT /api/v1/sites/{site}/survey-policy`: a preset, with the return-visit days optionally
/// changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SitePolicyInput {
    pub variant: String,
    #[serde(default)]
    pub return_visit_days: Option<u32>,
}

/// The title, trimmed and checked.
pub fn parse_title(s: &str) -> Result<String, SurveyRefusal> {
    let t = s.trim();
    if t.is_empty() || t.chars().count() > MAX_TITLE_CHARS {
        return Err(SurveyRefusal::Invalid {
            field: "title",
            reason: "1 to 60 characters",
        });
    }
    Ok(t.to_owned())
}
