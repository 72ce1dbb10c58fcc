//! Measurement 1: push throughput of the real endpoint against the raw PostgreSQL ceiling.
//!
//! Both sides write the same rows for each batch of 100 creates: 100 `work_orders` (the
//! domain record as `jsonb`, made by the same `apply` the server runs), 100 `sync_changes`,
//! 100 `sync_mutations` (with the `jsonb` outcome) and the device's `sync_devices` ledger row,
//! one transaction per batch, with the same number of concurrent writers. The raw side sends
//! plain `INSERT … SELECT FROM UNNEST(…)` statements with every value computed beforehand: no
//! HTTP, no session, no JSON parsing, no decision, no serial-number counter.

use crate::cpu;
use crate::payload::{self, Gen};
use crate::stats::{Errors, Latencies};
use crate::world::{push, PushResult, World};
use chrono::{DateTime, Duration as Span, Utc};
use domain::ids::{SiteId, StaffId, UnitId, WorkOrderId};
use domain::people::Role;
use domain::sync::wire::{Command, Outcome};
use domain::work_orders::{apply, Actor, Facts};
use sqlx::PgPool;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Barrier;
use tokio::task::JoinSet;
use uuid::Uuid;

#[derive(Clone, Copy)]
pub struct Plan {
    /// Concurrent devices (endpoint) or connections (raw).
    pub writers: usize,
    /// Timed batches per writer.
    pub batches: usize,
    /// Untimed batches per writer first (connections, prepared statements, caches).
    pub warmup: usize,
    pub batch: usize,
}

impl Plan {
    pub fn mutations(&self) -> u64 {
        (self.writers * self.batches * self.batch) as u64
    }
}

pub struct Run {
    pub applied: u64,
    pub elapsed: Duration,
    pub per_batch: Latencies,
    pub errors: Errors,
    /// Mean serialized size of one mutation pushed (endpoint only).
    pub mean_bytes: usize,
    /// CPU used during the timed part.
    pub cpu: String,
}

impl Run {
    pub fn rate(&self) -> f64 {
        self.applied as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// One writer's batches, oldest first; the first `warmup` are not timed.
struct Writer<T> {
    device: Uuid,
    batches: Vec<T>,
}

pub async fn endpoint(w: &World, plan: Plan) -> anyhow::Result<Run> {
    let now = Utc::now();
    let mut writers = Vec::new();
    let mut bytes = 0usize;
    let mut count = 0usize;
    for p in 0..plan.writers {
        let device = Uuid::now_v7();
        let mut gen = Gen::new(1000 + p as u64, w.site, w.units.clone());
        let mut seq = 0u64;
        let mut batches = Vec::new();
        for _ in 0..plan.warmup + plan.batches {
            let mut items = Vec::with_capacity(plan.batch);
            for _ in 0..plan.batch {
                seq += 1;
                let at = now - Span::seconds(5) + Span::milliseconds(seq as i64);
                let q = payload::create(device, seq, at, gen.new_request(now))?;
                bytes += q.json.len();
                count += 1;
                items.push(q);
            }
            batches.push(Arc::new(payload::batch_json(&items)));
        }
        writers.push(Writer { device, batches });
    }

    let url = Arc::new(w.push_url());
    let run_batches = |range: std::ops::Range<usize>| {
        let mut set = JoinSet::new();
        let barrier = Arc::new(Barrier::new(plan.writers + 1));
        for (p, wr) in writers.iter().enumerate() {
            let client = w.account_for(p).client.clone();
            let url = url.clone();
            let device = wr.device;
            let batches: Vec<Arc<String>> = wr.batches[range.clone()].to_vec();
            let barrier = barrier.clone();
            let expected = plan.batch;
            set.spawn(async move {
                barrier.wait().await;
                let mut lat = Vec::new();
                let mut errors = Errors::default();
                let mut applied = 0u64;
                for b in batches {
                    let t = Instant::now();
                    match push(&client, &url, device, &b, expected).await {
                        PushResult::Applied => applied += expected as u64,
                        PushResult::Failed { what, .. } => errors.add(what),
                    }
                    lat.push(t.elapsed());
                }
                (applied, lat, errors)
            });
        }
        (set, barrier)
    };

    // Warm-up, untimed.
    let (mut set, barrier) = run_batches(0..plan.warmup);
    barrier.wait().await;
    while let Some(r) = set.join_next().await {
        let (_, _, errors) = r?;
        if errors.total() > 0 {
            anyhow::bail!("warm-up push failed: {}", errors.describe());
        }
    }
    w.checkpoint().await?;

    let (mut set, barrier) = run_batches(plan.warmup..plan.warmup + plan.batches);
    let cpu0 = cpu::sample();
    barrier.wait().await;
    let t0 = Instant::now();
    let mut applied = 0;
    let mut lat = Vec::new();
    let mut errors = Errors::default();
    while let Some(r) = set.join_next().await {
        let (a, l, e) = r?;
        applied += a;
        lat.extend(l);
        errors.merge(e);
    }
    let elapsed = t0.elapsed();
    Ok(Run {
        applied,
        elapsed,
        cpu: cpu::since(&cpu0),
        per_batch: Latencies::new(lat),
        errors,
        mean_bytes: bytes / count.max(1),
    })
}

/// Serials of the raw side, unique across the run.
static RAW_SERIAL: AtomicU64 = AtomicU64::new(1);

/// The rows of one batch, as column arrays, computed before the clock starts.
struct RawBatch {
    device: Uuid,
    staff: Uuid,
    last_seq: i64,
    id: Vec<Uuid>,
    site: Vec<Uuid>,
    unit: Vec<Option<Uuid>>,
    number: Vec<String>,
    status: Vec<String>,
    kind: Vec<String>,
    assignee: Vec<Option<Uuid>>,
    created_by: Vec<Uuid>,
    version: Vec<i64>,
    doc: Vec<serde_json::Value>,
    occurred: Vec<DateTime<Utc>>,
    audience: Vec<String>,
    mutation_id: Vec<Uuid>,
    seq: Vec<i64>,
    command: Vec<&'static str>,
    fingerprint: Vec<String>,
    outcome: Vec<serde_json::Value>,
}

fn raw_batches(w: &World, plan: Plan) -> anyhow::Result<Vec<Writer<RawBatch>>> {
    let now = Utc::now();
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
    let outcome = serde_json::to_value(Outcome::Applied { version: 1 })?;
    let period = now.format("%Y-%m").to_string();
    let mut writers = Vec::new();
    for p in 0..plan.writers {
        let device = Uuid::now_v7();
        let mut gen = Gen::new(1000 + p as u64, w.site, w.units.clone());
        let mut seq = 0u64;
        let mut batches = Vec::new();
        for _ in 0..plan.warmup + plan.batches {
            let mut b = RawBatch {
                device,
                staff,
                last_seq: 0,
                id: Vec::new(),
                site: Vec::new(),
                unit: Vec::new(),
                number: Vec::new(),
                status: Vec::new(),
                kind: Vec::new(),
                assignee: Vec::new(),
                created_by: Vec::new(),
                version: Vec::new(),
                doc: Vec::new(),
                occurred: Vec::new(),
                audience: Vec::new(),
                mutation_id: Vec::new(),
                seq: Vec::new(),
                command: Vec::new(),
                fingerprint: Vec::new(),
                outcome: Vec::new(),
            };
            for _ in 0..plan.batch {
                seq += 1;
                let at = now - Span::seconds(5) + Span::milliseconds(seq as i64);
                let q = payload::create(device, seq, at, gen.new_request(now))?;
                let Command::WorkOrder(cmd) = &q.mutation.command else {
                    anyhow::bail!("the bench only makes work orders");
                };
                let mut order = apply(
                    None,
                    WorkOrderId(q.mutation.entity_id),
                    cmd,
                    &actor,
                    &facts,
                    at,
                )
                .map_err(|e| anyhow::anyhow!("the generated create is invalid: {e}"))?;
                // Same shape and length as the server's `BX-2026-11-0042`, another prefix.
                let n = RAW_SERIAL.fetch_add(1, Ordering::Relaxed);
                order.number = Some(format!("RW-{period}-{n:04}"));
                b.id.push(order.id.0);
                b.site.push(order.site_id.0);
                b.unit.push(order.unit_id.map(|u| u.0));
                b.number.push(order.number.clone().unwrap_or_default());
                b.status.push(order.status.code().to_owned());
                b.kind.push(
                    serde_json::to_value(order.kind)?
                        .as_str()
                        .unwrap_or_default()
                        .to_owned(),
                );
                b.assignee.push(None);
                b.created_by.push(staff);
                b.version.push(1);
                b.doc.push(serde_json::to_value(&order)?);
                b.occurred.push(at);
                b.audience.push(format!("{{{staff}}}"));
                b.mutation_id.push(q.mutation.mutation_id.0);
                b.seq.push(seq as i64);
                b.command.push(q.mutation.command.type_name());
                b.fingerprint.push(domain::sync::push::fingerprint(&q.json));
                b.outcome.push(outcome.clone());
            }
            b.last_seq = seq as i64;
            batches.push(b);
        }
        writers.push(Writer { device, batches });
    }
    Ok(writers)
}

async fn write_raw(db: &PgPool, b: &RawBatch) -> anyhow::Result<()> {
    let received = Utc::now();
    let mut tx = db.begin().await?;
    sqlx::query(
        "INSERT INTO sync_devices (device_id, staff_id, last_seq, clock_offset_ms, last_push_at)
         VALUES ($1, $2, $3, 0, $4)
         ON CONFLICT (device_id) DO UPDATE SET last_seq = EXCLUDED.last_seq,
             clock_offset_ms = EXCLUDED.clock_offset_ms, last_push_at = EXCLUDED.last_push_at",
    )
    .bind(b.device)
    .bind(b.staff)
    .bind(b.last_seq)
    .bind(received)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO work_orders (id, site_id, unit_id, number, status, kind, assignee, created_by,
                                  version, doc, occurred_at, received_at, updated_at)
         SELECT *, $12, $12 FROM UNNEST($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[],
                                  $6::text[], $7::uuid[], $8::uuid[], $9::bigint[], $10::jsonb[],
                                  $11::timestamptz[])",
    )
    .bind(&b.id)
    .bind(&b.site)
    .bind(&b.unit)
    .bind(&b.number)
    .bind(&b.status)
    .bind(&b.kind)
    .bind(&b.assignee)
    .bind(&b.created_by)
    .bind(&b.version)
    .bind(&b.doc)
    .bind(&b.occurred)
    .bind(received)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO sync_changes (site_id, entity_kind, entity_id, version, audience, changed_at)
         SELECT s, 'work_order', e, v, a::uuid[], $5
         FROM UNNEST($1::uuid[], $2::uuid[], $3::bigint[], $4::text[]) AS x(s, e, v, a)",
    )
    .bind(&b.site)
    .bind(&b.id)
    .bind(&b.version)
    .bind(&b.audience)
    .bind(received)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO sync_mutations (mutation_id, device_id, seq, staff_id, entity_id, command,
                                     fingerprint, outcome, occurred_at, received_at)
         SELECT m, $1, s, $2, e, c, f, o, t, $3
         FROM UNNEST($4::uuid[], $5::bigint[], $6::uuid[], $7::text[], $8::text[], $9::jsonb[],
                     $10::timestamptz[]) AS x(m, s, e, c, f, o, t)",
    )
    .bind(b.device)
    .bind(b.staff)
    .bind(received)
    .bind(&b.mutation_id)
    .bind(&b.seq)
    .bind(&b.id)
    .bind(&b.command)
    .bind(&b.fingerprint)
    .bind(&b.outcome)
    .bind(&b.occurred)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn raw(w: &World, plan: Plan) -> anyhow::Result<Run> {
    let writers = raw_batches(w, plan)?;
    let mut warm = Vec::new();
    let mut timed = Vec::new();
    for wr in writers {
        let mut batches = wr.batches;
        let rest = batches.split_off(plan.warmup.min(batches.len()));
        warm.push(batches);
        timed.push(rest);
    }
    let run = |groups: Vec<Vec<RawBatch>>| {
        let mut set = JoinSet::new();
        let barrier = Arc::new(Barrier::new(groups.len() + 1));
        for batches in groups {
            let db = w.db.clone();
            let barrier = barrier.clone();
            let rows = plan.batch as u64;
            set.spawn(async move {
                barrier.wait().await;
                let mut lat = Vec::new();
                let mut errors = Errors::default();
                let mut applied = 0u64;
                for b in &batches {
                    let t = Instant::now();
                    match write_raw(&db, b).await {
                        Ok(()) => applied += rows,
                        Err(e) => errors.add(format!("sql: {e}")),
                    }
                    lat.push(t.elapsed());
                }
                (applied, lat, errors)
            });
        }
        (set, barrier)
    };

    let (mut set, barrier) = run(warm);
    barrier.wait().await;
    while let Some(r) = set.join_next().await {
        let (_, _, errors) = r?;
        if errors.total() > 0 {
            anyhow::bail!("raw warm-up failed: {}", errors.describe());
        }
    }
    w.checkpoint().await?;

    let (mut set, barrier) = run(timed);
    let cpu0 = cpu::sample();
    barrier.wait().await;
    let t0 = Instant::now();
    let mut applied = 0;
    let mut lat = Vec::new();
    let mut errors = Errors::default();
    while let Some(r) = set.join_next().await {
        let (a, l, e) = r?;
        applied += a;
        lat.extend(l);
        errors.merge(e);
    }
    let elapsed = t0.elapsed();
    Ok(Run {
        applied,
        elapsed,
        cpu: cpu::since(&cpu0),
        per_batch: Latencies::new(lat),
        errors,
        mean_bytes: 0,
    })
}
