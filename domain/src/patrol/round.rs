//! A patrol round on the phone (S3 篇2; requirements §2.10): start, scan each checkpoint's QR
//! code, answer its checklist, log free findings, finish — or finish early with a reason. Every
//! scan and answer keeps its time (and place, when the phone has one). Pure: the same `apply`
//! runs offline on the phone and on the server.

use super::checklist::{AreaType, ChecklistItem};
use crate::ids::{CheckpointId, FindingId, RoundId, SiteId, StaffId};
use crate::sync::wire::BlobRef;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A position from the phone, in degrees (WGS-84).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GeoPoint {
    pub lat: f64,
    pub lng: f64,
}

impl GeoPoint {
    /// Great-circle distance in metres.
    pub fn distance_m(self, other: GeoPoint) -> f64 {
        const R: f64 = 6_371_000.0;
        let (p1, p2) = (self.lat.to_radians(), other.lat.to_radians());
        let dp = (other.lat - self.lat).to_radians();
        let dl = (other.lng - self.lng).to_radians();
        let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
        2.0 * R * a.sqrt().asin()
    }
}

/// One stop of a round: the checkpoint as it was when the round was planned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stop {
    pub checkpoint_id: CheckpointId,
    /// The short code printed under the QR label (`CP-3-RF`); what the QR code holds.
    pub code: String,
    pub name_zh: String,
    pub area: AreaType,
    pub items: Vec<ChecklistItem>,
    #[serde(default)]
    pub position: Option<GeoPoint>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundStatus {
    Planned,
    InProgress,
    Finished,
    /// Finished with checkpoints left, with a reason.
    FinishedEarly,
}

impl RoundStatus {
    pub const fn code(self) -> &'static str {
        match self {
            RoundStatus::Planned => "planned",
            RoundStatus::InProgress => "in_progress",
            RoundStatus::Finished => "finished",
            RoundStatus::FinishedEarly => "finished_early",
        }
    }
}

/// 正常 / 异常 / 不适用
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnswerValue {
    Normal,
    Fault,
    NotApplicable,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scan {
    pub checkpoint_id: CheckpointId,
    pub at: DateTime<Utc>,
    #[serde(default)]
    pub position: Option<GeoPoint>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Answer {
    pub checkpoint_id: CheckpointId,
    pub item_code: String,
    pub value: AnswerValue,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub photos: Vec<BlobRef>,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// 一般
    Low,
    /// 较重
    Medium,
    /// 严重: handled as urgent.
    High,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub id: FindingId,
    /// Where, when found at a checkpoint; a free place description otherwise.
    pub checkpoint_id: Option<CheckpointId>,
    #[serde(default)]
    pub place: String,
    pub note: String,
    pub photos: Vec<BlobRef>,
    pub severity: Severity,
    /// Not a repair (throwing from height, illegal structures, noise): a customer-service case.
    #[serde(default)]
    pub for_customer_service: bool,
    pub at: DateTime<Utc>,
}

/// 巡检记录: one officer's round of a route on one day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Round {
    pub id: RoundId,
    pub site_id: SiteId,
    pub officer: StaffId,
    pub date: NaiveDate,
    pub route_name: String,
    /// Stops must be walked in order (lateness is reported, never refused).
    pub ordered: bool,
    pub stops: Vec<Stop>,
    pub status: RoundStatus,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub early_reason: Option<String>,
    pub scans: Vec<Scan>,
    pub answers: Vec<Answer>,
    pub findings: Vec<Finding>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RoundCommand {
    /// Plans today's round of a route on the phone (offline too); the server plans it again
    /// from its own copy of the route.
    Create {
        route_id: crate::ids::RouteId,
        date: NaiveDate,
    },
    Start,
    /// The decoded QR value, typed code, or camera result: all one path.
    Scan {
        code: String,
        #[serde(default)]
        position: Option<GeoPoint>,
    },
    Answer {
        checkpoint_id: CheckpointId,
        item_code: String,
        value: AnswerValue,
        #[serde(default)]
        note: String,
        #[serde(default)]
        photos: Vec<BlobRef>,
    },
    Finding {
        finding_id: FindingId,
        #[serde(default)]
        checkpoint_id: Option<CheckpointId>,
        #[serde(default)]
        place: String,
        note: String,
        #[serde(default)]
        photos: Vec<BlobRef>,
        severity: Severity,
        #[serde(default)]
        for_customer_service: bool,
    },
    Finish,
    FinishEarly {
        reason: String,
    },
}

impl RoundCommand {
    /// Photos the command names.
    pub fn blobs(&self) -> Vec<BlobRef> {
        match self {
            RoundCommand::Answer { photos, .. } | RoundCommand::Finding { photos, .. } => {
                photos.clone()
            }
            _ => Vec::new(),
        }
    }

    pub const fn type_name(&self) -> &'static str {
        match self {
            RoundCommand::Create { .. } => "round.create",
            RoundCommand::Start => "round.start",
            RoundCommand::Scan { .. } => "round.scan",
            RoundCommand::Answer { .. } => "round.answer",
            RoundCommand::Finding { .. } => "round.finding",
            RoundCommand::Finish => "round.finish",
            RoundCommand::FinishEarly { .. } => "round.finish_early",
        }
    }
}

/// Where a scanned code belongs, as the reference data knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnownCode {
    pub site_id: SiteId,
    pub checkpoint_id: CheckpointId,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RoundError {
    #[error("only the officer of this round may do this")]
    NotOfficer,
    #[error("no checkpoint has this code")]
    UnknownCheckpoint,
    #[error("the checkpoint belongs to another site")]
    OtherSite,
    #[error("the checkpoint is not on this round")]
    NotOnRound,
    #[error("scan the checkpoint before answering its checklist")]
    NotScanned,
    #[error("the item is not on this checkpoint's checklist")]
    UnknownItem,
    #[error("an 异常 answer needs a note or a photo")]
    FaultNeedsEvidence,
    #[error("checkpoints are left: finish early with a reason")]
    CheckpointsLeft,
    #[error("{field}: {reason}")]
    InvalidInput {
        field: &'static str,
        reason: &'static str,
    },
    #[error("this round exists already")]
    AlreadyExists,
    #[error("no such round")]
    NotFound,
    #[error("your role may not walk patrol rounds")]
    Forbidden,
    #[error("the route is unknown, inactive, empty or of another site")]
    UnknownRoute,
    #[error("cannot {action} a round that is {from}")]
    InvalidTransition {
        from: &'static str,
        action: &'static str,
    },
}

pub const MAX_NOTE_CHARS: usize = 500;
pub const MAX_PHOTOS: usize = 6;

fn transition(r: &Round, cmd: &RoundCommand) -> RoundError {
    RoundError::InvalidTransition {
        from: r.status.code(),
        action: cmd.type_name(),
    }
}

fn check_photos(p: &[BlobRef]) -> Result<(), RoundError> {
    if p.len() > MAX_PHOTOS || !p.iter().all(BlobRef::is_valid) {
        return Err(RoundError::InvalidInput {
            field: "photos",
            reason: "at most 6 valid photos",
        });
    }
    Ok(())
}

fn note(s: &str, required: bool) -> Result<String, RoundError> {
    let t = s.trim();
    if required && t.is_empty() {
        return Err(RoundError::InvalidInput {
            field: "note",
            reason: "required",
        });
    }
    if t.chars().count() > MAX_NOTE_CHARS {
        return Err(RoundError::InvalidInput {
            field: "note",
            reason: "too long",
        });
    }
    Ok(t.to_owned())
}

impl Round {
    pub fn stop(&self, id: CheckpointId) -> Option<&Stop> {
        self.stops.iter().find(|s| s.checkpoint_id == id)
    }

    pub fn scanned(&self, id: CheckpointId) -> bool {
        self.scans.iter().any(|s| s.checkpoint_id == id)
    }

    /// Stops never scanned.
    pub fn missed(&self) -> Vec<&Stop> {
        self.stops
            .iter()
            .filter(|s| !self.scanned(s.checkpoint_id))
            .collect()
    }

    /// The latest answer to each item (an officer may correct an answer).
    pub fn current_answers(&self) -> Vec<&Answer> {
        let mut out: Vec<&Answer> = Vec::new();
        for a in &self.answers {
            match out
                .iter_mut()
                .find(|x| x.checkpoint_id == a.checkpoint_id && x.item_code == a.item_code)
            {
                Some(slot) => *slot = a,
                None => out.push(a),
            }
        }
        out
    }

    /// Applies `cmd` by `actor` at `at` (trusted time). `known` resolves scanned codes that are
    /// not on the round, to say whether they are another site's or nobody's.
    pub fn apply(
        &self,
        cmd: &RoundCommand,
        actor: StaffId,
        known: &dyn Fn(&str) -> Option<KnownCode>,
        at: DateTime<Utc>,
    ) -> Result<Round, RoundError> {
        if actor != self.officer {
            return Err(RoundError::NotOfficer);
        }
        let mut next = self.clone();
        let active = self.status == RoundStatus::InProgress;
        match cmd {
            RoundCommand::Create { .. } => return Err(RoundError::AlreadyExists),
            RoundCommand::Start => {
                if self.status != RoundStatus::Planned {
                    return Err(transition(self, cmd));
                }
                next.status = RoundStatus::InProgress;
                next.started_at = Some(at);
            }
            RoundCommand::Scan { code, position } => {
                if !active {
                    return Err(transition(self, cmd));
                }
                let code = code.trim();
                let stop = match self.stops.iter().find(|s| s.code == code) {
                    Some(s) => s,
                    None => {
                        return Err(match known(code) {
                            Some(k) if k.site_id != self.site_id => RoundError::OtherSite,
                            Some(_) => RoundError::NotOnRound,
                            None => RoundError::UnknownCheckpoint,
                        })
                    }
                };
                next.scans.push(Scan {
                    checkpoint_id: stop.checkpoint_id,
                    at,
                    position: *position,
                });
            }
            RoundCommand::Answer {
                checkpoint_id,
                item_code,
                value,
                note: n,
                photos,
            } => {
                if !active {
                    return Err(transition(self, cmd));
                }
                let stop = self.stop(*checkpoint_id).ok_or(RoundError::NotOnRound)?;
                if !self.scanned(*checkpoint_id) {
                    return Err(RoundError::NotScanned);
                }
                if !stop.items.iter().any(|i| &i.code == item_code) {
                    return Err(RoundError::UnknownItem);
                }
                check_photos(photos)?;
                let n = note(n, false)?;
                if *value == AnswerValue::Fault && n.is_empty() && photos.is_empty() {
                    return Err(RoundError::FaultNeedsEvidence);
                }
                next.answers.push(Answer {
                    checkpoint_id: *checkpoint_id,
                    item_code: item_code.clone(),
                    value: *value,
                    note: n,
                    photos: photos.clone(),
                    at,
                });
            }
            RoundCommand::Finding {
                finding_id,
                checkpoint_id,
                place,
                note: n,
                photos,
                severity,
                for_customer_service,
            } => {
                if !active {
                    return Err(transition(self, cmd));
                }
                if let Some(c) = checkpoint_id {
                    self.stop(*c).ok_or(RoundError::NotOnRound)?;
                }
                let place = place.trim().to_owned();
                if checkpoint_id.is_none() && place.is_empty() {
                    return Err(RoundError::InvalidInput {
                        field: "place",
                        reason: "required away from a checkpoint",
                    });
                }
                check_photos(photos)?;
                let n = note(n, true)?;
                if self.findings.iter().any(|f| f.id == *finding_id) {
                    return Err(RoundError::InvalidInput {
                        field: "finding_id",
                        reason: "already used",
                    });
                }
                next.findings.push(Finding {
                    id: *finding_id,
                    checkpoint_id: *checkpoint_id,
                    place,
                    note: n,
                    photos: photos.clone(),
                    severity: *severity,
                    for_customer_service: *for_customer_service,
                    at,
                });
            }
            RoundCommand::Finish => {
                if !active {
                    return Err(transition(self, cmd));
                }
                if !self.missed().is_empty() {
                    return Err(RoundError::CheckpointsLeft);
                }
                next.status = RoundStatus::Finished;
                next.finished_at = Some(at);
            }
            RoundCommand::FinishEarly { reason } => {
                if !active {
                    return Err(transition(self, cmd));
                }
                let reason = note(reason, true)?;
                next.status = if self.missed().is_empty() {
                    RoundStatus::Finished
                } else {
                    RoundStatus::FinishedEarly
                };
                next.early_reason = Some(reason);
                next.finished_at = Some(at);
            }
        }
        Ok(next)
    }
}

/// What `apply_round` needs to know besides the round: the routes and checkpoints of the
/// actor's sites, and where any scanned code belongs.
#[derive(Debug, Clone, Default)]
pub struct PatrolFacts {
    pub routes: Vec<super::route::Route>,
    pub checkpoints: Vec<super::route::Checkpoint>,
    /// Codes of checkpoints of other sites (the server knows them; a phone does not).
    pub other_codes: Vec<(String, SiteId, CheckpointId)>,
}

impl PatrolFacts {
    pub fn known(&self, code: &str) -> Option<KnownCode> {
        self.checkpoints
            .iter()
            .find(|c| c.code == code)
            .map(|c| KnownCode {
                site_id: c.site_id,
                checkpoint_id: c.id,
            })
            .or_else(|| {
                self.other_codes.iter().find(|(c, ..)| c == code).map(
                    |(_, site_id, checkpoint_id)| KnownCode {
                        site_id: *site_id,
                        checkpoint_id: *checkpoint_id,
                    },
                )
            })
    }
}

/// The one entry point: creates (plans) a round or applies a command to it, for `actor`.
pub fn apply_round(
    current: Option<&Round>,
    id: RoundId,
    cmd: &RoundCommand,
    actor: &crate::work_orders::Actor,
    facts: &PatrolFacts,
    at: DateTime<Utc>,
) -> Result<Round, RoundError> {
    use crate::people::Role::*;
    let sites = &actor.sites;
    match (current, cmd) {
        (Some(_), RoundCommand::Create { .. }) => Err(RoundError::AlreadyExists),
        (None, RoundCommand::Create { route_id, date }) => {
            if !matches!(actor.role, Patrol | CsMgr | Security) {
                return Err(RoundError::Forbidden);
            }
            let route = facts
                .routes
                .iter()
                .find(|r| r.id == *route_id && sites.contains(&r.site_id))
                .ok_or(RoundError::UnknownRoute)?;
            super::route::plan_round(id, route, &facts.checkpoints, actor.staff_id, *date)
                .map_err(|_| RoundError::UnknownRoute)
        }
        (None, _) => Err(RoundError::NotFound),
        (Some(r), cmd) => {
            if !sites.contains(&r.site_id) {
                return Err(RoundError::NotOfficer);
            }
            r.apply(cmd, actor.staff_id, &|c| facts.known(c), at)
        }
    }
}
