//! 业户访问 (走访) screens: `/visits` (this month's quota progress with the deficit, the cadence
//! targets, the visits still on this phone, my visits; the manager sees every visitor), the
//! 《业户访问记录》 form `/visits/new` (phone; works with no signal through the outbox),
//! `/visits/unvisited` (households not visited this year, by building) and `/visits/reports`
//! (the monthly chain with its due days, tablet). Apart from the form, they read the REST API.

mod new;
mod reports;
mod unvisited;

pub use new::NewVisitPage;
pub use reports::VisitReportsPage;
pub use unvisited::UnvisitedPage;

use crate::api::{self, ApiFailure};
use crate::frame::{use_profile, Guarded};
use crate::i18n::{role_msg, use_i18n, I18n, Msg};
use crate::offline::client;
use chrono::{DateTime, Utc};
use domain::access::Area;
use domain::people::Role;
use domain::visits::policy::CadencePeriod;
use domain::visits::record::{manages_visits, records_visits};
use domain::visits::record::{SignatureOutcome, VisitMethod, VisitTopic};
use domain::visits::reporting::{ReportStep, StepState};
use domain::visits::views::{MonthProgress, VisitView};
use domain::work_orders::sla::china;
use leptos::prelude::*;

pub(crate) fn topic_msg(t: VisitTopic) -> Msg {
    match t {
        VisitTopic::Security => Msg::VisitsTopicSecurity,
        VisitTopic::Cleaning => Msg::VisitsTopicCleaning,
        VisitTopic::Greening => Msg::VisitsTopicGreening,
        VisitTopic::Repairs => Msg::VisitsTopicRepairs,
        VisitTopic::Leisure => Msg::VisitsTopicLeisure,
        VisitTopic::Management => Msg::VisitsTopicManagement,
        VisitTopic::Convenience => Msg::VisitsTopicConvenience,
        VisitTopic::SpecialNeeds => Msg::VisitsTopicSpecialNeeds,
        VisitTopic::CommunityCulture => Msg::VisitsTopicCommunityCulture,
        VisitTopic::Other => Msg::VisitsTopicOther,
    }
}

pub(crate) fn method_msg(m: VisitMethod) -> Msg {
    match m {
        VisitMethod::Home => Msg::VisitsMethodHome,
        VisitMethod::Office => Msg::VisitsMethodOffice,
        VisitMethod::Outdoors => Msg::VisitsMethodOutdoors,
        VisitMethod::Questionnaire => Msg::VisitsMethodQuestionnaire,
        VisitMethod::Phone => Msg::VisitsMethodPhone,
        VisitMethod::Other => Msg::VisitsMethodOther,
    }
}

pub(crate) fn step_msg(s: ReportStep) -> Msg {
    match s {
        ReportStep::Records => Msg::VisitsStepRecords,
        ReportStep::Summary => Msg::VisitsStepSummary,
        ReportStep::Approval => Msg::VisitsStepApproval,
    }
}

pub(crate) fn state_msg(s: StepState) -> Msg {
    match s {
        StepState::NotYet => Msg::VisitsStateNotYet,
        StepState::Due => Msg::VisitsStateDue,
        StepState::Overdue => Msg::VisitsStateOverdue,
        StepState::Done => Msg::VisitsStateDone,
        StepState::DoneLate => Msg::VisitsStateDoneLate,
    }
}

pub(crate) fn state_code(s: StepState) -> &'static str {
    match s {
        StepState::NotYet => "not_yet",
        StepState::Due => "due",
        StepState::Overdue => "overdue",
        StepState::Done => "done",
        StepState::DoneLate => "done_late",
    }
}

/// `11-20 21:59`, China time.
pub(crate) fn local_dt(at: DateTime<Utc>) -> String {
    at.with_timezone(&china()).format("%m-%d %H:%M").to_string()
}

/// A failed call in words: the known refusal codes, else the code itself.
pub(crate) fn error_text(i18n: I18n, e: &ApiFailure) -> String {
    let m = match e {
        ApiFailure::Network => Some(Msg::VisitsErrOffline),
        ApiFailure::Api { body, .. } => refusal_msg(&body.code),
        _ => None,
    };
    let lang = i18n.0.get_untracked();
    match m {
        Some(m) => lang.text(m).to_owned(),
        None => crate::i18n::fill(lang.text(Msg::VisitsErrFailed), &[("code", e.code())]),
    }
}

/// The text of a visit refusal by its code (the API's, or the sync push's for a queued visit).
pub(crate) fn refusal_msg(code: &str) -> Option<Msg> {
    match code {
        "no_topics" => Some(Msg::VisitsErrNoTopics),
        "visit_too_late" => Some(Msg::VisitsErrTooLate),
        "visit_in_future" => Some(Msg::VisitsErrFuture),
        "unit_other_site" => Some(Msg::VisitsErrOtherSite),
        "unit_vacant" => Some(Msg::VisitsErrVacant),
        "month_closed" => Some(Msg::VisitsErrMonthClosed),
        "bad_signature" => Some(Msg::VisitsErrSignature),
        "signature_by_phone" => Some(Msg::VisitsErrSignaturePhone),
        "out_of_order" => Some(Msg::VisitsErrOutOfOrder),
        "already_done" => Some(Msg::VisitsErrAlreadyDone),
        "wrong_role" => Some(Msg::VisitsErrWrongRole),
        "month_not_over" => Some(Msg::VisitsErrMonthNotOver),
        "bad_text" => Some(Msg::VisitsErrBadText),
        "unit_not_in_site" | "unit_not_found" => Some(Msg::VisitsErrNotInSite),
        "forbidden" | "site_forbidden" => Some(Msg::VisitsErrForbidden),
        _ => None,
    }
}

/// The first site of the signed-in user.
pub(crate) fn first_site() -> Option<String> {
    use_profile().and_then(|p| p.sites.first().map(|s| s.id.to_string()))
}

/// A site picker when the user has more than one site.
#[component]
pub(crate) fn VisitSitePicker(site: RwSignal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let sites = use_profile().map(|p| p.sites).unwrap_or_default();
    if sites.len() < 2 {
        return ().into_any();
    }
    view! {
        <label class="visits-site">
            <span>{move || i18n.t(Msg::VisitsSite)}</span>
            <select data-testid="visits-site" on:change=move |ev| site.set(Some(event_target_value(&ev)))>
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

#[component]
pub fn VisitsPage() -> impl IntoView {
    view! {
        <Guarded area=Some(Area::Visits)>
            <VisitsHome />
        </Guarded>
    }
}

#[component]
fn VisitsHome() -> impl IntoView {
    let i18n = use_i18n();
    let role = use_profile().map(|p| p.role).unwrap_or(Role::Desk);
    let site = RwSignal::new(first_site());
    let progress = LocalResource::new(move || {
        let site = site.get();
        async move {
            let site = site?;
            Some(
                api::get_json::<MonthProgress>(&format!("/api/v1/sites/{site}/visits/progress"))
                    .await,
            )
        }
    });
    let manager = manages_visits(role);
    view! {
        <section class="visits" id="visits">
            <h1>{move || i18n.t(Msg::VisitsTitle)}</h1>
            <VisitSitePicker site />
            <div class="visits-actions">
                {records_visits(role).then(|| view! {
                    <a class="button primary visits-record" id="visit-new" href="/visits/new">"＋ " {move || i18n.t(Msg::VisitsRecord)}</a>
                })}
                <a class="button" id="visits-unvisited-link" href="/visits/unvisited">{move || i18n.t(Msg::VisitsUnvisitedLink)}</a>
                {Area::VisitReports.allows(role).then(|| view! {
                    <a class="button" id="visits-reports-link" href="/visits/reports">{move || i18n.t(Msg::VisitsReportsLink)}</a>
                })}
            </div>
            {move || match progress.get().flatten() {
                None => view! { <p class="muted">{move || i18n.t(Msg::VisitsLoading)}</p> }.into_any(),
                Some(Err(e)) => {
                    let t = error_text(i18n, &e);
                    view! { <p class="form-error" data-testid="visits-error">{t}</p> }.into_any()
                }
                Some(Ok(p)) => view! { <ProgressCard p manager /> }.into_any(),
            }}
            <PendingVisits site />
            <VisitList site mine=!manager />
        </section>
    }
}

#[component]
fn ProgressCard(p: MonthProgress, manager: bool) -> impl IntoView {
    let i18n = use_i18n();
    let q = p.quota;
    let required = q.visits_required;
    let width = if required == 0 {
        100.0
    } else {
        (f64::from(p.visited.min(required)) * 100.0 / f64::from(required)).min(100.0)
    };
    let met = p.met;
    let deficit = p.deficit;
    let month = p.month.clone();
    let (visited, repeats, returns) = (p.visited, p.repeat_visits, p.return_visits);
    let year = p.year;
    let cadence = p.cadence.clone();
    let by_visitor = p.by_visitor.clone();
    view! {
        <section class="card visits-progress" data-testid="visit-progress"
            data-visited=visited.to_string() data-required=required.to_string()
            data-deficit=deficit.to_string()>
            <h2>{move || i18n.tf(Msg::VisitsProgressTitle, &[("month", month.clone())])}</h2>
            <div class=if met { "visits-bar met" } else { "visits-bar short" }>
                <span class="fill" style=format!("width:{width:.1}%")></span>
            </div>
            <p class="visits-count">
                <strong data-testid="visit-count">{move || i18n.tf(Msg::VisitsProgressCount, &[("visited", visited.to_string()), ("required", required.to_string())])}</strong>
                " "
                {if met {
                    view! { <span class="tag ok" data-testid="visit-met">{move || i18n.t(Msg::VisitsMet)}</span> }.into_any()
                } else {
                    view! { <span class="tag visits-deficit" data-testid="visit-deficit">{move || i18n.tf(Msg::VisitsDeficit, &[("n", deficit.to_string())])}</span> }.into_any()
                }}
            </p>
            <p class="small muted">{move || i18n.tf(Msg::VisitsTier, &[("n", q.occupied_households.to_string()), ("rate", q.rate_percent.to_string())])}</p>
            <p class="small muted">{move || i18n.tf(Msg::VisitsRepeats, &[("n", repeats.to_string()), ("r", returns.to_string())])}</p>
            <p class="small" data-testid="visit-year">{move || i18n.tf(Msg::VisitsYear, &[
                ("visited", year.visited.to_string()),
                ("occupied", year.occupied_households.to_string()),
                ("rate", format!("{:.1}", year.rate_percent)),
                ("left", year.not_visited.to_string()),
            ])}</p>
            {(manager && !cadence.is_empty()).then(|| view! {
                <h3>{move || i18n.t(Msg::VisitsCadence)}</h3>
                <ul class="visits-cadence">
                    {cadence.into_iter().map(|c| {
                        let m = match c.target.per {
                            CadencePeriod::Week => Msg::VisitsCadenceWeek,
                            CadencePeriod::Month => Msg::VisitsCadenceMonth,
                        };
                        let role = c.target.role;
                        view! {
                            <li class=if c.met { "ok" } else { "short" }>
                                {move || i18n.tf(m, &[
                                    ("role", i18n.t(role_msg(role)).to_owned()),
                                    ("times", c.target.times.to_string()),
                                    ("done", c.done.to_string()),
                                    ("required", c.required.to_string()),
                                ])}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
            {(manager && !by_visitor.is_empty()).then(|| view! {
                <h3>{move || i18n.t(Msg::VisitsByVisitor)}</h3>
                <ul class="visits-by-visitor">
                    {by_visitor.into_iter().map(|l| {
                        let role = l.role;
                        view! {
                            <li>
                                <span>{l.name.clone()}</span>
                                <span class="tag">{move || i18n.t(role_msg(role))}</span>
                                <span class="small">{move || i18n.tf(Msg::VisitsByVisitorLine, &[("visits", l.visits.to_string()), ("households", l.households.to_string())])}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
        </section>
    }
}

#[component]
fn VisitList(site: RwSignal<Option<String>>, mine: bool) -> impl IntoView {
    let i18n = use_i18n();
    let list = LocalResource::new(move || {
        let site = site.get();
        async move {
            let site = site?;
            let q = if mine { "?mine=true" } else { "" };
            Some(api::get_json::<Vec<VisitView>>(&format!("/api/v1/sites/{site}/visits{q}")).await)
        }
    });
    view! {
        <section class="card visits-list" data-testid="visit-list">
            <h2>{move || i18n.t(if mine { Msg::VisitsMyVisits } else { Msg::VisitsAllVisits })}</h2>
            {move || match list.get().flatten() {
                None => view! { <p class="muted">{move || i18n.t(Msg::VisitsLoading)}</p> }.into_any(),
                Some(Err(e)) => {
                    let t = error_text(i18n, &e);
                    view! { <p class="form-error">{t}</p> }.into_any()
                }
                Some(Ok(v)) if v.is_empty() => view! { <p class="empty">{move || i18n.t(Msg::VisitsNone)}</p> }.into_any(),
                Some(Ok(v)) => view! {
                    <ul class="visits-rows">
                        {v.into_iter().map(|v| view! { <VisitRow v show_visitor=!mine /> }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn VisitRow(v: VisitView, show_visitor: bool) -> impl IntoView {
    let i18n = use_i18n();
    let method = v.method;
    let topics = v.topics.clone();
    let sig = v.signature.clone();
    let sig_code = sig.code();
    let counted = v.counted;
    let feedback = v.feedback_requested;
    view! {
        <li class="visits-row" data-testid="visit-row" data-unit=v.unit_label.clone()
            data-counted=counted.to_string() data-signature=sig_code>
            <div class="visits-row-head">
                <strong>{v.unit_label.clone()}</strong>
                <span class="muted small">{local_dt(v.visited_at)}</span>
                <span class="tag">{move || i18n.t(method_msg(method))}</span>
                {(!counted).then(|| view! { <span class="tag visits-repeat">{move || i18n.t(Msg::VisitsRepeatTag)}</span> })}
                {feedback.then(|| view! { <span class="tag visits-feedback">{move || i18n.t(Msg::VisitsFeedbackTag)}</span> })}
            </div>
            <p class="small">{move || topics.iter().map(|t| i18n.t(topic_msg(*t))).collect::<Vec<_>>().join("；")}</p>
            {(!v.notes.is_empty()).then(|| view! { <p class="small visits-notes">{v.notes.clone()}</p> })}
            <p class="small muted">
                {show_visitor.then(|| format!("{} · ", v.visitor_name))}
                {move || match &sig {
                    SignatureOutcome::Signed { signer, .. } => i18n.tf(Msg::VisitsSigSigned, &[("name", signer.clone())]),
                    SignatureOutcome::Refused => i18n.t(Msg::VisitsSigRefused).to_owned(),
                    SignatureOutcome::NotTaken => i18n.t(Msg::VisitsSigNotTaken).to_owned(),
                }}
            </p>
        </li>
    }
}

/// Visits recorded on this phone that the server has not stored yet: 待同步, or the reason it
/// refused one (the entry waits on the outbox page). Gone once they land.
#[component]
fn PendingVisits(site: RwSignal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let sync = crate::offline::use_sync_status();
    let pending = LocalResource::new(move || {
        sync.data_version.track();
        let site = site.get();
        async move {
            let list = client::pending_visits().await;
            if list.is_empty() {
                return Vec::new();
            }
            let reference = client::reference().await;
            list.into_iter()
                .filter(|p| Some(p.site_id.to_string()) == site)
                .map(|p| {
                    let label = reference
                        .as_ref()
                        .and_then(|r| r.units.iter().find(|u| u.id == p.visit.unit_id))
                        .map(|u| u.label.clone())
                        .unwrap_or_default();
                    (p, label)
                })
                .collect::<Vec<_>>()
        }
    });
    move || {
        let list = pending.get().unwrap_or_default();
        (!list.is_empty()).then(|| view! {
            <section class="card visits-pending" data-testid="visit-pending-list">
                <h2>{move || i18n.t(Msg::VisitsPendingTitle)}</h2>
                <ul class="visits-rows">
                    {list.into_iter().map(|(p, label)| {
                        let refused = p.refused.map(|(_, code)| code);
                        let refused_tag = refused.is_some();
                        let topics = p.visit.topics.clone();
                        view! {
                            <li class="visits-row pending" data-testid="visit-pending" data-id=p.id.to_string()
                                data-refused=refused.clone()>
                                <div class="visits-row-head">
                                    <strong>{label}</strong>
                                    <span class="muted small">{p.visit.visited_at.map(local_dt)}</span>
                                    <span class=if refused.is_some() { "tag visits-refused" } else { "tag visits-pending-tag" }>
                                        {move || i18n.t(if refused_tag { Msg::VisitsNeedsAttention } else { Msg::VisitsPending })}
                                    </span>
                                </div>
                                <p class="small">{move || topics.iter().map(|t| i18n.t(topic_msg(*t))).collect::<Vec<_>>().join("；")}</p>
                                {refused.clone().map(|code| {
                                    let reason = refusal_msg(&code).map(|m| i18n.t(m).to_owned()).unwrap_or(code);
                                    view! {
                                        <p class="small visits-refusal">
                                            {i18n.tf(Msg::VisitsPendingRefused, &[("reason", reason)])} " "
                                            <a href="/outbox">{i18n.t(Msg::VisitsOpenOutbox)}</a>
                                        </p>
                                    }
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        })
    }
}
