//! The browser side of scanning a checkpoint (hydrate build only): the camera, the QR decoder
//! and the phone's position. The decoded text goes to the round page's `on_decoded`, the one
//! path the typed code and the test hook (`window.__wuyeScan`) take too.
//!
//! Decoding: the browser's `BarcodeDetector` where it has one that reads QR codes (Chrome on
//! Android), otherwise the `rqrr` decoder compiled into the wasm, on frames of the `<video>`
//! drawn to a canvas and read back with `getImageData` (a 640 px frame, about four a second).

use domain::patrol::round::GeoPoint;
use js_sys::{Array, Function, Object, Promise, Reflect};
use std::cell::RefCell;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Longest side of the frame the wasm decoder reads.
const FRAME_MAX_SIDE: u32 = 640;

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

pub use crate::browser::sleep;

/// The phone's position if it has one within `timeout_ms` (a recent fix is fine); `None`
/// otherwise: no permission, no fix in a stairwell, no geolocation at all. Never waits longer.
pub async fn position(timeout_ms: u32) -> Option<GeoPoint> {
    let geo = window()?.navigator().geolocation().ok()?;
    let p = Promise::new(&mut |resolve, _| {
        let ok = resolve.clone();
        let success = Closure::once_into_js(move |pos: JsValue| {
            let _ = ok.call1(&JsValue::NULL, &pos);
        });
        let fail = resolve.clone();
        let error = Closure::once_into_js(move |_e: JsValue| {
            let _ = fail.call1(&JsValue::NULL, &JsValue::NULL);
        });
        let opts = web_sys::PositionOptions::new();
        opts.set_enable_high_accuracy(false);
        opts.set_maximum_age(120_000);
        opts.set_timeout(timeout_ms);
        if geo
            .get_current_position_with_error_callback_and_options(
                success.unchecked_ref(),
                Some(error.unchecked_ref()),
                &opts,
            )
            .is_err()
        {
            let _ = resolve.call1(&JsValue::NULL, &JsValue::NULL);
        }
        // A permission prompt nobody answers would hold the scan: give up after the timeout.
        if let Some(w) = window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_1(
                &resolve,
                timeout_ms as i32 + 200,
                &JsValue::NULL,
            );
        }
    });
    let pos = JsFuture::from(p).await.ok()?;
    if pos.is_null() || pos.is_undefined() {
        return None;
    }
    // `GeolocationPosition` is behind web-sys's unstable APIs: read its fields by name.
    let coords = Reflect::get(&pos, &"coords".into()).ok()?;
    let num = |k: &str| Reflect::get(&coords, &k.into()).ok()?.as_f64();
    let (lat, lng) = (num("latitude")?, num("longitude")?);
    (lat.is_finite() && lng.is_finite()).then_some(GeoPoint { lat, lng })
}

/// Opens the back camera into `video`.
pub async fn open_camera(
    video: &web_sys::HtmlVideoElement,
) -> Result<web_sys::MediaStream, String> {
    let err = |e: JsValue| {
        Reflect::get(&e, &"name".into())
            .ok()
            .and_then(|n| n.as_string())
            .unwrap_or_else(|| format!("{e:?}"))
    };
    let devices = window()
        .ok_or("no window")?
        .navigator()
        .media_devices()
        .map_err(|_| "NotSupported".to_owned())?;
    let facing = Object::new();
    let _ = Reflect::set(&facing, &"ideal".into(), &"environment".into());
    let video_c = Object::new();
    let _ = Reflect::set(&video_c, &"facingMode".into(), &facing);
    let constraints = web_sys::MediaStreamConstraints::new();
    constraints.set_video(&video_c);
    constraints.set_audio(&JsValue::FALSE);
    let p = devices
        .get_user_media_with_constraints(&constraints)
        .map_err(err)?;
    let stream: web_sys::MediaStream = JsFuture::from(p)
        .await
        .map_err(err)?
        .dyn_into()
        .map_err(err)?;
    video.set_src_object(Some(&stream));
    if let Ok(p) = video.play() {
        let _ = JsFuture::from(p).await;
    }
    Ok(stream)
}

/// Stops the camera (its light goes off) and empties `video`.
pub fn close_camera(stream: &web_sys::MediaStream, video: Option<&web_sys::HtmlVideoElement>) {
    for t in stream.get_tracks().iter() {
        if let Ok(track) = t.dyn_into::<web_sys::MediaStreamTrack>() {
            track.stop();
        }
    }
    if let Some(v) = video {
        v.set_src_object(None);
    }
}

/// Reads QR codes off the camera's frames.
pub struct Decoder {
    /// The browser's `BarcodeDetector` when it reads QR codes.
    detector: Option<JsValue>,
    canvas: web_sys::HtmlCanvasElement,
    ctx: web_sys::CanvasRenderingContext2d,
}

impl Decoder {
    pub async fn new() -> Result<Decoder, String> {
        let doc = window().and_then(|w| w.document()).ok_or("no document")?;
        let canvas: web_sys::HtmlCanvasElement = doc
            .create_element("canvas")
            .map_err(|e| format!("{e:?}"))?
            .dyn_into()
            .map_err(|_| "not a canvas")?;
        let opts = Object::new();
        let _ = Reflect::set(&opts, &"willReadFrequently".into(), &JsValue::TRUE);
        let ctx: web_sys::CanvasRenderingContext2d = canvas
            .get_context_with_context_options("2d", &opts)
            .map_err(|e| format!("{e:?}"))?
            .ok_or("no 2d context")?
            .dyn_into()
            .map_err(|_| "not a 2d context")?;
        Ok(Decoder {
            detector: barcode_detector().await,
            canvas,
            ctx,
        })
    }

    /// `barcode_detector` or `wasm` (shown on the screen and to tests).
    pub fn kind(&self) -> &'static str {
        if self.detector.is_some() {
            "barcode_detector"
        } else {
            "wasm"
        }
    }

    /// The text of a QR code in the video's current frame, if one reads.
    pub async fn detect(&self, video: &web_sys::HtmlVideoElement) -> Option<String> {
        if video.ready_state() < 2 || video.video_width() == 0 {
            return None;
        }
        match &self.detector {
            Some(d) => detect_native(d, video).await,
            None => self.detect_wasm(video),
        }
    }

    fn detect_wasm(&self, video: &web_sys::HtmlVideoElement) -> Option<String> {
        let (vw, vh) = (video.video_width(), video.video_height());
        let scale = (f64::from(FRAME_MAX_SIDE) / f64::from(vw.max(vh))).min(1.0);
        let w = (f64::from(vw) * scale).round().max(1.0) as u32;
        let h = (f64::from(vh) * scale).round().max(1.0) as u32;
        if self.canvas.width() != w || self.canvas.height() != h {
            self.canvas.set_width(w);
            self.canvas.set_height(h);
        }
        self.ctx
            .draw_image_with_html_video_element_and_dw_and_dh(video, 0.0, 0.0, w.into(), h.into())
            .ok()?;
        let data = self
            .ctx
            .get_image_data(0.0, 0.0, w.into(), h.into())
            .ok()?
            .data();
        decode_rgba(w as usize, h as usize, &data)
    }
}

/// A `BarcodeDetector` for QR codes, if the browser has one that reads them.
async fn barcode_detector() -> Option<JsValue> {
    let w = window()?;
    let ctor = Reflect::get(&w, &"BarcodeDetector".into()).ok()?;
    let ctor: Function = ctor.dyn_into().ok()?;
    // `getSupportedFormats` may be empty on a platform without a barcode service.
    if let Ok(f) = Reflect::get(&ctor, &"getSupportedFormats".into()) {
        if let Ok(f) = f.dyn_into::<Function>() {
            let formats = match f.call0(&ctor).ok()?.dyn_into::<Promise>() {
                Ok(p) => JsFuture::from(p).await.ok()?,
                Err(v) => v,
            };
            let formats: Array = formats.dyn_into().ok()?;
            if !formats
                .iter()
                .any(|f| f.as_string().as_deref() == Some("qr_code"))
            {
                return None;
            }
        }
    }
    let opts = Object::new();
    let _ = Reflect::set(&opts, &"formats".into(), &Array::of1(&"qr_code".into()));
    Reflect::construct(&ctor, &Array::of1(&opts)).ok()
}

async fn detect_native(detector: &JsValue, video: &web_sys::HtmlVideoElement) -> Option<String> {
    let detect: Function = Reflect::get(detector, &"detect".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let p: Promise = detect.call1(detector, video).ok()?.dyn_into().ok()?;
    let found: Array = JsFuture::from(p).await.ok()?.dyn_into().ok()?;
    found.iter().find_map(|b| {
        Reflect::get(&b, &"rawValue".into())
            .ok()?
            .as_string()
            .filter(|s| !s.trim().is_empty())
    })
}

/// The text of the first QR code that decodes in an RGBA image.
pub fn decode_rgba(w: usize, h: usize, rgba: &[u8]) -> Option<String> {
    if w == 0 || h == 0 || rgba.len() < w * h * 4 {
        return None;
    }
    let luma = |x: usize, y: usize| {
        let i = (y * w + x) * 4;
        let (r, g, b) = (
            u32::from(rgba[i]),
            u32::from(rgba[i + 1]),
            u32::from(rgba[i + 2]),
        );
        ((r * 299 + g * 587 + b * 114) / 1000) as u8
    };
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, luma);
    img.detect_grids()
        .into_iter()
        .find_map(|g| g.decode().ok().map(|(_, text)| text))
        .filter(|s| !s.trim().is_empty())
}

/// What `window.__wuyeScan` runs.
type ScanHook = Closure<dyn Fn(String) -> Promise>;

thread_local! {
    /// The closure behind `window.__wuyeScan` (one at a time; replaced by the next page).
    static HOOK: RefCell<Option<ScanHook>> = const { RefCell::new(None) };
}

/// Sets `window.__wuyeScan(code)`: the tests' way into the same `on_decoded` the camera calls.
/// The promise resolves to `"ok"` or the refusal's code.
pub fn expose_scan(f: impl Fn(String) -> Promise + 'static) {
    let Some(w) = window() else { return };
    let c: ScanHook = Closure::new(f);
    let _ = Reflect::set(&w, &"__wuyeScan".into(), c.as_ref());
    HOOK.with(|h| *h.borrow_mut() = Some(c));
}

/// Removes `window.__wuyeScan` (the round page is gone).
pub fn hide_scan() {
    if let Some(w) = window() {
        let _ = Reflect::delete_property(&w, &"__wuyeScan".into());
    }
    HOOK.with(|h| *h.borrow_mut() = None);
}

/// Brings the element with `id` into view (the checklist that just opened).
pub fn scroll_to(id: &str) {
    if let Some(el) = window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
    {
        el.scroll_into_view();
    }
}
