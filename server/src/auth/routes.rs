//! `POST /api/v1/auth/login`, `POST /api/v1/auth/logout`, `GET /api/v1/me`.

use super::extract::{expired_cookie, session_cookie, wants_secure, Authenticated, CurrentSession};
use super::{password, repo, token};
use crate::http::{error_response, ApiJson};
use crate::AppState;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use axum_extra::extract::cookie::CookieJar;
use chrono::{Duration, Utc};
use domain::ids::StaffId;
use domain::login_policy::LoginGate;
use domain::session::{ApiErrorBody, LoginRequest, StaffProfile};
use std::net::SocketAddr;

/// Everything `login` can answer besides success.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("username or password missing or too long")]
    Invalid,
    #[error("wrong username or password")]
    BadCredentials,
    #[error("too many failed sign-ins")]
    Locked { retry_after_secs: i64 },
    #[error("account disabled")]
    Disabled,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error("password check failed: {0}")]
    Internal(String),
}

impl IntoResponse for LoginError {
    fn into_response(self) -> Response {
        match self {
            LoginError::Invalid => error_response(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_credentials_format",
                self.to_string(),
            ),
            LoginError::BadCredentials => error_response(
                StatusCode::UNAUTHORIZED,
                "bad_credentials",
                self.to_string(),
            ),
            LoginError::Disabled => {
                error_response(StatusCode::FORBIDDEN, "account_disabled", self.to_string())
            }
            LoginError::Locked { retry_after_secs } => (
                StatusCode::TOO_MANY_REQUESTS,
                [(header::RETRY_AFTER, retry_after_secs.to_string())],
                Json(ApiErrorBody {
                    code: "login_locked".into(),
                    message: self.to_string(),
                    retry_after_secs: Some(retry_after_secs),
                }),
            )
                .into_response(),
            LoginError::Db(ref e) => {
                tracing::error!(error = %e, "login failed on the database");
                error_response(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "internal error",
                )
            }
            LoginError::Internal(ref e) => {
                tracing::error!(error = %e, "login failed");
                error_response(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "internal error",
                )
            }
        }
    }
}

/// The caller's address: the socket peer, or the first `X-Forwarded-For` hop behind a trusted
/// proxy.
fn client_address(state: &AppState, headers: &HeaderMap, peer: SocketAddr) -> String {
    if state.config.trust_proxy {
        if let Some(first) = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
        {
            return first.trim().to_owned();
        }
    }
    peer.ip().to_string()
}

pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    jar: CookieJar,
    ApiJson(body): ApiJson<LoginRequest>,
) -> Result<(CookieJar, Json<StaffProfile>), LoginError> {
    let username = body.username.trim().to_lowercase();
    if username.is_empty()
        || username.len() > 64
        || body.password.is_empty()
        || body.password.len() > 256
    {
        return Err(LoginError::Invalid);
    }
    let address = client_address(&state, &headers, peer);
    let now = Utc::now();
    let limits = state.config.login_limits;
    let mut conn = state.pool.acquire().await?;
    let (acct, addr) =
        repo::count_failures(&mut conn, &username, &address, limits.window_start(now)).await?;
    if let LoginGate::LockedUntil(until) = limits.gate(acct, addr) {
        return Err(LoginError::Locked {
            retry_after_secs: (until - now).num_seconds().max(1),
        });
    }
    let row = repo::find_login(&mut conn, &username).await?;
    let stored = row
        .as_ref()
        .map(|r| r.password_hash.clone())
        .unwrap_or_else(|| password::DUMMY_HASH.to_owned());
    let pw = body.password;
    let ok = tokio::task::spawn_blocking(move || password::verify(&pw, &stored))
        .await
        .map_err(|e| LoginError::Internal(e.to_string()))?;
    let row = match row {
        Some(r) if ok => r,
        _ => {
            repo::record_attempt(&mut conn, &username, &address, now, false).await?;
            return Err(LoginError::BadCredentials);
        }
    };
    if !row.active {
        return Err(LoginError::Disabled);
    }
    repo::record_attempt(&mut conn, &username, &address, now, true).await?;
    repo::clear_failures(&mut conn, &username).await?;
    let tok = token::new_token();
    let staff = StaffId(row.id);
    let ua = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .chars()
        .take(200)
        .collect::<String>();
    repo::insert_session(
        &mut conn,
        &token::token_hash(&tok),
        staff,
        now,
        now + Duration::days(state.config.session_days),
        &ua,
    )
    .await?;
    let profile = repo::staff_profile(&mut conn, staff)
        .await?
        .ok_or_else(|| LoginError::Internal("staff vanished during sign-in".into()))?;
    let secure = wants_secure(&state, &headers);
    Ok((
        jar.add(session_cookie(tok, state.config.session_days, secure)),
        Json(profile),
    ))
}

pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    jar: CookieJar,
    session: Option<Extension<CurrentSession>>,
) -> Result<(CookieJar, StatusCode), LoginError> {
    if let Some(Extension(s)) = session {
        let mut conn = state.pool.acquire().await?;
        repo::delete_session(&mut conn, &s.token_sha256).await?;
    }
    let secure = wants_secure(&state, &headers);
    Ok((jar.add(expired_cookie(secure)), StatusCode::NO_CONTENT))
}

pub async fn me(auth: Authenticated) -> Json<StaffProfile> {
    Json(auth.0.profile)
}
