//! The customer-care REST API: complaints, return visits, the site's care policy and the
//! month's figures. The desk, customer service and the centre take and work complaints;
//! return visits are also done by customer officers (patrol role); figures and the policy are
//! for the managers. Every handler checks role and site.
//!
//! - `POST/GET /api/v1/sites/{site}/complaints` (`?open=true` or `?month=YYYY-MM`),
//!   `GET /api/v1/complaints/{id}`, `POST /api/v1/complaints/{id}/commands`
//! - `GET /api/v1/sites/{site}/return-visits?open=true`, `GET /api/v1/return-visits/{id}`,
//!   `POST /api/v1/return-visits/{id}/complete`,
//!   `POST /api/v1/sites/{site}/return-visits/top-up?month=YYYY-MM`
//! - `GET/PUT /api/v1/sites/{site}/care/policy`, `GET /api/v1/sites/{site}/care/stats?month=`
//! - `GET/PUT /api/v1/sites/{site}/calendar`: the site's holidays and 调休 days (stored with
//!   the care policy), read by every working-day deadline (complaints, renovations, surveys);
//!   PUT: the centre manager and the administrator

use super::repo::{self, NewVisit, VisitRow};
use crate::auth::extract::{AccessError, Authenticated};
use crate::http::parse_id;
use crate::http::{month_or_current, ApiError, ApiJson};
use crate::work_orders::repo as wo_repo;
use crate::work_orders::routes::parse_site;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, Duration, Utc};
use domain::access::Area;
use domain::calendar::{start_of_day, CalendarRefusal, WorkCalendar};
use domain::care::complaint::{
    self, clocks, effective_class, escalation_at, first_reply_due, overdue, written_answer_due,
    Channel, Command, Complaint, NewComplaint,
};
use domain::care::policy::CarePolicy;
use domain::care::return_visit::{
    self as rv, plan_for_complaint, plan_for_repair, top_up_needed, top_up_window, PlannedVisit,
    VisitInput, VisitReason,
};
use domain::care::stats::{complaint_stats, month_key, VisitRate};
use domain::care::views::{
    CareStats, ComplaintView, ReturnVisitView, TopUpResult, VisitSource, VisitStatus,
};
use domain::ids::{SiteId, UnitId};
use domain::people::Role;
use domain::work_orders::WorkOrder;
use serde::Deserialize;
use sqlx::PgConnection;
use uuid::Uuid;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/sites/{site}/complaints",
            get(list_complaints).post(create_complaint),
        )
        .route("/api/v1/complaints/{id}", get(complaint_detail))
        .route("/api/v1/complaints/{id}/commands", post(complaint_command))
        .route("/api/v1/sites/{site}/return-visits", get(list_visits))
        .route("/api/v1/sites/{site}/return-visits/top-up", post(top_up))
        .route("/api/v1/return-visits/{id}", get(visit_detail))
        .route("/api/v1/return-visits/{id}/complete", post(complete_visit))
        .route(
            "/api/v1/sites/{site}/care/policy",
            get(get_policy).put(put_policy),
        )
        .route("/api/v1/sites/{site}/care/stats", get(stats))
        .route(
            "/api/v1/sites/{site}/calendar",
            get(get_calendar).put(put_calendar),
        )
}

/// Managers of customer care: the figures and the policy.
pub fn manages_care(role: Role) -> bool {
    matches!(role, Role::CsMgr | Role::CenterMgr | Role::Admin)
}

fn require_handler(auth: &Authenticated) -> Result<Role, AccessError> {
    let role = auth.profile().role;
    if complaint::may_handle(role) {
        Ok(role)
    } else {
        Err(AccessError::Forbidden)
    }
}

fn refused(code: &'static str) -> ApiError {
    let status = match code {
        "forbidden" | "approver_not_cs_head" => StatusCode::FORBIDDEN,
        "complaint_closed" | "already_replied" | "already_approved" | "visit_already_done" => {
            StatusCode::CONFLICT
        }
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    ApiError::coded(status, code, code.replace('_', " "))
}

/// The unit must be a household of the site.
async fn require_unit_of_site(
    conn: &mut PgConnection,
    unit: Uuid,
    site: SiteId,
) -> Result<repo::UnitInfo, ApiError> {
    let info = repo::units(conn, &[unit]).await?.remove(&unit);
    match info {
        Some(i) if i.site_id == site.0 => Ok(i),
        Some(_) => Err(ApiError::coded(
            StatusCode::UNPROCESSABLE_ENTITY,
            "unit_of_other_site",
            "this household belongs to another site",
        )),
        None => Err(ApiError::coded(
            StatusCode::UNPROCESSABLE_ENTITY,
            "unit_not_found",
            "no such household",
        )),
    }
}

// --- complaints ------------------------------------------------------------------------------

async fn complaint_view(
    conn: &mut PgConnection,
    c: Complaint,
    p: &CarePolicy,
    now: DateTime<Utc>,
) -> Result<ComplaintView, ApiError> {
    let unit_label = match c.unit_id {
        Some(u) => repo::units(conn, &[u.0])
            .await?
            .remove(&u.0)
            .map(|i| i.label),
        None => None,
    };
    let return_visit_id = repo::visit_for_source(conn, "complaint", c.id).await?;
    Ok(view_of(c, unit_label, p, now, return_visit_id))
}

fn view_of(
    c: Complaint,
    unit_label: Option<String>,
    p: &CarePolicy,
    now: DateTime<Utc>,
    return_visit_id: Option<Uuid>,
) -> ComplaintView {
    let eff = effective_class(&c, now);
    ComplaintView {
        unit_label,
        effective_class: eff.map(|e| e.0),
        effective_ground: eff.and_then(|e| e.1),
        first_reply_due: first_reply_due(&c, p),
        written_answer_due: written_answer_due(&c, p),
        escalation_at: escalation_at(&c),
        clocks: clocks(&c, p, now),
        overdue: overdue(&c, p, now),
        return_visit_id,
        complaint: c,
    }
}

/// Registers a complaint with its serial (TS-2026-11-0001). A replay of the same id returns
/// the stored complaint unchanged.
async fn register(
    state: &AppState,
    auth: &Authenticated,
    site: SiteId,
    input: NewComplaint,
) -> Result<(StatusCode, ComplaintView), ApiError> {
    let role = require_handler(auth)?;
    auth.require_site(site)?;
    let now = Utc::now();
    let mut conn = state.pool.acquire().await?;
    if let Some(existing) = repo::complaint(&mut conn, input.id).await? {
        if existing.complaint.site_id != site {
            return Err(ApiError::coded(
                StatusCode::CONFLICT,
                "id_taken",
                "this id belongs to another complaint",
            ));
        }
        let p = repo::policy(&mut conn, site).await?;
        let v = complaint_view(&mut conn, existing.complaint, &p, now).await?;
        return Ok((StatusCode::OK, v));
    }
    let label = match input.unit_id {
        Some(u) => Some(require_unit_of_site(&mut conn, u.0, site).await?.label),
        None => None,
    };
    let c = complaint::register(site, input, auth.profile().staff_id, role, now)
        .map_err(|r| refused(r.code()))?;
    let mut c = c;
    repo::insert_numbered(&mut conn, &mut c, now).await?;
    let p = repo::policy(&mut conn, site).await?;
    Ok((StatusCode::CREATED, view_of(c, label, &p, now, None)))
}

pub async fn create_complaint(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
    ApiJson(input): ApiJson<NewComplaint>,
) -> Result<(StatusCode, Json<ComplaintView>), ApiError> {
    let site = parse_site(&site)?;
    let (status, v) = register(&state, &auth, site, input).await?;
    Ok((status, Json(v)))
}

#[derive(Deserialize)]
pub struct ComplaintQuery {
    #[serde(default)]
    open: Option<bool>,
    #[serde(default)]
    month: Option<String>,
}

pub async fn list_complaints(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
    Query(q): Query<ComplaintQuery>,
) -> Result<Json<Vec<ComplaintView>>, ApiError> {
    require_handler(&auth)?;
    let site = parse_site(&site)?;
    auth.require_site(site)?;
    let (_, from, until) = month_or_current(q.month.as_deref())?;
    let mut conn = state.pool.acquire().await?;
    let p = repo::policy(&mut conn, site).await?;
    let list = repo::complaints(
        &mut conn,
        site,
        start_of_day(from),
        start_of_day(until),
        q.open.unwrap_or(false),
    )
    .await?;
    let units: Vec<Uuid> = list.iter().filter_map(|c| c.unit_id.map(|u| u.0)).collect();
    let labels = repo::units(&mut conn, &units).await?;
    let now = Utc::now();
    Ok(Json(
        list.into_iter()
            .map(|c| {
                let label = c
                    .unit_id
                    .and_then(|u| labels.get(&u.0))
                    .map(|i| i.label.clone());
                view_of(c, label, &p, now, None)
            })
            .collect(),
    ))
}

async fn load_complaint(
    conn: &mut PgConnection,
    auth: &Authenticated,
    id: &str,
) -> Result<repo::StoredComplaint, ApiError> {
    let id = parse_id(id)?;
    let stored = repo::complaint(conn, id)
        .await?
        .ok_or_else(|| ApiError::not_found("complaint"))?;
    auth.require_site(stored.complaint.site_id)?;
    Ok(stored)
}

pub async fn complaint_detail(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
) -> Result<Json<ComplaintView>, ApiError> {
    require_handler(&auth)?;
    let mut conn = state.pool.acquire().await?;
    let stored = load_complaint(&mut conn, &auth, &id).await?;
    let p = repo::policy(&mut conn, stored.complaint.site_id).await?;
    Ok(Json(
        complaint_view(&mut conn, stored.complaint, &p, Utc::now()).await?,
    ))
}

pub async fn complaint_command(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
    ApiJson(cmd): ApiJson<Command>,
) -> Result<Json<ComplaintView>, ApiError> {
    let role = require_handler(&auth)?;
    let now = Utc::now();
    let mut tx = state.pool.begin().await?;
    let stored = load_complaint(&mut tx, &auth, &id).await?;
    let next = complaint::apply(&stored.complaint, &cmd, auth.profile().staff_id, role, now)
        .map_err(|r| refused(r.code()))?;
    if !repo::update_complaint(&mut tx, &next, stored.version).await? {
        return Err(ApiError::coded(
            StatusCode::CONFLICT,
            "stale",
            "someone changed this complaint at the same time; reload",
        ));
    }
    let p = repo::policy(&mut tx, next.site_id).await?;
    // A valid complaint closed with the resident's feedback gets its return visit (100 %).
    if let (Some(closed), Some(true), Some(unit)) = (next.closed_at, next.valid, next.unit_id) {
        repo::schedule(
            &mut tx,
            &NewVisit {
                site_id: next.site_id,
                unit_id: unit.0,
                source: "complaint",
                source_id: next.id,
                plan: plan_for_complaint(closed, &p),
                subject: format!(
                    "{} {}",
                    next.number.clone().unwrap_or_default(),
                    first_line(&next.content)
                ),
            },
        )
        .await?;
    }
    let view = complaint_view(&mut tx, next, &p, now).await?;
    tx.commit().await?;
    Ok(Json(view))
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or("").chars().take(60).collect()
}

// --- return visits ---------------------------------------------------------------------------

/// Schedules the visits closed repairs of the last 70 days need (idempotent: a visit already
/// scheduled is kept). Runs before every list, so no job has to wake up for it.
async fn sweep(conn: &mut PgConnection, site: SiteId, p: &CarePolicy) -> Result<(), ApiError> {
    let since = Utc::now() - Duration::days(70);
    for wo in repo::closed_repairs_since(conn, site, since).await? {
        for plan in plan_for_repair(&wo, p) {
            schedule_repair_visit(conn, &wo, plan).await?;
        }
    }
    Ok(())
}

async fn schedule_repair_visit(
    conn: &mut PgConnection,
    wo: &WorkOrder,
    plan: PlannedVisit,
) -> Result<bool, ApiError> {
    let Some(unit) = wo.unit_id else {
        return Ok(false);
    };
    let subject = format!(
        "{} {}",
        wo.number.clone().unwrap_or_default(),
        first_line(&wo.content)
    );
    Ok(repo::schedule(
        conn,
        &NewVisit {
            site_id: wo.site_id,
            unit_id: unit.0,
            source: "repair",
            source_id: wo.id.0,
            plan,
            subject,
        },
    )
    .await?)
}

async fn visit_views(
    conn: &mut PgConnection,
    rows: Vec<VisitRow>,
    now: DateTime<Utc>,
) -> Result<Vec<ReturnVisitView>, ApiError> {
    let units: Vec<Uuid> = rows.iter().map(|r| r.unit_id).collect();
    let infos = repo::units(conn, &units).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let info = infos.get(&r.unit_id);
            let status = if r.status == "open" {
                VisitStatus::Open
            } else {
                VisitStatus::Done
            };
            ReturnVisitView {
                id: r.id,
                unit_label: info.map(|i| i.label.clone()).unwrap_or_default(),
                source: VisitSource::parse(&r.source).unwrap_or(VisitSource::Repair),
                source_id: r.source_id,
                source_number: r.source_number,
                reason: VisitReason::parse(&r.reason),
                reason_code: r.reason,
                visit_no: r.visit_no,
                mandatory: r.mandatory,
                earliest_at: r.earliest_at,
                due_at: r.due_at,
                subject: r.subject,
                overdue: status == VisitStatus::Open && now > r.due_at,
                status,
                record: r.record.map(|j| j.0),
                done_at: r.done_at,
                done_by_name: r.done_by_name,
                rectification_due_at: r.rectification_due_at,
                rectification_sent_at: r.rectification_sent_at,
                complaint_id: r.complaint_id,
                contact_name: info.map(|i| i.contact_name.clone()).unwrap_or_default(),
                contact_phone_masked: info
                    .map(|i| i.contact_phone_masked.clone())
                    .unwrap_or_default(),
            }
        })
        .collect())
}

#[derive(Deserialize)]
pub struct OpenQuery {
    #[serde(default)]
    open: Option<bool>,
}

pub async fn list_visits(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
    Query(q): Query<OpenQuery>,
) -> Result<Json<Vec<ReturnVisitView>>, ApiError> {
    require_handler(&auth)?;
    let site = parse_site(&site)?;
    auth.require_site(site)?;
    let mut tx = state.pool.begin().await?;
    let p = repo::policy(&mut tx, site).await?;
    sweep(&mut tx, site, &p).await?;
    let rows = repo::visits(&mut tx, site, q.open.unwrap_or(true)).await?;
    let views = visit_views(&mut tx, rows, Utc::now()).await?;
    tx.commit().await?;
    Ok(Json(views))
}

async fn load_visit(
    conn: &mut PgConnection,
    auth: &Authenticated,
    id: &str,
    lock: bool,
) -> Result<VisitRow, ApiError> {
    let id = parse_id(id)?;
    let row = repo::visit(conn, id, lock)
        .await?
        .ok_or_else(|| ApiError::not_found("return visit"))?;
    auth.require_site(SiteId(row.site_id))?;
    Ok(row)
}

pub async fn visit_detail(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
) -> Result<Json<ReturnVisitView>, ApiError> {
    require_handler(&auth)?;
    let mut conn = state.pool.acquire().await?;
    let row = load_visit(&mut conn, &auth, &id, false).await?;
    let mut views = visit_views(&mut conn, vec![row], Utc::now()).await?;
    Ok(Json(views.remove(0)))
}

pub async fn complete_visit(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<VisitInput>,
) -> Result<Json<ReturnVisitView>, ApiError> {
    let role = require_handler(&auth)?;
    let now = Utc::now();
    let by = auth.profile().staff_id;
    let mut tx = state.pool.begin().await?;
    let row = load_visit(&mut tx, &auth, &id, true).await?;
    let site = SiteId(row.site_id);
    let p = repo::policy(&mut tx, site).await?;
    let record = rv::complete(input, row.earliest_at, row.status != "open", &p, now)
        .map_err(|r| refused(r.code()))?;
    // The resident wants it handled as a complaint: registered now, from this visit.
    let mut complaint_id = None;
    if record.input.open_complaint {
        let info = repo::units(&mut tx, &[row.unit_id])
            .await?
            .remove(&row.unit_id);
        let new = NewComplaint {
            id: Uuid::now_v7(),
            unit_id: Some(UnitId(row.unit_id)),
            channel: Channel::Visit,
            complainant_name: info
                .map(|i| i.contact_name)
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| "业户".into()),
            complainant_phone: String::new(),
            content: record.input.problem.clone(),
            received_at: record.input.at,
            apologised: true,
            raised_from: Some(row.id),
        };
        let mut c = complaint::register(site, new, by, role, now).map_err(|r| refused(r.code()))?;
        repo::insert_numbered(&mut tx, &mut c, now).await?;
        complaint_id = Some(c.id);
    }
    repo::finish_visit(&mut tx, row.id, &record, by, now, complaint_id).await?;
    // A problem found: the written rectification notice, now (due within the site's hours).
    if let Some(due) = record.rectification_due_at {
        let text = format!(
            "回访整改通知：{}（{}），请于{}前整改完毕。",
            record.input.problem.trim(),
            row.subject,
            due.with_timezone(&domain::work_orders::sla::china())
                .format("%m-%d %H:%M")
        );
        let assignee = if row.source == "repair" {
            wo_repo::load(&mut tx, &[row.source_id], false)
                .await?
                .into_iter()
                .next()
                .and_then(|s| s.order.assignee)
        } else {
            None
        };
        match assignee {
            Some(tech) => {
                repo::notify(
                    &mut tx,
                    site,
                    Some(tech.0),
                    "tech",
                    &text,
                    &format!("/tech/jobs/{}", row.source_id),
                    now,
                )
                .await?
            }
            None => {
                repo::notify(&mut tx, site, None, "cs_mgr", &text, "/return-visits", now).await?
            }
        }
    }
    let row = repo::visit(&mut tx, row.id, false)
        .await?
        .ok_or_else(|| ApiError::not_found("return visit"))?;
    let mut views = visit_views(&mut tx, vec![row], now).await?;
    tx.commit().await?;
    Ok(Json(views.remove(0)))
}

#[derive(Deserialize)]
pub struct MonthQuery {
    #[serde(default)]
    month: Option<String>,
}

/// Month-end top-up (S3 篇4): schedules visits to satisfied residents of the month's closed
/// repairs until the site's rate can be reached.
pub async fn top_up(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
    Query(q): Query<MonthQuery>,
) -> Result<Json<TopUpResult>, ApiError> {
    if !manages_care(auth.profile().role) {
        return Err(AccessError::Forbidden.into());
    }
    let site = parse_site(&site)?;
    auth.require_site(site)?;
    let (_, from, until) = month_or_current(q.month.as_deref())?;
    let (from, until) = (start_of_day(from), start_of_day(until));
    let mut tx = state.pool.begin().await?;
    let p = repo::policy(&mut tx, site).await?;
    sweep(&mut tx, site, &p).await?;
    let (_, (closed, visited)) = repo::visit_rates(&mut tx, site, from, until).await?;
    let scheduled_open = repo::open_repair_visits(&mut tx, site, from, until).await?;
    // Visits already scheduled and still open count toward the rate once done.
    let needed = top_up_needed(
        closed as u32,
        (visited + scheduled_open) as u32,
        p.repair_visit_rate_percent,
    );
    let mut created = 0;
    for wo in repo::top_up_candidates(&mut tx, site, from, until, i64::from(needed)).await? {
        let done = wo.finished_at.or(wo.closed_at).unwrap_or(from);
        let (earliest_at, due_at) = top_up_window(done);
        let plan = PlannedVisit {
            reason: VisitReason::RepairTopUp,
            visit_no: 1,
            mandatory: false,
            earliest_at: earliest_at.min(Utc::now()),
            due_at,
            after_rain: false,
        };
        if schedule_repair_visit(&mut tx, &wo, plan).await? {
            created += 1;
        }
    }
    tx.commit().await?;
    Ok(Json(TopUpResult { needed, created }))
}

// --- policy and figures ----------------------------------------------------------------------

pub async fn get_policy(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
) -> Result<Json<CarePolicy>, ApiError> {
    require_handler(&auth)?;
    let site = parse_site(&site)?;
    auth.require_site(site)?;
    let mut conn = state.pool.acquire().await?;
    Ok(Json(repo::policy(&mut conn, site).await?))
}

pub async fn put_policy(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
    ApiJson(p): ApiJson<CarePolicy>,
) -> Result<Json<CarePolicy>, ApiError> {
    if !manages_care(auth.profile().role) {
        return Err(AccessError::Forbidden.into());
    }
    let site = parse_site(&site)?;
    auth.require_site(site)?;
    p.validate()
        .map_err(|m| ApiError::coded(StatusCode::UNPROCESSABLE_ENTITY, "invalid_policy", m))?;
    let mut conn = state.pool.acquire().await?;
    repo::save_policy(&mut conn, site, &p, auth.profile().staff_id).await?;
    Ok(Json(p))
}

pub async fn get_calendar(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
) -> Result<Json<WorkCalendar>, ApiError> {
    let site = parse_site(&site)?;
    auth.require_site(site)?;
    let mut conn = state.pool.acquire().await?;
    Ok(Json(repo::calendar(&mut conn, site).await?))
}

/// Replaces the site's calendar (sorted, repeats dropped); the rest of the care policy stays.
pub async fn put_calendar(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
    ApiJson(c): ApiJson<WorkCalendar>,
) -> Result<Json<WorkCalendar>, ApiError> {
    crate::auth::extract::allow(Area::SiteSettings.allows(auth.profile().role))?;
    let site = parse_site(&site)?;
    auth.require_site(site)?;
    let c = c.normalized().map_err(|r| {
        let message = match r {
            CalendarRefusal::BothHolidayAndWorkday(d) => {
                format!("{d} is listed both as a holiday and as a worked day")
            }
            CalendarRefusal::WorkdayNotWeekend(d) => {
                format!("{d} is a weekday: only a weekend day can be worked in exchange")
            }
            CalendarRefusal::TooManyDays => "too many dates".into(),
        };
        ApiError::coded(StatusCode::UNPROCESSABLE_ENTITY, r.code(), message)
    })?;
    let mut tx = state.pool.begin().await?;
    crate::http::require_site_exists(&mut tx, site).await?;
    let mut p = repo::policy(&mut tx, site).await?;
    p.calendar = c;
    repo::save_policy(&mut tx, site, &p, auth.profile().staff_id).await?;
    tx.commit().await?;
    Ok(Json(p.calendar))
}

pub async fn stats(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
    Query(q): Query<MonthQuery>,
) -> Result<Json<CareStats>, ApiError> {
    if !manages_care(auth.profile().role) {
        return Err(AccessError::Forbidden.into());
    }
    let site = parse_site(&site)?;
    auth.require_site(site)?;
    let (month, from, until) = month_or_current(q.month.as_deref())?;
    let year_from = from
        .checked_sub_months(chrono::Months::new(11))
        .unwrap_or(from);
    let (from, until) = (start_of_day(from), start_of_day(until));
    let now = Utc::now();
    let mut tx = state.pool.begin().await?;
    let p = repo::policy(&mut tx, site).await?;
    sweep(&mut tx, site, &p).await?;
    let year = repo::complaints(&mut tx, site, start_of_day(year_from), until, false).await?;
    let in_month: Vec<Complaint> = year
        .iter()
        .filter(|c| c.received_at >= from && c.received_at < until)
        .cloned()
        .collect();
    let mut last_twelve_months = Vec::new();
    let mut m = year_from;
    while start_of_day(m) < until {
        let key = m.format("%Y-%m").to_string();
        let n = year
            .iter()
            .filter(|c| month_key(c.received_at) == key)
            .count() as u32;
        last_twelve_months.push((key, n));
        m = m.checked_add_months(chrono::Months::new(1)).unwrap_or(m);
        if last_twelve_months.len() >= 12 {
            break;
        }
    }
    let ((c_closed, c_visited), (r_closed, r_visited)) =
        repo::visit_rates(&mut tx, site, from, until).await?;
    let scheduled_open = repo::open_repair_visits(&mut tx, site, from, until).await?;
    let (open_visits, overdue_visits) = repo::open_visit_counts(&mut tx, site, now).await?;
    tx.commit().await?;
    Ok(Json(CareStats {
        month,
        complaints: complaint_stats(&in_month, &p, now),
        last_twelve_months,
        complaint_visits: VisitRate {
            base: c_closed as u32,
            visited: c_visited as u32,
            target_percent: 100,
        },
        repair_visits: VisitRate {
            base: r_closed as u32,
            visited: r_visited as u32,
            target_percent: p.repair_visit_rate_percent,
        },
        top_up_needed: top_up_needed(
            r_closed as u32,
            (r_visited + scheduled_open) as u32,
            p.repair_visit_rate_percent,
        ),
        open_visits: open_visits as u32,
        overdue_visits: overdue_visits as u32,
    }))
}
