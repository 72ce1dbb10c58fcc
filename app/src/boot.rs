//! What a page starts from: the signed-in profile and the language. The server reads them from
//! the request (the session middleware put the profile in its extensions) and embeds them in
//! the page as JSON; the browser reads that JSON back before hydrating, so both render alike,
//! and a page the service worker serves offline still knows its user.

use crate::i18n::Lang;
use domain::session::StaffProfile;
use serde::{Deserialize, Serialize};

pub const BOOT_ELEMENT_ID: &str = "wuye-boot";

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Boot {
    pub profile: Option<StaffProfile>,
    pub lang: Lang,
}

impl Boot {
    /// JSON safe to place inside a `<script>` element.
    pub fn to_script_json(&self) -> String {
        serde_json::to_string(self)
            .unwrap_or_else(|_| "{}".into())
            .replace('<', "\\u003c")
    }
}

#[cfg(feature = "ssr")]
pub fn current() -> Boot {
    use leptos::prelude::use_context;
    let Some(parts) = use_context::<http::request::Parts>() else {
        return Boot::default();
    };
    let lang = parts
        .headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == Lang::COOKIE)
        .map(|(_, v)| Lang::from_code(v))
        .unwrap_or_default();
    Boot {
        profile: parts.extensions.get::<StaffProfile>().cloned(),
        lang,
    }
}

#[cfg(all(feature = "hydrate", not(feature = "ssr")))]
pub fn current() -> Boot {
    crate::browser::element_text(BOOT_ELEMENT_ID)
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default()
}

#[cfg(not(any(feature = "ssr", feature = "hydrate")))]
pub fn current() -> Boot {
    Boot::default()
}
