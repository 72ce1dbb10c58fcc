//! Front-desk procedures: `/desk/lock-openings` (撬锁), `/desk/renovations` (装修), `/desk/police`
//! (公安查阅业户资料). Online screens over the server's REST API; the rules are the domain's,
//! and the server decides.

mod lock;
mod police;
mod renovation;

pub use lock::{LockOpeningPage, LockOpeningsPage};
pub use police::PolicePage;
pub use renovation::{RenovationPage, RenovationsPage};

use crate::api;
use crate::frame::use_profile;
use crate::i18n::{use_i18n, Msg};
use crate::pages::privacy::refusal_text;
use domain::reference::UnitCard;
use domain::sync::wire::BlobRef;
use leptos::prelude::*;

/// The signed-in staff member's first site (the demo staff have one; the administrator sees
/// the first of theirs).
pub(crate) fn first_site() -> String {
    use_profile()
        .and_then(|p| p.sites.first().map(|s| s.id.to_string()))
        .unwrap_or_default()
}

/// Percent-encodes a query value (unit queries hold 栋 and 单元).
pub(crate) fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A message line: `(ok, text)`.
pub(crate) fn message_view(m: RwSignal<Option<(bool, String)>>) -> impl IntoView {
    move || {
        m.get().map(|(ok, text)| {
            let class = if ok { "form-ok" } else { "form-error" };
            view! { <p class=class data-testid="desk-message" role="status">{text}</p> }
        })
    }
}

/// Type a unit (`6-2-802`), press 查找, pick it: `picked` gets the unit.
#[component]
pub(crate) fn UnitPicker(site: String, picked: RwSignal<Option<UnitCard>>) -> impl IntoView {
    let i18n = use_i18n();
    let query = RwSignal::new(String::new());
    let found = RwSignal::new(None::<Result<Vec<UnitCard>, String>>);
    let find = move |_| {
        let q = query.get_untracked();
        if q.trim().is_empty() {
            return;
        }
        let url = format!("/api/v1/sites/{site}/units?q={}", encode(q.trim()));
        leptos::task::spawn_local(async move {
            let r = api::get_json::<Vec<UnitCard>>(&url).await;
            match r {
                Ok(list) => {
                    if list.len() == 1 {
                        picked.set(list.first().cloned());
                    }
                    found.set(Some(Ok(list)));
                }
                Err(e) => found.set(Some(Err(refusal_text(i18n, &e)))),
            }
        });
    };
    view! {
        <div class="desk-unit-picker">
            <label>
                <span>{move || i18n.t(Msg::DeskUnit)}</span>
                <span class="inline">
                    <input data-testid="unit-query" bind:value=query
                        placeholder=move || i18n.t(Msg::DeskUnitPlaceholder) />
                    <button type="button" class="button" data-testid="unit-find" on:click=find>
                        {move || i18n.t(Msg::DeskFindUnit)}
                    </button>
                </span>
            </label>
            {move || match found.get() {
                None => ().into_any(),
                Some(Err(e)) => view! { <p class="form-error">{e}</p> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p class="empty">{move || i18n.t(Msg::DeskNoUnit)}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <div class="desk-unit-choices">
                        {list.into_iter().map(|u| {
                            let id = u.id;
                            let label = u.label.clone();
                            let chosen = move || picked.get().is_some_and(|p| p.id == id);
                            view! {
                                <button type="button" class="button unit-choice" data-testid="unit-choice"
                                    class:primary=chosen on:click=move |_| picked.set(Some(u.clone()))>
                                    {label}
                                </button>
                            }
                        }).collect_view()}
                    </div>
                }.into_any(),
            }}
        </div>
    }
}

/// A photo input: the picture is compressed, kept on the device and uploaded by the sync
/// engine (like repair photos); `photo` gets its reference.
#[component]
pub(crate) fn PhotoInput(
    photo: RwSignal<Option<BlobRef>>,
    label: Msg,
    #[prop(into)] testid: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let failed = RwSignal::new(false);
    let on_change = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let Some(input) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            else {
                return;
            };
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            leptos::task::spawn_local(async move {
                let stored = match crate::browser::compress_photo(file).await {
                    Ok((bytes, ct)) => crate::offline::client::put_photo(bytes, ct).await,
                    Err(e) => Err(e),
                };
                match stored {
                    Ok(b) => {
                        photo.set(Some(b));
                        failed.set(false);
                        crate::offline::client::sync_now();
                    }
                    Err(_) => failed.set(true),
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    view! {
        <label class="desk-photo">
            <span>{move || i18n.t(label)}</span>
            <input type="file" accept="image/*" capture="environment" data-testid=testid on:change=on_change />
            {move || photo.get().map(|_| view! { <span class="tag ok">{move || i18n.t(Msg::DeskLockPhotoAdded)}</span> })}
            {move || failed.get().then(|| view! { <span class="form-error">{move || i18n.t(Msg::RepairPhotoFailed)}</span> })}
        </label>
    }
}
