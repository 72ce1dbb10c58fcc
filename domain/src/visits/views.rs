//! The JSON of the visits REST API (`/api/v1/sites/{site}/visits…`), shared by the server that
//! writes it and the screens that read it.

use super::cadence::CadenceProgress;
use super::policy::{Escalation, VisitPolicy};
use super::quota::{VisitQuota, YearCoverage};
use super::record::{SignatureOutcome, VisitId, VisitMethod, VisitTopic, VisitWarning};
use super::reporting::{ReportStep, StepState};
use crate::ids::{SiteId, StaffId, UnitId};
use crate::people::Role;
use crate::reference::Occupancy;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A recorded visit as lists show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VisitView {
    pub id: VisitId,
    pub site_id: SiteId,
    pub unit_id: UnitId,
    /// `3-1-1201`
    pub unit_label: String,
    pub visitor: StaffId,
    pub visitor_name: String,
    pub visited_at: DateTime<Utc>,
    pub topics: Vec<VisitTopic>,
    pub method: VisitMethod,
    pub notes: String,
    pub resident_name: String,
    pub signature: SignatureOutcome,
    pub feedback_requested: bool,
    /// The household's first visit of its month (counts toward the quota); a repeat otherwise.
    pub counted: bool,
}

/// The answer to `POST …/visits`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VisitSaved {
    pub visit: VisitView,
    pub warnings: Vec<VisitWarning>,
}

/// One visitor's line of the month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VisitorLine {
    pub staff_id: StaffId,
    pub name: String,
    pub role: Role,
    pub visits: u32,
    /// Households they were first to visit this month (what counts).
    pub households: u32,
}

/// `GET /api/v1/sites/{site}/visits/progress?month=YYYY-MM`: the month against the quota.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthProgress {
    pub site_id: SiteId,
    /// `2026-11`
    pub month: String,
    /// The tier: occupied households, its rate, and the visits it requires.
    pub quota: VisitQuota,
    /// Distinct occupied households visited (return visits excluded, repeats counted once).
    pub visited: u32,
    /// `quota.visits_required - visited`, at least 0.
    pub deficit: u32,
    /// `visited / occupied × 100`, one decimal.
    pub rate_percent: f64,
    pub met: bool,
    pub repeat_visits: u32,
    pub return_visits: u32,
    pub by_visitor: Vec<VisitorLine>,
    pub cadence: Vec<CadenceProgress>,
    /// The calendar year of `month` up to its end.
    pub year: YearCoverage,
}

/// A unit as the visit form's search shows it (residents' names only, phones masked).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VisitUnit {
    pub unit_id: UnitId,
    pub label: String,
    pub occupancy: Occupancy,
    pub residents: Vec<String>,
    pub phones_masked: Vec<String>,
    /// Visited already this month (another visit would be a repeat, not counted).
    pub visited_this_month: bool,
    pub last_visited_at: Option<DateTime<Utc>>,
}

/// A building's count on the not-visited list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildingCount {
    pub building: String,
    pub occupied: u32,
    pub not_visited: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnvisitedUnit {
    pub unit_id: UnitId,
    pub label: String,
    pub building: String,
    pub occupancy: Occupancy,
    /// The last visit before this year, if any.
    pub last_visited_at: Option<DateTime<Utc>>,
}

/// `GET /api/v1/sites/{site}/visits/unvisited?year=&building=&page=`: occupied households not
/// visited in the calendar year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnvisitedPage {
    pub coverage: YearCoverage,
    pub buildings: Vec<BuildingCount>,
    pub building: Option<String>,
    pub page: u32,
    pub per_page: u32,
    /// Units on the list for the chosen building (or all).
    pub total: u32,
    pub units: Vec<UnvisitedUnit>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepDoneView {
    pub by: StaffId,
    pub by_name: String,
    pub role: Role,
    pub at: DateTime<Utc>,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepView {
    pub step: ReportStep,
    pub roles: Vec<Role>,
    pub due: Option<NaiveDate>,
    pub state: StepState,
    pub done: Option<StepDoneView>,
    /// The signed-in user may do this step now.
    pub can_do: bool,
}

/// `GET /api/v1/sites/{site}/visits/reports?month=YYYY-MM`: the chain of one month's visits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChainView {
    pub site_id: SiteId,
    pub month: String,
    pub visits: u32,
    pub households: u32,
    pub feedback_requested: u32,
    pub escalation: Escalation,
    pub preset: String,
    pub steps: Vec<StepView>,
}

/// `POST …/visits/reports/{month}/{step}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepRequest {
    pub text: String,
}

/// `PUT …/visits/policy`: a preset by name, or a whole policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum PolicyRequest {
    // A whole policy first: it also has a `preset` field, and would otherwise read as one.
    Policy(VisitPolicy),
    Preset { preset: String },
}
