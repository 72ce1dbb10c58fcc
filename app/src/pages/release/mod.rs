//! 物品放行 (S3 篇1): the desk's tablet screens (`/desk/passes` list and new pass, the detail
//! with 作废, the printable 存根联 and 通知联) in [`desk`], and the security phone's gate check
//! (`/gate`, offline) in [`gate`]. Issuing is online (the server checks the unit's bills at that
//! moment); the gate reads the passes the phone pulled and queues 确认放行 in the outbox.

mod bills;
mod desk;
mod gate;

pub use bills::ReleaseBillsPage;
pub use desk::{DeskPassesPage, PassDetailPage, PassPrintPage};
pub use gate::GatePage;

use crate::api::ApiFailure;
use crate::i18n::{I18n, Msg};
use chrono::{DateTime, NaiveDateTime, Utc};
use domain::release::pass::{ItemLine, PassStatus};
use domain::work_orders::sla::china;
use leptos::prelude::GetUntracked;

pub(crate) fn status_msg(s: PassStatus) -> Msg {
    match s {
        PassStatus::Issued => Msg::ReleaseStatusIssued,
        PassStatus::Used => Msg::ReleaseStatusUsed,
        PassStatus::Void => Msg::ReleaseStatusVoid,
    }
}

/// The text of a refusal code (the domain's and the server's, which are the same words).
pub(crate) fn refusal_msg(code: &str) -> Option<Msg> {
    Some(match code {
        "not_issued" | "pass_not_issued" => Msg::ReleaseRefusedNotIssued,
        "already_used" => Msg::ReleaseRefusedAlreadyUsed,
        "void" | "pass_void" => Msg::ReleaseRefusedVoid,
        "unpaid_fees" => Msg::ReleaseRefusedUnpaidFees,
        "identity_incomplete" => Msg::ReleaseRefusedIdentityIncomplete,
        "phone_confirmation_not_allowed" => Msg::ReleaseRefusedPhoneConfirmationNotAllowed,
        "no_items" => Msg::ReleaseRefusedNoItems,
        "signature_missing" => Msg::ReleaseRefusedSignatureMissing,
        "forbidden" => Msg::ReleaseRefusedForbidden,
        "site_forbidden" => Msg::ReleaseRefusedSiteForbidden,
        _ => return None,
    })
}

/// A refusal by code, with the server's detail where the code has no text of its own.
pub(crate) fn refusal_text(i18n: I18n, code: &str, detail: &str) -> String {
    let lang = i18n.0.get_untracked();
    match refusal_msg(code) {
        Some(m) => lang.text(m).to_owned(),
        None => crate::i18n::fill(
            lang.text(Msg::ReleaseRefusedOther),
            &[(
                "reason",
                if detail.is_empty() {
                    code.to_owned()
                } else {
                    detail.to_owned()
                },
            )],
        ),
    }
}

pub(crate) fn failure_text(i18n: I18n, e: &ApiFailure) -> String {
    match e {
        ApiFailure::Api { body, .. } => refusal_text(i18n, &body.code, &body.message),
        ApiFailure::Network => i18n
            .0
            .get_untracked()
            .text(Msg::ReleaseOnlineOnly)
            .to_owned(),
        other => refusal_text(i18n, &other.code(), ""),
    }
}

/// `2026-11-21 15:00`, China time.
pub(crate) fn china_time(t: DateTime<Utc>) -> String {
    t.with_timezone(&china())
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

pub(crate) fn local_time(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}

/// `冰箱×1、纸箱×6`
pub(crate) fn items_text(items: &[ItemLine]) -> String {
    items
        .iter()
        .map(|i| format!("{}×{}", i.name, i.quantity))
        .collect::<Vec<_>>()
        .join("、")
}

/// `80.00`
pub(crate) fn yuan(fen: i64) -> String {
    domain::money::Fen(fen).to_string()
}
