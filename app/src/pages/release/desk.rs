//! The desk's screens: `/desk/passes` (the site's passes and the new-pass form in the order of
//! S3 篇1: identity check boxes, details, items, owner's opinion, the unit's open bills as
//! finance sees them, the handler's signature), `/desk/passes/:id` (detail, 作废 with a reason,
//! print link) and `/desk/passes/:id/print` (存根联 and 通知联 on one A4 sheet, cut between).

use super::{china_time, failure_text, items_text, local_time, status_msg, yuan};
use crate::api::{self, ApiFailure};
use crate::frame::{use_profile, Guarded};
use crate::i18n::{use_i18n, Msg};
use crate::offline::use_sync_status;
use crate::pages::detail::{blob_url, route_id};
use crate::pages::signature::{Pad, SignaturePad};
use chrono::NaiveDateTime;
use domain::access::Area;
use domain::ids::{SiteId, UnitId};
use domain::release::pass::{IdentityCheck, ItemLine, PassDraft, PassStatus};
use domain::release::views::{NewPassRequest, PassView, UnitBills};
use leptos::prelude::*;
use uuid::Uuid;

#[component]
pub fn DeskPassesPage() -> impl IntoView {
    view! {
        <Guarded area=Some(Area::DeskHome)>
            <DeskPasses />
        </Guarded>
    }
}

#[component]
fn DeskPasses() -> impl IntoView {
    let i18n = use_i18n();
    let Some(site) = use_profile().and_then(|p| p.sites.first().map(|s| s.id)) else {
        return ().into_any();
    };
    let reload = RwSignal::new(0u32);
    let list = LocalResource::new(move || {
        reload.track();
        async move {
            api::get_json::<Vec<PassView>>(&format!("/api/v1/sites/{site}/release/passes")).await
        }
    });
    let open = RwSignal::new(false);
    view! {
        <section class="release-desk" data-testid="release-desk">
            <h1>{move || i18n.t(Msg::ReleaseDeskTitle)}</h1>
            <p class="muted small">{move || i18n.t(Msg::ReleaseDeskHint)}</p>
            <Show when=move || open.get()
                fallback=move || view! {
                    <button class="button primary" data-testid="pass-new" on:click=move |_| open.set(true)>
                        {move || i18n.t(Msg::ReleaseNew)}
                    </button>
                }>
                <NewPassForm site on_cancel=Callback::new(move |_| open.set(false)) />
            </Show>
            {move || match list.get() {
                None => view! { <p class="muted">{move || i18n.t(Msg::ReleaseLoading)}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="form-error" data-testid="pass-list-error">{failure_text(i18n, &e)}</p> }.into_any(),
                Some(Ok(passes)) if passes.is_empty() => view! {
                    <p class="empty" data-testid="pass-list-empty">{move || i18n.t(Msg::ReleaseListEmpty)}</p>
                }.into_any(),
                Some(Ok(passes)) => view! {
                    <ul class="pass-list" data-testid="pass-list">
                        {passes.into_iter().map(|v| view! { <PassRow v /> }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
    .into_any()
}

#[component]
fn PassRow(v: PassView) -> impl IntoView {
    let i18n = use_i18n();
    let p = v.pass;
    let href = format!("/desk/passes/{}", p.id);
    let status = p.status;
    view! {
        <li class="pass-row card" data-testid="pass-row" data-number=p.number.clone() data-status=status.code()>
            <a href=href class="pass-link">
                <strong class="mono">{p.number.clone()}</strong>
                <span class=format!("tag pass-{}", status.code())>{move || i18n.t(status_msg(status))}</span>
                <span>{p.unit_label.clone()}</span>
                <span>{p.owner_name.clone()}</span>
                <span class="muted small">{p.mover_name.clone()} " " <span class="mono">{p.mover_id_masked.clone()}</span></span>
                <span class="muted small">{items_text(&p.items)}</span>
                <span class="muted small">{china_time(p.issued_at)}</span>
            </a>
        </li>
    }
}

/// One line of the item table: its signals, and a key for the list.
#[derive(Clone, Copy)]
struct Line {
    key: u32,
    name: RwSignal<String>,
    qty: RwSignal<String>,
}

impl Line {
    fn new(key: u32) -> Line {
        Line {
            key,
            name: RwSignal::new(String::new()),
            qty: RwSignal::new("1".into()),
        }
    }
}

#[component]
fn NewPassForm(site: SiteId, on_cancel: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let st = use_sync_status();
    let reference = LocalResource::new(move || {
        st.data_version.track();
        let ready = st.pending.get().is_some();
        async move {
            if !ready {
                return None;
            }
            crate::offline::client::reference().await
        }
    });
    let units = Memo::new(move |_| {
        reference
            .get()
            .flatten()
            .map(|r| {
                r.units
                    .into_iter()
                    .filter(|u| u.site_id == site)
                    .map(|u| (u.id, u.label))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });
    let unit_text = RwSignal::new(String::new());
    let unit_id = Memo::new(move |_| {
        let t = unit_text.get();
        let t = t.trim();
        units.with(|us| us.iter().find(|(_, l)| l == t).map(|(id, _)| *id))
    });
    let bills_reload = RwSignal::new(0u32);
    let bills = LocalResource::new(move || {
        let u: Option<UnitId> = unit_id.get();
        bills_reload.track();
        async move {
            match u {
                Some(u) => Some(
                    api::get_json::<UnitBills>(&format!("/api/v1/release/units/{u}/bills")).await,
                ),
                None => None,
            }
        }
    });
    let phone_allowed = Memo::new(move |_| {
        bills
            .get()
            .flatten()
            .and_then(|r| r.ok())
            .is_none_or(|b| b.policy.phone_confirmation)
    });
    let owner = RwSignal::new(String::new());
    let tenant = RwSignal::new(String::new());
    let method = RwSignal::new("in_person".to_owned());
    let original_id = RwSignal::new(false);
    let id_number = RwSignal::new(false);
    let family = RwSignal::new(false);
    let employer = RwSignal::new(false);
    let moving_at = RwSignal::new(String::new());
    let mover = RwSignal::new(String::new());
    let mover_id = RwSignal::new(String::new());
    let opinion = RwSignal::new(String::new());
    let next_key = StoredValue::new(1u32);
    let lines = RwSignal::new(vec![Line::new(0)]);
    let add_line = move |_| {
        let k = next_key.get_value();
        next_key.set_value(k + 1);
        lines.update(|ls| ls.push(Line::new(k)));
    };
    let pad = Pad::new();
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    // One id per form: a retried submit answers the pass made the first time.
    let pass_id = StoredValue::new(Uuid::now_v7());

    let submit = move |_| {
        if busy.get_untracked() {
            return;
        }
        error.set(None);
        let lang = i18n.0.get_untracked();
        let Some(unit) = unit_id.get_untracked() else {
            error.set(Some(lang.text(Msg::ReleaseUnitUnknown).to_owned()));
            return;
        };
        let identity = if method.get_untracked() == "phone" {
            IdentityCheck::Phone {
                id_number: id_number.get_untracked(),
                family_members: family.get_untracked(),
                employer: employer.get_untracked(),
            }
        } else {
            IdentityCheck::InPerson {
                original_id: original_id.get_untracked(),
            }
        };
        let Ok(moving) =
            NaiveDateTime::parse_from_str(moving_at.get_untracked().trim(), "%Y-%m-%dT%H:%M")
        else {
            error.set(Some(crate::i18n::fill(
                lang.text(Msg::ReleaseRefusedOther),
                &[("reason", lang.text(Msg::ReleaseMovingAt).to_owned())],
            )));
            return;
        };
        let items: Vec<ItemLine> = lines
            .get_untracked()
            .iter()
            .map(|l| ItemLine {
                name: l.name.get_untracked(),
                quantity: l.qty.get_untracked().trim().parse().unwrap_or(0),
            })
            .collect();
        let fields = (
            owner.get_untracked(),
            tenant.get_untracked(),
            mover.get_untracked(),
            mover_id.get_untracked(),
            opinion.get_untracked(),
        );
        busy.set(true);
        leptos::task::spawn_local(async move {
            let signature = match pad.export().await {
                Ok(b) => b,
                Err(e) => {
                    let _ = error.try_set(Some(e.text(i18n)));
                    let _ = busy.try_set(false);
                    return;
                }
            };
            // The signature travels like every image: the sync engine uploads it.
            crate::offline::client::sync_now();
            wait_uploaded(&signature.sha256).await;
            let (owner_name, tenant_name, mover_name, mover_id_number, owner_opinion) = fields;
            let req = NewPassRequest {
                id: pass_id.get_value(),
                draft: PassDraft {
                    unit_id: unit,
                    owner_name,
                    tenant_name,
                    identity,
                    moving_at: moving,
                    mover_name,
                    mover_id_number,
                    items,
                    owner_opinion,
                    handler_signature: signature,
                },
            };
            let body = serde_json::to_value(&req).unwrap_or_default();
            match api::post_json::<PassView>(&format!("/api/v1/sites/{site}/release/passes"), &body)
                .await
            {
                Ok(v) => {
                    #[cfg(feature = "hydrate")]
                    crate::browser::go(&format!("/desk/passes/{}", v.pass.id));
                    let _ = v;
                }
                Err(e) => {
                    if matches!(&e, ApiFailure::Api { body, .. } if body.code == "unpaid_fees") {
                        bills_reload.update(|n| *n += 1);
                    }
                    let _ = error.try_set(Some(failure_text(i18n, &e)));
                }
            }
            let _ = busy.try_set(false);
        });
    };

    view! {
        <form class="pass-form card" data-testid="pass-form" on:submit=|ev| ev.prevent_default()>
            <h2>{move || i18n.t(Msg::ReleaseNew)}</h2>
            <fieldset>
                <legend>{move || i18n.t(Msg::ReleaseIdentity)}</legend>
                <div class="choice-row">
                    <label><input type="radio" name="identity" value="in_person" data-testid="identity-in-person"
                        prop:checked=move || method.get() == "in_person" on:change=move |_| method.set("in_person".into()) />
                        {move || i18n.t(Msg::ReleaseIdentityInPerson)}</label>
                    <label class:disabled=move || !phone_allowed.get()><input type="radio" name="identity" value="phone" data-testid="identity-phone"
                        disabled=move || !phone_allowed.get()
                        prop:checked=move || method.get() == "phone" on:change=move |_| method.set("phone".into()) />
                        {move || i18n.t(Msg::ReleaseIdentityPhone)}</label>
                </div>
                <Show when=move || !phone_allowed.get()>
                    <p class="muted small" data-testid="phone-not-allowed">{move || i18n.t(Msg::ReleasePhoneNotAllowed)}</p>
                </Show>
                <Show when=move || method.get() == "in_person"
                    fallback=move || view! {
                        <div class="checks" data-testid="phone-checks">
                            <label><input type="checkbox" data-testid="check-id-number" bind:checked=id_number />" □ " {move || i18n.t(Msg::ReleaseCheckIdNumber)}</label>
                            <label><input type="checkbox" data-testid="check-family" bind:checked=family />" □ " {move || i18n.t(Msg::ReleaseCheckFamilyMembers)}</label>
                            <label><input type="checkbox" data-testid="check-employer" bind:checked=employer />" □ " {move || i18n.t(Msg::ReleaseCheckEmployer)}</label>
                            <p class="muted small">{move || i18n.t(Msg::ReleaseIdentityHint)}</p>
                        </div>
                    }>
                    <div class="checks">
                        <label><input type="checkbox" data-testid="check-original-id" bind:checked=original_id />" □ " {move || i18n.t(Msg::ReleaseCheckOriginalId)}</label>
                    </div>
                </Show>
            </fieldset>
            <div class="form-grid">
                <label>
                    <span>{move || i18n.t(Msg::ReleaseUnit)}</span>
                    <input data-testid="pass-unit" list="pass-units" autocomplete="off" bind:value=unit_text
                        placeholder=move || i18n.t(Msg::ReleaseUnitHint) />
                    <datalist id="pass-units">
                        {move || units.get().into_iter().map(|(_, l)| view! { <option value=l.clone()></option> }).collect_view()}
                    </datalist>
                </label>
                <label>
                    <span>{move || i18n.t(Msg::ReleaseOwner)}</span>
                    <input data-testid="pass-owner" autocomplete="off" bind:value=owner />
                </label>
                <label>
                    <span>{move || i18n.t(Msg::ReleaseTenant)}</span>
                    <input data-testid="pass-tenant" autocomplete="off" bind:value=tenant
                        placeholder=move || i18n.t(Msg::ReleaseTenantNone) />
                </label>
                <label>
                    <span>{move || i18n.t(Msg::ReleaseMovingAt)}</span>
                    <input type="datetime-local" data-testid="pass-moving-at" bind:value=moving_at />
                </label>
                <label>
                    <span>{move || i18n.t(Msg::ReleaseMover)}</span>
                    <input data-testid="pass-mover" autocomplete="off" bind:value=mover />
                </label>
                <label>
                    <span>{move || i18n.t(Msg::ReleaseMoverId)}</span>
                    <input data-testid="pass-mover-id" autocomplete="off" inputmode="text" maxlength="18" bind:value=mover_id />
                </label>
            </div>
            <fieldset>
                <legend>{move || i18n.t(Msg::ReleaseItems)}</legend>
                <table class="pass-items">
                    <thead><tr>
                        <th>{move || i18n.t(Msg::ReleaseItemName)}</th>
                        <th>{move || i18n.t(Msg::ReleaseItemQty)}</th>
                        <th></th>
                    </tr></thead>
                    <tbody>
                        <For each=move || lines.get() key=|l| l.key let:l>
                            <tr data-testid="item-line">
                                <td><input data-testid="item-name" autocomplete="off" bind:value=l.name /></td>
                                <td><input data-testid="item-qty" type="number" min="1" max="999" inputmode="numeric" bind:value=l.qty /></td>
                                <td><button type="button" class="button small" on:click=move |_| lines.update(|ls| ls.retain(|x| x.key != l.key))>
                                    {move || i18n.t(Msg::ReleaseRemoveItem)}</button></td>
                            </tr>
                        </For>
                    </tbody>
                </table>
                <button type="button" class="button" data-testid="item-add" on:click=add_line>{move || i18n.t(Msg::ReleaseAddItem)}</button>
            </fieldset>
            <label class="wide-field">
                <span>{move || i18n.t(Msg::ReleaseOpinion)}</span>
                <textarea data-testid="pass-opinion" rows="2" bind:value=opinion
                    placeholder=move || i18n.t(Msg::ReleaseOpinionHint)></textarea>
            </label>
            <fieldset data-testid="pass-fees">
                <legend>{move || i18n.t(Msg::ReleaseFees)}</legend>
                {move || match bills.get().flatten() {
                    None => ().into_any(),
                    Some(Err(e)) => view! { <p class="form-error">{failure_text(i18n, &e)}</p> }.into_any(),
                    Some(Ok(b)) if b.open_bills.is_empty() => view! {
                        <p class="form-ok" data-testid="fees-clear">{move || i18n.t(Msg::ReleaseFeesClear)}</p>
                    }.into_any(),
                    Some(Ok(b)) => {
                        let n = b.open_bills.len();
                        view! {
                            <div class="notice" data-testid="fees-owed">
                                <p>{move || i18n.tf(Msg::ReleaseFeesOwed, &[("n", n.to_string())])}</p>
                                <ul>
                                    {b.open_bills.iter().map(|o| view! {
                                        <li data-testid="open-bill"><span class="mono">{o.number.clone()}</span> " " {yuan(o.amount_fen)}</li>
                                    }).collect_view()}
                                </ul>
                            </div>
                        }.into_any()
                    }
                }}
            </fieldset>
            <SignaturePad pad label=Msg::ReleaseHandlerSign />
            {move || error.get().map(|e| view! { <p class="form-error" data-testid="pass-error" role="alert">{e}</p> })}
            <div class="form-actions">
                <button type="button" class="button primary" data-testid="pass-submit" disabled=move || busy.get() on:click=submit>
                    {move || if busy.get() { i18n.t(Msg::ReleaseSubmitting) } else { i18n.t(Msg::ReleaseSubmit) }}
                </button>
                <button type="button" class="button" on:click=move |_| on_cancel.run(())>{move || i18n.t(Msg::ReleaseCancel)}</button>
            </div>
        </form>
    }
}

/// Waits (a few seconds at most) until the server has the whole image.
async fn wait_uploaded(sha: &str) {
    #[cfg(feature = "hydrate")]
    for _ in 0..40 {
        if let Ok(v) =
            api::get_json::<serde_json::Value>(&format!("/api/sync/v1/blobs/{sha}/status")).await
        {
            if v["complete"].as_bool() == Some(true) {
                return;
            }
        }
        crate::pages::patrol::scan::sleep(250).await;
    }
    let _ = sha;
}

/// The pass of the route, as the server answers it (`None` while there is no id).
type PassLoad = LocalResource<Option<Result<PassView, ApiFailure>>>;

fn use_pass() -> (PassLoad, RwSignal<Option<PassView>>) {
    let id = route_id();
    let fresh = RwSignal::new(None::<PassView>);
    let res = LocalResource::new(move || {
        let id = id.get();
        async move {
            match id {
                Some(id) => {
                    Some(api::get_json::<PassView>(&format!("/api/v1/release/passes/{id}")).await)
                }
                None => None,
            }
        }
    });
    (res, fresh)
}

#[component]
pub fn PassDetailPage() -> impl IntoView {
    view! {
        <Guarded area=Some(Area::DeskHome)>
            <PassDetail />
        </Guarded>
    }
}

#[component]
fn PassDetail() -> impl IntoView {
    let i18n = use_i18n();
    let (res, fresh) = use_pass();
    let current = Memo::new(move |_| fresh.get().map(Ok).or_else(|| res.get().flatten()));
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let void = move |id: Uuid| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let body = serde_json::json!({ "reason": reason.get_untracked() });
        leptos::task::spawn_local(async move {
            match api::post_json::<PassView>(&format!("/api/v1/release/passes/{id}/void"), &body)
                .await
            {
                Ok(v) => {
                    let _ = fresh.try_set(Some(v));
                }
                Err(e) => {
                    let _ = error.try_set(Some(failure_text(i18n, &e)));
                }
            }
            let _ = busy.try_set(false);
        });
    };
    view! {
        <section class="pass-detail" data-testid="pass-detail">
            <a class="back" href="/desk/passes">{move || i18n.t(Msg::ReleaseBack)}</a>
            {move || match current.get() {
                None => view! { <p class="muted">{move || i18n.t(Msg::ReleaseLoading)}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="form-error" data-testid="pass-missing">{failure_text(i18n, &e)}</p> }.into_any(),
                Some(Ok(v)) => {
                    let p = v.pass.clone();
                    let id = p.id;
                    let status = p.status;
                    view! {
                        <h1><span class="mono" data-testid="pass-number">{p.number.clone()}</span> " "
                            <span class=format!("tag pass-{}", status.code()) data-testid="pass-status" data-status=status.code()>
                                {move || i18n.t(status_msg(status))}</span></h1>
                        <PassFields v=v.clone() />
                        {(status == PassStatus::Void).then(|| {
                            let text = i18n.tf(Msg::ReleaseVoided, &[
                                ("name", v.void_by_name.clone().unwrap_or_default()),
                                ("time", p.void_at.map(china_time).unwrap_or_default()),
                                ("reason", p.void_reason.clone()),
                            ]);
                            view! { <p class="notice" data-testid="pass-void-note">{text}</p> }
                        })}
                        {(status == PassStatus::Used).then(|| {
                            let text = i18n.tf(Msg::ReleaseUsedBy, &[
                                ("name", v.used_by_name.clone().unwrap_or_default()),
                                ("time", p.used_at.map(china_time).unwrap_or_default()),
                            ]);
                            view! { <p class="form-ok" data-testid="pass-used-note">{text}</p> }
                        })}
                        <div class="form-actions">
                            <a class="button primary" data-testid="pass-print" href=format!("/desk/passes/{id}/print")>{move || i18n.t(Msg::ReleasePrint)}</a>
                        </div>
                        {(status == PassStatus::Issued).then(|| view! {
                            <div class="card void-box">
                                <label>
                                    <span>{move || i18n.t(Msg::ReleaseVoidReason)}</span>
                                    <input data-testid="void-reason" autocomplete="off" bind:value=reason />
                                </label>
                                <button class="button danger" data-testid="void-submit" disabled=move || busy.get()
                                    on:click=move |_| void(id)>{move || i18n.t(Msg::ReleaseVoidConfirm)}</button>
                            </div>
                        })}
                        {move || error.get().map(|e| view! { <p class="form-error" data-testid="void-error" role="alert">{e}</p> })}
                    }.into_any()
                }
            }}
        </section>
    }
}

/// The pass's fields as a definition list (detail page and both printed parts).
#[component]
fn PassFields(v: PassView) -> impl IntoView {
    let i18n = use_i18n();
    let p = v.pass;
    let identity = match p.identity {
        IdentityCheck::InPerson { original_id } => view! {
            <span data-testid="identity-method">{move || i18n.t(Msg::ReleaseIdentityInPerson)} "："
                {if original_id { "☑ " } else { "☐ " }} {move || i18n.t(Msg::ReleaseCheckOriginalId)}</span>
        }
        .into_any(),
        IdentityCheck::Phone { id_number, family_members, employer } => {
            let b = |x: bool| if x { "☑ " } else { "☐ " };
            view! {
                <span data-testid="identity-method">{move || i18n.t(Msg::ReleaseIdentityPhone)} "："
                    {b(id_number)} {move || i18n.t(Msg::ReleaseCheckIdNumber)} " "
                    {b(family_members)} {move || i18n.t(Msg::ReleaseCheckFamilyMembers)} " "
                    {b(employer)} {move || i18n.t(Msg::ReleaseCheckEmployer)}</span>
            }
            .into_any()
        }
    };
    let sig = blob_url(&p.handler_signature);
    view! {
        <dl class="pass-fields">
            <dt>{move || i18n.t(Msg::ReleaseUnit)}</dt><dd data-testid="pass-unit-label">{p.unit_label.clone()}</dd>
            <dt>{move || i18n.t(Msg::ReleaseOwner)}</dt><dd>{p.owner_name.clone()}</dd>
            <dt>{move || i18n.t(Msg::ReleaseTenant)}</dt><dd>{if p.tenant_name.is_empty() { "—".to_owned() } else { p.tenant_name.clone() }}</dd>
            <dt>{move || i18n.t(Msg::ReleaseIdentity)}</dt><dd>{identity}</dd>
            <dt>{move || i18n.t(Msg::ReleaseIssuedAt)}</dt><dd>{china_time(p.issued_at)}</dd>
            <dt>{move || i18n.t(Msg::ReleaseMovingAt)}</dt><dd>{local_time(p.moving_at)}</dd>
            <dt>{move || i18n.t(Msg::ReleaseMover)}</dt><dd>{p.mover_name.clone()}</dd>
            <dt>{move || i18n.t(Msg::ReleaseMoverId)}</dt><dd class="mono" data-testid="pass-mover-id-masked">{p.mover_id_masked.clone()}</dd>
            <dt>{move || i18n.t(Msg::ReleaseItems)}</dt>
            <dd>
                <table class="pass-items">
                    <thead><tr><th>{move || i18n.t(Msg::ReleaseItemName)}</th><th>{move || i18n.t(Msg::ReleaseItemQty)}</th></tr></thead>
                    <tbody>
                        {p.items.iter().map(|it| view! {
                            <tr data-testid="pass-item"><td>{it.name.clone()}</td><td>{it.quantity}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </dd>
            <dt>{move || i18n.t(Msg::ReleaseOpinion)}</dt><dd>{p.owner_opinion.clone()}</dd>
            <dt>{move || i18n.t(Msg::ReleaseFees)}</dt>
            <dd>{move || i18n.tf(Msg::ReleaseFeesChecked, &[("time", china_time(p.fees_checked_at))])}</dd>
            <dt>{move || i18n.t(Msg::ReleaseHandler)}</dt>
            <dd class="handler">{p.handler_name.clone()} <img class="pass-signature" src=sig alt="" /></dd>
        </dl>
    }
}

#[component]
pub fn PassPrintPage() -> impl IntoView {
    view! {
        <Guarded area=Some(Area::DeskHome)>
            <PassPrint />
        </Guarded>
    }
}

#[component]
fn PassPrint() -> impl IntoView {
    let i18n = use_i18n();
    let (res, _) = use_pass();
    let print = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    view! {
        <section class="print-page pass-print" data-testid="pass-print-page">
            <div class="print-toolbar no-print">
                <button class="button primary" data-testid="print-now" on:click=print>{move || i18n.t(Msg::ReleasePrintNow)}</button>
                {move || res.get().flatten().and_then(|r| r.ok()).map(|v| view! {
                    <a class="button" href=format!("/desk/passes/{}", v.pass.id)>{move || i18n.t(Msg::ReleaseBack)}</a>
                })}
            </div>
            {move || match res.get().flatten() {
                None => view! { <p class="muted">{move || i18n.t(Msg::ReleaseLoading)}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="form-error">{failure_text(i18n, &e)}</p> }.into_any(),
                Some(Ok(v)) => view! {
                    <PassPart v=v.clone() stub=true />
                    <div class="cut-line" aria-hidden="true">"✂ - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - -"</div>
                    <PassPart v stub=false />
                }.into_any(),
            }}
        </section>
    }
}

/// One part of the printed pass: 存根联 (kept, marked 作废 when void) or 通知联 (to the gate,
/// with the QR code the gate scans).
#[component]
fn PassPart(v: PassView, stub: bool) -> impl IntoView {
    let i18n = use_i18n();
    let p = v.pass.clone();
    let part = if stub {
        Msg::ReleaseStub
    } else {
        Msg::ReleaseNotice
    };
    let void = p.status == PassStatus::Void;
    let qr = format!("/api/v1/release/passes/{}/qr.svg", p.id);
    view! {
        <article class="pass-part" data-testid=if stub { "pass-stub" } else { "pass-notice" } class:void=void>
            <header class="pass-part-head">
                <div>
                    <h2>{v.site_name.clone()} " " {move || i18n.t(Msg::ReleasePrintTitle)}</h2>
                    <p class="pass-part-name">{move || i18n.t(part)}</p>
                </div>
                <p class="pass-serial">{move || i18n.t(Msg::ReleaseNumber)} "：" <strong class="mono" data-testid="print-number">{p.number.clone()}</strong></p>
            </header>
            {(stub && void).then(|| view! { <div class="void-mark" data-testid="void-mark">{move || i18n.t(Msg::ReleaseVoidMark)}</div> })}
            <div class="pass-part-body">
                <PassFields v=v.clone() />
                {(!stub).then(|| view! {
                    <figure class="pass-qr">
                        <img src=qr.clone() alt=p.number.clone() data-testid="pass-qr" />
                        <figcaption class="small">{move || i18n.t(Msg::ReleaseQrHint)}</figcaption>
                    </figure>
                })}
            </div>
            <footer class="pass-part-foot">
                <span class="seal-box">{move || i18n.t(Msg::ReleaseSeal)}</span>
                <p class="small muted">{move || i18n.t(Msg::ReleasePrintRule)}</p>
            </footer>
        </article>
    }
}
