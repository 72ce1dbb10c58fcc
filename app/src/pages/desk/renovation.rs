//! `/desk/renovations` and `/desk/renovations/:id`: 装修 (S0 第9篇 3.2, S2《住宅小区服务中心装修
//! 管理工作规程》). Each department does its own step: the desk takes the application and
//! issues the permit and passes, engineering reviews (three working days, shown red when late)
//! and inspects, finance takes and refunds the money, security and patrols record 装修巡查.

use super::{first_site, message_view, PhotoInput, UnitPicker};
use crate::api;
use crate::frame::use_profile;
use crate::i18n::{use_i18n, Msg};
use crate::pages::patrol::PatrolGuard;
use crate::pages::privacy::{refusal_text, RevealId};
use crate::pages::repairs::china_time;
use crate::pages::signature::{Pad, SignaturePad};
use domain::desk::renovation::{RenovationDocument, RenovationStatus};
use domain::desk::views::{RenovationSummary, RenovationView};
use domain::money::Fen;
use domain::people::Role;
use domain::privacy::RevealKind;
use domain::reference::UnitCard;
use domain::sync::wire::BlobRef;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

fn renovation_roles(role: Role) -> bool {
    role != Role::Tech
}
fn desk_role(role: Role) -> bool {
    matches!(role, Role::Desk | Role::CsMgr | Role::CenterMgr)
}
fn eng_role(role: Role) -> bool {
    matches!(role, Role::EngMgr | Role::CenterMgr)
}
fn patrol_role(role: Role) -> bool {
    matches!(
        role,
        Role::Patrol | Role::Security | Role::Desk | Role::CsMgr | Role::CenterMgr
    )
}

pub fn status_msg(s: RenovationStatus) -> Msg {
    match s {
        RenovationStatus::Applied => Msg::DeskRenoStatusApplied,
        RenovationStatus::Approved => Msg::DeskRenoStatusApproved,
        RenovationStatus::Rejected => Msg::DeskRenoStatusRejected,
        RenovationStatus::FeesSet => Msg::DeskRenoStatusFeesSet,
        RenovationStatus::Paid => Msg::DeskRenoStatusPaid,
        RenovationStatus::PermitIssued => Msg::DeskRenoStatusPermitIssued,
        RenovationStatus::CompletionRequested => Msg::DeskRenoStatusCompletionRequested,
        RenovationStatus::Inspected => Msg::DeskRenoStatusInspected,
        RenovationStatus::Refunded => Msg::DeskRenoStatusRefunded,
    }
}

fn status_from_code(s: &str) -> Option<RenovationStatus> {
    serde_json::from_value(serde_json::Value::String(s.to_owned())).ok()
}

fn doc_msg(d: RenovationDocument) -> Msg {
    match d {
        RenovationDocument::OwnerId => Msg::DeskRenoDocOwnerId,
        RenovationDocument::OwnershipProof => Msg::DeskRenoDocOwnershipProof,
        RenovationDocument::CompanyLicence => Msg::DeskRenoDocCompanyLicence,
        RenovationDocument::Plan => Msg::DeskRenoDocPlan,
    }
}

fn doc_code(d: RenovationDocument) -> &'static str {
    match d {
        RenovationDocument::OwnerId => "owner_id",
        RenovationDocument::OwnershipProof => "ownership_proof",
        RenovationDocument::CompanyLicence => "company_licence",
        RenovationDocument::Plan => "plan",
    }
}

fn yuan(f: Fen) -> String {
    format!("{}.{:02}", f.0 / 100, f.0 % 100)
}

/// `1234.5` → 123450 fen.
fn parse_yuan(s: &str) -> Option<i64> {
    let s = s.trim();
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    let whole: i64 = whole.parse().ok()?;
    let frac = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().ok()? * 10,
        2 => frac.parse::<i64>().ok()?,
        _ => return None,
    };
    whole.checked_mul(100)?.checked_add(frac)
}

#[component]
pub fn RenovationsPage() -> impl IntoView {
    view! {
        <PatrolGuard allow=renovation_roles>
            <Renovations />
        </PatrolGuard>
    }
}

#[component]
fn Renovations() -> impl IntoView {
    let i18n = use_i18n();
    let site = first_site();
    let may_apply = use_profile().is_some_and(|p| desk_role(p.role));
    let list = {
        let site = site.clone();
        LocalResource::new(move || {
            let url = format!("/api/v1/sites/{site}/renovations");
            async move { api::get_json::<Vec<RenovationSummary>>(&url).await }
        })
    };
    view! {
        <section class="desk-reno" id="renovations">
            <h1>{move || i18n.t(Msg::DeskRenoTitle)}</h1>
            <p class="muted">{move || i18n.t(Msg::DeskRenoHint)}</p>
            {may_apply.then(|| view! { <NewRenovation site=site.clone() /> })}
            <h2>{move || i18n.t(Msg::DeskRenoList)}</h2>
            {move || match list.get() {
                None => view! { <p class="muted">{move || i18n.t(Msg::DeskLoading)}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="form-error">{refusal_text(i18n, &e)}</p> }.into_any(),
                Some(Ok(l)) if l.is_empty() => view! { <p class="empty">{move || i18n.t(Msg::DeskRenoNone)}</p> }.into_any(),
                Some(Ok(l)) => view! {
                    <ul class="desk-list">
                        {l.into_iter().map(|x| {
                            let href = format!("/desk/renovations/{}", x.id);
                            let st = status_from_code(&x.status);
                            let due = x.review_due.to_string();
                            let overdue = x.review_overdue;
                            let (n, v) = (x.patrols, x.violations);
                            view! {
                                <li>
                                    <a href=href data-testid="reno-row">
                                        <strong>{x.unit_label}</strong> " " {x.applicant} " · " {x.company}
                                        " " <span class="tag">{move || st.map(|s| i18n.t(status_msg(s))).unwrap_or_default()}</span>
                                        {(st == Some(RenovationStatus::Applied)).then(|| {
                                            let due = due.clone();
                                            view! {
                                                " " <span class=if overdue { "tag overdue" } else { "tag" }>
                                                    {move || if overdue {
                                                        i18n.tf(Msg::DeskRenoReviewOverdue, &[("date", due.clone())])
                                                    } else {
                                                        i18n.tf(Msg::DeskRenoReviewDue, &[("date", due.clone())])
                                                    }}
                                                </span>
                                            }
                                        })}
                                        " " <span class="muted">{move || i18n.tf(Msg::DeskRenoPatrolCount, &[("n", n.to_string()), ("v", v.to_string())])}</span>
                                    </a>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn NewRenovation(site: String) -> impl IntoView {
    let i18n = use_i18n();
    let unit = RwSignal::new(None::<UnitCard>);
    let applicant = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let company = RwSignal::new(String::new());
    let scope = RwSignal::new(String::new());
    let start = RwSignal::new(String::new());
    let end = RwSignal::new(String::new());
    let checked = RwSignal::new(Vec::<RenovationDocument>::new());
    let photos: [RwSignal<Option<BlobRef>>; 4] = [
        RwSignal::new(None),
        RwSignal::new(None),
        RwSignal::new(None),
        RwSignal::new(None),
    ];
    let message = RwSignal::new(None::<(bool, String)>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(u) = unit.get_untracked() else {
            return;
        };
        if busy.get_untracked() {
            return;
        }
        let docs: Vec<serde_json::Value> = RenovationDocument::ALL
            .iter()
            .enumerate()
            .filter(|(_, d)| checked.get_untracked().contains(d))
            .map(|(i, d)| serde_json::json!({"document": d, "photo": photos[i].get_untracked()}))
            .collect();
        let body = serde_json::json!({
            "id": Uuid::now_v7(),
            "unit_id": u.id,
            "applicant": applicant.get_untracked(),
            "applicant_phone": phone.get_untracked(),
            "company": company.get_untracked(),
            "scope": scope.get_untracked(),
            "planned_start": start.get_untracked(),
            "declared_end": end.get_untracked(),
            "documents": docs,
        });
        busy.set(true);
        let url = format!("/api/v1/sites/{site}/renovations");
        leptos::task::spawn_local(async move {
            let r = api::post_json::<RenovationView>(&url, &body).await;
            busy.set(false);
            match r {
                Ok(v) => {
                    #[cfg(feature = "hydrate")]
                    crate::browser::go(&format!("/desk/renovations/{}", v.record.id));
                    #[cfg(not(feature = "hydrate"))]
                    let _ = v;
                }
                Err(e) => message.set(Some((false, refusal_text(i18n, &e)))),
            }
        });
    };
    view! {
        <form class="card desk-form" data-testid="reno-new" on:submit=submit>
            <h2>{move || i18n.t(Msg::DeskRenoNew)}</h2>
            <UnitPicker site=first_site() picked=unit />
            <label><span>{move || i18n.t(Msg::DeskRenoApplicant)}</span><input data-testid="reno-applicant" bind:value=applicant /></label>
            <label><span>{move || i18n.t(Msg::DeskRenoPhone)}</span><input data-testid="reno-phone" inputmode="tel" bind:value=phone /></label>
            <label><span>{move || i18n.t(Msg::DeskRenoCompany)}</span><input data-testid="reno-company" bind:value=company /></label>
            <label><span>{move || i18n.t(Msg::DeskRenoScope)}</span><input data-testid="reno-scope" bind:value=scope /></label>
            <label><span>{move || i18n.t(Msg::DeskRenoStart)}</span><input type="date" data-testid="reno-start" bind:value=start /></label>
            <label><span>{move || i18n.t(Msg::DeskRenoEnd)}</span><input type="date" data-testid="reno-end" bind:value=end /></label>
            <fieldset>
                <legend>{move || i18n.t(Msg::DeskRenoDocuments)}</legend>
                {RenovationDocument::ALL.into_iter().enumerate().map(|(i, d)| {
                    let toggle = move |ev: leptos::ev::Event| {
                        let on = event_target_checked(&ev);
                        checked.update(|v| {
                            v.retain(|x| *x != d);
                            if on {
                                v.push(d);
                            }
                        });
                    };
                    view! {
                        <div class="desk-doc">
                            <label class="choice">
                                <input type="checkbox" data-testid=format!("reno-doc-{}", doc_code(d)) on:change=toggle />
                                <span>{move || i18n.t(doc_msg(d))}</span>
                            </label>
                            <PhotoInput photo=photos[i] label=Msg::DeskRenoPhoto testid=format!("reno-photo-{}", doc_code(d)) />
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            {message_view(message)}
            <button type="submit" class="button primary" data-testid="reno-submit"
                disabled=move || busy.get() || unit.get().is_none()>
                {move || i18n.t(Msg::DeskRenoSubmit)}
            </button>
        </form>
    }
}

#[component]
pub fn RenovationPage() -> impl IntoView {
    view! {
        <PatrolGuard allow=renovation_roles>
            <RenovationDetail />
        </PatrolGuard>
    }
}

#[component]
fn RenovationDetail() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let current = RwSignal::new(None::<RenovationView>);
    let error = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let id = id.get();
        leptos::task::spawn_local(async move {
            match api::get_json::<RenovationView>(&format!("/api/v1/renovations/{id}")).await {
                Ok(v) => current.set(Some(v)),
                Err(e) => error.set(Some(refusal_text(i18n, &e))),
            }
        });
    });
    view! {
        <section class="desk-reno" id="renovation">
            <a class="back" href="/desk/renovations">"‹ " {move || i18n.t(Msg::DeskRenoList)}</a>
            {move || error.get().map(|e| view! { <p class="form-error">{e}</p> })}
            {move || match current.get() {
                None => view! { <p class="muted">{move || i18n.t(Msg::DeskLoading)}</p> }.into_any(),
                Some(v) => view! { <RenovationBody v current /> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn RenovationBody(v: RenovationView, current: RwSignal<Option<RenovationView>>) -> impl IntoView {
    let i18n = use_i18n();
    let role = use_profile().map(|p| p.role).unwrap_or(Role::Tech);
    let r = v.record.clone();
    let id = r.id;
    let status = r.status;
    let message = RwSignal::new(None::<(bool, String)>);
    let busy = RwSignal::new(false);
    let send = move |body: serde_json::Value| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let r =
                api::post_json::<RenovationView>(&format!("/api/v1/renovations/{id}/steps"), &body)
                    .await;
            busy.set(false);
            match r {
                Ok(v) => {
                    message.set(Some((true, i18n.t(Msg::DeskSaved).to_owned())));
                    current.set(Some(v));
                }
                Err(e) => message.set(Some((false, refusal_text(i18n, &e)))),
            }
        });
    };
    let name_of = {
        let names = v.staff_names.clone();
        move |id: Uuid| {
            names
                .iter()
                .find(|(s, _)| *s == id)
                .map(|(_, n)| n.clone())
                .unwrap_or_default()
        }
    };
    let due = r.review_due.to_string();
    let overdue = v.review_overdue;
    let under_way = status.under_construction();

    // Engineering review.
    let review = (status == RenovationStatus::Applied && eng_role(role)).then(|| {
        let note = RwSignal::new(String::new());
        view! {
            <div class="card desk-step" data-testid="reno-review">
                <h2>{move || i18n.t(Msg::DeskRenoReview)}</h2>
                <label><span>{move || i18n.t(Msg::DeskRenoReviewNote)}</span><input data-testid="reno-review-note" bind:value=note /></label>
                <button type="button" class="button primary" data-testid="reno-approve"
                    on:click=move |_| send(serde_json::json!({"type": "review", "approved": true, "note": note.get_untracked()}))>
                    {move || i18n.t(Msg::DeskRenoApprove)}
                </button>
                <button type="button" class="button" data-testid="reno-reject"
                    on:click=move |_| send(serde_json::json!({"type": "review", "approved": false, "note": note.get_untracked()}))>
                    {move || i18n.t(Msg::DeskRenoReject)}
                </button>
            </div>
        }
    });
    // Fees (物业助理).
    let fees = (matches!(status, RenovationStatus::Approved | RenovationStatus::FeesSet)
        && desk_role(role))
    .then(|| {
        let deposit = RwSignal::new(String::new());
        let other = RwSignal::new(String::from("0"));
        let set = move |_| {
            let (Some(d), Some(o)) = (
                parse_yuan(&deposit.get_untracked()),
                parse_yuan(&other.get_untracked()),
            ) else {
                message.set(Some((false, i18n.tf(Msg::DeskErrInvalidInput, &[("message", "¥".into())]))));
                return;
            };
            send(serde_json::json!({"type": "set_fees", "deposit": d, "fees": o}));
        };
        view! {
            <div class="card desk-step" data-testid="reno-fees">
                <h2>{move || i18n.t(Msg::DeskRenoFees)}</h2>
                <label><span>{move || i18n.t(Msg::DeskRenoDeposit)}</span><input data-testid="reno-deposit" inputmode="decimal" bind:value=deposit /></label>
                <label><span>{move || i18n.t(Msg::DeskRenoOtherFees)}</span><input data-testid="reno-other-fees" inputmode="decimal" bind:value=other /></label>
                <button type="button" class="button primary" data-testid="reno-set-fees" on:click=set>
                    {move || i18n.t(Msg::DeskRenoSetFees)}
                </button>
            </div>
        }
    });
    let simple = move |show: bool, label: Msg, testid: &'static str, body: serde_json::Value| {
        show.then(|| {
            let body = body.clone();
            view! {
                <button type="button" class="button primary" data-testid=testid
                    on:click=move |_| send(body.clone()) disabled=move || busy.get()>
                    {move || i18n.t(label)}
                </button>
            }
        })
    };
    let pay = simple(
        status == RenovationStatus::FeesSet && role == Role::Finance,
        Msg::DeskRenoMarkPaid,
        "reno-mark-paid",
        serde_json::json!({"type": "mark_paid"}),
    );
    let permit = simple(
        matches!(
            status,
            RenovationStatus::Approved | RenovationStatus::FeesSet | RenovationStatus::Paid
        ) && desk_role(role),
        Msg::DeskRenoIssuePermit,
        "reno-issue-permit",
        serde_json::json!({"type": "issue_permit", "permit_number": ""}),
    );
    let completion = simple(
        status == RenovationStatus::PermitIssued && desk_role(role),
        Msg::DeskRenoRequestCompletion,
        "reno-request-completion",
        serde_json::json!({"type": "request_completion"}),
    );
    let refund = simple(
        matches!(
            status,
            RenovationStatus::Inspected
                | RenovationStatus::CompletionRequested
                | RenovationStatus::PermitIssued
        ) && role == Role::Finance,
        Msg::DeskRenoRefund,
        "reno-refund",
        serde_json::json!({"type": "refund_deposit"}),
    );
    // Worker passes.
    let workers_list = v
        .workers
        .iter()
        .map(|w| {
            let wid = w.id;
            let revoke_reason = RwSignal::new(String::new());
            let revoked = w.revoked_reason.clone();
            let can_revoke = revoked.is_none() && under_way && (desk_role(role) || patrol_role(role));
            view! {
                <li data-testid="worker-row">
                    <span>{i18n.tf(Msg::DeskRenoPassNo, &[("n", w.number.to_string())])}</span>
                    " " <strong>{w.name.clone()}</strong>
                    " " <RevealId kind=RevealKind::WorkerIdCard id=wid masked=w.id_card_masked.clone() />
                    " " <RevealId kind=RevealKind::WorkerPhone id=wid masked=w.phone_masked.clone() />
                    {revoked.map(|r| view! { " " <span class="tag overdue">{move || i18n.tf(Msg::DeskRenoRevoked, &[("reason", r.clone())])}</span> })}
                    {can_revoke.then(|| view! {
                        <span class="inline">
                            <input data-testid="worker-revoke-reason" bind:value=revoke_reason
                                placeholder=move || i18n.t(Msg::DeskRenoRevokeReason) />
                            <button type="button" class="button small" data-testid="worker-revoke"
                                on:click=move |_| send(serde_json::json!({"type": "revoke_worker", "worker_id": wid, "reason": revoke_reason.get_untracked()}))>
                                {move || i18n.t(Msg::DeskRenoRevoke)}
                            </button>
                        </span>
                    })}
                </li>
            }
        })
        .collect_view();
    let no_workers = v.workers.is_empty();
    let add_worker = (under_way && desk_role(role)).then(|| {
        let name = RwSignal::new(String::new());
        let idn = RwSignal::new(String::new());
        let ph = RwSignal::new(String::new());
        view! {
            <div class="desk-inline-form">
                <input data-testid="worker-name" bind:value=name placeholder=move || i18n.t(Msg::DeskRenoWorkerName) />
                <input data-testid="worker-id" class="mono" bind:value=idn maxlength="18" placeholder=move || i18n.t(Msg::DeskRenoWorkerId) />
                <input data-testid="worker-phone" inputmode="tel" bind:value=ph placeholder=move || i18n.t(Msg::DeskRenoWorkerPhone) />
                <button type="button" class="button" data-testid="worker-add"
                    on:click=move |_| send(serde_json::json!({"type": "add_worker", "worker_id": Uuid::now_v7(),
                        "name": name.get_untracked(), "id_card": idn.get_untracked(), "phone": ph.get_untracked()}))>
                    {move || i18n.t(Msg::DeskRenoAddWorker)}
                </button>
            </div>
        }
    });
    // Patrols.
    let patrol_rows = r
        .patrols
        .iter()
        .map(|p| {
            let who = name_of(p.by.0);
            view! {
                <li data-testid="patrol-row" class:violation=p.violation>
                    <span class="mono">{china_time(p.at)}</span> " " {who} " · " {p.findings.clone()}
                    {p.violation.then(|| view! { " " <span class="tag overdue">{move || i18n.t(Msg::DeskRenoViolationTag)}</span> })}
                </li>
            }
        })
        .collect_view();
    let no_patrols = r.patrols.is_empty();
    let patrol_form = (under_way && patrol_role(role)).then(|| {
        let findings = RwSignal::new(String::new());
        let violation = RwSignal::new(false);
        view! {
            <div class="desk-inline-form">
                <input data-testid="patrol-findings" bind:value=findings placeholder=move || i18n.t(Msg::DeskRenoFindings) />
                <label class="choice"><input type="checkbox" data-testid="patrol-violation" bind:checked=violation />
                    <span>{move || i18n.t(Msg::DeskRenoViolation)}</span></label>
                <button type="button" class="button" data-testid="patrol-record"
                    on:click=move |_| send(serde_json::json!({"type": "patrol", "record_id": Uuid::now_v7(),
                        "findings": findings.get_untracked(), "violation": violation.get_untracked()}))>
                    {move || i18n.t(Msg::DeskRenoRecordPatrol)}
                </button>
            </div>
        }
    });
    // Extension.
    let deadline = v.extension_deadline.to_string();
    let extension = (under_way && desk_role(role)).then(|| {
        let new_end = RwSignal::new(String::new());
        let reason = RwSignal::new(String::new());
        let deadline = deadline.clone();
        view! {
            <div class="card desk-step" data-testid="reno-extension">
                <h2>{move || i18n.t(Msg::DeskRenoExtension)}</h2>
                <p class="muted small">{move || i18n.tf(Msg::DeskRenoExtensionHint, &[("date", deadline.clone())])}</p>
                <label><span>{move || i18n.t(Msg::DeskRenoNewEnd)}</span><input type="date" data-testid="reno-new-end" bind:value=new_end /></label>
                <label><span>{move || i18n.t(Msg::DeskReason)}</span><input data-testid="reno-extend-reason" bind:value=reason /></label>
                <button type="button" class="button" data-testid="reno-extend"
                    on:click=move |_| send(serde_json::json!({"type": "extend", "new_end": new_end.get_untracked(), "reason": reason.get_untracked()}))>
                    {move || i18n.t(Msg::DeskRenoExtend)}
                </button>
            </div>
        }
    });
    let extensions = r
        .extensions
        .iter()
        .map(|e| {
            let (from, to) = (e.from.to_string(), e.to.to_string());
            view! { <p class="muted">{move || i18n.tf(Msg::DeskRenoExtended, &[("from", from.clone()), ("to", to.clone())])}</p> }
        })
        .collect_view();
    // Completion inspection.
    let inspection = (status == RenovationStatus::CompletionRequested && eng_role(role)).then(|| {
        let eng_pad = Pad::new();
        let owner_pad = Pad::new();
        let owner = RwSignal::new(r.applicant.clone());
        let note = RwSignal::new(String::new());
        let sign = move |_| {
            leptos::task::spawn_local(async move {
                let e = eng_pad.export().await;
                let o = owner_pad.export().await;
                match (e, o) {
                    (Ok(e), Ok(o)) => {
                        crate::offline::client::sync_now();
                        send(serde_json::json!({"type": "inspect", "engineer_signature": e,
                            "owner_name": owner.get_untracked(), "owner_signature": o,
                            "note": note.get_untracked()}));
                    }
                    (Err(err), _) | (_, Err(err)) => message.set(Some((false, err.text(i18n)))),
                }
            });
        };
        view! {
            <div class="card desk-step" data-testid="reno-inspection">
                <h2>{move || i18n.t(Msg::DeskRenoInspection)}</h2>
                <label><span>{move || i18n.t(Msg::DeskNote)}</span><input data-testid="reno-inspect-note" bind:value=note /></label>
                <div data-testid="engineer-pad"><SignaturePad pad=eng_pad label=Msg::DeskRenoEngineerSign /></div>
                <label><span>{move || i18n.t(Msg::DeskRenoOwnerName)}</span><input data-testid="reno-owner-name" bind:value=owner /></label>
                <div data-testid="owner-pad"><SignaturePad pad=owner_pad label=Msg::DeskRenoOwnerSign /></div>
                <button type="button" class="button primary" data-testid="reno-inspect" on:click=sign>
                    {move || i18n.t(Msg::DeskRenoInspect)}
                </button>
            </div>
        }
    });
    let history = r
        .history
        .iter()
        .map(|h| {
            let who = name_of(h.by.0);
            view! { <li><span class="mono">{china_time(h.at)}</span> " " {who} " · " {h.action.clone()} " " {h.note.clone()}</li> }
        })
        .collect_view();
    view! {
        <h1>{move || i18n.t(Msg::DeskRenoTitle)} " · " {v.unit_label.clone()}</h1>
        <dl class="desk-facts">
            <dt>{move || i18n.t(Msg::DeskStatus)}</dt>
            <dd data-testid="reno-status" data-status=status.code()>{move || i18n.t(status_msg(status))}
                {(status == RenovationStatus::Applied).then(|| {
                    let due = due.clone();
                    view! {
                        " " <span data-testid="reno-review-due" class=if overdue { "tag overdue" } else { "tag" }>
                            {move || if overdue {
                                i18n.tf(Msg::DeskRenoReviewOverdue, &[("date", due.clone())])
                            } else {
                                i18n.tf(Msg::DeskRenoReviewDue, &[("date", due.clone())])
                            }}
                        </span>
                    }
                })}
            </dd>
            <dt>{move || i18n.t(Msg::DeskRenoApplicant)}</dt>
            <dd>{r.applicant.clone()} " " <span class="mono">{v.applicant_phone_masked.clone()}</span></dd>
            <dt>{move || i18n.t(Msg::DeskRenoCompany)}</dt>
            <dd>{r.company.clone()} " · " {r.scope.clone()}</dd>
            <dt>{move || i18n.t(Msg::DeskRenoDocuments)}</dt>
            <dd>{r.documents.iter().map(|d| { let m = doc_msg(d.document); view! { <span class="tag">{move || i18n.t(m)}</span> " " } }).collect_view()}</dd>
            <dd>{move || i18n.tf(Msg::DeskRenoPeriod, &[("start", r.planned_start.to_string()), ("end", r.declared_end.to_string())])}</dd>
            {(r.deposit.0 > 0).then(|| {
                let (d, f) = (yuan(r.deposit), yuan(r.fees));
                view! { <dd data-testid="reno-fees-line">{move || i18n.tf(Msg::DeskRenoFeesLine, &[("deposit", d.clone()), ("fees", f.clone())])}</dd> }
            })}
            {r.paid_at.map(|t| view! { <dd>{move || i18n.tf(Msg::DeskRenoPaidAt, &[("at", china_time(t))])}</dd> })}
            {r.permit_number.clone().map(|n| view! { <dd data-testid="reno-permit">{move || i18n.tf(Msg::DeskRenoPermit, &[("number", n.clone())])}</dd> })}
            {r.inspection.clone().map(|x| view! { <dd>{move || i18n.tf(Msg::DeskRenoInspected, &[("at", china_time(x.at)), ("owner", x.owner_name.clone())])}</dd> })}
            {r.refunded_at.map(|t| view! { <dd data-testid="reno-refunded">{move || i18n.tf(Msg::DeskRenoRefunded, &[("at", china_time(t))])}</dd> })}
        </dl>
        {message_view(message)}
        {review}
        {fees}
        <div class="desk-actions">{pay}{permit}{completion}{refund}</div>
        {(under_way || matches!(status, RenovationStatus::Inspected | RenovationStatus::Refunded) || !no_workers).then(|| view! {
            <section class="card desk-step">
                <h2>{move || i18n.t(Msg::DeskRenoWorkers)}</h2>
                {no_workers.then(|| view! { <p class="empty">{move || i18n.t(Msg::DeskRenoNoWorkers)}</p> })}
                <ul class="desk-list">{workers_list}</ul>
                {add_worker}
            </section>
        })}
        <section class="card desk-step" data-testid="reno-patrols">
            <h2>{move || i18n.t(Msg::DeskRenoPatrols)}</h2>
            <p class="muted small">{move || i18n.t(Msg::DeskRenoPatrolHint)}</p>
            {no_patrols.then(|| view! { <p class="empty">{move || i18n.t(Msg::DeskRenoNoPatrols)}</p> })}
            <ul class="desk-list">{patrol_rows}</ul>
            {patrol_form}
        </section>
        {extensions}
        {extension}
        {inspection}
        <h2>{move || i18n.t(Msg::DeskRenoHistory)}</h2>
        <ul class="desk-history">{history}</ul>
    }
}

#[cfg(test)]
mod tests {
    use super::parse_yuan;

    #[test]
    fn yuan_amounts() {
        assert_eq!(parse_yuan("2000"), Some(200_000));
        assert_eq!(parse_yuan("350.5"), Some(35_050));
        assert_eq!(parse_yuan("0.05"), Some(5));
        assert_eq!(parse_yuan("1.234"), None);
        assert_eq!(parse_yuan("abc"), None);
    }
}
