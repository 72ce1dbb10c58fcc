//! SQL for work orders and per-site serials.

use chrono::{DateTime, Utc};
use domain::ids::SiteId;
use domain::work_orders::WorkOrder;
use sqlx::types::Json;
use sqlx::PgConnection;
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
    }
    sqlx::query(
        "INSERT INTO work_orders (id, site_id, unit_id, number, status, kind, assignee, created_by,
                                  version, doc, occurred_at, received_at, updated_at)
         SELECT * , $12, $12 FROM UNNEST($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[],
                                  $6::text[], $7::uuid[], $8::uuid[], $9::bigint[], $10::jsonb[],
                                  $11::timestamptz[])
         ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, assignee = EXCLUDED.assignee,
             version = EXCLUDED.version, doc = EXCLUDED.doc, updated_at = EXCLUDED.updated_at",
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
