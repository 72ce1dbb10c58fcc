//! The Leptos UI, rendered on the server (`ssr`) and hydrated in the browser (`hydrate`).
//! Pages are split by capability under `pages/`; no SQL here: data comes from the server's JSON
//! API or, for offline work, from the device's own store.

// Leptos view types nest deeply on the larger screens (job flow, order detail).
#![recursion_limit = "256"]

pub mod api;
pub mod boot;
#[cfg(feature = "hydrate")]
pub mod browser;
pub mod frame;
pub mod i18n;
pub mod offline;
pub mod pages;

use boot::{Boot, BOOT_ELEMENT_ID};
use domain::access::Area;
use i18n::I18n;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

/// The whole HTML document (server only; the browser hydrates `<App/>` inside it).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let boot = boot::current();
    let boot_json = boot.to_script_json();
    view! {
        <!DOCTYPE html>
        <html lang=boot.lang.code()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover" />
                <meta name="theme-color" content="#0f766e" />
                <link rel="manifest" href="/manifest.webmanifest" />
                <link rel="icon" type="image/png" href="/icons/icon-192.png" />
                <link rel="apple-touch-icon" href="/icons/icon-192.png" />
                <script id=BOOT_ELEMENT_ID type="application/json" inner_html=boot_json></script>
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let Boot { profile, lang } = boot::current();
    let i18n = I18n(RwSignal::new(lang));
    provide_context(i18n);
    let sync = offline::SyncStatus::new();
    provide_context(sync);
    #[cfg(feature = "hydrate")]
    if let Some(p) = profile.clone() {
        leptos::task::spawn_local(async move {
            if let Err(e) = offline::engine::start(p, sync).await {
                leptos::logging::error!("offline store unavailable: {e}");
                sync.last_error.set(Some("local_storage".into()));
            }
        });
    }
    provide_context(profile);
    view! {
        <Stylesheet id="leptos" href="/pkg/wuye.css" />
        <Title text=move || i18n.t(i18n::Msg::AppName) />
        <Router>
            <Routes fallback=pages::errors::NotFound>
                <Route path=path!("/") view=pages::home::Root />
                <Route path=path!("/login") view=pages::login::LoginPage />
                <Route path=path!("/me") view=pages::me::MePage />
                <Route path=path!("/units") view=pages::units::UnitsPage />
                <Route path=path!("/outbox") view=pages::outbox::OutboxPage />
                <Route path=path!("/repairs/new") view=pages::repairs::NewRepairPage />
                <Route path=path!("/conflicts") view=pages::review::ReviewPage />
                <Route path=path!("/repairs/:id") view=pages::detail::OrderDetailPage />
                <Route path=path!("/repairs/:id/print") view=pages::print::PrintPage />
                <Route path=path!("/tech") view=pages::tech::TechHomePage />
                <Route path=path!("/tech/jobs/:id") view=pages::tech::JobPage />
                <Route path=path!("/patrol") view=pages::patrol::PatrolHomePage />
                <Route path=path!("/patrol/rounds/:id") view=pages::patrol::RoundPage />
                <Route path=path!("/patrol/manage") view=pages::patrol::PatrolManagerPage />
                <Route path=path!("/patrol/reports/:id") view=pages::patrol::RoundReportPage />
                <Route path=path!("/patrol/checkpoints") view=pages::patrol::CheckpointsPage />
                <Route path=path!("/patrol/labels") view=pages::patrol::LabelsPage />
                <Route path=path!("/complaints") view=pages::care::ComplaintsPage />
                <Route path=path!("/complaints/:id") view=pages::care::ComplaintPage />
                <Route path=path!("/return-visits") view=pages::care::ReturnVisitsPage />
                <Route path=path!("/return-visits/:id") view=pages::care::ReturnVisitPage />
                <Route path=path!("/care") view=pages::care::CareDashboardPage />
                <Route path=path!("/surveys") view=pages::survey::SurveyListPage />
                <Route path=path!("/surveys/new") view=pages::survey::NewSurveyPage />
                <Route path=path!("/surveys/:id") view=pages::survey::SurveyPage />
                <Route path=path!("/surveys/:id/results") view=pages::survey::SurveyResultsPage />
                <Route path=path!("/desk") view=|| pages::home::role_home(Area::DeskHome) />
                <Route path=path!("/desk/passes") view=pages::release::DeskPassesPage />
                <Route path=path!("/desk/passes/:id") view=pages::release::PassDetailPage />
                <Route path=path!("/desk/passes/:id/print") view=pages::release::PassPrintPage />
                <Route path=path!("/gate") view=pages::release::GatePage />
                <Route path=path!("/finance/release-bills") view=pages::release::ReleaseBillsPage />
                <Route path=path!("/eng") view=pages::board::EngBoardPage />
                <Route path=path!("/cs") view=|| pages::home::role_home(Area::CsBoard) />
                <Route path=path!("/center") view=|| pages::home::role_home(Area::CenterBoard) />
                <Route path=path!("/finance") view=pages::billing::FinancePage />
                <Route path=path!("/security") view=|| pages::home::role_home(Area::SecurityHome) />
                <Route path=path!("/visits") view=pages::visits::VisitsPage />
                <Route path=path!("/visits/new") view=pages::visits::NewVisitPage />
                <Route path=path!("/visits/unvisited") view=pages::visits::UnvisitedPage />
                <Route path=path!("/visits/reports") view=pages::visits::VisitReportsPage />
                <Route path=path!("/settings") view=pages::settings::SettingsPage />
                <Route path=path!("/desk/lock-openings") view=pages::desk::LockOpeningsPage />
                <Route path=path!("/desk/lock-openings/:id") view=pages::desk::LockOpeningPage />
                <Route path=path!("/desk/renovations") view=pages::desk::RenovationsPage />
                <Route path=path!("/desk/renovations/:id") view=pages::desk::RenovationPage />
                <Route path=path!("/desk/police") view=pages::desk::PolicePage />
                <Route path=path!("/audit") view=pages::privacy::AuditPage />
                <Route path=path!("/desk/move-in") view=pages::occupancy::MoveInListPage />
                <Route path=path!("/desk/move-in/:id") view=pages::occupancy::MoveInPage />
                <Route path=path!("/desk/move-out") view=pages::occupancy::MoveOutListPage />
                <Route path=path!("/desk/move-out/:id") view=pages::occupancy::MoveOutPage />
                <Route path=path!("/desk/facilities") view=pages::facilities::FacilitiesPage />
                <Route path=path!("/notices") view=pages::notices::NoticesPage />
                <Route path=path!("/notices/:id/print") view=pages::notices::NoticePrintPage />
                <Route path=path!("/admin") view=|| pages::home::role_home(Area::Admin) />
            </Routes>
        </Router>
    }
}

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
    browser::mark_hydrated();
    browser::register_service_worker();
}
