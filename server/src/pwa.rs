//! `/sw.js`: the service worker with this build's version stamped in, so a deploy replaces
//! the cached app shell on every phone.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use std::path::Path;
use std::sync::Arc;

/// Reads `sw.js` from the site root and stamps a hash of the shell files into it.
pub fn service_worker(site_root: &str, output_name: &str) -> Arc<String> {
    let root = Path::new(site_root);
    let mut hasher = Sha256::new();
    for f in ["wasm", "js", "css"] {
        if let Ok(bytes) = std::fs::read(root.join("pkg").join(format!("{output_name}.{f}"))) {
            hasher.update(&bytes);
        }
    }
    let build = hex::encode(&hasher.finalize()[..8]);
    let template = std::fs::read_to_string(root.join("sw.js")).unwrap_or_else(|e| {
        tracing::warn!(error = %e, "no sw.js in the site root; the app will not work offline");
        String::new()
    });
    Arc::new(template.replace("__BUILD__", &build))
}

pub fn serve(script: Arc<String>) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "application/javascript; charset=utf-8",
            ),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        script.as_str().to_owned(),
    )
        .into_response()
}
