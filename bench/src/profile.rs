//! `--profile`: statement counts and times per phase from `pg_stat_statements` (the cluster
//! must preload it; `run.sh --profile` does). Printed to stderr, not into the report.

use sqlx::PgPool;

pub async fn enable(db: &PgPool) -> anyhow::Result<()> {
    sqlx::query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        .execute(db)
        .await?;
    Ok(())
}

pub async fn reset(db: &PgPool) -> anyhow::Result<()> {
    sqlx::query("SELECT pg_stat_statements_reset()")
        .execute(db)
        .await?;
    sqlx::query("SELECT pg_stat_reset_shared('wal')")
        .execute(db)
        .await?;
    Ok(())
}

/// The statements of the phase, by total time, with calls per push request.
pub async fn print(db: &PgPool, phase: &str, requests: u64) -> anyhow::Result<()> {
    let rows: Vec<(i64, f64, f64, f64, i64, String)> = sqlx::query_as(
        "SELECT calls, total_exec_time, mean_exec_time, max_exec_time, rows,
                regexp_replace(query, '\\s+', ' ', 'g')
         FROM pg_stat_statements
         WHERE query NOT ILIKE '%pg_stat_statements%'
         ORDER BY total_exec_time DESC LIMIT 25",
    )
    .fetch_all(db)
    .await?;
    let (records, fpi, bytes, full, writes, syncs, write_ms, sync_ms): (
        i64,
        i64,
        f64,
        i64,
        i64,
        i64,
        f64,
        f64,
    ) = sqlx::query_as(
        "SELECT wal_records, wal_fpi, wal_bytes::float8, wal_buffers_full, wal_write, wal_sync,
                wal_write_time, wal_sync_time FROM pg_stat_wal",
    )
    .fetch_one(db)
    .await?;
    let total_calls: i64 = rows.iter().map(|r| r.0).sum();
    let total_ms: f64 = rows.iter().map(|r| r.1).sum();
    eprintln!(
        "\n-- pg_stat_statements: {phase} ({requests} requests; {total_calls} statements, \
         {:.1} per request; {total_ms:.0} ms in PostgreSQL)",
        total_calls as f64 / requests.max(1) as f64
    );
    eprintln!(
        "   WAL: {records} records, {fpi} full-page images, {:.0} MB, buffers full {full}, \
         {writes} writes ({write_ms:.0} ms), {syncs} syncs ({sync_ms:.0} ms)",
        bytes / 1e6
    );
    eprintln!(
        "{:>8} {:>10} {:>9} {:>9} {:>8}  query",
        "calls", "total ms", "mean ms", "max ms", "rows"
    );
    for (calls, total, mean, max, n, q) in rows {
        let q: String = q.chars().take(110).collect();
        eprintln!("{calls:>8} {total:>10.1} {mean:>9.3} {max:>9.1} {n:>8}  {q}");
    }
    Ok(())
}

/// The server's CPU work for one push of `batch` creates, step by step, on this thread: the
/// same domain functions `server::sync::push` calls, timed apart from any IO. Printed to
/// stderr with `--profile`.
pub fn push_cpu(w: &crate::world::World, batch: usize) -> anyhow::Result<()> {
    use chrono::Utc;
    use domain::ids::{DeviceId, SiteId, StaffId, UnitId, WorkOrderId};
    use domain::people::Role;
    use domain::sync::push::{parse_incoming, process_push, DeviceLedger, Incoming};
    use domain::sync::wire::{Command, Outcome, PushRequest, PushResponse};
    use domain::work_orders::{apply, Actor, Facts};
    use std::collections::HashMap;
    use std::time::{Duration, Instant};

    const ROUNDS: u32 = 50;
    let now = Utc::now();
    let device = uuid::Uuid::now_v7();
    let mut gen = crate::payload::Gen::new(7, w.site, w.units.clone());
    let mut items = Vec::new();
    for seq in 1..=batch as u64 {
        items.push(crate::payload::create(
            device,
            seq,
            now,
            gen.new_request(now),
        )?);
    }
    let body = format!(
        r#"{{"protocol":1,"device_id":"{device}","sent_at":{},"mutations":{}}}"#,
        serde_json::to_string(&now)?,
        crate::payload::batch_json(&items)
    );
    let staff = w.accounts.first().map(|a| a.staff_id).unwrap_or_default();
    let actor = Actor {
        staff_id: StaffId(staff),
        role: Role::Desk,
        sites: vec![SiteId(w.site)],
    };
    let mut facts = Facts::default();
    for u in w.units.iter() {
        facts.unit_sites.insert(UnitId(u.id), SiteId(w.site));
    }

    let mut t = [Duration::ZERO; 6];
    for _ in 0..ROUNDS {
        let s = Instant::now();
        let req: PushRequest = serde_json::from_slice(body.as_bytes())?;
        t[0] += s.elapsed();

        let s = Instant::now();
        let incoming: Vec<Incoming> = req.mutations.iter().map(parse_incoming).collect();
        t[1] += s.elapsed();

        let s = Instant::now();
        let copy = incoming.clone();
        t[2] += s.elapsed();
        drop(incoming);

        let s = Instant::now();
        let mut ledger = DeviceLedger::default();
        let mut orders = Vec::new();
        let out = process_push(
            DeviceId(device),
            &mut ledger,
            copy,
            &HashMap::new(),
            |_| Vec::new(),
            |m| {
                let Command::WorkOrder(cmd) = &m.command else {
                    unreachable!("the bench only makes work orders")
                };
                match apply(
                    None,
                    WorkOrderId(m.entity_id),
                    cmd,
                    &actor,
                    &facts,
                    m.occurred_at,
                ) {
                    Ok(o) => {
                        orders.push(o);
                        Outcome::Applied { version: 1 }
                    }
                    Err(e) => Outcome::Rejected {
                        code: domain::sync::wire::RejectCode::InvalidInput,
                        message: e.to_string(),
                    },
                }
            },
        );
        t[3] += s.elapsed();

        let s = Instant::now();
        let mut values = Vec::new();
        for o in &orders {
            values.push(serde_json::to_value(o)?);
        }
        for r in &out.to_record {
            values.push(serde_json::to_value(&r.outcome)?);
        }
        t[4] += s.elapsed();

        let s = Instant::now();
        let reply = serde_json::to_vec(&PushResponse {
            protocol: 1,
            server_time: now,
            clock_offset_ms: 0,
            results: out.results,
        })?;
        t[5] += s.elapsed();
        drop((values, reply));
    }
    let names = [
        "parse the body (serde_json::Value per mutation)",
        "parse_incoming: to_string + clone + from_value + typed to_string + SHA-256",
        "incoming.clone() for process_push",
        "process_push + apply",
        "docs and outcomes to serde_json::Value (before sqlx encodes them)",
        "serialize the reply",
    ];
    let total: Duration = t.iter().sum();
    eprintln!(
        "\n-- server CPU per push of {batch} creates ({} KB), mean of {ROUNDS}, one thread:",
        body.len() / 1024
    );
    for (name, d) in names.iter().zip(t) {
        eprintln!(
            "{:>8.2} ms  {name}",
            d.as_secs_f64() * 1000.0 / f64::from(ROUNDS)
        );
    }
    eprintln!(
        "{:>8.2} ms  total (HTTP, sqlx encoding/decoding and scheduling come on top)",
        total.as_secs_f64() * 1000.0 / f64::from(ROUNDS)
    );
    Ok(())
}
