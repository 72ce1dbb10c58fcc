//! The JSON the patrol REST API answers (not the sync protocol): checkpoint and route editing,
//! the manager's day list, the round report, the month's rates, customer-service cases and
//! notifications. Shared by the server that writes it and the screens that read it. The few
//! computations here (summaries, lateness, month figures) are pure and reuse [`super::report`].

use super::checklist::{default_checklist, AreaType, ChecklistItem};
use super::findings::FaultSource;
use super::report::GOOD_ORDER_TARGET_PERMILLE;
use super::report::{completion, good_order, suspicions, Rate, Suspicion};
use super::round::{AnswerValue, GeoPoint, Round, RoundStatus, Scan};
use super::route::{Checkpoint, Route, Schedule};
use crate::ids::{CheckpointId, RoundId, RouteId, SiteId, StaffId, WorkOrderId};
use crate::sync::wire::BlobRef;
use crate::work_orders::{RepairKind, WorkOrderStatus};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use uuid::Uuid;

/// A refused field of an input: `{"field": "code", "reason": "…"}` (the API's message).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct FieldError {
    pub field: &'static str,
    pub reason: &'static str,
}

fn field(field: &'static str, reason: &'static str) -> FieldError {
    FieldError { field, reason }
}

fn yes() -> bool {
    true
}

pub const MAX_NAME_CHARS: usize = 64;
pub const MAX_CODE_CHARS: usize = 32;
pub const MAX_ITEMS: usize = 40;
pub const MAX_ITEM_CHARS: usize = 200;
pub const MAX_ROUTE_STOPS: usize = 200;

fn text(name: &'static str, s: &str, max: usize, required: bool) -> Result<String, FieldError> {
    let t = s.trim();
    if required && t.is_empty() {
        return Err(field(name, "required"));
    }
    if t.chars().count() > max {
        return Err(field(name, "too long"));
    }
    Ok(t.to_owned())
}

/// A checkpoint code as printed under its QR label: upper-case letters, digits and dashes
/// (`CH-3-1-LT`); what people type is trimmed and upper-cased.
pub fn normalise_code(s: &str) -> Result<String, FieldError> {
    let c = s.trim().to_uppercase();
    let ok = (2..=MAX_CODE_CHARS).contains(&c.len())
        && c.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-')
        && !c.starts_with('-');
    if ok {
        Ok(c)
    } else {
        Err(field("code", "2–32 letters, digits or dashes"))
    }
}

/// `POST /api/v1/sites/{site}/checkpoints` and `PUT /api/v1/checkpoints/{id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckpointInput {
    pub code: String,
    pub name_zh: String,
    pub area: AreaType,
    #[serde(default)]
    pub building: Option<String>,
    #[serde(default)]
    pub position: Option<GeoPoint>,
    /// The site's checklist for this place; the area's template of the document when absent.
    #[serde(default)]
    pub items: Option<Vec<ChecklistItem>>,
    #[serde(default = "yes")]
    pub active: bool,
}

impl CheckpointInput {
    /// The checkpoint this input describes, checked and normalised.
    pub fn to_checkpoint(
        &self,
        id: CheckpointId,
        site_id: SiteId,
    ) -> Result<Checkpoint, FieldError> {
        let code = normalise_code(&self.code)?;
        let name_zh = text("name_zh", &self.name_zh, MAX_NAME_CHARS, true)?;
        let building = match &self.building {
            Some(b) => Some(text("building", b, 16, false)?).filter(|b| !b.is_empty()),
            None => None,
        };
        if let Some(p) = self.position {
            let ok = p.lat.is_finite()
                && p.lng.is_finite()
                && (-90.0..=90.0).contains(&p.lat)
                && (-180.0..=180.0).contains(&p.lng);
            if !ok {
                return Err(field("position", "not a position"));
            }
        }
        let items = match &self.items {
            None => default_checklist(self.area),
            Some(items) => check_items(items)?,
        };
        Ok(Checkpoint {
            id,
            site_id,
            code,
            name_zh,
            area: self.area,
            building,
            position: self.position,
            items,
            active: self.active,
        })
    }
}

/// A checklist as a manager edits it: 1–40 items, codes unique, texts present.
pub fn check_items(items: &[ChecklistItem]) -> Result<Vec<ChecklistItem>, FieldError> {
    if items.is_empty() {
        return Err(field("items", "at least one item"));
    }
    if items.len() > MAX_ITEMS {
        return Err(field("items", "at most 40 items"));
    }
    let mut seen = HashSet::new();
    items
        .iter()
        .map(|i| {
            let code = text("items.code", &i.code, 16, true)?;
            if !seen.insert(code.clone()) {
                return Err(field("items.code", "used twice"));
            }
            Ok(ChecklistItem {
                code,
                text_zh: text("items.text_zh", &i.text_zh, MAX_ITEM_CHARS, true)?,
                on_fault: i.on_fault,
            })
        })
        .collect()
}

/// `POST /api/v1/sites/{site}/routes` and `PUT /api/v1/routes/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouteInput {
    pub name: String,
    #[serde(default = "yes")]
    pub ordered: bool,
    pub schedule: Schedule,
    /// In walking order.
    pub checkpoints: Vec<CheckpointId>,
    #[serde(default = "yes")]
    pub active: bool,
}

impl RouteInput {
    /// The route this input describes. The caller checks that every checkpoint is the site's.
    pub fn to_route(&self, id: RouteId, site_id: SiteId) -> Result<Route, FieldError> {
        let name = text("name", &self.name, MAX_NAME_CHARS, true)?;
        if self.checkpoints.is_empty() {
            return Err(field("checkpoints", "at least one checkpoint"));
        }
        if self.checkpoints.len() > MAX_ROUTE_STOPS {
            return Err(field("checkpoints", "at most 200 checkpoints"));
        }
        let distinct: HashSet<_> = self.checkpoints.iter().collect();
        if distinct.len() != self.checkpoints.len() {
            return Err(field("checkpoints", "a checkpoint appears twice"));
        }
        Ok(Route {
            id,
            site_id,
            name,
            ordered: self.ordered,
            checkpoints: self.checkpoints.clone(),
            schedule: self.schedule,
            active: self.active,
        })
    }
}

/// A stop named in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StopRef {
    pub checkpoint_id: CheckpointId,
    pub code: String,
    pub name_zh: String,
}

/// Stops of an ordered round scanned out of order: at its first scan, a stop further along the
/// route had been scanned already (the officer skipped it and came back). Empty for unordered
/// rounds. Lateness is reported, never refused.
pub fn late_stops(round: &Round) -> Vec<CheckpointId> {
    if !round.ordered {
        return Vec::new();
    }
    let pos = |id: CheckpointId| round.stops.iter().position(|s| s.checkpoint_id == id);
    let mut scans: Vec<&Scan> = round.scans.iter().collect();
    scans.sort_by_key(|s| s.at);
    let mut seen: HashSet<CheckpointId> = HashSet::new();
    let mut furthest: Option<usize> = None;
    let mut late = Vec::new();
    for s in scans {
        if !seen.insert(s.checkpoint_id) {
            continue;
        }
        let Some(p) = pos(s.checkpoint_id) else {
            continue;
        };
        if furthest.is_some_and(|f| p < f) {
            late.push(s.checkpoint_id);
        }
        furthest = Some(furthest.map_or(p, |f| f.max(p)));
    }
    late
}

/// 异常 answers (latest per item) plus free findings.
pub fn fault_count(round: &Round) -> u32 {
    let answers = round
        .current_answers()
        .iter()
        .filter(|a| a.value == AnswerValue::Fault)
        .count();
    (answers + round.findings.len()) as u32
}

/// One round in the manager's day list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoundSummary {
    pub id: RoundId,
    pub route_id: RouteId,
    pub route_name: String,
    pub officer: StaffId,
    pub officer_name: String,
    pub date: NaiveDate,
    pub status: RoundStatus,
    pub version: i64,
    /// Checkpoints scanned of those planned.
    pub progress: Rate,
    pub missed: Vec<StopRef>,
    /// Scanned out of order (ordered routes only).
    pub late: Vec<StopRef>,
    /// 异常 answers and findings.
    pub faults: u32,
    /// Double scans and impossible walking speeds.
    pub suspicions: u32,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub early_reason: Option<String>,
}

impl RoundSummary {
    pub fn of(round: &Round, route_id: RouteId, version: i64, officer_name: String) -> Self {
        let refs = |ids: &[CheckpointId]| -> Vec<StopRef> {
            round
                .stops
                .iter()
                .filter(|s| ids.contains(&s.checkpoint_id))
                .map(|s| StopRef {
                    checkpoint_id: s.checkpoint_id,
                    code: s.code.clone(),
                    name_zh: s.name_zh.clone(),
                })
                .collect()
        };
        let missed: Vec<CheckpointId> = round.missed().iter().map(|s| s.checkpoint_id).collect();
        RoundSummary {
            id: round.id,
            route_id,
            route_name: round.route_name.clone(),
            officer: round.officer,
            officer_name,
            date: round.date,
            status: round.status,
            version,
            progress: completion(&[round]),
            missed: refs(&missed),
            late: refs(&late_stops(round)),
            faults: fault_count(round),
            suspicions: suspicions(round).len() as u32,
            started_at: round.started_at,
            finished_at: round.finished_at,
            early_reason: round.early_reason.clone(),
        }
    }
}

/// `GET /api/v1/sites/{site}/patrol/rounds?date=YYYY-MM-DD` (today in China when absent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayRounds {
    pub site_id: SiteId,
    pub date: NaiveDate,
    pub rounds: Vec<RoundSummary>,
    /// Over all rounds of the day.
    pub completion: Rate,
    /// Active daily routes with no round on this day yet.
    pub daily_routes_without_round: Vec<RouteRef>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RouteRef {
    pub id: RouteId,
    pub name: String,
}

/// One answer as the report shows it (the latest per item).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnswerView {
    pub item_code: String,
    pub text_zh: String,
    pub value: AnswerValue,
    pub note: String,
    pub photos: Vec<BlobRef>,
    pub at: DateTime<Utc>,
    /// The officer changed this answer (earlier answers are in the round).
    pub corrected: bool,
}

/// One stop of the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StopReport {
    pub checkpoint_id: CheckpointId,
    pub code: String,
    pub name_zh: String,
    pub area: AreaType,
    /// Every scan, in time order (a second scan is kept and may be suspicious).
    pub scans: Vec<Scan>,
    pub missed: bool,
    pub late: bool,
    pub answers: Vec<AnswerView>,
    /// Items never answered.
    pub unanswered: Vec<String>,
}

impl StopReport {
    /// The stops of a round, in route order.
    pub fn of_round(round: &Round) -> Vec<StopReport> {
        let late = late_stops(round);
        let current = round.current_answers();
        round
            .stops
            .iter()
            .map(|stop| {
                let mut scans: Vec<Scan> = round
                    .scans
                    .iter()
                    .filter(|s| s.checkpoint_id == stop.checkpoint_id)
                    .cloned()
                    .collect();
                scans.sort_by_key(|s| s.at);
                let answers: Vec<AnswerView> = stop
                    .items
                    .iter()
                    .filter_map(|item| {
                        let a = current.iter().find(|a| {
                            a.checkpoint_id == stop.checkpoint_id && a.item_code == item.code
                        })?;
                        let times = round
                            .answers
                            .iter()
                            .filter(|x| {
                                x.checkpoint_id == stop.checkpoint_id && x.item_code == item.code
                            })
                            .count();
                        Some(AnswerView {
                            item_code: item.code.clone(),
                            text_zh: item.text_zh.clone(),
                            value: a.value,
                            note: a.note.clone(),
                            photos: a.photos.clone(),
                            at: a.at,
                            corrected: times > 1,
                        })
                    })
                    .collect();
                let unanswered = stop
                    .items
                    .iter()
                    .filter(|i| !answers.iter().any(|a| a.item_code == i.code))
                    .map(|i| i.code.clone())
                    .collect();
                StopReport {
                    checkpoint_id: stop.checkpoint_id,
                    code: stop.code.clone(),
                    name_zh: stop.name_zh.clone(),
                    area: stop.area,
                    missed: scans.is_empty(),
                    late: late.contains(&stop.checkpoint_id),
                    scans,
                    answers,
                    unanswered,
                }
            })
            .collect()
    }
}

/// A repair order a round produced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatrolOrderRef {
    pub id: WorkOrderId,
    /// `BX-2026-11-0042`
    pub number: Option<String>,
    pub status: WorkOrderStatus,
    pub kind: RepairKind,
    pub location: String,
    pub content: String,
    pub source: FaultSource,
    pub reported_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    Open,
    Closed,
}

impl CaseStatus {
    pub const fn code(self) -> &'static str {
        match self {
            CaseStatus::Open => "open",
            CaseStatus::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<CaseStatus> {
        match s {
            "open" => Some(CaseStatus::Open),
            "closed" => Some(CaseStatus::Closed),
            _ => None,
        }
    }
}

/// A customer-service case from a patrol fault that a repair can't fix (illegal structures,
/// throwing from height, noise, graffiti, hygiene).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseView {
    pub id: Uuid,
    pub site_id: SiteId,
    pub round_id: RoundId,
    pub source: FaultSource,
    pub place: String,
    pub content: String,
    pub photos: Vec<BlobRef>,
    pub status: CaseStatus,
    /// The officer who found it.
    pub created_by: StaffId,
    pub created_by_name: String,
    pub created_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub closing_note: String,
}

/// `POST /api/v1/cases/{id}/close`: what was done (advised, stopped, handled, reported).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CloseCaseRequest {
    pub note: String,
}

/// `GET /api/v1/rounds/{id}`: the round report (《日常巡检记录表》 with time, place and problem).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoundReport {
    pub summary: RoundSummary,
    pub site_name: String,
    pub stops: Vec<StopReport>,
    pub suspicions: Vec<Suspicion>,
    pub orders: Vec<PatrolOrderRef>,
    pub cases: Vec<CaseView>,
    /// The whole record (findings, every answer including corrected ones).
    pub round: Round,
    pub received_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Answers and exceptions of one area type in a month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaStat {
    pub area: AreaType,
    /// 正常 + 异常 answers (latest per item).
    pub checked: u32,
    /// 异常 answers.
    pub faults: u32,
    /// Free findings at checkpoints of this area.
    pub findings: u32,
}

/// The same by building; `building: None` for grounds and places outside the buildings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildingStat {
    pub building: Option<String>,
    pub checked: u32,
    pub faults: u32,
    pub findings: u32,
}

/// `GET /api/v1/sites/{site}/patrol/stats?month=YYYY-MM`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PatrolStats {
    pub site_id: SiteId,
    /// `2026-11`
    pub month: String,
    pub rounds: u32,
    pub rounds_finished: u32,
    pub rounds_finished_early: u32,
    /// Checkpoints scanned of those planned, over the month's rounds.
    pub completion: Rate,
    pub completion_permille: Option<u32>,
    /// 设施设备完好率: 正常 over 正常 + 异常.
    pub good_order: Rate,
    pub good_order_permille: Option<u32>,
    /// 980 (98 %, S2 房产服务中心管理制度).
    pub good_order_target_permille: u32,
    /// `None` when nothing was checked.
    pub meets_target: Option<bool>,
    /// Every area type, in the document's order.
    pub by_area: Vec<AreaStat>,
    /// Buildings by number, then places outside the buildings.
    pub by_building: Vec<BuildingStat>,
    /// Rounds with double scans or impossible walking speeds.
    pub suspicious_rounds: u32,
}

fn building_key(b: &Option<String>) -> (bool, Option<u32>, String) {
    match b {
        Some(s) => (false, s.parse().ok(), s.clone()),
        None => (true, None, String::new()),
    }
}

impl PatrolStats {
    /// The month's figures over `rounds`; `building_of` names a checkpoint's building (from
    /// the current checkpoint list: a stop keeps no building).
    pub fn of(
        site_id: SiteId,
        month: String,
        rounds: &[&Round],
        building_of: &dyn Fn(CheckpointId) -> Option<String>,
    ) -> PatrolStats {
        let completion = completion(rounds);
        let good = good_order(rounds);
        let mut by_area: Vec<AreaStat> = AreaType::ALL
            .iter()
            .map(|a| AreaStat {
                area: *a,
                checked: 0,
                faults: 0,
                findings: 0,
            })
            .collect();
        let mut by_building: Vec<BuildingStat> = Vec::new();
        let mut bump =
            |checkpoint: CheckpointId, area: AreaType, checked: u32, faults: u32, findings: u32| {
                if let Some(a) = by_area.iter_mut().find(|s| s.area == area) {
                    a.checked += checked;
                    a.faults += faults;
                    a.findings += findings;
                }
                let b = building_of(checkpoint);
                let slot = match by_building.iter().position(|s| s.building == b) {
                    Some(i) => &mut by_building[i],
                    None => {
                        by_building.push(BuildingStat {
                            building: b,
                            checked: 0,
                            faults: 0,
                            findings: 0,
                        });
                        let last = by_building.len() - 1;
                        &mut by_building[last]
                    }
                };
                slot.checked += checked;
                slot.faults += faults;
                slot.findings += findings;
            };
        let mut suspicious_rounds = 0;
        for r in rounds {
            for a in r.current_answers() {
                let Some(stop) = r.stop(a.checkpoint_id) else {
                    continue;
                };
                match a.value {
                    AnswerValue::Normal => bump(stop.checkpoint_id, stop.area, 1, 0, 0),
                    AnswerValue::Fault => bump(stop.checkpoint_id, stop.area, 1, 1, 0),
                    AnswerValue::NotApplicable => {}
                }
            }
            for f in &r.findings {
                if let Some(stop) = f.checkpoint_id.and_then(|c| r.stop(c)) {
                    bump(stop.checkpoint_id, stop.area, 0, 0, 1);
                }
            }
            if !suspicions(r).is_empty() {
                suspicious_rounds += 1;
            }
        }
        by_building.sort_by_key(|b| building_key(&b.building));
        let good_permille = good.permille();
        PatrolStats {
            site_id,
            month,
            rounds: rounds.len() as u32,
            rounds_finished: rounds
                .iter()
                .filter(|r| r.status == RoundStatus::Finished)
                .count() as u32,
            rounds_finished_early: rounds
                .iter()
                .filter(|r| r.status == RoundStatus::FinishedEarly)
                .count() as u32,
            completion,
            completion_permille: completion.permille(),
            good_order: good,
            good_order_permille: good_permille,
            good_order_target_permille: GOOD_ORDER_TARGET_PERMILLE,
            meets_target: good_permille.map(|p| p >= GOOD_ORDER_TARGET_PERMILLE),
            by_area,
            by_building,
            suspicious_rounds,
        }
    }
}

/// What a notification is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    /// A patrol fault became a customer-service case.
    PatrolCase,
    /// A patrol fault became an urgent repair.
    PatrolUrgentRepair,
    /// A round was finished with checkpoints left.
    RoundFinishedEarly,
}

impl NotificationKind {
    pub const ALL: [NotificationKind; 3] = [
        NotificationKind::PatrolCase,
        NotificationKind::PatrolUrgentRepair,
        NotificationKind::RoundFinishedEarly,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            NotificationKind::PatrolCase => "patrol_case",
            NotificationKind::PatrolUrgentRepair => "patrol_urgent_repair",
            NotificationKind::RoundFinishedEarly => "round_finished_early",
        }
    }

    pub fn parse(s: &str) -> Option<NotificationKind> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }
}

/// `GET /api/v1/notifications`: those for the user, or for the user's role at their sites.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationView {
    pub id: Uuid,
    pub site_id: SiteId,
    pub kind: NotificationKind,
    pub text: String,
    /// An app path (`/patrol/rounds/{round_id}`).
    pub link: String,
    pub created_at: DateTime<Utc>,
    /// Read by anyone it was for (a role's notification is read once for the role).
    pub read_at: Option<DateTime<Utc>>,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::patrol::round::{Answer, Stop};
    use chrono::TimeZone;

    fn cp(n: u128) -> CheckpointId {
        CheckpointId(Uuid::from_u128(0xc0 + n))
    }

    fn t(s: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 21, 1, 0, 0).unwrap() + chrono::Duration::seconds(s)
    }

    fn round(ordered: bool) -> Round {
        let stop = |n: u128, area: AreaType| Stop {
            checkpoint_id: cp(n),
            code: format!("CP-{n}"),
            name_zh: format!("点{n}"),
            area,
            items: default_checklist(area),
            position: None,
        };
        Round {
            id: RoundId(Uuid::from_u128(7)),
            site_id: SiteId(Uuid::from_u128(1)),
            officer: StaffId(Uuid::from_u128(2)),
            date: NaiveDate::from_ymd_opt(2026, 11, 21).unwrap(),
            route_name: "3栋日常巡检".into(),
            ordered,
            stops: vec![
                stop(1, AreaType::Stairwell),
                stop(2, AreaType::Stairwell),
                stop(3, AreaType::Roof),
                stop(4, AreaType::Grounds),
            ],
            status: RoundStatus::InProgress,
            started_at: Some(t(0)),
            finished_at: None,
            early_reason: None,
            scans: Vec::new(),
            answers: Vec::new(),
            findings: Vec::new(),
        }
    }

    fn scan(r: &mut Round, n: u128, at: i64) {
        r.scans.push(Scan {
            checkpoint_id: cp(n),
            at: t(at),
            position: None,
        });
    }

    fn answer(r: &mut Round, n: u128, code: &str, value: AnswerValue, at: i64) {
        r.answers.push(Answer {
            checkpoint_id: cp(n),
            item_code: code.into(),
            value,
            note: String::new(),
            photos: Vec::new(),
            at: t(at),
        });
    }

    #[test]
    fn a_stop_skipped_and_walked_later_is_late_only_on_ordered_routes() {
        let mut r = round(true);
        scan(&mut r, 1, 0);
        scan(&mut r, 3, 200);
        scan(&mut r, 2, 400); // came back for 2 after 3
        scan(&mut r, 3, 500); // a second scan of 3 is not lateness
        assert_eq!(late_stops(&r), vec![cp(2)]);
        r.ordered = false;
        assert!(late_stops(&r).is_empty());
    }

    #[test]
    fn summary_counts_progress_missed_and_faults() {
        let mut r = round(true);
        scan(&mut r, 1, 0);
        scan(&mut r, 2, 100);
        answer(&mut r, 1, "1c3", AnswerValue::Fault, 10);
        answer(&mut r, 1, "1c3", AnswerValue::Normal, 20); // corrected
        answer(&mut r, 2, "1a", AnswerValue::Fault, 110);
        let s = RoundSummary::of(&r, RouteId(Uuid::from_u128(9)), 4, "赵敏".into());
        assert_eq!(s.progress, Rate { num: 2, den: 4 });
        assert_eq!(
            s.missed.iter().map(|m| m.code.as_str()).collect::<Vec<_>>(),
            vec!["CP-3", "CP-4"]
        );
        assert_eq!(s.faults, 1);
        let stops = StopReport::of_round(&r);
        assert!(stops[0].answers[0].corrected);
        assert_eq!(stops[0].answers[0].value, AnswerValue::Normal);
        assert_eq!(stops[0].unanswered.len(), 8);
        assert!(stops[2].missed);
    }

    #[test]
    fn month_figures_by_area_and_building() {
        let mut a = round(true);
        scan(&mut a, 1, 0);
        scan(&mut a, 3, 100);
        scan(&mut a, 4, 200);
        for (n, code) in [(1, "1a"), (1, "1b"), (3, "2a"), (4, "5a")] {
            answer(&mut a, n, code, AnswerValue::Normal, 300);
        }
        answer(&mut a, 3, "2b1", AnswerValue::Fault, 300);
        answer(&mut a, 4, "5b", AnswerValue::NotApplicable, 300);
        let building =
            |c: CheckpointId| (c != cp(4)).then(|| if c == cp(3) { "10" } else { "3" }.to_owned());
        let s = PatrolStats::of(
            SiteId(Uuid::from_u128(1)),
            "2026-11".into(),
            &[&a],
            &building,
        );
        assert_eq!(s.completion, Rate { num: 3, den: 4 });
        assert_eq!(s.good_order, Rate { num: 4, den: 5 });
        assert_eq!(s.good_order_permille, Some(800));
        assert_eq!(s.meets_target, Some(false));
        let roof = s.by_area.iter().find(|x| x.area == AreaType::Roof).unwrap();
        assert_eq!((roof.checked, roof.faults), (2, 1));
        assert_eq!(s.by_area.len(), 5);
        let order: Vec<Option<&str>> = s
            .by_building
            .iter()
            .map(|b| b.building.as_deref())
            .collect();
        assert_eq!(order, vec![Some("3"), Some("10"), None]);
    }

    #[test]
    fn inputs_are_checked_and_normalised() {
        let site = SiteId(Uuid::from_u128(1));
        let input = CheckpointInput {
            code: " ch-3-1-lt ".into(),
            name_zh: "3栋1单元 楼梯间".into(),
            area: AreaType::Stairwell,
            building: Some("3".into()),
            position: None,
            items: None,
            active: true,
        };
        let c = input.to_checkpoint(cp(1), site).unwrap();
        assert_eq!(c.code, "CH-3-1-LT");
        assert_eq!(c.items.len(), 9);
        let bad = CheckpointInput {
            code: "三栋".into(),
            ..input.clone()
        };
        assert_eq!(bad.to_checkpoint(cp(1), site).unwrap_err().field, "code");
        let mut items = default_checklist(AreaType::Roof);
        items.push(items[0].clone());
        let dup = CheckpointInput {
            items: Some(items),
            ..input
        };
        assert_eq!(
            dup.to_checkpoint(cp(1), site).unwrap_err().reason,
            "used twice"
        );
        let route = RouteInput {
            name: "3栋".into(),
            ordered: true,
            schedule: Schedule::Daily,
            checkpoints: vec![cp(1), cp(1)],
            active: true,
        };
        assert!(route.to_route(RouteId(Uuid::nil()), site).is_err());
    }
}
