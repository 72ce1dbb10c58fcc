//! SQL for accounts, sessions and login attempts.

use chrono::{DateTime, Utc};
use domain::ids::{SiteId, StaffId};
use domain::login_policy::FailureCount;
use domain::people::Role;
use domain::session::{SiteRef, StaffProfile};
use sqlx::PgConnection;
use uuid::Uuid;

#[derive(sqlx::FromRow)]
pub struct LoginRow {
    pub id: Uuid,
    pub password_hash: String,
    pub active: bool,
}

pub async fn find_login(conn: &mut PgConnection, username: &str) -> sqlx::Result<Option<LoginRow>> {
    sqlx::query_as("SELECT id, password_hash, active FROM staff WHERE username = $1")
        .bind(username)
        .fetch_optional(conn)
        .await
}

#[derive(sqlx::FromRow)]
struct CountRow {
    failures: i64,
    last_failure: Option<DateTime<Utc>>,
}

/// Failures of the account and of the address since `since`.
pub async fn count_failures(
    conn: &mut PgConnection,
    username: &str,
    address: &str,
    since: DateTime<Utc>,
) -> sqlx::Result<(FailureCount, FailureCount)> {
    let conv = |r: CountRow| FailureCount {
        failures: u32::try_from(r.failures).unwrap_or(u32::MAX),
        last_failure: r.last_failure,
    };
    let acct: CountRow = sqlx::query_as(
        "SELECT count(*) AS failures, max(at) AS last_failure FROM login_attempts
         WHERE username = $1 AND NOT success AND at > $2",
    )
    .bind(username)
    .bind(since)
    .fetch_one(&mut *conn)
    .await?;
    let addr: CountRow = sqlx::query_as(
        "SELECT count(*) AS failures, max(at) AS last_failure FROM login_attempts
         WHERE address = $1 AND NOT success AND at > $2",
    )
    .bind(address)
    .bind(since)
    .fetch_one(&mut *conn)
    .await?;
    Ok((conv(acct), conv(addr)))
}

pub async fn record_attempt(
    conn: &mut PgConnection,
    username: &str,
    address: &str,
    at: DateTime<Utc>,
    success: bool,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO login_attempts (username, address, at, success) VALUES ($1, $2, $3, $4)",
    )
    .bind(username)
    .bind(address)
    .bind(at)
    .bind(success)
    .execute(conn)
    .await?;
    Ok(())
}

/// A successful sign-in forgives the account's earlier failures.
pub async fn clear_failures(conn: &mut PgConnection, username: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM login_attempts WHERE username = $1 AND NOT success")
        .bind(username)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn insert_session(
    conn: &mut PgConnection,
    token_sha256: &[u8],
    staff: StaffId,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    user_agent: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO sessions (token_sha256, staff_id, created_at, renewed_at, expires_at, user_agent)
         VALUES ($1, $2, $3, $3, $4, $5)",
    )
    .bind(token_sha256)
    .bind(staff.0)
    .bind(now)
    .bind(expires_at)
    .bind(user_agent)
    .execute(conn)
    .await?;
    Ok(())
}

/// A live session: who, and when it was last renewed.
pub struct LiveSession {
    pub profile: StaffProfile,
    pub renewed_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    staff_id: Uuid,
    username: String,
    display_name: String,
    role: String,
    renewed_at: DateTime<Utc>,
    site_ids: Vec<Uuid>,
    site_codes: Vec<String>,
    site_names: Vec<String>,
}

/// The session and its staff member's profile in one round trip (it runs on every request).
pub async fn live_session(
    conn: &mut PgConnection,
    token_sha256: &[u8],
    now: DateTime<Utc>,
) -> sqlx::Result<Option<LiveSession>> {
    let row: Option<SessionRow> = sqlx::query_as(
        "SELECT st.id AS staff_id, st.username, st.display_name, st.role, s.renewed_at,
                COALESCE(array_agg(si.id ORDER BY si.code) FILTER (WHERE si.id IS NOT NULL), '{}') AS site_ids,
                COALESCE(array_agg(si.code ORDER BY si.code) FILTER (WHERE si.id IS NOT NULL), '{}') AS site_codes,
                COALESCE(array_agg(si.name ORDER BY si.code) FILTER (WHERE si.id IS NOT NULL), '{}') AS site_names
         FROM sessions s
         JOIN staff st ON st.id = s.staff_id
         LEFT JOIN staff_sites ss ON ss.staff_id = st.id
         LEFT JOIN sites si ON si.id = ss.site_id
         WHERE s.token_sha256 = $1 AND s.expires_at > $2 AND st.active
         GROUP BY st.id, s.renewed_at",
    )
    .bind(token_sha256)
    .bind(now)
    .fetch_optional(conn)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let role = Role::parse(&r.role).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
    Ok(Some(LiveSession {
        profile: StaffProfile {
            staff_id: StaffId(r.staff_id),
            username: r.username,
            display_name: r.display_name,
            role,
            sites: r
                .site_ids
                .into_iter()
                .zip(r.site_codes)
                .zip(r.site_names)
                .map(|((id, code), name)| SiteRef {
                    id: SiteId(id),
                    code,
                    name,
                })
                .collect(),
        },
        renewed_at: r.renewed_at,
    }))
}

pub async fn renew_session(
    conn: &mut PgConnection,
    token_sha256: &[u8],
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE sessions SET renewed_at = $2, expires_at = $3 WHERE token_sha256 = $1")
        .bind(token_sha256)
        .bind(now)
        .bind(expires_at)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn delete_session(conn: &mut PgConnection, token_sha256: &[u8]) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM sessions WHERE token_sha256 = $1")
        .bind(token_sha256)
        .execute(conn)
        .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct StaffRow {
    id: Uuid,
    username: String,
    display_name: String,
    role: String,
}

#[derive(sqlx::FromRow)]
struct SiteRow {
    id: Uuid,
    code: String,
    name: String,
}

pub async fn staff_profile(
    conn: &mut PgConnection,
    staff: StaffId,
) -> sqlx::Result<Option<StaffProfile>> {
    let row: Option<StaffRow> =
        sqlx::query_as("SELECT id, username, display_name, role FROM staff WHERE id = $1")
            .bind(staff.0)
            .fetch_optional(&mut *conn)
            .await?;
    let Some(row) = row else { return Ok(None) };
    // The CHECK constraint keeps roles valid; a bad one is a decode error, never a guess.
    let role = Role::parse(&row.role).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
    let sites: Vec<SiteRow> = sqlx::query_as(
        "SELECT s.id, s.code, s.name FROM sites s JOIN staff_sites ss ON ss.site_id = s.id
         WHERE ss.staff_id = $1 ORDER BY s.code",
    )
    .bind(row.id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Some(StaffProfile {
        staff_id: StaffId(row.id),
        username: row.username,
        display_name: row.display_name,
        role,
        sites: sites
            .into_iter()
            .map(|s| SiteRef {
                id: SiteId(s.id),
                code: s.code,
                name: s.name,
            })
            .collect(),
    }))
}
