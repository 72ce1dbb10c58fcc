//! `/visits/new`: 《业户访问记录》 on a phone. Find the household by its room, tick the topics,
//! pick the way, write the resident's opinions, then the signature: the resident signs on the
//! pad, or 业户拒绝签名 is recorded (never forced); a call needs none. The record goes into the
//! phone's outbox first (a door in a basement has no signal) and the sync engine lands it once;
//! the answer then says whether the household counts toward this month's quota.
//! `?unit=<id>&label=…` (from the not-visited list) picks the household; with no signal the
//! household is found in the phone's own list of units.

use super::{error_text, first_site, method_msg, refusal_msg, topic_msg, VisitSitePicker};
use crate::api::{self, ApiFailure};
use crate::frame::{use_profile, Guarded};
use crate::i18n::{use_i18n, Msg};
use crate::offline::client;
use crate::pages::repairs::{from_local_input, now};
use crate::pages::signature::{Pad, SignaturePad};
use domain::access::Area;
use domain::ids::{SiteId, UnitId};
use domain::visits::record::{
    records_visits, SignatureOutcome, VisitCommand, VisitInput, VisitMethod, VisitTopic,
    VisitWarning,
};
use domain::visits::views::{VisitSaved, VisitUnit};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use uuid::Uuid;

#[component]
pub fn NewVisitPage() -> impl IntoView {
    view! {
        <Guarded area=Some(Area::Visits)>
            <NewVisit />
        </Guarded>
    }
}

/// Percent-encodes a query value (the room query may hold 栋 and 单元).
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

/// The visit just saved on this phone, shown in place of the form until it lands.
#[derive(Clone)]
struct Done {
    id: Uuid,
    site: String,
    label: String,
}

/// Where the saved visit is: still on the phone (maybe refused), or on the server.
#[derive(Clone)]
enum Landing {
    Pending(Option<String>),
    Landed(Box<VisitSaved>),
}

/// A household the search found: from the server (with occupancy and this month's visits) or,
/// with no signal, from the phone's own list of units.
#[derive(Clone)]
enum Found {
    Online(Vec<VisitUnit>),
    Offline(Vec<(UnitId, String)>),
}

#[component]
fn NewVisit() -> impl IntoView {
    let i18n = use_i18n();
    let role = use_profile().map(|p| p.role);
    if !role.is_some_and(records_visits) {
        return view! { <p class="form-error">{move || i18n.t(Msg::VisitsErrForbidden)}</p> }
            .into_any();
    }
    let query = use_query_map();
    let site = RwSignal::new(first_site());
    let unit_query = RwSignal::new(String::new());
    let unit = RwSignal::new(None::<(UnitId, String)>);
    // Picked from the not-visited list.
    if let (Some(id), Some(label)) = query.with_untracked(|q| (q.get("unit"), q.get("label"))) {
        if let Ok(id) = UnitId::parse(&id) {
            unit.set(Some((id, label)));
        }
    }
    let topics = RwSignal::new(Vec::<VisitTopic>::new());
    let method = RwSignal::new(VisitMethod::Home);
    let when = RwSignal::new(String::new());
    let resident_name = RwSignal::new(String::new());
    let notes = RwSignal::new(String::new());
    let feedback = RwSignal::new(false);
    let refused = RwSignal::new(false);
    let signer = RwSignal::new(String::new());
    let pad = Pad::new();
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<(String, String)>);
    let done = RwSignal::new(None::<Done>);

    let matches = LocalResource::new(move || {
        let q = unit_query.get();
        let site = site.get();
        let picked = unit.get().is_some();
        async move {
            let site = site?;
            let q = q.trim().to_owned();
            if q.is_empty() || picked {
                return None;
            }
            let online = api::get_json::<Vec<VisitUnit>>(&format!(
                "/api/v1/sites/{site}/visits/units?q={}",
                encode(&q)
            ))
            .await;
            Some(match online {
                Ok(list) => Ok(Found::Online(list)),
                Err(ApiFailure::Network) => {
                    let site = SiteId::parse(&site).ok();
                    let units = client::reference()
                        .await
                        .map(|r| {
                            r.find_units(&q)
                                .into_iter()
                                .filter(|u| Some(u.site_id) == site)
                                .map(|u| (u.id, u.label.clone()))
                                .collect()
                        })
                        .unwrap_or_default();
                    Ok(Found::Offline(units))
                }
                Err(e) => Err(e),
            })
        }
    });

    let refuse_local = move |code: &str, m: Msg| {
        error.set(Some((code.to_owned(), i18n.t(m).to_owned())));
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        error.set(None);
        let Some(site) = site.get_untracked() else {
            return;
        };
        let Some((unit_id, label)) = unit.get_untracked() else {
            return refuse_local("need_unit", Msg::VisitsErrNeedUnit);
        };
        let picked = topics.get_untracked();
        if picked.is_empty() {
            return refuse_local("no_topics", Msg::VisitsErrNoTopics);
        }
        // The phone's clock when left out: the push corrects it like the mutation's own time.
        let visited_at = from_local_input(&when.get_untracked()).unwrap_or_else(now);
        let Ok(site_id) = SiteId::parse(&site) else {
            return;
        };
        let m = method.get_untracked();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let signature = if !m.can_sign() {
                SignatureOutcome::NotTaken
            } else if refused.get_untracked() {
                SignatureOutcome::Refused
            } else if pad.is_inked_untracked() {
                match pad.export().await {
                    Ok(image) => SignatureOutcome::Signed {
                        image,
                        signer: signer.get_untracked(),
                    },
                    Err(e) => {
                        error.set(Some(("signature".into(), e.text(i18n))));
                        busy.set(false);
                        return;
                    }
                }
            } else {
                SignatureOutcome::NotTaken
            };
            let input = VisitInput {
                unit_id,
                visited_at: Some(visited_at),
                topics: picked,
                method: m,
                notes: notes.get_untracked(),
                resident_name: resident_name.get_untracked(),
                signature,
                feedback_requested: feedback.get_untracked(),
            };
            let id = Uuid::now_v7();
            let cmd = VisitCommand::Record {
                site_id,
                visit: input,
            };
            let r = client::submit_visit(id, cmd).await;
            let _ = busy.try_set(false);
            match r {
                Ok(()) => done.set(Some(Done { id, site, label })),
                Err((m, detail)) => {
                    let text = refusal_msg(&detail)
                        .map(|r| i18n.t(r).to_owned())
                        .unwrap_or_else(|| format!("{} {detail}", i18n.t(m)));
                    error.set(Some((detail, text)));
                }
            }
        });
    };

    let again = move |()| {
        done.set(None);
        unit.set(None);
        unit_query.set(String::new());
        topics.set(Vec::new());
        notes.set(String::new());
        resident_name.set(String::new());
        feedback.set(false);
        refused.set(false);
        signer.set(String::new());
        when.set(String::new());
        method.set(VisitMethod::Home);
        pad.clear();
    };

    view! {
        <section class="visit-new" id="visit-new-page">
            <a class="back" href="/visits">{move || i18n.t(Msg::VisitsBack)}</a>
            <h1>{move || i18n.t(Msg::VisitsNewTitle)}</h1>
            {move || done.get().map(|d| view! { <Saved d again=Callback::new(again) /> })}
            <Show when=move || done.get().is_none()>
            <form class="visit-form" on:submit=submit>
                <VisitSitePicker site />
                <fieldset class="visit-unit">
                    <legend>{move || i18n.t(Msg::VisitsUnit)}</legend>
                    {move || match unit.get() {
                        Some((_, label)) => view! {
                            <p class="visit-picked" data-testid="visit-unit-picked">
                                <strong>{label}</strong>
                                " "
                                <button type="button" class="button small" on:click=move |_| { unit.set(None); }>
                                    {move || i18n.t(Msg::VisitsUnitChange)}
                                </button>
                            </p>
                        }.into_any(),
                        None => view! {
                            <input id="visit-unit" data-testid="visit-unit" bind:value=unit_query autocomplete="off"
                                inputmode="text" placeholder=move || i18n.t(Msg::VisitsUnitPlaceholder) />
                            <div class="unit-picks">
                                {move || match matches.get().flatten() {
                                    None => ().into_any(),
                                    Some(Err(e)) => {
                                        let t = error_text(i18n, &e);
                                        view! { <p class="muted small">{t}</p> }.into_any()
                                    }
                                    Some(Ok(Found::Offline(list))) if list.is_empty() => view! { <p class="muted small">{move || i18n.t(Msg::VisitsUnitNone)}</p> }.into_any(),
                                    Some(Ok(Found::Online(list))) if list.is_empty() => view! { <p class="muted small">{move || i18n.t(Msg::VisitsUnitNone)}</p> }.into_any(),
                                    Some(Ok(Found::Offline(list))) => view! {
                                        <p class="muted small" data-testid="visit-unit-offline">{move || i18n.t(Msg::VisitsUnitOffline)}</p>
                                        {list.into_iter().map(|(id, label)| {
                                            let l2 = label.clone();
                                            view! {
                                                <button type="button" class="pick" data-testid="visit-unit-pick"
                                                    on:click=move |_| unit.set(Some((id, l2.clone())))>
                                                    <strong>{label}</strong>
                                                </button>
                                            }
                                        }).collect_view()}
                                    }.into_any(),
                                    Some(Ok(Found::Online(list))) => list.into_iter().map(|u| {
                                        let id = u.unit_id;
                                        let label = u.label.clone();
                                        let occupied = u.occupancy.is_occupied();
                                        let visited = u.visited_this_month;
                                        view! {
                                            <button type="button" class="pick" data-testid="visit-unit-pick" disabled=!occupied
                                                on:click=move |_| unit.set(Some((id, label.clone())))>
                                                <strong>{u.label.clone()}</strong>
                                                " "
                                                <span class="small">{u.residents.join("、")}</span>
                                                {(!occupied).then(|| view! { <span class="tag">{move || i18n.t(Msg::OccupancyVacant)}</span> })}
                                                {visited.then(|| view! { <span class="tag visits-repeat" data-testid="visit-unit-visited">{move || i18n.t(Msg::VisitsUnitVisited)}</span> })}
                                            </button>
                                        }
                                    }).collect_view().into_any(),
                                }}
                            </div>
                        }.into_any(),
                    }}
                </fieldset>
                <fieldset class="visit-topics">
                    <legend>{move || i18n.t(Msg::VisitsTopics)}</legend>
                    {VisitTopic::ALL.into_iter().map(|t| view! {
                        <label class="check">
                            <input type="checkbox" data-testid=format!("topic-{}", t.code())
                                prop:checked=move || topics.with(|v| v.contains(&t))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    topics.update(|v| {
                                        v.retain(|x| *x != t);
                                        if on {
                                            v.push(t);
                                        }
                                    });
                                } />
                            <span>{move || i18n.t(topic_msg(t))}</span>
                        </label>
                    }).collect_view()}
                </fieldset>
                <fieldset class="visit-method">
                    <legend>{move || i18n.t(Msg::VisitsMethod)}</legend>
                    {VisitMethod::ALL.into_iter().map(|m| view! {
                        <label class="check">
                            <input type="radio" name="visit-method" data-testid=format!("method-{}", m.code())
                                prop:checked=move || method.get() == m
                                on:change=move |_| method.set(m) />
                            <span>{move || i18n.t(method_msg(m))}</span>
                        </label>
                    }).collect_view()}
                </fieldset>
                <label class="field">
                    <span>{move || i18n.t(Msg::VisitsWhen)}</span>
                    <input type="datetime-local" data-testid="visit-when" bind:value=when />
                </label>
                <label class="field">
                    <span>{move || i18n.t(Msg::VisitsResidentName)}</span>
                    <input data-testid="visit-resident" bind:value=resident_name autocomplete="off" />
                </label>
                <label class="field">
                    <span>{move || i18n.t(Msg::VisitsNotes)}</span>
                    <textarea data-testid="visit-notes" rows="4" maxlength="2000" bind:value=notes></textarea>
                </label>
                <label class="check">
                    <input type="checkbox" data-testid="visit-feedback" bind:checked=feedback />
                    <span>{move || i18n.t(Msg::VisitsFeedback)}</span>
                </label>
                <p class="small muted">{move || i18n.t(Msg::VisitsEtiquette)}</p>
                <fieldset class="visit-signature">
                    <legend>{move || i18n.t(Msg::VisitsSignature)}</legend>
                    {move || if !method.get().can_sign() {
                        view! { <p class="muted">{move || i18n.t(Msg::VisitsNoSignaturePhone)}</p> }.into_any()
                    } else if refused.get() {
                        view! {
                            <p class="notice" data-testid="visit-refused">
                                {move || i18n.t(Msg::VisitsRefusedNote)} " "
                                <button type="button" class="button small" on:click=move |_| refused.set(false)>
                                    {move || i18n.t(Msg::VisitsRefuseUndo)}
                                </button>
                            </p>
                        }.into_any()
                    } else {
                        view! {
                            <p class="small muted">{move || i18n.t(Msg::VisitsSignatureRule)}</p>
                            <SignaturePad pad label=Msg::VisitsSignature signer />
                            <button type="button" class="button" data-testid="signature-refused"
                                on:click=move |_| { pad.clear(); refused.set(true); }>
                                {move || i18n.t(Msg::VisitsRefuse)}
                            </button>
                        }.into_any()
                    }}
                </fieldset>
                {move || error.get().map(|(code, t)| view! {
                    <p class="form-error" data-testid="visit-error" data-code=code>{t}</p>
                })}
                <button type="submit" class="button primary" data-testid="visit-save" disabled=move || busy.get()>
                    {move || i18n.t(if busy.get() { Msg::VisitsSaving } else { Msg::VisitsSave })}
                </button>
            </form>
            </Show>
        </section>
    }
    .into_any()
}

/// The saved visit: 待同步 while it waits on the phone (or the reason the server refused it,
/// with the way to the outbox page), then whether it counts toward the month's quota. Read
/// again whenever the sync engine changes local data.
#[component]
fn Saved(d: Done, again: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let sync = crate::offline::use_sync_status();
    let (id, site) = (d.id, d.site.clone());
    let landing = LocalResource::new(move || {
        sync.data_version.track();
        let site = site.clone();
        async move {
            if let Some(p) = client::pending_visits()
                .await
                .into_iter()
                .find(|p| p.id == id)
            {
                return Some(Landing::Pending(p.refused.map(|(_, code)| code)));
            }
            api::get_json::<VisitSaved>(&format!("/api/v1/sites/{site}/visits/{id}"))
                .await
                .ok()
                .map(|saved| Landing::Landed(Box::new(saved)))
        }
    });
    let label = d.label;
    view! {
        {move || {
            let label = label.clone();
            let (state, counted, body) = match landing.get().flatten() {
                Some(Landing::Landed(saved)) => {
                    let counted = saved.visit.counted;
                    let late_call = saved.warnings.contains(&VisitWarning::CallOutsideHours);
                    let m = if counted { Msg::VisitsSavedCounted } else { Msg::VisitsSavedRepeat };
                    ("saved", Some(counted), view! {
                        <p>{i18n.tf(m, &[("unit", label)])}</p>
                        {late_call.then(|| view! { <p class="notice" data-testid="visit-warning">{i18n.t(Msg::VisitsWarnCall)}</p> })}
                    }.into_any())
                }
                Some(Landing::Pending(Some(code))) => {
                    let reason = refusal_msg(&code).map(|m| i18n.t(m).to_owned()).unwrap_or(code);
                    ("refused", None, view! {
                        <p class="form-error">{i18n.tf(Msg::VisitsPendingRefused, &[("reason", reason)])}</p>
                        <a href="/outbox">{i18n.t(Msg::VisitsOpenOutbox)}</a>
                    }.into_any())
                }
                _ => ("pending", None, view! {
                    <p><span class="tag visits-pending-tag">{i18n.t(Msg::VisitsPending)}</span> " " {i18n.tf(Msg::VisitsSavedOffline, &[("unit", label)])}</p>
                }.into_any()),
            };
            view! {
                <div class="card visit-saved" data-testid="visit-saved" data-state=state
                    data-id=id.to_string() data-counted=counted.map(|c| c.to_string())>
                    {body}
                    <div class="inline">
                        <a class="button primary" href="/visits" data-testid="visit-back">{move || i18n.t(Msg::VisitsBack)}</a>
                        <button type="button" class="button" data-testid="visit-another" on:click=move |_| again.run(())>{move || i18n.t(Msg::VisitsAnother)}</button>
                    </div>
                </div>
            }
        }}
    }
}
