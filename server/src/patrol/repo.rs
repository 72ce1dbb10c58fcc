//! SQL for checkpoints, routes, rounds, customer-service cases and notifications.

use chrono::{DateTime, NaiveDate, Utc};
use domain::ids::{CheckpointId, RoundId, RouteId, SiteId, StaffId};
use domain::patrol::checklist::{AreaType, ChecklistItem};
use domain::patrol::findings::FaultSource;
use domain::patrol::round::{GeoPoint, Round};
use domain::patrol::route::{Checkpoint, Route, Schedule};
use domain::patrol::views::{
    CaseStatus, CaseView, NotificationKind, NotificationView, PatrolOrderRef, RouteRef,
};
use domain::people::Role;
use domain::sync::wire::BlobRef;
use domain::work_orders::{WorkOrder, WorkOrderStatus};
use sqlx::types::Json;
use sqlx::PgConnection;
use std::collections::HashMap;
use uuid::Uuid;

pub const fn area_code(a: AreaType) -> &'static str {
    match a {
        AreaType::Stairwell => "stairwell",
        AreaType::Roof => "roof",
        AreaType::Lift => "lift",
        AreaType::Lobby => "lobby",
        AreaType::Grounds => "grounds",
    }
}

fn parse_area(s: &str) -> Option<AreaType> {
    AreaType::ALL.into_iter().find(|a| area_code(*a) == s)
}

pub const fn schedule_code(s: Schedule) -> &'static str {
    match s {
        Schedule::Daily => "daily",
        Schedule::Weather => "weather",
        Schedule::Holiday => "holiday",
    }
}

fn parse_schedule(s: &str) -> Option<Schedule> {
    [Schedule::Daily, Schedule::Weather, Schedule::Holiday]
        .into_iter()
        .find(|x| schedule_code(*x) == s)
}

fn encode<T: serde::Serialize>(v: &T) -> sqlx::Result<serde_json::Value> {
    serde_json::to_value(v).map_err(|e| sqlx::Error::Encode(Box::new(e)))
}

fn decode_err(what: &str, value: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("unknown {what} {value:?}").into())
}

// --- checkpoints -----------------------------------------------------------------------------

macro_rules! checkpoint_select {
    () => {
        "SELECT id, site_id, code, name_zh, area, building, lat, lng, items, active FROM checkpoints"
    };
}

#[derive(sqlx::FromRow)]
struct CheckpointRow {
    id: Uuid,
    site_id: Uuid,
    code: String,
    name_zh: String,
    area: String,
    building: Option<String>,
    lat: Option<f64>,
    lng: Option<f64>,
    items: Json<Vec<ChecklistItem>>,
    active: bool,
}

impl TryFrom<CheckpointRow> for Checkpoint {
    type Error = sqlx::Error;

    fn try_from(r: CheckpointRow) -> sqlx::Result<Checkpoint> {
        Ok(Checkpoint {
            id: CheckpointId(r.id),
            site_id: SiteId(r.site_id),
            area: parse_area(&r.area).ok_or_else(|| decode_err("area", &r.area))?,
            code: r.code,
            name_zh: r.name_zh,
            building: r.building,
            position: match (r.lat, r.lng) {
                (Some(lat), Some(lng)) => Some(GeoPoint { lat, lng }),
                _ => None,
            },
            items: r.items.0,
            active: r.active,
        })
    }
}

fn to_checkpoints(rows: Vec<CheckpointRow>) -> sqlx::Result<Vec<Checkpoint>> {
    rows.into_iter().map(Checkpoint::try_from).collect()
}

/// The checkpoints of these sites (only the active ones with `active_only`).
pub async fn site_checkpoints(
    conn: &mut PgConnection,
    sites: &[Uuid],
    active_only: bool,
) -> sqlx::Result<Vec<Checkpoint>> {
    let sql = concat!(
        checkpoint_select!(),
        " WHERE site_id = ANY($1) AND (active OR NOT $2) ORDER BY code"
    );
    to_checkpoints(
        sqlx::query_as(sql)
            .bind(sites)
            .bind(active_only)
            .fetch_all(conn)
            .await?,
    )
}

pub async fn checkpoints_by_ids(
    conn: &mut PgConnection,
    ids: &[Uuid],
) -> sqlx::Result<Vec<Checkpoint>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = concat!(checkpoint_select!(), " WHERE id = ANY($1) ORDER BY code");
    to_checkpoints(sqlx::query_as(sql).bind(ids).fetch_all(conn).await?)
}

/// Checkpoints of any site with these codes.
pub async fn checkpoints_by_codes(
    conn: &mut PgConnection,
    codes: &[String],
) -> sqlx::Result<Vec<Checkpoint>> {
    if codes.is_empty() {
        return Ok(Vec::new());
    }
    let sql = concat!(checkpoint_select!(), " WHERE code = ANY($1) ORDER BY code");
    to_checkpoints(sqlx::query_as(sql).bind(codes).fetch_all(conn).await?)
}

pub async fn checkpoint(
    conn: &mut PgConnection,
    id: CheckpointId,
) -> sqlx::Result<Option<Checkpoint>> {
    Ok(checkpoints_by_ids(conn, &[id.0]).await?.pop())
}

/// Inserts or updates a checkpoint (its site never changes).
pub async fn save_checkpoint(
    conn: &mut PgConnection,
    c: &Checkpoint,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO checkpoints (id, site_id, code, name_zh, area, building, lat, lng, items,
                                  active, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)
         ON CONFLICT (id) DO UPDATE SET code = EXCLUDED.code, name_zh = EXCLUDED.name_zh,
             area = EXCLUDED.area, building = EXCLUDED.building, lat = EXCLUDED.lat,
             lng = EXCLUDED.lng, items = EXCLUDED.items, active = EXCLUDED.active,
             updated_at = EXCLUDED.updated_at",
    )
    .bind(c.id.0)
    .bind(c.site_id.0)
    .bind(&c.code)
    .bind(&c.name_zh)
    .bind(area_code(c.area))
    .bind(&c.building)
    .bind(c.position.map(|p| p.lat))
    .bind(c.position.map(|p| p.lng))
    .bind(encode(&c.items)?)
    .bind(c.active)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Buildings of these checkpoints.
pub async fn buildings(
    conn: &mut PgConnection,
    sites: &[Uuid],
) -> sqlx::Result<HashMap<CheckpointId, Option<String>>> {
    let rows: Vec<(Uuid, Option<String>)> =
        sqlx::query_as("SELECT id, building FROM checkpoints WHERE site_id = ANY($1)")
            .bind(sites)
            .fetch_all(conn)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(id, b)| (CheckpointId(id), b))
        .collect())
}

// --- routes ----------------------------------------------------------------------------------

#[derive(sqlx::FromRow)]
struct RouteRow {
    id: Uuid,
    site_id: Uuid,
    name: String,
    ordered: bool,
    schedule: String,
    active: bool,
    checkpoints: Vec<Uuid>,
}

impl TryFrom<RouteRow> for Route {
    type Error = sqlx::Error;

    fn try_from(r: RouteRow) -> sqlx::Result<Route> {
        Ok(Route {
            id: RouteId(r.id),
            site_id: SiteId(r.site_id),
            schedule: parse_schedule(&r.schedule)
                .ok_or_else(|| decode_err("schedule", &r.schedule))?,
            name: r.name,
            ordered: r.ordered,
            checkpoints: r.checkpoints.into_iter().map(CheckpointId).collect(),
            active: r.active,
        })
    }
}

macro_rules! route_select {
    () => {
        "SELECT r.id, r.site_id, r.name, r.ordered, r.schedule, r.active,
        COALESCE((SELECT array_agg(rc.checkpoint_id ORDER BY rc.position)
                  FROM route_checkpoints rc WHERE rc.route_id = r.id), '{}') AS checkpoints
     FROM routes r"
    };
}

/// Routes of these sites (with `ids`, only those), the active ones with `active_only`.
pub async fn routes(
    conn: &mut PgConnection,
    sites: &[Uuid],
    ids: Option<&[Uuid]>,
    active_only: bool,
) -> sqlx::Result<Vec<Route>> {
    let sql = concat!(
        route_select!(),
        " WHERE r.site_id = ANY($1) AND ($2::uuid[] IS NULL OR r.id = ANY($2))
           AND (r.active OR NOT $3)
         ORDER BY r.schedule, r.name"
    );
    let rows: Vec<RouteRow> = sqlx::query_as(sql)
        .bind(sites)
        .bind(ids)
        .bind(active_only)
        .fetch_all(conn)
        .await?;
    rows.into_iter().map(Route::try_from).collect()
}

pub async fn route(conn: &mut PgConnection, id: RouteId) -> sqlx::Result<Option<Route>> {
    let sql = concat!(route_select!(), " WHERE r.id = $1");
    let row: Option<RouteRow> = sqlx::query_as(sql).bind(id.0).fetch_optional(conn).await?;
    row.map(Route::try_from).transpose()
}

/// Inserts or updates a route and replaces its checkpoint list.
pub async fn save_route(conn: &mut PgConnection, r: &Route, at: DateTime<Utc>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO routes (id, site_id, name, ordered, schedule, active, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
         ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, ordered = EXCLUDED.ordered,
             schedule = EXCLUDED.schedule, active = EXCLUDED.active,
             updated_at = EXCLUDED.updated_at",
    )
    .bind(r.id.0)
    .bind(r.site_id.0)
    .bind(&r.name)
    .bind(r.ordered)
    .bind(schedule_code(r.schedule))
    .bind(r.active)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM route_checkpoints WHERE route_id = $1")
        .bind(r.id.0)
        .execute(&mut *conn)
        .await?;
    let ids: Vec<Uuid> = r.checkpoints.iter().map(|c| c.0).collect();
    sqlx::query(
        "INSERT INTO route_checkpoints (site_id, route_id, position, checkpoint_id)
         SELECT $1, $2, (p - 1)::int, c FROM UNNEST($3::uuid[]) WITH ORDINALITY AS x(c, p)",
    )
    .bind(r.site_id.0)
    .bind(r.id.0)
    .bind(&ids)
    .execute(conn)
    .await?;
    Ok(())
}

/// Active daily routes of the site with no round on `date`.
pub async fn daily_routes_without_round(
    conn: &mut PgConnection,
    site: SiteId,
    date: NaiveDate,
) -> sqlx::Result<Vec<RouteRef>> {
    let rows: Vec<(Uuid, String)> = sqlx::query_as(
        "SELECT r.id, r.name FROM routes r
         WHERE r.site_id = $1 AND r.active AND r.schedule = 'daily'
           AND NOT EXISTS (SELECT 1 FROM rounds x WHERE x.route_id = r.id AND x.date = $2)
         ORDER BY r.name",
    )
    .bind(site.0)
    .bind(date)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| RouteRef {
            id: RouteId(id),
            name,
        })
        .collect())
}

// --- rounds ----------------------------------------------------------------------------------

/// A stored round, its version and the route it was planned from.
#[derive(Debug, Clone)]
pub struct StoredRound {
    pub round: Round,
    pub version: i64,
    pub route_id: RouteId,
}

#[derive(sqlx::FromRow)]
struct RoundRow {
    version: i64,
    route_id: Uuid,
    doc: Json<Round>,
}

impl From<RoundRow> for StoredRound {
    fn from(r: RoundRow) -> Self {
        StoredRound {
            round: r.doc.0,
            version: r.version,
            route_id: RouteId(r.route_id),
        }
    }
}

/// Loads the rounds with these ids; with `lock`, also locks them until the transaction ends.
pub async fn load_rounds(
    conn: &mut PgConnection,
    ids: &[Uuid],
    lock: bool,
) -> sqlx::Result<Vec<StoredRound>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = if lock {
        "SELECT version, route_id, doc FROM rounds WHERE id = ANY($1) ORDER BY id FOR UPDATE"
    } else {
        "SELECT version, route_id, doc FROM rounds WHERE id = ANY($1)"
    };
    let rows: Vec<RoundRow> = sqlx::query_as(sql).bind(ids).fetch_all(conn).await?;
    Ok(rows.into_iter().map(StoredRound::from).collect())
}

/// Writes new and changed rounds in one statement.
pub async fn upsert_rounds(
    conn: &mut PgConnection,
    rounds: &[(&StoredRound, DateTime<Utc>)],
    received_at: DateTime<Utc>,
) -> sqlx::Result<()> {
    if rounds.is_empty() {
        return Ok(());
    }
    let mut id = Vec::new();
    let mut site = Vec::new();
    let mut officer = Vec::new();
    let mut route = Vec::new();
    let mut date = Vec::new();
    let mut status = Vec::new();
    let mut version = Vec::new();
    let mut doc = Vec::new();
    let mut occurred = Vec::new();
    for (s, at) in rounds {
        let r = &s.round;
        id.push(r.id.0);
        site.push(r.site_id.0);
        officer.push(r.officer.0);
        route.push(s.route_id.0);
        date.push(r.date);
        status.push(r.status.code());
        version.push(s.version);
        doc.push(encode(r)?);
        occurred.push(*at);
    }
    sqlx::query(
        "INSERT INTO rounds (id, site_id, officer, route_id, date, status, version, doc,
                             occurred_at, received_at, updated_at)
         SELECT *, $10, $10 FROM UNNEST($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[],
                                        $5::date[], $6::text[], $7::bigint[], $8::jsonb[],
                                        $9::timestamptz[])
         ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, version = EXCLUDED.version,
             doc = EXCLUDED.doc, updated_at = EXCLUDED.updated_at",
    )
    .bind(&id)
    .bind(&site)
    .bind(&officer)
    .bind(&route)
    .bind(&date)
    .bind(&status)
    .bind(&version)
    .bind(&doc)
    .bind(&occurred)
    .bind(received_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// A round with what its list row or report shows beside it.
pub struct RoundRowFull {
    pub stored: StoredRound,
    pub officer_name: String,
    pub site_name: String,
    pub received_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct RoundFullSql {
    version: i64,
    route_id: Uuid,
    doc: Json<Round>,
    officer_name: String,
    site_name: String,
    received_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

macro_rules! round_full_select {
    () => {
        "SELECT r.version, r.route_id, r.doc, st.display_name AS officer_name,
        si.name AS site_name, r.received_at, r.updated_at
     FROM rounds r JOIN staff st ON st.id = r.officer JOIN sites si ON si.id = r.site_id"
    };
}

fn full(r: RoundFullSql) -> RoundRowFull {
    RoundRowFull {
        stored: StoredRound {
            round: r.doc.0,
            version: r.version,
            route_id: RouteId(r.route_id),
        },
        officer_name: r.officer_name,
        site_name: r.site_name,
        received_at: r.received_at,
        updated_at: r.updated_at,
    }
}

pub async fn round_full(
    conn: &mut PgConnection,
    id: RoundId,
) -> sqlx::Result<Option<RoundRowFull>> {
    let sql = concat!(round_full_select!(), " WHERE r.id = $1");
    let row: Option<RoundFullSql> = sqlx::query_as(sql).bind(id.0).fetch_optional(conn).await?;
    Ok(row.map(full))
}

/// The site's rounds dated from `from` until before `until`, oldest first.
pub async fn rounds_between(
    conn: &mut PgConnection,
    site: SiteId,
    from: NaiveDate,
    until: NaiveDate,
) -> sqlx::Result<Vec<RoundRowFull>> {
    let sql = concat!(
        round_full_select!(),
        " WHERE r.site_id = $1 AND r.date >= $2 AND r.date < $3
         ORDER BY r.date, r.occurred_at, r.id"
    );
    let rows: Vec<RoundFullSql> = sqlx::query_as(sql)
        .bind(site.0)
        .bind(from)
        .bind(until)
        .fetch_all(conn)
        .await?;
    Ok(rows.into_iter().map(full).collect())
}

// --- work raised from rounds -----------------------------------------------------------------

/// Patrol work of one site takes turns (until the transaction ends): two officers reporting
/// the same fault at once raise one order.
pub async fn lock_site_work(conn: &mut PgConnection, site: SiteId) -> sqlx::Result<()> {
    sqlx::query("SELECT pg_advisory_xact_lock(7302, hashtext($1::text))")
        .bind(site.0)
        .execute(conn)
        .await?;
    Ok(())
}

fn final_statuses() -> Vec<&'static str> {
    WorkOrderStatus::ALL
        .iter()
        .filter(|s| s.is_final())
        .map(|s| s.code())
        .collect()
}

/// Fault sources with work still open at the site (orders not final, open cases), and every
/// source `round` raised work for already (open or not).
pub async fn taken_sources(
    conn: &mut PgConnection,
    site: SiteId,
    round: RoundId,
) -> sqlx::Result<Vec<FaultSource>> {
    let rows: Vec<Json<FaultSource>> = sqlx::query_scalar(
        "SELECT doc->'patrol_source'->'fault' FROM work_orders
         WHERE site_id = $1 AND doc ? 'patrol_source'
           AND (status <> ALL($3) OR doc->'patrol_source'->>'round_id' = $2::text)
         UNION ALL
         SELECT source FROM service_cases
         WHERE site_id = $1 AND (status = 'open' OR round_id = $2)",
    )
    .bind(site.0)
    .bind(round.0)
    .bind(final_statuses())
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|j| j.0).collect())
}

/// Who to call back about a patrol order: the officer's name and phone, and the centre's phone.
pub struct Contact {
    pub name: String,
    pub staff_phone: Option<String>,
    pub site_phone: String,
}

pub async fn contact(
    conn: &mut PgConnection,
    staff: StaffId,
    site: SiteId,
) -> sqlx::Result<Option<Contact>> {
    let row: Option<(String, Option<String>, String)> = sqlx::query_as(
        "SELECT st.display_name, st.phone, si.phone FROM staff st, sites si
         WHERE st.id = $1 AND si.id = $2",
    )
    .bind(staff.0)
    .bind(site.0)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(name, staff_phone, site_phone)| Contact {
        name,
        staff_phone,
        site_phone,
    }))
}

/// A case to store.
pub struct NewCase {
    pub id: Uuid,
    pub site_id: SiteId,
    pub round_id: RoundId,
    pub source: FaultSource,
    pub place: String,
    pub content: String,
    pub photos: Vec<BlobRef>,
    pub created_by: StaffId,
    pub created_at: DateTime<Utc>,
}

pub async fn insert_case(conn: &mut PgConnection, c: &NewCase) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO service_cases (id, site_id, round_id, source, place, content, photos,
                                    created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(c.id)
    .bind(c.site_id.0)
    .bind(c.round_id.0)
    .bind(encode(&c.source)?)
    .bind(&c.place)
    .bind(&c.content)
    .bind(encode(&c.photos)?)
    .bind(c.created_by.0)
    .bind(c.created_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// A notification to store, for everyone of `role` at the site.
pub struct NewNotification {
    pub site_id: SiteId,
    pub role: Role,
    pub kind: NotificationKind,
    pub text: String,
    pub link: String,
}

pub async fn insert_notifications(
    conn: &mut PgConnection,
    rows: &[NewNotification],
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    for n in rows {
        sqlx::query(
            "INSERT INTO notifications (id, site_id, role, kind, text, link, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(Uuid::now_v7())
        .bind(n.site_id.0)
        .bind(n.role.code())
        .bind(n.kind.code())
        .bind(&n.text)
        .bind(&n.link)
        .bind(at)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The repair orders a round raised.
pub async fn orders_of_round(
    conn: &mut PgConnection,
    round: RoundId,
) -> sqlx::Result<Vec<PatrolOrderRef>> {
    let docs: Vec<Json<WorkOrder>> = sqlx::query_scalar(
        "SELECT doc FROM work_orders
         WHERE doc ? 'patrol_source' AND doc->'patrol_source'->>'round_id' = $1::text
         ORDER BY received_at, number",
    )
    .bind(round.0)
    .fetch_all(conn)
    .await?;
    Ok(docs
        .into_iter()
        .filter_map(|Json(o)| {
            let source = o.patrol_source.as_ref()?.fault.clone();
            Some(PatrolOrderRef {
                id: o.id,
                number: o.number,
                status: o.status,
                kind: o.kind,
                location: o.location,
                content: o.content,
                source,
                reported_at: o.reported_at,
            })
        })
        .collect())
}

// --- cases -----------------------------------------------------------------------------------

#[derive(sqlx::FromRow)]
struct CaseRow {
    id: Uuid,
    site_id: Uuid,
    round_id: Uuid,
    source: Json<FaultSource>,
    place: String,
    content: String,
    photos: Json<Vec<BlobRef>>,
    status: String,
    created_by: Uuid,
    created_by_name: String,
    created_at: DateTime<Utc>,
    closed_at: Option<DateTime<Utc>>,
    closing_note: String,
}

impl TryFrom<CaseRow> for CaseView {
    type Error = sqlx::Error;

    fn try_from(r: CaseRow) -> sqlx::Result<CaseView> {
        Ok(CaseView {
            id: r.id,
            site_id: SiteId(r.site_id),
            round_id: RoundId(r.round_id),
            source: r.source.0,
            place: r.place,
            content: r.content,
            photos: r.photos.0,
            status: CaseStatus::parse(&r.status).ok_or_else(|| decode_err("status", &r.status))?,
            created_by: StaffId(r.created_by),
            created_by_name: r.created_by_name,
            created_at: r.created_at,
            closed_at: r.closed_at,
            closing_note: r.closing_note,
        })
    }
}

/// Which cases to list.
#[derive(Debug, Default)]
pub struct CaseFilter {
    pub site: Option<SiteId>,
    pub status: Option<CaseStatus>,
    pub round: Option<RoundId>,
    pub id: Option<Uuid>,
}

pub async fn cases(conn: &mut PgConnection, f: &CaseFilter) -> sqlx::Result<Vec<CaseView>> {
    let rows: Vec<CaseRow> = sqlx::query_as(
        "SELECT c.id, c.site_id, c.round_id, c.source, c.place, c.content, c.photos, c.status,
                c.created_by, s.display_name AS created_by_name, c.created_at, c.closed_at,
                c.closing_note
         FROM service_cases c JOIN staff s ON s.id = c.created_by
         WHERE ($1::uuid IS NULL OR c.site_id = $1) AND ($2::text IS NULL OR c.status = $2)
           AND ($3::uuid IS NULL OR c.round_id = $3) AND ($4::uuid IS NULL OR c.id = $4)
         ORDER BY c.status DESC, c.created_at DESC, c.id
         LIMIT 500",
    )
    .bind(f.site.map(|s| s.0))
    .bind(f.status.map(CaseStatus::code))
    .bind(f.round.map(|r| r.0))
    .bind(f.id)
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(CaseView::try_from).collect()
}

/// Closes an open case; `false` if it was not open.
pub async fn close_case(
    conn: &mut PgConnection,
    id: Uuid,
    by: StaffId,
    note: &str,
    at: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE service_cases SET status = 'closed', closed_at = $3, closed_by = $2,
                closing_note = $4
         WHERE id = $1 AND status = 'open'",
    )
    .bind(id)
    .bind(by.0)
    .bind(at)
    .bind(note)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

// --- notifications ---------------------------------------------------------------------------

#[derive(sqlx::FromRow)]
struct NotificationRow {
    id: Uuid,
    site_id: Uuid,
    kind: String,
    text: String,
    link: String,
    created_at: DateTime<Utc>,
    read_at: Option<DateTime<Utc>>,
}

/// Notifications for `staff` (as a person, or for `role` at one of `sites`), newest first.
pub async fn notifications(
    conn: &mut PgConnection,
    sites: &[Uuid],
    role: Role,
    staff: StaffId,
    unread_only: bool,
) -> sqlx::Result<Vec<NotificationView>> {
    let rows: Vec<NotificationRow> = sqlx::query_as(
        "SELECT id, site_id, kind, text, link, created_at, read_at FROM notifications
         WHERE site_id = ANY($1) AND (staff_id = $3 OR (staff_id IS NULL AND role = $2))
           AND (read_at IS NULL OR NOT $4)
         ORDER BY created_at DESC, id DESC LIMIT 200",
    )
    .bind(sites)
    .bind(role.code())
    .bind(staff.0)
    .bind(unread_only)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        // A kind this build does not know is skipped, not an error for the whole list.
        .filter_map(|r| {
            Some(NotificationView {
                id: r.id,
                site_id: SiteId(r.site_id),
                kind: NotificationKind::parse(&r.kind)?,
                text: r.text,
                link: r.link,
                created_at: r.created_at,
                read_at: r.read_at,
            })
        })
        .collect())
}

/// Marks a notification read if it is for this user; `None` if it is not theirs to read.
pub async fn mark_read(
    conn: &mut PgConnection,
    id: Uuid,
    sites: &[Uuid],
    role: Role,
    staff: StaffId,
    at: DateTime<Utc>,
) -> sqlx::Result<Option<DateTime<Utc>>> {
    sqlx::query_scalar(
        "UPDATE notifications SET read_at = COALESCE(read_at, $5),
                read_by = COALESCE(read_by, $4)
         WHERE id = $1 AND site_id = ANY($2) AND (staff_id = $4 OR (staff_id IS NULL AND role = $3))
         RETURNING read_at",
    )
    .bind(id)
    .bind(sites)
    .bind(role.code())
    .bind(staff.0)
    .bind(at)
    .fetch_optional(conn)
    .await
}
