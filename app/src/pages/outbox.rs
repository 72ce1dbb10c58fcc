//! `/outbox`: every queued change and its state, with retry and discard (after confirmation),
//! the last sync and "sync now".

use crate::frame::Guarded;
use crate::i18n::{fill, use_i18n, Lang, Msg};
use crate::offline::client;
use crate::offline::use_sync_status;
use domain::ids::MutationId;
use domain::sync::outbox::{EntryState, OutboxEntry};
use domain::sync::wire::{ConflictCode, RejectCode};
use leptos::prelude::*;

#[component]
pub fn OutboxPage() -> impl IntoView {
    view! {
        <Guarded area=None>
            <Outbox />
        </Guarded>
    }
}

pub fn command_msg(type_name: &str) -> Msg {
    match type_name {
        "work_order.create" => Msg::CmdCreate,
        "work_order.assign" => Msg::CmdAssign,
        "work_order.accept" => Msg::CmdAccept,
        "work_order.decline" => Msg::CmdDecline,
        "work_order.arrive" => Msg::CmdArrive,
        "work_order.edit_text" => Msg::CmdEditText,
        "work_order.refer" => Msg::CmdRefer,
        "work_order.reply" => Msg::CmdReply,
        "work_order.manager_visit" => Msg::CmdManagerVisit,
        "work_order.quote" => Msg::CmdQuote,
        "work_order.consent" => Msg::CmdConsent,
        "work_order.finish" => Msg::CmdFinish,
        "work_order.resident_accept" => Msg::CmdResidentAccept,
        "work_order.resident_decline" => Msg::CmdResidentDecline,
        "work_order.nobody_home" => Msg::CmdNobodyHome,
        "work_order.rebook" => Msg::CmdRebook,
        "work_order.fee_pending" => Msg::CmdFeePending,
        "work_order.decide_fee" => Msg::CmdDecideFee,
        "work_order.material_shortage" => Msg::CmdMaterialShortage,
        "work_order.materials_arrived" => Msg::CmdMaterialsArrived,
        "work_order.notify_developer" => Msg::CmdNotifyDeveloper,
        "work_order.complete_paperwork" => Msg::CmdCompletePaperwork,
        "round.create" => Msg::CmdRoundCreate,
        "round.start" => Msg::CmdRoundStart,
        "round.scan" => Msg::CmdRoundScan,
        "round.answer" => Msg::CmdRoundAnswer,
        "round.finding" => Msg::CmdRoundFinding,
        "round.finish" => Msg::CmdRoundFinish,
        "round.finish_early" => Msg::CmdRoundFinishEarly,
        "pass.use" => Msg::ReleaseCmdUse,
        "pass.void" => Msg::ReleaseCmdVoid,
        "complaint.register" => Msg::CareCmdRegister,
        "visit.record" => Msg::VisitsCmdRecord,
        _ => Msg::CmdOther,
    }
}

pub fn reject_text(lang: Lang, code: RejectCode) -> String {
    let m = match code {
        RejectCode::Forbidden => Msg::RejectForbidden,
        RejectCode::SiteForbidden => Msg::RejectSiteForbidden,
        RejectCode::UnitNotInSite => Msg::RejectUnitNotInSite,
        RejectCode::InvalidInput => Msg::RejectInvalidInput,
        RejectCode::InvalidTransition => Msg::RejectInvalidTransition,
        RejectCode::NotAssignee => Msg::RejectNotAssignee,
        RejectCode::UnknownStaff => Msg::RejectUnknownStaff,
        RejectCode::UnknownEntity => Msg::RejectUnknownEntity,
        RejectCode::UnknownCatalogueItem => Msg::RejectUnknownCatalogueItem,
        RejectCode::UnknownSupplierItem => Msg::RejectUnknownSupplierItem,
        RejectCode::PriceMismatch => Msg::RejectPriceMismatch,
        RejectCode::AmountOutOfRange => Msg::RejectAmountOutOfRange,
        RejectCode::SignatureMismatch => Msg::RejectSignatureMismatch,
        RejectCode::SecondRepairNeedsVisit => Msg::RejectSecondRepairNeedsVisit,
        RejectCode::AlreadyFinal => Msg::RejectAlreadyFinal,
        RejectCode::AlreadyUsed => Msg::ReleaseRefusedAlreadyUsed,
        RejectCode::PassVoid => Msg::ReleaseRefusedVoid,
        RejectCode::PassNotIssued => Msg::ReleaseRefusedNotIssued,
        other => return fill(lang.text(Msg::RejectOther), &[("code", other.code())]),
    };
    lang.text(m).to_owned()
}

fn state_text(lang: Lang, s: &EntryState) -> (String, &'static str) {
    match s {
        EntryState::Waiting => (lang.text(Msg::OutboxStateWaiting).into(), "waiting"),
        EntryState::Sending => (lang.text(Msg::OutboxStateSending).into(), "sending"),
        EntryState::Deferred { .. } => (lang.text(Msg::OutboxStateDeferred).into(), "deferred"),
        EntryState::Applied { .. } => (lang.text(Msg::OutboxStateApplied).into(), "applied"),
        EntryState::Rejected { code, .. } => (
            fill(
                lang.text(Msg::OutboxStateRejected),
                &[("reason", reject_text(lang, *code))],
            ),
            "rejected",
        ),
        EntryState::Conflict { code, .. } => {
            let reason = match code {
                ConflictCode::StatusChanged => lang.text(Msg::ConflictStatusChanged).to_owned(),
                ConflictCode::TextConflict => lang.text(Msg::ConflictTextConflict).to_owned(),
            };
            (
                fill(lang.text(Msg::OutboxStateConflict), &[("reason", reason)]),
                "conflict",
            )
        }
    }
}

#[component]
fn Outbox() -> impl IntoView {
    let i18n = use_i18n();
    let st = use_sync_status();
    let entries = LocalResource::new(move || {
        st.data_version.track();
        st.pending.track();
        async move { client::outbox().await }
    });
    let confirming = RwSignal::new(None::<MutationId>);
    let last = move || match st.last_sync.get() {
        Some(t) => i18n.tf(Msg::SyncLast, &[("time", short_time(&t))]),
        None => i18n.t(Msg::SyncNever).to_owned(),
    };
    view! {
        <section class="outbox">
            <h1>{move || i18n.t(Msg::OutboxTitle)}</h1>
            <div class="card sync-line">
                <span id="last-sync">{last}</span>
                <button class="button primary" id="sync-now" on:click=move |_| client::sync_now()
                    disabled=move || st.syncing.get()>
                    {move || if st.syncing.get() { i18n.t(Msg::SyncSyncing) } else { i18n.t(Msg::SyncNow) }}
                </button>
                <Show when=move || st.last_error.get().is_some()>
                    <p class="form-error" id="sync-error">
                        {move || match st.last_error.get().as_deref() {
                            Some("unauthenticated") => i18n.t(Msg::SyncSignedOut).to_owned(),
                            Some(code) => i18n.tf(Msg::SyncError, &[("code", code.to_owned())]),
                            None => String::new(),
                        }}
                    </p>
                </Show>
            </div>
            <Suspense fallback=|| view! { <p class="muted">"…"</p> }>
                {move || entries.get().map(|list| {
                    if list.is_empty() {
                        return view! { <p class="empty" id="outbox-empty">{move || i18n.t(Msg::OutboxEmpty)}</p> }.into_any();
                    }
                    view! {
                        <ul class="entries" id="outbox-list">
                            {list.into_iter().map(|e| view! { <EntryRow e confirming /> }).collect_view()}
                        </ul>
                    }.into_any()
                })}
            </Suspense>
        </section>
    }
}

fn short_time(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| {
            t.with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).unwrap_or(*t.offset()))
                .format("%m-%d %H:%M:%S")
                .to_string()
        })
        .unwrap_or_else(|_| rfc3339.to_owned())
}

#[component]
fn EntryRow(e: OutboxEntry, confirming: RwSignal<Option<MutationId>>) -> impl IntoView {
    let i18n = use_i18n();
    let id = e.mutation.mutation_id;
    let kind = command_msg(e.mutation.command.type_name());
    let state = e.state.clone();
    let retryable = matches!(
        state,
        EntryState::Rejected { .. } | EntryState::Conflict { .. }
    );
    let discardable = !matches!(state, EntryState::Applied { .. } | EntryState::Sending);
    let attempts = e.attempts;
    let at = short_time(&e.mutation.occurred_at.to_rfc3339());
    let state_for_view = state.clone();
    let (_, css) = state_text(Lang::Zh, &state);
    view! {
        <li class=format!("card entry {css}") data-state=css>
            <div class="entry-head">
                <strong>{move || i18n.t(kind)}</strong>
                <span class="tag">{move || state_text(i18n.0.get(), &state_for_view).0}</span>
            </div>
            <p class="muted small">
                {move || i18n.tf(Msg::OutboxCreated, &[("time", at.clone())])}
                {move || (attempts > 0).then(|| format!(" · {}", i18n.tf(Msg::OutboxAttempts, &[("n", attempts.to_string())])))}
            </p>
            <div class="entry-actions">
                <Show when=move || retryable>
                    <button class="button" on:click=move |_| {
                        leptos::task::spawn_local(async move { let _ = client::retry(id).await; });
                    }>{move || i18n.t(Msg::OutboxRetry)}</button>
                </Show>
                <Show when=move || discardable && confirming.get() != Some(id)>
                    <button class="button discard" on:click=move |_| confirming.set(Some(id))>
                        {move || i18n.t(Msg::OutboxDiscard)}
                    </button>
                </Show>
            </div>
            <Show when=move || confirming.get() == Some(id)>
                <div class="confirm" role="alertdialog">
                    <p>{move || i18n.t(Msg::OutboxDiscardConfirm)}</p>
                    <button class="button danger confirm-discard" on:click=move |_| {
                        confirming.set(None);
                        leptos::task::spawn_local(async move { let _ = client::discard(id).await; });
                    }>{move || i18n.t(Msg::OutboxConfirmYes)}</button>
                    <button class="button" on:click=move |_| confirming.set(None)>{move || i18n.t(Msg::OutboxCancel)}</button>
                </div>
            </Show>
        </li>
    }
}
