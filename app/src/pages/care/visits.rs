//! `/return-visits`: the open 回访 tasks, mandatory and overdue first (phone-sized);
//! `/return-visits/:id`: the visit record (S3 篇4 content: quality, service effect,
//! satisfaction, shortcomings, suggestions), by phone or at the door with the resident's
//! signature or their refusal; a problem goes to the technician in writing.

use super::{failure_text, rating_msg, reason_msg, RATINGS};
use crate::api;
use crate::frame::{use_profile, Guarded};
use crate::i18n::{use_i18n, Msg};
use crate::offline::client;
use crate::pages::detail::route_id;
use crate::pages::repairs::{now, short_time};
use crate::pages::signature::{Pad, SignaturePad};
use domain::care::return_visit::{Method, SignatureOutcome, VisitInput};
use domain::care::views::{ReturnVisitView, VisitStatus};
use domain::work_orders::{Rating, SignatureInput};
use leptos::prelude::*;

#[component]
pub fn ReturnVisitsPage() -> impl IntoView {
    view! {
        <Guarded area=None>
            <VisitList />
        </Guarded>
    }
}

#[component]
fn VisitList() -> impl IntoView {
    let i18n = use_i18n();
    let site = use_profile().and_then(|p| p.sites.first().map(|s| s.id));
    let list = LocalResource::new(move || async move {
        let site = site?;
        Some(
            api::get_json::<Vec<ReturnVisitView>>(&format!(
                "/api/v1/sites/{site}/return-visits?open=true"
            ))
            .await,
        )
    });
    view! {
        <section class="home care visits" data-area="/return-visits">
            <h1>{move || i18n.t(Msg::CareVisitsTitle)}</h1>
            <ul class="cards" data-testid="visit-list">
                {move || match list.get().flatten() {
                    None => ().into_any(),
                    Some(Err(e)) => view! { <li class="error">{failure_text(i18n, &e)}</li> }.into_any(),
                    Some(Ok(v)) if v.is_empty() => view! { <li class="muted">{move || i18n.t(Msg::CareVisitsNone)}</li> }.into_any(),
                    Some(Ok(v)) => v.into_iter().map(|t| {
                        let reason = t.reason;
                        let mandatory = t.mandatory;
                        let overdue = t.overdue;
                        view! {
                            <li class=if overdue { "card overdue" } else { "card" } data-testid="visit-task" data-reason=t.reason_code.clone()
                                data-unit=t.unit_label.clone() data-overdue=overdue.to_string()>
                                <a href=format!("/return-visits/{}", t.id)>
                                    <strong>{t.unit_label.clone()}</strong>" "
                                    <Show when=move || mandatory><span class="badge red">{move || i18n.t(Msg::CareMandatory)}</span></Show>
                                    <span class="reason">{move || i18n.t(reason_msg(reason))}</span>
                                    <p class="muted small">{t.subject.clone()}</p>
                                    <p class="small">{i18n.tf(Msg::CareDue, &[("due", short_time(t.due_at))])}</p>
                                </a>
                            </li>
                        }
                    }).collect_view().into_any(),
                }}
            </ul>
        </section>
    }
}

#[component]
pub fn ReturnVisitPage() -> impl IntoView {
    view! {
        <Guarded area=None>
            <VisitForm />
        </Guarded>
    }
}

#[component]
fn RatingRow(label: Msg, value: RwSignal<Rating>, testid: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset class="rating-row">
            <legend>{move || i18n.t(label)}</legend>
            {RATINGS.iter().map(|(r, code)| {
                let r = *r;
                view! {
                    <button type="button" data-testid=format!("{testid}-{code}")
                        class=move || if value.get() == r { "choice on" } else { "choice" }
                        on:click=move |_| value.set(r)>{move || i18n.t(rating_msg(r))}</button>
                }
            }).collect_view()}
        </fieldset>
    }
}

#[component]
fn VisitForm() -> impl IntoView {
    let i18n = use_i18n();
    let id = route_id();
    let task = RwSignal::new(None::<ReturnVisitView>);
    let error = RwSignal::new(None::<String>);
    let loaded = LocalResource::new(move || {
        let id = id.get();
        async move {
            Some(api::get_json::<ReturnVisitView>(&format!("/api/v1/return-visits/{}", id?)).await)
        }
    });
    Effect::new(move |_| match loaded.get().flatten() {
        Some(Ok(t)) => task.set(Some(t)),
        Some(Err(e)) => error.set(Some(failure_text(i18n, &e))),
        None => {}
    });
    let method = RwSignal::new(Method::Phone);
    let quality = RwSignal::new(Rating::Satisfied);
    let service = RwSignal::new(Rating::Satisfied);
    let satisfaction = RwSignal::new(Rating::Satisfied);
    let shortcomings = RwSignal::new(String::new());
    let suggestions = RwSignal::new(String::new());
    let problem = RwSignal::new(String::new());
    let open_complaint = RwSignal::new(false);
    let refused = RwSignal::new(false);
    let signer = RwSignal::new(String::new());
    let pad = Pad::new();
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(t) = task.get_untracked() else {
            return;
        };
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let signature = match method.get_untracked() {
                Method::Phone => SignatureOutcome::NotAsked,
                Method::Door if refused.get_untracked() => SignatureOutcome::Refused,
                Method::Door => match pad.export().await {
                    Ok(image) => {
                        // The image follows through the sync engine's blob upload.
                        client::sync_now();
                        SignatureOutcome::Signed {
                            signature: SignatureInput {
                                image,
                                signer_name: signer.get_untracked(),
                                content_hash: format!("return-visit:{}", t.id),
                            },
                        }
                    }
                    Err(e) => {
                        error.set(Some(e.text(i18n)));
                        busy.set(false);
                        return;
                    }
                },
            };
            let input = VisitInput {
                method: method.get_untracked(),
                quality: quality.get_untracked(),
                service: service.get_untracked(),
                satisfaction: satisfaction.get_untracked(),
                shortcomings: shortcomings.get_untracked(),
                suggestions: suggestions.get_untracked(),
                problem: problem.get_untracked(),
                open_complaint: open_complaint.get_untracked(),
                signature,
                at: now(),
            };
            let body = serde_json::to_value(&input).unwrap_or_default();
            match api::post_json::<ReturnVisitView>(
                &format!("/api/v1/return-visits/{}/complete", t.id),
                &body,
            )
            .await
            {
                Ok(done) => {
                    error.set(None);
                    task.set(Some(done));
                }
                Err(e) => error.set(Some(failure_text(i18n, &e))),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="home care visit" data-area="/return-visits">
            <p class="error" data-testid="visit-error">{move || error.get()}</p>
            {move || task.get().map(|t| {
                let reason = t.reason;
                let done = t.status == VisitStatus::Done;
                let contact = i18n.tf(Msg::CareContact, &[("name", t.contact_name.clone()), ("phone", t.contact_phone_masked.clone())]);
                let rect = t.rectification_due_at.map(|d| i18n.tf(Msg::CareRectification, &[("due", short_time(d))]));
                view! {
                    <h1>{t.unit_label.clone()}</h1>
                    <p><span class="badge">{move || i18n.t(reason_msg(reason))}</span>" "{t.subject.clone()}</p>
                    <p class="muted">{contact}" · "{i18n.tf(Msg::CareDue, &[("due", short_time(t.due_at))])}</p>
                    <Show when=move || done>
                        <p class="ok" data-testid="visit-done">{move || i18n.t(Msg::CareVisitDone)}</p>
                        {rect.clone().map(|r| view! { <p data-testid="visit-rectification">{r}</p> })}
                    </Show>
                }
            })}
            <Show when=move || task.get().is_some_and(|t| t.status == VisitStatus::Open)>
                <form class="card form" data-testid="visit-form" on:submit=submit>
                    <fieldset class="rating-row">
                        <legend>{move || i18n.t(Msg::CareMethod)}</legend>
                        <button type="button" data-testid="visit-method-phone" class=move || if method.get() == Method::Phone { "choice on" } else { "choice" }
                            on:click=move |_| method.set(Method::Phone)>{move || i18n.t(Msg::CareMethodPhone)}</button>
                        <button type="button" data-testid="visit-method-door" class=move || if method.get() == Method::Door { "choice on" } else { "choice" }
                            on:click=move |_| method.set(Method::Door)>{move || i18n.t(Msg::CareMethodDoor)}</button>
                    </fieldset>
                    <RatingRow label=Msg::CareQuality value=quality testid="visit-quality" />
                    <RatingRow label=Msg::CareService value=service testid="visit-service" />
                    <RatingRow label=Msg::CareSatisfaction value=satisfaction testid="visit-satisfaction" />
                    <label><span>{move || i18n.t(Msg::CareShortcomings)}</span><textarea data-testid="visit-shortcomings" bind:value=shortcomings></textarea></label>
                    <label><span>{move || i18n.t(Msg::CareSuggestions)}</span><textarea data-testid="visit-suggestions" bind:value=suggestions></textarea></label>
                    <label><span>{move || i18n.t(Msg::CareProblem)}</span><textarea data-testid="visit-problem" bind:value=problem></textarea></label>
                    <label class="check"><input type="checkbox" data-testid="visit-open-complaint" bind:checked=open_complaint /><span>{move || i18n.t(Msg::CareOpenComplaint)}</span></label>
                    <Show when=move || method.get() == Method::Door>
                        <label class="check"><input type="checkbox" data-testid="visit-sign-refused" bind:checked=refused /><span>{move || i18n.t(Msg::CareSignRefused)}</span></label>
                        <Show when=move || !refused.get()>
                            <SignaturePad pad label=Msg::CareSignature signer />
                        </Show>
                    </Show>
                    <button type="submit" class="primary" data-testid="visit-submit" disabled=move || busy.get()>{move || i18n.t(Msg::CareVisitSubmit)}</button>
                </form>
            </Show>
        </section>
    }
}
