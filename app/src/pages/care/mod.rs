//! Customer care screens: complaints (`/complaints`, `/complaints/:id`), return visits
//! (`/return-visits`, `/return-visits/:id`, phone-sized) and the manager's figures (`/care`,
//! printable). Online screens over `/api/v1` (the rules are `domain::care`).

mod complaints;
mod dashboard;
mod visits;

pub use complaints::{ComplaintPage, ComplaintsPage};
pub use dashboard::CareDashboardPage;
pub use visits::{ReturnVisitPage, ReturnVisitsPage};

use crate::api::ApiFailure;
use crate::i18n::{I18n, Msg};
use crate::offline::client;
use domain::care::complaint::{Channel, Class, Department, MajorGround, Status};
use domain::care::return_visit::VisitReason;
use domain::ids::{SiteId, UnitId};
use domain::work_orders::Rating;
use leptos::prelude::*;

pub fn channel_msg(c: Channel) -> Msg {
    match c {
        Channel::Verbal => Msg::CareChannelVerbal,
        Channel::Phone => Msg::CareChannelPhone,
        Channel::Written => Msg::CareChannelWritten,
        Channel::Visit => Msg::CareChannelVisit,
        Channel::Survey => Msg::CareChannelSurvey,
    }
}

pub fn class_msg(c: Option<Class>) -> Msg {
    match c {
        Some(Class::Major) => Msg::CareClassMajor,
        Some(Class::Important) => Msg::CareClassImportant,
        Some(Class::Minor) => Msg::CareClassMinor,
        None => Msg::CareClassUnset,
    }
}

pub fn ground_msg(g: MajorGround) -> Msg {
    match g {
        MajorGround::RepeatedUnfixed => Msg::CareGroundRepeatedUnfixed,
        MajorGround::LossOrInjury => Msg::CareGroundLossOrInjury,
        MajorGround::UnresolvedOneMonth => Msg::CareGroundUnresolvedOneMonth,
    }
}

pub fn department_msg(d: Department) -> Msg {
    match d {
        Department::CustomerService => Msg::CareDeptCustomerService,
        Department::Engineering => Msg::CareDeptEngineering,
        Department::Security => Msg::CareDeptSecurity,
        Department::Cleaning => Msg::CareDeptCleaning,
        Department::Greening => Msg::CareDeptGreening,
        Department::Finance => Msg::CareDeptFinance,
        Department::Management => Msg::CareDeptManagement,
        Department::Other => Msg::CareDeptOther,
    }
}

pub fn status_msg(s: Status) -> Msg {
    match s {
        Status::Registered => Msg::CareStatusRegistered,
        Status::Replied => Msg::CareStatusReplied,
        Status::Resolved => Msg::CareStatusResolved,
        Status::Closed => Msg::CareStatusClosed,
    }
}

pub fn rating_msg(r: Rating) -> Msg {
    match r {
        Rating::Satisfied => Msg::CareRatingSatisfied,
        Rating::FairlySatisfied => Msg::CareRatingFairlySatisfied,
        Rating::Dissatisfied => Msg::CareRatingDissatisfied,
    }
}

pub const RATINGS: [(Rating, &str); 3] = [
    (Rating::Satisfied, "satisfied"),
    (Rating::FairlySatisfied, "fairly_satisfied"),
    (Rating::Dissatisfied, "dissatisfied"),
];

pub fn reason_msg(r: Option<VisitReason>) -> Msg {
    match r {
        Some(VisitReason::ComplaintClosed) => Msg::CareReasonComplaintClosed,
        Some(VisitReason::RepairDissatisfied) => Msg::CareReasonRepairDissatisfied,
        Some(VisitReason::RepairUnrated) => Msg::CareReasonRepairUnrated,
        Some(VisitReason::RepairUnsigned) => Msg::CareReasonRepairUnsigned,
        Some(VisitReason::RepairPolicy) => Msg::CareReasonRepairPolicy,
        Some(VisitReason::RepairTopUp) => Msg::CareReasonRepairTopUp,
        Some(VisitReason::SurveyDissatisfied) => Msg::CareReasonSurveyDissatisfied,
        None => Msg::CareReasonOther,
    }
}

pub fn failure_text(i18n: I18n, e: &ApiFailure) -> String {
    match e {
        ApiFailure::Network => i18n.t(Msg::CareOnlineOnly).to_owned(),
        other => i18n.tf(Msg::CareFailed, &[("code", other.code())]),
    }
}

/// A unit of `site` found by its number (`3-1-501`, `3栋1单元501`) in the device's reference
/// data.
#[component]
pub fn UnitPicker(
    site: Signal<Option<SiteId>>,
    unit: RwSignal<Option<(UnitId, String)>>,
) -> impl IntoView {
    let i18n = crate::i18n::use_i18n();
    let query = RwSignal::new(String::new());
    let reference = LocalResource::new(|| async { client::reference().await });
    let matches = move || {
        let q = query.get();
        let site = site.get();
        reference
            .get()
            .flatten()
            .map(|r| {
                r.find_units(&q)
                    .into_iter()
                    .filter(|u| Some(u.site_id) == site)
                    .map(|u| (u.id, u.label.clone()))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    view! {
        <label>
            <span>{move || i18n.t(Msg::CareUnit)}</span>
            <input data-testid="care-unit" bind:value=query autocomplete="off" />
        </label>
        <div class="unit-picks">
            {move || {
                let q = query.get();
                if q.trim().is_empty() || unit.get().is_some_and(|(_, l)| l == q) {
                    return ().into_any();
                }
                let list = matches();
                if list.is_empty() {
                    return view! { <p class="muted small">{move || i18n.t(Msg::CareUnitNone)}</p> }.into_any();
                }
                list.into_iter()
                    .map(|(id, label)| {
                        let l2 = label.clone();
                        view! {
                            <button type="button" class="pick" data-testid="care-unit-pick" on:click=move |_| {
                                unit.set(Some((id, l2.clone())));
                                query.set(l2.clone());
                            }>{label}</button>
                        }
                    })
                    .collect_view()
                    .into_any()
            }}
        </div>
    }
}
