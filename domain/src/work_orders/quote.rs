//! Quotes and signatures: the amounts of a repair and the hash a signature is bound to.
//!
//! A signature approves exactly what was on the screen: the order, the confirmed scope and the
//! lines with their amounts. The device hashes that content when the resident signs; the server
//! hashes the record's current content and refuses a signature whose hash differs. Changing the
//! scope or any line afterwards therefore needs a new signature.

use super::apply::{Facts, WorkOrderError};
use super::model::*;
use crate::ids::{SiteId, WorkOrderId};
use crate::money::Fen;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The amount of one line, `None` on overflow.
pub fn line_amount(line: &QuoteLine) -> Option<Fen> {
    let (q, p) = match line {
        QuoteLine::Item {
            quantity,
            unit_price,
            ..
        } => (*quantity, *unit_price),
        QuoteLine::Material {
            quantity,
            unit_price,
            ..
        } => (*quantity, *unit_price),
    };
    p.0.checked_mul(i64::from(q)).map(Fen)
}

/// The sum of the lines, `None` on overflow.
pub fn total(lines: &[QuoteLine]) -> Option<Fen> {
    lines
        .iter()
        .try_fold(Fen(0), |acc, l| acc.checked_add(line_amount(l)?))
}

fn bad(reason: &'static str) -> WorkOrderError {
    WorkOrderError::InvalidInput {
        field: "lines",
        reason,
    }
}

/// Checks lines against the site's catalogue (the fee standard) and the limits. Warranty
/// repairs are free: every amount must be zero.
pub fn validate_lines(
    lines: &[QuoteLine],
    site: SiteId,
    kind: RepairKind,
    facts: &Facts,
) -> Result<(), WorkOrderError> {
    if lines.len() > MAX_LINES {
        return Err(bad("too many lines"));
    }
    for line in lines {
        match line {
            QuoteLine::Item {
                code,
                quantity,
                unit_price,
                disclaimer_acknowledged,
            } => {
                let item = facts
                    .catalogue
                    .get(&(site, code.clone()))
                    .filter(|i| i.active)
                    .ok_or(WorkOrderError::UnknownCatalogueItem)?;
                if *quantity == 0 || *quantity > MAX_QUANTITY {
                    return Err(bad("quantity out of range"));
                }
                let expected = if kind == RepairKind::WarrantyComplaint {
                    Fen(0)
                } else {
                    item.price
                };
                if *unit_price != expected {
                    return Err(WorkOrderError::PriceMismatch);
                }
                if item.requires_disclaimer && !disclaimer_acknowledged {
                    return Err(bad("the resident must acknowledge the item's disclaimer"));
                }
            }
            QuoteLine::Material {
                name,
                spec,
                quantity,
                unit_price,
                source,
                resident_approved,
            } => {
                let n = name.trim().chars().count();
                if n == 0 || n > MAX_SHORT_TEXT_CHARS || spec.chars().count() > MAX_SHORT_TEXT_CHARS
                {
                    return Err(bad("material name required, at most 100 characters"));
                }
                if *quantity == 0 || *quantity > MAX_QUANTITY {
                    return Err(bad("quantity out of range"));
                }
                if unit_price.0 < 0 || *unit_price > MAX_MATERIAL_UNIT_PRICE {
                    return Err(WorkOrderError::AmountOutOfRange);
                }
                match source {
                    MaterialSource::Resident if unit_price.0 != 0 => {
                        return Err(bad("materials the resident bought are not charged"))
                    }
                    MaterialSource::Office if !resident_approved => {
                        return Err(bad(
                            "materials bought for the resident need their approval first",
                        ))
                    }
                    _ => {}
                }
                if kind == RepairKind::WarrantyComplaint && unit_price.0 != 0 {
                    return Err(WorkOrderError::PriceMismatch);
                }
            }
        }
    }
    match total(lines) {
        Some(t) if t <= MAX_ORDER_TOTAL => Ok(()),
        _ => Err(WorkOrderError::AmountOutOfRange),
    }
}

/// What a signature approves. The field order is the hash's canonical form: never reorder.
#[derive(Serialize)]
struct Signed<'a> {
    purpose: &'a str,
    order: WorkOrderId,
    scope: &'a str,
    lines: &'a [QuoteLine],
    total: Fen,
    reason: &'a str,
}

fn hash(s: &Signed<'_>) -> String {
    let json = serde_json::to_vec(s).unwrap_or_default();
    hex::encode(Sha256::digest(json))
}

/// The hash the resident's consent signature is bound to: scope, lines and total.
pub fn consent_hash(order: WorkOrderId, scope: &str, lines: &[QuoteLine]) -> String {
    hash(&Signed {
        purpose: "consent",
        order,
        scope,
        lines,
        total: total(lines).unwrap_or_default(),
        reason: "",
    })
}

/// The hash the acceptance signature is bound to: the work as done and its amounts.
pub fn acceptance_hash(order: WorkOrderId, scope: &str, lines: &[QuoteLine]) -> String {
    hash(&Signed {
        purpose: "acceptance",
        order,
        scope,
        lines,
        total: total(lines).unwrap_or_default(),
        reason: "",
    })
}

/// The hash the technician's signature on a declined job is bound to.
pub fn decline_hash(order: WorkOrderId, reason: &str) -> String {
    hash(&Signed {
        purpose: "decline",
        order,
        scope: "",
        lines: &[],
        total: Fen(0),
        reason,
    })
}

/// The hash both sides approve when deciding a pending fee.
pub fn lines_hash(order: WorkOrderId, lines: &[QuoteLine]) -> String {
    hash(&Signed {
        purpose: "fee",
        order,
        scope: "",
        lines,
        total: total(lines).unwrap_or_default(),
        reason: "",
    })
}

/// The 留言条 in the office's standard wording (S4 item 16), for the time of the visit (China
/// time) and the unit.
pub fn message_slip(at: chrono::DateTime<chrono::Utc>, unit_label: &str) -> String {
    use chrono::Timelike;
    let local = at.with_timezone(&super::sla::china());
    format!(
        "尊敬的业户,您好!我处今天{}时{:02}分上门为您{}单元维修,碰巧您不在家,烦请您能在百忙之中与我处联系,再次确认上门维修时间,谢谢合作!",
        local.hour(),
        local.minute(),
        unit_label
    )
}
