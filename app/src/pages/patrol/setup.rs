//! Setting patrols up (客服部经理, 服务中心经理, 系统管理员; online, over the REST API):
//! `/patrol/checkpoints` lists, adds and edits checkpoints (name, area, building, the code on
//! the label) with their checklists (the document's template of the area to start from), and
//! the routes with their ordered checkpoints and schedule; `/patrol/labels` is the printable
//! QR label sheet, one A4 sheet per building.

use super::{
    api_error_text, area_code, area_msg, first_site, manages_patrols, on_fault_msg, schedule_code,
    schedule_msg, send_json, PatrolGuard, SitePicker,
};
use crate::api::{self, ApiFailure};
use crate::i18n::{use_i18n, Msg};
use domain::ids::CheckpointId;
use domain::patrol::checklist::{default_checklist, AreaType, ChecklistItem, OnFault};
use domain::patrol::route::{Checkpoint, Route, Schedule};
use domain::patrol::views::{CheckpointInput, RouteInput};
use leptos::prelude::*;

#[component]
pub fn CheckpointsPage() -> impl IntoView {
    view! {
        <PatrolGuard allow=manages_patrols>
            <Setup />
        </PatrolGuard>
    }
}

/// Buildings by number, then the places outside the buildings.
fn building_order(b: &Option<String>) -> (bool, Option<u32>, String) {
    match b {
        Some(s) => (false, s.parse().ok(), s.clone()),
        None => (true, None, String::new()),
    }
}

fn on_fault_code(f: OnFault) -> &'static str {
    match f {
        OnFault::Repair { urgent: false } => "repair",
        OnFault::Repair { urgent: true } => "urgent",
        OnFault::Case => "case",
    }
}

fn on_fault_of(code: &str) -> OnFault {
    match code {
        "urgent" => OnFault::Repair { urgent: true },
        "case" => OnFault::Case,
        _ => OnFault::Repair { urgent: false },
    }
}

fn area_of(code: &str) -> AreaType {
    AreaType::ALL
        .into_iter()
        .find(|a| area_code(*a) == code)
        .unwrap_or(AreaType::Stairwell)
}

fn schedule_of(code: &str) -> Schedule {
    match code {
        "weather" => Schedule::Weather,
        "holiday" => Schedule::Holiday,
        _ => Schedule::Daily,
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Editing {
    NewCheckpoint,
    Checkpoint(Box<Checkpoint>),
    NewRoute,
    Route(Route),
}

#[component]
fn Setup() -> impl IntoView {
    let i18n = use_i18n();
    let site = RwSignal::new(first_site());
    let reload = RwSignal::new(0u32);
    let editing = RwSignal::new(None::<Editing>);
    let saved = RwSignal::new(false);
    let checkpoints = LocalResource::new(move || {
        reload.track();
        let site = site.get();
        async move {
            let site = site?;
            Some(
                api::get_json::<Vec<Checkpoint>>(&format!("/api/v1/sites/{site}/checkpoints"))
                    .await,
            )
        }
    });
    let routes = LocalResource::new(move || {
        reload.track();
        let site = site.get();
        async move {
            let site = site?;
            Some(api::get_json::<Vec<Route>>(&format!("/api/v1/sites/{site}/routes")).await)
        }
    });
    let all_checkpoints = Memo::new(move |_| match checkpoints.get().flatten() {
        Some(Ok(mut list)) => {
            list.sort_by(|a, b| {
                (building_order(&a.building), &a.code).cmp(&(building_order(&b.building), &b.code))
            });
            list
        }
        _ => Vec::new(),
    });
    let done = move || {
        editing.set(None);
        saved.set(true);
        reload.update(|n| *n += 1);
    };
    let edit = move |e: Editing| {
        saved.set(false);
        editing.set(Some(e));
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async {
            super::scan::sleep(60).await;
            super::scan::scroll_to("setup-form");
        });
    };
    view! {
        <section class="patrol-setup" id="patrol-setup">
            <h1>{move || i18n.t(Msg::PatrolSetupTitle)}</h1>
            <div class="manage-tools inline">
                <SitePicker site />
                <a class="button" href="/patrol/labels" data-testid="labels-link">{move || i18n.t(Msg::PatrolLabelsLink)}</a>
                <a class="button" href="/patrol/manage">{move || i18n.t(Msg::PatrolManageTitle)}</a>
            </div>
            <Show when=move || saved.get()>
                <p class="form-ok" role="status" data-testid="setup-saved">{move || i18n.t(Msg::PatrolSetupSaved)}</p>
            </Show>
            {move || editing.get().map(|e| {
                let site = site.get_untracked().unwrap_or_default();
                match e {
                    Editing::NewCheckpoint => view! { <CheckpointForm site existing=None done editing /> }.into_any(),
                    Editing::Checkpoint(c) => view! { <CheckpointForm site existing=Some(*c) done editing /> }.into_any(),
                    Editing::NewRoute => view! { <RouteForm site existing=None checkpoints=all_checkpoints done editing /> }.into_any(),
                    Editing::Route(r) => view! { <RouteForm site existing=Some(r) checkpoints=all_checkpoints done editing /> }.into_any(),
                }
            })}
            <section class="card">
                <div class="route-head">
                    <h2>{move || i18n.t(Msg::PatrolCheckpoints)}</h2>
                    <button type="button" class="button primary" data-testid="checkpoint-new" on:click=move |_| edit(Editing::NewCheckpoint)>
                        {move || i18n.t(Msg::PatrolCheckpointNew)}
                    </button>
                </div>
                {move || match checkpoints.get().flatten() {
                    None => view! { <p class="muted">{move || i18n.t(Msg::PatrolLoading)}</p> }.into_any(),
                    Some(Err(e)) => {
                        let t = api_error_text(i18n, &e);
                        view! { <p class="form-error" data-testid="setup-error">{t}</p> }.into_any()
                    }
                    Some(Ok(_)) => view! {
                        <table class="setup-table">
                            <thead><tr>
                                <th>{move || i18n.t(Msg::PatrolColCode)}</th>
                                <th>{move || i18n.t(Msg::PatrolColName)}</th>
                                <th>{move || i18n.t(Msg::PatrolColArea)}</th>
                                <th>{move || i18n.t(Msg::PatrolColBuilding)}</th>
                                <th class="num">{move || i18n.t(Msg::PatrolColItems)}</th>
                                <th></th>
                            </tr></thead>
                            <tbody>
                                {all_checkpoints.get().into_iter().map(|c| {
                                    let area = c.area;
                                    let active = c.active;
                                    let c2 = c.clone();
                                    view! {
                                        <tr data-testid="checkpoint-row" data-code=c.code.clone() data-active=active.to_string() class:inactive=!active>
                                            <td class="mono">{c.code.clone()}</td>
                                            <td>{c.name_zh.clone()}
                                                <Show when=move || !active>" " <span class="tag">{move || i18n.t(Msg::PatrolInactive)}</span></Show>
                                            </td>
                                            <td>{move || i18n.t(area_msg(area))}</td>
                                            <td>{c.building.clone().unwrap_or_default()}</td>
                                            <td class="num">{c.items.len()}</td>
                                            <td>
                                                <button type="button" class="button small-button" data-testid="checkpoint-edit"
                                                    on:click=move |_| edit(Editing::Checkpoint(Box::new(c2.clone())))>
                                                    {move || i18n.t(Msg::PatrolEdit)}
                                                </button>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                }}
            </section>
            <section class="card">
                <div class="route-head">
                    <h2>{move || i18n.t(Msg::PatrolRoutes)}</h2>
                    <button type="button" class="button primary" data-testid="route-new" on:click=move |_| edit(Editing::NewRoute)>
                        {move || i18n.t(Msg::PatrolRouteNew)}
                    </button>
                </div>
                {move || match routes.get().flatten() {
                    None => view! { <p class="muted">{move || i18n.t(Msg::PatrolLoading)}</p> }.into_any(),
                    Some(Err(e)) => {
                        let t = api_error_text(i18n, &e);
                        view! { <p class="form-error" data-testid="setup-error">{t}</p> }.into_any()
                    }
                    Some(Ok(list)) => {
                        let cps = all_checkpoints.get();
                        view! {
                            <ul class="plain route-rows">
                                {list.into_iter().map(|r| {
                                    let schedule = r.schedule;
                                    let ordered = r.ordered;
                                    let active = r.active;
                                    let names: Vec<String> = r.checkpoints.iter().map(|id| {
                                        cps.iter().find(|c| c.id == *id).map(|c| c.name_zh.clone()).unwrap_or_else(|| id.to_string())
                                    }).collect();
                                    let r2 = r.clone();
                                    view! {
                                        <li data-testid="route-row" data-id=r.id.to_string() data-schedule=schedule_code(schedule) class:inactive=!active>
                                            <div class="route-head">
                                                <strong>{r.name.clone()}</strong>
                                                <span class="tag">{move || i18n.t(schedule_msg(schedule))}</span>
                                                <span class="tag">{move || i18n.t(if ordered { Msg::PatrolOrdered } else { Msg::PatrolUnordered })}</span>
                                                <Show when=move || !active><span class="tag">{move || i18n.t(Msg::PatrolInactive)}</span></Show>
                                                <button type="button" class="button small-button" data-testid="route-edit"
                                                    on:click=move |_| edit(Editing::Route(r2.clone()))>
                                                    {move || i18n.t(Msg::PatrolEdit)}
                                                </button>
                                            </div>
                                            <ol class="small route-stops">
                                                {names.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
                                            </ol>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                }}
            </section>
        </section>
    }
}

/// One checklist item being edited.
#[derive(Debug, Clone, PartialEq)]
struct ItemDraft {
    key: u32,
    code: String,
    text: String,
    on_fault: String,
}

fn drafts(items: &[ChecklistItem], next: &mut u32) -> Vec<ItemDraft> {
    items
        .iter()
        .map(|i| {
            *next += 1;
            ItemDraft {
                key: *next,
                code: i.code.clone(),
                text: i.text_zh.clone(),
                on_fault: on_fault_code(i.on_fault).into(),
            }
        })
        .collect()
}

#[component]
fn CheckpointForm(
    site: String,
    existing: Option<Checkpoint>,
    done: impl Fn() + Copy + Send + Sync + 'static,
    editing: RwSignal<Option<Editing>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = existing.as_ref().map(|c| c.id);
    let is_new = id.is_none();
    let code = RwSignal::new(
        existing
            .as_ref()
            .map(|c| c.code.clone())
            .unwrap_or_default(),
    );
    let name = RwSignal::new(
        existing
            .as_ref()
            .map(|c| c.name_zh.clone())
            .unwrap_or_default(),
    );
    let area = RwSignal::new(
        existing
            .as_ref()
            .map_or("stairwell", |c| area_code(c.area))
            .to_owned(),
    );
    let building = RwSignal::new(
        existing
            .as_ref()
            .and_then(|c| c.building.clone())
            .unwrap_or_default(),
    );
    let active = RwSignal::new(existing.as_ref().is_none_or(|c| c.active));
    let mut next = 0u32;
    let start_items = match &existing {
        Some(c) => drafts(&c.items, &mut next),
        None => drafts(&default_checklist(AreaType::Stairwell), &mut next),
    };
    let next = RwSignal::new(next);
    let items = RwSignal::new(start_items);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let template = move || {
        let mut n = next.get_untracked();
        let list = drafts(&default_checklist(area_of(&area.get_untracked())), &mut n);
        next.set(n);
        items.set(list);
    };
    let on_area = move |ev: leptos::ev::Event| {
        area.set(event_target_value(&ev));
        // A new checkpoint starts from its area's template of the document.
        if is_new {
            template();
        }
    };
    let add_item = move |_| {
        let n = next.get_untracked() + 1;
        next.set(n);
        items.update(|l| {
            l.push(ItemDraft {
                key: n,
                code: String::new(),
                text: String::new(),
                on_fault: "repair".into(),
            })
        });
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let input = CheckpointInput {
            code: code.get_untracked(),
            name_zh: name.get_untracked(),
            area: area_of(&area.get_untracked()),
            building: Some(building.get_untracked()).filter(|b| !b.trim().is_empty()),
            position: None,
            items: Some(
                items
                    .get_untracked()
                    .into_iter()
                    .map(|d| ChecklistItem {
                        code: d.code,
                        text_zh: d.text,
                        on_fault: on_fault_of(&d.on_fault),
                    })
                    .collect(),
            ),
            active: active.get_untracked(),
        };
        let Ok(body) = serde_json::to_value(&input) else {
            return;
        };
        let (method, url) = match id {
            Some(id) => ("PUT", format!("/api/v1/checkpoints/{id}")),
            None => ("POST", format!("/api/v1/sites/{site}/checkpoints")),
        };
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            let r: Result<Checkpoint, ApiFailure> = send_json(method, &url, &body).await;
            let _ = busy.try_set(false);
            match r {
                Ok(_) => done(),
                Err(e) => {
                    let _ = error.try_set(Some(api_error_text(i18n, &e)));
                }
            }
        });
    };
    view! {
        <section class="card setup-form" id="setup-form" data-testid="checkpoint-form">
            <h2>{move || i18n.t(if is_new { Msg::PatrolCheckpointNew } else { Msg::PatrolCheckpointEdit })}</h2>
            <form on:submit=submit>
                <div class="row2">
                    <label>
                        <span>{move || i18n.t(Msg::PatrolColName)}</span>
                        <input type="text" data-testid="cp-name" required maxlength="64" placeholder="3栋1单元 楼梯间"
                            prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
                    </label>
                    <label>
                        <span>{move || i18n.t(Msg::PatrolColCode)}</span>
                        <input type="text" data-testid="cp-code" required maxlength="32" placeholder="CH-3-1-LT" autocapitalize="characters"
                            prop:value=move || code.get() on:input=move |ev| code.set(event_target_value(&ev)) />
                    </label>
                    <label>
                        <span>{move || i18n.t(Msg::PatrolColArea)}</span>
                        <select data-testid="cp-area" on:change=on_area>
                            {AreaType::ALL.into_iter().map(|a| view! {
                                <option value=area_code(a) selected=move || area.get() == area_code(a)>{move || i18n.t(area_msg(a))}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <label>
                        <span>{move || i18n.t(Msg::PatrolColBuilding)}</span>
                        <input type="text" data-testid="cp-building" maxlength="16" placeholder="3"
                            prop:value=move || building.get() on:input=move |ev| building.set(event_target_value(&ev)) />
                    </label>
                </div>
                <label class="check">
                    <input type="checkbox" data-testid="cp-active" prop:checked=move || active.get()
                        on:change=move |ev| active.set(event_target_checked(&ev)) />
                    <span>{move || i18n.t(Msg::PatrolActive)}</span>
                </label>
                <h3>{move || i18n.t(Msg::PatrolChecklist)}</h3>
                <p class="small muted">{move || i18n.t(Msg::PatrolChecklistHint)}</p>
                <ul class="plain item-drafts">
                    <For each=move || items.get() key=|d| d.key let:d>
                        {
                            let key = d.key;
                            let set = move |f: fn(&mut ItemDraft, String), v: String| {
                                items.update(|l| {
                                    if let Some(x) = l.iter_mut().find(|x| x.key == key) {
                                        f(x, v);
                                    }
                                })
                            };
                            view! {
                                <li class="item-draft" data-testid="cp-item">
                                    <input type="text" class="item-code-input" data-testid="cp-item-code" maxlength="16" value=d.code.clone()
                                        on:input=move |ev| set(|x, v| x.code = v, event_target_value(&ev)) />
                                    <input type="text" data-testid="cp-item-text" maxlength="200" value=d.text.clone()
                                        on:input=move |ev| set(|x, v| x.text = v, event_target_value(&ev)) />
                                    <select data-testid="cp-item-fault" on:change=move |ev| set(|x, v| x.on_fault = v, event_target_value(&ev))>
                                        {[OnFault::Repair { urgent: false }, OnFault::Repair { urgent: true }, OnFault::Case].into_iter().map(|f| {
                                            let c = on_fault_code(f);
                                            view! { <option value=c selected=d.on_fault == c>{move || i18n.t(on_fault_msg(f))}</option> }
                                        }).collect_view()}
                                    </select>
                                    <button type="button" class="button line-remove" data-testid="cp-item-remove" aria-label="remove"
                                        on:click=move |_| items.update(|l| l.retain(|x| x.key != key))>"×"</button>
                                </li>
                            }
                        }
                    </For>
                </ul>
                <div class="actions">
                    <button type="button" class="button" data-testid="cp-item-add" on:click=add_item>{move || i18n.t(Msg::PatrolItemAdd)}</button>
                    <button type="button" class="button" data-testid="cp-template" on:click=move |_| template()>{move || i18n.t(Msg::PatrolUseTemplate)}</button>
                </div>
                <div class="actions">
                    <button type="submit" class="button primary" data-testid="cp-save" disabled=move || busy.get()>{move || i18n.t(Msg::PatrolSave)}</button>
                    <button type="button" class="button" data-testid="cp-cancel" on:click=move |_| editing.set(None)>{move || i18n.t(Msg::PatrolCancel)}</button>
                </div>
                {move || error.get().map(|e| view! { <p class="form-error" data-testid="setup-error">{e}</p> })}
            </form>
        </section>
    }
}

#[component]
fn RouteForm(
    site: String,
    existing: Option<Route>,
    checkpoints: Memo<Vec<Checkpoint>>,
    done: impl Fn() + Copy + Send + Sync + 'static,
    editing: RwSignal<Option<Editing>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = existing.as_ref().map(|r| r.id);
    let is_new = id.is_none();
    let name = RwSignal::new(
        existing
            .as_ref()
            .map(|r| r.name.clone())
            .unwrap_or_default(),
    );
    let schedule = RwSignal::new(
        existing
            .as_ref()
            .map_or("daily", |r| schedule_code(r.schedule))
            .to_owned(),
    );
    let ordered = RwSignal::new(existing.as_ref().is_none_or(|r| r.ordered));
    let active = RwSignal::new(existing.as_ref().is_none_or(|r| r.active));
    let stops = RwSignal::new(
        existing
            .as_ref()
            .map(|r| r.checkpoints.clone())
            .unwrap_or_default(),
    );
    let pick = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let label = move |cp: CheckpointId| {
        checkpoints
            .get()
            .iter()
            .find(|c| c.id == cp)
            .map(|c| format!("{} · {}", c.name_zh, c.code))
            .unwrap_or_else(|| cp.to_string())
    };
    let add = move |_| {
        if let Ok(u) = uuid::Uuid::parse_str(&pick.get_untracked()) {
            let cp = CheckpointId(u);
            stops.update(|s| {
                if !s.contains(&cp) {
                    s.push(cp);
                }
            });
            pick.set(String::new());
        }
    };
    let shift = move |i: usize, up: bool| {
        stops.update(|s| {
            let j = if up { i.checked_sub(1) } else { Some(i + 1) };
            if let Some(j) = j.filter(|j| *j < s.len()) {
                s.swap(i, j);
            }
        })
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let input = RouteInput {
            name: name.get_untracked(),
            ordered: ordered.get_untracked(),
            schedule: schedule_of(&schedule.get_untracked()),
            checkpoints: stops.get_untracked(),
            active: active.get_untracked(),
        };
        let Ok(body) = serde_json::to_value(&input) else {
            return;
        };
        let (method, url) = match id {
            Some(id) => ("PUT", format!("/api/v1/routes/{id}")),
            None => ("POST", format!("/api/v1/sites/{site}/routes")),
        };
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            let r: Result<Route, ApiFailure> = send_json(method, &url, &body).await;
            let _ = busy.try_set(false);
            match r {
                Ok(_) => done(),
                Err(e) => {
                    let _ = error.try_set(Some(api_error_text(i18n, &e)));
                }
            }
        });
    };
    view! {
        <section class="card setup-form" id="setup-form" data-testid="route-form">
            <h2>{move || i18n.t(if is_new { Msg::PatrolRouteNew } else { Msg::PatrolRouteEdit })}</h2>
            <form on:submit=submit>
                <div class="row2">
                    <label>
                        <span>{move || i18n.t(Msg::PatrolColRoute)}</span>
                        <input type="text" data-testid="route-name" required maxlength="64" placeholder="3栋日常巡检"
                            prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
                    </label>
                    <label>
                        <span>{move || i18n.t(Msg::PatrolSchedule)}</span>
                        <select data-testid="route-schedule" on:change=move |ev| schedule.set(event_target_value(&ev))>
                            {[Schedule::Daily, Schedule::Weather, Schedule::Holiday].into_iter().map(|s| view! {
                                <option value=schedule_code(s) selected=move || schedule.get() == schedule_code(s)>{move || i18n.t(schedule_msg(s))}</option>
                            }).collect_view()}
                        </select>
                    </label>
                </div>
                <label class="check">
                    <input type="checkbox" data-testid="route-ordered" prop:checked=move || ordered.get()
                        on:change=move |ev| ordered.set(event_target_checked(&ev)) />
                    <span>{move || i18n.t(Msg::PatrolOrderedHint)}</span>
                </label>
                <label class="check">
                    <input type="checkbox" data-testid="route-active" prop:checked=move || active.get()
                        on:change=move |ev| active.set(event_target_checked(&ev)) />
                    <span>{move || i18n.t(Msg::PatrolActive)}</span>
                </label>
                <h3>{move || i18n.t(Msg::PatrolRouteStops)}</h3>
                <ol class="route-stop-edit">
                    {move || stops.get().into_iter().enumerate().map(|(i, cp)| view! {
                        <li data-testid="route-stop" data-id=cp.to_string()>
                            <span class="stop-label">{label(cp)}</span>
                            <button type="button" class="button small-button" aria-label="up" on:click=move |_| shift(i, true)>"↑"</button>
                            <button type="button" class="button small-button" aria-label="down" on:click=move |_| shift(i, false)>"↓"</button>
                            <button type="button" class="button small-button line-remove" aria-label="remove" data-testid="route-stop-remove"
                                on:click=move |_| stops.update(|s| s.retain(|x| *x != cp))>"×"</button>
                        </li>
                    }).collect_view()}
                </ol>
                <div class="inline">
                    <select data-testid="route-add-checkpoint" on:change=move |ev| pick.set(event_target_value(&ev))>
                        <option value="" selected=move || pick.get().is_empty()>{move || i18n.t(Msg::PatrolPickCheckpoint)}</option>
                        {move || checkpoints.get().into_iter().filter(|c| c.active && !stops.get().contains(&c.id)).map(|c| {
                            let v = c.id.to_string();
                            view! { <option value=v>{c.name_zh.clone()} " · " {c.code.clone()}</option> }
                        }).collect_view()}
                    </select>
                    <button type="button" class="button" data-testid="route-add" on:click=add>{move || i18n.t(Msg::PatrolAdd)}</button>
                </div>
                <div class="actions">
                    <button type="submit" class="button primary" data-testid="route-save" disabled=move || busy.get()>{move || i18n.t(Msg::PatrolSave)}</button>
                    <button type="button" class="button" data-testid="route-cancel" on:click=move |_| editing.set(None)>{move || i18n.t(Msg::PatrolCancel)}</button>
                </div>
                {move || error.get().map(|e| view! { <p class="form-error" data-testid="setup-error">{e}</p> })}
            </form>
        </section>
    }
}

// ---------------------------------------------------------------------------------------------
// The label sheet

#[component]
pub fn LabelsPage() -> impl IntoView {
    view! {
        <PatrolGuard allow=manages_patrols>
            <Labels />
        </PatrolGuard>
    }
}

#[component]
fn Labels() -> impl IntoView {
    let i18n = use_i18n();
    let site = RwSignal::new(first_site());
    let checkpoints = LocalResource::new(move || {
        let site = site.get();
        async move {
            let site = site?;
            Some(
                api::get_json::<Vec<Checkpoint>>(&format!("/api/v1/sites/{site}/checkpoints"))
                    .await,
            )
        }
    });
    let print = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    view! {
        <section class="labels-page" id="labels">
            <div class="print-toolbar no-print">
                <a class="back" href="/patrol/checkpoints">{move || i18n.t(Msg::PatrolCheckpointsLink)}</a>
                <SitePicker site />
                <button type="button" class="button primary" data-testid="labels-print" on:click=print>{move || i18n.t(Msg::PatrolPrint)}</button>
                <p class="muted small">{move || i18n.t(Msg::PatrolLabelsHint)}</p>
            </div>
            {move || match checkpoints.get().flatten() {
                None => view! { <p class="muted">{move || i18n.t(Msg::PatrolLoading)}</p> }.into_any(),
                Some(Err(e)) => {
                    let t = api_error_text(i18n, &e);
                    view! { <p class="form-error" data-testid="setup-error">{t}</p> }.into_any()
                }
                Some(Ok(list)) => {
                    let mut list: Vec<Checkpoint> = list.into_iter().filter(|c| c.active).collect();
                    list.sort_by(|a, b| (building_order(&a.building), &a.code).cmp(&(building_order(&b.building), &b.code)));
                    let mut sheets: Vec<(Option<String>, Vec<Checkpoint>)> = Vec::new();
                    for c in list {
                        match sheets.last_mut() {
                            Some((b, cs)) if *b == c.building => cs.push(c),
                            _ => sheets.push((c.building.clone(), vec![c])),
                        }
                    }
                    if sheets.is_empty() {
                        return view! { <p class="empty">{move || i18n.t(Msg::PatrolNoCheckpoints)}</p> }.into_any();
                    }
                    sheets.into_iter().map(|(b, cs)| {
                        let key = b.clone().unwrap_or_default();
                        view! {
                            <section class="label-sheet" data-testid="label-sheet" data-building=key>
                                <h2>{move || match &b {
                                    Some(n) => i18n.tf(Msg::PatrolSheetBuilding, &[("n", n.clone())]),
                                    None => i18n.t(Msg::PatrolSheetOutside).to_owned(),
                                }}</h2>
                                <div class="label-grid">
                                    {cs.into_iter().map(|c| view! {
                                        <figure class="qr-label" data-testid="qr-label" data-code=c.code.clone()>
                                            <div class="qr-crop">
                                                <img src=format!("/api/v1/checkpoints/{}/qr.svg", c.id) alt=c.code.clone() />
                                            </div>
                                            <figcaption>
                                                <span class="label-name">{c.name_zh.clone()}</span>
                                                <span class="label-code mono">{c.code.clone()}</span>
                                            </figcaption>
                                        </figure>
                                    }).collect_view()}
                                </div>
                            </section>
                        }
                    }).collect_view().into_any()
                }
            }}
        </section>
    }
}
