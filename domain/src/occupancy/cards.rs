//! 《住户卡》 (S0 第9篇 3.1.4–3.1.5): before issuing, the ID card and the lease, the owner's
//! written proof or the employer's letter are checked and copied; one person, one card; the
//! owner brings 4 photos, each family member 2 one-inch photos, and pays the 工本费; tenants
//! and non-direct relatives also pay a card deposit (按金). And the TV tail line (电视尾线领用,
//! 3.3): one per household, against a signature in the register.

use super::text;
use crate::ids::{SiteId, StaffId, UnitId};
use crate::money::Fen;
use crate::people::IdCardNumber;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Who the card is for, which decides photos and deposit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CardHolder {
    /// 业主
    Owner,
    /// 直系亲属 (the owner's family)
    DirectRelative,
    /// 非直系亲属
    OtherRelative,
    /// 出租屋居住人员
    Tenant,
}

impl CardHolder {
    pub const ALL: [CardHolder; 4] = [
        CardHolder::Owner,
        CardHolder::DirectRelative,
        CardHolder::OtherRelative,
        CardHolder::Tenant,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            CardHolder::Owner => "owner",
            CardHolder::DirectRelative => "direct_relative",
            CardHolder::OtherRelative => "other_relative",
            CardHolder::Tenant => "tenant",
        }
    }

    pub fn parse(s: &str) -> Option<CardHolder> {
        CardHolder::ALL.into_iter().find(|h| h.code() == s)
    }

    /// 出租屋居住人员、非直系亲属办证时应收取《住户卡》按金.
    pub const fn needs_deposit(self) -> bool {
        matches!(self, CardHolder::OtherRelative | CardHolder::Tenant)
    }

    /// 业主照片4张, 家庭成员两张一寸照片.
    pub const fn photos_required(self) -> u32 {
        match self {
            CardHolder::Owner => 4,
            _ => 2,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardRequest {
    pub unit_id: UnitId,
    pub holder_name: String,
    pub id_card: String,
    pub holder: CardHolder,
    /// 身份证、租赁合同、业主书面证明或单位证明 checked and copied for the file.
    pub documents_checked: bool,
    pub photos: u32,
    /// 工本费
    pub fee_fen: i64,
    /// 按金
    #[serde(default)]
    pub deposit_fen: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CardStatus {
    Active,
    Returned,
}

impl CardStatus {
    pub const fn code(self) -> &'static str {
        match self {
            CardStatus::Active => "active",
            CardStatus::Returned => "returned",
        }
    }
}

/// A card as issued. The full ID number stays on the server (it is the one-person key); views
/// show `id_card_masked`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResidentCard {
    pub id: Uuid,
    pub site_id: SiteId,
    pub unit_id: UnitId,
    pub card_no: String,
    pub holder_name: String,
    pub id_card: IdCardNumber,
    pub holder: CardHolder,
    pub photos: u32,
    pub fee: Fen,
    pub deposit: Fen,
    pub status: CardStatus,
    pub issued_by: StaffId,
    pub issued_at: DateTime<Utc>,
    pub returned_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CardRefusal {
    #[error("{field}: {reason}")]
    InvalidInput {
        field: &'static str,
        reason: &'static str,
    },
    #[error("check and copy the ID card and the lease or proof first")]
    DocumentsNotChecked,
    #[error("photos missing: {required} needed")]
    PhotosMissing { required: u32 },
    #[error("tenants and non-direct relatives pay the card deposit (按金)")]
    DepositRequired,
    #[error("one person, one card: this person holds an active card")]
    CardAlreadyActive,
    #[error("the card is not active")]
    CardNotActive,
    #[error("this household has collected its TV tail line")]
    TailLineAlreadyCollected,
    #[error("the owner signs the register first")]
    RegisterNotSigned,
}

impl CardRefusal {
    pub const fn code(&self) -> &'static str {
        match self {
            CardRefusal::InvalidInput { .. } => "invalid_input",
            CardRefusal::DocumentsNotChecked => "documents_not_checked",
            CardRefusal::PhotosMissing { .. } => "photos_missing",
            CardRefusal::DepositRequired => "deposit_required",
            CardRefusal::CardAlreadyActive => "card_already_active",
            CardRefusal::CardNotActive => "card_not_active",
            CardRefusal::TailLineAlreadyCollected => "tail_line_already_collected",
            CardRefusal::RegisterNotSigned => "register_not_signed",
        }
    }
}

fn money(field: &'static str, v: i64) -> Result<Fen, CardRefusal> {
    if (0..=Fen::MAX_LINE.0).contains(&v) {
        Ok(Fen(v))
    } else {
        Err(CardRefusal::InvalidInput {
            field,
            reason: "out of range",
        })
    }
}

/// Issues a card. `person_has_active_card`: whether this ID number already holds an active
/// card at the site (the database knows; a unique index is the backstop).
#[allow(clippy::too_many_arguments)]
pub fn issue_card(
    id: Uuid,
    site_id: SiteId,
    card_no: String,
    req: &CardRequest,
    person_has_active_card: bool,
    by: StaffId,
    now: DateTime<Utc>,
) -> Result<ResidentCard, CardRefusal> {
    let holder_name = text(&req.holder_name, 64).ok_or(CardRefusal::InvalidInput {
        field: "holder_name",
        reason: "required",
    })?;
    let id_card = IdCardNumber::parse(&req.id_card).map_err(|_| CardRefusal::InvalidInput {
        field: "id_card",
        reason: "not an ID card number",
    })?;
    let fee = money("fee_fen", req.fee_fen)?;
    let deposit = money("deposit_fen", req.deposit_fen)?;
    if !req.documents_checked {
        return Err(CardRefusal::DocumentsNotChecked);
    }
    let required = req.holder.photos_required();
    if req.photos < required {
        return Err(CardRefusal::PhotosMissing { required });
    }
    if req.holder.needs_deposit() && deposit.0 == 0 {
        return Err(CardRefusal::DepositRequired);
    }
    if person_has_active_card {
        return Err(CardRefusal::CardAlreadyActive);
    }
    Ok(ResidentCard {
        id,
        site_id,
        unit_id: req.unit_id,
        card_no,
        holder_name,
        id_card,
        holder: req.holder,
        photos: req.photos,
        fee,
        // Owners and direct relatives pay none; a typed amount for them is not kept.
        deposit: if req.holder.needs_deposit() {
            deposit
        } else {
            Fen(0)
        },
        status: CardStatus::Active,
        issued_by: by,
        issued_at: now,
        returned_at: None,
    })
}

impl ResidentCard {
    /// The card comes back (move-out, lost-and-replaced): the deposit is refunded.
    pub fn returned(&self, now: DateTime<Utc>) -> Result<ResidentCard, CardRefusal> {
        if self.status != CardStatus::Active {
            return Err(CardRefusal::CardNotActive);
        }
        let mut next = self.clone();
        next.status = CardStatus::Returned;
        next.returned_at = Some(now);
        Ok(next)
    }
}

/// 电视尾线领用: one per household; the owner signs the register.
pub fn collect_tail_line(
    already_collected: bool,
    register_signed: bool,
) -> Result<(), CardRefusal> {
    if already_collected {
        return Err(CardRefusal::TailLineAlreadyCollected);
    }
    if !register_signed {
        return Err(CardRefusal::RegisterNotSigned);
    }
    Ok(())
}
