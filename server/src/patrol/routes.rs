//! The patrol REST API. Checkpoints and routes are edited by the customer-service manager, the
//! centre manager and the administrator of the site; they also read the day list, round
//! reports, the month's figures and the cases. An officer may read the report of their own
//! round. Notifications are read by whoever they are for.
//!
//! - `GET/POST /api/v1/sites/{site}/checkpoints`, `PUT /api/v1/checkpoints/{id}`,
//!   `GET /api/v1/checkpoints/{id}/qr.svg`
//! - `GET/POST /api/v1/sites/{site}/routes`, `PUT /api/v1/routes/{id}`
//! - `GET /api/v1/sites/{site}/patrol/rounds?date=YYYY-MM-DD`, `GET /api/v1/rounds/{id}`,
//!   `GET /api/v1/sites/{site}/patrol/stats?month=YYYY-MM`
//! - `GET /api/v1/sites/{site}/cases?status=open|closed`, `POST /api/v1/cases/{id}/close`
//! - `GET /api/v1/notifications?unread=true`, `POST /api/v1/notifications/{id}/read`

use super::{qr, repo};
use crate::auth::extract::{AccessError, Authenticated};
use crate::http::is_unique_violation;
use crate::http::parse_id;
use crate::http::require_site_exists;
use crate::http::{ApiError, ApiJson};
use crate::work_orders::routes::parse_site;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{NaiveDate, Utc};
use domain::ids::{CheckpointId, RoundId, RouteId};
use domain::patrol::report::{completion, suspicions};
use domain::patrol::route::{Checkpoint, Route};
use domain::patrol::views::{
    CaseStatus, CaseView, CheckpointInput, CloseCaseRequest, DayRounds, FieldError,
    NotificationView, PatrolStats, RoundReport, RoundSummary, RouteInput, StopReport,
};
use domain::people::Role;
use serde::Deserialize;
use sqlx::PgConnection;
use uuid::Uuid;

/// The roles that manage patrols and see every round of their sites.
pub fn manages_patrols(role: Role) -> bool {
    matches!(role, Role::CsMgr | Role::CenterMgr | Role::Admin)
}

fn require_manager(auth: &Authenticated) -> Result<(), AccessError> {
    if manages_patrols(auth.profile().role) {
        Ok(())
    } else {
        Err(AccessError::Forbidden)
    }
}

fn invalid(code: &'static str, e: FieldError) -> ApiError {
    ApiError::coded(StatusCode::UNPROCESSABLE_ENTITY, code, e.to_string())
}

// --- checkpoints -----------------------------------------------------------------------------

pub async fn list_checkpoints(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
) -> Result<Json<Vec<Checkpoint>>, ApiError> {
    require_manager(&auth)?;
    let site = parse_site(&site)?;
    auth.require_site(site)?;
    let mut conn = state.pool.acquire().await?;
    Ok(Json(
        repo::site_checkpoints(&mut conn, &[site.0], false).await?,
    ))
}

fn code_taken() -> ApiError {
    ApiError::coded(
        StatusCode::CONFLICT,
        "code_taken",
        "another checkpoint (of this or another site) has this code",
    )
}

async fn save_checkpoint(conn: &mut PgConnection, c: &Checkpoint) -> Result<(), ApiError> {
    repo::save_checkpoint(conn, c, Utc::now())
        .await
        .map_err(|e| {
            if is_unique_violation(&e) {
                code_taken()
            } else {
                e.into()
            }
        })
}

pub async fn create_checkpoint(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
    ApiJson(input): ApiJson<CheckpointInput>,
) -> Result<(StatusCode, Json<Checkpoint>), ApiError> {
    require_manager(&auth)?;
    let site = parse_site(&site)?;
    auth.require_site(site)?;
    let c = input
        .to_checkpoint(CheckpointId(Uuid::now_v7()), site)
        .map_err(|e| invalid("invalid_checkpoint", e))?;
    let mut conn = state.pool.acquire().await?;
    require_site_exists(&mut conn, site).await?;
    save_checkpoint(&mut conn, &c).await?;
    Ok((StatusCode::CREATED, Json(c)))
}

pub async fn update_checkpoint(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<CheckpointInput>,
) -> Result<Json<Checkpoint>, ApiError> {
    require_manager(&auth)?;
    let id = CheckpointId(parse_id(&id)?);
    let mut tx = state.pool.begin().await?;
    let old = repo::checkpoint(&mut tx, id)
        .await?
        .ok_or_else(|| ApiError::not_found("checkpoint"))?;
    auth.require_site(old.site_id)?;
    let mut c = input
        .to_checkpoint(id, old.site_id)
        .map_err(|e| invalid("invalid_checkpoint", e))?;
    // Left out, the checklist stays as the site edited it (unless the area changed).
    if input.items.is_none() && input.area == old.area {
        c.items = old.items;
    }
    if !c.active {
        let on_routes = repo::routes(&mut tx, &[old.site_id.0], None, true)
            .await?
            .into_iter()
            .filter(|r| r.checkpoints.contains(&id))
            .map(|r| r.name)
            .collect::<Vec<_>>();
        if !on_routes.is_empty() {
            return Err(ApiError::coded(
                StatusCode::CONFLICT,
                "checkpoint_in_use",
                format!(
                    "take it off the active routes first: {}",
                    on_routes.join("、")
                ),
            ));
        }
    }
    save_checkpoint(&mut tx, &c).await?;
    tx.commit().await?;
    Ok(Json(c))
}

/// The printable label: QR code of the checkpoint's code, the code and name under it.
pub async fn checkpoint_qr(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    require_manager(&auth)?;
    let id = CheckpointId(parse_id(&id)?);
    let mut conn = state.pool.acquire().await?;
    let c = repo::checkpoint(&mut conn, id)
        .await?
        .ok_or_else(|| ApiError::not_found("checkpoint"))?;
    auth.require_site(c.site_id)?;
    let svg = qr::label_svg(&c.code, &c.name_zh).map_err(|e| {
        ApiError::coded(
            StatusCode::UNPROCESSABLE_ENTITY,
            "qr_failed",
            format!("the code cannot be encoded: {e}"),
        )
    })?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml; charset=utf-8"),
            (header::CACHE_CONTROL, "private, no-cache"),
        ],
        svg,
    )
        .into_response())
}

// --- routes ----------------------------------------------------------------------------------

pub async fn list_routes(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
) -> Result<Json<Vec<Route>>, ApiError> {
    require_manager(&auth)?;
    let site = parse_site(&site)?;
    auth.require_site(site)?;
    let mut conn = state.pool.acquire().await?;
    Ok(Json(repo::routes(&mut conn, &[site.0], None, false).await?))
}

/// Every checkpoint of the route must be the site's; an active route only active ones (a round
/// could not be planned otherwise).
async fn check_route_checkpoints(conn: &mut PgConnection, r: &Route) -> Result<(), ApiError> {
    let ids: Vec<Uuid> = r.checkpoints.iter().map(|c| c.0).collect();
    let found = repo::checkpoints_by_ids(conn, &ids).await?;
    for id in &r.checkpoints {
        match found.iter().find(|c| c.id == *id && c.site_id == r.site_id) {
            None => {
                return Err(ApiError::coded(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "unknown_checkpoint",
                    format!("checkpoint {id} is not one of this site's"),
                ))
            }
            Some(c) if r.active && !c.active => {
                return Err(ApiError::coded(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "inactive_checkpoint",
                    format!("checkpoint {} is inactive", c.code),
                ))
            }
            Some(_) => {}
        }
    }
    Ok(())
}

pub async fn create_route(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
    ApiJson(input): ApiJson<RouteInput>,
) -> Result<(StatusCode, Json<Route>), ApiError> {
    require_manager(&auth)?;
    let site = parse_site(&site)?;
    auth.require_site(site)?;
    let r = input
        .to_route(RouteId(Uuid::now_v7()), site)
        .map_err(|e| invalid("invalid_route", e))?;
    let mut tx = state.pool.begin().await?;
    require_site_exists(&mut tx, site).await?;
    check_route_checkpoints(&mut tx, &r).await?;
    repo::save_route(&mut tx, &r, Utc::now()).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(r)))
}

pub async fn update_route(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<RouteInput>,
) -> Result<Json<Route>, ApiError> {
    require_manager(&auth)?;
    let id = RouteId(parse_id(&id)?);
    let mut tx = state.pool.begin().await?;
    let old = repo::route(&mut tx, id)
        .await?
        .ok_or_else(|| ApiError::not_found("route"))?;
    auth.require_site(old.site_id)?;
    let r = input
        .to_route(id, old.site_id)
        .map_err(|e| invalid("invalid_route", e))?;
    check_route_checkpoints(&mut tx, &r).await?;
    repo::save_route(&mut tx, &r, Utc::now()).await?;
    tx.commit().await?;
    Ok(Json(r))
}

// --- rounds ----------------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
pub struct DayQuery {
    date: Option<String>,
}

pub async fn day_rounds(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
    Query(q): Query<DayQuery>,
) -> Result<Json<DayRounds>, ApiError> {
    require_manager(&auth)?;
    let site = parse_site(&site)?;
    auth.require_site(site)?;
    let date = match q.date.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        None => crate::http::today_in_china(),
        Some(d) => NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| {
            ApiError::coded(
                StatusCode::BAD_REQUEST,
                "bad_date",
                "date must be YYYY-MM-DD",
            )
        })?,
    };
    let next = date.succ_opt().unwrap_or(date);
    let mut conn = state.pool.acquire().await?;
    let rows = repo::rounds_between(&mut conn, site, date, next).await?;
    let rounds: Vec<_> = rows.iter().map(|r| &r.stored.round).collect();
    let completion = completion(&rounds);
    let daily_routes_without_round =
        repo::daily_routes_without_round(&mut conn, site, date).await?;
    Ok(Json(DayRounds {
        site_id: site,
        date,
        completion,
        rounds: rows
            .into_iter()
            .map(|r| {
                RoundSummary::of(
                    &r.stored.round,
                    r.stored.route_id,
                    r.stored.version,
                    r.officer_name,
                )
            })
            .collect(),
        daily_routes_without_round,
    }))
}

pub async fn round_report(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
) -> Result<Json<RoundReport>, ApiError> {
    let id = RoundId(parse_id(&id)?);
    let mut conn = state.pool.acquire().await?;
    let row = repo::round_full(&mut conn, id)
        .await?
        .ok_or_else(|| ApiError::not_found("round"))?;
    let round = row.stored.round;
    auth.require_site(round.site_id)?;
    let me = auth.profile();
    if !manages_patrols(me.role) && round.officer != me.staff_id {
        return Err(AccessError::Forbidden.into());
    }
    let orders = repo::orders_of_round(&mut conn, id).await?;
    let cases = repo::cases(
        &mut conn,
        &repo::CaseFilter {
            round: Some(id),
            ..repo::CaseFilter::default()
        },
    )
    .await?;
    Ok(Json(RoundReport {
        summary: RoundSummary::of(
            &round,
            row.stored.route_id,
            row.stored.version,
            row.officer_name,
        ),
        site_name: row.site_name,
        stops: StopReport::of_round(&round),
        suspicions: suspicions(&round),
        orders,
        cases,
        received_at: row.received_at,
        updated_at: row.updated_at,
        round,
    }))
}

#[derive(Debug, Deserialize)]
pub struct MonthQuery {
    month: Option<String>,
}

pub async fn stats(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
    Query(q): Query<MonthQuery>,
) -> Result<Json<PatrolStats>, ApiError> {
    require_manager(&auth)?;
    let site = parse_site(&site)?;
    auth.require_site(site)?;
    let (month, from, until) = crate::http::month_or_current(q.month.as_deref())?;
    let mut conn = state.pool.acquire().await?;
    let rows = repo::rounds_between(&mut conn, site, from, until).await?;
    let buildings = repo::buildings(&mut conn, &[site.0]).await?;
    let rounds: Vec<_> = rows.iter().map(|r| &r.stored.round).collect();
    let building_of = |c: CheckpointId| buildings.get(&c).cloned().flatten();
    Ok(Json(PatrolStats::of(site, month, &rounds, &building_of)))
}

// --- cases -----------------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
pub struct CaseQuery {
    status: Option<String>,
}

pub async fn list_cases(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
    Query(q): Query<CaseQuery>,
) -> Result<Json<Vec<CaseView>>, ApiError> {
    require_manager(&auth)?;
    let site = parse_site(&site)?;
    auth.require_site(site)?;
    let status = match q.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None | Some("all") => None,
        Some(s) => Some(CaseStatus::parse(s).ok_or_else(|| {
            ApiError::coded(
                StatusCode::BAD_REQUEST,
                "bad_status",
                "status must be open, closed or all",
            )
        })?),
    };
    let mut conn = state.pool.acquire().await?;
    Ok(Json(
        repo::cases(
            &mut conn,
            &repo::CaseFilter {
                site: Some(site),
                status,
                ..repo::CaseFilter::default()
            },
        )
        .await?,
    ))
}

/// Closes a case with what was done; the same fault found again later opens a new one.
pub async fn close_case(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<CloseCaseRequest>,
) -> Result<Json<CaseView>, ApiError> {
    require_manager(&auth)?;
    let id = parse_id(&id)?;
    let note = req.note.trim();
    if note.is_empty() || note.chars().count() > 500 {
        return Err(ApiError::coded(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_note",
            "note: 1–500 characters",
        ));
    }
    let filter = repo::CaseFilter {
        id: Some(id),
        ..repo::CaseFilter::default()
    };
    let mut tx = state.pool.begin().await?;
    let case = repo::cases(&mut tx, &filter)
        .await?
        .pop()
        .ok_or_else(|| ApiError::not_found("case"))?;
    auth.require_site(case.site_id)?;
    if !repo::close_case(&mut tx, id, auth.profile().staff_id, note, Utc::now()).await? {
        return Err(ApiError::coded(
            StatusCode::CONFLICT,
            "already_closed",
            "this case is closed already",
        ));
    }
    let case = repo::cases(&mut tx, &filter)
        .await?
        .pop()
        .ok_or_else(|| ApiError::not_found("case"))?;
    tx.commit().await?;
    Ok(Json(case))
}

// --- notifications ---------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
pub struct NotificationQuery {
    #[serde(default)]
    unread: bool,
}

pub async fn list_notifications(
    State(state): State<AppState>,
    auth: Authenticated,
    Query(q): Query<NotificationQuery>,
) -> Result<Json<Vec<NotificationView>>, ApiError> {
    let me = auth.profile();
    let sites: Vec<Uuid> = me.sites.iter().map(|s| s.id.0).collect();
    let mut conn = state.pool.acquire().await?;
    Ok(Json(
        repo::notifications(&mut conn, &sites, me.role, me.staff_id, q.unread).await?,
    ))
}

pub async fn read_notification(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = parse_id(&id)?;
    let me = auth.profile();
    let sites: Vec<Uuid> = me.sites.iter().map(|s| s.id.0).collect();
    let mut conn = state.pool.acquire().await?;
    match repo::mark_read(&mut conn, id, &sites, me.role, me.staff_id, Utc::now()).await? {
        Some(_) => Ok(StatusCode::NO_CONTENT),
        None => Err(ApiError::not_found("notification")),
    }
}
