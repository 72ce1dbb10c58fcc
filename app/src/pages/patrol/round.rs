//! `/patrol/rounds/:id`: one round on the phone, offline. The stops in route order with their
//! state (未巡 / 已扫码 / 有异常) and scan times; the scan panel (camera or typed code, both
//! through [`Ctx::on_decoded`], which `window.__wuyeScan` calls too); the checklist of the
//! scanned checkpoint, 正常 / 异常 / 不适用 with note and photo; free findings; finish, or
//! finish early with a reason. Every step is a `RoundCommand` queued with
//! `client::submit_round`: the device's own `apply_round` checks it first, and a refusal is
//! shown next to the action (`data-testid="round-error"`).

use super::{
    area_msg, failure_view, hm, manages_patrols, on_fault_msg, photo_input, photos_settled,
    round_error_text, severity_code, severity_msg, status_msg, text_now, value_code, walks_rounds,
    Failure, PatrolGuard, Photo,
};
use crate::frame::use_profile;
use crate::i18n::{use_i18n, I18n, Msg};
use crate::offline::client::{self, RoundSubmitError, RoundView};
use crate::offline::use_sync_status;
use chrono::{DateTime, Utc};
use domain::ids::CheckpointId;
use domain::patrol::checklist::ChecklistItem;
use domain::patrol::report::completion;
use domain::patrol::round::{
    Answer, AnswerValue, Round, RoundCommand, RoundStatus, Severity, Stop, MAX_NOTE_CHARS,
};
use domain::sync::wire::BlobRef;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

#[component]
pub fn RoundPage() -> impl IntoView {
    view! {
        <PatrolGuard allow=|r| walks_rounds(r) || manages_patrols(r)>
            <RoundScreen />
        </PatrolGuard>
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Load {
    /// The device's store is not open yet.
    Waiting,
    Missing,
    Found(Box<RoundView>),
}

async fn load(ready: bool, id: Option<Uuid>) -> Load {
    if !ready {
        return Load::Waiting;
    }
    let Some(id) = id else {
        return Load::Missing;
    };
    match client::rounds()
        .await
        .into_iter()
        .find(|v| v.round.id.0 == id)
    {
        Some(v) => Load::Found(Box::new(v)),
        None => Load::Missing,
    }
}

/// A stop's state on the list: `pending` (not scanned), `scanned`, `fault` (an 异常 answer or a
/// finding there).
fn stop_state(r: &Round, cp: CheckpointId) -> &'static str {
    if !r.scanned(cp) {
        "pending"
    } else if r
        .current_answers()
        .iter()
        .any(|a| a.checkpoint_id == cp && a.value == AnswerValue::Fault)
        || r.findings.iter().any(|f| f.checkpoint_id == Some(cp))
    {
        "fault"
    } else {
        "scanned"
    }
}

fn state_msg(state: &str) -> Msg {
    match state {
        "pending" => Msg::PatrolStopPending,
        "fault" => Msg::PatrolStopFault,
        _ => Msg::PatrolStopScanned,
    }
}

/// What the scan panel says after a scan the device took.
#[derive(Debug, Clone, PartialEq)]
struct ScanNote {
    name: String,
    code: String,
    at: DateTime<Utc>,
}

/// The page's state, shared by its parts (signals only: `Copy`).
#[derive(Clone, Copy)]
struct Ctx {
    i18n: I18n,
    id: Memo<Option<Uuid>>,
    round: Memo<Option<RoundView>>,
    error: RwSignal<Option<Failure>>,
    busy: RwSignal<bool>,
    /// A decoded code is being recorded (the camera's next frames wait).
    scanning: RwSignal<bool>,
    open_stop: RwSignal<Option<CheckpointId>>,
    last_scan: RwSignal<Option<ScanNote>>,
}

impl Ctx {
    /// Queues `cmd` for this round; a refusal goes to `slot`. True when saved.
    async fn submit(self, slot: &str, cmd: RoundCommand) -> bool {
        let Some(id) = self.id.get_untracked() else {
            return false;
        };
        match client::submit_round(id, cmd).await {
            Ok(()) => {
                let _ = self.error.try_update(|e| {
                    if e.as_ref().is_some_and(|f| f.slot == slot) {
                        *e = None;
                    }
                });
                true
            }
            Err(e) => {
                let (code, text) = match &e {
                    RoundSubmitError::Rule(r) => {
                        let (c, t) = round_error_text(self.i18n, r);
                        (c.to_owned(), t)
                    }
                    RoundSubmitError::Storage(_) => (
                        "storage".to_owned(),
                        text_now(self.i18n, Msg::SyncStorageFailed),
                    ),
                };
                let _ = self.error.try_set(Some(Failure {
                    slot: slot.to_owned(),
                    code,
                    text,
                }));
                false
            }
        }
    }

    /// THE scan path: the camera's decoder, the typed code and `window.__wuyeScan` all come
    /// here. Queues `Scan { code, position }` (the phone's position when it has one at once)
    /// and opens the checkpoint's checklist. Answers `"ok"` or the refusal's code.
    async fn on_decoded(self, code: String) -> String {
        let code = code.trim().to_uppercase();
        if code.is_empty() {
            let _ = self.error.try_set(Some(Failure {
                slot: "scan".into(),
                code: "empty".into(),
                text: text_now(self.i18n, Msg::PatrolScanEmpty),
            }));
            return "empty".into();
        }
        if self.scanning.get_untracked() {
            return "busy".into();
        }
        self.scanning.set(true);
        #[cfg(feature = "hydrate")]
        let position = super::scan::position(1500).await;
        #[cfg(not(feature = "hydrate"))]
        let position = None;
        let ok = self
            .submit(
                "scan",
                RoundCommand::Scan {
                    code: code.clone(),
                    position,
                },
            )
            .await;
        let _ = self.scanning.try_set(false);
        if !ok {
            return self
                .error
                .get_untracked()
                .map(|f| f.code)
                .unwrap_or_else(|| "refused".into());
        }
        let stop = self
            .round
            .get_untracked()
            .and_then(|v| v.round.stops.iter().find(|s| s.code == code).cloned());
        if let Some(stop) = stop {
            let _ = self.last_scan.try_set(Some(ScanNote {
                name: stop.name_zh.clone(),
                code: stop.code.clone(),
                at: super::now(),
            }));
            let _ = self.open_stop.try_set(Some(stop.checkpoint_id));
            #[cfg(feature = "hydrate")]
            leptos::task::spawn_local(async {
                super::scan::sleep(60).await;
                super::scan::scroll_to("checklist");
            });
        }
        "ok".into()
    }
}

#[component]
fn RoundScreen() -> impl IntoView {
    let i18n = use_i18n();
    let st = use_sync_status();
    let profile = use_profile();
    let me = profile.as_ref().map(|p| p.staff_id);
    let manager = profile.as_ref().is_some_and(|p| manages_patrols(p.role));
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
    let loaded = Memo::new(move |_| data.get());
    let round = Memo::new(move |_| match loaded.get() {
        Some(Load::Found(v)) => Some(*v),
        _ => None,
    });
    let ctx = Ctx {
        i18n,
        id,
        round,
        error: RwSignal::new(None),
        busy: RwSignal::new(false),
        scanning: RwSignal::new(false),
        open_stop: RwSignal::new(None),
        last_scan: RwSignal::new(None),
    };
    // Another round opened in the same page: nothing carries over.
    Effect::new(move |_| {
        id.track();
        ctx.error.set(None);
        ctx.open_stop.set(None);
        ctx.last_scan.set(None);
    });
    #[cfg(feature = "hydrate")]
    {
        // This page, opened by in-app navigation, was never fetched: have it kept for a reload
        // with no signal.
        Effect::new(move |_| {
            if let Some(i) = id.get() {
                crate::browser::keep_pages_offline(&[format!("/patrol/rounds/{i}")]);
            }
        });
        Effect::new(move |_| {
            super::scan::expose_scan(move |code: String| {
                wasm_bindgen_futures::future_to_promise(async move {
                    Ok(wasm_bindgen::JsValue::from_str(&ctx.on_decoded(code).await))
                })
            });
        });
        on_cleanup(super::scan::hide_scan);
    }
    let mine = Memo::new(move |_| {
        round
            .get()
            .is_some_and(|v| Some(v.round.officer) == me && me.is_some())
    });
    let status = Memo::new(move |_| round.get().map(|v| v.round.status));
    let walking = Memo::new(move |_| mine.get() && status.get() == Some(RoundStatus::InProgress));
    let report_href = move || {
        id.get()
            .map(|i| format!("/patrol/reports/{i}"))
            .unwrap_or_default()
    };
    view! {
        <section class="round-page" id="round">
            <a class="back" href=if manager { "/patrol/manage" } else { "/patrol" }>{move || i18n.t(Msg::PatrolBack)}</a>
            {move || match loaded.get() {
                None | Some(Load::Waiting) => view! {
                    <p class="muted" id="round-loading">{move || i18n.t(Msg::PatrolLoading)}</p>
                }.into_any(),
                Some(Load::Missing) => view! {
                    <div class="empty" id="round-missing">
                        <p>{move || i18n.t(Msg::PatrolRoundMissing)}</p>
                        <Show when=move || manager>
                            <a class="button" href=report_href data-testid="round-report-link">{move || i18n.t(Msg::PatrolOpenReport)}</a>
                        </Show>
                    </div>
                }.into_any(),
                Some(Load::Found(_)) => view! { <RoundHead ctx /> }.into_any(),
            }}
            <Show when=move || status.get() == Some(RoundStatus::Planned) && mine.get()>
                <StartPanel ctx />
            </Show>
            <Show when=move || walking.get()>
                <ScanPanel ctx />
            </Show>
            <Show when=move || mine.get()>
                {move || ctx.open_stop.get().map(|cp| view! { <Checklist ctx cp editable=walking /> })}
            </Show>
            <Show when=move || round.get().is_some()>
                <StopList ctx mine />
                <Findings ctx walking />
            </Show>
            <Show when=move || walking.get()>
                <FinishPanel ctx />
            </Show>
            <Show when=move || matches!(status.get(), Some(RoundStatus::Finished | RoundStatus::FinishedEarly))>
                <section class="card round-done" data-testid="round-done">
                    <p>{move || i18n.t(Msg::PatrolRoundOver)}</p>
                    <a class="button" href=report_href data-testid="round-report-link">{move || i18n.t(Msg::PatrolOpenReport)}</a>
                    " "
                    <a class="button" href="/patrol">{move || i18n.t(Msg::PatrolBackHome)}</a>
                </section>
            </Show>
            <Show when=move || round.get().is_some() && !mine.get()>
                <p class="note" data-testid="round-readonly">
                    {move || i18n.t(Msg::PatrolReadOnly)} " "
                    <a href=report_href>{move || i18n.t(Msg::PatrolOpenReport)}</a>
                </p>
            </Show>
        </section>
    }
}

#[component]
fn RoundHead(ctx: Ctx) -> impl IntoView {
    let i18n = ctx.i18n;
    move || {
        ctx.round.get().map(|v| {
            let r = v.round;
            let status = r.status;
            let rate = completion(&[&r]);
            let pct = if rate.den == 0 {
                0.0
            } else {
                f64::from(rate.num) * 100.0 / f64::from(rate.den)
            };
            let unsynced = v.unsynced;
            let started = r.started_at.map(hm);
            let finished = r.finished_at.map(hm);
            let reason = r.early_reason.clone();
            let date = r.date.format("%Y-%m-%d").to_string();
            view! {
                <header class="card round-head">
                    <h1 id="round-title">{r.route_name.clone()}</h1>
                    <div class="job-tags">
                        <span class=format!("tag round-status status-{}", status.code()) data-testid="round-status" data-status=status.code()>
                            {move || i18n.t(status_msg(status))}
                        </span>
                        <Show when=move || unsynced>
                            <span class="tag unsynced" data-testid="round-unsynced">{move || i18n.t(Msg::PatrolUnsynced)}</span>
                        </Show>
                    </div>
                    <p class="small muted">
                        {date}
                        {started.map(|t| view! { " · " {move || i18n.t(Msg::PatrolStartedAt)} " " {t} })}
                        {finished.map(|t| view! { " · " {move || i18n.t(Msg::PatrolFinishedAt)} " " {t} })}
                    </p>
                    <div class="progress" data-testid="round-progress" data-scanned=rate.num data-planned=rate.den>
                        <span class="fill" style=format!("width:{pct:.0}%")></span>
                    </div>
                    <p class="small">
                        {move || i18n.tf(Msg::PatrolProgress, &[("done", rate.num.to_string()), ("total", rate.den.to_string())])}
                    </p>
                    {reason.map(|t| view! {
                        <p class="notice" data-testid="early-reason-shown">{move || i18n.t(Msg::PatrolEarlyReason)} "：" {t.clone()}</p>
                    })}
                </header>
            }
        })
    }
}

/// A planned round that was not started (the start did not save): start it.
#[component]
fn StartPanel(ctx: Ctx) -> impl IntoView {
    let i18n = ctx.i18n;
    let start = move |_| {
        leptos::task::spawn_local(async move {
            ctx.submit("start", RoundCommand::Start).await;
        });
    };
    view! {
        <section class="card">
            <button type="button" class="button primary wide" data-testid="round-start" on:click=start>
                {move || i18n.t(Msg::PatrolStart)}
            </button>
            {failure_view(ctx.error, "start")}
        </section>
    }
}

/// Scanning: the camera (when the phone lets us use it) and the typed code under the label.
#[component]
fn ScanPanel(ctx: Ctx) -> impl IntoView {
    let i18n = ctx.i18n;
    let code = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = code.get_untracked();
        leptos::task::spawn_local(async move {
            if ctx.on_decoded(typed).await == "ok" {
                let _ = code.try_set(String::new());
            }
        });
    };
    view! {
        <section class="card scan-panel" id="scan-panel">
            <h2>{move || i18n.t(Msg::PatrolScanTitle)}</h2>
            <Camera ctx />
            <form class="scan-manual" on:submit=submit>
                <label>
                    <span>{move || i18n.t(Msg::PatrolScanTypeLabel)}</span>
                    <div class="inline">
                        <input type="text" data-testid="scan-code" id="scan-code" autocomplete="off" autocapitalize="characters"
                            spellcheck="false" inputmode="text" placeholder="CH-3-1-LT"
                            prop:value=move || code.get()
                            on:input=move |ev| code.set(event_target_value(&ev)) />
                        <button type="submit" class="button" data-testid="scan-submit" disabled=move || ctx.scanning.get()>
                            {move || i18n.t(Msg::PatrolScanSubmit)}
                        </button>
                    </div>
                </label>
            </form>
            {failure_view(ctx.error, "scan")}
            {move || ctx.last_scan.get().map(|s| view! {
                <p class="form-ok" role="status" data-testid="scan-ok" data-code=s.code.clone()>
                    {move || i18n.t(Msg::PatrolScanned)} "：" {s.name.clone()} " " {hm(s.at)}
                </p>
            })}
        </section>
    }
}

/// The camera view: opened by a tap, closed after a code is read, when the page goes, or by
/// 关闭. Where the phone refuses the camera, the message says to type the code.
#[component]
fn Camera(ctx: Ctx) -> impl IntoView {
    let i18n = ctx.i18n;
    let video = NodeRef::<leptos::html::Video>::new();
    let running = RwSignal::new(false);
    let message = RwSignal::new(None::<String>);
    let kind = RwSignal::new(String::new());
    #[cfg(feature = "hydrate")]
    let stream = StoredValue::new_local(None::<web_sys::MediaStream>);
    let stop = move || {
        running.set(false);
        #[cfg(feature = "hydrate")]
        if let Some(s) = stream.try_update_value(|s| s.take()).flatten() {
            super::scan::close_camera(&s, video.get_untracked().as_ref());
        }
    };
    on_cleanup(move || {
        let _ = running.try_set(false);
        #[cfg(feature = "hydrate")]
        if let Some(s) = stream.try_update_value(|s| s.take()).flatten() {
            super::scan::close_camera(&s, None);
        }
    });
    let start = move |_| {
        if running.get_untracked() {
            return;
        }
        message.set(None);
        #[cfg(feature = "hydrate")]
        {
            let Some(el) = video.get_untracked() else {
                return;
            };
            running.set(true);
            leptos::task::spawn_local(async move {
                let decoder = match super::scan::Decoder::new().await {
                    Ok(d) => d,
                    Err(e) => {
                        let _ = running.try_set(false);
                        let _ = message.try_set(Some(super::text_now_with(
                            i18n,
                            Msg::PatrolCameraFailed,
                            &[("reason", e)],
                        )));
                        return;
                    }
                };
                let _ = kind.try_set(decoder.kind().to_owned());
                match super::scan::open_camera(&el).await {
                    Ok(s) => {
                        if !running.get_untracked() {
                            super::scan::close_camera(&s, Some(&el));
                            return;
                        }
                        stream.set_value(Some(s));
                    }
                    Err(e) => {
                        let _ = running.try_set(false);
                        let _ = message.try_set(Some(super::text_now_with(
                            i18n,
                            Msg::PatrolCameraFailed,
                            &[("reason", e)],
                        )));
                        return;
                    }
                }
                while running.try_get_untracked() == Some(true) {
                    super::scan::sleep(250).await;
                    if running.try_get_untracked() != Some(true) || ctx.scanning.get_untracked() {
                        continue;
                    }
                    if let Some(code) = decoder.detect(&el).await {
                        stop();
                        ctx.on_decoded(code).await;
                        break;
                    }
                }
            });
        }
    };
    view! {
        <div class="camera" data-running=move || running.get().to_string() data-decoder=move || kind.get()>
            <video node_ref=video class="camera-view" playsinline="" muted="" autoplay=""
                class:hidden=move || !running.get()></video>
            <Show when=move || !running.get()
                fallback=move || view! {
                    <p class="muted small">{move || i18n.t(Msg::PatrolCameraAim)}</p>
                    <button type="button" class="button wide" data-testid="scan-camera-stop" on:click=move |_| stop()>
                        {move || i18n.t(Msg::PatrolCameraStop)}
                    </button>
                }>
                <button type="button" class="button primary wide scan-camera" data-testid="scan-camera" on:click=start>
                    {move || i18n.t(Msg::PatrolCameraOpen)}
                </button>
            </Show>
            {move || message.get().map(|m| view! { <p class="notice" data-testid="camera-error">{m}</p> })}
        </div>
    }
}

/// The stops in route order: state, scan times, answers given. A scanned stop opens its
/// checklist again (to add or correct an answer).
#[component]
fn StopList(ctx: Ctx, mine: Memo<bool>) -> impl IntoView {
    let i18n = ctx.i18n;
    let stops = Memo::new(move |_| {
        ctx.round
            .get()
            .map(|v| v.round.stops.clone())
            .unwrap_or_default()
    });
    view! {
        <section class="card stops">
            <h2>{move || i18n.t(Msg::PatrolStops)}</h2>
            <ol class="stop-list">
                <For each=move || stops.get().into_iter().enumerate() key=|(_, s)| s.checkpoint_id let:item>
                    <StopRow ctx n=item.0 + 1 stop=item.1 mine />
                </For>
            </ol>
        </section>
    }
}

#[component]
fn StopRow(ctx: Ctx, n: usize, stop: Stop, mine: Memo<bool>) -> impl IntoView {
    let i18n = ctx.i18n;
    let cp = stop.checkpoint_id;
    let area = stop.area;
    let total = stop.items.len();
    let info = Memo::new(move |_| {
        ctx.round.get().map(|v| {
            let r = &v.round;
            let mut times: Vec<DateTime<Utc>> = r
                .scans
                .iter()
                .filter(|s| s.checkpoint_id == cp)
                .map(|s| s.at)
                .collect();
            times.sort();
            let answered = r
                .current_answers()
                .iter()
                .filter(|a| a.checkpoint_id == cp)
                .count();
            (stop_state(r, cp), times, answered)
        })
    });
    let state = move || info.get().map_or("pending", |i| i.0);
    let open = move |_| {
        if mine.get_untracked() && state() != "pending" {
            ctx.open_stop.set(Some(cp));
            #[cfg(feature = "hydrate")]
            leptos::task::spawn_local(async {
                super::scan::sleep(60).await;
                super::scan::scroll_to("checklist");
            });
        }
    };
    view! {
        <li class="stop" data-testid="stop" data-code=stop.code.clone() data-state=state
            class:open=move || ctx.open_stop.get() == Some(cp)>
            <button type="button" class="stop-main" on:click=open>
                <span class="seq">{n}</span>
                <span class="stop-text">
                    <span class="stop-name">{stop.name_zh.clone()}</span>
                    <span class="small muted">{move || i18n.t(area_msg(area))} " · " <span class="mono">{stop.code.clone()}</span></span>
                </span>
                <span class="stop-side">
                    <span class=move || format!("tag state-{}", state())>{move || i18n.t(state_msg(state()))}</span>
                    {move || info.get().and_then(|i| {
                        let first = i.1.first().copied()?;
                        let again = i.1.len() > 1;
                        let last = i.1.last().copied().map(hm).unwrap_or_default();
                        Some(view! {
                            <span class="small scan-time" data-testid="stop-scan-time">{hm(first)}</span>
                            {again.then(|| view! { <span class="small muted">{move || i18n.tf(Msg::PatrolScannedAgain, &[("time", last.clone())])}</span> })}
                            <span class="small muted">{move || i18n.tf(Msg::PatrolAnswered, &[("done", i.2.to_string()), ("total", total.to_string())])}</span>
                        })
                    })}
                </span>
            </button>
        </li>
    }
}

/// The checklist of one scanned checkpoint.
#[component]
fn Checklist(ctx: Ctx, cp: CheckpointId, editable: Memo<bool>) -> impl IntoView {
    let i18n = ctx.i18n;
    let Some(stop) = ctx
        .round
        .get_untracked()
        .and_then(|v| v.round.stop(cp).cloned())
    else {
        return ().into_any();
    };
    let items = stop.items.clone();
    let codes: Vec<String> = items.iter().map(|i| i.code.clone()).collect();
    let unanswered = Memo::new(move |_| {
        ctx.round.get().map_or(0, |v| {
            let given = v.round.current_answers();
            codes
                .iter()
                .filter(|c| {
                    !given
                        .iter()
                        .any(|a| a.checkpoint_id == cp && &a.item_code == *c)
                })
                .count()
        })
    });
    let all_normal = {
        let items = items.clone();
        move |_| {
            let items = items.clone();
            leptos::task::spawn_local(async move {
                let given: Vec<String> = ctx
                    .round
                    .get_untracked()
                    .map(|v| {
                        v.round
                            .current_answers()
                            .iter()
                            .filter(|a| a.checkpoint_id == cp)
                            .map(|a| a.item_code.clone())
                            .collect()
                    })
                    .unwrap_or_default();
                for item in items.iter().filter(|i| !given.contains(&i.code)) {
                    let ok = ctx
                        .submit(
                            "all-normal",
                            RoundCommand::Answer {
                                checkpoint_id: cp,
                                item_code: item.code.clone(),
                                value: AnswerValue::Normal,
                                note: String::new(),
                                photos: Vec::new(),
                            },
                        )
                        .await;
                    if !ok {
                        break;
                    }
                }
            });
        }
    };
    let area = stop.area;
    view! {
        <section class="card checklist" id="checklist" data-testid="checklist" data-code=stop.code.clone()>
            <div class="checklist-head">
                <h2>{stop.name_zh.clone()}</h2>
                <button type="button" class="button close" data-testid="checklist-close" on:click=move |_| ctx.open_stop.set(None)>
                    {move || i18n.t(Msg::PatrolClose)}
                </button>
            </div>
            <p class="small muted">
                {move || i18n.t(area_msg(area))} " · " <span class="mono">{stop.code.clone()}</span>
                " · " {move || i18n.t(Msg::PatrolFormName)}
            </p>
            <p class="note small" data-testid="fault-rule">{move || i18n.t(Msg::PatrolFaultRule)}</p>
            <Show when=move || { editable.get() && unanswered.get() > 0 }>
                <button type="button" class="button wide" data-testid="answer-all-normal" on:click=all_normal.clone()>
                    {move || i18n.tf(Msg::PatrolAllNormal, &[("n", unanswered.get().to_string())])}
                </button>
                {failure_view(ctx.error, "all-normal")}
            </Show>
            <ul class="checklist-items">
                {items.into_iter().map(|item| view! { <ItemRow ctx cp item editable /> }).collect_view()}
            </ul>
        </section>
    }
    .into_any()
}

/// One check: 正常 / 异常 / 不适用, note and photos. An 异常 saves only with a note or a photo
/// (the domain refuses it otherwise, and the refusal says so here).
#[component]
fn ItemRow(ctx: Ctx, cp: CheckpointId, item: ChecklistItem, editable: Memo<bool>) -> impl IntoView {
    let i18n = ctx.i18n;
    let code = item.code.clone();
    let slot = format!("item-{}-{}", cp, item.code);
    let answer = {
        let code = code.clone();
        Memo::new(move |_| -> Option<Answer> {
            ctx.round.get().and_then(|v| {
                v.round
                    .current_answers()
                    .into_iter()
                    .find(|a| a.checkpoint_id == cp && a.item_code == code)
                    .cloned()
            })
        })
    };
    let first = answer.get_untracked();
    let note = RwSignal::new(first.as_ref().map(|a| a.note.clone()).unwrap_or_default());
    let photos = RwSignal::new(first.map(|a| a.photos).unwrap_or_default());
    let pending = RwSignal::new(0u32);
    // A save waiting for a photo still being processed.
    let waiting = RwSignal::new(false);
    let save = {
        let code = code.clone();
        let slot = slot.clone();
        move |value: AnswerValue| {
            let code = code.clone();
            let slot = slot.clone();
            waiting.set(true);
            leptos::task::spawn_local(async move {
                photos_settled(pending).await;
                let _ = waiting.try_set(false);
                ctx.submit(
                    &slot,
                    RoundCommand::Answer {
                        checkpoint_id: cp,
                        item_code: code,
                        value,
                        note: note.get_untracked(),
                        photos: photos.get_untracked(),
                    },
                )
                .await;
            });
        }
    };
    // A photo added to an 异常 (saved, or just refused for want of evidence) saves it at once.
    let after_photo = {
        let save = save.clone();
        let slot = slot.clone();
        move || {
            let refused = ctx
                .error
                .get_untracked()
                .is_some_and(|f| f.slot == slot && f.code == "fault_needs_evidence");
            let fault = answer
                .get_untracked()
                .is_some_and(|a| a.value == AnswerValue::Fault);
            if (refused || fault) && !waiting.get_untracked() {
                save(AnswerValue::Fault);
            }
        }
    };
    let after_photo = StoredValue::new(after_photo);
    let on_photo = photo_input(i18n, photos, pending, ctx.error, slot.clone(), move || {
        after_photo.with_value(|f| f())
    });
    let value = move || answer.get().map(|a| a.value);
    let button = move |v: AnswerValue, testid: &'static str| {
        let save = save.clone();
        view! {
            <button type="button" class=format!("button answer answer-{}", value_code(v)) data-testid=testid
                aria-pressed=move || (value() == Some(v)).to_string()
                disabled=move || !editable.get()
                on:click=move |_| save(v)>
                {move || i18n.t(super::value_msg(v))}
            </button>
        }
    };
    let on_fault = item.on_fault;
    view! {
        <li class="checklist-item" data-testid="checklist-item" data-code=code.clone()
            data-value=move || value().map(value_code).unwrap_or_default()>
            <p class="item-text">
                <span class="mono item-code">{code.clone()}</span> " " {item.text_zh.clone()}
            </p>
            <p class="small muted item-on-fault">{move || i18n.t(on_fault_msg(on_fault))}</p>
            <div class="answer-buttons">
                {button(AnswerValue::Normal, "answer-normal")}
                {button(AnswerValue::Fault, "answer-fault")}
                {button(AnswerValue::NotApplicable, "answer-na")}
            </div>
            <div class="answer-extra">
                <input type="text" data-testid="answer-note" maxlength=MAX_NOTE_CHARS
                    placeholder=move || i18n.t(Msg::PatrolNotePlaceholder)
                    disabled=move || !editable.get()
                    prop:value=move || note.get()
                    on:input=move |ev| note.set(event_target_value(&ev)) />
                <label class="button photo-button" class:disabled=move || !editable.get()>
                    {move || if pending.get() > 0 {
                        i18n.t(Msg::PatrolPhotoBusy).to_owned()
                    } else {
                        i18n.tf(Msg::PatrolPhotoButton, &[("n", photos.get().len().to_string())])
                    }}
                    <input type="file" accept="image/*" capture="environment" data-testid="answer-photo"
                        disabled=move || !editable.get() on:change=on_photo hidden />
                </label>
            </div>
            <PhotoStrip photos />
            {failure_view(ctx.error, slot.clone())}
            {move || answer.get().map(|a| view! {
                <p class="small muted answer-at" data-testid="answer-at">
                    {move || i18n.tf(Msg::PatrolAnsweredAt, &[("time", hm(a.at))])}
                </p>
            })}
        </li>
    }
}

#[component]
fn PhotoStrip(photos: RwSignal<Vec<BlobRef>>) -> impl IntoView {
    view! {
        <div class="job-photos">
            <For each=move || photos.get() key=|b| b.sha256.clone() let:b>
                <Photo blob=b />
            </For>
        </div>
    }
}

/// Free findings (anywhere, not only at a checkpoint) and the form to log one.
#[component]
fn Findings(ctx: Ctx, walking: Memo<bool>) -> impl IntoView {
    let i18n = ctx.i18n;
    let list = Memo::new(move |_| {
        ctx.round
            .get()
            .map(|v| {
                v.round
                    .findings
                    .iter()
                    .map(|f| {
                        let place = match f.checkpoint_id.and_then(|c| v.round.stop(c)) {
                            Some(s) if f.place.is_empty() => s.name_zh.clone(),
                            Some(s) => format!("{} · {}", s.name_zh, f.place),
                            None => f.place.clone(),
                        };
                        (f.id, place, f.clone())
                    })
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });
    view! {
        <section class="card findings" data-testid="findings">
            <h2>{move || i18n.t(Msg::PatrolFindings)}</h2>
            <Show when=move || list.get().is_empty()>
                <p class="muted small">{move || i18n.t(Msg::PatrolNoFindings)}</p>
            </Show>
            <ul class="plain">
                <For each=move || list.get() key=|f| f.0 let:f>
                    {
                        let (_, place, f) = f;
                        let sev = f.severity;
                        let case = f.for_customer_service;
                        view! {
                            <li data-testid="finding" data-severity=severity_code(sev)>
                                <strong>{place}</strong> " "
                                <span class=format!("tag severity-{}", severity_code(sev))>{move || i18n.t(severity_msg(sev))}</span>
                                <Show when=move || case>
                                    " " <span class="tag">{move || i18n.t(Msg::PatrolCaseTag)}</span>
                                </Show>
                                " " <span class="small muted">{hm(f.at)}</span>
                                <div class="content-text">{f.note.clone()}</div>
                                <div class="job-photos">
                                    {f.photos.iter().cloned().map(|b| view! { <Photo blob=b /> }).collect_view()}
                                </div>
                            </li>
                        }
                    }
                </For>
            </ul>
            <Show when=move || walking.get()>
                <FindingForm ctx />
            </Show>
        </section>
    }
}

#[component]
fn FindingForm(ctx: Ctx) -> impl IntoView {
    let i18n = ctx.i18n;
    let open = RwSignal::new(false);
    let note = RwSignal::new(String::new());
    let place = RwSignal::new(String::new());
    let at_stop = RwSignal::new(String::new());
    let severity = RwSignal::new("low".to_owned());
    let case = RwSignal::new(false);
    let photos = RwSignal::new(Vec::<BlobRef>::new());
    let saved = RwSignal::new(false);
    let scanned = Memo::new(move |_| {
        ctx.round
            .get()
            .map(|v| {
                v.round
                    .stops
                    .iter()
                    .filter(|s| v.round.scanned(s.checkpoint_id))
                    .map(|s| (s.checkpoint_id.to_string(), s.name_zh.clone()))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });
    let toggle = move |_| {
        let now_open = !open.get_untracked();
        if now_open {
            saved.set(false);
            // Found at the checkpoint whose checklist is open, unless the officer says otherwise.
            at_stop.set(
                ctx.open_stop
                    .get_untracked()
                    .map(|c| c.to_string())
                    .unwrap_or_default(),
            );
        }
        open.set(now_open);
    };
    let pending = RwSignal::new(0u32);
    let on_photo = photo_input(i18n, photos, pending, ctx.error, "finding".into(), || {});
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if ctx.busy.get_untracked() {
            return;
        }
        let checkpoint_id = Uuid::parse_str(&at_stop.get_untracked())
            .ok()
            .map(CheckpointId);
        let sev = match severity.get_untracked().as_str() {
            "medium" => Severity::Medium,
            "high" => Severity::High,
            _ => Severity::Low,
        };
        #[cfg(feature = "hydrate")]
        {
            let finding_id = domain::ids::FindingId(Uuid::now_v7());
            ctx.busy.set(true);
            leptos::task::spawn_local(async move {
                // The photo just taken goes with it.
                photos_settled(pending).await;
                let cmd = RoundCommand::Finding {
                    finding_id,
                    checkpoint_id,
                    place: place.get_untracked(),
                    note: note.get_untracked(),
                    photos: photos.get_untracked(),
                    severity: sev,
                    for_customer_service: case.get_untracked(),
                };
                let ok = ctx.submit("finding", cmd).await;
                let _ = ctx.busy.try_set(false);
                if ok {
                    let _ = note.try_set(String::new());
                    let _ = place.try_set(String::new());
                    let _ = photos.try_set(Vec::new());
                    let _ = case.try_set(false);
                    let _ = severity.try_set("low".into());
                    let _ = open.try_set(false);
                    let _ = saved.try_set(true);
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (checkpoint_id, sev);
    };
    view! {
        <div class="finding-form">
            <button type="button" class="button wide" data-testid="finding-open" aria-expanded=move || open.get().to_string() on:click=toggle>
                {move || i18n.t(Msg::PatrolFindingOpen)}
            </button>
            <Show when=move || saved.get()>
                <p class="form-ok" data-testid="finding-saved" role="status">{move || i18n.t(Msg::PatrolFindingSaved)}</p>
            </Show>
            <Show when=move || open.get()>
                <form class="side-form" on:submit=submit>
                    <label>
                        <span>{move || i18n.t(Msg::PatrolFindingAt)}</span>
                        <select data-testid="finding-checkpoint" on:change=move |ev| at_stop.set(event_target_value(&ev))>
                            <option value="" selected=move || at_stop.get().is_empty()>{move || i18n.t(Msg::PatrolFindingElsewhere)}</option>
                            {move || scanned.get().into_iter().map(|(id, name)| {
                                let id2 = id.clone();
                                view! { <option value=id selected=move || at_stop.get() == id2>{name}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                    <label>
                        <span>{move || i18n.t(Msg::PatrolFindingPlace)}</span>
                        <input type="text" data-testid="finding-place" maxlength="100"
                            placeholder=move || i18n.t(Msg::PatrolFindingPlaceHint)
                            prop:value=move || place.get() on:input=move |ev| place.set(event_target_value(&ev)) />
                    </label>
                    <label>
                        <span>{move || i18n.t(Msg::PatrolFindingNote)}</span>
                        <textarea data-testid="finding-note" maxlength=MAX_NOTE_CHARS
                            placeholder=move || i18n.t(Msg::PatrolFindingNoteHint)
                            prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                    </label>
                    <label>
                        <span>{move || i18n.t(Msg::PatrolFindingSeverity)}</span>
                        <select data-testid="finding-severity" on:change=move |ev| severity.set(event_target_value(&ev))>
                            {[Severity::Low, Severity::Medium, Severity::High].into_iter().map(|s| view! {
                                <option value=severity_code(s) selected=move || severity.get() == severity_code(s)>{move || i18n.t(severity_msg(s))}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <label class="check">
                        <input type="checkbox" data-testid="finding-case" prop:checked=move || case.get()
                            on:change=move |ev| case.set(event_target_checked(&ev)) />
                        <span>{move || i18n.t(Msg::PatrolFindingCase)}</span>
                    </label>
                    <div class="photos">
                        <span class="muted">{move || if pending.get() > 0 {
                            i18n.t(Msg::PatrolPhotoBusy).to_owned()
                        } else {
                            i18n.tf(Msg::PatrolPhotoCount, &[("n", photos.get().len().to_string())])
                        }}</span>
                        <label class="button photo-button">
                            {move || i18n.t(Msg::PatrolAddPhoto)}
                            <input type="file" accept="image/*" capture="environment" data-testid="finding-photo" on:change=on_photo.clone() hidden />
                        </label>
                    </div>
                    <PhotoStrip photos />
                    <button type="submit" class="button primary wide" data-testid="finding-submit" disabled=move || ctx.busy.get()>
                        {move || i18n.t(Msg::PatrolFindingSubmit)}
                    </button>
                    {failure_view(ctx.error, "finding")}
                </form>
            </Show>
        </div>
    }
}

/// 完成巡检 when every stop is scanned; otherwise 提前结束 with a reason.
#[component]
fn FinishPanel(ctx: Ctx) -> impl IntoView {
    let i18n = ctx.i18n;
    let left = Memo::new(move |_| ctx.round.get().map_or(0, |v| v.round.missed().len()));
    let unanswered = Memo::new(move |_| {
        ctx.round.get().map_or(0, |v| {
            let r = &v.round;
            let given = r.current_answers();
            r.stops
                .iter()
                .filter(|s| r.scanned(s.checkpoint_id))
                .flat_map(|s| s.items.iter().map(move |i| (s.checkpoint_id, &i.code)))
                .filter(|(c, code)| {
                    !given
                        .iter()
                        .any(|a| a.checkpoint_id == *c && &a.item_code == *code)
                })
                .count()
        })
    });
    let early = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let finish = move |_| {
        leptos::task::spawn_local(async move {
            ctx.submit("finish", RoundCommand::Finish).await;
        });
    };
    let finish_early = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let reason = reason.get_untracked();
        leptos::task::spawn_local(async move {
            ctx.submit("finish", RoundCommand::FinishEarly { reason })
                .await;
        });
    };
    view! {
        <section class="card finish-panel" id="finish">
            <Show when=move || { unanswered.get() > 0 }>
                <p class="notice small" data-testid="unanswered">{move || i18n.tf(Msg::PatrolUnanswered, &[("n", unanswered.get().to_string())])}</p>
            </Show>
            <Show when=move || left.get() == 0
                fallback=move || view! {
                    <p class="small muted">{move || i18n.tf(Msg::PatrolStopsLeft, &[("n", left.get().to_string())])}</p>
                    <button type="button" class="button wide danger-outline" data-testid="round-finish-early"
                        aria-expanded=move || early.get().to_string() on:click=move |_| early.update(|e| *e = !*e)>
                        {move || i18n.t(Msg::PatrolFinishEarly)}
                    </button>
                    <Show when=move || early.get()>
                        <form class="side-form" on:submit=finish_early>
                            <label>
                                <span>{move || i18n.t(Msg::PatrolEarlyReason)}</span>
                                <textarea data-testid="early-reason" maxlength=MAX_NOTE_CHARS
                                    placeholder=move || i18n.t(Msg::PatrolEarlyReasonHint)
                                    prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                            </label>
                            <button type="submit" class="button primary wide" data-testid="early-submit">
                                {move || i18n.t(Msg::PatrolEarlySubmit)}
                            </button>
                        </form>
                    </Show>
                }>
                <button type="button" class="button primary wide" data-testid="round-finish" on:click=finish>
                    {move || i18n.t(Msg::PatrolFinish)}
                </button>
            </Show>
            {failure_view(ctx.error, "finish")}
        </section>
    }
}
