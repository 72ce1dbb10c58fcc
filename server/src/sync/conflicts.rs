//! The review list: text fields both a device and someone else changed. Managers of the site
//! read them and keep one side; keeping the device's side is a new server change that every
//! device pulls.

use super::push::ReviewItem;
use super::repo::{append_changes, ChangeRow};
use super::SyncError;
use crate::auth::extract::Authenticated;
use crate::http::ApiJson;
use crate::work_orders::repo as wo_repo;
use crate::AppState;
use axum::extract::{Path, State};
use axum::Json;
use chrono::{DateTime, Utc};
use domain::access::Area;
use domain::ids::StaffId;
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use uuid::Uuid;

pub async fn insert(
    conn: &mut PgConnection,
    staff: StaffId,
    items: &[ReviewItem],
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    for it in items {
        sqlx::query(
            "INSERT INTO sync_conflicts (id, site_id, entity_kind, entity_id, field, base_value,
                server_value, device_value, mutation_id, staff_id, created_at)
             VALUES ($1, $2, 'work_order', $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(Uuid::now_v7())
        .bind(it.site_id.0)
        .bind(it.entity_id)
        .bind(&it.field)
        .bind(&it.base)
        .bind(&it.server)
        .bind(&it.device)
        .bind(it.mutation_id)
        .bind(staff.0)
        .bind(at)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

#[derive(Debug, Serialize, Deserialize, sqlx::FromRow)]
pub struct ConflictView {
    pub id: Uuid,
    pub entity_id: Uuid,
    pub number: Option<String>,
    pub field: String,
    pub base_value: String,
    pub server_value: String,
    pub device_value: String,
    pub staff_name: String,
    pub created_at: DateTime<Utc>,
}

fn require_manager(auth: &Authenticated) -> Result<(), SyncError> {
    auth.require(Area::EngBoard)
        .or_else(|_| auth.require(Area::CsBoard))?;
    Ok(())
}

pub async fn list(
    State(state): State<AppState>,
    auth: Authenticated,
) -> Result<Json<Vec<ConflictView>>, SyncError> {
    require_manager(&auth)?;
    let sites: Vec<Uuid> = auth.profile().sites.iter().map(|s| s.id.0).collect();
    let mut conn = state.pool.acquire().await?;
    let rows = sqlx::query_as(
        "SELECT c.id, c.entity_id, w.number, c.field, c.base_value, c.server_value, c.device_value,
                s.display_name AS staff_name, c.created_at
         FROM sync_conflicts c JOIN staff s ON s.id = c.staff_id
         LEFT JOIN work_orders w ON w.id = c.entity_id
         WHERE c.site_id = ANY($1) AND c.resolved_at IS NULL ORDER BY c.created_at",
    )
    .bind(&sites)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Json(rows))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resolve {
    /// `server` keeps what the server has; `device` takes the device's text.
    pub keep: String,
}

pub async fn resolve(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<Uuid>,
    ApiJson(body): ApiJson<Resolve>,
) -> Result<Json<serde_json::Value>, SyncError> {
    require_manager(&auth)?;
    let keep_device = match body.keep.as_str() {
        "server" => false,
        "device" => true,
        _ => return Err(SyncError::BadBlob("keep must be server or device")),
    };
    let me = auth.profile().staff_id;
    let mut tx = state.pool.begin().await?;
    /// site, entity, field, device value, resolved at
    type Row = (Uuid, Uuid, String, String, Option<DateTime<Utc>>);
    let row: Option<Row> = sqlx::query_as(
        "SELECT site_id, entity_id, field, device_value, resolved_at FROM sync_conflicts WHERE id = $1 FOR UPDATE",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let (site, entity, field, device_value, resolved) = row.ok_or(SyncError::NotFound)?;
    auth.require_site(domain::ids::SiteId(site))?;
    if resolved.is_some() {
        return Err(SyncError::AlreadyResolved);
    }
    let now = Utc::now();
    if keep_device {
        let mut stored = wo_repo::load(&mut tx, &[entity], true)
            .await?
            .pop()
            .ok_or(SyncError::NotFound)?;
        match field.as_str() {
            "content" => stored.order.content = device_value,
            "location" => stored.order.location = device_value,
            _ => return Err(SyncError::NotFound),
        }
        stored.version += 1;
        stored
            .order
            .history
            .push(domain::work_orders::HistoryEntry {
                at: now,
                by: me,
                action: "work_order.resolve_conflict".into(),
                note: field.clone(),
            });
        let occurred = stored.order.reported_at;
        wo_repo::upsert(&mut tx, &[(&stored, occurred)], now).await?;
        let mut audience = vec![stored.order.created_by.0];
        audience.extend(stored.order.assignee.map(|a| a.0));
        append_changes(
            &mut tx,
            &[ChangeRow {
                site_id: stored.order.site_id,
                entity_kind: "work_order",
                entity_id: entity,
                version: stored.version,
                audience,
            }],
            now,
        )
        .await?;
    }
    sqlx::query(
        "UPDATE sync_conflicts SET resolved_at = $2, resolved_by = $3, resolution = $4 WHERE id = $1",
    )
    .bind(id)
    .bind(now)
    .bind(me.0)
    .bind(if keep_device { "device" } else { "server" })
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Json(serde_json::json!({ "resolved": true })))
}
