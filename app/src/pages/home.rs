//! `/` and the home screen of each role.

use crate::api;
use crate::frame::{to_login, use_profile, Guarded};
use crate::i18n::{use_i18n, Msg};
use crate::pages::repairs::OrderList;
use domain::access::{home_area, Area};
use domain::reference::SiteSummary;
use domain::session::StaffProfile;
use leptos::prelude::*;

/// `/`: the role's home when signed in, the sign-in page otherwise.
#[component]
pub fn Root() -> impl IntoView {
    match use_profile() {
        Some(p) => {
            let to = home_area(p.role).path();
            #[cfg(feature = "ssr")]
            leptos_axum::redirect(to);
            #[cfg(feature = "hydrate")]
            crate::browser::go(to);
            #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
            let _ = to;
        }
        None => to_login(),
    }
    view! { <p class="muted">"…"</p> }
}

pub fn role_home(area: Area) -> impl IntoView {
    view! {
        <Guarded area=Some(area)>
            <RoleHome area />
        </Guarded>
    }
}

#[component]
pub fn RoleHome(area: Area) -> impl IntoView {
    let i18n = use_i18n();
    let Some(profile) = use_profile() else {
        return ().into_any();
    };
    let name = profile.display_name.clone();
    let role = profile.role;
    let title = match area {
        Area::TechHome => Msg::HomeTechTitle,
        Area::PatrolHome => Msg::HomePatrolTitle,
        Area::DeskHome => Msg::HomeDeskTitle,
        Area::EngBoard => Msg::HomeEngTitle,
        Area::CsBoard => Msg::HomeCsTitle,
        Area::CenterBoard => Msg::HomeCenterTitle,
        Area::FinanceHome => Msg::HomeFinanceTitle,
        Area::SecurityHome => Msg::HomeSecurityTitle,
        Area::Admin
        | Area::ResidentDirectory
        | Area::Visits
        | Area::VisitReports
        | Area::SiteSettings => Msg::HomeAdminTitle,
    };
    let new_repair = move || {
        view! { <a class="tile primary-tile" id="new-repair" href="/repairs/new">"＋ " {move || i18n.t(Msg::RepairNew)}</a> }
    };
    let body = match area {
        Area::TechHome => view! { {new_repair()} <OrderList /> }.into_any(),
        Area::PatrolHome => view! {
            <p class="empty">{move || i18n.t(Msg::HomePatrolEmpty)}</p>
            <a class="tile" id="return-visits-link" href="/return-visits">{move || i18n.t(Msg::HomeReturnVisits)}</a>
            <a class="tile" id="renovations-link" href="/desk/renovations">{move || i18n.t(Msg::DeskRenoPatrolHome)}</a>
            {new_repair()}
            <OrderList />
        }
        .into_any(),
        Area::DeskHome => view! {
            {new_repair()}
            <a class="tile" href="/units">{move || i18n.t(Msg::HomeDeskLookup)}</a>
            <a class="tile" id="complaints-link" href="/complaints">{move || i18n.t(Msg::HomeComplaints)}</a>
            <a class="tile" id="return-visits-link" href="/return-visits">{move || i18n.t(Msg::HomeReturnVisits)}</a>
            <a class="tile" id="visits-link" href="/visits">{move || i18n.t(Msg::HomeVisits)}</a>
            <a class="tile" id="surveys-link" href="/surveys">{move || i18n.t(Msg::HomeSurveys)}</a>
            <a class="tile" id="release-link" href="/desk/passes">{move || i18n.t(Msg::ReleaseLinkDesk)}</a>
            <a class="tile" id="lock-openings-link" href="/desk/lock-openings">{move || i18n.t(Msg::DeskLinkLock)}</a>
            <a class="tile" id="renovations-link" href="/desk/renovations">{move || i18n.t(Msg::DeskLinkRenovation)}</a>
            <a class="tile" id="police-link" href="/desk/police">{move || i18n.t(Msg::DeskLinkPolice)}</a>
            <a class="tile" id="move-in-link" href="/desk/move-in">{move || i18n.t(Msg::FdHomeMoveIn)}</a>
            <a class="tile" id="move-out-link" href="/desk/move-out">{move || i18n.t(Msg::FdHomeMoveOut)}</a>
            <a class="tile" id="facilities-link" href="/desk/facilities">{move || i18n.t(Msg::FdHomeFacilities)}</a>
            <a class="tile" id="notices-link" href="/notices">{move || i18n.t(Msg::FdHomeNotices)}</a>
            <crate::pages::notices::NoticeStrip />
            <OrderList />
        }
        .into_any(),
        Area::SecurityHome => view! {
            <a class="tile primary-tile" id="gate-link" href="/gate">{move || i18n.t(Msg::ReleaseLinkGate)}</a>
            <a class="tile" id="lock-openings-link" href="/desk/lock-openings">{move || i18n.t(Msg::DeskLinkLock)}</a>
            <a class="tile" id="renovations-link" href="/desk/renovations">{move || i18n.t(Msg::DeskRenoPatrolHome)}</a>
            <a class="tile" id="move-out-link" href="/desk/move-out">{move || i18n.t(Msg::FdHomeMoveOut)}</a>
            <a class="tile" id="notices-link" href="/notices">{move || i18n.t(Msg::FdHomeNotices)}</a>
            <a class="tile" href="/units">{move || i18n.t(Msg::HomeDeskLookup)}</a>
        }
        .into_any(),
        Area::FinanceHome => view! {
            <a class="tile" id="move-in-link" href="/desk/move-in">{move || i18n.t(Msg::FdHomeMoveIn)}</a>
            <a class="tile" id="move-out-link" href="/desk/move-out">{move || i18n.t(Msg::FdHomeMoveOut)}</a>
            <a class="tile" id="renovations-link" href="/desk/renovations">{move || i18n.t(Msg::DeskLinkRenovation)}</a>
            <a class="tile" href="/units">{move || i18n.t(Msg::HomeDeskLookup)}</a>
        }
        .into_any(),
        Area::CsBoard | Area::CenterBoard => view! {
            <a class="tile primary-tile" id="care-link" href="/care">{move || i18n.t(Msg::HomeCare)}</a>
            <a class="tile" id="renovations-link" href="/desk/renovations">{move || i18n.t(Msg::DeskLinkRenovation)}</a>
            <a class="tile" id="police-link" href="/desk/police">{move || i18n.t(Msg::DeskLinkPolice)}</a>
            <a class="tile" id="audit-link" href="/audit">{move || i18n.t(Msg::DeskLinkAudit)}</a>
            <a class="tile" id="complaints-link" href="/complaints">{move || i18n.t(Msg::HomeComplaints)}</a>
            <a class="tile" id="return-visits-link" href="/return-visits">{move || i18n.t(Msg::HomeReturnVisits)}</a>
            <a class="tile" id="patrol-manage" href="/patrol/manage">{move || i18n.t(Msg::HomePatrolManage)}</a>
            <a class="tile" id="patrol-setup" href="/patrol/checkpoints">{move || i18n.t(Msg::HomePatrolSetup)}</a>
            <a class="tile" id="visits-link" href="/visits">{move || i18n.t(Msg::HomeVisits)}</a>
            <a class="tile" id="visit-reports-link" href="/visits/reports">{move || i18n.t(Msg::HomeVisitReports)}</a>
            <a class="tile" id="surveys-link" href="/surveys">{move || i18n.t(Msg::HomeSurveys)}</a>
            <a class="tile" id="move-in-link" href="/desk/move-in">{move || i18n.t(Msg::FdHomeMoveIn)}</a>
            <a class="tile" id="move-out-link" href="/desk/move-out">{move || i18n.t(Msg::FdHomeMoveOut)}</a>
            <a class="tile" id="facilities-link" href="/desk/facilities">{move || i18n.t(Msg::FdHomeFacilities)}</a>
            <a class="tile" id="notices-link" href="/notices">{move || i18n.t(Msg::FdHomeNotices)}</a>
            <Show when=move || Area::SiteSettings.allows(role)>
                <a class="tile" id="settings-link" href="/settings">{move || i18n.t(Msg::HomeSettings)}</a>
            </Show>
            <OrderList />
            <SiteSummaries profile=profile.clone() />
        }
        .into_any(),
        Area::EngBoard => view! {
            <a class="tile" id="renovations-link" href="/desk/renovations">{move || i18n.t(Msg::DeskLinkRenovation)}</a>
            <a class="tile" id="lock-openings-link" href="/desk/lock-openings">{move || i18n.t(Msg::DeskLinkLock)}</a>
            <a class="tile" id="move-in-link" href="/desk/move-in">{move || i18n.t(Msg::FdHomeMoveIn)}</a>
            <OrderList />
            <SiteSummaries profile=profile.clone() />
        }
        .into_any(),
        Area::Admin
        | Area::ResidentDirectory
        | Area::Visits
        | Area::VisitReports
        | Area::SiteSettings => view! {
            <a class="tile primary-tile" id="settings-link" href="/settings">{move || i18n.t(Msg::HomeSettings)}</a>
            <SiteSummaries profile=profile.clone() />
        }
        .into_any(),
    };
    view! {
        <section class="home" id="home" data-area=area.path()>
            <h1 id="home-title">{move || i18n.t(title)}</h1>
            <p class="muted">{move || i18n.tf(Msg::HomeGreeting, &[("name", name.clone())])}</p>
            {body}
        </section>
    }
    .into_any()
}

/// The site cards of a manager's home (小区概况 with the month's visit quota).
#[component]
pub fn SiteSummaries(profile: StaffProfile) -> impl IntoView {
    profile
        .sites
        .into_iter()
        .map(|s| view! { <SiteSummaryCard site_id=s.id.to_string() /> })
        .collect_view()
}

#[component]
fn SiteSummaryCard(site_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let url = format!("/api/v1/sites/{site_id}/summary");
    let summary = LocalResource::new(move || {
        let url = url.clone();
        async move { api::get_json::<SiteSummary>(&url).await }
    });
    view! {
        <section class="card summary">
            <Suspense fallback=move || view! { <p class="muted">{move || i18n.t(Msg::SummaryLoading)}</p> }>
                {move || summary.get().map(|r| match r {
                    Ok(s) => view! { <SummaryBody s /> }.into_any(),
                    Err(e) => view! {
                        <p class="form-error">{move || i18n.tf(Msg::SummaryFailed, &[("code", e.code())])}</p>
                    }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn SummaryBody(s: SiteSummary) -> impl IntoView {
    let i18n = use_i18n();
    let q = s.visit_quota;
    let stat = move |label: Msg, value: u32| {
        view! {
            <div class="stat">
                <span class="value">{value}</span>
                <span class="label">{move || i18n.t(label)}</span>
            </div>
        }
    };
    view! {
        <h2>{s.site.name.clone()} " · " {move || i18n.t(Msg::SummaryTitle)}</h2>
        <div class="stats">
            {stat(Msg::SummaryBuildings, s.buildings)}
            {stat(Msg::SummaryUnits, s.units)}
            {stat(Msg::SummaryOccupied, s.occupied_units)}
            {stat(Msg::SummaryResidents, s.residents)}
            {stat(Msg::SummaryCatalogue, s.catalogue_items)}
            {stat(Msg::SummarySuppliers, s.supplier_items)}
            {stat(Msg::SummaryStaff, s.staff)}
        </div>
        <h3>{move || i18n.t(Msg::SummaryQuota)}</h3>
        <p class="quota" id="visit-quota">
            {move || i18n.tf(Msg::SummaryQuotaDetail, &[
                ("n", q.occupied_households.to_string()),
                ("rate", q.rate_percent.to_string()),
                ("visits", q.visits_required.to_string()),
            ])}
        </p>
    }
}
