//! (being built)

use leptos::prelude::*;

#[component]
pub fn TechHomePage() -> impl IntoView {
    crate::pages::home::role_home(domain::access::Area::TechHome)
}

#[component]
pub fn JobPage() -> impl IntoView {
    view! { <p>"…"</p> }
}
