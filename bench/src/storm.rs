//! Measurement 2: a reconnect storm. Many devices come back online at the same moment, each
//! with a full outbox of creates, open new connections and push their queue in batches until
//! it is drained. A push that fails as a whole (HTTP error, transport error) is counted and sent
//! again, as the real client does; a refused or deferred mutation is counted and not retried.

use crate::cpu;
use crate::payload::{self, Gen};
use crate::stats::{Errors, Latencies};
use crate::world::{push, PushResult, World};
use chrono::{Duration as Span, Utc};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Barrier;
use tokio::task::JoinSet;
use uuid::Uuid;

#[derive(Clone, Copy)]
pub struct Plan {
    pub devices: usize,
    pub per_device: usize,
    pub batch: usize,
}

/// The storm gives up after this long (it is a failure then, not a hang).
const LIMIT: Duration = Duration::from_secs(120);
/// Attempts per batch when the whole push fails.
const ATTEMPTS: u32 = 5;

pub struct Run {
    pub plan: Plan,
    /// Until the last device's queue was drained (or the limit).
    pub elapsed: Duration,
    pub finished: bool,
    pub errors: Errors,
    pub requests: Latencies,
    /// When each device finished, from the start.
    pub drained_at: Latencies,
    pub check: Check,
    pub cpu: String,
}

/// What the database holds afterwards for the storm's devices.
pub struct Check {
    pub mutation_rows: i64,
    pub applied_rows: i64,
    pub orders: i64,
    pub devices_at_last_seq: i64,
}

impl Run {
    pub fn expected(&self) -> i64 {
        (self.plan.devices * self.plan.per_device) as i64
    }

    pub fn verified(&self) -> bool {
        let n = self.expected();
        self.check.mutation_rows == n
            && self.check.applied_rows == n
            && self.check.orders == n
            && self.check.devices_at_last_seq == self.plan.devices as i64
    }
}

pub async fn run(w: &World, plan: Plan) -> anyhow::Result<Run> {
    // Every outbox, built before the clock starts: queued offline over the last hours.
    let now = Utc::now();
    let mut queues: Vec<(Uuid, Vec<(String, usize)>)> = Vec::with_capacity(plan.devices);
    for d in 0..plan.devices {
        let device = Uuid::now_v7();
        let mut gen = Gen::new(50_000 + d as u64, w.site, w.units.clone());
        let mut batches = Vec::new();
        let mut seq = 0u64;
        while (seq as usize) < plan.per_device {
            let n = plan.batch.min(plan.per_device - seq as usize);
            let mut items = Vec::with_capacity(n);
            for _ in 0..n {
                seq += 1;
                let at = now - Span::seconds(20 * (plan.per_device as i64 - seq as i64 + 1));
                items.push(payload::create(device, seq, at, gen.new_request(now))?);
            }
            batches.push((payload::batch_json(&items), n));
        }
        queues.push((device, batches));
    }
    let devices: Vec<Uuid> = queues.iter().map(|(d, _)| *d).collect();
    // "Reconnect": new clients, so every device opens a new connection.
    let clients = w
        .accounts
        .iter()
        .map(|a| a.fresh_client())
        .collect::<anyhow::Result<Vec<_>>>()?;
    let url = Arc::new(w.push_url());
    w.checkpoint().await?;

    let barrier = Arc::new(Barrier::new(plan.devices + 1));
    let mut set = JoinSet::new();
    for (d, (device, batches)) in queues.into_iter().enumerate() {
        let client = clients[d % clients.len()].clone();
        let url = url.clone();
        let barrier = barrier.clone();
        set.spawn(async move {
            barrier.wait().await;
            let t0 = Instant::now();
            let mut lat = Vec::new();
            let mut errors = Errors::default();
            for (b, expected) in &batches {
                let expected = *expected;
                for attempt in 1..=ATTEMPTS {
                    let t = Instant::now();
                    let r = push(&client, &url, device, b, expected).await;
                    lat.push(t.elapsed());
                    match r {
                        PushResult::Applied => break,
                        PushResult::Failed { retry, what } => {
                            errors.add(what);
                            if !retry || attempt == ATTEMPTS {
                                break;
                            }
                            // The client's back-off, shortened: 100 ms, 200 ms, 400 ms…
                            tokio::time::sleep(Duration::from_millis(100 << (attempt - 1))).await;
                        }
                    }
                }
            }
            (t0.elapsed(), lat, errors)
        });
    }
    let cpu0 = cpu::sample();
    barrier.wait().await;
    let t0 = Instant::now();
    let mut lat = Vec::new();
    let mut drained = Vec::new();
    let mut errors = Errors::default();
    let mut finished = true;
    loop {
        let left = LIMIT.saturating_sub(t0.elapsed());
        match tokio::time::timeout(left, set.join_next()).await {
            Ok(Some(r)) => {
                let (done, l, e) = r?;
                drained.push(done);
                lat.extend(l);
                errors.merge(e);
            }
            Ok(None) => break,
            Err(_) => {
                finished = false;
                errors.add(format!("{} devices not drained after {LIMIT:?}", set.len()));
                set.abort_all();
                break;
            }
        }
    }
    let elapsed = t0.elapsed();
    let cpu = cpu::since(&cpu0);

    let (mutation_rows, applied_rows): (i64, i64) = sqlx::query_as(
        "SELECT count(*), count(*) FILTER (WHERE outcome->>'status' = 'applied')
         FROM sync_mutations WHERE device_id = ANY($1)",
    )
    .bind(&devices)
    .fetch_one(&w.db)
    .await?;
    let orders: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM work_orders
         WHERE id IN (SELECT entity_id FROM sync_mutations WHERE device_id = ANY($1))",
    )
    .bind(&devices)
    .fetch_one(&w.db)
    .await?;
    let devices_at_last_seq: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM sync_devices WHERE device_id = ANY($1) AND last_seq = $2",
    )
    .bind(&devices)
    .bind(plan.per_device as i64)
    .fetch_one(&w.db)
    .await?;

    Ok(Run {
        plan,
        elapsed,
        cpu,
        finished,
        errors,
        requests: Latencies::new(lat),
        drained_at: Latencies::new(drained),
        check: Check {
            mutation_rows,
            applied_rows,
            orders,
            devices_at_last_seq,
        },
    })
}
