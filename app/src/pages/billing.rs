//! (being built)

use leptos::prelude::*;

#[component]
pub fn FinancePage() -> impl IntoView {
    crate::pages::home::role_home(domain::access::Area::FinanceHome)
}
