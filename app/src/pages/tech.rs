//! The technician in the resident's home, offline: `/tech` (my jobs, most urgent first) and
//! `/tech/jobs/:id` (one job and its next step: accept, arrive or leave a 留言条; confirm the
//! scope and quote against the site's fee standard; the resident's consent signature; finish;
//! the resident's acceptance, refusal to sign or a pending fee; referral or the resident's
//! refusal). Every step is a `WorkOrderCommand` queued with `client::submit`: the device's own
//! `apply` checks it first, and "saved" is shown only after the outbox write is on disk.
//!
//! Hydration: everything that comes from the device (the store, the clock) is read in a
//! `LocalResource` or after a click, so the server and the first client render agree.

use crate::frame::{use_profile, Guarded};
use crate::i18n::{fill, use_i18n, I18n, Msg};
use crate::offline::client::{self, OrderView};
use crate::offline::use_sync_status;
use crate::pages::repairs::{kind_msg, status_msg};
use crate::pages::signature::{Pad, SignaturePad};
use chrono::{DateTime, Utc};
use domain::access::Area;
use domain::ids::{SiteId, StaffId, WorkOrderId};
use domain::money::Fen;
use domain::people::Role;
use domain::sync::reference::{CatalogueRef, ReferenceData};
use domain::sync::wire::BlobRef;
use domain::work_orders::{
    quote, sla, AcceptanceInput, CatalogueMatch, MaterialSource, QuoteLine, Rating, RepairKind,
    SignatureInput, Timing, WorkOrder, WorkOrderCommand, WorkOrderError, WorkOrderStatus,
    MAX_QUANTITY,
};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use std::future::Future;
use uuid::Uuid;

// ---------------------------------------------------------------------------------------------
// Small helpers

/// The device's clock (only read in the browser, after hydration).
fn now() -> DateTime<Utc> {
    #[cfg(feature = "hydrate")]
    {
        DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        DateTime::<Utc>::default()
    }
}

/// `11-05 14:30`, China time.
fn short_time(t: DateTime<Utc>) -> String {
    t.with_timezone(&sla::china())
        .format("%m-%d %H:%M")
        .to_string()
}

/// `2026-11-05`, China time.
fn day(t: DateTime<Utc>) -> String {
    t.with_timezone(&sla::china())
        .format("%Y-%m-%d")
        .to_string()
}

/// The unit's label (`3栋2单元1502`), or the location of a common-area job.
fn place(o: &WorkOrder, r: &ReferenceData) -> String {
    o.unit_id
        .and_then(|u| r.units.iter().find(|x| x.id == u).map(|x| x.label.clone()))
        .unwrap_or_else(|| o.location.clone())
}

fn timing_text(i18n: I18n, t: Timing) -> String {
    match t {
        Timing::Immediate => i18n.t(Msg::TechImmediate).to_owned(),
        Timing::Appointment { at } => i18n.tf(Msg::TechAppointment, &[("time", short_time(at))]),
    }
}

/// Text in the current language without subscribing (event handlers, async tasks).
fn text_now(i18n: I18n, m: Msg) -> String {
    i18n.0.get_untracked().text(m).to_owned()
}

fn text_now_with(i18n: I18n, m: Msg, args: &[(&str, String)]) -> String {
    fill(i18n.0.get_untracked().text(m), args)
}

fn kind_code(k: RepairKind) -> &'static str {
    match k {
        RepairKind::Daily => "daily",
        RepairKind::WarrantyComplaint => "warranty_complaint",
        RepairKind::Urgent => "urgent",
        RepairKind::Emergency => "emergency",
    }
}

fn number_text(i18n: I18n, n: &Option<String>) -> String {
    n.clone()
        .unwrap_or_else(|| i18n.t(Msg::TechNumberPending).to_owned())
}

fn catalogue_item<'a>(r: &'a ReferenceData, site: SiteId, code: &str) -> Option<&'a CatalogueRef> {
    r.catalogue
        .iter()
        .find(|c| c.site_id == site && c.code == code)
}

fn std_minutes_text(i18n: I18n, c: &CatalogueRef) -> String {
    match c.std_minutes {
        Some(n) if c.time_unit == "per_metre" => {
            i18n.tf(Msg::TechStdMinutesPerMetre, &[("n", n.to_string())])
        }
        Some(n) => i18n.tf(Msg::TechStdMinutes, &[("n", n.to_string())]),
        None => i18n.t(Msg::TechStdUnknown).to_owned(),
    }
}

fn rating_msg(r: Rating) -> Msg {
    match r {
        Rating::Satisfied => Msg::TechRatingSatisfied,
        Rating::FairlySatisfied => Msg::TechRatingFairly,
        Rating::Dissatisfied => Msg::TechRatingDissatisfied,
    }
}

/// What the device's own `apply` said, in the user's language, with the reject code it
/// corresponds to. `client::submit` hands over the rule's message; its wording is fixed by
/// `WorkOrderError`'s `Display`, so it maps back to the code.
fn rule_reason(i18n: I18n, detail: &str) -> (String, String) {
    use WorkOrderError as E;
    let fixed = [
        (E::AlreadyExists, "already_exists", Msg::TechAlreadyExists),
        (E::NotFound, "unknown_entity", Msg::RejectUnknownEntity),
        (E::SiteForbidden, "site_forbidden", Msg::RejectSiteForbidden),
        (
            E::UnitNotInSite,
            "unit_not_in_site",
            Msg::RejectUnitNotInSite,
        ),
        (E::NotAssignee, "not_assignee", Msg::RejectNotAssignee),
        (E::UnknownStaff, "unknown_staff", Msg::RejectUnknownStaff),
        (E::TextConflict, "text_conflict", Msg::ConflictTextConflict),
        (
            E::UnknownCatalogueItem,
            "unknown_catalogue_item",
            Msg::RejectUnknownCatalogueItem,
        ),
        (
            E::UnknownSupplierItem,
            "unknown_supplier_item",
            Msg::RejectUnknownSupplierItem,
        ),
        (E::PriceMismatch, "price_mismatch", Msg::RejectPriceMismatch),
        (
            E::AmountOutOfRange,
            "amount_out_of_range",
            Msg::RejectAmountOutOfRange,
        ),
        (
            E::SignatureMismatch,
            "signature_mismatch",
            Msg::RejectSignatureMismatch,
        ),
        (
            E::SecondRepairNeedsVisit,
            "second_repair_needs_visit",
            Msg::RejectSecondRepairNeedsVisit,
        ),
    ];
    for (e, code, m) in fixed {
        if detail == e.to_string() {
            return (code.into(), text_now(i18n, m));
        }
    }
    if detail.starts_with("your role may not") {
        return ("forbidden".into(), text_now(i18n, Msg::RejectForbidden));
    }
    if detail.starts_with("cannot ") && detail.contains(" a work order that is ") {
        return (
            "invalid_transition".into(),
            text_now(i18n, Msg::RejectInvalidTransition),
        );
    }
    if detail.starts_with("this job is ") && detail.ends_with(" already") {
        return (
            "already_final".into(),
            text_now(i18n, Msg::RejectAlreadyFinal),
        );
    }
    if let Some((field, reason)) = detail.split_once(": ") {
        return ("invalid_input".into(), invalid_text(i18n, field, reason));
    }
    (
        "rejected".into(),
        text_now_with(i18n, Msg::RejectOther, &[("code", detail.to_owned())]),
    )
}

/// The reason of an `InvalidInput` refusal in the user's language.
fn invalid_text(i18n: I18n, field: &str, reason: &str) -> String {
    let specific = match reason {
        "the resident must acknowledge the item's disclaimer" => Some(Msg::TechErrDisclaimer),
        "materials the resident bought are not charged" => Some(Msg::TechResidentFree),
        "materials bought for the resident need their approval first" => Some(Msg::TechErrApproval),
        "quantity out of range" => Some(Msg::TechErrQty),
        "too many lines" => Some(Msg::TechErrTooManyLines),
        "material name required, at most 100 characters" => Some(Msg::TechErrMaterialName),
        "not a valid signature image" => Some(Msg::TechErrSignatureImage),
        "too many" => Some(Msg::TechErrPhotos),
        _ => None,
    };
    if let Some(m) = specific {
        return text_now(i18n, m);
    }
    let field_name = match field {
        "reason" => text_now(i18n, Msg::TechFieldReason),
        "scope" => text_now(i18n, Msg::TechFieldScope),
        "signer_name" => text_now(i18n, Msg::TechFieldSignerName),
        "note" => text_now(i18n, Msg::TechFieldNote),
        "opinion" => text_now(i18n, Msg::TechFieldOpinion),
        "lines" => text_now(i18n, Msg::TechFieldLines),
        other => other.to_owned(),
    };
    let why = match reason {
        "required" => text_now(i18n, Msg::TechErrRequired),
        "too long" => text_now(i18n, Msg::TechErrTooLong),
        other => other.to_owned(),
    };
    text_now_with(
        i18n,
        Msg::TechErrField,
        &[("field", field_name), ("reason", why)],
    )
}

// ---------------------------------------------------------------------------------------------
// `/tech`

#[component]
pub fn TechHomePage() -> impl IntoView {
    view! {
        <Guarded area=Some(Area::TechHome)>
            <TechHome />
        </Guarded>
    }
}

#[component]
fn TechHome() -> impl IntoView {
    let i18n = use_i18n();
    let name = use_profile().map(|p| p.display_name).unwrap_or_default();
    view! {
        <section class="home tech-home" id="home" data-area=Area::TechHome.path()>
            <h1 id="home-title">{move || i18n.t(Msg::HomeTechTitle)}</h1>
            <p class="muted">{move || i18n.tf(Msg::HomeGreeting, &[("name", name.clone())])}</p>
            <a class="tile primary-tile" id="new-repair" href="/repairs/new">"＋ " {move || i18n.t(Msg::RepairNew)}</a>
            <JobList />
        </section>
    }
}

/// One card of the list, computed when the list loads.
#[derive(Debug, Clone, PartialEq)]
struct Card {
    view: OrderView,
    place: String,
    breached: bool,
    mine: bool,
}

/// My open jobs first, by urgency then the earliest open clock (`sla::board_key`, with the
/// site's policy); then everything else this device knows, newest first.
fn cards(
    list: Vec<OrderView>,
    r: &ReferenceData,
    me: Option<StaffId>,
    at: DateTime<Utc>,
) -> Vec<Card> {
    let (mut mine, rest): (Vec<Card>, Vec<Card>) = list
        .into_iter()
        .map(|v| {
            let policy = r.policy(v.order.site_id).sla;
            Card {
                place: place(&v.order, r),
                breached: !v.order.status.is_final() && sla::any_breached(&v.order, &policy, at),
                mine: me.is_some()
                    && v.order.assignee == me
                    && !v.order.status.is_final()
                    && v.order.status != WorkOrderStatus::Reported,
                view: v,
            }
        })
        .partition(|c| c.mine);
    mine.sort_by_key(|c| sla::board_key(&c.view.order, &r.policy(c.view.order.site_id).sla, at));
    mine.extend(rest);
    mine
}

#[component]
fn JobList() -> impl IntoView {
    let i18n = use_i18n();
    let st = use_sync_status();
    let me = use_profile().map(|p| p.staff_id);
    let jobs = LocalResource::new(move || {
        st.data_version.track();
        // `pending` is set once the device's store is open.
        let ready = st.pending.get().is_some();
        async move {
            if !ready {
                return None;
            }
            let list = client::work_orders().await;
            let reference = client::reference().await.unwrap_or_default();
            Some(cards(list, &reference, me, now()))
        }
    });
    // Keep my open jobs' pages in the service worker's cache: a reload in a basement must
    // still open the job.
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(list) = jobs.get().flatten() {
            let paths: Vec<String> = list
                .iter()
                .filter(|c| c.mine)
                .map(|c| format!("/tech/jobs/{}", c.view.order.id.0))
                .collect();
            crate::browser::keep_pages_offline(&paths);
        }
    });
    view! {
        <section class="orders jobs">
            <h2>{move || i18n.t(Msg::TechListTitle)}</h2>
            {move || match jobs.get().flatten() {
                None => view! { <p class="muted" id="jobs-loading">{move || i18n.t(Msg::TechLoading)}</p> }.into_any(),
                Some(list) if list.is_empty() => view! {
                    <p class="empty" id="orders-empty">{move || i18n.t(Msg::TechListEmpty)}</p>
                }.into_any(),
                Some(list) => view! {
                    <ul class="order-list job-list" id="order-list">
                        {list.into_iter().map(|c| view! { <JobCard c /> }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn JobCard(c: Card) -> impl IntoView {
    let i18n = use_i18n();
    let o = c.view.order;
    let id = o.id.0.to_string();
    let href = format!("/tech/jobs/{id}");
    let status = o.status;
    let kind = o.kind;
    let number = o.number.clone();
    let timing = o.timing;
    let mut class = "card order job-card".to_owned();
    if c.mine {
        class.push_str(" mine");
    }
    if c.breached {
        class.push_str(" breached");
    }
    let (breached, unsynced) = (c.breached, c.view.unsynced);
    view! {
        <li class=class data-testid="job-card" data-id=id data-status=status.code()>
            <a class="job-link" href=href>
                <div class="order-head">
                    <strong class="number">{move || number_text(i18n, &number)}</strong>
                    <span class=format!("tag kind-{}", kind_code(kind))>{move || i18n.t(kind_msg(kind))}</span>
                    <span class="tag status">{move || i18n.t(status_msg(status))}</span>
                    <Show when=move || breached>
                        <span class="tag breached" data-testid="job-breached">{move || i18n.t(Msg::TechBreached)}</span>
                    </Show>
                    <Show when=move || unsynced>
                        <span class="tag unsynced">{move || i18n.t(Msg::TechUnsynced)}</span>
                    </Show>
                </div>
                <p class="unit">{c.place}</p>
                <p class="job-content">{o.content.clone()}</p>
                <p class="muted small">{move || timing_text(i18n, timing)}</p>
            </a>
        </li>
    }
}

// ---------------------------------------------------------------------------------------------
// `/tech/jobs/:id`

#[derive(Debug, Clone, PartialEq)]
struct Loaded {
    view: OrderView,
    reference: ReferenceData,
    /// Other jobs at the same unit that this device knows, newest first.
    earlier: Vec<WorkOrder>,
}

#[derive(Debug, Clone, PartialEq)]
enum Load {
    /// The device's store is not open yet.
    Waiting,
    Missing,
    Found(Box<Loaded>),
}

async fn load(ready: bool, id: Option<Uuid>) -> Load {
    if !ready {
        return Load::Waiting;
    }
    let Some(id) = id else {
        return Load::Missing;
    };
    let all = client::work_orders().await;
    let Some(view) = all.iter().find(|o| o.order.id.0 == id).cloned() else {
        return Load::Missing;
    };
    let reference = client::reference().await.unwrap_or_default();
    let earlier = match view.order.unit_id {
        Some(u) => all
            .iter()
            .filter(|o| o.order.unit_id == Some(u) && o.order.id.0 != id)
            .take(10)
            .map(|o| o.order.clone())
            .collect(),
        None => Vec::new(),
    };
    Load::Found(Box::new(Loaded {
        view,
        reference,
        earlier,
    }))
}

/// A refusal shown next to the button that caused it.
#[derive(Debug, Clone, PartialEq)]
struct Failure {
    slot: &'static str,
    code: String,
    text: String,
}

type Problem = (String, String);

/// What every step of the page shares: the job, and the busy / saved / error state.
#[derive(Clone, Copy)]
struct Ctx {
    id: Uuid,
    i18n: I18n,
    busy: RwSignal<bool>,
    saved: RwSignal<bool>,
    error: RwSignal<Option<Failure>>,
}

impl Ctx {
    fn problem(self, m: Msg) -> Problem {
        ("invalid_input".into(), text_now(self.i18n, m))
    }

    fn fail(self, slot: &'static str, (code, text): Problem) {
        self.saved.set(false);
        self.error.set(Some(Failure { slot, code, text }));
    }

    /// Builds the command (which may store a signature first), then queues it. "Saved" only
    /// once `submit` has returned from the outbox write; a refusal is shown at `slot`.
    fn run(
        self,
        slot: &'static str,
        make: impl Future<Output = Result<WorkOrderCommand, Problem>> + 'static,
    ) {
        if self.busy.get_untracked() {
            return;
        }
        self.busy.set(true);
        self.saved.set(false);
        self.error.set(None);
        let i18n = self.i18n;
        leptos::task::spawn_local(async move {
            let result = match make.await {
                Err(p) => Err(p),
                Ok(cmd) => client::submit(self.id, cmd).await.map_err(|(m, detail)| {
                    if m == Msg::SyncStorageFailed {
                        ("local_storage".to_owned(), text_now(i18n, m))
                    } else {
                        let (code, reason) = rule_reason(i18n, &detail);
                        (
                            code,
                            text_now_with(i18n, Msg::SyncRefused, &[("reason", reason)]),
                        )
                    }
                }),
            };
            let _ = self.busy.try_set(false);
            match result {
                Ok(()) => {
                    let _ = self.saved.try_set(true);
                }
                Err((code, text)) => {
                    let _ = self.error.try_set(Some(Failure { slot, code, text }));
                }
            }
        });
    }
}

#[component]
fn ErrorSlot(ctx: Ctx, at: &'static str) -> impl IntoView {
    move || {
        ctx.error.get().filter(|f| f.slot == at).map(|f| {
            view! {
                <p class="form-error job-error" data-testid="job-error" data-code=f.code role="alert">{f.text}</p>
            }
        })
    }
}

#[component]
pub fn JobPage() -> impl IntoView {
    view! {
        <Guarded area=Some(Area::TechHome)>
            <Job />
        </Guarded>
    }
}

#[component]
fn Job() -> impl IntoView {
    let i18n = use_i18n();
    let st = use_sync_status();
    let profile = use_profile();
    let me = profile
        .as_ref()
        .filter(|p| p.role == Role::Tech)
        .map(|p| p.staff_id);
    let my_name = profile
        .as_ref()
        .map(|p| p.display_name.clone())
        .unwrap_or_default();
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|s| Uuid::parse_str(&s).ok())
    });
    let data = LocalResource::new(move || {
        st.data_version.track();
        let ready = st.pending.get().is_some();
        let id = id.get();
        async move { load(ready, id).await }
    });
    // Reloads that change nothing (a sync round) leave the page alone.
    let loaded = Memo::new(move |_| data.get());
    let reference = Memo::new(move |_| match loaded.get() {
        Some(Load::Found(l)) => l.reference,
        _ => ReferenceData::default(),
    });
    // The step is drawn again only when what it shows changes, so a half-drawn signature or a
    // half-typed quote survives the sync rounds that run meanwhile.
    let step_key = Memo::new(move |_| match loaded.get() {
        Some(Load::Found(l)) => {
            let o = &l.view.order;
            Some((o.id, o.status, o.assignee, o.scope.clone(), o.lines.clone()))
        }
        _ => None,
    });
    let ctx = Ctx {
        id: Uuid::nil(),
        i18n,
        busy: RwSignal::new(false),
        saved: RwSignal::new(false),
        error: RwSignal::new(None),
    };
    // After a step is saved the next one replaces it: bring it into view (the button pressed
    // was at the bottom of a long form).
    let status = Memo::new(move |_| step_key.get().map(|k| (k.0, k.1)));
    Effect::new(
        move |prev: Option<Option<(WorkOrderId, WorkOrderStatus)>>| {
            let now = status.get();
            if let (Some(Some((pid, ps))), Some((id, s))) = (prev, now) {
                if pid == id && ps != s {
                    #[cfg(feature = "hydrate")]
                    if let Some(el) = web_sys::window()
                        .and_then(|w| w.document())
                        .and_then(|d| d.get_element_by_id("job-next"))
                    {
                        el.scroll_into_view_with_bool(true);
                    }
                }
            }
            now
        },
    );
    // Another job opened in the same page (a link to an earlier job): nothing carries over.
    Effect::new(move |_| {
        id.track();
        ctx.saved.set(false);
        ctx.error.set(None);
    });
    view! {
        <section class="job" id="job">
            <a class="back" href="/tech">{move || i18n.t(Msg::TechBack)}</a>
            {move || match loaded.get() {
                None | Some(Load::Waiting) => view! {
                    <p class="muted" id="job-loading">{move || i18n.t(Msg::TechLoading)}</p>
                }.into_any(),
                Some(Load::Missing) => view! {
                    <p class="empty" id="job-missing">{move || i18n.t(Msg::TechNotFound)}</p>
                }.into_any(),
                Some(Load::Found(l)) => view! { <JobHeader l=*l /> }.into_any(),
            }}
            <div id="job-next"></div>
            <Show when=move || ctx.saved.get()>
                <p class="form-ok" id="job-saved" role="status">{move || i18n.t(Msg::SyncSaved)}</p>
            </Show>
            {move || step_key.get().map(|_| {
                let Some(Load::Found(l)) = loaded.get_untracked() else {
                    return ().into_any();
                };
                let ctx = Ctx { id: l.view.order.id.0, ..ctx };
                let mine = me.is_some() && l.view.order.assignee == me;
                view! { <Step order=l.view.order reference mine ctx my_name=my_name.clone() /> }.into_any()
            })}
            {move || match loaded.get() {
                Some(Load::Found(l)) => view! { <JobMore l=*l /> }.into_any(),
                _ => ().into_any(),
            }}
        </section>
    }
}

#[component]
fn JobHeader(l: Loaded) -> impl IntoView {
    let i18n = use_i18n();
    let o = l.view.order;
    let r = l.reference;
    let status = o.status;
    let kind = o.kind;
    let timing = o.timing;
    let number = o.number.clone();
    let breached = !status.is_final() && sla::any_breached(&o, &r.policy(o.site_id).sla, now());
    let unsynced = l.view.unsynced;
    let unit = o
        .unit_id
        .and_then(|u| r.units.iter().find(|x| x.id == u).map(|x| x.label.clone()));
    let common = o.common_area;
    let location = o.location.clone();
    let phone = o.reporter_phone.clone();
    let tel = format!("tel:{phone}");
    let reported = short_time(o.reported_at);
    let second = o.second_repair_of.is_some();
    view! {
        <header class="card job-head">
            <div class="order-head">
                <h1 class="number" id="job-number">
                    {move || i18n.t(Msg::TechJobTitle)} " " {move || number_text(i18n, &number)}
                </h1>
            </div>
            <div class="job-tags">
                <span class=format!("tag kind-{}", kind_code(kind))>{move || i18n.t(kind_msg(kind))}</span>
                <span class="tag status" data-testid="job-status" id="job-status" data-status=status.code()>
                    {move || i18n.t(status_msg(status))}
                </span>
                <Show when=move || breached>
                    <span class="tag breached" data-testid="job-breached">{move || i18n.t(Msg::TechBreached)}</span>
                </Show>
                <Show when=move || second>
                    <span class="tag breached">{move || i18n.t(Msg::TechSecondRepair)}</span>
                </Show>
                <Show when=move || unsynced>
                    <span class="tag unsynced">{move || i18n.t(Msg::TechUnsynced)}</span>
                </Show>
            </div>
            <dl class="job-facts">
                <dt>{move || i18n.t(if common { Msg::TechCommonArea } else { Msg::TechUnit })}</dt>
                <dd class="unit" id="job-unit">{unit.clone().unwrap_or_else(|| location.clone())}</dd>
                {(!location.is_empty() && !common).then(|| view! {
                    <dt>{move || i18n.t(Msg::TechLocation)}</dt>
                    <dd>{location.clone()}</dd>
                })}
                <dt>{move || i18n.t(Msg::TechReporter)}</dt>
                <dd id="job-reporter">{o.reporter_name.clone()}</dd>
                <dt>{move || i18n.t(Msg::TechPhone)}</dt>
                <dd><a href=tel id="job-phone" class="tel">{phone.clone()}</a></dd>
                <dt>{move || i18n.t(Msg::TechTiming)}</dt>
                <dd>{move || timing_text(i18n, timing)}</dd>
                <dt>{move || i18n.t(Msg::TechReportedAt)}</dt>
                <dd>{reported}</dd>
            </dl>
            <p class="job-content" id="job-content">
                <span class="muted small">{move || i18n.t(Msg::TechContent)} "："</span>
                {o.content.clone()}
            </p>
        </header>
    }
}

/// Photos, the standard times of the matched items, and the unit's earlier jobs.
#[component]
fn JobMore(l: Loaded) -> impl IntoView {
    let i18n = use_i18n();
    let o = l.view.order;
    let r = l.reference;
    let mut codes: Vec<String> = Vec::new();
    if let CatalogueMatch::Catalogue { code } = &o.matched {
        codes.push(code.clone());
    }
    for line in &o.lines {
        if let QuoteLine::Item { code, .. } = line {
            if !codes.contains(code) {
                codes.push(code.clone());
            }
        }
    }
    let times: Vec<CatalogueRef> = codes
        .iter()
        .filter_map(|c| catalogue_item(&r, o.site_id, c))
        .cloned()
        .collect();
    let photos = o.photos.clone();
    let earlier = l.earlier;
    view! {
        <Show when={
            let has = !photos.is_empty();
            move || has
        }>
            <section class="card">
                <h3>{move || i18n.t(Msg::TechPhotos)}</h3>
                <div class="job-photos">
                    {photos.clone().into_iter().map(|b| view! { <BlobImg blob=b alt="photo" /> }).collect_view()}
                </div>
            </section>
        </Show>
        <Show when={
            let has = !times.is_empty();
            move || has
        }>
            <section class="card std-times" id="std-times">
                <h3>{move || i18n.t(Msg::TechStdTimes)}</h3>
                <ul class="plain">
                    {times.clone().into_iter().map(|c| view! {
                        <li>
                            <span class="mono">{c.code.clone()}</span> " " {c.name_zh.clone()} " · "
                            <span class="muted">{move || std_minutes_text(i18n, &c)}</span>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        </Show>
        <section class="card earlier" id="earlier-jobs">
            <h3>{move || i18n.t(Msg::TechEarlier)}</h3>
            {if earlier.is_empty() {
                view! { <p class="muted small">{move || i18n.t(Msg::TechEarlierNone)}</p> }.into_any()
            } else {
                view! {
                    <ul class="plain">
                        {earlier.into_iter().map(|e| {
                            let href = format!("/tech/jobs/{}", e.id.0);
                            let number = e.number.clone();
                            let status = e.status;
                            view! {
                                <li>
                                    <a href=href>{move || number_text(i18n, &number)}</a>
                                    " " <span class="muted small">{day(e.reported_at)}</span>
                                    " " <span class="tag status">{move || i18n.t(status_msg(status))}</span>
                                    <div class="small">{e.content.clone()}</div>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

/// A photo or signature: from this device's store when it is there (taken here, maybe not
/// uploaded yet), otherwise from the server.
#[component]
fn BlobImg(blob: BlobRef, #[prop(into)] alt: String) -> impl IntoView {
    let src = RwSignal::new(None::<String>);
    let sha = blob.sha256.clone();
    #[cfg(feature = "hydrate")]
    {
        let staff = use_profile().map(|p| p.staff_id);
        let made = std::sync::Arc::new(std::sync::Mutex::new(None::<String>));
        let made2 = made.clone();
        on_cleanup(move || {
            if let Some(u) = made2.lock().ok().and_then(|mut g| g.take()) {
                let _ = web_sys::Url::revoke_object_url(&u);
            }
        });
        let sha = sha.clone();
        if domain::sync::wire::is_sha256_hex(&sha) {
            leptos::task::spawn_local(async move {
                let url = match local_object_url(staff, &sha).await {
                    Some(u) => {
                        if let Ok(mut g) = made.lock() {
                            *g = Some(u.clone());
                        }
                        u
                    }
                    None => format!("/api/sync/v1/blobs/{sha}"),
                };
                let _ = src.try_set(Some(url));
            });
        }
    }
    view! { <img class="blob" src=move || src.get() alt=alt data-sha=sha /> }
}

#[cfg(feature = "hydrate")]
async fn local_object_url(staff: Option<StaffId>, sha: &str) -> Option<String> {
    use base64::Engine;
    let staff = staff?;
    // The same database the engine's store uses (`Store::open`), read only.
    let db = crate::offline::idb::Db::open(&format!("wuye-{staff}"))
        .await
        .ok()?;
    let text = db.get(crate::offline::idb::BLOBS, sha).await.ok()??;
    let stored: crate::offline::store::StoredBlob = serde_json::from_str(&text).ok()?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(stored.data_b64.as_bytes())
        .ok()?;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes.as_slice()));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(&stored.blob.content_type);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &opts).ok()?;
    web_sys::Url::create_object_url_with_blob(&blob).ok()
}

/// A file input's change handler that compresses the photo, stores it on the device and adds
/// it to `photos`.
fn photo_input(
    ctx: Ctx,
    slot: &'static str,
    photos: RwSignal<Vec<BlobRef>>,
) -> impl Fn(leptos::ev::Event) + Copy + 'static {
    move |ev: leptos::ev::Event| {
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
            input.set_value("");
            leptos::task::spawn_local(async move {
                let stored = match crate::browser::compress_photo(file).await {
                    Ok((bytes, ct)) => client::put_photo(bytes, ct).await.ok(),
                    Err(_) => None,
                };
                match stored {
                    Some(b) => {
                        let _ = photos.try_update(|p| p.push(b));
                    }
                    None => {
                        let _ = ctx.error.try_set(Some(Failure {
                            slot,
                            code: "photo".into(),
                            text: text_now(ctx.i18n, Msg::TechErrPhoto),
                        }));
                    }
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, ctx, slot, photos);
    }
}

#[component]
fn PhotoPicker(
    ctx: Ctx,
    at: &'static str,
    photos: RwSignal<Vec<BlobRef>>,
    label: Msg,
    testid: &'static str,
) -> impl IntoView {
    let i18n = ctx.i18n;
    view! {
        <div class="photos">
            <span class="muted">
                {move || i18n.t(label)} " · "
                {move || i18n.tf(Msg::TechPhotoCount, &[("n", photos.get().len().to_string())])}
            </span>
            <label class="button photo-button">
                {move || i18n.t(Msg::TechAddPhoto)}
                <input type="file" accept="image/*" capture="environment" data-testid=testid
                    on:change=photo_input(ctx, at, photos) hidden />
            </label>
        </div>
        <div class="job-photos">
            <For each=move || photos.get() key=|b| b.sha256.clone() let:b>
                <BlobImg blob=b alt="photo" />
            </For>
        </div>
    }
}

/// Which of a step's secondary forms is open. Only one signature pad is on screen at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Main,
    NobodyHome,
    Decline,
    Refer,
    ResidentDecline,
    Requote,
}

/// The next step for the job's status.
#[component]
fn Step(
    order: WorkOrder,
    reference: Memo<ReferenceData>,
    mine: bool,
    ctx: Ctx,
    my_name: String,
) -> impl IntoView {
    use WorkOrderStatus::*;
    let i18n = ctx.i18n;
    let mode = RwSignal::new(Mode::Main);
    let status = order.status;
    let body = match status {
        Assigned | Accepted if mine => view! { <ArriveStep order reference ctx mode /> }.into_any(),
        // A common-area job has no resident to quote to: it finishes straight from site.
        OnSite if mine && order.common_area => view! {
            <section class="card step" id="step-finish">
                <FinishForm ctx />
                <SideForms order reference ctx mode my_name />
            </section>
        }
        .into_any(),
        OnSite if mine => {
            let editing = order.clone();
            view! {
                <section class="card step" id="step-quote">
                    <QuoteEditor order=editing reference ctx />
                    <SideForms order reference ctx mode my_name />
                </section>
            }
            .into_any()
        }
        Quoted if mine => view! { <ConsentStep order reference ctx mode my_name /> }.into_any(),
        InProgress if mine => view! { <FinishStep order reference ctx mode /> }.into_any(),
        Finished if mine => view! { <AcceptStep order reference ctx /> }.into_any(),
        _ => {
            let wait = match status {
                Reported => Some(Msg::TechReportedWait),
                AwaitingRebook => Some(Msg::TechAwaitingRebook),
                FeePending => Some(Msg::TechFeePendingWait),
                s if !s.is_final() && !mine => Some(Msg::TechNotMine),
                _ => None,
            };
            view! {
                {wait.map(|m| view! { <p class="notice" id="job-wait">{move || i18n.t(m)}</p> })}
                <Summary order reference />
            }
            .into_any()
        }
    };
    view! { <div class="job-step" data-step=status.code()>{body}</div> }
}

/// Assigned / accepted: 接单, 到场, 业户不在家 (留言条), 退回.
#[component]
fn ArriveStep(
    order: WorkOrder,
    reference: Memo<ReferenceData>,
    ctx: Ctx,
    mode: RwSignal<Mode>,
) -> impl IntoView {
    let i18n = ctx.i18n;
    let assigned = order.status == WorkOrderStatus::Assigned;
    let reason = RwSignal::new(String::new());
    let slip_photos = RwSignal::new(Vec::<BlobRef>::new());
    let busy = ctx.busy;
    let unit = {
        let order = order.clone();
        move || place(&order, &reference.get())
    };
    let decline = move |_| {
        let r = reason.get_untracked().trim().to_owned();
        if r.is_empty() {
            ctx.fail("decline", ctx.problem(Msg::TechErrReason));
            return;
        }
        ctx.run(
            "decline",
            std::future::ready(Ok(WorkOrderCommand::Decline { reason: r })),
        );
    };
    let nobody_home = move |_| {
        let photo = slip_photos.get_untracked().first().cloned();
        ctx.run(
            "nobody_home",
            std::future::ready(Ok(WorkOrderCommand::NobodyHome { photo })),
        );
    };
    view! {
        <section class="card step" id="step-arrive">
            {move || match mode.get() {
                Mode::NobodyHome => {
                    // The slip carries the time of this visit (the device's clock, now).
                    let slip = quote::message_slip(now(), &unit());
                    view! {
                        <h2>{move || i18n.t(Msg::TechSlipTitle)}</h2>
                        <p class="slip" data-testid="message-slip" id="message-slip">{slip}</p>
                        <p class="muted small">{move || i18n.t(Msg::TechSlipHint)}</p>
                        <PhotoPicker ctx at="nobody_home" photos=slip_photos label=Msg::TechSlipPhoto testid="slip-photo" />
                        <div class="actions">
                            <button type="button" class="button primary" data-testid="nobody-home-submit"
                                disabled=move || busy.get() on:click=nobody_home>
                                {move || i18n.t(Msg::TechNobodyHomeSubmit)}
                            </button>
                            <button type="button" class="button" on:click=move |_| mode.set(Mode::Main)>
                                {move || i18n.t(Msg::TechCancel)}
                            </button>
                        </div>
                        <ErrorSlot ctx at="nobody_home" />
                    }.into_any()
                }
                Mode::Decline => view! {
                    <label>
                        <span>{move || i18n.t(Msg::TechDeclineReason)}</span>
                        <input data-testid="decline-reason" bind:value=reason />
                    </label>
                    <div class="actions">
                        <button type="button" class="button danger-outline" data-testid="decline-submit"
                            disabled=move || busy.get() on:click=decline>
                            {move || i18n.t(Msg::TechDeclineSubmit)}
                        </button>
                        <button type="button" class="button" on:click=move |_| mode.set(Mode::Main)>
                            {move || i18n.t(Msg::TechCancel)}
                        </button>
                    </div>
                    <ErrorSlot ctx at="decline" />
                }.into_any(),
                _ => view! {
                    <div class="actions step-actions">
                        <Show when=move || assigned>
                            <button type="button" class="button primary" data-testid="job-accept"
                                disabled=move || busy.get()
                                on:click=move |_| ctx.run("arrive", std::future::ready(Ok(WorkOrderCommand::Accept)))>
                                {move || i18n.t(Msg::TechAccept)}
                            </button>
                        </Show>
                        <button type="button" class="button primary" data-testid="job-arrive"
                            disabled=move || busy.get()
                            on:click=move |_| ctx.run("arrive", std::future::ready(Ok(WorkOrderCommand::Arrive)))>
                            {move || i18n.t(Msg::TechArrive)}
                        </button>
                    </div>
                    <div class="actions step-actions">
                        <button type="button" class="button" data-testid="job-nobody-home"
                            on:click=move |_| { ctx.error.set(None); mode.set(Mode::NobodyHome) }>
                            {move || i18n.t(Msg::TechNobodyHome)}
                        </button>
                        <button type="button" class="button" data-testid="job-decline"
                            on:click=move |_| { ctx.error.set(None); mode.set(Mode::Decline) }>
                            {move || i18n.t(Msg::TechDecline)}
                        </button>
                    </div>
                    <ErrorSlot ctx at="arrive" />
                }.into_any(),
            }}
        </section>
    }
}

/// Referral and the resident's refusal: the buttons that open them, and the forms.
#[component]
fn SideForms(
    order: WorkOrder,
    reference: Memo<ReferenceData>,
    ctx: Ctx,
    mode: RwSignal<Mode>,
    my_name: String,
) -> impl IntoView {
    let i18n = ctx.i18n;
    let busy = ctx.busy;
    let site = order.site_id;
    let resident = !order.common_area;
    let suppliers = Memo::new(move |_| {
        reference
            .get()
            .suppliers
            .into_iter()
            .filter(|s| s.site_id == site)
            .collect::<Vec<_>>()
    });
    let supplier = RwSignal::new(String::new());
    // The first item is chosen once the list is there.
    Effect::new(move |_| {
        let list = suppliers.get();
        if supplier.get_untracked().is_empty() {
            if let Some(s) = list.first() {
                supplier.set(s.code.clone());
            }
        }
    });
    let refer = move |_| {
        let code = supplier.get_untracked();
        if code.is_empty() {
            ctx.fail("refer", ctx.problem(Msg::TechErrSupplier));
            return;
        }
        ctx.run(
            "refer",
            std::future::ready(Ok(WorkOrderCommand::Refer {
                supplier_code: code,
            })),
        );
    };
    let reason = RwSignal::new(String::new());
    let signer = RwSignal::new(my_name);
    let pad = Pad::new();
    let order_id = WorkOrderId(order.id.0);
    let resident_decline = move |_| {
        let r = reason.get_untracked().trim().to_owned();
        let name = signer.get_untracked().trim().to_owned();
        if r.is_empty() {
            ctx.fail("resident_decline", ctx.problem(Msg::TechErrReason));
            return;
        }
        if name.is_empty() {
            ctx.fail("resident_decline", ctx.problem(Msg::TechErrSigner));
            return;
        }
        ctx.run("resident_decline", async move {
            let image = pad
                .export()
                .await
                .map_err(|e| ("signature".to_owned(), e.text(i18n)))?;
            let content_hash = quote::decline_hash(order_id, &r);
            Ok(WorkOrderCommand::ResidentDecline {
                reason: r,
                technician_signature: SignatureInput {
                    image,
                    signer_name: name,
                    content_hash,
                },
            })
        });
    };
    let open = move |m: Mode| {
        ctx.error.set(None);
        mode.set(m);
    };
    view! {
        {move || match mode.get() {
            Mode::Refer => view! {
                <div class="side-form" id="refer-form">
                    <h2>{move || i18n.t(Msg::TechRefer)}</h2>
                    <label>
                        <span>{move || i18n.t(Msg::TechSupplier)}</span>
                        <select data-testid="supplier-select" bind:value=supplier>
                            {move || suppliers.get().into_iter().map(|s| {
                                let label = if s.supplier_hint_zh.is_empty() {
                                    format!("{} {}", s.code, s.name_zh)
                                } else {
                                    format!("{} {}（{}）", s.code, s.name_zh, s.supplier_hint_zh)
                                };
                                view! { <option value=s.code.clone()>{label}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                    <Show when=move || suppliers.get().is_empty()>
                        <p class="muted small">{move || i18n.t(Msg::TechSuppliersNone)}</p>
                    </Show>
                    <div class="actions">
                        <button type="button" class="button primary" data-testid="refer-submit"
                            disabled=move || busy.get() on:click=refer>
                            {move || i18n.t(Msg::TechReferSubmit)}
                        </button>
                        <button type="button" class="button" on:click=move |_| mode.set(Mode::Main)>
                            {move || i18n.t(Msg::TechCancel)}
                        </button>
                    </div>
                    <ErrorSlot ctx at="refer" />
                </div>
            }.into_any(),
            Mode::ResidentDecline => view! {
                <div class="side-form" id="resident-decline-form">
                    <h2>{move || i18n.t(Msg::TechResidentDecline)}</h2>
                    <label>
                        <span>{move || i18n.t(Msg::TechResidentDeclineReason)}</span>
                        <textarea data-testid="decline-reason" rows="2" bind:value=reason></textarea>
                    </label>
                    <SignaturePad pad label=Msg::TechTechSignature signer />
                    <div class="actions">
                        <button type="button" class="button danger-outline" data-testid="decline-submit"
                            disabled=move || busy.get() on:click=resident_decline>
                            {move || i18n.t(Msg::TechResidentDeclineSubmit)}
                        </button>
                        <button type="button" class="button" on:click=move |_| mode.set(Mode::Main)>
                            {move || i18n.t(Msg::TechCancel)}
                        </button>
                    </div>
                    <ErrorSlot ctx at="resident_decline" />
                </div>
            }.into_any(),
            Mode::Main => view! {
                <div class="actions step-actions side-actions">
                    <button type="button" class="button" data-testid="job-refer" on:click=move |_| open(Mode::Refer)>
                        {move || i18n.t(Msg::TechRefer)}
                    </button>
                    <Show when=move || resident>
                        <button type="button" class="button" data-testid="job-resident-decline"
                            on:click=move |_| open(Mode::ResidentDecline)>
                            {move || i18n.t(Msg::TechResidentDecline)}
                        </button>
                    </Show>
                </div>
            }.into_any(),
            _ => ().into_any(),
        }}
    }
}

// ---------------------------------------------------------------------------------------------
// The quote

/// A line being edited. Quantities stay text until the quote is made.
#[derive(Debug, Clone)]
enum Draft {
    Item {
        key: u32,
        code: String,
        name: String,
        price: Fen,
        minutes: Option<i32>,
        per_metre: bool,
        remarks: String,
        disclaimer: bool,
        qty: RwSignal<String>,
        ack: RwSignal<bool>,
    },
    Material {
        key: u32,
        name: String,
        spec: String,
        price: Fen,
        source: MaterialSource,
        approved: bool,
        qty: RwSignal<String>,
    },
}

fn parse_qty(s: &str) -> Option<u32> {
    s.trim()
        .parse::<u32>()
        .ok()
        .filter(|q| (1..=MAX_QUANTITY).contains(q))
}

impl Draft {
    fn key(&self) -> u32 {
        match self {
            Draft::Item { key, .. } | Draft::Material { key, .. } => *key,
        }
    }

    fn qty(&self) -> RwSignal<String> {
        match self {
            Draft::Item { qty, .. } | Draft::Material { qty, .. } => *qty,
        }
    }

    fn price(&self) -> Fen {
        match self {
            Draft::Item { price, .. } | Draft::Material { price, .. } => *price,
        }
    }

    /// The line's amount at the typed quantity (zero while the quantity is not a number).
    fn amount(&self) -> i64 {
        let q = parse_qty(&self.qty().get()).unwrap_or(0);
        self.price().0.saturating_mul(i64::from(q))
    }

    fn to_line(&self) -> Result<QuoteLine, Msg> {
        let quantity = parse_qty(&self.qty().get_untracked()).ok_or(Msg::TechErrQty)?;
        Ok(match self {
            Draft::Item {
                code,
                price,
                disclaimer,
                ack,
                ..
            } => {
                let acknowledged = *disclaimer && ack.get_untracked();
                if *disclaimer && !acknowledged {
                    return Err(Msg::TechErrDisclaimer);
                }
                QuoteLine::Item {
                    code: code.clone(),
                    quantity,
                    unit_price: *price,
                    disclaimer_acknowledged: acknowledged,
                }
            }
            Draft::Material {
                name,
                spec,
                price,
                source,
                approved,
                ..
            } => QuoteLine::Material {
                name: name.clone(),
                spec: spec.clone(),
                quantity,
                unit_price: *price,
                source: *source,
                resident_approved: *approved,
            },
        })
    }
}

fn item_draft(c: &CatalogueRef, kind: RepairKind, key: u32, qty: u32, ack: bool) -> Draft {
    Draft::Item {
        key,
        code: c.code.clone(),
        name: c.name_zh.clone(),
        // Repairs under warranty are free.
        price: if kind == RepairKind::WarrantyComplaint {
            Fen(0)
        } else {
            Fen(c.price_fen)
        },
        minutes: c.std_minutes,
        per_metre: c.time_unit == "per_metre",
        remarks: c.remarks_zh.clone(),
        disclaimer: c.requires_disclaimer,
        qty: RwSignal::new(qty.to_string()),
        ack: RwSignal::new(ack),
    }
}

/// The drafts for a quote already made (to change it), or none.
fn drafts_of(o: &WorkOrder, r: &ReferenceData) -> Vec<Draft> {
    o.lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let key = i as u32;
            match l {
                QuoteLine::Item {
                    code,
                    quantity,
                    unit_price,
                    disclaimer_acknowledged,
                } => match catalogue_item(r, o.site_id, code) {
                    Some(c) => item_draft(c, o.kind, key, *quantity, *disclaimer_acknowledged),
                    None => Draft::Item {
                        key,
                        code: code.clone(),
                        name: code.clone(),
                        price: *unit_price,
                        minutes: None,
                        per_metre: false,
                        remarks: String::new(),
                        disclaimer: false,
                        qty: RwSignal::new(quantity.to_string()),
                        ack: RwSignal::new(*disclaimer_acknowledged),
                    },
                },
                QuoteLine::Material {
                    name,
                    spec,
                    quantity,
                    unit_price,
                    source,
                    resident_approved,
                } => Draft::Material {
                    key,
                    name: name.clone(),
                    spec: spec.clone(),
                    price: *unit_price,
                    source: *source,
                    approved: *resident_approved,
                    qty: RwSignal::new(quantity.to_string()),
                },
            }
        })
        .collect()
}

/// 确认维修范围 and the quote: catalogue items at the fee standard, materials, live total.
#[component]
fn QuoteEditor(order: WorkOrder, reference: Memo<ReferenceData>, ctx: Ctx) -> impl IntoView {
    let i18n = ctx.i18n;
    let busy = ctx.busy;
    let site = order.site_id;
    let kind = order.kind;
    let scope = RwSignal::new(if order.scope.is_empty() {
        order.content.clone()
    } else {
        order.scope.clone()
    });
    let initial = drafts_of(&order, &reference.get_untracked());
    // Lines added from a click must live as long as the editor, not as long as whatever
    // happened to own the click (the search results are redrawn at once).
    let owner = StoredValue::new(Owner::current());
    let owned = move |f: &dyn Fn() -> Draft| -> Draft {
        owner.with_value(|o| match o {
            Some(o) => o.with(f),
            None => f(),
        })
    };
    let next_key = StoredValue::new(initial.len() as u32);
    let lines = RwSignal::new(initial);
    let take_key = move || {
        let k = next_key.get_value();
        next_key.set_value(k + 1);
        k
    };

    let search = RwSignal::new(String::new());
    let results = move || {
        let q = search.get().trim().to_lowercase();
        if q.is_empty() {
            return None;
        }
        let r = reference.get();
        let mut found: Vec<CatalogueRef> = r
            .catalogue
            .into_iter()
            .filter(|c| c.site_id == site)
            .filter(|c| {
                c.code.to_lowercase().contains(&q)
                    || c.name_zh.contains(&q)
                    || c.name_en.to_lowercase().contains(&q)
            })
            .collect();
        found.sort_by(|a, b| {
            // Exact code matches first.
            (a.code.to_lowercase() != q, &a.code).cmp(&(b.code.to_lowercase() != q, &b.code))
        });
        found.truncate(12);
        Some(found)
    };
    let add_item = move |c: CatalogueRef| {
        let existing = lines.with_untracked(|ls| {
            ls.iter().find_map(|d| match d {
                Draft::Item { code, qty, .. } if *code == c.code => Some(*qty),
                _ => None,
            })
        });
        match existing {
            Some(qty) => qty.update(|q| {
                let n = parse_qty(q)
                    .unwrap_or(0)
                    .saturating_add(1)
                    .min(MAX_QUANTITY);
                *q = n.to_string();
            }),
            None => {
                let key = take_key();
                let d = owned(&|| item_draft(&c, kind, key, 1, false));
                lines.update(|ls| ls.push(d));
            }
        }
        search.set(String::new());
    };

    let m_name = RwSignal::new(String::new());
    let m_spec = RwSignal::new(String::new());
    let m_qty = RwSignal::new("1".to_owned());
    let m_price = RwSignal::new(String::new());
    let m_source = RwSignal::new("resident".to_owned());
    let m_approved = RwSignal::new(false);
    let add_material = move |_| {
        let name = m_name.get_untracked().trim().to_owned();
        if name.is_empty() {
            ctx.fail("material", ctx.problem(Msg::TechErrMaterialName));
            return;
        }
        let Some(q) = parse_qty(&m_qty.get_untracked()) else {
            ctx.fail("material", ctx.problem(Msg::TechErrQty));
            return;
        };
        let office = m_source.get_untracked() == "office";
        let price = if office {
            match Fen::parse_yuan(&m_price.get_untracked()) {
                Ok(p) => p,
                Err(_) => {
                    ctx.fail("material", ctx.problem(Msg::TechErrPrice));
                    return;
                }
            }
        } else {
            // What the resident bought is recorded, not charged.
            Fen(0)
        };
        if office && !m_approved.get_untracked() {
            ctx.fail("material", ctx.problem(Msg::TechErrApproval));
            return;
        }
        let key = take_key();
        let spec = m_spec.get_untracked().trim().to_owned();
        let d = owned(&|| Draft::Material {
            key,
            name: name.clone(),
            spec: spec.clone(),
            price,
            source: if office {
                MaterialSource::Office
            } else {
                MaterialSource::Resident
            },
            approved: office,
            qty: RwSignal::new(q.to_string()),
        });
        lines.update(|ls| ls.push(d));
        ctx.error.set(None);
        m_name.set(String::new());
        m_spec.set(String::new());
        m_qty.set("1".into());
        m_price.set(String::new());
        m_approved.set(false);
    };

    let total = move || Fen(lines.get().iter().map(Draft::amount).sum());
    let minutes = move || {
        lines
            .get()
            .iter()
            .map(|d| match d {
                Draft::Item {
                    minutes: Some(m),
                    qty,
                    ..
                } => i64::from(*m) * i64::from(parse_qty(&qty.get()).unwrap_or(0)),
                _ => 0,
            })
            .sum::<i64>()
    };

    let submit = move |_| {
        let scope_v = scope.get_untracked().trim().to_owned();
        if scope_v.is_empty() {
            ctx.fail("quote", ctx.problem(Msg::TechErrScope));
            return;
        }
        let built: Result<Vec<QuoteLine>, Msg> =
            lines.with_untracked(|ls| ls.iter().map(Draft::to_line).collect());
        match built {
            Ok(ls) => ctx.run(
                "quote",
                std::future::ready(Ok(WorkOrderCommand::Quote {
                    scope: scope_v,
                    lines: ls,
                })),
            ),
            Err(m) => ctx.fail("quote", ctx.problem(m)),
        }
    };

    let warranty = kind == RepairKind::WarrantyComplaint;
    view! {
        <div class="quote-editor" id="quote-editor">
            <label>
                <span>{move || i18n.t(Msg::TechScope)}</span>
                <textarea data-testid="quote-scope" rows="3" bind:value=scope></textarea>
            </label>
            <label>
                <span>{move || i18n.t(Msg::TechCatalogue)}</span>
                <input data-testid="catalogue-search" bind:value=search autocomplete="off"
                    placeholder=move || i18n.t(Msg::TechCatalogueSearch) />
            </label>
            {move || results().map(|found| {
                if found.is_empty() {
                    return view! { <p class="muted small">{move || i18n.t(Msg::TechCatalogueNone)}</p> }.into_any();
                }
                view! {
                    <div class="catalogue-results">
                        {found.into_iter().map(|c| {
                            let price = if warranty { Fen(0) } else { Fen(c.price_fen) };
                            let t = std_minutes_text(i18n, &c);
                            let code = c.code.clone();
                            let name = c.name_zh.clone();
                            let data_code = code.clone();
                            view! {
                                <button type="button" class="pick catalogue-result" data-testid="catalogue-result"
                                    data-code=data_code on:click=move |_| add_item(c.clone())>
                                    <span class="mono">{code}</span> " " {name}
                                    <span class="muted small">" " {price.to_string()} " · " {t}</span>
                                </button>
                            }
                        }).collect_view()}
                    </div>
                }.into_any()
            })}

            <h3>{move || i18n.t(Msg::TechLines)}</h3>
            <Show when=move || lines.with(|l| l.is_empty())>
                <p class="muted small">{move || i18n.t(Msg::TechLinesEmpty)}</p>
            </Show>
            <ul class="quote-lines">
                <For each=move || lines.get() key=Draft::key let:d>
                    <LineRow d lines />
                </For>
            </ul>
            <Show when=move || warranty>
                <p class="muted small">{move || i18n.t(Msg::TechWarrantyFree)}</p>
            </Show>

            <div class="materials">
                <h3>{move || i18n.t(Msg::TechMaterials)}</h3>
                <label>
                    <span>{move || i18n.t(Msg::TechMaterialName)}</span>
                    <input data-testid="material-name" bind:value=m_name />
                </label>
                <div class="row2">
                    <label>
                        <span>{move || i18n.t(Msg::TechMaterialSpec)}</span>
                        <input data-testid="material-spec" bind:value=m_spec />
                    </label>
                    <label>
                        <span>{move || i18n.t(Msg::TechMaterialQty)}</span>
                        <input data-testid="material-qty" type="number" inputmode="numeric" min="1" bind:value=m_qty />
                    </label>
                </div>
                <div class="row2">
                    <label>
                        <span>{move || i18n.t(Msg::TechMaterialSource)}</span>
                        <select data-testid="material-source" bind:value=m_source>
                            <option value="resident">{move || i18n.t(Msg::TechSourceResident)}</option>
                            <option value="office">{move || i18n.t(Msg::TechSourceOffice)}</option>
                        </select>
                    </label>
                    <label>
                        <span>{move || i18n.t(Msg::TechMaterialPrice)}</span>
                        <input data-testid="material-price" inputmode="decimal" bind:value=m_price
                            placeholder=move || if m_source.get() == "office" { "0.00" } else { "—" } />
                    </label>
                </div>
                <Show when=move || m_source.get() != "office">
                    <p class="muted small">{move || i18n.t(Msg::TechResidentFree)}</p>
                </Show>
                <label class="check">
                    <input type="checkbox" data-testid="material-approved" bind:checked=m_approved />
                    <span>{move || i18n.t(Msg::TechMaterialApproved)}</span>
                </label>
                <button type="button" class="button" data-testid="material-add" on:click=add_material>
                    "＋ " {move || i18n.t(Msg::TechMaterialAdd)}
                </button>
                <ErrorSlot ctx at="material" />
            </div>

            <div class="quote-total-row">
                <span>{move || i18n.t(Msg::TechTotal)}</span>
                <strong class="quote-total" data-testid="quote-total" id="quote-total">{move || total().to_string()}</strong>
            </div>
            <p class="no-cash" id="no-cash">{move || i18n.t(Msg::TechNoCash)}</p>
            <Show when=move || { minutes() > 0 }>
                <p class="muted small">{move || i18n.tf(Msg::TechStdTotal, &[("n", minutes().to_string())])}</p>
            </Show>
            <button type="button" class="button primary wide" data-testid="quote-submit"
                disabled=move || busy.get() on:click=submit>
                {move || i18n.t(Msg::TechQuoteSubmit)}
            </button>
            <ErrorSlot ctx at="quote" />
        </div>
    }
}

#[component]
fn LineRow(d: Draft, lines: RwSignal<Vec<Draft>>) -> impl IntoView {
    let i18n = use_i18n();
    let key = d.key();
    let qty = d.qty();
    let price = d.price();
    let remove = move |_| lines.update(|ls| ls.retain(|x| x.key() != key));
    let amount = {
        let d = d.clone();
        move || Fen(d.amount()).to_string()
    };
    let (title, detail, disclaimer) = match &d {
        Draft::Item {
            code,
            name,
            minutes,
            per_metre,
            remarks,
            disclaimer,
            ack,
            ..
        } => {
            let (minutes, per_metre) = (*minutes, *per_metre);
            let t = move || match minutes {
                Some(n) if per_metre => {
                    i18n.tf(Msg::TechStdMinutesPerMetre, &[("n", n.to_string())])
                }
                Some(n) => i18n.tf(Msg::TechStdMinutes, &[("n", n.to_string())]),
                None => i18n.t(Msg::TechStdUnknown).to_owned(),
            };
            (
                format!("{code} {name}"),
                Signal::derive(t),
                disclaimer.then(|| (remarks.clone(), *ack)),
            )
        }
        Draft::Material {
            name, spec, source, ..
        } => {
            let m = match source {
                MaterialSource::Resident => Msg::TechSourceResident,
                MaterialSource::Office => Msg::TechSourceOffice,
            };
            let title = if spec.is_empty() {
                name.clone()
            } else {
                format!("{name}（{spec}）")
            };
            (title, Signal::derive(move || i18n.t(m).to_owned()), None)
        }
    };
    let kind = if matches!(d, Draft::Item { .. }) {
        "item"
    } else {
        "material"
    };
    view! {
        <li class="quote-line" data-kind=kind>
            <div class="line-main">
                <span class="line-title">{title}</span>
                <button type="button" class="link line-remove" data-testid="line-remove"
                    aria-label=move || i18n.t(Msg::TechRemove) on:click=remove>"×"</button>
            </div>
            <div class="line-nums">
                <span class="muted small">{detail}</span>
                <span class="small">{move || i18n.t(Msg::TechUnitPrice)} " " {price.to_string()}</span>
                <label class="qty">
                    <span class="muted small">{move || i18n.t(Msg::TechQty)}</span>
                    <input data-testid="line-qty" type="number" inputmode="numeric" min="1" bind:value=qty />
                </label>
                <strong class="line-amount">{amount}</strong>
            </div>
            {disclaimer.map(|(remarks, ack)| view! {
                <p class="remarks small">{remarks}</p>
                <label class="check">
                    <input type="checkbox" data-testid="line-disclaimer" bind:checked=ack />
                    <span>{move || i18n.t(Msg::TechDisclaimerAck)}</span>
                </label>
            })}
        </li>
    }
}

/// The quote as the resident sees it: scope, lines, total.
#[component]
fn QuoteSummary(order: WorkOrder, reference: Memo<ReferenceData>) -> impl IntoView {
    let i18n = use_i18n();
    let site = order.site_id;
    let lines = order.lines.clone();
    let total = order.total().unwrap_or_default();
    let rows = move || {
        let r = reference.get();
        lines
            .iter()
            .map(|l| {
                let (title, q, p) = match l {
                    QuoteLine::Item {
                        code,
                        quantity,
                        unit_price,
                        ..
                    } => {
                        let name = catalogue_item(&r, site, code)
                            .map(|c| c.name_zh.clone())
                            .unwrap_or_default();
                        (format!("{code} {name}"), *quantity, *unit_price)
                    }
                    QuoteLine::Material {
                        name,
                        spec,
                        quantity,
                        unit_price,
                        source,
                        ..
                    } => {
                        let src = match source {
                            MaterialSource::Resident => i18n.t(Msg::TechSourceResident),
                            MaterialSource::Office => i18n.t(Msg::TechSourceOffice),
                        };
                        let spec = if spec.is_empty() {
                            String::new()
                        } else {
                            format!("（{spec}）")
                        };
                        (format!("{name}{spec} · {src}"), *quantity, *unit_price)
                    }
                };
                let amount = quote::line_amount(l).unwrap_or_default();
                view! {
                    <tr>
                        <td>{title}</td>
                        <td class="num">{q}</td>
                        <td class="num">{p.to_string()}</td>
                        <td class="num">{amount.to_string()}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <div class="quote-summary" id="quote-summary">
            <h2>{move || i18n.t(Msg::TechQuoteTitle)}</h2>
            <p class="scope" id="quote-scope-text">{order.scope.clone()}</p>
            <table class="lines">
                <thead>
                    <tr>
                        <th></th>
                        <th class="num">{move || i18n.t(Msg::TechQty)}</th>
                        <th class="num">{move || i18n.t(Msg::TechUnitPrice)}</th>
                        <th class="num">{move || i18n.t(Msg::TechAmount)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            <div class="quote-total-row">
                <span>{move || i18n.t(Msg::TechTotal)}</span>
                <strong class="quote-total" data-testid="quote-total">{total.to_string()}</strong>
            </div>
            <p class="no-cash">{move || i18n.t(Msg::TechNoCash)}</p>
        </div>
    }
}

/// Quoted: the quote and the resident's consent signature (业户确认维修项目及计费签名).
#[component]
fn ConsentStep(
    order: WorkOrder,
    reference: Memo<ReferenceData>,
    ctx: Ctx,
    mode: RwSignal<Mode>,
    my_name: String,
) -> impl IntoView {
    let i18n = ctx.i18n;
    let busy = ctx.busy;
    let signer = RwSignal::new(order.reporter_name.clone());
    let pad = Pad::new();
    let hash = quote::consent_hash(order.id, &order.scope, &order.lines);
    let consent = move |_| {
        let name = signer.get_untracked().trim().to_owned();
        if name.is_empty() {
            ctx.fail("consent", ctx.problem(Msg::TechErrSigner));
            return;
        }
        let content_hash = hash.clone();
        ctx.run("consent", async move {
            let image = pad
                .export()
                .await
                .map_err(|e| ("signature".to_owned(), e.text(i18n)))?;
            Ok(WorkOrderCommand::Consent {
                signature: SignatureInput {
                    image,
                    signer_name: name,
                    content_hash,
                },
            })
        });
    };
    let (shown, editing) = (order.clone(), order.clone());
    view! {
        <section class="card step" id="step-consent">
            <Show when=move || mode.get() == Mode::Main>
                <QuoteSummary order=shown.clone() reference />
                <h3>{move || i18n.t(Msg::TechConsentTitle)}</h3>
                <SignaturePad pad label=Msg::TechConsentTitle signer />
                <button type="button" class="button primary wide" data-testid="consent-submit"
                    disabled=move || busy.get() on:click=consent.clone()>
                    {move || i18n.t(Msg::TechConsentSubmit)}
                </button>
                <ErrorSlot ctx at="consent" />
                <div class="actions step-actions">
                    <button type="button" class="button" data-testid="job-requote"
                        on:click=move |_| { ctx.error.set(None); mode.set(Mode::Requote) }>
                        {move || i18n.t(Msg::TechRequote)}
                    </button>
                </div>
            </Show>
            <Show when=move || mode.get() == Mode::Requote>
                <p class="notice">{move || i18n.t(Msg::TechRequoteHint)}</p>
                <QuoteEditor order=editing.clone() reference ctx />
                <button type="button" class="button wide" on:click=move |_| mode.set(Mode::Main)>
                    {move || i18n.t(Msg::TechCancel)}
                </button>
            </Show>
            <Show when=move || mode.get() != Mode::Requote>
                <SideForms order=order.clone() reference ctx mode my_name=my_name.clone() />
            </Show>
        </section>
    }
}

/// After photos (optional) and 完工.
#[component]
fn FinishForm(ctx: Ctx) -> impl IntoView {
    let i18n = ctx.i18n;
    let busy = ctx.busy;
    let photos = RwSignal::new(Vec::<BlobRef>::new());
    let finish = move |_| {
        let p = photos.get_untracked();
        ctx.run(
            "finish",
            std::future::ready(Ok(WorkOrderCommand::Finish { photos: p })),
        );
    };
    view! {
        <div class="finish-form">
            <PhotoPicker ctx at="finish" photos label=Msg::TechAfterPhotos testid="after-photo" />
            <p class="muted small">{move || i18n.t(Msg::TechFinishHint)}</p>
            <button type="button" class="button primary wide" data-testid="finish-submit"
                disabled=move || busy.get() on:click=finish>
                {move || i18n.t(Msg::TechFinishSubmit)}
            </button>
            <ErrorSlot ctx at="finish" />
        </div>
    }
}

/// In progress: after photos and 完工 (or a changed quote, which needs a new signature).
#[component]
fn FinishStep(
    order: WorkOrder,
    reference: Memo<ReferenceData>,
    ctx: Ctx,
    mode: RwSignal<Mode>,
) -> impl IntoView {
    let i18n = ctx.i18n;
    let consent = order.consent.clone();
    let editing = order.clone();
    view! {
        <section class="card step" id="step-finish">
            <Show when=move || mode.get() == Mode::Main>
                <QuoteSummary order=order.clone() reference />
                {consent.clone().map(|s| view! { <SignatureShown label=Msg::TechConsentSignature sig=s /> })}
                <FinishForm ctx />
                <div class="actions step-actions">
                    <button type="button" class="button" data-testid="job-requote"
                        on:click=move |_| { ctx.error.set(None); mode.set(Mode::Requote) }>
                        {move || i18n.t(Msg::TechRequote)}
                    </button>
                </div>
            </Show>
            <Show when=move || mode.get() == Mode::Requote>
                <p class="notice">{move || i18n.t(Msg::TechRequoteHint)}</p>
                <QuoteEditor order=editing.clone() reference ctx />
                <button type="button" class="button wide" on:click=move |_| mode.set(Mode::Main)>
                    {move || i18n.t(Msg::TechCancel)}
                </button>
            </Show>
        </section>
    }
}

/// Finished: the resident's acceptance (意见, 评价, 签字), or 业户拒签, or 费用待定.
#[component]
fn AcceptStep(order: WorkOrder, reference: Memo<ReferenceData>, ctx: Ctx) -> impl IntoView {
    let i18n = ctx.i18n;
    let busy = ctx.busy;
    let opinion = RwSignal::new(String::new());
    let signer = RwSignal::new(order.reporter_name.clone());
    let rating = RwSignal::new(None::<Rating>);
    let note = RwSignal::new(text_now(i18n, Msg::TechFeeNoteDefault));
    let pad = Pad::new();
    let hash = quote::acceptance_hash(order.id, &order.scope, &order.lines);

    // Signs when `sign` (the pad must not be empty then); `fee` makes it a 费用待定.
    let send = move |slot: &'static str, sign: bool, fee: bool| {
        let name = signer.get_untracked().trim().to_owned();
        let opinion_v = opinion.get_untracked().trim().to_owned();
        let rating_v = rating.get_untracked();
        let note_v = note.get_untracked().trim().to_owned();
        if fee && note_v.is_empty() {
            ctx.fail(slot, ctx.problem(Msg::TechErrReason));
            return;
        }
        if sign && name.is_empty() {
            ctx.fail(slot, ctx.problem(Msg::TechErrSigner));
            return;
        }
        let content_hash = hash.clone();
        ctx.run(slot, async move {
            let signature = if sign {
                let image = pad
                    .export()
                    .await
                    .map_err(|e| ("signature".to_owned(), e.text(i18n)))?;
                Some(SignatureInput {
                    image,
                    signer_name: name,
                    content_hash,
                })
            } else {
                None
            };
            let acceptance = AcceptanceInput {
                signature,
                opinion: opinion_v,
                rating: rating_v,
            };
            Ok(if fee {
                WorkOrderCommand::FeePending {
                    note: note_v,
                    acceptance,
                }
            } else {
                WorkOrderCommand::ResidentAccept { acceptance }
            })
        });
    };
    let send = StoredValue::new(send);
    let rate = move |r: Rating, testid: &'static str| {
        view! {
            <button type="button" data-testid=testid
                class=move || if rating.get() == Some(r) { "button rating selected" } else { "button rating" }
                aria-pressed=move || (rating.get() == Some(r)).to_string()
                on:click=move |_| rating.update(|x| *x = if *x == Some(r) { None } else { Some(r) })>
                {move || i18n.t(rating_msg(r))}
            </button>
        }
    };
    view! {
        <section class="card step" id="step-accept">
            <QuoteSummary order=order.clone() reference />
            <h2>{move || i18n.t(Msg::TechAcceptanceTitle)}</h2>
            <label>
                <span>{move || i18n.t(Msg::TechOpinion)}</span>
                <textarea data-testid="opinion" rows="2" bind:value=opinion></textarea>
            </label>
            <div class="ratings" role="group" aria-label=move || i18n.t(Msg::TechRating)>
                {rate(Rating::Satisfied, "rating-satisfied")}
                {rate(Rating::FairlySatisfied, "rating-fairly")}
                {rate(Rating::Dissatisfied, "rating-dissatisfied")}
            </div>
            <SignaturePad pad label=Msg::TechAcceptanceSignature signer />
            <button type="button" class="button primary wide" data-testid="accept-submit"
                disabled=move || busy.get()
                on:click=move |_| send.with_value(|f| f("accept", true, false))>
                {move || i18n.t(Msg::TechAcceptSubmit)}
            </button>
            <button type="button" class="button wide" data-testid="accept-refuse-sign"
                disabled=move || busy.get()
                on:click=move |_| send.with_value(|f| f("accept", false, false))>
                {move || i18n.t(Msg::TechRefuseSign)}
            </button>
            <ErrorSlot ctx at="accept" />
            <div class="fee-pending">
                <h3>{move || i18n.t(Msg::TechFeePending)}</h3>
                <label>
                    <span>{move || i18n.t(Msg::TechFeeNote)}</span>
                    <textarea data-testid="fee-note" rows="2" bind:value=note></textarea>
                </label>
                <button type="button" class="button wide" data-testid="fee-pending-submit"
                    disabled=move || busy.get()
                    on:click=move |_| send.with_value(|f| f("fee_pending", pad.is_inked_untracked(), true))>
                    {move || i18n.t(Msg::TechFeePendingSubmit)}
                </button>
                <ErrorSlot ctx at="fee_pending" />
            </div>
        </section>
    }
}

#[component]
fn SignatureShown(label: Msg, sig: domain::work_orders::Signature) -> impl IntoView {
    let i18n = use_i18n();
    let name = sig.signer_name.clone();
    let at = short_time(sig.signed_at);
    view! {
        <figure class="signature-shown" data-testid="signature-image">
            <figcaption class="muted small">{move || i18n.t(label)}</figcaption>
            <BlobImg blob=sig.image alt=text_now(i18n, label) />
            <figcaption class="small">
                {move || i18n.tf(Msg::TechSignedBy, &[("name", name.clone()), ("time", at.clone())])}
            </figcaption>
        </figure>
    }
}

/// The read-only record: quote, signatures, acceptance, refusal, referral, photos.
#[component]
fn Summary(order: WorkOrder, reference: Memo<ReferenceData>) -> impl IntoView {
    let i18n = use_i18n();
    let o = order;
    let has_quote = !o.scope.is_empty() || !o.lines.is_empty();
    let referred = o.referred_to.clone().map(|code| {
        let r = reference.get_untracked();
        r.suppliers
            .iter()
            .find(|s| s.site_id == o.site_id && s.code == code)
            .map(|s| format!("{} {}", s.code, s.name_zh))
            .unwrap_or(code)
    });
    let acceptance = o.acceptance.clone();
    let declined = o.declined.clone();
    let attempts = o.attempts.clone();
    view! {
        <section class="card summary-record" id="job-summary">
            <h2>{move || i18n.t(Msg::TechSummary)}</h2>
            {has_quote.then(|| view! { <QuoteSummary order=o.clone() reference /> })}
            {o.consent.clone().map(|s| view! { <SignatureShown label=Msg::TechConsentSignature sig=s /> })}
            {(!o.after_photos.is_empty()).then(|| view! {
                <h3>{move || i18n.t(Msg::TechAfterPhotos)}</h3>
                <div class="job-photos">
                    {o.after_photos.clone().into_iter().map(|b| view! { <BlobImg blob=b alt="photo" /> }).collect_view()}
                </div>
            })}
            {acceptance.map(|a| {
                let rating = a.rating;
                view! {
                    <h3>{move || i18n.t(Msg::TechAcceptanceTitle)}</h3>
                    <p id="acceptance-rating">
                        {move || i18n.t(Msg::TechRating)} "："
                        {move || i18n.t(rating.map(rating_msg).unwrap_or(Msg::TechNoRating))}
                    </p>
                    {(!a.opinion.is_empty()).then(|| view! {
                        <p>{move || i18n.t(Msg::TechOpinion)} "：" {a.opinion.clone()}</p>
                    })}
                    {match a.signature {
                        Some(s) => view! { <SignatureShown label=Msg::TechAcceptanceSignature sig=s /> }.into_any(),
                        None => view! { <p class="notice" id="acceptance-refused">{move || i18n.t(Msg::TechAcceptanceRefused)}</p> }.into_any(),
                    }}
                }
            })}
            {o.fee_note.clone().map(|n| view! {
                <p>{move || i18n.tf(Msg::TechFeeNoteShown, &[("note", n.clone())])}</p>
            })}
            {declined.map(|d| {
                let reason = d.reason.clone();
                view! {
                    <p id="declined-reason">{move || i18n.tf(Msg::TechDeclinedReason, &[("reason", reason.clone())])}</p>
                    <SignatureShown label=Msg::TechTechSignature sig=d.technician_signature />
                }
            })}
            {referred.map(|item| view! {
                <p id="referred-to">{move || i18n.tf(Msg::TechReferredTo, &[("item", item.clone())])}</p>
            })}
            {o.reply.clone().map(|r| view! {
                <p>{move || i18n.tf(Msg::TechReply, &[("text", r.text.clone())])}</p>
            })}
            {(!attempts.is_empty()).then(|| {
                let n = attempts.len();
                view! {
                    <p>{move || i18n.tf(Msg::TechAttempts, &[("n", n.to_string())])}</p>
                    <div class="job-photos">
                        {attempts.iter().filter_map(|a| a.photo.clone()).map(|b| view! { <BlobImg blob=b alt="photo" /> }).collect_view()}
                    </div>
                }
            })}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn zh() -> I18n {
        I18n(RwSignal::new(Lang::Zh))
    }

    /// Every refusal of `apply` maps back to its code: the mapping reads `WorkOrderError`'s
    /// wording, so a reworded message must fail here, not show "服务器拒绝" on a phone.
    #[test]
    fn every_rule_refusal_maps_to_its_code() {
        // Signals need an owner (the server build sandboxes reactive arenas per owner).
        Owner::new().with(every_rule_refusal_maps_to_its_code_inner);
    }

    fn every_rule_refusal_maps_to_its_code_inner() {
        use WorkOrderError as E;
        let cases = [
            (E::AlreadyExists, "already_exists"),
            (E::NotFound, "unknown_entity"),
            (E::Forbidden("act as the technician"), "forbidden"),
            (E::SiteForbidden, "site_forbidden"),
            (E::UnitNotInSite, "unit_not_in_site"),
            (
                E::InvalidInput {
                    field: "reason",
                    reason: "required",
                },
                "invalid_input",
            ),
            (
                E::InvalidTransition {
                    from: "closed",
                    action: "work_order.finish",
                },
                "invalid_transition",
            ),
            (E::NotAssignee, "not_assignee"),
            (E::UnknownStaff, "unknown_staff"),
            (E::TextConflict, "text_conflict"),
            (E::UnknownCatalogueItem, "unknown_catalogue_item"),
            (E::UnknownSupplierItem, "unknown_supplier_item"),
            (E::PriceMismatch, "price_mismatch"),
            (E::AmountOutOfRange, "amount_out_of_range"),
            (E::SignatureMismatch, "signature_mismatch"),
            (E::SecondRepairNeedsVisit, "second_repair_needs_visit"),
            (E::AlreadyFinal("closed"), "already_final"),
        ];
        for (e, code) in cases {
            let (got, text) = rule_reason(zh(), &e.to_string());
            assert_eq!(got, code, "{e}");
            assert!(!text.is_empty() && !text.is_ascii(), "{e}: {text}");
        }
    }

    #[test]
    fn invalid_input_reasons_are_said_in_chinese() {
        Owner::new().with(invalid_input_reasons_are_said_in_chinese_inner);
    }

    fn invalid_input_reasons_are_said_in_chinese_inner() {
        let i18n = zh();
        let (_, t) = rule_reason(
            i18n,
            "lines: materials bought for the resident need their approval first",
        );
        assert_eq!(t, Msg::TechErrApproval.zh());
        let (_, t) = rule_reason(i18n, "signer_name: required");
        assert_eq!(t, "签字人姓名：必填");
        let (_, t) = rule_reason(
            i18n,
            "lines: the resident must acknowledge the item's disclaimer",
        );
        assert_eq!(t, Msg::TechErrDisclaimer.zh());
    }

    #[test]
    fn quantities_are_whole_numbers_within_the_limit() {
        assert_eq!(parse_qty(" 2 "), Some(2));
        assert_eq!(parse_qty("0"), None);
        assert_eq!(parse_qty("1000"), None);
        assert_eq!(parse_qty("1.5"), None);
        assert_eq!(parse_qty(""), None);
    }
}
