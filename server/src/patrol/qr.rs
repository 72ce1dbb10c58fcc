//! The printable QR label of a checkpoint: the code encoded by the `qrcode` crate (error
//! correction M, so a scuffed label in a stairwell still reads), drawn as SVG modules with the
//! code and the place's name printed under it for typing when the camera fails.

use qrcode::{Color, EcLevel, QrCode};
use std::fmt::Write;

/// Pixels per module.
const SCALE: usize = 8;
/// The quiet zone the standard asks for, in modules.
const QUIET: usize = 4;
const CAPTION: usize = 64;

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// The label of `code` with `name` under it. Every dark run of a row is one `M x y h w v 8 h -w z`
/// path segment.
pub fn label_svg(code: &str, name: &str) -> Result<String, qrcode::types::QrError> {
    let qr = QrCode::with_error_correction_level(code.as_bytes(), EcLevel::M)?;
    let w = qr.width();
    let colors = qr.to_colors();
    let dark = |x: usize, y: usize| colors[y * w + x] == Color::Dark;
    let mut path = String::new();
    for y in 0..w {
        let mut x = 0;
        while x < w {
            if !dark(x, y) {
                x += 1;
                continue;
            }
            let start = x;
            while x < w && dark(x, y) {
                x += 1;
            }
            let run = (x - start) * SCALE;
            // Writing to a String cannot fail.
            let _ = write!(
                path,
                "M{} {}h{run}v{SCALE}h-{run}z",
                (start + QUIET) * SCALE,
                (y + QUIET) * SCALE
            );
        }
    }
    let size = (w + 2 * QUIET) * SCALE;
    let height = size + CAPTION;
    let mid = size / 2;
    Ok(format!(
        concat!(
            r##"<?xml version="1.0" encoding="UTF-8"?>"##,
            r##"<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{size}" height="{height}" viewBox="0 0 {size} {height}" shape-rendering="crispEdges">"##,
            r##"<rect x="0" y="0" width="{size}" height="{height}" fill="#fff"/>"##,
            r##"<path fill="#000" d="{path}"/>"##,
            r##"<text x="{mid}" y="{y1}" font-family="monospace" font-size="24" font-weight="bold" text-anchor="middle">{code}</text>"##,
            r##"<text x="{mid}" y="{y2}" font-family="sans-serif" font-size="18" text-anchor="middle">{name}</text>"##,
            "</svg>"
        ),
        size = size,
        height = height,
        path = path,
        mid = mid,
        // Below the quiet zone, which must stay blank.
        y1 = size + 22,
        y2 = size + 52,
        code = escape(code),
        name = escape(name),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_escaped_and_the_code_is_printed() {
        let svg = label_svg("CH-3-1-LT", "3栋 <楼梯间> & 天台").unwrap_or_default();
        assert!(svg.contains(">CH-3-1-LT</text>"));
        assert!(svg.contains("3栋 &lt;楼梯间&gt; &amp; 天台"));
        assert!(svg.contains("<path fill=\"#000\" d=\"M"));
    }
}
