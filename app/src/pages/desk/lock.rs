//! `/desk/lock-openings` and `/desk/lock-openings/:id`: 撬锁 (S0 第2篇). Identity is checked
//! against the archive, the 委托书 is signed with the document copy photographed, a tenant's
//! owner consents, then the order goes to engineering: 《有偿服务单》 from the 物业部 in office
//! hours, 《报修或投诉处理单》 from the 保安部 after them.

use super::{first_site, message_view, PhotoInput, UnitPicker};
use crate::api;
use crate::i18n::{resident_role_msg, use_i18n, I18n, Msg};
use crate::pages::patrol::PatrolGuard;
use crate::pages::privacy::{refusal_text, RevealId};
use crate::pages::repairs::{china_time, now};
use crate::pages::signature::{Pad, SignaturePad};
use domain::desk::lock_opening::{
    ConsentMethod, Department, DocumentType, LockOpeningStatus, OrderForm,
};
use domain::desk::views::{DeskSettings, LockOpeningSummary, LockOpeningView, UnitResidents};
use domain::people::Role;
use domain::privacy::RevealKind;
use domain::reference::{ResidentRole, UnitCard};
use domain::sync::wire::BlobRef;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

fn lock_roles(role: Role) -> bool {
    matches!(
        role,
        Role::Desk | Role::CsMgr | Role::CenterMgr | Role::Security | Role::EngMgr | Role::Admin
    )
}

pub fn document_msg(d: DocumentType) -> Msg {
    match d {
        DocumentType::IdCard => Msg::DeskDocIdCard,
        DocumentType::DrivingLicence => Msg::DeskDocDrivingLicence,
        DocumentType::PurchaseContract => Msg::DeskDocPurchaseContract,
        DocumentType::LeaseContract => Msg::DeskDocLeaseContract,
    }
}

fn status_msg(s: LockOpeningStatus) -> Msg {
    match s {
        LockOpeningStatus::IdentityVerified => Msg::DeskLockStatusIdentityVerified,
        LockOpeningStatus::EntrustmentSigned => Msg::DeskLockStatusEntrustmentSigned,
        LockOpeningStatus::Dispatched => Msg::DeskLockStatusDispatched,
    }
}

fn status_code_msg(s: &str) -> Option<Msg> {
    Some(status_msg(match s {
        "identity_verified" => LockOpeningStatus::IdentityVerified,
        "entrustment_signed" => LockOpeningStatus::EntrustmentSigned,
        "dispatched" => LockOpeningStatus::Dispatched,
        _ => return None,
    }))
}

fn department_msg(d: Department) -> Msg {
    match d {
        Department::Property => Msg::DeskLockDepartmentProperty,
        Department::Security => Msg::DeskLockDepartmentSecurity,
    }
}

fn form_msg(f: OrderForm) -> Msg {
    match f {
        OrderForm::PaidService => Msg::DeskLockFormPaidService,
        OrderForm::RepairTicket => Msg::DeskLockFormRepairTicket,
    }
}

fn hours_line(i18n: I18n, s: &DeskSettings) -> String {
    let args = [
        ("start", s.office_hours.start.format("%H:%M").to_string()),
        ("end", s.office_hours.end.format("%H:%M").to_string()),
    ];
    if s.in_office_hours {
        i18n.tf(Msg::DeskLockOfficeHours, &args)
    } else {
        i18n.tf(Msg::DeskLockAfterHours, &args)
    }
}

#[component]
pub fn LockOpeningsPage() -> impl IntoView {
    view! {
        <PatrolGuard allow=lock_roles>
            <LockOpenings />
        </PatrolGuard>
    }
}

#[component]
fn LockOpenings() -> impl IntoView {
    let i18n = use_i18n();
    let site = first_site();
    let settings = {
        let site = site.clone();
        LocalResource::new(move || {
            let url = format!("/api/v1/sites/{site}/desk/settings");
            async move { api::get_json::<DeskSettings>(&url).await }
        })
    };
    let list = {
        let site = site.clone();
        LocalResource::new(move || {
            let url = format!("/api/v1/sites/{site}/lock-openings");
            async move { api::get_json::<Vec<LockOpeningSummary>>(&url).await }
        })
    };
    view! {
        <section class="desk-lock" id="lock-openings">
            <h1>{move || i18n.t(Msg::DeskLockTitle)}</h1>
            <p class="muted">{move || i18n.t(Msg::DeskLockHint)}</p>
            <p class="desk-hours" data-testid="office-hours">
                {move || settings.get().and_then(|r| r.ok()).map(|s| hours_line(i18n, &s))}
            </p>
            <NewLockOpening site=site.clone() />
            <h2>{move || i18n.t(Msg::DeskLockList)}</h2>
            {move || match list.get() {
                None => view! { <p class="muted">{move || i18n.t(Msg::DeskLoading)}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="form-error">{refusal_text(i18n, &e)}</p> }.into_any(),
                Some(Ok(l)) if l.is_empty() => view! { <p class="empty">{move || i18n.t(Msg::DeskLockNone)}</p> }.into_any(),
                Some(Ok(l)) => view! {
                    <ul class="desk-list">
                        {l.into_iter().map(|x| {
                            let href = format!("/desk/lock-openings/{}", x.id);
                            let role = x.requester;
                            let st = x.status.clone();
                            view! {
                                <li>
                                    <a href=href data-testid="lock-row">
                                        <strong>{x.unit_label}</strong>
                                        " " {x.resident_name}
                                        " " <span class="tag">{move || i18n.t(resident_role_msg(role))}</span>
                                        " " <span class="tag">{move || status_code_msg(&st).map(|m| i18n.t(m)).unwrap_or_default()}</span>
                                        " " <span class="muted">{china_time(x.verified_at)}</span>
                                        " " <span class="mono">{x.order_number.unwrap_or_default()}</span>
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
fn NewLockOpening(site: String) -> impl IntoView {
    let i18n = use_i18n();
    let unit = RwSignal::new(None::<UnitCard>);
    let residents = LocalResource::new(move || {
        let u = unit.get().map(|u| u.id);
        async move {
            match u {
                Some(u) => Some(
                    api::get_json::<UnitResidents>(&format!("/api/v1/units/{u}/residents")).await,
                ),
                None => None,
            }
        }
    });
    let who = RwSignal::new(None::<Uuid>);
    let docs = RwSignal::new(Vec::<DocumentType>::new());
    let number = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let message = RwSignal::new(None::<(bool, String)>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(u), Some(r)) = (unit.get_untracked(), who.get_untracked()) else {
            return;
        };
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let body = serde_json::json!({
            "id": Uuid::now_v7(),
            "unit_id": u.id,
            "resident_id": r,
            "documents": docs.get_untracked(),
            "id_number": number.get_untracked(),
            "reason": reason.get_untracked(),
        });
        let url = format!("/api/v1/sites/{site}/lock-openings");
        leptos::task::spawn_local(async move {
            let r = api::post_json::<LockOpeningView>(&url, &body).await;
            busy.set(false);
            match r {
                Ok(v) => {
                    #[cfg(feature = "hydrate")]
                    crate::browser::go(&format!("/desk/lock-openings/{}", v.record.id));
                    #[cfg(not(feature = "hydrate"))]
                    let _ = v;
                }
                Err(e) => message.set(Some((false, refusal_text(i18n, &e)))),
            }
        });
    };
    view! {
        <form class="card desk-form" data-testid="lock-new" on:submit=submit>
            <h2>{move || i18n.t(Msg::DeskLockNew)}</h2>
            <UnitPicker site=first_site() picked=unit />
            {move || residents.get().flatten().map(|r| match r {
                Err(e) => view! { <p class="form-error">{refusal_text(i18n, &e)}</p> }.into_any(),
                Ok(r) if r.residents.is_empty() => view! { <p class="empty">{move || i18n.t(Msg::DeskNoResidents)}</p> }.into_any(),
                Ok(r) => view! {
                    <fieldset>
                        <legend>{move || i18n.t(Msg::DeskLockWho)} " · " {r.label.clone()}</legend>
                        {r.residents.into_iter().map(|p| {
                            let id = p.id.0;
                            let role = p.role;
                            let masked = p.id_card_masked.clone();
                            view! {
                                <label class="choice" data-testid="resident-choice">
                                    <input type="radio" name="lock-who" on:change=move |_| who.set(Some(id)) />
                                    <span>{p.name.clone()}</span>
                                    <span class="tag">{move || i18n.t(resident_role_msg(role))}</span>
                                    {match masked {
                                        Some(m) => view! { <RevealId kind=RevealKind::ResidentIdCard id masked=m /> }.into_any(),
                                        None => view! { <span class="muted">{move || i18n.t(Msg::DeskNoIdOnFile)}</span> }.into_any(),
                                    }}
                                </label>
                            }
                        }).collect_view()}
                    </fieldset>
                }.into_any(),
            })}
            <fieldset>
                <legend>{move || i18n.t(Msg::DeskLockDocuments)}</legend>
                <p class="muted small">{move || i18n.t(Msg::DeskLockDocumentsHint)}</p>
                {DocumentType::ALL.into_iter().map(|d| {
                    let toggle = move |ev: leptos::ev::Event| {
                        let on = event_target_checked(&ev);
                        docs.update(|v| {
                            v.retain(|x| *x != d);
                            if on {
                                v.push(d);
                            }
                        });
                    };
                    view! {
                        <label class="choice">
                            <input type="checkbox" data-testid=format!("doc-{}", serde_json::to_value(d).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()) on:change=toggle />
                            <span>{move || i18n.t(document_msg(d))}</span>
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <label>
                <span>{move || i18n.t(Msg::DeskLockIdNumber)}</span>
                <input data-testid="lock-id-number" class="mono" autocomplete="off" maxlength="18" bind:value=number />
            </label>
            <label>
                <span>{move || i18n.t(Msg::DeskReason)}</span>
                <input data-testid="lock-reason" bind:value=reason placeholder=move || i18n.t(Msg::DeskLockReasonPlaceholder) />
            </label>
            {message_view(message)}
            <button type="submit" class="button primary" data-testid="lock-verify"
                disabled=move || busy.get() || unit.get().is_none() || who.get().is_none()>
                {move || i18n.t(Msg::DeskLockVerify)}
            </button>
        </form>
    }
}

#[component]
pub fn LockOpeningPage() -> impl IntoView {
    view! {
        <PatrolGuard allow=lock_roles>
            <LockOpeningDetail />
        </PatrolGuard>
    }
}

#[component]
fn LockOpeningDetail() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let current = RwSignal::new(None::<LockOpeningView>);
    let error = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let id = id.get();
        leptos::task::spawn_local(async move {
            match api::get_json::<LockOpeningView>(&format!("/api/v1/lock-openings/{id}")).await {
                Ok(v) => current.set(Some(v)),
                Err(e) => error.set(Some(refusal_text(i18n, &e))),
            }
        });
    });
    view! {
        <section class="desk-lock" id="lock-opening">
            <a class="back" href="/desk/lock-openings">"‹ " {move || i18n.t(Msg::DeskLockList)}</a>
            {move || error.get().map(|e| view! { <p class="form-error">{e}</p> })}
            {move || match current.get() {
                None => view! { <p class="muted">{move || i18n.t(Msg::DeskLoading)}</p> }.into_any(),
                Some(v) => view! { <LockBody v current /> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn LockBody(v: LockOpeningView, current: RwSignal<Option<LockOpeningView>>) -> impl IntoView {
    let i18n = use_i18n();
    let r = v.record.clone();
    let status = r.status;
    let role = r.requester;
    let dept = r.department;
    let docs = r
        .documents
        .iter()
        .map(|d| document_msg(*d))
        .collect::<Vec<_>>();
    let id = r.id;
    let message = RwSignal::new(None::<(bool, String)>);
    let busy = RwSignal::new(false);
    let send = move |body: serde_json::Value| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let r = api::post_json::<LockOpeningView>(
                &format!("/api/v1/lock-openings/{id}/steps"),
                &body,
            )
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
    let entrustment = (status == LockOpeningStatus::IdentityVerified)
        .then(|| view! { <EntrustmentStep send message /> });
    let consent = (role == ResidentRole::Tenant && status != LockOpeningStatus::Dispatched)
        .then(|| view! { <ConsentStep unit=r.unit_id.0 send /> });
    let consent_done = r.owner_consent.clone().map(|c| {
        let method = match c.method {
            ConsentMethod::Phone => Msg::DeskLockMethodPhone,
            ConsentMethod::InPerson => Msg::DeskLockMethodInPerson,
        };
        let at = china_time(c.consented_at);
        view! {
            <p class="form-ok" data-testid="consent-done">
                {move || i18n.tf(Msg::DeskLockConsentDone, &[
                    ("name", c.owner_name.clone()),
                    ("method", i18n.t(method).to_owned()),
                    ("at", at.clone()),
                ])}
            </p>
        }
    });
    let signed = r.entrustment.clone().map(|e| {
        let at = china_time(e.signed_at);
        view! { <p class="form-ok">{move || i18n.tf(Msg::DeskLockSignedAt, &[("at", at.clone())])}</p> }
    });
    // Security acts only after hours, the desk only in them: the form follows who acts.
    let dispatch_label = if crate::frame::use_profile().is_some_and(|p| p.role == Role::Security) {
        Msg::DeskLockDispatchTicket
    } else {
        Msg::DeskLockDispatchPaid
    };
    let dispatch = (status != LockOpeningStatus::Dispatched).then(|| {
        let click = move |_| {
            send(serde_json::json!({"type": "dispatch", "work_order_id": Uuid::now_v7()}));
        };
        view! {
            <button type="button" class="button primary" data-testid="lock-dispatch" on:click=click
                disabled=move || busy.get()>
                {move || i18n.t(dispatch_label)}
            </button>
        }
    });
    let order = v.order.clone().zip(r.form).map(|(o, form)| {
        let href = format!("/repairs/{}", o.id);
        let number = o.number.clone();
        view! {
            <p class="form-ok" data-testid="lock-order">
                {move || i18n.tf(Msg::DeskLockDispatched, &[
                    ("form", i18n.t(form_msg(form)).to_owned()),
                    ("number", number.clone()),
                ])}
                " " <a href=href data-testid="lock-order-link">{move || i18n.t(Msg::DeskLockOpenOrder)}</a>
            </p>
        }
    });
    view! {
        <h1>{move || i18n.t(Msg::DeskLockTitle)} " · " {v.unit_label.clone()}</h1>
        <dl class="desk-facts">
            <dt>{move || i18n.t(Msg::DeskLockRequester)}</dt>
            <dd>{r.resident_name.clone()} " " <span class="tag">{move || i18n.t(resident_role_msg(role))}</span>
                " " <span class="mono">{r.id_card_masked.clone()}</span></dd>
            <dt>{move || i18n.t(Msg::DeskLockDocuments)}</dt>
            <dd>{docs.into_iter().map(|m| view! { <span class="tag">{move || i18n.t(m)}</span> " " }).collect_view()}</dd>
            <dt>{move || i18n.t(Msg::DeskLockVerifiedBy)}</dt>
            <dd>{v.verified_by_name.clone()} " · " {move || i18n.t(department_msg(dept))} " · " {china_time(r.verified_at)}</dd>
            <dt>{move || i18n.t(Msg::DeskStatus)}</dt>
            <dd data-testid="lock-status" data-status=status.code()>{move || i18n.t(status_msg(status))}</dd>
        </dl>
        {signed}
        {entrustment}
        {consent_done}
        {consent}
        {message_view(message)}
        {dispatch}
        {order}
    }
}

#[component]
fn EntrustmentStep(
    send: impl Fn(serde_json::Value) + Copy + Send + Sync + 'static,
    message: RwSignal<Option<(bool, String)>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let photo = RwSignal::new(None::<BlobRef>);
    let pad = Pad::new();
    let sign = move |_| {
        let Some(p) = photo.get_untracked() else {
            message.set(Some((false, i18n.t(Msg::DeskErrPhotoMissing).to_owned())));
            return;
        };
        leptos::task::spawn_local(async move {
            match pad.export().await {
                Ok(sig) => {
                    crate::offline::client::sync_now();
                    send(serde_json::json!({
                        "type": "sign_entrustment", "signature": sig, "document_photo": p,
                    }));
                }
                Err(e) => message.set(Some((false, e.text(i18n)))),
            }
        });
    };
    view! {
        <div class="card desk-step" data-testid="entrustment-step">
            <h2>{move || i18n.t(Msg::DeskLockEntrustment)}</h2>
            <p class="muted small">{move || i18n.t(Msg::DeskLockEntrustmentHint)}</p>
            <PhotoInput photo label=Msg::DeskLockDocumentPhoto testid="entrustment-photo" />
            <SignaturePad pad label=Msg::DeskLockSignLabel />
            <button type="button" class="button primary" data-testid="entrustment-sign" on:click=sign>
                {move || i18n.t(Msg::DeskLockSign)}
            </button>
        </div>
    }
}

#[component]
fn ConsentStep(
    unit: Uuid,
    send: impl Fn(serde_json::Value) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let owners = LocalResource::new(move || async move {
        api::get_json::<UnitResidents>(&format!("/api/v1/units/{unit}/residents")).await
    });
    let owner = RwSignal::new(None::<Uuid>);
    let method = RwSignal::new(ConsentMethod::Phone);
    let record = move |_| {
        let Some(o) = owner.get_untracked() else {
            return;
        };
        send(serde_json::json!({
            "type": "record_owner_consent", "owner_id": o, "method": method.get_untracked(),
            "consented_at": now(),
        }));
    };
    view! {
        <div class="card desk-step" data-testid="consent-step">
            <h2>{move || i18n.t(Msg::DeskLockConsent)}</h2>
            <p class="muted small">{move || i18n.t(Msg::DeskLockConsentHint)}</p>
            <fieldset>
                <legend>{move || i18n.t(Msg::DeskLockConsentOwner)}</legend>
                {move || owners.get().and_then(|r| r.ok()).map(|r| {
                    r.residents.into_iter().filter(|p| p.role == ResidentRole::Owner).map(|p| {
                        let id = p.id.0;
                        view! {
                            <label class="choice" data-testid="consent-owner">
                                <input type="radio" name="consent-owner" on:change=move |_| owner.set(Some(id)) />
                                <span>{p.name.clone()}</span>
                                {p.phone_masked.clone().map(|m| view! { <RevealId kind=RevealKind::ResidentPhone id masked=m /> })}
                            </label>
                        }
                    }).collect_view()
                })}
            </fieldset>
            <fieldset>
                <legend>{move || i18n.t(Msg::DeskLockConsentMethod)}</legend>
                <label class="choice">
                    <input type="radio" name="consent-method" checked on:change=move |_| method.set(ConsentMethod::Phone) />
                    <span>{move || i18n.t(Msg::DeskLockMethodPhone)}</span>
                </label>
                <label class="choice">
                    <input type="radio" name="consent-method" on:change=move |_| method.set(ConsentMethod::InPerson) />
                    <span>{move || i18n.t(Msg::DeskLockMethodInPerson)}</span>
                </label>
            </fieldset>
            <button type="button" class="button" data-testid="consent-record" on:click=record
                disabled=move || owner.get().is_none()>
                {move || i18n.t(Msg::DeskLockRecordConsent)}
            </button>
        </div>
    }
}
