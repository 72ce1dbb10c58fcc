//! SQL of the audit log (insert and read only: the table's triggers refuse UPDATE, DELETE and
//! TRUNCATE) and of police data-access requests.

use chrono::{DateTime, Utc};
use domain::ids::SiteId;
use domain::people::Role;
use domain::privacy::{AuditEntry, PoliceLookup};
use sqlx::types::Json;
use sqlx::PgConnection;
use uuid::Uuid;

/// One row to append.
pub struct NewAudit<'a> {
    pub site_id: Option<SiteId>,
    pub staff_id: Uuid,
    pub staff_name: &'a str,
    pub staff_role: Role,
    pub action: &'static str,
    pub kind: &'a str,
    pub subject_id: Option<Uuid>,
    pub subject: &'a str,
    pub reason: &'a str,
    pub detail: serde_json::Value,
}

pub async fn append(
    conn: &mut PgConnection,
    a: &NewAudit<'_>,
    at: DateTime<Utc>,
) -> sqlx::Result<Uuid> {
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO audit_log (id, at, site_id, staff_id, staff_name, staff_role, action, kind,
                                subject_id, subject, reason, detail)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(id)
    .bind(at)
    .bind(a.site_id.map(|s| s.0))
    .bind(a.staff_id)
    .bind(a.staff_name)
    .bind(a.staff_role.code())
    .bind(a.action)
    .bind(a.kind)
    .bind(a.subject_id)
    .bind(a.subject)
    .bind(a.reason)
    .bind(&a.detail)
    .execute(conn)
    .await?;
    Ok(id)
}

#[derive(sqlx::FromRow)]
struct AuditRow {
    id: Uuid,
    at: DateTime<Utc>,
    staff_name: String,
    staff_role: String,
    action: String,
    kind: String,
    subject: String,
    reason: String,
}

/// The site's log, newest first.
pub async fn entries(
    conn: &mut PgConnection,
    site: SiteId,
    limit: i64,
) -> sqlx::Result<Vec<AuditEntry>> {
    let rows: Vec<AuditRow> = sqlx::query_as(
        "SELECT id, at, staff_name, staff_role, action, kind, subject, reason
         FROM audit_log WHERE site_id = $1 ORDER BY at DESC, id DESC LIMIT $2",
    )
    .bind(site.0)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(AuditEntry {
                id: r.id,
                at: r.at,
                staff_name: r.staff_name,
                staff_role: Role::parse(&r.staff_role).ok()?,
                action: r.action,
                kind: r.kind,
                subject: r.subject,
                reason: r.reason,
            })
        })
        .collect())
}

/// A resident's site, name, unit and numbers, for a reveal.
pub struct ResidentData {
    pub site_id: SiteId,
    pub name: String,
    pub unit_id: Uuid,
    pub phone: Option<String>,
    pub id_card: Option<String>,
}

/// site, name, unit, phone, ID number.
type ResidentSql = (Uuid, String, Uuid, Option<String>, Option<String>);

pub async fn resident(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<ResidentData>> {
    let row: Option<ResidentSql> = sqlx::query_as(
        "SELECT site_id, name, unit_id, phone, id_card FROM residents WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(s, name, unit_id, phone, id_card)| ResidentData {
        site_id: SiteId(s),
        name,
        unit_id,
        phone,
        id_card,
    }))
}

pub async fn load_police(
    conn: &mut PgConnection,
    id: Uuid,
    lock: bool,
) -> sqlx::Result<Option<PoliceLookup>> {
    let sql = if lock {
        "SELECT doc FROM police_lookups WHERE id = $1 FOR UPDATE"
    } else {
        "SELECT doc FROM police_lookups WHERE id = $1"
    };
    let row: Option<Json<PoliceLookup>> = sqlx::query_scalar(sql)
        .bind(id)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(|j| j.0))
}

pub async fn save_police(
    conn: &mut PgConnection,
    p: &PoliceLookup,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO police_lookups (id, site_id, status, doc, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $5)
         ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, doc = EXCLUDED.doc,
             updated_at = EXCLUDED.updated_at",
    )
    .bind(p.id)
    .bind(p.site_id.0)
    .bind(p.status.code())
    .bind(Json(p))
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn police_list(conn: &mut PgConnection, site: SiteId) -> sqlx::Result<Vec<PoliceLookup>> {
    let rows: Vec<Json<PoliceLookup>> = sqlx::query_scalar(
        "SELECT doc FROM police_lookups WHERE site_id = $1 ORDER BY created_at DESC LIMIT 100",
    )
    .bind(site.0)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|j| j.0).collect())
}

/// The sites of these units.
pub async fn unit_sites(conn: &mut PgConnection, ids: &[Uuid]) -> sqlx::Result<Vec<(Uuid, Uuid)>> {
    sqlx::query_as("SELECT id, site_id FROM units WHERE id = ANY($1)")
        .bind(ids)
        .fetch_all(conn)
        .await
}
