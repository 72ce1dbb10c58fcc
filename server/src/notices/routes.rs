//! The notices REST API.
//!
//! - `GET /api/v1/sites/{site}/notices`: the board on today's date in China (current and
//!   upcoming; archived), any staff member of the site;
//! - `POST /api/v1/sites/{site}/notices`: publish (front office), a `NoticeInput`;
//! - `GET /api/v1/notices/{id}`: one notice with its state today (for the printed copy).

use super::repo;
use crate::auth::extract::{AccessError, Authenticated};
use crate::http::{today_in_china, ApiError, ApiJson};
use crate::work_orders::routes::parse_site;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use chrono::Utc;
use domain::notices::{NoticeBoard, NoticeInput, NoticeView};
use domain::occupancy::is_front_office;
use uuid::Uuid;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/sites/{site}/notices", get(board).post(publish))
        .route("/api/v1/notices/{id}", get(one))
}

pub async fn board(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
) -> Result<Json<NoticeBoard>, ApiError> {
    let site = parse_site(&site)?;
    auth.require_site(site)?;
    let today = today_in_china();
    let mut conn = state.pool.acquire().await?;
    let notices = repo::site_notices(&mut conn, site, today).await?;
    Ok(Json(NoticeBoard::sort(notices, today)))
}

pub async fn publish(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
    ApiJson(input): ApiJson<NoticeInput>,
) -> Result<(StatusCode, Json<NoticeView>), ApiError> {
    if !is_front_office(auth.profile().role) {
        return Err(AccessError::Forbidden.into());
    }
    let site = parse_site(&site)?;
    auth.require_site(site)?;
    let today = today_in_china();
    let n = input
        .publish(
            Uuid::now_v7(),
            site,
            auth.profile().staff_id,
            Utc::now(),
            today,
        )
        .map_err(|e| {
            let status = if e.code() == "invalid_input" {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::CONFLICT
            };
            ApiError::coded(status, e.code(), e.to_string())
        })?;
    let mut conn = state.pool.acquire().await?;
    if crate::work_orders::repo::site_name(&mut conn, site)
        .await?
        .is_none()
    {
        return Err(ApiError::not_found("site"));
    }
    repo::insert(&mut conn, &n).await?;
    Ok((
        StatusCode::CREATED,
        Json(NoticeView {
            state: n.state(today),
            record: n,
        }),
    ))
}

pub async fn one(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
) -> Result<Json<NoticeView>, ApiError> {
    let id = Uuid::parse_str(id.trim()).map_err(|_| ApiError::bad_id())?;
    let mut conn = state.pool.acquire().await?;
    let n = repo::notice(&mut conn, id)
        .await?
        .ok_or_else(|| ApiError::not_found("notice"))?;
    auth.require_site(n.site_id)?;
    Ok(Json(NoticeView {
        state: n.state(today_in_china()),
        record: n,
    }))
}
