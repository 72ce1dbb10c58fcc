//! `/patrol`: the patrol officer's home on the phone, offline. Today's daily routes from the
//! reference data (weather and holiday routes under 额外巡检), each with 开始巡检, which plans
//! the round on the device (`RoundCommand::Create` for today in China, then `Start`, both in
//! the outbox, the id a fresh UUIDv7) and opens it; the rounds under way and today's, with
//! their progress; the 新建报修 tile and the officer's repair reports.

use super::{round_error_text, schedule_code, schedule_msg, status_msg, today, Failure};
use crate::frame::{use_profile, Guarded};
use crate::i18n::{use_i18n, Msg};
use crate::offline::client::{self, RoundSubmitError, RoundView};
use crate::offline::use_sync_status;
use crate::pages::repairs::OrderList;
use chrono::NaiveDate;
use domain::access::Area;
use domain::ids::{RouteId, SiteId};
use domain::patrol::report::completion;
use domain::patrol::round::{RoundCommand, RoundStatus};
use domain::patrol::route::{Route, Schedule};
use domain::patrol::views::fault_count;
use domain::sync::reference::ReferenceData;
use leptos::prelude::*;

#[component]
pub fn PatrolHomePage() -> impl IntoView {
    view! {
        <Guarded area=Some(Area::PatrolHome)>
            <PatrolHome />
        </Guarded>
    }
}

#[derive(Debug, Clone, PartialEq)]
struct HomeData {
    today: NaiveDate,
    reference: ReferenceData,
    rounds: Vec<RoundView>,
}

#[component]
fn PatrolHome() -> impl IntoView {
    let i18n = use_i18n();
    let st = use_sync_status();
    let profile = use_profile();
    let name = profile
        .as_ref()
        .map(|p| p.display_name.clone())
        .unwrap_or_default();
    let me = profile.as_ref().map(|p| p.staff_id);
    let many_sites = profile.as_ref().is_some_and(|p| p.sites.len() > 1);
    let site_names: Vec<(SiteId, String)> = profile
        .as_ref()
        .map(|p| p.sites.iter().map(|s| (s.id, s.name.clone())).collect())
        .unwrap_or_default();
    let data = LocalResource::new(move || {
        st.data_version.track();
        let ready = st.pending.get().is_some();
        async move {
            if !ready {
                return None;
            }
            Some(HomeData {
                today: today(),
                reference: client::reference().await.unwrap_or_default(),
                rounds: client::rounds().await,
            })
        }
    });
    let loaded = Memo::new(move |_| data.get().flatten());
    // Keep the pages of my rounds under way in the service worker's cache while there is
    // signal: a reload in a stairwell (or a phone that dropped the tab) must open them again.
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(d) = loaded.get() {
            let paths: Vec<String> = d
                .rounds
                .iter()
                .filter(|v| Some(v.round.officer) == me)
                .filter(|v| {
                    matches!(
                        v.round.status,
                        RoundStatus::Planned | RoundStatus::InProgress
                    )
                })
                .map(|v| format!("/patrol/rounds/{}", v.round.id.0))
                .collect();
            crate::browser::keep_pages_offline(&paths);
        }
    });
    let error = RwSignal::new(None::<Failure>);
    let busy = RwSignal::new(false);
    let ctx = StartCtx {
        error,
        busy,
        many_sites,
    };
    let site_name = move |s: SiteId| {
        site_names
            .iter()
            .find(|(id, _)| *id == s)
            .map(|(_, n)| n.clone())
            .unwrap_or_default()
    };
    view! {
        <section class="home patrol-home" id="home" data-area=Area::PatrolHome.path()>
            <h1 id="home-title">{move || i18n.t(Msg::HomePatrolTitle)}</h1>
            <p class="muted">{move || i18n.tf(Msg::HomeGreeting, &[("name", name.clone())])}</p>
            <a class="tile primary-tile" id="new-repair" href="/repairs/new">"＋ " {move || i18n.t(Msg::RepairNew)}</a>
            {move || match loaded.get() {
                None => view! { <p class="muted" id="patrol-loading">{move || i18n.t(Msg::PatrolLoading)}</p> }.into_any(),
                Some(d) => {
                    let mine: Vec<RoundView> = d
                        .rounds
                        .iter()
                        .filter(|r| Some(r.round.officer) == me)
                        .filter(|r| r.round.date == d.today || matches!(r.round.status, RoundStatus::Planned | RoundStatus::InProgress))
                        .cloned()
                        .collect();
                    let (daily, extra): (Vec<Route>, Vec<Route>) = d
                        .reference
                        .routes
                        .iter()
                        .filter(|r| r.active)
                        .cloned()
                        .partition(|r| r.schedule == Schedule::Daily);
                    let today = d.today;
                    let cards = |routes: Vec<Route>| -> Vec<CardData> {
                        routes
                            .into_iter()
                            .map(|r| CardData {
                                stops: r
                                    .checkpoints
                                    .iter()
                                    .filter_map(|c| d.reference.checkpoints.iter().find(|x| x.id == *c))
                                    .map(|c| c.name_zh.clone())
                                    .collect(),
                                today_rounds: mine
                                    .iter()
                                    .filter(|v| v.round.route_name == r.name && v.round.site_id == r.site_id && v.round.date == today)
                                    .cloned()
                                    .collect(),
                                site: site_name(r.site_id),
                                route: r,
                            })
                            .collect()
                    };
                    let (daily, extra) = (cards(daily), cards(extra));
                    let card = move |c: CardData| view! {
                        <RouteCard route=c.route stops=c.stops today_rounds=c.today_rounds site=c.site ctx today />
                    };
                    let no_routes = daily.is_empty() && extra.is_empty();
                    let extra_count = extra.len();
                    view! {
                        <section class="patrol-section" data-testid="my-rounds">
                            <h2>{move || i18n.t(Msg::PatrolMyRounds)}</h2>
                            {if mine.is_empty() {
                                view! { <p class="muted small">{move || i18n.t(Msg::PatrolNoRoundsYet)}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="round-list">
                                        {mine.into_iter().map(|v| view! { <RoundCard v today /> }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                        </section>
                        <section class="patrol-section" data-testid="today-routes">
                            <h2>{move || i18n.t(Msg::PatrolTodayRoutes)}</h2>
                            {if no_routes {
                                view! {
                                    <p class="empty" id="patrol-empty">{move || i18n.t(Msg::HomePatrolEmpty)}</p>
                                    <p class="muted small">{move || i18n.t(Msg::PatrolNoRoutesHint)}</p>
                                }.into_any()
                            } else if daily.is_empty() {
                                view! { <p class="muted small">{move || i18n.t(Msg::PatrolNoDailyRoutes)}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="route-list">{daily.into_iter().map(card).collect_view()}</ul>
                                }.into_any()
                            }}
                            {(extra_count > 0).then(|| view! {
                                <details class="extra-routes card" data-testid="extra-routes">
                                    <summary>{move || i18n.t(Msg::PatrolExtraRoutes)} " (" {extra_count} ")"</summary>
                                    <p class="muted small">{move || i18n.t(Msg::PatrolExtraHint)}</p>
                                    <ul class="route-list">{extra.into_iter().map(card).collect_view()}</ul>
                                </details>
                            })}
                        </section>
                    }.into_any()
                }
            }}
            <OrderList />
        </section>
    }
}

/// What one route card shows.
struct CardData {
    route: Route,
    stops: Vec<String>,
    today_rounds: Vec<RoundView>,
    site: String,
}

#[derive(Clone, Copy)]
struct StartCtx {
    error: RwSignal<Option<Failure>>,
    busy: RwSignal<bool>,
    many_sites: bool,
}

#[component]
fn RouteCard(
    route: Route,
    stops: Vec<String>,
    today_rounds: Vec<RoundView>,
    site: String,
    ctx: StartCtx,
    today: NaiveDate,
) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = leptos_router::hooks::use_navigate();
    let route_id = route.id;
    let schedule = route.schedule;
    let slot = format!("route-{}", route.id);
    let under_way = today_rounds
        .iter()
        .find(|v| {
            matches!(
                v.round.status,
                RoundStatus::Planned | RoundStatus::InProgress
            )
        })
        .map(|v| v.round.id.0);
    let done_today = today_rounds
        .iter()
        .filter(|v| {
            matches!(
                v.round.status,
                RoundStatus::Finished | RoundStatus::FinishedEarly
            )
        })
        .count();
    let n = stops.len();
    let preview = {
        let mut s = stops
            .iter()
            .take(4)
            .cloned()
            .collect::<Vec<_>>()
            .join(" → ");
        if n > 4 {
            s.push_str(" → …");
        }
        s
    };
    let start = move |_| {
        if ctx.busy.get_untracked() {
            return;
        }
        ctx.busy.set(true);
        ctx.error.set(None);
        let navigate = navigate.clone();
        let slot = slot.clone();
        leptos::task::spawn_local(async move {
            let result = start_round(route_id, today).await;
            let _ = ctx.busy.try_set(false);
            match result {
                Ok(id) => navigate(&format!("/patrol/rounds/{id}"), Default::default()),
                Err(e) => {
                    let (code, text) = match &e {
                        RoundSubmitError::Rule(r) => {
                            let (c, t) = round_error_text(i18n, r);
                            (c.to_owned(), t)
                        }
                        RoundSubmitError::Storage(_) => (
                            "storage".to_owned(),
                            i18n.0
                                .get_untracked()
                                .text(Msg::SyncStorageFailed)
                                .to_owned(),
                        ),
                    };
                    let _ = ctx.error.try_set(Some(Failure { slot, code, text }));
                }
            }
        });
    };
    let slot2 = format!("route-{}", route.id);
    view! {
        <li class="card route-card" data-testid="route" data-route=route.id.to_string() data-schedule=schedule_code(schedule)>
            <div class="route-head">
                <strong class="route-name">{route.name.clone()}</strong>
                <span class="tag">{move || i18n.t(schedule_msg(schedule))}</span>
            </div>
            <Show when=move || ctx.many_sites>
                <p class="muted small">{site.clone()}</p>
            </Show>
            <p class="muted small route-stops">
                {move || i18n.tf(Msg::PatrolStopCount, &[("n", n.to_string())])} " · " {preview.clone()}
            </p>
            <Show when=move || { done_today > 0 }>
                <p class="small done-today">{move || i18n.tf(Msg::PatrolDoneToday, &[("n", done_today.to_string())])}</p>
            </Show>
            {match under_way {
                Some(id) => view! {
                    <a class="button primary wide" data-testid="route-continue" href=format!("/patrol/rounds/{id}")>
                        {move || i18n.t(Msg::PatrolContinue)}
                    </a>
                }.into_any(),
                None => view! {
                    <button type="button" class="button primary wide" data-testid="route-start"
                        disabled=move || ctx.busy.get() on:click=start>
                        {move || i18n.t(Msg::PatrolStart)}
                    </button>
                }.into_any(),
            }}
            {super::failure_view(ctx.error, slot2)}
        </li>
    }
}

/// Plans today's round of the route on this device and starts it: two outbox entries. The
/// round's id is made here (UUIDv7), so the page can open at once, offline.
async fn start_round(route_id: RouteId, date: NaiveDate) -> Result<uuid::Uuid, RoundSubmitError> {
    #[cfg(feature = "hydrate")]
    {
        let id = uuid::Uuid::now_v7();
        client::submit_round(id, RoundCommand::Create { route_id, date }).await?;
        client::submit_round(id, RoundCommand::Start).await?;
        Ok(id)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (route_id, date, RoundCommand::Start);
        Err(RoundSubmitError::Storage("no store".into()))
    }
}

/// One round of the officer's: route, status, progress, faults, link.
#[component]
fn RoundCard(v: RoundView, today: NaiveDate) -> impl IntoView {
    let i18n = use_i18n();
    let r = v.round;
    let id = r.id.0.to_string();
    let status = r.status;
    let rate = completion(&[&r]);
    let faults = fault_count(&r);
    let earlier = (r.date != today).then(|| r.date.format("%m-%d").to_string());
    let started = r.started_at.map(super::hm);
    let unsynced = v.unsynced;
    let pct = if rate.den == 0 {
        0.0
    } else {
        f64::from(rate.num) * 100.0 / f64::from(rate.den)
    };
    view! {
        <li class="card round-card" data-testid="round-card" data-id=id.clone() data-status=status.code()>
            <a class="round-link" href=format!("/patrol/rounds/{id}")>
                <div class="route-head">
                    <strong>{r.route_name.clone()}</strong>
                    <span class=format!("tag round-status status-{}", status.code())>{move || i18n.t(status_msg(status))}</span>
                    <Show when=move || unsynced>
                        <span class="tag unsynced">{move || i18n.t(Msg::PatrolUnsynced)}</span>
                    </Show>
                </div>
                <div class="progress" data-testid="round-progress" data-scanned=rate.num data-planned=rate.den>
                    <span class="fill" style=format!("width:{pct:.0}%")></span>
                </div>
                <p class="small muted">
                    {move || i18n.tf(Msg::PatrolProgress, &[("done", rate.num.to_string()), ("total", rate.den.to_string())])}
                    {earlier.clone().map(|d| format!(" · {d}"))}
                    {started.clone().map(|t| format!(" · {t}"))}
                    <Show when=move || { faults > 0 }>
                        " · " <span class="fault-count">{move || i18n.tf(Msg::PatrolFaultCount, &[("n", faults.to_string())])}</span>
                    </Show>
                </p>
            </a>
        </li>
    }
}
