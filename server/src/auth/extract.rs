//! The session middleware and the extractors routes use for role and site checks.

use super::{repo, token, SESSION_COOKIE};
use crate::config::CookieSecure;
use crate::http::error_response;
use crate::AppState;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use chrono::{Duration, Utc};
use domain::access::Area;
use domain::ids::SiteId;
use domain::session::StaffProfile;

/// The session behind this request, put in the request's extensions by [`resolve_session`].
/// (The [`StaffProfile`] alone is also put there, for the Leptos pages.)
#[derive(Clone)]
pub struct CurrentSession {
    pub profile: StaffProfile,
    pub token_sha256: Vec<u8>,
}

/// Paths that never need the session (static files): no database round trip for them.
fn is_static(path: &str) -> bool {
    path.starts_with("/pkg/")
        || path.starts_with("/icons/")
        || matches!(path, "/sw.js" | "/manifest.webmanifest" | "/favicon.ico")
}

/// Resolves the cookie into a [`CurrentSession`]; renews the session (and the cookie) when its
/// last renewal is more than a day old, so an active phone never expires.
pub async fn resolve_session(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    if is_static(req.uri().path()) {
        return next.run(req).await;
    }
    let jar = CookieJar::from_headers(req.headers());
    let Some(tok) = jar.get(SESSION_COOKIE).map(|c| c.value().to_owned()) else {
        return next.run(req).await;
    };
    let hash = token::token_hash(&tok);
    let now = Utc::now();
    let mut renew_cookie = None;
    // A database that cannot answer is not a signed-out user: say "try again", never 401, or a
    // phone would think its sign-in expired.
    let unavailable = || {
        crate::http::error_response(
            StatusCode::SERVICE_UNAVAILABLE,
            "retry_later",
            "try again shortly",
        )
    };
    match state.pool.acquire().await {
        Ok(mut conn) => match repo::live_session(&mut conn, &hash, now).await {
            Ok(Some(live)) => {
                if now - live.renewed_at > Duration::days(1) {
                    let expires = now + Duration::days(state.config.session_days);
                    match repo::renew_session(&mut conn, &hash, now, expires).await {
                        Ok(()) => renew_cookie = Some(tok.clone()),
                        Err(e) => tracing::warn!(error = %e, "session renewal failed"),
                    }
                }
                req.extensions_mut().insert(live.profile.clone());
                req.extensions_mut().insert(CurrentSession {
                    profile: live.profile,
                    token_sha256: hash,
                });
            }
            Ok(None) => {}
            Err(e) => {
                tracing::error!(error = %e, "session lookup failed");
                return unavailable();
            }
        },
        Err(e) => {
            tracing::error!(error = %e, "no database connection for session lookup");
            return unavailable();
        }
    }
    let secure = wants_secure(&state, req.headers());
    let mut resp = next.run(req).await;
    if let Some(tok) = renew_cookie {
        if let Ok(v) = HeaderValue::from_str(
            &session_cookie(tok, state.config.session_days, secure).to_string(),
        ) {
            resp.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    resp
}

/// Whether the cookie gets `Secure` for this request.
pub fn wants_secure(state: &AppState, headers: &HeaderMap) -> bool {
    match state.config.cookie_secure {
        CookieSecure::Always => true,
        CookieSecure::Never => false,
        CookieSecure::Auto => {
            state.config.trust_proxy
                && headers
                    .get("x-forwarded-proto")
                    .and_then(|v| v.to_str().ok())
                    .is_some_and(|v| v.eq_ignore_ascii_case("https"))
        }
    }
}

pub fn session_cookie(token: String, days: i64, secure: bool) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, token))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(time_days(days))
        .build()
}

pub fn expired_cookie(secure: bool) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, ""))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(time_days(0))
        .build()
}

fn time_days(days: i64) -> time::Duration {
    time::Duration::days(days)
}

/// Why an API request was refused before it reached its handler.
#[derive(Debug, thiserror::Error)]
pub enum AccessError {
    #[error("sign in first")]
    Unauthenticated,
    #[error("your role may not use this")]
    Forbidden,
    #[error("you are not assigned to this site")]
    SiteForbidden,
}

impl IntoResponse for AccessError {
    fn into_response(self) -> Response {
        match self {
            AccessError::Unauthenticated => {
                error_response(StatusCode::UNAUTHORIZED, "unauthenticated", "sign in first")
            }
            AccessError::Forbidden => error_response(
                StatusCode::FORBIDDEN,
                "forbidden",
                "your role may not use this",
            ),
            AccessError::SiteForbidden => error_response(
                StatusCode::FORBIDDEN,
                "site_forbidden",
                "you are not assigned to this site",
            ),
        }
    }
}

/// Extractor: a signed-in staff member, or 401.
pub struct Authenticated(pub CurrentSession);

impl<S: Send + Sync> FromRequestParts<S> for Authenticated {
    type Rejection = AccessError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<CurrentSession>()
            .cloned()
            .map(Authenticated)
            .ok_or(AccessError::Unauthenticated)
    }
}

/// 403 unless `ok`: a role rule the caller evaluated (`allow(sees_passes(role))?`).
pub fn allow(ok: bool) -> Result<(), AccessError> {
    if ok {
        Ok(())
    } else {
        Err(AccessError::Forbidden)
    }
}

impl Authenticated {
    /// The staff member as the domain's rules see them.
    pub fn actor(&self) -> domain::work_orders::Actor {
        let p = &self.0.profile;
        domain::work_orders::Actor {
            staff_id: p.staff_id,
            role: p.role,
            sites: p.sites.iter().map(|s| s.id).collect(),
        }
    }

    pub fn profile(&self) -> &StaffProfile {
        &self.0.profile
    }

    /// 403 unless the role may use `area`.
    pub fn require(&self, area: Area) -> Result<&StaffProfile, AccessError> {
        if area.allows(self.0.profile.role) {
            Ok(&self.0.profile)
        } else {
            Err(AccessError::Forbidden)
        }
    }

    /// 403 unless the staff member is assigned to `site`.
    pub fn require_site(&self, site: SiteId) -> Result<&StaffProfile, AccessError> {
        if self.0.profile.may_see_site(site) {
            Ok(&self.0.profile)
        } else {
            Err(AccessError::SiteForbidden)
        }
    }
}
