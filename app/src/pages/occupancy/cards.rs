//! The unit's 住户卡 (one per person; 按金 for tenants and non-direct relatives; photos and
//! 工本费) and its TV tail line (one per household), on the move-in page.

use super::{china_date, fen, show_error, FormError};
use crate::api::{self, ApiFailure};
use crate::i18n::{use_i18n, Msg};
use domain::occupancy::cards::{CardHolder, CardStatus};
use domain::occupancy::views::{CardView, TailLineView};
use leptos::prelude::*;
use serde_json::json;

pub fn holder_msg(h: CardHolder) -> Msg {
    match h {
        CardHolder::Owner => Msg::FdCardHolderOwner,
        CardHolder::DirectRelative => Msg::FdCardHolderDirectRelative,
        CardHolder::OtherRelative => Msg::FdCardHolderOtherRelative,
        CardHolder::Tenant => Msg::FdCardHolderTenant,
    }
}

#[component]
pub fn UnitCards(unit_id: String, unit_label: String) -> impl IntoView {
    let i18n = use_i18n();
    let site = super::first_site();
    let reload = RwSignal::new(0u32);
    let cards = RwSignal::new(None::<Result<Vec<CardView>, ApiFailure>>);
    let tails = RwSignal::new(None::<Result<Vec<TailLineView>, ApiFailure>>);
    {
        let (site, label) = (site.clone(), unit_label.clone());
        Effect::new(move |_| {
            reload.track();
            let url = format!("/api/v1/sites/{site}/resident-cards?unit={label}");
            let tail_url = format!("/api/v1/sites/{site}/tail-lines");
            leptos::task::spawn_local(async move {
                cards.set(Some(api::get_json(&url).await));
                tails.set(Some(api::get_json(&tail_url).await));
            });
        });
    }
    let error = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let name = RwSignal::new(String::new());
    let id_card = RwSignal::new(String::new());
    let holder = RwSignal::new("owner".to_owned());
    let docs = RwSignal::new(false);
    let photos = RwSignal::new(String::new());
    let fee = RwSignal::new(String::new());
    let deposit = RwSignal::new(String::new());
    let issue = {
        let (site, unit_id) = (site.clone(), unit_id.clone());
        move |_| {
            let (Some(fee_fen), Some(deposit_fen)) =
                (fen(&fee.get_untracked()), fen(&deposit.get_untracked()))
            else {
                error.set(Some((
                    "invalid_input".into(),
                    i18n.t(Msg::FdErrInvalidInput).into(),
                )));
                return;
            };
            let body = json!({"unit_id": unit_id, "holder_name": name.get_untracked(),
                "id_card": id_card.get_untracked(), "holder": holder.get_untracked(),
                "documents_checked": docs.get_untracked(),
                "photos": photos.get_untracked().trim().parse::<u32>().unwrap_or(0),
                "fee_fen": fee_fen, "deposit_fen": deposit_fen});
            let url = format!("/api/v1/sites/{site}/resident-cards");
            busy.set(true);
            error.set(None);
            leptos::task::spawn_local(async move {
                match api::post_json::<CardView>(&url, &body).await {
                    Ok(_) => {
                        name.set(String::new());
                        id_card.set(String::new());
                        reload.update(|n| *n += 1);
                    }
                    Err(e) => show_error(i18n, error, &e),
                }
                busy.set(false);
            });
        }
    };
    let give_back = move |card: String| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            match api::post_json::<CardView>(
                &format!("/api/v1/resident-cards/{card}/return"),
                &json!({}),
            )
            .await
            {
                Ok(_) => reload.update(|n| *n += 1),
                Err(e) => show_error(i18n, error, &e),
            }
            busy.set(false);
        });
    };
    let rows = move || {
        match cards.get() {
        None => ().into_any(),
        Some(Err(e)) => view! { <p class="form-error">{super::error_text(i18n, &e)}</p> }.into_any(),
        Some(Ok(list)) => list
            .into_iter()
            .map(|c| {
                let active = c.status == CardStatus::Active;
                let id = c.id.to_string();
                let text = i18n.tf(
                    Msg::FdCardRow,
                    &[
                        ("no", c.card_no.clone()),
                        ("name", c.holder_name.clone()),
                        ("holder", i18n.t(holder_msg(c.holder)).to_owned()),
                        ("id", c.id_card_masked.clone()),
                        ("fee", c.fee.to_string()),
                        ("deposit", c.deposit.to_string()),
                    ],
                );
                view! {
                    <li data-testid="card-row" data-status=c.status.code() data-holder=c.holder.code()>
                        <span>{text}</span>
                        <span class="fd-status">{move || i18n.t(if active { Msg::FdCardActive } else { Msg::FdCardReturned })}</span>
                        {active.then(|| view! {
                            <button class="button" data-testid="card-return" on:click=move |_| give_back(id.clone())>{move || i18n.t(Msg::FdCardReturn)}</button>
                        })}
                    </li>
                }
            })
            .collect_view()
            .into_any(),
    }
    };

    // TV tail line.
    let collector = RwSignal::new(String::new());
    let signed = RwSignal::new(false);
    let tail_done = {
        let unit_id = unit_id.clone();
        move || {
            tails
                .get()
                .and_then(|t| t.ok())
                .and_then(|t| t.into_iter().find(|x| x.unit_id.to_string() == unit_id))
        }
    };
    let issue_tail = {
        let (site, unit_id) = (site.clone(), unit_id.clone());
        move |_| {
            let body = json!({"unit_id": unit_id, "collector_name": collector.get_untracked(),
                "register_signed": signed.get_untracked()});
            let url = format!("/api/v1/sites/{site}/tail-lines");
            busy.set(true);
            error.set(None);
            leptos::task::spawn_local(async move {
                match api::post_json::<TailLineView>(&url, &body).await {
                    Ok(_) => reload.update(|n| *n += 1),
                    Err(e) => show_error(i18n, error, &e),
                }
                busy.set(false);
            });
        }
    };
    let tail_view = move || {
        match tail_done() {
        Some(t) => view! {
            <p class="fd-done" data-testid="tail-done">{move || i18n.tf(Msg::FdTailDone, &[("name", t.collector_name.clone()), ("date", china_date(t.issued_at))])}</p>
        }
        .into_any(),
        None => {
            let issue_tail = issue_tail.clone();
            view! {
                <label><span>{move || i18n.t(Msg::FdTailCollector)}</span><input data-testid="tail-collector" bind:value=collector /></label>
                <label class="fd-check"><input type="checkbox" data-testid="tail-signed" bind:checked=signed /><span>{move || i18n.t(Msg::FdTailSigned)}</span></label>
                <button class="button" data-testid="tail-issue" on:click=issue_tail disabled=move || busy.get()>{move || i18n.t(Msg::FdTailIssue)}</button>
            }
            .into_any()
        }
    }
    };
    view! {
        <section class="card fd-form" id="resident-cards" data-unit=unit_label>
            <h2>{move || i18n.t(Msg::FdCardTitle)}</h2>
            <ul class="fd-list">{rows}</ul>
            <label><span>{move || i18n.t(Msg::FdName)}</span><input data-testid="card-name" bind:value=name /></label>
            <label><span>{move || i18n.t(Msg::FdIdCard)}</span><input data-testid="card-id" bind:value=id_card /></label>
            <label><span>{move || i18n.t(Msg::FdCardHolder)}</span>
                <select data-testid="card-holder" on:change=move |ev| holder.set(event_target_value(&ev))>
                    {CardHolder::ALL.map(|h| view! { <option value=h.code() selected=move || holder.get() == h.code()>{move || i18n.t(holder_msg(h))}</option> }).to_vec()}
                </select>
            </label>
            <label class="fd-check"><input type="checkbox" data-testid="card-docs" bind:checked=docs /><span>{move || i18n.t(Msg::FdCardDocs)}</span></label>
            <label><span>{move || i18n.t(Msg::FdCardPhotos)}</span><input data-testid="card-photos" inputmode="numeric" bind:value=photos /></label>
            <label><span>{move || i18n.t(Msg::FdCardFee)}</span><input data-testid="card-fee" inputmode="decimal" bind:value=fee /></label>
            <label><span>{move || i18n.t(Msg::FdCardDeposit)}</span><input data-testid="card-deposit" inputmode="decimal" bind:value=deposit /></label>
            <FormError error />
            <button class="button primary" data-testid="card-issue" on:click=issue disabled=move || busy.get()>{move || i18n.t(Msg::FdCardIssue)}</button>
            <h2>{move || i18n.t(Msg::FdTailTitle)}</h2>
            {tail_view}
        </section>
    }
}
