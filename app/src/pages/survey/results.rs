//! `/surveys/:id/results`: the 问卷结果统计表, printable — hand-out and coverage, returns, the
//! satisfaction rate with the return-rate penalty, per-item counts and rates, and the Pareto
//! chart of dissatisfaction (inline SVG: bars of dissatisfied counts, the cumulative line, the
//! 80 % line, main improvement items highlighted).

use super::{failed, failure_text, item_name, loading, pct, rating_msg, variant_msg};
use crate::api;
use crate::frame::use_profile;
use crate::i18n::{use_i18n, I18n, Msg};
use crate::pages::patrol::PatrolGuard;
use domain::survey::may_enter;
use domain::survey::may_manage;
use domain::survey::results::{ParetoRow, Rate};
use domain::survey::scale::Scale;
use domain::survey::views::{ResultsView, ReturnVisitsResponse};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn SurveyResultsPage() -> impl IntoView {
    view! {
        <PatrolGuard allow=may_enter>
            <Results />
        </PatrolGuard>
    }
}

#[component]
fn Results() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let reload = RwSignal::new(0u64);
    let results = LocalResource::new(move || {
        reload.track();
        let id = id.get();
        async move { api::get_json::<ResultsView>(&format!("/api/v1/surveys/{id}/results")).await }
    });
    let print = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    view! {
        <section class="survey-results" id="survey-results">
            <div class="print-toolbar no-print">
                <a class="back" href=move || format!("/surveys/{}", id.get())>{move || i18n.t(Msg::SurveyBackSurvey)}</a>
                <button type="button" class="button" data-testid="survey-print" on:click=print>{move || i18n.t(Msg::SurveyPrint)}</button>
            </div>
            {move || match results.get() {
                None => loading(i18n),
                Some(Err(e)) => failed(i18n, e),
                Some(Ok(r)) => view! { <Sheet r reload /> }.into_any(),
            }}
        </section>
    }
}

fn met_tag(i18n: I18n, met: Option<bool>) -> impl IntoView {
    met.map(|m| {
        view! {
            <span class=if m { "tag ok" } else { "tag alert" } data-met=m.to_string()>
                {move || i18n.t(if m { Msg::SurveyMet } else { Msg::SurveyNotMet })}
            </span>
        }
    })
}

fn rate_text(i18n: I18n, r: Rate) -> String {
    i18n.tf(
        Msg::SurveyRateOf,
        &[
            ("rate", pct(r.permille)),
            ("num", r.num.to_string()),
            ("den", r.den.to_string()),
        ],
    )
}

#[component]
fn Sheet(r: ResultsView, reload: RwSignal<u64>) -> impl IntoView {
    let i18n = use_i18n();
    let manager = use_profile().is_some_and(|p| may_manage(p.role));
    let s = r.survey.clone();
    let res = r.results.clone();
    let id = s.id;
    let variant = s.policy.variant;
    let scale = res.scale;
    let target = pct(Some(res.target_permille));
    let target_text = {
        let target = target.clone();
        move || i18n.tf(Msg::SurveyTargetAtLeast, &[("t", target.clone())])
    };
    let (handout, returns, overall) = (res.handout, res.returns, res.overall);
    let handout_target = pct(Some(res.handout_target_permille));
    let return_target = pct(Some(res.return_target_permille));
    let penalty = res.penalty;
    let below = s
        .policy
        .penalty
        .map(|p| pct(Some(p.below_permille)))
        .unwrap_or_default();
    let missed = res.entrances_missed.clone();
    let n_entrances = res.entrances;
    let coverage = res.coverage_met;
    let main_items: Vec<ParetoRow> = res.pareto.iter().filter(|p| p.main).cloned().collect();
    let message = RwSignal::new(None::<(bool, String)>);
    let busy = RwSignal::new(false);
    let make_visits = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let r = api::post_json::<ReturnVisitsResponse>(
                &format!("/api/v1/surveys/{id}/return-visits"),
                &serde_json::json!({}),
            )
            .await;
            busy.set(false);
            match r {
                Ok(v) => message.set(Some((
                    true,
                    i18n.tf(Msg::SurveyVisitsMade, &[("n", v.created.to_string())]),
                ))),
                Err(e) => message.set(Some((false, failure_text(i18n, &e)))),
            }
            reload.update(|n| *n += 1);
        });
    };
    let cut = pct(Some(s.policy.pareto_cut_permille));
    let dissatisfied_households = res.dissatisfied_households;
    let (visits_total, visits_open) = (r.return_visits_total, r.return_visits_open);
    view! {
        <article class="survey-sheet" data-testid="survey-sheet" data-survey=id.to_string()>
            <header class="sheet-head">
                <h1 id="home-title">{move || i18n.t(Msg::SurveySheet)}</h1>
                <p><strong>{s.site_name.clone()}</strong> " · " {s.title.clone()}</p>
                <p class="small muted">{move || i18n.t(variant_msg(variant))}</p>
                <p class="small">
                    {move || i18n.t(Msg::SurveyHandedOutOn)} " " {s.handed_out_on.format("%Y-%m-%d").to_string()}
                    {s.deadlines.analysis_by.map(|d| view! {
                        " · " {move || i18n.t(Msg::SurveyDeadlineAnalysis)} " " {d.format("%Y-%m-%d").to_string()}
                    })}
                </p>
            </header>

            <table class="sheet-table" data-testid="survey-numbers">
                <tbody>
                    <tr>
                        <th>{move || i18n.t(Msg::SurveyRowOccupied)}</th>
                        <td data-testid="n-occupied">{res.occupied_households}</td>
                        <td></td>
                    </tr>
                    <tr>
                        <th>{move || i18n.t(Msg::SurveyRowHandout)}</th>
                        <td data-testid="n-handout">{rate_text(i18n, handout)}</td>
                        <td>{move || i18n.tf(Msg::SurveyTargetAtLeast, &[("t", handout_target.clone())])} " " {met_tag(i18n, Some(res.handout_met))}</td>
                    </tr>
                    <tr>
                        <th>{move || i18n.t(Msg::SurveyRowCoverage)}</th>
                        <td data-testid="n-coverage" colspan="2">
                            {if missed.is_empty() {
                                view! { <span>{move || i18n.tf(Msg::SurveyRowCoverageOk, &[("n", n_entrances.to_string())])}</span> }.into_any()
                            } else {
                                let list = missed.join("、");
                                view! { <span>{move || i18n.tf(Msg::SurveyRowCoverageMissed, &[("list", list.clone())])}</span> }.into_any()
                            }}
                            " " {met_tag(i18n, coverage)}
                        </td>
                    </tr>
                    <tr>
                        <th>{move || i18n.t(Msg::SurveyRowReturned)}</th>
                        <td data-testid="n-returned">{rate_text(i18n, returns)}</td>
                        <td>{move || i18n.tf(Msg::SurveyTargetAtLeast, &[("t", return_target.clone())])} " " {met_tag(i18n, res.return_met)}</td>
                    </tr>
                    <tr>
                        <th>{move || i18n.t(Msg::SurveyRowRateRaw)}</th>
                        <td data-testid="n-rate-raw">{rate_text(i18n, overall)}</td>
                        <td class="small muted">{move || i18n.t(if scale == Scale::ThreeLevel { Msg::SurveyFormulaThree } else { Msg::SurveyFormulaFour })}</td>
                    </tr>
                    {penalty.map(|p| {
                        let below = below.clone();
                        view! {
                            <tr class="penalty">
                                <th>{move || i18n.t(Msg::SurveyRowPenalty)}</th>
                                <td data-testid="n-penalty" data-cut=p.cut_permille.to_string()>"−" {pct(Some(p.cut_permille)).trim_end_matches('%').to_owned()}</td>
                                <td class="small">{move || i18n.tf(Msg::SurveyRowPenaltyDetail, &[
                                    ("below", below.clone()),
                                    ("short", pct(Some(p.shortfall_permille)).trim_end_matches('%').to_owned()),
                                    ("cut", pct(Some(p.cut_permille)).trim_end_matches('%').to_owned()),
                                ])}</td>
                            </tr>
                        }
                    })}
                    <tr class="final">
                        <th>{move || i18n.t(Msg::SurveyRowFinal)}</th>
                        <td data-testid="n-final" data-permille=res.final_permille.map(|p| p.to_string()).unwrap_or_default()>
                            <strong>{pct(res.final_permille)}</strong>
                        </td>
                        <td>{target_text.clone()} " " {met_tag(i18n, res.overall_met)}</td>
                    </tr>
                    <tr>
                        <th>{move || i18n.t(Msg::SurveyRowAbstentions)}</th>
                        <td data-testid="n-abstentions">{res.abstentions}</td>
                        <td class="small muted">{move || i18n.t(Msg::SurveyAbstainHint)}</td>
                    </tr>
                </tbody>
            </table>

            <h2>{move || i18n.t(Msg::SurveyItemsTable)}</h2>
            <table class="sheet-table items" data-testid="survey-items">
                <thead>
                    <tr>
                        <th>{move || i18n.t(Msg::SurveyColItem)}</th>
                        {scale.ratings().iter().map(|r| { let r = *r; view! { <th class="num">{move || i18n.t(rating_msg(r))}</th> } }).collect_view()}
                        <th class="num">{move || i18n.t(Msg::SurveyAbstain)}</th>
                        <th class="num">{move || i18n.t(Msg::SurveyColRate)}</th>
                    </tr>
                </thead>
                <tbody>
                    {res.items.iter().map(|it| {
                        let (zh, en) = (it.name_zh.clone(), it.name_en.clone());
                        let met = it.met;
                        view! {
                            <tr data-testid="survey-item" data-item=it.code.clone() data-permille=it.rate.permille.map(|p| p.to_string()).unwrap_or_default()>
                                <td>{move || item_name(i18n, &zh, &en)}</td>
                                {it.counts.iter().map(|c| view! { <td class="num" data-rating=c.rating.code()>{c.count}</td> }).collect_view()}
                                <td class="num">{it.abstained}</td>
                                <td class="num">{pct(it.rate.permille)} " " {met_tag(i18n, met)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>

            <h2>{move || i18n.t(Msg::SurveyPareto)}</h2>
            <p class="small muted">{move || i18n.tf(Msg::SurveyParetoHint, &[("cut", cut.clone())])}</p>
            {if res.pareto.is_empty() {
                view! { <p class="muted">{move || i18n.t(Msg::SurveyParetoNone)}</p> }.into_any()
            } else {
                let rows = res.pareto.clone();
                view! {
                    <ParetoChart rows=rows.clone() cut_permille=s.policy.pareto_cut_permille />
                    <table class="sheet-table pareto" data-testid="survey-pareto">
                        <thead><tr>
                            <th>{move || i18n.t(Msg::SurveyColItem)}</th>
                            <th class="num">{move || i18n.t(Msg::SurveyColDissatisfied)}</th>
                            <th class="num">{move || i18n.t(Msg::SurveyColShare)}</th>
                            <th class="num">{move || i18n.t(Msg::SurveyColCumulative)}</th>
                            <th>{move || i18n.t(Msg::SurveyColMain)}</th>
                        </tr></thead>
                        <tbody>
                            {rows.into_iter().map(|p| {
                                let (zh, en) = (p.name_zh.clone(), p.name_en.clone());
                                view! {
                                    <tr class=if p.main { "main" } else { "" } data-testid="pareto-row" data-item=p.code.clone() data-main=p.main.to_string()>
                                        <td>{move || item_name(i18n, &zh, &en)}</td>
                                        <td class="num">{p.dissatisfied}</td>
                                        <td class="num">{pct(Some(p.share_permille))}</td>
                                        <td class="num">{pct(Some(p.cumulative_permille))}</td>
                                        <td>{p.main.then_some("✓")}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            {(!main_items.is_empty()).then(|| {
                let names = main_items.clone();
                view! {
                    <p class="main-items" data-testid="survey-main-items">
                        <strong>{move || {
                            let list = names.iter().map(|p| item_name(i18n, &p.name_zh, &p.name_en)).collect::<Vec<_>>().join("、");
                            i18n.tf(Msg::SurveyMainItems, &[("list", list)])
                        }}</strong>
                    </p>
                }
            })}

            <section class="survey-visits">
                <h2>{move || i18n.t(Msg::SurveyVisits)}</h2>
                <p data-testid="survey-visits">{move || i18n.tf(Msg::SurveyVisitsDetail, &[
                    ("n", dissatisfied_households.to_string()),
                    ("total", visits_total.to_string()),
                    ("open", visits_open.to_string()),
                ])}</p>
                <Show when=move || manager && visits_total < dissatisfied_households>
                    <button class="button no-print" data-testid="survey-make-visits" disabled=move || busy.get() on:click=make_visits>
                        {move || i18n.t(Msg::SurveyVisitsMake)}
                    </button>
                </Show>
                {move || message.get().map(|(ok, text)| view! {
                    <p class=if ok { "form-ok" } else { "form-error" } role="status">{text}</p>
                })}
            </section>
            <footer class="sheet-foot small">
                <p>{move || i18n.t(Msg::SurveySuggestionsNote)}</p>
                <p>{move || i18n.t(Msg::SurveySigned)}</p>
            </footer>
        </article>
    }
}

/// The Pareto chart: one bar per item with dissatisfied answers (most first), the cumulative
/// percentage as a line on the right-hand scale, and the cut (80 %) as a dashed line. Bars of
/// main improvement items carry `main`.
#[component]
fn ParetoChart(rows: Vec<ParetoRow>, cut_permille: u32) -> impl IntoView {
    let i18n = use_i18n();
    const W: f64 = 640.0;
    const H: f64 = 300.0;
    const LEFT: f64 = 44.0;
    const RIGHT: f64 = 48.0;
    const TOP: f64 = 16.0;
    const BOTTOM: f64 = 96.0;
    let plot_w = W - LEFT - RIGHT;
    let plot_h = H - TOP - BOTTOM;
    let max = rows
        .iter()
        .map(|r| r.dissatisfied)
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let n = rows.len().max(1) as f64;
    let slot = plot_w / n;
    let bar_w = slot * 0.7;
    let y_count = move |c: f64| TOP + plot_h * (1.0 - c / max);
    let y_pct = move |permille: f64| TOP + plot_h * (1.0 - permille / 1000.0);
    let points = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            format!(
                "{:.1},{:.1}",
                LEFT + slot * (i as f64 + 0.5),
                y_pct(r.cumulative_permille as f64)
            )
        })
        .collect::<Vec<_>>()
        .join(" ");
    let cut_y = y_pct(cut_permille as f64);
    view! {
        <svg class="pareto-chart" data-testid="pareto-chart" viewBox=format!("0 0 {W} {H}") role="img"
            aria-label=move || i18n.t(Msg::SurveyPareto) xmlns="http://www.w3.org/2000/svg">
            <line class="axis" x1=LEFT y1=TOP x2=LEFT y2=TOP + plot_h />
            <line class="axis" x1=LEFT y1=TOP + plot_h x2=W - RIGHT y2=TOP + plot_h />
            <line class="axis" x1=W - RIGHT y1=TOP x2=W - RIGHT y2=TOP + plot_h />
            <text class="tick" x=LEFT - 6.0 y=TOP + 4.0 text-anchor="end">{max as u32}</text>
            <text class="tick" x=LEFT - 6.0 y=TOP + plot_h text-anchor="end">"0"</text>
            <text class="tick" x=W - RIGHT + 6.0 y=TOP + 4.0>"100%"</text>
            <text class="tick" x=W - RIGHT + 6.0 y=cut_y + 4.0>{pct(Some(cut_permille))}</text>
            <line class="pareto-cut" data-testid="pareto-cut" x1=LEFT y1=cut_y x2=W - RIGHT y2=cut_y />
            {rows.iter().enumerate().map(|(i, r)| {
                let x = LEFT + slot * i as f64 + (slot - bar_w) / 2.0;
                let y = y_count(r.dissatisfied as f64);
                let cx = LEFT + slot * (i as f64 + 0.5);
                let label_y = TOP + plot_h + 12.0;
                let (zh, en) = (r.name_zh.clone(), r.name_en.clone());
                view! {
                    <g class=if r.main { "pareto-item main" } else { "pareto-item" }>
                        <rect class=if r.main { "pareto-bar main" } else { "pareto-bar" }
                            data-testid="pareto-bar" data-item=r.code.clone() data-count=r.dissatisfied.to_string()
                            data-main=r.main.to_string()
                            x=format!("{x:.1}") y=format!("{y:.1}") width=format!("{bar_w:.1}") height=format!("{:.1}", TOP + plot_h - y) />
                        <text class="count" x=format!("{cx:.1}") y=format!("{:.1}", y - 3.0) text-anchor="middle">{r.dissatisfied}</text>
                        <text class="label" text-anchor="end"
                            transform=format!("translate({cx:.1},{label_y:.1}) rotate(-35)")>
                            {move || { let n = item_name(i18n, &zh, &en); n.chars().take(10).collect::<String>() }}
                        </text>
                    </g>
                }
            }).collect_view()}
            <polyline class="pareto-cumulative" data-testid="pareto-line" points=points />
            {rows.iter().enumerate().map(|(i, r)| view! {
                <circle class="pareto-point" cx=format!("{:.1}", LEFT + slot * (i as f64 + 0.5))
                    cy=format!("{:.1}", y_pct(r.cumulative_permille as f64)) r="3"
                    data-cumulative=r.cumulative_permille.to_string() />
            }).collect_view()}
        </svg>
    }
}
