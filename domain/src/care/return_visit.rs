//! Return visits (回访, S3 篇4, S1, S0; requirements §2.7, §3.4, §5.3 rules 27–28).
//!
//! [`plan_for_complaint`] and [`plan_for_repair`] say which visits closed work needs and in
//! which window; [`top_up_needed`] is the month-end rule; [`complete`] checks a visit record.
//! A problem found on a visit owes the technician a written rectification notice within the
//! site's hours (S1: 12).

use super::policy::{CarePolicy, RepairVisitPreset};
use crate::calendar::{add_months, end_of_day, local_date};
use crate::work_orders::{MandatoryVisit, SignatureInput};
use crate::work_orders::{Rating, RepairKind, WorkOrder};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// Why a visit was scheduled. Stored as its snake_case name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VisitReason {
    /// A complaint was closed (100 %, within 3 days).
    ComplaintClosed,
    /// The resident was dissatisfied with a repair (mandatory).
    RepairDissatisfied,
    /// The resident gave no rating (mandatory).
    RepairUnrated,
    /// The resident did not sign (mandatory).
    RepairUnsigned,
    /// The site's repair-visit rule.
    RepairPolicy,
    /// Month-end top-up to reach the required rate (from satisfied tickets).
    RepairTopUp,
    /// A survey respondent was dissatisfied.
    SurveyDissatisfied,
}

impl VisitReason {
    pub fn as_str(self) -> &'static str {
        match self {
            VisitReason::ComplaintClosed => "complaint_closed",
            VisitReason::RepairDissatisfied => "repair_dissatisfied",
            VisitReason::RepairUnrated => "repair_unrated",
            VisitReason::RepairUnsigned => "repair_unsigned",
            VisitReason::RepairPolicy => "repair_policy",
            VisitReason::RepairTopUp => "repair_top_up",
            VisitReason::SurveyDissatisfied => "survey_dissatisfied",
        }
    }
    pub fn parse(s: &str) -> Option<VisitReason> {
        [
            VisitReason::ComplaintClosed,
            VisitReason::RepairDissatisfied,
            VisitReason::RepairUnrated,
            VisitReason::RepairUnsigned,
            VisitReason::RepairPolicy,
            VisitReason::RepairTopUp,
            VisitReason::SurveyDissatisfied,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }
}

/// One visit to schedule: not before `earliest_at`, due by `due_at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedVisit {
    pub reason: VisitReason,
    /// 1 for the first visit; 2 for the policy's second one (urgent: 2 days later; leak: after
    /// rain).
    pub visit_no: i16,
    pub mandatory: bool,
    pub earliest_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    /// The second leak visit waits for rain: due is only the latest date to check back.
    pub after_rain: bool,
}

/// A closed complaint: visited within the site's days (S3 篇4: 3), always.
pub fn plan_for_complaint(closed_at: DateTime<Utc>, p: &CarePolicy) -> PlannedVisit {
    PlannedVisit {
        reason: VisitReason::ComplaintClosed,
        visit_no: 1,
        mandatory: true,
        earliest_at: closed_at,
        due_at: end_of_day(local_date(
            closed_at + Duration::days(p.complaint_visit_days),
        )),
        after_rain: false,
    }
}

/// The visits a closed repair needs under the site's reading. Common-area jobs have none (the
/// visit is to a resident); an unfinished job has none yet.
pub fn plan_for_repair(wo: &WorkOrder, p: &CarePolicy) -> Vec<PlannedVisit> {
    let Some(closed) = wo.closed_at else {
        return vec![];
    };
    if wo.common_area || wo.unit_id.is_none() {
        return vec![];
    }
    let done = wo.finished_at.unwrap_or(closed);
    let mut out = Vec::new();
    // Dissatisfied, unrated or unsigned: mandatory, done the next day at the latest (S3: the
    // officer visits daily by the tickets' ratings).
    if let Some(m) = wo.mandatory_visit() {
        let reason = match m {
            MandatoryVisit::Dissatisfied => VisitReason::RepairDissatisfied,
            MandatoryVisit::Unrated => VisitReason::RepairUnrated,
            MandatoryVisit::Unsigned => VisitReason::RepairUnsigned,
        };
        out.push(PlannedVisit {
            reason,
            visit_no: 1,
            mandatory: true,
            earliest_at: closed,
            due_at: end_of_day(local_date(closed + Duration::days(1))),
            after_rain: false,
        });
    }
    let policy_visit = |visit_no, earliest_at, due_at, after_rain| PlannedVisit {
        reason: VisitReason::RepairPolicy,
        visit_no,
        mandatory: false,
        earliest_at,
        due_at,
        after_rain,
    };
    match p.repair_visits {
        // Sampled: only the mandatory ones now; the month-end top-up makes up the rate, in the
        // one-to-two-month window.
        RepairVisitPreset::S3OneToTwoMonths => {}
        RepairVisitPreset::S0Within24h => {
            if out.is_empty() {
                out.push(policy_visit(1, done, done + Duration::hours(24), false));
            }
        }
        RepairVisitPreset::S1ByCategory => {
            let urgent = matches!(wo.kind, RepairKind::Urgent | RepairKind::Emergency);
            if urgent {
                // Within 24 h, then once more 2 days later.
                if out.is_empty() {
                    out.push(policy_visit(1, done, done + Duration::hours(24), false));
                }
                let second = done + Duration::days(2);
                out.push(policy_visit(
                    2,
                    second,
                    end_of_day(local_date(second)),
                    false,
                ));
            } else if wo.leak {
                // Within 3 days, then once more after rain (checked back within a month).
                if out.is_empty() {
                    out.push(policy_visit(1, done, done + Duration::days(3), false));
                }
                out.push(policy_visit(
                    2,
                    done + Duration::days(3),
                    add_months(done, 1),
                    true,
                ));
            } else if out.is_empty() {
                out.push(policy_visit(1, done, done + Duration::days(7), false));
            }
        }
    }
    out
}

/// The S3 window for a sampled repair visit: one to two months after completion.
pub fn top_up_window(finished_at: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
    (add_months(finished_at, 1), add_months(finished_at, 2))
}

/// Month-end rule (S3 篇4): visits still needed so that `visited / closed` reaches the rate.
/// `closed` counts the month's closed resident repairs, `visited` those with a done visit.
pub fn top_up_needed(closed: u32, visited: u32, rate_percent: u32) -> u32 {
    let required = (u64::from(closed) * u64::from(rate_percent)).div_ceil(100);
    u32::try_from(required.saturating_sub(u64::from(visited))).unwrap_or(u32::MAX)
}

/// Rate in tenths of a percent (e.g. 333 = 33.3 %); `None` when nothing was due.
pub fn rate_permille(done: u32, total: u32) -> Option<u32> {
    if total == 0 {
        return None;
    }
    Some(((u64::from(done) * 1000) / u64::from(total)) as u32)
}

/// How the visit was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// 电话回访
    Phone,
    /// 上门回访
    Door,
}

/// The resident's signature on a door visit: given, refused (not insisted on), or not asked
/// (phone).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum SignatureOutcome {
    NotAsked,
    Refused,
    Signed { signature: SignatureInput },
}

/// What the officer records (S3 篇4 visit content: quality, service effect, satisfaction,
/// shortcomings, suggestions).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VisitInput {
    pub method: Method,
    /// 质量评价
    pub quality: Rating,
    /// 服务效果评价
    pub service: Rating,
    /// 满意程度
    pub satisfaction: Rating,
    #[serde(default)]
    pub shortcomings: String,
    #[serde(default)]
    pub suggestions: String,
    /// A problem to put right: goes to the technician in writing.
    #[serde(default)]
    pub problem: String,
    /// The resident wants it handled as a complaint.
    #[serde(default)]
    pub open_complaint: bool,
    pub signature: SignatureOutcome,
    /// When it was done (the device's time).
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitRecord {
    #[serde(flatten)]
    pub input: VisitInput,
    /// Written rectification notice due (a problem was found).
    pub rectification_due_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    AlreadyDone,
    /// Before the window opens (S3: one month after the repair).
    TooEarly,
    /// Done in the future.
    InFuture,
    TextTooLong,
    /// A door visit can carry a signature; a phone visit cannot.
    SignatureOnPhone,
    /// A complaint needs the problem described.
    ProblemRequired,
}

impl Refusal {
    pub fn code(self) -> &'static str {
        match self {
            Refusal::AlreadyDone => "visit_already_done",
            Refusal::TooEarly => "visit_too_early",
            Refusal::InFuture => "visit_in_future",
            Refusal::TextTooLong => "text_too_long",
            Refusal::SignatureOnPhone => "signature_on_phone",
            Refusal::ProblemRequired => "problem_required",
        }
    }
}

/// Checks a visit against its task. `done` says whether the task was already done.
pub fn complete(
    input: VisitInput,
    earliest_at: DateTime<Utc>,
    done: bool,
    p: &CarePolicy,
    now: DateTime<Utc>,
) -> Result<VisitRecord, Refusal> {
    if done {
        return Err(Refusal::AlreadyDone);
    }
    if input.at > now + Duration::minutes(5) {
        return Err(Refusal::InFuture);
    }
    // A day's grace: a visit window is counted in days.
    if input.at < earliest_at - Duration::days(1) {
        return Err(Refusal::TooEarly);
    }
    for t in [&input.shortcomings, &input.suggestions, &input.problem] {
        if t.chars().count() > super::complaint::MAX_TEXT {
            return Err(Refusal::TextTooLong);
        }
    }
    if input.method == Method::Phone && matches!(input.signature, SignatureOutcome::Signed { .. }) {
        return Err(Refusal::SignatureOnPhone);
    }
    if input.open_complaint && input.problem.trim().is_empty() {
        return Err(Refusal::ProblemRequired);
    }
    let at = input.at.min(now);
    let rectification_due_at =
        (!input.problem.trim().is_empty()).then(|| at + Duration::hours(p.rectification_hours));
    Ok(VisitRecord {
        input: VisitInput { at, ..input },
        rectification_due_at,
    })
}
