//! 巡检 (requirements §2.10, S3 篇2 《物业客服部日常巡检工作流程》).
//!
//! - `/patrol` ([`home`]): the officer's day on the phone, offline: today's routes from the
//!   reference data, 开始巡检 plans and starts a round in the outbox, rounds under way.
//! - `/patrol/rounds/:id` ([`round`]): the round itself: scan each checkpoint (camera with
//!   `BarcodeDetector` or the wasm QR decoder in [`scan`], or the typed code, all through one
//!   `on_decoded`), answer its checklist 正常/异常/不适用, free findings, finish or finish early.
//! - `/patrol/manage`, `/patrol/reports/:id` ([`manage`]): the managers' tablet screens over the
//!   REST API: today's rounds, the month's rates against 98 %, cases, notifications, and the
//!   《日常巡检记录表》 of one round.
//! - `/patrol/checkpoints`, `/patrol/labels` ([`setup`]): checkpoints, checklists and routes, and
//!   the printable QR label sheets.
//!
//! Hydration: what comes from the device (store, clock, camera, position) is read in a
//! `LocalResource`, an Effect or an event handler, so the server and the first client render
//! agree.

mod home;
mod manage;
mod round;
#[cfg(feature = "hydrate")]
pub(crate) mod scan;
mod setup;

pub use home::PatrolHomePage;
pub use manage::{PatrolManagerPage, RoundReportPage};
pub use round::RoundPage;
pub use setup::{CheckpointsPage, LabelsPage};

use crate::api::ApiFailure;
use crate::frame::{to_login, use_profile, Frame};
use crate::i18n::{fill, use_i18n, I18n, Msg};
use crate::pages::errors::Forbidden;
use chrono::{DateTime, NaiveDate, Utc};
use domain::patrol::checklist::{AreaType, OnFault};
use domain::patrol::round::{AnswerValue, RoundError, RoundStatus, Severity};
use domain::patrol::route::Schedule;
use domain::people::Role;
use domain::sync::wire::BlobRef;
use domain::work_orders::sla::china;
use leptos::prelude::*;

// ---------------------------------------------------------------------------------------------
// Time

/// The device's clock (only read in the browser, after hydration).
pub(crate) fn now() -> DateTime<Utc> {
    #[cfg(feature = "hydrate")]
    {
        DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        DateTime::<Utc>::default()
    }
}

/// Today in China (the day a round is planned for).
pub(crate) fn today() -> NaiveDate {
    now().with_timezone(&china()).date_naive()
}

/// `14:32`, China time.
pub(crate) fn hm(t: DateTime<Utc>) -> String {
    t.with_timezone(&china()).format("%H:%M").to_string()
}

/// `11-05 14:32`, China time.
pub(crate) fn short_time(t: DateTime<Utc>) -> String {
    t.with_timezone(&china()).format("%m-%d %H:%M").to_string()
}

/// Text in the current language without subscribing (event handlers, async tasks).
pub(crate) fn text_now(i18n: I18n, m: Msg) -> String {
    i18n.0.get_untracked().text(m).to_owned()
}

pub(crate) fn text_now_with(i18n: I18n, m: Msg, args: &[(&str, String)]) -> String {
    fill(i18n.0.get_untracked().text(m), args)
}

/// `980` → `98.0%`.
pub(crate) fn percent(permille: u32) -> String {
    format!("{}.{}%", permille / 10, permille % 10)
}

// ---------------------------------------------------------------------------------------------
// Words

pub(crate) fn area_msg(a: AreaType) -> Msg {
    match a {
        AreaType::Stairwell => Msg::PatrolAreaStairwell,
        AreaType::Roof => Msg::PatrolAreaRoof,
        AreaType::Lift => Msg::PatrolAreaLift,
        AreaType::Lobby => Msg::PatrolAreaLobby,
        AreaType::Grounds => Msg::PatrolAreaGrounds,
    }
}

pub(crate) fn area_code(a: AreaType) -> &'static str {
    match a {
        AreaType::Stairwell => "stairwell",
        AreaType::Roof => "roof",
        AreaType::Lift => "lift",
        AreaType::Lobby => "lobby",
        AreaType::Grounds => "grounds",
    }
}

pub(crate) fn status_msg(s: RoundStatus) -> Msg {
    match s {
        RoundStatus::Planned => Msg::PatrolStatusPlanned,
        RoundStatus::InProgress => Msg::PatrolStatusInProgress,
        RoundStatus::Finished => Msg::PatrolStatusFinished,
        RoundStatus::FinishedEarly => Msg::PatrolStatusFinishedEarly,
    }
}

pub(crate) fn schedule_msg(s: Schedule) -> Msg {
    match s {
        Schedule::Daily => Msg::PatrolScheduleDaily,
        Schedule::Weather => Msg::PatrolScheduleWeather,
        Schedule::Holiday => Msg::PatrolScheduleHoliday,
    }
}

pub(crate) fn schedule_code(s: Schedule) -> &'static str {
    match s {
        Schedule::Daily => "daily",
        Schedule::Weather => "weather",
        Schedule::Holiday => "holiday",
    }
}

pub(crate) fn severity_msg(s: Severity) -> Msg {
    match s {
        Severity::Low => Msg::PatrolSeverityLow,
        Severity::Medium => Msg::PatrolSeverityMedium,
        Severity::High => Msg::PatrolSeverityHigh,
    }
}

pub(crate) fn severity_code(s: Severity) -> &'static str {
    match s {
        Severity::Low => "low",
        Severity::Medium => "medium",
        Severity::High => "high",
    }
}

pub(crate) fn value_msg(v: AnswerValue) -> Msg {
    match v {
        AnswerValue::Normal => Msg::PatrolAnswerNormal,
        AnswerValue::Fault => Msg::PatrolAnswerFault,
        AnswerValue::NotApplicable => Msg::PatrolAnswerNa,
    }
}

pub(crate) fn value_code(v: AnswerValue) -> &'static str {
    match v {
        AnswerValue::Normal => "normal",
        AnswerValue::Fault => "fault",
        AnswerValue::NotApplicable => "na",
    }
}

pub(crate) fn on_fault_msg(f: OnFault) -> Msg {
    match f {
        OnFault::Repair { urgent: false } => Msg::PatrolOnFaultRepair,
        OnFault::Repair { urgent: true } => Msg::PatrolOnFaultUrgent,
        OnFault::Case => Msg::PatrolOnFaultCase,
    }
}

/// What the device's own `apply_round` refused, as the wire's reject code (so the screen and
/// the outbox page name it alike) and the text to show.
pub(crate) fn round_error_text(i18n: I18n, e: &RoundError) -> (&'static str, String) {
    use RoundError as E;
    let (code, m) = match e {
        E::NotOfficer => ("not_officer", Msg::PatrolErrNotOfficer),
        E::UnknownCheckpoint => ("unknown_checkpoint", Msg::PatrolErrUnknownCheckpoint),
        E::OtherSite => ("other_site_checkpoint", Msg::PatrolErrOtherSite),
        E::NotOnRound => ("not_on_round", Msg::PatrolErrNotOnRound),
        E::NotScanned => ("not_scanned", Msg::PatrolErrNotScanned),
        E::UnknownItem => ("unknown_checklist_item", Msg::PatrolErrUnknownItem),
        E::FaultNeedsEvidence => ("fault_needs_evidence", Msg::PatrolErrFaultNeedsEvidence),
        E::CheckpointsLeft => ("checkpoints_left", Msg::PatrolErrCheckpointsLeft),
        E::AlreadyExists => ("already_exists", Msg::PatrolErrAlreadyExists),
        E::NotFound => ("unknown_entity", Msg::PatrolErrNotFound),
        E::Forbidden => ("forbidden", Msg::PatrolErrForbidden),
        E::UnknownRoute => ("unknown_route", Msg::PatrolErrUnknownRoute),
        E::InvalidTransition { .. } => ("invalid_transition", Msg::PatrolErrNotInProgress),
        E::InvalidInput { field, reason } => {
            let m = match (*field, *reason) {
                ("note", "required") => Msg::PatrolErrNoteRequired,
                ("note", _) => Msg::PatrolErrNoteTooLong,
                ("place", _) => Msg::PatrolErrPlaceRequired,
                ("photos", _) => Msg::PatrolErrPhotos,
                _ => Msg::PatrolErrInvalid,
            };
            ("invalid_input", m)
        }
    };
    (code, text_now(i18n, m))
}

/// A refusal shown next to the action it belongs to (`slot`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Failure {
    pub slot: String,
    pub code: String,
    pub text: String,
}

/// The refusal of `slot`, if the last one was there: `data-testid="round-error"`.
pub(crate) fn failure_view(
    error: RwSignal<Option<Failure>>,
    slot: impl Into<String>,
) -> impl IntoView {
    let slot = slot.into();
    move || {
        error
            .get()
            .filter(|f| f.slot == slot)
            .map(|f| {
                view! {
                    <p class="form-error round-error" role="alert" data-testid="round-error" data-code=f.code>
                        {f.text}
                    </p>
                }
            })
    }
}

// ---------------------------------------------------------------------------------------------
// Who may open what (the server checks again on every API)

/// The roles that manage patrols (the server's `manages_patrols`).
pub(crate) fn manages_patrols(role: Role) -> bool {
    matches!(role, Role::CsMgr | Role::CenterMgr | Role::Admin)
}

/// The roles `apply_round` lets plan and walk a round.
pub(crate) fn walks_rounds(role: Role) -> bool {
    matches!(role, Role::Patrol | Role::CsMgr | Role::Security)
}

/// The frame with `children` when the signed-in role passes `allow`; the 403 page otherwise
/// (status 403 from the server), the sign-in page when nobody is signed in.
#[component]
pub(crate) fn PatrolGuard(allow: fn(Role) -> bool, children: ChildrenFn) -> impl IntoView {
    match use_profile() {
        None => {
            to_login();
            view! { <p class="muted">"…"</p> }.into_any()
        }
        Some(p) if !allow(p.role) => {
            #[cfg(feature = "ssr")]
            if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
                resp.set_status(http::StatusCode::FORBIDDEN);
            }
            view! {
                <Frame profile=p.clone()>
                    <Forbidden role=p.role />
                </Frame>
            }
            .into_any()
        }
        Some(p) => view! { <Frame profile=p>{children()}</Frame> }.into_any(),
    }
}

// ---------------------------------------------------------------------------------------------
// Photos

/// A photo: from this device's store when it is there (taken here, maybe not uploaded yet),
/// otherwise from the server.
#[component]
pub(crate) fn Photo(blob: BlobRef) -> impl IntoView {
    let src = RwSignal::new(None::<String>);
    let sha = blob.sha256.clone();
    #[cfg(feature = "hydrate")]
    {
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
                let url = match crate::offline::client::local_photo_url(sha.clone()).await {
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
    view! { <img class="blob" src=move || src.get() alt="" data-sha=sha /> }
}

/// A file input's change handler: compresses the photo as the repair form does, keeps it on
/// the device (`client::put_photo`) and adds it to `photos`, then calls `then`. `pending`
/// counts the photos still being processed (a save waits for them: [`photos_settled`]). A
/// failure is shown in `slot`.
pub(crate) fn photo_input(
    i18n: I18n,
    photos: RwSignal<Vec<BlobRef>>,
    pending: RwSignal<u32>,
    error: RwSignal<Option<Failure>>,
    slot: String,
    then: impl Fn() + Copy + 'static,
) -> impl Fn(leptos::ev::Event) + Clone + 'static {
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
            let slot = slot.clone();
            // Counted at once, in the change event: a tap on 异常 right after the photo waits.
            pending.update(|n| *n += 1);
            leptos::task::spawn_local(async move {
                let stored = match crate::browser::compress_photo(file).await {
                    Ok((bytes, ct)) => crate::offline::client::put_photo(bytes, ct).await.ok(),
                    Err(_) => None,
                };
                let _ = pending.try_update(|n| *n = n.saturating_sub(1));
                match stored {
                    Some(b) => {
                        let _ = photos.try_update(|p| p.push(b));
                        then();
                    }
                    None => {
                        let _ = error.try_set(Some(Failure {
                            slot,
                            code: "photo".into(),
                            text: text_now(i18n, Msg::PatrolPhotoFailed),
                        }));
                    }
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, i18n, photos, pending, error, &slot, then);
    }
}

/// Waits until no photo of `pending` is being processed (at most 30 s), so a save carries the
/// photo just taken.
pub(crate) async fn photos_settled(pending: RwSignal<u32>) {
    #[cfg(feature = "hydrate")]
    for _ in 0..600 {
        if pending.try_get_untracked().unwrap_or(0) == 0 {
            return;
        }
        scan::sleep(50).await;
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = pending;
}

// ---------------------------------------------------------------------------------------------
// The REST API (manager screens)

/// `PUT`/`POST` with a JSON body and a JSON answer; `post_empty` for a `204 No Content`.
#[cfg(feature = "hydrate")]
mod rest {
    use crate::api::ApiFailure;
    use domain::session::ApiErrorBody;
    use gloo_net::http::{Request, Response};
    use serde::de::DeserializeOwned;

    async fn failure(resp: Response) -> ApiFailure {
        let status = resp.status();
        match resp.json::<ApiErrorBody>().await {
            Ok(body) => ApiFailure::Api { status, body },
            Err(_) => ApiFailure::Decode,
        }
    }

    pub async fn send_json<T: DeserializeOwned>(
        method: &str,
        url: &str,
        body: &serde_json::Value,
    ) -> Result<T, ApiFailure> {
        let req = match method {
            "PUT" => Request::put(url),
            _ => Request::post(url),
        };
        let resp = req
            .json(body)
            .map_err(|_| ApiFailure::Decode)?
            .send()
            .await
            .map_err(|_| ApiFailure::Network)?;
        if resp.ok() {
            resp.json::<T>().await.map_err(|_| ApiFailure::Decode)
        } else {
            Err(failure(resp).await)
        }
    }

    pub async fn post_empty(url: &str) -> Result<(), ApiFailure> {
        let resp = Request::post(url)
            .send()
            .await
            .map_err(|_| ApiFailure::Network)?;
        if resp.ok() {
            Ok(())
        } else {
            Err(failure(resp).await)
        }
    }
}

#[cfg(not(feature = "hydrate"))]
mod rest {
    use crate::api::ApiFailure;
    use serde::de::DeserializeOwned;

    pub async fn send_json<T: DeserializeOwned>(
        _method: &str,
        _url: &str,
        _body: &serde_json::Value,
    ) -> Result<T, ApiFailure> {
        Err(ApiFailure::NotInBrowser)
    }

    pub async fn post_empty(_url: &str) -> Result<(), ApiFailure> {
        Err(ApiFailure::NotInBrowser)
    }
}

pub(crate) use rest::{post_empty, send_json};

/// A failed API call in the user's language: the known codes in words, the server's message
/// (which names the field) beside them.
pub(crate) fn api_error_text(i18n: I18n, e: &ApiFailure) -> String {
    let m = match e {
        ApiFailure::Network => Some(Msg::PatrolApiOffline),
        ApiFailure::Api { body, .. } => match body.code.as_str() {
            "code_taken" => Some(Msg::PatrolApiCodeTaken),
            "checkpoint_in_use" => Some(Msg::PatrolApiCheckpointInUse),
            "invalid_checkpoint" | "invalid_route" => Some(Msg::PatrolApiInvalid),
            "unknown_checkpoint" | "inactive_checkpoint" => Some(Msg::PatrolApiRouteCheckpoint),
            "forbidden" => Some(Msg::RejectForbidden),
            "already_closed" => Some(Msg::PatrolApiAlreadyClosed),
            "not_found" => Some(Msg::PatrolApiNotFound),
            _ => None,
        },
        _ => None,
    };
    let detail = match e {
        ApiFailure::Api { body, .. } => body.message.clone(),
        other => other.code(),
    };
    match m {
        Some(m) => format!("{}（{detail}）", text_now(i18n, m)),
        None => text_now_with(i18n, Msg::PatrolApiFailed, &[("code", e.code())]),
    }
}

/// The site the manager screens show: a picker when the user has more than one.
#[component]
pub(crate) fn SitePicker(site: RwSignal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let sites = use_profile().map(|p| p.sites).unwrap_or_default();
    if sites.len() < 2 {
        return ().into_any();
    }
    view! {
        <label class="site-picker">
            <span>{move || i18n.t(Msg::PatrolSite)}</span>
            <select data-testid="site-picker" on:change=move |ev| site.set(Some(event_target_value(&ev)))>
                {sites.into_iter().map(|s| {
                    let id = s.id.to_string();
                    let id2 = id.clone();
                    view! { <option value=id selected=move || site.get().as_deref() == Some(id2.as_str())>{s.name}</option> }
                }).collect_view()}
            </select>
        </label>
    }
    .into_any()
}

/// The first site of the signed-in user (the manager screens' default).
pub(crate) fn first_site() -> Option<String> {
    use_profile().and_then(|p| p.sites.first().map(|s| s.id.to_string()))
}

/// The percentage bar of a rate against a target (both in per mille).
#[component]
pub(crate) fn RateBar(
    permille: Option<u32>,
    #[prop(optional)] target: Option<u32>,
    testid: &'static str,
) -> impl IntoView {
    let width = permille.map_or(0, |p| p.min(1000)) as f64 / 10.0;
    let meets = match (permille, target) {
        (Some(p), Some(t)) => Some(p >= t),
        _ => None,
    };
    let class = match meets {
        Some(true) => "rate-bar ok",
        Some(false) => "rate-bar below",
        None => "rate-bar",
    };
    view! {
        <div class=class data-testid=testid
            data-permille=permille.map(|p| p.to_string()).unwrap_or_default()
            data-meets=meets.map(|m| m.to_string()).unwrap_or_default()>
            <span class="fill" style=format!("width:{width:.1}%")></span>
            {target.map(|t| view! {
                <span class="target" style=format!("left:{:.1}%", t as f64 / 10.0)></span>
            })}
            <span class="value">{permille.map(percent).unwrap_or_else(|| "—".into())}</span>
        </div>
    }
}
