//! SQL for facilities, bookings, parking rentals and loans.

use crate::occupancy::repo::UNIT_LABEL_SQL;
use chrono::{NaiveDate, NaiveTime};
use domain::facilities::{Booking, Facility, Loan, ParkingRental, Slot};
use domain::ids::SiteId;
use serde::de::DeserializeOwned;
use serde::Serialize;
use sqlx::{AssertSqlSafe, PgConnection};
use uuid::Uuid;

fn encode<T: Serialize>(v: &T) -> sqlx::Result<serde_json::Value> {
    serde_json::to_value(v).map_err(|e| sqlx::Error::Encode(Box::new(e)))
}

fn decode<T: DeserializeOwned>(v: serde_json::Value) -> sqlx::Result<T> {
    serde_json::from_value(v).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

// --- facilities ------------------------------------------------------------------------------

type FacilityRow = (Uuid, Uuid, String, NaiveTime, NaiveTime, i32, bool);

fn facility(r: FacilityRow) -> Facility {
    Facility {
        id: r.0,
        site_id: SiteId(r.1),
        name: r.2,
        opens: r.3,
        closes: r.4,
        slot_minutes: r.5.max(0) as u32,
        active: r.6,
    }
}

const FACILITY_SELECT: &str =
    "SELECT id, site_id, name, opens, closes, slot_minutes, active FROM facilities";

pub async fn facilities(conn: &mut PgConnection, site: SiteId) -> sqlx::Result<Vec<Facility>> {
    let sql = format!("{FACILITY_SELECT} WHERE site_id = $1 ORDER BY name");
    let rows: Vec<FacilityRow> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(site.0)
        .fetch_all(conn)
        .await?;
    Ok(rows.into_iter().map(facility).collect())
}

/// One facility; `lock` takes its row (serialises slot assignment per facility).
pub async fn facility_by_id(
    conn: &mut PgConnection,
    id: Uuid,
    lock: bool,
) -> sqlx::Result<Option<Facility>> {
    let sql = format!(
        "{FACILITY_SELECT} WHERE id = $1 {}",
        if lock { "FOR UPDATE" } else { "" }
    );
    let row: Option<FacilityRow> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(facility))
}

pub async fn save_facility(conn: &mut PgConnection, f: &Facility) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO facilities (id, site_id, name, opens, closes, slot_minutes, active)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (id) DO UPDATE SET name = $3, opens = $4, closes = $5, slot_minutes = $6,
             active = $7",
    )
    .bind(f.id)
    .bind(f.site_id.0)
    .bind(&f.name)
    .bind(f.opens)
    .bind(f.closes)
    .bind(f.slot_minutes as i32)
    .bind(f.active)
    .execute(conn)
    .await?;
    Ok(())
}

// --- bookings --------------------------------------------------------------------------------

pub async fn insert_booking(conn: &mut PgConnection, b: &Booking) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO facility_bookings (id, site_id, facility_id, unit_id, status, slot_date,
             slot_start, slot_end, record, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(b.id)
    .bind(b.site_id.0)
    .bind(b.facility_id)
    .bind(b.unit_id.0)
    .bind(b.status.code())
    .bind(b.slot.map(|s| s.date))
    .bind(b.slot.map(|s| s.start))
    .bind(b.slot.map(|s| s.end))
    .bind(encode(b)?)
    .bind(b.created_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn update_booking(conn: &mut PgConnection, b: &Booking) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE facility_bookings SET status = $2, slot_date = $3, slot_start = $4, slot_end = $5,
             record = $6 WHERE id = $1",
    )
    .bind(b.id)
    .bind(b.status.code())
    .bind(b.slot.map(|s| s.date))
    .bind(b.slot.map(|s| s.start))
    .bind(b.slot.map(|s| s.end))
    .bind(encode(b)?)
    .execute(conn)
    .await?;
    Ok(())
}

fn booking_select() -> String {
    format!(
        "SELECT k.record, f.name, {UNIT_LABEL_SQL} FROM facility_bookings k
         JOIN facilities f ON f.id = k.facility_id
         JOIN units u ON u.id = k.unit_id JOIN buildings b ON b.id = u.building_id"
    )
}

pub async fn booking(
    conn: &mut PgConnection,
    id: Uuid,
) -> sqlx::Result<Option<(Booking, String, String)>> {
    let sql = format!("{} WHERE k.id = $1", booking_select());
    let row: Option<(serde_json::Value, String, String)> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    row.map(|(r, f, l)| Ok((decode(r)?, f, l))).transpose()
}

/// The site's bookings: waiting ones first, then by slot (those from `from` on, and any
/// with damage recorded).
pub async fn bookings(
    conn: &mut PgConnection,
    site: SiteId,
    from: NaiveDate,
) -> sqlx::Result<Vec<(Booking, String, String)>> {
    let sql = format!(
        "{} WHERE k.site_id = $1 AND (k.status = 'requested'
             OR (k.status = 'assigned' AND (k.slot_date >= $2 OR k.record->>'damage' IS NOT NULL)))
         ORDER BY (k.status <> 'requested'), k.slot_date, k.slot_start, k.created_at LIMIT 300",
        booking_select()
    );
    let rows: Vec<(serde_json::Value, String, String)> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(site.0)
        .bind(from)
        .fetch_all(conn)
        .await?;
    rows.into_iter()
        .map(|(r, f, l)| Ok((decode(r)?, f, l)))
        .collect()
}

/// Slots of `facility` on `date` assigned to bookings other than `except`.
pub async fn taken_slots(
    conn: &mut PgConnection,
    facility: Uuid,
    date: NaiveDate,
    except: Uuid,
) -> sqlx::Result<Vec<Slot>> {
    let rows: Vec<(NaiveDate, NaiveTime, NaiveTime)> = sqlx::query_as(
        "SELECT slot_date, slot_start, slot_end FROM facility_bookings
         WHERE facility_id = $1 AND slot_date = $2 AND status = 'assigned' AND id <> $3",
    )
    .bind(facility)
    .bind(date)
    .bind(except)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(date, start, end)| Slot { date, start, end })
        .collect())
}

// --- parking ---------------------------------------------------------------------------------

pub async fn space_rented(
    conn: &mut PgConnection,
    site: SiteId,
    space_no: &str,
) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM parking_rentals WHERE site_id = $1 AND space_no = $2)",
    )
    .bind(site.0)
    .bind(space_no)
    .fetch_one(conn)
    .await
}

pub async fn save_parking(
    conn: &mut PgConnection,
    r: &ParkingRental,
    insert: bool,
) -> sqlx::Result<()> {
    if insert {
        sqlx::query(
            "INSERT INTO parking_rentals (id, site_id, unit_id, space_no, status, record, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(r.id)
        .bind(r.site_id.0)
        .bind(r.unit_id.0)
        .bind(&r.space_no)
        .bind(r.status.code())
        .bind(encode(r)?)
        .bind(r.created_at)
        .execute(conn)
        .await?;
    } else {
        sqlx::query("UPDATE parking_rentals SET status = $2, record = $3 WHERE id = $1")
            .bind(r.id)
            .bind(r.status.code())
            .bind(encode(r)?)
            .execute(conn)
            .await?;
    }
    Ok(())
}

pub async fn parking(
    conn: &mut PgConnection,
    id: Uuid,
) -> sqlx::Result<Option<(ParkingRental, String)>> {
    let sql = format!(
        "SELECT p.record, {UNIT_LABEL_SQL} FROM parking_rentals p
         JOIN units u ON u.id = p.unit_id JOIN buildings b ON b.id = u.building_id
         WHERE p.id = $1 FOR UPDATE OF p"
    );
    let row: Option<(serde_json::Value, String)> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    row.map(|(r, l)| Ok((decode(r)?, l))).transpose()
}

pub async fn parkings(
    conn: &mut PgConnection,
    site: SiteId,
) -> sqlx::Result<Vec<(ParkingRental, String)>> {
    let sql = format!(
        "SELECT p.record, {UNIT_LABEL_SQL} FROM parking_rentals p
         JOIN units u ON u.id = p.unit_id JOIN buildings b ON b.id = u.building_id
         WHERE p.site_id = $1 ORDER BY p.space_no LIMIT 500"
    );
    let rows: Vec<(serde_json::Value, String)> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(site.0)
        .fetch_all(conn)
        .await?;
    rows.into_iter().map(|(r, l)| Ok((decode(r)?, l))).collect()
}

// --- loans -----------------------------------------------------------------------------------

pub async fn item_out(conn: &mut PgConnection, site: SiteId, item: &str) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM loans
                        WHERE site_id = $1 AND item_name = $2 AND returned_at IS NULL)",
    )
    .bind(site.0)
    .bind(item)
    .fetch_one(conn)
    .await
}

pub async fn insert_loan(conn: &mut PgConnection, l: &Loan) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO loans (id, site_id, unit_id, item_name, due_on, returned_at, record, lent_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(l.id)
    .bind(l.site_id.0)
    .bind(l.unit_id.0)
    .bind(&l.item_name)
    .bind(l.due_on)
    .bind(l.returned_at)
    .bind(encode(l)?)
    .bind(l.lent_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn update_loan(conn: &mut PgConnection, l: &Loan) -> sqlx::Result<()> {
    sqlx::query("UPDATE loans SET returned_at = $2, record = $3 WHERE id = $1")
        .bind(l.id)
        .bind(l.returned_at)
        .bind(encode(l)?)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn loan(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<(Loan, String)>> {
    let sql = format!(
        "SELECT l.record, {UNIT_LABEL_SQL} FROM loans l
         JOIN units u ON u.id = l.unit_id JOIN buildings b ON b.id = u.building_id
         WHERE l.id = $1 FOR UPDATE OF l"
    );
    let row: Option<(serde_json::Value, String)> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    row.map(|(r, l)| Ok((decode(r)?, l))).transpose()
}

/// Loans not yet back (only the late ones with `overdue_on`), then the last returned.
pub async fn loans(
    conn: &mut PgConnection,
    site: SiteId,
    overdue_on: Option<NaiveDate>,
) -> sqlx::Result<Vec<(Loan, String)>> {
    let sql = format!(
        "SELECT l.record, {UNIT_LABEL_SQL} FROM loans l
         JOIN units u ON u.id = l.unit_id JOIN buildings b ON b.id = u.building_id
         WHERE l.site_id = $1
           AND ($2::date IS NULL OR (l.returned_at IS NULL AND l.due_on < $2))
         ORDER BY (l.returned_at IS NOT NULL), l.due_on, l.lent_at DESC LIMIT 200"
    );
    let rows: Vec<(serde_json::Value, String)> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(site.0)
        .bind(overdue_on)
        .fetch_all(conn)
        .await?;
    rows.into_iter().map(|(r, l)| Ok((decode(r)?, l))).collect()
}
