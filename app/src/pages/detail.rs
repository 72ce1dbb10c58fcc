//! `/repairs/:id`: one 维修单 for the desk and the managers. Read from the device's store (so it
//! opens offline), with the server's `GET /api/v1/work-orders/{id}` as the fallback and as the
//! source of the names the device lacks. The office steps (rebook, paperwork, reply, visit,
//! referral, developer notice, fee decision) are queued through the outbox like every action.

use crate::api;
use crate::frame::{use_profile, Guarded};
use crate::i18n::{use_i18n, Msg};
use crate::offline::client;
use crate::offline::use_sync_status;
use crate::pages::repairs::{
    action_msg, channel_msg, china_time, clock_msg, code_of, from_local_input, kind_msg, now,
    rating_msg, refusal, status_msg, store_ready, technician_name, visit_msg,
};
use domain::ids::StaffId;
use domain::money::Fen;
use domain::people::Role;
use domain::session::StaffProfile;
use domain::sync::reference::ReferenceData;
use domain::sync::wire::BlobRef;
use domain::work_orders::quote::line_amount;
use domain::work_orders::sla::{clocks, ClockState};
use domain::work_orders::views::OrderDetail;
use domain::work_orders::{
    CatalogueMatch, FeeSide, MaterialSource, QuoteLine, RepairKind, Timing, WorkOrder,
    WorkOrderCommand, WorkOrderStatus,
};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

/// An order as a screen shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub detail: OrderDetail,
    /// This device has unsynced changes to it.
    pub unsynced: bool,
    /// Read from the device's store (actions can be queued); otherwise only from the server.
    pub local: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Load {
    Loading,
    Ready(Box<Loaded>),
    /// Neither the device nor the server has it; the server's code (`not_found`, `network`).
    Missing(String),
}

impl Loaded {
    pub fn order(&self) -> &WorkOrder {
        &self.detail.order
    }

    /// A staff member's name: from the server's list, the device's technicians, or a short id.
    pub fn staff_name(&self, id: StaffId, reference: &ReferenceData) -> String {
        self.detail
            .staff_names
            .iter()
            .find(|(s, _)| *s == id)
            .map(|(_, n)| n.clone())
            .or_else(|| technician_name(reference, id))
            .unwrap_or_else(|| id.to_string().chars().take(8).collect())
    }

    /// A catalogue item's name by code.
    pub fn item_name(&self, code: &str, reference: &ReferenceData) -> String {
        self.detail
            .item_names
            .iter()
            .find(|(c, _)| c == code)
            .map(|(_, n)| n.clone())
            .or_else(|| {
                reference
                    .catalogue
                    .iter()
                    .find(|c| c.code == code && c.site_id == self.detail.order.site_id)
                    .map(|c| c.name_zh.clone())
            })
            .unwrap_or_else(|| code.to_owned())
    }

    /// `3栋2单元1502`, or the location of a common-area job.
    pub fn place(&self) -> String {
        let o = self.order();
        match (&self.detail.unit_label, o.location.trim()) {
            (Some(u), "") => u.clone(),
            (Some(u), l) => format!("{u}（{l}）"),
            (None, l) => l.to_owned(),
        }
    }
}

/// The order as the device's store has it, with the names from the device's reference data.
fn from_store(
    order: WorkOrder,
    version: i64,
    r: &ReferenceData,
    profile: Option<&StaffProfile>,
) -> OrderDetail {
    let site = order.site_id;
    let site_name = profile
        .and_then(|p| p.sites.iter().find(|s| s.id == site))
        .map(|s| s.name.clone())
        .unwrap_or_default();
    let unit_label = order
        .unit_id
        .and_then(|u| r.units.iter().find(|x| x.id == u).map(|x| x.label.clone()));
    let mut staff_names: Vec<(StaffId, String)> = r
        .technicians
        .iter()
        .map(|t| (t.id, t.display_name.clone()))
        .collect();
    if let Some(p) = profile {
        staff_names.push((p.staff_id, p.display_name.clone()));
    }
    let item_names = r
        .catalogue
        .iter()
        .filter(|c| c.site_id == site)
        .map(|c| (c.code.clone(), c.name_zh.clone()))
        .collect();
    let updated_at = order
        .history
        .last()
        .map(|h| h.at)
        .unwrap_or(order.reported_at);
    OrderDetail {
        version,
        site_name,
        unit_label,
        staff_names,
        item_names,
        policy: r.policy(site),
        received_at: order.reported_at,
        updated_at,
        order,
    }
}

async fn load_local(id: Uuid, profile: Option<StaffProfile>) -> Option<(OrderDetail, bool)> {
    let v = client::work_orders()
        .await
        .into_iter()
        .find(|v| v.order.id.0 == id)?;
    let r = client::reference().await.unwrap_or_default();
    Some((
        from_store(v.order, v.version, &r, profile.as_ref()),
        v.unsynced,
    ))
}

/// The device's copy, with the server's names added when the server answered.
fn merge(local: OrderDetail, remote: Option<&OrderDetail>) -> OrderDetail {
    let Some(r) = remote else { return local };
    let mut d = local;
    let mut names = r.staff_names.clone();
    names.extend(d.staff_names);
    d.staff_names = names;
    let mut items = r.item_names.clone();
    items.extend(d.item_names);
    d.item_names = items;
    if d.site_name.is_empty() {
        d.site_name = r.site_name.clone();
    }
    if d.unit_label.is_none() {
        d.unit_label = r.unit_label.clone();
    }
    d.policy = r.policy;
    d.received_at = r.received_at;
    d
}

/// Loads order `id` (from the route) for a screen: the store first, the server as fallback.
pub fn use_order(id: Memo<Option<Uuid>>) -> Memo<Load> {
    let st = use_sync_status();
    let ready = store_ready(st);
    let profile = use_profile();
    let local = LocalResource::new(move || {
        st.data_version.track();
        ready.track();
        let id = id.get();
        let profile = profile.clone();
        async move {
            match id {
                Some(id) => load_local(id, profile).await,
                None => None,
            }
        }
    });
    let remote = LocalResource::new(move || {
        let id = id.get();
        async move {
            match id {
                Some(id) => {
                    Some(api::get_json::<OrderDetail>(&format!("/api/v1/work-orders/{id}")).await)
                }
                None => None,
            }
        }
    });
    Memo::new(move |_| {
        if id.get().is_none() {
            return Load::Missing("not_found".into());
        }
        let remote = remote.get().flatten();
        let remote_ok = remote.as_ref().and_then(|r| r.as_ref().ok());
        match local.get() {
            Some(Some((d, unsynced))) => Load::Ready(Box::new(Loaded {
                detail: merge(d, remote_ok),
                unsynced,
                local: true,
            })),
            Some(None) => match remote {
                Some(Ok(d)) => Load::Ready(Box::new(Loaded {
                    detail: d,
                    unsynced: false,
                    local: false,
                })),
                // The store may still be opening: wait for it before saying "not found".
                Some(Err(e))
                    if ready.get() || st.last_error.get().as_deref() == Some("local_storage") =>
                {
                    Load::Missing(e.code())
                }
                _ => Load::Loading,
            },
            None => Load::Loading,
        }
    })
}

/// The id in the route.
pub fn route_id() -> Memo<Option<Uuid>> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get("id").and_then(|s| Uuid::parse_str(&s).ok())))
}

pub fn blob_url(b: &BlobRef) -> String {
    format!("/api/sync/v1/blobs/{}", b.sha256)
}

/// The not-found / loading states every order screen shares.
pub fn load_state_view(state: Load) -> Result<Box<Loaded>, AnyView> {
    let i18n = use_i18n();
    match state {
        Load::Ready(l) => Ok(l),
        Load::Loading => Err(view! { <p class="muted" data-testid="order-loading">{move || i18n.t(Msg::OfficeLoading)}</p> }.into_any()),
        Load::Missing(code) => {
            let msg = if code == "network" { Msg::OfficeNotFoundOffline } else { Msg::OfficeNotFound };
            Err(view! {
            <div class="empty" data-testid="order-missing" data-code=code>
                <p>{move || i18n.t(msg)}</p>
            </div>
        }
        .into_any())
        }
    }
}

#[component]
pub fn OrderDetailPage() -> impl IntoView {
    view! {
        <Guarded area=None>
            <OrderDetailScreen />
        </Guarded>
    }
}

/// What is typed in the action forms: kept at the page so a re-render (new data from a sync)
/// does not wipe it.
#[derive(Clone, Copy)]
struct Forms {
    rebook_timing: RwSignal<String>,
    rebook_at: RwSignal<String>,
    paper_name: RwSignal<String>,
    paper_phone: RwSignal<String>,
    paper_content: RwSignal<String>,
    /// The paperwork fields were filled from the order once.
    paper_init: RwSignal<bool>,
    reply: RwSignal<String>,
    reply_close: RwSignal<bool>,
    visit: RwSignal<String>,
    refer: RwSignal<String>,
    dev_contact: RwSignal<String>,
    dev_survey: RwSignal<String>,
    /// Lines left out of the fee decision, by index.
    fee_dropped: RwSignal<Vec<usize>>,
    message: RwSignal<Option<(bool, String)>>,
    busy: RwSignal<bool>,
}

impl Forms {
    fn new() -> Self {
        Forms {
            rebook_timing: RwSignal::new("immediate".into()),
            rebook_at: RwSignal::new(String::new()),
            paper_name: RwSignal::new(String::new()),
            paper_phone: RwSignal::new(String::new()),
            paper_content: RwSignal::new(String::new()),
            paper_init: RwSignal::new(false),
            reply: RwSignal::new(String::new()),
            reply_close: RwSignal::new(false),
            visit: RwSignal::new(String::new()),
            refer: RwSignal::new(String::new()),
            dev_contact: RwSignal::new(String::new()),
            dev_survey: RwSignal::new(String::new()),
            fee_dropped: RwSignal::new(Vec::new()),
            message: RwSignal::new(None),
            busy: RwSignal::new(false),
        }
    }
}

#[component]
fn OrderDetailScreen() -> impl IntoView {
    let i18n = use_i18n();
    let id = route_id();
    let load = use_order(id);
    let st = use_sync_status();
    let ready = store_ready(st);
    let reference = LocalResource::new(move || {
        st.data_version.track();
        ready.track();
        async { client::reference().await }
    });
    let refs = Memo::new(move |_| reference.get().flatten().unwrap_or_default());
    let forms = Forms::new();
    // The intake form comes here after saving: say that it is saved on the device.
    Effect::new(move |_| {
        if let Some(id) = id.get() {
            if crate::pages::repairs::take_just_saved(id) {
                forms
                    .message
                    .set(Some((true, i18n.t(Msg::SyncSaved).to_owned())));
            }
        }
    });
    view! {
        <section class="order-detail" data-testid="order-detail">
            <Show when=move || forms.message.get().is_some()>
                {move || forms.message.get().map(|(ok, text)| view! {
                    <p id="repair-message" data-testid="action-message" class=if ok { "form-ok" } else { "form-error" } role="status">{text}</p>
                })}
            </Show>
            {move || match load_state_view(load.get()) {
                Ok(l) => view! { <DetailBody l=*l refs=refs.get() forms /> }.into_any(),
                Err(v) => v,
            }}
        </section>
    }
}

#[component]
fn DetailBody(l: Loaded, refs: ReferenceData, forms: Forms) -> impl IntoView {
    let i18n = use_i18n();
    let profile = use_profile();
    let role = profile.as_ref().map(|p| p.role);
    let me = profile.as_ref().map(|p| p.staff_id);
    let o = l.order().clone();
    let id = o.id.0;
    let status = o.status;
    let kind = o.kind;
    let policy = l.detail.policy;
    let number = o.number.clone();
    let place = l.place();
    let office = matches!(
        role,
        Some(Role::Desk | Role::EngMgr | Role::CsMgr | Role::CenterMgr)
    );
    let manager = matches!(role, Some(Role::EngMgr | Role::CenterMgr));
    let local = l.local;

    // Clocks, judged again every 30 s.
    let tick = RwSignal::new(now());
    #[cfg(feature = "hydrate")]
    {
        if let Ok(h) = leptos::prelude::set_interval_with_handle(
            move || tick.set(now()),
            std::time::Duration::from_secs(30),
        ) {
            on_cleanup(move || h.clear());
        }
    }
    let o_clocks = o.clone();
    let clock_rows = move || {
        let t = tick.get();
        clocks(&o_clocks, &policy.sla, t)
            .into_iter()
            .map(|c| {
                let (state, due, at) = match c.state {
                    ClockState::Running { due } => ("running", due, None),
                    ClockState::Met { due, at } => ("met", due, Some(at)),
                    ClockState::Breached { due, at } => ("breached", due, at),
                };
                let state_msg = match state {
                    "running" => Msg::OfficeClockRunning,
                    "met" => Msg::OfficeClockMet,
                    _ => Msg::OfficeClockBreached,
                };
                view! {
                    <tr class=format!("clock {state}") data-testid="clock" data-kind=code_of(&c.kind) data-state=state>
                        <td>{move || i18n.t(clock_msg(c.kind))}</td>
                        <td>{china_time(due)}</td>
                        <td>{at.map(china_time).unwrap_or_default()}</td>
                        <td class="state">{move || i18n.t(state_msg)}</td>
                    </tr>
                }
            })
            .collect_view()
    };

    let act = move |cmd: WorkOrderCommand| {
        if forms.busy.get_untracked() {
            return;
        }
        forms.busy.set(true);
        leptos::task::spawn_local(async move {
            let r = client::submit(id, cmd).await;
            forms.busy.set(false);
            match r {
                Ok(()) => forms
                    .message
                    .set(Some((true, i18n.t(Msg::SyncSaved).to_owned()))),
                Err(e) => forms.message.set(Some((false, refusal(i18n, e)))),
            }
        });
    };

    // The match at intake.
    let matched = match &o.matched {
        CatalogueMatch::Catalogue { code } => {
            let std = refs
                .catalogue
                .iter()
                .find(|c| &c.code == code && c.site_id == o.site_id)
                .and_then(|c| c.std_minutes);
            let name = l.item_name(code, &refs);
            let code = code.clone();
            view! {
                <span data-testid="order-match" data-list="catalogue">
                    {code} " " {name}
                    {std.map(|n| view! { " · " {move || i18n.tf(Msg::OfficeStdMinutes, &[("n", n.to_string())])} })}
                </span>
            }
            .into_any()
        }
        CatalogueMatch::Supplier { code } => {
            let name = supplier_name(&refs, code);
            view! {
                <span data-testid="order-match" data-list="supplier">
                    {name} " · " {move || i18n.t(Msg::OfficeReferNote)}
                </span>
            }
            .into_any()
        }
        CatalogueMatch::None => view! {
            <span data-testid="order-match" data-list="none">{move || i18n.t(Msg::OfficeOutOfStandard)}</span>
        }
        .into_any(),
    };

    let timing = match o.timing {
        Timing::Immediate => view! { {move || i18n.t(Msg::RepairTimingImmediate)} }.into_any(),
        Timing::Appointment { at } => view! {
            {move || i18n.t(Msg::RepairTimingAppointment)} " " {china_time(at)}
        }
        .into_any(),
    };
    let assignee = o.assignee.map(|a| l.staff_name(a, &refs));
    let creator = l.staff_name(o.created_by, &refs);

    // Scope, lines and total; signatures: shown once there is something to show.
    let has_work = !o.scope.is_empty() || !o.lines.is_empty();
    let has_signatures = o.consent.is_some() || o.acceptance.is_some();
    let lines_view = lines_table(&l, &refs, None);
    let total = o.total().unwrap_or_default();

    // Signatures, acceptance, decline.
    let consent = o.consent.clone();
    let acceptance = o.acceptance.clone();
    let declined = o.declined.clone();
    let visit = o.mandatory_visit();
    let paperwork = o.paperwork_pending();
    let second = o.second_repair_of.clone();
    let attempts: Vec<(String, String, Option<BlobRef>)> = o
        .attempts
        .iter()
        .map(|a| (china_time(a.at), l.staff_name(a.by, &refs), a.photo.clone()))
        .collect();
    let history: Vec<(String, String, String, String)> = o
        .history
        .iter()
        .map(|h| {
            (
                china_time(h.at),
                l.staff_name(h.by, &refs),
                h.action.clone(),
                h.note.clone(),
            )
        })
        .collect();
    let referred = o.referred_to.as_ref().map(|c| {
        let hint = refs
            .suppliers
            .iter()
            .find(|s| &s.code == c && s.site_id == o.site_id)
            .map(|s| s.supplier_hint_zh.clone())
            .unwrap_or_default();
        (supplier_name(&refs, c), hint)
    });
    let reply = o
        .reply
        .as_ref()
        .map(|r| (r.text.clone(), china_time(r.at), l.staff_name(r.by, &refs)));
    let manager_visited = o.manager_visited_at.map(china_time);
    let warranty = o.warranty.clone();
    let shortage = o.shortage.clone();
    let fee_note = o.fee_note.clone();
    let approvals: Vec<(FeeSide, String, String)> = o
        .fee_approvals
        .iter()
        .map(|a| (a.side, l.staff_name(a.by, &refs), china_time(a.at)))
        .collect();
    let photos = o.photos.clone();
    let after_photos = o.after_photos.clone();

    // Which actions this role has here.
    let open_for_reply = matches!(
        status,
        WorkOrderStatus::Reported | WorkOrderStatus::Assigned | WorkOrderStatus::Accepted
    );
    let can_rebook = local && office && status == WorkOrderStatus::AwaitingRebook;
    let can_paperwork = local && paperwork && (office || me == Some(o.created_by));
    let can_reply = local && manager && open_for_reply;
    let can_visit = local
        && manager
        && second.is_some()
        && o.manager_visited_at.is_none()
        && !status.is_final();
    let suppliers: Vec<(String, String)> = refs
        .suppliers
        .iter()
        .filter(|s| s.site_id == o.site_id)
        .map(|s| (s.code.clone(), s.name_zh.clone()))
        .collect();
    let can_refer = local
        && office
        && !suppliers.is_empty()
        && matches!(
            status,
            WorkOrderStatus::Reported
                | WorkOrderStatus::Assigned
                | WorkOrderStatus::Accepted
                | WorkOrderStatus::OnSite
                | WorkOrderStatus::Quoted
        );
    let can_notify =
        local && manager && kind == RepairKind::WarrantyComplaint && !status.is_final();
    let can_fee = local
        && matches!(role, Some(Role::EngMgr | Role::CsMgr | Role::CenterMgr))
        && status == WorkOrderStatus::FeePending;
    if forms.refer.get_untracked().is_empty() {
        if let CatalogueMatch::Supplier { code } = &o.matched {
            forms.refer.set(code.clone());
        } else if let Some((c, _)) = suppliers.first() {
            forms.refer.set(c.clone());
        }
    }
    if !forms.paper_init.get_untracked() {
        forms.paper_init.set(true);
        forms.paper_content.set(o.content.clone());
        forms.paper_name.set(o.reporter_name.clone());
        forms.paper_phone.set(o.reporter_phone.clone());
    }
    let fee_lines = o.lines.clone();
    let fee_rows: Vec<(usize, String, String)> = o
        .lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            (
                i,
                line_label(&l, &refs, line),
                line_amount(line).unwrap_or_default().to_string(),
            )
        })
        .collect();
    let home = role
        .map(|r| domain::access::home_area(r).path())
        .unwrap_or("/");

    view! {
        <p class="no-print"><a href=home class="link" data-testid="back-link">{move || i18n.t(Msg::OfficeBack)}</a></p>
        <article class="card detail" data-id=id.to_string() data-status=status.code()>
            <header class="order-head">
                <h1 class="number" data-testid="order-number">
                    {move || number.clone().unwrap_or_else(|| i18n.t(Msg::RepairNumberPending).to_owned())}
                </h1>
                <span class=format!("tag status status-{}", status.code()) data-testid="order-status" data-status=status.code()>
                    {move || i18n.t(status_msg(status))}
                </span>
                <span class=format!("tag kind-{}", code_of(&kind)) data-testid="order-kind" data-kind=code_of(&kind)>{move || i18n.t(kind_msg(kind))}</span>
                <Show when=move || l.unsynced>
                    <span class="tag unsynced">{move || i18n.t(Msg::RepairUnsynced)}</span>
                </Show>
                <Show when=move || paperwork>
                    <span class="tag alert" data-testid="paperwork-pending">{move || i18n.t(Msg::OfficePaperworkPending)}</span>
                </Show>
                {second.clone().map(|s| view! {
                    <span class="tag alert" data-testid="second-repair">
                        {move || i18n.t(Msg::OfficeSecondRepair)}
                        {s.number.clone().map(|n| format!(" ← {n}"))}
                    </span>
                })}
                {visit.map(|v| view! {
                    <span class="tag alert" data-testid="mandatory-visit" data-why=code_of(&v)>
                        {move || i18n.tf(Msg::OfficeMandatoryVisit, &[("why", i18n.t(visit_msg(v)).into())])}
                    </span>
                })}
                <a class="button print-button no-print" data-testid="print-link" href=format!("/repairs/{id}/print")>
                    {move || i18n.t(Msg::OfficePrint)}
                </a>
            </header>
            <dl class="facts">
                <dt>{move || i18n.t(Msg::OfficeSite)}</dt><dd>{l.detail.site_name.clone()}</dd>
                <dt>{move || i18n.t(Msg::OfficePlace)}</dt>
                <dd data-testid="order-unit">
                    {place}
                    <Show when=move || o.common_area>" · " {move || i18n.t(Msg::OfficeCommonArea)}</Show>
                </dd>
                <dt>{move || i18n.t(Msg::RepairReporter)}</dt><dd data-testid="order-reporter">{o.reporter_name.clone()}</dd>
                <dt>{move || i18n.t(Msg::RepairPhone)}</dt><dd data-testid="order-phone">{o.reporter_phone.clone()}</dd>
                <dt>{move || i18n.t(Msg::RepairChannel)}</dt><dd>{move || i18n.t(channel_msg(o.channel))}</dd>
                <dt>{move || i18n.t(Msg::OfficeContactedAt)}</dt><dd>{o.contacted_at.map(china_time).unwrap_or_else(|| "—".into())}</dd>
                <dt>{move || i18n.t(Msg::OfficeReportedAt)}</dt><dd>{china_time(o.reported_at)}</dd>
                <dt>{move || i18n.t(Msg::RepairTiming)}</dt><dd data-testid="order-timing">{timing}</dd>
                <dt>{move || i18n.t(Msg::RepairContent)}</dt><dd data-testid="order-content" class="content-text">{o.content.clone()}</dd>
                <dt>{move || i18n.t(Msg::OfficeMatch)}</dt><dd>{matched}</dd>
                <Show when=move || o.leak>
                    <dt>{move || i18n.t(Msg::OfficeLeak)}</dt><dd>"✓"</dd>
                </Show>
                <dt>{move || i18n.t(Msg::OfficeTechnician)}</dt><dd data-testid="order-assignee">{assignee.clone().unwrap_or_else(|| "—".into())}</dd>
                <dt>{move || i18n.t(Msg::OfficeCreatedBy)}</dt><dd>{creator}</dd>
            </dl>
            {(!photos.is_empty()).then(|| view! { <PhotoStrip title=Msg::RepairPhotos photos=photos.clone() /> })}

            <h2>{move || i18n.t(Msg::OfficeClocks)}</h2>
            <table class="clocks" data-testid="order-clocks">
                <thead><tr>
                    <th>{move || i18n.t(Msg::OfficeClock)}</th>
                    <th>{move || i18n.t(Msg::OfficeDue)}</th>
                    <th>{move || i18n.t(Msg::OfficeDoneAt)}</th>
                    <th>{move || i18n.t(Msg::OfficeState)}</th>
                </tr></thead>
                <tbody>{clock_rows}</tbody>
            </table>

            {reply.map(|(text, at, by)| view! {
                <section class="block" data-testid="order-reply">
                    <h2>{move || i18n.t(Msg::OfficeReplyTitle)}</h2>
                    <p>{text}</p>
                    <p class="muted small">{by} " · " {at}</p>
                </section>
            })}
            {manager_visited.map(|at| view! {
                <p class="block" data-testid="order-visited">{move || i18n.tf(Msg::OfficeVisitedAt, &[("time", at.clone())])}</p>
            })}
            {referred.map(|(name, hint)| view! {
                <section class="block" data-testid="order-referral">
                    <h2>{move || i18n.t(Msg::OfficeReferralTitle)}</h2>
                    <p>{name}</p>
                    <p class="muted small">{hint}</p>
                    <p class="note">{move || i18n.t(Msg::OfficeReferNote)}</p>
                </section>
            })}
            {warranty.map(|w| view! {
                <section class="block" data-testid="order-warranty">
                    <h2>{move || i18n.t(Msg::OfficeWarrantyTitle)}</h2>
                    <p>{match w.developer_notified_at {
                        Some(t) => i18n.tf(Msg::OfficeDeveloperNotifiedAt, &[("time", china_time(t)), ("contact", w.developer_contact.clone())]),
                        None => i18n.t(Msg::OfficeDeveloperNotYet).to_owned(),
                    }}</p>
                    {w.survey_at.map(|t| view! { <p>{move || i18n.tf(Msg::OfficeSurveyAt, &[("time", china_time(t))])}</p> })}
                </section>
            })}
            {shortage.map(|s| view! {
                <section class="block" data-testid="order-shortage">
                    <h2>{move || i18n.t(Msg::OfficeShortageTitle)}</h2>
                    <p>{s.note.clone()}</p>
                    <p class="muted small">{china_time(s.reported_at)} {s.arrived_at.map(|t| format!(" → {}", china_time(t)))}</p>
                </section>
            })}

            {has_work.then(|| view! {
            <h2>{move || i18n.t(Msg::OfficeScope)}</h2>
            <p data-testid="order-scope" class="content-text">{if o.scope.is_empty() { "—".to_owned() } else { o.scope.clone() }}</p>
            {lines_view}
            <p class="total">{move || i18n.t(Msg::OfficeTotal)} " " <strong data-testid="order-total" data-fen=total.0.to_string()>{total.to_string()}</strong></p>
            })}
            {fee_note.map(|n| view! {
                <section class="block" data-testid="order-fee-note">
                    <h2>{move || i18n.t(Msg::RepairStatusFeePending)}</h2>
                    <p>{n}</p>
                    {approvals.into_iter().map(|(side, by, at)| view! {
                        <p class="muted small" data-testid="fee-approval" data-side=code_of(&side)>
                            {move || i18n.t(if side == FeeSide::Engineering { Msg::OfficeSideEngineering } else { Msg::OfficeSideCustomerService })}
                            " · " {by.clone()} " · " {at.clone()}
                        </p>
                    }).collect_view()}
                </section>
            })}

            {has_signatures.then(|| view! {
            <div class="signatures">
                <figure>
                    <figcaption>{move || i18n.t(Msg::OfficeConsentSignature)}</figcaption>
                    {match consent {
                        Some(s) => view! {
                            <img data-testid="consent-signature" src=blob_url(&s.image) alt=s.signer_name.clone() />
                            <p class="muted small">{s.signer_name.clone()} " · " {china_time(s.signed_at)}</p>
                        }.into_any(),
                        None => view! { <p class="muted">"—"</p> }.into_any(),
                    }}
                </figure>
                <figure>
                    <figcaption>{move || i18n.t(Msg::OfficeAcceptanceSignature)}</figcaption>
                    {match acceptance.as_ref().and_then(|a| a.signature.clone()) {
                        Some(s) => view! {
                            <img data-testid="acceptance-signature" src=blob_url(&s.image) alt=s.signer_name.clone() />
                            <p class="muted small">{s.signer_name.clone()} " · " {china_time(s.signed_at)}</p>
                        }.into_any(),
                        None if acceptance.is_some() => view! { <p class="note warn" data-testid="acceptance-unsigned">{move || i18n.t(Msg::OfficeVisitUnsigned)}</p> }.into_any(),
                        None => view! { <p class="muted">"—"</p> }.into_any(),
                    }}
                </figure>
            </div>
            })}
            {acceptance.map(|a| {
                let rating = a.rating;
                view! {
                    <section class="block" data-testid="order-acceptance">
                        <h2>{move || i18n.t(Msg::OfficeAcceptanceTitle)}</h2>
                        <p data-testid="acceptance-rating" data-rating=rating.map(|r| code_of(&r)).unwrap_or_default()
                            class=if rating == Some(domain::work_orders::Rating::Dissatisfied) { "rating bad" } else { "rating" }>
                            {move || rating.map(|r| i18n.t(rating_msg(r)).to_owned()).unwrap_or_else(|| i18n.t(Msg::OfficeVisitUnrated).to_owned())}
                        </p>
                        <p data-testid="acceptance-opinion">{a.opinion.clone()}</p>
                        <p class="muted small">{china_time(a.at)}</p>
                    </section>
                }
            })}
            {declined.map(|d| view! {
                <section class="block declined" data-testid="order-declined">
                    <h2>{move || i18n.t(Msg::RepairStatusResidentDeclined)}</h2>
                    <p data-testid="decline-reason">{d.reason.clone()}</p>
                    <figure>
                        <figcaption>{move || i18n.t(Msg::OfficeTechnicianSignature)}</figcaption>
                        <img data-testid="decline-signature" src=blob_url(&d.technician_signature.image) alt=d.technician_signature.signer_name.clone() />
                        <p class="muted small">{d.technician_signature.signer_name.clone()} " · " {china_time(d.technician_signature.signed_at)}</p>
                    </figure>
                </section>
            })}
            {(!attempts.is_empty()).then(|| view! {
                <section class="block" data-testid="order-attempts">
                    <h2>{move || i18n.t(Msg::OfficeAttempts)}</h2>
                    <ul>
                        {attempts.into_iter().map(|(at, by, photo)| view! {
                            <li data-testid="attempt">
                                {move || i18n.tf(Msg::OfficeAttemptLine, &[("time", at.clone()), ("name", by.clone())])}
                                {photo.map(|p| view! { " " <a href=blob_url(&p) target="_blank">{move || i18n.t(Msg::OfficeSlipPhoto)}</a> })}
                            </li>
                        }).collect_view()}
                    </ul>
                </section>
            })}
            {(!after_photos.is_empty()).then(|| view! { <PhotoStrip title=Msg::OfficeAfterPhotos photos=after_photos.clone() /> })}

            <section class="actions-panel no-print" data-testid="order-actions">
                <Show when=move || can_rebook>
                    <div class="action card-inset" data-testid="rebook-form">
                        <h3>{move || i18n.t(Msg::OfficeRebookTitle)}</h3>
                        <select data-testid="rebook-timing" bind:value=forms.rebook_timing>
                            <option value="immediate">{move || i18n.t(Msg::RepairTimingImmediate)}</option>
                            <option value="appointment">{move || i18n.t(Msg::RepairTimingAppointment)}</option>
                        </select>
                        <Show when=move || forms.rebook_timing.get() == "appointment">
                            <input type="datetime-local" data-testid="rebook-appointment" bind:value=forms.rebook_at />
                        </Show>
                        <button class="button primary" data-testid="rebook-submit" disabled=move || forms.busy.get() on:click=move |_| {
                            let timing = if forms.rebook_timing.get_untracked() == "appointment" {
                                match from_local_input(&forms.rebook_at.get_untracked()) {
                                    Some(at) => Timing::Appointment { at },
                                    None => {
                                        forms.message.set(Some((false, i18n.tf(Msg::SyncRefused, &[("reason", i18n.t(Msg::OfficeNeedAppointment).into())]))));
                                        return;
                                    }
                                }
                            } else {
                                Timing::Immediate
                            };
                            act(WorkOrderCommand::Rebook { timing });
                        }>{move || i18n.t(Msg::OfficeRebook)}</button>
                    </div>
                </Show>
                <Show when=move || can_paperwork>
                    <div class="action card-inset" data-testid="paperwork-form">
                        <h3>{move || i18n.t(Msg::OfficePaperworkTitle)}</h3>
                        <label><span>{move || i18n.t(Msg::RepairReporter)}</span>
                            <input data-testid="paperwork-name" bind:value=forms.paper_name /></label>
                        <label><span>{move || i18n.t(Msg::RepairPhone)}</span>
                            <input data-testid="paperwork-phone" type="tel" bind:value=forms.paper_phone /></label>
                        <label><span>{move || i18n.t(Msg::RepairContent)}</span>
                            <textarea data-testid="paperwork-content" rows="3" bind:value=forms.paper_content></textarea></label>
                        <button class="button primary" data-testid="paperwork-submit" disabled=move || forms.busy.get() on:click=move |_| {
                            act(WorkOrderCommand::CompletePaperwork {
                                reporter_name: forms.paper_name.get_untracked(),
                                reporter_phone: forms.paper_phone.get_untracked(),
                                content: forms.paper_content.get_untracked(),
                            });
                        }>{move || i18n.t(Msg::OfficePaperworkSubmit)}</button>
                    </div>
                </Show>
                <Show when=move || can_visit>
                    <div class="action card-inset" data-testid="visit-form">
                        <h3>{move || i18n.t(Msg::OfficeVisitTitle)}</h3>
                        <p class="muted small">{move || i18n.t(Msg::RejectSecondRepairNeedsVisit)}</p>
                        <textarea data-testid="visit-note" rows="2" bind:value=forms.visit placeholder=move || i18n.t(Msg::OfficeVisitPlaceholder)></textarea>
                        <button class="button primary" data-testid="visit-submit" disabled=move || forms.busy.get() on:click=move |_| {
                            act(WorkOrderCommand::ManagerVisit { note: forms.visit.get_untracked() });
                        }>{move || i18n.t(Msg::OfficeVisitSubmit)}</button>
                    </div>
                </Show>
                <Show when=move || can_reply>
                    <div class="action card-inset" data-testid="reply-form">
                        <h3>{move || i18n.t(Msg::OfficeReplyTitle)}</h3>
                        <textarea data-testid="reply-text" rows="2" bind:value=forms.reply placeholder=move || i18n.t(Msg::OfficeReplyPlaceholder)></textarea>
                        <label class="check">
                            <input type="checkbox" data-testid="reply-close" bind:checked=forms.reply_close />
                            <span>{move || i18n.t(Msg::OfficeReplyClose)}</span>
                        </label>
                        <button class="button primary" data-testid="reply-submit" disabled=move || forms.busy.get() on:click=move |_| {
                            act(WorkOrderCommand::Reply { text: forms.reply.get_untracked(), close: forms.reply_close.get_untracked() });
                        }>{move || i18n.t(Msg::OfficeReplySubmit)}</button>
                    </div>
                </Show>
                <Show when=move || can_refer>
                    <div class="action card-inset" data-testid="refer-form">
                        <h3>{move || i18n.t(Msg::OfficeReferTitle)}</h3>
                        <select data-testid="refer-select" bind:value=forms.refer>
                            {suppliers.clone().into_iter().map(|(c, n)| view! { <option value=c.clone()>{c.clone()} " " {n}</option> }).collect_view()}
                        </select>
                        <button class="button" data-testid="refer-submit" disabled=move || forms.busy.get() on:click=move |_| {
                            act(WorkOrderCommand::Refer { supplier_code: forms.refer.get_untracked() });
                        }>{move || i18n.t(Msg::OfficeReferSubmit)}</button>
                    </div>
                </Show>
                <Show when=move || can_notify>
                    <div class="action card-inset" data-testid="developer-form">
                        <h3>{move || i18n.t(Msg::OfficeDeveloperTitle)}</h3>
                        <input data-testid="developer-contact" bind:value=forms.dev_contact placeholder=move || i18n.t(Msg::OfficeDeveloperContact) />
                        <label><span>{move || i18n.t(Msg::OfficeSurveyLabel)}</span>
                            <input type="datetime-local" data-testid="developer-survey" bind:value=forms.dev_survey /></label>
                        <button class="button primary" data-testid="developer-submit" disabled=move || forms.busy.get() on:click=move |_| {
                            act(WorkOrderCommand::NotifyDeveloper {
                                contact: forms.dev_contact.get_untracked(),
                                survey_at: from_local_input(&forms.dev_survey.get_untracked()),
                            });
                        }>{move || i18n.t(Msg::OfficeDeveloperSubmit)}</button>
                    </div>
                </Show>
                <Show when=move || can_fee>
                    <div class="action card-inset" data-testid="fee-form">
                        <h3>{move || i18n.t(Msg::OfficeFeeTitle)}</h3>
                        <p class="muted small">{move || i18n.t(Msg::OfficeFeeHint)}</p>
                        {fee_rows.clone().into_iter().map(|(i, label, amount)| view! {
                            <label class="check">
                                <input type="checkbox" data-testid="fee-line" data-index=i.to_string()
                                    prop:checked=move || !forms.fee_dropped.get().contains(&i)
                                    on:change=move |_| forms.fee_dropped.update(|d| {
                                        if let Some(p) = d.iter().position(|x| *x == i) { d.remove(p); } else { d.push(i); }
                                    }) />
                                <span>{label} " " {amount}</span>
                            </label>
                        }).collect_view()}
                        <button class="button primary" data-testid="fee-submit" disabled=move || forms.busy.get() on:click={
                            let fee_lines = fee_lines.clone();
                            move |_| {
                                let dropped = forms.fee_dropped.get_untracked();
                                let lines: Vec<QuoteLine> = fee_lines.iter().enumerate()
                                    .filter(|(i, _)| !dropped.contains(i))
                                    .map(|(_, l)| l.clone())
                                    .collect();
                                act(WorkOrderCommand::DecideFee { lines });
                            }
                        }>{move || i18n.t(Msg::OfficeFeeSubmit)}</button>
                    </div>
                </Show>
                <Show when=move || !local>
                    <p class="muted small" data-testid="server-copy">{move || i18n.t(Msg::OfficeServerCopy)}</p>
                </Show>
            </section>

            <h2>{move || i18n.t(Msg::OfficeHistory)}</h2>
            <ol class="history" data-testid="order-history">
                {history.into_iter().map(|(at, by, action, note)| {
                    let words = action_msg(&action);
                    let code = action.clone();
                    view! {
                        <li data-action=code>
                            <span class="muted small">{at}</span> " "
                            <strong>{move || words.map(|m| i18n.t(m).to_owned()).unwrap_or_else(|| action.clone())}</strong>
                            " · " {by}
                            {(!note.is_empty()).then(|| view! { <span class="note-text">" — " {note.clone()}</span> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </article>
    }
}

pub fn supplier_name(refs: &ReferenceData, code: &str) -> String {
    refs.suppliers
        .iter()
        .find(|s| s.code == code)
        .map(|s| format!("{} {}", s.code, s.name_zh))
        .unwrap_or_else(|| code.to_owned())
}

/// `一-03 更换水龙头` or `水龙头（业户自购）`.
pub fn line_label(l: &Loaded, refs: &ReferenceData, line: &QuoteLine) -> String {
    match line {
        QuoteLine::Item { code, .. } => format!("{code} {}", l.item_name(code, refs)),
        QuoteLine::Material { name, spec, .. } if spec.is_empty() => name.clone(),
        QuoteLine::Material { name, spec, .. } => format!("{name} {spec}"),
    }
}

pub fn source_msg(s: MaterialSource) -> Msg {
    match s {
        MaterialSource::Resident => Msg::OfficeSourceResident,
        MaterialSource::Office => Msg::OfficeSourceOffice,
    }
}

/// The quoted lines as a table (all lines, or only materials / only items).
pub fn lines_table(l: &Loaded, refs: &ReferenceData, materials: Option<bool>) -> AnyView {
    let i18n = use_i18n();
    let rows: Vec<_> = l
        .order()
        .lines
        .iter()
        .filter(|line| match materials {
            None => true,
            Some(m) => matches!(line, QuoteLine::Material { .. }) == m,
        })
        .map(|line| {
            let amount = line_amount(line).unwrap_or_default();
            let (name, source, spec, qty, price) = match line {
                QuoteLine::Item {
                    code,
                    quantity,
                    unit_price,
                    ..
                } => (
                    format!("{code} {}", l.item_name(code, refs)),
                    None,
                    String::new(),
                    *quantity,
                    *unit_price,
                ),
                QuoteLine::Material {
                    name,
                    spec,
                    quantity,
                    unit_price,
                    source,
                    ..
                } => (
                    name.clone(),
                    Some(*source),
                    spec.clone(),
                    *quantity,
                    *unit_price,
                ),
            };
            (name, source, spec, qty, price, amount)
        })
        .collect();
    if rows.is_empty() {
        return view! { <p class="muted small">"—"</p> }.into_any();
    }
    view! {
        <table class="lines" data-testid="order-lines">
            <thead><tr>
                <th>{move || i18n.t(Msg::OfficeLineName)}</th>
                <th>{move || i18n.t(Msg::OfficeLineSource)}</th>
                <th>{move || i18n.t(Msg::OfficeLineSpec)}</th>
                <th class="num">{move || i18n.t(Msg::OfficeLineQty)}</th>
                <th class="num">{move || i18n.t(Msg::OfficeLinePrice)}</th>
                <th class="num">{move || i18n.t(Msg::OfficeLineAmount)}</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|(name, source, spec, qty, price, amount): (String, Option<MaterialSource>, String, u32, Fen, Fen)| view! {
                    <tr data-testid="order-line">
                        <td>{name}</td>
                        <td>{move || source.map(|s| i18n.t(source_msg(s)).to_owned()).unwrap_or_default()}</td>
                        <td>{spec}</td>
                        <td class="num">{qty}</td>
                        <td class="num">{price.to_string()}</td>
                        <td class="num">{amount.to_string()}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
fn PhotoStrip(title: Msg, photos: Vec<BlobRef>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="photo-strip">
            <h3>{move || i18n.t(title)}</h3>
            {photos.into_iter().map(|p| view! {
                <a href=blob_url(&p) target="_blank"><img src=blob_url(&p) alt="" loading="lazy" /></a>
            }).collect_view()}
        </div>
    }
}
