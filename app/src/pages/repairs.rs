//! Repair requests (报修): the intake form (desk, and field staff offline) and the order lists
//! with each role's next step: dispatch for the engineering manager, accept / arrive / hand
//! back for the technician. Every action is queued in the outbox first.

use crate::frame::{use_profile, Guarded};
use crate::i18n::{use_i18n, Msg};
use crate::offline::client::{self, OrderView};
use crate::offline::use_sync_status;
use domain::access::home_area;
use domain::ids::{SiteId, StaffId, UnitId};
use domain::people::Role;
use domain::sync::reference::ReferenceData;
use domain::sync::wire::BlobRef;
use domain::work_orders::{
    Channel, NewRepairRequest, RepairKind, Timing, WorkOrderCommand, WorkOrderStatus,
};
use leptos::prelude::*;
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

#[component]
fn NewRepairForm() -> impl IntoView {
    let i18n = use_i18n();
    let profile = use_profile();
    let role = profile.as_ref().map(|p| p.role).unwrap_or(Role::Desk);
    let site: Option<SiteId> = profile.as_ref().and_then(|p| p.sites.first().map(|s| s.id));
    let home = home_area(role).path();
    let reference = LocalResource::new(|| async { client::reference().await });

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
    let timing = RwSignal::new("immediate".to_owned());
    let appointment = RwSignal::new(String::new());
    let photos = RwSignal::new(Vec::<BlobRef>::new());
    let message = RwSignal::new(None::<(bool, String)>);
    let busy = RwSignal::new(false);

    let matches = move || {
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
        let timing_v = if timing.get_untracked() == "appointment" {
            match chrono::NaiveDateTime::parse_from_str(
                &appointment.get_untracked(),
                "%Y-%m-%dT%H:%M",
            ) {
                // The form's local time is Beijing time.
                Ok(t) => Timing::Appointment {
                    at: (t - chrono::Duration::hours(8)).and_utc(),
                },
                Err(_) => {
                    message.set(Some((
                        false,
                        i18n.tf(
                            Msg::SyncRefused,
                            &[("reason", i18n.t(Msg::RepairTiming).into())],
                        ),
                    )));
                    return;
                }
            }
        } else {
            Timing::Immediate
        };
        let kind_v: Option<RepairKind> = serde_json::from_value(kind.get_untracked().into()).ok();
        let channel_v: Option<Channel> =
            serde_json::from_value(channel.get_untracked().into()).ok();
        let (Some(kind_v), Some(channel_v)) = (kind_v, channel_v) else {
            return;
        };
        let req = NewRepairRequest {
            site_id,
            unit_id: if common.get_untracked() {
                None
            } else {
                unit.get_untracked().map(|u| u.0)
            },
            common_area: common.get_untracked(),
            location: location.get_untracked(),
            channel: channel_v,
            kind: kind_v,
            reporter_name: reporter.get_untracked(),
            reporter_phone: phone.get_untracked(),
            content: content.get_untracked(),
            timing: timing_v,
            photos: photos.get_untracked(),
            contacted_at: None,
            matched: Default::default(),
            leak: false,
            second_repair_reported: false,
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let r = client::submit(new_id(), WorkOrderCommand::Create(req)).await;
            busy.set(false);
            match r {
                Ok(()) => {
                    message.set(Some((true, i18n.t(Msg::SyncSaved).into())));
                    unit_query.set(String::new());
                    unit.set(None);
                    location.set(String::new());
                    reporter.set(String::new());
                    phone.set(String::new());
                    content.set(String::new());
                    photos.set(Vec::new());
                }
                Err((m, detail)) => {
                    let reason = if detail.is_empty() {
                        i18n.t(m).to_owned()
                    } else {
                        detail
                    };
                    message.set(Some((
                        false,
                        i18n.tf(Msg::SyncRefused, &[("reason", reason)]),
                    )));
                }
            }
        });
    };

    view! {
        <section class="repair-form">
            <h1>{move || i18n.t(Msg::RepairNew)}</h1>
            <form class="card" id="repair-form" on:submit=submit>
                <label class="check">
                    <input type="checkbox" id="repair-common" bind:checked=common />
                    <span>{move || i18n.t(Msg::RepairCommonArea)}</span>
                </label>
                <Show when=move || !common.get()>
                    <label>
                        <span>{move || i18n.t(Msg::RepairUnit)}</span>
                        <input id="repair-unit" bind:value=unit_query autocomplete="off"
                            placeholder=move || i18n.t(Msg::RepairUnitPlaceholder) />
                    </label>
                    <div class="unit-picks" id="unit-picks">
                        {move || {
                            let q = unit_query.get();
                            if q.trim().is_empty() || unit.get().is_some_and(|(_, l)| l == q) {
                                return ().into_any();
                            }
                            let list = matches();
                            if list.is_empty() {
                                return view! { <p class="muted small">{move || i18n.t(Msg::RepairUnitNone)}</p> }.into_any();
                            }
                            list.into_iter().map(|(id, label)| {
                                let l2 = label.clone();
                                view! {
                                    <button type="button" class="pick" on:click=move |_| {
                                        unit.set(Some((id, l2.clone())));
                                        unit_query.set(l2.clone());
                                    }>{label}</button>
                                }
                            }).collect_view().into_any()
                        }}
                    </div>
                </Show>
                <label>
                    <span>{move || i18n.t(Msg::RepairLocation)}</span>
                    <input id="repair-location" bind:value=location />
                </label>
                <label>
                    <span>{move || i18n.t(Msg::RepairReporter)}</span>
                    <input id="repair-reporter" bind:value=reporter required />
                </label>
                <label>
                    <span>{move || i18n.t(Msg::RepairPhone)}</span>
                    <input id="repair-phone" type="tel" inputmode="tel" bind:value=phone required />
                </label>
                <label>
                    <span>{move || i18n.t(Msg::RepairContent)}</span>
                    <textarea id="repair-content" rows="3" bind:value=content required></textarea>
                </label>
                <div class="row2">
                    <label>
                        <span>{move || i18n.t(Msg::RepairKind)}</span>
                        <select id="repair-kind" bind:value=kind>
                            <option value="daily">{move || i18n.t(Msg::RepairKindDaily)}</option>
                            <option value="warranty_complaint">{move || i18n.t(Msg::RepairKindWarrantyComplaint)}</option>
                            <option value="urgent">{move || i18n.t(Msg::RepairKindUrgent)}</option>
                            <option value="emergency">{move || i18n.t(Msg::RepairKindEmergency)}</option>
                        </select>
                    </label>
                    <label>
                        <span>{move || i18n.t(Msg::RepairChannel)}</span>
                        <select id="repair-channel" bind:value=channel>
                            <option value="phone">{move || i18n.t(Msg::RepairChannelPhone)}</option>
                            <option value="walk_in">{move || i18n.t(Msg::RepairChannelWalkIn)}</option>
                            <option value="written">{move || i18n.t(Msg::RepairChannelWritten)}</option>
                            <option value="relayed">{move || i18n.t(Msg::RepairChannelRelayed)}</option>
                            <option value="field">{move || i18n.t(Msg::RepairChannelField)}</option>
                        </select>
                    </label>
                </div>
                <label>
                    <span>{move || i18n.t(Msg::RepairTiming)}</span>
                    <select id="repair-timing" bind:value=timing>
                        <option value="immediate">{move || i18n.t(Msg::RepairTimingImmediate)}</option>
                        <option value="appointment">{move || i18n.t(Msg::RepairTimingAppointment)}</option>
                    </select>
                </label>
                <Show when=move || timing.get() == "appointment">
                    <input id="repair-appointment" type="datetime-local" bind:value=appointment />
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
                        <p id="repair-message" class=if ok { "form-ok" } else { "form-error" } role="status">{text}</p>
                    })}
                </Show>
                <button type="submit" class="button primary" id="repair-save" disabled=move || busy.get()>
                    {move || i18n.t(Msg::RepairSave)}
                </button>
                <a class="button" href=home>{move || i18n.t(Msg::NavHome)}</a>
            </form>
        </section>
    }
}

/// The orders this device knows, newest first, with the signed-in role's next steps.
#[component]
pub fn OrderList() -> impl IntoView {
    let i18n = use_i18n();
    let st = use_sync_status();
    let orders = LocalResource::new(move || {
        st.data_version.track();
        async move { client::work_orders().await }
    });
    let reference = LocalResource::new(move || {
        st.data_version.track();
        async move { client::reference().await }
    });
    view! {
        <section class="orders">
            <h2>{move || i18n.t(Msg::RepairListTitle)}</h2>
            <Suspense fallback=|| view! { <p class="muted">"…"</p> }>
                {move || orders.get().map(|list| {
                    if list.is_empty() {
                        return view! { <p class="empty" id="orders-empty">{move || i18n.t(Msg::RepairNone)}</p> }.into_any();
                    }
                    let reference = reference.get().flatten().unwrap_or_default();
                    view! {
                        <ul class="order-list" id="order-list">
                            {list.into_iter().map(|o| view! { <OrderCard o reference=reference.clone() /> }).collect_view()}
                        </ul>
                    }.into_any()
                })}
            </Suspense>
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
    let unit_label = order
        .unit_id
        .and_then(|u| {
            reference
                .units
                .iter()
                .find(|r| r.id == u)
                .map(|r| r.label.clone())
        })
        .unwrap_or_else(|| order.location.clone());
    let assignee_name = order.assignee.and_then(|a| {
        reference
            .technicians
            .iter()
            .find(|t| t.id == a)
            .map(|t| t.display_name.clone())
    });
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
                Err((m, detail)) => {
                    let reason = if detail.is_empty() {
                        i18n.t(m).to_owned()
                    } else {
                        detail
                    };
                    error.set(Some(i18n.tf(Msg::SyncRefused, &[("reason", reason)])));
                }
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
    view! {
        <li class="card order" data-id=id.to_string() data-status=status.code()>
            <div class="order-head">
                <strong class="number">{move || number.clone().unwrap_or_else(|| i18n.t(Msg::RepairNumberPending).to_owned())}</strong>
                <span class=format!("tag kind-{}", serde_json::to_value(kind).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default())>
                    {move || i18n.t(kind_msg(kind))}
                </span>
                <span class="tag status">{move || i18n.t(status_msg(status))}</span>
                <Show when=move || o.unsynced>
                    <span class="tag unsynced">{move || i18n.t(Msg::RepairUnsynced)}</span>
                </Show>
            </div>
            <p class="unit">{unit_label}</p>
            <p>{order.content.clone()}</p>
            <p class="muted small">{order.reporter_name.clone()} " · " {order.reporter_phone.clone()}</p>
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
