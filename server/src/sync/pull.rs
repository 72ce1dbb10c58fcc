//! `GET /api/sync/v1/pull`: changes after the device's cursor, scoped to its user's sites and
//! role. The first pull (no cursor) is a bounded snapshot of the user's open records.
//! `GET /api/sync/v1/reference`: the site's reference data a phone needs offline.

use super::SyncError;
use crate::auth::extract::Authenticated;
use crate::patrol::repo as patrol_repo;
use crate::patrol::routes::manages_patrols;
use crate::work_orders::repo as wo_repo;
use crate::AppState;
use axum::extract::{Query, State};
use axum::Json;
use chrono::Utc;
use domain::ids::{CatalogueItemId, SiteId, StaffId, UnitId};
use domain::people::Role;
use domain::sync::reference::{
    CatalogueRef, ReferenceData, SitePolicy, StaffRef, SupplierRef, UnitRef,
};
use domain::sync::wire::{Change, PullResponse, Record, PROTOCOL_VERSION};
use serde::Deserialize;
use sqlx::PgConnection;
use std::collections::HashMap;
use uuid::Uuid;

#[derive(Deserialize)]
pub struct PullQuery {
    cursor: Option<String>,
    limit: Option<i64>,
}

/// A position in the change feed: (transaction id, row id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub xid: u64,
    pub id: i64,
}

impl Cursor {
    pub fn encode(self) -> String {
        format!("v1.{}.{}", self.xid, self.id)
    }

    pub fn decode(s: &str) -> Option<Cursor> {
        let rest = s.strip_prefix("v1.")?;
        let (xid, id) = rest.split_once('.')?;
        Some(Cursor {
            xid: xid.parse().ok()?,
            id: id.parse().ok()?,
        })
    }
}

/// Roles that see every work order of their sites; the others see what they created or are
/// assigned to.
fn sees_whole_site(role: Role) -> bool {
    !matches!(role, Role::Tech | Role::Patrol | Role::Security)
}

/// What a user's pull may return.
#[derive(Debug, Clone, Copy)]
struct Scope {
    me: Uuid,
    /// Every work order of the sites.
    all_orders: bool,
    /// Every round of the sites (customer-service and centre managers, admin); the others see
    /// their own rounds only.
    all_rounds: bool,
    /// The site's release passes (desk, managers, security).
    passes: bool,
    role: Role,
}

/// A record the feed names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Entity {
    WorkOrder(Uuid),
    Round(Uuid),
    Pass(Uuid),
}

/// Loads the records, in the order named, skipping any that vanished.
async fn records(conn: &mut PgConnection, named: &[Entity]) -> Result<Vec<Change>, SyncError> {
    let (mut orders, mut rounds, mut passes) = (Vec::new(), Vec::new(), Vec::new());
    for e in named {
        match e {
            Entity::WorkOrder(id) => orders.push(*id),
            Entity::Round(id) => rounds.push(*id),
            Entity::Pass(id) => passes.push(*id),
        }
    }
    let mut passes = crate::release::sync::changes(&mut *conn, &passes).await?;
    let mut orders: HashMap<Uuid, Change> = wo_repo::load(&mut *conn, &orders, false)
        .await?
        .into_iter()
        .map(|s| {
            (
                s.order.id.0,
                Change {
                    version: s.version,
                    record: Record::WorkOrder(s.order),
                },
            )
        })
        .collect();
    let mut rounds: HashMap<Uuid, Change> = patrol_repo::load_rounds(&mut *conn, &rounds, false)
        .await?
        .into_iter()
        .map(|s| {
            (
                s.round.id.0,
                Change {
                    version: s.version,
                    record: Record::Round(s.round),
                },
            )
        })
        .collect();
    Ok(named
        .iter()
        .filter_map(|e| match e {
            Entity::WorkOrder(id) => orders.remove(id),
            Entity::Round(id) => rounds.remove(id),
            Entity::Pass(id) => passes.remove(id),
        })
        .collect())
}

pub async fn pull(
    State(state): State<AppState>,
    auth: Authenticated,
    Query(q): Query<PullQuery>,
) -> Result<Json<PullResponse>, SyncError> {
    let profile = auth.profile();
    let sites: Vec<Uuid> = profile.sites.iter().map(|s| s.id.0).collect();
    let me = profile.staff_id.0;
    let scope = Scope {
        me,
        all_orders: sees_whole_site(profile.role),
        all_rounds: manages_patrols(profile.role),
        passes: crate::release::sync::pulls_passes(profile.role),
        role: profile.role,
    };
    let limit = q.limit.unwrap_or(200).clamp(1, 500);
    let mut tx = state.pool.begin().await?;
    let (named, cursor, has_more) = match q.cursor.as_deref() {
        None | Some("") => snapshot(&mut tx, &sites, scope).await?,
        Some(c) => {
            let c = Cursor::decode(c).ok_or(SyncError::BadCursor)?;
            feed(&mut tx, c, &sites, scope, limit).await?
        }
    };
    let changes = records(&mut tx, &named).await?;
    sqlx::query("UPDATE sync_devices SET last_pull_at = now() WHERE staff_id = $1")
        .bind(me)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Json(PullResponse {
        protocol: PROTOCOL_VERSION,
        server_time: Utc::now(),
        changes,
        cursor: cursor.encode(),
        has_more,
    }))
}

/// The open records a fresh device needs, and the feed position to continue from.
async fn snapshot(
    conn: &mut PgConnection,
    sites: &[Uuid],
    scope: Scope,
) -> Result<(Vec<Entity>, Cursor, bool), SyncError> {
    // Every transaction below xmin has finished and is in this snapshot; later ones will come
    // through the feed (possibly again, which the device ignores by version).
    let xmin: String = sqlx::query_scalar("SELECT pg_snapshot_xmin(pg_current_snapshot())::text")
        .fetch_one(&mut *conn)
        .await?;
    let ids: Vec<Uuid> = sqlx::query_scalar(
        "SELECT id FROM work_orders
         WHERE site_id = ANY($1) AND ($3 OR assignee = $2 OR created_by = $2)
         ORDER BY updated_at DESC LIMIT 1000",
    )
    .bind(sites)
    .bind(scope.me)
    .bind(scope.all_orders)
    .fetch_all(&mut *conn)
    .await?;
    // Rounds still being walked, and the last two weeks' (China dates).
    let rounds: Vec<Uuid> = sqlx::query_scalar(
        "SELECT id FROM rounds
         WHERE site_id = ANY($1) AND ($3 OR officer = $2)
           AND (status IN ('planned', 'in_progress')
                OR date >= (now() AT TIME ZONE 'Asia/Shanghai')::date - 14)
         ORDER BY updated_at DESC LIMIT 500",
    )
    .bind(sites)
    .bind(scope.me)
    .bind(scope.all_rounds)
    .fetch_all(&mut *conn)
    .await?;
    let passes = crate::release::sync::snapshot(&mut *conn, sites, scope.role).await?;
    let xid = xmin.parse().map_err(|_| SyncError::BadCursor)?;
    let named = ids
        .into_iter()
        .map(Entity::WorkOrder)
        .chain(rounds.into_iter().map(Entity::Round))
        .chain(passes.into_iter().map(Entity::Pass))
        .collect();
    Ok((named, Cursor { xid, id: 0 }, false))
}

async fn feed(
    conn: &mut PgConnection,
    after: Cursor,
    sites: &[Uuid],
    scope: Scope,
    limit: i64,
) -> Result<(Vec<Entity>, Cursor, bool), SyncError> {
    let rows: Vec<(String, i64, String, Uuid)> = sqlx::query_as(
        "SELECT txid::text, id, entity_kind, entity_id FROM sync_changes
         WHERE (txid, id) > ($1::text::xid8, $2)
           AND txid < pg_snapshot_xmin(pg_current_snapshot())
           AND site_id = ANY($3)
           AND ($4 = ANY(audience)
                OR CASE entity_kind WHEN 'round' THEN $6 WHEN 'pass' THEN $8 ELSE $5 END)
         ORDER BY txid, id LIMIT $7",
    )
    .bind(after.xid.to_string())
    .bind(after.id)
    .bind(sites)
    .bind(scope.me)
    .bind(scope.all_orders)
    .bind(scope.all_rounds)
    .bind(limit)
    .bind(scope.passes)
    .fetch_all(&mut *conn)
    .await?;
    let has_more = rows.len() as i64 == limit;
    let mut cursor = after;
    let mut named = Vec::new();
    for (xid, id, kind, entity) in &rows {
        cursor = Cursor {
            xid: xid.parse().map_err(|_| SyncError::BadCursor)?,
            id: *id,
        };
        let e = match kind.as_str() {
            "round" => Entity::Round(*entity),
            "pass" => Entity::Pass(*entity),
            _ => Entity::WorkOrder(*entity),
        };
        if !named.contains(&e) {
            named.push(e);
        }
    }
    Ok((named, cursor, has_more))
}

pub async fn reference(
    State(state): State<AppState>,
    auth: Authenticated,
) -> Result<Json<ReferenceData>, SyncError> {
    let sites: Vec<Uuid> = auth.profile().sites.iter().map(|s| s.id.0).collect();
    let mut conn = state.pool.acquire().await?;
    // Checkpoints and routes for those who walk rounds or manage them (a phone plans and
    // checks a round offline with them); a technician's phone does without.
    let (checkpoints, routes) = if matches!(auth.profile().role, Role::Patrol | Role::Security)
        || manages_patrols(auth.profile().role)
    {
        (
            patrol_repo::site_checkpoints(&mut conn, &sites, true).await?,
            patrol_repo::routes(&mut conn, &sites, None, true).await?,
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let units: Vec<(Uuid, Uuid, String)> = sqlx::query_as(
        "SELECT u.id, u.site_id, b.number || '栋' || u.entrance || '单元' || u.room AS label
         FROM units u JOIN buildings b ON b.id = u.building_id
         WHERE u.site_id = ANY($1) ORDER BY b.number, u.entrance, u.room",
    )
    .bind(&sites)
    .fetch_all(&mut *conn)
    .await?;
    let technicians: Vec<(Uuid, String, Vec<Uuid>)> = sqlx::query_as(
        "SELECT s.id, s.display_name, array_agg(ss.site_id) AS site_ids
         FROM staff s JOIN staff_sites ss ON ss.staff_id = s.id
         WHERE s.role = 'tech' AND s.active AND ss.site_id = ANY($1)
         GROUP BY s.id ORDER BY s.display_name",
    )
    .bind(&sites)
    .fetch_all(&mut *conn)
    .await?;
    #[allow(clippy::type_complexity)]
    let catalogue: Vec<(
        Uuid,
        Uuid,
        String,
        String,
        String,
        Option<i32>,
        i64,
        String,
        String,
        bool,
    )> = sqlx::query_as(
        "SELECT id, site_id, code, name_zh, name_en, std_minutes, price_fen, time_unit, remarks_zh,
                requires_disclaimer
         FROM catalogue_items WHERE site_id = ANY($1) AND active ORDER BY code",
    )
    .bind(&sites)
    .fetch_all(&mut *conn)
    .await?;
    let suppliers: Vec<(Uuid, String, String, String, String)> = sqlx::query_as(
        "SELECT site_id, code, name_zh, name_en, supplier_hint_zh FROM supplier_items
         WHERE site_id = ANY($1) ORDER BY code",
    )
    .bind(&sites)
    .fetch_all(&mut *conn)
    .await?;
    // Every site gets its policy, the default where the site has none stored.
    let stored = wo_repo::policies(&mut conn, &sites).await?;
    let policies = sites
        .iter()
        .map(|s| SitePolicy {
            site_id: SiteId(*s),
            policy: stored.get(&SiteId(*s)).copied().unwrap_or_default(),
        })
        .collect();
    Ok(Json(ReferenceData {
        units: units
            .into_iter()
            .map(|(id, site, label)| UnitRef {
                id: UnitId(id),
                site_id: SiteId(site),
                label,
            })
            .collect(),
        technicians: technicians
            .into_iter()
            .map(|(id, display_name, sites)| StaffRef {
                id: StaffId(id),
                display_name,
                site_ids: sites.into_iter().map(SiteId).collect(),
            })
            .collect(),
        catalogue: catalogue
            .into_iter()
            .map(
                |(
                    id,
                    site,
                    code,
                    name_zh,
                    name_en,
                    std_minutes,
                    price_fen,
                    time_unit,
                    remarks_zh,
                    requires_disclaimer,
                )| CatalogueRef {
                    id: CatalogueItemId(id),
                    site_id: SiteId(site),
                    code,
                    name_zh,
                    name_en,
                    std_minutes,
                    price_fen,
                    time_unit,
                    remarks_zh,
                    requires_disclaimer,
                },
            )
            .collect(),
        suppliers: suppliers
            .into_iter()
            .map(
                |(site, code, name_zh, name_en, supplier_hint_zh)| SupplierRef {
                    site_id: SiteId(site),
                    code,
                    name_zh,
                    name_en,
                    supplier_hint_zh,
                },
            )
            .collect(),
        policies,
        checkpoints,
        routes,
    }))
}

#[cfg(test)]
mod tests {
    use super::Cursor;

    #[test]
    fn cursors_round_trip_and_reject_junk() {
        let c = Cursor {
            xid: 7_000_123,
            id: 42,
        };
        assert_eq!(Cursor::decode(&c.encode()), Some(c));
        assert_eq!(Cursor::decode("v2.1.2"), None);
        assert_eq!(Cursor::decode("v1.x.2"), None);
        assert_eq!(Cursor::decode("v1.1"), None);
    }
}
