//! 《业户访问记录》 (S0 第1/7篇, 第5/11篇; requirements §2.8): one visit to one household — what
//! was talked about (the ten topics), how (the six ways), notes, the resident's signature or
//! their refusal (业户拒绝签名的不得强求: a refusal is an outcome, never an error), and whether
//! feedback was asked for. [`check_visit`] decides whether a visit may be recorded: never in the
//! future, never at night (per site), never into a month whose records are signed off.

use super::policy::VisitPolicy;
use crate::ids::{SiteId, StaffId, UnitId};
use crate::sync::wire::BlobRef;
use crate::work_orders::sla::china;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
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

/// What the visitor submits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

/// Checks a submitted visit and makes the record, or refuses it. `now` is the server's clock.
pub fn check_visit(
    input: VisitInput,
    id: VisitId,
    site_id: SiteId,
    visitor: StaffId,
    facts: VisitFacts<'_>,
    now: DateTime<Utc>,
) -> Result<(Visit, Vec<VisitWarning>), VisitRefusal> {
    if input.topics.is_empty() {
        return Err(VisitRefusal::NoTopics);
    }
    let mut topics = input.topics.clone();
    topics.sort();
    topics.dedup();
    if topics.len() != input.topics.len() {
        return Err(VisitRefusal::DuplicateTopic);
    }
    let notes = input.notes.trim().to_owned();
    if notes.chars().count() > MAX_NOTES_CHARS {
        return Err(VisitRefusal::NotesTooLong);
    }
    let resident_name = input.resident_name.trim().to_owned();
    if resident_name.chars().count() > MAX_NAME_CHARS {
        return Err(VisitRefusal::NameTooLong);
    }
    let signature = match input.signature {
        SignatureOutcome::Signed { image, signer } => {
            let signer = signer.trim().to_owned();
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
            SignatureOutcome::Signed { image, signer }
        }
        other => other,
    };
    let visited_at = input.visited_at.unwrap_or(now);
    if visited_at > now + Duration::minutes(FUTURE_TOLERANCE_MINUTES) {
        return Err(VisitRefusal::InFuture);
    }
    let policy = facts.policy;
    let t = local_time(visited_at);
    let mut warnings = Vec::new();
    if input.method == VisitMethod::Phone {
        // S4 speaks of calls: a warning, the visitor knows whether it was urgent.
        if policy
            .calls_until
            .is_some_and(|until| at_night(t, until, policy.calls_from))
        {
            warnings.push(VisitWarning::CallOutsideHours);
        }
    } else if policy
        .visits_until
        .is_some_and(|until| at_night(t, until, policy.visits_from))
    {
        return Err(VisitRefusal::TooLate);
    }
    if facts.month_signed_off {
        return Err(VisitRefusal::MonthClosed);
    }
    Ok((
        Visit {
            id,
            site_id,
            unit_id: input.unit_id,
            visitor,
            visited_at,
            topics,
            method: input.method,
            notes,
            resident_name,
            signature,
            feedback_requested: input.feedback_requested,
            recorded_at: now,
        },
        warnings,
    ))
}
