//! Offline sync under faults: random histories drive the real device [`Outbox`] on 1–3 devices
//! and the real [`process_push`] on an in-memory model server, with crashes, lost and duplicated
//! requests, lost replies, reordering and restarts. After every step the cheap invariants are
//! checked; at the end the network heals, every photo gets uploaded, the devices drain their
//! outboxes, and the whole history is checked:
//!
//! - every committed mutation has exactly one recorded result on the server;
//! - the effect log holds each applied mutation exactly once, and nothing never committed;
//! - per device, effects happen in increasing seq order;
//! - what each device shows agrees with what the server recorded;
//! - no device has anything left to send.
//!
//! A history is a plain `Vec<Step>` whose indices are taken modulo what exists when the step
//! runs, so every generated history is valid and shrinks well; this needs no
//! `proptest-state-machine` (and no new dependency in the lock file).
//!
//! `SYNC_PROPTEST_CASES` sets the number of histories (default 100 000), shared among the
//! cores.

#![allow(clippy::unwrap_used)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use domain::ids::{DeviceId, MutationId, SiteId};
use domain::sync::outbox::{EntryState, Outbox};
use domain::sync::push::{parse_incoming, process_push, DeviceLedger, Recorded};
use domain::sync::wire::{
    BlobRef, Command, ConflictCode, Mutation, MutationResult, Outcome, RejectCode, MAX_BATCH,
};
use domain::work_orders::{
    Channel, NewRepairRequest, RepairKind, TextField, Timing, WorkOrderCommand,
};
use proptest::prelude::*;
use proptest::test_runner::{RngAlgorithm, TestCaseError, TestRunner};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

const MAX_DEVICES: usize = 3;
const ENTITIES: u8 = 3;
const BLOBS: u8 = 3;
/// Text values of an edit; the model server refuses "bad", answers "clash" with a conflict and
/// fails "flaky" once with a passing `internal` error before applying it.
const VALUES: [&str; 6] = ["甲", "乙", "丙", "bad", "clash", "flaky"];

// ---------------------------------------------------------------------------------------------
// The history.

#[derive(Debug, Clone, Copy)]
enum Cmd {
    /// A create naming the photos whose bits are set in the mask.
    Create {
        photos: u8,
    },
    Accept,
    Arrive,
    Edit {
        location: bool,
        value: u8,
    },
}

/// What happens after the server decides a request.
#[derive(Debug, Clone, Copy)]
enum Reply {
    /// Committed, and the answer travels back.
    Answered,
    /// Committed, but the answer is lost (or the server died between commit and reply).
    Lost,
    /// The server died before committing: nothing persisted, no answer.
    CrashBeforeCommit,
}

#[derive(Debug, Clone, Copy)]
enum Step {
    /// The user makes a change; it is written to the outbox.
    Enqueue { device: u8, entity: u8, cmd: Cmd },
    /// The user makes a change but the device dies before the write lands: the change was
    /// never shown as saved, and the device restarts.
    CrashMidWrite { device: u8 },
    /// A photo finishes uploading.
    Upload { blob: u8 },
    /// The device sends its next batch (at most `max` mutations).
    Send { device: u8, max: u8 },
    /// The network loses a request on the way.
    DropRequest { request: u8 },
    /// A request (any of those in flight: reordering) reaches the server.
    Deliver { request: u8, reply: Reply },
    /// A copy of a request reaches the server (a proxy retried it); the original stays in
    /// flight, and the copy's answer goes nowhere.
    Duplicate { request: u8 },
    /// An answer (any of those in flight) reaches its device.
    Receive { response: u8 },
    /// The device gives up waiting for one of its requests.
    Timeout { device: u8, which: u8 },
    /// The app is killed and started again: what was in memory is gone, the outbox stays.
    Restart { device: u8 },
    /// The user discards an entry after confirming.
    Discard { device: u8, entry: u8 },
    /// The user retries an entry that needs attention.
    Retry { device: u8, entry: u8 },
}

fn cmd_strategy() -> impl Strategy<Value = Cmd> {
    prop_oneof![
        1 => (0..(1u8 << BLOBS)).prop_map(|photos| Cmd::Create { photos }),
        1 => Just(Cmd::Accept),
        1 => Just(Cmd::Arrive),
        4 => (any::<bool>(), 0..VALUES.len() as u8)
            .prop_map(|(location, value)| Cmd::Edit { location, value }),
    ]
}

fn step_strategy() -> impl Strategy<Value = Step> {
    let device = || 0..MAX_DEVICES as u8;
    let reply = prop_oneof![
        3 => Just(Reply::Answered),
        1 => Just(Reply::Lost),
        1 => Just(Reply::CrashBeforeCommit),
    ];
    prop_oneof![
        8 => (device(), 0..ENTITIES, cmd_strategy())
            .prop_map(|(device, entity, cmd)| Step::Enqueue { device, entity, cmd }),
        1 => device().prop_map(|device| Step::CrashMidWrite { device }),
        2 => (0..BLOBS).prop_map(|blob| Step::Upload { blob }),
        5 => (device(), 1..5u8).prop_map(|(device, max)| Step::Send { device, max }),
        1 => any::<u8>().prop_map(|request| Step::DropRequest { request }),
        5 => (any::<u8>(), reply).prop_map(|(request, reply)| Step::Deliver { request, reply }),
        1 => any::<u8>().prop_map(|request| Step::Duplicate { request }),
        4 => any::<u8>().prop_map(|response| Step::Receive { response }),
        1 => (device(), any::<u8>()).prop_map(|(device, which)| Step::Timeout { device, which }),
        1 => device().prop_map(|device| Step::Restart { device }),
        1 => (device(), any::<u8>()).prop_map(|(device, entry)| Step::Discard { device, entry }),
        2 => (device(), any::<u8>()).prop_map(|(device, entry)| Step::Retry { device, entry }),
    ]
}

fn history_strategy() -> impl Strategy<Value = (usize, Vec<Step>)> {
    (
        1..=MAX_DEVICES,
        prop::collection::vec(step_strategy(), 0..40),
    )
}

// ---------------------------------------------------------------------------------------------
// The model server.

/// One applied mutation, in the order the server applied them.
#[derive(Debug, Clone, Copy)]
struct Effect {
    id: MutationId,
    device: DeviceId,
    seq: u64,
}

#[derive(Default)]
struct Server {
    ledgers: HashMap<DeviceId, DeviceLedger>,
    recorded: HashMap<MutationId, Recorded>,
    blobs: HashSet<String>,
    effects: Vec<Effect>,
    effect_ids: HashSet<MutationId>,
    /// Record versions by entity.
    versions: HashMap<Uuid, i64>,
    /// Mutations whose one passing failure already happened (outside any transaction: the
    /// failure is the environment's, not the data's).
    flaked: HashSet<MutationId>,
}

/// The model's rule for one mutation: what the server's `apply` would answer, and whether it
/// changed anything.
fn model_apply(
    m: &Mutation,
    versions: &mut HashMap<Uuid, i64>,
    flaked: &mut HashSet<MutationId>,
) -> Outcome {
    let value = match &m.command {
        Command::WorkOrder(WorkOrderCommand::EditText { value, .. }) => value.as_str(),
        _ => "",
    };
    let version = versions.entry(m.entity_id).or_insert(0);
    match value {
        "bad" => Outcome::Rejected {
            code: RejectCode::InvalidInput,
            message: "content: bad".into(),
        },
        "clash" => Outcome::Conflict {
            code: ConflictCode::TextConflict,
            message: "both changed it".into(),
            server_version: *version,
            current: None,
        },
        "flaky" if flaked.insert(m.mutation_id) => Outcome::Rejected {
            code: RejectCode::Internal,
            message: "try again".into(),
        },
        _ => {
            *version += 1;
            Outcome::Applied { version: *version }
        }
    }
}

impl Server {
    /// Runs one push request: `process_push` on a working copy, then (unless the server dies
    /// first) persists ledger, results and effects together, as the real server's transaction
    /// does. Checks on the way that nothing is recorded or applied twice.
    fn push(
        &mut self,
        device: DeviceId,
        raw: &[serde_json::Value],
        commit: bool,
    ) -> Result<Vec<MutationResult>, TestCaseError> {
        let mut ledger = self.ledgers.get(&device).copied().unwrap_or_default();
        let incoming = raw.iter().map(parse_incoming).collect();
        let mut versions = self.versions.clone();
        let mut new_effects = Vec::new();
        let blobs = &self.blobs;
        let flaked = &mut self.flaked;
        let out = process_push(
            device,
            &mut ledger,
            incoming,
            &self.recorded,
            |m| {
                m.command
                    .blobs()
                    .into_iter()
                    .map(|b| b.sha256)
                    .filter(|h| !blobs.contains(h))
                    .collect()
            },
            |m| {
                let outcome = model_apply(m, &mut versions, flaked);
                if matches!(outcome, Outcome::Applied { .. }) {
                    new_effects.push(Effect {
                        id: m.mutation_id,
                        device: m.device_id,
                        seq: m.seq,
                    });
                }
                outcome
            },
        );
        if !commit {
            return Ok(out.results);
        }
        self.ledgers.insert(device, ledger);
        self.versions = versions;
        for r in out.to_record {
            prop_assert_eq!(r.device_id, device);
            prop_assert!(
                !self.recorded.contains_key(&r.mutation_id),
                "{:?} recorded a second time",
                r.mutation_id
            );
            self.recorded.insert(r.mutation_id, r);
        }
        for e in new_effects {
            prop_assert!(self.effect_ids.insert(e.id), "{:?} applied twice", e.id);
            let last = self
                .effects
                .iter()
                .rev()
                .find(|x| x.device == e.device)
                .map_or(0, |x| x.seq);
            prop_assert!(
                e.seq > last,
                "{:?}: seq {} applied after seq {}",
                e.device,
                e.seq,
                last
            );
            prop_assert!(
                matches!(
                    self.recorded.get(&e.id).map(|r| &r.outcome),
                    Some(Outcome::Applied { .. })
                ),
                "{:?} applied but not recorded as applied",
                e.id
            );
            self.effects.push(e);
        }
        Ok(out.results)
    }
}

// ---------------------------------------------------------------------------------------------
// Devices and the network.

struct Device {
    id: DeviceId,
    /// Durable: the outbox as IndexedDB holds it.
    outbox: Outbox,
    /// Volatile: requests this run of the app is waiting on (token, ids sent).
    waiting: Vec<(u64, Vec<MutationId>)>,
}

struct Request {
    token: u64,
    device: usize,
    raw: Vec<serde_json::Value>,
}

struct Response {
    token: u64,
    device: usize,
    results: Vec<MutationResult>,
}

/// Where each mutation id the devices ever made ended up.
#[derive(Default)]
struct Fates {
    /// In an outbox (or pruned after it was applied): must get exactly one recorded result.
    committed: HashSet<MutationId>,
    /// Discarded by the user: may or may not have reached the server, but at most once.
    discarded: HashSet<MutationId>,
    /// Lost in a crash before the write: must never reach the server.
    never_saved: HashSet<MutationId>,
}

struct World {
    server: Server,
    devices: Vec<Device>,
    requests: Vec<Request>,
    responses: Vec<Response>,
    fates: Fates,
    next_id: u128,
    next_token: u64,
    now: DateTime<Utc>,
}

fn blob(i: u8) -> BlobRef {
    BlobRef {
        sha256: format!("{:064x}", u32::from(i) + 1),
        size: 1024,
        content_type: "image/jpeg".into(),
    }
}

fn entity(i: u8) -> Uuid {
    Uuid::from_u128(0xe000 + u128::from(i))
}

fn command(cmd: Cmd) -> Command {
    Command::WorkOrder(match cmd {
        Cmd::Create { photos } => WorkOrderCommand::Create(NewRepairRequest {
            site_id: SiteId::from_uuid(Uuid::from_u128(0x5)),
            unit_id: None,
            common_area: true,
            location: "1栋大堂".into(),
            channel: Channel::Field,
            kind: RepairKind::Daily,
            reporter_name: "巡检".into(),
            reporter_phone: "13800000000".into(),
            content: "灯不亮".into(),
            timing: Timing::Immediate,
            photos: (0..BLOBS)
                .filter(|b| photos & (1 << b) != 0)
                .map(blob)
                .collect(),
            contacted_at: None,
            matched: Default::default(),
            leak: false,
            second_repair_reported: false,
            patrol_source: None,
        }),
        Cmd::Accept => WorkOrderCommand::Accept,
        Cmd::Arrive => WorkOrderCommand::Arrive,
        Cmd::Edit { location, value } => WorkOrderCommand::EditText {
            field: if location {
                TextField::Location
            } else {
                TextField::Content
            },
            base: String::new(),
            value: VALUES[usize::from(value) % VALUES.len()].into(),
        },
    })
}

/// The state a device should show for a recorded outcome.
fn shown_as(outcome: &Outcome) -> Option<EntryState> {
    match outcome {
        Outcome::Applied { version } => Some(EntryState::Applied { version: *version }),
        Outcome::Rejected { code, message } => Some(EntryState::Rejected {
            code: *code,
            message: message.clone(),
        }),
        Outcome::Conflict {
            code,
            message,
            server_version,
            ..
        } => Some(EntryState::Conflict {
            code: *code,
            message: message.clone(),
            server_version: *server_version,
        }),
        Outcome::Deferred { .. } => None,
    }
}

impl World {
    fn new(devices: usize) -> Self {
        World {
            server: Server::default(),
            devices: (0..devices)
                .map(|i| {
                    let id = DeviceId::from_uuid(Uuid::from_u128(0xd000 + i as u128));
                    Device {
                        id,
                        outbox: Outbox::new(id),
                        waiting: Vec::new(),
                    }
                })
                .collect(),
            requests: Vec::new(),
            responses: Vec::new(),
            fates: Fates::default(),
            next_id: 1,
            next_token: 1,
            now: Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap(),
        }
    }

    fn fresh_id(&mut self) -> MutationId {
        self.next_id += 1;
        MutationId::from_uuid(Uuid::from_u128(
            0x0193_0000_0000_7000_8000_0000_0000_0000 | self.next_id,
        ))
    }

    fn device(&self, d: u8) -> usize {
        usize::from(d) % self.devices.len()
    }

    fn step(&mut self, step: Step) -> Result<(), TestCaseError> {
        self.now += Duration::seconds(7);
        match step {
            Step::Enqueue {
                device,
                entity: e,
                cmd,
            } => {
                let d = self.device(device);
                let new_id = self.fresh_id();
                let base = match cmd {
                    Cmd::Create { .. } => None,
                    _ => Some(1),
                };
                let held =
                    self.devices[d]
                        .outbox
                        .enqueue(new_id, entity(e), base, self.now, command(cmd));
                self.fates.committed.insert(held);
            }
            Step::CrashMidWrite { device } => {
                let d = self.device(device);
                let lost = self.fresh_id();
                self.fates.never_saved.insert(lost);
                self.devices[d].waiting.clear();
            }
            Step::Upload { blob: b } => {
                self.server.blobs.insert(blob(b).sha256);
            }
            Step::Send { device, max } => self.send(self.device(device), usize::from(max)),
            Step::DropRequest { request } => {
                if !self.requests.is_empty() {
                    let i = usize::from(request) % self.requests.len();
                    self.requests.remove(i);
                }
            }
            Step::Deliver { request, reply } => {
                if !self.requests.is_empty() {
                    let i = usize::from(request) % self.requests.len();
                    let req = self.requests.remove(i);
                    self.deliver(req, reply)?;
                }
            }
            Step::Duplicate { request } => {
                if !self.requests.is_empty() {
                    let i = usize::from(request) % self.requests.len();
                    let req = &self.requests[i];
                    let device = self.devices[req.device].id;
                    let raw = req.raw.clone();
                    self.server.push(device, &raw, true)?;
                }
            }
            Step::Receive { response } => {
                if !self.responses.is_empty() {
                    let i = usize::from(response) % self.responses.len();
                    let resp = self.responses.remove(i);
                    self.receive(resp)?;
                }
            }
            Step::Timeout { device, which } => {
                let d = self.device(device);
                let dev = &mut self.devices[d];
                if !dev.waiting.is_empty() {
                    let (_, ids) = dev.waiting.remove(usize::from(which) % dev.waiting.len());
                    dev.outbox.request_failed(&ids);
                }
            }
            Step::Restart { device } => {
                let d = self.device(device);
                self.devices[d].waiting.clear();
            }
            Step::Discard { device, entry } => {
                let d = self.device(device);
                let ob = &mut self.devices[d].outbox;
                if !ob.entries.is_empty() {
                    let before = ob.clone();
                    let id = ob.entries[usize::from(entry) % ob.entries.len()]
                        .mutation
                        .mutation_id;
                    match ob.discard(id) {
                        Ok(gone) => {
                            prop_assert_eq!(gone.mutation.mutation_id, id);
                            self.fates.committed.remove(&id);
                            self.fates.discarded.insert(id);
                        }
                        Err(_) => {
                            prop_assert!(*ob == before, "a refused discard changed the outbox")
                        }
                    }
                }
            }
            Step::Retry { device, entry } => {
                let d = self.device(device);
                let new_id = self.fresh_id();
                let ob = &mut self.devices[d].outbox;
                let attention: Vec<MutationId> = ob
                    .entries
                    .iter()
                    .filter(|e| e.state.needs_attention())
                    .map(|e| e.mutation.mutation_id)
                    .collect();
                if !attention.is_empty() {
                    let old = attention[usize::from(entry) % attention.len()];
                    let got = ob.retry(old, new_id);
                    prop_assert_eq!(got, Ok(new_id));
                    // The old id keeps its recorded answer; the new one needs its own.
                    self.fates.committed.insert(new_id);
                }
            }
        }
        self.check_devices()
    }

    fn send(&mut self, d: usize, max: usize) {
        let dev = &mut self.devices[d];
        let batch = dev.outbox.next_batch(max);
        if batch.is_empty() {
            return;
        }
        let ids: Vec<MutationId> = batch.iter().map(|m| m.mutation_id).collect();
        dev.outbox.mark_sending(&ids, self.now);
        let raw = batch
            .iter()
            .map(|m| serde_json::to_value(m).unwrap())
            .collect();
        let token = self.next_token;
        self.next_token += 1;
        dev.waiting.push((token, ids));
        self.requests.push(Request {
            token,
            device: d,
            raw,
        });
    }

    fn deliver(&mut self, req: Request, reply: Reply) -> Result<(), TestCaseError> {
        let device = self.devices[req.device].id;
        let commit = !matches!(reply, Reply::CrashBeforeCommit);
        let results = self.server.push(device, &req.raw, commit)?;
        if matches!(reply, Reply::Answered) {
            self.responses.push(Response {
                token: req.token,
                device: req.device,
                results,
            });
        }
        Ok(())
    }

    /// An answer reaches its device; only the run of the app that sent it is listening.
    fn receive(&mut self, resp: Response) -> Result<(), TestCaseError> {
        let dev = &mut self.devices[resp.device];
        let Some(pos) = dev.waiting.iter().position(|(t, _)| *t == resp.token) else {
            return Ok(());
        };
        dev.waiting.remove(pos);
        dev.outbox.apply_results(&resp.results);
        let once = dev.outbox.clone();
        dev.outbox.apply_results(&resp.results);
        prop_assert!(dev.outbox == once, "apply_results is not idempotent");
        // What the device is about to forget must be what the server holds.
        self.check_devices()?;
        let dev = &mut self.devices[resp.device];
        for id in dev.outbox.prune_applied() {
            prop_assert!(
                self.fates.committed.contains(&id),
                "pruned an unknown {:?}",
                id
            );
        }
        Ok(())
    }

    /// Cheap invariants, after every step: each outbox is well formed, and every entry in a
    /// final state shows exactly what the server recorded for it.
    fn check_devices(&self) -> Result<(), TestCaseError> {
        for dev in &self.devices {
            let ob = &dev.outbox;
            let mut last_seq = 0;
            for e in &ob.entries {
                let m = &e.mutation;
                prop_assert!(m.seq > last_seq && m.seq < ob.next_seq, "seq order broken");
                last_seq = m.seq;
                prop_assert_eq!(m.device_id, dev.id);
                prop_assert!(
                    self.fates.committed.contains(&m.mutation_id),
                    "an outbox holds an uncommitted {:?}",
                    m.mutation_id
                );
                if e.state.is_final() {
                    let recorded = self.server.recorded.get(&m.mutation_id);
                    prop_assert!(
                        recorded.and_then(|r| shown_as(&r.outcome)).as_ref() == Some(&e.state),
                        "{:?} shows {:?} but the server recorded {:?}",
                        m.mutation_id,
                        e.state,
                        recorded.map(|r| &r.outcome)
                    );
                }
            }
        }
        Ok(())
    }

    /// The network heals and every photo arrives; then each device sends until it has
    /// nothing left to send.
    fn drain(&mut self) -> Result<(), TestCaseError> {
        for b in 0..BLOBS {
            self.server.blobs.insert(blob(b).sha256);
        }
        for req in std::mem::take(&mut self.requests) {
            self.deliver(req, Reply::Answered)?;
        }
        for resp in std::mem::take(&mut self.responses) {
            self.receive(resp)?;
        }
        // Requests whose answer was lost time out.
        for dev in &mut self.devices {
            for (_, ids) in std::mem::take(&mut dev.waiting) {
                dev.outbox.request_failed(&ids);
            }
        }
        self.check_devices()?;
        // Each round settles at least the first unsent entry of each device (a "flaky" one
        // may need a second round), so this bound is generous.
        let bound = 2 * self.fates.committed.len() + 2;
        for _ in 0..bound {
            let mut busy = false;
            for d in 0..self.devices.len() {
                if !self.devices[d].outbox.has_unsettled() {
                    continue;
                }
                busy = true;
                self.now += Duration::seconds(1);
                self.send(d, MAX_BATCH);
                let req = self.requests.pop().unwrap();
                self.deliver(req, Reply::Answered)?;
                let resp = self.responses.pop().unwrap();
                self.receive(resp)?;
            }
            if !busy {
                break;
            }
        }
        for dev in &self.devices {
            prop_assert!(
                !dev.outbox.has_unsettled(),
                "{:?} still has work after the drain: {:?}",
                dev.id,
                dev.outbox.entries
            );
        }
        Ok(())
    }

    /// The whole-history invariants, after the drain.
    fn check_final(&self) -> Result<(), TestCaseError> {
        let server = &self.server;
        for id in &self.fates.committed {
            prop_assert!(
                server.recorded.contains_key(id),
                "committed {:?} has no recorded result",
                id
            );
        }
        let ever_saved = |id: &MutationId| {
            self.fates.committed.contains(id) || self.fates.discarded.contains(id)
        };
        for (id, r) in &server.recorded {
            prop_assert!(ever_saved(id), "recorded {:?} was never saved", id);
            prop_assert!(!self.fates.never_saved.contains(id));
            let applied = matches!(r.outcome, Outcome::Applied { .. });
            prop_assert_eq!(
                applied,
                server.effect_ids.contains(id),
                "{:?}: recorded {:?} but applied {} times",
                id,
                &r.outcome,
                usize::from(server.effect_ids.contains(id))
            );
        }
        prop_assert_eq!(server.effects.len(), server.effect_ids.len());
        for e in &server.effects {
            prop_assert!(ever_saved(&e.id), "effect of never-saved {:?}", e.id);
        }
        // Every committed mutation is either still shown (final) or was pruned as applied.
        for dev in &self.devices {
            for e in &dev.outbox.entries {
                prop_assert!(e.state.is_final());
            }
            let pending = dev.outbox.pending_count();
            prop_assert_eq!(pending, dev.outbox.needs_attention());
        }
        Ok(())
    }
}

fn run_history(devices: usize, steps: &[Step]) -> Result<(), TestCaseError> {
    let mut world = World::new(devices);
    for &step in steps {
        world.step(step)?;
    }
    world.drain()?;
    world.check_final()
}

fn cases() -> u32 {
    std::env::var("SYNC_PROPTEST_CASES")
        .ok()
        .and_then(|s| s.trim().replace('_', "").parse().ok())
        .unwrap_or(100_000)
}

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        // Nothing is written into the repository; a failure prints its minimal history.
        failure_persistence: None,
        // ChaCha, the default, takes most of the run time unoptimised (the test profile);
        // XorShift is ample for choosing histories.
        rng_algorithm: RngAlgorithm::XorShift,
        ..ProptestConfig::default()
    }
}

/// The cases are shared among one runner per core (what `proptest!` would do on one thread),
/// so the default 10^5 histories stay quick in the unoptimised test profile.
#[test]
fn offline_sync_is_exactly_once_and_in_order() {
    let total = cases();
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8) as u32;
    let threads = threads.min(total).max(1);
    let failures: Vec<String> = std::thread::scope(|s| {
        let runners: Vec<_> = (0..threads)
            .map(|i| {
                let share = total / threads + u32::from(i < total % threads);
                s.spawn(move || {
                    TestRunner::new(config(share))
                        .run(&history_strategy(), |(devices, steps)| {
                            run_history(devices, &steps)
                        })
                        .err()
                        .map(|e| e.to_string())
                })
            })
            .collect();
        runners
            .into_iter()
            .filter_map(|r| r.join().unwrap())
            .collect()
    });
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// A fixed history through the nastiest path, so a regression shows without luck: a reply
/// lost after commit, a restart, a duplicate, a zombie request delivered late, a missing
/// photo, a flaky failure, a refusal and a retry.
#[test]
fn hand_written_history() {
    use Step::*;
    let edit = |value| Cmd::Edit {
        location: false,
        value,
    };
    let steps = [
        Enqueue {
            device: 0,
            entity: 0,
            cmd: Cmd::Create { photos: 0b001 },
        },
        Enqueue {
            device: 0,
            entity: 0,
            cmd: edit(0),
        },
        Enqueue {
            device: 0,
            entity: 0,
            cmd: edit(1),
        }, // coalesces into the previous edit
        Enqueue {
            device: 0,
            entity: 1,
            cmd: edit(5),
        }, // flaky
        Enqueue {
            device: 0,
            entity: 2,
            cmd: edit(3),
        }, // bad
        Send { device: 0, max: 4 },
        Deliver {
            request: 0,
            reply: Reply::Answered,
        }, // all deferred: photo missing
        Receive { response: 0 },
        Upload { blob: 0 },
        Send { device: 0, max: 4 },
        Duplicate { request: 0 },
        Deliver {
            request: 0,
            reply: Reply::Lost,
        },
        Restart { device: 0 },
        Send { device: 0, max: 4 },
        Send { device: 0, max: 4 },
        Deliver {
            request: 1,
            reply: Reply::Answered,
        },
        Receive { response: 0 },
        Deliver {
            request: 0,
            reply: Reply::CrashBeforeCommit,
        },
        Retry {
            device: 0,
            entry: 0,
        },
        CrashMidWrite { device: 0 },
    ];
    run_history(1, &steps).unwrap();
}
