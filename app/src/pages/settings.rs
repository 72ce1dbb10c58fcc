//! `/settings` (站点设置, centre manager and administrator): the site's own settings where the
//! documents leave the choice to the site or disagree (requirements §4): the work calendar
//! (holidays and 调休 days, read by every working-day deadline), the repair rules (clock
//! preset, billing mode, ticket copies, second-repair window), the front office's hours (who
//! handles a lock-opening) and the release-pass rules. Each card loads its setting, edits it and
//! saves it whole with PUT; the server checks it again. Complaint, return-visit, resident-visit
//! and survey rules are edited on their own screens (linked at the bottom).

use crate::api::{self, ApiFailure};
use crate::frame::Guarded;
use crate::i18n::{use_i18n, I18n, Msg};
use crate::pages::visits::{first_site, VisitSitePicker};
use chrono::{NaiveDate, NaiveTime};
use domain::access::Area;
use domain::calendar::WorkCalendar;
use domain::desk::views::DeskSettings;
use domain::desk::OfficeHours;
use domain::release::policy::ReleasePolicy;
use domain::work_orders::policy::{BillingPolicy, RepairPolicy, TicketCopies};
use domain::work_orders::sla::SlaPolicy;
use leptos::prelude::*;

#[component]
pub fn SettingsPage() -> impl IntoView {
    view! {
        <Guarded area=Some(Area::SiteSettings)>
            <Settings />
        </Guarded>
    }
}

fn failure(i18n: I18n, e: &ApiFailure) -> String {
    let reason = match e.code().as_str() {
        "network" => return i18n.t(Msg::SettingsOffline).to_owned(),
        "holiday_and_workday" => i18n.t(Msg::SettingsErrBoth).to_owned(),
        "workday_not_weekend" => i18n.t(Msg::SettingsErrWeekday).to_owned(),
        "invalid_policy" | "invalid_hours" => i18n.t(Msg::SettingsErrInvalid).to_owned(),
        "forbidden" | "site_forbidden" => i18n.t(Msg::SettingsErrForbidden).to_owned(),
        other => other.to_owned(),
    };
    i18n.tf(Msg::SettingsRefused, &[("reason", reason)])
}

/// Saves `value` with PUT to `url` and says how it went in `message`.
fn save<T>(i18n: I18n, url: String, value: T, message: RwSignal<Option<(bool, String)>>)
where
    T: serde::Serialize + serde::de::DeserializeOwned + 'static,
{
    leptos::task::spawn_local(async move {
        let body = serde_json::to_value(&value).unwrap_or_default();
        let r = api::put_json::<serde_json::Value>(&url, &body).await;
        message.set(Some(match r {
            Ok(_) => (true, i18n.t(Msg::SettingsSaved).to_owned()),
            Err(e) => (false, failure(i18n, &e)),
        }));
    });
}

/// Loads the setting at `url` into `value` (through `pick`), or the failure into `message`.
fn load_setting<L, T>(
    i18n: I18n,
    url: String,
    value: RwSignal<Option<T>>,
    message: RwSignal<Option<(bool, String)>>,
    pick: fn(L) -> T,
) where
    L: serde::de::DeserializeOwned + Clone + 'static,
    T: Send + Sync + 'static,
{
    let loaded = LocalResource::new(move || {
        let url = url.clone();
        async move { api::get_json::<L>(&url).await }
    });
    Effect::new(move |_| match loaded.get() {
        Some(Ok(l)) => value.set(Some(pick(l))),
        Some(Err(e)) => message.set(Some((false, failure(i18n, &e)))),
        None => {}
    });
}

/// The card's save button (`<name>-save`) and what came of it (`<name>-message`).
#[component]
fn SaveRow<T>(
    name: &'static str,
    url: String,
    value: RwSignal<Option<T>>,
    message: RwSignal<Option<(bool, String)>>,
) -> impl IntoView
where
    T: serde::Serialize + serde::de::DeserializeOwned + Clone + Send + Sync + 'static,
{
    let i18n = use_i18n();
    view! {
        <button class="primary" data-testid=format!("{name}-save") on:click=move |_| {
            if let Some(v) = value.get_untracked() {
                save(i18n, url.clone(), v, message);
            }
        }>{move || i18n.t(Msg::SettingsSave)}</button>
        <p data-testid=format!("{name}-message") class=move || match message.get() {
            Some((true, _)) => "ok",
            Some((false, _)) => "error",
            None => "muted",
        }>{move || message.get().map(|m| m.1)}</p>
    }
}

#[component]
fn Settings() -> impl IntoView {
    let i18n = use_i18n();
    let site = RwSignal::new(first_site());
    view! {
        <section class="home settings" data-area="/settings">
            <h1>{move || i18n.t(Msg::SettingsTitle)}</h1>
            <VisitSitePicker site />
            {move || site.get().map(|s| view! {
                <CalendarCard site=s.clone() />
                <RepairCard site=s.clone() />
                <OfficeHoursCard site=s.clone() />
                <ReleaseCard site=s />
            })}
            <div class="card">
                <h2>{move || i18n.t(Msg::SettingsElsewhere)}</h2>
                <a class="tile" href="/care">{move || i18n.t(Msg::SettingsCareRules)}</a>
                <a class="tile" href="/visits/reports">{move || i18n.t(Msg::SettingsVisitRules)}</a>
                <a class="tile" href="/surveys">{move || i18n.t(Msg::SettingsSurveyRules)}</a>
            </div>
        </section>
    }
}

/// Holidays on weekdays and weekend days worked in exchange (调休上班).
#[component]
fn CalendarCard(site: String) -> impl IntoView {
    let i18n = use_i18n();
    let url = format!("/api/v1/sites/{site}/calendar");
    let calendar = RwSignal::new(None::<WorkCalendar>);
    let message = RwSignal::new(None::<(bool, String)>);
    load_setting::<WorkCalendar, _>(i18n, url.clone(), calendar, message, |l| l);
    let day = RwSignal::new(String::new());
    let add = move |holiday: bool| {
        let Ok(d) = NaiveDate::parse_from_str(day.get_untracked().trim(), "%Y-%m-%d") else {
            message.set(Some((false, i18n.t(Msg::SettingsPickDate).to_owned())));
            return;
        };
        calendar.update(|c| {
            if let Some(c) = c {
                let list = if holiday {
                    &mut c.holidays
                } else {
                    &mut c.extra_workdays
                };
                if !list.contains(&d) {
                    list.push(d);
                    list.sort_unstable();
                }
            }
        });
        message.set(None);
    };
    let remove = move |d: NaiveDate, holiday: bool| {
        calendar.update(|c| {
            if let Some(c) = c {
                let list = if holiday {
                    &mut c.holidays
                } else {
                    &mut c.extra_workdays
                };
                list.retain(|x| *x != d);
            }
        });
    };
    let chips = move |holiday: bool| {
        let days = calendar
            .get()
            .map(|c| {
                if holiday {
                    c.holidays
                } else {
                    c.extra_workdays
                }
            })
            .unwrap_or_default();
        if days.is_empty() {
            return view! { <span class="muted">{i18n.t(Msg::SettingsNoDays)}</span> }.into_any();
        }
        days.into_iter()
            .map(|d| {
                let label = d.format("%Y-%m-%d").to_string();
                view! {
                    <span class="chip" data-testid=if holiday { "calendar-holiday" } else { "calendar-workday" } data-date=label.clone()>
                        {label.clone()}
                        <button type="button" class="chip-x" aria-label=move || i18n.t(Msg::SettingsRemove)
                            on:click=move |_| remove(d, holiday)>"×"</button>
                    </span>
                }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <div class="card" data-testid="settings-calendar">
            <h2>{move || i18n.t(Msg::SettingsCalendarTitle)}</h2>
            <p class="muted">{move || i18n.t(Msg::SettingsCalendarHelp)}</p>
            <div class="field"><span>{move || i18n.t(Msg::SettingsHolidays)}</span><div class="chips">{move || chips(true)}</div></div>
            <div class="field"><span>{move || i18n.t(Msg::SettingsWorkdays)}</span><div class="chips">{move || chips(false)}</div></div>
            <div class="row">
                <input type="date" data-testid="calendar-date" bind:value=day />
                <button type="button" data-testid="calendar-add-holiday" on:click=move |_| add(true)>{move || i18n.t(Msg::SettingsAddHoliday)}</button>
                <button type="button" data-testid="calendar-add-workday" on:click=move |_| add(false)>{move || i18n.t(Msg::SettingsAddWorkday)}</button>
            </div>
            <SaveRow name="calendar" url=url value=calendar message />
        </div>
    }
}

/// The repair clocks (a document's preset), billing mode, ticket copies, second-repair window.
#[component]
fn RepairCard(site: String) -> impl IntoView {
    let i18n = use_i18n();
    let url = format!("/api/v1/sites/{site}/policy");
    let policy = RwSignal::new(None::<RepairPolicy>);
    let message = RwSignal::new(None::<(bool, String)>);
    load_setting::<RepairPolicy, _>(i18n, url.clone(), policy, message, |l| l);
    let presets = [
        ("s3", SlaPolicy::S3_PROPERTY_DISTRICT, Msg::SettingsSlaS3),
        ("s2", SlaPolicy::S2_HOUSE_REPAIR_CENTRE, Msg::SettingsSlaS2),
    ];
    let preset_code = move || {
        policy
            .get()
            .and_then(|p| presets.iter().find(|x| x.1 == p.sla).map(|x| x.0))
            .unwrap_or("custom")
    };
    let monthly = move || {
        policy
            .get()
            .is_some_and(|p| matches!(p.billing, BillingPolicy::Monthly { .. }))
    };
    let day_of = move |batch: bool| {
        policy
            .get()
            .and_then(|p| match p.billing {
                BillingPolicy::Monthly { batch_day, due_day } => {
                    Some(if batch { batch_day } else { due_day }.to_string())
                }
                BillingPolicy::AtFinance => None,
            })
            .unwrap_or_default()
    };
    let set_day = move |batch: bool, v: String| {
        let Ok(n) = v.trim().parse::<u32>() else {
            return;
        };
        policy.update(|p| {
            if let Some(p) = p {
                if let BillingPolicy::Monthly { batch_day, due_day } = &mut p.billing {
                    if batch {
                        *batch_day = n;
                    } else {
                        *due_day = n;
                    }
                }
            }
        });
    };
    view! {
        <div class="card" data-testid="settings-repair">
            <h2>{move || i18n.t(Msg::SettingsRepairTitle)}</h2>
            <Show when=move || policy.get().is_some()>
                <label><span>{move || i18n.t(Msg::SettingsSla)}</span>
                    <select data-testid="repair-sla" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        if let Some((_, sla, _)) = presets.iter().find(|x| x.0 == v) {
                            policy.update(|p| if let Some(p) = p { p.sla = *sla });
                        }
                    }>
                        {presets.iter().map(|(code, _, m)| {
                            let (code, m) = (*code, *m);
                            view! { <option value=code selected=move || preset_code() == code>{move || i18n.t(m)}</option> }
                        }).collect_view()}
                        <Show when=move || preset_code() == "custom">
                            <option value="custom" selected=true>{move || i18n.t(Msg::SettingsSlaCustom)}</option>
                        </Show>
                    </select>
                </label>
                <label><span>{move || i18n.t(Msg::SettingsBilling)}</span>
                    <select data-testid="repair-billing" on:change=move |ev| {
                        let b = if event_target_value(&ev) == "at_finance" { BillingPolicy::AtFinance } else { BillingPolicy::S1_MONTHLY };
                        policy.update(|p| if let Some(p) = p { p.billing = b });
                    }>
                        <option value="monthly" selected=monthly>{move || i18n.t(Msg::SettingsBillingMonthly)}</option>
                        <option value="at_finance" selected=move || !monthly()>{move || i18n.t(Msg::SettingsBillingAtFinance)}</option>
                    </select>
                </label>
                <Show when=monthly>
                    <div class="row">
                        <label><span>{move || i18n.t(Msg::SettingsBatchDay)}</span>
                            <input type="number" min="1" max="28" data-testid="repair-batch-day" prop:value=move || day_of(true)
                                on:change=move |ev| set_day(true, event_target_value(&ev)) /></label>
                        <label><span>{move || i18n.t(Msg::SettingsDueDay)}</span>
                            <input type="number" min="1" max="28" data-testid="repair-due-day" prop:value=move || day_of(false)
                                on:change=move |ev| set_day(false, event_target_value(&ev)) /></label>
                    </div>
                </Show>
                <label><span>{move || i18n.t(Msg::SettingsCopies)}</span>
                    <select data-testid="repair-copies" on:change=move |ev| {
                        let c = if event_target_value(&ev) == "s0" { TicketCopies::S0ResidentFinanceStub } else { TicketCopies::S3Departments };
                        policy.update(|p| if let Some(p) = p { p.copies = c });
                    }>
                        {[("s3", TicketCopies::S3Departments), ("s0", TicketCopies::S0ResidentFinanceStub)].into_iter().map(|(code, c)| {
                            view! { <option value=code selected=move || policy.get().is_some_and(|p| p.copies == c)>{c.names().join(" / ")}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label><span>{move || i18n.t(Msg::SettingsSecondRepairDays)}</span>
                    <input type="number" min="0" max="365" data-testid="repair-second-days"
                        prop:value=move || policy.get().map(|p| p.second_repair_days.to_string()).unwrap_or_default()
                        on:change=move |ev| {
                            if let Ok(n) = event_target_value(&ev).trim().parse::<i64>() {
                                policy.update(|p| if let Some(p) = p { p.second_repair_days = n });
                            }
                        } />
                </label>
            </Show>
            <SaveRow name="repair" url=url value=policy message />
        </div>
    }
}

/// The front office's hours: inside them the office handles a lock-opening, outside security.
#[component]
fn OfficeHoursCard(site: String) -> impl IntoView {
    let i18n = use_i18n();
    let url = format!("/api/v1/sites/{site}/desk/settings");
    let hours = RwSignal::new(None::<OfficeHours>);
    let message = RwSignal::new(None::<(bool, String)>);
    load_setting::<DeskSettings, _>(i18n, url.clone(), hours, message, |l: DeskSettings| {
        l.office_hours
    });
    let time_of = move |start: bool| {
        hours
            .get()
            .map(|h| {
                if start { h.start } else { h.end }
                    .format("%H:%M")
                    .to_string()
            })
            .unwrap_or_default()
    };
    let set_time = move |start: bool, v: String| {
        let Ok(t) = NaiveTime::parse_from_str(v.trim(), "%H:%M") else {
            return;
        };
        hours.update(|h| {
            if let Some(h) = h {
                if start {
                    h.start = t;
                } else {
                    h.end = t;
                }
            }
        });
    };
    view! {
        <div class="card" data-testid="settings-office">
            <h2>{move || i18n.t(Msg::SettingsOfficeTitle)}</h2>
            <p class="muted">{move || i18n.t(Msg::SettingsOfficeHelp)}</p>
            <Show when=move || hours.get().is_some()>
                <div class="row">
                    <label><span>{move || i18n.t(Msg::SettingsOpens)}</span>
                        <input type="time" data-testid="office-start" prop:value=move || time_of(true)
                            on:change=move |ev| set_time(true, event_target_value(&ev)) /></label>
                    <label><span>{move || i18n.t(Msg::SettingsCloses)}</span>
                        <input type="time" data-testid="office-end" prop:value=move || time_of(false)
                            on:change=move |ev| set_time(false, event_target_value(&ev)) /></label>
                </div>
                <label class="check"><input type="checkbox" data-testid="office-weekends"
                    prop:checked=move || hours.get().is_some_and(|h| h.weekends)
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        hours.update(|h| if let Some(h) = h { h.weekends = on });
                    } /><span>{move || i18n.t(Msg::SettingsWeekends)}</span></label>
            </Show>
            <SaveRow name="office" url=url value=hours message />
        </div>
    }
}

/// 放行条: whether the owner may confirm by phone, and whether other open bills block a pass.
#[component]
fn ReleaseCard(site: String) -> impl IntoView {
    let i18n = use_i18n();
    let url = format!("/api/v1/sites/{site}/release/policy");
    let policy = RwSignal::new(None::<ReleasePolicy>);
    let message = RwSignal::new(None::<(bool, String)>);
    load_setting::<ReleasePolicy, _>(i18n, url.clone(), policy, message, |l| l);
    view! {
        <div class="card" data-testid="settings-release">
            <h2>{move || i18n.t(Msg::SettingsReleaseTitle)}</h2>
            <Show when=move || policy.get().is_some()>
                <label class="check"><input type="checkbox" data-testid="release-phone"
                    prop:checked=move || policy.get().is_some_and(|p| p.phone_confirmation)
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        policy.update(|p| if let Some(p) = p { p.phone_confirmation = on });
                    } /><span>{move || i18n.t(Msg::SettingsReleasePhone)}</span></label>
                <label class="check"><input type="checkbox" data-testid="release-other-bills"
                    prop:checked=move || policy.get().is_some_and(|p| p.count_other_bills)
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        policy.update(|p| if let Some(p) = p { p.count_other_bills = on });
                    } /><span>{move || i18n.t(Msg::SettingsReleaseOtherBills)}</span></label>
            </Show>
            <SaveRow name="release" url=url value=policy message />
        </div>
    }
}
