//! `/me`: the account page: role, sites, language, storage on this device, sign-out.

use crate::frame::{use_profile, Guarded};
use crate::i18n::{role_msg, use_i18n, Lang, Msg};
use leptos::prelude::*;

#[component]
pub fn MePage() -> impl IntoView {
    view! {
        <Guarded area=None>
            <Me />
        </Guarded>
    }
}

/// Bytes as people read them.
pub fn human_bytes(b: f64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut v = b;
    let mut i = 0;
    while v >= 1024.0 && i < UNITS.len() - 1 {
        v /= 1024.0;
        i += 1;
    }
    if i == 0 {
        format!("{v:.0} {}", UNITS[i])
    } else {
        format!("{v:.1} {}", UNITS[i])
    }
}

#[component]
fn Me() -> impl IntoView {
    let i18n = use_i18n();
    let Some(p) = use_profile() else {
        return ().into_any();
    };
    let role = p.role;
    let sites = p
        .sites
        .iter()
        .map(|s| s.name.clone())
        .collect::<Vec<_>>()
        .join("、");
    let storage = LocalResource::new(|| async {
        #[cfg(feature = "hydrate")]
        {
            let est = crate::browser::storage_estimate().await;
            let persisted = crate::browser::storage_persisted().await;
            (est, persisted)
        }
        #[cfg(not(feature = "hydrate"))]
        {
            (None::<(f64, f64)>, None::<bool>)
        }
    });
    let sync = crate::offline::use_sync_status();
    let warn = RwSignal::new(false);
    let do_logout = move || {
        leptos::task::spawn_local(async move {
            let _ = crate::api::logout().await;
            #[cfg(feature = "hydrate")]
            {
                crate::browser::clear_page_cache();
                crate::browser::go("/login");
            }
        });
    };
    // Unsynced work stays in this staff member's store; warn before leaving it behind.
    let logout = move |_| {
        if sync.pending.get_untracked().unwrap_or(0) > 0 && !warn.get_untracked() {
            warn.set(true);
        } else {
            do_logout();
        }
    };
    view! {
        <section class="me">
            <h1>{move || i18n.t(Msg::MeTitle)}</h1>
            <dl class="card">
                <dt>{move || i18n.t(Msg::MeRole)}</dt>
                <dd id="me-role">{move || i18n.t(role_msg(role))}</dd>
                <dt>{move || i18n.t(Msg::MeSites)}</dt>
                <dd>{sites}</dd>
                <dt>{move || i18n.t(Msg::MeLanguage)}</dt>
                <dd>
                    <button class="button" id="me-lang"
                        on:click=move |_| i18n.set(if i18n.0.get_untracked() == Lang::Zh { Lang::En } else { Lang::Zh })>
                        {move || i18n.t(Msg::LangSwitch)}
                    </button>
                </dd>
                <dt>{move || i18n.t(Msg::MeStorage)}</dt>
                <dd id="me-storage">
                    <Suspense fallback=|| "…">
                        {move || storage.get().map(|(est, persisted)| {
                            let usage = match est {
                                Some((used, quota)) => i18n.tf(Msg::MeStorageUsage, &[
                                    ("used", human_bytes(used)), ("quota", human_bytes(quota))]),
                                None => i18n.t(Msg::MeStorageUnknown).to_owned(),
                            };
                            let persist = match persisted {
                                Some(true) => i18n.t(Msg::MeStoragePersisted),
                                _ => i18n.t(Msg::MeStorageNotPersisted),
                            };
                            view! { <p>{usage}</p><p class="muted small">{persist}</p> }
                        })}
                    </Suspense>
                </dd>
            </dl>
            <Show when=move || warn.get()>
                <div class="confirm card" id="logout-warning" role="alertdialog">
                    <p>{move || i18n.tf(Msg::MeLogoutWarning, &[("n", sync.pending.get().unwrap_or(0).to_string())])}</p>
                    <button class="button" on:click=move |_| warn.set(false)>{move || i18n.t(Msg::OutboxCancel)}</button>
                </div>
            </Show>
            <button class="button danger" id="logout" on:click=logout>
                {move || if warn.get() { i18n.t(Msg::MeLogoutConfirm) } else { i18n.t(Msg::MeLogout) }}
            </button>
        </section>
    }
    .into_any()
}
