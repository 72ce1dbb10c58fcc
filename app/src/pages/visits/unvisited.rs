//! `/visits/unvisited`: the occupied households not visited this calendar year, by building,
//! a page at a time, toward every household once a year. Each links to the visit form.

use super::{error_text, first_site, local_dt, VisitSitePicker};
use crate::api;
use crate::frame::{use_profile, Guarded};
use crate::i18n::{occupancy_msg, use_i18n, Msg};
use domain::access::Area;
use domain::visits::record::records_visits;
use domain::visits::views::UnvisitedPage as Page;
use leptos::prelude::*;

const PER_PAGE: u32 = 30;

#[component]
pub fn UnvisitedPage() -> impl IntoView {
    view! {
        <Guarded area=Some(Area::Visits)>
            <Unvisited />
        </Guarded>
    }
}

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

#[component]
fn Unvisited() -> impl IntoView {
    let i18n = use_i18n();
    let can_log = use_profile().is_some_and(|p| records_visits(p.role));
    let site = RwSignal::new(first_site());
    let building = RwSignal::new(None::<String>);
    let page = RwSignal::new(1u32);
    let data = LocalResource::new(move || {
        let site = site.get();
        let b = building.get();
        let p = page.get();
        async move {
            let site = site?;
            let mut url =
                format!("/api/v1/sites/{site}/visits/unvisited?page={p}&per_page={PER_PAGE}");
            if let Some(b) = b {
                url.push_str(&format!("&building={}", encode(&b)));
            }
            Some(api::get_json::<Page>(&url).await)
        }
    });
    view! {
        <section class="visits-unvisited" id="visits-unvisited">
            <a class="back" href="/visits">{move || i18n.t(Msg::VisitsBack)}</a>
            <VisitSitePicker site />
            {move || match data.get().flatten() {
                None => view! { <p class="muted">{move || i18n.t(Msg::VisitsLoading)}</p> }.into_any(),
                Some(Err(e)) => {
                    let t = error_text(i18n, &e);
                    view! { <p class="form-error">{t}</p> }.into_any()
                }
                Some(Ok(p)) => {
                    let c = p.coverage;
                    let pages = p.total.div_ceil(PER_PAGE).max(1);
                    let current = p.page;
                    let total = p.total;
                    let chosen = p.building.clone();
                    view! {
                        <h1>{move || i18n.tf(Msg::VisitsUnvisitedTitle, &[("year", c.year.to_string())])}</h1>
                        <p class="muted small">{move || i18n.t(Msg::VisitsUnvisitedRule)}</p>
                        <p data-testid="unvisited-coverage" data-not-visited=c.not_visited.to_string()>
                            {move || i18n.tf(Msg::VisitsYear, &[
                                ("visited", c.visited.to_string()),
                                ("occupied", c.occupied_households.to_string()),
                                ("rate", format!("{:.1}", c.rate_percent)),
                                ("left", c.not_visited.to_string()),
                            ])}
                        </p>
                        <div class="visits-buildings" role="tablist">
                            <button type="button" class="button" class:active=chosen.is_none()
                                on:click=move |_| { building.set(None); page.set(1); }>
                                {move || i18n.t(Msg::VisitsAllBuildings)}
                            </button>
                            {p.buildings.into_iter().map(|b| {
                                let n = b.building.clone();
                                let label = b.building.clone();
                                let active = chosen.as_deref() == Some(b.building.as_str());
                                view! {
                                    <button type="button" class="button" class:active=active
                                        data-testid=format!("building-{}", b.building)
                                        data-not-visited=b.not_visited.to_string()
                                        on:click=move |_| { building.set(Some(n.clone())); page.set(1); }>
                                        {move || i18n.tf(Msg::VisitsBuildingTab, &[("b", label.clone()), ("n", b.not_visited.to_string())])}
                                    </button>
                                }
                            }).collect_view()}
                        </div>
                        <p class="small" data-testid="unvisited-total" data-total=total.to_string()>
                            {move || i18n.tf(Msg::VisitsUnvisitedTotal, &[("n", total.to_string())])}
                        </p>
                        {if p.units.is_empty() {
                            view! { <p class="empty">{move || i18n.t(Msg::VisitsAllVisited)}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="visits-rows">
                                    {p.units.into_iter().map(|u| {
                                        let occ = u.occupancy;
                                        let href = format!("/visits/new?unit={}&label={}", u.unit_id, encode(&u.label));
                                        view! {
                                            <li class="visits-row" data-testid="unvisited-row" data-unit=u.label.clone()>
                                                <div class="visits-row-head">
                                                    <strong>{u.label.clone()}</strong>
                                                    <span class="tag">{move || i18n.t(occupancy_msg(occ))}</span>
                                                    <span class="small muted">{match u.last_visited_at {
                                                        Some(at) => i18n.tf(Msg::VisitsLastVisit, &[("date", local_dt(at))]),
                                                        None => i18n.t(Msg::VisitsNever).to_owned(),
                                                    }}</span>
                                                    {can_log.then(|| view! {
                                                        <a class="button small" href=href>{move || i18n.t(Msg::VisitsVisitThis)}</a>
                                                    })}
                                                </div>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                        <div class="inline visits-pager">
                            <button type="button" class="button" disabled=current <= 1
                                on:click=move |_| page.update(|p| *p = p.saturating_sub(1).max(1))>
                                {move || i18n.t(Msg::VisitsPrev)}
                            </button>
                            <span class="small">{move || i18n.tf(Msg::VisitsPage, &[("page", current.to_string()), ("pages", pages.to_string())])}</span>
                            <button type="button" class="button" disabled=current >= pages
                                on:click=move |_| page.update(|p| *p += 1)>
                                {move || i18n.t(Msg::VisitsNext)}
                            </button>
                        </div>
                    }.into_any()
                }
            }}
        </section>
    }
}
