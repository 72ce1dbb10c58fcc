//! 业户签字 / 维修人员签字: a signature pad on a `<canvas>` (pointer events, so a finger, a stylus
//! and a mouse all draw), with a clear button. [`Pad::export`] turns the drawing into PNG bytes
//! and stores them in the device's blob store (`client::put_photo`), giving the `BlobRef` a
//! `SignatureInput` carries. An empty pad is refused.

use crate::i18n::{fill, use_i18n, I18n, Msg};
use domain::sync::wire::BlobRef;
use leptos::html::Canvas;
use leptos::prelude::*;

/// Why a signature could not be taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PadError {
    /// Nothing was drawn.
    Empty,
    /// The canvas could not be read or the image not stored.
    Failed(String),
}

impl PadError {
    /// The text to show (in the current language).
    pub fn text(&self, i18n: I18n) -> String {
        let lang = i18n.0.get_untracked();
        match self {
            PadError::Empty => lang.text(Msg::TechSignatureEmpty).to_owned(),
            PadError::Failed(e) => fill(
                lang.text(Msg::TechSignatureFailed),
                &[("reason", e.clone())],
            ),
        }
    }
}

/// The state of one pad, owned by the form that shows it (a handle: `Copy`).
#[derive(Clone, Copy)]
pub struct Pad {
    canvas: NodeRef<Canvas>,
    /// Something was drawn since the last clear.
    inked: RwSignal<bool>,
    drawing: RwSignal<bool>,
}

impl Pad {
    pub fn new() -> Self {
        Pad {
            canvas: NodeRef::new(),
            inked: RwSignal::new(false),
            drawing: RwSignal::new(false),
        }
    }

    /// Whether anything was drawn (reactive).
    pub fn is_inked(&self) -> bool {
        self.inked.get()
    }

    pub fn is_inked_untracked(&self) -> bool {
        self.inked.get_untracked()
    }

    pub fn clear(&self) {
        #[cfg(feature = "hydrate")]
        if let Some(c) = self.canvas.get_untracked() {
            prepare(&c, true);
        }
        self.inked.set(false);
        self.drawing.set(false);
    }

    /// The drawing as a PNG, stored on the device until it is uploaded. Refuses an empty pad.
    pub async fn export(self) -> Result<BlobRef, PadError> {
        if !self.inked.get_untracked() {
            return Err(PadError::Empty);
        }
        #[cfg(feature = "hydrate")]
        {
            let canvas = self
                .canvas
                .get_untracked()
                .ok_or_else(|| PadError::Failed("no canvas".into()))?;
            let bytes = png_bytes(&canvas).map_err(PadError::Failed)?;
            crate::offline::client::put_photo(bytes, "image/png".into())
                .await
                .map_err(PadError::Failed)
        }
        #[cfg(not(feature = "hydrate"))]
        Err(PadError::Failed("no canvas".into()))
    }
}

impl Default for Pad {
    fn default() -> Self {
        Self::new()
    }
}

/// Sizes the drawing surface to the element (CSS pixels, so pointer offsets map 1:1), paints it
/// white and sets the pen. `force` also wipes a drawing of the right size.
#[cfg(feature = "hydrate")]
fn prepare(canvas: &web_sys::HtmlCanvasElement, force: bool) {
    let (w, h) = (canvas.client_width().max(1), canvas.client_height().max(1));
    let resized = canvas.width() != w as u32 || canvas.height() != h as u32;
    if resized {
        canvas.set_width(w as u32);
        canvas.set_height(h as u32);
    }
    if let Some(ctx) = context(canvas) {
        if resized || force {
            ctx.set_fill_style_str("#ffffff");
            ctx.fill_rect(0.0, 0.0, f64::from(w), f64::from(h));
        }
        ctx.set_stroke_style_str("#111827");
        ctx.set_line_width(2.6);
        ctx.set_line_cap("round");
        ctx.set_line_join("round");
    }
}

#[cfg(feature = "hydrate")]
fn context(canvas: &web_sys::HtmlCanvasElement) -> Option<web_sys::CanvasRenderingContext2d> {
    use wasm_bindgen::JsCast;
    canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into().ok())
}

/// The pointer's position in canvas pixels.
#[cfg(feature = "hydrate")]
fn point(canvas: &web_sys::HtmlCanvasElement, ev: &leptos::ev::PointerEvent) -> (f64, f64) {
    let sx = f64::from(canvas.width()) / f64::from(canvas.client_width().max(1));
    let sy = f64::from(canvas.height()) / f64::from(canvas.client_height().max(1));
    (f64::from(ev.offset_x()) * sx, f64::from(ev.offset_y()) * sy)
}

#[cfg(feature = "hydrate")]
fn png_bytes(canvas: &web_sys::HtmlCanvasElement) -> Result<Vec<u8>, String> {
    use base64::Engine;
    let url = canvas
        .to_data_url_with_type("image/png")
        .map_err(|e| format!("{e:?}"))?;
    let b64 = url
        .split_once(',')
        .map(|(_, b)| b)
        .ok_or("not a data URL")?;
    base64::engine::general_purpose::STANDARD
        .decode(b64)
        .map_err(|e| e.to_string())
}

/// The pad: `data-testid="signature-pad"` on the canvas, `signature-clear` on the button, and
/// with `signer` the signer's name above it (`signer-name`).
#[component]
pub fn SignaturePad(
    pad: Pad,
    /// The heading above the pad (业户签字, 维修人员签字, …).
    label: Msg,
    /// The signer's name, typed just above the pad.
    #[prop(optional)]
    signer: Option<RwSignal<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let canvas = pad.canvas;
    // Typing the name brings the whole pad into view (the phone's keyboard and the bottom bar
    // would otherwise cover it): the next thing the resident does is sign.
    let show_pad = move |_: leptos::ev::FocusEvent| {
        #[cfg(feature = "hydrate")]
        if let Some(c) = canvas.get_untracked() {
            c.scroll_into_view_with_bool(false);
        }
    };
    let name_field = signer.map(|signer| {
        view! {
            <label class="signer">
                <span>{move || i18n.t(Msg::TechSignerName)}</span>
                <input data-testid="signer-name" autocomplete="off" bind:value=signer on:focus=show_pad />
            </label>
        }
    });
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(c) = canvas.get() {
            prepare(&c, false);
        }
    });
    let down = move |ev: leptos::ev::PointerEvent| {
        #[cfg(feature = "hydrate")]
        {
            let Some(c) = canvas.get_untracked() else {
                return;
            };
            ev.prevent_default();
            if !pad.inked.get_untracked() {
                // The element may have changed size since it was mounted (layout, rotation).
                prepare(&c, false);
            }
            let _ = c.set_pointer_capture(ev.pointer_id());
            let (x, y) = point(&c, &ev);
            if let Some(ctx) = context(&c) {
                ctx.begin_path();
                ctx.move_to(x, y);
            }
            pad.drawing.set(true);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    let moved = move |ev: leptos::ev::PointerEvent| {
        #[cfg(feature = "hydrate")]
        {
            if !pad.drawing.get_untracked() {
                return;
            }
            let Some(c) = canvas.get_untracked() else {
                return;
            };
            ev.prevent_default();
            let (x, y) = point(&c, &ev);
            if let Some(ctx) = context(&c) {
                ctx.line_to(x, y);
                ctx.stroke();
                ctx.begin_path();
                ctx.move_to(x, y);
            }
            if !pad.inked.get_untracked() {
                pad.inked.set(true);
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    let up = move |_: leptos::ev::PointerEvent| {
        if pad.drawing.get_untracked() {
            pad.drawing.set(false);
        }
    };
    view! {
        <div class="signature">
            {name_field}
            <div class="signature-head">
                <span>{move || i18n.t(label)}</span>
                <button type="button" class="button signature-clear" data-testid="signature-clear"
                    on:click=move |_| pad.clear()>
                    {move || i18n.t(Msg::TechSignatureClear)}
                </button>
            </div>
            <canvas node_ref=canvas class="signature-pad" data-testid="signature-pad"
                data-inked=move || pad.inked.get().to_string()
                aria-label=move || i18n.t(label)
                on:pointerdown=down on:pointermove=moved on:pointerup=up
                on:pointercancel=up on:lostpointercapture=up></canvas>
            <p class="muted small signature-hint">{move || i18n.t(Msg::TechSignatureHint)}</p>
        </div>
    }
}
