//! `/units`: find a unit and its residents (contact data masked).

use crate::api::{self, ApiFailure};
use crate::frame::{use_profile, Guarded};
use crate::i18n::{occupancy_msg, resident_role_msg, use_i18n, Msg};
use crate::pages::privacy::RevealId;
use domain::access::Area;
use domain::privacy::RevealKind;
use domain::reference::UnitCard;
use leptos::prelude::*;

#[component]
pub fn UnitsPage() -> impl IntoView {
    view! {
        <Guarded area=Some(Area::ResidentDirectory)>
            <UnitSearch />
        </Guarded>
    }
}

#[component]
fn UnitSearch() -> impl IntoView {
    let i18n = use_i18n();
    let site = use_profile()
        .and_then(|p| p.sites.first().map(|s| s.id.to_string()))
        .unwrap_or_default();
    let query = RwSignal::new(String::new());
    let results = RwSignal::new(None::<Result<Vec<UnitCard>, ApiFailure>>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let q = query.get_untracked();
        let url = format!("/api/v1/sites/{site}/units?q={}", encode(q.trim()));
        leptos::task::spawn_local(async move {
            results.set(Some(api::get_json::<Vec<UnitCard>>(&url).await));
        });
    };
    view! {
        <section>
            <h1>{move || i18n.t(Msg::UnitsTitle)}</h1>
            <form class="search" on:submit=submit>
                <input id="unit-query" inputmode="text" bind:value=query
                    placeholder=move || i18n.t(Msg::UnitsPlaceholder) />
                <button class="button primary" type="submit">{move || i18n.t(Msg::UnitsSearch)}</button>
            </form>
            <div id="unit-results">
                {move || results.get().map(|r| match r {
                    Ok(list) if list.is_empty() => view! { <p class="empty">{move || i18n.t(Msg::UnitsNone)}</p> }.into_any(),
                    Ok(list) => list.into_iter().map(|u| view! { <UnitCardView u /> }).collect_view().into_any(),
                    Err(ApiFailure::Api { body, .. }) if body.code == "bad_query" =>
                        view! { <p class="form-error">{move || i18n.t(Msg::UnitsBadQuery)}</p> }.into_any(),
                    Err(e) => view! { <p class="form-error">{move || i18n.tf(Msg::SummaryFailed, &[("code", e.code())])}</p> }.into_any(),
                })}
            </div>
        </section>
    }
}

#[component]
fn UnitCardView(u: UnitCard) -> impl IntoView {
    let i18n = use_i18n();
    let area = format!("{}.{:02}", u.area_centi_m2 / 100, u.area_centi_m2 % 100);
    let occ = u.occupancy;
    let residents = u.residents;
    view! {
        <article class="card unit">
            <header>
                <strong>{u.label}</strong>
                <span class="tag">{move || i18n.t(occupancy_msg(occ))}</span>
            </header>
            <p class="muted">{move || i18n.tf(Msg::UnitsArea, &[("m2", area.clone())])}</p>
            {if residents.is_empty() {
                view! { <p class="muted">{move || i18n.t(Msg::UnitsNoResidents)}</p> }.into_any()
            } else {
                view! {
                    <ul class="residents">
                        {residents.into_iter().map(|r| {
                            let role = r.role;
                            view! {
                                <li>
                                    <span>{r.name}</span>
                                    <span class="tag">{move || i18n.t(resident_role_msg(role))}</span>
                                    {r.phone_masked.map(|m| view! { <RevealId kind=RevealKind::ResidentPhone id=r.id.0 masked=m /> })}
                                    {r.id_card_masked.map(|m| view! { <RevealId kind=RevealKind::ResidentIdCard id=r.id.0 masked=m /> })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </article>
    }
}

/// Percent-encodes a query value (the unit query may hold 栋 and 单元).
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
