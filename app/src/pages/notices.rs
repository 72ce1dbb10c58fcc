//! `/notices`: 通知 / 温馨提示 (requirements §2.23; S4 items 41–42). Staff see what is on the
//! board today (current and upcoming) and what came down (archived after its expiry date — by
//! the date, nothing runs); the front office publishes (a drill at least 3 days ahead).
//! `/notices/:id/print`: the notice for the board, A4, large type.

use crate::api::{self, ApiFailure};
use crate::frame::Guarded;
use crate::i18n::{use_i18n, Msg};
use crate::pages::occupancy::{error_text, first_site, front_office, role, show_error, FormError};
use domain::notices::{NoticeBoard, NoticeKind, NoticeState, NoticeView};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde_json::json;

pub fn kind_msg(k: NoticeKind) -> Msg {
    match k {
        NoticeKind::Outage => Msg::FdNtKindOutage,
        NoticeKind::Cleaning => Msg::FdNtKindCleaning,
        NoticeKind::PestControl => Msg::FdNtKindPestControl,
        NoticeKind::FireDrill => Msg::FdNtKindFireDrill,
        NoticeKind::LiftMaintenance => Msg::FdNtKindLiftMaintenance,
        NoticeKind::Other => Msg::FdNtKindOther,
    }
}

#[component]
pub fn NoticesPage() -> impl IntoView {
    view! {
        <Guarded area=None>
            <Notices />
        </Guarded>
    }
}

fn notice_item(v: NoticeView) -> impl IntoView {
    let i18n = use_i18n();
    let n = v.record;
    let period = i18n.tf(
        Msg::FdNtPeriod,
        &[
            ("from", n.effective_from.to_string()),
            ("until", n.effective_until.to_string()),
        ],
    );
    let posted = i18n.tf(Msg::FdNtPostedUntil, &[("date", n.expires_on.to_string())]);
    let upcoming = v.state == NoticeState::Upcoming;
    let kind = n.kind;
    view! {
        <li class="fd-notice" data-testid="notice" data-title=n.title.clone() data-state=match v.state {
            NoticeState::Upcoming => "upcoming", NoticeState::Current => "current", NoticeState::Archived => "archived" }>
            <div><span class="fd-tag">{move || i18n.t(kind_msg(kind))}</span> " " <strong>{n.title.clone()}</strong>
                {upcoming.then(|| view! { " · " <span class="fd-status">{move || i18n.t(Msg::FdNtUpcoming)}</span> })}</div>
            <p>{n.body.clone()}</p>
            <p class="muted">{period} " · " {posted} " · "
                <a href=format!("/notices/{}/print", n.id) data-testid="notice-print">{move || i18n.t(Msg::FdPrint)}</a></p>
        </li>
    }
}

#[component]
fn Notices() -> impl IntoView {
    let i18n = use_i18n();
    let site = first_site();
    let reload = RwSignal::new(0u32);
    let board = RwSignal::new(None::<Result<NoticeBoard, ApiFailure>>);
    {
        let site = site.clone();
        Effect::new(move |_| {
            reload.track();
            let url = format!("/api/v1/sites/{site}/notices");
            leptos::task::spawn_local(async move {
                board.set(Some(api::get_json(&url).await));
            });
        });
    }
    let kind = RwSignal::new("outage".to_owned());
    let title = RwSignal::new(String::new());
    let body = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let until = RwSignal::new(String::new());
    let expires = RwSignal::new(String::new());
    let error = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let publish = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let e = expires.get_untracked();
        let payload = json!({"kind": kind.get_untracked(), "title": title.get_untracked(),
            "body": body.get_untracked(), "effective_from": from.get_untracked(),
            "effective_until": until.get_untracked(),
            "expires_on": if e.is_empty() { json!(null) } else { json!(e) }});
        let url = format!("/api/v1/sites/{site}/notices");
        leptos::task::spawn_local(async move {
            match api::post_json::<NoticeView>(&url, &payload).await {
                Ok(_) => {
                    title.set(String::new());
                    body.set(String::new());
                    reload.update(|n| *n += 1);
                }
                Err(e) => show_error(i18n, error, &e),
            }
            busy.set(false);
        });
    };
    let lists = move || {
        match board.get() {
        None => view! { <p class="muted">{move || i18n.t(Msg::FdLoading)}</p> }.into_any(),
        Some(Err(e)) => view! { <p class="form-error">{error_text(i18n, &e)}</p> }.into_any(),
        Some(Ok(b)) => view! {
            <h2>{move || i18n.t(Msg::FdNtCurrent)}</h2>
            <ul class="fd-list" id="notices-current">{b.current.into_iter().map(notice_item).collect_view()}</ul>
            <details id="notices-archived-box" open>
                <summary>{move || i18n.t(Msg::FdNtArchived)}</summary>
                <ul class="fd-list fd-archived" id="notices-archived">{b.archived.into_iter().map(notice_item).collect_view()}</ul>
            </details>
        }
        .into_any(),
    }
    };
    let form = front_office(role()).then(|| {
        view! {
            <form class="card fd-form" on:submit=|ev| ev.prevent_default()>
                <h2>{move || i18n.t(Msg::FdNtNew)}</h2>
                <label><span>{move || i18n.t(Msg::FdNtKind)}</span>
                    <select data-testid="nt-kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                        {NoticeKind::ALL.map(|k| view! { <option value=k.code()>{move || i18n.t(kind_msg(k))}</option> }).to_vec()}
                    </select>
                </label>
                <Show when=move || kind.get() == "fire_drill">
                    <p class="muted">{move || i18n.t(Msg::FdNtDrillHint)}</p>
                </Show>
                <label><span>{move || i18n.t(Msg::FdNtHeading)}</span><input data-testid="nt-title" bind:value=title /></label>
                <label><span>{move || i18n.t(Msg::FdNtBody)}</span><textarea data-testid="nt-body" rows="3" bind:value=body></textarea></label>
                <label><span>{move || i18n.t(Msg::FdNtFrom)}</span><input type="date" data-testid="nt-from" bind:value=from /></label>
                <label><span>{move || i18n.t(Msg::FdNtUntil)}</span><input type="date" data-testid="nt-until" bind:value=until /></label>
                <label><span>{move || i18n.t(Msg::FdNtExpires)}</span><input type="date" data-testid="nt-expires" bind:value=expires /></label>
                <FormError error />
                <button class="button primary" data-testid="nt-publish" on:click=publish disabled=move || busy.get()>{move || i18n.t(Msg::FdNtPublish)}</button>
            </form>
        }
    });
    view! {
        <section class="fd" id="notices">
            <h1>{move || i18n.t(Msg::FdNtTitle)}</h1>
            {form}
            {lists}
        </section>
    }
}

#[component]
pub fn NoticePrintPage() -> impl IntoView {
    view! {
        <Guarded area=None>
            <NoticePrint />
        </Guarded>
    }
}

#[component]
fn NoticePrint() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let data = RwSignal::new(None::<Result<NoticeView, ApiFailure>>);
    Effect::new(move |_| {
        let url = format!("/api/v1/notices/{}", id.get());
        leptos::task::spawn_local(async move {
            data.set(Some(api::get_json(&url).await));
        });
    });
    let site_name = crate::frame::use_profile()
        .and_then(|p| p.sites.first().map(|s| s.name.clone()))
        .unwrap_or_default();
    move || match data.get() {
        None => view! { <p class="muted">{move || i18n.t(Msg::FdLoading)}</p> }.into_any(),
        Some(Err(e)) => view! { <p class="form-error">{error_text(i18n, &e)}</p> }.into_any(),
        Some(Ok(v)) => {
            let n = v.record;
            let period = i18n.tf(
                Msg::FdNtPeriod,
                &[
                    ("from", n.effective_from.to_string()),
                    ("until", n.effective_until.to_string()),
                ],
            );
            let posted = i18n.tf(Msg::FdNtPostedUntil, &[("date", n.expires_on.to_string())]);
            let published = i18n.tf(Msg::FdNtPublished, &[("date", n.published_on.to_string())]);
            let kind = n.kind;
            view! {
                <div class="print-toolbar no-print">
                    <a href="/notices" class="muted">"‹ " {move || i18n.t(Msg::FdNtTitle)}</a>
                    <button class="button" onclick="window.print()">{move || i18n.t(Msg::FdPrint)}</button>
                </div>
                <article class="fd-print" id="notice-print">
                    <p class="fd-print-kind">{move || i18n.t(kind_msg(kind))}</p>
                    <h1>{n.title.clone()}</h1>
                    <p class="fd-print-body">{n.body.clone()}</p>
                    <p class="fd-print-period">{period}</p>
                    <p class="fd-print-sign">{site_name.clone()} {move || i18n.t(Msg::FdNtOffice)}</p>
                    <p class="fd-print-sign">{published}</p>
                    <p class="fd-print-posted">{posted}</p>
                </article>
            }
            .into_any()
        }
    }
}

/// The notices on the board today, on the desk's home (titles with their period).
#[component]
pub fn NoticeStrip() -> impl IntoView {
    let i18n = use_i18n();
    let site = first_site();
    let board = RwSignal::new(None::<NoticeBoard>);
    Effect::new(move |_| {
        let url = format!("/api/v1/sites/{site}/notices");
        leptos::task::spawn_local(async move {
            board.set(api::get_json(&url).await.ok());
        });
    });
    move || {
        board.get().map(|b| {
            view! {
                <section class="card fd-strip" id="home-notices">
                    <h2><a href="/notices">{move || i18n.t(Msg::FdNtCurrent)}</a></h2>
                    <ul class="fd-list">
                        {b.current.into_iter().map(|v| {
                            let n = v.record;
                            let kind = n.kind;
                            let period = i18n.tf(Msg::FdNtPeriod, &[("from", n.effective_from.to_string()), ("until", n.effective_until.to_string())]);
                            view! {
                                <li data-testid="home-notice" data-title=n.title.clone()>
                                    <span class="fd-tag">{move || i18n.t(kind_msg(kind))}</span> " " {n.title.clone()} " · " <span class="muted">{period}</span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </section>
            }
        })
    }
}
