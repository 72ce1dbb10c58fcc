//! (being built)

use leptos::prelude::*;

#[component]
pub fn PrintPage() -> impl IntoView {
    view! { <p>"…"</p> }
}
