//! SQL for devices, recorded mutation results, the change feed and the facts `apply` needs.

use crate::work_orders::repo as wo_repo;
use chrono::{DateTime, Utc};
use domain::ids::{DeviceId, MutationId, SiteId, StaffId, UnitId};
use domain::money::Fen;
use domain::people::Role;
use domain::sync::push::{DeviceLedger, Recorded};
use domain::sync::wire::Outcome;
use domain::work_orders::{CatalogueFact, Facts, StaffFacts};
use sqlx::types::Json;
use sqlx::PgConnection;
use std::collections::HashMap;
use uuid::Uuid;

/// Locks the device's ledger row, creating it for a new device. Returns the ledger and the
/// staff member the device belongs to.
pub async fn lock_device(
    conn: &mut PgConnection,
    device: DeviceId,
    staff: StaffId,
) -> sqlx::Result<(DeviceLedger, StaffId)> {
    // One statement: creates the row for a new device, and locks it either way (ON CONFLICT
    // DO UPDATE takes the row lock), so pushes of one device run one after another.
    let (last_seq, owner): (i64, Uuid) = sqlx::query_as(
        "INSERT INTO sync_devices (device_id, staff_id) VALUES ($1, $2)
         ON CONFLICT (device_id) DO UPDATE SET device_id = EXCLUDED.device_id
         RETURNING last_seq, staff_id",
    )
    .bind(device.0)
    .bind(staff.0)
    .fetch_one(&mut *conn)
    .await?;
    Ok((
        DeviceLedger {
            last_seq: u64::try_from(last_seq).unwrap_or(0),
        },
        StaffId(owner),
    ))
}

pub async fn save_device(
    conn: &mut PgConnection,
    device: DeviceId,
    ledger: DeviceLedger,
    clock_offset_ms: i64,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE sync_devices SET last_seq = $2, clock_offset_ms = $3, last_push_at = $4 WHERE device_id = $1",
    )
    .bind(device.0)
    .bind(i64::try_from(ledger.last_seq).unwrap_or(i64::MAX))
    .bind(clock_offset_ms)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct RecordedRow {
    mutation_id: Uuid,
    device_id: Uuid,
    seq: i64,
    fingerprint: String,
    outcome: Json<Outcome>,
}

pub async fn recorded(
    conn: &mut PgConnection,
    ids: &[Uuid],
) -> sqlx::Result<HashMap<MutationId, Recorded>> {
    let rows: Vec<RecordedRow> = sqlx::query_as(
        "SELECT mutation_id, device_id, seq, fingerprint, outcome FROM sync_mutations WHERE mutation_id = ANY($1)",
    )
    .bind(ids)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                MutationId(r.mutation_id),
                Recorded {
                    mutation_id: MutationId(r.mutation_id),
                    device_id: DeviceId(r.device_id),
                    seq: u64::try_from(r.seq).unwrap_or(0),
                    fingerprint: r.fingerprint,
                    outcome: r.outcome.0,
                },
            )
        })
        .collect())
}

/// What the recorder needs beyond [`Recorded`].
pub struct RecordMeta {
    pub entity_id: Uuid,
    pub command: &'static str,
    pub occurred_at: DateTime<Utc>,
}

pub async fn record(
    conn: &mut PgConnection,
    staff: StaffId,
    rows: &[(Recorded, RecordMeta)],
    received_at: DateTime<Utc>,
) -> sqlx::Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut mid = Vec::new();
    let mut dev = Vec::new();
    let mut seq = Vec::new();
    let mut ent = Vec::new();
    let mut cmd = Vec::new();
    let mut fp = Vec::new();
    let mut out = Vec::new();
    let mut occ = Vec::new();
    for (r, m) in rows {
        mid.push(r.mutation_id.0);
        dev.push(r.device_id.0);
        seq.push(i64::try_from(r.seq).unwrap_or(i64::MAX));
        ent.push(m.entity_id);
        cmd.push(m.command);
        fp.push(r.fingerprint.clone());
        out.push(serde_json::to_value(&r.outcome).map_err(|e| sqlx::Error::Encode(Box::new(e)))?);
        occ.push(m.occurred_at);
    }
    sqlx::query(
        "INSERT INTO sync_mutations (mutation_id, device_id, seq, staff_id, entity_id, command,
                                     fingerprint, outcome, occurred_at, received_at)
         SELECT m, d, s, $9, e, c, f, o, t, $10
         FROM UNNEST($1::uuid[], $2::uuid[], $3::bigint[], $4::uuid[], $5::text[], $6::text[],
                     $7::jsonb[], $8::timestamptz[]) AS x(m, d, s, e, c, f, o, t)",
    )
    .bind(&mid)
    .bind(&dev)
    .bind(&seq)
    .bind(&ent)
    .bind(&cmd)
    .bind(&fp)
    .bind(&out)
    .bind(&occ)
    .bind(staff.0)
    .bind(received_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// One row of the change feed to write.
pub struct ChangeRow {
    pub site_id: SiteId,
    pub entity_kind: &'static str,
    pub entity_id: Uuid,
    pub version: i64,
    pub audience: Vec<Uuid>,
}

pub async fn append_changes(
    conn: &mut PgConnection,
    rows: &[ChangeRow],
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let site: Vec<Uuid> = rows.iter().map(|r| r.site_id.0).collect();
    let kind: Vec<&str> = rows.iter().map(|r| r.entity_kind).collect();
    let ent: Vec<Uuid> = rows.iter().map(|r| r.entity_id).collect();
    let ver: Vec<i64> = rows.iter().map(|r| r.version).collect();
    // Arrays of arrays must be rectangular in PostgreSQL: pass the audiences as text.
    let aud: Vec<String> = rows
        .iter()
        .map(|r| {
            format!(
                "{{{}}}",
                r.audience
                    .iter()
                    .map(Uuid::to_string)
                    .collect::<Vec<_>>()
                    .join(",")
            )
        })
        .collect();
    sqlx::query(
        "INSERT INTO sync_changes (site_id, entity_kind, entity_id, version, audience, changed_at)
         SELECT s, k, e, v, a::uuid[], $6
         FROM UNNEST($1::uuid[], $2::text[], $3::uuid[], $4::bigint[], $5::text[]) AS x(s, k, e, v, a)",
    )
    .bind(&site)
    .bind(&kind)
    .bind(&ent)
    .bind(&ver)
    .bind(&aud)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

/// What a push names, for loading the facts `apply` needs.
#[derive(Debug, Default)]
pub struct FactsWanted {
    /// Units of the creates: their sites and their earlier repairs.
    pub units: Vec<Uuid>,
    /// Technicians named by assignments.
    pub staff: Vec<Uuid>,
    /// Sites of the orders and creates: their policy, and the items below.
    pub sites: Vec<Uuid>,
    /// Catalogue codes named by matches, quotes and fee decisions.
    pub catalogue: Vec<String>,
    /// Supplier-list codes named by matches and referrals.
    pub suppliers: Vec<String>,
}

/// The longest second-repair window a policy may set (`RepairPolicy::validate`), plus a day.
const PRIOR_REPAIR_LOOKBACK_DAYS: i64 = 366;

/// The facts `apply` needs for a push.
pub async fn facts(
    conn: &mut PgConnection,
    wanted: &FactsWanted,
    now: DateTime<Utc>,
) -> sqlx::Result<Facts> {
    let mut facts = Facts::default();
    let FactsWanted {
        units,
        staff,
        sites,
        catalogue,
        suppliers,
    } = wanted;
    if !units.is_empty() {
        let rows: Vec<(Uuid, Uuid)> =
            sqlx::query_as("SELECT id, site_id FROM units WHERE id = ANY($1)")
                .bind(units)
                .fetch_all(&mut *conn)
                .await?;
        facts.unit_sites = rows
            .into_iter()
            .map(|(u, s)| (UnitId(u), SiteId(s)))
            .collect();
        facts.prior_repairs = wo_repo::prior_repairs(
            &mut *conn,
            units,
            now - chrono::Duration::days(PRIOR_REPAIR_LOOKBACK_DAYS),
        )
        .await?;
    }
    if !staff.is_empty() {
        let rows: Vec<(Uuid, String, bool, Vec<Uuid>)> = sqlx::query_as(
            "SELECT s.id, s.role, s.active, COALESCE(array_agg(ss.site_id) FILTER (WHERE ss.site_id IS NOT NULL), '{}')
             FROM staff s LEFT JOIN staff_sites ss ON ss.staff_id = s.id
             WHERE s.id = ANY($1) GROUP BY s.id",
        )
        .bind(staff)
        .fetch_all(&mut *conn)
        .await?;
        for (id, role, active, sites) in rows {
            if let Ok(role) = Role::parse(&role) {
                facts.staff.insert(
                    StaffId(id),
                    StaffFacts {
                        role,
                        active,
                        sites: sites.into_iter().map(SiteId).collect(),
                    },
                );
            }
        }
    }
    if sites.is_empty() {
        return Ok(facts);
    }
    facts.policies = wo_repo::policies(&mut *conn, sites).await?;
    if !catalogue.is_empty() {
        let rows: Vec<(Uuid, String, i64, bool, bool)> = sqlx::query_as(
            "SELECT site_id, code, price_fen, requires_disclaimer, active FROM catalogue_items
             WHERE site_id = ANY($1) AND code = ANY($2)",
        )
        .bind(sites)
        .bind(catalogue)
        .fetch_all(&mut *conn)
        .await?;
        facts.catalogue = rows
            .into_iter()
            .map(|(site, code, price, requires_disclaimer, active)| {
                (
                    (SiteId(site), code),
                    CatalogueFact {
                        price: Fen(price),
                        requires_disclaimer,
                        active,
                    },
                )
            })
            .collect();
    }
    if !suppliers.is_empty() {
        let rows: Vec<(Uuid, String)> = sqlx::query_as(
            "SELECT site_id, code FROM supplier_items WHERE site_id = ANY($1) AND code = ANY($2)",
        )
        .bind(sites)
        .bind(suppliers)
        .fetch_all(&mut *conn)
        .await?;
        facts.suppliers = rows
            .into_iter()
            .map(|(site, code)| (SiteId(site), code))
            .collect();
    }
    Ok(facts)
}

/// Which of these blobs are fully uploaded.
pub async fn complete_blobs(conn: &mut PgConnection, shas: &[String]) -> sqlx::Result<Vec<String>> {
    if shas.is_empty() {
        return Ok(Vec::new());
    }
    sqlx::query_scalar("SELECT sha256 FROM blobs WHERE complete AND sha256 = ANY($1)")
        .bind(shas)
        .fetch_all(conn)
        .await
}
