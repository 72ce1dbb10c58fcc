//! `/desk/police`: 查业户资料程序 (S0 第9篇 3.8). The desk records the visit — introduction letter
//! and credentials checked, the local police station called back (number and who confirmed) —
//! a manager approves, then the records are looked at; every step lands in the audit log.

use super::{first_site, message_view, UnitPicker};
use crate::api;
use crate::frame::use_profile;
use crate::i18n::{resident_role_msg, use_i18n, Msg};
use crate::pages::patrol::PatrolGuard;
use crate::pages::privacy::refusal_text;
use crate::pages::repairs::china_time;
use domain::people::Role;
use domain::privacy::{
    approves_police_requests, PoliceLookupStatus, PoliceLookupView, PoliceRecords,
};
use domain::reference::UnitCard;
use leptos::prelude::*;
use uuid::Uuid;

fn police_roles(role: Role) -> bool {
    matches!(
        role,
        Role::Desk | Role::CsMgr | Role::CenterMgr | Role::Admin
    )
}

fn status_msg(s: PoliceLookupStatus) -> Msg {
    match s {
        PoliceLookupStatus::PendingApproval => Msg::DeskPoliceStatusPendingApproval,
        PoliceLookupStatus::Approved => Msg::DeskPoliceStatusApproved,
        PoliceLookupStatus::Declined => Msg::DeskPoliceStatusDeclined,
    }
}

#[component]
pub fn PolicePage() -> impl IntoView {
    view! {
        <PatrolGuard allow=police_roles>
            <Police />
        </PatrolGuard>
    }
}

#[component]
fn Police() -> impl IntoView {
    let i18n = use_i18n();
    let site = first_site();
    let reload = RwSignal::new(0u64);
    let list = {
        let site = site.clone();
        LocalResource::new(move || {
            reload.track();
            let url = format!("/api/v1/sites/{site}/police-lookups");
            async move { api::get_json::<Vec<PoliceLookupView>>(&url).await }
        })
    };
    view! {
        <section class="desk-police" id="police">
            <h1>{move || i18n.t(Msg::DeskPoliceTitle)}</h1>
            <p class="desk-rule">{move || i18n.t(Msg::DeskPoliceRule)}</p>
            <NewRequest site=site.clone() reload />
            <h2>{move || i18n.t(Msg::DeskPoliceList)}</h2>
            {move || match list.get() {
                None => view! { <p class="muted">{move || i18n.t(Msg::DeskLoading)}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="form-error">{refusal_text(i18n, &e)}</p> }.into_any(),
                Some(Ok(l)) if l.is_empty() => view! { <p class="empty">{move || i18n.t(Msg::DeskPoliceNone)}</p> }.into_any(),
                Some(Ok(l)) => l.into_iter().map(|v| view! { <RequestCard v reload /> }).collect_view().into_any(),
            }}
        </section>
    }
}

#[component]
fn NewRequest(site: String, reload: RwSignal<u64>) -> impl IntoView {
    let i18n = use_i18n();
    let unit = RwSignal::new(None::<UnitCard>);
    let officers = RwSignal::new(String::new());
    let agency = RwSignal::new(String::new());
    let credentials = RwSignal::new(String::new());
    let letter = RwSignal::new(false);
    let checked = RwSignal::new(false);
    let station_phone = RwSignal::new(String::new());
    let confirmed_by = RwSignal::new(String::new());
    let purpose = RwSignal::new(String::new());
    let message = RwSignal::new(None::<(bool, String)>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let units: Vec<Uuid> = unit.get_untracked().map(|u| u.id.0).into_iter().collect();
        let body = serde_json::json!({
            "id": Uuid::now_v7(),
            "officers": officers.get_untracked(),
            "agency": agency.get_untracked(),
            "credential_numbers": credentials.get_untracked(),
            "letter_checked": letter.get_untracked(),
            "credentials_checked": checked.get_untracked(),
            "station_phone": station_phone.get_untracked(),
            "confirmed_by": confirmed_by.get_untracked(),
            "purpose": purpose.get_untracked(),
            "unit_ids": units,
        });
        let url = format!("/api/v1/sites/{site}/police-lookups");
        leptos::task::spawn_local(async move {
            match api::post_json::<PoliceLookupView>(&url, &body).await {
                Ok(_) => {
                    message.set(Some((true, i18n.t(Msg::DeskSaved).to_owned())));
                    reload.update(|n| *n += 1);
                }
                Err(e) => message.set(Some((false, refusal_text(i18n, &e)))),
            }
        });
    };
    view! {
        <form class="card desk-form" data-testid="police-new" on:submit=submit>
            <h2>{move || i18n.t(Msg::DeskPoliceNew)}</h2>
            <label><span>{move || i18n.t(Msg::DeskPoliceOfficers)}</span><input data-testid="police-officers" bind:value=officers /></label>
            <label><span>{move || i18n.t(Msg::DeskPoliceAgency)}</span><input data-testid="police-agency" bind:value=agency /></label>
            <label><span>{move || i18n.t(Msg::DeskPoliceCredentials)}</span><input data-testid="police-credentials" bind:value=credentials /></label>
            <label class="choice"><input type="checkbox" data-testid="police-letter" bind:checked=letter /><span>{move || i18n.t(Msg::DeskPoliceLetter)}</span></label>
            <label class="choice"><input type="checkbox" data-testid="police-checked" bind:checked=checked /><span>{move || i18n.t(Msg::DeskPoliceCredentialsChecked)}</span></label>
            <label><span>{move || i18n.t(Msg::DeskPoliceStationPhone)}</span><input data-testid="police-station-phone" inputmode="tel" bind:value=station_phone /></label>
            <label><span>{move || i18n.t(Msg::DeskPoliceConfirmedBy)}</span><input data-testid="police-confirmed-by" bind:value=confirmed_by /></label>
            <label><span>{move || i18n.t(Msg::DeskPolicePurpose)}</span><input data-testid="police-purpose" bind:value=purpose /></label>
            <p class="muted small">{move || i18n.t(Msg::DeskPoliceUnits)}</p>
            <UnitPicker site=first_site() picked=unit />
            {message_view(message)}
            <button type="submit" class="button primary" data-testid="police-submit">{move || i18n.t(Msg::DeskPoliceSubmit)}</button>
        </form>
    }
}

#[component]
fn RequestCard(v: PoliceLookupView, reload: RwSignal<u64>) -> impl IntoView {
    let i18n = use_i18n();
    let manager = use_profile().is_some_and(|p| approves_police_requests(p.role));
    let r = v.record.clone();
    let id = r.id;
    let status = r.status;
    let message = RwSignal::new(None::<(bool, String)>);
    let records = RwSignal::new(None::<PoliceRecords>);
    let decide = move |approve: bool| {
        leptos::task::spawn_local(async move {
            let body = serde_json::json!({"approve": approve, "note": ""});
            match api::post_json::<PoliceLookupView>(
                &format!("/api/v1/police-lookups/{id}/decision"),
                &body,
            )
            .await
            {
                Ok(_) => reload.update(|n| *n += 1),
                Err(e) => message.set(Some((false, refusal_text(i18n, &e)))),
            }
        });
    };
    let requested = i18n.tf(
        Msg::DeskPoliceRequested,
        &[
            ("name", v.requested_by_name.clone()),
            ("at", china_time(r.requested_at)),
        ],
    );
    let decided = v.decided_by_name.clone().zip(r.decided_at).map(|(n, at)| {
        i18n.tf(
            Msg::DeskPoliceDecided,
            &[("name", n), ("at", china_time(at))],
        )
    });
    view! {
        <article class="card" data-testid="police-row" data-status=status.code()>
            <header>
                <strong>{r.agency.clone()}</strong> " · " {r.officers.clone()}
                " " <span class="tag">{move || i18n.t(status_msg(status))}</span>
            </header>
            <p class="muted small">{r.credential_numbers.clone()} " · " {r.station_phone.clone()} " · " {r.confirmed_by.clone()}</p>
            <p>{r.purpose.clone()}</p>
            <p class="muted small">{requested} " " {decided}</p>
            {(manager && status == PoliceLookupStatus::PendingApproval).then(|| view! {
                <button type="button" class="button primary" data-testid="police-approve" on:click=move |_| decide(true)>{move || i18n.t(Msg::DeskPoliceApprove)}</button>
                <button type="button" class="button" data-testid="police-decline" on:click=move |_| decide(false)>{move || i18n.t(Msg::DeskPoliceDecline)}</button>
            })}
            {(status == PoliceLookupStatus::Approved).then(|| v.units.clone().into_iter().map(|(u, label)| {
                let look = move |_| {
                    leptos::task::spawn_local(async move {
                        let body = serde_json::json!({"unit_id": u});
                        match api::post_json::<PoliceRecords>(&format!("/api/v1/police-lookups/{id}/view"), &body).await {
                            Ok(r) => records.set(Some(r)),
                            Err(e) => message.set(Some((false, refusal_text(i18n, &e)))),
                        }
                    });
                };
                view! {
                    <button type="button" class="button" data-testid="police-view" on:click=look>
                        {move || i18n.t(Msg::DeskPoliceView)} " " {label.clone()}
                    </button>
                }
            }).collect_view())}
            {message_view(message)}
            {move || records.get().map(|r| view! {
                <ul class="desk-list" data-testid="police-records">
                    {r.residents.into_iter().map(|p| { let role = p.role; view! {
                        <li>{p.name} " " <span class="tag">{move || i18n.t(resident_role_msg(role))}</span>
                            " " <span class="mono">{p.id_card.unwrap_or_default()}</span>
                            " " <span class="mono">{p.phone.unwrap_or_default()}</span></li>
                    } }).collect_view()}
                </ul>
            })}
        </article>
    }
}
