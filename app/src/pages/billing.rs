//! `/finance`: the 付款请求书 of a site (requirements §2.15, S1 §六.3). Finance issues the batch
//! (生成付款请求书: every confirmed repair fee not billed yet, one request per household, due by
//! the due day), records payments (银行转账 / 网上支付 / 服务中心收银台 / 上门收费 — never a
//! technician), and sees the unpaid requests past due for door collection (逾期上门收费). One
//! request prints as a letter. Online only: these are the server's records.

use crate::api::{self, ApiFailure};
use crate::frame::{use_profile, Guarded};
use crate::i18n::{use_i18n, I18n, Msg};
use crate::offline::client;
use crate::pages::print::yuan_in_capitals;
use crate::pages::repairs::{china_time, now};
use domain::access::Area;
use domain::session::SiteRef;
use domain::work_orders::policy::BillingPolicy;
use domain::work_orders::sla::china;
use domain::work_orders::views::{PaymentMethod, PaymentRequestView, RunBatchResponse};
use leptos::prelude::*;

pub fn method_msg(m: PaymentMethod) -> Msg {
    match m {
        PaymentMethod::BankTransfer => Msg::OfficePayBankTransfer,
        PaymentMethod::Online => Msg::OfficePayOnline,
        PaymentMethod::CashAtOffice => Msg::OfficePayCashAtOffice,
        PaymentMethod::DoorCollection => Msg::OfficePayDoorCollection,
    }
}

const METHODS: [(PaymentMethod, &str); 4] = [
    (PaymentMethod::BankTransfer, "bank_transfer"),
    (PaymentMethod::Online, "online"),
    (PaymentMethod::CashAtOffice, "cash_at_office"),
    (PaymentMethod::DoorCollection, "door_collection"),
];

fn failure_text(i18n: I18n, e: &ApiFailure) -> String {
    match e {
        ApiFailure::Network => i18n.t(Msg::OfficeOnlineOnly).to_owned(),
        other => i18n.tf(Msg::OfficeServerError, &[("code", other.code())]),
    }
}

#[component]
pub fn FinancePage() -> impl IntoView {
    view! {
        <Guarded area=Some(Area::FinanceHome)>
            <FinanceHome />
        </Guarded>
    }
}

#[component]
fn FinanceHome() -> impl IntoView {
    let i18n = use_i18n();
    let Some(profile) = use_profile() else {
        return ().into_any();
    };
    let name = profile.display_name.clone();
    let sites: Vec<SiteRef> = profile.sites.clone();
    let site = RwSignal::new(sites.first().map(|s| s.id.to_string()).unwrap_or_default());
    let site_name = {
        let sites = sites.clone();
        move || {
            let id = site.get();
            sites
                .iter()
                .find(|s| s.id.to_string() == id)
                .map(|s| s.name.clone())
                .unwrap_or_default()
        }
    };
    let month = RwSignal::new(String::new());
    // This month, by the browser's clock (China time): set after hydration.
    Effect::new(move |_| {
        if month.get_untracked().is_empty() {
            month.set(now().with_timezone(&china()).format("%Y-%m").to_string());
        }
    });
    let reload = RwSignal::new(0u64);
    let requests = LocalResource::new(move || {
        reload.track();
        let site = site.get();
        let month = month.get();
        async move {
            if month.is_empty() || site.is_empty() {
                return None;
            }
            Some(
                api::get_json::<Vec<PaymentRequestView>>(&format!(
                    "/api/v1/sites/{site}/billing/requests?month={month}"
                ))
                .await,
            )
        }
    });
    let overdue = LocalResource::new(move || {
        reload.track();
        let site = site.get();
        async move {
            if site.is_empty() {
                return None;
            }
            Some(
                api::get_json::<Vec<PaymentRequestView>>(&format!(
                    "/api/v1/sites/{site}/billing/requests?overdue=true"
                ))
                .await,
            )
        }
    });
    let reference = LocalResource::new(|| async { client::reference().await });
    let policy_hint = move || {
        let id = site.get();
        let billing = reference
            .get()
            .flatten()
            .and_then(|r| r.policies.into_iter().find(|p| p.site_id.to_string() == id))
            .map(|p| p.policy.billing)
            .unwrap_or(BillingPolicy::S1_MONTHLY);
        match billing {
            BillingPolicy::Monthly { batch_day, due_day } => i18n.tf(
                Msg::OfficeBillingMonthly,
                &[
                    ("batch", batch_day.to_string()),
                    ("due", due_day.to_string()),
                ],
            ),
            BillingPolicy::AtFinance => i18n.t(Msg::OfficeBillingAtFinance).to_owned(),
        }
    };
    let message = RwSignal::new(None::<(bool, String)>);
    let busy = RwSignal::new(false);
    let letter = RwSignal::new(None::<PaymentRequestView>);
    let run = move |_| {
        let s = site.get_untracked();
        if s.is_empty() || busy.get_untracked() {
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let r = api::post_json::<RunBatchResponse>(
                &format!("/api/v1/sites/{s}/billing/batches"),
                &serde_json::json!({}),
            )
            .await;
            busy.set(false);
            match r {
                Ok(b) => {
                    let text = if b.created.is_empty() {
                        i18n.t(Msg::OfficeBatchNothing).to_owned()
                    } else {
                        i18n.tf(
                            Msg::OfficeBatchDone,
                            &[
                                ("n", b.created.len().to_string()),
                                ("due", b.due_on.format("%Y-%m-%d").to_string()),
                            ],
                        )
                    };
                    message.set(Some((true, text)));
                    month.set(b.issued_on.format("%Y-%m").to_string());
                    reload.update(|n| *n += 1);
                }
                Err(e) => message.set(Some((false, failure_text(i18n, &e)))),
            }
        });
    };
    let pay = move |id: uuid::Uuid, method: PaymentMethod| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let r = api::post_json::<serde_json::Value>(
                &format!("/api/v1/billing/requests/{id}/pay"),
                &serde_json::json!({ "method": method }),
            )
            .await;
            busy.set(false);
            match r {
                // An empty answer also means "done"; the reloaded list is the truth.
                Ok(_) | Err(ApiFailure::Decode) => {
                    message.set(Some((true, i18n.t(Msg::OfficePaid).to_owned())))
                }
                Err(e) => message.set(Some((false, failure_text(i18n, &e)))),
            }
            reload.update(|n| *n += 1);
        });
    };
    let several = sites.len() > 1;
    let print = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    let site_name2 = site_name.clone();
    view! {
        <section class=move || if letter.get().is_some() { "home finance printing-letter" } else { "home finance" } id="home" data-area="/finance">
            <h1 id="home-title">{move || i18n.t(Msg::HomeFinanceTitle)}</h1>
            <p class="muted">{move || i18n.tf(Msg::HomeGreeting, &[("name", name.clone())])}</p>
            <div class="card finance-tools">
                <Show when=move || several>
                    <label>
                        <span>{move || i18n.t(Msg::OfficeSite)}</span>
                        <select data-testid="billing-site" bind:value=site>
                            {sites.clone().into_iter().map(|s| view! { <option value=s.id.to_string()>{s.name.clone()}</option> }).collect_view()}
                        </select>
                    </label>
                </Show>
                <p class="muted small" data-testid="billing-policy">{site_name.clone()} " · " {policy_hint}</p>
                <div class="inline">
                    <button class="button primary" data-testid="billing-run" disabled=move || busy.get() on:click=run>
                        {move || i18n.t(Msg::OfficeBatchRun)}
                    </button>
                    <label class="month">
                        <span>{move || i18n.t(Msg::OfficeMonth)}</span>
                        <input type="month" data-testid="billing-month" bind:value=month />
                    </label>
                </div>
                <Show when=move || message.get().is_some()>
                    {move || message.get().map(|(ok, text)| view! {
                        <p class=if ok { "form-ok" } else { "form-error" } data-testid="billing-message" role="status">{text}</p>
                    })}
                </Show>
            </div>

            <section class="requests">
                <h2>{move || i18n.t(Msg::OfficeRequestsTitle)}</h2>
                <Suspense fallback=move || view! { <p class="muted">{move || i18n.t(Msg::OfficeLoading)}</p> }>
                    {move || requests.get().map(|r| match r {
                        None => view! { <p class="muted">{move || i18n.t(Msg::OfficeLoading)}</p> }.into_any(),
                        Some(Err(e)) => view! { <p class="form-error" data-testid="billing-error">{failure_text(i18n, &e)}</p> }.into_any(),
                        Some(Ok(list)) if list.is_empty() => view! {
                            <p class="empty" data-testid="requests-empty">{move || i18n.t(Msg::OfficeRequestsNone)}</p>
                        }.into_any(),
                        Some(Ok(list)) => view! {
                            <ul class="request-list" data-testid="request-list">
                                {list.into_iter().map(|r| view! { <RequestRow r pay letter busy /> }).collect_view()}
                            </ul>
                        }.into_any(),
                    })}
                </Suspense>
            </section>

            <section class="overdue">
                <h2>{move || i18n.t(Msg::OfficeOverdueTitle)}</h2>
                <p class="muted small">{move || i18n.t(Msg::OfficeOverdueHint)}</p>
                <Suspense fallback=move || view! { <p class="muted">{move || i18n.t(Msg::OfficeLoading)}</p> }>
                    {move || overdue.get().map(|r| match r {
                        None => ().into_any(),
                        Some(Err(e)) => view! { <p class="form-error">{failure_text(i18n, &e)}</p> }.into_any(),
                        Some(Ok(list)) => {
                            let today = now().with_timezone(&china()).date_naive();
                            let list: Vec<_> = list.into_iter().filter(|r| r.paid_at.is_none()).collect();
                            view! {
                                <ul class="overdue-list" data-testid="overdue-list">
                                    {list.is_empty().then(|| view! { <li class="muted" data-testid="overdue-empty">{move || i18n.t(Msg::OfficeOverdueNone)}</li> })}
                                    {list.into_iter().map(|r| {
                                        let days = (today - r.due_on).num_days().max(0);
                                        let id = r.id;
                                        view! {
                                            <li class="overdue-request" data-testid="overdue-request" data-unit=r.unit_label.clone() data-id=r.id.to_string()>
                                                <strong>{r.unit_label.clone()}</strong>
                                                <span>{r.payer_name.clone()}</span>
                                                <span class="mono">{r.number.clone()}</span>
                                                <span class="amount">{r.total.to_string()}</span>
                                                <span class="tag alert">{move || i18n.tf(Msg::OfficeOverdueDays, &[("due", r.due_on.format("%m-%d").to_string()), ("n", days.to_string())])}</span>
                                                <button class="button" data-testid="overdue-pay" disabled=move || busy.get()
                                                    on:click=move |_| pay(id, PaymentMethod::DoorCollection)>
                                                    {move || i18n.t(Msg::OfficeDoorCollected)}
                                                </button>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }
                    })}
                </Suspense>
            </section>

            {move || letter.get().map(|r| {
                let site_name = site_name2();
                view! { <RequestLetter r site_name letter print /> }
            })}
        </section>
    }
    .into_any()
}

#[component]
fn RequestRow(
    r: PaymentRequestView,
    pay: impl Fn(uuid::Uuid, PaymentMethod) + Copy + Send + Sync + 'static,
    letter: RwSignal<Option<PaymentRequestView>>,
    busy: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let method = RwSignal::new("bank_transfer".to_owned());
    let id = r.id;
    let paid = r.paid_at.is_some();
    let r2 = r.clone();
    view! {
        <li class=if r.overdue { "card payment-request overdue" } else { "card payment-request" }
            data-testid="payment-request" data-unit=r.unit_label.clone() data-id=r.id.to_string()
            data-paid=paid.to_string() data-overdue=r.overdue.to_string()>
            <div class="order-head">
                <strong class="number mono" data-testid="request-number">{r.number.clone()}</strong>
                <span class="unit">{r.unit_label.clone()}</span>
                <span>{r.payer_name.clone()}</span>
                {r.overdue.then(|| view! { <span class="tag alert">{move || i18n.t(Msg::OfficeOverdue)}</span> })}
            </div>
            <ul class="request-lines">
                {r.lines.iter().map(|l| view! {
                    <li>
                        <span class="mono">{l.order_number.clone()}</span> " "
                        {l.description.clone()}
                        <span class="muted small">" · " {china_time(l.closed_at)}</span>
                        <span class="amount">{l.amount.to_string()}</span>
                    </li>
                }).collect_view()}
            </ul>
            <p class="request-sum">
                {move || i18n.t(Msg::OfficeTotal)} " " <strong data-testid="request-total" data-fen=r.total.0.to_string()>{r.total.to_string()}</strong>
                <span class="muted small">
                    " · " {move || i18n.tf(Msg::OfficeIssuedDue, &[
                        ("issued", r.issued_on.format("%Y-%m-%d").to_string()),
                        ("due", r.due_on.format("%Y-%m-%d").to_string()),
                    ])}
                </span>
            </p>
            {match (r.paid_at, r.paid_method) {
                (Some(at), m) => view! {
                    <p class="form-ok" data-testid="request-paid">
                        {move || i18n.t(Msg::OfficePaid)} " · "
                        {move || m.map(|m| i18n.t(method_msg(m)).to_owned()).unwrap_or_default()} " · "
                        {china_time(at)}
                        {r.paid_by.clone().map(|b| format!(" · {b}"))}
                    </p>
                }.into_any(),
                (None, _) => view! {
                    <div class="inline">
                        <select data-testid="pay-method" bind:value=method>
                            {METHODS.into_iter().map(|(m, code)| view! { <option value=code>{move || i18n.t(method_msg(m))}</option> }).collect_view()}
                        </select>
                        <button class="button primary" data-testid="pay-submit" disabled=move || busy.get() on:click=move |_| {
                            let code = method.get_untracked();
                            if let Some((m, _)) = METHODS.iter().find(|(_, c)| *c == code) {
                                pay(id, *m);
                            }
                        }>{move || i18n.t(Msg::OfficeMarkPaid)}</button>
                    </div>
                }.into_any(),
            }}
            <button class="link" data-testid="request-print" on:click=move |_| letter.set(Some(r2.clone()))>
                {move || i18n.t(Msg::OfficePrintRequest)}
            </button>
        </li>
    }
}

/// One 付款请求书 as a letter to the household, for printing.
#[component]
fn RequestLetter(
    r: PaymentRequestView,
    site_name: String,
    letter: RwSignal<Option<PaymentRequestView>>,
    print: impl Fn(leptos::ev::MouseEvent) + Copy + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let capitals = yuan_in_capitals(r.total);
    let due = r.due_on.format("%Y年%m月%d日").to_string();
    view! {
        <section class="card request-letter" data-testid="payment-request-print" data-id=r.id.to_string()>
            <div class="no-print inline">
                <button class="button primary" data-testid="request-print-now" on:click=print>{move || i18n.t(Msg::OfficePrintNow)}</button>
                <button class="button" on:click=move |_| letter.set(None)>{move || i18n.t(Msg::OfficeClose)}</button>
            </div>
            <h2 class="letter-title">{move || i18n.t(Msg::OfficeRequestTitle)}</h2>
            <p class="right mono">{move || i18n.t(Msg::OfficeRequestNumber)} " " {r.number.clone()}</p>
            <p>{move || i18n.tf(Msg::OfficeLetterTo, &[("unit", r.unit_label.clone()), ("name", r.payer_name.clone())])}</p>
            <p>{move || i18n.tf(Msg::OfficeLetterBody, &[("due", due.clone())])}</p>
            <table class="lines">
                <thead><tr>
                    <th>{move || i18n.t(Msg::OfficeLetterOrder)}</th>
                    <th>{move || i18n.t(Msg::OfficeLetterItem)}</th>
                    <th>{move || i18n.t(Msg::OfficeFinishedAt)}</th>
                    <th class="num">{move || i18n.t(Msg::OfficeLineAmount)}</th>
                </tr></thead>
                <tbody>
                    {r.lines.iter().map(|l| view! {
                        <tr>
                            <td class="mono">{l.order_number.clone()}</td>
                            <td>{l.description.clone()}</td>
                            <td>{china_time(l.closed_at)}</td>
                            <td class="num">{l.amount.to_string()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <p class="print-total">
                {move || i18n.t(Msg::OfficeTotal)} " " <strong>{r.total.to_string()}</strong>
                "　" {move || i18n.t(Msg::OfficeCapitals)} " " <strong data-testid="request-total-capitals">{capitals.clone()}</strong>
            </p>
            <p>{move || i18n.t(Msg::OfficeLetterMethods)}</p>
            <p class="right">{site_name.clone()}</p>
            <p class="right">{r.issued_on.format("%Y年%m月%d日").to_string()}</p>
        </section>
    }
}
