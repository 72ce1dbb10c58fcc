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

/// Waits `ms` milliseconds.
pub async fn sleep(ms: i32) {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        } else {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
        }
    });
    let _ = JsFuture::from(p).await;
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

/// Asks the service worker to fetch and keep these pages, so they open after a reload with no
/// signal (a page opened by in-app navigation was never fetched, so never cached).
pub fn keep_pages_offline(paths: &[String]) {
    let Some(w) = web_sys::window() else { return };
    if paths.is_empty() || !w.navigator().on_line() {
        return;
    }
    let Some(ctrl) = w.navigator().service_worker().controller() else {
        return;
    };
    let msg = js_sys::Object::new();
    let urls: js_sys::Array = paths
        .iter()
        .map(|p| wasm_bindgen::JsValue::from_str(p))
        .collect();
    let _ = js_sys::Reflect::set(&msg, &"type".into(), &"keep-pages".into());
    let _ = js_sys::Reflect::set(&msg, &"urls".into(), &urls);
    let _ = ctrl.post_message(&msg);
}

/// Shrinks a camera photo before it is stored and uploaded: at most 1600 px on the long side,
/// JPEG at quality 0.72. A 4 MB phone photo becomes about 200–400 KB.
pub async fn compress_photo(file: web_sys::File) -> Result<(Vec<u8>, String), String> {
    const MAX_SIDE: f64 = 1600.0;
    let err = |e: wasm_bindgen::JsValue| format!("{e:?}");
    let window = web_sys::window().ok_or("no window")?;
    let bitmap: web_sys::ImageBitmap =
        JsFuture::from(window.create_image_bitmap_with_blob(&file).map_err(err)?)
            .await
            .map_err(err)?
            .dyn_into()
            .map_err(err)?;
    let (w, h) = (f64::from(bitmap.width()), f64::from(bitmap.height()));
    let scale = (MAX_SIDE / w.max(h)).min(1.0);
    let (cw, ch) = ((w * scale).round().max(1.0), (h * scale).round().max(1.0));
    let canvas: web_sys::HtmlCanvasElement = document()
        .ok_or("no document")?
        .create_element("canvas")
        .map_err(err)?
        .dyn_into()
        .map_err(|_| "not a canvas")?;
    canvas.set_width(cw as u32);
    canvas.set_height(ch as u32);
    let ctx: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")
        .map_err(err)?
        .ok_or("no 2d context")?
        .dyn_into()
        .map_err(|_| "not a 2d context")?;
    ctx.draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, cw, ch)
        .map_err(err)?;
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let cb =
            wasm_bindgen::closure::Closure::once_into_js(move |blob: wasm_bindgen::JsValue| {
                let _ = resolve.call1(&wasm_bindgen::JsValue::NULL, &blob);
            });
        if canvas
            .to_blob_with_type_and_encoder_options(cb.unchecked_ref(), "image/jpeg", &0.72.into())
            .is_err()
        {
            let _ = reject.call0(&wasm_bindgen::JsValue::NULL);
        }
    });
    let blob: web_sys::Blob = JsFuture::from(promise)
        .await
        .map_err(err)?
        .dyn_into()
        .map_err(err)?;
    let buf = JsFuture::from(blob.array_buffer()).await.map_err(err)?;
    Ok((js_sys::Uint8Array::new(&buf).to_vec(), "image/jpeg".into()))
}

/// Asks the service worker for a Background Sync wake-up (where the browser has it), so queued
/// work goes out when the network returns even if the page is in the background.
pub fn request_background_sync() {
    let Some(w) = web_sys::window() else { return };
    let ready = match w.navigator().service_worker().ready() {
        Ok(p) => p,
        Err(_) => return,
    };
    wasm_bindgen_futures::spawn_local(async move {
        let Ok(reg) = JsFuture::from(ready).await else {
            return;
        };
        let Ok(sync) = js_sys::Reflect::get(&reg, &"sync".into()) else {
            return;
        };
        if sync.is_undefined() {
            return;
        }
        if let Ok(register) = js_sys::Reflect::get(&sync, &"register".into()) {
            if let Ok(f) = register.dyn_into::<js_sys::Function>() {
                if let Ok(p) = f.call1(&sync, &"outbox".into()) {
                    if let Ok(p) = p.dyn_into::<js_sys::Promise>() {
                        let _ = JsFuture::from(p).await;
                    }
                }
            }
        }
    });
}
