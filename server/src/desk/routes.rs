//! The front-desk REST API. Every handler checks the role and the site; the steps' own role
//! rules (who acts at which hour, who reviews, who takes money) are the domain's.
//!
//! - `GET/PUT /api/v1/sites/{site}/desk/settings` office hours (per site, requirements §4 C26)
//! - `GET /api/v1/units/{id}/residents` who may ask (numbers masked)
//! - `GET/POST /api/v1/sites/{site}/lock-openings`, `GET /api/v1/lock-openings/{id}`,
//!   `POST /api/v1/lock-openings/{id}/steps` (a `LockOpeningCommand`; `dispatch` makes the
//!   engineering order)
//! - `GET/POST /api/v1/sites/{site}/renovations`, `GET /api/v1/renovations/{id}`,
//!   `POST /api/v1/renovations/{id}/steps` (a `RenovationCommand`)

use super::{orders, repo};
use crate::auth::extract::allow;
use crate::auth::extract::Authenticated;
use crate::http::parse_id;
use crate::http::{ApiError, ApiJson};
use crate::work_orders::repo as wo_repo;
use crate::work_orders::routes::parse_site;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::Utc;
use domain::calendar::local_date;
use domain::desk::lock_opening::{self, LockFacts, LockOpeningCommand, LockRefusal};
use domain::desk::renovation::{self, RenovationCommand, RenovationFacts, RenovationRefusal};
use domain::desk::views::{
    DeskSettings, LockOpeningSummary, LockOpeningView, NewLockOpening, RenovationSummary,
    RenovationView, UnitResident, UnitResidents,
};
use domain::desk::OfficeHours;
use domain::ids::{SiteId, UnitId};
use domain::people::{IdCardNumber, PhoneNumber, Role};
use serde::Deserialize;
use uuid::Uuid;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/sites/{site}/desk/settings",
            get(get_settings).put(put_settings),
        )
        .route("/api/v1/units/{id}/residents", get(unit_residents))
        .route(
            "/api/v1/sites/{site}/lock-openings",
            get(list_locks).post(create_lock),
        )
        .route("/api/v1/lock-openings/{id}", get(lock_detail))
        .route("/api/v1/lock-openings/{id}/steps", post(lock_step))
        .route(
            "/api/v1/sites/{site}/renovations",
            get(list_renovations).post(create_renovation),
        )
        .route("/api/v1/renovations/{id}", get(renovation_detail))
        .route("/api/v1/renovations/{id}/steps", post(renovation_step))
}

/// Roles that work with lock-openings: the desk and its managers, security, engineering (who
/// open the lock), the administrator.
fn sees_lock_openings(role: Role) -> bool {
    matches!(
        role,
        Role::Desk | Role::CsMgr | Role::CenterMgr | Role::Security | Role::EngMgr | Role::Admin
    )
}

/// Everyone with a part in a renovation: all but technicians.
fn sees_renovations(role: Role) -> bool {
    role != Role::Tech
}

fn lock_refused(e: LockRefusal) -> ApiError {
    let status = match e {
        LockRefusal::WrongRoleForHours | LockRefusal::SiteForbidden => StatusCode::FORBIDDEN,
        LockRefusal::NotFound | LockRefusal::UnitNotFound => StatusCode::NOT_FOUND,
        LockRefusal::AlreadyExists | LockRefusal::WrongStatus { .. } => StatusCode::CONFLICT,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    ApiError::coded(status, e.code(), e.to_string())
}

fn renovation_refused(e: RenovationRefusal) -> ApiError {
    let status = match e {
        RenovationRefusal::Forbidden(_) | RenovationRefusal::SiteForbidden => StatusCode::FORBIDDEN,
        RenovationRefusal::NotFound | RenovationRefusal::UnitNotFound => StatusCode::NOT_FOUND,
        RenovationRefusal::AlreadyExists | RenovationRefusal::WrongStatus { .. } => {
            StatusCode::CONFLICT
        }
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    ApiError::coded(status, e.code(), e.to_string())
}

// --- settings ----------------------------------------------------------------------------------

pub async fn get_settings(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
) -> Result<Json<DeskSettings>, ApiError> {
    let site = parse_site(&site)?;
    auth.require_site(site)?;
    let mut conn = state.pool.acquire().await?;
    let hours = repo::office_hours(&mut conn, site).await?;
    let now = Utc::now();
    Ok(Json(DeskSettings {
        office_hours: hours,
        in_office_hours: hours.contains(now),
        now,
    }))
}

pub async fn put_settings(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
    ApiJson(hours): ApiJson<OfficeHours>,
) -> Result<Json<DeskSettings>, ApiError> {
    allow(matches!(
        auth.profile().role,
        Role::CsMgr | Role::CenterMgr | Role::Admin
    ))?;
    let site = parse_site(&site)?;
    auth.require_site(site)?;
    hours
        .validate()
        .map_err(|m| ApiError::coded(StatusCode::UNPROCESSABLE_ENTITY, "invalid_hours", m))?;
    let mut conn = state.pool.acquire().await?;
    let now = Utc::now();
    repo::save_office_hours(&mut conn, site, &hours, auth.profile().staff_id, now).await?;
    Ok(Json(DeskSettings {
        office_hours: hours,
        in_office_hours: hours.contains(now),
        now,
    }))
}

// --- residents ---------------------------------------------------------------------------------

pub async fn unit_residents(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
) -> Result<Json<UnitResidents>, ApiError> {
    allow(domain::privacy::may_reveal(auth.profile().role))?;
    let unit = UnitId(parse_id(&id)?);
    let mut conn = state.pool.acquire().await?;
    let (site, label) = crate::reference::repo::unit_site_and_label(&mut conn, unit)
        .await?
        .ok_or_else(|| ApiError::not_found("unit"))?;
    auth.require_site(site)?;
    let residents = repo::unit_residents(&mut conn, unit)
        .await?
        .into_iter()
        .map(|r| UnitResident {
            id: r.id,
            name: r.name,
            role: r.role,
            phone_masked: r
                .phone
                .as_deref()
                .and_then(|p| PhoneNumber::parse(p).ok())
                .map(|p| p.masked()),
            id_card_masked: r
                .id_card
                .as_deref()
                .and_then(|i| IdCardNumber::parse(i).ok())
                .map(|i| i.masked()),
            has_id_on_file: r.id_card.is_some(),
        })
        .collect();
    Ok(Json(UnitResidents {
        unit_id: unit,
        label,
        residents,
    }))
}

// --- lock-openings -----------------------------------------------------------------------------

pub async fn list_locks(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
) -> Result<Json<Vec<LockOpeningSummary>>, ApiError> {
    allow(sees_lock_openings(auth.profile().role))?;
    let site = parse_site(&site)?;
    auth.require_site(site)?;
    let mut conn = state.pool.acquire().await?;
    Ok(Json(repo::list_locks(&mut conn, site, 100).await?))
}

async fn lock_view(
    conn: &mut sqlx::PgConnection,
    record: domain::desk::lock_opening::LockOpening,
) -> Result<LockOpeningView, ApiError> {
    let label = crate::reference::repo::unit_site_and_label(conn, record.unit_id)
        .await?
        .map(|(_, l)| l)
        .unwrap_or_default();
    let names = wo_repo::staff_names(conn, &[record.verified_by.0]).await?;
    let order = match record.work_order_id {
        Some(w) => repo::linked_order(conn, w.0).await?,
        None => None,
    };
    Ok(LockOpeningView {
        unit_label: label,
        verified_by_name: names.into_iter().next().map(|(_, n)| n).unwrap_or_default(),
        order,
        record,
    })
}

pub async fn create_lock(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
    ApiJson(body): ApiJson<NewLockOpening>,
) -> Result<(StatusCode, Json<LockOpeningView>), ApiError> {
    allow(sees_lock_openings(auth.profile().role))?;
    let site = parse_site(&site)?;
    auth.require_site(site)?;
    let mut tx = state.pool.begin().await?;
    if repo::load_lock(&mut tx, body.id, false).await?.is_some() {
        return Err(lock_refused(LockRefusal::AlreadyExists));
    }
    let facts = lock_facts(&mut tx, site, Some(body.unit_id)).await?;
    // The unit must be of the site in the path, or the record would land on another site.
    let facts = LockFacts {
        unit_site: facts.unit_site.filter(|s| *s == site),
        ..facts
    };
    let cmd = LockOpeningCommand::Verify {
        unit_id: body.unit_id,
        resident_id: body.resident_id,
        documents: body.documents,
        id_number: body.id_number,
        reason: body.reason,
    };
    let now = Utc::now();
    let record = lock_opening::apply(None, body.id, &cmd, &auth.actor(), &facts, now)
        .map_err(lock_refused)?;
    repo::save_lock(&mut tx, &record, 1, now).await?;
    let view = lock_view(&mut tx, record).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(view)))
}

async fn lock_facts(
    conn: &mut sqlx::PgConnection,
    site: SiteId,
    unit: Option<UnitId>,
) -> Result<LockFacts, ApiError> {
    let hours = repo::office_hours(conn, site).await?;
    let Some(unit) = unit else {
        return Ok(LockFacts {
            hours,
            ..LockFacts::default()
        });
    };
    let unit_site = crate::reference::repo::unit_site_and_label(conn, unit)
        .await?
        .map(|(s, _)| s);
    let residents = repo::unit_residents(conn, unit)
        .await?
        .iter()
        .map(repo::ArchivedResident::on_file)
        .collect();
    Ok(LockFacts {
        hours,
        unit_site,
        residents,
    })
}

pub async fn lock_detail(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
) -> Result<Json<LockOpeningView>, ApiError> {
    allow(sees_lock_openings(auth.profile().role))?;
    let id = parse_id(&id)?;
    let mut conn = state.pool.acquire().await?;
    let (record, _) = repo::load_lock(&mut conn, id, false)
        .await?
        .ok_or_else(|| ApiError::not_found("lock-opening"))?;
    auth.require_site(record.site_id)?;
    Ok(Json(lock_view(&mut conn, record).await?))
}

pub async fn lock_step(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
    ApiJson(cmd): ApiJson<LockOpeningCommand>,
) -> Result<Json<LockOpeningView>, ApiError> {
    allow(sees_lock_openings(auth.profile().role))?;
    let id = parse_id(&id)?;
    let actor = auth.actor();
    // A dispatch's order number is reserved before the record is locked (as a push does).
    let mut tx = state.pool.begin().await?;
    let (cur, version) = repo::load_lock(&mut tx, id, true)
        .await?
        .ok_or_else(|| ApiError::not_found("lock-opening"))?;
    auth.require_site(cur.site_id)?;
    let facts = lock_facts(&mut tx, cur.site_id, Some(cur.unit_id)).await?;
    let now = Utc::now();
    let next =
        lock_opening::apply(Some(&cur), id, &cmd, &actor, &facts, now).map_err(lock_refused)?;
    if let (LockOpeningCommand::Dispatch { work_order_id }, Some(form)) = (&cmd, next.form) {
        let label = crate::reference::repo::unit_site_and_label(&mut tx, cur.unit_id)
            .await?
            .map(|(_, l)| l)
            .unwrap_or_default();
        // The call-back number: the requester's on file, else the owner's who consented.
        let residents = repo::unit_residents(&mut tx, cur.unit_id).await?;
        let phone_of = |rid: domain::ids::ResidentId| {
            residents
                .iter()
                .find(|r| r.id == rid)
                .and_then(|r| r.phone.clone())
        };
        let phone = phone_of(cur.resident_id)
            .or_else(|| {
                cur.owner_consent
                    .as_ref()
                    .and_then(|c| phone_of(c.owner_id))
            })
            .unwrap_or_default();
        let mut order = match orders::build(
            &mut tx,
            *work_order_id,
            &next,
            form,
            &label,
            phone,
            &actor,
            now,
        )
        .await
        {
            Ok(o) => o,
            Err(orders::OrderFailure::Db(e)) => return Err(e.into()),
            Err(orders::OrderFailure::Refused(e)) => {
                return Err(ApiError::coded(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "order_refused",
                    e.to_string(),
                ))
            }
        };
        if !wo_repo::load(&mut tx, &[work_order_id.0], false)
            .await?
            .is_empty()
        {
            return Err(ApiError::coded(
                StatusCode::CONFLICT,
                "already_exists",
                "this work order id is taken",
            ));
        }
        orders::number(&state.pool, &mut order).await?;
        orders::store(&mut tx, order, now).await?;
    }
    repo::save_lock(&mut tx, &next, version + 1, now).await?;
    let view = lock_view(&mut tx, next).await?;
    tx.commit().await?;
    Ok(Json(view))
}

// --- renovations -------------------------------------------------------------------------------

#[derive(Deserialize)]
pub struct RenovationFilter {
    #[serde(default)]
    active: bool,
}

pub async fn list_renovations(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
    Query(f): Query<RenovationFilter>,
) -> Result<Json<Vec<RenovationSummary>>, ApiError> {
    allow(sees_renovations(auth.profile().role))?;
    let site = parse_site(&site)?;
    auth.require_site(site)?;
    let mut conn = state.pool.acquire().await?;
    let today = local_date(Utc::now());
    Ok(Json(
        repo::list_renovations(&mut conn, site, f.active, today).await?,
    ))
}

async fn renovation_view(
    conn: &mut sqlx::PgConnection,
    r: domain::desk::renovation::Renovation,
) -> Result<RenovationView, ApiError> {
    let label = crate::reference::repo::unit_site_and_label(conn, r.unit_id)
        .await?
        .map(|(_, l)| l)
        .unwrap_or_default();
    let mut ids: Vec<Uuid> = r.history.iter().map(|h| h.by.0).collect();
    ids.extend(r.patrols.iter().map(|p| p.by.0));
    ids.extend(r.inspection.iter().map(|i| i.engineer.0));
    ids.sort();
    ids.dedup();
    let names = wo_repo::staff_names(conn, &ids)
        .await?
        .into_iter()
        .map(|(s, n)| (s.0, n))
        .collect();
    Ok(RenovationView::new(r, label, local_date(Utc::now()), names))
}

/// `POST /api/v1/sites/{site}/renovations`: an `apply` command with the record's new id.
#[derive(Deserialize)]
pub struct NewRenovation {
    id: Uuid,
    #[serde(flatten)]
    application: renovation::RenovationApplication,
}

pub async fn create_renovation(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
    ApiJson(body): ApiJson<NewRenovation>,
) -> Result<(StatusCode, Json<RenovationView>), ApiError> {
    allow(sees_renovations(auth.profile().role))?;
    let site = parse_site(&site)?;
    auth.require_site(site)?;
    let mut tx = state.pool.begin().await?;
    if repo::load_renovation(&mut tx, body.id, false)
        .await?
        .is_some()
    {
        return Err(renovation_refused(RenovationRefusal::AlreadyExists));
    }
    let unit_site = crate::reference::repo::unit_site_and_label(&mut tx, body.application.unit_id)
        .await?
        .map(|(s, _)| s)
        .filter(|s| *s == site);
    let facts = RenovationFacts {
        unit_site,
        calendar: crate::care::repo::calendar(&mut tx, site).await?,
    };
    let now = Utc::now();
    let r = renovation::apply(
        None,
        body.id,
        &RenovationCommand::Apply(body.application),
        &auth.actor(),
        &facts,
        now,
    )
    .map_err(renovation_refused)?;
    repo::save_renovation(&mut tx, &r, 1, now).await?;
    let view = renovation_view(&mut tx, r).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(view)))
}

pub async fn renovation_detail(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
) -> Result<Json<RenovationView>, ApiError> {
    allow(sees_renovations(auth.profile().role))?;
    let id = parse_id(&id)?;
    let mut conn = state.pool.acquire().await?;
    let (r, _) = repo::load_renovation(&mut conn, id, false)
        .await?
        .ok_or_else(|| ApiError::not_found("renovation"))?;
    auth.require_site(r.site_id)?;
    Ok(Json(renovation_view(&mut conn, r).await?))
}

pub async fn renovation_step(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
    ApiJson(cmd): ApiJson<RenovationCommand>,
) -> Result<Json<RenovationView>, ApiError> {
    allow(sees_renovations(auth.profile().role))?;
    let id = parse_id(&id)?;
    if matches!(cmd, RenovationCommand::Apply(_)) {
        return Err(renovation_refused(RenovationRefusal::AlreadyExists));
    }
    let now = Utc::now();
    let mut tx = state.pool.begin().await?;
    let (cur, version) = repo::load_renovation(&mut tx, id, true)
        .await?
        .ok_or_else(|| ApiError::not_found("renovation"))?;
    auth.require_site(cur.site_id)?;
    let actor = auth.actor();
    // Check the step first; only a step that would pass reserves a permit number.
    let check = match &cmd {
        RenovationCommand::IssuePermit { .. } => RenovationCommand::IssuePermit {
            permit_number: "ZX".into(),
        },
        c => c.clone(),
    };
    let mut next = renovation::apply(
        Some(&cur),
        id,
        &check,
        &actor,
        &RenovationFacts::default(),
        now,
    )
    .map_err(renovation_refused)?;
    if let RenovationCommand::IssuePermit { .. } = cmd {
        let period = now
            .with_timezone(&domain::work_orders::sla::china())
            .format("%Y-%m")
            .to_string();
        let mut counter = state.pool.acquire().await?;
        let n = wo_repo::reserve_serials(&mut counter, cur.site_id, "ZX", &period, 1).await?;
        drop(counter);
        let permit_number = wo_repo::serial("ZX", &period, n);
        next = renovation::apply(
            Some(&cur),
            id,
            &RenovationCommand::IssuePermit { permit_number },
            &actor,
            &RenovationFacts::default(),
            now,
        )
        .map_err(renovation_refused)?;
    }
    repo::save_renovation(&mut tx, &next, version + 1, now).await?;
    let view = renovation_view(&mut tx, next).await?;
    tx.commit().await?;
    Ok(Json(view))
}
