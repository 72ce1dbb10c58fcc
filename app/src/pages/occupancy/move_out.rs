//! `/desk/move-out` and `/desk/move-out/:id`: 租户办理退伙 in the seeds' order.

use super::{china_date, fen, first_site, front_office, go, role, show_error, FormError};
use crate::api::{self, ApiFailure};
use crate::frame::Guarded;
use crate::i18n::{use_i18n, Msg};
use crate::pages::errors::Forbidden;
use crate::pages::signature::{Pad, SignaturePad};
use domain::occupancy::move_out::MoveOutStatus;
use domain::occupancy::views::MoveOutView;
use domain::people::Role;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde_json::json;

fn may_read(r: Option<Role>) -> bool {
    front_office(r) || matches!(r, Some(Role::Finance | Role::Security))
}

fn security(r: Option<Role>) -> bool {
    matches!(
        r,
        Some(Role::Security | Role::CsMgr | Role::CenterMgr | Role::Admin)
    )
}

pub fn status_msg(s: MoveOutStatus) -> Msg {
    match s {
        MoveOutStatus::Requested => Msg::FdMoStatusRequested,
        MoveOutStatus::SecurityReviewed => Msg::FdMoStatusSecurityReviewed,
        MoveOutStatus::Disputed => Msg::FdMoStatusDisputed,
        MoveOutStatus::Inspected => Msg::FdMoStatusInspected,
        MoveOutStatus::Settled => Msg::FdMoStatusSettled,
        MoveOutStatus::PassesReturned => Msg::FdMoStatusPassesReturned,
        MoveOutStatus::MovedOut => Msg::FdMoStatusMovedOut,
    }
}

#[component]
pub fn MoveOutListPage() -> impl IntoView {
    view! {
        <Guarded area=None>
            <MoveOutList />
        </Guarded>
    }
}

#[component]
fn MoveOutList() -> impl IntoView {
    let i18n = use_i18n();
    let r = role();
    if !may_read(r) {
        return view! { <Forbidden role=r.unwrap_or(Role::Tech) /> }.into_any();
    }
    let site = first_site();
    let list = RwSignal::new(None::<Result<Vec<MoveOutView>, ApiFailure>>);
    {
        let site = site.clone();
        Effect::new(move |_| {
            let url = format!("/api/v1/sites/{site}/move-outs");
            leptos::task::spawn_local(async move {
                list.set(Some(api::get_json(&url).await));
            });
        });
    }
    let unit = RwSignal::new(String::new());
    let tenant = RwSignal::new(String::new());
    let owner = RwSignal::new(String::new());
    let entrusted = RwSignal::new(false);
    let error = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let pad = Pad::new();
    let open = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let url = format!("/api/v1/sites/{site}/move-outs");
        leptos::task::spawn_local(async move {
            let signature = pad.export().await.ok();
            let body = json!({"unit": unit.get_untracked(), "tenant_name": tenant.get_untracked(),
                "owner_name": owner.get_untracked(), "entrustment_signed": entrusted.get_untracked(),
                "entrustment_signature": signature});
            match api::post_json::<MoveOutView>(&url, &body).await {
                Ok(v) => {
                    crate::offline::client::sync_now();
                    go(&format!("/desk/move-out/{}", v.record.id))
                }
                Err(e) => show_error(i18n, error, &e),
            }
            busy.set(false);
        });
    };
    let rows = move || {
        match list.get() {
        None => view! { <p class="muted">{move || i18n.t(Msg::FdLoading)}</p> }.into_any(),
        Some(Err(e)) => view! { <p class="form-error">{super::error_text(i18n, &e)}</p> }.into_any(),
        Some(Ok(v)) if v.is_empty() => view! { <p class="empty">{move || i18n.t(Msg::FdNone)}</p> }.into_any(),
        Some(Ok(v)) => v
            .into_iter()
            .map(|m| {
                let status = m.record.status;
                view! {
                    <a class="fd-row" data-testid="move-out-row" data-status=status.code() href=format!("/desk/move-out/{}", m.record.id)>
                        <strong>{m.unit_label.clone()}</strong>
                        <span>{m.record.tenant_name.clone()}</span>
                        <span class="fd-status">{move || i18n.t(status_msg(status))}</span>
                    </a>
                }
            })
            .collect_view()
            .into_any(),
    }
    };
    let form = front_office(r).then(|| {
        view! {
            <form class="card fd-form" on:submit=|ev| ev.prevent_default()>
                <h2>{move || i18n.t(Msg::FdMoNew)}</h2>
                <label><span>{move || i18n.t(Msg::FdUnit)}</span><input data-testid="mo-unit" bind:value=unit /></label>
                <label><span>{move || i18n.t(Msg::FdMoTenant)}</span><input data-testid="mo-tenant" bind:value=tenant /></label>
                <label><span>{move || i18n.t(Msg::FdMoOwner)}</span><input data-testid="mo-owner" bind:value=owner /></label>
                <label class="fd-check"><input type="checkbox" data-testid="mo-entrusted" bind:checked=entrusted /><span>{move || i18n.t(Msg::FdMoEntrusted)}</span></label>
                <SignaturePad pad label=Msg::FdMoOwnerSigns />
                <FormError error />
                <button class="button primary" data-testid="mo-open" on:click=open disabled=move || busy.get()>{move || i18n.t(Msg::FdMoOpen)}</button>
            </form>
        }
    });
    view! {
        <section class="fd" id="move-out-list">
            <a href="/desk" class="muted">{move || i18n.t(Msg::FdBackHome)}</a>
            <h1>{move || i18n.t(Msg::FdMoTitle)}</h1>
            {form}
            <h2>{move || i18n.t(Msg::FdMoList)}</h2>
            <div class="fd-list">{rows}</div>
        </section>
    }
    .into_any()
}

#[component]
pub fn MoveOutPage() -> impl IntoView {
    view! {
        <Guarded area=None>
            <MoveOutDetail />
        </Guarded>
    }
}

#[component]
fn MoveOutDetail() -> impl IntoView {
    let i18n = use_i18n();
    let r = role();
    if !may_read(r) {
        return view! { <Forbidden role=r.unwrap_or(Role::Tech) /> }.into_any();
    }
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let data = RwSignal::new(None::<Result<MoveOutView, ApiFailure>>);
    Effect::new(move |_| {
        let url = format!("/api/v1/move-outs/{}", id.get());
        leptos::task::spawn_local(async move {
            data.set(Some(api::get_json(&url).await));
        });
    });
    let error = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let send = move |cmd: serde_json::Value| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let url = format!("/api/v1/move-outs/{}/commands", id.get_untracked());
        leptos::task::spawn_local(async move {
            match api::post_json::<MoveOutView>(&url, &cmd).await {
                Ok(v) => data.set(Some(Ok(v))),
                Err(e) => show_error(i18n, error, &e),
            }
            busy.set(false);
        });
    };
    let note = RwSignal::new(String::new());
    let dispute = RwSignal::new(String::new());
    let desc = RwSignal::new(String::new());
    let deadline = RwSignal::new(String::new());
    let amount = RwSignal::new(String::new());
    let receipt = RwSignal::new(String::new());
    let pass_no = RwSignal::new(String::new());
    let step = move |v: &MoveOutView| -> AnyView {
        let s = v.record.status;
        match s {
            MoveOutStatus::Requested if security(r) => view! {
                <label><span>{move || i18n.t(Msg::FdMoNote)}</span><input data-testid="mo-note" bind:value=note /></label>
                <button class="button primary" data-testid="mo-security" on:click=move |_| send(json!({"type": "security_review", "note": note.get_untracked()}))>{move || i18n.t(Msg::FdMoSecurityReview)}</button>
            }.into_any(),
            MoveOutStatus::SecurityReviewed if front_office(r) => view! {
                <h3>{move || i18n.t(Msg::FdMoInspect)}</h3>
                <select data-testid="mo-dispute" on:change=move |ev| dispute.set(event_target_value(&ev))>
                    <option value="">{move || i18n.t(Msg::FdMoNoDispute)}</option>
                    <option value="fix">{move || i18n.t(Msg::FdMoFix)}</option>
                    <option value="compensate">{move || i18n.t(Msg::FdMoCompensate)}</option>
                </select>
                <Show when=move || !dispute.get().is_empty()>
                    <label><span>{move || i18n.t(Msg::FdMoDisputeDesc)}</span><input data-testid="mo-dispute-desc" bind:value=desc /></label>
                </Show>
                <Show when=move || dispute.get() == "fix">
                    <label><span>{move || i18n.t(Msg::FdMoDeadline)}</span><input type="date" data-testid="mo-deadline" bind:value=deadline /></label>
                </Show>
                <Show when=move || dispute.get() == "compensate">
                    <label><span>{move || i18n.t(Msg::FdMoCompensation)}</span><input data-testid="mo-amount" inputmode="decimal" bind:value=amount /></label>
                </Show>
                <button class="button primary" data-testid="mo-inspect" on:click=move |_| {
                    let d = dispute.get_untracked();
                    let resolution = match d.as_str() {
                        "fix" => json!({"kind": "tenant_fixes", "deadline": deadline.get_untracked()}),
                        "compensate" => json!({"kind": "compensate", "amount_fen": fen(&amount.get_untracked()).unwrap_or(-1)}),
                        _ => json!(null),
                    };
                    let cmd = if d.is_empty() {
                        json!({"type": "inspect"})
                    } else {
                        json!({"type": "inspect", "dispute": {"description": desc.get_untracked(), "resolution": resolution}})
                    };
                    send(cmd)
                }>{move || i18n.t(Msg::FdMoSaveInspection)}</button>
            }.into_any(),
            MoveOutStatus::Disputed if front_office(r) => view! {
                <button class="button primary" data-testid="mo-fixed" on:click=move |_| send(json!({"type": "confirm_fixed"}))>{move || i18n.t(Msg::FdMoConfirmFixed)}</button>
            }.into_any(),
            MoveOutStatus::Inspected if r == Some(Role::Finance) => view! {
                <label><span>{move || i18n.t(Msg::FdMiReceiptNo)}</span><input data-testid="mo-receipt" bind:value=receipt /></label>
                <label><span>{move || i18n.t(Msg::FdMiAmount)}</span><input data-testid="mo-settle-amount" inputmode="decimal" bind:value=amount /></label>
                <button class="button primary" data-testid="mo-settle" on:click=move |_| send(json!({"type": "settle", "receipt_no": receipt.get_untracked(), "amount_fen": fen(&amount.get_untracked()).unwrap_or(-1)}))>{move || i18n.t(Msg::FdMoSettle)}</button>
            }.into_any(),
            MoveOutStatus::Settled if security(r) => view! {
                <label><span>{move || i18n.t(Msg::FdMoReleaseNo)}</span><input data-testid="mo-pass-no" bind:value=pass_no /></label>
                <button class="button primary" data-testid="mo-passes" on:click=move |_| send(json!({"type": "return_passes", "release_pass_no": pass_no.get_untracked()}))>{move || i18n.t(Msg::FdMoReturnPasses)}</button>
            }.into_any(),
            MoveOutStatus::PassesReturned if front_office(r) => view! {
                <button class="button primary" data-testid="mo-moved" on:click=move |_| send(json!({"type": "move_out"}))>{move || i18n.t(Msg::FdMoMoveOut)}</button>
            }.into_any(),
            _ => ().into_any(),
        }
    };
    let body = move || match data.get() {
        None => view! { <p class="muted">{move || i18n.t(Msg::FdLoading)}</p> }.into_any(),
        Some(Err(e)) => {
            view! { <p class="form-error">{super::error_text(i18n, &e)}</p> }.into_any()
        }
        Some(Ok(v)) => {
            let m = v.record.clone();
            let status = m.status;
            let settled = m.settlement.clone().map(|s| {
                i18n.tf(
                    Msg::FdMoSettled,
                    &[("amount", s.amount.to_string()), ("receipt", s.receipt_no)],
                )
            });
            let released = m.release_pass_no.clone().map(|no| {
                i18n.tf(
                    Msg::FdMoReleaseDone,
                    &[("no", no), ("n", m.cards_returned.to_string())],
                )
            });
            let dispute = m.dispute.clone().map(|d| d.description);
            view! {
                <h1>{v.unit_label.clone()} " · " {m.tenant_name.clone()}</h1>
                <p class="fd-status" data-testid="mo-status" data-status=status.code()>{move || i18n.t(status_msg(status))}</p>
                <p class="muted">{i18n.t(Msg::FdMoOwner)} ": " {m.owner_name.clone()} " · " {china_date(m.created_at)}</p>
                {dispute.map(|d| view! { <p>{i18n.t(Msg::FdMoDispute)} ": " {d}</p> })}
                {settled.map(|s| view! { <p class="fd-done">{s}</p> })}
                {released.map(|s| view! { <p class="fd-done" data-testid="mo-released">{s}</p> })}
                <section class="card fd-form">{step(&v)}</section>
            }
            .into_any()
        }
    };
    view! {
        <section class="fd" id="move-out">
            <a href="/desk/move-out" class="muted">"‹ " {move || i18n.t(Msg::FdMoTitle)}</a>
            <FormError error />
            {body}
        </section>
    }
    .into_any()
}
