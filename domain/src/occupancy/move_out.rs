//! 退租: a tenant's move-out (S0 第9篇 3.1.8 "租户办理退伙手续流程图"): the owner agrees and signs
//! the entrustment (委托书); the security team (保安队) reviews; office, owner and tenant inspect
//! the flat together — a dispute means the tenant fixes it at their cost by a deadline or
//! compensates the owner the same amount; finance settles the account; security takes back the
//! access cards and issues the release pass (开放行条); the tenant moves out.

use super::{optional_text, text};
use crate::ids::{SiteId, StaffId, UnitId};
use crate::money::Fen;
use crate::people::Role;
use crate::sync::wire::BlobRef;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MoveOutStatus {
    /// 租户到管理处办理退伙手续, the owner's entrustment signed.
    Requested,
    /// 管理处保安队审核
    SecurityReviewed,
    /// 验楼有异议: the tenant fixes it by the deadline.
    Disputed,
    /// 验楼无异议 (or the dispute settled).
    Inspected,
    /// 管理处财务结帐并收取规定款项
    Settled,
    /// 收回出入证、开放行条
    PassesReturned,
    /// 租户搬出小区
    MovedOut,
}

impl MoveOutStatus {
    pub const fn code(self) -> &'static str {
        match self {
            MoveOutStatus::Requested => "requested",
            MoveOutStatus::SecurityReviewed => "security_reviewed",
            MoveOutStatus::Disputed => "disputed",
            MoveOutStatus::Inspected => "inspected",
            MoveOutStatus::Settled => "settled",
            MoveOutStatus::PassesReturned => "passes_returned",
            MoveOutStatus::MovedOut => "moved_out",
        }
    }

    pub fn parse(s: &str) -> Option<MoveOutStatus> {
        use MoveOutStatus::*;
        [
            Requested,
            SecurityReviewed,
            Disputed,
            Inspected,
            Settled,
            PassesReturned,
            MovedOut,
        ]
        .into_iter()
        .find(|x| x.code() == s)
    }
}

/// 限期由租户出资整改或给业主等额赔偿.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Resolution {
    TenantFixes { deadline: NaiveDate },
    Compensate { amount_fen: i64 },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dispute {
    pub description: String,
    pub resolution: Resolution,
    pub fixed_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub by: StaffId,
    pub at: DateTime<Utc>,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoveOut {
    pub id: Uuid,
    pub site_id: SiteId,
    pub unit_id: UnitId,
    pub tenant_name: String,
    pub owner_name: String,
    /// The owner's signature on the entrustment (委托书).
    pub entrustment_signature: BlobRef,
    pub status: MoveOutStatus,
    pub security_review: Option<Step>,
    pub inspection: Option<Step>,
    pub dispute: Option<Dispute>,
    pub settlement: Option<Settlement>,
    /// "放行条已开" with its number, as typed (or from the release-pass module).
    pub release_pass_no: Option<String>,
    pub cards_returned: u32,
    pub passes: Option<Step>,
    pub moved_out: Option<Step>,
    pub created_by: StaffId,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settlement {
    pub receipt_no: String,
    pub amount: Fen,
    pub by: StaffId,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewMoveOut {
    pub unit_id: UnitId,
    pub tenant_name: String,
    pub owner_name: String,
    /// 业主要同意并签委托书.
    pub entrustment_signed: bool,
    #[serde(default)]
    pub entrustment_signature: Option<BlobRef>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum MoveOutCommand {
    SecurityReview {
        #[serde(default)]
        note: String,
    },
    Inspect {
        #[serde(default)]
        note: String,
        /// Present when the inspection found something in dispute.
        #[serde(default)]
        dispute: Option<DisputeInput>,
    },
    /// The tenant fixed what was in dispute.
    ConfirmFixed,
    /// Finance only.
    Settle {
        receipt_no: String,
        amount_fen: i64,
    },
    /// Security: cards taken back (the server returns the unit's active tenant cards) and the
    /// release pass issued.
    ReturnPasses {
        release_pass_no: String,
    },
    MoveOut,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisputeInput {
    pub description: String,
    pub resolution: Resolution,
}

impl MoveOutCommand {
    pub const fn type_name(&self) -> &'static str {
        match self {
            MoveOutCommand::SecurityReview { .. } => "security_review",
            MoveOutCommand::Inspect { .. } => "inspect",
            MoveOutCommand::ConfirmFixed => "confirm_fixed",
            MoveOutCommand::Settle { .. } => "settle",
            MoveOutCommand::ReturnPasses { .. } => "return_passes",
            MoveOutCommand::MoveOut => "move_out",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoveOutRefusal {
    #[error("{field}: {reason}")]
    InvalidInput {
        field: &'static str,
        reason: &'static str,
    },
    #[error("the owner agrees and signs the entrustment first")]
    OwnerEntrustmentRequired,
    #[error("the security team reviews first")]
    SecurityReviewRequired,
    #[error("the account is settled only after the joint inspection")]
    SettlementBeforeInspection,
    #[error("the dispute is not fixed yet (or has passed to compensation)")]
    DisputeOpen,
    #[error("only finance settles the account")]
    FinanceOnly,
    #[error("finance settles the account first")]
    SettlementRequired,
    #[error("the release pass number is required")]
    ReleasePassRequired,
    #[error("the access cards are not taken back yet")]
    PassesNotReturned,
    #[error("your role may not do this step")]
    Forbidden,
    #[error("cannot {action} a move-out that is {from}")]
    InvalidTransition {
        from: &'static str,
        action: &'static str,
    },
}

impl MoveOutRefusal {
    pub const fn code(&self) -> &'static str {
        match self {
            MoveOutRefusal::InvalidInput { .. } => "invalid_input",
            MoveOutRefusal::OwnerEntrustmentRequired => "owner_entrustment_required",
            MoveOutRefusal::SecurityReviewRequired => "security_review_required",
            MoveOutRefusal::SettlementBeforeInspection => "settlement_before_inspection",
            MoveOutRefusal::DisputeOpen => "dispute_open",
            MoveOutRefusal::FinanceOnly => "finance_only",
            MoveOutRefusal::SettlementRequired => "settlement_required",
            MoveOutRefusal::ReleasePassRequired => "release_pass_required",
            MoveOutRefusal::PassesNotReturned => "passes_not_returned",
            MoveOutRefusal::Forbidden => "forbidden",
            MoveOutRefusal::InvalidTransition { .. } => "invalid_transition",
        }
    }
}

fn invalid(field: &'static str, reason: &'static str) -> MoveOutRefusal {
    MoveOutRefusal::InvalidInput { field, reason }
}

fn is_security(role: Role) -> bool {
    matches!(role, Role::Security) || super::is_front_office(role) && role != Role::Desk
}

/// Who may do which step: the front office opens and inspects; 保安队 (security, or a manager
/// standing in) reviews and takes back the passes; 财务 settles.
pub fn may(role: Role, cmd: &MoveOutCommand) -> bool {
    match cmd {
        MoveOutCommand::Settle { .. } => true,
        MoveOutCommand::SecurityReview { .. } | MoveOutCommand::ReturnPasses { .. } => {
            is_security(role)
        }
        _ => super::is_front_office(role),
    }
}

impl MoveOut {
    pub fn open(
        id: Uuid,
        site_id: SiteId,
        input: &NewMoveOut,
        by: StaffId,
        now: DateTime<Utc>,
    ) -> Result<MoveOut, MoveOutRefusal> {
        let tenant_name = text(&input.tenant_name, 64).ok_or(invalid("tenant_name", "required"))?;
        let owner_name = text(&input.owner_name, 64).ok_or(invalid("owner_name", "required"))?;
        let signature = match (&input.entrustment_signature, input.entrustment_signed) {
            (Some(s), true) if s.is_valid() => s.clone(),
            _ => return Err(MoveOutRefusal::OwnerEntrustmentRequired),
        };
        Ok(MoveOut {
            id,
            site_id,
            unit_id: input.unit_id,
            tenant_name,
            owner_name,
            entrustment_signature: signature,
            status: MoveOutStatus::Requested,
            security_review: None,
            inspection: None,
            dispute: None,
            settlement: None,
            release_pass_no: None,
            cards_returned: 0,
            passes: None,
            moved_out: None,
            created_by: by,
            created_at: now,
        })
    }

    /// Applies `cmd`. `cards_returned`: how many active cards of the unit's tenants the server
    /// takes back with `ReturnPasses` (ignored otherwise).
    #[allow(clippy::too_many_arguments)]
    pub fn apply(
        &self,
        cmd: &MoveOutCommand,
        actor: StaffId,
        role: Role,
        cards_returned: u32,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<MoveOut, MoveOutRefusal> {
        use MoveOutStatus::*;
        let transition = || MoveOutRefusal::InvalidTransition {
            from: self.status.code(),
            action: cmd.type_name(),
        };
        if !may(role, cmd) {
            return Err(MoveOutRefusal::Forbidden);
        }
        let note = |n: &str| optional_text(n, 500).ok_or(invalid("note", "too long"));
        let mut next = self.clone();
        match cmd {
            MoveOutCommand::SecurityReview { note: n } => {
                if self.status != Requested {
                    return Err(transition());
                }
                next.security_review = Some(Step {
                    by: actor,
                    at: now,
                    note: note(n)?,
                });
                next.status = SecurityReviewed;
            }
            MoveOutCommand::Inspect { note: n, dispute } => {
                match self.status {
                    Requested => return Err(MoveOutRefusal::SecurityReviewRequired),
                    SecurityReviewed => {}
                    _ => return Err(transition()),
                }
                next.inspection = Some(Step {
                    by: actor,
                    at: now,
                    note: note(n)?,
                });
                match dispute {
                    None => next.status = Inspected,
                    Some(d) => {
                        let description = text(&d.description, 500)
                            .ok_or(invalid("dispute.description", "required"))?;
                        match &d.resolution {
                            Resolution::TenantFixes { deadline } => {
                                if *deadline < today {
                                    return Err(invalid("dispute.deadline", "in the past"));
                                }
                                next.status = Disputed;
                            }
                            Resolution::Compensate { amount_fen } => {
                                if *amount_fen <= 0 || *amount_fen > Fen::MAX_LINE.0 {
                                    return Err(invalid("dispute.amount_fen", "out of range"));
                                }
                                next.status = Inspected;
                            }
                        }
                        next.dispute = Some(Dispute {
                            description,
                            resolution: d.resolution.clone(),
                            fixed_at: None,
                        });
                    }
                }
            }
            MoveOutCommand::ConfirmFixed => {
                if self.status != Disputed {
                    return Err(transition());
                }
                if let Some(d) = next.dispute.as_mut() {
                    d.fixed_at = Some(now);
                }
                next.status = Inspected;
            }
            MoveOutCommand::Settle {
                receipt_no,
                amount_fen,
            } => {
                if role != Role::Finance {
                    return Err(MoveOutRefusal::FinanceOnly);
                }
                match self.status {
                    Requested | SecurityReviewed => {
                        return Err(MoveOutRefusal::SettlementBeforeInspection)
                    }
                    Disputed => return Err(MoveOutRefusal::DisputeOpen),
                    Inspected => {}
                    _ => return Err(transition()),
                }
                let receipt_no = text(receipt_no, 64).ok_or(invalid("receipt_no", "required"))?;
                if *amount_fen < 0 || *amount_fen > Fen::MAX_LINE.0 {
                    return Err(invalid("amount_fen", "out of range"));
                }
                next.settlement = Some(Settlement {
                    receipt_no,
                    amount: Fen(*amount_fen),
                    by: actor,
                    at: now,
                });
                next.status = Settled;
            }
            MoveOutCommand::ReturnPasses { release_pass_no } => {
                match self.status {
                    Settled => {}
                    Requested | SecurityReviewed | Disputed | Inspected => {
                        return Err(MoveOutRefusal::SettlementRequired)
                    }
                    _ => return Err(transition()),
                }
                let no = text(release_pass_no, 32).ok_or(MoveOutRefusal::ReleasePassRequired)?;
                next.release_pass_no = Some(no);
                next.cards_returned = cards_returned;
                next.passes = Some(Step {
                    by: actor,
                    at: now,
                    note: String::new(),
                });
                next.status = PassesReturned;
            }
            MoveOutCommand::MoveOut => match self.status {
                PassesReturned => {
                    next.moved_out = Some(Step {
                        by: actor,
                        at: now,
                        note: String::new(),
                    });
                    next.status = MovedOut;
                }
                MovedOut => return Err(transition()),
                _ => return Err(MoveOutRefusal::PassesNotReturned),
            },
        }
        Ok(next)
    }
}
