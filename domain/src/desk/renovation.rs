//! 装修 (S0 第9篇 3.2《业户装修过程报批程序》, S2《住宅小区服务中心装修管理工作规程》,
//! requirements §2.14, §5.3 rule 34): application with its documents, engineering review within
//! three working days, deposit and fees, the 施工证 only after payment, worker passes
//! (临时出入证), renovation patrols (装修巡查), extensions applied for a week ahead, the
//! completion inspection signed by engineer and owner, and the deposit refund.

use crate::calendar::{local_date, WorkCalendar};
use crate::ids::{SiteId, StaffId, UnitId};
use crate::money::Fen;
use crate::people::{IdCardNumber, PhoneNumber, Role};
use crate::sync::wire::BlobRef;
use crate::work_orders::Actor;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Working days engineering has to review the drawings (S2 4.1.2).
pub const REVIEW_WORKING_DAYS: u32 = 3;
/// An extension is asked for at least this many days before the declared end (S2 4.1.6).
pub const EXTENSION_NOTICE_DAYS: i64 = 7;

/// The documents brought to the front desk (S2 4.1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RenovationDocument {
    /// 个人有效身份证件
    OwnerId,
    /// 房屋有关产权证明
    OwnershipProof,
    /// 装修单位营业执照和资质证明
    CompanyLicence,
    /// 装修方案
    Plan,
}

impl RenovationDocument {
    pub const ALL: [RenovationDocument; 4] = [
        RenovationDocument::OwnerId,
        RenovationDocument::OwnershipProof,
        RenovationDocument::CompanyLicence,
        RenovationDocument::Plan,
    ];
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentCheck {
    pub document: RenovationDocument,
    #[serde(default)]
    pub photo: Option<BlobRef>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RenovationStatus {
    /// 已申请，待工程部审核
    Applied,
    /// 工程部审核通过，待核定费用
    Approved,
    /// 审核不通过
    Rejected,
    /// 已核定装修保证金及费用，待交费
    FeesSet,
    /// 已交费，待发施工证
    Paid,
    /// 已发施工证，施工中
    PermitIssued,
    /// 完工申请验收
    CompletionRequested,
    /// 工程师验收签字
    Inspected,
    /// 已退押金
    Refunded,
}

impl RenovationStatus {
    pub const fn code(self) -> &'static str {
        match self {
            RenovationStatus::Applied => "applied",
            RenovationStatus::Approved => "approved",
            RenovationStatus::Rejected => "rejected",
            RenovationStatus::FeesSet => "fees_set",
            RenovationStatus::Paid => "paid",
            RenovationStatus::PermitIssued => "permit_issued",
            RenovationStatus::CompletionRequested => "completion_requested",
            RenovationStatus::Inspected => "inspected",
            RenovationStatus::Refunded => "refunded",
        }
    }

    /// Work goes on in the unit: patrols are due, workers come and go.
    pub const fn under_construction(self) -> bool {
        matches!(
            self,
            RenovationStatus::PermitIssued | RenovationStatus::CompletionRequested
        )
    }
}

/// 临时出入证: one worker's pass.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkerPass {
    pub id: Uuid,
    /// Per permit: 1, 2, 3 …
    pub number: u32,
    pub name: String,
    /// Stored in full for the register; sent masked.
    pub id_card: String,
    pub phone: String,
    pub issued_at: DateTime<Utc>,
    #[serde(default)]
    pub revoked: Option<Revocation>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Revocation {
    pub reason: String,
    pub at: DateTime<Utc>,
    pub by: StaffId,
}

/// One 装修巡查 record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PatrolRecord {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub by: StaffId,
    pub findings: String,
    /// 违章: stopped at once and restoration ordered.
    pub violation: bool,
    #[serde(default)]
    pub photos: Vec<BlobRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Extension {
    pub requested_at: DateTime<Utc>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub reason: String,
    pub by: StaffId,
}

/// 验收: the engineer's and the owner's signatures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Inspection {
    pub at: DateTime<Utc>,
    pub engineer: StaffId,
    pub engineer_signature: BlobRef,
    pub owner_name: String,
    pub owner_signature: BlobRef,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RenovationHistory {
    pub at: DateTime<Utc>,
    pub by: StaffId,
    pub action: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// 装修申请 and everything after it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Renovation {
    pub id: Uuid,
    pub site_id: SiteId,
    pub unit_id: UnitId,
    pub applicant: String,
    pub applicant_phone: String,
    pub company: String,
    pub scope: String,
    pub planned_start: NaiveDate,
    pub declared_end: NaiveDate,
    pub documents: Vec<DocumentCheck>,
    pub applied_at: DateTime<Utc>,
    /// Engineering's review is due by the end of this day (three working days).
    pub review_due: NaiveDate,
    pub status: RenovationStatus,
    #[serde(default)]
    pub review_note: String,
    #[serde(default)]
    pub reviewed_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub deposit: Fen,
    #[serde(default)]
    pub fees: Fen,
    #[serde(default)]
    pub paid_at: Option<DateTime<Utc>>,
    /// 施工证 number, given when the permit is issued.
    #[serde(default)]
    pub permit_number: Option<String>,
    #[serde(default)]
    pub permit_issued_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub workers: Vec<WorkerPass>,
    #[serde(default)]
    pub patrols: Vec<PatrolRecord>,
    #[serde(default)]
    pub extensions: Vec<Extension>,
    #[serde(default)]
    pub completion_requested_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub inspection: Option<Inspection>,
    #[serde(default)]
    pub refunded_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub history: Vec<RenovationHistory>,
}

impl Renovation {
    /// The review is late: still waiting after its due day.
    pub fn review_overdue(&self, today: NaiveDate) -> bool {
        self.status == RenovationStatus::Applied && today > self.review_due
    }

    /// The last day an extension may be asked for.
    pub fn extension_deadline(&self) -> NaiveDate {
        self.declared_end - Duration::days(EXTENSION_NOTICE_DAYS)
    }
}

/// What the desk enters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RenovationApplication {
    pub unit_id: UnitId,
    pub applicant: String,
    pub applicant_phone: String,
    pub company: String,
    #[serde(default)]
    pub scope: String,
    pub planned_start: NaiveDate,
    pub declared_end: NaiveDate,
    pub documents: Vec<DocumentCheck>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RenovationCommand {
    Apply(RenovationApplication),
    /// 工程部审核图纸.
    Review {
        approved: bool,
        #[serde(default)]
        note: String,
    },
    /// 物业助理核定装修保证金及其他各项费用.
    SetFees {
        deposit: Fen,
        fees: Fen,
    },
    /// 收银处收取相关费用.
    MarkPaid,
    /// 办理《施工证》; `permit_number` is made by the caller.
    IssuePermit {
        permit_number: String,
    },
    /// 《临时出入证》 for one worker.
    AddWorker {
        worker_id: Uuid,
        name: String,
        id_card: String,
        phone: String,
    },
    /// 收缴临时出入证.
    RevokeWorker {
        worker_id: Uuid,
        reason: String,
    },
    /// 装修巡查.
    Patrol {
        record_id: Uuid,
        findings: String,
        #[serde(default)]
        violation: bool,
        #[serde(default)]
        photos: Vec<BlobRef>,
    },
    /// 延期手续.
    Extend {
        new_end: NaiveDate,
        #[serde(default)]
        reason: String,
    },
    /// 完工申请验收.
    RequestCompletion,
    /// 工程师验收签字, with the owner's signature.
    Inspect {
        engineer_signature: BlobRef,
        owner_name: String,
        owner_signature: BlobRef,
        #[serde(default)]
        note: String,
    },
    /// 退押金.
    RefundDeposit,
}

impl RenovationCommand {
    pub fn name(&self) -> &'static str {
        match self {
            RenovationCommand::Apply(_) => "apply",
            RenovationCommand::Review { approved: true, .. } => "approve",
            RenovationCommand::Review { .. } => "reject",
            RenovationCommand::SetFees { .. } => "set_fees",
            RenovationCommand::MarkPaid => "mark_paid",
            RenovationCommand::IssuePermit { .. } => "issue_permit",
            RenovationCommand::AddWorker { .. } => "add_worker",
            RenovationCommand::RevokeWorker { .. } => "revoke_worker",
            RenovationCommand::Patrol { .. } => "patrol",
            RenovationCommand::Extend { .. } => "extend",
            RenovationCommand::RequestCompletion => "request_completion",
            RenovationCommand::Inspect { .. } => "inspect",
            RenovationCommand::RefundDeposit => "refund_deposit",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenovationRefusal {
    #[error("your role may not {0}")]
    Forbidden(&'static str),
    #[error("you are not assigned to this site")]
    SiteForbidden,
    #[error("the unit is unknown")]
    UnitNotFound,
    #[error("every required document must be checked")]
    DocumentsMissing,
    #[error("the declared end is before the start")]
    BadDates,
    #[error("{field}: {reason}")]
    Invalid {
        field: &'static str,
        reason: &'static str,
    },
    #[error("the permit is issued only after the deposit and fees are paid")]
    DepositUnpaid,
    #[error("set the deposit and fees first")]
    FeesNotSet,
    #[error("the renovation is not under construction")]
    NotUnderConstruction,
    #[error("no such worker pass, or it is revoked already")]
    UnknownWorker,
    #[error("an extension must be asked for at least a week before the declared end")]
    ExtensionTooLate,
    #[error("the completion inspection needs the engineer's and the owner's signatures")]
    SignaturesMissing,
    #[error("the deposit is refunded only after the completion inspection is signed")]
    InspectionUnsigned,
    #[error("cannot {action} a renovation that is {from}")]
    WrongStatus {
        from: &'static str,
        action: &'static str,
    },
    #[error("this renovation exists already")]
    AlreadyExists,
    #[error("no such renovation")]
    NotFound,
}

impl RenovationRefusal {
    pub fn code(&self) -> &'static str {
        match self {
            RenovationRefusal::Forbidden(_) => "forbidden",
            RenovationRefusal::SiteForbidden => "site_forbidden",
            RenovationRefusal::UnitNotFound => "unit_not_found",
            RenovationRefusal::DocumentsMissing => "documents_missing",
            RenovationRefusal::BadDates => "bad_dates",
            RenovationRefusal::Invalid { .. } => "invalid_input",
            RenovationRefusal::DepositUnpaid => "deposit_unpaid",
            RenovationRefusal::FeesNotSet => "fees_not_set",
            RenovationRefusal::NotUnderConstruction => "not_under_construction",
            RenovationRefusal::UnknownWorker => "unknown_worker",
            RenovationRefusal::ExtensionTooLate => "extension_too_late",
            RenovationRefusal::SignaturesMissing => "signatures_missing",
            RenovationRefusal::InspectionUnsigned => "inspection_unsigned",
            RenovationRefusal::WrongStatus { .. } => "wrong_status",
            RenovationRefusal::AlreadyExists => "already_exists",
            RenovationRefusal::NotFound => "not_found",
        }
    }
}

/// 客户服务部 paperwork: the desk and the customer-service managers.
fn customer_service(role: Role) -> bool {
    matches!(role, Role::Desk | Role::CsMgr | Role::CenterMgr)
}
/// 工程部 approves drawings and inspects.
fn engineering(role: Role) -> bool {
    matches!(role, Role::EngMgr | Role::CenterMgr)
}
/// 财务部 collects and refunds.
fn finance(role: Role) -> bool {
    role == Role::Finance
}
/// 装修巡查: 秩序维护部 (security), patrol officers and customer service.
fn patrols(role: Role) -> bool {
    matches!(
        role,
        Role::Patrol | Role::Security | Role::Desk | Role::CsMgr | Role::CenterMgr
    )
}

fn text(
    field: &'static str,
    s: &str,
    max: usize,
    required: bool,
) -> Result<String, RenovationRefusal> {
    let t = s.trim();
    if required && t.is_empty() {
        return Err(RenovationRefusal::Invalid {
            field,
            reason: "required",
        });
    }
    if t.chars().count() > max {
        return Err(RenovationRefusal::Invalid {
            field,
            reason: "too long",
        });
    }
    Ok(t.to_owned())
}

fn allow(ok: bool, what: &'static str) -> Result<(), RenovationRefusal> {
    if ok {
        Ok(())
    } else {
        Err(RenovationRefusal::Forbidden(what))
    }
}

const SHORT: usize = 64;
const LONG: usize = 500;
/// The longest declared period accepted (a year); longer works are not home renovations.
const MAX_PERIOD_DAYS: i64 = 366;

/// What the rules need from storage.
#[derive(Debug, Clone, Default)]
pub struct RenovationFacts {
    /// The site of the unit an `Apply` names, if it exists.
    pub unit_site: Option<SiteId>,
    /// The site's working days (holidays, 调休) for the review deadline.
    pub calendar: WorkCalendar,
}

/// The one transition function.
pub fn apply(
    current: Option<&Renovation>,
    id: Uuid,
    cmd: &RenovationCommand,
    actor: &Actor,
    facts: &RenovationFacts,
    now: DateTime<Utc>,
) -> Result<Renovation, RenovationRefusal> {
    let unit_site = facts.unit_site;
    use RenovationCommand as C;
    use RenovationStatus as S;
    let role = actor.role;
    if let C::Apply(a) = cmd {
        if current.is_some() {
            return Err(RenovationRefusal::AlreadyExists);
        }
        allow(customer_service(role), "take renovation applications")?;
        let site = unit_site.ok_or(RenovationRefusal::UnitNotFound)?;
        if !actor.sites.contains(&site) {
            return Err(RenovationRefusal::SiteForbidden);
        }
        let applicant = text("applicant", &a.applicant, SHORT, true)?;
        let phone =
            PhoneNumber::parse(&a.applicant_phone).map_err(|_| RenovationRefusal::Invalid {
                field: "applicant_phone",
                reason: "not a phone number",
            })?;
        let company = text("company", &a.company, SHORT, true)?;
        let scope = text("scope", &a.scope, LONG, false)?;
        let required_all = RenovationDocument::ALL
            .iter()
            .all(|d| a.documents.iter().any(|c| c.document == *d));
        if !required_all {
            return Err(RenovationRefusal::DocumentsMissing);
        }
        if a.documents
            .iter()
            .any(|d| d.photo.as_ref().is_some_and(|p| !p.is_valid()))
        {
            return Err(RenovationRefusal::Invalid {
                field: "documents",
                reason: "not a valid photo",
            });
        }
        if a.declared_end < a.planned_start
            || (a.declared_end - a.planned_start).num_days() > MAX_PERIOD_DAYS
        {
            return Err(RenovationRefusal::BadDates);
        }
        let mut docs = a.documents.clone();
        docs.sort_by_key(|d| d.document);
        docs.dedup_by_key(|d| d.document);
        let today = local_date(now);
        return Ok(Renovation {
            id,
            site_id: site,
            unit_id: a.unit_id,
            applicant,
            applicant_phone: phone.as_str().to_owned(),
            company,
            scope,
            planned_start: a.planned_start,
            declared_end: a.declared_end,
            documents: docs,
            applied_at: now,
            review_due: facts.calendar.add_working_days(today, REVIEW_WORKING_DAYS),
            status: S::Applied,
            review_note: String::new(),
            reviewed_at: None,
            deposit: Fen(0),
            fees: Fen(0),
            paid_at: None,
            permit_number: None,
            permit_issued_at: None,
            workers: Vec::new(),
            patrols: Vec::new(),
            extensions: Vec::new(),
            completion_requested_at: None,
            inspection: None,
            refunded_at: None,
            history: vec![RenovationHistory {
                at: now,
                by: actor.staff_id,
                action: "apply".into(),
                note: String::new(),
            }],
        });
    }
    let cur = current.ok_or(RenovationRefusal::NotFound)?;
    if !actor.sites.contains(&cur.site_id) {
        return Err(RenovationRefusal::SiteForbidden);
    }
    let wrong = |action: &'static str| RenovationRefusal::WrongStatus {
        from: cur.status.code(),
        action,
    };
    let mut next = cur.clone();
    let mut note = String::new();
    match cmd {
        C::Apply(_) => return Err(RenovationRefusal::AlreadyExists),
        C::Review { approved, note: n } => {
            allow(engineering(role), "review renovation drawings")?;
            if cur.status != S::Applied {
                return Err(wrong("review"));
            }
            note = text("note", n, LONG, !approved)?;
            next.review_note = note.clone();
            next.reviewed_at = Some(now);
            next.status = if *approved { S::Approved } else { S::Rejected };
        }
        C::SetFees { deposit, fees } => {
            allow(customer_service(role), "set renovation fees")?;
            if !matches!(cur.status, S::Approved | S::FeesSet) {
                return Err(wrong("set the fees of"));
            }
            if deposit.0 <= 0 || fees.0 < 0 {
                return Err(RenovationRefusal::Invalid {
                    field: "deposit",
                    reason: "the deposit must be positive and the fees not negative",
                });
            }
            next.deposit = *deposit;
            next.fees = *fees;
            next.status = S::FeesSet;
        }
        C::MarkPaid => {
            allow(finance(role), "record payments")?;
            match cur.status {
                S::FeesSet => {}
                S::Applied | S::Approved => return Err(RenovationRefusal::FeesNotSet),
                _ => return Err(wrong("mark paid")),
            }
            next.paid_at = Some(now);
            next.status = S::Paid;
        }
        C::IssuePermit { permit_number } => {
            allow(customer_service(role), "issue permits")?;
            match cur.status {
                S::Paid => {}
                S::Applied | S::Approved | S::FeesSet => {
                    return Err(RenovationRefusal::DepositUnpaid)
                }
                _ => return Err(wrong("issue the permit of")),
            }
            next.permit_number = Some(text("permit_number", permit_number, SHORT, true)?);
            next.permit_issued_at = Some(now);
            next.status = S::PermitIssued;
        }
        C::AddWorker {
            worker_id,
            name,
            id_card,
            phone,
        } => {
            allow(customer_service(role), "register worker passes")?;
            if !cur.status.under_construction() {
                return Err(RenovationRefusal::NotUnderConstruction);
            }
            let name = text("name", name, SHORT, true)?;
            let id_card = IdCardNumber::parse(id_card).map_err(|_| RenovationRefusal::Invalid {
                field: "id_card",
                reason: "not a valid ID-card number",
            })?;
            let phone = PhoneNumber::parse(phone).map_err(|_| RenovationRefusal::Invalid {
                field: "phone",
                reason: "not a phone number",
            })?;
            if cur.workers.iter().any(|w| w.id == *worker_id) {
                return Err(RenovationRefusal::AlreadyExists);
            }
            let number = cur.workers.len() as u32 + 1;
            note = format!("{number} {name}");
            next.workers.push(WorkerPass {
                id: *worker_id,
                number,
                name,
                id_card: id_card.as_str().to_owned(),
                phone: phone.as_str().to_owned(),
                issued_at: now,
                revoked: None,
            });
        }
        C::RevokeWorker { worker_id, reason } => {
            allow(
                customer_service(role) || patrols(role),
                "revoke worker passes",
            )?;
            let reason = text("reason", reason, LONG, true)?;
            let w = next
                .workers
                .iter_mut()
                .find(|w| w.id == *worker_id && w.revoked.is_none())
                .ok_or(RenovationRefusal::UnknownWorker)?;
            note = format!("{} {}：{reason}", w.number, w.name);
            w.revoked = Some(Revocation {
                reason,
                at: now,
                by: actor.staff_id,
            });
        }
        C::Patrol {
            record_id,
            findings,
            violation,
            photos,
        } => {
            allow(patrols(role), "record renovation patrols")?;
            if !cur.status.under_construction() {
                return Err(RenovationRefusal::NotUnderConstruction);
            }
            let findings = text("findings", findings, LONG, true)?;
            if photos.len() > 6 || photos.iter().any(|p| !p.is_valid()) {
                return Err(RenovationRefusal::Invalid {
                    field: "photos",
                    reason: "up to 6 valid photos",
                });
            }
            if cur.patrols.iter().any(|p| p.id == *record_id) {
                return Err(RenovationRefusal::AlreadyExists);
            }
            note = findings.clone();
            next.patrols.push(PatrolRecord {
                id: *record_id,
                at: now,
                by: actor.staff_id,
                findings,
                violation: *violation,
                photos: photos.clone(),
            });
        }
        C::Extend { new_end, reason } => {
            allow(customer_service(role), "extend renovations")?;
            if !cur.status.under_construction() && cur.status != S::Paid {
                return Err(wrong("extend"));
            }
            if *new_end <= cur.declared_end
                || (*new_end - cur.planned_start).num_days() > MAX_PERIOD_DAYS
            {
                return Err(RenovationRefusal::BadDates);
            }
            if local_date(now) > cur.extension_deadline() {
                return Err(RenovationRefusal::ExtensionTooLate);
            }
            let reason = text("reason", reason, LONG, false)?;
            note = format!("{} → {}", cur.declared_end, new_end);
            next.extensions.push(Extension {
                requested_at: now,
                from: cur.declared_end,
                to: *new_end,
                reason,
                by: actor.staff_id,
            });
            next.declared_end = *new_end;
        }
        C::RequestCompletion => {
            allow(customer_service(role), "record completion requests")?;
            if cur.status != S::PermitIssued {
                return Err(wrong("request completion of"));
            }
            next.completion_requested_at = Some(now);
            next.status = S::CompletionRequested;
        }
        C::Inspect {
            engineer_signature,
            owner_name,
            owner_signature,
            note: n,
        } => {
            allow(engineering(role), "sign the completion inspection")?;
            if cur.status != S::CompletionRequested {
                return Err(wrong("inspect"));
            }
            if !engineer_signature.is_valid() || !owner_signature.is_valid() {
                return Err(RenovationRefusal::SignaturesMissing);
            }
            let owner_name = text("owner_name", owner_name, SHORT, true)?;
            note = text("note", n, LONG, false)?;
            next.inspection = Some(Inspection {
                at: now,
                engineer: actor.staff_id,
                engineer_signature: engineer_signature.clone(),
                owner_name,
                owner_signature: owner_signature.clone(),
                note: note.clone(),
            });
            next.status = S::Inspected;
        }
        C::RefundDeposit => {
            allow(finance(role), "refund deposits")?;
            match cur.status {
                S::Inspected => {}
                S::Refunded => return Err(wrong("refund")),
                _ => return Err(RenovationRefusal::InspectionUnsigned),
            }
            next.refunded_at = Some(now);
            next.status = S::Refunded;
        }
    }
    next.history.push(RenovationHistory {
        at: now,
        by: actor.staff_id,
        action: cmd.name().into(),
        note,
    });
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::work_orders::sla::china;
    use chrono::TimeZone;

    fn site() -> SiteId {
        SiteId(Uuid::from_u128(1))
    }
    fn unit() -> UnitId {
        UnitId(Uuid::from_u128(2))
    }
    fn actor(role: Role) -> Actor {
        Actor {
            staff_id: StaffId(Uuid::from_u128(9)),
            role,
            sites: vec![site()],
        }
    }
    fn on_site() -> RenovationFacts {
        RenovationFacts {
            unit_site: Some(site()),
            calendar: WorkCalendar::default(),
        }
    }
    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }
    fn at(d: NaiveDate) -> DateTime<Utc> {
        china()
            .from_local_datetime(&d.and_hms_opt(10, 0, 0).expect("t"))
            .single()
            .expect("t")
            .with_timezone(&Utc)
    }
    fn blob(c: char) -> BlobRef {
        BlobRef {
            sha256: c.to_string().repeat(64),
            size: 10,
            content_type: "image/png".into(),
        }
    }
    fn application() -> RenovationApplication {
        RenovationApplication {
            unit_id: unit(),
            applicant: "周业主".into(),
            applicant_phone: "13800138000".into(),
            company: "杭州安居装饰有限公司".into(),
            scope: "厨房卫生间翻新".into(),
            planned_start: day(2026, 12, 1),
            declared_end: day(2027, 1, 31),
            documents: RenovationDocument::ALL
                .iter()
                .map(|d| DocumentCheck {
                    document: *d,
                    photo: None,
                })
                .collect(),
        }
    }
    /// Thursday 19 November 2026.
    fn thursday() -> DateTime<Utc> {
        at(day(2026, 11, 19))
    }
    fn step(
        cur: &Renovation,
        cmd: RenovationCommand,
        role: Role,
        now: DateTime<Utc>,
    ) -> Result<Renovation, RenovationRefusal> {
        apply(
            Some(cur),
            cur.id,
            &cmd,
            &actor(role),
            &RenovationFacts::default(),
            now,
        )
    }
    fn code<T>(r: Result<T, RenovationRefusal>) -> Result<T, &'static str> {
        r.map_err(|e| e.code())
    }
    fn applied() -> Renovation {
        apply(
            None,
            Uuid::from_u128(5),
            &RenovationCommand::Apply(application()),
            &actor(Role::Desk),
            &on_site(),
            thursday(),
        )
        .expect("applied")
    }
    fn paid() -> Renovation {
        let t = thursday();
        let r = step(
            &applied(),
            RenovationCommand::Review {
                approved: true,
                note: String::new(),
            },
            Role::EngMgr,
            t,
        )
        .expect("approved");
        let r = step(
            &r,
            RenovationCommand::SetFees {
                deposit: Fen(200_000),
                fees: Fen(35_000),
            },
            Role::Desk,
            t,
        )
        .expect("fees");
        step(&r, RenovationCommand::MarkPaid, Role::Finance, t).expect("paid")
    }
    fn permitted() -> Renovation {
        step(
            &paid(),
            RenovationCommand::IssuePermit {
                permit_number: "ZX-2026-11-0001".into(),
            },
            Role::Desk,
            thursday(),
        )
        .expect("permit")
    }

    #[test]
    fn review_due_three_working_days_across_the_weekend() {
        let r = applied();
        // Thursday → Friday, Monday, Tuesday.
        assert_eq!(r.review_due, day(2026, 11, 24));
        assert!(!r.review_overdue(day(2026, 11, 24)));
        assert!(r.review_overdue(day(2026, 11, 25)));
        // Applied on a Friday evening (China time) the weekend does not count either.
        let fri = china()
            .with_ymd_and_hms(2026, 11, 20, 23, 30, 0)
            .single()
            .expect("t")
            .with_timezone(&Utc);
        let r = apply(
            None,
            Uuid::from_u128(6),
            &RenovationCommand::Apply(application()),
            &actor(Role::Desk),
            &on_site(),
            fri,
        )
        .expect("applied");
        assert_eq!(r.review_due, day(2026, 11, 25));
        // Once reviewed it is no longer overdue.
        let done = step(
            &r,
            RenovationCommand::Review {
                approved: true,
                note: String::new(),
            },
            Role::EngMgr,
            at(day(2026, 11, 30)),
        )
        .expect("late review still recorded");
        assert!(!done.review_overdue(day(2026, 12, 1)));
    }

    #[test]
    fn review_due_follows_the_site_calendar() {
        let sat = at(day(2026, 11, 21));
        let r = apply(
            None,
            Uuid::from_u128(7),
            &RenovationCommand::Apply(application()),
            &actor(Role::Desk),
            &on_site(),
            sat,
        )
        .expect("applied");
        // Saturday: counting starts Monday, then Tuesday, Wednesday, Thursday.
        assert_eq!(r.review_due, day(2026, 11, 26));
        let mut facts = on_site();
        facts.calendar.holidays = vec![day(2026, 11, 20)];
        let r = apply(
            None,
            Uuid::from_u128(8),
            &RenovationCommand::Apply(application()),
            &actor(Role::Desk),
            &facts,
            thursday(),
        )
        .expect("applied");
        // A holiday on Friday pushes the due day to Wednesday.
        assert_eq!(r.review_due, day(2026, 11, 25));
    }

    #[test]
    fn documents_missing_and_bad_input() {
        let mut a = application();
        a.documents
            .retain(|d| d.document != RenovationDocument::CompanyLicence);
        let e = apply(
            None,
            Uuid::from_u128(5),
            &RenovationCommand::Apply(a),
            &actor(Role::Desk),
            &on_site(),
            thursday(),
        );
        assert_eq!(code(e), Err("documents_missing"));
        let mut a = application();
        a.declared_end = day(2026, 11, 30);
        let e = apply(
            None,
            Uuid::from_u128(5),
            &RenovationCommand::Apply(a),
            &actor(Role::Desk),
            &on_site(),
            thursday(),
        );
        assert_eq!(code(e), Err("bad_dates"));
        let mut a = application();
        a.applicant_phone = "12".into();
        let e = apply(
            None,
            Uuid::from_u128(5),
            &RenovationCommand::Apply(a),
            &actor(Role::Desk),
            &on_site(),
            thursday(),
        );
        assert_eq!(code(e), Err("invalid_input"));
        let e = apply(
            None,
            Uuid::from_u128(5),
            &RenovationCommand::Apply(application()),
            &actor(Role::Desk),
            &RenovationFacts::default(),
            thursday(),
        );
        assert_eq!(code(e), Err("unit_not_found"));
        let mut other = actor(Role::Desk);
        other.sites = vec![SiteId(Uuid::from_u128(77))];
        let e = apply(
            None,
            Uuid::from_u128(5),
            &RenovationCommand::Apply(application()),
            &other,
            &on_site(),
            thursday(),
        );
        assert_eq!(code(e), Err("site_forbidden"));
        let e = apply(
            None,
            Uuid::from_u128(5),
            &RenovationCommand::Apply(application()),
            &actor(Role::Tech),
            &on_site(),
            thursday(),
        );
        assert_eq!(code(e), Err("forbidden"));
    }

    #[test]
    fn review_by_engineering_only_and_rejection_needs_a_reason() {
        let r = applied();
        let approve = || RenovationCommand::Review {
            approved: true,
            note: String::new(),
        };
        assert_eq!(
            code(step(&r, approve(), Role::Desk, thursday())),
            Err("forbidden")
        );
        let reject = RenovationCommand::Review {
            approved: false,
            note: " ".into(),
        };
        assert_eq!(
            code(step(&r, reject, Role::EngMgr, thursday())),
            Err("invalid_input")
        );
        let reject = RenovationCommand::Review {
            approved: false,
            note: "拆改承重墙".into(),
        };
        let x = step(&r, reject, Role::EngMgr, thursday()).expect("rejected");
        assert_eq!(x.status, RenovationStatus::Rejected);
        assert_eq!(
            code(step(&x, approve(), Role::EngMgr, thursday())),
            Err("wrong_status")
        );
    }

    #[test]
    fn permit_only_after_the_deposit_is_paid() {
        let t = thursday();
        let permit = || RenovationCommand::IssuePermit {
            permit_number: "ZX-1".into(),
        };
        let r = applied();
        assert_eq!(
            code(step(&r, permit(), Role::Desk, t)),
            Err("deposit_unpaid")
        );
        let r = step(
            &r,
            RenovationCommand::Review {
                approved: true,
                note: String::new(),
            },
            Role::EngMgr,
            t,
        )
        .expect("approved");
        assert_eq!(
            code(step(&r, RenovationCommand::MarkPaid, Role::Finance, t)),
            Err("fees_not_set")
        );
        let bad_fees = RenovationCommand::SetFees {
            deposit: Fen(0),
            fees: Fen(0),
        };
        assert_eq!(
            code(step(&r, bad_fees, Role::Desk, t)),
            Err("invalid_input")
        );
        let r = step(
            &r,
            RenovationCommand::SetFees {
                deposit: Fen(200_000),
                fees: Fen(0),
            },
            Role::Desk,
            t,
        )
        .expect("fees");
        assert_eq!(
            code(step(&r, permit(), Role::Desk, t)),
            Err("deposit_unpaid")
        );
        // Only finance records the payment.
        assert_eq!(
            code(step(&r, RenovationCommand::MarkPaid, Role::Desk, t)),
            Err("forbidden")
        );
        let r = step(&r, RenovationCommand::MarkPaid, Role::Finance, t).expect("paid");
        let r = step(&r, permit(), Role::Desk, t).expect("permit");
        assert_eq!(r.status, RenovationStatus::PermitIssued);
    }

    #[test]
    fn workers_registered_and_revoked_with_a_reason() {
        let t = thursday();
        let add = |id: u128| RenovationCommand::AddWorker {
            worker_id: Uuid::from_u128(id),
            name: "张师傅".into(),
            id_card: "11010519491231002X".into(),
            phone: "13900139000".into(),
        };
        assert_eq!(
            code(step(&paid(), add(1), Role::Desk, t)),
            Err("not_under_construction")
        );
        let r = step(&permitted(), add(1), Role::Desk, t).expect("worker");
        assert_eq!(r.workers[0].number, 1);
        let bad = RenovationCommand::AddWorker {
            worker_id: Uuid::from_u128(2),
            name: "李".into(),
            id_card: "123".into(),
            phone: "13900139000".into(),
        };
        assert_eq!(code(step(&r, bad, Role::Desk, t)), Err("invalid_input"));
        let revoke = |reason: &str| RenovationCommand::RevokeWorker {
            worker_id: Uuid::from_u128(1),
            reason: reason.into(),
        };
        assert_eq!(
            code(step(&r, revoke(""), Role::Desk, t)),
            Err("invalid_input")
        );
        let r = step(&r, revoke("证件与规定不符，收缴"), Role::Security, t).expect("revoked");
        assert!(r.workers[0].revoked.is_some());
        assert_eq!(
            code(step(&r, revoke("again"), Role::Desk, t)),
            Err("unknown_worker")
        );
    }

    #[test]
    fn patrols_only_while_work_lasts() {
        let t = thursday();
        let patrol = |id: u128, violation: bool| RenovationCommand::Patrol {
            record_id: Uuid::from_u128(id),
            findings: "封堵地漏".into(),
            violation,
            photos: vec![],
        };
        assert_eq!(
            code(step(&paid(), patrol(1, false), Role::Security, t)),
            Err("not_under_construction")
        );
        let r = step(&permitted(), patrol(1, true), Role::Security, t).expect("patrol");
        assert!(r.patrols[0].violation);
        assert_eq!(
            code(step(&r, patrol(2, false), Role::Finance, t)),
            Err("forbidden")
        );
        let r = step(&r, patrol(2, false), Role::Patrol, t).expect("patrol 2");
        assert_eq!(r.patrols.len(), 2);
    }

    #[test]
    fn extension_at_least_a_week_before_the_declared_end() {
        let r = permitted();
        // Declared end 31 January: the last day to ask is 24 January.
        assert_eq!(r.extension_deadline(), day(2027, 1, 24));
        let ext = |to: NaiveDate| RenovationCommand::Extend {
            new_end: to,
            reason: "材料到货延迟".into(),
        };
        assert_eq!(
            code(step(
                &r,
                ext(day(2027, 2, 15)),
                Role::Desk,
                at(day(2027, 1, 25))
            )),
            Err("extension_too_late")
        );
        assert_eq!(
            code(step(
                &r,
                ext(day(2027, 1, 20)),
                Role::Desk,
                at(day(2027, 1, 10))
            )),
            Err("bad_dates")
        );
        let x = step(&r, ext(day(2027, 2, 15)), Role::Desk, at(day(2027, 1, 24))).expect("in time");
        assert_eq!(x.declared_end, day(2027, 2, 15));
        assert_eq!(x.extensions[0].from, day(2027, 1, 31));
    }

    #[test]
    fn completion_inspection_signed_before_the_refund() {
        let t = thursday();
        let r = permitted();
        assert_eq!(
            code(step(&r, RenovationCommand::RefundDeposit, Role::Finance, t)),
            Err("inspection_unsigned")
        );
        let r = step(&r, RenovationCommand::RequestCompletion, Role::Desk, t).expect("completion");
        assert_eq!(
            code(step(&r, RenovationCommand::RefundDeposit, Role::Finance, t)),
            Err("inspection_unsigned")
        );
        let unsigned = RenovationCommand::Inspect {
            engineer_signature: blob('a'),
            owner_name: "周业主".into(),
            owner_signature: BlobRef {
                sha256: String::new(),
                size: 0,
                content_type: "image/png".into(),
            },
            note: String::new(),
        };
        assert_eq!(
            code(step(&r, unsigned, Role::EngMgr, t)),
            Err("signatures_missing")
        );
        let signed = RenovationCommand::Inspect {
            engineer_signature: blob('a'),
            owner_name: "周业主".into(),
            owner_signature: blob('b'),
            note: "验收合格".into(),
        };
        assert_eq!(
            code(step(&r, signed.clone(), Role::Desk, t)),
            Err("forbidden")
        );
        let r = step(&r, signed, Role::EngMgr, t).expect("inspected");
        assert_eq!(
            code(step(&r, RenovationCommand::RefundDeposit, Role::Desk, t)),
            Err("forbidden")
        );
        let r = step(&r, RenovationCommand::RefundDeposit, Role::Finance, t).expect("refunded");
        assert_eq!(r.status, RenovationStatus::Refunded);
        assert_eq!(
            code(step(&r, RenovationCommand::RefundDeposit, Role::Finance, t)),
            Err("wrong_status")
        );
        assert_eq!(
            r.history
                .iter()
                .map(|h| h.action.as_str())
                .collect::<Vec<_>>(),
            [
                "apply",
                "approve",
                "set_fees",
                "mark_paid",
                "issue_permit",
                "request_completion",
                "inspect",
                "refund_deposit"
            ]
        );
    }

    #[test]
    fn a_step_needs_a_record_and_an_apply_a_new_one() {
        let e = apply(
            None,
            Uuid::from_u128(5),
            &RenovationCommand::MarkPaid,
            &actor(Role::Finance),
            &on_site(),
            thursday(),
        );
        assert_eq!(code(e), Err("not_found"));
        let r = applied();
        assert_eq!(
            code(step(
                &r,
                RenovationCommand::Apply(application()),
                Role::Desk,
                thursday()
            )),
            Err("already_exists")
        );
    }

    #[test]
    fn other_site_refused_on_every_step() {
        let mut other = actor(Role::Finance);
        other.sites = vec![SiteId(Uuid::from_u128(77))];
        let r = paid();
        let e = apply(
            Some(&r),
            r.id,
            &RenovationCommand::RefundDeposit,
            &other,
            &RenovationFacts::default(),
            thursday(),
        );
        assert_eq!(code(e), Err("site_forbidden"));
    }
}
