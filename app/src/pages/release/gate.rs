//! `/gate`: security checks a 放行条 on the phone, offline. The number comes from the QR code
//! on the 通知联 (the patrol scanner's camera and decoder) or is typed (the last digits will
//! do); the pass is looked up among the passes the phone pulled, the item list shown, and
//! 确认放行 queues `PassCommand::Use` in the outbox. A used or void pass is refused on the spot;
//! a use the server refuses later (another phone was first) is shown here from the outbox.

use super::{china_time, local_time, refusal_text, status_msg};
use crate::frame::Guarded;
use crate::i18n::{use_i18n, Msg};
use crate::offline::client::{self, PassSubmitError, PassView};
use crate::offline::use_sync_status;
use domain::access::Area;
use domain::release::pass::{check_at_gate, find_by_number, Pass, PassCommand, PassStatus};
use domain::sync::outbox::{EntryState, OutboxEntry};
use domain::sync::wire::Command;
use leptos::prelude::*;

#[component]
pub fn GatePage() -> impl IntoView {
    view! {
        <Guarded area=Some(Area::SecurityHome)>
            <Gate />
        </Guarded>
    }
}

#[derive(Debug, Clone, PartialEq)]
struct GateData {
    passes: Vec<PassView>,
    outbox: Vec<OutboxEntry>,
}

#[component]
fn Gate() -> impl IntoView {
    let i18n = use_i18n();
    let st = use_sync_status();
    let data = LocalResource::new(move || {
        st.data_version.track();
        let ready = st.pending.get().is_some();
        async move {
            if !ready {
                return None;
            }
            Some(GateData {
                passes: client::passes().await,
                outbox: client::outbox().await,
            })
        }
    });
    let loaded = Memo::new(move |_| data.get().flatten());
    let typed = RwSignal::new(String::new());
    let looked = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let look_up = move || {
        done.set(None);
        error.set(None);
        looked.set(Some(typed.get_untracked()));
    };
    // What the typed number names: the pass, or the refusal to show.
    let found = Memo::new(move |_| {
        let n = looked.get()?;
        let d = loaded.get()?;
        let passes: Vec<Pass> = d.passes.iter().map(|v| v.pass.clone()).collect();
        let hit = find_by_number(&passes, &n).cloned();
        let verdict = check_at_gate(hit.as_ref())
            .map(|_| ())
            .map_err(|e| e.code());
        Some((hit, verdict))
    });
    let confirm = move |p: Pass| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match client::submit_pass(p.id, PassCommand::Use).await {
                Ok(()) => {
                    let _ = looked.try_set(None);
                    let _ = typed.try_set(String::new());
                    let _ = done.try_set(Some(p.number.clone()));
                }
                Err(PassSubmitError::Rule(e)) => {
                    let _ = error.try_set(Some(refusal_text(i18n, e.code(), &e.to_string())));
                }
                Err(PassSubmitError::Storage(s)) => {
                    let _ = error.try_set(Some(refusal_text(i18n, "storage", &s)));
                }
            }
            let _ = busy.try_set(false);
        });
    };
    // Uses the server refused (another phone let the items out first): shown until discarded on
    // the outbox page.
    let rejected = Memo::new(move |_| {
        let d = loaded.get()?;
        let list: Vec<(String, String)> = d
            .outbox
            .iter()
            .filter_map(|e| match (&e.mutation.command, &e.state) {
                (Command::Pass(_), EntryState::Rejected { code, message }) => {
                    let number = d
                        .passes
                        .iter()
                        .find(|v| v.pass.id == e.mutation.entity_id)
                        .map(|v| v.pass.number.clone())
                        .unwrap_or_default();
                    Some((number, refusal_text(i18n, &code.code(), message)))
                }
                _ => None,
            })
            .collect();
        (!list.is_empty()).then_some(list)
    });
    view! {
        <section class="gate" data-testid="gate">
            <h1>{move || i18n.t(Msg::ReleaseGateTitle)}</h1>
            <p class="muted small">{move || i18n.t(Msg::ReleaseGateHint)}</p>
            {move || rejected.get().map(|list| view! {
                <div class="notice danger" data-testid="gate-rejected">
                    {list.into_iter().map(|(number, reason)| view! {
                        <p>{move || i18n.tf(Msg::ReleaseGateRejected, &[("number", number.clone()), ("reason", reason.clone())])}</p>
                    }).collect_view()}
                    <a href="/outbox">"→ /outbox"</a>
                </div>
            })}
            <form class="gate-lookup" on:submit=move |ev| { ev.prevent_default(); look_up(); }>
                <label class="sr-only" for="gate-number">{move || i18n.t(Msg::ReleaseGateNumber)}</label>
                <input id="gate-number" data-testid="gate-number" autocomplete="off" inputmode="text"
                    placeholder=move || i18n.t(Msg::ReleaseGateNumber) bind:value=typed />
                <button type="submit" class="button primary" data-testid="gate-check">{move || i18n.t(Msg::ReleaseGateCheck)}</button>
            </form>
            <GateCamera on_code=Callback::new(move |code: String| {
                typed.set(code);
                look_up();
            }) />
            {move || done.get().map(|n| view! {
                <p class="form-ok gate-done" data-testid="gate-done" role="status"><span class="mono">{n}</span> " " {move || i18n.t(Msg::ReleaseGateOk)}</p>
            })}
            {move || error.get().map(|e| view! { <p class="form-error" data-testid="gate-error" role="alert">{e}</p> })}
            {move || match found.get() {
                None => ().into_any(),
                Some((None, _)) => view! {
                    <p class="notice danger gate-refused" data-testid="gate-refused" data-code="not_issued">
                        {move || i18n.t(Msg::ReleaseRefusedNotIssued)}</p>
                }.into_any(),
                Some((Some(p), verdict)) => {
                    let refused = verdict.err().map(|code| view! {
                        <p class="notice danger gate-refused" data-testid="gate-refused" data-code=code>{refusal_text(i18n, code, "")}</p>
                    });
                    let ok = p.status == PassStatus::Issued;
                    let pass = p.clone();
                    view! {
                        <article class="card gate-pass" data-testid="gate-pass" data-status=p.status.code()>
                            <h2><span class="mono" data-testid="gate-pass-number">{p.number.clone()}</span> " "
                                <span class=format!("tag pass-{}", p.status.code())>{move || i18n.t(status_msg(p.status))}</span></h2>
                            {refused}
                            <p><strong>{p.unit_label.clone()}</strong> " · " {p.owner_name.clone()}</p>
                            <p class="small">{move || i18n.t(Msg::ReleaseMover)} "：" {p.mover_name.clone()} " "
                                <span class="mono">{p.mover_id_masked.clone()}</span></p>
                            <p class="small">{move || i18n.t(Msg::ReleaseMovingAt)} "：" {local_time(p.moving_at)}</p>
                            <table class="pass-items" data-testid="gate-items">
                                <thead><tr><th>{move || i18n.t(Msg::ReleaseItemName)}</th><th>{move || i18n.t(Msg::ReleaseItemQty)}</th></tr></thead>
                                <tbody>
                                    {p.items.iter().map(|it| view! {
                                        <tr data-testid="gate-item"><td>{it.name.clone()}</td><td>{it.quantity}</td></tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <p class="muted small">{move || i18n.t(Msg::ReleaseHandler)} "：" {p.handler_name.clone()} " · " {china_time(p.issued_at)}</p>
                            {ok.then(|| view! {
                                <button class="button primary wide" data-testid="gate-confirm" disabled=move || busy.get()
                                    on:click=move |_| confirm(pass.clone())>{move || i18n.t(Msg::ReleaseGateConfirm)}</button>
                            })}
                        </article>
                    }.into_any()
                }
            }}
            <h2 class="small-heading">{move || i18n.t(Msg::ReleaseGateOnDevice)}</h2>
            {move || match loaded.get() {
                None => view! { <p class="muted">{move || i18n.t(Msg::ReleaseLoading)}</p> }.into_any(),
                Some(d) => {
                    let valid: Vec<PassView> = d.passes.into_iter().filter(|v| v.pass.status == PassStatus::Issued || v.unsynced).collect();
                    if valid.is_empty() {
                        view! { <p class="empty" data-testid="gate-empty">{move || i18n.t(Msg::ReleaseGateNone)}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="gate-list" data-testid="gate-list">
                                {valid.into_iter().map(|v| {
                                    let number = v.pass.number.clone();
                                    let pick = number.clone();
                                    view! {
                                        <li data-testid="gate-list-item" data-number=number.clone() data-status=v.pass.status.code()>
                                            <button type="button" class="link-button" on:click=move |_| { typed.set(pick.clone()); look_up(); }>
                                                <span class="mono">{number.clone()}</span> " " {v.pass.unit_label.clone()} " · "
                                                {move || i18n.tf(Msg::ReleaseItemsCount, &[("n", v.pass.items.len().to_string())])}
                                            </button>
                                            {v.unsynced.then(|| view! { <span class="tag">{move || i18n.t(Msg::ReleaseUnsynced)}</span> })}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                }
            }}
        </section>
    }
}

/// 扫码: the patrol scanner's camera and decoder; the decoded text goes to `on_code`.
#[component]
fn GateCamera(on_code: Callback<String>) -> impl IntoView {
    let i18n = use_i18n();
    let video = NodeRef::<leptos::html::Video>::new();
    let running = RwSignal::new(false);
    let message = RwSignal::new(None::<String>);
    #[cfg(feature = "hydrate")]
    let stream = StoredValue::new_local(None::<web_sys::MediaStream>);
    let stop = move || {
        running.set(false);
        #[cfg(feature = "hydrate")]
        if let Some(s) = stream.try_update_value(|s| s.take()).flatten() {
            crate::pages::patrol::scan::close_camera(&s, video.get_untracked().as_ref());
        }
    };
    on_cleanup(move || {
        let _ = running.try_set(false);
        #[cfg(feature = "hydrate")]
        if let Some(s) = stream.try_update_value(|s| s.take()).flatten() {
            crate::pages::patrol::scan::close_camera(&s, None);
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = on_code;
    let start = move |_| {
        if running.get_untracked() {
            return;
        }
        message.set(None);
        #[cfg(feature = "hydrate")]
        {
            use crate::pages::patrol::scan;
            let Some(el) = video.get_untracked() else {
                return;
            };
            running.set(true);
            let failed = move |e: String| {
                let _ = running.try_set(false);
                let _ = message.try_set(Some(crate::i18n::fill(
                    i18n.0.get_untracked().text(Msg::ReleaseGateCameraFailed),
                    &[("reason", e)],
                )));
            };
            leptos::task::spawn_local(async move {
                let decoder = match scan::Decoder::new().await {
                    Ok(d) => d,
                    Err(e) => return failed(e),
                };
                match scan::open_camera(&el).await {
                    Ok(s) => {
                        if !running.get_untracked() {
                            scan::close_camera(&s, Some(&el));
                            return;
                        }
                        stream.set_value(Some(s));
                    }
                    Err(e) => return failed(e),
                }
                while running.try_get_untracked() == Some(true) {
                    scan::sleep(250).await;
                    if let Some(code) = decoder.detect(&el).await {
                        stop();
                        on_code.run(code);
                        break;
                    }
                }
            });
        }
    };
    view! {
        <div class="camera gate-camera" data-running=move || running.get().to_string()>
            <video node_ref=video class="camera-view" playsinline="" muted="" autoplay=""
                class:hidden=move || !running.get()></video>
            <Show when=move || !running.get()
                fallback=move || view! {
                    <button type="button" class="button wide" data-testid="gate-camera-stop" on:click=move |_| stop()>
                        {move || i18n.t(Msg::ReleaseGateCameraStop)}
                    </button>
                }>
                <button type="button" class="button wide" data-testid="gate-scan" on:click=start>
                    {move || i18n.t(Msg::ReleaseGateScan)}
                </button>
            </Show>
            {move || message.get().map(|m| view! { <p class="notice" data-testid="gate-camera-error">{m}</p> })}
        </div>
    }
}
