//! SQL of the front-desk procedures: office hours, units and their residents as the archive
//! holds them, lock-openings and renovations (jsonb records with queryable columns).

use chrono::{DateTime, NaiveDate, Utc};
use domain::desk::lock_opening::{LockOpening, ResidentOnFile};
use domain::desk::renovation::Renovation;
use domain::desk::views::{LinkedOrder, LockOpeningSummary, RenovationSummary};
use domain::desk::OfficeHours;
use domain::ids::{ResidentId, SiteId, StaffId, UnitId};
use domain::reference::{unit_label, ResidentRole};
use sqlx::types::Json;
use sqlx::PgConnection;
use uuid::Uuid;

/// The site's office hours; the default (08:30–17:30) where none is set.
pub async fn office_hours(conn: &mut PgConnection, site: SiteId) -> sqlx::Result<OfficeHours> {
    let row: Option<Json<OfficeHours>> =
        sqlx::query_scalar("SELECT office_hours FROM desk_settings WHERE site_id = $1")
            .bind(site.0)
            .fetch_optional(conn)
            .await?;
    Ok(row.map(|j| j.0).unwrap_or_default())
}

pub async fn save_office_hours(
    conn: &mut PgConnection,
    site: SiteId,
    hours: &OfficeHours,
    by: StaffId,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO desk_settings (site_id, office_hours, updated_by, updated_at)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (site_id) DO UPDATE SET office_hours = EXCLUDED.office_hours,
             updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at",
    )
    .bind(site.0)
    .bind(Json(hours))
    .bind(by.0)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Labels of these units by id.
pub async fn unit_labels(
    conn: &mut PgConnection,
    ids: &[Uuid],
) -> sqlx::Result<Vec<(Uuid, String)>> {
    let rows: Vec<(Uuid, String, String, String)> = sqlx::query_as(
        "SELECT u.id, b.number, u.entrance, u.room
         FROM units u JOIN buildings b ON b.id = u.building_id WHERE u.id = ANY($1)",
    )
    .bind(ids)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, b, e, r)| (id, unit_label(&b, &e, &r)))
        .collect())
}

/// A resident as the archive holds them (full numbers: they never leave the server unmasked
/// except through an audited reveal).
pub struct ArchivedResident {
    pub id: ResidentId,
    pub unit_id: UnitId,
    pub name: String,
    pub role: ResidentRole,
    pub phone: Option<String>,
    pub id_card: Option<String>,
}

impl ArchivedResident {
    pub fn on_file(&self) -> ResidentOnFile {
        ResidentOnFile {
            id: self.id,
            unit_id: self.unit_id,
            name: self.name.clone(),
            role: self.role,
            id_card: self.id_card.clone(),
        }
    }
}

/// id, unit, name, role, phone, ID number.
type ResidentRow = (Uuid, Uuid, String, String, Option<String>, Option<String>);

pub async fn unit_residents(
    conn: &mut PgConnection,
    unit: UnitId,
) -> sqlx::Result<Vec<ArchivedResident>> {
    let rows: Vec<ResidentRow> = sqlx::query_as(
        "SELECT id, unit_id, name, role, phone, id_card FROM residents
         WHERE unit_id = $1 ORDER BY CASE role WHEN 'owner' THEN 0 WHEN 'tenant' THEN 1 ELSE 2 END, id",
    )
    .bind(unit.0)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, u, name, role, phone, id_card)| {
            Some(ArchivedResident {
                id: ResidentId(id),
                unit_id: UnitId(u),
                name,
                role: ResidentRole::parse(&role)?,
                phone,
                id_card,
            })
        })
        .collect())
}

// --- lock-openings -----------------------------------------------------------------------------

pub async fn load_lock(
    conn: &mut PgConnection,
    id: Uuid,
    lock: bool,
) -> sqlx::Result<Option<(LockOpening, i64)>> {
    let sql = if lock {
        "SELECT doc, version FROM lock_openings WHERE id = $1 FOR UPDATE"
    } else {
        "SELECT doc, version FROM lock_openings WHERE id = $1"
    };
    let row: Option<(Json<LockOpening>, i64)> =
        sqlx::query_as(sql).bind(id).fetch_optional(conn).await?;
    Ok(row.map(|(d, v)| (d.0, v)))
}

/// Inserts (version 1) or updates the record.
pub async fn save_lock(
    conn: &mut PgConnection,
    r: &LockOpening,
    version: i64,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO lock_openings (id, site_id, unit_id, status, work_order_id, version, doc,
                                    created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
         ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status,
             work_order_id = EXCLUDED.work_order_id, version = EXCLUDED.version,
             doc = EXCLUDED.doc, updated_at = EXCLUDED.updated_at",
    )
    .bind(r.id)
    .bind(r.site_id.0)
    .bind(r.unit_id.0)
    .bind(r.status.code())
    .bind(r.work_order_id.map(|w| w.0))
    .bind(version)
    .bind(Json(r))
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

/// The record, building, entrance, room and the order's number.
type LockListRow = (Json<LockOpening>, String, String, String, Option<String>);

pub async fn list_locks(
    conn: &mut PgConnection,
    site: SiteId,
    limit: i64,
) -> sqlx::Result<Vec<LockOpeningSummary>> {
    let rows: Vec<LockListRow> = sqlx::query_as(
        "SELECT l.doc, b.number, u.entrance, u.room, w.number
         FROM lock_openings l JOIN units u ON u.id = l.unit_id
         JOIN buildings b ON b.id = u.building_id
         LEFT JOIN work_orders w ON w.id = l.work_order_id
         WHERE l.site_id = $1 ORDER BY l.created_at DESC LIMIT $2",
    )
    .bind(site.0)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(d, b, e, r, number)| {
            let l = d.0;
            LockOpeningSummary {
                id: l.id,
                unit_label: unit_label(&b, &e, &r),
                resident_name: l.resident_name,
                requester: l.requester,
                status: l.status.code().to_owned(),
                verified_at: l.verified_at,
                order_number: number.filter(|n| !n.is_empty()),
            }
        })
        .collect())
}

pub async fn linked_order(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<LinkedOrder>> {
    let row: Option<(Uuid, String, String)> =
        sqlx::query_as("SELECT id, number, status FROM work_orders WHERE id = $1")
            .bind(id)
            .fetch_optional(conn)
            .await?;
    Ok(row.map(|(id, number, status)| LinkedOrder { id, number, status }))
}

// --- renovations -------------------------------------------------------------------------------

pub async fn load_renovation(
    conn: &mut PgConnection,
    id: Uuid,
    lock: bool,
) -> sqlx::Result<Option<(Renovation, i64)>> {
    let sql = if lock {
        "SELECT doc, version FROM renovations WHERE id = $1 FOR UPDATE"
    } else {
        "SELECT doc, version FROM renovations WHERE id = $1"
    };
    let row: Option<(Json<Renovation>, i64)> =
        sqlx::query_as(sql).bind(id).fetch_optional(conn).await?;
    Ok(row.map(|(d, v)| (d.0, v)))
}

pub async fn save_renovation(
    conn: &mut PgConnection,
    r: &Renovation,
    version: i64,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO renovations (id, site_id, unit_id, status, review_due, version, doc,
                                  created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
         ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, version = EXCLUDED.version,
             doc = EXCLUDED.doc, updated_at = EXCLUDED.updated_at",
    )
    .bind(r.id)
    .bind(r.site_id.0)
    .bind(r.unit_id.0)
    .bind(r.status.code())
    .bind(r.review_due)
    .bind(version)
    .bind(Json(r))
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

/// The site's renovations, newest first; with `active`, only those not finished.
pub async fn list_renovations(
    conn: &mut PgConnection,
    site: SiteId,
    active: bool,
    today: NaiveDate,
) -> sqlx::Result<Vec<RenovationSummary>> {
    let rows: Vec<(Json<Renovation>, String, String, String)> = sqlx::query_as(
        "SELECT r.doc, b.number, u.entrance, u.room
         FROM renovations r JOIN units u ON u.id = r.unit_id
         JOIN buildings b ON b.id = u.building_id
         WHERE r.site_id = $1 AND (NOT $2 OR r.status NOT IN ('refunded', 'rejected'))
         ORDER BY r.created_at DESC LIMIT 200",
    )
    .bind(site.0)
    .bind(active)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(d, b, e, room)| {
            let r = d.0;
            RenovationSummary {
                id: r.id,
                unit_label: unit_label(&b, &e, &room),
                review_overdue: r.review_overdue(today),
                applicant: r.applicant,
                company: r.company,
                status: r.status.code().to_owned(),
                review_due: r.review_due,
                planned_start: r.planned_start,
                declared_end: r.declared_end,
                patrols: r.patrols.len() as u32,
                violations: r.patrols.iter().filter(|p| p.violation).count() as u32,
            }
        })
        .collect())
}

/// The renovation holding this worker pass, for a reveal of the worker's numbers.
pub async fn renovation_of_worker(
    conn: &mut PgConnection,
    worker: Uuid,
) -> sqlx::Result<Option<Renovation>> {
    let row: Option<Json<Renovation>> = sqlx::query_scalar(
        "SELECT doc FROM renovations WHERE doc -> 'workers' @> jsonb_build_array(jsonb_build_object('id', $1::text))",
    )
    .bind(worker.to_string())
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|j| j.0))
}
