//! Satisfaction surveys (满意度调查 / 全面意见征询, requirements §2.9), online screens for the
//! tablet: `/surveys` the site's surveys, `/surveys/new` open one under a preset, `/surveys/:id`
//! hand-out and fast entry of returned questionnaires (unit search, one row of radio buttons
//! per item), `/surveys/:id/results` the printable 问卷结果统计表 with the Pareto chart.
//! The numbers come from the server (`domain::survey::results`); nothing is computed here.

mod entry;
mod results;

pub use entry::SurveyPage;
pub use results::SurveyResultsPage;

use crate::api::{self, ApiFailure};
use crate::frame::use_profile;
use crate::i18n::{use_i18n, I18n, Msg};
use crate::pages::patrol::PatrolGuard;
use domain::survey::policy::SurveyVariant;
use domain::survey::scale::Rating;
use domain::survey::views::{SitePolicyView, SurveyStatus, SurveyView};
use domain::survey::{may_enter, may_manage};
use leptos::prelude::*;

pub fn variant_msg(v: SurveyVariant) -> Msg {
    match v {
        SurveyVariant::S0FullOpinion => Msg::SurveyVariantS0FullOpinion,
        SurveyVariant::S0TwiceYearly => Msg::SurveyVariantS0TwiceYearly,
        SurveyVariant::S0SatisfactionProcedure => Msg::SurveyVariantS0SatisfactionProcedure,
    }
}

pub fn rating_msg(r: Rating) -> Msg {
    match r {
        Rating::VerySatisfied => Msg::SurveyRatingVerySatisfied,
        Rating::Satisfied => Msg::SurveyRatingSatisfied,
        Rating::FairlySatisfied => Msg::SurveyRatingFairlySatisfied,
        Rating::NotVerySatisfied => Msg::SurveyRatingNotVerySatisfied,
        Rating::VeryDissatisfied => Msg::SurveyRatingVeryDissatisfied,
        Rating::Dissatisfied => Msg::SurveyRatingDissatisfied,
    }
}

fn status_msg(s: SurveyStatus) -> Msg {
    match s {
        SurveyStatus::Open => Msg::SurveyStatusOpen,
        SurveyStatus::Closed => Msg::SurveyStatusClosed,
    }
}

/// `92.0%` from per mille; `—` when nothing was counted.
pub fn pct(permille: Option<u32>) -> String {
    match permille {
        Some(p) => format!("{}.{}%", p / 10, p % 10),
        None => "—".to_owned(),
    }
}

/// The text of a failure: the refusal's own words where we have them.
pub(crate) fn failure_text(i18n: I18n, e: &ApiFailure) -> String {
    let known = match e.code().as_str() {
        "rating_off_scale" => Some(Msg::SurveyErrorRatingOffScale),
        "not_handed_out" => Some(Msg::SurveyErrorNotHandedOut),
        "already_returned" => Some(Msg::SurveyErrorAlreadyReturned),
        "survey_closed" => Some(Msg::SurveyErrorSurveyClosed),
        "unit_not_in_site" => Some(Msg::SurveyErrorUnitNotInSite),
        "unit_vacant" => Some(Msg::SurveyErrorUnitVacant),
        _ => None,
    };
    match (e, known) {
        (ApiFailure::Network, _) => i18n.t(Msg::SurveyOnlineOnly).to_owned(),
        (_, Some(m)) => i18n.tf(Msg::SurveyError, &[("code", i18n.t(m).to_owned())]),
        (other, None) => i18n.tf(Msg::SurveyError, &[("code", other.code())]),
    }
}

pub(crate) fn loading(i18n: I18n) -> AnyView {
    view! { <p class="muted">{move || i18n.t(Msg::SurveyLoading)}</p> }.into_any()
}

pub(crate) fn failed(i18n: I18n, e: ApiFailure) -> AnyView {
    let text = match e {
        ApiFailure::Network => i18n.t(Msg::SurveyOnlineOnly).to_owned(),
        other => i18n.tf(Msg::SurveyFailed, &[("code", other.code())]),
    };
    view! { <p class="form-error" data-testid="survey-error">{text}</p> }.into_any()
}

// ---------------------------------------------------------------------------------------------
// /surveys

#[component]
pub fn SurveyListPage() -> impl IntoView {
    view! {
        <PatrolGuard allow=may_enter>
            <SurveyList />
        </PatrolGuard>
    }
}

#[component]
fn SurveyList() -> impl IntoView {
    let i18n = use_i18n();
    let Some(profile) = use_profile() else {
        return ().into_any();
    };
    let manager = may_manage(profile.role);
    let sites = profile.sites.clone();
    let site = RwSignal::new(sites.first().map(|s| s.id.to_string()).unwrap_or_default());
    let list = LocalResource::new(move || {
        let site = site.get();
        async move { api::get_json::<Vec<SurveyView>>(&format!("/api/v1/sites/{site}/surveys")).await }
    });
    let several = sites.len() > 1;
    view! {
        <section class="survey-home" id="survey-home">
            <h1 id="home-title">{move || i18n.t(Msg::SurveyTitle)}</h1>
            <p class="muted">{move || i18n.t(Msg::SurveyHint)}</p>
            <div class="survey-tools">
                <Show when=move || several>
                    <label>
                        <span>{move || i18n.t(Msg::SurveySite)}</span>
                        <select data-testid="survey-site" bind:value=site>
                            {sites.clone().into_iter().map(|s| view! { <option value=s.id.to_string()>{s.name.clone()}</option> }).collect_view()}
                        </select>
                    </label>
                </Show>
                <Show when=move || manager>
                    <a class="button primary" id="survey-new" href="/surveys/new">{move || i18n.t(Msg::SurveyNew)}</a>
                </Show>
            </div>
            {move || match list.get() {
                None => loading(i18n),
                Some(Err(e)) => failed(i18n, e),
                Some(Ok(list)) if list.is_empty() => view! {
                    <p class="empty">{move || i18n.t(Msg::SurveyNone)}</p>
                }.into_any(),
                Some(Ok(list)) => view! {
                    <ul class="survey-list" data-testid="survey-list">
                        {list.into_iter().map(|s| view! { <SurveyCard s /> }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
    .into_any()
}

#[component]
fn SurveyCard(s: SurveyView) -> impl IntoView {
    let i18n = use_i18n();
    let id = s.id;
    let status = s.status;
    let variant = s.policy.variant;
    let counts = move || {
        i18n.tf(
            Msg::SurveyCounts,
            &[
                ("occupied", s.occupied_households.to_string()),
                ("out", s.handed_out.to_string()),
                ("back", s.returned.to_string()),
            ],
        )
    };
    view! {
        <li class="card survey-card" data-testid="survey-card" data-id=id.to_string() data-status=status.code()>
            <div class="order-head">
                <strong class="survey-name">{s.title.clone()}</strong>
                <span class=if status == SurveyStatus::Open { "tag ok" } else { "tag" }>{move || i18n.t(status_msg(status))}</span>
            </div>
            <p class="muted small">{move || i18n.t(variant_msg(variant))}</p>
            <p class="small">
                {move || i18n.t(Msg::SurveyHandedOutOn)} " " {s.handed_out_on.format("%Y-%m-%d").to_string()}
                " · " <span data-testid="survey-counts">{counts}</span>
            </p>
            <div class="inline">
                <a class="button" data-testid="survey-open" href=format!("/surveys/{id}")>{move || i18n.t(Msg::SurveyEnter)}</a>
                <a class="button primary" data-testid="survey-results" href=format!("/surveys/{id}/results")>{move || i18n.t(Msg::SurveyResults)}</a>
            </div>
        </li>
    }
}

// ---------------------------------------------------------------------------------------------
// /surveys/new

#[component]
pub fn NewSurveyPage() -> impl IntoView {
    view! {
        <PatrolGuard allow=may_manage>
            <NewSurvey />
        </PatrolGuard>
    }
}

#[component]
fn NewSurvey() -> impl IntoView {
    let i18n = use_i18n();
    let Some(profile) = use_profile() else {
        return ().into_any();
    };
    let sites = profile.sites.clone();
    let site = RwSignal::new(sites.first().map(|s| s.id.to_string()).unwrap_or_default());
    let variant = RwSignal::new(String::new());
    let title = RwSignal::new(String::new());
    let date = RwSignal::new(String::new());
    let days = RwSignal::new("7".to_owned());
    // Defaults after hydration: today's date, this year's title, the site's chosen preset.
    Effect::new(move |_| {
        if date.get_untracked().is_empty() {
            let today = crate::pages::repairs::now()
                .with_timezone(&domain::work_orders::sla::china())
                .date_naive();
            date.set(today.format("%Y-%m-%d").to_string());
            title.set(format!(
                "{}{}",
                today.format("%Y"),
                i18n.t(Msg::SurveyFieldTitleDefault)
            ));
        }
    });
    let policy = LocalResource::new(move || {
        let site = site.get();
        async move {
            api::get_json::<SitePolicyView>(&format!("/api/v1/sites/{site}/survey-policy")).await
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(p)) = policy.get() {
            variant.set(p.policy.variant.code().to_owned());
            days.set(p.policy.return_visit_days.to_string());
        }
    });
    let message = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let body = serde_json::json!({
            "title": title.get_untracked(),
            "variant": variant.get_untracked(),
            "handed_out_on": date.get_untracked(),
            "return_visit_days": days.get_untracked().trim().parse::<u32>().ok(),
        });
        let site = site.get_untracked();
        leptos::task::spawn_local(async move {
            let r =
                api::post_json::<SurveyView>(&format!("/api/v1/sites/{site}/surveys"), &body).await;
            busy.set(false);
            match r {
                Ok(s) => {
                    #[cfg(feature = "hydrate")]
                    crate::browser::go(&format!("/surveys/{}", s.id));
                    #[cfg(not(feature = "hydrate"))]
                    let _ = s;
                }
                Err(e) => message.set(Some(
                    i18n.tf(Msg::SurveyCreatedFailed, &[("code", e.code())]),
                )),
            }
        });
    };
    let several = sites.len() > 1;
    view! {
        <section class="survey-new" id="survey-new-page">
            <a class="back no-print" href="/surveys">{move || i18n.t(Msg::SurveyBackList)}</a>
            <h1 id="home-title">{move || i18n.t(Msg::SurveyNewTitle)}</h1>
            <form class="card form survey-form" on:submit=submit>
                <Show when=move || several>
                    <label>
                        <span>{move || i18n.t(Msg::SurveySite)}</span>
                        <select data-testid="new-survey-site" bind:value=site>
                            {sites.clone().into_iter().map(|s| view! { <option value=s.id.to_string()>{s.name.clone()}</option> }).collect_view()}
                        </select>
                    </label>
                </Show>
                <label>
                    <span>{move || i18n.t(Msg::SurveyFieldTitle)}</span>
                    <input data-testid="new-survey-title" maxlength="60" required bind:value=title />
                </label>
                <label>
                    <span>{move || i18n.t(Msg::SurveyVariant)}</span>
                    <select data-testid="new-survey-variant" bind:value=variant>
                        {SurveyVariant::ALL.into_iter().map(|v| view! {
                            <option value=v.code()>{move || i18n.t(variant_msg(v))}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label>
                    <span>{move || i18n.t(Msg::SurveyHandedOutOn)}</span>
                    <input type="date" data-testid="new-survey-date" required bind:value=date />
                </label>
                <label>
                    <span>{move || i18n.t(Msg::SurveyFieldReturnDays)}</span>
                    <input type="number" min="1" max="90" data-testid="new-survey-days" bind:value=days />
                </label>
                <h3>{move || i18n.t(Msg::SurveyItemsDefault)}</h3>
                <ol class="survey-default-items small">
                    {domain::survey::items::default_items().into_iter().map(|it| {
                        let (zh, en) = (it.name_zh.clone(), it.name_en.clone());
                        view! { <li>{move || if i18n.0.get() == crate::i18n::Lang::Zh { zh.clone() } else { en.clone() }}</li> }
                    }).collect_view()}
                </ol>
                <button type="submit" class="button primary" data-testid="new-survey-submit" disabled=move || busy.get()>
                    {move || i18n.t(Msg::SurveyCreate)}
                </button>
                {move || message.get().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
            </form>
        </section>
    }
    .into_any()
}

/// The item's name in the UI language.
pub(crate) fn item_name(i18n: I18n, zh: &str, en: &str) -> String {
    if i18n.0.get() == crate::i18n::Lang::Zh {
        zh.to_owned()
    } else {
        en.to_owned()
    }
}
