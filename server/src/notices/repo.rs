//! SQL for notices.

use domain::ids::SiteId;
use domain::notices::Notice;
use sqlx::PgConnection;
use uuid::Uuid;

pub async fn insert(conn: &mut PgConnection, n: &Notice) -> sqlx::Result<()> {
    let record = serde_json::to_value(n).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query(
        "INSERT INTO notices (id, site_id, kind, effective_from, effective_until, expires_on,
             record, published_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(n.id)
    .bind(n.site_id.0)
    .bind(n.kind.code())
    .bind(n.effective_from)
    .bind(n.effective_until)
    .bind(n.expires_on)
    .bind(record)
    .bind(n.published_at)
    .execute(conn)
    .await?;
    Ok(())
}

fn decode(rows: Vec<(serde_json::Value,)>) -> sqlx::Result<Vec<Notice>> {
    rows.into_iter()
        .map(|(r,)| serde_json::from_value(r).map_err(|e| sqlx::Error::Decode(Box::new(e))))
        .collect()
}

/// The site's notices: all not yet expired, and the last 50 archived ones.
pub async fn site_notices(
    conn: &mut PgConnection,
    site: SiteId,
    today: chrono::NaiveDate,
) -> sqlx::Result<Vec<Notice>> {
    let rows: Vec<(serde_json::Value,)> = sqlx::query_as(
        "(SELECT record FROM notices WHERE site_id = $1 AND expires_on >= $2)
         UNION ALL
         (SELECT record FROM notices WHERE site_id = $1 AND expires_on < $2
          ORDER BY expires_on DESC LIMIT 50)",
    )
    .bind(site.0)
    .bind(today)
    .fetch_all(conn)
    .await?;
    decode(rows)
}

pub async fn notice(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<Notice>> {
    let rows: Vec<(serde_json::Value,)> =
        sqlx::query_as("SELECT record FROM notices WHERE id = $1")
            .bind(id)
            .fetch_all(conn)
            .await?;
    Ok(decode(rows)?.pop())
}
