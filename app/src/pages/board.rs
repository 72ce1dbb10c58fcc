//! (being built)

use leptos::prelude::*;

#[component]
pub fn EngBoardPage() -> impl IntoView {
    crate::pages::home::role_home(domain::access::Area::EngBoard)
}
