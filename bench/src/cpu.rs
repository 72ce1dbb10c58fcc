//! Where the CPU went during a phase: the server's threads (its own runtime, threads named
//! `srv-…`), the benchmark's client threads (everything else in this process) and every
//! PostgreSQL process, from `/proc` (Linux). Best effort: zeros where `/proc` is unreadable.

use std::time::Instant;

/// Clock ticks per second of `/proc/*/stat` times (USER_HZ, 100 on Linux).
const TICKS: f64 = 100.0;

pub struct Sample {
    server: u64,
    client: u64,
    postgres: u64,
    /// Busy ticks of the whole machine (all processes), from `/proc/stat`.
    machine: u64,
    at: Instant,
}

/// Busy (non-idle, non-iowait) ticks of all CPUs since boot.
fn machine_busy() -> u64 {
    let Ok(text) = std::fs::read_to_string("/proc/stat") else {
        return 0;
    };
    let Some(line) = text.lines().find(|l| l.starts_with("cpu ")) else {
        return 0;
    };
    let f: Vec<u64> = line
        .split_whitespace()
        .skip(1)
        .filter_map(|v| v.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal
    [0, 1, 2, 5, 6, 7].iter().filter_map(|&i| f.get(i)).sum()
}

/// `(comm, utime + stime)` from the text of a `stat` file.
fn parse_stat(text: &str) -> Option<(&str, u64)> {
    let open = text.find('(')?;
    let close = text.rfind(')')?;
    let comm = text.get(open + 1..close)?;
    let rest: Vec<&str> = text.get(close + 1..)?.split_whitespace().collect();
    // After the comm: state is field 3, utime 14, stime 15.
    let utime: u64 = rest.get(11)?.parse().ok()?;
    let stime: u64 = rest.get(12)?.parse().ok()?;
    Some((comm, utime + stime))
}

pub fn sample() -> Sample {
    let mut s = Sample {
        server: 0,
        client: 0,
        postgres: 0,
        machine: machine_busy(),
        at: Instant::now(),
    };
    if let Ok(dir) = std::fs::read_dir("/proc/self/task") {
        for e in dir.flatten() {
            if let Ok(text) = std::fs::read_to_string(e.path().join("stat")) {
                if let Some((comm, t)) = parse_stat(&text) {
                    if comm.starts_with("srv-") {
                        s.server += t;
                    } else {
                        s.client += t;
                    }
                }
            }
        }
    }
    if let Ok(dir) = std::fs::read_dir("/proc") {
        for e in dir.flatten() {
            let name = e.file_name();
            if !name.to_string_lossy().bytes().all(|b| b.is_ascii_digit()) {
                continue;
            }
            if let Ok(text) = std::fs::read_to_string(e.path().join("stat")) {
                if let Some(("postgres", t)) = parse_stat(&text) {
                    s.postgres += t;
                }
            }
        }
    }
    s
}

/// "server 3.1 s · client 1.2 s · PostgreSQL 6.0 s · other processes 0.1 s (of 2 × 12.4 s)".
/// "Other processes" is anything else busy on the machine meanwhile (a build, say): a run
/// with much of it is not a clean measurement.
pub fn since(start: &Sample) -> String {
    let now = sample();
    let secs = |a: u64, b: u64| a.saturating_sub(b) as f64 / TICKS;
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    let ours = secs(now.server, start.server)
        + secs(now.client, start.client)
        + secs(now.postgres, start.postgres);
    let other = (secs(now.machine, start.machine) - ours).max(0.0);
    let wall = (now.at - start.at).as_secs_f64();
    let noisy = if other > 0.1 * cpus as f64 * wall {
        "  — OTHER PROCESSES WERE BUSY: not a clean measurement"
    } else {
        ""
    };
    format!(
        "server {:.1} s · client {:.1} s · PostgreSQL {:.1} s · other processes {other:.1} s  \
         (of {cpus} × {wall:.1} s){noisy}",
        secs(now.server, start.server),
        secs(now.client, start.client),
        secs(now.postgres, start.postgres),
    )
}

/// The 1-minute load average, to show how busy the machine was before the run.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "?".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_stat_line_with_spaces_in_the_name() {
        let line = "1234 (srv-w 1) S 1 2 3 4 5 6 7 8 9 10 250 50 0 0 20 0 1";
        assert_eq!(parse_stat(line), Some(("srv-w 1", 300)));
    }
}
