//! SQL for complaints, return visits and the sites' care policies.

use crate::work_orders::repo as wo_repo;
use chrono::{DateTime, Utc};
use domain::calendar::WorkCalendar;
use domain::care::complaint::Complaint;
use domain::care::policy::CarePolicy;
use domain::care::return_visit::{PlannedVisit, VisitRecord};
use domain::care::stats::month_key;
use domain::ids::{SiteId, StaffId};
use domain::people::PhoneNumber;
use domain::reference::unit_label;
use domain::work_orders::WorkOrder;
use sqlx::types::Json;
use sqlx::PgConnection;
use std::collections::HashMap;
use uuid::Uuid;

// --- policy ----------------------------------------------------------------------------------

pub async fn policy(conn: &mut PgConnection, site: SiteId) -> sqlx::Result<CarePolicy> {
    let v: Option<Json<serde_json::Value>> =
        sqlx::query_scalar("SELECT policy FROM care_policies WHERE site_id = $1")
            .bind(site.0)
            .fetch_optional(conn)
            .await?;
    Ok(match v {
        Some(v) => serde_json::from_value(v.0).unwrap_or_else(|e| {
            tracing::error!(site = %site.0, "care policy unreadable, using the default: {e}");
            CarePolicy::default()
        }),
        None => CarePolicy::default(),
    })
}

/// The site's work calendar (holidays, 调休 days) for every deadline counted in working days.
/// Kept with the care policy, the first rule set that needed it.
pub async fn calendar(conn: &mut PgConnection, site: SiteId) -> sqlx::Result<WorkCalendar> {
    Ok(policy(conn, site).await?.calendar)
}

pub async fn save_policy(
    conn: &mut PgConnection,
    site: SiteId,
    p: &CarePolicy,
    by: StaffId,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO care_policies (site_id, policy, updated_at, updated_by) VALUES ($1, $2, now(), $3)
         ON CONFLICT (site_id) DO UPDATE SET policy = EXCLUDED.policy, updated_at = now(),
             updated_by = EXCLUDED.updated_by",
    )
    .bind(site.0)
    .bind(Json(p))
    .bind(by.0)
    .execute(conn)
    .await?;
    Ok(())
}

// --- units -----------------------------------------------------------------------------------

/// A unit's site, label (`3栋2单元1502`) and first contact (owner first): name and phone.
#[derive(Debug, Clone)]
pub struct UnitInfo {
    pub site_id: Uuid,
    pub label: String,
    pub contact_name: String,
    pub contact_phone_masked: String,
}

#[derive(sqlx::FromRow)]
struct UnitRow {
    id: Uuid,
    site_id: Uuid,
    building_no: String,
    entrance: String,
    room: String,
    name: Option<String>,
    phone: Option<String>,
}

pub async fn units(conn: &mut PgConnection, ids: &[Uuid]) -> sqlx::Result<HashMap<Uuid, UnitInfo>> {
    let rows: Vec<UnitRow> = sqlx::query_as(
        "SELECT u.id, u.site_id, b.number AS building_no, u.entrance, u.room, r.name, r.phone
         FROM units u JOIN buildings b ON b.id = u.building_id
         LEFT JOIN LATERAL (
             SELECT name, phone FROM residents WHERE unit_id = u.id
             ORDER BY CASE role WHEN 'owner' THEN 0 WHEN 'tenant' THEN 1 ELSE 2 END, name LIMIT 1
         ) r ON true
         WHERE u.id = ANY($1)",
    )
    .bind(ids)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                r.id,
                UnitInfo {
                    site_id: r.site_id,
                    label: unit_label(&r.building_no, &r.entrance, &r.room),
                    contact_name: r.name.unwrap_or_default(),
                    contact_phone_masked: r
                        .phone
                        .as_deref()
                        .and_then(|p| PhoneNumber::parse(p).ok())
                        .map(|p| p.masked())
                        .unwrap_or_default(),
                },
            )
        })
        .collect())
}

// --- complaints ------------------------------------------------------------------------------

#[derive(Debug, Clone)]
pub struct StoredComplaint {
    pub complaint: Complaint,
    pub version: i64,
}

#[derive(sqlx::FromRow)]
struct ComplaintRow {
    doc: Json<Complaint>,
    version: i64,
}

/// Stores a newly registered complaint with the next TS-… serial of the month of `at` (the
/// serial is written into `c`). `false` when a complaint with its id exists already.
pub async fn insert_numbered(
    conn: &mut PgConnection,
    c: &mut Complaint,
    at: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let period = month_key(at);
    let n = wo_repo::reserve_serials(&mut *conn, c.site_id, "TS", &period, 1).await?;
    let number = wo_repo::serial("TS", &period, n);
    c.number = Some(number.clone());
    insert_complaint(conn, c, &number).await
}

/// The ids among `ids` that complaints have already.
pub async fn existing_ids(conn: &mut PgConnection, ids: &[Uuid]) -> sqlx::Result<Vec<Uuid>> {
    sqlx::query_scalar("SELECT id FROM complaints WHERE id = ANY($1)")
        .bind(ids)
        .fetch_all(conn)
        .await
}

async fn insert_complaint(
    conn: &mut PgConnection,
    c: &Complaint,
    number: &str,
) -> sqlx::Result<bool> {
    let r = sqlx::query(
        "INSERT INTO complaints (id, site_id, unit_id, number, channel, status, class, valid,
             department, registered_at, closed_at, doc, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(c.id)
    .bind(c.site_id.0)
    .bind(c.unit_id.map(|u| u.0))
    .bind(number)
    .bind(enum_str(&c.channel))
    .bind(enum_str(&c.status))
    .bind(c.class.as_ref().map(enum_str))
    .bind(c.valid)
    .bind(c.department.as_ref().map(enum_str))
    .bind(c.received_at)
    .bind(c.closed_at)
    .bind(Json(c))
    .bind(c.received_by.0)
    .execute(conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// The snake_case name serde gives a unit enum variant.
fn enum_str<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// Writes the new state if the row is still at `version`; false when someone else got there
/// first.
pub async fn update_complaint(
    conn: &mut PgConnection,
    c: &Complaint,
    version: i64,
) -> sqlx::Result<bool> {
    let r = sqlx::query(
        "UPDATE complaints SET status = $2, class = $3, valid = $4, department = $5,
             closed_at = $6, doc = $7, version = version + 1, updated_at = now()
         WHERE id = $1 AND version = $8",
    )
    .bind(c.id)
    .bind(enum_str(&c.status))
    .bind(c.class.as_ref().map(enum_str))
    .bind(c.valid)
    .bind(c.department.as_ref().map(enum_str))
    .bind(c.closed_at)
    .bind(Json(c))
    .bind(version)
    .execute(conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn complaint(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<StoredComplaint>> {
    let row: Option<ComplaintRow> =
        sqlx::query_as("SELECT doc, version FROM complaints WHERE id = $1")
            .bind(id)
            .fetch_optional(conn)
            .await?;
    Ok(row.map(|r| StoredComplaint {
        complaint: r.doc.0,
        version: r.version,
    }))
}

/// Complaints of a site received in `[from, to)`, or all open ones when `open_only`.
pub async fn complaints(
    conn: &mut PgConnection,
    site: SiteId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    open_only: bool,
) -> sqlx::Result<Vec<Complaint>> {
    let rows: Vec<Json<Complaint>> = sqlx::query_scalar(
        "SELECT doc FROM complaints
         WHERE site_id = $1 AND (($4 AND status <> 'closed') OR (NOT $4 AND registered_at >= $2 AND registered_at < $3))
         ORDER BY registered_at DESC LIMIT 500",
    )
    .bind(site.0)
    .bind(from)
    .bind(to)
    .bind(open_only)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|j| j.0).collect())
}

// --- return visits ---------------------------------------------------------------------------

pub struct NewVisit<'a> {
    pub site_id: SiteId,
    pub unit_id: Uuid,
    pub source: &'a str,
    pub source_id: Uuid,
    pub plan: PlannedVisit,
    pub subject: String,
}

/// Schedules a visit; an existing one for the same source, reason and number is kept (returns
/// false).
pub async fn schedule(conn: &mut PgConnection, v: &NewVisit<'_>) -> sqlx::Result<bool> {
    let r = sqlx::query(
        "INSERT INTO return_visits (id, site_id, unit_id, source, source_id, reason, visit_no,
             mandatory, earliest_at, due_at, subject)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (source, source_id, reason, visit_no) DO NOTHING",
    )
    .bind(Uuid::now_v7())
    .bind(v.site_id.0)
    .bind(v.unit_id)
    .bind(v.source)
    .bind(v.source_id)
    .bind(v.plan.reason.as_str())
    .bind(v.plan.visit_no)
    .bind(v.plan.mandatory)
    .bind(v.plan.earliest_at)
    .bind(v.plan.due_at)
    .bind(&v.subject)
    .execute(conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Closed resident repairs of the site closed since `since` that have no return visit yet (the
/// scheduler's input: an order's planned visits are all inserted in one sweep, so an order with
/// any visit is done).
pub async fn closed_repairs_since(
    conn: &mut PgConnection,
    site: SiteId,
    since: DateTime<Utc>,
) -> sqlx::Result<Vec<WorkOrder>> {
    let rows: Vec<Json<WorkOrder>> = sqlx::query_scalar(
        "SELECT doc FROM work_orders
         WHERE site_id = $1 AND closed_at >= $2 AND unit_id IS NOT NULL AND status = 'closed'
           AND NOT EXISTS (SELECT 1 FROM return_visits v
                           WHERE v.source = 'repair' AND v.source_id = work_orders.id)
         ORDER BY closed_at",
    )
    .bind(site.0)
    .bind(since)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|j| j.0).collect())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VisitRow {
    pub id: Uuid,
    pub site_id: Uuid,
    pub unit_id: Uuid,
    pub source: String,
    pub source_id: Uuid,
    pub reason: String,
    pub visit_no: i16,
    pub mandatory: bool,
    pub earliest_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub subject: String,
    pub status: String,
    pub record: Option<Json<VisitRecord>>,
    pub done_at: Option<DateTime<Utc>>,
    pub done_by_name: Option<String>,
    pub rectification_due_at: Option<DateTime<Utc>>,
    pub rectification_sent_at: Option<DateTime<Utc>>,
    pub complaint_id: Option<Uuid>,
    pub source_number: Option<String>,
}

const VISIT_SELECT: &str = "SELECT v.id, v.site_id, v.unit_id, v.source, v.source_id, v.reason,
        v.visit_no, v.mandatory, v.earliest_at, v.due_at, v.subject, v.status, v.record, v.done_at,
        s.display_name AS done_by_name, v.rectification_due_at, v.rectification_sent_at,
        v.complaint_id, COALESCE(w.number, c.number) AS source_number
    FROM return_visits v
    LEFT JOIN staff s ON s.id = v.done_by
    LEFT JOIN work_orders w ON v.source = 'repair' AND w.id = v.source_id
    LEFT JOIN complaints c ON v.source = 'complaint' AND c.id = v.source_id";

pub async fn visits(
    conn: &mut PgConnection,
    site: SiteId,
    open_only: bool,
) -> sqlx::Result<Vec<VisitRow>> {
    // The only dynamic part is the constant select list above.
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{VISIT_SELECT} WHERE v.site_id = $1 AND ($2 = false OR v.status = 'open')
         ORDER BY (v.status = 'open') DESC, v.mandatory DESC, v.due_at LIMIT 300"
    )))
    .bind(site.0)
    .bind(open_only)
    .fetch_all(conn)
    .await
}

pub async fn visit(
    conn: &mut PgConnection,
    id: Uuid,
    lock: bool,
) -> sqlx::Result<Option<VisitRow>> {
    let sql = if lock {
        // Lock the visit row only (the joins are nullable).
        format!("{VISIT_SELECT} WHERE v.id = $1 FOR UPDATE OF v")
    } else {
        format!("{VISIT_SELECT} WHERE v.id = $1")
    };
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(conn)
        .await
}

pub async fn visit_for_source(
    conn: &mut PgConnection,
    source: &str,
    source_id: Uuid,
) -> sqlx::Result<Option<Uuid>> {
    sqlx::query_scalar(
        "SELECT id FROM return_visits WHERE source = $1 AND source_id = $2 ORDER BY visit_no LIMIT 1",
    )
    .bind(source)
    .bind(source_id)
    .fetch_optional(conn)
    .await
}

pub async fn finish_visit(
    conn: &mut PgConnection,
    id: Uuid,
    record: &VisitRecord,
    by: StaffId,
    now: DateTime<Utc>,
    complaint_id: Option<Uuid>,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE return_visits SET status = 'done', record = $2, done_at = $3, done_by = $4,
             rectification_due_at = $5,
             rectification_sent_at = CASE WHEN $5::timestamptz IS NULL THEN NULL ELSE $6 END,
             complaint_id = $7
         WHERE id = $1",
    )
    .bind(id)
    .bind(Json(record))
    .bind(record.input.at)
    .bind(by.0)
    .bind(record.rectification_due_at)
    .bind(now)
    .bind(complaint_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// A written notice to one staff member (the technician of the order visited), or to everyone
/// of a role at the site.
#[allow(clippy::too_many_arguments)]
pub async fn notify(
    conn: &mut PgConnection,
    site: SiteId,
    staff: Option<Uuid>,
    role: &str,
    text: &str,
    link: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO notifications (id, site_id, role, staff_id, kind, text, link, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(Uuid::now_v7())
    .bind(site.0)
    .bind(role)
    .bind(staff)
    .bind("rectification")
    .bind(text)
    .bind(link)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Month figures: (closed complaints, of those visited), (closed resident repairs, visited).
pub async fn visit_rates(
    conn: &mut PgConnection,
    site: SiteId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> sqlx::Result<((i64, i64), (i64, i64))> {
    let complaints: (i64, i64) = sqlx::query_as(
        "SELECT count(*), count(*) FILTER (WHERE EXISTS (
             SELECT 1 FROM return_visits v WHERE v.source = 'complaint' AND v.source_id = c.id AND v.status = 'done'))
         FROM complaints c WHERE c.site_id = $1 AND c.closed_at >= $2 AND c.closed_at < $3 AND c.valid",
    )
    .bind(site.0)
    .bind(from)
    .bind(to)
    .fetch_one(&mut *conn)
    .await?;
    let repairs: (i64, i64) = sqlx::query_as(
        "SELECT count(*), count(*) FILTER (WHERE EXISTS (
             SELECT 1 FROM return_visits v WHERE v.source = 'repair' AND v.source_id = w.id AND v.status = 'done'))
         FROM work_orders w WHERE w.site_id = $1 AND w.closed_at >= $2 AND w.closed_at < $3
             AND w.unit_id IS NOT NULL AND w.status = 'closed'",
    )
    .bind(site.0)
    .bind(from)
    .bind(to)
    .fetch_one(&mut *conn)
    .await?;
    Ok((complaints, repairs))
}

/// Satisfied, signed repairs closed in the month without any visit: the top-up candidates,
/// oldest first.
pub async fn top_up_candidates(
    conn: &mut PgConnection,
    site: SiteId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    limit: i64,
) -> sqlx::Result<Vec<WorkOrder>> {
    let rows: Vec<Json<WorkOrder>> = sqlx::query_scalar(
        "SELECT w.doc FROM work_orders w
         WHERE w.site_id = $1 AND w.closed_at >= $2 AND w.closed_at < $3 AND w.unit_id IS NOT NULL
           AND w.status = 'closed'
           AND NOT EXISTS (SELECT 1 FROM return_visits v WHERE v.source = 'repair' AND v.source_id = w.id)
         ORDER BY w.closed_at LIMIT $4",
    )
    .bind(site.0)
    .bind(from)
    .bind(to)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|j| j.0).collect())
}

/// Visits scheduled and still open for repairs closed in the month (they count toward the rate
/// once done, so the top-up does not double them).
pub async fn open_repair_visits(
    conn: &mut PgConnection,
    site: SiteId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "SELECT count(DISTINCT w.id) FROM work_orders w
         JOIN return_visits v ON v.source = 'repair' AND v.source_id = w.id AND v.status = 'open'
         WHERE w.site_id = $1 AND w.closed_at >= $2 AND w.closed_at < $3 AND w.status = 'closed'
           AND NOT EXISTS (SELECT 1 FROM return_visits d WHERE d.source = 'repair'
                           AND d.source_id = w.id AND d.status = 'done')",
    )
    .bind(site.0)
    .bind(from)
    .bind(to)
    .fetch_one(conn)
    .await
}

/// Open visits of the site and how many of them are past due.
pub async fn open_visit_counts(
    conn: &mut PgConnection,
    site: SiteId,
    now: DateTime<Utc>,
) -> sqlx::Result<(i64, i64)> {
    sqlx::query_as(
        "SELECT count(*), count(*) FILTER (WHERE due_at < $2)
         FROM return_visits WHERE site_id = $1 AND status = 'open'",
    )
    .bind(site.0)
    .bind(now)
    .fetch_one(conn)
    .await
}
