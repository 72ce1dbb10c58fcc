//! `/desk/move-in` and `/desk/move-in/:id`.

use super::cards::UnitCards;
use super::{china_date, first_site, front_office, go, role, show_error, FormError};
use crate::api::{self, ApiFailure};
use crate::frame::Guarded;
use crate::i18n::{use_i18n, Msg};
use crate::pages::errors::Forbidden;
use crate::pages::signature::{Pad, SignaturePad};
use domain::occupancy::move_in::MoveInStatus;
use domain::occupancy::views::MoveInView;
use domain::people::Role;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde_json::json;

fn may_read(r: Option<Role>) -> bool {
    front_office(r) || matches!(r, Some(Role::Finance | Role::EngMgr))
}

pub fn status_msg(s: MoveInStatus) -> Msg {
    match s {
        MoveInStatus::Registered => Msg::FdMiStatusRegistered,
        MoveInStatus::PapersChecked => Msg::FdMiStatusPapersChecked,
        MoveInStatus::FeesPaid => Msg::FdMiStatusFeesPaid,
        MoveInStatus::Rectifying => Msg::FdMiStatusRectifying,
        MoveInStatus::Accepted => Msg::FdMiStatusAccepted,
        MoveInStatus::KeysHanded => Msg::FdMiStatusKeysHanded,
    }
}

#[component]
pub fn MoveInListPage() -> impl IntoView {
    view! {
        <Guarded area=None>
            <MoveInList />
        </Guarded>
    }
}

#[component]
fn MoveInList() -> impl IntoView {
    let i18n = use_i18n();
    let r = role();
    if !may_read(r) {
        return view! { <Forbidden role=r.unwrap_or(Role::Tech) /> }.into_any();
    }
    let site = first_site();
    let list = RwSignal::new(None::<Result<Vec<MoveInView>, ApiFailure>>);
    {
        let site = site.clone();
        Effect::new(move |_| {
            let url = format!("/api/v1/sites/{site}/move-ins");
            leptos::task::spawn_local(async move {
                list.set(Some(api::get_json(&url).await));
            });
        });
    }
    let unit = RwSignal::new(String::new());
    let owner = RwSignal::new(String::new());
    let id_card = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let error = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let open = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let url = format!("/api/v1/sites/{site}/move-ins");
        let body = json!({"unit": unit.get_untracked(), "owner_name": owner.get_untracked(),
            "owner_id_card": id_card.get_untracked(), "owner_phone": phone.get_untracked()});
        leptos::task::spawn_local(async move {
            match api::post_json::<MoveInView>(&url, &body).await {
                Ok(v) => go(&format!("/desk/move-in/{}", v.record.id)),
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
                let href = format!("/desk/move-in/{}", m.record.id);
                let status = m.record.status;
                let overdue = m.overdue_items.len();
                let late = overdue > 0;
                let reinspect = m.record.reinspect_on.map(|d| d.to_string());
                view! {
                    <a class="fd-row" data-testid="move-in-row" data-unit=m.unit_label.clone()
                        data-status=status.code() class:fd-late=late href=href>
                        <strong>{m.unit_label.clone()}</strong>
                        <span>{m.record.owner_name.clone()}</span>
                        <span class="fd-status">{move || i18n.t(status_msg(status))}</span>
                        {reinspect.map(|d| view! { <span>{move || i18n.tf(Msg::FdMiReinspectOn, &[("date", d.clone())])}</span> })}
                        {(overdue > 0).then(|| view! { <span class="fd-red">{move || i18n.tf(Msg::FdMiOverdue, &[("n", overdue.to_string())])}</span> })}
                    </a>
                }
            })
            .collect_view()
            .into_any(),
    }
    };
    let can_open = front_office(r);
    view! {
        <section class="fd" id="move-in-list">
            <a href="/desk" class="muted">{move || i18n.t(Msg::FdBackHome)}</a>
            <h1>{move || i18n.t(Msg::FdMiTitle)}</h1>
            {can_open.then(|| view! {
                <form class="card fd-form" on:submit=|ev| ev.prevent_default()>
                    <h2>{move || i18n.t(Msg::FdMiNew)}</h2>
                    <label><span>{move || i18n.t(Msg::FdUnit)}</span><input data-testid="mi-unit" bind:value=unit /></label>
                    <label><span>{move || i18n.t(Msg::FdMiOwner)}</span><input data-testid="mi-owner" bind:value=owner /></label>
                    <label><span>{move || i18n.t(Msg::FdIdCard)}</span><input data-testid="mi-id" bind:value=id_card /></label>
                    <label><span>{move || i18n.t(Msg::FdPhone)}</span><input data-testid="mi-phone" type="tel" bind:value=phone /></label>
                    <FormError error />
                    <button class="button primary" data-testid="mi-open" on:click=open disabled=move || busy.get()>{move || i18n.t(Msg::FdMiOpen)}</button>
                </form>
            })}
            <h2>{move || i18n.t(Msg::FdMiList)}</h2>
            <div class="fd-list">{rows}</div>
        </section>
    }
    .into_any()
}

#[component]
pub fn MoveInPage() -> impl IntoView {
    view! {
        <Guarded area=None>
            <MoveInDetail />
        </Guarded>
    }
}

#[component]
fn MoveInDetail() -> impl IntoView {
    let i18n = use_i18n();
    let r = role();
    if !may_read(r) {
        return view! { <Forbidden role=r.unwrap_or(Role::Tech) /> }.into_any();
    }
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let data = RwSignal::new(None::<Result<MoveInView, ApiFailure>>);
    Effect::new(move |_| {
        let url = format!("/api/v1/move-ins/{}", id.get());
        leptos::task::spawn_local(async move {
            data.set(Some(api::get_json(&url).await));
        });
    });
    let body = move || match data.get() {
        None => view! { <p class="muted">{move || i18n.t(Msg::FdLoading)}</p> }.into_any(),
        Some(Err(e)) => {
            view! { <p class="form-error">{super::error_text(i18n, &e)}</p> }.into_any()
        }
        Some(Ok(v)) => view! { <MoveInBody v data /> }.into_any(),
    };
    view! {
        <section class="fd" id="move-in">
            <a href="/desk/move-in" class="muted">"‹ " {move || i18n.t(Msg::FdMiTitle)}</a>
            {body}
        </section>
    }
    .into_any()
}

/// Sends one command; the answer replaces the record on screen.
fn send(
    id: String,
    cmd: serde_json::Value,
    data: RwSignal<Option<Result<MoveInView, ApiFailure>>>,
    error: RwSignal<Option<(String, String)>>,
    busy: RwSignal<bool>,
) {
    let i18n = use_i18n();
    if busy.get_untracked() {
        return;
    }
    busy.set(true);
    error.set(None);
    leptos::task::spawn_local(async move {
        match api::post_json::<MoveInView>(&format!("/api/v1/move-ins/{id}/commands"), &cmd).await {
            Ok(v) => data.set(Some(Ok(v))),
            Err(e) => show_error(i18n, error, &e),
        }
        busy.set(false);
    });
}

#[component]
fn MoveInBody(
    v: MoveInView,
    data: RwSignal<Option<Result<MoveInView, ApiFailure>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let r = role();
    let front = front_office(r);
    let m = v.record.clone();
    let id = m.id.to_string();
    let status = m.status;
    let error = RwSignal::new(None);
    let busy = RwSignal::new(false);

    // Papers.
    let papers = m.papers.clone();
    let papers_view = match papers {
        Some(p) => view! {
            <p class="fd-done">{move || i18n.tf(Msg::FdMiPapersDone, &[("date", china_date(p.checked_at))])}</p>
            {p.agent.map(|a| view! { <p>{move || i18n.tf(Msg::FdMiAgentDone, &[("name", a.name.clone()), ("id", a.id_card_masked.clone())])}</p> })}
        }
        .into_any(),
        None if front => {
            let boxes = [
                ("registration_form", Msg::FdMiPaperRegistrationForm),
                ("notice_taken_back", Msg::FdMiPaperNoticeTakenBack),
                ("purchase_contract", Msg::FdMiPaperPurchaseContract),
                ("owner_id_matches", Msg::FdMiPaperOwnerIdMatches),
                ("covenants_signed", Msg::FdMiPaperCovenantsSigned),
            ]
            .map(|(k, m)| (k, m, RwSignal::new(false)));
            let agent = RwSignal::new(false);
            let agent_name = RwSignal::new(String::new());
            let agent_id = RwSignal::new(String::new());
            let agent_letter = RwSignal::new(false);
            let id = id.clone();
            let check = move |_| {
                let mut cmd = json!({"type": "check_papers"});
                for (k, _, s) in boxes {
                    cmd[k] = json!(s.get_untracked());
                }
                if agent.get_untracked() {
                    cmd["agent"] = json!({"name": agent_name.get_untracked(),
                        "id_card": agent_id.get_untracked(),
                        "authority_letter": agent_letter.get_untracked()});
                }
                send(id.clone(), cmd, data, error, busy);
            };
            view! {
                <div class="fd-checks">
                    {boxes.map(|(k, m, s)| view! {
                        <label class="fd-check"><input type="checkbox" data-testid=format!("paper-{k}") bind:checked=s />
                            <span>{move || i18n.t(m)}</span></label>
                    }).to_vec()}
                    <label class="fd-check"><input type="checkbox" data-testid="paper-agent" bind:checked=agent />
                        <span>{move || i18n.t(Msg::FdMiAgent)}</span></label>
                    <Show when=move || agent.get()>
                        <label><span>{move || i18n.t(Msg::FdMiAgentName)}</span><input data-testid="agent-name" bind:value=agent_name /></label>
                        <label><span>{move || i18n.t(Msg::FdMiAgentId)}</span><input data-testid="agent-id" bind:value=agent_id /></label>
                        <label class="fd-check"><input type="checkbox" data-testid="agent-letter" bind:checked=agent_letter />
                            <span>{move || i18n.t(Msg::FdMiAgentLetter)}</span></label>
                    </Show>
                    <button class="button primary" data-testid="mi-check-papers" on:click=check disabled=move || busy.get()>
                        {move || i18n.t(Msg::FdMiCheckPapers)}
                    </button>
                </div>
            }
            .into_any()
        }
        None => ().into_any(),
    };

    // Fees (finance).
    let fees_view = match m.fees.clone() {
        Some(f) => view! {
            <p class="fd-done" data-testid="mi-fees-paid">{move || i18n.tf(Msg::FdMiFeesPaid, &[("amount", f.amount.to_string()), ("receipt", f.receipt_no.clone())])}</p>
        }
        .into_any(),
        None if status == MoveInStatus::PapersChecked && r == Some(Role::Finance) => {
            let receipt = RwSignal::new(String::new());
            let amount = RwSignal::new(String::new());
            let id = id.clone();
            let pay = move |_| {
                let Some(fen) = super::fen(&amount.get_untracked()) else {
                    error.set(Some(("invalid_input".into(), i18n.t(Msg::FdErrInvalidInput).into())));
                    return;
                };
                let cmd = json!({"type": "record_fees", "receipt_no": receipt.get_untracked(), "amount_fen": fen});
                send(id.clone(), cmd, data, error, busy);
            };
            view! {
                <label><span>{move || i18n.t(Msg::FdMiReceiptNo)}</span><input data-testid="mi-receipt" bind:value=receipt /></label>
                <label><span>{move || i18n.t(Msg::FdMiAmount)}</span><input data-testid="mi-amount" inputmode="decimal" bind:value=amount /></label>
                <button class="button primary" data-testid="mi-record-fees" on:click=pay disabled=move || busy.get()>{move || i18n.t(Msg::FdMiRecordFees)}</button>
            }
            .into_any()
        }
        None => view! { <p class="muted">{move || i18n.t(Msg::FdMiFeesWait)}</p> }.into_any(),
    };

    // Inspections so far.
    let inspections = m
        .inspections
        .iter()
        .map(|x| {
            let result = if x.accepted { Msg::FdMiAccept } else { Msg::FdMiRefuse };
            let (no, opinion, signer) = (x.no, x.opinion.clone(), x.signer_name.clone());
            view! {
                <li data-testid="inspection-row" data-accepted=x.accepted.to_string()>
                    {move || i18n.tf(Msg::FdMiInspectionRow, &[("no", no.to_string()), ("result", i18n.t(result).to_owned()),
                        ("opinion", opinion.clone()), ("signer", signer.clone())])}
                </li>
            }
        })
        .collect_view();

    // Rectification items.
    let today = v.today;
    let items = m
        .items
        .iter()
        .map(|it| {
            let no = it.no;
            let late = it.reply_overdue(today);
            let state = match (it.fixed_at, it.replied_at, it.reply_due) {
                (None, ..) => i18n.t(Msg::FdMiItemOpen).to_owned(),
                (Some(_), Some(_), _) => i18n.t(Msg::FdMiItemReplied).to_owned(),
                (Some(_), None, due) => i18n.tf(
                    Msg::FdMiItemFixed,
                    &[("date", due.map(|d| d.to_string()).unwrap_or_default())],
                ),
            };
            let can_fix = it.fixed_at.is_none()
                && status == MoveInStatus::Rectifying
                && (front || r == Some(Role::EngMgr));
            let can_reply = it.fixed_at.is_some() && it.replied_at.is_none() && front;
            let (id1, id2) = (id.clone(), id.clone());
            view! {
                <li class="fd-item" class:fd-red=late data-testid="rect-item" data-no=no data-late=late.to_string()>
                    <span>{no} ". " {it.description.clone()}</span>
                    <span class="fd-status">{state}</span>
                    {can_fix.then(|| view! {
                        <button class="button" data-testid="rect-fixed" disabled=move || busy.get()
                            on:click=move |_| send(id1.clone(), json!({"type": "report_fixed", "item_no": no}), data, error, busy)>
                            {move || i18n.t(Msg::FdMiReportFixed)}
                        </button>
                    })}
                    {can_reply.then(|| view! {
                        <button class="button" data-testid="rect-reply" disabled=move || busy.get()
                            on:click=move |_| send(id2.clone(), json!({"type": "reply_owner", "item_no": no}), data, error, busy)>
                            {move || i18n.t(Msg::FdMiReplyOwner)}
                        </button>
                    })}
                </li>
            }
        })
        .collect_view();
    let has_items = !m.items.is_empty();

    // The inspection form.
    let inspect_form = if front
        && matches!(status, MoveInStatus::FeesPaid | MoveInStatus::Rectifying)
    {
        let accepted = RwSignal::new(String::new());
        let opinion = RwSignal::new(String::new());
        let list = RwSignal::new(String::new());
        let date = RwSignal::new(String::new());
        let signer = RwSignal::new(m.owner_name.clone());
        let pad = Pad::new();
        let id = id.clone();
        let submit = move |_| {
            let id = id.clone();
            let refuse = accepted.get_untracked() == "no";
            if accepted.get_untracked().is_empty() {
                error.set(Some((
                    "invalid_input".into(),
                    i18n.t(Msg::FdErrInvalidInput).into(),
                )));
                return;
            }
            leptos::task::spawn_local(async move {
                let signature = pad.export().await.ok();
                let items: Vec<String> = if refuse {
                    list.get_untracked().lines().map(str::to_owned).collect()
                } else {
                    Vec::new()
                };
                let d = date.get_untracked();
                let cmd = json!({"type": "inspect", "accepted": !refuse,
                    "opinion": opinion.get_untracked(), "signer_name": signer.get_untracked(),
                    "signature": signature, "items": items,
                    "reinspect_on": if refuse && !d.is_empty() { json!(d) } else { json!(null) }});
                send(id, cmd, data, error, busy);
                crate::offline::client::sync_now();
            });
        };
        view! {
            <div class="card fd-form" id="inspection-form">
                <h2>{move || i18n.t(Msg::FdMiInspection)}</h2>
                <div class="fd-choice">
                    <label class="fd-check"><input type="radio" name="insp" data-testid="insp-accept" value="yes"
                        on:change=move |_| accepted.set("yes".into()) /><span>{move || i18n.t(Msg::FdMiAccept)}</span></label>
                    <label class="fd-check"><input type="radio" name="insp" data-testid="insp-refuse" value="no"
                        on:change=move |_| accepted.set("no".into()) /><span>{move || i18n.t(Msg::FdMiRefuse)}</span></label>
                </div>
                <label><span>{move || i18n.t(Msg::FdMiOpinion)}</span><input data-testid="insp-opinion" bind:value=opinion /></label>
                <Show when=move || accepted.get() == "no">
                    <label><span>{move || i18n.t(Msg::FdMiItems)}</span><textarea data-testid="insp-items" rows="3" bind:value=list></textarea></label>
                    <label><span>{move || i18n.t(Msg::FdMiReinspect)}</span><input type="date" data-testid="insp-date" bind:value=date /></label>
                </Show>
                <SignaturePad pad label=Msg::FdMiOwnerSigns signer />
                <button class="button primary" data-testid="insp-submit" on:click=submit disabled=move || busy.get()>{move || i18n.t(Msg::FdMiSubmitInspection)}</button>
            </div>
        }
        .into_any()
    } else {
        ().into_any()
    };

    let keys = match (status, m.keys_handed_at) {
        (_, Some(at)) => view! { <p class="fd-done" data-testid="mi-keys-done">{move || i18n.tf(Msg::FdMiKeysDone, &[("date", china_date(at))])}</p> }.into_any(),
        _ if front => {
            let id = id.clone();
            view! {
                <button class="button primary" data-testid="mi-keys" disabled=move || busy.get()
                    on:click=move |_| send(id.clone(), json!({"type": "hand_over_keys"}), data, error, busy)>
                    {move || i18n.t(Msg::FdMiKeys)}
                </button>
            }
            .into_any()
        }
        _ => ().into_any(),
    };
    let reinspect = m.reinspect_on.map(|d| d.to_string());
    let cards = front.then(|| {
        view! { <UnitCards unit_id=m.unit_id.to_string() unit_label=v.unit_label.clone() /> }
    });
    view! {
        <h1>{v.unit_label.clone()} " · " {m.owner_name.clone()}</h1>
        <p class="fd-status" data-testid="mi-status" data-status=status.code()>{move || i18n.t(status_msg(status))}</p>
        <p class="muted">{m.owner_id_card_masked.clone()} " " {m.owner_phone_masked.clone()}</p>
        {reinspect.map(|d| view! { <p data-testid="mi-reinspect">{move || i18n.tf(Msg::FdMiReinspectOn, &[("date", d.clone())])}</p> })}
        <FormError error />
        <section class="card"><h2>{move || i18n.t(Msg::FdMiPapers)}</h2>{papers_view}</section>
        <section class="card"><h2>{move || i18n.t(Msg::FdMiFees)}</h2>{fees_view}</section>
        <section class="card">
            <h2>{move || i18n.t(Msg::FdMiInspections)}</h2>
            <ul class="fd-list">{inspections}</ul>
            {has_items.then(|| view! { <h3>{move || i18n.t(Msg::FdMiRectification)}</h3> })}
            <ul class="fd-list" id="rect-items">{items}</ul>
        </section>
        {inspect_form}
        <section class="card">{keys}</section>
        {cards}
    }
}
