//! The managers' patrol screens (客服部经理, 服务中心经理; on a tablet, online, over the REST
//! API): `/patrol/manage`, today's rounds with their progress and the checkpoints missed or
//! walked late, the month's completion and 设施设备完好率 against 98 %, exceptions by area type
//! and building, open cases and unread notifications; and `/patrol/reports/:id`, the
//! 《日常巡检记录表》 of one round (time, place and problem of every stop, S4 4.1).

use super::{
    api_error_text, area_code, area_msg, first_site, hm, manages_patrols, percent, post_empty,
    send_json, severity_code, severity_msg, short_time, status_msg, text_now, value_code,
    value_msg, walks_rounds, PatrolGuard, Photo, RateBar, SitePicker,
};
use crate::api::{self, ApiFailure};
use crate::i18n::{use_i18n, I18n, Msg};
use crate::pages::repairs::{kind_msg, status_msg as order_status_msg};
use domain::ids::CheckpointId;
use domain::patrol::checklist::AreaType;
use domain::patrol::findings::FaultSource;
use domain::patrol::report::{Suspicion, GOOD_ORDER_TARGET_PERMILLE};
use domain::patrol::round::{AnswerValue, Round};
use domain::patrol::views::{
    CaseStatus, CaseView, DayRounds, NotificationView, PatrolStats, RoundReport, RoundSummary,
};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn PatrolManagerPage() -> impl IntoView {
    view! {
        <PatrolGuard allow=manages_patrols>
            <Manager />
        </PatrolGuard>
    }
}

#[component]
fn Manager() -> impl IntoView {
    let i18n = use_i18n();
    let site = RwSignal::new(first_site());
    let date = RwSignal::new(String::new());
    let reload = RwSignal::new(0u32);
    view! {
        <section class="patrol-manage" id="patrol-manage">
            <h1>{move || i18n.t(Msg::PatrolManageTitle)}</h1>
            <div class="manage-tools inline no-print">
                <SitePicker site />
                <label class="inline">
                    <span>{move || i18n.t(Msg::PatrolDate)}</span>
                    <input type="date" data-testid="manage-date" prop:value=move || date.get()
                        on:change=move |ev| date.set(event_target_value(&ev)) />
                </label>
                <button type="button" class="button" data-testid="manage-refresh" on:click=move |_| reload.update(|n| *n += 1)>
                    {move || i18n.t(Msg::PatrolRefresh)}
                </button>
                <a class="button" href="/patrol/checkpoints">{move || i18n.t(Msg::PatrolCheckpointsLink)}</a>
                <a class="button" href="/patrol/labels">{move || i18n.t(Msg::PatrolLabelsLink)}</a>
            </div>
            <div class="manage-grid">
                <DayPanel site date reload />
                <StatsPanel site date reload />
                <CasesPanel site reload />
                <NotificationsPanel reload />
            </div>
        </section>
    }
}

fn failed_view(i18n: I18n, e: ApiFailure) -> AnyView {
    let text = api_error_text(i18n, &e);
    view! { <p class="form-error" data-testid="manage-error" data-code=e.code()>{text}</p> }
        .into_any()
}

fn loading_view(i18n: I18n) -> AnyView {
    view! { <p class="muted">{move || i18n.t(Msg::PatrolLoading)}</p> }.into_any()
}

#[component]
fn DayPanel(
    site: RwSignal<Option<String>>,
    date: RwSignal<String>,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let day = LocalResource::new(move || {
        reload.track();
        let site = site.get();
        let date = date.get();
        async move {
            let site = site?;
            let q = if date.is_empty() {
                String::new()
            } else {
                format!("?date={date}")
            };
            Some(
                api::get_json::<DayRounds>(&format!("/api/v1/sites/{site}/patrol/rounds{q}")).await,
            )
        }
    });
    view! {
        <section class="card manage-day" data-testid="manage-day">
            {move || match day.get().flatten() {
                None => loading_view(i18n),
                Some(Err(e)) => failed_view(i18n, e),
                Some(Ok(d)) => {
                    let rate = d.completion;
                    let date = d.date.format("%Y-%m-%d").to_string();
                    let not_started = d.daily_routes_without_round.clone();
                    let empty = d.rounds.is_empty();
                    view! {
                        <h2>{move || i18n.tf(Msg::PatrolDayTitle, &[("date", date.clone())])}</h2>
                        <RateBar permille=rate.permille() testid="day-completion" />
                        <p class="small">{move || i18n.tf(Msg::PatrolDayCompletion, &[("done", rate.num.to_string()), ("total", rate.den.to_string())])}</p>
                        {(!not_started.is_empty()).then(|| view! {
                            <p class="notice" data-testid="routes-not-started">
                                {move || i18n.t(Msg::PatrolNotStarted)} "："
                                {not_started.iter().map(|r| r.name.clone()).collect::<Vec<_>>().join("、")}
                            </p>
                        })}
                        {if empty {
                            view! { <p class="empty">{move || i18n.t(Msg::PatrolNoRoundsDay)}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="manage-rounds">
                                    {d.rounds.into_iter().map(|s| view! { <RoundRow s /> }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                    }.into_any()
                }
            }}
        </section>
    }
}

#[component]
fn RoundRow(s: RoundSummary) -> impl IntoView {
    let i18n = use_i18n();
    let status = s.status;
    let id = s.id.to_string();
    let rate = s.progress;
    let pct = rate.permille().unwrap_or(0) as f64 / 10.0;
    let missed = s.missed.clone();
    let late = s.late.clone();
    let faults = s.faults;
    let suspicious = s.suspicions;
    let times = format!(
        "{}{}",
        s.started_at.map(hm).unwrap_or_else(|| "—".into()),
        s.finished_at
            .map(|t| format!(" – {}", hm(t)))
            .unwrap_or_default()
    );
    let mut class = "round-row".to_owned();
    if !missed.is_empty() {
        class.push_str(" has-missed");
    }
    view! {
        <li class=class data-testid="round-row" data-id=id.clone() data-status=status.code()
            data-scanned=rate.num data-planned=rate.den>
            <div class="row-main">
                <a class="route-name" href=format!("/patrol/reports/{id}") data-testid="round-report-link">{s.route_name.clone()}</a>
                <span class="muted">{s.officer_name.clone()}</span>
                <span class=format!("tag round-status status-{}", status.code())>{move || i18n.t(status_msg(status))}</span>
                <span class="small muted">{times}</span>
            </div>
            <div class="progress"><span class="fill" style=format!("width:{pct:.0}%")></span></div>
            <p class="small">
                {move || i18n.tf(Msg::PatrolProgress, &[("done", rate.num.to_string()), ("total", rate.den.to_string())])}
                <Show when=move || { faults > 0 }>
                    " · " <span class="fault-count">{move || i18n.tf(Msg::PatrolFaultCount, &[("n", faults.to_string())])}</span>
                </Show>
                <Show when=move || { suspicious > 0 }>
                    " · " <span class="tag alert" data-testid="round-suspicious">{move || i18n.t(Msg::PatrolSuspicious)}</span>
                </Show>
            </p>
            {(!missed.is_empty()).then(|| view! {
                <p class="missed small" data-testid="missed">
                    <strong>{move || i18n.t(Msg::PatrolMissed)} "："</strong>
                    {missed.iter().map(|m| m.name_zh.clone()).collect::<Vec<_>>().join("、")}
                </p>
            })}
            {(!late.is_empty()).then(|| view! {
                <p class="late small" data-testid="late">
                    <strong>{move || i18n.t(Msg::PatrolLate)} "："</strong>
                    {late.iter().map(|m| m.name_zh.clone()).collect::<Vec<_>>().join("、")}
                </p>
            })}
            {s.early_reason.clone().map(|r| view! {
                <p class="small muted">{move || i18n.t(Msg::PatrolEarlyReason)} "：" {r.clone()}</p>
            })}
        </li>
    }
}

#[component]
fn StatsPanel(
    site: RwSignal<Option<String>>,
    date: RwSignal<String>,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let stats = LocalResource::new(move || {
        reload.track();
        let site = site.get();
        // The month of the chosen day; the server's current month otherwise.
        let month = date.get().get(..7).map(str::to_owned);
        async move {
            let site = site?;
            let q = month.map(|m| format!("?month={m}")).unwrap_or_default();
            Some(
                api::get_json::<PatrolStats>(&format!("/api/v1/sites/{site}/patrol/stats{q}"))
                    .await,
            )
        }
    });
    view! {
        <section class="card manage-stats" data-testid="manage-stats">
            {move || match stats.get().flatten() {
                None => loading_view(i18n),
                Some(Err(e)) => failed_view(i18n, e),
                Some(Ok(s)) => view! { <StatsBody s /> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn StatsBody(s: PatrolStats) -> impl IntoView {
    let i18n = use_i18n();
    let month = s.month.clone();
    let target = s.good_order_target_permille;
    let meets = s.meets_target;
    let g = s.good_order;
    let c = s.completion;
    let rounds = s.rounds;
    let finished = s.rounds_finished;
    let early = s.rounds_finished_early;
    let suspicious = s.suspicious_rounds;
    let stat = move |label: Msg, value: u32| {
        view! {
            <div class="stat">
                <span class="value">{value}</span>
                <span class="label">{move || i18n.t(label)}</span>
            </div>
        }
    };
    view! {
        <h2>{move || i18n.tf(Msg::PatrolMonthTitle, &[("month", month.clone())])}</h2>
        <div class="stats">
            {stat(Msg::PatrolStatRounds, rounds)}
            {stat(Msg::PatrolStatFinished, finished)}
            {stat(Msg::PatrolStatFinishedEarly, early)}
            {stat(Msg::PatrolStatSuspicious, suspicious)}
        </div>
        <h3>{move || i18n.t(Msg::PatrolCompletionRate)}</h3>
        <RateBar permille=s.completion_permille testid="completion-rate" />
        <p class="small muted">{move || i18n.tf(Msg::PatrolRateDetail, &[("num", c.num.to_string()), ("den", c.den.to_string())])}</p>
        <h3>{move || i18n.t(Msg::PatrolGoodOrderRate)}</h3>
        <RateBar permille=s.good_order_permille target=target testid="good-order-rate" />
        <p class="small" class:below=move || meets == Some(false) data-testid="good-order-verdict"
            data-meets=meets.map(|m| m.to_string()).unwrap_or_default()>
            {move || i18n.tf(Msg::PatrolGoodOrderTarget, &[("target", percent(target))])} " · "
            {move || i18n.t(match meets {
                Some(true) => Msg::PatrolTargetMet,
                Some(false) => Msg::PatrolTargetMissed,
                None => Msg::PatrolTargetNoData,
            })}
            " · " {move || i18n.tf(Msg::PatrolRateDetail, &[("num", g.num.to_string()), ("den", g.den.to_string())])}
        </p>
        <h3>{move || i18n.t(Msg::PatrolByArea)}</h3>
        <table class="stat-table">
            <thead><tr>
                <th>{move || i18n.t(Msg::PatrolColArea)}</th>
                <th class="num">{move || i18n.t(Msg::PatrolColChecked)}</th>
                <th class="num">{move || i18n.t(Msg::PatrolColFaults)}</th>
                <th class="num">{move || i18n.t(Msg::PatrolColFindings)}</th>
            </tr></thead>
            <tbody>
                {s.by_area.iter().map(|a| {
                    let area: AreaType = a.area;
                    view! {
                        <tr data-testid="area-stat" data-area=area_code(area) class:has-faults={a.faults + a.findings > 0}>
                            <td>{move || i18n.t(area_msg(area))}</td>
                            <td class="num">{a.checked}</td>
                            <td class="num">{a.faults}</td>
                            <td class="num">{a.findings}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        <h3>{move || i18n.t(Msg::PatrolByBuilding)}</h3>
        <table class="stat-table">
            <thead><tr>
                <th>{move || i18n.t(Msg::PatrolColBuilding)}</th>
                <th class="num">{move || i18n.t(Msg::PatrolColChecked)}</th>
                <th class="num">{move || i18n.t(Msg::PatrolColFaults)}</th>
                <th class="num">{move || i18n.t(Msg::PatrolColFindings)}</th>
            </tr></thead>
            <tbody>
                {s.by_building.iter().map(|b| {
                    let name = b.building.clone();
                    let key = name.clone().unwrap_or_default();
                    view! {
                        <tr data-testid="building-stat" data-building=key class:has-faults={b.faults + b.findings > 0}>
                            <td>{move || match &name {
                                Some(n) => i18n.tf(Msg::PatrolBuilding, &[("n", n.clone())]),
                                None => i18n.t(Msg::PatrolOutside).to_owned(),
                            }}</td>
                            <td class="num">{b.checked}</td>
                            <td class="num">{b.faults}</td>
                            <td class="num">{b.findings}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        {(s.by_building.is_empty()).then(|| view! { <p class="muted small">{move || i18n.t(Msg::PatrolNoData)}</p> })}
        <p class="muted small">{move || i18n.t(Msg::PatrolGoodOrderSource)} " " {GOOD_ORDER_TARGET_PERMILLE / 10} "%"</p>
    }
}

#[component]
fn CasesPanel(site: RwSignal<Option<String>>, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let mine = RwSignal::new(0u32);
    let cases = LocalResource::new(move || {
        reload.track();
        mine.track();
        let site = site.get();
        async move {
            let site = site?;
            Some(
                api::get_json::<Vec<CaseView>>(&format!("/api/v1/sites/{site}/cases?status=open"))
                    .await,
            )
        }
    });
    view! {
        <section class="card manage-cases" data-testid="manage-cases">
            {move || match cases.get().flatten() {
                None => loading_view(i18n),
                Some(Err(e)) => failed_view(i18n, e),
                Some(Ok(list)) => {
                    let n = list.len();
                    view! {
                        <h2>{move || i18n.t(Msg::PatrolOpenCases)} " " <span class="count" data-testid="open-cases" data-count=n>{n}</span></h2>
                        {if list.is_empty() {
                            view! { <p class="muted small">{move || i18n.t(Msg::PatrolNoCases)}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="plain case-list">
                                    {list.into_iter().map(|c| view! { <CaseRow c done=mine /> }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                    }.into_any()
                }
            }}
        </section>
    }
}

#[component]
fn CaseRow(c: CaseView, done: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let id = c.id;
    let open = c.status == CaseStatus::Open;
    let close = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let body = serde_json::json!({ "note": note.get_untracked() });
        leptos::task::spawn_local(async move {
            let r: Result<CaseView, ApiFailure> =
                send_json("POST", &format!("/api/v1/cases/{id}/close"), &body).await;
            let _ = busy.try_set(false);
            match r {
                Ok(_) => done.update(|n| *n += 1),
                Err(e) => {
                    let _ = error.try_set(Some(api_error_text(i18n, &e)));
                }
            }
        });
    };
    view! {
        <li data-testid="case" data-id=id.to_string()>
            <strong>{c.place.clone()}</strong> " "
            <span class="small muted">{c.created_by_name.clone()} " · " {short_time(c.created_at)}</span>
            <div class="content-text">{c.content.clone()}</div>
            <div class="job-photos">{c.photos.iter().cloned().map(|b| view! { <Photo blob=b /> }).collect_view()}</div>
            <a class="small" href=format!("/patrol/reports/{}", c.round_id)>{move || i18n.t(Msg::PatrolOpenReport)}</a>
            <Show when=move || open>
                <form class="inline case-close" on:submit=close>
                    <input type="text" data-testid="case-close-note" maxlength="500"
                        placeholder=move || i18n.t(Msg::PatrolCaseCloseHint)
                        prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev)) />
                    <button type="submit" class="button" data-testid="case-close" disabled=move || busy.get()>
                        {move || i18n.t(Msg::PatrolCaseClose)}
                    </button>
                </form>
            </Show>
            {move || error.get().map(|e| view! { <p class="form-error">{e}</p> })}
        </li>
    }
}

/// Notification links name the officer's round page; a manager reads the report.
fn manager_link(link: &str) -> String {
    match link.strip_prefix("/patrol/rounds/") {
        Some(id) => format!("/patrol/reports/{id}"),
        None => link.to_owned(),
    }
}

#[component]
fn NotificationsPanel(reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let read = RwSignal::new(0u32);
    let list = LocalResource::new(move || {
        reload.track();
        read.track();
        async move { api::get_json::<Vec<NotificationView>>("/api/v1/notifications?unread=true").await }
    });
    view! {
        <section class="card manage-notifications" data-testid="manage-notifications">
            {move || match list.get() {
                None => loading_view(i18n),
                Some(Err(e)) => failed_view(i18n, e),
                Some(Ok(list)) => {
                    let n = list.len();
                    view! {
                        <h2>{move || i18n.t(Msg::PatrolNotifications)} " " <span class="count" data-testid="notifications-count" data-count=n>{n}</span></h2>
                        {if list.is_empty() {
                            view! { <p class="muted small">{move || i18n.t(Msg::PatrolNoNotifications)}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="plain">
                                    {list.into_iter().take(20).map(|x| {
                                        let id = x.id;
                                        let mark = move |_| {
                                            leptos::task::spawn_local(async move {
                                                if post_empty(&format!("/api/v1/notifications/{id}/read")).await.is_ok() {
                                                    read.update(|n| *n += 1);
                                                }
                                            });
                                        };
                                        view! {
                                            <li data-testid="notification" data-kind=x.kind.code()>
                                                <a href=manager_link(&x.link)>{x.text.clone()}</a>
                                                " " <span class="small muted">{short_time(x.created_at)}</span>
                                                " " <button type="button" class="link small" data-testid="notification-read" on:click=mark>
                                                    {move || i18n.t(Msg::PatrolMarkRead)}
                                                </button>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                    }.into_any()
                }
            }}
        </section>
    }
}

// ---------------------------------------------------------------------------------------------
// The round report

#[component]
pub fn RoundReportPage() -> impl IntoView {
    view! {
        <PatrolGuard allow=|r| manages_patrols(r) || walks_rounds(r)>
            <Report />
        </PatrolGuard>
    }
}

#[component]
fn Report() -> impl IntoView {
    let i18n = use_i18n();
    let back = if crate::frame::use_profile().is_some_and(|p| manages_patrols(p.role)) {
        ("/patrol/manage", Msg::PatrolBackManage)
    } else {
        ("/patrol", Msg::PatrolBackHome)
    };
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let report = LocalResource::new(move || {
        let id = id.get();
        async move { api::get_json::<RoundReport>(&format!("/api/v1/rounds/{id}")).await }
    });
    let print = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    view! {
        <section class="round-report" id="round-report">
            <div class="print-toolbar no-print">
                <a class="back" href=back.0>{move || i18n.t(back.1)}</a>
                <button type="button" class="button" data-testid="report-print" on:click=print>{move || i18n.t(Msg::PatrolPrint)}</button>
            </div>
            {move || match report.get() {
                None => loading_view(i18n),
                Some(Err(e)) => failed_view(i18n, e),
                Some(Ok(r)) => view! { <ReportBody r /> }.into_any(),
            }}
        </section>
    }
}

fn stop_name(round: &Round, id: CheckpointId) -> String {
    round
        .stop(id)
        .map(|s| s.name_zh.clone())
        .unwrap_or_else(|| id.to_string())
}

fn source_text(round: &Round, s: &FaultSource) -> String {
    match s {
        FaultSource::Item {
            checkpoint_id,
            item_code,
        } => format!("{} · {item_code}", stop_name(round, *checkpoint_id)),
        FaultSource::Finding { finding_id } => round
            .findings
            .iter()
            .find(|f| f.id == *finding_id)
            .map(|f| match f.checkpoint_id {
                Some(c) => stop_name(round, c),
                None => f.place.clone(),
            })
            .unwrap_or_default(),
    }
}

fn suspicion_text(i18n: I18n, round: &Round, s: &Suspicion) -> String {
    let lang = i18n.0.get();
    match s {
        Suspicion::DoubleScan {
            checkpoint_id,
            first,
            second,
        } => crate::i18n::fill(
            lang.text(Msg::PatrolSuspicionDouble),
            &[
                ("place", stop_name(round, *checkpoint_id)),
                ("first", hm(*first)),
                ("second", hm(*second)),
            ],
        ),
        Suspicion::TooFast {
            from,
            to,
            metres,
            seconds,
        } => crate::i18n::fill(
            lang.text(Msg::PatrolSuspicionFast),
            &[
                ("from", stop_name(round, *from)),
                ("to", stop_name(round, *to)),
                ("metres", metres.to_string()),
                ("seconds", seconds.to_string()),
            ],
        ),
    }
}

#[component]
fn ReportBody(r: RoundReport) -> impl IntoView {
    let i18n = use_i18n();
    let s = r.summary.clone();
    let status = s.status;
    let round = r.round.clone();
    let rate = s.progress;
    let when =
        |t: Option<chrono::DateTime<chrono::Utc>>| t.map(short_time).unwrap_or_else(|| "—".into());
    let (started, finished) = (when(s.started_at), when(s.finished_at));
    let missed = s.missed.clone();
    let suspicions = r.suspicions.clone();
    let round2 = round.clone();
    let round3 = round.clone();
    view! {
        <article class="card report" data-testid="report" data-status=status.code() data-id=s.id.to_string()>
            <h1 class="report-title">{move || i18n.t(Msg::PatrolFormName)}</h1>
            <dl class="job-facts">
                <dt>{move || i18n.t(Msg::PatrolColSite)}</dt><dd>{r.site_name.clone()}</dd>
                <dt>{move || i18n.t(Msg::PatrolColRoute)}</dt><dd data-testid="report-route">{s.route_name.clone()}</dd>
                <dt>{move || i18n.t(Msg::PatrolColOfficer)}</dt><dd>{s.officer_name.clone()}</dd>
                <dt>{move || i18n.t(Msg::PatrolDate)}</dt><dd>{s.date.format("%Y-%m-%d").to_string()}</dd>
                <dt>{move || i18n.t(Msg::PatrolColStatus)}</dt>
                <dd><span class=format!("tag round-status status-{}", status.code()) data-testid="report-status" data-status=status.code()>{move || i18n.t(status_msg(status))}</span></dd>
                <dt>{move || i18n.t(Msg::PatrolStartedAt)}</dt><dd data-testid="report-started">{started}</dd>
                <dt>{move || i18n.t(Msg::PatrolFinishedAt)}</dt><dd data-testid="report-finished">{finished}</dd>
                <dt>{move || i18n.t(Msg::PatrolColProgress)}</dt>
                <dd>{move || i18n.tf(Msg::PatrolProgress, &[("done", rate.num.to_string()), ("total", rate.den.to_string())])}</dd>
                {s.early_reason.clone().map(|t| view! {
                    <dt>{move || i18n.t(Msg::PatrolEarlyReason)}</dt><dd data-testid="report-early-reason">{t.clone()}</dd>
                })}
            </dl>
            {(!missed.is_empty()).then(|| view! {
                <section class="report-missed">
                    <h2>{move || i18n.t(Msg::PatrolMissed)}</h2>
                    <ul class="plain">
                        {missed.iter().map(|m| view! {
                            <li data-testid="missed-stop" data-code=m.code.clone()>{m.name_zh.clone()} " " <span class="mono small">{m.code.clone()}</span></li>
                        }).collect_view()}
                    </ul>
                </section>
            })}
            {(!suspicions.is_empty()).then(|| view! {
                <section class="report-suspicions">
                    <h2>{move || i18n.t(Msg::PatrolSuspicions)}</h2>
                    <ul class="plain">
                        {suspicions.iter().map(|x| {
                            let (x, rd) = (x.clone(), round.clone());
                            view! { <li class="alert-text" data-testid="report-suspicion">{move || suspicion_text(i18n, &rd, &x)}</li> }
                        }).collect_view()}
                    </ul>
                </section>
            })}
            <h2>{move || i18n.t(Msg::PatrolStops)}</h2>
            <ol class="report-stops">
                {r.stops.iter().map(|st| {
                    let area = st.area;
                    let missed = st.missed;
                    let late = st.late;
                    let scans: Vec<String> = st.scans.iter().map(|x| short_time(x.at)).collect();
                    view! {
                        <li class="report-stop" class:missed=missed data-testid="report-stop" data-code=st.code.clone()
                            data-missed=missed.to_string()>
                            <div class="route-head">
                                <strong>{st.name_zh.clone()}</strong>
                                <span class="small muted">{move || i18n.t(area_msg(area))} " · " <span class="mono">{st.code.clone()}</span></span>
                                <Show when=move || missed><span class="tag alert">{move || i18n.t(Msg::PatrolStopPending)}</span></Show>
                                <Show when=move || late><span class="tag warn" data-testid="report-late">{move || i18n.t(Msg::PatrolLate)}</span></Show>
                            </div>
                            {(!scans.is_empty()).then(|| view! {
                                <p class="small">
                                    {move || i18n.t(Msg::PatrolScanTimes)} "："
                                    {scans.iter().map(|t| view! { <span class="report-scan" data-testid="report-scan">{t.clone()}</span> " " }).collect_view()}
                                </p>
                            })}
                            {(!st.answers.is_empty()).then(|| view! {
                                <table class="report-answers">
                                    <tbody>
                                        {st.answers.iter().map(|a| {
                                            let v = a.value;
                                            let fault = v == AnswerValue::Fault;
                                            let corrected = a.corrected;
                                            view! {
                                                <tr class=format!("answer-{}", value_code(v)) data-testid=if fault { "report-fault" } else { "report-answer" }
                                                    data-kind="answer" data-code=a.item_code.clone() data-value=value_code(v)>
                                                    <td class="mono small">{a.item_code.clone()}</td>
                                                    <td>
                                                        {a.text_zh.clone()}
                                                        {(!a.note.is_empty()).then(|| view! { <div class="small">{a.note.clone()}</div> })}
                                                        <div class="job-photos">{a.photos.iter().cloned().map(|b| view! { <Photo blob=b /> }).collect_view()}</div>
                                                    </td>
                                                    <td class="value">
                                                        {move || i18n.t(value_msg(v))}
                                                        <Show when=move || corrected><span class="small muted">" " {move || i18n.t(Msg::PatrolCorrected)}</span></Show>
                                                    </td>
                                                    <td class="small muted">{hm(a.at)}</td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            })}
                            {(!missed && !st.unanswered.is_empty()).then(|| view! {
                                <p class="small muted">{move || i18n.t(Msg::PatrolUnansweredItems)} "：" {st.unanswered.join("、")}</p>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ol>
            <h2>{move || i18n.t(Msg::PatrolFindings)}</h2>
            {if round2.findings.is_empty() {
                view! { <p class="muted small">{move || i18n.t(Msg::PatrolNoFindings)}</p> }.into_any()
            } else {
                view! {
                    <ul class="plain">
                        {round2.findings.iter().map(|f| {
                            let sev = f.severity;
                            let case = f.for_customer_service;
                            let place = match f.checkpoint_id {
                                Some(c) if f.place.is_empty() => stop_name(&round3, c),
                                Some(c) => format!("{} · {}", stop_name(&round3, c), f.place),
                                None => f.place.clone(),
                            };
                            view! {
                                <li data-testid="report-fault" data-kind="finding" data-severity=severity_code(sev)>
                                    <strong>{place}</strong> " "
                                    <span class=format!("tag severity-{}", severity_code(sev))>{move || i18n.t(severity_msg(sev))}</span>
                                    <Show when=move || case>" " <span class="tag">{move || i18n.t(Msg::PatrolCaseTag)}</span></Show>
                                    " " <span class="small muted">{short_time(f.at)}</span>
                                    <div class="content-text">{f.note.clone()}</div>
                                    <div class="job-photos">{f.photos.iter().cloned().map(|b| view! { <Photo blob=b /> }).collect_view()}</div>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <h2>{move || i18n.t(Msg::PatrolProduced)}</h2>
            {(r.orders.is_empty() && r.cases.is_empty()).then(|| view! { <p class="muted small">{move || i18n.t(Msg::PatrolProducedNone)}</p> })}
            <ul class="plain">
                {r.orders.iter().map(|o| {
                    let kind = o.kind;
                    let st = o.status;
                    let number = o.number.clone().unwrap_or_else(|| text_now(i18n, Msg::PatrolNumberPending));
                    let from = source_text(&round, &o.source);
                    view! {
                        <li data-testid="report-order" data-id=o.id.to_string()>
                            <a href=format!("/repairs/{}", o.id)>{number}</a> " "
                            <span class=format!("tag kind-{}", o.kind_code())>{move || i18n.t(kind_msg(kind))}</span> " "
                            <span class="tag status">{move || i18n.t(order_status_msg(st))}</span>
                            <div class="small">{o.location.clone()} " · " {o.content.clone()}</div>
                            <div class="small muted">{from}</div>
                        </li>
                    }
                }).collect_view()}
                {r.cases.iter().map(|c| {
                    let open = c.status == CaseStatus::Open;
                    view! {
                        <li data-testid="report-case" data-id=c.id.to_string() data-status=c.status.code()>
                            <span class="tag">{move || i18n.t(Msg::PatrolCaseTag)}</span> " "
                            <strong>{c.place.clone()}</strong> " "
                            <span class="tag status">{move || i18n.t(if open { Msg::PatrolCaseOpen } else { Msg::PatrolCaseClosed })}</span>
                            <div class="small">{c.content.clone()}</div>
                            {(!c.closing_note.is_empty()).then(|| view! { <div class="small muted">{c.closing_note.clone()}</div> })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </article>
    }
}

/// The CSS class word of a repair kind.
trait KindCode {
    fn kind_code(&self) -> &'static str;
}

impl KindCode for domain::patrol::views::PatrolOrderRef {
    fn kind_code(&self) -> &'static str {
        use domain::work_orders::RepairKind as K;
        match self.kind {
            K::Daily => "daily",
            K::WarrantyComplaint => "warranty_complaint",
            K::Urgent => "urgent",
            K::Emergency => "emergency",
        }
    }
}
