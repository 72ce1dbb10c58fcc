//! `/visits/reports` (tablet): the monthly chain of the visit records — the CS supervisor's
//! opinions (by the 5th), the month's 访问业户总结 (by the 10th; 第11篇: the 5th), the review (by
//! the 15th) — with each step's day, done or overdue (red), who did it and what they wrote; the
//! step the signed-in role may do now has its form. The centre manager and the administrator
//! pick which document's procedure the site follows.

use super::{error_text, first_site, local_dt, state_code, state_msg, step_msg, VisitSitePicker};
use crate::api;
use crate::frame::{use_profile, Guarded};
use crate::i18n::{role_msg, use_i18n, Msg};
use crate::pages::patrol::send_json;
use domain::access::Area;
use domain::people::Role;
use domain::visits::policy::{Escalation, VisitPolicy};
use domain::visits::views::{ChainView, StepView};
use leptos::prelude::*;

#[component]
pub fn VisitReportsPage() -> impl IntoView {
    view! {
        <Guarded area=Some(Area::VisitReports)>
            <Reports />
        </Guarded>
    }
}

#[component]
fn Reports() -> impl IntoView {
    let i18n = use_i18n();
    let role = use_profile().map(|p| p.role).unwrap_or(Role::CsMgr);
    let site = RwSignal::new(first_site());
    // Empty: the server's default, last month (the one being signed off).
    let month = RwSignal::new(String::new());
    let reload = RwSignal::new(0u32);
    let chain = LocalResource::new(move || {
        reload.track();
        let site = site.get();
        let m = month.get();
        async move {
            let site = site?;
            Some(
                api::get_json::<ChainView>(&format!(
                    "/api/v1/sites/{site}/visits/reports?month={m}"
                ))
                .await,
            )
        }
    });
    view! {
        <section class="visits-reports" id="visits-reports">
            <a class="back" href="/visits">{move || i18n.t(Msg::VisitsBack)}</a>
            <h1>{move || i18n.t(Msg::VisitsReportsTitle)}</h1>
            <div class="inline">
                <VisitSitePicker site />
                <label class="inline">
                    <span>{move || i18n.t(Msg::VisitsMonth)}</span>
                    <input type="month" data-testid="reports-month" prop:value=move || month.get()
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            if !v.is_empty() {
                                month.set(v);
                            }
                        } />
                </label>
            </div>
            {move || match chain.get().flatten() {
                None => view! { <p class="muted">{move || i18n.t(Msg::VisitsLoading)}</p> }.into_any(),
                Some(Err(e)) => {
                    let t = error_text(i18n, &e);
                    view! { <p class="form-error">{t}</p> }.into_any()
                }
                Some(Ok(c)) => {
                    let m = c.month.clone();
                    let site_id = c.site_id.to_string();
                    let esc = match c.escalation {
                        Escalation::ManagementRepresentative => Msg::VisitsEscalationManagementRepresentative,
                        Escalation::CompanyComplaintCentre => Msg::VisitsEscalationCompanyComplaintCentre,
                    };
                    view! {
                        <p data-testid="reports-summary">{move || i18n.tf(Msg::VisitsMonthSummary, &[
                            ("month", m.clone()),
                            ("visits", c.visits.to_string()),
                            ("households", c.households.to_string()),
                            ("feedback", c.feedback_requested.to_string()),
                        ])}</p>
                        <ol class="visits-chain">
                            {c.steps.into_iter().map(|s| view! {
                                <StepCard s site=site_id.clone() month=c.month.clone() reload />
                            }).collect_view()}
                        </ol>
                        <p class="small muted">{move || i18n.t(esc)}</p>
                    }.into_any()
                }
            }}
            {matches!(role, Role::CenterMgr | Role::Admin).then(|| view! { <PolicyPicker site reload /> })}
        </section>
    }
}

#[component]
fn StepCard(s: StepView, site: String, month: String, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let step = s.step;
    let state = s.state;
    let roles = s.roles.clone();
    let due = s.due;
    let text = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let url = format!(
            "/api/v1/sites/{site}/visits/reports/{month}/{}",
            step.code()
        );
        let body = serde_json::json!({ "text": text.get_untracked() });
        leptos::task::spawn_local(async move {
            let r = api::post_json::<ChainView>(&url, &body).await;
            let _ = busy.try_set(false);
            match r {
                Ok(_) => reload.update(|n| *n += 1),
                Err(e) => error.set(Some(error_text(i18n, &e))),
            }
        });
    };
    view! {
        <li class=format!("card visits-step {}", state_code(state)) data-testid=format!("step-{}", step.code())
            data-state=state_code(state)>
            <div class="visits-row-head">
                <strong>{move || i18n.t(step_msg(step))}</strong>
                <span class=format!("tag state-{}", state_code(state))>{move || i18n.t(state_msg(state))}</span>
            </div>
            <p class="small">
                {move || match due {
                    Some(d) => i18n.tf(Msg::VisitsDue, &[("date", d.format("%Y-%m-%d").to_string())]),
                    None => i18n.t(Msg::VisitsNoDue).to_owned(),
                }}
                " · "
                {move || i18n.tf(Msg::VisitsRoles, &[("roles", roles.iter().map(|r| i18n.t(role_msg(*r))).collect::<Vec<_>>().join("、"))])}
            </p>
            {s.done.map(|d| {
                let role = d.role;
                view! {
                    <p class="small muted">{move || i18n.tf(Msg::VisitsDoneBy, &[
                        ("name", d.by_name.clone()),
                        ("role", i18n.t(role_msg(role)).to_owned()),
                        ("time", local_dt(d.at)),
                    ])}</p>
                    <p class="visits-step-text">{d.text.clone()}</p>
                }
            })}
            {s.can_do.then(|| view! {
                <form class="visits-step-form" on:submit=submit>
                    <label class="field">
                        <span>{move || i18n.t(Msg::VisitsStepText)}</span>
                        <textarea rows="4" maxlength="4000" data-testid=format!("step-text-{}", step.code()) bind:value=text></textarea>
                    </label>
                    {move || error.get().map(|t| view! { <p class="form-error">{t}</p> })}
                    <button type="submit" class="button primary" data-testid=format!("step-submit-{}", step.code())
                        disabled=move || busy.get()>
                        {move || i18n.t(Msg::VisitsStepSubmit)}
                    </button>
                </form>
            })}
        </li>
    }
}

#[component]
fn PolicyPicker(site: RwSignal<Option<String>>, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let current = LocalResource::new(move || {
        reload.track();
        let site = site.get();
        async move {
            let site = site?;
            api::get_json::<VisitPolicy>(&format!("/api/v1/sites/{site}/visits/policy"))
                .await
                .ok()
        }
    });
    let note = RwSignal::new(None::<String>);
    let pick = move |preset: String| {
        let Some(site) = site.get_untracked() else {
            return;
        };
        note.set(None);
        leptos::task::spawn_local(async move {
            let body = serde_json::json!({ "preset": preset });
            let r = send_json::<VisitPolicy>(
                "PUT",
                &format!("/api/v1/sites/{site}/visits/policy"),
                &body,
            )
            .await;
            match r {
                Ok(_) => {
                    note.set(Some(i18n.t(Msg::VisitsPolicySaved).to_owned()));
                    reload.update(|n| *n += 1);
                }
                Err(e) => note.set(Some(error_text(i18n, &e))),
            }
        });
    };
    let preset_msg = |p: &str| match p {
        "s0_5_11" => Msg::VisitsPresetS0511,
        "s1" => Msg::VisitsPresetS1,
        _ => Msg::VisitsPresetS017,
    };
    view! {
        <section class="card visits-policy">
            <h2>{move || i18n.t(Msg::VisitsPolicy)}</h2>
            {move || current.get().flatten().map(|p| {
                let now = p.preset.clone();
                view! {
                    <select data-testid="visits-preset" on:change=move |ev| pick(event_target_value(&ev))>
                        {VisitPolicy::PRESETS.into_iter().map(|name| {
                            let selected = now == name;
                            view! { <option value=name selected=selected>{move || i18n.t(preset_msg(name))}</option> }
                        }).collect_view()}
                    </select>
                }
            })}
            {move || note.get().map(|t| view! { <p class="small">{t}</p> })}
        </section>
    }
}
