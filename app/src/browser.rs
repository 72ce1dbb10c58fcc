//! Thin wrappers over browser APIs (hydrate build only).

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

pub fn element_text(id: &str) -> Option<String> {
    document()?.get_element_by_id(id)?.text_content()
}

pub fn set_cookie(name: &str, value: &str, max_age_secs: u32) {
    if let Some(doc) = document().and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok()) {
        let _ = doc.set_cookie(&format!(
            "{name}={value}; path=/; max-age={max_age_secs}; samesite=lax"
        ));
    }
}

/// A full page load, so the server renders the next page with the new session.
pub fn go(url: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.location().assign(url);
    }
}

pub fn is_online() -> bool {
    web_sys::window()
        .map(|w| w.navigator().on_line())
        .unwrap_or(true)
}

/// Marks the body once the wasm has taken over (tests wait for it).
pub fn mark_hydrated() {
    if let Some(body) = document().and_then(|d| d.body()) {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}

pub fn register_service_worker() {
    if let Some(w) = web_sys::window() {
        let sw = w.navigator().service_worker();
        let _ = sw.register("/sw.js");
    }
}

/// Asks the browser not to evict this origin's storage; true when granted.
pub async fn persist_storage() -> Option<bool> {
    let storage = web_sys::window()?.navigator().storage();
    let promise = storage.persist().ok()?;
    JsFuture::from(promise).await.ok()?.as_bool()
}

pub async fn storage_persisted() -> Option<bool> {
    let storage = web_sys::window()?.navigator().storage();
    let promise = storage.persisted().ok()?;
    JsFuture::from(promise).await.ok()?.as_bool()
}

/// (used, quota) in bytes.
pub async fn storage_estimate() -> Option<(f64, f64)> {
    let storage = web_sys::window()?.navigator().storage();
    let promise = storage.estimate().ok()?;
    let est = JsFuture::from(promise).await.ok()?;
    let get = |k: &str| js_sys::Reflect::get(&est, &k.into()).ok()?.as_f64();
    Some((get("usage")?, get("quota")?))
}

/// Tells the service worker to drop cached pages (they hold the signed-in user's data).
pub fn clear_page_cache() {
    let Some(w) = web_sys::window() else { return };
    if let Some(ctrl) = w.navigator().service_worker().controller() {
        let _ = ctrl.post_message(&"clear-pages".into());
    }
}
