//! 入伙 / 退租 at the front desk (S0 第9篇; requirements §2.13, §2.18): `/desk/move-in` (register
//! an owner, the list under way), `/desk/move-in/:id` (papers, finance's fees, the handover
//! inspection signed by the owner, rectification items with their reply day — late ones red —
//! re-inspection, keys; the unit's 住户卡 and TV tail line), `/desk/move-out` and
//! `/desk/move-out/:id` (the tenant's move-out in the seeds' order). Online only: these are the
//! server's records, and every refusal comes back as a code shown in the seeds' words.

mod cards;
mod move_in;
mod move_out;

pub use move_in::{MoveInListPage, MoveInPage};
pub use move_out::{MoveOutListPage, MoveOutPage};

use crate::api::ApiFailure;
use crate::frame::use_profile;
use crate::i18n::{I18n, Msg};
use chrono::{DateTime, Utc};
use domain::people::Role;
use domain::work_orders::sla::china;
use leptos::prelude::*;

/// The error texts of the front desk's refusals, by code.
pub fn error_text(i18n: I18n, e: &ApiFailure) -> String {
    let code = e.code();
    let m = match code.as_str() {
        "network" => Msg::FdOnlineOnly,
        "invalid_input" => Msg::FdErrInvalidInput,
        "invalid_body" => Msg::FdErrInvalidBody,
        "unknown_unit" => Msg::FdErrUnknownUnit,
        "forbidden" => Msg::FdErrForbidden,
        "finance_only" => Msg::FdErrFinanceOnly,
        "site_forbidden" => Msg::FdErrSiteForbidden,
        "papers_incomplete" => Msg::FdErrPapersIncomplete,
        "agent_papers_missing" => Msg::FdErrAgentPapersMissing,
        "papers_not_checked" => Msg::FdErrPapersNotChecked,
        "fees_not_paid" => Msg::FdErrFeesNotPaid,
        "owner_signature_required" => Msg::FdErrOwnerSignatureRequired,
        "rectification_items_required" => Msg::FdErrRectificationItemsRequired,
        "reinspection_date_required" => Msg::FdErrReinspectionDateRequired,
        "rectification_open" => Msg::FdErrRectificationOpen,
        "keys_before_acceptance" => Msg::FdErrKeysBeforeAcceptance,
        "move_in_open" => Msg::FdErrMoveInOpen,
        "move_out_open" => Msg::FdErrMoveOutOpen,
        "invalid_transition" => Msg::FdErrInvalidTransition,
        "card_already_active" => Msg::FdErrCardAlreadyActive,
        "deposit_required" => Msg::FdErrDepositRequired,
        "documents_not_checked" => Msg::FdErrDocumentsNotChecked,
        "photos_missing" => Msg::FdErrPhotosMissing,
        "tail_line_already_collected" => Msg::FdErrTailLineAlreadyCollected,
        "register_not_signed" => Msg::FdErrRegisterNotSigned,
        "owner_entrustment_required" => Msg::FdErrOwnerEntrustmentRequired,
        "security_review_required" => Msg::FdErrSecurityReviewRequired,
        "settlement_before_inspection" => Msg::FdErrSettlementBeforeInspection,
        "dispute_open" => Msg::FdErrDisputeOpen,
        "settlement_required" => Msg::FdErrSettlementRequired,
        "release_pass_required" => Msg::FdErrReleasePassRequired,
        "passes_not_returned" => Msg::FdErrPassesNotReturned,
        "slot_taken" => Msg::FdErrSlotTaken,
        "outside_opening_hours" => Msg::FdErrOutsideOpeningHours,
        "slot_misaligned" => Msg::FdErrSlotMisaligned,
        "slot_in_past" => Msg::FdErrSlotInPast,
        "facility_inactive" => Msg::FdErrFacilityInactive,
        "agreement_not_signed" => Msg::FdErrAgreementNotSigned,
        "space_taken" => Msg::FdErrSpaceTaken,
        "card_before_payment" => Msg::FdErrCardBeforePayment,
        "id_not_shown" => Msg::FdErrIdNotShown,
        "item_out" => Msg::FdErrItemOut,
        "already_returned" => Msg::FdErrAlreadyReturned,
        "drill_notice_too_late" => Msg::FdErrDrillNoticeTooLate,
        "bad_period" => Msg::FdErrBadPeriod,
        "expiry_before_end" => Msg::FdErrExpiryBeforeEnd,
        "period_over" => Msg::FdErrPeriodOver,
        "name_taken" => Msg::FdErrNameTaken,
        _ => return i18n.tf(Msg::FdErrOther, &[("code", code)]),
    };
    i18n.0.get_untracked().text(m).to_owned()
}

/// The coded error line every form shows (`data-code` for the tests).
#[component]
pub fn FormError(error: RwSignal<Option<(String, String)>>) -> impl IntoView {
    move || {
        error.get().map(|(code, text)| {
            view! { <p class="form-error" role="alert" data-testid="fd-error" data-code=code>{text}</p> }
        })
    }
}

/// Sets `error` from a failed call.
pub fn show_error(i18n: I18n, error: RwSignal<Option<(String, String)>>, e: &ApiFailure) {
    error.set(Some((e.code(), error_text(i18n, e))));
}

/// The first site of the signed-in staff member (the front desk works one site).
pub fn first_site() -> String {
    use_profile()
        .and_then(|p| p.sites.first().map(|s| s.id.to_string()))
        .unwrap_or_default()
}

pub fn role() -> Option<Role> {
    use_profile().map(|p| p.role)
}

/// 管理处 front office.
pub fn front_office(r: Option<Role>) -> bool {
    r.is_some_and(domain::occupancy::is_front_office)
}

pub fn china_date(t: DateTime<Utc>) -> String {
    t.with_timezone(&china()).format("%Y-%m-%d").to_string()
}

pub fn china_minute(t: DateTime<Utc>) -> String {
    t.with_timezone(&china())
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// Typed yuan to fen; `None` when it is not an amount.
pub fn fen(s: &str) -> Option<i64> {
    if s.trim().is_empty() {
        return Some(0);
    }
    domain::money::Fen::parse_yuan(s).ok().map(|f| f.0)
}

pub fn go(url: &str) {
    #[cfg(feature = "hydrate")]
    crate::browser::go(url);
    #[cfg(not(feature = "hydrate"))]
    let _ = url;
}
