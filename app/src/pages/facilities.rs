//! `/desk/facilities`: 设施使用 / 预定 (requirements §2.16). Booking requests wait for the
//! office to assign a slot on the facility's grid (a taken slot is refused `slot_taken`),
//! damage is recorded against a booking with its compensation; 租车位程序 (车位协议书, rent and
//! 车卡押金, car card); wheelchairs and tools lent against room, name, phone and an ID shown,
//! returns recorded, late ones listed. Online only.

use crate::api::{self, ApiFailure};
use crate::frame::Guarded;
use crate::i18n::{use_i18n, Msg};
use crate::pages::errors::Forbidden;
use crate::pages::occupancy::{
    error_text, fen, first_site, front_office, role, show_error, FormError,
};
use domain::facilities::views::{BookingView, LoanView, ParkingView};
use domain::facilities::{BookingStatus, Facility, LoanItem, ParkingStatus};
use domain::people::Role;
use leptos::prelude::*;
use serde_json::json;

#[component]
pub fn FacilitiesPage() -> impl IntoView {
    view! {
        <Guarded area=None>
            <Facilities />
        </Guarded>
    }
}

fn parking_msg(s: ParkingStatus) -> Msg {
    match s {
        ParkingStatus::Agreed => Msg::FdParkStatusAgreed,
        ParkingStatus::Paid => Msg::FdParkStatusPaid,
        ParkingStatus::CardIssued => Msg::FdParkStatusCardIssued,
    }
}

fn hm(t: chrono::NaiveTime) -> String {
    t.format("%H:%M").to_string()
}

#[component]
fn Facilities() -> impl IntoView {
    let i18n = use_i18n();
    let r = role();
    if !front_office(r) {
        return view! { <Forbidden role=r.unwrap_or(Role::Tech) /> }.into_any();
    }
    let site = first_site();
    let reload = RwSignal::new(0u32);
    let facilities = RwSignal::new(Vec::<Facility>::new());
    let bookings = RwSignal::new(None::<Result<Vec<BookingView>, ApiFailure>>);
    let parking = RwSignal::new(None::<Result<Vec<ParkingView>, ApiFailure>>);
    let loans = RwSignal::new(None::<Result<Vec<LoanView>, ApiFailure>>);
    let only_overdue = RwSignal::new(false);
    {
        let site = site.clone();
        Effect::new(move |_| {
            reload.track();
            let overdue = only_overdue.get();
            let site = site.clone();
            leptos::task::spawn_local(async move {
                if let Ok(f) =
                    api::get_json::<Vec<Facility>>(&format!("/api/v1/sites/{site}/facilities"))
                        .await
                {
                    facilities.set(f);
                }
                bookings.set(Some(
                    api::get_json(&format!("/api/v1/sites/{site}/bookings")).await,
                ));
                parking.set(Some(
                    api::get_json(&format!("/api/v1/sites/{site}/parking")).await,
                ));
                loans.set(Some(
                    api::get_json(&format!("/api/v1/sites/{site}/loans?overdue={overdue}")).await,
                ));
            });
        });
    }
    let error = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let post = move |url: String, body: serde_json::Value| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match api::post_json::<serde_json::Value>(&url, &body).await {
                Ok(_) => reload.update(|n| *n += 1),
                Err(e) => show_error(i18n, error, &e),
            }
            busy.set(false);
        });
    };

    // Booking request.
    let fac = RwSignal::new(String::new());
    let unit = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let wanted = RwSignal::new(String::new());
    let request = move |_| {
        let f = if fac.get_untracked().is_empty() {
            facilities
                .get_untracked()
                .first()
                .map(|f| f.id.to_string())
                .unwrap_or_default()
        } else {
            fac.get_untracked()
        };
        post(
            format!("/api/v1/facilities/{f}/bookings"),
            json!({"unit": unit.get_untracked(), "resident_name": name.get_untracked(),
                   "phone": phone.get_untracked(), "wanted": wanted.get_untracked()}),
        )
    };
    let facility_list = move || {
        facilities
            .get()
            .into_iter()
            .map(|f| {
                let text = i18n.tf(
                    Msg::FdFacHours,
                    &[("opens", hm(f.opens)), ("closes", hm(f.closes)), ("minutes", f.slot_minutes.to_string())],
                );
                view! { <li data-testid="facility" data-name=f.name.clone()><strong>{f.name.clone()}</strong> " " {text}</li> }
            })
            .collect_view()
    };
    let booking_rows = move || {
        match bookings.get() {
        None => ().into_any(),
        Some(Err(e)) => view! { <p class="form-error">{error_text(i18n, &e)}</p> }.into_any(),
        Some(Ok(list)) if list.is_empty() => view! { <p class="empty">{move || i18n.t(Msg::FdNone)}</p> }.into_any(),
        Some(Ok(list)) => list
            .into_iter()
            .map(|b| {
                let id = b.record.id.to_string();
                let status = b.record.status;
                let facility = facilities.get_untracked().into_iter().find(|f| f.id == b.record.facility_id);
                let starts = facility.map(|f| f.slot_starts()).unwrap_or_default();
                let slot = b.record.slot.map(|s| i18n.tf(Msg::FdFacSlot, &[("date", s.date.to_string()), ("start", hm(s.start)), ("end", hm(s.end))]));
                let damage = b.record.damage.clone().map(|d| i18n.tf(Msg::FdFacDamageRow, &[("desc", d.description), ("amount", d.compensation.to_string())]));
                let date = RwSignal::new(String::new());
                let start = RwSignal::new(starts.first().map(|t| hm(*t)).unwrap_or_default());
                let desc = RwSignal::new(String::new());
                let amount = RwSignal::new(String::new());
                let (id1, id2, id3) = (id.clone(), id.clone(), id.clone());
                let state = match status {
                    BookingStatus::Requested => Msg::FdFacRequested,
                    BookingStatus::Assigned => Msg::FdFacAssigned,
                    BookingStatus::Cancelled => Msg::FdFacCancelled,
                };
                view! {
                    <li class="fd-booking" data-testid="booking-row" data-resident=b.record.resident_name.clone() data-status=status.code()>
                        <div>
                            <strong>{b.facility_name.clone()}</strong> " · " {b.unit_label.clone()} " " {b.record.resident_name.clone()}
                            " " {b.record.phone_masked.clone()} " · " {b.record.wanted.clone()}
                            " · " <span class="fd-status">{move || i18n.t(state)}</span>
                            {slot.map(|s| view! { " · " <span data-testid="booking-slot">{s}</span> })}
                        </div>
                        {damage.map(|d| view! { <div class="fd-red" data-testid="booking-damage">{d}</div> })}
                        {(status == BookingStatus::Requested).then(|| view! {
                            <div class="fd-inline">
                                <label><span>{move || i18n.t(Msg::FdFacDate)}</span><input type="date" data-testid="assign-date" bind:value=date /></label>
                                <label><span>{move || i18n.t(Msg::FdFacStart)}</span>
                                    <select data-testid="assign-start" on:change=move |ev| start.set(event_target_value(&ev))>
                                        {starts.iter().map(|t| { let v = hm(*t); view! { <option value=v.clone()>{v.clone()}</option> } }).collect_view()}
                                    </select>
                                </label>
                                <button class="button primary" data-testid="assign" on:click=move |_| post(
                                    format!("/api/v1/bookings/{id1}/assign"),
                                    json!({"date": date.get_untracked(), "start": format!("{}:00", start.get_untracked())}))>
                                    {move || i18n.t(Msg::FdFacAssign)}
                                </button>
                            </div>
                        })}
                        {(status == BookingStatus::Assigned).then(|| view! {
                            <div class="fd-inline">
                                <label><span>{move || i18n.t(Msg::FdFacDamageDesc)}</span><input data-testid="damage-desc" bind:value=desc /></label>
                                <label><span>{move || i18n.t(Msg::FdFacCompensation)}</span><input data-testid="damage-amount" inputmode="decimal" bind:value=amount /></label>
                                <button class="button" data-testid="damage" on:click=move |_| post(
                                    format!("/api/v1/bookings/{id2}/damage"),
                                    json!({"description": desc.get_untracked(), "compensation_fen": fen(&amount.get_untracked()).unwrap_or(-1)}))>
                                    {move || i18n.t(Msg::FdFacRecordDamage)}
                                </button>
                            </div>
                        })}
                        {(status != BookingStatus::Cancelled).then(|| view! {
                            <button class="button" data-testid="booking-cancel" on:click=move |_| post(format!("/api/v1/bookings/{id3}/cancel"), json!({}))>{move || i18n.t(Msg::FdFacCancel)}</button>
                        })}
                    </li>
                }
            })
            .collect_view()
            .into_any(),
    }
    };

    // Parking.
    let p_unit = RwSignal::new(String::new());
    let space = RwSignal::new(String::new());
    let holder = RwSignal::new(String::new());
    let plate = RwSignal::new(String::new());
    let rent = RwSignal::new(String::new());
    let deposit = RwSignal::new(String::new());
    let months = RwSignal::new("12".to_owned());
    let agreed = RwSignal::new(false);
    let park = {
        let site = site.clone();
        move |_| {
            post(
                format!("/api/v1/sites/{site}/parking"),
                json!({"unit": p_unit.get_untracked(), "space_no": space.get_untracked(),
                   "holder_name": holder.get_untracked(), "plate": plate.get_untracked(),
                   "rent_fen": fen(&rent.get_untracked()).unwrap_or(-1),
                   "card_deposit_fen": fen(&deposit.get_untracked()).unwrap_or(-1),
                   "months": months.get_untracked().trim().parse::<u32>().unwrap_or(0),
                   "agreement_signed": agreed.get_untracked()}),
            )
        }
    };
    let parking_rows = move || {
        match parking.get() {
        None => ().into_any(),
        Some(Err(e)) => view! { <p class="form-error">{error_text(i18n, &e)}</p> }.into_any(),
        Some(Ok(list)) => list
            .into_iter()
            .map(|p| {
                let id = p.record.id.to_string();
                let s = p.record.status;
                let receipt = RwSignal::new(String::new());
                let card = RwSignal::new(String::new());
                let id2 = id.clone();
                view! {
                    <li data-testid="parking-row" data-status=s.code()>
                        <strong>{p.record.space_no.clone()}</strong> " · " {p.unit_label.clone()} " " {p.record.holder_name.clone()}
                        " " {p.record.plate.clone()} " · " {p.record.rent.to_string()} " + " {p.record.card_deposit.to_string()}
                        " · " <span class="fd-status">{move || i18n.t(parking_msg(s))}</span>
                        {p.record.card_no.clone().map(|c| view! { " · " {c} })}
                        {(s == ParkingStatus::Agreed).then(|| view! {
                            <span class="fd-inline"><input data-testid="park-receipt" placeholder=move || i18n.t(Msg::FdParkReceipt) bind:value=receipt />
                            <button class="button" data-testid="park-pay" on:click=move |_| post(format!("/api/v1/parking/{id}/pay"), json!({"receipt_no": receipt.get_untracked()}))>{move || i18n.t(Msg::FdParkPay)}</button></span>
                        })}
                        {(s == ParkingStatus::Paid).then(|| view! {
                            <span class="fd-inline"><input data-testid="park-card" placeholder=move || i18n.t(Msg::FdParkCard) bind:value=card />
                            <button class="button" data-testid="park-issue" on:click=move |_| post(format!("/api/v1/parking/{id2}/card"), json!({"card_no": card.get_untracked()}))>{move || i18n.t(Msg::FdParkIssue)}</button></span>
                        })}
                    </li>
                }
            })
            .collect_view()
            .into_any(),
    }
    };

    // Lending.
    let item = RwSignal::new("wheelchair".to_owned());
    let item_name = RwSignal::new(String::new());
    let l_unit = RwSignal::new(String::new());
    let borrower = RwSignal::new(String::new());
    let l_phone = RwSignal::new(String::new());
    let id_shown = RwSignal::new(String::new());
    let due = RwSignal::new(String::new());
    let lend = {
        let site = site.clone();
        move |_| {
            post(
                format!("/api/v1/sites/{site}/loans"),
                json!({"item": item.get_untracked(), "item_name": item_name.get_untracked(),
                   "unit": l_unit.get_untracked(), "borrower_name": borrower.get_untracked(),
                   "phone": l_phone.get_untracked(), "id_shown": id_shown.get_untracked(),
                   "due_on": due.get_untracked()}),
            )
        }
    };
    let loan_rows = move || {
        match loans.get() {
        None => ().into_any(),
        Some(Err(e)) => view! { <p class="form-error">{error_text(i18n, &e)}</p> }.into_any(),
        Some(Ok(list)) => list
            .into_iter()
            .map(|l| {
                let id = l.record.id.to_string();
                let back = l.record.returned_at.is_some();
                let kind = match l.record.item {
                    LoanItem::Wheelchair => Msg::FdLoanItemWheelchair,
                    LoanItem::Tool => Msg::FdLoanItemTool,
                };
                let text = i18n.tf(
                    Msg::FdLoanRow,
                    &[
                        ("item", format!("{} {}", i18n.t(kind), l.record.item_name)),
                        ("unit", l.unit_label.clone()),
                        ("name", l.record.borrower_name.clone()),
                        ("phone", l.record.phone_masked.clone()),
                        ("id", l.record.id_shown.clone()),
                        ("due", l.record.due_on.to_string()),
                    ],
                );
                view! {
                    <li data-testid="loan-row" class:fd-red=l.overdue data-overdue=l.overdue.to_string()>
                        <span>{text}</span>
                        {l.overdue.then(|| view! { " · " <strong>{move || i18n.t(Msg::FdLoanOverdue)}</strong> })}
                        {if back {
                            view! { " · " <span>{move || i18n.t(Msg::FdLoanBack)}</span> }.into_any()
                        } else {
                            view! { <button class="button" data-testid="loan-return" on:click=move |_| post(format!("/api/v1/loans/{id}/return"), json!({}))>{move || i18n.t(Msg::FdLoanReturn)}</button> }.into_any()
                        }}
                    </li>
                }
            })
            .collect_view()
            .into_any(),
    }
    };

    view! {
        <section class="fd" id="facilities">
            <a href="/desk" class="muted">{move || i18n.t(Msg::FdBackHome)}</a>
            <h1>{move || i18n.t(Msg::FdFacTitle)}</h1>
            <FormError error />
            <section class="card fd-form">
                <h2>{move || i18n.t(Msg::FdFacFacilities)}</h2>
                <ul class="fd-list">{facility_list}</ul>
                <h3>{move || i18n.t(Msg::FdFacRequest)}</h3>
                <label><span>{move || i18n.t(Msg::FdFacFacility)}</span>
                    <select data-testid="booking-facility" on:change=move |ev| fac.set(event_target_value(&ev))>
                        {move || facilities.get().into_iter().map(|f| view! { <option value=f.id.to_string()>{f.name.clone()}</option> }).collect_view()}
                    </select>
                </label>
                <label><span>{move || i18n.t(Msg::FdUnit)}</span><input data-testid="booking-unit" bind:value=unit /></label>
                <label><span>{move || i18n.t(Msg::FdName)}</span><input data-testid="booking-name" bind:value=name /></label>
                <label><span>{move || i18n.t(Msg::FdPhone)}</span><input data-testid="booking-phone" type="tel" bind:value=phone /></label>
                <label><span>{move || i18n.t(Msg::FdFacWanted)}</span><input data-testid="booking-wanted" bind:value=wanted /></label>
                <button class="button primary" data-testid="booking-request" on:click=request disabled=move || busy.get()>{move || i18n.t(Msg::FdSubmit)}</button>
                <h3>{move || i18n.t(Msg::FdFacBookings)}</h3>
                <ul class="fd-list" id="bookings">{booking_rows}</ul>
            </section>
            <section class="card fd-form">
                <h2>{move || i18n.t(Msg::FdParkTitle)}</h2>
                <label><span>{move || i18n.t(Msg::FdUnit)}</span><input data-testid="park-unit" bind:value=p_unit /></label>
                <label><span>{move || i18n.t(Msg::FdParkSpace)}</span><input data-testid="park-space" bind:value=space /></label>
                <label><span>{move || i18n.t(Msg::FdParkHolder)}</span><input data-testid="park-holder" bind:value=holder /></label>
                <label><span>{move || i18n.t(Msg::FdParkPlate)}</span><input data-testid="park-plate" bind:value=plate /></label>
                <label><span>{move || i18n.t(Msg::FdParkRent)}</span><input data-testid="park-rent" inputmode="decimal" bind:value=rent /></label>
                <label><span>{move || i18n.t(Msg::FdParkDeposit)}</span><input data-testid="park-deposit" inputmode="decimal" bind:value=deposit /></label>
                <label><span>{move || i18n.t(Msg::FdParkMonths)}</span><input data-testid="park-months" inputmode="numeric" bind:value=months /></label>
                <label class="fd-check"><input type="checkbox" data-testid="park-agreement" bind:checked=agreed /><span>{move || i18n.t(Msg::FdParkAgreement)}</span></label>
                <button class="button primary" data-testid="park-agree" on:click=park disabled=move || busy.get()>{move || i18n.t(Msg::FdParkAgree)}</button>
                <ul class="fd-list">{parking_rows}</ul>
            </section>
            <section class="card fd-form">
                <h2>{move || i18n.t(Msg::FdLoanTitle)}</h2>
                <label><span>{move || i18n.t(Msg::FdLoanItem)}</span>
                    <select data-testid="loan-item" on:change=move |ev| item.set(event_target_value(&ev))>
                        <option value="wheelchair">{move || i18n.t(Msg::FdLoanItemWheelchair)}</option>
                        <option value="tool">{move || i18n.t(Msg::FdLoanItemTool)}</option>
                    </select>
                </label>
                <label><span>{move || i18n.t(Msg::FdLoanItemName)}</span><input data-testid="loan-name" bind:value=item_name /></label>
                <label><span>{move || i18n.t(Msg::FdUnit)}</span><input data-testid="loan-unit" bind:value=l_unit /></label>
                <label><span>{move || i18n.t(Msg::FdName)}</span><input data-testid="loan-borrower" bind:value=borrower /></label>
                <label><span>{move || i18n.t(Msg::FdPhone)}</span><input data-testid="loan-phone" type="tel" bind:value=l_phone /></label>
                <label><span>{move || i18n.t(Msg::FdLoanIdShown)}</span><input data-testid="loan-id" bind:value=id_shown /></label>
                <label><span>{move || i18n.t(Msg::FdLoanDue)}</span><input type="date" data-testid="loan-due" bind:value=due /></label>
                <button class="button primary" data-testid="loan-lend" on:click=lend disabled=move || busy.get()>{move || i18n.t(Msg::FdLoanLend)}</button>
                <label class="fd-check"><input type="checkbox" data-testid="loan-only-overdue" bind:checked=only_overdue /><span>{move || i18n.t(Msg::FdLoanOnlyOverdue)}</span></label>
                <ul class="fd-list">{loan_rows}</ul>
            </section>
        </section>
    }
    .into_any()
}
