//! The server's decision for a push, as a pure function: replay detection, sequence rules,
//! waiting for blobs, and recording each result exactly once. The server wraps it in one
//! database transaction; the property tests (`tests/sync_props.rs`) drive it with faults.

use super::wire::{DeferReason, Mutation, MutationResult, Outcome, RejectCode, MAX_MUTATION_BYTES};
use crate::ids::{DeviceId, MutationId};
use std::collections::HashMap;

/// What the server keeps per device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DeviceLedger {
    /// Highest sequence number recorded for the device (0 = none).
    pub last_seq: u64,
}

/// A result the server stores so that a replay gets the same answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    pub mutation_id: MutationId,
    pub device_id: DeviceId,
    pub seq: u64,
    /// Fingerprint of the mutation's content, to spot an id reused for something else.
    pub fingerprint: String,
    pub outcome: Outcome,
}

/// A mutation as it arrived: parsed, or why not.
// Short-lived (one per mutation of one request): boxing would only add an allocation.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum Incoming {
    Parsed {
        mutation: Mutation,
        /// Its serialized size and content fingerprint.
        bytes: usize,
        fingerprint: String,
    },
    Malformed {
        mutation_id: Option<MutationId>,
        seq: Option<u64>,
        reason: String,
    },
}

/// Parses one raw mutation of a push request.
pub fn parse_incoming(raw: &serde_json::Value) -> Incoming {
    let text = raw.to_string();
    let mutation_id = raw
        .get("mutation_id")
        .and_then(|v| v.as_str())
        .and_then(|s| MutationId::parse(s).ok());
    let seq = raw.get("seq").and_then(|v| v.as_u64());
    match serde_json::from_value::<Mutation>(raw.clone()) {
        // The fingerprint is of the typed form (frozen by the golden tests), so the same
        // mutation written with other key order or spacing is still recognised as a replay.
        Ok(mutation) => Incoming::Parsed {
            fingerprint: serde_json::to_string(&mutation)
                .map_or_else(|_| fingerprint(&text), |t| fingerprint(&t)),
            mutation,
            bytes: text.len(),
        },
        Err(e) => Incoming::Malformed {
            mutation_id,
            seq,
            reason: e.to_string(),
        },
    }
}

/// A short content hash (hex of the first 16 bytes of SHA-256).
pub fn fingerprint(text: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(&Sha256::digest(text.as_bytes())[..16])
}

/// What the caller must persist, in one transaction, before replying.
#[derive(Debug, Default)]
pub struct PushOutput {
    pub results: Vec<MutationResult>,
    pub to_record: Vec<Recorded>,
}

fn rejected(code: RejectCode, message: impl Into<String>) -> Outcome {
    Outcome::Rejected {
        code,
        message: message.into(),
    }
}

/// Decides a push from `device`, in order.
///
/// - `stored`: results already recorded for ids in this request (replays get them back).
/// - `missing_blobs`: the blobs a mutation names that are not uploaded yet.
/// - `apply`: runs the domain transition on the caller's working state and answers
///   `Applied`, `Rejected` or `Conflict`; it is called at most once per new mutation, in order.
///   A passing answer (`Rejected{Internal}`) is not recorded: the caller must not keep what
///   `apply` did for it, and `apply` runs again on a later push.
///
/// Rules: a replayed id answers its stored result; a new mutation must have `seq` above the
/// ledger's; a mutation waiting for a blob stops the batch there (later ones are deferred too,
/// so a device's changes apply in the order it made them); every other answer is recorded and
/// advances the ledger.
pub fn process_push(
    device: DeviceId,
    ledger: &mut DeviceLedger,
    incoming: Vec<Incoming>,
    stored: &HashMap<MutationId, Recorded>,
    mut missing_blobs: impl FnMut(&Mutation) -> Vec<String>,
    mut apply: impl FnMut(&Mutation) -> Outcome,
) -> PushOutput {
    let mut out = PushOutput::default();
    let mut waiting = false;
    let mut recorded_now: HashMap<MutationId, Outcome> = HashMap::new();
    for inc in incoming {
        let (mutation, bytes, fp) = match inc {
            Incoming::Malformed {
                mutation_id,
                seq,
                reason,
            } => {
                // A known id answers as before; otherwise the refusal is not recorded (there is
                // no trustworthy content to bind it to) and is the same every time anyway.
                let outcome = mutation_id
                    .and_then(|id| stored.get(&id).map(|r| r.outcome.clone()))
                    .unwrap_or_else(|| rejected(RejectCode::MalformedMutation, reason));
                out.results.push(MutationResult {
                    mutation_id,
                    seq,
                    outcome,
                });
                continue;
            }
            Incoming::Parsed {
                mutation,
                bytes,
                fingerprint,
            } => (mutation, bytes, fingerprint),
        };
        let id = mutation.mutation_id;
        let result = |outcome| MutationResult {
            mutation_id: Some(id),
            seq: Some(mutation.seq),
            outcome,
        };
        // 1. Replays: same id, same content → the stored answer; same id, other content → refused.
        if let Some(outcome) = recorded_now.get(&id) {
            out.results.push(result(outcome.clone()));
            continue;
        }
        if let Some(prev) = stored.get(&id) {
            let outcome = if prev.fingerprint == fp && prev.device_id == mutation.device_id {
                prev.outcome.clone()
            } else {
                rejected(
                    RejectCode::MutationIdReused,
                    "this mutation id was used for other content",
                )
            };
            out.results.push(result(outcome));
            continue;
        }
        // 2. Envelope checks.
        if mutation.device_id != device {
            out.results.push(result(rejected(
                RejectCode::DeviceMismatch,
                "the mutation belongs to another device",
            )));
            continue;
        }
        if mutation.seq <= ledger.last_seq {
            out.results.push(result(rejected(
                RejectCode::StaleSeq,
                format!("sequence {} is not above {}", mutation.seq, ledger.last_seq),
            )));
            continue;
        }
        // 3. Order: nothing after a waiting mutation runs now.
        if waiting {
            out.results.push(result(Outcome::Deferred {
                reason: DeferReason::EarlierMutationWaiting,
                missing_blobs: Vec::new(),
            }));
            continue;
        }
        let outcome = if bytes > MAX_MUTATION_BYTES {
            rejected(RejectCode::MutationTooLarge, format!("{bytes} bytes"))
        } else {
            let missing = missing_blobs(&mutation);
            if !missing.is_empty() {
                waiting = true;
                out.results.push(result(Outcome::Deferred {
                    reason: DeferReason::BlobMissing,
                    missing_blobs: missing,
                }));
                continue;
            }
            apply(&mutation)
        };
        if !outcome.is_final() {
            // A passing failure: nothing recorded, the device sends it (and what follows) again.
            waiting = true;
            out.results.push(result(outcome));
            continue;
        }
        ledger.last_seq = mutation.seq;
        recorded_now.insert(id, outcome.clone());
        out.to_record.push(Recorded {
            mutation_id: id,
            device_id: device,
            seq: mutation.seq,
            fingerprint: fp,
            outcome: outcome.clone(),
        });
        out.results.push(result(outcome));
    }
    out
}
