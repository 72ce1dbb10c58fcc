//! `/finance/release-bills`: finance records a unit's other open bills (beyond the 付款请求书,
//! e.g. a management fee kept in another ledger) and clears them once paid. An open bill blocks
//! the unit's 放行条 where the site counts them (the default).

use super::{china_time, failure_text, yuan};
use crate::api;
use crate::frame::{use_profile, Guarded};
use crate::i18n::{use_i18n, Msg};
use crate::offline::use_sync_status;
use domain::access::Area;
use domain::money::Fen;
use domain::release::views::{OtherBillInput, OtherBillView};
use leptos::prelude::*;

#[component]
pub fn ReleaseBillsPage() -> impl IntoView {
    view! {
        <Guarded area=Some(Area::FinanceHome)>
            <ReleaseBills />
        </Guarded>
    }
}

#[component]
fn ReleaseBills() -> impl IntoView {
    let i18n = use_i18n();
    let st = use_sync_status();
    let Some(site) = use_profile().and_then(|p| p.sites.first().map(|s| s.id)) else {
        return ().into_any();
    };
    let reload = RwSignal::new(0u32);
    let list = LocalResource::new(move || {
        reload.track();
        async move {
            api::get_json::<Vec<OtherBillView>>(&format!(
                "/api/v1/sites/{site}/release/other-bills"
            ))
            .await
        }
    });
    let reference = LocalResource::new(move || {
        st.data_version.track();
        let ready = st.pending.get().is_some();
        async move {
            if !ready {
                return None;
            }
            crate::offline::client::reference().await
        }
    });
    let units = Memo::new(move |_| {
        reference
            .get()
            .flatten()
            .map(|r| {
                r.units
                    .into_iter()
                    .filter(|u| u.site_id == site)
                    .map(|u| (u.id, u.label))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });
    let unit_text = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let amount = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let record = move |_| {
        if busy.get_untracked() {
            return;
        }
        error.set(None);
        let lang = i18n.0.get_untracked();
        let t = unit_text.get_untracked();
        let Some(unit_id) =
            units.with_untracked(|us| us.iter().find(|(_, l)| l == t.trim()).map(|(id, _)| *id))
        else {
            error.set(Some(lang.text(Msg::ReleaseUnitUnknown).to_owned()));
            return;
        };
        let Ok(fen) = Fen::parse_yuan(&amount.get_untracked()) else {
            error.set(Some(lang.text(Msg::ReleaseBillAmountBad).to_owned()));
            return;
        };
        let body = serde_json::to_value(OtherBillInput {
            unit_id,
            description: description.get_untracked(),
            amount_fen: fen.0,
        })
        .unwrap_or_default();
        busy.set(true);
        leptos::task::spawn_local(async move {
            match api::post_json::<OtherBillView>(
                &format!("/api/v1/sites/{site}/release/other-bills"),
                &body,
            )
            .await
            {
                Ok(_) => {
                    let _ = unit_text.try_set(String::new());
                    let _ = description.try_set(String::new());
                    let _ = amount.try_set(String::new());
                    reload.update(|n| *n += 1);
                }
                Err(e) => {
                    let _ = error.try_set(Some(failure_text(i18n, &e)));
                }
            }
            let _ = busy.try_set(false);
        });
    };
    let clear = move |id: uuid::Uuid| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match api::post_json::<OtherBillView>(
                &format!("/api/v1/release/other-bills/{id}/clear"),
                &serde_json::Value::Null,
            )
            .await
            {
                Ok(_) => reload.update(|n| *n += 1),
                Err(e) => {
                    let _ = error.try_set(Some(failure_text(i18n, &e)));
                }
            }
            let _ = busy.try_set(false);
        });
    };
    view! {
        <section class="release-bills" data-testid="release-bills">
            <h1>{move || i18n.t(Msg::ReleaseBillsTitle)}</h1>
            <p class="muted small">{move || i18n.t(Msg::ReleaseBillsHint)}</p>
            <form class="card pass-form" on:submit=|ev| ev.prevent_default()>
                <div class="form-grid">
                    <label>
                        <span>{move || i18n.t(Msg::ReleaseUnit)}</span>
                        <input data-testid="bill-unit" list="bill-units" autocomplete="off" bind:value=unit_text
                            placeholder=move || i18n.t(Msg::ReleaseUnitHint) />
                        <datalist id="bill-units">
                            {move || units.get().into_iter().map(|(_, l)| view! { <option value=l.clone()></option> }).collect_view()}
                        </datalist>
                    </label>
                    <label>
                        <span>{move || i18n.t(Msg::ReleaseBillDescription)}</span>
                        <input data-testid="bill-description" autocomplete="off" maxlength="100" bind:value=description />
                    </label>
                    <label>
                        <span>{move || i18n.t(Msg::ReleaseBillAmount)}</span>
                        <input data-testid="bill-amount" inputmode="decimal" autocomplete="off" bind:value=amount />
                    </label>
                </div>
                <button type="button" class="button primary" data-testid="bill-record" disabled=move || busy.get() on:click=record>
                    {move || i18n.t(Msg::ReleaseBillRecord)}
                </button>
            </form>
            {move || error.get().map(|e| view! { <p class="form-error" data-testid="bill-error" role="alert">{e}</p> })}
            {move || match list.get() {
                None => view! { <p class="muted">{move || i18n.t(Msg::ReleaseLoading)}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="form-error">{failure_text(i18n, &e)}</p> }.into_any(),
                Some(Ok(bills)) => view! {
                    <ul class="pass-list" data-testid="bill-list">
                        {bills.into_iter().map(|b| {
                            let id = b.id;
                            let open = b.cleared_at.is_none();
                            view! {
                                <li class="card pass-link" data-testid="bill-row" data-unit=b.unit_label.clone() data-open=open.to_string()>
                                    <strong>{b.unit_label.clone()}</strong>
                                    <span>{b.description.clone()}</span>
                                    <span>{yuan(b.amount_fen)}</span>
                                    <span class="muted small">{china_time(b.recorded_at)}</span>
                                    {match b.cleared_at {
                                        Some(at) => view! {
                                            <span class="tag pass-used">{move || i18n.tf(Msg::ReleaseBillCleared, &[("time", china_time(at))])}</span>
                                        }.into_any(),
                                        None => view! {
                                            <button class="button" data-testid="bill-clear" disabled=move || busy.get()
                                                on:click=move |_| clear(id)>{move || i18n.t(Msg::ReleaseBillClear)}</button>
                                        }.into_any(),
                                    }}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
    .into_any()
}
