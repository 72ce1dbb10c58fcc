//! SQL for move-ins, move-outs, resident cards and tail lines; and the unit look-up the front
//! desk's forms share (`8-1-801` → the unit and its label).

use chrono::{DateTime, Utc};
use domain::ids::{SiteId, StaffId, UnitId};
use domain::money::Fen;
use domain::occupancy::cards::{CardHolder, CardStatus, ResidentCard};
use domain::occupancy::move_in::MoveIn;
use domain::occupancy::move_out::MoveOut;
use domain::occupancy::views::TailLineView;
use domain::people::IdCardNumber;
use domain::reference::UnitQuery;
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

/// The label every front-desk list shows: `8栋1单元801`.
pub const UNIT_LABEL_SQL: &str = "(b.name || u.entrance || '单元' || u.room)";

/// A unit of `site` from what staff type (`8-1-801`, `8栋1单元801`); all three parts needed.
pub async fn resolve_unit(
    conn: &mut PgConnection,
    site: SiteId,
    code: &str,
) -> sqlx::Result<Option<(UnitId, String)>> {
    let Some(q) = UnitQuery::parse(code) else {
        return Ok(None);
    };
    let (Some(b), Some(e)) = (q.building, q.entrance) else {
        return Ok(None);
    };
    let sql = format!(
        "SELECT u.id, {UNIT_LABEL_SQL} FROM units u JOIN buildings b ON b.id = u.building_id
         WHERE u.site_id = $1 AND b.number = $2 AND u.entrance = $3 AND u.room = $4"
    );
    let row: Option<(Uuid, String)> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(site.0)
        .bind(b)
        .bind(e)
        .bind(q.room)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(|(id, l)| (UnitId(id), l)))
}

// --- move-ins --------------------------------------------------------------------------------

pub async fn insert_move_in(conn: &mut PgConnection, m: &MoveIn) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO move_ins (id, site_id, unit_id, status, record, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6)",
    )
    .bind(m.id)
    .bind(m.site_id.0)
    .bind(m.unit_id.0)
    .bind(m.status.code())
    .bind(encode(m)?)
    .bind(m.created_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn update_move_in(
    conn: &mut PgConnection,
    m: &MoveIn,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE move_ins SET status = $2, record = $3, updated_at = $4 WHERE id = $1")
        .bind(m.id)
        .bind(m.status.code())
        .bind(encode(m)?)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

/// One move-in with its unit label; `lock` takes the row for update.
pub async fn move_in(
    conn: &mut PgConnection,
    id: Uuid,
    lock: bool,
) -> sqlx::Result<Option<(MoveIn, String)>> {
    let sql = format!(
        "SELECT m.record, {UNIT_LABEL_SQL} FROM move_ins m
         JOIN units u ON u.id = m.unit_id JOIN buildings b ON b.id = u.building_id
         WHERE m.id = $1 {}",
        if lock { "FOR UPDATE OF m" } else { "" }
    );
    let row: Option<(serde_json::Value, String)> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    row.map(|(r, l)| Ok((decode(r)?, l))).transpose()
}

/// The site's move-ins: those under way first, then the latest done (at most `limit`).
pub async fn move_ins(
    conn: &mut PgConnection,
    site: SiteId,
    limit: i64,
) -> sqlx::Result<Vec<(MoveIn, String)>> {
    let sql = format!(
        "SELECT m.record, {UNIT_LABEL_SQL} FROM move_ins m
         JOIN units u ON u.id = m.unit_id JOIN buildings b ON b.id = u.building_id
         WHERE m.site_id = $1
         ORDER BY (m.status = 'keys_handed'), m.updated_at DESC LIMIT $2"
    );
    let rows: Vec<(serde_json::Value, String)> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(site.0)
        .bind(limit)
        .fetch_all(conn)
        .await?;
    rows.into_iter().map(|(r, l)| Ok((decode(r)?, l))).collect()
}

// --- move-outs -------------------------------------------------------------------------------

pub async fn insert_move_out(conn: &mut PgConnection, m: &MoveOut) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO move_outs (id, site_id, unit_id, status, record, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6)",
    )
    .bind(m.id)
    .bind(m.site_id.0)
    .bind(m.unit_id.0)
    .bind(m.status.code())
    .bind(encode(m)?)
    .bind(m.created_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn update_move_out(
    conn: &mut PgConnection,
    m: &MoveOut,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE move_outs SET status = $2, record = $3, updated_at = $4 WHERE id = $1")
        .bind(m.id)
        .bind(m.status.code())
        .bind(encode(m)?)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn move_out(
    conn: &mut PgConnection,
    id: Uuid,
    lock: bool,
) -> sqlx::Result<Option<(MoveOut, String)>> {
    let sql = format!(
        "SELECT m.record, {UNIT_LABEL_SQL} FROM move_outs m
         JOIN units u ON u.id = m.unit_id JOIN buildings b ON b.id = u.building_id
         WHERE m.id = $1 {}",
        if lock { "FOR UPDATE OF m" } else { "" }
    );
    let row: Option<(serde_json::Value, String)> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    row.map(|(r, l)| Ok((decode(r)?, l))).transpose()
}

pub async fn move_outs(
    conn: &mut PgConnection,
    site: SiteId,
    limit: i64,
) -> sqlx::Result<Vec<(MoveOut, String)>> {
    let sql = format!(
        "SELECT m.record, {UNIT_LABEL_SQL} FROM move_outs m
         JOIN units u ON u.id = m.unit_id JOIN buildings b ON b.id = u.building_id
         WHERE m.site_id = $1
         ORDER BY (m.status = 'moved_out'), m.updated_at DESC LIMIT $2"
    );
    let rows: Vec<(serde_json::Value, String)> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(site.0)
        .bind(limit)
        .fetch_all(conn)
        .await?;
    rows.into_iter().map(|(r, l)| Ok((decode(r)?, l))).collect()
}

// --- resident cards --------------------------------------------------------------------------

#[derive(sqlx::FromRow)]
struct CardRow {
    id: Uuid,
    site_id: Uuid,
    unit_id: Uuid,
    card_no: String,
    holder_name: String,
    id_card: String,
    holder: String,
    photos: i32,
    fee_fen: i64,
    deposit_fen: i64,
    status: String,
    issued_by: Uuid,
    issued_at: DateTime<Utc>,
    returned_at: Option<DateTime<Utc>>,
    unit_label: String,
}

fn bad(what: &str, v: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("unknown {what} {v:?}").into())
}

impl TryFrom<CardRow> for (ResidentCard, String) {
    type Error = sqlx::Error;

    fn try_from(r: CardRow) -> sqlx::Result<(ResidentCard, String)> {
        let card = ResidentCard {
            id: r.id,
            site_id: SiteId(r.site_id),
            unit_id: UnitId(r.unit_id),
            card_no: r.card_no,
            holder_name: r.holder_name,
            id_card: IdCardNumber::parse(&r.id_card).map_err(|_| bad("id_card", "…"))?,
            holder: CardHolder::parse(&r.holder).ok_or_else(|| bad("holder", &r.holder))?,
            photos: r.photos.max(0) as u32,
            fee: Fen(r.fee_fen),
            deposit: Fen(r.deposit_fen),
            status: match r.status.as_str() {
                "active" => CardStatus::Active,
                "returned" => CardStatus::Returned,
                other => return Err(bad("card status", other)),
            },
            issued_by: StaffId(r.issued_by),
            issued_at: r.issued_at,
            returned_at: r.returned_at,
        };
        Ok((card, r.unit_label))
    }
}

fn card_select() -> String {
    format!(
        "SELECT c.id, c.site_id, c.unit_id, c.card_no, c.holder_name, c.id_card, c.holder,
                c.photos, c.fee_fen, c.deposit_fen, c.status, c.issued_by, c.issued_at,
                c.returned_at, {UNIT_LABEL_SQL} AS unit_label
         FROM resident_cards c JOIN units u ON u.id = c.unit_id
         JOIN buildings b ON b.id = u.building_id"
    )
}

/// Serialises card issuing per site (the card number sequence and the one-person check).
pub async fn lock_cards(conn: &mut PgConnection, site: SiteId) -> sqlx::Result<()> {
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended('resident_cards' || $1::text, 0))")
        .bind(site.0)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn person_has_active_card(
    conn: &mut PgConnection,
    site: SiteId,
    id_card: &str,
) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM resident_cards
                        WHERE site_id = $1 AND id_card = $2 AND status = 'active')",
    )
    .bind(site.0)
    .bind(id_card)
    .fetch_one(conn)
    .await
}

/// The next card number of the site: `ZHK-000001`.
pub async fn next_card_no(conn: &mut PgConnection, site: SiteId) -> sqlx::Result<String> {
    let n: i64 = sqlx::query_scalar("SELECT count(*) + 1 FROM resident_cards WHERE site_id = $1")
        .bind(site.0)
        .fetch_one(conn)
        .await?;
    Ok(format!("ZHK-{n:06}"))
}

pub async fn insert_card(conn: &mut PgConnection, c: &ResidentCard) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO resident_cards (id, site_id, unit_id, card_no, holder_name, id_card, holder,
             photos, fee_fen, deposit_fen, status, issued_by, issued_at, returned_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
    )
    .bind(c.id)
    .bind(c.site_id.0)
    .bind(c.unit_id.0)
    .bind(&c.card_no)
    .bind(&c.holder_name)
    .bind(c.id_card.as_str())
    .bind(c.holder.code())
    .bind(c.photos as i32)
    .bind(c.fee.0)
    .bind(c.deposit.0)
    .bind(c.status.code())
    .bind(c.issued_by.0)
    .bind(c.issued_at)
    .bind(c.returned_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn card(
    conn: &mut PgConnection,
    id: Uuid,
) -> sqlx::Result<Option<(ResidentCard, String)>> {
    let sql = format!("{} WHERE c.id = $1 FOR UPDATE OF c", card_select());
    let row: Option<CardRow> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    row.map(TryInto::try_into).transpose()
}

/// The site's cards (of one unit with `unit`), active first.
pub async fn cards(
    conn: &mut PgConnection,
    site: SiteId,
    unit: Option<UnitId>,
) -> sqlx::Result<Vec<(ResidentCard, String)>> {
    let sql = format!(
        "{} WHERE c.site_id = $1 AND ($2::uuid IS NULL OR c.unit_id = $2)
         ORDER BY (c.status = 'returned'), c.issued_at DESC LIMIT 200",
        card_select()
    );
    let rows: Vec<CardRow> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(site.0)
        .bind(unit.map(|u| u.0))
        .fetch_all(conn)
        .await?;
    rows.into_iter().map(TryInto::try_into).collect()
}

pub async fn set_card_returned(conn: &mut PgConnection, c: &ResidentCard) -> sqlx::Result<()> {
    sqlx::query("UPDATE resident_cards SET status = $2, returned_at = $3 WHERE id = $1")
        .bind(c.id)
        .bind(c.status.code())
        .bind(c.returned_at)
        .execute(conn)
        .await?;
    Ok(())
}

/// 收回出入证: the unit's tenants' active cards come back. Returns how many.
pub async fn return_tenant_cards(
    conn: &mut PgConnection,
    unit: UnitId,
    now: DateTime<Utc>,
) -> sqlx::Result<u64> {
    Ok(sqlx::query(
        "UPDATE resident_cards SET status = 'returned', returned_at = $2
         WHERE unit_id = $1 AND status = 'active' AND holder = 'tenant'",
    )
    .bind(unit.0)
    .bind(now)
    .execute(conn)
    .await?
    .rows_affected())
}

// --- tail lines ------------------------------------------------------------------------------

pub async fn tail_line_collected(conn: &mut PgConnection, unit: UnitId) -> sqlx::Result<bool> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM tail_lines WHERE unit_id = $1)")
        .bind(unit.0)
        .fetch_one(conn)
        .await
}

/// Records the tail line; `false` when the household had one already (a concurrent issue).
pub async fn insert_tail_line(
    conn: &mut PgConnection,
    site: SiteId,
    unit: UnitId,
    collector: &str,
    by: StaffId,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    Ok(sqlx::query(
        "INSERT INTO tail_lines (unit_id, site_id, collector_name, issued_by, issued_at)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (unit_id) DO NOTHING",
    )
    .bind(unit.0)
    .bind(site.0)
    .bind(collector)
    .bind(by.0)
    .bind(now)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

pub async fn tail_lines(conn: &mut PgConnection, site: SiteId) -> sqlx::Result<Vec<TailLineView>> {
    let sql = format!(
        "SELECT t.unit_id, {UNIT_LABEL_SQL}, t.collector_name, t.issued_at FROM tail_lines t
         JOIN units u ON u.id = t.unit_id JOIN buildings b ON b.id = u.building_id
         WHERE t.site_id = $1 ORDER BY t.issued_at DESC LIMIT 200"
    );
    let rows: Vec<(Uuid, String, String, DateTime<Utc>)> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(site.0)
        .fetch_all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(u, l, c, at)| TailLineView {
            unit_id: UnitId(u),
            unit_label: l,
            collector_name: c,
            issued_at: at,
        })
        .collect())
}
