//! The frame around every signed-in page: top bar, offline banner, and the navigation that is
//! a bottom bar on phones and a side rail on tablets. Also the guard that checks the role.

use crate::i18n::{role_msg, use_i18n, Lang, Msg};
use crate::offline::use_sync_status;
use crate::pages::errors::Forbidden;
use domain::access::{home_area, Area};
use domain::session::StaffProfile;
use leptos::prelude::*;

/// The signed-in profile, if any.
pub fn use_profile() -> Option<StaffProfile> {
    use_context::<Option<StaffProfile>>().flatten()
}

/// Sends the browser to the sign-in page: a 303 while rendering on the server, a page load in
/// the browser.
pub fn to_login() {
    #[cfg(feature = "ssr")]
    leptos_axum::redirect("/login");
    #[cfg(feature = "hydrate")]
    crate::browser::go("/login");
}

/// Renders `children` inside the frame when the signed-in role may use `area` (any signed-in
/// role when `area` is `None`); otherwise the 403 page (with status 403) or the sign-in page.
#[component]
pub fn Guarded(area: Option<Area>, children: ChildrenFn) -> impl IntoView {
    match use_profile() {
        None => {
            to_login();
            view! { <p class="muted">"…"</p> }.into_any()
        }
        Some(p) if area.is_some_and(|a| !a.allows(p.role)) => {
            #[cfg(feature = "ssr")]
            if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
                resp.set_status(http::StatusCode::FORBIDDEN);
            }
            view! {
                <Frame profile=p.clone()>
                    <Forbidden role=p.role />
                </Frame>
            }
            .into_any()
        }
        Some(p) => view! { <Frame profile=p>{children()}</Frame> }.into_any(),
    }
}

#[component]
pub fn Frame(profile: StaffProfile, children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let role = profile.role;
    let home = home_area(role).path();
    let site_names = profile
        .sites
        .iter()
        .map(|s| s.name.clone())
        .collect::<Vec<_>>()
        .join("、");
    let show_units = Area::ResidentDirectory.allows(role) && home != Area::ResidentDirectory.path();
    let show_review = Area::EngBoard.allows(role);
    let online = RwSignal::new(true);
    // The server renders "online"; the real state is read after hydration (an Effect runs
    // then), or the first client render would differ from the HTML and hydration would fail.
    #[cfg(feature = "hydrate")]
    {
        Effect::new(move |_| online.set(crate::browser::is_online()));
        let _ =
            leptos::prelude::window_event_listener(leptos::ev::online, move |_| online.set(true));
        let _ =
            leptos::prelude::window_event_listener(leptos::ev::offline, move |_| online.set(false));
    }
    let toggle = move |_| {
        i18n.set(match i18n.0.get_untracked() {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        })
    };
    view! {
        <div class="frame" data-role=role.code()>
            <header class="topbar">
                <a class="brand" href=home>{move || i18n.t(Msg::AppName)}</a>
                <span class="site">{site_names}</span>
                <span class="who">
                    {profile.display_name.clone()} " · " {move || i18n.t(role_msg(role))}
                </span>
                <SyncBadge />
                <button class="lang" id="lang-toggle" on:click=toggle>
                    {move || i18n.t(Msg::LangSwitch)}
                </button>
            </header>
            <Show when=move || !online.get()>
                <div class="offline-banner" role="status">{move || i18n.t(Msg::OfflineBanner)}</div>
            </Show>
            <main class="content">{children()}</main>
            <nav class="mainnav" aria-label=move || i18n.t(Msg::NavMain)>
                <a href=home>
                    <span class="ico" aria-hidden="true">"⌂"</span>
                    <span>{move || i18n.t(Msg::NavHome)}</span>
                </a>
                <Show when=move || show_units>
                    <a href="/units">
                        <span class="ico" aria-hidden="true">"⌕"</span>
                        <span>{move || i18n.t(Msg::NavUnits)}</span>
                    </a>
                </Show>
                <Show when=move || show_review>
                    <a href="/conflicts">
                        <span class="ico" aria-hidden="true">"⚖"</span>
                        <span>{move || i18n.t(Msg::ReviewLink)}</span>
                    </a>
                </Show>
                <a href="/me">
                    <span class="ico" aria-hidden="true">"☺"</span>
                    <span>{move || i18n.t(Msg::NavMe)}</span>
                </a>
            </nav>
        </div>
    }
}

/// The unsynced-work badge on every signed-in screen; opens the outbox.
#[component]
pub fn SyncBadge() -> impl IntoView {
    let i18n = use_i18n();
    let st = use_sync_status();
    let text = move || {
        if st.attention.get() > 0 {
            i18n.tf(
                Msg::SyncBadgeAttention,
                &[("n", st.attention.get().to_string())],
            )
        } else {
            match st.pending.get() {
                None => "…".to_owned(),
                Some(0) if st.last_sync.get().is_some() => i18n.t(Msg::SyncBadgeSynced).to_owned(),
                Some(0) => i18n.t(Msg::SyncBadgeNever).to_owned(),
                Some(n) => i18n.tf(Msg::SyncBadgePending, &[("n", n.to_string())]),
            }
        }
    };
    let class = move || {
        let mut c = "sync-badge".to_owned();
        if st.attention.get() > 0 {
            c.push_str(" attention");
        } else if st.pending.get().unwrap_or(0) > 0 {
            c.push_str(" pending");
        }
        if st.syncing.get() {
            c.push_str(" syncing");
        }
        c
    };
    view! {
        <a href="/outbox" id="sync-badge" class=class
            data-pending=move || st.pending.get().map(|n| n.to_string()).unwrap_or_default()
            data-attention=move || st.attention.get().to_string()>
            {text}
        </a>
    }
}
