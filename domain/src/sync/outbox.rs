//! The device outbox's pure operations. The client keeps an [`Outbox`] in IndexedDB and, after
//! each operation here, writes back what changed in one `durability: "strict"` transaction
//! before it shows the result; nothing in this file does IO or reads a clock.
//!
//! Invariants:
//! - `entries` are sorted by `seq`, and every seq is below `next_seq`; a seq is never reused.
//! - An entry is never changed once it may have reached the server: only an entry that was
//!   never handed to the network absorbs a later text edit ([`Outbox::enqueue`]), so the server
//!   sees one content per mutation id.
//! - Final states (`Applied`, `Rejected`, `Conflict`) never change again; the server recorded
//!   them and answers every replay with the same.

use super::wire::{
    Command, ConflictCode, DeferReason, Mutation, MutationResult, Outcome, RejectCode,
};
use crate::ids::{DeviceId, MutationId};
use crate::work_orders::WorkOrderCommand;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Where one outbox entry stands, as the outbox page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum EntryState {
    /// To be sent (never sent, or the last send got no useful answer).
    Waiting,
    /// Handed to the network, no answer yet. Stays on disk across a restart and is sent again:
    /// the server answers a replay with its stored result.
    Sending,
    /// The server did not process it yet (a photo is not uploaded, or an earlier change waits).
    Deferred {
        reason: DeferReason,
        missing_blobs: Vec<String>,
    },
    /// Done; the record is at `version`.
    Applied { version: i64 },
    /// Refused for good: shown to the user, who fixes and retries it or discards it.
    Rejected { code: RejectCode, message: String },
    /// Someone else changed the record first: shown to the user.
    Conflict {
        code: ConflictCode,
        message: String,
        server_version: i64,
    },
}

impl EntryState {
    /// The server recorded this answer; it never changes again.
    pub fn is_final(&self) -> bool {
        matches!(
            self,
            EntryState::Applied { .. } | EntryState::Rejected { .. } | EntryState::Conflict { .. }
        )
    }

    /// No final answer yet (`Waiting`, `Sending`, `Deferred`): what [`Outbox::next_batch`]
    /// sends.
    pub fn is_unsettled(&self) -> bool {
        !self.is_final()
    }

    /// Refused or in conflict: needs the user.
    pub fn needs_attention(&self) -> bool {
        matches!(
            self,
            EntryState::Rejected { .. } | EntryState::Conflict { .. }
        )
    }

    /// The state a final outcome leads to; `None` for a passing one (deferred, or a rejection
    /// that may succeed later).
    fn final_from(outcome: &Outcome) -> Option<EntryState> {
        if !outcome.is_final() {
            return None;
        }
        Some(match outcome {
            Outcome::Applied { version } => EntryState::Applied { version: *version },
            Outcome::Rejected { code, message } => EntryState::Rejected {
                code: *code,
                message: message.clone(),
            },
            Outcome::Conflict {
                code,
                message,
                server_version,
                ..
            } => EntryState::Conflict {
                code: *code,
                message: message.clone(),
                server_version: *server_version,
            },
            // Never final; kept as a case so a new outcome variant has to be thought about here.
            Outcome::Deferred { .. } => return None,
        })
    }
}

/// One queued change and what became of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxEntry {
    pub mutation: Mutation,
    pub state: EntryState,
    /// Sends that ended without a final answer (no reply, deferred, or a passing rejection);
    /// the client's retry delay grows with it ([`super::backoff::retry_delay_ms`]).
    pub attempts: u32,
    /// When the user first made the change (device clock).
    pub enqueued_at: DateTime<Utc>,
    /// When it was last handed to the network; `None` = never sent.
    pub last_attempt_at: Option<DateTime<Utc>>,
}

impl OutboxEntry {
    /// Whether the server may have seen this mutation (it was handed to the network at least
    /// once, whatever came back).
    pub fn ever_sent(&self) -> bool {
        self.last_attempt_at.is_some()
    }
}

/// What the user may not do with an entry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OutboxError {
    #[error("no such change in the outbox")]
    NotFound,
    #[error("this change is already saved on the server")]
    AlreadyApplied,
    #[error("only a refused or conflicting change can be retried")]
    NotRetryable,
    #[error("this change is being sent right now")]
    InFlight,
}

/// One device's queue of changes, in the order the user made them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outbox {
    pub device_id: DeviceId,
    /// The seq the next new mutation gets; starts at 1.
    pub next_seq: u64,
    /// Always sorted by `mutation.seq`.
    pub entries: Vec<OutboxEntry>,
}

impl Outbox {
    pub fn new(device_id: DeviceId) -> Self {
        Outbox {
            device_id,
            next_seq: 1,
            entries: Vec::new(),
        }
    }

    /// The entry holding mutation `id`.
    pub fn get(&self, id: MutationId) -> Option<&OutboxEntry> {
        self.entries.iter().find(|e| e.mutation.mutation_id == id)
    }

    fn position(&self, id: MutationId) -> Option<usize> {
        self.entries
            .iter()
            .position(|e| e.mutation.mutation_id == id)
    }

    /// Assigns the next seq and appends a `Waiting` entry; returns the id of the entry that
    /// holds the change.
    ///
    /// Coalescing: a `WorkOrderCommand::EditText` is merged into the entity's last entry when
    /// that entry is a text edit of the same field that is `Waiting` and was never sent: it
    /// keeps its id, seq, `base` and `base_version` and takes the new `value` and
    /// `occurred_at`. A `Waiting` entry that was sent before may already be recorded on the
    /// server (the reply was lost), and changing its content under the same id would get it
    /// refused as `mutation_id_reused`; so it is never touched, nor is a `Sending` one.
    pub fn enqueue(
        &mut self,
        mutation_id: MutationId,
        entity_id: Uuid,
        base_version: Option<i64>,
        occurred_at: DateTime<Utc>,
        command: Command,
    ) -> MutationId {
        if let Some(id) = self.coalesce(entity_id, occurred_at, &command) {
            return id;
        }
        let seq = self.take_seq();
        self.entries.push(OutboxEntry {
            mutation: Mutation {
                mutation_id,
                device_id: self.device_id,
                seq,
                entity_id,
                base_version,
                occurred_at,
                command,
            },
            state: EntryState::Waiting,
            attempts: 0,
            enqueued_at: occurred_at,
            last_attempt_at: None,
        });
        mutation_id
    }

    fn take_seq(&mut self) -> u64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        seq
    }

    /// Merges a text edit into the entity's last entry if the rules allow; returns its id.
    fn coalesce(
        &mut self,
        entity_id: Uuid,
        occurred_at: DateTime<Utc>,
        command: &Command,
    ) -> Option<MutationId> {
        let Command::WorkOrder(WorkOrderCommand::EditText { field, value, .. }) = command else {
            return None;
        };
        // Only the entity's very last entry: merging further back would move this edit before
        // a later change of the same record.
        let last = self
            .entries
            .iter_mut()
            .rev()
            .find(|e| e.mutation.entity_id == entity_id)?;
        if last.state != EntryState::Waiting || last.ever_sent() {
            return None;
        }
        let Command::WorkOrder(WorkOrderCommand::EditText {
            field: last_field,
            value: last_value,
            ..
        }) = &mut last.mutation.command
        else {
            return None;
        };
        if last_field != field {
            return None;
        }
        last_value.clone_from(value);
        last.mutation.occurred_at = occurred_at;
        Some(last.mutation.mutation_id)
    }

    /// Entries to send now: `Waiting`, `Sending` (a previous send may have died) and
    /// `Deferred`, in seq order, at most `max`.
    pub fn next_batch(&self, max: usize) -> Vec<Mutation> {
        self.entries
            .iter()
            .filter(|e| e.state.is_unsettled())
            .take(max)
            .map(|e| e.mutation.clone())
            .collect()
    }

    /// The batch `ids` was handed to the network at `at`.
    pub fn mark_sending(&mut self, ids: &[MutationId], at: DateTime<Utc>) {
        for e in &mut self.entries {
            if e.state.is_unsettled() && ids.contains(&e.mutation.mutation_id) {
                e.state = EntryState::Sending;
                e.last_attempt_at = Some(at);
            }
        }
    }

    /// Applies a push response.
    ///
    /// A final outcome (applied, conflict, permanent rejection) is the server's recorded truth:
    /// it is taken whatever the entry's state, even from the late answer of an older request,
    /// and never changes afterwards. A passing outcome (deferred, or a rejection that may
    /// succeed later) only answers a `Sending` entry, which goes back to `Waiting` or
    /// `Deferred` with one more attempt; so applying the same results twice changes nothing
    /// more, and a stale passing answer cannot undo a newer one. Results for unknown ids (a
    /// replay after a discard) are ignored.
    pub fn apply_results(&mut self, results: &[MutationResult]) {
        for r in results {
            let Some(id) = r.mutation_id else {
                continue;
            };
            let Some(entry) = self
                .entries
                .iter_mut()
                .find(|e| e.mutation.mutation_id == id)
            else {
                continue;
            };
            if entry.state.is_final() {
                continue;
            }
            if let Some(state) = EntryState::final_from(&r.outcome) {
                entry.state = state;
                continue;
            }
            if entry.state != EntryState::Sending {
                continue;
            }
            entry.attempts = entry.attempts.saturating_add(1);
            entry.state = match &r.outcome {
                Outcome::Deferred {
                    reason,
                    missing_blobs,
                } => EntryState::Deferred {
                    reason: *reason,
                    missing_blobs: missing_blobs.clone(),
                },
                _ => EntryState::Waiting,
            };
        }
    }

    /// The request carrying `ids` failed with no answer: `Sending` → `Waiting`, one more
    /// attempt. (The server may still have recorded them; the resend gets the stored answer.)
    pub fn request_failed(&mut self, ids: &[MutationId]) {
        for e in &mut self.entries {
            if e.state == EntryState::Sending && ids.contains(&e.mutation.mutation_id) {
                e.state = EntryState::Waiting;
                e.attempts = e.attempts.saturating_add(1);
            }
        }
    }

    /// Removes `Applied` entries and returns their ids (the client deletes them from
    /// IndexedDB).
    pub fn prune_applied(&mut self) -> Vec<MutationId> {
        let mut pruned = Vec::new();
        self.entries.retain(|e| {
            let applied = matches!(e.state, EntryState::Applied { .. });
            if applied {
                pruned.push(e.mutation.mutation_id);
            }
            !applied
        });
        pruned
    }

    /// The user discards an entry after confirming. Allowed unless it is `Applied` or
    /// `Sending`. A `Waiting` or `Deferred` entry that was sent before may still have reached
    /// the server (the UI says so in the confirmation).
    pub fn discard(&mut self, id: MutationId) -> Result<OutboxEntry, OutboxError> {
        let pos = self.position(id).ok_or(OutboxError::NotFound)?;
        match self.entries[pos].state {
            EntryState::Applied { .. } => Err(OutboxError::AlreadyApplied),
            EntryState::Sending => Err(OutboxError::InFlight),
            _ => Ok(self.entries.remove(pos)),
        }
    }

    /// The user retries a `Rejected` or `Conflict` entry: the same command is queued again as
    /// a new mutation (`new_id`, the next seq, `occurred_at` and `enqueued_at` kept from the
    /// original) and the old entry is removed. The server recorded the old id's answer for
    /// good, so only a new id can get a new one.
    pub fn retry(&mut self, id: MutationId, new_id: MutationId) -> Result<MutationId, OutboxError> {
        let pos = self.position(id).ok_or(OutboxError::NotFound)?;
        if !self.entries[pos].state.needs_attention() {
            return Err(OutboxError::NotRetryable);
        }
        let old = self.entries.remove(pos);
        let seq = self.take_seq();
        self.entries.push(OutboxEntry {
            mutation: Mutation {
                mutation_id: new_id,
                seq,
                ..old.mutation
            },
            state: EntryState::Waiting,
            attempts: 0,
            enqueued_at: old.enqueued_at,
            last_attempt_at: None,
        });
        Ok(new_id)
    }

    /// Entries not yet `Applied` (what the "unsynced" badge counts).
    pub fn pending_count(&self) -> usize {
        self.entries
            .iter()
            .filter(|e| !matches!(e.state, EntryState::Applied { .. }))
            .count()
    }

    /// `Rejected` and `Conflict` entries (they need the user).
    pub fn needs_attention(&self) -> usize {
        self.entries
            .iter()
            .filter(|e| e.state.needs_attention())
            .count()
    }

    /// Whether anything still waits for a final answer (the sync client's "push again?").
    pub fn has_unsettled(&self) -> bool {
        self.entries.iter().any(|e| e.state.is_unsettled())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::ids::StaffId;
    use crate::work_orders::TextField;
    use chrono::TimeZone;

    fn id(n: u128) -> MutationId {
        MutationId::from_uuid(Uuid::from_u128(
            0x0193_0000_0000_7000_8000_0000_0000_0000 | n,
        ))
    }

    fn entity(n: u128) -> Uuid {
        Uuid::from_u128(0x0193_0000_0000_7000_9000_0000_0000_0000 | n)
    }

    fn t(min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 1, 8, min, 0).unwrap()
    }

    fn device() -> DeviceId {
        DeviceId::from_uuid(Uuid::from_u128(0xd))
    }

    fn edit(field: TextField, base: &str, value: &str) -> Command {
        Command::WorkOrder(WorkOrderCommand::EditText {
            field,
            base: base.into(),
            value: value.into(),
        })
    }

    fn accept() -> Command {
        Command::WorkOrder(WorkOrderCommand::Accept)
    }

    fn assign() -> Command {
        Command::WorkOrder(WorkOrderCommand::Assign {
            technician: StaffId::from_uuid(Uuid::from_u128(7)),
        })
    }

    fn result(id: MutationId, outcome: Outcome) -> MutationResult {
        MutationResult {
            mutation_id: Some(id),
            seq: None,
            outcome,
        }
    }

    fn applied(v: i64) -> Outcome {
        Outcome::Applied { version: v }
    }

    fn rejected(code: RejectCode) -> Outcome {
        Outcome::Rejected {
            code,
            message: "no".into(),
        }
    }

    fn conflict() -> Outcome {
        Outcome::Conflict {
            code: ConflictCode::StatusChanged,
            message: "moved on".into(),
            server_version: 9,
            current: None,
        }
    }

    fn deferred() -> Outcome {
        Outcome::Deferred {
            reason: DeferReason::BlobMissing,
            missing_blobs: vec!["ab".into()],
        }
    }

    /// An outbox holding one entry per command (entity 1 unless given), ids 1, 2, 3…
    fn outbox_with(cmds: &[(u128, Command)]) -> Outbox {
        let mut ob = Outbox::new(device());
        for (i, (ent, cmd)) in cmds.iter().enumerate() {
            let n = i as u128 + 1;
            ob.enqueue(id(n), entity(*ent), Some(1), t(i as u32), cmd.clone());
        }
        ob
    }

    fn seqs(ob: &Outbox) -> Vec<u64> {
        ob.entries.iter().map(|e| e.mutation.seq).collect()
    }

    #[test]
    fn new_outbox_starts_at_seq_one() {
        let ob = Outbox::new(device());
        assert_eq!(ob.next_seq, 1);
        assert!(ob.entries.is_empty());
        assert_eq!(ob.pending_count(), 0);
        assert!(!ob.has_unsettled());
    }

    #[test]
    fn enqueue_assigns_consecutive_seqs_and_waits() {
        let ob = outbox_with(&[
            (1, accept()),
            (2, assign()),
            (1, edit(TextField::Content, "a", "b")),
        ]);
        assert_eq!(seqs(&ob), vec![1, 2, 3]);
        assert_eq!(ob.next_seq, 4);
        for (i, e) in ob.entries.iter().enumerate() {
            assert_eq!(e.mutation.mutation_id, id(i as u128 + 1));
            assert_eq!(e.mutation.device_id, device());
            assert_eq!(e.state, EntryState::Waiting);
            assert_eq!(e.attempts, 0);
            assert_eq!(e.enqueued_at, t(i as u32));
            assert_eq!(e.last_attempt_at, None);
        }
    }

    /// What the earlier entry (id 1) is before the new edit of entity 1 arrives.
    #[derive(Debug, Clone, Copy)]
    enum Before {
        Fresh,
        Sending,
        /// Sent once, the request failed: back to Waiting, but the server may have it.
        SentThenFailed,
        Deferred,
        Applied,
    }

    /// (earlier entries as (entity, command); state of entity 1's last entry; the new edit as
    /// (entity, command); merged?; why)
    type CoalesceCase = (
        Vec<(u128, Command)>,
        Before,
        (u128, Command),
        bool,
        &'static str,
    );

    #[test]
    fn coalescing_rules() {
        use TextField::*;
        // One case per line, so rustfmt keeps off.
        #[rustfmt::skip]
        let cases: Vec<CoalesceCase> = vec![
            (vec![(1, edit(Content, "a", "b"))], Before::Fresh, (1, edit(Content, "b", "c")), true, "same field, last waiting"),
            (vec![(1, edit(Content, "a", "b"))], Before::Sending, (1, edit(Content, "b", "c")), false, "last is sending"),
            (vec![(1, edit(Content, "a", "b"))], Before::SentThenFailed, (1, edit(Content, "b", "c")), false, "last was sent before"),
            (vec![(1, edit(Content, "a", "b"))], Before::Deferred, (1, edit(Content, "b", "c")), false, "last is deferred"),
            (vec![(1, edit(Content, "a", "b"))], Before::Applied, (1, edit(Content, "b", "c")), false, "last is applied"),
            (vec![(1, edit(Content, "a", "b"))], Before::Fresh, (1, edit(Location, "x", "y")), false, "other field"),
            (vec![(1, edit(Content, "a", "b"))], Before::Fresh, (2, edit(Content, "b", "c")), false, "other entity"),
            (vec![(1, accept())], Before::Fresh, (1, edit(Content, "a", "b")), false, "last is not an edit"),
            (vec![(1, edit(Content, "a", "b")), (1, accept())], Before::Fresh, (1, edit(Content, "b", "c")), false, "an edit further back is not the entity's last"),
            (vec![(1, edit(Content, "a", "b")), (2, accept())], Before::Fresh, (1, edit(Content, "b", "c")), true, "another entity in between does not matter"),
        ];
        for (earlier, before, (ent, cmd), merged, why) in cases {
            let mut ob = outbox_with(&earlier);
            let target = ob
                .entries
                .iter()
                .rev()
                .find(|e| e.mutation.entity_id == entity(1))
                .map(|e| e.mutation.mutation_id)
                .unwrap();
            match before {
                Before::Fresh => {}
                Before::Sending => ob.mark_sending(&[target], t(30)),
                Before::SentThenFailed => {
                    ob.mark_sending(&[target], t(30));
                    ob.request_failed(&[target]);
                }
                Before::Deferred => {
                    ob.mark_sending(&[target], t(30));
                    ob.apply_results(&[result(target, deferred())]);
                }
                Before::Applied => {
                    ob.mark_sending(&[target], t(30));
                    ob.apply_results(&[result(target, applied(2))]);
                }
            }
            let snapshot = ob.clone();
            let got = ob.enqueue(id(99), entity(ent), Some(1), t(40), cmd.clone());
            if merged {
                assert_eq!(got, target, "{why}");
                assert_eq!(ob.entries.len(), snapshot.entries.len(), "{why}");
                assert_eq!(ob.next_seq, snapshot.next_seq, "{why}: no seq used");
                let e = ob.get(target).unwrap();
                let before_e = snapshot.get(target).unwrap();
                assert_eq!(e.mutation.seq, before_e.mutation.seq, "{why}");
                assert_eq!(
                    e.mutation.base_version, before_e.mutation.base_version,
                    "{why}"
                );
                assert_eq!(e.mutation.occurred_at, t(40), "{why}");
                assert_eq!(
                    e.mutation.command,
                    edit(Content, "a", "c"),
                    "{why}: earlier base, new value"
                );
            } else {
                assert_eq!(got, id(99), "{why}");
                assert_eq!(ob.entries.len(), snapshot.entries.len() + 1, "{why}");
                assert_eq!(
                    &ob.entries[..snapshot.entries.len()],
                    &snapshot.entries[..],
                    "{why}: earlier entries untouched"
                );
                let last = ob.entries.last().unwrap();
                assert_eq!(last.mutation.seq, snapshot.next_seq, "{why}");
                assert_eq!(last.mutation.command, cmd, "{why}");
            }
        }
    }

    #[test]
    fn next_batch_order_states_and_limit() {
        let mut ob = outbox_with(&[
            (1, accept()),
            (2, accept()),
            (3, accept()),
            (4, accept()),
            (5, accept()),
            (6, accept()),
        ]);
        // 1 applied, 2 sending, 3 deferred, 4 rejected, 5 conflict, 6 waiting.
        ob.mark_sending(&[id(1), id(2), id(3), id(4), id(5)], t(30));
        ob.apply_results(&[
            result(id(1), applied(1)),
            result(id(3), deferred()),
            result(id(4), rejected(RejectCode::InvalidInput)),
            result(id(5), conflict()),
        ]);
        let ids = |b: Vec<Mutation>| b.into_iter().map(|m| m.mutation_id).collect::<Vec<_>>();
        let cases = [
            (10, vec![id(2), id(3), id(6)]),
            (3, vec![id(2), id(3), id(6)]),
            (2, vec![id(2), id(3)]),
            (1, vec![id(2)]),
            (0, vec![]),
        ];
        for (max, want) in cases {
            assert_eq!(ids(ob.next_batch(max)), want, "max {max}");
        }
        assert_eq!(ob.pending_count(), 5);
        assert_eq!(ob.needs_attention(), 2);
    }

    #[test]
    fn mark_sending_only_touches_unsent_entries() {
        let mut ob = outbox_with(&[(1, accept()), (2, accept())]);
        ob.mark_sending(&[id(1)], t(30));
        ob.apply_results(&[result(id(1), applied(3))]);
        ob.mark_sending(&[id(1), id(2), id(77)], t(31));
        assert_eq!(ob.entries[0].state, EntryState::Applied { version: 3 });
        assert_eq!(ob.entries[0].last_attempt_at, Some(t(30)));
        assert_eq!(ob.entries[1].state, EntryState::Sending);
        assert_eq!(ob.entries[1].last_attempt_at, Some(t(31)));
    }

    #[test]
    fn apply_results_state_table() {
        let internal = rejected(RejectCode::Internal);
        let deferred_state = EntryState::Deferred {
            reason: DeferReason::BlobMissing,
            missing_blobs: vec!["ab".into()],
        };
        // (outcome, state after, attempts after)
        let cases = [
            (applied(4), EntryState::Applied { version: 4 }, 0),
            (
                rejected(RejectCode::InvalidInput),
                EntryState::Rejected {
                    code: RejectCode::InvalidInput,
                    message: "no".into(),
                },
                0,
            ),
            (
                conflict(),
                EntryState::Conflict {
                    code: ConflictCode::StatusChanged,
                    message: "moved on".into(),
                    server_version: 9,
                },
                0,
            ),
            (internal, EntryState::Waiting, 1),
            (deferred(), deferred_state, 1),
        ];
        for (outcome, want, attempts) in cases {
            let mut ob = outbox_with(&[(1, accept())]);
            ob.mark_sending(&[id(1)], t(30));
            let results = [result(id(1), outcome.clone()), result(id(50), applied(1))];
            ob.apply_results(&results);
            assert_eq!(ob.entries[0].state, want, "{outcome:?}");
            assert_eq!(ob.entries[0].attempts, attempts, "{outcome:?}");
            let once = ob.clone();
            ob.apply_results(&results);
            assert_eq!(ob, once, "{outcome:?}: applying twice changes nothing more");
        }
    }

    #[test]
    fn final_answers_stick_and_late_passing_answers_are_ignored() {
        let mut ob = outbox_with(&[(1, accept())]);
        ob.mark_sending(&[id(1)], t(30));
        ob.apply_results(&[result(id(1), applied(2))]);
        // A late answer of an older request says deferred: the entry stays applied.
        ob.apply_results(&[result(id(1), deferred()), result(id(1), conflict())]);
        assert_eq!(ob.entries[0].state, EntryState::Applied { version: 2 });

        // A final answer arriving after the request was given up on is still taken.
        let mut ob = outbox_with(&[(1, accept())]);
        ob.mark_sending(&[id(1)], t(30));
        ob.request_failed(&[id(1)]);
        ob.apply_results(&[result(id(1), deferred())]);
        assert_eq!(
            ob.entries[0].state,
            EntryState::Waiting,
            "passing answer, not sending"
        );
        assert_eq!(ob.entries[0].attempts, 1);
        ob.apply_results(&[result(id(1), applied(5))]);
        assert_eq!(ob.entries[0].state, EntryState::Applied { version: 5 });

        // Results without an id are ignored.
        let mut ob = outbox_with(&[(1, accept())]);
        let before = ob.clone();
        ob.apply_results(&[MutationResult {
            mutation_id: None,
            seq: Some(1),
            outcome: applied(1),
        }]);
        assert_eq!(ob, before);
    }

    #[test]
    fn request_failed_returns_sending_to_waiting_once() {
        let mut ob = outbox_with(&[(1, accept()), (2, accept())]);
        ob.mark_sending(&[id(1)], t(30));
        ob.request_failed(&[id(1), id(2)]);
        ob.request_failed(&[id(1), id(2)]);
        assert_eq!(ob.entries[0].state, EntryState::Waiting);
        assert_eq!(ob.entries[0].attempts, 1);
        assert_eq!(ob.entries[1].attempts, 0, "never sent");
    }

    #[test]
    fn prune_applied_removes_only_applied() {
        let mut ob = outbox_with(&[(1, accept()), (2, accept()), (3, accept())]);
        ob.mark_sending(&[id(1), id(2), id(3)], t(30));
        ob.apply_results(&[result(id(1), applied(1)), result(id(3), applied(1))]);
        assert_eq!(ob.prune_applied(), vec![id(1), id(3)]);
        assert_eq!(seqs(&ob), vec![2]);
        assert_eq!(ob.prune_applied(), vec![]);
    }

    /// Puts entry `id(1)` in the state named, with other entries around it.
    fn with_state(state: &str) -> Outbox {
        let mut ob = outbox_with(&[(1, accept()), (2, accept())]);
        let outcome = match state {
            "waiting" => return ob,
            "sending" => {
                ob.mark_sending(&[id(1)], t(30));
                return ob;
            }
            "deferred" => deferred(),
            "applied" => applied(1),
            "rejected" => rejected(RejectCode::Forbidden),
            "conflict" => conflict(),
            other => panic!("unknown state {other}"),
        };
        ob.mark_sending(&[id(1)], t(30));
        ob.apply_results(&[result(id(1), outcome)]);
        ob
    }

    #[test]
    fn discard_rules() {
        let cases = [
            ("waiting", Ok(())),
            ("sending", Err(OutboxError::InFlight)),
            ("deferred", Ok(())),
            ("applied", Err(OutboxError::AlreadyApplied)),
            ("rejected", Ok(())),
            ("conflict", Ok(())),
        ];
        for (state, want) in cases {
            let mut ob = with_state(state);
            let before = ob.clone();
            match (ob.discard(id(1)), want) {
                (Ok(entry), Ok(())) => {
                    assert_eq!(Some(&entry), before.get(id(1)), "{state}");
                    assert_eq!(seqs(&ob), vec![2], "{state}");
                    assert_eq!(
                        ob.next_seq, before.next_seq,
                        "{state}: seqs are never reused"
                    );
                }
                (Err(e), Err(w)) => {
                    assert_eq!(e, w, "{state}");
                    assert_eq!(ob, before, "{state}: refused discard changes nothing");
                }
                (got, want) => panic!("{state}: got {got:?}, want {want:?}"),
            }
        }
        assert_eq!(
            Outbox::new(device()).discard(id(1)),
            Err(OutboxError::NotFound)
        );
    }

    #[test]
    fn retry_rules() {
        let cases = [
            ("waiting", false),
            ("sending", false),
            ("deferred", false),
            ("applied", false),
            ("rejected", true),
            ("conflict", true),
        ];
        for (state, allowed) in cases {
            let mut ob = with_state(state);
            let before = ob.clone();
            let got = ob.retry(id(1), id(9));
            if !allowed {
                assert_eq!(got, Err(OutboxError::NotRetryable), "{state}");
                assert_eq!(ob, before, "{state}");
                continue;
            }
            assert_eq!(got, Ok(id(9)), "{state}");
            let old = before.get(id(1)).unwrap();
            assert!(ob.get(id(1)).is_none(), "{state}: old entry removed");
            assert_eq!(seqs(&ob), vec![2, 3], "{state}");
            assert_eq!(ob.next_seq, 4, "{state}");
            let new = ob.entries.last().unwrap();
            assert_eq!(new.mutation.mutation_id, id(9));
            assert_eq!(new.mutation.command, old.mutation.command);
            assert_eq!(new.mutation.entity_id, old.mutation.entity_id);
            assert_eq!(new.mutation.base_version, old.mutation.base_version);
            assert_eq!(
                new.mutation.occurred_at, old.mutation.occurred_at,
                "occurred_at kept"
            );
            assert_eq!(new.state, EntryState::Waiting);
            assert_eq!(new.attempts, 0);
            assert_eq!(new.last_attempt_at, None);
            assert_eq!(ob.needs_attention(), 0);
        }
        assert_eq!(
            Outbox::new(device()).retry(id(1), id(2)),
            Err(OutboxError::NotFound)
        );
    }

    #[test]
    fn badge_counts() {
        let cases = [
            ("waiting", 2, 0),
            ("sending", 2, 0),
            ("deferred", 2, 0),
            ("applied", 1, 0),
            ("rejected", 2, 1),
            ("conflict", 2, 1),
        ];
        for (state, pending, attention) in cases {
            let ob = with_state(state);
            assert_eq!(ob.pending_count(), pending, "{state}");
            assert_eq!(ob.needs_attention(), attention, "{state}");
        }
    }
}
