//! 入伙: an owner's move-in (S0 第9篇 3.1.1–3.1.3 and the move-in flow chart). The 管理员
//! registers the owner (《入住登记表》) and checks the papers (入伙通知书 taken back, purchase
//! contract, owner matches the ID card, an agent's letter of authority and ID, 《管理公约》
//! 《业主公约》《物业管理服务协议》 signed) and stamps the verification form; 财务 records the
//! fees; the owner inspects the flat and signs 《房屋设施交楼验收记录表》. A refused handover
//! becomes rectification items (定期整改) with the next inspection date; each fix reported done
//! is answered within one working day (S4 item 13); keys are handed over only after acceptance.

use super::{next_working_day, optional_text, text};
use crate::ids::{SiteId, StaffId, UnitId};
use crate::money::Fen;
use crate::people::{IdCardNumber, Role};
use crate::sync::wire::BlobRef;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub const MAX_NAME: usize = 64;
pub const MAX_NOTE: usize = 500;
pub const MAX_ITEMS: usize = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MoveInStatus {
    /// 登记: the owner is registered, papers not yet checked.
    Registered,
    /// 验证表盖章转财务: papers checked, fees due.
    PapersChecked,
    /// 交纳有关款项: fees paid; the handover inspection may be arranged.
    FeesPaid,
    /// 不同意收楼 → 定期整改: rectification under way, next inspection date set.
    Rectifying,
    /// 同意收楼: the owner accepted the flat; keys may be handed over.
    Accepted,
    /// 发放房间钥匙: done.
    KeysHanded,
}

impl MoveInStatus {
    pub const fn code(self) -> &'static str {
        match self {
            MoveInStatus::Registered => "registered",
            MoveInStatus::PapersChecked => "papers_checked",
            MoveInStatus::FeesPaid => "fees_paid",
            MoveInStatus::Rectifying => "rectifying",
            MoveInStatus::Accepted => "accepted",
            MoveInStatus::KeysHanded => "keys_handed",
        }
    }

    pub fn parse(s: &str) -> Option<MoveInStatus> {
        use MoveInStatus::*;
        [
            Registered,
            PapersChecked,
            FeesPaid,
            Rectifying,
            Accepted,
            KeysHanded,
        ]
        .into_iter()
        .find(|x| x.code() == s)
    }
}

/// 代理入住: an agent instead of the owner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agent {
    pub name: String,
    /// Masked (the full number is not kept).
    pub id_card_masked: String,
    /// 代理入住委托证明 seen.
    pub authority_letter: bool,
}

/// The papers checked at registration (S0 第9篇 3.1.1 a–f).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Papers {
    /// 《入住登记表》 filled in.
    pub registration_form: bool,
    /// a. 入伙通知书 taken back.
    pub notice_taken_back: bool,
    /// b. 购房合同或复印件.
    pub purchase_contract: bool,
    /// c. 核对业主和身份证.
    pub owner_id_matches: bool,
    /// 《管理公约》《业主公约》《物业管理服务协议》 signed.
    pub covenants_signed: bool,
    /// d. 代理入住委托证明及代理人身份证, when an agent comes.
    pub agent: Option<Agent>,
    pub checked_by: StaffId,
    pub checked_at: DateTime<Utc>,
}

/// What finance recorded (S0 第9篇 3.1.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fees {
    pub receipt_no: String,
    pub amount: Fen,
    pub recorded_by: StaffId,
    pub recorded_at: DateTime<Utc>,
}

/// One 验楼 with the owner: 《房屋设施交楼验收记录表》 with the owner's opinion and signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inspection {
    pub no: u32,
    pub accepted: bool,
    pub opinion: String,
    pub signer_name: String,
    pub signature: BlobRef,
    pub by: StaffId,
    pub at: DateTime<Utc>,
}

/// One 整改项目 from a refused handover.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RectificationItem {
    pub no: u32,
    /// The inspection that found it.
    pub inspection_no: u32,
    pub description: String,
    /// When the 工程主管 reported it fixed.
    pub fixed_at: Option<DateTime<Utc>>,
    /// The owner is answered by this day (the next working day after the fix).
    pub reply_due: Option<NaiveDate>,
    pub replied_at: Option<DateTime<Utc>>,
}

impl RectificationItem {
    /// Fixed, the owner not answered, and the due day has passed.
    pub fn reply_overdue(&self, today: NaiveDate) -> bool {
        self.replied_at.is_none() && self.reply_due.is_some_and(|d| today > d)
    }
}

/// 入伙: one owner's move-in of one unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoveIn {
    pub id: Uuid,
    pub site_id: SiteId,
    pub unit_id: UnitId,
    pub owner_name: String,
    pub owner_id_card_masked: String,
    pub owner_phone_masked: String,
    pub status: MoveInStatus,
    pub papers: Option<Papers>,
    pub fees: Option<Fees>,
    pub inspections: Vec<Inspection>,
    pub items: Vec<RectificationItem>,
    /// 下次验收时间, set when a handover is refused.
    pub reinspect_on: Option<NaiveDate>,
    pub keys_handed_at: Option<DateTime<Utc>>,
    pub keys_handed_by: Option<StaffId>,
    pub created_by: StaffId,
    pub created_at: DateTime<Utc>,
}

/// What the desk types to open a move-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewMoveIn {
    pub unit_id: UnitId,
    pub owner_name: String,
    pub owner_id_card: String,
    #[serde(default)]
    pub owner_phone: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentInput {
    pub name: String,
    pub id_card: String,
    pub authority_letter: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum MoveInCommand {
    CheckPapers {
        registration_form: bool,
        notice_taken_back: bool,
        purchase_contract: bool,
        owner_id_matches: bool,
        covenants_signed: bool,
        #[serde(default)]
        agent: Option<AgentInput>,
    },
    /// Finance only.
    RecordFees {
        receipt_no: String,
        amount_fen: i64,
    },
    Inspect {
        accepted: bool,
        #[serde(default)]
        opinion: String,
        signer_name: String,
        #[serde(default)]
        signature: Option<BlobRef>,
        /// 整改项目, required when the handover is refused.
        #[serde(default)]
        items: Vec<String>,
        /// 下次验收时间, required when the handover is refused.
        #[serde(default)]
        reinspect_on: Option<NaiveDate>,
    },
    ReportFixed {
        item_no: u32,
    },
    ReplyOwner {
        item_no: u32,
    },
    HandOverKeys,
}

impl MoveInCommand {
    pub const fn type_name(&self) -> &'static str {
        match self {
            MoveInCommand::CheckPapers { .. } => "check_papers",
            MoveInCommand::RecordFees { .. } => "record_fees",
            MoveInCommand::Inspect { .. } => "inspect",
            MoveInCommand::ReportFixed { .. } => "report_fixed",
            MoveInCommand::ReplyOwner { .. } => "reply_owner",
            MoveInCommand::HandOverKeys => "hand_over_keys",
        }
    }
}

/// Why a move-in step was refused. [`MoveInRefusal::code`] is what crosses the wire.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoveInRefusal {
    #[error("{field}: {reason}")]
    InvalidInput {
        field: &'static str,
        reason: &'static str,
    },
    #[error("a paper is missing: {0}")]
    PapersIncomplete(&'static str),
    #[error("an agent needs the letter of authority and a valid ID card")]
    AgentPapersMissing,
    #[error("the papers are not checked yet")]
    PapersNotChecked,
    #[error("only finance records fees")]
    FinanceOnly,
    #[error("the fees are not paid yet")]
    FeesNotPaid,
    #[error("the owner signs the handover inspection record")]
    OwnerSignatureRequired,
    #[error("a refused handover lists what is to be fixed")]
    RectificationItemsRequired,
    #[error("a refused handover sets the next inspection date (today or later)")]
    ReinspectionDateRequired,
    #[error("items are not fixed yet")]
    RectificationOpen,
    #[error("no such rectification item")]
    UnknownItem,
    #[error("the item is reported fixed already")]
    AlreadyFixed,
    #[error("the item is not reported fixed yet")]
    NotFixed,
    #[error("the owner was answered already")]
    AlreadyReplied,
    #[error("keys are handed over only after the owner accepts the flat")]
    KeysBeforeAcceptance,
    #[error("your role may not do this step")]
    Forbidden,
    #[error("cannot {action} a move-in that is {from}")]
    InvalidTransition {
        from: &'static str,
        action: &'static str,
    },
}

impl MoveInRefusal {
    pub const fn code(&self) -> &'static str {
        match self {
            MoveInRefusal::InvalidInput { .. } => "invalid_input",
            MoveInRefusal::PapersIncomplete(_) => "papers_incomplete",
            MoveInRefusal::AgentPapersMissing => "agent_papers_missing",
            MoveInRefusal::PapersNotChecked => "papers_not_checked",
            MoveInRefusal::FinanceOnly => "finance_only",
            MoveInRefusal::FeesNotPaid => "fees_not_paid",
            MoveInRefusal::OwnerSignatureRequired => "owner_signature_required",
            MoveInRefusal::RectificationItemsRequired => "rectification_items_required",
            MoveInRefusal::ReinspectionDateRequired => "reinspection_date_required",
            MoveInRefusal::RectificationOpen => "rectification_open",
            MoveInRefusal::UnknownItem => "unknown_item",
            MoveInRefusal::AlreadyFixed => "already_fixed",
            MoveInRefusal::NotFixed => "not_fixed",
            MoveInRefusal::AlreadyReplied => "already_replied",
            MoveInRefusal::KeysBeforeAcceptance => "keys_before_acceptance",
            MoveInRefusal::Forbidden => "forbidden",
            MoveInRefusal::InvalidTransition { .. } => "invalid_transition",
        }
    }
}

fn invalid(field: &'static str, reason: &'static str) -> MoveInRefusal {
    MoveInRefusal::InvalidInput { field, reason }
}

fn masked_phone(s: &str) -> Result<String, MoveInRefusal> {
    if s.trim().is_empty() {
        return Ok(String::new());
    }
    crate::people::PhoneNumber::parse(s)
        .map(|p| p.masked())
        .map_err(|_| invalid("owner_phone", "not a phone number"))
}

/// Who may do which step: the 管理员 (front office) everything but the fees; 财务 the fees
/// (anyone else asking is told `finance_only`); the 工程主管 (engineering manager) reports
/// rectification items fixed.
pub fn may(role: Role, cmd: &MoveInCommand) -> bool {
    match cmd {
        MoveInCommand::RecordFees { .. } => true,
        MoveInCommand::ReportFixed { .. } => super::is_front_office(role) || role == Role::EngMgr,
        _ => super::is_front_office(role),
    }
}

impl MoveIn {
    /// 登记: opens a move-in from what the desk typed.
    pub fn open(
        id: Uuid,
        site_id: SiteId,
        input: &NewMoveIn,
        by: StaffId,
        now: DateTime<Utc>,
    ) -> Result<MoveIn, MoveInRefusal> {
        let owner_name =
            text(&input.owner_name, MAX_NAME).ok_or(invalid("owner_name", "required"))?;
        let id_card = IdCardNumber::parse(&input.owner_id_card)
            .map_err(|_| invalid("owner_id_card", "not an ID card number"))?;
        Ok(MoveIn {
            id,
            site_id,
            unit_id: input.unit_id,
            owner_name,
            owner_id_card_masked: id_card.masked(),
            owner_phone_masked: masked_phone(&input.owner_phone)?,
            status: MoveInStatus::Registered,
            papers: None,
            fees: None,
            inspections: Vec::new(),
            items: Vec::new(),
            reinspect_on: None,
            keys_handed_at: None,
            keys_handed_by: None,
            created_by: by,
            created_at: now,
        })
    }

    /// Items fixed but the owner not yet answered, and past their day.
    pub fn overdue_replies(&self, today: NaiveDate) -> Vec<&RectificationItem> {
        self.items
            .iter()
            .filter(|i| i.reply_overdue(today))
            .collect()
    }

    fn item_mut(&mut self, no: u32) -> Result<&mut RectificationItem, MoveInRefusal> {
        self.items
            .iter_mut()
            .find(|i| i.no == no)
            .ok_or(MoveInRefusal::UnknownItem)
    }

    /// Applies `cmd` by a staff member of `role` at `now`; `today` is the date in China.
    pub fn apply(
        &self,
        cmd: &MoveInCommand,
        actor: StaffId,
        role: Role,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<MoveIn, MoveInRefusal> {
        use MoveInStatus::*;
        let transition = || MoveInRefusal::InvalidTransition {
            from: self.status.code(),
            action: cmd.type_name(),
        };
        if !may(role, cmd) {
            return Err(MoveInRefusal::Forbidden);
        }
        let mut next = self.clone();
        match cmd {
            MoveInCommand::CheckPapers {
                registration_form,
                notice_taken_back,
                purchase_contract,
                owner_id_matches,
                covenants_signed,
                agent,
            } => {
                if self.status != Registered {
                    return Err(transition());
                }
                for (ok, what) in [
                    (*registration_form, "registration_form"),
                    (*notice_taken_back, "notice_taken_back"),
                    (*purchase_contract, "purchase_contract"),
                    (*owner_id_matches, "owner_id_matches"),
                    (*covenants_signed, "covenants_signed"),
                ] {
                    if !ok {
                        return Err(MoveInRefusal::PapersIncomplete(what));
                    }
                }
                let agent = match agent {
                    None => None,
                    Some(a) => {
                        let name =
                            text(&a.name, MAX_NAME).ok_or(MoveInRefusal::AgentPapersMissing)?;
                        let id = IdCardNumber::parse(&a.id_card)
                            .map_err(|_| MoveInRefusal::AgentPapersMissing)?;
                        if !a.authority_letter {
                            return Err(MoveInRefusal::AgentPapersMissing);
                        }
                        Some(Agent {
                            name,
                            id_card_masked: id.masked(),
                            authority_letter: true,
                        })
                    }
                };
                next.papers = Some(Papers {
                    registration_form: true,
                    notice_taken_back: true,
                    purchase_contract: true,
                    owner_id_matches: true,
                    covenants_signed: true,
                    agent,
                    checked_by: actor,
                    checked_at: now,
                });
                next.status = PapersChecked;
            }
            MoveInCommand::RecordFees {
                receipt_no,
                amount_fen,
            } => {
                if role != Role::Finance {
                    return Err(MoveInRefusal::FinanceOnly);
                }
                match self.status {
                    Registered => return Err(MoveInRefusal::PapersNotChecked),
                    PapersChecked => {}
                    _ => return Err(transition()),
                }
                let receipt_no =
                    text(receipt_no, MAX_NAME).ok_or(invalid("receipt_no", "required"))?;
                if *amount_fen < 0 || *amount_fen > Fen::MAX_LINE.0 {
                    return Err(invalid("amount_fen", "out of range"));
                }
                next.fees = Some(Fees {
                    receipt_no,
                    amount: Fen(*amount_fen),
                    recorded_by: actor,
                    recorded_at: now,
                });
                next.status = FeesPaid;
            }
            MoveInCommand::Inspect {
                accepted,
                opinion,
                signer_name,
                signature,
                items,
                reinspect_on,
            } => {
                match self.status {
                    Registered | PapersChecked => return Err(MoveInRefusal::FeesNotPaid),
                    FeesPaid | Rectifying => {}
                    Accepted | KeysHanded => return Err(transition()),
                }
                let opinion =
                    optional_text(opinion, MAX_NOTE).ok_or(invalid("opinion", "too long"))?;
                let signer_name =
                    text(signer_name, MAX_NAME).ok_or(MoveInRefusal::OwnerSignatureRequired)?;
                let signature = signature
                    .clone()
                    .filter(BlobRef::is_valid)
                    .ok_or(MoveInRefusal::OwnerSignatureRequired)?;
                let no = self.inspections.len() as u32 + 1;
                if *accepted {
                    if !items.iter().all(|i| i.trim().is_empty()) {
                        return Err(invalid("items", "an accepted handover lists no items"));
                    }
                    if self.items.iter().any(|i| i.fixed_at.is_none()) {
                        return Err(MoveInRefusal::RectificationOpen);
                    }
                    next.status = Accepted;
                    next.reinspect_on = None;
                } else {
                    let list: Vec<String> = items
                        .iter()
                        .map(|i| i.trim().to_owned())
                        .filter(|i| !i.is_empty())
                        .collect();
                    if list.is_empty() {
                        return Err(MoveInRefusal::RectificationItemsRequired);
                    }
                    if list.len() > MAX_ITEMS || list.iter().any(|i| i.chars().count() > MAX_NOTE) {
                        return Err(invalid("items", "too many or too long"));
                    }
                    match reinspect_on {
                        Some(d) if *d >= today => next.reinspect_on = Some(*d),
                        _ => return Err(MoveInRefusal::ReinspectionDateRequired),
                    }
                    let first = self.items.len() as u32 + 1;
                    for (k, description) in list.into_iter().enumerate() {
                        next.items.push(RectificationItem {
                            no: first + k as u32,
                            inspection_no: no,
                            description,
                            fixed_at: None,
                            reply_due: None,
                            replied_at: None,
                        });
                    }
                    next.status = Rectifying;
                }
                next.inspections.push(Inspection {
                    no,
                    accepted: *accepted,
                    opinion,
                    signer_name,
                    signature,
                    by: actor,
                    at: now,
                });
            }
            MoveInCommand::ReportFixed { item_no } => {
                if self.status != Rectifying {
                    return Err(transition());
                }
                let item = next.item_mut(*item_no)?;
                if item.fixed_at.is_some() {
                    return Err(MoveInRefusal::AlreadyFixed);
                }
                item.fixed_at = Some(now);
                item.reply_due = Some(next_working_day(today));
            }
            MoveInCommand::ReplyOwner { item_no } => {
                let item = next.item_mut(*item_no)?;
                if item.fixed_at.is_none() {
                    return Err(MoveInRefusal::NotFixed);
                }
                if item.replied_at.is_some() {
                    return Err(MoveInRefusal::AlreadyReplied);
                }
                item.replied_at = Some(now);
            }
            MoveInCommand::HandOverKeys => match self.status {
                Accepted => {
                    next.status = KeysHanded;
                    next.keys_handed_at = Some(now);
                    next.keys_handed_by = Some(actor);
                }
                KeysHanded => return Err(transition()),
                _ => return Err(MoveInRefusal::KeysBeforeAcceptance),
            },
        }
        Ok(next)
    }
}
