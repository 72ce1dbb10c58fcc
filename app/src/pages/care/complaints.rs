//! `/complaints`: the site's complaints with their first-reply deadline (overdue red) and the
//! intake form (《投诉处理意见表》); `/complaints/:id`: one complaint and the next step it needs.

use super::{
    channel_msg, class_msg, department_msg, failure_text, ground_msg, rating_msg, status_msg,
    UnitPicker, RATINGS,
};
use crate::api;
use crate::frame::{use_profile, Guarded};
use crate::i18n::{use_i18n, Msg};
use crate::offline::client;
use crate::pages::detail::route_id;
use crate::pages::outbox::reject_text;
use crate::pages::repairs::{china_time, from_local_input, now, short_time, to_local_input};
use domain::care::complaint::{
    Channel, Class, ClockKind, Command, Department, IntakeCommand, MajorGround, NewComplaint,
    Status,
};
use domain::care::views::ComplaintView;
use domain::ids::{SiteId, UnitId};
use domain::people::Role;
use domain::work_orders::sla::ClockState;
use leptos::prelude::*;
use uuid::Uuid;

#[component]
pub fn ComplaintsPage() -> impl IntoView {
    view! {
        <Guarded area=None>
            <ComplaintList />
        </Guarded>
    }
}

fn first_site() -> Option<SiteId> {
    use_profile().and_then(|p| p.sites.first().map(|s| s.id))
}

#[component]
fn ComplaintList() -> impl IntoView {
    let i18n = use_i18n();
    let site = first_site();
    let open_only = RwSignal::new(true);
    let reload = RwSignal::new(0u64);
    let list = LocalResource::new(move || {
        reload.track();
        let open = open_only.get();
        async move {
            let site = site?;
            let q = if open { "open=true" } else { "" };
            Some(
                api::get_json::<Vec<ComplaintView>>(&format!(
                    "/api/v1/sites/{site}/complaints?{q}"
                ))
                .await,
            )
        }
    });
    // Complaints taken on this device that the server has not registered yet: shown on top,
    // and gone (into the server's list) once the sync lands them.
    let sync = crate::offline::use_sync_status();
    let pending = LocalResource::new(move || {
        sync.data_version.track();
        reload.track();
        async move {
            client::pending_complaints()
                .await
                .into_iter()
                .filter(|p| Some(p.site_id) == site)
                .collect::<Vec<_>>()
        }
    });
    // The server's list again whenever local data changes (a queued complaint landed).
    Effect::new(move |prev: Option<u64>| {
        let v = sync.data_version.get();
        if prev.is_some_and(|p| p != v) {
            reload.update(|r| *r += 1);
        }
        v
    });
    let show_form = RwSignal::new(false);
    let notice = RwSignal::new(None::<String>);
    view! {
        <section class="home care" data-area="/complaints">
            <h1>{move || i18n.t(Msg::CareComplaintsTitle)}</h1>
            <div class="tabs">
                <button class=move || if open_only.get() { "tab on" } else { "tab" } data-testid="complaints-open"
                    on:click=move |_| open_only.set(true)>{move || i18n.t(Msg::CareTabOpen)}</button>
                <button class=move || if open_only.get() { "tab" } else { "tab on" } data-testid="complaints-month"
                    on:click=move |_| open_only.set(false)>{move || i18n.t(Msg::CareTabMonth)}</button>
                <button class="primary" data-testid="complaint-new" on:click=move |_| show_form.update(|s| *s = !*s)>
                    {move || i18n.t(Msg::CareNewComplaint)}
                </button>
            </div>
            <Show when=move || show_form.get()>
                <NewComplaintForm site=site show_form notice />
            </Show>
            <p class="notice" data-testid="complaint-notice">{move || notice.get()}</p>
            <table class="list" data-testid="complaint-list">
                <thead><tr>
                    <th>{move || i18n.t(Msg::CareColNumber)}</th>
                    <th>{move || i18n.t(Msg::CareColUnit)}</th>
                    <th>{move || i18n.t(Msg::CareColChannel)}</th>
                    <th>{move || i18n.t(Msg::CareColClass)}</th>
                    <th>{move || i18n.t(Msg::CareColDepartment)}</th>
                    <th>{move || i18n.t(Msg::CareColStatus)}</th>
                    <th>{move || i18n.t(Msg::CareColDue)}</th>
                </tr></thead>
                <tbody>
                    {move || pending.get().unwrap_or_default().into_iter().map(|p| view! { <PendingRow p /> }).collect_view()}
                    {move || match list.get().flatten() {
                        None => ().into_any(),
                        Some(Err(e)) => view! { <tr><td colspan="7" class="error">{failure_text(i18n, &e)}</td></tr> }.into_any(),
                        Some(Ok(v)) if v.is_empty() => view! { <tr><td colspan="7" class="muted">{move || i18n.t(Msg::CareNone)}</td></tr> }.into_any(),
                        Some(Ok(v)) => v.into_iter().map(|c| view! { <ComplaintRow c /> }).collect_view().into_any(),
                    }}
                </tbody>
            </table>
        </section>
    }
}

#[component]
fn ComplaintRow(c: ComplaintView) -> impl IntoView {
    let i18n = use_i18n();
    let id = c.complaint.id;
    let overdue = c.overdue;
    let number = c.complaint.number.clone().unwrap_or_default();
    let class = c.effective_class;
    let escalated = c.effective_ground == Some(MajorGround::UnresolvedOneMonth);
    let valid = c.complaint.valid;
    let dept = c.complaint.department;
    let status = c.complaint.status;
    let channel = c.complaint.channel;
    let due = short_time(c.first_reply_due);
    view! {
        <tr class=if overdue { "overdue" } else { "" } data-testid="complaint-row" data-number=number.clone()
            data-overdue=overdue.to_string()>
            <td><a href=format!("/complaints/{id}")>{number.clone()}</a></td>
            <td>{c.unit_label.unwrap_or_default()}</td>
            <td>{move || i18n.t(channel_msg(channel))}</td>
            <td>
                {move || if valid == Some(false) { i18n.t(Msg::CareInvalid) } else { i18n.t(class_msg(class)) }}
                <Show when=move || escalated><span class="badge red" title=move || i18n.t(Msg::CareEscalated)>"↑"</span></Show>
            </td>
            <td>{move || dept.map(|d| i18n.t(department_msg(d))).unwrap_or("")}</td>
            <td>{move || i18n.t(status_msg(status))}</td>
            <td data-testid="complaint-due">{due}<Show when=move || overdue>" "<span class="badge red">{move || i18n.t(Msg::CareOverdue)}</span></Show></td>
        </tr>
    }
}

/// A complaint queued on this device: no serial yet, 待同步 (or the refusal, with a way to the
/// outbox page where it can be looked at, retried or discarded).
#[component]
fn PendingRow(p: client::PendingComplaint) -> impl IntoView {
    let i18n = use_i18n();
    let unit = p.complaint.unit_id;
    let unit_label = LocalResource::new(move || async move {
        let u = unit?;
        let r = client::reference().await?;
        r.units.iter().find(|x| x.id == u).map(|x| x.label.clone())
    });
    let channel = p.complaint.channel;
    let refused = p.refused;
    let received = short_time(p.complaint.received_at);
    view! {
        <tr class="pending" data-testid="complaint-pending" data-id=p.complaint.id.to_string()>
            <td>
                <span class="badge">{move || i18n.t(Msg::CarePendingSync)}</span>
            </td>
            <td>{move || unit_label.get().flatten().unwrap_or_default()}</td>
            <td>{move || i18n.t(channel_msg(channel))}</td>
            <td colspan="3">
                {move || match refused {
                    Some(code) => view! {
                        <a class="error" href="/outbox">{i18n.tf(Msg::CarePendingRefused, &[("reason", reject_text(i18n.0.get(), code))])}</a>
                    }.into_any(),
                    None => view! { <span class="muted">{i18n.t(Msg::CareSavedOffline)}</span> }.into_any(),
                }}
            </td>
            <td>{received.clone()}</td>
        </tr>
    }
}

#[component]
fn NewComplaintForm(
    site: Option<SiteId>,
    show_form: RwSignal<bool>,
    notice: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let unit = RwSignal::new(None::<(UnitId, String)>);
    let channel = RwSignal::new("verbal".to_string());
    let name = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let content = RwSignal::new(String::new());
    let received = RwSignal::new(String::new());
    let apologised = RwSignal::new(true);
    let message = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if received.get_untracked().is_empty() {
            received.set(to_local_input(now()));
        }
    });
    let navigate = leptos_router::hooks::use_navigate();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(site) = site else { return };
        let channel = match channel.get_untracked().as_str() {
            "phone" => Channel::Phone,
            "written" => Channel::Written,
            "visit" => Channel::Visit,
            "survey" => Channel::Survey,
            _ => Channel::Verbal,
        };
        let body = NewComplaint {
            id: Uuid::now_v7(),
            unit_id: unit.get_untracked().map(|u| u.0),
            channel,
            complainant_name: name.get_untracked(),
            complainant_phone: phone.get_untracked(),
            content: content.get_untracked(),
            received_at: from_local_input(&received.get_untracked()).unwrap_or_else(now),
            apologised: apologised.get_untracked(),
            raised_from: None,
        };
        let id = body.id;
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            // Queued first (works with no signal), then registered by the sync engine.
            let cmd = IntakeCommand::Register {
                site_id: site,
                complaint: body,
            };
            if let Err((m, detail)) = client::submit_complaint(cmd).await {
                message.set(Some(format!("{} {detail}", i18n.t(m))));
                return;
            }
            message.set(None);
            // Online it lands within a moment: open it. Offline it waits on the list.
            if landed(id).await {
                navigate(&format!("/complaints/{id}"), Default::default());
            } else {
                show_form.set(false);
                notice.set(Some(i18n.t(Msg::CareSavedOffline).to_owned()));
            }
        });
    };
    let site_signal = Signal::derive(move || site);
    view! {
        <form class="card form" data-testid="complaint-form" on:submit=submit>
            <UnitPicker site=site_signal unit />
            <label>
                <span>{move || i18n.t(Msg::CareChannel)}</span>
                <select data-testid="complaint-channel" on:change=move |ev| channel.set(event_target_value(&ev))>
                    {Channel::ALL.iter().map(|c| {
                        let v = serde_json::to_value(c).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
                        let c = *c;
                        view! { <option value=v>{move || i18n.t(channel_msg(c))}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label><span>{move || i18n.t(Msg::CareName)}</span><input data-testid="complaint-name" bind:value=name /></label>
            <label><span>{move || i18n.t(Msg::CarePhone)}</span><input data-testid="complaint-phone" inputmode="tel" bind:value=phone /></label>
            <label><span>{move || i18n.t(Msg::CareContent)}</span><textarea data-testid="complaint-content" bind:value=content></textarea></label>
            <label><span>{move || i18n.t(Msg::CareReceivedAt)}</span><input type="datetime-local" data-testid="complaint-received" bind:value=received /></label>
            <label class="check"><input type="checkbox" data-testid="complaint-apologised" bind:checked=apologised /><span>{move || i18n.t(Msg::CareApologised)}</span></label>
            <button type="submit" class="primary" data-testid="complaint-submit">{move || i18n.t(Msg::CareSubmit)}</button>
            <p class="error" data-testid="complaint-error">{move || message.get()}</p>
        </form>
    }
}

/// Waits up to a few seconds for the server to register a queued complaint.
async fn landed(id: Uuid) -> bool {
    #[cfg(feature = "hydrate")]
    for _ in 0..16 {
        if !crate::browser::is_online() {
            return false;
        }
        let pending = client::pending_complaints().await;
        match pending.iter().find(|p| p.complaint.id == id) {
            None => return true,
            Some(p) if p.refused.is_some() => return false,
            Some(_) => crate::browser::sleep(250).await,
        }
    }
    let _ = id;
    false
}

#[component]
pub fn ComplaintPage() -> impl IntoView {
    view! {
        <Guarded area=None>
            <ComplaintDetail />
        </Guarded>
    }
}

#[component]
fn ComplaintDetail() -> impl IntoView {
    let i18n = use_i18n();
    let id = route_id();
    let role = use_profile().map(|p| p.role);
    let current = RwSignal::new(None::<ComplaintView>);
    let error = RwSignal::new(None::<String>);
    let loaded = LocalResource::new(move || {
        let id = id.get();
        async move {
            let id = id?;
            Some(api::get_json::<ComplaintView>(&format!("/api/v1/complaints/{id}")).await)
        }
    });
    Effect::new(move |_| match loaded.get().flatten() {
        Some(Ok(c)) => current.set(Some(c)),
        Some(Err(e)) => error.set(Some(failure_text(i18n, &e))),
        None => {}
    });
    let send = move |cmd: Command| {
        let Some(c) = current.get_untracked() else {
            return;
        };
        let id = c.complaint.id;
        leptos::task::spawn_local(async move {
            let body = serde_json::to_value(&cmd).unwrap_or_default();
            match api::post_json::<ComplaintView>(
                &format!("/api/v1/complaints/{id}/commands"),
                &body,
            )
            .await
            {
                Ok(c) => {
                    error.set(None);
                    current.set(Some(c));
                }
                Err(e) => error.set(Some(failure_text(i18n, &e))),
            }
        });
    };
    let send = StoredValue::new(send);
    view! {
        <section class="home care complaint" data-area="/complaints">
            <p class="error" data-testid="complaint-error">{move || error.get()}</p>
            {move || current.get().map(|c| {
                let send = move |cmd| send.with_value(|f| f(cmd));
                view! { <ComplaintBody c role send /> }
            })}
        </section>
    }
}

#[component]
fn ComplaintBody(
    c: ComplaintView,
    role: Option<Role>,
    send: impl Fn(Command) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let k = c.complaint.clone();
    let status = k.status;
    let written = k.channel.is_written();
    let valid = k.valid;
    let answer = k.written_answer.clone();
    let approved_at = answer.as_ref().and_then(|a| a.approved_at);
    let clocks = c.clocks.clone();
    let number = k.number.clone().unwrap_or_default();
    let class = c.effective_class;
    let escalated = c.effective_ground == Some(MajorGround::UnresolvedOneMonth);
    let overdue = c.overdue;
    let notes = [
        (Msg::CareHistoryReply, k.first_reply.clone()),
        (Msg::CareHistoryExplain, k.explanation.clone()),
        (Msg::CareHistoryResolution, k.resolution.clone()),
    ];
    let feedback = k.feedback.clone();
    let return_visit = c.return_visit_id;
    view! {
        <h1 data-testid="complaint-number">{number}</h1>
        <p data-testid="complaint-status" data-status=serde_json::to_value(status).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
            data-overdue=overdue.to_string()>
            {move || i18n.t(status_msg(status))}" · "
            {move || if valid == Some(false) { i18n.t(Msg::CareInvalid) } else { i18n.t(class_msg(class)) }}
            <Show when=move || escalated>" · "<span class="badge red">{move || i18n.t(Msg::CareEscalated)}</span></Show>
        </p>
        <dl class="facts">
            <dt>{move || i18n.t(Msg::CareColUnit)}</dt><dd>{c.unit_label.clone().unwrap_or_default()}</dd>
            <dt>{move || i18n.t(Msg::CareChannel)}</dt><dd>{move || i18n.t(channel_msg(k.channel))}</dd>
            <dt>{move || i18n.t(Msg::CareName)}</dt><dd>{k.complainant_name.clone()}" "{k.complainant_phone.clone()}</dd>
            <dt>{move || i18n.t(Msg::CareReceivedAt)}</dt><dd>{china_time(k.received_at)}</dd>
            <dt>{move || i18n.t(Msg::CareContent)}</dt><dd class="pre">{k.content.clone()}</dd>
        </dl>
        <ul class="clocks" data-testid="complaint-clocks">
            {clocks.into_iter().map(|clock| {
                let label = match clock.kind {
                    ClockKind::FirstReply => Msg::CareClockFirstReply,
                    ClockKind::WrittenAnswer => Msg::CareClockWrittenAnswer,
                    ClockKind::Resolution => Msg::CareClockResolution,
                };
                let kind = serde_json::to_value(clock.kind).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
                let (state, text) = match clock.state {
                    ClockState::Running { due } => ("running", i18n.tf(Msg::CareClockDue, &[("due", china_time(due))])),
                    ClockState::Met { at, .. } => ("met", i18n.tf(Msg::CareClockMet, &[("at", china_time(at))])),
                    ClockState::Breached { due, .. } => ("breached", format!("{} · {}", i18n.t(Msg::CareClockLate), i18n.tf(Msg::CareClockDue, &[("due", china_time(due))]))),
                };
                view! {
                    <li class=format!("clock {state}") data-testid="complaint-clock" data-kind=kind data-state=state>
                        <span>{move || i18n.t(label)}</span>" "<span>{text}</span>
                    </li>
                }
            }).collect_view()}
        </ul>
        <div class="notes">
            {notes.into_iter().filter_map(|(m, n)| n.map(|n| view! {
                <p><strong>{move || i18n.t(m)}"："</strong>{n.text}" · "{short_time(n.at)}</p>
            })).collect_view()}
            {answer.clone().map(|a| view! {
                <p data-testid="written-answer"><strong>{move || i18n.t(Msg::CareDraft)}"："</strong>{a.text}
                    {a.approved_at.map(|t| view! { " · "<span data-testid="answer-approved">{i18n.tf(Msg::CareApproved, &[("at", china_time(t))])}</span> })}
                </p>
            })}
            {feedback.map(|f| { let r = f.rating; view! {
                <p data-testid="complaint-feedback"><strong>{move || i18n.t(Msg::CareHistoryFeedback)}"："</strong>{move || i18n.t(rating_msg(r))}" "{f.text}</p>
            }})}
            {return_visit.map(|v| view! { <p><a href=format!("/return-visits/{v}") data-testid="complaint-return-visit">{move || i18n.t(Msg::CareReturnVisit)}</a></p> })}
        </div>
        {match (status, valid) {
            (Status::Closed, _) => ().into_any(),
            (_, None) => view! { <AssessForm send /> }.into_any(),
            (_, Some(false)) => view! { <TextStep title=Msg::CareExplain label=Msg::CareExplainText testid="explain" make=|t| Command::Explain { text: t, at: now() } send /> }.into_any(),
            (Status::Registered, Some(true)) => view! { <TextStep title=Msg::CareReply label=Msg::CareReplyText testid="reply" make=|t| Command::Reply { text: t, at: now() } send /> }.into_any(),
            (Status::Replied, Some(true)) => view! {
                <Show when=move || written && approved_at.is_none()>
                    <TextStep title=Msg::CareDraft label=Msg::CareDraftText testid="draft" make=|t| Command::DraftAnswer { text: t } send />
                </Show>
                <TextStep title=Msg::CareResolve label=Msg::CareResolveText testid="resolve" make=|t| Command::Resolve { text: t } send />
            }.into_any(),
            (Status::Resolved, Some(true)) => view! {
                <Show when=move || written && approved_at.is_none()>
                    <TextStep title=Msg::CareDraft label=Msg::CareDraftText testid="draft" make=|t| Command::DraftAnswer { text: t } send />
                </Show>
                <CloseForm send />
            }.into_any(),
        }}
        <Show when=move || written && answer.is_some() && approved_at.is_none() && role == Some(Role::CsMgr)>
            <button class="primary" data-testid="approve-answer" on:click=move |_| send(Command::ApproveAnswer)>{move || i18n.t(Msg::CareApprove)}</button>
        </Show>
    }
}

#[component]
fn TextStep(
    title: Msg,
    label: Msg,
    testid: &'static str,
    make: fn(String) -> Command,
    send: impl Fn(Command) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let text = RwSignal::new(String::new());
    view! {
        <form class="card form" data-testid=format!("{testid}-form") on:submit=move |ev| {
            ev.prevent_default();
            send(make(text.get_untracked()));
        }>
            <h2>{move || i18n.t(title)}</h2>
            <label><span>{move || i18n.t(label)}</span><textarea data-testid=format!("{testid}-text") bind:value=text></textarea></label>
            <button type="submit" class="primary" data-testid=format!("{testid}-submit")>{move || i18n.t(Msg::CareSave)}</button>
        </form>
    }
}

#[component]
fn AssessForm(send: impl Fn(Command) + Copy + Send + Sync + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let valid = RwSignal::new(true);
    let class = RwSignal::new("minor".to_string());
    let ground = RwSignal::new("repeated_unfixed".to_string());
    let dept = RwSignal::new("customer_service".to_string());
    fn parse<T: serde::de::DeserializeOwned>(s: String) -> Option<T> {
        serde_json::from_value(serde_json::Value::String(s)).ok()
    }
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let class: Option<Class> = parse(class.get_untracked());
        let is_valid = valid.get_untracked();
        send(Command::Assess {
            valid: is_valid,
            class: if is_valid { class } else { None },
            major_ground: if is_valid && class == Some(Class::Major) {
                parse(ground.get_untracked())
            } else {
                None
            },
            department: parse::<Department>(dept.get_untracked()),
        });
    };
    let opt = move |v: &'static str, m: Msg| view! { <option value=v>{move || i18n.t(m)}</option> };
    view! {
        <form class="card form" data-testid="assess-form" on:submit=submit>
            <h2>{move || i18n.t(Msg::CareAssess)}</h2>
            <label class="check"><input type="radio" name="valid" data-testid="assess-valid" checked=true on:change=move |_| valid.set(true) /><span>{move || i18n.t(Msg::CareValid)}</span></label>
            <label class="check"><input type="radio" name="valid" data-testid="assess-invalid" on:change=move |_| valid.set(false) /><span>{move || i18n.t(Msg::CareInvalidChoice)}</span></label>
            <Show when=move || valid.get()>
                <label><span>{move || i18n.t(Msg::CareClass)}</span>
                    <select data-testid="assess-class" prop:value=move || class.get() on:change=move |ev| class.set(event_target_value(&ev))>
                        {opt("minor", Msg::CareClassMinor)}{opt("important", Msg::CareClassImportant)}{opt("major", Msg::CareClassMajor)}
                    </select>
                </label>
                <Show when=move || class.get() == "major">
                    <label><span>{move || i18n.t(Msg::CareGround)}</span>
                        <select data-testid="assess-ground" on:change=move |ev| ground.set(event_target_value(&ev))>
                            {opt("repeated_unfixed", ground_msg(MajorGround::RepeatedUnfixed))}{opt("loss_or_injury", ground_msg(MajorGround::LossOrInjury))}
                        </select>
                    </label>
                </Show>
            </Show>
            <label><span>{move || i18n.t(Msg::CareDepartment)}</span>
                <select data-testid="assess-department" on:change=move |ev| dept.set(event_target_value(&ev))>
                    {Department::ALL.iter().map(|d| {
                        let d = *d;
                        let v = serde_json::to_value(d).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
                        view! { <option value=v>{move || i18n.t(department_msg(d))}</option> }
                    }).collect_view()}
                </select>
            </label>
            <button type="submit" class="primary" data-testid="assess-submit">{move || i18n.t(Msg::CareSave)}</button>
        </form>
    }
}

#[component]
fn CloseForm(send: impl Fn(Command) + Copy + Send + Sync + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let text = RwSignal::new(String::new());
    view! {
        <form class="card form" data-testid="close-form" on:submit=move |ev| ev.prevent_default()>
            <h2>{move || i18n.t(Msg::CareClose)}</h2>
            <label><span>{move || i18n.t(Msg::CareFeedbackText)}</span><textarea data-testid="close-text" bind:value=text></textarea></label>
            <div class="choices">
                {RATINGS.iter().map(|(r, code)| {
                    let r = *r;
                    view! {
                        <button type="button" class="choice" data-testid=format!("close-{code}")
                            on:click=move |_| send(Command::Close { rating: r, text: text.get_untracked() })>
                            {move || i18n.t(rating_msg(r))}
                        </button>
                    }
                }).collect_view()}
            </div>
        </form>
    }
}
