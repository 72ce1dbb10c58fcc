//! `/surveys/:id`: hand-out (发放) and the entry of returned questionnaires (回收), fast: find
//! the unit, record the hand-out, and enter the questionnaire as one row of radio buttons per
//! item (none chosen, or 弃权, is an abstention).

use super::{failed, failure_text, item_name, loading, pct, rating_msg, status_msg, variant_msg};
use crate::api;
use crate::frame::use_profile;
use crate::i18n::{use_i18n, Msg};
use crate::pages::patrol::PatrolGuard;
use domain::survey::may_enter;
use domain::survey::may_manage;
use domain::survey::views::{
    HandOutResponse, HouseholdRow, ReturnResponse, SurveyStatus, SurveyView,
};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn SurveyPage() -> impl IntoView {
    view! {
        <PatrolGuard allow=may_enter>
            <Survey />
        </PatrolGuard>
    }
}

#[component]
fn Survey() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let reload = RwSignal::new(0u64);
    // Kept here, above the body that re-renders when the counts reload: the search, the last
    // message and the list's refresh survive a hand-out or a save.
    let ui = EntryUi {
        query: RwSignal::new(String::new()),
        head_message: RwSignal::new(None),
        entry_message: RwSignal::new(None),
    };
    let survey = LocalResource::new(move || {
        reload.track();
        let id = id.get();
        async move { api::get_json::<SurveyView>(&format!("/api/v1/surveys/{id}")).await }
    });
    view! {
        <section class="survey-entry" id="survey-page">
            <a class="back" href="/surveys">{move || i18n.t(Msg::SurveyBackList)}</a>
            {move || match survey.get() {
                None => loading(i18n),
                Some(Err(e)) => failed(i18n, e),
                Some(Ok(s)) => view! { <SurveyBody s reload ui /> }.into_any(),
            }}
        </section>
    }
}

/// The entry screen's state that outlives a reload of the survey.
#[derive(Clone, Copy)]
struct EntryUi {
    query: RwSignal<String>,
    head_message: RwSignal<Option<(bool, String)>>,
    entry_message: RwSignal<Option<(bool, String)>>,
}

#[component]
fn SurveyBody(s: SurveyView, reload: RwSignal<u64>, ui: EntryUi) -> impl IntoView {
    let i18n = use_i18n();
    let manager = use_profile().is_some_and(|p| may_manage(p.role));
    let id = s.id;
    let open = s.status == SurveyStatus::Open;
    let status = s.status;
    let variant = s.policy.variant;
    let dl = s.deadlines;
    let message = ui.head_message;
    let busy = RwSignal::new(false);
    let hand_out_all = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let r = api::post_json::<HandOutResponse>(
                &format!("/api/v1/surveys/{id}/handouts"),
                &serde_json::json!({"all_occupied": true}),
            )
            .await;
            busy.set(false);
            match r {
                Ok(h) => message.set(Some((
                    true,
                    i18n.tf(
                        Msg::SurveyHandoutAllDone,
                        &[
                            ("n", h.added.to_string()),
                            ("total", h.handed_out.to_string()),
                        ],
                    ),
                ))),
                Err(e) => message.set(Some((false, failure_text(i18n, &e)))),
            }
            reload.update(|n| *n += 1);
        });
    };
    let close = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let r = api::post_json::<SurveyView>(
                &format!("/api/v1/surveys/{id}/close"),
                &serde_json::json!({}),
            )
            .await;
            busy.set(false);
            if let Err(e) = r {
                message.set(Some((false, failure_text(i18n, &e))));
            }
            reload.update(|n| *n += 1);
        });
    };
    let deadline = move |label: Msg, d: Option<chrono::NaiveDate>, late: bool| {
        d.map(|d| {
            view! {
                <li>
                    {move || i18n.t(label)} " " <strong>{d.format("%Y-%m-%d").to_string()}</strong>
                    {late.then(|| view! { <span class="tag alert">{move || i18n.t(Msg::SurveyDeadlineLate)}</span> })}
                </li>
            }
        })
    };
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
    let survey = StoredValue::new(s.clone());
    view! {
        <div class="card survey-head" data-testid="survey-head" data-status=status.code()
            data-handed-out=s.handed_out.to_string() data-returned=s.returned.to_string()>
            <div class="order-head">
                <h1 id="home-title">{s.title.clone()}</h1>
                <span class=if open { "tag ok" } else { "tag" }>{move || i18n.t(status_msg(status))}</span>
            </div>
            <p class="muted small">{s.site_name.clone()} " · " {move || i18n.t(variant_msg(variant))}</p>
            <p data-testid="survey-counts">{counts}</p>
            <p class="small">
                {move || i18n.t(Msg::SurveyRowReturned)} " "
                {pct(domain::survey::results::Rate::new(s.returned, s.handed_out).permille)}
            </p>
            <h3>{move || i18n.t(Msg::SurveyDeadlines)}</h3>
            <ul class="survey-deadlines small">
                <li>{move || i18n.t(Msg::SurveyHandedOutOn)} " " <strong>{s.handed_out_on.format("%Y-%m-%d").to_string()}</strong></li>
                {deadline(Msg::SurveyDeadlineHandout, dl.handout_by, dl.handout_late)}
                {deadline(Msg::SurveyDeadlineCollect, dl.collect_by, false)}
                {deadline(Msg::SurveyDeadlineAnalysis, dl.analysis_by, false)}
                {deadline(Msg::SurveyDeadlinePublish, dl.publish_by, false)}
            </ul>
            <div class="inline no-print">
                <a class="button primary" data-testid="survey-results" href=format!("/surveys/{id}/results")>{move || i18n.t(Msg::SurveyResults)}</a>
                <Show when=move || open>
                    <button class="button" data-testid="survey-handout-all" disabled=move || busy.get() on:click=hand_out_all>
                        {move || i18n.t(Msg::SurveyHandoutAll)}
                    </button>
                </Show>
                <Show when=move || open && manager>
                    <button class="button" data-testid="survey-close" disabled=move || busy.get() on:click=close>
                        {move || i18n.t(Msg::SurveyClose)}
                    </button>
                </Show>
            </div>
            {move || message.get().map(|(ok, text)| view! {
                <p class=if ok { "form-ok" } else { "form-error" } role="status" data-testid="survey-message">{text}</p>
            })}
        </div>
        {if open {
            view! { <Households survey reload ui /> }.into_any()
        } else {
            view! { <p class="muted" data-testid="survey-closed">{move || i18n.t(Msg::SurveyClosedNote)}</p> }.into_any()
        }}
    }
}

#[component]
fn Households(
    survey: StoredValue<SurveyView>,
    reload: RwSignal<u64>,
    ui: EntryUi,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = survey.with_value(|s| s.id);
    let query = ui.query;
    let refresh = RwSignal::new(0u64);
    let rows = LocalResource::new(move || {
        refresh.track();
        let q = query.get();
        async move {
            let q = js_encode(&q);
            api::get_json::<Vec<HouseholdRow>>(&format!("/api/v1/surveys/{id}/households?q={q}"))
                .await
        }
    });
    let editing = RwSignal::new(None::<HouseholdRow>);
    let message = ui.entry_message;
    let busy = RwSignal::new(false);
    let hand_out = move |unit: domain::ids::UnitId| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let r = api::post_json::<HandOutResponse>(
                &format!("/api/v1/surveys/{id}/handouts"),
                &serde_json::json!({"unit_ids": [unit]}),
            )
            .await;
            busy.set(false);
            if let Err(e) = r {
                message.set(Some((false, failure_text(i18n, &e))));
            }
            refresh.update(|n| *n += 1);
            reload.update(|n| *n += 1);
        });
    };
    let done = Callback::new(move |text: (bool, String)| {
        message.set((!text.1.is_empty()).then_some(text));
        editing.set(None);
        refresh.update(|n| *n += 1);
        reload.update(|n| *n += 1);
    });
    view! {
        <section class="card survey-households">
            <label>
                <span>{move || i18n.t(Msg::SurveySearch)}</span>
                <input type="search" data-testid="survey-unit-search" inputmode="text" autocomplete="off"
                    prop:value=move || query.get()
                    on:input=move |ev| query.set(event_target_value(&ev)) />
            </label>
            <p class="muted small">{move || i18n.t(Msg::SurveySearchHint)}</p>
            {move || message.get().map(|(ok, text)| view! {
                <p class=if ok { "form-ok" } else { "form-error" } role="status" data-testid="survey-entry-message">{text}</p>
            })}
            {move || editing.get().map(|row| view! { <EntryForm survey row done /> })}
            {move || match rows.get() {
                None => loading(i18n),
                Some(Err(e)) => failed(i18n, e),
                Some(Ok(list)) => view! {
                    <ul class="survey-units" data-testid="survey-units">
                        {list.into_iter().map(|row| {
                            let unit = row.unit_id;
                            let state = if row.returned_at.is_some() { "returned" } else if row.household_id.is_some() { "handed" } else { "none" };
                            let state_msg = match state {
                                "returned" => Msg::SurveyUnitReturned,
                                "handed" => Msg::SurveyUnitHanded,
                                _ if !row.occupied => Msg::SurveyUnitVacant,
                                _ => Msg::SurveyUnitNotHanded,
                            };
                            let n_dis = row.dissatisfied_items.len();
                            let row2 = row.clone();
                            view! {
                                <li class="survey-unit" data-testid="survey-unit" data-unit=row.label.clone() data-state=state>
                                    <strong>{row.label.clone()}</strong>
                                    <span class=format!("tag unit-{state}")>{move || i18n.t(state_msg)}</span>
                                    {(n_dis > 0).then(|| view! { <span class="tag alert">{move || i18n.tf(Msg::SurveyUnitDissatisfied, &[("n", n_dis.to_string())])}</span> })}
                                    {(state == "none" && row.occupied).then(|| view! {
                                        <button class="button" data-testid="survey-hand-out" disabled=move || busy.get() on:click=move |_| hand_out(unit)>
                                            {move || i18n.t(Msg::SurveyHandOut)}
                                        </button>
                                    })}
                                    {(state == "handed").then(|| view! {
                                        <button class="button primary" data-testid="survey-enter" on:click=move |_| editing.set(Some(row2.clone()))>
                                            {move || i18n.t(Msg::SurveyEnterForm)}
                                        </button>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}

/// Percent-encodes a query value (unit codes may carry 栋/单元).
fn js_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.trim().bytes() {
        if b.is_ascii_alphanumeric() || b == b'-' {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// One returned questionnaire: a row of radio buttons per item.
#[component]
fn EntryForm(
    survey: StoredValue<SurveyView>,
    row: HouseholdRow,
    done: Callback<(bool, String)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (id, scale, items) = survey.with_value(|s| (s.id, s.policy.scale, s.items.clone()));
    // The chosen rating code per item; "" = abstained.
    let chosen: Vec<RwSignal<String>> =
        items.iter().map(|_| RwSignal::new(String::new())).collect();
    let chosen = StoredValue::new(chosen);
    let suggestion = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let unit = row.unit_id;
    let label = row.label.clone();
    let codes: Vec<String> = items.iter().map(|i| i.code.clone()).collect();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let answers: Vec<serde_json::Value> = chosen.with_value(|c| {
            codes
                .iter()
                .zip(c.iter())
                .map(|(code, sig)| {
                    let v = sig.get_untracked();
                    let marks: Vec<String> = if v.is_empty() { vec![] } else { vec![v] };
                    serde_json::json!({"item": code, "marks": marks})
                })
                .collect()
        });
        let body = serde_json::json!({
            "unit_id": unit,
            "answers": answers,
            "suggestion": suggestion.get_untracked(),
        });
        let label = label.clone();
        leptos::task::spawn_local(async move {
            let r =
                api::post_json::<ReturnResponse>(&format!("/api/v1/surveys/{id}/returns"), &body)
                    .await;
            busy.set(false);
            match r {
                Ok(r) if r.dissatisfied_items.is_empty() => {
                    done.run((true, i18n.tf(Msg::SurveySaved, &[("unit", label)])))
                }
                Ok(r) => done.run((
                    true,
                    i18n.tf(
                        Msg::SurveySavedVisit,
                        &[
                            ("unit", label),
                            ("n", r.dissatisfied_items.len().to_string()),
                        ],
                    ),
                )),
                Err(e) => error.set(Some(failure_text(i18n, &e))),
            }
        });
    };
    let rows = items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            let sig = chosen.with_value(|c| c[i]);
            let name = format!("item-{}", item.code);
            let (zh, en) = (item.name_zh.clone(), item.name_en.clone());
            let radio = move |value: String, text: Msg| {
                let v2 = value.clone();
                let name = name.clone();
                view! {
                    <label class="survey-radio">
                        <input type="radio" name=name value=value.clone()
                            prop:checked=move || sig.get() == v2
                            on:change=move |_| sig.set(value.clone()) />
                        <span>{move || i18n.t(text)}</span>
                    </label>
                }
            };
            view! {
                <fieldset class="survey-item-row" data-testid="survey-item-row" data-item=item.code.clone()>
                    <legend>{move || item_name(i18n, &zh, &en)}</legend>
                    {scale.ratings().iter().map(|r| radio(r.code().to_owned(), rating_msg(*r))).collect_view()}
                    {radio(String::new(), Msg::SurveyAbstain)}
                </fieldset>
            }
        })
        .collect_view();
    view! {
        <form class="survey-entry-form" data-testid="survey-entry-form" data-unit=row.label.clone() on:submit=submit>
            <h2>{row.label.clone()} " · " {move || i18n.t(Msg::SurveyEnterForm)}</h2>
            <p class="muted small">{move || i18n.t(Msg::SurveyAbstainHint)}</p>
            {rows}
            <label>
                <span>{move || i18n.t(Msg::SurveySuggestion)}</span>
                <textarea data-testid="survey-suggestion" maxlength="1000" rows="2"
                    prop:value=move || suggestion.get()
                    on:input=move |ev| suggestion.set(event_target_value(&ev))></textarea>
            </label>
            <div class="inline">
                <button type="submit" class="button primary" data-testid="survey-save" disabled=move || busy.get()>
                    {move || i18n.t(Msg::SurveySave)}
                </button>
                <button type="button" class="button" on:click=move |_| done.run((true, String::new()))>
                    {move || i18n.t(Msg::SurveyCancel)}
                </button>
            </div>
            {move || error.get().map(|e| view! { <p class="form-error" role="alert" data-testid="survey-save-error">{e}</p> })}
        </form>
    }
}
