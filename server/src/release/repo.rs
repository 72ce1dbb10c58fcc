//! All SQL of release passes: the passes, the unit's open bills, the site's release policy and
//! the other bills a site records.

use chrono::{DateTime, Utc};
use domain::ids::{SiteId, StaffId, UnitId};
use domain::release::pass::{OpenBill, Pass};
use domain::release::policy::ReleasePolicy;
use domain::release::views::{OtherBillView, PassView};
use sqlx::types::Json;
use sqlx::PgConnection;
use uuid::Uuid;

/// A pass as stored, with its version.
#[derive(Debug, Clone)]
pub struct StoredPass {
    pub pass: Pass,
    pub version: i64,
}

fn encode(p: &Pass) -> sqlx::Result<serde_json::Value> {
    serde_json::to_value(p).map_err(|e| sqlx::Error::Encode(Box::new(e)))
}

/// The passes with these ids; `lock` takes their row locks (in id order) for a push or a void.
pub async fn load(
    conn: &mut PgConnection,
    ids: &[Uuid],
    lock: bool,
) -> sqlx::Result<Vec<StoredPass>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = if lock {
        "SELECT version, doc FROM release_passes WHERE id = ANY($1) ORDER BY id FOR UPDATE"
    } else {
        "SELECT version, doc FROM release_passes WHERE id = ANY($1)"
    };
    let rows: Vec<(i64, Json<Pass>)> = sqlx::query_as(sql).bind(ids).fetch_all(conn).await?;
    Ok(rows
        .into_iter()
        .map(|(version, doc)| StoredPass {
            pass: doc.0,
            version,
        })
        .collect())
}

/// The unit's open bills: unpaid 付款请求书, and (where the site counts them) the other bills
/// recorded and not cleared. The requests are locked for share, so finance marking one paid
/// waits for the issue that read it unpaid, and the reverse.
pub async fn open_bills(
    conn: &mut PgConnection,
    unit: UnitId,
    policy: &ReleasePolicy,
) -> sqlx::Result<Vec<OpenBill>> {
    let mut bills: Vec<OpenBill> = sqlx::query_as::<_, (String, i64)>(
        "SELECT number, total_fen FROM payment_requests
         WHERE unit_id = $1 AND paid_at IS NULL ORDER BY number FOR SHARE",
    )
    .bind(unit.0)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|(number, amount_fen)| OpenBill { number, amount_fen })
    .collect();
    if policy.count_other_bills {
        let other: Vec<(String, i64)> = sqlx::query_as(
            "SELECT description, amount_fen FROM release_other_bills
             WHERE unit_id = $1 AND cleared_at IS NULL ORDER BY recorded_at FOR SHARE",
        )
        .bind(unit.0)
        .fetch_all(&mut *conn)
        .await?;
        bills.extend(
            other
                .into_iter()
                .map(|(number, amount_fen)| OpenBill { number, amount_fen }),
        );
    }
    Ok(bills)
}

pub async fn policy(conn: &mut PgConnection, site: SiteId) -> sqlx::Result<ReleasePolicy> {
    let p: Option<Json<ReleasePolicy>> =
        sqlx::query_scalar("SELECT policy FROM release_policies WHERE site_id = $1")
            .bind(site.0)
            .fetch_optional(conn)
            .await?;
    Ok(p.map(|p| p.0).unwrap_or_default())
}

pub async fn save_policy(
    conn: &mut PgConnection,
    site: SiteId,
    policy: &ReleasePolicy,
    by: StaffId,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO release_policies (site_id, policy, updated_at, updated_by)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (site_id) DO UPDATE SET policy = EXCLUDED.policy,
             updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by",
    )
    .bind(site.0)
    .bind(Json(policy))
    .bind(at)
    .bind(by.0)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn staff_name(conn: &mut PgConnection, id: StaffId) -> sqlx::Result<String> {
    let n: Option<String> = sqlx::query_scalar("SELECT display_name FROM staff WHERE id = $1")
        .bind(id.0)
        .fetch_optional(conn)
        .await?;
    Ok(n.unwrap_or_default())
}

/// Stores a new pass (with the mover's full ID number apart from the record).
pub async fn insert(
    conn: &mut PgConnection,
    p: &Pass,
    mover_id_card: &str,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO release_passes (id, site_id, unit_id, number, status, version, doc,
                                     mover_id_card, issued_by, issued_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $8, $9, $9)",
    )
    .bind(p.id)
    .bind(p.site_id.0)
    .bind(p.unit_id.0)
    .bind(&p.number)
    .bind(p.status.code())
    .bind(encode(p)?)
    .bind(mover_id_card)
    .bind(p.handler.0)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Writes changed passes (use, void).
pub async fn update(
    conn: &mut PgConnection,
    passes: &[&StoredPass],
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    for s in passes {
        sqlx::query(
            "UPDATE release_passes SET status = $2, version = $3, doc = $4, updated_at = $5
             WHERE id = $1",
        )
        .bind(s.pass.id)
        .bind(s.pass.status.code())
        .bind(s.version)
        .bind(encode(&s.pass)?)
        .bind(at)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

#[derive(sqlx::FromRow)]
struct ViewRow {
    version: i64,
    doc: Json<Pass>,
    site_name: String,
    used_by_name: Option<String>,
    void_by_name: Option<String>,
}

macro_rules! view_sql {
    () => {
        "SELECT p.version, p.doc, s.name AS site_name,
        u.display_name AS used_by_name, v.display_name AS void_by_name
    FROM release_passes p JOIN sites s ON s.id = p.site_id
    LEFT JOIN staff u ON u.id = (p.doc->>'used_by')::uuid
    LEFT JOIN staff v ON v.id = (p.doc->>'void_by')::uuid"
    };
}

fn view(r: ViewRow) -> PassView {
    PassView {
        pass: r.doc.0,
        version: r.version,
        site_name: r.site_name,
        used_by_name: r.used_by_name,
        void_by_name: r.void_by_name,
    }
}

pub async fn view_of(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<PassView>> {
    let r: Option<ViewRow> = sqlx::query_as(concat!(view_sql!(), " WHERE p.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    Ok(r.map(view))
}

/// The site's passes, newest first; `status` filters, `q` matches number, room or names.
pub async fn list(
    conn: &mut PgConnection,
    site: SiteId,
    status: Option<&str>,
    q: &str,
    limit: i64,
) -> sqlx::Result<Vec<PassView>> {
    let rows: Vec<ViewRow> = sqlx::query_as(concat!(
        view_sql!(),
        " WHERE p.site_id = $1 AND ($2::text IS NULL OR p.status = $2)
           AND ($3 = '' OR p.number ILIKE '%' || $3 || '%' OR p.doc->>'unit_label' ILIKE '%' || $3 || '%'
                OR p.doc->>'owner_name' ILIKE '%' || $3 || '%' OR p.doc->>'mover_name' ILIKE '%' || $3 || '%')
         ORDER BY p.issued_at DESC LIMIT $4"
    ))
    .bind(site.0)
    .bind(status)
    .bind(q)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(view).collect())
}

/// The site and status of a pass, locked (void takes turns with pushes that use it).
pub async fn lock(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<StoredPass>> {
    Ok(load(conn, &[id], true).await?.pop())
}

/// Passes a phone keeps at first sync: still valid, or changed in the last 14 days.
pub async fn snapshot_ids(conn: &mut PgConnection, sites: &[Uuid]) -> sqlx::Result<Vec<Uuid>> {
    sqlx::query_scalar(
        "SELECT id FROM release_passes
         WHERE site_id = ANY($1) AND (status = 'issued' OR updated_at > now() - interval '14 days')
         ORDER BY issued_at DESC LIMIT 500",
    )
    .bind(sites)
    .fetch_all(conn)
    .await
}

// One column per argument of the bill row: a struct would only rename them.
#[allow(clippy::too_many_arguments)]
pub async fn insert_other_bill(
    conn: &mut PgConnection,
    id: Uuid,
    site: SiteId,
    unit: UnitId,
    description: &str,
    amount_fen: i64,
    by: StaffId,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO release_other_bills (id, site_id, unit_id, description, amount_fen,
                                          recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(site.0)
    .bind(unit.0)
    .bind(description)
    .bind(amount_fen)
    .bind(by.0)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Clears an open other bill; `None` when unknown, `Some(site)` with whether it was open.
pub async fn clear_other_bill(
    conn: &mut PgConnection,
    id: Uuid,
    by: StaffId,
    at: DateTime<Utc>,
) -> sqlx::Result<Option<(SiteId, bool)>> {
    let site: Option<(Uuid, bool)> = sqlx::query_as(
        "SELECT site_id, cleared_at IS NULL FROM release_other_bills WHERE id = $1 FOR UPDATE",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((site, open)) = site else {
        return Ok(None);
    };
    if open {
        sqlx::query(
            "UPDATE release_other_bills SET cleared_at = $2, cleared_by = $3 WHERE id = $1",
        )
        .bind(id)
        .bind(at)
        .bind(by.0)
        .execute(conn)
        .await?;
    }
    Ok(Some((SiteId(site), open)))
}

/// An other-bill row: id, unit, unit label, description, amount, recorded, cleared.
type OtherBillRow = (
    Uuid,
    Uuid,
    String,
    String,
    i64,
    DateTime<Utc>,
    Option<DateTime<Utc>>,
);

pub async fn other_bills(
    conn: &mut PgConnection,
    site: SiteId,
    ids: Option<&[Uuid]>,
) -> sqlx::Result<Vec<OtherBillView>> {
    let rows: Vec<OtherBillRow> = sqlx::query_as(
        "SELECT o.id, o.unit_id, b.number || '栋' || u.entrance || '单元' || u.room,
                    o.description, o.amount_fen, o.recorded_at, o.cleared_at
             FROM release_other_bills o JOIN units u ON u.id = o.unit_id
             JOIN buildings b ON b.id = u.building_id
             WHERE o.site_id = $1 AND ($2::uuid[] IS NULL OR o.id = ANY($2))
             ORDER BY o.cleared_at IS NOT NULL, o.recorded_at DESC LIMIT 200",
    )
    .bind(site.0)
    .bind(ids)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, unit, unit_label, description, amount_fen, recorded_at, cleared_at)| {
                OtherBillView {
                    id,
                    unit_id: UnitId(unit),
                    unit_label,
                    description,
                    amount_fen,
                    recorded_at,
                    cleared_at,
                }
            },
        )
        .collect())
}
