//! 《业户访问记录》 (S0 第1/7篇, 第5/11篇; requirements §2.8): one visit to one household — what
//! was talked about (the ten topics), how (the six ways), notes, the resident's signature or
//! their refusal (业户拒绝签名的不得强求: a refusal is an outcome, never an error), and whether
//! feedback was asked for. [`check_visit`] decides whether a visit may be recorded: never in the
//! future, never at night (per site), never into a month whose records are signed off.

use super::policy::VisitPolicy;
use crate::ids::{SiteId, StaffId, UnitId};
use crate::people::Role;
use crate::sync::wire::BlobRef;
use crate::work_orders::sla::china;
use crate::work_orders::Actor;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One 业户访问 record.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Serialize, Deserialize)]
#[serde(transparent)]
pub struct VisitId(pub Uuid);

/// 访问内容: the ten topics of the documents, in their order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VisitTopic {
    /// 保安工作和保安员服务态度
    Security,
    /// 保洁工作和保洁服务态度
    Cleaning,
    /// 绿化工作和绿化员服务态度
    Greening,
    /// 维修人员技能、服务态度和维修及时性
    Repairs,
    /// 休闲物品和儿童游乐设施设置
    Leisure,
    /// 管理人员服务态度和协调处理事务
    Management,
    /// 便民服务
    Convenience,
    /// 业户的特殊困难和需求
    SpecialNeeds,
    /// 社区文化建设
    CommunityCulture,
    /// 其他意见和建议
    Other,
}

impl VisitTopic {
    pub const ALL: [VisitTopic; 10] = [
        VisitTopic::Security,
        VisitTopic::Cleaning,
        VisitTopic::Greening,
        VisitTopic::Repairs,
        VisitTopic::Leisure,
        VisitTopic::Management,
        VisitTopic::Convenience,
        VisitTopic::SpecialNeeds,
        VisitTopic::CommunityCulture,
        VisitTopic::Other,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            VisitTopic::Security => "security",
            VisitTopic::Cleaning => "cleaning",
            VisitTopic::Greening => "greening",
            VisitTopic::Repairs => "repairs",
            VisitTopic::Leisure => "leisure",
            VisitTopic::Management => "management",
            VisitTopic::Convenience => "convenience",
            VisitTopic::SpecialNeeds => "special_needs",
            VisitTopic::CommunityCulture => "community_culture",
            VisitTopic::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<VisitTopic> {
        Self::ALL.into_iter().find(|t| t.code() == s)
    }
}

/// 访问方式: the six ways of the documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VisitMethod {
    /// 上门访问 (入户)
    Home,
    /// 在管理处办公室访问 (来访)
    Office,
    /// 业户在户外休闲时访问 (户外)
    Outdoors,
    /// 以问卷的形式访问
    Questionnaire,
    /// 电话访问
    Phone,
    /// 其他适宜的形式
    Other,
}

impl VisitMethod {
    pub const ALL: [VisitMethod; 6] = [
        VisitMethod::Home,
        VisitMethod::Office,
        VisitMethod::Outdoors,
        VisitMethod::Questionnaire,
        VisitMethod::Phone,
        VisitMethod::Other,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            VisitMethod::Home => "home",
            VisitMethod::Office => "office",
            VisitMethod::Outdoors => "outdoors",
            VisitMethod::Questionnaire => "questionnaire",
            VisitMethod::Phone => "phone",
            VisitMethod::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<VisitMethod> {
        Self::ALL.into_iter().find(|m| m.code() == s)
    }

    /// The resident is in front of the visitor and can sign the record.
    pub const fn can_sign(self) -> bool {
        !matches!(self, VisitMethod::Phone)
    }
}

/// 业户签名: signed, refused (recorded, never forced), or not taken (a call, or not asked).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum SignatureOutcome {
    Signed { image: BlobRef, signer: String },
    Refused,
    NotTaken,
}

impl SignatureOutcome {
    pub const fn code(&self) -> &'static str {
        match self {
            SignatureOutcome::Signed { .. } => "signed",
            SignatureOutcome::Refused => "refused",
            SignatureOutcome::NotTaken => "not_taken",
        }
    }
}

pub const MAX_NOTES_CHARS: usize = 2000;
pub const MAX_NAME_CHARS: usize = 64;
/// A phone's clock a little ahead of the server's is not a visit in the future.
pub const FUTURE_TOLERANCE_MINUTES: i64 = 5;

/// What the visitor submits. An unknown field is refused (a corrupt outbox record, a typo in
/// an API client), never silently dropped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VisitInput {
    pub unit_id: UnitId,
    /// When the visit took place; now when left out.
    #[serde(default)]
    pub visited_at: Option<DateTime<Utc>>,
    pub topics: Vec<VisitTopic>,
    pub method: VisitMethod,
    #[serde(default)]
    pub notes: String,
    /// Who was met (a name as the resident gives it; optional).
    #[serde(default)]
    pub resident_name: String,
    pub signature: SignatureOutcome,
    /// 业户要求反馈 (or the visitor thinks it is needed).
    #[serde(default)]
    pub feedback_requested: bool,
}

/// A recorded visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visit {
    pub id: VisitId,
    pub site_id: SiteId,
    pub unit_id: UnitId,
    pub visitor: StaffId,
    pub visited_at: DateTime<Utc>,
    pub topics: Vec<VisitTopic>,
    pub method: VisitMethod,
    pub notes: String,
    pub resident_name: String,
    pub signature: SignatureOutcome,
    pub feedback_requested: bool,
    pub recorded_at: DateTime<Utc>,
}

/// Why a visit cannot be recorded. Nothing is saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum VisitRefusal {
    #[error("pick at least one topic")]
    NoTopics,
    #[error("a topic is listed twice")]
    DuplicateTopic,
    #[error("notes are at most 2000 characters")]
    NotesTooLong,
    #[error("the name is at most 64 characters")]
    NameTooLong,
    #[error("a signed record needs the signature image and the signer's name")]
    BadSignature,
    #[error("a phone visit cannot carry a signature")]
    SignatureByPhone,
    #[error("no visits at night (the site's hours)")]
    TooLate,
    #[error("the visit time is in the future")]
    InFuture,
    #[error("that month's visit records are signed off already")]
    MonthClosed,
}

impl VisitRefusal {
    /// The stable code sent to clients.
    pub const fn code(self) -> &'static str {
        match self {
            VisitRefusal::NoTopics => "no_topics",
            VisitRefusal::DuplicateTopic => "duplicate_topic",
            VisitRefusal::NotesTooLong => "notes_too_long",
            VisitRefusal::NameTooLong => "name_too_long",
            VisitRefusal::BadSignature => "bad_signature",
            VisitRefusal::SignatureByPhone => "signature_by_phone",
            VisitRefusal::TooLate => "visit_too_late",
            VisitRefusal::InFuture => "visit_in_future",
            VisitRefusal::MonthClosed => "month_closed",
        }
    }
}

/// Something worth telling the visitor that does not stop the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VisitWarning {
    /// A non-urgent call outside the hours of S4 (after 21:00, early morning).
    CallOutsideHours,
}

/// Local (China) time of day of an instant.
pub fn local_time(at: DateTime<Utc>) -> NaiveTime {
    at.with_timezone(&china()).time()
}

/// Local date of an instant.
pub fn local_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&china()).date_naive()
}

/// The first day of the month a visit counts in (China time).
pub fn visit_month(at: DateTime<Utc>) -> NaiveDate {
    let day = local_date(at);
    day.with_day(1).unwrap_or(day)
}

/// Whether `t` falls in the night `[until, from)` that wraps past midnight.
fn at_night(t: NaiveTime, until: NaiveTime, from: NaiveTime) -> bool {
    t >= until || t < from
}

/// The facts the rule needs besides the input.
#[derive(Debug, Clone, Copy)]
pub struct VisitFacts<'a> {
    pub policy: &'a VisitPolicy,
    /// The records of the visit's month are signed off (the chain's first step is done).
    pub month_signed_off: bool,
}

/// Who records visits: 客服 / 总台接待, 客户主任 (patrol), the customer-service and centre
/// managers. The server, the device and the screens all ask this one rule.
pub fn records_visits(role: Role) -> bool {
    matches!(
        role,
        Role::Desk | Role::Patrol | Role::CsMgr | Role::CenterMgr
    )
}

/// Who sees every visitor's records and signs the monthly chain.
pub fn manages_visits(role: Role) -> bool {
    matches!(role, Role::CsMgr | Role::CenterMgr | Role::Admin)
}

/// Who reads the month's progress and the not-visited list.
pub fn reads_visits(role: Role) -> bool {
    records_visits(role) || role == Role::Admin
}

/// The checks that need no facts of the site: topics, lengths, the signature and the time.
/// The device runs them before it queues a visit (it does not know the site's hours or whether
/// the month is signed off; the server does, and refuses then).
pub fn check_form(input: &VisitInput, now: DateTime<Utc>) -> Result<(), VisitRefusal> {
    if input.topics.is_empty() {
        return Err(VisitRefusal::NoTopics);
    }
    let mut topics = input.topics.clone();
    topics.sort();
    topics.dedup();
    if topics.len() != input.topics.len() {
        return Err(VisitRefusal::DuplicateTopic);
    }
    if input.notes.trim().chars().count() > MAX_NOTES_CHARS {
        return Err(VisitRefusal::NotesTooLong);
    }
    if input.resident_name.trim().chars().count() > MAX_NAME_CHARS {
        return Err(VisitRefusal::NameTooLong);
    }
    if let SignatureOutcome::Signed { image, signer } = &input.signature {
        let signer = signer.trim();
        if !image.is_valid()
            || !image.content_type.starts_with("image/")
            || signer.is_empty()
            || signer.chars().count() > MAX_NAME_CHARS
        {
            return Err(VisitRefusal::BadSignature);
        }
        if !input.method.can_sign() {
            return Err(VisitRefusal::SignatureByPhone);
        }
    }
    if input.visited_at.unwrap_or(now) > now + Duration::minutes(FUTURE_TOLERANCE_MINUTES) {
        return Err(VisitRefusal::InFuture);
    }
    Ok(())
}

/// What the visitor is told about a recorded visit: a call outside the hours of S4.
pub fn visit_warnings(
    method: VisitMethod,
    visited_at: DateTime<Utc>,
    policy: &VisitPolicy,
) -> Vec<VisitWarning> {
    let t = local_time(visited_at);
    // S4 speaks of calls: a warning, the visitor knows whether it was urgent.
    let late_call = method == VisitMethod::Phone
        && policy
            .calls_until
            .is_some_and(|until| at_night(t, until, policy.calls_from));
    if late_call {
        vec![VisitWarning::CallOutsideHours]
    } else {
        Vec::new()
    }
}

/// Checks a submitted visit and makes the record, or refuses it. `now` is the server's clock.
pub fn check_visit(
    input: VisitInput,
    id: VisitId,
    site_id: SiteId,
    visitor: StaffId,
    facts: VisitFacts<'_>,
    now: DateTime<Utc>,
) -> Result<(Visit, Vec<VisitWarning>), VisitRefusal> {
    check_form(&input, now)?;
    let mut topics = input.topics;
    topics.sort();
    let signature = match input.signature {
        SignatureOutcome::Signed { image, signer } => SignatureOutcome::Signed {
            image,
            signer: signer.trim().to_owned(),
        },
        other => other,
    };
    let visited_at = input.visited_at.unwrap_or(now);
    let policy = facts.policy;
    if input.method != VisitMethod::Phone
        && policy
            .visits_until
            .is_some_and(|until| at_night(local_time(visited_at), until, policy.visits_from))
    {
        return Err(VisitRefusal::TooLate);
    }
    if facts.month_signed_off {
        return Err(VisitRefusal::MonthClosed);
    }
    let warnings = visit_warnings(input.method, visited_at, policy);
    Ok((
        Visit {
            id,
            site_id,
            unit_id: input.unit_id,
            visitor,
            visited_at,
            topics,
            method: input.method,
            notes: input.notes.trim().to_owned(),
            resident_name: input.resident_name.trim().to_owned(),
            signature,
            feedback_requested: input.feedback_requested,
            recorded_at: now,
        },
        warnings,
    ))
}

/// A visit recorded on a phone with no signal (a door in a basement, a building with no
/// coverage): queued in the device's outbox and recorded by the sync push exactly once. The
/// mutation's entity id is the visit's id. The device sets `visited_at` (its clock; the push
/// corrects it by the device's clock offset, as it does `occurred_at`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum VisitCommand {
    Record { site_id: SiteId, visit: VisitInput },
}

impl VisitCommand {
    pub const fn type_name(&self) -> &'static str {
        match self {
            VisitCommand::Record { .. } => "visit.record",
        }
    }

    /// The resident's signature image, when they signed.
    pub fn blobs(&self) -> Vec<BlobRef> {
        let VisitCommand::Record { visit, .. } = self;
        match &visit.signature {
            SignatureOutcome::Signed { image, .. } => vec![image.clone()],
            _ => Vec::new(),
        }
    }

    /// What the device checks before it queues the visit, and the push first: the role, the
    /// site, and the form ([`check_form`]). The site's facts come after, on the server.
    pub fn check(&self, actor: &Actor, now: DateTime<Utc>) -> Result<(), QueuedVisitRefusal> {
        let VisitCommand::Record { site_id, visit } = self;
        if !records_visits(actor.role) {
            return Err(QueuedVisitRefusal::Forbidden);
        }
        if !actor.sites.contains(site_id) {
            return Err(QueuedVisitRefusal::SiteForbidden);
        }
        check_form(visit, now).map_err(QueuedVisitRefusal::Rule)
    }
}

/// Why a queued visit was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueuedVisitRefusal {
    /// The staff member's role does not record visits.
    Forbidden,
    /// The visit is for a site the staff member does not work at.
    SiteForbidden,
    /// The household is unknown or belongs to another site.
    UnitNotInSite,
    /// The household is recorded as vacant: nobody to visit.
    UnitVacant,
    Rule(VisitRefusal),
}

impl QueuedVisitRefusal {
    pub const fn code(self) -> &'static str {
        match self {
            QueuedVisitRefusal::Forbidden => "forbidden",
            QueuedVisitRefusal::SiteForbidden => "site_forbidden",
            QueuedVisitRefusal::UnitNotInSite => "unit_other_site",
            QueuedVisitRefusal::UnitVacant => "unit_vacant",
            QueuedVisitRefusal::Rule(r) => r.code(),
        }
    }
}
