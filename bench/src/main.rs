//! The sync benchmarks of issue 3, in one run against the real push endpoint (see README.md):
//!
//! 1. push throughput (batches of 100 creates) against the raw PostgreSQL ceiling, as a ratio;
//! 2. a reconnect storm of 500 devices × 200 queued mutations;
//! 3. p50/p99 push latency at an open-loop 50 requests/s over 500 devices.
//!
//! Expects `DATABASE_URL` to name an empty database (`run.sh` makes a throwaway cluster).
//! The report goes to stdout, progress to stderr. Exits 0 when every target is met, 1 when one
//! is missed, 2 on a failure to run.

mod cpu;
mod latency;
mod payload;
mod profile;
mod stats;
mod storm;
mod throughput;
mod world;

use anyhow::{bail, Context};
use stats::{ms, thousands, verdict};
use std::time::Duration;
use world::World;

const USAGE: &str =
    "usage: bench [--quick] [--only throughput,storm,latency] [--pool N] [--profile]
  --quick     small sizes, to check the harness (not the issue's measurement)
  --only      run only these measurements
  --pool N    the server's database pool (default 32)
  --profile   statements, WAL and a CPU breakdown per phase, to stderr (run.sh preloads
              pg_stat_statements and logs slow statements and lock waits)";

struct Args {
    quick: bool,
    throughput: bool,
    storm: bool,
    latency: bool,
    pool: u32,
    profile: bool,
}

fn parse_args() -> anyhow::Result<Args> {
    let mut a = Args {
        quick: false,
        throughput: true,
        storm: true,
        latency: true,
        pool: 32,
        profile: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--quick" => a.quick = true,
            "--profile" => a.profile = true,
            "--pool" => {
                a.pool = it
                    .next()
                    .context("--pool needs a number")?
                    .parse()
                    .context("--pool needs a number")?;
            }
            "--only" => {
                let list = it.next().context("--only needs a list")?;
                a.throughput = false;
                a.storm = false;
                a.latency = false;
                for m in list.split(',') {
                    match m.trim() {
                        "throughput" => a.throughput = true,
                        "storm" => a.storm = true,
                        "latency" => a.latency = true,
                        other => bail!("unknown measurement {other:?}\n{USAGE}"),
                    }
                }
            }
            "-h" | "--help" => {
                eprintln!("{USAGE}");
                std::process::exit(0);
            }
            other => bail!("unknown argument {other:?}\n{USAGE}"),
        }
    }
    Ok(a)
}

fn progress(msg: &str) {
    eprintln!("\x1b[1;36m-- {msg}\x1b[0m");
}

#[tokio::main]
async fn main() {
    match run().await {
        Ok(true) => {}
        Ok(false) => std::process::exit(1),
        Err(e) => {
            eprintln!("bench failed: {e:#}");
            std::process::exit(2);
        }
    }
}

/// Runs the chosen measurements; returns whether every target was met.
async fn run() -> anyhow::Result<bool> {
    let args = parse_args()?;
    let url = std::env::var("DATABASE_URL").context("DATABASE_URL is not set")?;
    let filter = std::env::var("RUST_LOG").unwrap_or_else(|_| "error".into());
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
        .with_writer(std::io::stderr)
        .init();

    progress("migrating, loading the demo, starting the server");
    let w = World::start(&url, args.pool).await?;
    if args.profile {
        profile::enable(&w.db).await?;
    }
    let (pg_version, fsync, sync_commit, max_conn, shared_buffers): (
        String,
        String,
        String,
        String,
        String,
    ) = sqlx::query_as(
        "SELECT current_setting('server_version'), current_setting('fsync'),
                current_setting('synchronous_commit'), current_setting('max_connections'),
                current_setting('shared_buffers')",
    )
    .fetch_one(&w.db)
    .await?;
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let load = cpu::load_average();

    println!(
        "wuye sync benchmark — {}",
        chrono::Utc::now().format("%Y-%m-%d %H:%M UTC")
    );
    println!(
        "machine: {cpus} CPUs (load average {load} at start) · PostgreSQL {pg_version} (private cluster, fsync={fsync}, \
         synchronous_commit={sync_commit}, max_connections={max_conn}, shared_buffers={shared_buffers})"
    );
    println!(
        "server: the real router in-process on {} · server pool {} connections · \
         clients: reqwest over loopback, one session per account ({})",
        w.base,
        args.pool,
        world::PUSHERS.join(", ")
    );
    if args.quick {
        println!("QUICK RUN: reduced sizes, not the issue's measurement");
    }
    let mut all_pass = true;
    // Whether something else on the machine took CPU during a timed phase.
    let mut noisy = false;
    let unclean = |cpu: &str| cpu.contains("not a clean measurement");

    if args.throughput {
        let plan = throughput::Plan {
            writers: 4,
            batches: if args.quick { 5 } else { 25 },
            warmup: 2,
            batch: 100,
        };
        let rounds = if args.quick { 1 } else { 5 };
        println!();
        println!(
            "1. Push throughput: {} concurrent devices × {} batches of {} creates = {} mutations \
             (after {} untimed warm-up batches each); endpoint then raw ceiling, {rounds} rounds",
            plan.writers,
            plan.batches,
            plan.batch,
            thousands(plan.mutations()),
            plan.warmup
        );
        println!(
            "   raw ceiling: the same rows (work_orders with the jsonb record, sync_changes, \
             sync_mutations with the jsonb outcome, the device ledger row), values computed \
             beforehand, INSERT … SELECT FROM UNNEST, one transaction per {}, {} connections",
            plan.batch, plan.writers
        );
        let n = (plan.writers * (plan.batches + plan.warmup)) as u64;
        let mut results = Vec::new();
        for round in 1..=rounds {
            progress(&format!("throughput round {round}: the real endpoint"));
            if args.profile {
                profile::reset(&w.db).await?;
            }
            let api = throughput::endpoint(&w, plan).await?;
            if args.profile {
                profile::print(&w.db, "throughput, endpoint", n).await?;
                profile::push_cpu(&w, plan.batch)?;
            }
            progress(&format!(
                "throughput round {round}: the raw PostgreSQL ceiling"
            ));
            if args.profile {
                profile::reset(&w.db).await?;
            }
            let raw = throughput::raw(&w, plan).await?;
            if args.profile {
                profile::print(&w.db, "throughput, raw", n).await?;
            }
            let ratio = api.rate() / raw.rate().max(1e-9);
            println!(
                "   round {round}            endpoint {:>6} mut/s · raw {:>6} mut/s · ratio {ratio:.2}",
                thousands(api.rate().round() as u64),
                thousands(raw.rate().round() as u64),
            );
            noisy |= unclean(&api.cpu) || unclean(&raw.cpu);
            results.push((ratio, api, raw));
        }
        results.sort_by(|a, b| a.0.total_cmp(&b.0));
        let errors: u64 = results
            .iter()
            .map(|(_, a, r)| a.errors.total() + r.errors.total())
            .sum();
        let (ratio, api, raw) = &results[results.len() / 2];
        let pass = *ratio >= 0.6 && errors == 0;
        all_pass &= pass;
        println!("   median round:");
        println!(
            "   payload            mean {} bytes per mutation (JSON), {} KB per push",
            api.mean_bytes,
            api.mean_bytes * plan.batch / 1024
        );
        println!(
            "   endpoint           {:>6} mut/s  ({} in {:.2} s; per batch {}; errors {})",
            thousands(api.rate().round() as u64),
            thousands(api.applied),
            api.elapsed.as_secs_f64(),
            api.per_batch.summary(),
            api.errors.describe()
        );
        println!(
            "   raw INSERT ceiling {:>6} mut/s  ({} in {:.2} s; per batch {}; errors {})",
            thousands(raw.rate().round() as u64),
            thousands(raw.applied),
            raw.elapsed.as_secs_f64(),
            raw.per_batch.summary(),
            raw.errors.describe()
        );
        println!("   CPU endpoint       {}", api.cpu);
        println!("   CPU raw            {}", raw.cpu);
        println!(
            "   ratio (median)     {ratio:.2}          target ≥ 0.60, 0 errors  {}",
            verdict(pass)
        );
    }

    if args.storm {
        let plan = storm::Plan {
            devices: if args.quick { 50 } else { 500 },
            per_device: 200,
            batch: 100,
        };
        println!();
        println!(
            "2. Reconnect storm: {} devices × {} queued creates, all at once, batches of {}, \
             new connections",
            plan.devices, plan.per_device, plan.batch
        );
        progress("storm");
        if args.profile {
            profile::reset(&w.db).await?;
        }
        let s = storm::run(&w, plan).await?;
        if args.profile {
            profile::print(&w.db, "storm", s.requests.len() as u64).await?;
        }
        if args.profile {
            // Diagnostic: the same volume written raw by as many connections as the server
            // pool has: what this machine's PostgreSQL can do at all in a storm.
            let raw_plan = throughput::Plan {
                writers: args.pool as usize,
                batches: (plan.devices * plan.per_device / plan.batch) / args.pool.max(1) as usize,
                warmup: 1,
                batch: plan.batch,
            };
            profile::reset(&w.db).await?;
            let raw = throughput::raw(&w, raw_plan).await?;
            profile::print(&w.db, "storm volume, raw", raw_plan.mutations() / 100).await?;
            eprintln!(
                "-- raw ceiling at storm volume: {} mutations by {} connections in {:.2} s \
                 = {} mut/s; CPU {}",
                thousands(raw.applied),
                raw_plan.writers,
                raw.elapsed.as_secs_f64(),
                thousands(raw.rate().round() as u64),
                raw.cpu
            );
        }
        let in_time = s.finished && s.elapsed <= Duration::from_secs(10);
        let pass = in_time && s.errors.total() == 0 && s.verified();
        all_pass &= pass;
        println!(
            "   drained            {:.2} s ({} mutations, {} mut/s){}",
            s.elapsed.as_secs_f64(),
            thousands(s.expected() as u64),
            thousands((s.check.applied_rows as f64 / s.elapsed.as_secs_f64().max(1e-9)) as u64),
            if s.finished { "" } else { " — NOT FINISHED" }
        );
        println!(
            "   devices drained    {}",
            stats::summary_secs(&s.drained_at)
        );
        println!(
            "   requests           {} ({})",
            s.requests.len(),
            stats::summary_secs(&s.requests)
        );
        println!("   errors             {}", s.errors.describe());
        println!("   CPU                {}", s.cpu);
        noisy |= unclean(&s.cpu);
        println!(
            "   check (SQL)        sync_mutations {} (applied {}), work_orders {}, \
             devices with last_seq = {}: {} of {} — {}",
            thousands(s.check.mutation_rows.max(0) as u64),
            thousands(s.check.applied_rows.max(0) as u64),
            thousands(s.check.orders.max(0) as u64),
            plan.per_device,
            s.check.devices_at_last_seq,
            plan.devices,
            if s.verified() { "exact" } else { "MISMATCH" }
        );
        println!(
            "   target             drained ≤ 10 s, 0 errors, rows exact        {}",
            verdict(pass)
        );
    }

    if args.latency {
        let plan = latency::Plan {
            rate: 50,
            seconds: if args.quick { 5 } else { 20 },
            devices: if args.quick { 50 } else { 500 },
        };
        println!();
        println!(
            "3. Latency: open loop, {} requests/s for {} s = {} requests round-robin over {} \
             devices; each a create, +1 or +2 text edits of it",
            plan.rate,
            plan.seconds,
            plan.requests(),
            plan.devices
        );
        progress("latency (open loop)");
        if args.profile {
            profile::reset(&w.db).await?;
        }
        let l = latency::run(&w, plan).await?;
        if args.profile {
            profile::print(&w.db, "latency", plan.requests() as u64).await?;
        }
        let p99 = l.latencies.pct(99.0);
        let pass = p99 <= Duration::from_millis(100) && l.errors.total() == 0;
        all_pass &= pass;
        println!(
            "   latency            {} (from the scheduled send time)",
            l.latencies.summary()
        );
        println!(
            "   load               {} requests, {} mutations in {:.1} s; largest send delay {}",
            l.latencies.len(),
            thousands(l.mutations as u64),
            l.span.as_secs_f64(),
            ms(l.max_send_lag)
        );
        println!("   errors             {}", l.errors.describe());
        println!("   CPU                {}", l.cpu);
        noisy |= unclean(&l.cpu);
        println!(
            "   target             p99 ≤ 100 ms, 0 errors                     {}",
            verdict(pass)
        );
    }

    println!();
    if noisy {
        println!(
            "note: other processes used the CPU during a timed phase; run again on a quiet machine"
        );
    }
    println!(
        "result: {}",
        if all_pass {
            "every target met"
        } else {
            "a target was missed"
        }
    );
    Ok(all_pass)
}
