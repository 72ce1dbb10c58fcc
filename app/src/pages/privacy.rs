//! Residents' personal data on screen (requirements §2.20): a number is shown masked; 查看 asks
//! for a reason and shows it in full, and the server logs who, when, what and why. `RevealId` is
//! the one component every page uses for that; `/audit` is the log managers read.

use crate::api::{self, ApiFailure};
use crate::frame::use_profile;
use crate::i18n::{role_msg, use_i18n, I18n, Msg};
use crate::pages::patrol::PatrolGuard;
use crate::pages::repairs::china_time;
use domain::privacy::{reads_audit_log, AuditEntry, RevealKind, RevealResponse};
use leptos::prelude::*;
use uuid::Uuid;

/// The text of a refusal code of the desk, privacy and police APIs.
pub fn refusal_text(i18n: I18n, e: &ApiFailure) -> String {
    let (code, message) = match e {
        ApiFailure::Network => return i18n.t(Msg::DeskOnlineOnly).to_owned(),
        ApiFailure::Api { body, .. } => (body.code.as_str(), body.message.clone()),
        other => return i18n.tf(Msg::DeskServerError, &[("code", other.code())]),
    };
    let msg = match code {
        "wrong_document_type" => Msg::DeskErrWrongDocumentType,
        "id_mismatch" => Msg::DeskErrIdMismatch,
        "bad_id_number" => Msg::DeskErrBadIdNumber,
        "no_id_on_file" => Msg::DeskErrNoIdOnFile,
        "tenant_without_owner_consent" => Msg::DeskErrTenantWithoutOwnerConsent,
        "entrustment_unsigned" => Msg::DeskErrEntrustmentUnsigned,
        "wrong_role_for_hours" => Msg::DeskErrWrongRoleForHours,
        "consent_not_by_owner" => Msg::DeskErrConsentNotByOwner,
        "consent_not_needed" => Msg::DeskErrConsentNotNeeded,
        "bad_consent_time" => Msg::DeskErrBadConsentTime,
        "resident_not_on_file" => Msg::DeskErrResidentNotOnFile,
        "not_owner_or_tenant" => Msg::DeskErrNotOwnerOrTenant,
        "unit_not_found" => Msg::DeskErrUnitNotFound,
        "site_forbidden" => Msg::DeskErrSiteForbidden,
        "forbidden" => Msg::DeskErrForbidden,
        "documents_missing" => Msg::DeskErrDocumentsMissing,
        "bad_dates" => Msg::DeskErrBadDates,
        "deposit_unpaid" => Msg::DeskErrDepositUnpaid,
        "fees_not_set" => Msg::DeskErrFeesNotSet,
        "not_under_construction" => Msg::DeskErrNotUnderConstruction,
        "unknown_worker" => Msg::DeskErrUnknownWorker,
        "extension_too_late" => Msg::DeskErrExtensionTooLate,
        "signatures_missing" => Msg::DeskErrSignaturesMissing,
        "inspection_unsigned" => Msg::DeskErrInspectionUnsigned,
        "wrong_status" => Msg::DeskErrWrongStatus,
        "reason_required" => Msg::DeskErrReasonRequired,
        "reason_too_long" => Msg::DeskErrReasonTooLong,
        "letter_not_checked" => Msg::DeskErrLetterNotChecked,
        "credentials_not_checked" => Msg::DeskErrCredentialsNotChecked,
        "callback_missing" => Msg::DeskErrCallbackMissing,
        "manager_approval_required" => Msg::DeskErrManagerApprovalRequired,
        "not_approved" => Msg::DeskErrNotApproved,
        "invalid_input" | "invalid_body" => {
            return i18n.tf(Msg::DeskErrInvalidInput, &[("message", message)])
        }
        _ => return i18n.tf(Msg::DeskServerError, &[("code", code.to_owned())]),
    };
    i18n.t(msg).to_owned()
}

/// A masked number with 查看: the reveal asks for a reason, and the server logs it.
/// `data-testid="reveal"` wraps it; the full value appears in `reveal-value`.
#[component]
pub fn RevealId(
    kind: RevealKind,
    /// The resident's (or worker's) id.
    id: Uuid,
    /// What is shown until then (`3301**********1234`).
    masked: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let asking = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let shown = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let confirm = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let body = serde_json::json!({ "kind": kind, "id": id, "reason": reason.get_untracked() });
        leptos::task::spawn_local(async move {
            let r = api::post_json::<RevealResponse>("/api/v1/reveal", &body).await;
            busy.set(false);
            match r {
                Ok(v) => {
                    shown.set(Some(v.value));
                    asking.set(false);
                    error.set(None);
                }
                Err(e) => error.set(Some(refusal_text(i18n, &e))),
            }
        });
    };
    view! {
        <span class="reveal" data-testid="reveal" data-kind=kind.code()>
            {move || match shown.get() {
                Some(v) => view! { <span class="mono reveal-value" data-testid="reveal-value">{v}</span> }.into_any(),
                None => view! {
                    <span class="mono">{masked.clone()}</span>
                    <Show when=move || !asking.get()>
                        <button type="button" class="button small reveal-show" data-testid="reveal-show"
                            on:click=move |_| asking.set(true)>
                            {move || i18n.t(Msg::DeskRevealShow)}
                        </button>
                    </Show>
                }.into_any(),
            }}
            <Show when=move || asking.get()>
                <form class="reveal-form" on:submit=confirm>
                    <label>
                        <span>{move || i18n.t(Msg::DeskRevealReason)}</span>
                        <input data-testid="reveal-reason" bind:value=reason required />
                    </label>
                    <button type="submit" class="button primary small" data-testid="reveal-confirm"
                        disabled=move || busy.get()>
                        {move || i18n.t(Msg::DeskRevealConfirm)}
                    </button>
                    <button type="button" class="button small" on:click=move |_| asking.set(false)>
                        {move || i18n.t(Msg::DeskRevealCancel)}
                    </button>
                </form>
            </Show>
            {move || error.get().map(|e| view! { <span class="form-error">{e}</span> })}
        </span>
    }
}

/// `/audit`: the log of every reveal and police look-up (客服部经理, 服务中心经理, 系统管理员).
#[component]
pub fn AuditPage() -> impl IntoView {
    view! {
        <PatrolGuard allow=reads_audit_log>
            <AuditLog />
        </PatrolGuard>
    }
}

fn action_msg(a: &str) -> Option<Msg> {
    Some(match a {
        "reveal" => Msg::DeskAuditActionReveal,
        "police_request" => Msg::DeskAuditActionPoliceRequest,
        "police_approve" => Msg::DeskAuditActionPoliceApprove,
        "police_decline" => Msg::DeskAuditActionPoliceDecline,
        "police_view" => Msg::DeskAuditActionPoliceView,
        _ => return None,
    })
}

fn kind_msg(k: &str) -> Option<Msg> {
    Some(match k {
        "resident_id_card" => Msg::DeskAuditKindResidentIdCard,
        "resident_phone" => Msg::DeskAuditKindResidentPhone,
        "worker_id_card" => Msg::DeskAuditKindWorkerIdCard,
        "worker_phone" => Msg::DeskAuditKindWorkerPhone,
        "unit_records" => Msg::DeskAuditKindUnitRecords,
        _ => return None,
    })
}

#[component]
fn AuditLog() -> impl IntoView {
    let i18n = use_i18n();
    let sites = use_profile().map(|p| p.sites).unwrap_or_default();
    view! {
        <section class="desk-audit" id="audit-page">
            <h1>{move || i18n.t(Msg::DeskAuditTitle)}</h1>
            <p class="muted">{move || i18n.t(Msg::DeskAuditHint)}</p>
            {sites.into_iter().map(|s| {
                let url = format!("/api/v1/sites/{}/audit", s.id);
                let entries = LocalResource::new(move || {
                    let url = url.clone();
                    async move { api::get_json::<Vec<AuditEntry>>(&url).await }
                });
                let name = s.name.clone();
                view! {
                    <h2>{name}</h2>
                    {move || match entries.get() {
                        None => view! { <p class="muted">{move || i18n.t(Msg::DeskLoading)}</p> }.into_any(),
                        Some(Err(e)) => view! { <p class="form-error">{refusal_text(i18n, &e)}</p> }.into_any(),
                        Some(Ok(list)) if list.is_empty() => view! { <p class="empty">{move || i18n.t(Msg::DeskAuditNone)}</p> }.into_any(),
                        Some(Ok(list)) => view! { <AuditTable list /> }.into_any(),
                    }}
                }
            }).collect_view()}
        </section>
    }
}

#[component]
fn AuditTable(list: Vec<AuditEntry>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="table-wrap">
            <table class="audit-log" data-testid="audit-log">
                <thead>
                    <tr>
                        <th>{move || i18n.t(Msg::DeskAuditAt)}</th>
                        <th>{move || i18n.t(Msg::DeskAuditWho)}</th>
                        <th>{move || i18n.t(Msg::DeskAuditAction)}</th>
                        <th>{move || i18n.t(Msg::DeskAuditWhat)}</th>
                        <th>{move || i18n.t(Msg::DeskAuditSubject)}</th>
                        <th>{move || i18n.t(Msg::DeskAuditReason)}</th>
                    </tr>
                </thead>
                <tbody>
                    {list.into_iter().map(|e| {
                        let role = e.staff_role;
                        let action = e.action.clone();
                        let kind = e.kind.clone();
                        view! {
                            <tr data-testid="audit-row" data-action=e.action.clone() data-kind=e.kind.clone()>
                                <td class="mono">{china_time(e.at)}</td>
                                <td>{e.staff_name} " · " {move || i18n.t(role_msg(role))}</td>
                                <td>{move || action_msg(&action).map(|m| i18n.t(m).to_owned()).unwrap_or_else(|| action.clone())}</td>
                                <td>{move || kind_msg(&kind).map(|m| i18n.t(m).to_owned()).unwrap_or_default()}</td>
                                <td>{e.subject}</td>
                                <td>{e.reason}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
