//! The resident-visit REST API. Front desk, patrol officers (客户主任) and the customer-service
//! and centre managers of a site record visits; they and the administrator read the month's
//! progress and the not-visited list; the monthly chain is signed by the roles the site's
//! policy names; the policy is set by the centre manager or the administrator.
//!
//! - `POST /api/v1/sites/{site}/visits` (a [`VisitInput`]) → 201 [`VisitSaved`];
//!   `GET /api/v1/sites/{site}/visits?month=YYYY-MM&mine=true`
//! - `GET /api/v1/sites/{site}/visits/units?q=3-1-1201` (the form's unit search)
//! - `GET /api/v1/sites/{site}/visits/progress?month=YYYY-MM` → [`MonthProgress`]
//! - `GET /api/v1/sites/{site}/visits/unvisited?year=&building=&page=&per_page=` → [`UnvisitedPage`]
//! - `GET /api/v1/sites/{site}/visits/reports?month=YYYY-MM` → [`ChainView`];
//!   `POST /api/v1/sites/{site}/visits/reports/{YYYY-MM}/{records|summary|approval}`
//! - `GET`/`PUT /api/v1/sites/{site}/visits/policy`

use super::repo;
use crate::auth::extract::{AccessError, Authenticated};
use crate::http::require_site_exists;
use crate::http::{today_in_china, ApiError, ApiJson};
use crate::work_orders::routes::parse_site;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use domain::ids::{SiteId, StaffId};
use domain::people::Role;
use domain::reference::UnitQuery;
use domain::visits::cadence::cadence_progress;
use domain::visits::policy::VisitPolicy;
use domain::visits::quota::{quota_progress, year_coverage, CountedVisit};
use domain::visits::record::{
    check_visit, manages_visits, reads_visits, records_visits, visit_month, visit_warnings,
    VisitFacts, VisitId, VisitInput,
};
use domain::visits::reporting::{apply_step, chain_status, next_month, ReportStep, StepState};
use domain::visits::views::{
    ChainView, MonthProgress, PolicyRequest, StepDoneView, StepRequest, StepView, UnvisitedPage,
    VisitSaved, VisitUnit, VisitView, VisitorLine,
};
use domain::work_orders::sla::china;
use serde::Deserialize;
use sqlx::PgConnection;
use std::collections::HashMap;
use uuid::Uuid;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/sites/{site}/visits",
            get(list_visits).post(log_visit),
        )
        .route("/api/v1/sites/{site}/visits/units", get(search_units))
        .route("/api/v1/sites/{site}/visits/{id}", get(get_visit))
        .route("/api/v1/sites/{site}/visits/progress", get(progress))
        .route("/api/v1/sites/{site}/visits/unvisited", get(unvisited))
        .route("/api/v1/sites/{site}/visits/reports", get(chain))
        .route(
            "/api/v1/sites/{site}/visits/reports/{month}/{step}",
            post(do_step),
        )
        .route(
            "/api/v1/sites/{site}/visits/policy",
            get(get_policy).put(put_policy),
        )
}

fn require(auth: &Authenticated, rule: fn(Role) -> bool) -> Result<(), AccessError> {
    if rule(auth.profile().role) {
        Ok(())
    } else {
        Err(AccessError::Forbidden)
    }
}

fn coded(status: StatusCode, code: &'static str, msg: impl Into<String>) -> ApiError {
    ApiError::coded(status, code, msg)
}

/// `YYYY-MM` → its first day; left out, this month (China time).
fn parse_month(m: Option<&str>) -> Result<NaiveDate, ApiError> {
    crate::http::month_or_current(m).map(|(_, from, _)| from)
}

fn month_label(m: NaiveDate) -> String {
    m.format("%Y-%m").to_string()
}

/// Local midnight at the start of `d`, as an instant.
fn local_midnight(d: NaiveDate) -> DateTime<Utc> {
    china()
        .from_local_datetime(&d.and_time(chrono::NaiveTime::MIN))
        .single()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| d.and_time(chrono::NaiveTime::MIN).and_utc())
}

fn first_of_year(y: i32) -> Result<NaiveDate, ApiError> {
    NaiveDate::from_ymd_opt(y, 1, 1)
        .ok_or_else(|| coded(StatusCode::BAD_REQUEST, "bad_year", "year out of range"))
}

// --- recording --------------------------------------------------------------------------------

pub async fn log_visit(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
    ApiJson(input): ApiJson<VisitInput>,
) -> Result<(StatusCode, Json<VisitSaved>), ApiError> {
    require(&auth, records_visits)?;
    let site = parse_site(&site)?;
    auth.require_site(site)?;
    let me = auth.profile().staff_id;
    let mut tx = state.pool.begin().await?;
    require_site_exists(&mut tx, site).await?;
    let unit = repo::unit(&mut tx, input.unit_id).await?.ok_or_else(|| {
        coded(
            StatusCode::UNPROCESSABLE_ENTITY,
            "unit_not_found",
            "no such unit",
        )
    })?;
    if unit.site_id != site {
        return Err(coded(
            StatusCode::UNPROCESSABLE_ENTITY,
            "unit_other_site",
            "this household belongs to another site",
        ));
    }
    if !unit.occupancy.is_occupied() {
        return Err(coded(
            StatusCode::UNPROCESSABLE_ENTITY,
            "unit_vacant",
            "the unit is recorded as vacant: nobody to visit",
        ));
    }
    let policy = repo::policy(&mut tx, site).await?;
    let now = Utc::now();
    let month = visit_month(input.visited_at.unwrap_or(now));
    let signed_off = repo::month_signed_off(&mut tx, site, month).await?;
    let (visit, warnings) = check_visit(
        input,
        VisitId(Uuid::now_v7()),
        site,
        me,
        VisitFacts {
            policy: &policy,
            month_signed_off: signed_off,
        },
        now,
    )
    .map_err(|r| coded(StatusCode::UNPROCESSABLE_ENTITY, r.code(), r.to_string()))?;
    repo::insert_visit(&mut tx, &visit, month).await?;
    let view = repo::visits(&mut tx, site, Some(month), None, Some(visit.id))
        .await?
        .pop()
        .ok_or_else(|| ApiError::not_found("visit"))?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(VisitSaved {
            visit: view,
            warnings,
        }),
    ))
}

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    month: Option<String>,
    #[serde(default)]
    mine: bool,
}

/// The month's visits: a manager's whole site (or their own with `mine=true`); front desk and
/// patrol officers see their own only.
pub async fn list_visits(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Json<Vec<VisitView>>, ApiError> {
    require(&auth, reads_visits)?;
    let site = parse_site(&site)?;
    auth.require_site(site)?;
    let month = parse_month(q.month.as_deref())?;
    let me = auth.profile();
    let only: Option<StaffId> = if q.mine || !manages_visits(me.role) {
        Some(me.staff_id)
    } else {
        None
    };
    let mut conn = state.pool.acquire().await?;
    Ok(Json(
        repo::visits(&mut conn, site, Some(month), only, None).await?,
    ))
}

/// One visit, as the form shows it once saved: whether it counts toward the quota and what the
/// visitor is told (a visit recorded offline lands through the sync push; the phone reads it
/// back here). A visitor reads their own; a manager any of the site's.
pub async fn get_visit(
    State(state): State<AppState>,
    auth: Authenticated,
    Path((site, id)): Path<(String, String)>,
) -> Result<Json<VisitSaved>, ApiError> {
    require(&auth, reads_visits)?;
    let site = parse_site(&site)?;
    auth.require_site(site)?;
    let id = crate::http::parse_id(&id)?;
    let me = auth.profile();
    let only = (!manages_visits(me.role)).then_some(me.staff_id);
    let mut conn = state.pool.acquire().await?;
    let visit = repo::visits(&mut conn, site, None, only, Some(VisitId(id)))
        .await?
        .pop()
        .ok_or_else(|| ApiError::not_found("visit"))?;
    let policy = repo::policy(&mut conn, site).await?;
    let warnings = visit_warnings(visit.method, visit.visited_at, &policy);
    Ok(Json(VisitSaved { visit, warnings }))
}

#[derive(Debug, Deserialize)]
pub struct UnitSearch {
    q: String,
}

pub async fn search_units(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
    Query(UnitSearch { q }): Query<UnitSearch>,
) -> Result<Json<Vec<VisitUnit>>, ApiError> {
    require(&auth, records_visits)?;
    let site = parse_site(&site)?;
    auth.require_site(site)?;
    let q = UnitQuery::parse(&q).ok_or_else(|| {
        coded(
            StatusCode::BAD_REQUEST,
            "bad_query",
            "query must name a room, e.g. 3-1-1201 or 1201",
        )
    })?;
    let month = parse_month(None)?;
    let mut conn = state.pool.acquire().await?;
    Ok(Json(
        repo::search_units(
            &mut conn,
            site,
            q.building.as_deref(),
            q.entrance.as_deref(),
            &q.room,
            month,
            20,
        )
        .await?,
    ))
}

// --- progress ---------------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
pub struct MonthQuery {
    month: Option<String>,
}

/// The month against the quota (for the visits page and the manager's dashboard).
pub async fn progress(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
    Query(q): Query<MonthQuery>,
) -> Result<Json<MonthProgress>, ApiError> {
    require(&auth, reads_visits)?;
    let site = parse_site(&site)?;
    auth.require_site(site)?;
    let month = parse_month(q.month.as_deref())?;
    let mut conn = state.pool.acquire().await?;
    require_site_exists(&mut conn, site).await?;
    Ok(Json(month_progress(&mut conn, site, month).await?))
}

pub async fn month_progress(
    conn: &mut PgConnection,
    site: SiteId,
    month: NaiveDate,
) -> Result<MonthProgress, ApiError> {
    let occupied = repo::occupied_households(conn, site).await?;
    let until_month = next_month(month);
    let rows = repo::month_contacts(
        conn,
        site,
        month,
        local_midnight(month),
        local_midnight(until_month),
    )
    .await?;
    let mut who: HashMap<Uuid, (String, Role)> = HashMap::new();
    let mut counted = Vec::with_capacity(rows.len());
    let mut by_role = Vec::new();
    for r in &rows {
        let role = repo::parse_role(&r.visitor_role)?;
        who.insert(r.visitor_id, (r.visitor_name.clone(), role));
        counted.push(CountedVisit {
            unit_id: domain::ids::UnitId(r.unit_id),
            visitor: StaffId(r.visitor_id),
            at: r.at,
            return_visit: r.return_visit,
        });
        if !r.return_visit {
            by_role.push((role, r.at));
        }
    }
    let p = quota_progress(occupied, &counted);
    let policy = repo::policy(conn, site).await?;
    let cadence = cadence_progress(&policy.cadence, month, today_in_china(), &by_role);
    let year_start = first_of_year(month.year())?;
    let year_visited = repo::households_visited(conn, site, year_start, until_month).await?;
    let by_visitor = p
        .by_visitor
        .iter()
        .map(|c| {
            let (name, role) = who
                .get(&c.visitor.0)
                .cloned()
                .unwrap_or_else(|| (String::new(), Role::Desk));
            VisitorLine {
                staff_id: c.visitor,
                name,
                role,
                visits: c.visits,
                households: c.households,
            }
        })
        .collect();
    Ok(MonthProgress {
        site_id: site,
        month: month_label(month),
        quota: p.quota,
        visited: p.visited,
        deficit: p.deficit,
        rate_percent: p.rate_percent,
        met: p.met,
        repeat_visits: p.repeat_visits,
        return_visits: p.return_visits,
        by_visitor,
        cadence,
        year: year_coverage(month.year(), occupied, year_visited),
    })
}

// --- not visited this year --------------------------------------------------------------------

#[derive(Debug, Deserialize)]
pub struct UnvisitedQuery {
    year: Option<i32>,
    building: Option<String>,
    page: Option<u32>,
    per_page: Option<u32>,
}

pub const MAX_PER_PAGE: u32 = 200;

pub async fn unvisited(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
    Query(q): Query<UnvisitedQuery>,
) -> Result<Json<UnvisitedPage>, ApiError> {
    require(&auth, reads_visits)?;
    let site = parse_site(&site)?;
    auth.require_site(site)?;
    let year = q.year.unwrap_or_else(|| today_in_china().year());
    let from = first_of_year(year)?;
    let until = first_of_year(year + 1)?;
    let page = q.page.unwrap_or(1);
    let per_page = q.per_page.unwrap_or(50);
    if page == 0 || per_page == 0 || per_page > MAX_PER_PAGE {
        return Err(coded(
            StatusCode::BAD_REQUEST,
            "bad_page",
            "page from 1, per_page 1–200",
        ));
    }
    let building = q
        .building
        .as_deref()
        .map(str::trim)
        .filter(|b| !b.is_empty())
        .map(str::to_owned);
    let mut conn = state.pool.acquire().await?;
    require_site_exists(&mut conn, site).await?;
    let buildings = repo::unvisited_by_building(&mut conn, site, from, until).await?;
    if let Some(b) = &building {
        if !buildings.iter().any(|x| &x.building == b) {
            return Err(coded(
                StatusCode::NOT_FOUND,
                "building_not_found",
                "no occupied units in that building",
            ));
        }
    }
    let occupied: u32 = buildings.iter().map(|b| b.occupied).sum();
    let not_visited: u32 = buildings.iter().map(|b| b.not_visited).sum();
    let total = match &building {
        Some(b) => buildings
            .iter()
            .filter(|x| &x.building == b)
            .map(|x| x.not_visited)
            .sum(),
        None => not_visited,
    };
    let units = repo::unvisited_units(
        &mut conn,
        site,
        building.as_deref(),
        from,
        until,
        i64::from(per_page),
        i64::from(page - 1) * i64::from(per_page),
    )
    .await?;
    Ok(Json(UnvisitedPage {
        coverage: year_coverage(year, occupied, occupied - not_visited),
        buildings,
        building,
        page,
        per_page,
        total,
        units,
    }))
}

// --- the monthly chain ------------------------------------------------------------------------

fn may_see_chain(role: Role, policy: &VisitPolicy) -> bool {
    manages_visits(role)
        || ReportStep::ALL
            .iter()
            .any(|s| s.rule(policy).roles.contains(&role))
}

async fn chain_view(
    conn: &mut PgConnection,
    site: SiteId,
    month: NaiveDate,
    policy: &VisitPolicy,
    me: Role,
) -> Result<ChainView, ApiError> {
    let report = repo::report(conn, site, month, false).await?;
    let today = today_in_china();
    let statuses = chain_status(&report, policy, today);
    let ids: Vec<Uuid> = statuses
        .iter()
        .filter_map(|s| s.done.as_ref().map(|d| d.by.0))
        .collect();
    let names: HashMap<Uuid, String> = repo::staff_names(conn, &ids).await?.into_iter().collect();
    let mut previous_done = true;
    let mut steps = Vec::new();
    for s in statuses {
        let can_do = s.done.is_none()
            && previous_done
            && s.state != StepState::NotYet
            && s.roles.contains(&me);
        previous_done = s.done.is_some();
        steps.push(StepView {
            step: s.step,
            roles: s.roles,
            due: s.due,
            state: s.state,
            done: s.done.map(|d| StepDoneView {
                by_name: names.get(&d.by.0).cloned().unwrap_or_default(),
                by: d.by,
                role: d.role,
                at: d.at,
                text: d.text,
            }),
            can_do,
        });
    }
    let (visits, households, feedback_requested) = repo::month_totals(conn, site, month).await?;
    Ok(ChainView {
        site_id: site,
        month: month_label(month),
        visits,
        households,
        feedback_requested,
        escalation: policy.escalation,
        preset: policy.preset.clone(),
        steps,
    })
}

/// The chain of a month (last month when left out: the one being signed off).
pub async fn chain(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
    Query(q): Query<MonthQuery>,
) -> Result<Json<ChainView>, ApiError> {
    let site = parse_site(&site)?;
    auth.require_site(site)?;
    let month = match q.month.as_deref().map(str::trim).filter(|m| !m.is_empty()) {
        Some(m) => parse_month(Some(m))?,
        None => {
            let this = parse_month(None)?;
            this.checked_sub_months(chrono::Months::new(1))
                .unwrap_or(this)
        }
    };
    let mut conn = state.pool.acquire().await?;
    let policy = repo::policy(&mut conn, site).await?;
    let role = auth.profile().role;
    if !may_see_chain(role, &policy) {
        return Err(AccessError::Forbidden.into());
    }
    require_site_exists(&mut conn, site).await?;
    Ok(Json(
        chain_view(&mut conn, site, month, &policy, role).await?,
    ))
}

pub async fn do_step(
    State(state): State<AppState>,
    auth: Authenticated,
    Path((site, month, step)): Path<(String, String, String)>,
    ApiJson(req): ApiJson<StepRequest>,
) -> Result<Json<ChainView>, ApiError> {
    let site = parse_site(&site)?;
    auth.require_site(site)?;
    let month = parse_month(Some(&month))?;
    let step = ReportStep::parse(&step).ok_or_else(|| {
        coded(
            StatusCode::NOT_FOUND,
            "bad_step",
            "step is records, summary or approval",
        )
    })?;
    let me = auth.profile().clone();
    let mut tx = state.pool.begin().await?;
    let policy = repo::policy(&mut tx, site).await?;
    if !may_see_chain(me.role, &policy) {
        return Err(AccessError::Forbidden.into());
    }
    require_site_exists(&mut tx, site).await?;
    let report = repo::report(&mut tx, site, month, true).await?;
    let next = apply_step(
        &report,
        step,
        me.staff_id,
        me.role,
        &req.text,
        &policy,
        Utc::now(),
    )
    .map_err(|r| {
        let status = match r {
            domain::visits::reporting::ChainRefusal::WrongRole => StatusCode::FORBIDDEN,
            domain::visits::reporting::ChainRefusal::BadText => StatusCode::UNPROCESSABLE_ENTITY,
            _ => StatusCode::CONFLICT,
        };
        coded(status, r.code(), r.to_string())
    })?;
    repo::save_report(&mut tx, &next).await?;
    let view = chain_view(&mut tx, site, month, &policy, me.role).await?;
    tx.commit().await?;
    Ok(Json(view))
}

// --- policy -----------------------------------------------------------------------------------

pub async fn get_policy(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
) -> Result<Json<VisitPolicy>, ApiError> {
    require(&auth, reads_visits)?;
    let site = parse_site(&site)?;
    auth.require_site(site)?;
    let mut conn = state.pool.acquire().await?;
    require_site_exists(&mut conn, site).await?;
    Ok(Json(repo::policy(&mut conn, site).await?))
}

pub async fn put_policy(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
    ApiJson(req): ApiJson<PolicyRequest>,
) -> Result<Json<VisitPolicy>, ApiError> {
    require(&auth, |r| matches!(r, Role::CenterMgr | Role::Admin))?;
    let site = parse_site(&site)?;
    auth.require_site(site)?;
    let policy = match req {
        PolicyRequest::Preset { preset } => VisitPolicy::preset(&preset).ok_or_else(|| {
            coded(
                StatusCode::UNPROCESSABLE_ENTITY,
                "unknown_preset",
                "preset is s0_1_7, s0_5_11 or s1",
            )
        })?,
        PolicyRequest::Policy(p) => p,
    };
    policy
        .check()
        .map_err(|e| coded(StatusCode::UNPROCESSABLE_ENTITY, "invalid_policy", e))?;
    let mut conn = state.pool.acquire().await?;
    require_site_exists(&mut conn, site).await?;
    repo::save_policy(&mut conn, site, &policy, auth.profile().staff_id).await?;
    Ok(Json(policy))
}
