//! The 放行条 (S3 篇1): identity checked, details recorded, fees cleared, signed by the handler
//! (经办人), issued with a serial number in two parts (存根联, 通知联); voided (作废) with a
//! reason, never deleted; used once at the gate.

use super::policy::ReleasePolicy;
use crate::ids::{SiteId, StaffId, UnitId};
use crate::people::{IdCardNumber, Role};
use crate::sync::wire::BlobRef;
use crate::work_orders::Actor;
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub const MAX_NAME_CHARS: usize = 32;
pub const MAX_TEXT_CHARS: usize = 200;
pub const MAX_ITEM_LINES: usize = 30;
pub const MAX_QUANTITY: u32 = 999;
/// Serial prefix of the site counter (`FX-2026-11-0001`).
pub const SERIAL_PREFIX: &str = "FX";

/// How the owner's identity was checked, each "□" ticked "√" (S3 篇1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum IdentityCheck {
    /// 业主本人: the original ID card (身份证原件) was seen.
    InPerson { original_id: bool },
    /// 电话确认: the caller knew the ID number, the family members and the employer, so a
    /// tenant cannot pose as the owner on the phone.
    Phone {
        id_number: bool,
        family_members: bool,
        employer: bool,
    },
}

impl IdentityCheck {
    pub fn complete(&self) -> bool {
        match *self {
            IdentityCheck::InPerson { original_id } => original_id,
            IdentityCheck::Phone {
                id_number,
                family_members,
                employer,
            } => id_number && family_members && employer,
        }
    }

    pub const fn code(&self) -> &'static str {
        match self {
            IdentityCheck::InPerson { .. } => "in_person",
            IdentityCheck::Phone { .. } => "phone",
        }
    }
}

/// One line of 物品名称 and 数量.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemLine {
    pub name: String,
    pub quantity: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PassStatus {
    /// 已开具: valid at the gate.
    Issued,
    /// 已放行: the gate let the items out.
    Used,
    /// 作废.
    Void,
}

impl PassStatus {
    pub const fn code(self) -> &'static str {
        match self {
            PassStatus::Issued => "issued",
            PassStatus::Used => "used",
            PassStatus::Void => "void",
        }
    }
}

/// The 放行条 as the server holds it and phones keep it. The mover's ID number is only here
/// masked; the server keeps the full number apart (for an audited reveal).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pass {
    pub id: Uuid,
    pub site_id: SiteId,
    /// 编号 `FX-2026-11-0001`.
    pub number: String,
    pub unit_id: UnitId,
    /// 房号 `5栋1单元101`.
    pub unit_label: String,
    /// 业主.
    pub owner_name: String,
    /// 住户 (tenant); empty when the owner lives there.
    #[serde(default)]
    pub tenant_name: String,
    pub identity: IdentityCheck,
    /// 开条时间.
    pub issued_at: DateTime<Utc>,
    /// 搬运时间, China local time as the desk typed it.
    pub moving_at: NaiveDateTime,
    /// 搬运人.
    pub mover_name: String,
    /// 搬运人身份证号, masked.
    pub mover_id_masked: String,
    pub items: Vec<ItemLine>,
    /// 业主意见, recorded truthfully.
    pub owner_opinion: String,
    /// When the unit's bills were checked and found paid (财务确认).
    pub fees_checked_at: DateTime<Utc>,
    /// 经办人.
    pub handler: StaffId,
    pub handler_name: String,
    pub handler_signature: BlobRef,
    pub status: PassStatus,
    #[serde(default)]
    pub used_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub used_by: Option<StaffId>,
    #[serde(default)]
    pub void_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub void_by: Option<StaffId>,
    #[serde(default)]
    pub void_reason: String,
}

/// What the desk fills in (the serial number comes from the site's counter).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PassDraft {
    pub unit_id: UnitId,
    pub owner_name: String,
    #[serde(default)]
    pub tenant_name: String,
    pub identity: IdentityCheck,
    pub moving_at: NaiveDateTime,
    pub mover_name: String,
    /// In full; only its mask enters the record.
    pub mover_id_number: String,
    pub items: Vec<ItemLine>,
    pub owner_opinion: String,
    pub handler_signature: BlobRef,
}

/// An open bill of the unit: an unpaid 付款请求书 or another bill the site recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenBill {
    pub number: String,
    pub amount_fen: i64,
}

/// What issuing needs to know besides the draft.
#[derive(Debug, Clone, PartialEq)]
pub struct IssueFacts {
    /// The unit's site and label; `None` when the unit is unknown.
    pub unit: Option<(SiteId, String)>,
    pub open_bills: Vec<OpenBill>,
    pub policy: ReleasePolicy,
    pub handler_name: String,
    /// The handler's signature image is on the server.
    pub signature_uploaded: bool,
}

/// Gate and desk commands on an issued pass.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PassCommand {
    /// 确认放行 at the gate (security, offline too).
    Use,
    /// 作废 with the reason (the desk).
    Void { reason: String },
}

impl PassCommand {
    pub const fn type_name(&self) -> &'static str {
        match self {
            PassCommand::Use => "pass.use",
            PassCommand::Void { .. } => "pass.void",
        }
    }

    pub fn blobs(&self) -> Vec<BlobRef> {
        Vec::new()
    }
}

/// Why a pass is refused. [`ReleaseError::code`] is the stable snake_case code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReleaseError {
    #[error("the unit has {count} unpaid bill(s): a pass is issued only when all fees are paid")]
    UnpaidFees { count: usize },
    #[error("the owner's identity check is not complete")]
    IdentityIncomplete,
    #[error("this site confirms identity in person only (original ID card)")]
    PhoneConfirmationNotAllowed,
    #[error("a pass lists at least one item")]
    NoItems,
    #[error("this pass was used at the gate already")]
    AlreadyUsed,
    #[error("this pass is void (作废)")]
    Void,
    #[error("no pass with this number was issued")]
    NotIssued,
    #[error("the handler's signature is missing or not uploaded")]
    SignatureMissing,
    #[error("the unit is unknown or of another site")]
    UnitNotInSite,
    #[error("your role may not do this")]
    Forbidden,
    #[error("the pass belongs to a site you are not assigned to")]
    SiteForbidden,
    #[error("this pass exists already")]
    AlreadyExists,
    #[error("{field}: {reason}")]
    InvalidInput {
        field: &'static str,
        reason: &'static str,
    },
}

impl ReleaseError {
    pub const fn code(&self) -> &'static str {
        match self {
            ReleaseError::UnpaidFees { .. } => "unpaid_fees",
            ReleaseError::IdentityIncomplete => "identity_incomplete",
            ReleaseError::PhoneConfirmationNotAllowed => "phone_confirmation_not_allowed",
            ReleaseError::NoItems => "no_items",
            ReleaseError::AlreadyUsed => "already_used",
            ReleaseError::Void => "void",
            ReleaseError::NotIssued => "not_issued",
            ReleaseError::SignatureMissing => "signature_missing",
            ReleaseError::UnitNotInSite => "unit_not_in_site",
            ReleaseError::Forbidden => "forbidden",
            ReleaseError::SiteForbidden => "site_forbidden",
            ReleaseError::AlreadyExists => "already_exists",
            ReleaseError::InvalidInput { .. } => "invalid_input",
        }
    }
}

/// Who issues and voids passes: the front desk and the managers above it.
pub fn may_issue(role: Role) -> bool {
    matches!(role, Role::Desk | Role::CsMgr | Role::CenterMgr)
}

/// Who lets items out at the gate.
pub fn may_use(role: Role) -> bool {
    matches!(role, Role::Security)
}

/// Who reads the site's passes (and receives them on the phone).
pub fn may_read(role: Role) -> bool {
    may_issue(role) || may_use(role) || matches!(role, Role::Admin)
}

fn text(field: &'static str, s: &str, max: usize, required: bool) -> Result<String, ReleaseError> {
    let t = s.trim();
    if required && t.is_empty() {
        return Err(ReleaseError::InvalidInput {
            field,
            reason: "required",
        });
    }
    if t.chars().count() > max {
        return Err(ReleaseError::InvalidInput {
            field,
            reason: "too long",
        });
    }
    Ok(t.to_owned())
}

/// A pass number as typed at the gate: trimmed, upper-case, full-width dashes made plain.
pub fn normalise_number(s: &str) -> String {
    s.trim()
        .chars()
        .map(|c| match c {
            '－' | '—' | '–' => '-',
            c => c.to_ascii_uppercase(),
        })
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// `FX-2026-11-0001`.
pub fn serial(period: &str, n: i32) -> String {
    format!("{SERIAL_PREFIX}-{period}-{n:04}")
}

/// Issues a pass from the desk's draft, in the order of S3 篇1: identity, details, fees, the
/// handler's signature. `number` is the serial reserved for it.
pub fn issue(
    id: Uuid,
    number: String,
    draft: &PassDraft,
    actor: &Actor,
    facts: &IssueFacts,
    now: DateTime<Utc>,
) -> Result<Pass, ReleaseError> {
    if !may_issue(actor.role) {
        return Err(ReleaseError::Forbidden);
    }
    let (site_id, unit_label) = match &facts.unit {
        Some((site, label)) if actor.sites.contains(site) => (*site, label.clone()),
        Some(_) => return Err(ReleaseError::SiteForbidden),
        None => return Err(ReleaseError::UnitNotInSite),
    };
    // 1 identity
    if matches!(draft.identity, IdentityCheck::Phone { .. }) && !facts.policy.phone_confirmation {
        return Err(ReleaseError::PhoneConfirmationNotAllowed);
    }
    if !draft.identity.complete() {
        return Err(ReleaseError::IdentityIncomplete);
    }
    // 2 details
    let owner_name = text("owner_name", &draft.owner_name, MAX_NAME_CHARS, true)?;
    let tenant_name = text("tenant_name", &draft.tenant_name, MAX_NAME_CHARS, false)?;
    let mover_name = text("mover_name", &draft.mover_name, MAX_NAME_CHARS, true)?;
    let mover_id =
        IdCardNumber::parse(&draft.mover_id_number).map_err(|_| ReleaseError::InvalidInput {
            field: "mover_id_number",
            reason: "not a valid ID card number",
        })?;
    let owner_opinion = text("owner_opinion", &draft.owner_opinion, MAX_TEXT_CHARS, true)?;
    let mut items = Vec::new();
    for line in &draft.items {
        let name = text("items", &line.name, MAX_NAME_CHARS, false)?;
        if name.is_empty() && line.quantity == 0 {
            continue;
        }
        if name.is_empty() || line.quantity == 0 || line.quantity > MAX_QUANTITY {
            return Err(ReleaseError::InvalidInput {
                field: "items",
                reason: "every line has a name and a quantity of 1 to 999",
            });
        }
        items.push(ItemLine {
            name,
            quantity: line.quantity,
        });
    }
    if items.is_empty() {
        return Err(ReleaseError::NoItems);
    }
    if items.len() > MAX_ITEM_LINES {
        return Err(ReleaseError::InvalidInput {
            field: "items",
            reason: "at most 30 lines",
        });
    }
    // 3 fees cleared
    if !facts.open_bills.is_empty() {
        return Err(ReleaseError::UnpaidFees {
            count: facts.open_bills.len(),
        });
    }
    // 4 signed
    if !draft.handler_signature.is_valid() || !facts.signature_uploaded {
        return Err(ReleaseError::SignatureMissing);
    }
    // 5 issued
    Ok(Pass {
        id,
        site_id,
        number,
        unit_id: draft.unit_id,
        unit_label,
        owner_name,
        tenant_name,
        identity: draft.identity,
        issued_at: now,
        moving_at: draft.moving_at,
        mover_name,
        mover_id_masked: mover_id.masked(),
        items,
        owner_opinion,
        fees_checked_at: now,
        handler: actor.staff_id,
        handler_name: facts.handler_name.clone(),
        handler_signature: draft.handler_signature.clone(),
        status: PassStatus::Issued,
        used_at: None,
        used_by: None,
        void_at: None,
        void_by: None,
        void_reason: String::new(),
    })
}

/// Whether the gate may let the items out now; the refusal to show otherwise.
pub fn check_at_gate(pass: Option<&Pass>) -> Result<&Pass, ReleaseError> {
    let p = pass.ok_or(ReleaseError::NotIssued)?;
    match p.status {
        PassStatus::Issued => Ok(p),
        PassStatus::Used => Err(ReleaseError::AlreadyUsed),
        PassStatus::Void => Err(ReleaseError::Void),
    }
}

/// The one entry point for commands on an issued pass, on the phone and on the server.
pub fn apply_pass(
    current: Option<&Pass>,
    cmd: &PassCommand,
    actor: &Actor,
    at: DateTime<Utc>,
) -> Result<Pass, ReleaseError> {
    let allowed = match cmd {
        PassCommand::Use => may_use(actor.role),
        PassCommand::Void { .. } => may_issue(actor.role),
    };
    if !allowed {
        return Err(ReleaseError::Forbidden);
    }
    let p = current.ok_or(ReleaseError::NotIssued)?;
    if !actor.sites.contains(&p.site_id) {
        return Err(ReleaseError::SiteForbidden);
    }
    let mut next = check_at_gate(Some(p))?.clone();
    match cmd {
        PassCommand::Use => {
            next.status = PassStatus::Used;
            next.used_at = Some(at);
            next.used_by = Some(actor.staff_id);
        }
        PassCommand::Void { reason } => {
            next.void_reason = text("reason", reason, MAX_TEXT_CHARS, true)?;
            next.status = PassStatus::Void;
            next.void_at = Some(at);
            next.void_by = Some(actor.staff_id);
        }
    }
    Ok(next)
}

/// Finds a typed or scanned number among the passes on the device: the full number, or its
/// last digits when they name one pass alone (`0001`, `1`).
pub fn find_by_number<'a>(passes: &'a [Pass], typed: &str) -> Option<&'a Pass> {
    let n = normalise_number(typed);
    if n.is_empty() {
        return None;
    }
    if let Some(p) = passes.iter().find(|p| p.number == n) {
        return Some(p);
    }
    if !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let want: u32 = n.parse().ok()?;
    let mut hits = passes.iter().filter(|p| {
        p.number
            .rsplit('-')
            .next()
            .and_then(|s| s.parse::<u32>().ok())
            == Some(want)
    });
    let first = hits.next()?;
    hits.next().is_none().then_some(first)
}
