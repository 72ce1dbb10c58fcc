//! SQL for work orders, per-site serials and the sites' repair policies.

use chrono::{DateTime, Utc};
use domain::ids::{SiteId, StaffId, UnitId, WorkOrderId};
use domain::reference::unit_label;
use domain::work_orders::policy::RepairPolicy;
use domain::work_orders::{PriorRepair, WorkOrder};
use sqlx::types::Json;
use sqlx::PgConnection;
use std::collections::HashMap;
use uuid::Uuid;

/// A stored order and its version.
#[derive(Debug, Clone)]
pub struct Stored {
    pub order: WorkOrder,
    pub version: i64,
}

#[derive(sqlx::FromRow)]
struct Row {
    version: i64,
    doc: Json<WorkOrder>,
}

/// Loads the orders with these ids; with `lock`, also locks them until the transaction ends.
pub async fn load(conn: &mut PgConnection, ids: &[Uuid], lock: bool) -> sqlx::Result<Vec<Stored>> {
    let sql = if lock {
        "SELECT version, doc FROM work_orders WHERE id = ANY($1) ORDER BY id FOR UPDATE"
    } else {
        "SELECT version, doc FROM work_orders WHERE id = ANY($1)"
    };
    let rows: Vec<Row> = sqlx::query_as(sql).bind(ids).fetch_all(conn).await?;
    Ok(rows
        .into_iter()
        .map(|r| Stored {
            order: r.doc.0,
            version: r.version,
        })
        .collect())
}

/// Writes new and changed orders in one statement.
pub async fn upsert(
    conn: &mut PgConnection,
    orders: &[(&Stored, DateTime<Utc>)],
    received_at: DateTime<Utc>,
) -> sqlx::Result<()> {
    if orders.is_empty() {
        return Ok(());
    }
    let mut id = Vec::new();
    let mut site = Vec::new();
    let mut unit = Vec::new();
    let mut number = Vec::new();
    let mut status = Vec::new();
    let mut kind = Vec::new();
    let mut assignee = Vec::new();
    let mut created_by = Vec::new();
    let mut version = Vec::new();
    let mut doc = Vec::new();
    let mut occurred = Vec::new();
    let mut closed = Vec::new();
    for (s, occurred_at) in orders {
        let o = &s.order;
        id.push(o.id.0);
        site.push(o.site_id.0);
        unit.push(o.unit_id.map(|u| u.0));
        number.push(o.number.clone().unwrap_or_default());
        status.push(o.status.code());
        kind.push(
            serde_json::to_value(o.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
        );
        assignee.push(o.assignee.map(|a| a.0));
        created_by.push(o.created_by.0);
        version.push(s.version);
        doc.push(serde_json::to_value(o).map_err(|e| sqlx::Error::Encode(Box::new(e)))?);
        occurred.push(*occurred_at);
        closed.push(o.closed_at);
    }
    sqlx::query(
        "INSERT INTO work_orders (id, site_id, unit_id, number, status, kind, assignee, created_by,
                                  version, doc, occurred_at, closed_at, received_at, updated_at)
         SELECT * , $13, $13 FROM UNNEST($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[],
                                  $6::text[], $7::uuid[], $8::uuid[], $9::bigint[], $10::jsonb[],
                                  $11::timestamptz[], $12::timestamptz[])
         ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, assignee = EXCLUDED.assignee,
             version = EXCLUDED.version, doc = EXCLUDED.doc, closed_at = EXCLUDED.closed_at,
             updated_at = EXCLUDED.updated_at",
    )
    .bind(&id)
    .bind(&site)
    .bind(&unit)
    .bind(&number)
    .bind(&status)
    .bind(&kind)
    .bind(&assignee)
    .bind(&created_by)
    .bind(&version)
    .bind(&doc)
    .bind(&occurred)
    .bind(&closed)
    .bind(received_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Reserves `count` consecutive serials for `site` in `period` (`2026-11`); returns the first.
pub async fn reserve_serials(
    conn: &mut PgConnection,
    site: SiteId,
    prefix: &str,
    period: &str,
    count: i32,
) -> sqlx::Result<i32> {
    let last: i32 = sqlx::query_scalar(
        "INSERT INTO site_counters (site_id, prefix, period, last) VALUES ($1, $2, $3, $4)
         ON CONFLICT (site_id, prefix, period) DO UPDATE SET last = site_counters.last + EXCLUDED.last
         RETURNING last",
    )
    .bind(site.0)
    .bind(prefix)
    .bind(period)
    .bind(count)
    .fetch_one(conn)
    .await?;
    Ok(last - count + 1)
}

/// `BX-2026-11-0042`.
pub fn serial(prefix: &str, period: &str, n: i32) -> String {
    format!("{prefix}-{period}-{n:04}")
}

/// Closed jobs at these units that were matched to a catalogue item and closed after `since`,
/// for second-repair detection (二次返修).
pub async fn prior_repairs(
    conn: &mut PgConnection,
    units: &[Uuid],
    since: DateTime<Utc>,
) -> sqlx::Result<HashMap<UnitId, Vec<PriorRepair>>> {
    let mut out: HashMap<UnitId, Vec<PriorRepair>> = HashMap::new();
    if units.is_empty() {
        return Ok(out);
    }
    let rows: Vec<(Uuid, String, Uuid, String, DateTime<Utc>)> = sqlx::query_as(
        "SELECT id, number, unit_id, doc->'matched'->>'code', closed_at FROM work_orders
         WHERE unit_id = ANY($1) AND status = 'closed' AND closed_at > $2
           AND doc->'matched'->>'type' = 'catalogue' AND doc->'matched'->>'code' IS NOT NULL",
    )
    .bind(units)
    .bind(since)
    .fetch_all(conn)
    .await?;
    for (id, number, unit, code, closed_at) in rows {
        out.entry(UnitId(unit)).or_default().push(PriorRepair {
            order_id: WorkOrderId(id),
            number: (!number.is_empty()).then_some(number),
            code,
            closed_at,
        });
    }
    Ok(out)
}

/// Reads a stored policy; a row that no longer parses runs on the default (and is logged), so
/// one bad row never stops a site's work.
fn decode_policy(site: Uuid, v: serde_json::Value) -> RepairPolicy {
    serde_json::from_value(v).unwrap_or_else(|e| {
        tracing::error!(site = %site, error = %e, "stored repair policy does not parse; using the default");
        RepairPolicy::default()
    })
}

/// The stored policies of these sites (sites without a row are absent: they run on the
/// default).
pub async fn policies(
    conn: &mut PgConnection,
    sites: &[Uuid],
) -> sqlx::Result<HashMap<SiteId, RepairPolicy>> {
    if sites.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(Uuid, serde_json::Value)> =
        sqlx::query_as("SELECT site_id, policy FROM site_policies WHERE site_id = ANY($1)")
            .bind(sites)
            .fetch_all(conn)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(s, p)| (SiteId(s), decode_policy(s, p)))
        .collect())
}

/// One site's policy, the default where it has none.
pub async fn policy(conn: &mut PgConnection, site: SiteId) -> sqlx::Result<RepairPolicy> {
    Ok(policies(conn, &[site.0])
        .await?
        .remove(&site)
        .unwrap_or_default())
}

pub async fn save_policy(
    conn: &mut PgConnection,
    site: SiteId,
    policy: &RepairPolicy,
    by: StaffId,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    let v = serde_json::to_value(policy).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query(
        "INSERT INTO site_policies (site_id, policy, updated_at, updated_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (site_id) DO UPDATE SET policy = EXCLUDED.policy,
             updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by",
    )
    .bind(site.0)
    .bind(v)
    .bind(at)
    .bind(by.0)
    .execute(conn)
    .await?;
    Ok(())
}

/// The site's name, `None` if there is no such site.
pub async fn site_name(conn: &mut PgConnection, site: SiteId) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT name FROM sites WHERE id = $1")
        .bind(site.0)
        .fetch_optional(conn)
        .await
}

/// A stored order with what its detail page shows beside it.
pub struct DetailRow {
    pub stored: Stored,
    pub received_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub site_name: String,
    /// `3栋2单元1502`, for in-home jobs.
    pub unit_label: Option<String>,
}

#[derive(sqlx::FromRow)]
struct DetailSql {
    version: i64,
    doc: Json<WorkOrder>,
    received_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    site_name: String,
    building_no: Option<String>,
    entrance: Option<String>,
    room: Option<String>,
}

pub async fn detail(conn: &mut PgConnection, id: WorkOrderId) -> sqlx::Result<Option<DetailRow>> {
    let row: Option<DetailSql> = sqlx::query_as(
        "SELECT w.version, w.doc, w.received_at, w.updated_at, s.name AS site_name,
                b.number AS building_no, u.entrance, u.room
         FROM work_orders w JOIN sites s ON s.id = w.site_id
         LEFT JOIN units u ON u.id = w.unit_id
         LEFT JOIN buildings b ON b.id = u.building_id
         WHERE w.id = $1",
    )
    .bind(id.0)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| DetailRow {
        stored: Stored {
            order: r.doc.0,
            version: r.version,
        },
        received_at: r.received_at,
        updated_at: r.updated_at,
        site_name: r.site_name,
        unit_label: match (r.building_no, r.entrance, r.room) {
            (Some(b), Some(e), Some(room)) => Some(unit_label(&b, &e, &room)),
            _ => None,
        },
    }))
}

/// Display names of these staff members.
pub async fn staff_names(
    conn: &mut PgConnection,
    ids: &[Uuid],
) -> sqlx::Result<Vec<(StaffId, String)>> {
    let rows: Vec<(Uuid, String)> =
        sqlx::query_as("SELECT id, display_name FROM staff WHERE id = ANY($1) ORDER BY id")
            .bind(ids)
            .fetch_all(conn)
            .await?;
    Ok(rows.into_iter().map(|(i, n)| (StaffId(i), n)).collect())
}

/// Names of catalogue and supplier-list items of a site by code.
pub async fn item_names(
    conn: &mut PgConnection,
    site: SiteId,
    codes: &[String],
) -> sqlx::Result<Vec<(String, String)>> {
    if codes.is_empty() {
        return Ok(Vec::new());
    }
    sqlx::query_as(
        "SELECT code, name_zh FROM catalogue_items WHERE site_id = $1 AND code = ANY($2)
         UNION ALL
         SELECT code, name_zh FROM supplier_items WHERE site_id = $1 AND code = ANY($2)
         ORDER BY 1",
    )
    .bind(site.0)
    .bind(codes)
    .fetch_all(conn)
    .await
}

/// Closed in-home orders of a site with quoted lines, closed before `before`, that no payment
/// request bills yet: the candidates for `billing::charge_of`, which decides. (The filters only
/// keep jobs that can never bill, such as warranty or common-area ones, from being re-read by
/// every run.)
pub async fn unbilled_closed(
    conn: &mut PgConnection,
    site: SiteId,
    before: DateTime<Utc>,
) -> sqlx::Result<Vec<Stored>> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT w.version, w.doc FROM work_orders w
         WHERE w.site_id = $1 AND w.status = 'closed' AND w.closed_at < $2
           AND w.unit_id IS NOT NULL AND w.kind <> 'warranty_complaint'
           AND jsonb_array_length(COALESCE(w.doc->'lines', '[]')) > 0
           AND NOT EXISTS (SELECT 1 FROM payment_request_lines l WHERE l.work_order_id = w.id)
         ORDER BY w.closed_at, w.id",
    )
    .bind(site.0)
    .bind(before)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Stored {
            order: r.doc.0,
            version: r.version,
        })
        .collect())
}
