//! `/eng`: the engineering manager's dispatch board (工程部派工), on a tablet. The site's open
//! jobs from the device's store, in `sla::board_key` order (emergencies, urgent repairs, second
//! repairs, then by the most pressing due time), each with its most pressing clock, red when
//! any clock is breached; 派工 from the row, the manager's visit for second repairs and the
//! reply for items outside the fee standard. Clocks are judged again every 30 s.

use crate::frame::{use_profile, Guarded};
use crate::i18n::{use_i18n, Msg};
use crate::offline::client::{self, OrderView};
use crate::offline::use_sync_status;
use crate::pages::home::SiteSummaries;
use crate::pages::repairs::{
    clock_msg, code_of, kind_msg, now, place_of, refusal, short_time, status_msg, store_ready,
    technician_name,
};
use chrono::{DateTime, Utc};
use domain::access::Area;
use domain::ids::StaffId;
use domain::sync::reference::ReferenceData;
use domain::work_orders::sla::{any_breached, board_key, china, clocks, ClockState};
use domain::work_orders::{
    CatalogueMatch, RepairKind, WorkOrder, WorkOrderCommand, WorkOrderStatus,
};
use leptos::prelude::*;

#[component]
pub fn EngBoardPage() -> impl IntoView {
    view! {
        <Guarded area=Some(Area::EngBoard)>
            <EngHome />
        </Guarded>
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Open,
    ToDispatch,
    InProgress,
    Breached,
    DoneToday,
}

impl Tab {
    const ALL: [Tab; 5] = [
        Tab::Open,
        Tab::ToDispatch,
        Tab::InProgress,
        Tab::Breached,
        Tab::DoneToday,
    ];

    fn code(self) -> &'static str {
        match self {
            Tab::Open => "open",
            Tab::ToDispatch => "to_dispatch",
            Tab::InProgress => "in_progress",
            Tab::Breached => "breached",
            Tab::DoneToday => "done_today",
        }
    }

    fn msg(self) -> Msg {
        match self {
            Tab::Open => Msg::OfficeTabOpen,
            Tab::ToDispatch => Msg::OfficeFilterToDispatch,
            Tab::InProgress => Msg::OfficeTabInProgress,
            Tab::Breached => Msg::OfficeTabBreached,
            Tab::DoneToday => Msg::OfficeTabDoneToday,
        }
    }

    fn keeps(self, o: &WorkOrder, refs: &ReferenceData, t: DateTime<Utc>) -> bool {
        let open = !o.status.is_final();
        let to_dispatch = matches!(
            o.status,
            WorkOrderStatus::Reported | WorkOrderStatus::AwaitingRebook
        );
        match self {
            Tab::Open => open,
            Tab::ToDispatch => to_dispatch,
            Tab::InProgress => open && !to_dispatch,
            Tab::Breached => open && any_breached(o, &refs.policy(o.site_id).sla, t),
            Tab::DoneToday => {
                let today = t.with_timezone(&china()).date_naive();
                o.status.is_final()
                    && o.closed_at
                        .is_some_and(|c| c.with_timezone(&china()).date_naive() == today)
            }
        }
    }
}

/// Dispatch is possible from these statuses (the rule is `apply`'s).
fn dispatchable(s: WorkOrderStatus) -> bool {
    matches!(
        s,
        WorkOrderStatus::Reported
            | WorkOrderStatus::Assigned
            | WorkOrderStatus::Accepted
            | WorkOrderStatus::AwaitingRebook
    )
}

/// An item outside the fee standard waiting for the engineering manager's reply.
fn needs_reply(o: &WorkOrder) -> bool {
    o.kind == RepairKind::Daily
        && !o.common_area
        && o.matched == CatalogueMatch::None
        && o.reply.is_none()
        && matches!(
            o.status,
            WorkOrderStatus::Reported | WorkOrderStatus::Assigned | WorkOrderStatus::Accepted
        )
}

#[component]
fn EngHome() -> impl IntoView {
    let i18n = use_i18n();
    let Some(profile) = use_profile() else {
        return ().into_any();
    };
    let name = profile.display_name.clone();
    view! {
        <section class="home board-home" id="home" data-area="/eng">
            <h1 id="home-title">{move || i18n.t(Msg::HomeEngTitle)}</h1>
            <p class="muted">{move || i18n.tf(Msg::HomeGreeting, &[("name", name.clone())])}</p>
            <DispatchBoard />
            <SiteSummaries profile=profile.clone() />
        </section>
    }
    .into_any()
}

#[component]
fn DispatchBoard() -> impl IntoView {
    let i18n = use_i18n();
    let st = use_sync_status();
    let ready = store_ready(st);
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
    let list = Memo::new(move |_| orders.get());
    let refs = Memo::new(move |_| reference.get().flatten().unwrap_or_default());
    // The clock: the epoch on the server, the browser's time after hydration, every 30 s.
    let clock = RwSignal::new(DateTime::<Utc>::UNIX_EPOCH);
    Effect::new(move |_| clock.set(now()));
    #[cfg(feature = "hydrate")]
    {
        if let Ok(h) = leptos::prelude::set_interval_with_handle(
            move || clock.set(now()),
            std::time::Duration::from_secs(30),
        ) {
            on_cleanup(move || h.clear());
        }
    }
    let loaded = Memo::new(move |_| list.with(|l| l.is_some()));
    let tab = RwSignal::new(Tab::Open);
    let rows = move || {
        let t = clock.get();
        let r = refs.get();
        let tb = tab.get();
        let mut v: Vec<OrderView> = list
            .get()
            .unwrap_or_default()
            .into_iter()
            .filter(|o| tb.keeps(&o.order, &r, t))
            .collect();
        v.sort_by_cached_key(|o| board_key(&o.order, &r.policy(o.order.site_id).sla, t));
        v
    };
    let count = move |tb: Tab| {
        let t = clock.get();
        let r = refs.get();
        list.get()
            .unwrap_or_default()
            .iter()
            .filter(|o| tb.keeps(&o.order, &r, t))
            .count()
    };
    view! {
        <section class="board" data-testid="board">
            <div class="filters board-tabs" role="tablist">
                <a class="button primary new-repair" id="new-repair" href="/repairs/new">"＋ " {move || i18n.t(Msg::RepairNew)}</a>
                {Tab::ALL.into_iter().map(|tb| view! {
                    <button type="button" role="tab" class=move || if tab.get() == tb { "filter active" } else { "filter" }
                        data-testid="board-tab" data-tab=tb.code()
                        aria-selected=move || (tab.get() == tb).to_string()
                        on:click=move |_| tab.set(tb)>
                        {move || i18n.t(tb.msg())} " " <span class="count">{move || count(tb)}</span>
                    </button>
                }).collect_view()}
            </div>
            {move || {
                if !loaded.get() {
                    return view! { <p class="muted">{move || i18n.t(Msg::OfficeLoading)}</p> }.into_any();
                }
                // Rebuilt when the reference data changes (names, technicians, policies).
                let r = refs.get();
                view! {
                    <ul class="board-list" data-testid="board-list">
                        <For
                            each=rows
                            key=|o| (o.order.id, o.version, o.unsynced, o.order.history.len(), o.order.number.clone())
                            let:o
                        >
                            <BoardRow o refs=r.clone() clock />
                        </For>
                    </ul>
                    <Show when=move || rows().is_empty()>
                        <p class="empty" data-testid="board-empty">{move || i18n.t(Msg::OfficeBoardEmpty)}</p>
                    </Show>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn BoardRow(o: OrderView, refs: ReferenceData, clock: RwSignal<DateTime<Utc>>) -> impl IntoView {
    let i18n = use_i18n();
    let order = o.order.clone();
    let id = order.id.0;
    let status = order.status;
    let kind = order.kind;
    let policy = refs.policy(order.site_id);
    let place = place_of(&order, &refs);
    let assignee = order.assignee.and_then(|a| technician_name(&refs, a));
    let techs: Vec<(StaffId, String)> = refs
        .technicians
        .iter()
        .filter(|t| t.site_ids.contains(&order.site_id))
        .map(|t| (t.id, t.display_name.clone()))
        .collect();
    let pick = RwSignal::new(
        order
            .assignee
            .or(techs.first().map(|t| t.0))
            .map(|t| t.to_string())
            .unwrap_or_default(),
    );
    let second = order.second_repair_of.is_some();
    let needs_visit = second && order.manager_visited_at.is_none() && !status.is_final();
    let can_assign = dispatchable(status) && !needs_visit;
    let reply_due = needs_reply(&order);
    let visit_note = RwSignal::new(String::new());
    let reply_text = RwSignal::new(String::new());
    let reply_close = RwSignal::new(false);
    let message = RwSignal::new(None::<(bool, String)>);
    let busy = RwSignal::new(false);
    let act = move |cmd: WorkOrderCommand| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let r = client::submit(id, cmd).await;
            busy.set(false);
            match r {
                Ok(()) => message.set(Some((true, i18n.t(Msg::SyncSaved).to_owned()))),
                Err(e) => message.set(Some((false, refusal(i18n, e)))),
            }
        });
    };
    let o_b = order.clone();
    let breached = Memo::new(move |_| any_breached(&o_b, &policy.sla, clock.get()));
    // The most pressing clock: the earliest due among those still open, else the last one
    // judged (for a finished job).
    let o_c = order.clone();
    let pressing = move || {
        let cs = clocks(&o_c, &policy.sla, clock.get());
        let open = cs
            .iter()
            .filter_map(|c| match c.state {
                ClockState::Running { due } => Some((c.kind, due, false)),
                ClockState::Breached { due, at: None } => Some((c.kind, due, true)),
                _ => None,
            })
            .min_by_key(|(_, due, _)| *due);
        open.map(|(k, due, late)| {
            view! {
                <span class=if late { "clock breached" } else { "clock" } data-testid="board-clock" data-kind=code_of(&k)>
                    {move || i18n.t(clock_msg(k))} " " <strong>{short_time(due)}</strong>
                    {late.then(|| view! { " " <span class="tag alert">{move || i18n.t(Msg::OfficeClockBreached)}</span> })}
                </span>
            }
        })
    };
    let number = order.number.clone();
    let urgent = matches!(kind, RepairKind::Urgent | RepairKind::Emergency);
    let content = order.content.clone();
    view! {
        <li class=move || if breached.get() { "board-row breached" } else { "board-row" }
            data-testid="board-row" data-id=id.to_string() data-status=status.code()
            data-breached=move || breached.get().to_string()>
            <div class="urgency">
                <span class=format!("tag kind-{}{}", code_of(&kind), if urgent { " strong" } else { "" })>{move || i18n.t(kind_msg(kind))}</span>
                <Show when=move || second>
                    <span class="tag alert" data-testid="second-repair">{move || i18n.t(Msg::OfficeSecondRepair)}</span>
                </Show>
                <Show when=move || reply_due>
                    <span class="tag warn" data-testid="out-of-standard">{move || i18n.t(Msg::OfficeOutOfStandardShort)}</span>
                </Show>
            </div>
            <div class="what">
                <a class="number" data-testid="order-link" href=format!("/repairs/{id}")>
                    {move || number.clone().unwrap_or_else(|| i18n.t(Msg::RepairNumberPending).to_owned())}
                </a>
                <span class="place">{place}</span>
                <span class="desc" title=content.clone()>{content.clone()}</span>
            </div>
            <div class="who">
                <span class=format!("tag status status-{}", status.code())>{move || i18n.t(status_msg(status))}</span>
                <Show when=move || o.unsynced>
                    <span class="tag unsynced">{move || i18n.t(Msg::RepairUnsynced)}</span>
                </Show>
                <span class="muted small">{assignee.clone().unwrap_or_else(|| "—".into())}</span>
            </div>
            <div class="when">{pressing}</div>
            <div class="row-actions">
                <Show when=move || can_assign>
                    <div class="inline">
                        <select class="assign-select" data-testid="assign-select" bind:value=pick>
                            {techs.clone().into_iter().map(|(tid, name)| view! { <option value=tid.to_string()>{name}</option> }).collect_view()}
                        </select>
                        <button class="button primary" data-testid="assign-submit" disabled=move || busy.get() on:click=move |_| {
                            if let Ok(t) = StaffId::parse(&pick.get_untracked()) {
                                act(WorkOrderCommand::Assign { technician: t });
                            }
                        }>{move || i18n.t(Msg::RepairAssign)}</button>
                    </div>
                </Show>
                <Show when=move || needs_visit>
                    <div class="inline">
                        <input data-testid="visit-note" bind:value=visit_note placeholder=move || i18n.t(Msg::OfficeVisitPlaceholder) />
                        <button class="button primary" data-testid="visit-submit" disabled=move || busy.get() on:click=move |_| {
                            act(WorkOrderCommand::ManagerVisit { note: visit_note.get_untracked() });
                        }>{move || i18n.t(Msg::OfficeVisitSubmit)}</button>
                    </div>
                </Show>
                <Show when=move || reply_due>
                    <div class="inline">
                        <input data-testid="reply-text" bind:value=reply_text placeholder=move || i18n.t(Msg::OfficeReplyPlaceholder) />
                        <label class="check compact">
                            <input type="checkbox" data-testid="reply-close" bind:checked=reply_close />
                            <span>{move || i18n.t(Msg::OfficeReplyCloseShort)}</span>
                        </label>
                        <button class="button" data-testid="reply-submit" disabled=move || busy.get() on:click=move |_| {
                            act(WorkOrderCommand::Reply { text: reply_text.get_untracked(), close: reply_close.get_untracked() });
                        }>{move || i18n.t(Msg::OfficeReplySubmit)}</button>
                    </div>
                </Show>
                <Show when=move || message.get().is_some()>
                    {move || message.get().map(|(ok, text)| view! {
                        <p class=if ok { "form-ok small" } else { "form-error small" } data-testid="row-message">{text}</p>
                    })}
                </Show>
            </div>
        </li>
    }
}
