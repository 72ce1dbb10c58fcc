//! Demo for 物品放行: a household of 翠湖花园 (5栋2单元602) about to move out that still owes a
//! management fee recorded as an open bill (`release_other_bills`), so the desk sees its pass
//! refused until finance clears it. (An unpaid 付款请求书 blocks a pass the same way; the demo
//! does not add one, because the repair-billing tests count the site's requests and numbers.)
//! Added once: a unit that ever had such a bill keeps what happened to it.

use chrono::Utc;
use sqlx::PgConnection;
use uuid::Uuid;

/// The demo unit's building, entrance and room.
pub const UNIT: (&str, &str, &str) = ("5", "2", "602");
/// What the unit owes (80.00 元).
pub const OWED_FEN: i64 = 8_000;

pub async fn load(conn: &mut PgConnection) -> anyhow::Result<()> {
    let row: Option<(Uuid, Uuid)> = sqlx::query_as(
        "SELECT u.id, u.site_id FROM units u JOIN buildings b ON b.id = u.building_id
         JOIN sites s ON s.id = u.site_id
         WHERE s.code = $1 AND b.number = $2 AND u.entrance = $3 AND u.room = $4",
    )
    .bind(super::MAIN_SITE_CODE)
    .bind(UNIT.0)
    .bind(UNIT.1)
    .bind(UNIT.2)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((unit, site)) = row else {
        return Ok(());
    };
    let had_one: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM release_other_bills WHERE unit_id = $1)")
            .bind(unit)
            .fetch_one(&mut *conn)
            .await?;
    let finance: Option<Uuid> =
        sqlx::query_scalar("SELECT id FROM staff WHERE username = 'finance1'")
            .fetch_optional(&mut *conn)
            .await?;
    let (false, Some(finance)) = (had_one, finance) else {
        return Ok(());
    };
    sqlx::query(
        "INSERT INTO release_other_bills (id, site_id, unit_id, description, amount_fen,
                                          recorded_by, recorded_at)
         VALUES ($1, $2, $3, '物业管理费（10月）', $4, $5, $6)",
    )
    .bind(Uuid::now_v7())
    .bind(site)
    .bind(unit)
    .bind(OWED_FEN)
    .bind(finance)
    .bind(Utc::now())
    .execute(&mut *conn)
    .await?;
    Ok(())
}
