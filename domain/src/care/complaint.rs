//! The complaint (投诉) and its 《投诉处理意见表》 (S3 篇5, requirements §2.6, §5.1 rules 11–13).
//!
//! Flow: registered (the receiver apologises and records it) → assessed (valid or not; class;
//! department complained about) → first reply → (written complaints: a formal written answer
//! drafted and approved by the head of customer service) → resolved → closed with the
//! resident's feedback. An invalid complaint still gets a patient explanation, recorded, and
//! closes with it. A valid complaint unresolved one month after registration is 重大.

use super::policy::{CarePolicy, ComplaintReplyPreset};
use crate::calendar::{add_months, end_of_day, local_date};
use crate::ids::{SiteId, StaffId, UnitId};
use crate::people::Role;
use crate::work_orders::sla::{judge, ClockState};
use crate::work_orders::Rating;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// How the complaint came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// 口头 (at the desk)
    Verbal,
    /// 电话
    Phone,
    /// 书面 (letter, form)
    Written,
    /// raised on a visit (走访 / 回访)
    Visit,
    /// raised in a satisfaction survey
    Survey,
}

impl Channel {
    pub fn is_written(self) -> bool {
        self == Channel::Written
    }
    pub const ALL: [Channel; 5] = [
        Channel::Verbal,
        Channel::Phone,
        Channel::Written,
        Channel::Visit,
        Channel::Survey,
    ];
}

/// 重大 / 重要 / 轻微 (S3 篇5 definitions).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    /// 重大投诉
    Major,
    /// 重要投诉: management or service failures or faults.
    Important,
    /// 轻微投诉: facilities, equipment or management level, not human factors.
    Minor,
}

impl Class {
    pub const ALL: [Class; 3] = [Class::Major, Class::Important, Class::Minor];
}

/// Why a complaint is 重大.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MajorGround {
    /// a) promised service not delivered or poor, repeated reports have not fixed it.
    RepeatedUnfixed,
    /// b) company fault caused major economic loss or personal injury.
    LossOrInjury,
    /// c) a valid complaint not reasonably resolved within one month (automatic).
    UnresolvedOneMonth,
}

/// The department complained about, which handles it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Department {
    /// 客服部
    CustomerService,
    /// 工程部
    Engineering,
    /// 秩序维护部 (保安)
    Security,
    /// 保洁
    Cleaning,
    /// 绿化
    Greening,
    /// 财务部
    Finance,
    /// 服务中心 (management)
    Management,
    /// 其他
    Other,
}

impl Department {
    pub const ALL: [Department; 8] = [
        Department::CustomerService,
        Department::Engineering,
        Department::Security,
        Department::Cleaning,
        Department::Greening,
        Department::Finance,
        Department::Management,
        Department::Other,
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 已登记
    Registered,
    /// 已答复 (first reply given)
    Replied,
    /// 已处理 (resolved, waiting for the resident's feedback)
    Resolved,
    /// 已关闭
    Closed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub text: String,
    pub by: StaffId,
    pub at: DateTime<Utc>,
}

/// The formal written answer of a written complaint (S3 篇5 rule 4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WrittenAnswer {
    pub text: String,
    pub drafted_by: StaffId,
    pub drafted_at: DateTime<Utc>,
    #[serde(default)]
    pub approved_by: Option<StaffId>,
    #[serde(default)]
    pub approved_at: Option<DateTime<Utc>>,
}

/// The resident's word at closing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Feedback {
    pub rating: Rating,
    pub text: String,
    pub at: DateTime<Utc>,
    pub recorded_by: StaffId,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Complaint {
    pub id: Uuid,
    pub site_id: SiteId,
    /// TS-2026-11-0007, given by the server.
    #[serde(default)]
    pub number: Option<String>,
    #[serde(default)]
    pub unit_id: Option<UnitId>,
    pub channel: Channel,
    pub complainant_name: String,
    pub complainant_phone: String,
    pub content: String,
    /// When the complaint was received (the clocks run from here).
    pub received_at: DateTime<Utc>,
    pub received_by: StaffId,
    /// The receiver apologised on behalf of the service centre (S3 篇5 rule 6).
    pub apologised: bool,
    #[serde(default)]
    pub valid: Option<bool>,
    /// The patient explanation given for an invalid complaint.
    #[serde(default)]
    pub explanation: Option<Note>,
    #[serde(default)]
    pub class: Option<Class>,
    #[serde(default)]
    pub major_ground: Option<MajorGround>,
    #[serde(default)]
    pub department: Option<Department>,
    #[serde(default)]
    pub first_reply: Option<Note>,
    #[serde(default)]
    pub written_answer: Option<WrittenAnswer>,
    #[serde(default)]
    pub resolution: Option<Note>,
    #[serde(default)]
    pub feedback: Option<Feedback>,
    pub status: Status,
    #[serde(default)]
    pub closed_at: Option<DateTime<Utc>>,
    /// Where it came from when raised from a visit or a survey (return-visit id, survey id).
    #[serde(default)]
    pub raised_from: Option<Uuid>,
}

/// Limits on typed text, in characters.
pub const MAX_TEXT: usize = 2000;
pub const MAX_NAME: usize = 64;

/// A new complaint as the desk types it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewComplaint {
    pub id: Uuid,
    #[serde(default)]
    pub unit_id: Option<UnitId>,
    pub channel: Channel,
    pub complainant_name: String,
    #[serde(default)]
    pub complainant_phone: String,
    pub content: String,
    pub received_at: DateTime<Utc>,
    pub apologised: bool,
    #[serde(default)]
    pub raised_from: Option<Uuid>,
}

/// A complaint taken at the desk with no signal: queued in the device's outbox and registered
/// by the sync push exactly once (the desk's intake must not stop when the line drops). The
/// mutation's entity id is the complaint's id; the server gives the TS-… serial when it lands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum IntakeCommand {
    Register {
        site_id: SiteId,
        complaint: NewComplaint,
    },
}

impl IntakeCommand {
    pub const fn type_name(&self) -> &'static str {
        match self {
            IntakeCommand::Register { .. } => "complaint.register",
        }
    }

    /// Intake carries no photos or signatures.
    pub fn blobs(&self) -> Vec<crate::sync::wire::BlobRef> {
        Vec::new()
    }

    /// Registers the queued complaint as the server (and, first, the device) does: the
    /// complaint's id must be the mutation's entity and the site one of the actor's.
    pub fn register(
        &self,
        entity: Uuid,
        actor: &crate::work_orders::Actor,
        now: DateTime<Utc>,
    ) -> Result<Complaint, IntakeRefusal> {
        let IntakeCommand::Register { site_id, complaint } = self;
        if complaint.id != entity {
            return Err(IntakeRefusal::EntityMismatch);
        }
        if !may_handle(actor.role) {
            return Err(IntakeRefusal::Rule(Refusal::Forbidden));
        }
        if !actor.sites.contains(site_id) {
            return Err(IntakeRefusal::SiteForbidden);
        }
        register(*site_id, complaint.clone(), actor.staff_id, actor.role, now)
            .map_err(IntakeRefusal::Rule)
    }
}

/// Why a queued intake was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntakeRefusal {
    /// The mutation names another record than the complaint it carries.
    EntityMismatch,
    /// The complaint is for a site the staff member does not work at.
    SiteForbidden,
    Rule(Refusal),
}

impl IntakeRefusal {
    pub fn code(self) -> &'static str {
        match self {
            IntakeRefusal::EntityMismatch => "entity_mismatch",
            IntakeRefusal::SiteForbidden => "site_forbidden",
            IntakeRefusal::Rule(r) => r.code(),
        }
    }
}

/// What staff do to a complaint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Command {
    /// Validity, class and the department complained about.
    Assess {
        valid: bool,
        #[serde(default)]
        class: Option<Class>,
        #[serde(default)]
        major_ground: Option<MajorGround>,
        #[serde(default)]
        department: Option<Department>,
    },
    /// The first reply to the resident (solved or not).
    Reply { text: String, at: DateTime<Utc> },
    /// An invalid complaint: the patient explanation given; closes it.
    Explain { text: String, at: DateTime<Utc> },
    /// The formal written answer (written complaints).
    DraftAnswer { text: String },
    /// The head of customer service approves the written answer.
    ApproveAnswer,
    /// What was done about it.
    Resolve { text: String },
    /// The resident's feedback; closes it.
    Close { rating: Rating, text: String },
}

/// Why a complaint command was refused. Stable codes cross the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    EmptyText,
    TextTooLong,
    /// Received in the future (more than 5 minutes ahead of now).
    ReceivedInFuture,
    /// The complaint is closed; nothing changes it.
    Closed,
    /// A valid complaint needs its class and department.
    ClassRequired,
    /// 重大 needs its ground; other classes must not carry one.
    MajorGroundMismatch,
    /// An invalid complaint is explained, not replied to or resolved.
    NotValid,
    /// Not assessed yet.
    NotAssessed,
    /// The reply's time is before the complaint was received.
    ReplyBeforeIntake,
    AlreadyReplied,
    /// Only written complaints get the formal written answer.
    NotWritten,
    NoDraft,
    AlreadyApproved,
    /// Only the head of customer service (客服部经理) approves written answers.
    ApproverNotCsHead,
    /// Resolve needs the first reply first.
    NotReplied,
    /// A written complaint closes only with its approved written answer.
    WrittenAnswerMissing,
    /// Close needs the resolution first.
    NotResolved,
    /// This role may not do this.
    Forbidden,
}

impl Refusal {
    pub fn code(self) -> &'static str {
        match self {
            Refusal::EmptyText => "empty_text",
            Refusal::TextTooLong => "text_too_long",
            Refusal::ReceivedInFuture => "received_in_future",
            Refusal::Closed => "complaint_closed",
            Refusal::ClassRequired => "class_required",
            Refusal::MajorGroundMismatch => "major_ground_mismatch",
            Refusal::NotValid => "complaint_not_valid",
            Refusal::NotAssessed => "not_assessed",
            Refusal::ReplyBeforeIntake => "reply_before_intake",
            Refusal::AlreadyReplied => "already_replied",
            Refusal::NotWritten => "not_written",
            Refusal::NoDraft => "no_draft",
            Refusal::AlreadyApproved => "already_approved",
            Refusal::ApproverNotCsHead => "approver_not_cs_head",
            Refusal::NotReplied => "not_replied",
            Refusal::WrittenAnswerMissing => "written_answer_missing",
            Refusal::NotResolved => "not_resolved",
            Refusal::Forbidden => "forbidden",
        }
    }
}

/// Who may take complaints and work on them: the desk, customer service, the centre.
pub fn may_handle(role: Role) -> bool {
    matches!(
        role,
        Role::Desk | Role::CsMgr | Role::CenterMgr | Role::Admin | Role::Patrol
    )
}

fn text(s: &str, max: usize) -> Result<String, Refusal> {
    let t = s.trim();
    if t.is_empty() {
        return Err(Refusal::EmptyText);
    }
    if t.chars().count() > max {
        return Err(Refusal::TextTooLong);
    }
    Ok(t.to_string())
}

/// Registers a complaint (every complaint is accepted, S3 篇5 rule 1).
pub fn register(
    site_id: SiteId,
    n: NewComplaint,
    by: StaffId,
    role: Role,
    now: DateTime<Utc>,
) -> Result<Complaint, Refusal> {
    if !may_handle(role) {
        return Err(Refusal::Forbidden);
    }
    if n.received_at > now + Duration::minutes(5) {
        return Err(Refusal::ReceivedInFuture);
    }
    let phone = n.complainant_phone.trim().to_string();
    if phone.chars().count() > 20 {
        return Err(Refusal::TextTooLong);
    }
    Ok(Complaint {
        id: n.id,
        site_id,
        number: None,
        unit_id: n.unit_id,
        channel: n.channel,
        complainant_name: text(&n.complainant_name, MAX_NAME)?,
        complainant_phone: phone,
        content: text(&n.content, MAX_TEXT)?,
        received_at: n.received_at,
        received_by: by,
        apologised: n.apologised,
        valid: None,
        explanation: None,
        class: None,
        major_ground: None,
        department: None,
        first_reply: None,
        written_answer: None,
        resolution: None,
        feedback: None,
        status: Status::Registered,
        closed_at: None,
        raised_from: n.raised_from,
    })
}

/// Applies one command. The complaint is unchanged when it is refused.
pub fn apply(
    c: &Complaint,
    cmd: &Command,
    by: StaffId,
    role: Role,
    now: DateTime<Utc>,
) -> Result<Complaint, Refusal> {
    if !may_handle(role) {
        return Err(Refusal::Forbidden);
    }
    if c.status == Status::Closed {
        return Err(Refusal::Closed);
    }
    let mut next = c.clone();
    match cmd {
        Command::Assess {
            valid,
            class,
            major_ground,
            department,
        } => {
            if *valid {
                let (Some(class), Some(_)) = (class, department) else {
                    return Err(Refusal::ClassRequired);
                };
                if (*class == Class::Major) != major_ground.is_some() {
                    return Err(Refusal::MajorGroundMismatch);
                }
            }
            next.valid = Some(*valid);
            next.class = if *valid { *class } else { None };
            next.major_ground = if *valid { *major_ground } else { None };
            next.department = *department;
        }
        Command::Reply { text: t, at } => {
            if *at < c.received_at {
                return Err(Refusal::ReplyBeforeIntake);
            }
            match c.valid {
                None => return Err(Refusal::NotAssessed),
                Some(false) => return Err(Refusal::NotValid),
                Some(true) => {}
            }
            if c.first_reply.is_some() {
                return Err(Refusal::AlreadyReplied);
            }
            next.first_reply = Some(Note {
                text: text(t, MAX_TEXT)?,
                by,
                at: (*at).min(now),
            });
            next.status = Status::Replied;
        }
        Command::Explain { text: t, at } => {
            if *at < c.received_at {
                return Err(Refusal::ReplyBeforeIntake);
            }
            if c.valid != Some(false) {
                return Err(Refusal::NotAssessed);
            }
            let at = (*at).min(now);
            next.explanation = Some(Note {
                text: text(t, MAX_TEXT)?,
                by,
                at,
            });
            next.status = Status::Closed;
            next.closed_at = Some(at);
        }
        Command::DraftAnswer { text: t } => {
            if !c.channel.is_written() {
                return Err(Refusal::NotWritten);
            }
            if c.valid != Some(true) {
                return Err(Refusal::NotValid);
            }
            if c.written_answer
                .as_ref()
                .is_some_and(|w| w.approved_at.is_some())
            {
                return Err(Refusal::AlreadyApproved);
            }
            next.written_answer = Some(WrittenAnswer {
                text: text(t, MAX_TEXT)?,
                drafted_by: by,
                drafted_at: now,
                approved_by: None,
                approved_at: None,
            });
        }
        Command::ApproveAnswer => {
            if role != Role::CsMgr {
                return Err(Refusal::ApproverNotCsHead);
            }
            let Some(w) = next.written_answer.as_mut() else {
                return Err(Refusal::NoDraft);
            };
            if w.approved_at.is_some() {
                return Err(Refusal::AlreadyApproved);
            }
            w.approved_by = Some(by);
            w.approved_at = Some(now);
        }
        Command::Resolve { text: t } => {
            if c.valid != Some(true) {
                return Err(Refusal::NotValid);
            }
            if c.first_reply.is_none() {
                return Err(Refusal::NotReplied);
            }
            next.resolution = Some(Note {
                text: text(t, MAX_TEXT)?,
                by,
                at: now,
            });
            next.status = Status::Resolved;
        }
        Command::Close { rating, text: t } => {
            if c.status != Status::Resolved {
                return Err(Refusal::NotResolved);
            }
            let approved = c
                .written_answer
                .as_ref()
                .is_some_and(|w| w.approved_at.is_some());
            if c.channel.is_written() && !approved {
                return Err(Refusal::WrittenAnswerMissing);
            }
            let t = t.trim();
            if t.chars().count() > MAX_TEXT {
                return Err(Refusal::TextTooLong);
            }
            next.feedback = Some(Feedback {
                rating: *rating,
                text: t.to_string(),
                at: now,
                recorded_by: by,
            });
            next.status = Status::Closed;
            next.closed_at = Some(now);
        }
    }
    Ok(next)
}

/// The first reply's deadline under the site's reading (§5.1 rule 11).
pub fn first_reply_due(c: &Complaint, p: &CarePolicy) -> DateTime<Utc> {
    let t = c.received_at;
    match p.complaint_reply {
        // Same day; a same-day deadline is always within one working day.
        ComplaintReplyPreset::S3SameDay => end_of_day(local_date(t)),
        ComplaintReplyPreset::S1Hours24 => t + Duration::hours(24),
        ComplaintReplyPreset::S0Hours48 => t + Duration::hours(48),
        ComplaintReplyPreset::S2Hours2 => t + Duration::hours(2),
    }
}

/// The formal written answer's deadline, for written complaints: S3 the next working day;
/// the other readings give none beyond the first reply.
pub fn written_answer_due(c: &Complaint, p: &CarePolicy) -> Option<DateTime<Utc>> {
    if !c.channel.is_written() {
        return None;
    }
    Some(match p.complaint_reply {
        ComplaintReplyPreset::S3SameDay => {
            end_of_day(p.calendar.next_working_day(local_date(c.received_at)))
        }
        _ => first_reply_due(c, p),
    })
}

/// The solution's deadline where the reading sets one (S0 intro: one week).
pub fn resolution_due(c: &Complaint, p: &CarePolicy) -> Option<DateTime<Utc>> {
    match p.complaint_reply {
        ComplaintReplyPreset::S0Hours48 => Some(c.received_at + Duration::days(7)),
        _ => None,
    }
}

/// When an unresolved valid complaint becomes 重大 (S3 篇5 c).
pub fn escalation_at(c: &Complaint) -> DateTime<Utc> {
    add_months(c.received_at, 1)
}

/// The class as it stands now: a valid complaint not resolved one month after registration is
/// 重大 whatever it was classed as.
pub fn effective_class(c: &Complaint, now: DateTime<Utc>) -> Option<(Class, Option<MajorGround>)> {
    if c.valid != Some(true) {
        return None;
    }
    let unresolved_at = |t: DateTime<Utc>| c.resolution.as_ref().is_none_or(|r| r.at > t);
    let deadline = escalation_at(c);
    if c.class != Some(Class::Major) && now >= deadline && unresolved_at(deadline) {
        return Some((Class::Major, Some(MajorGround::UnresolvedOneMonth)));
    }
    c.class.map(|k| (k, c.major_ground))
}

/// Which complaint clock is which.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockKind {
    FirstReply,
    WrittenAnswer,
    Resolution,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clock {
    pub kind: ClockKind,
    pub state: ClockState,
}

/// The complaint's clocks as they stand at `now`. Invalid complaints run the first-reply clock
/// on their explanation.
pub fn clocks(c: &Complaint, p: &CarePolicy, now: DateTime<Utc>) -> Vec<Clock> {
    let first_done = c
        .first_reply
        .as_ref()
        .or(c.explanation.as_ref())
        .map(|n| n.at);
    let mut out = vec![Clock {
        kind: ClockKind::FirstReply,
        state: judge(first_reply_due(c, p), first_done, now),
    }];
    if let Some(due) = written_answer_due(c, p) {
        let done = c.written_answer.as_ref().and_then(|w| w.approved_at);
        out.push(Clock {
            kind: ClockKind::WrittenAnswer,
            state: judge(due, done, now),
        });
    }
    if let Some(due) = resolution_due(c, p) {
        out.push(Clock {
            kind: ClockKind::Resolution,
            state: judge(due, c.resolution.as_ref().map(|r| r.at), now),
        });
    }
    out
}

/// Any clock past due (the board shows it red).
pub fn overdue(c: &Complaint, p: &CarePolicy, now: DateTime<Utc>) -> bool {
    clocks(c, p, now).iter().any(|k| k.state.is_breached())
}
