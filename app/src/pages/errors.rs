//! The 403 and 404 pages.

use crate::i18n::{role_msg, use_i18n, Msg};
use domain::access::home_area;
use domain::people::Role;
use leptos::prelude::*;

#[component]
pub fn Forbidden(role: Role) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card error-page" id="forbidden">
            <h1>"403 · " {move || i18n.t(Msg::ForbiddenTitle)}</h1>
            <p>{move || i18n.tf(Msg::ForbiddenBody, &[("role", i18n.t(role_msg(role)).to_owned())])}</p>
            <a class="button" href=home_area(role).path()>{move || i18n.t(Msg::ForbiddenBack)}</a>
        </section>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
        resp.set_status(http::StatusCode::NOT_FOUND);
    }
    let i18n = use_i18n();
    view! {
        <section class="card error-page" id="not-found">
            <h1>"404 · " {move || i18n.t(Msg::NotfoundTitle)}</h1>
            <p>{move || i18n.t(Msg::NotfoundBody)}</p>
            <a class="button" href="/">{move || i18n.t(Msg::NavHome)}</a>
        </section>
    }
}
