//! (being built)

use leptos::prelude::*;

#[component]
pub fn PatrolHomePage() -> impl IntoView {
    crate::pages::home::role_home(domain::access::Area::PatrolHome)
}

#[component]
pub fn RoundPage() -> impl IntoView {
    view! { <p>"…"</p> }
}

#[component]
pub fn PatrolManagerPage() -> impl IntoView {
    view! { <p>"…"</p> }
}

#[component]
pub fn RoundReportPage() -> impl IntoView {
    view! { <p>"…"</p> }
}

#[component]
pub fn CheckpointsPage() -> impl IntoView {
    view! { <p>"…"</p> }
}

#[component]
pub fn LabelsPage() -> impl IntoView {
    view! { <p>"…"</p> }
}
