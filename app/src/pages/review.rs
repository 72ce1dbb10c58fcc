//! `/conflicts`: the managers' review list of text that a device and someone else both changed
//! (online screen). Keeping the device's text makes a new change every device pulls.

use crate::api;
use crate::frame::Guarded;
use crate::i18n::{use_i18n, Msg};
use chrono::{DateTime, Utc};
use domain::access::Area;
use leptos::prelude::*;
use serde::Deserialize;
use uuid::Uuid;

#[derive(Debug, Clone, Deserialize)]
struct ConflictView {
    id: Uuid,
    number: Option<String>,
    field: String,
    base_value: String,
    server_value: String,
    device_value: String,
    staff_name: String,
    #[allow(dead_code)]
    created_at: DateTime<Utc>,
}

#[component]
pub fn ReviewPage() -> impl IntoView {
    view! {
        <Guarded area=Some(Area::EngBoard)>
            <Review />
        </Guarded>
    }
}

#[component]
fn Review() -> impl IntoView {
    let i18n = use_i18n();
    let reload = RwSignal::new(0u32);
    let list = LocalResource::new(move || {
        reload.track();
        async move { api::get_json::<Vec<ConflictView>>("/api/v1/sync/conflicts").await }
    });
    let resolve = move |id: Uuid, keep: &'static str| {
        leptos::task::spawn_local(async move {
            let _ = api::post_json::<serde_json::Value>(
                &format!("/api/v1/sync/conflicts/{id}/resolve"),
                &serde_json::json!({ "keep": keep }),
            )
            .await;
            reload.update(|n| *n += 1);
        });
    };
    view! {
        <section class="review">
            <h1>{move || i18n.t(Msg::ReviewTitle)}</h1>
            <Suspense fallback=|| view! { <p class="muted">"…"</p> }>
                {move || list.get().map(|r| match r {
                    Ok(items) if items.is_empty() => view! { <p class="empty" id="review-empty">{move || i18n.t(Msg::ReviewEmpty)}</p> }.into_any(),
                    Ok(items) => items.into_iter().map(|c| {
                        let id = c.id;
                        let name = c.staff_name.clone();
                        let field = c.field.clone();
                        view! {
                            <article class="card conflict-item">
                                <header><strong>{c.number.clone().unwrap_or_default()}</strong>
                                    <span class="tag">{move || i18n.tf(Msg::ReviewField, &[("field", field.clone())])}</span></header>
                                <dl>
                                    <dt>{move || i18n.t(Msg::ReviewBase)}</dt><dd>{c.base_value.clone()}</dd>
                                    <dt>{move || i18n.t(Msg::ReviewServer)}</dt><dd>{c.server_value.clone()}</dd>
                                    <dt>{move || i18n.tf(Msg::ReviewDevice, &[("name", name.clone())])}</dt><dd>{c.device_value.clone()}</dd>
                                </dl>
                                <div class="actions">
                                    <button class="button" on:click=move |_| resolve(id, "server")>{move || i18n.t(Msg::ReviewKeepServer)}</button>
                                    <button class="button primary" on:click=move |_| resolve(id, "device")>{move || i18n.t(Msg::ReviewKeepDevice)}</button>
                                </div>
                            </article>
                        }
                    }).collect_view().into_any(),
                    Err(e) => view! { <p class="form-error">{move || i18n.tf(Msg::SummaryFailed, &[("code", e.code())])}</p> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}
