//! `/care`: the customer-service manager's month on a tablet, printable as the monthly report
//! (S3 篇5 月度投诉统计; S3 篇4 《业户回访记录月报表》): complaints by class, department and
//! month, first-reply compliance, return-visit rates against 100 % and the site's repair rate
//! with the month-end top-up, the resident-visit quota, and a link to the surveys' results.

use super::{class_msg, department_msg, failure_text};
use crate::api;
use crate::frame::{use_profile, Guarded};
use crate::i18n::{use_i18n, Msg};
use crate::pages::repairs::now;
use domain::access::Area;
use domain::care::complaint::{Class, Department};
use domain::care::policy::{CarePolicy, ComplaintReplyPreset, RepairVisitPreset};
use domain::care::stats::VisitRate;
use domain::care::views::{CareStats, TopUpResult};
use domain::ids::SiteId;
use domain::visits::views::MonthProgress;
use domain::work_orders::sla::china;
use leptos::prelude::*;

#[component]
pub fn CareDashboardPage() -> impl IntoView {
    view! {
        <Guarded area=Some(Area::CsBoard)>
            <Dashboard />
        </Guarded>
    }
}

/// Tenths of a percent as `33.3%`; a dash when nothing was due.
fn permille(p: Option<u32>) -> String {
    p.map(|p| format!("{}.{}%", p / 10, p % 10))
        .unwrap_or_else(|| "—".into())
}

/// Horizontal bars, one per label, drawn as inline SVG (prints as it shows).
#[component]
pub fn BarChart(rows: Vec<(String, u32)>, testid: &'static str) -> impl IntoView {
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    let height = rows.len() as u32 * 28 + 4;
    view! {
        <svg class="bars" data-testid=testid viewBox=format!("0 0 320 {height}") width="100%" role="img">
            {rows.into_iter().enumerate().map(|(i, (label, n))| {
                let y = i as u32 * 28 + 4;
                let w = 180 * n / max;
                let (attr, title) = (label.clone(), label.clone());
                view! {
                    <g data-testid="bar" data-label=attr data-value=n.to_string()>
                        <title>{title}</title>
                        <text x="0" y=y + 16 font-size="13">{label}</text>
                        <rect x="110" y=y width=w.max(1) height="20" rx="3" fill="#0f766e"></rect>
                        <text x=115 + w y=y + 15 font-size="13">{n.to_string()}</text>
                    </g>
                }
            }).collect_view()}
        </svg>
    }
}

fn rate_line(
    i18n: crate::i18n::I18n,
    label: String,
    r: VisitRate,
    testid: &'static str,
) -> impl IntoView {
    let met = r.met();
    view! {
        <div class=if met { "kpi" } else { "kpi bad" } data-testid=testid data-met=met.to_string()
            data-base=r.base.to_string() data-visited=r.visited.to_string()>
            <span class="kpi-label">{label}</span>
            <strong>{permille(r.rate_permille())}</strong>
            <span class="muted small">{format!("{}/{}", r.visited, r.base)}</span>
            {(!met).then(|| view! { <span class="badge red">{i18n.t(Msg::CareOverdue)}</span> })}
        </div>
    }
}

#[component]
fn Dashboard() -> impl IntoView {
    let i18n = use_i18n();
    let site = use_profile().and_then(|p| p.sites.first().map(|s| s.id));
    let month = RwSignal::new(String::new());
    Effect::new(move |_| {
        if month.get_untracked().is_empty() {
            month.set(now().with_timezone(&china()).format("%Y-%m").to_string());
        }
    });
    let reload = RwSignal::new(0u64);
    let stats = LocalResource::new(move || {
        reload.track();
        let m = month.get();
        async move {
            let site = site?;
            if m.is_empty() {
                return None;
            }
            Some(
                api::get_json::<CareStats>(&format!("/api/v1/sites/{site}/care/stats?month={m}"))
                    .await,
            )
        }
    });
    let quota = LocalResource::new(move || {
        let m = month.get();
        async move {
            let site = site?;
            if m.is_empty() {
                return None;
            }
            api::get_json::<MonthProgress>(&format!(
                "/api/v1/sites/{site}/visits/progress?month={m}"
            ))
            .await
            .ok()
        }
    });
    let message = RwSignal::new(None::<String>);
    let top_up = move |_| {
        let Some(site) = site else { return };
        let m = month.get_untracked();
        leptos::task::spawn_local(async move {
            match api::post_json::<TopUpResult>(
                &format!("/api/v1/sites/{site}/return-visits/top-up?month={m}"),
                &serde_json::json!({}),
            )
            .await
            {
                Ok(r) => message.set(Some(
                    i18n.tf(Msg::CareTopUpDone, &[("n", r.created.to_string())]),
                )),
                Err(e) => message.set(Some(failure_text(i18n, &e))),
            }
            reload.update(|n| *n += 1);
        });
    };
    let print = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    view! {
        <section class="home care dashboard" data-area="/care">
            <h1 data-testid="care-report-title">{move || i18n.tf(Msg::CareReportTitle, &[("month", month.get())])}</h1>
            <div class="toolbar no-print">
                <label><span>{move || i18n.t(Msg::CareDashboardMonth)}</span>
                    <input type="month" data-testid="care-month" prop:value=move || month.get() on:change=move |ev| month.set(event_target_value(&ev)) />
                </label>
                <button data-testid="care-print" on:click=print>{move || i18n.t(Msg::CarePrint)}</button>
                <a href="/complaints">{move || i18n.t(Msg::CareComplaintsTitle)}</a>
                <a href="/return-visits">{move || i18n.t(Msg::CareVisitsTitle)}</a>
                <a href="/surveys">{move || i18n.t(Msg::CareLinkSurveys)}</a>
                <a href="/visits">{move || i18n.t(Msg::CareLinkVisits)}</a>
            </div>
            <p class="ok">{move || message.get()}</p>
            {move || match stats.get().flatten() {
                None => ().into_any(),
                Some(Err(e)) => view! { <p class="error">{failure_text(i18n, &e)}</p> }.into_any(),
                Some(Ok(s)) => {
                    let c = s.complaints.clone();
                    let by_class: Vec<(String, u32)> = Class::ALL.iter().map(|k| (i18n.t(class_msg(Some(*k))).to_owned(), c.by_class.get(k).copied().unwrap_or(0))).collect();
                    let by_dept: Vec<(String, u32)> = Department::ALL.iter().filter_map(|d| c.by_department.get(d).map(|n| (i18n.t(department_msg(*d)).to_owned(), *n))).collect();
                    let by_month: Vec<(String, u32)> = s.last_twelve_months.clone();
                    let repair_label = i18n.tf(Msg::CareKpiRepairVisits, &[("target", s.repair_visits.target_percent.to_string())]);
                    let top = s.top_up_needed;
                    view! {
                        <div class="kpis">
                            <div class="kpi" data-testid="kpi-complaints" data-value=c.total.to_string()><span class="kpi-label">{i18n.t(Msg::CareKpiComplaints)}</span><strong>{c.total}</strong>
                                <span class="muted small">{format!("{} {}", i18n.t(Msg::CareKpiValid), c.valid)}</span></div>
                            <div class="kpi" data-testid="kpi-reply"><span class="kpi-label">{i18n.t(Msg::CareKpiReply)}</span><strong>{permille(c.reply_compliance_permille())}</strong>
                                <span class="muted small">{format!("{}/{}", c.reply_on_time, c.reply_on_time + c.reply_late)}</span></div>
                            {rate_line(i18n, i18n.t(Msg::CareKpiComplaintVisits).to_owned(), s.complaint_visits, "kpi-complaint-visits")}
                            {rate_line(i18n, repair_label, s.repair_visits, "kpi-repair-visits")}
                            <div class="kpi"><span class="kpi-label">{i18n.tf(Msg::CareKpiOpenVisits, &[("n", s.open_visits.to_string()), ("late", s.overdue_visits.to_string())])}</span></div>
                        </div>
                        <Show when=move || { top > 0 }>
                            <p data-testid="care-top-up">{i18n.tf(Msg::CareTopUp, &[("n", top.to_string())])}" "
                                <button class="no-print" data-testid="care-top-up-run" on:click=top_up>{i18n.t(Msg::CareTopUpRun)}</button></p>
                        </Show>
                        <div class="charts">
                            <figure><figcaption>{i18n.t(Msg::CareChartClass)}</figcaption><BarChart rows=by_class testid="chart-class" /></figure>
                            <figure><figcaption>{i18n.t(Msg::CareChartDepartment)}</figcaption>
                                {if by_dept.is_empty() { view! { <p class="muted">{i18n.t(Msg::CareNoData)}</p> }.into_any() } else { view! { <BarChart rows=by_dept testid="chart-department" /> }.into_any() }}
                            </figure>
                            <figure><figcaption>{i18n.t(Msg::CareChartMonth)}</figcaption><BarChart rows=by_month testid="chart-month" /></figure>
                        </div>
                    }.into_any()
                }
            }}
            <PolicyEditor site />
            {move || quota.get().flatten().map(|q| view! {
                <div class="kpi" data-testid="kpi-visit-quota">
                    <span class="kpi-label">{move || i18n.t(Msg::CareKpiVisitQuota)}</span>
                    <strong>{format!("{}/{}", q.visited, q.quota.visits_required)}</strong>
                    <progress max=q.quota.visits_required.max(1).to_string() value=q.visited.to_string()></progress>
                </div>
            })}
        </section>
    }
}

/// The site's readings where the documents disagree (§4 C4, C5, C10): the managers pick them.
#[component]
fn PolicyEditor(site: Option<SiteId>) -> impl IntoView {
    let i18n = use_i18n();
    let policy = RwSignal::new(None::<CarePolicy>);
    let message = RwSignal::new(None::<String>);
    let loaded = LocalResource::new(move || async move {
        api::get_json::<CarePolicy>(&format!("/api/v1/sites/{}/care/policy", site?))
            .await
            .ok()
    });
    Effect::new(move |_| {
        if let Some(p) = loaded.get().flatten() {
            policy.set(Some(p));
        }
    });
    let save = move |_| {
        let (Some(site), Some(p)) = (site, policy.get_untracked()) else {
            return;
        };
        leptos::task::spawn_local(async move {
            let body = serde_json::to_value(&p).unwrap_or_default();
            let r = crate::api::put_json::<CarePolicy>(
                &format!("/api/v1/sites/{site}/care/policy"),
                &body,
            )
            .await;
            message.set(Some(match r {
                Ok(_) => i18n.t(Msg::CarePolicySaved).to_owned(),
                Err(e) => failure_text(i18n, &e),
            }));
        });
    };
    let replies = [
        (
            ComplaintReplyPreset::S3SameDay,
            "s3_same_day",
            Msg::CarePolicyReplyS3,
        ),
        (
            ComplaintReplyPreset::S1Hours24,
            "s1_hours24",
            Msg::CarePolicyReplyS1,
        ),
        (
            ComplaintReplyPreset::S0Hours48,
            "s0_hours48",
            Msg::CarePolicyReplyS0,
        ),
        (
            ComplaintReplyPreset::S2Hours2,
            "s2_hours2",
            Msg::CarePolicyReplyS2,
        ),
    ];
    let visits = [
        (
            RepairVisitPreset::S3OneToTwoMonths,
            "s3_one_to_two_months",
            Msg::CarePolicyVisitsS3,
        ),
        (
            RepairVisitPreset::S0Within24h,
            "s0_within24h",
            Msg::CarePolicyVisitsS0,
        ),
        (
            RepairVisitPreset::S1ByCategory,
            "s1_by_category",
            Msg::CarePolicyVisitsS1,
        ),
    ];
    view! {
        <details class="card no-print" data-testid="care-policy">
            <summary>{move || i18n.t(Msg::CarePolicyTitle)}</summary>
            <Show when=move || policy.get().is_some()>
                <label><span>{move || i18n.t(Msg::CarePolicyReply)}</span>
                    <select data-testid="care-policy-reply" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        if let Some((p, _, _)) = replies.iter().find(|r| r.1 == v) {
                            policy.update(|x| if let Some(x) = x { x.complaint_reply = *p });
                        }
                    }>
                        {replies.iter().map(|(p, code, m)| {
                            let (p, m) = (*p, *m);
                            view! { <option value=*code selected=move || policy.get().is_some_and(|x| x.complaint_reply == p)>{move || i18n.t(m)}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label><span>{move || i18n.t(Msg::CarePolicyVisits)}</span>
                    <select data-testid="care-policy-visits" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        if let Some((p, _, _)) = visits.iter().find(|r| r.1 == v) {
                            policy.update(|x| if let Some(x) = x { x.repair_visits = *p });
                        }
                    }>
                        {visits.iter().map(|(p, code, m)| {
                            let (p, m) = (*p, *m);
                            view! { <option value=*code selected=move || policy.get().is_some_and(|x| x.repair_visits == p)>{move || i18n.t(m)}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label><span>{move || i18n.t(Msg::CarePolicyRate)}</span>
                    <input type="number" min="0" max="100" data-testid="care-policy-rate"
                        prop:value=move || policy.get().map(|p| p.repair_visit_rate_percent.to_string()).unwrap_or_default()
                        on:change=move |ev| {
                            if let Ok(n) = event_target_value(&ev).trim().parse::<u32>() {
                                policy.update(|x| if let Some(x) = x { x.repair_visit_rate_percent = n });
                            }
                        } />
                </label>
                <button class="primary" data-testid="care-policy-save" on:click=save>{move || i18n.t(Msg::CareSave)}</button>
                <p class="muted">{move || message.get()}</p>
            </Show>
        </details>
    }
}
