//! The REST API's JSON for complaints, return visits and the care figures (server and app
//! share these types).

use super::complaint::{Class, Clock, Complaint, MajorGround};
use super::return_visit::{VisitReason, VisitRecord};
use super::stats::{ComplaintStats, VisitRate};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComplaintView {
    pub complaint: Complaint,
    /// `3栋2单元1502`.
    pub unit_label: Option<String>,
    /// The class as it stands now (the one-month escalation included).
    pub effective_class: Option<Class>,
    pub effective_ground: Option<MajorGround>,
    pub first_reply_due: DateTime<Utc>,
    pub written_answer_due: Option<DateTime<Utc>>,
    pub escalation_at: DateTime<Utc>,
    pub clocks: Vec<Clock>,
    pub overdue: bool,
    /// The complaint's own return visit, once scheduled.
    pub return_visit_id: Option<Uuid>,
}

/// Where a return visit comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VisitSource {
    Complaint,
    Repair,
    Survey,
}

impl VisitSource {
    pub fn as_str(self) -> &'static str {
        match self {
            VisitSource::Complaint => "complaint",
            VisitSource::Repair => "repair",
            VisitSource::Survey => "survey",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "complaint" => Some(VisitSource::Complaint),
            "repair" => Some(VisitSource::Repair),
            "survey" => Some(VisitSource::Survey),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VisitStatus {
    Open,
    Done,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReturnVisitView {
    pub id: Uuid,
    pub unit_label: String,
    pub source: VisitSource,
    pub source_id: Uuid,
    /// The order's or complaint's number, if it has one.
    pub source_number: Option<String>,
    /// Unknown reasons (written by a newer server) read as `None`.
    pub reason: Option<VisitReason>,
    pub reason_code: String,
    pub visit_no: i16,
    pub mandatory: bool,
    pub earliest_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub subject: String,
    pub status: VisitStatus,
    pub overdue: bool,
    pub record: Option<VisitRecord>,
    pub done_at: Option<DateTime<Utc>>,
    pub done_by_name: Option<String>,
    pub rectification_due_at: Option<DateTime<Utc>>,
    pub rectification_sent_at: Option<DateTime<Utc>>,
    pub complaint_id: Option<Uuid>,
    /// Who to call: the resident's name and masked phone.
    pub contact_name: String,
    pub contact_phone_masked: String,
}

/// The care figures of one month (`/api/v1/sites/{site}/care/stats?month=YYYY-MM`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CareStats {
    pub month: String,
    /// Complaints received in the month.
    pub complaints: ComplaintStats,
    /// Complaints of the twelve months up to this one, by month ("YYYY-MM" → count).
    pub last_twelve_months: Vec<(String, u32)>,
    /// Complaints closed in the month and their visits (target 100 %).
    pub complaint_visits: VisitRate,
    /// Resident repairs closed in the month and their visits (target: the site's rate).
    pub repair_visits: VisitRate,
    /// Visits still to add at month end to reach the repair rate.
    pub top_up_needed: u32,
    pub open_visits: u32,
    pub overdue_visits: u32,
}

/// `POST /api/v1/sites/{site}/return-visits/top-up`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopUpResult {
    pub needed: u32,
    pub created: u32,
}
