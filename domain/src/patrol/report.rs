//! What a manager reads off rounds (requirements §2.10): completion, the facilities-in-good-order
//! rate (target ≥98 %, S2 房产服务中心管理制度), and patterns that suggest a round was not
//! walked: the same checkpoint scanned twice within a minute, or two scans further apart than a
//! person can walk in the time between them.

use super::round::{AnswerValue, Round};
use crate::ids::CheckpointId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// 设施设备完好率 target, in per mille (98.0 %).
pub const GOOD_ORDER_TARGET_PERMILLE: u32 = 980;
/// Two scans of one checkpoint closer than this are suspicious.
pub const DOUBLE_SCAN_SECONDS: i64 = 60;
/// Faster than this between checkpoints is not walking (about 11 km/h, stairs included).
pub const MAX_WALKING_M_PER_S: f64 = 3.0;

/// A rate as a fraction kept exact: `num / den`, `None` when nothing was counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rate {
    pub num: u32,
    pub den: u32,
}

impl Rate {
    /// Per mille, rounded half up; `None` for an empty base.
    pub fn permille(self) -> Option<u32> {
        (self.den > 0).then(|| (self.num * 2000 + self.den) / (2 * self.den))
    }
}

/// Checkpoints scanned of those planned, over rounds.
pub fn completion(rounds: &[&Round]) -> Rate {
    let mut r = Rate { num: 0, den: 0 };
    for round in rounds {
        r.den += round.stops.len() as u32;
        r.num += round
            .stops
            .iter()
            .filter(|s| round.scanned(s.checkpoint_id))
            .count() as u32;
    }
    r
}

/// 正常 over 正常 + 异常 of the latest answers; 不适用 is left out.
pub fn good_order(rounds: &[&Round]) -> Rate {
    let mut r = Rate { num: 0, den: 0 };
    for round in rounds {
        for a in round.current_answers() {
            match a.value {
                AnswerValue::Normal => {
                    r.num += 1;
                    r.den += 1;
                }
                AnswerValue::Fault => r.den += 1,
                AnswerValue::NotApplicable => {}
            }
        }
    }
    r
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Suspicion {
    DoubleScan {
        checkpoint_id: CheckpointId,
        first: DateTime<Utc>,
        second: DateTime<Utc>,
    },
    TooFast {
        from: CheckpointId,
        to: CheckpointId,
        metres: u32,
        seconds: i64,
    },
}

/// Suspicious patterns of one round, in scan order. Distances use the phone's position at the
/// scan when it had one, else the checkpoint's surveyed position.
pub fn suspicions(round: &Round) -> Vec<Suspicion> {
    let mut out = Vec::new();
    let mut scans: Vec<_> = round.scans.iter().collect();
    scans.sort_by_key(|s| s.at);
    for (i, s) in scans.iter().enumerate() {
        if let Some(prev) = scans[..i]
            .iter()
            .rev()
            .find(|p| p.checkpoint_id == s.checkpoint_id)
        {
            if (s.at - prev.at).num_seconds() < DOUBLE_SCAN_SECONDS {
                out.push(Suspicion::DoubleScan {
                    checkpoint_id: s.checkpoint_id,
                    first: prev.at,
                    second: s.at,
                });
            }
        }
    }
    let pos = |s: &super::round::Scan| {
        s.position
            .or_else(|| round.stop(s.checkpoint_id).and_then(|c| c.position))
    };
    for w in scans.windows(2) {
        let (a, b) = (w[0], w[1]);
        if a.checkpoint_id == b.checkpoint_id {
            continue;
        }
        let (Some(pa), Some(pb)) = (pos(a), pos(b)) else {
            continue;
        };
        let metres = pa.distance_m(pb);
        let seconds = (b.at - a.at).num_seconds().max(1);
        if metres / seconds as f64 > MAX_WALKING_M_PER_S {
            out.push(Suspicion::TooFast {
                from: a.checkpoint_id,
                to: b.checkpoint_id,
                metres: metres.round() as u32,
                seconds,
            });
        }
    }
    out
}
