//! Repair requests (报修): the intake form (desk, and field staff offline) and the order lists
//! with each role's next step: dispatch for the engineering manager, accept / arrive / hand
//! back for the technician. Every action is queued in the outbox first.
//!
//! Also the helpers the office screens share (detail, board, print, finance): time formatting
//! in China time, the names of statuses, clocks and ratings, and the refusal text.

use crate::frame::{use_profile, Guarded};
use crate::i18n::{use_i18n, I18n, Msg};
use crate::offline::client::{self, OrderView};
use crate::offline::{use_sync_status, SyncStatus};
use chrono::{DateTime, NaiveDateTime, Utc};
use domain::access::home_area;
use domain::ids::{SiteId, StaffId, UnitId};
use domain::people::Role;
use domain::sync::reference::ReferenceData;
use domain::sync::wire::BlobRef;
use domain::work_orders::sla::{china, ClockKind};
use domain::work_orders::{
    CatalogueMatch, Channel, MandatoryVisit, NewRepairRequest, Rating, RepairKind, Timing,
    WorkOrder, WorkOrderCommand, WorkOrderStatus,
};
use leptos::prelude::*;
use serde::Serialize;
use uuid::Uuid;

pub fn status_msg(s: WorkOrderStatus) -> Msg {
    match s {
        WorkOrderStatus::Reported => Msg::RepairStatusReported,
        WorkOrderStatus::Assigned => Msg::RepairStatusAssigned,
        WorkOrderStatus::Accepted => Msg::RepairStatusAccepted,
        WorkOrderStatus::OnSite => Msg::RepairStatusOnSite,
        WorkOrderStatus::Quoted => Msg::RepairStatusQuoted,
        WorkOrderStatus::InProgress => Msg::RepairStatusInProgress,
        WorkOrderStatus::Finished => Msg::RepairStatusFinished,
        WorkOrderStatus::AwaitingRebook => Msg::RepairStatusAwaitingRebook,
        WorkOrderStatus::FeePending => Msg::RepairStatusFeePending,
        WorkOrderStatus::Closed => Msg::RepairStatusClosed,
        WorkOrderStatus::ResidentDeclined => Msg::RepairStatusResidentDeclined,
        WorkOrderStatus::Referred => Msg::RepairStatusReferred,
        WorkOrderStatus::Answered => Msg::RepairStatusAnswered,
    }
}

pub fn kind_msg(k: RepairKind) -> Msg {
    match k {
        RepairKind::Daily => Msg::RepairKindDaily,
        RepairKind::WarrantyComplaint => Msg::RepairKindWarrantyComplaint,
        RepairKind::Urgent => Msg::RepairKindUrgent,
        RepairKind::Emergency => Msg::RepairKindEmergency,
    }
}

pub fn channel_msg(c: Channel) -> Msg {
    match c {
        Channel::Phone => Msg::RepairChannelPhone,
        Channel::WalkIn => Msg::RepairChannelWalkIn,
        Channel::Written => Msg::RepairChannelWritten,
        Channel::Relayed => Msg::OfficeChannelRelayed,
        Channel::Field => Msg::RepairChannelField,
    }
}

pub fn clock_msg(k: ClockKind) -> Msg {
    match k {
        ClockKind::Ticket => Msg::OfficeClockTicket,
        ClockKind::EngineeringNotified => Msg::OfficeClockEngineeringNotified,
        ClockKind::OnSite => Msg::OfficeClockOnSite,
        ClockKind::Appointment => Msg::OfficeClockAppointment,
        ClockKind::OutOfStandardReply => Msg::OfficeClockOutOfStandardReply,
        ClockKind::DeveloperNotified => Msg::OfficeClockDeveloperNotified,
        ClockKind::Returned => Msg::OfficeClockReturned,
        ClockKind::MaterialEscalation => Msg::OfficeClockMaterialEscalation,
    }
}

pub fn rating_msg(r: Rating) -> Msg {
    match r {
        Rating::Satisfied => Msg::OfficeRatingSatisfied,
        Rating::FairlySatisfied => Msg::OfficeRatingFairlySatisfied,
        Rating::Dissatisfied => Msg::OfficeRatingDissatisfied,
    }
}

pub fn visit_msg(v: MandatoryVisit) -> Msg {
    match v {
        MandatoryVisit::Dissatisfied => Msg::OfficeVisitDissatisfied,
        MandatoryVisit::Unrated => Msg::OfficeVisitUnrated,
        MandatoryVisit::Unsigned => Msg::OfficeVisitUnsigned,
    }
}

/// The history line's words for a command type (`work_order.assign`).
pub fn action_msg(action: &str) -> Option<Msg> {
    Some(match action.strip_prefix("work_order.")? {
        "create" => Msg::OfficeActionCreate,
        "assign" => Msg::OfficeActionAssign,
        "accept" => Msg::OfficeActionAccept,
        "decline" => Msg::OfficeActionDecline,
        "arrive" => Msg::OfficeActionArrive,
        "edit_text" => Msg::OfficeActionEditText,
        "refer" => Msg::OfficeActionRefer,
        "reply" => Msg::OfficeActionReply,
        "manager_visit" => Msg::OfficeActionManagerVisit,
        "quote" => Msg::OfficeActionQuote,
        "consent" => Msg::OfficeActionConsent,
        "finish" => Msg::OfficeActionFinish,
        "resident_accept" => Msg::OfficeActionResidentAccept,
        "resident_decline" => Msg::OfficeActionResidentDecline,
        "nobody_home" => Msg::OfficeActionNobodyHome,
        "rebook" => Msg::OfficeActionRebook,
        "fee_pending" => Msg::OfficeActionFeePending,
        "decide_fee" => Msg::OfficeActionDecideFee,
        "material_shortage" => Msg::OfficeActionMaterialShortage,
        "materials_arrived" => Msg::OfficeActionMaterialsArrived,
        "notify_developer" => Msg::OfficeActionNotifyDeveloper,
        "complete_paperwork" => Msg::OfficeActionCompletePaperwork,
        _ => return None,
    })
}

/// The wire code of a snake_case enum (`fairly_satisfied`), for `data-*` attributes.
pub fn code_of<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The browser's clock. The server renders no clocks (they are filled in after hydration), so
/// it answers the epoch.
pub fn now() -> DateTime<Utc> {
    #[cfg(feature = "hydrate")]
    {
        DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        DateTime::<Utc>::UNIX_EPOCH
    }
}

/// `2026-11-21 14:45`, China time.
pub fn china_time(t: DateTime<Utc>) -> String {
    t.with_timezone(&china())
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// `11-21 14:45`, China time.
pub fn short_time(t: DateTime<Utc>) -> String {
    t.with_timezone(&china()).format("%m-%d %H:%M").to_string()
}

/// The value of a `datetime-local` input for `t` (the form's local time is Beijing time).
pub fn to_local_input(t: DateTime<Utc>) -> String {
    t.with_timezone(&china())
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

/// A `datetime-local` value (Beijing time) as UTC.
pub fn from_local_input(s: &str) -> Option<DateTime<Utc>> {
    let t = NaiveDateTime::parse_from_str(s.trim(), "%Y-%m-%dT%H:%M").ok()?;
    t.and_local_timezone(china()).single().map(|t| t.to_utc())
}

/// Where a job is: the unit's label, or the location for common areas.
pub fn place_of(order: &WorkOrder, reference: &ReferenceData) -> String {
    let unit = order.unit_id.and_then(|u| {
        reference
            .units
            .iter()
            .find(|r| r.id == u)
            .map(|r| r.label.clone())
    });
    match (unit, order.location.trim()) {
        (Some(u), "") => u,
        (Some(u), l) => format!("{u}（{l}）"),
        (None, l) => l.to_owned(),
    }
}

pub fn technician_name(reference: &ReferenceData, id: StaffId) -> Option<String> {
    reference
        .technicians
        .iter()
        .find(|t| t.id == id)
        .map(|t| t.display_name.clone())
}

/// The text of a refusal from `client::submit`: the rule's words in the UI language where
/// they are known, else the detail as `apply` gave it.
pub fn refusal(i18n: I18n, (m, detail): (Msg, String)) -> String {
    let known = [
        (
            "is not in this site's repair catalogue",
            Msg::RejectUnknownCatalogueItem,
        ),
        (
            "is not on this site's supplier list",
            Msg::RejectUnknownSupplierItem,
        ),
        ("price differs", Msg::RejectPriceMismatch),
        ("negative or too large", Msg::RejectAmountOutOfRange),
        ("sign again", Msg::RejectSignatureMismatch),
        (
            "manager's visit before dispatch",
            Msg::RejectSecondRepairNeedsVisit,
        ),
        ("already", Msg::RejectAlreadyFinal),
        ("not assigned to this site", Msg::RejectSiteForbidden),
        ("your role may not", Msg::RejectForbidden),
        ("unit is unknown", Msg::RejectUnitNotInSite),
        ("only the assigned technician", Msg::RejectNotAssignee),
        ("technician is unknown", Msg::RejectUnknownStaff),
        ("cannot ", Msg::RejectInvalidTransition),
        ("reporter_phone:", Msg::OfficeBadPhone),
        ("reporter_name: required", Msg::OfficeNeedReporter),
        ("location: required", Msg::OfficeNeedLocation),
        ("unit_id: required", Msg::OfficeNeedUnit),
        ("content: required", Msg::OfficeNeedContent),
        ("contacted_at:", Msg::OfficeBadContacted),
        ("text: required", Msg::OfficeNeedText),
        ("note: required", Msg::OfficeNeedText),
        ("contact: required", Msg::OfficeNeedText),
    ];
    let reason = if detail.is_empty() {
        i18n.t(m).to_owned()
    } else if let Some((_, msg)) = known.iter().find(|(k, _)| detail.contains(k)) {
        i18n.t(*msg).to_owned()
    } else {
        detail
    };
    i18n.tf(Msg::SyncRefused, &[("reason", reason)])
}

/// True once the device's store is open (the engine publishes its outbox count then), so
/// resources that read the store run again when it becomes ready.
pub fn store_ready(st: SyncStatus) -> Memo<bool> {
    Memo::new(move |_| st.pending.get().is_some())
}

thread_local! {
    /// The order the intake form just saved, so its detail page can say so once.
    static JUST_SAVED: std::cell::Cell<Option<Uuid>> = const { std::cell::Cell::new(None) };
}

fn just_saved(id: Uuid) {
    JUST_SAVED.with(|c| c.set(Some(id)));
}

/// True once, for the order the intake form has just saved.
pub fn take_just_saved(id: Uuid) -> bool {
    JUST_SAVED.with(|c| {
        if c.get() == Some(id) {
            c.set(None);
            true
        } else {
            false
        }
    })
}

/// Who may take repair requests (the rule itself is in `domain::work_orders::apply`).
pub fn may_report(role: Role) -> bool {
    !matches!(role, Role::Finance | Role::Admin)
}

#[component]
pub fn NewRepairPage() -> impl IntoView {
    view! {
        <Guarded area=None>
            <NewRepairForm />
        </Guarded>
    }
}

/// New ids are UUIDv7 made on the device.
fn new_id() -> Uuid {
    #[cfg(feature = "hydrate")]
    {
        Uuid::now_v7()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        Uuid::nil()
    }
}

/// One result of the catalogue / supplier search at intake.
#[derive(Debug, Clone, PartialEq)]
struct MatchHit {
    supplier: bool,
    code: String,
    name: String,
    /// Standard time and price for catalogue items; the supplier hint for referrals.
    detail: String,
}

fn search_lists(r: &ReferenceData, site: Option<SiteId>, q: &str, i18n: I18n) -> Vec<MatchHit> {
    let q = q.trim().to_lowercase();
    if q.is_empty() {
        return Vec::new();
    }
    let hit = |code: &str, zh: &str, en: &str| {
        code.to_lowercase().contains(&q) || zh.contains(&q) || en.to_lowercase().contains(&q)
    };
    let mut out: Vec<MatchHit> = r
        .catalogue
        .iter()
        .filter(|c| site.is_none_or(|s| c.site_id == s))
        .filter(|c| hit(&c.code, &c.name_zh, &c.name_en))
        .take(12)
        .map(|c| MatchHit {
            supplier: false,
            code: c.code.clone(),
            name: c.name_zh.clone(),
            detail: catalogue_detail(c, i18n),
        })
        .collect();
    out.extend(
        r.suppliers
            .iter()
            .filter(|s| site.is_none_or(|x| s.site_id == x))
            .filter(|s| hit(&s.code, &s.name_zh, &s.name_en))
            .take(8)
            .map(|s| MatchHit {
                supplier: true,
                code: s.code.clone(),
                name: s.name_zh.clone(),
                detail: s.supplier_hint_zh.clone(),
            }),
    );
    out
}

fn catalogue_detail(c: &domain::sync::reference::CatalogueRef, i18n: I18n) -> String {
    let time = match c.std_minutes {
        Some(n) if c.time_unit == "per_metre" => {
            i18n.tf(Msg::OfficeStdMinutesPerMetre, &[("n", n.to_string())])
        }
        Some(n) => i18n.tf(Msg::OfficeStdMinutes, &[("n", n.to_string())]),
        None => i18n.t(Msg::OfficeStdUnknown).to_owned(),
    };
    let price = domain::money::Fen(c.price_fen).to_string();
    i18n.tf(Msg::OfficeStdLine, &[("time", time), ("price", price)])
}

#[component]
fn NewRepairForm() -> impl IntoView {
    let i18n = use_i18n();
    let profile = use_profile();
    let role = profile.as_ref().map(|p| p.role).unwrap_or(Role::Desk);
    let site: Option<SiteId> = profile.as_ref().and_then(|p| p.sites.first().map(|s| s.id));
    let home = home_area(role).path();
    let st = use_sync_status();
    let ready = store_ready(st);
    let reference = LocalResource::new(move || {
        ready.track();
        async { client::reference().await }
    });
    let navigate = leptos_router::hooks::use_navigate();

    let unit_query = RwSignal::new(String::new());
    let unit = RwSignal::new(None::<(UnitId, String)>);
    let common = RwSignal::new(false);
    let location = RwSignal::new(String::new());
    let reporter = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let content = RwSignal::new(String::new());
    let kind = RwSignal::new("daily".to_owned());
    let channel = RwSignal::new(
        if matches!(role, Role::Desk) {
            "phone"
        } else {
            "field"
        }
        .to_owned(),
    );
    let contacted = RwSignal::new(String::new());
    let timing = RwSignal::new("immediate".to_owned());
    let appointment = RwSignal::new(String::new());
    let leak = RwSignal::new(false);
    let second = RwSignal::new(false);
    let match_query = RwSignal::new(String::new());
    let picked = RwSignal::new(None::<MatchHit>);
    let photos = RwSignal::new(Vec::<BlobRef>::new());
    let message = RwSignal::new(None::<(bool, String)>);
    let busy = RwSignal::new(false);
    // 来电时间 defaults to the moment the form opened: the browser's clock, so it is set after
    // hydration (the server's render leaves it empty).
    Effect::new(move |_| {
        if contacted.get_untracked().is_empty() {
            contacted.set(to_local_input(now()));
        }
    });

    let unit_matches = move || {
        let q = unit_query.get();
        reference
            .get()
            .flatten()
            .map(|r: ReferenceData| {
                r.find_units(&q)
                    .into_iter()
                    .map(|u| (u.id, u.label.clone()))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    let list_hits = move || {
        let q = match_query.get();
        reference
            .get()
            .flatten()
            .map(|r| search_lists(&r, site, &q, i18n))
            .unwrap_or_default()
    };
    let reply_minutes = move || {
        let minutes = site
            .and_then(|s| reference.get().flatten().map(|r| r.policy(s)))
            .unwrap_or_default()
            .sla
            .out_of_standard_reply_minutes;
        minutes.to_string()
    };
    let emergency = move || kind.get() == "emergency";

    let on_photo = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let Some(input) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            else {
                return;
            };
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            leptos::task::spawn_local(async move {
                match crate::browser::compress_photo(file).await {
                    Ok((bytes, ct)) => match client::put_photo(bytes, ct).await {
                        Ok(b) => photos.update(|p| p.push(b)),
                        Err(_) => message.set(Some((false, i18n.t(Msg::RepairPhotoFailed).into()))),
                    },
                    Err(_) => message.set(Some((false, i18n.t(Msg::RepairPhotoFailed).into()))),
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(site_id) = site else { return };
        if busy.get_untracked() {
            return;
        }
        let refuse = |m: Msg| {
            message.set(Some((
                false,
                i18n.tf(Msg::SyncRefused, &[("reason", i18n.t(m).into())]),
            )))
        };
        let timing_v = if timing.get_untracked() == "appointment" {
            match from_local_input(&appointment.get_untracked()) {
                Some(at) => Timing::Appointment { at },
                None => return refuse(Msg::OfficeNeedAppointment),
            }
        } else {
            Timing::Immediate
        };
        let contacted_v = {
            let c = contacted.get_untracked();
            if c.trim().is_empty() {
                None
            } else {
                match from_local_input(&c) {
                    // A call logged in the minute it came in reads as that minute.
                    Some(t) => Some(t.min(now())),
                    None => return refuse(Msg::OfficeBadContacted),
                }
            }
        };
        let kind_v: Option<RepairKind> = serde_json::from_value(kind.get_untracked().into()).ok();
        let channel_v: Option<Channel> =
            serde_json::from_value(channel.get_untracked().into()).ok();
        let (Some(kind_v), Some(channel_v)) = (kind_v, channel_v) else {
            return;
        };
        let is_common = common.get_untracked();
        if !is_common && unit.get_untracked().is_none() {
            return refuse(Msg::OfficeNeedUnit);
        }
        let matched = match picked.get_untracked() {
            Some(h) if h.supplier => CatalogueMatch::Supplier { code: h.code },
            Some(h) => CatalogueMatch::Catalogue { code: h.code },
            None => CatalogueMatch::None,
        };
        let req = NewRepairRequest {
            site_id,
            unit_id: if is_common {
                None
            } else {
                unit.get_untracked().map(|u| u.0)
            },
            common_area: is_common,
            location: location.get_untracked(),
            channel: channel_v,
            kind: kind_v,
            reporter_name: reporter.get_untracked(),
            reporter_phone: phone.get_untracked(),
            content: content.get_untracked(),
            timing: timing_v,
            photos: photos.get_untracked(),
            contacted_at: contacted_v,
            matched,
            leak: leak.get_untracked(),
            second_repair_reported: second.get_untracked(),
            patrol_source: None,
        };
        busy.set(true);
        let id = new_id();
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let r = client::submit(id, WorkOrderCommand::Create(req)).await;
            busy.set(false);
            match r {
                Ok(()) => {
                    message.set(Some((true, i18n.t(Msg::SyncSaved).into())));
                    just_saved(id);
                    navigate(&format!("/repairs/{id}"), Default::default());
                }
                Err(e) => message.set(Some((false, refusal(i18n, e)))),
            }
        });
    };

    view! {
        <section class="repair-form intake">
            <h1>{move || i18n.t(Msg::RepairNew)}</h1>
            <form class="card" id="repair-form" data-testid="intake-form" on:submit=submit>
                <div class="row2">
                    <label>
                        <span>{move || i18n.t(Msg::RepairKind)}</span>
                        <select id="repair-kind" data-testid="intake-kind" bind:value=kind>
                            <option value="daily">{move || i18n.t(Msg::RepairKindDaily)}</option>
                            <option value="warranty_complaint">{move || i18n.t(Msg::RepairKindWarrantyComplaint)}</option>
                            <option value="urgent">{move || i18n.t(Msg::RepairKindUrgent)}</option>
                            <option value="emergency">{move || i18n.t(Msg::RepairKindEmergency)}</option>
                        </select>
                    </label>
                    <label>
                        <span>{move || i18n.t(Msg::RepairChannel)}</span>
                        <select id="repair-channel" data-testid="intake-channel" bind:value=channel>
                            <option value="phone">{move || i18n.t(Msg::RepairChannelPhone)}</option>
                            <option value="walk_in">{move || i18n.t(Msg::RepairChannelWalkIn)}</option>
                            <option value="written">{move || i18n.t(Msg::RepairChannelWritten)}</option>
                            <option value="relayed">{move || i18n.t(Msg::OfficeChannelRelayed)}</option>
                            <option value="field">{move || i18n.t(Msg::RepairChannelField)}</option>
                        </select>
                    </label>
                </div>
                <Show when=emergency>
                    <p class="note warn" data-testid="intake-emergency-note">{move || i18n.t(Msg::OfficeEmergencyNote)}</p>
                </Show>
                <label>
                    <span>{move || i18n.t(Msg::OfficeContactedAt)}</span>
                    <input id="repair-contacted" data-testid="intake-contacted" type="datetime-local" bind:value=contacted />
                </label>
                <label class="check">
                    <input type="checkbox" id="repair-common" data-testid="intake-common-area" bind:checked=common />
                    <span>{move || i18n.t(Msg::RepairCommonArea)}</span>
                </label>
                <Show when=move || !common.get()>
                    <label>
                        <span>{move || i18n.t(Msg::RepairUnit)}</span>
                        <input id="repair-unit" data-testid="intake-unit" bind:value=unit_query autocomplete="off"
                            placeholder=move || i18n.t(Msg::RepairUnitPlaceholder) />
                    </label>
                    <div class="unit-picks" id="unit-picks">
                        {move || {
                            let q = unit_query.get();
                            if q.trim().is_empty() || unit.get().is_some_and(|(_, l)| l == q) {
                                return ().into_any();
                            }
                            let list = unit_matches();
                            if list.is_empty() {
                                return view! { <p class="muted small">{move || i18n.t(Msg::RepairUnitNone)}</p> }.into_any();
                            }
                            list.into_iter().map(|(id, label)| {
                                let l2 = label.clone();
                                view! {
                                    <button type="button" class="pick" data-testid="unit-pick" on:click=move |_| {
                                        unit.set(Some((id, l2.clone())));
                                        unit_query.set(l2.clone());
                                    }>{label}</button>
                                }
                            }).collect_view().into_any()
                        }}
                    </div>
                </Show>
                <label>
                    <span>
                        {move || i18n.t(Msg::RepairLocation)}
                        <Show when=move || common.get()>" *"</Show>
                    </span>
                    <input id="repair-location" data-testid="intake-location" bind:value=location
                        required=move || common.get()
                        placeholder=move || i18n.t(Msg::OfficeLocationPlaceholder) />
                </label>
                <div class="row2">
                    <label>
                        <span>{move || i18n.t(Msg::RepairReporter)}</span>
                        <input id="repair-reporter" data-testid="intake-reporter" bind:value=reporter
                            required=move || !emergency() />
                    </label>
                    <label>
                        <span>{move || i18n.t(Msg::RepairPhone)}</span>
                        <input id="repair-phone" data-testid="intake-phone" type="tel" inputmode="tel" bind:value=phone
                            required=move || !emergency() />
                    </label>
                </div>
                <label>
                    <span>{move || i18n.t(Msg::RepairContent)}</span>
                    <textarea id="repair-content" data-testid="intake-content" rows="3" bind:value=content required></textarea>
                </label>
                <div class="match card-inset">
                    <label>
                        <span>{move || i18n.t(Msg::OfficeMatchLabel)}</span>
                        <input id="repair-match" data-testid="intake-match" bind:value=match_query autocomplete="off"
                            placeholder=move || i18n.t(Msg::OfficeMatchPlaceholder) />
                    </label>
                    <div class="match-results" id="match-results">
                        {move || {
                            let q = match_query.get();
                            if q.trim().is_empty() || picked.get().is_some_and(|p| p.name == q) {
                                return ().into_any();
                            }
                            let hits = list_hits();
                            if hits.is_empty() {
                                return view! { <p class="muted small">{move || i18n.t(Msg::OfficeMatchNone)}</p> }.into_any();
                            }
                            hits.into_iter().map(|h| {
                                let h2 = h.clone();
                                let list = if h.supplier { "supplier" } else { "catalogue" };
                                view! {
                                    <button type="button" class=format!("match-result {list}") data-testid="match-result"
                                        data-code=h.code.clone() data-list=list
                                        on:click=move |_| {
                                            match_query.set(h2.name.clone());
                                            picked.set(Some(h2.clone()));
                                        }>
                                        <span class="code">{h.code.clone()}</span>
                                        <span class="name">{h.name.clone()}</span>
                                        <span class="tag">{move || i18n.t(if h.supplier { Msg::OfficeListSupplier } else { Msg::OfficeListCatalogue })}</span>
                                        <span class="muted small">{h.detail.clone()}</span>
                                    </button>
                                }
                            }).collect_view().into_any()
                        }}
                    </div>
                    {move || match picked.get() {
                        Some(h) => {
                            let list = if h.supplier { "supplier" } else { "catalogue" };
                            view! {
                                <div class=format!("match-picked {list}") data-testid="match-selected" data-list=list data-code=h.code.clone()>
                                    <p><strong>{h.code.clone()} " " {h.name.clone()}</strong></p>
                                    {if h.supplier {
                                        view! {
                                            <p class="note warn">{move || i18n.t(Msg::OfficeReferNote)}</p>
                                            <p class="muted small">{h.detail.clone()}</p>
                                        }.into_any()
                                    } else {
                                        view! { <p class="muted">{h.detail.clone()}</p> }.into_any()
                                    }}
                                    <button type="button" class="link" data-testid="match-clear" on:click=move |_| {
                                        picked.set(None);
                                        match_query.set(String::new());
                                    }>{move || i18n.t(Msg::OfficeMatchClear)}</button>
                                </div>
                            }.into_any()
                        }
                        None => view! {
                            <Show when=move || kind.get() == "daily" && !common.get()>
                                <p class="note" data-testid="match-none-note">
                                    {move || i18n.tf(Msg::OfficeMatchNoneNote, &[("n", reply_minutes())])}
                                </p>
                            </Show>
                        }.into_any(),
                    }}
                </div>
                <div class="row2">
                    <label class="check">
                        <input type="checkbox" id="repair-leak" data-testid="intake-leak" bind:checked=leak />
                        <span>{move || i18n.t(Msg::OfficeLeak)}</span>
                    </label>
                    <label class="check">
                        <input type="checkbox" id="repair-second" data-testid="intake-second-repair" bind:checked=second />
                        <span>{move || i18n.t(Msg::OfficeSecondRepairReported)}</span>
                    </label>
                </div>
                <label>
                    <span>{move || i18n.t(Msg::RepairTiming)}</span>
                    <select id="repair-timing" data-testid="intake-timing" bind:value=timing>
                        <option value="immediate">{move || i18n.t(Msg::RepairTimingImmediate)}</option>
                        <option value="appointment">{move || i18n.t(Msg::RepairTimingAppointment)}</option>
                    </select>
                </label>
                <Show when=move || timing.get() == "appointment">
                    <label>
                        <span>{move || i18n.t(Msg::OfficeAppointmentAt)}</span>
                        <input id="repair-appointment" data-testid="intake-appointment" type="datetime-local" bind:value=appointment />
                    </label>
                </Show>
                <div class="photos">
                    <span class="muted">{move || i18n.t(Msg::RepairPhotos)} " (" {move || photos.get().len()} ")"</span>
                    <label class="button photo-button">
                        {move || i18n.t(Msg::RepairAddPhoto)}
                        <input id="repair-photo" type="file" accept="image/*" capture="environment" on:change=on_photo hidden />
                    </label>
                </div>
                <Show when=move || message.get().is_some()>
                    {move || message.get().map(|(ok, text)| view! {
                        <p id="repair-message" data-testid="intake-message" class=if ok { "form-ok" } else { "form-error" } role="status">{text}</p>
                    })}
                </Show>
                <button type="submit" class="button primary" id="repair-save" data-testid="intake-submit" disabled=move || busy.get()>
                    {move || i18n.t(Msg::RepairSave)}
                </button>
                <a class="button" href=home>{move || i18n.t(Msg::NavHome)}</a>
            </form>
        </section>
    }
}

/// The list filters of the desk and the managers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Filter {
    All,
    ToDispatch,
    Active,
    Rebook,
    FeePending,
    Declined,
    Paperwork,
    Visit,
    Closed,
    ReferredOrAnswered,
}

impl Filter {
    const ALL: [Filter; 10] = [
        Filter::All,
        Filter::ToDispatch,
        Filter::Active,
        Filter::Rebook,
        Filter::FeePending,
        Filter::Declined,
        Filter::Paperwork,
        Filter::Visit,
        Filter::Closed,
        Filter::ReferredOrAnswered,
    ];

    fn code(self) -> &'static str {
        match self {
            Filter::All => "all",
            Filter::ToDispatch => "to_dispatch",
            Filter::Active => "active",
            Filter::Rebook => "rebook",
            Filter::FeePending => "fee_pending",
            Filter::Declined => "declined",
            Filter::Paperwork => "paperwork",
            Filter::Visit => "visit",
            Filter::Closed => "closed",
            Filter::ReferredOrAnswered => "referred",
        }
    }

    fn msg(self) -> Msg {
        match self {
            Filter::All => Msg::OfficeFilterAll,
            Filter::ToDispatch => Msg::OfficeFilterToDispatch,
            Filter::Active => Msg::OfficeFilterActive,
            Filter::Rebook => Msg::OfficeFilterRebook,
            Filter::FeePending => Msg::OfficeFilterFeePending,
            Filter::Declined => Msg::OfficeFilterDeclined,
            Filter::Paperwork => Msg::OfficeFilterPaperwork,
            Filter::Visit => Msg::OfficeFilterVisit,
            Filter::Closed => Msg::OfficeFilterClosed,
            Filter::ReferredOrAnswered => Msg::OfficeFilterReferred,
        }
    }

    fn keeps(self, o: &WorkOrder) -> bool {
        use WorkOrderStatus::*;
        match self {
            Filter::All => true,
            Filter::ToDispatch => o.status == Reported,
            Filter::Active => matches!(
                o.status,
                Assigned | Accepted | OnSite | Quoted | InProgress | Finished
            ),
            Filter::Rebook => o.status == AwaitingRebook,
            Filter::FeePending => o.status == FeePending,
            Filter::Declined => o.status == ResidentDeclined,
            Filter::Paperwork => o.paperwork_pending(),
            Filter::Visit => o.mandatory_visit().is_some(),
            Filter::Closed => o.status == Closed,
            Filter::ReferredOrAnswered => matches!(o.status, Referred | Answered),
        }
    }
}

/// The orders this device knows, newest first, with the signed-in role's next steps; the
/// office roles filter them by status.
#[component]
pub fn OrderList() -> impl IntoView {
    let i18n = use_i18n();
    let st = use_sync_status();
    let ready = store_ready(st);
    let role = use_profile().map(|p| p.role);
    let filters = role.is_some_and(|r| r != Role::Tech);
    let orders = LocalResource::new(move || {
        st.data_version.track();
        ready.track();
        async move { client::work_orders().await }
    });
    let reference = LocalResource::new(move || {
        st.data_version.track();
        ready.track();
        async move { client::reference().await }
    });
    // Rebuilt only when the data really changed (a sync round that brought nothing leaves the
    // cards, and what is typed in them, alone).
    let list = Memo::new(move |_| orders.get());
    let refs = Memo::new(move |_| reference.get().flatten().unwrap_or_default());
    // What decides the list's frame: loaded, and empty or not. The cards inside are keyed, so
    // a change to one order rebuilds only its card.
    let shape = Memo::new(move |_| list.with(|l| l.as_ref().map(|v| v.is_empty())));
    let filter = RwSignal::new(Filter::All);
    let count = move |f: Filter| {
        list.with(|l| {
            l.as_ref()
                .map(|v| v.iter().filter(|o| f.keeps(&o.order)).count())
                .unwrap_or(0)
        })
    };
    let shown = move || {
        let f = filter.get();
        list.with(|l| {
            l.iter()
                .flatten()
                .filter(|o| f.keeps(&o.order))
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    view! {
        <section class="orders">
            <h2>{move || i18n.t(Msg::RepairListTitle)}</h2>
            {move || match shape.get() {
                None => view! { <p class="muted">"…"</p> }.into_any(),
                Some(true) => view! { <p class="empty" id="orders-empty">{move || i18n.t(Msg::RepairNone)}</p> }.into_any(),
                Some(false) => {
                    // Rebuilt when the reference data changes (names, technicians).
                    let r = refs.get();
                    view! {
                        <Show when=move || filters>
                            <div class="filters" role="tablist" data-testid="order-filters">
                                {Filter::ALL.into_iter().map(|f| view! {
                                    <button type="button" class="filter" role="tab" data-testid="order-filter" data-filter=f.code()
                                        aria-selected=move || (filter.get() == f).to_string()
                                        on:click=move |_| filter.set(f)>
                                        {move || i18n.t(f.msg())} " " <span class="count">{move || count(f)}</span>
                                    </button>
                                }).collect_view()}
                            </div>
                        </Show>
                        <ul class="order-list" id="order-list">
                            <For
                                each=shown
                                key=|o| (o.order.id, o.version, o.unsynced, o.order.history.len(), o.order.number.clone())
                                let:o
                            >
                                <OrderCard o reference=r.clone() />
                            </For>
                        </ul>
                        <Show when=move || count(filter.get()) == 0>
                            <p class="empty" data-testid="orders-filter-empty">{move || i18n.t(Msg::OfficeFilterEmpty)}</p>
                        </Show>
                    }.into_any()
                }
            }}
        </section>
    }
}

#[component]
fn OrderCard(o: OrderView, reference: ReferenceData) -> impl IntoView {
    let i18n = use_i18n();
    let profile = use_profile();
    let role = profile.as_ref().map(|p| p.role);
    let me = profile.as_ref().map(|p| p.staff_id);
    let order = o.order.clone();
    let id = order.id.0;
    let status = order.status;
    let number = order.number.clone();
    let place = place_of(&order, &reference);
    let assignee_name = order.assignee.and_then(|a| technician_name(&reference, a));
    let techs: Vec<(StaffId, String)> = reference
        .technicians
        .iter()
        .filter(|t| t.site_ids.contains(&order.site_id))
        .map(|t| (t.id, t.display_name.clone()))
        .collect();
    let error = RwSignal::new(None::<String>);
    let act = move |cmd: WorkOrderCommand| {
        leptos::task::spawn_local(async move {
            match client::submit(id, cmd).await {
                Ok(()) => error.set(None),
                Err(e) => error.set(Some(refusal(i18n, e))),
            }
        });
    };
    let can_dispatch = matches!(role, Some(Role::EngMgr | Role::CenterMgr))
        && matches!(
            status,
            WorkOrderStatus::Reported | WorkOrderStatus::Assigned | WorkOrderStatus::Accepted
        );
    let is_mine = role == Some(Role::Tech) && order.assignee == me;
    let pick = RwSignal::new(techs.first().map(|t| t.0.to_string()).unwrap_or_default());
    let reason = RwSignal::new(String::new());
    let kind = order.kind;
    let declined = order.declined.as_ref().map(|d| d.reason.clone());
    let paperwork = order.paperwork_pending();
    let visit = order.mandatory_visit();
    let second = order.second_repair_of.is_some();
    let href = format!("/repairs/{id}");
    view! {
        <li class="card order" data-id=id.to_string() data-status=status.code() data-testid="order-card">
            <div class="order-head">
                <a class="number" data-testid="order-link" href=href>
                    {move || number.clone().unwrap_or_else(|| i18n.t(Msg::RepairNumberPending).to_owned())}
                </a>
                <span class=format!("tag kind-{}", code_of(&kind))>
                    {move || i18n.t(kind_msg(kind))}
                </span>
                <span class=format!("tag status status-{}", status.code())>{move || i18n.t(status_msg(status))}</span>
                <Show when=move || o.unsynced>
                    <span class="tag unsynced">{move || i18n.t(Msg::RepairUnsynced)}</span>
                </Show>
                <Show when=move || paperwork>
                    <span class="tag alert" data-testid="paperwork-pending">{move || i18n.t(Msg::OfficePaperworkPending)}</span>
                </Show>
                <Show when=move || second>
                    <span class="tag alert">{move || i18n.t(Msg::OfficeSecondRepair)}</span>
                </Show>
                {visit.map(|v| view! {
                    <span class="tag alert" data-testid="mandatory-visit">{move || i18n.tf(Msg::OfficeMandatoryVisit, &[("why", i18n.t(visit_msg(v)).into())])}</span>
                })}
            </div>
            <p class="unit">{place}</p>
            <p>{order.content.clone()}</p>
            <p class="muted small">{order.reporter_name.clone()} " · " {order.reporter_phone.clone()} " · " {short_time(order.reported_at)}</p>
            {declined.map(|r| view! {
                <p class="declined" data-testid="decline-reason">{move || i18n.tf(Msg::OfficeDeclinedBecause, &[("reason", r.clone())])}</p>
            })}
            {assignee_name.map(|n| view! { <p class="muted small">{move || i18n.tf(Msg::RepairAssignee, &[("name", n.clone())])}</p> })}
            <Show when=move || can_dispatch>
                <div class="actions">
                    <select class="assign-select" bind:value=pick>
                        {techs.clone().into_iter().map(|(tid, name)| view! { <option value=tid.to_string()>{name}</option> }).collect_view()}
                    </select>
                    <button class="button primary assign" on:click=move |_| {
                        if let Ok(t) = StaffId::parse(&pick.get_untracked()) {
                            act(WorkOrderCommand::Assign { technician: t });
                        }
                    }>{move || i18n.t(Msg::RepairAssign)}</button>
                </div>
            </Show>
            <Show when=move || is_mine && status == WorkOrderStatus::Assigned>
                <div class="actions">
                    <button class="button primary accept" on:click=move |_| act(WorkOrderCommand::Accept)>
                        {move || i18n.t(Msg::RepairAccept)}
                    </button>
                </div>
            </Show>
            <Show when=move || is_mine && matches!(status, WorkOrderStatus::Assigned | WorkOrderStatus::Accepted)>
                <div class="actions">
                    <button class="button primary arrive" on:click=move |_| act(WorkOrderCommand::Arrive)>
                        {move || i18n.t(Msg::RepairArrive)}
                    </button>
                    <input class="decline-reason" bind:value=reason placeholder=move || i18n.t(Msg::RepairDeclineReason) />
                    <button class="button decline" on:click=move |_| act(WorkOrderCommand::Decline { reason: reason.get_untracked() })>
                        {move || i18n.t(Msg::RepairDecline)}
                    </button>
                </div>
            </Show>
            <Show when=move || error.get().is_some()>
                <p class="form-error">{move || error.get()}</p>
            </Show>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_times_are_beijing_time() {
        let t = from_local_input("2026-11-21T14:45").expect("time");
        assert_eq!(t.to_rfc3339(), "2026-11-21T06:45:00+00:00");
        assert_eq!(to_local_input(t), "2026-11-21T14:45");
        assert_eq!(china_time(t), "2026-11-21 14:45");
        assert_eq!(short_time(t), "11-21 14:45");
        assert!(from_local_input("").is_none());
    }

    #[test]
    fn every_command_has_history_words() {
        for a in [
            "work_order.create",
            "work_order.complete_paperwork",
            "work_order.decide_fee",
        ] {
            assert!(action_msg(a).is_some(), "{a}");
        }
        assert!(action_msg("work_order.nonsense").is_none());
        assert_eq!(code_of(&Rating::FairlySatisfied), "fairly_satisfied");
    }
}
