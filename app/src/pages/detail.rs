//! (being built)

use leptos::prelude::*;

#[component]
pub fn OrderDetailPage() -> impl IntoView {
    view! { <p>"…"</p> }
}
