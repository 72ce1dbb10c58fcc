//! The sign-in page.

use crate::api::{self, ApiFailure};
use crate::frame::use_profile;
use crate::i18n::{use_i18n, Lang, Msg};
use domain::access::home_area;
use domain::session::LoginRequest;
use leptos::prelude::*;

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    // Already signed in: straight to the role's home.
    if let Some(p) = use_profile() {
        #[cfg(feature = "ssr")]
        leptos_axum::redirect(home_area(p.role).path());
        #[cfg(not(feature = "ssr"))]
        let _ = p;
    }
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let req = LoginRequest {
            username: username.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
        };
        if req.username.is_empty() || req.password.is_empty() {
            error.set(Some(i18n.t(Msg::LoginInvalid).to_owned()));
            return;
        }
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match api::login(&req).await {
                Ok(profile) => {
                    #[cfg(feature = "hydrate")]
                    {
                        if profile.role.works_offline() {
                            let _ = crate::browser::persist_storage().await;
                        }
                        crate::browser::go(home_area(profile.role).path());
                    }
                    #[cfg(not(feature = "hydrate"))]
                    let _ = profile;
                }
                Err(f) => {
                    busy.set(false);
                    password.set(String::new());
                    error.set(Some(login_error_text(i18n.0.get_untracked(), &f)));
                }
            }
        });
    };

    view! {
        <div class="login-wrap">
            <form class="card login" id="login-form" on:submit=submit>
                <h1>{move || i18n.t(Msg::AppName)}</h1>
                <p class="muted">{move || i18n.t(Msg::LoginTitle)}</p>
                <label>
                    <span>{move || i18n.t(Msg::LoginUsername)}</span>
                    <input name="username" id="username" autocomplete="username" autocapitalize="none"
                        required bind:value=username />
                </label>
                <label>
                    <span>{move || i18n.t(Msg::LoginPassword)}</span>
                    <input name="password" id="password" type="password" autocomplete="current-password"
                        required bind:value=password />
                </label>
                <Show when=move || error.get().is_some()>
                    <p class="form-error" id="login-error" role="alert">{move || error.get()}</p>
                </Show>
                <button type="submit" class="button primary" id="login-submit" disabled=move || busy.get()>
                    {move || if busy.get() { i18n.t(Msg::LoginSubmitting) } else { i18n.t(Msg::LoginSubmit) }}
                </button>
                <p class="muted small">{move || i18n.t(Msg::LoginDemoHint)}</p>
                <button type="button" class="link" id="lang-toggle"
                    on:click=move |_| i18n.set(if i18n.0.get_untracked() == Lang::Zh { Lang::En } else { Lang::Zh })>
                    {move || i18n.t(Msg::LangSwitch)}
                </button>
            </form>
        </div>
    }
}

fn login_error_text(lang: Lang, f: &ApiFailure) -> String {
    match f {
        ApiFailure::Network => lang.text(Msg::LoginOffline).to_owned(),
        ApiFailure::Api { body, .. } => match body.code.as_str() {
            "bad_credentials" => lang.text(Msg::LoginBadCredentials).to_owned(),
            "login_locked" => {
                let mins = (body.retry_after_secs.unwrap_or(60).max(1) + 59) / 60;
                crate::i18n::fill(lang.text(Msg::LoginLocked), &[("n", mins.to_string())])
            }
            "account_disabled" => lang.text(Msg::LoginDisabled).to_owned(),
            "invalid_credentials_format" => lang.text(Msg::LoginInvalid).to_owned(),
            _ => lang.text(Msg::LoginError).to_owned(),
        },
        _ => lang.text(Msg::LoginError).to_owned(),
    }
}
