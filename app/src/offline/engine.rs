//! The sync engine (browser only): one per page, owning the store. It pushes the outbox in
//! batches, then pulls, uploading photos first; it runs at start, when the network returns,
//! on a timer, when the service worker wakes it and on "sync now", and backs off with jitter
//! after a failure. A permanent refusal stays in the outbox, shown, until the user acts.

use super::store::{
    Store, StoredPass, StoredRecord, StoredRound, RECORDS_SCHEMA, RECORDS_SCHEMA_KEY,
};
use super::SyncStatus;
use crate::i18n::Msg;
use chrono::{DateTime, Utc};
use domain::care::complaint::{IntakeCommand, IntakeRefusal};
use domain::ids::{MutationId, RoundId, WorkOrderId};
use domain::patrol::round::{apply_round, Round, RoundCommand, RoundError};
use domain::release::pass::{apply_pass, Pass, PassCommand, ReleaseError};
use domain::session::StaffProfile;
use domain::sync::backoff::retry_delay_ms;
use domain::sync::outbox::{EntryState, OutboxEntry};
use domain::sync::reference::ReferenceData;
use domain::sync::wire::{
    BlobRef, Command, Outcome, PullResponse, PushRequest, PushResponse, Record, PROTOCOL_VERSION,
};
use domain::visits::record::{QueuedVisitRefusal, VisitCommand};
use domain::work_orders::{self, Actor, WorkOrder, WorkOrderCommand, WorkOrderError};
use futures::lock::Mutex;
use gloo_net::http::Request;
use leptos::prelude::*;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use uuid::Uuid;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

const BATCH: usize = 50;
const CHUNK: usize = 256 * 1024;
const IDLE_SYNC_MS: i32 = 120_000;
const BUSY_SYNC_MS: i32 = 15_000;
const REFERENCE_MAX_AGE_HOURS: i64 = 6;

pub struct Engine {
    /// Locked only around store operations, never across a network request.
    store: Mutex<Store>,
    profile: StaffProfile,
    status: SyncStatus,
    running: Cell<bool>,
    again: Cell<bool>,
    failures: Cell<u32>,
    next_retry_at: Cell<f64>,
}

thread_local! {
    static ENGINE: RefCell<Option<Rc<Engine>>> = const { RefCell::new(None) };
}

pub fn engine() -> Option<Rc<Engine>> {
    ENGINE.with(|e| e.borrow().clone())
}

fn now() -> DateTime<Utc> {
    DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
}

/// Why a sync round stopped early.
#[derive(Debug)]
enum Stop {
    Network,
    Unauthenticated,
    Server(u16),
    Local(String),
}

impl Stop {
    fn code(&self) -> String {
        match self {
            Stop::Network => "network".into(),
            Stop::Unauthenticated => "unauthenticated".into(),
            Stop::Server(s) => format!("server_{s}"),
            Stop::Local(_) => "local_storage".into(),
        }
    }
}

/// Opens the store for the signed-in user and starts syncing. Idempotent.
pub async fn start(profile: StaffProfile, status: SyncStatus) -> Result<Rc<Engine>, String> {
    if let Some(e) = engine() {
        return Ok(e);
    }
    let store = Store::open(profile.staff_id).await?;
    let e = Rc::new(Engine {
        store: Mutex::new(store),
        profile,
        status,
        running: Cell::new(false),
        again: Cell::new(false),
        failures: Cell::new(0),
        next_retry_at: Cell::new(0.0),
    });
    if let Ok(Some(t)) = e.store.lock().await.meta("last_sync").await {
        status.last_sync.set(Some(t));
    }
    ENGINE.with(|slot| *slot.borrow_mut() = Some(e.clone()));
    e.publish().await;
    install_triggers();
    e.clone().kick();
    Ok(e)
}

fn install_triggers() {
    let Some(w) = web_sys::window() else { return };
    let on_online = Closure::<dyn Fn()>::new(|| {
        if let Some(e) = engine() {
            e.failures.set(0);
            e.next_retry_at.set(0.0);
            e.kick();
        }
    });
    let _ = w.add_event_listener_with_callback("online", on_online.as_ref().unchecked_ref());
    on_online.forget();
    let tick = Closure::<dyn Fn()>::new(|| {
        if let Some(e) = engine() {
            let busy = e.status.pending.get_untracked().unwrap_or(0) > 0;
            let due = js_sys::Date::now() >= e.next_retry_at.get();
            if due
                && (busy || js_sys::Date::now() % f64::from(IDLE_SYNC_MS) < f64::from(BUSY_SYNC_MS))
            {
                e.kick();
            }
        }
    });
    let _ = w.set_interval_with_callback_and_timeout_and_arguments_0(
        tick.as_ref().unchecked_ref(),
        BUSY_SYNC_MS,
    );
    tick.forget();
    // The service worker's Background Sync wakes us.
    let on_msg = Closure::<dyn Fn(web_sys::MessageEvent)>::new(|ev: web_sys::MessageEvent| {
        if ev.data().as_string().as_deref() == Some("wake-sync") {
            if let Some(e) = engine() {
                e.kick();
            }
        }
    });
    let _ = w
        .navigator()
        .service_worker()
        .add_event_listener_with_callback("message", on_msg.as_ref().unchecked_ref());
    on_msg.forget();
}

impl Engine {
    pub fn status(&self) -> SyncStatus {
        self.status
    }

    async fn publish(&self) {
        let s = self.store.lock().await;
        self.status.pending.set(Some(s.outbox.pending_count()));
        self.status.attention.set(s.outbox.needs_attention());
    }

    async fn changed(&self) {
        self.publish().await;
        self.status.data_version.update(|v| *v += 1);
    }

    /// Starts a sync round unless one runs (then one more follows it).
    pub fn kick(self: Rc<Self>) {
        if self.running.get() {
            self.again.set(true);
            return;
        }
        leptos::task::spawn_local(async move { self.run().await });
    }

    /// "Sync now": also forgets the backoff.
    pub fn sync_now(self: Rc<Self>) {
        self.failures.set(0);
        self.next_retry_at.set(0.0);
        self.kick();
    }

    async fn run(self: Rc<Self>) {
        self.running.set(true);
        self.status.syncing.set(true);
        loop {
            self.again.set(false);
            match self.round().await {
                Ok(()) => {
                    self.failures.set(0);
                    self.status.last_error.set(None);
                    let t = now().to_rfc3339();
                    let _ = self.store.lock().await.set_meta("last_sync", &t).await;
                    self.status.last_sync.set(Some(t));
                }
                Err(stop) => {
                    let n = self.failures.get();
                    self.failures.set(n + 1);
                    let delay = retry_delay_ms(n, js_sys::Math::random());
                    self.next_retry_at.set(js_sys::Date::now() + delay as f64);
                    self.status.last_error.set(Some(stop.code()));
                    if let Stop::Local(e) = &stop {
                        leptos::logging::warn!("sync stopped: {e}");
                    }
                    break;
                }
            }
            if !self.again.get() {
                break;
            }
        }
        self.changed().await;
        self.status.syncing.set(false);
        self.running.set(false);
    }

    async fn round(&self) -> Result<(), Stop> {
        self.upload_blobs().await?;
        self.push_all().await?;
        self.pull().await?;
        self.refresh_reference().await
    }

    async fn upload_blobs(&self) -> Result<(), Stop> {
        let pending = self
            .store
            .lock()
            .await
            .pending_blobs()
            .await
            .map_err(Stop::Local)?;
        for b in pending {
            let sha = b.blob.sha256.clone();
            let Some((bytes, ct)) = self
                .store
                .lock()
                .await
                .blob_bytes(&sha)
                .await
                .map_err(Stop::Local)?
            else {
                continue;
            };
            let status = Request::get(&format!("/api/sync/v1/blobs/{sha}/status"))
                .send()
                .await
                .map_err(|_| Stop::Network)?;
            check(status.status())?;
            let v: serde_json::Value = status.json().await.map_err(|_| Stop::Server(502))?;
            let mut offset = v["received"].as_u64().unwrap_or(0) as usize;
            let mut complete = v["complete"].as_bool().unwrap_or(false);
            while !complete && offset < bytes.len() {
                let end = (offset + CHUNK).min(bytes.len());
                let chunk = js_sys::Uint8Array::from(&bytes[offset..end]);
                let resp = Request::put(&format!("/api/sync/v1/blobs/{sha}"))
                    .header(
                        "content-range",
                        &format!("bytes {}-{}/{}", offset, end - 1, bytes.len()),
                    )
                    .header("x-blob-type", &ct)
                    .body(chunk)
                    .map_err(|_| Stop::Local("body".into()))?
                    .send()
                    .await
                    .map_err(|_| Stop::Network)?;
                let code = resp.status();
                let v: serde_json::Value = resp.json().await.unwrap_or_default();
                match code {
                    200 => {
                        offset = v["received"].as_u64().unwrap_or(end as u64) as usize;
                        complete = v["complete"].as_bool().unwrap_or(false);
                    }
                    // The server has a different amount (an earlier request landed): resume there.
                    409 => offset = v["received"].as_u64().unwrap_or(0) as usize,
                    other => {
                        check(other)?;
                        return Err(Stop::Server(other));
                    }
                }
            }
            self.store
                .lock()
                .await
                .mark_uploaded(b)
                .await
                .map_err(Stop::Local)?;
        }
        Ok(())
    }

    async fn push_all(&self) -> Result<(), Stop> {
        loop {
            let batch = self.store.lock().await.outbox.next_batch(BATCH);
            if batch.is_empty() {
                return Ok(());
            }
            let ids: Vec<MutationId> = batch.iter().map(|m| m.mutation_id).collect();
            {
                let mut s = self.store.lock().await;
                s.outbox.mark_sending(&ids, now());
                s.save_entries(&ids).await.map_err(Stop::Local)?;
            }
            self.publish().await;
            let req = PushRequest {
                protocol: PROTOCOL_VERSION,
                device_id: self.store.lock().await.device_id(),
                sent_at: now(),
                mutations: batch
                    .iter()
                    .filter_map(|m| serde_json::to_value(m).ok())
                    .collect(),
            };
            let sent = Request::post("/api/sync/v1/push")
                .json(&req)
                .map_err(|_| Stop::Local("encode".into()))?
                .send()
                .await;
            let resp = match sent {
                Ok(r) if r.ok() => r,
                Ok(r) => {
                    self.fail_batch(&ids).await?;
                    check(r.status())?;
                    return Err(Stop::Server(r.status()));
                }
                Err(_) => {
                    self.fail_batch(&ids).await?;
                    return Err(Stop::Network);
                }
            };
            let Ok(body) = resp.json::<PushResponse>().await else {
                self.fail_batch(&ids).await?;
                return Err(Stop::Server(502));
            };
            let deferred = body
                .results
                .iter()
                .any(|r| matches!(r.outcome, Outcome::Deferred { .. }));
            {
                let mut s = self.store.lock().await;
                s.outbox.apply_results(&body.results);
                s.save_entries(&ids).await.map_err(Stop::Local)?;
                let _ = s
                    .set_meta("clock_offset_ms", &body.clock_offset_ms.to_string())
                    .await;
                // A round keeps what the server applied even if the pull that follows fails
                // (no signal again in the next stairwell): otherwise its scans would vanish from
                // the phone until the next pull, and the officer would scan again.
                self.fold_applied_rounds(&s).await.map_err(Stop::Local)?;
                self.fold_applied_passes(&s).await.map_err(Stop::Local)?;
                // Applied entries leave the queue only after their new state is on disk.
                s.prune().await.map_err(Stop::Local)?;
            }
            self.publish().await;
            if deferred {
                // A photo is still missing on the server; it is uploaded next round.
                return Ok(());
            }
        }
    }

    async fn fail_batch(&self, ids: &[MutationId]) -> Result<(), Stop> {
        let mut s = self.store.lock().await;
        s.outbox.request_failed(ids);
        s.save_entries(ids).await.map_err(Stop::Local)
    }

    /// Folds the applied pass commands (a use at the gate) into the stored passes, at the
    /// version the server gave them, so a used pass shows used before the next pull.
    async fn fold_applied_passes(&self, s: &Store) -> Result<(), String> {
        let stored = s.passes().await?;
        let actor = self.actor();
        let mut out: Vec<StoredPass> = Vec::new();
        for e in &s.outbox.entries {
            let (EntryState::Applied { version }, Command::Pass(cmd)) =
                (&e.state, &e.mutation.command)
            else {
                continue;
            };
            let Some(base) = stored.iter().find(|p| p.pass.id == e.mutation.entity_id) else {
                continue;
            };
            if base.version >= *version {
                continue;
            }
            if let Ok(pass) = apply_pass(Some(&base.pass), cmd, &actor, e.mutation.occurred_at) {
                out.push(StoredPass {
                    version: *version,
                    pass,
                });
            }
        }
        if out.is_empty() {
            return Ok(());
        }
        s.save_passes(out).await
    }

    /// Folds the applied round commands of the outbox into the stored rounds, at the version
    /// the server gave them. A stored round at that version or later has them already.
    async fn fold_applied_rounds(&self, s: &Store) -> Result<(), String> {
        let applied: Vec<(Uuid, i64, &RoundCommand, DateTime<Utc>)> = s
            .outbox
            .entries
            .iter()
            .filter_map(|e| match (&e.state, &e.mutation.command) {
                (EntryState::Applied { version }, Command::Round(cmd)) => {
                    Some((e.mutation.entity_id, *version, cmd, e.mutation.occurred_at))
                }
                _ => None,
            })
            .collect();
        if applied.is_empty() {
            return Ok(());
        }
        let stored = s.rounds().await?;
        let facts = s.reference().await?.unwrap_or_default().patrol_facts();
        let actor = self.actor();
        let mut ids: Vec<Uuid> = Vec::new();
        for a in &applied {
            if !ids.contains(&a.0) {
                ids.push(a.0);
            }
        }
        let mut out = Vec::new();
        'rounds: for id in ids {
            let base = stored.iter().find(|r| r.round.id.0 == id);
            let mut version = base.map_or(0, |r| r.version);
            let mut round: Option<Round> = base.map(|r| r.round.clone());
            let mut changed = false;
            for (_, v, cmd, at) in applied.iter().filter(|a| a.0 == id) {
                if *v <= version {
                    continue;
                }
                match apply_round(round.as_ref(), RoundId(id), cmd, &actor, &facts, *at) {
                    Ok(next) => round = Some(next),
                    // Not sure what the server made of it: leave the round to the next pull.
                    Err(_) => continue 'rounds,
                }
                version = *v;
                changed = true;
            }
            if let (true, Some(round)) = (changed, round) {
                out.push(StoredRound { version, round });
            }
        }
        s.save_rounds(out).await
    }

    async fn pull(&self) -> Result<(), Stop> {
        let (cursor, schema) = {
            let s = self.store.lock().await;
            (
                s.meta("cursor").await.map_err(Stop::Local)?,
                s.meta(RECORDS_SCHEMA_KEY).await.map_err(Stop::Local)?,
            )
        };
        // A store from a build that dropped some kinds of record starts again from a snapshot.
        let mut cursor = cursor.filter(|_| schema.as_deref() == Some(RECORDS_SCHEMA));
        loop {
            let url = match &cursor {
                Some(c) => format!("/api/sync/v1/pull?cursor={c}"),
                None => "/api/sync/v1/pull".to_owned(),
            };
            let resp = Request::get(&url).send().await.map_err(|_| Stop::Network)?;
            if resp.status() == 400 {
                // A cursor from an older server: start again from a snapshot.
                cursor = None;
                continue;
            }
            check(resp.status())?;
            let body: PullResponse = resp.json().await.map_err(|_| Stop::Server(502))?;
            let mut records: Vec<StoredRecord> = Vec::new();
            let mut rounds: Vec<StoredRound> = Vec::new();
            let mut passes: Vec<StoredPass> = Vec::new();
            for c in body.changes {
                match c.record {
                    Record::WorkOrder(order) => records.push(StoredRecord {
                        version: c.version,
                        order,
                    }),
                    Record::Round(round) => rounds.push(StoredRound {
                        version: c.version,
                        round,
                    }),
                    Record::Pass(pass) => passes.push(StoredPass {
                        version: c.version,
                        pass,
                    }),
                }
            }
            let store = self.store.lock().await;
            if cursor.is_none() {
                store
                    .replace_all_records(records, rounds, passes, &body.cursor)
                    .await
                    .map_err(Stop::Local)?;
            } else {
                store
                    .save_pull(records, rounds, passes, &body.cursor)
                    .await
                    .map_err(Stop::Local)?;
            }
            drop(store);
            cursor = Some(body.cursor);
            if !body.has_more {
                return Ok(());
            }
        }
    }

    async fn refresh_reference(&self) -> Result<(), Stop> {
        let fresh = self
            .store
            .lock()
            .await
            .meta("reference_at")
            .await
            .map_err(Stop::Local)?
            .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
            .is_some_and(|t| {
                now() - t.with_timezone(&Utc) < chrono::Duration::hours(REFERENCE_MAX_AGE_HOURS)
            });
        if fresh {
            return Ok(());
        }
        let resp = Request::get("/api/sync/v1/reference")
            .send()
            .await
            .map_err(|_| Stop::Network)?;
        check(resp.status())?;
        let r: ReferenceData = resp.json().await.map_err(|_| Stop::Server(502))?;
        self.store
            .lock()
            .await
            .save_reference(&r, now())
            .await
            .map_err(Stop::Local)
    }

    fn actor(&self) -> Actor {
        Actor {
            staff_id: self.profile.staff_id,
            role: self.profile.role,
            sites: self.profile.sites.iter().map(|s| s.id).collect(),
        }
    }

    /// Puts a checked command in the outbox (on disk before it returns), tells the screens and
    /// starts a sync round.
    async fn queue(
        self: &Rc<Self>,
        entity: Uuid,
        base: Option<i64>,
        cmd: Command,
    ) -> Result<(), SubmitError> {
        self.store
            .lock()
            .await
            .enqueue(entity, base, cmd, now())
            .await
            .map_err(SubmitError::Storage)?;
        self.changed().await;
        crate::browser::request_background_sync();
        self.clone().kick();
        Ok(())
    }

    /// Runs the command against the local view first (the same `apply` the server runs), so a
    /// mistake is shown at once; then queues it durably.
    pub async fn submit(
        self: &Rc<Self>,
        entity: Uuid,
        cmd: WorkOrderCommand,
    ) -> Result<(), SubmitError> {
        let reference = self
            .store
            .lock()
            .await
            .reference()
            .await
            .map_err(SubmitError::Storage)?
            .unwrap_or_default();
        let facts = reference.facts();
        let actor = self.actor();
        let views = self.work_orders().await.map_err(SubmitError::Storage)?;
        let current = views.iter().find(|(o, _, _)| o.id.0 == entity);
        work_orders::apply(
            current.map(|(o, _, _)| o),
            WorkOrderId(entity),
            &cmd,
            &actor,
            &facts,
            now(),
        )
        .map_err(SubmitError::Rule)?;
        let base = current.map(|(_, v, _)| *v).filter(|v| *v > 0);
        self.queue(entity, base, Command::WorkOrder(cmd)).await
    }

    pub async fn work_orders(&self) -> Result<Vec<(WorkOrder, i64, bool)>, String> {
        let store = self.store.lock().await;
        let records = store.records().await?;
        let reference = store.reference().await?.unwrap_or_default();
        let facts = reference.facts();
        let actor = self.actor();
        Ok(store.view(records, |cur, id, cmd, at| {
            work_orders::apply(cur, WorkOrderId(id), cmd, &actor, &facts, at).ok()
        }))
    }

    /// Runs a round command against the device's own view first (the same `apply_round` the
    /// server runs), so a refusal is shown at once; then queues it durably.
    pub async fn submit_round(
        self: &Rc<Self>,
        entity: Uuid,
        cmd: RoundCommand,
    ) -> Result<(), SubmitError> {
        let reference = self
            .store
            .lock()
            .await
            .reference()
            .await
            .map_err(SubmitError::Storage)?
            .unwrap_or_default();
        let facts = reference.patrol_facts();
        let actor = self.actor();
        let views = self.rounds().await.map_err(SubmitError::Storage)?;
        let current = views.iter().find(|(r, _, _)| r.id.0 == entity);
        apply_round(
            current.map(|(r, _, _)| r),
            RoundId(entity),
            &cmd,
            &actor,
            &facts,
            now(),
        )
        .map_err(SubmitError::Round)?;
        let base = current.map(|(_, v, _)| *v).filter(|v| *v > 0);
        self.queue(entity, base, Command::Round(cmd)).await
    }

    /// Rounds as this device shows them: the stored ones with the outbox replayed on top.
    pub async fn rounds(&self) -> Result<Vec<(Round, i64, bool)>, String> {
        let store = self.store.lock().await;
        let rounds = store.rounds().await?;
        let facts = store.reference().await?.unwrap_or_default().patrol_facts();
        let actor = self.actor();
        Ok(store.round_view(rounds, |cur, id, cmd, at| {
            apply_round(cur, RoundId(id), cmd, &actor, &facts, at).ok()
        }))
    }

    /// Runs a pass command (the gate's 确认放行) against the device's own view first, so a used
    /// or void pass is refused at once, offline too; then queues it durably.
    pub async fn submit_pass(
        self: &Rc<Self>,
        entity: Uuid,
        cmd: PassCommand,
    ) -> Result<(), SubmitError> {
        let actor = self.actor();
        let views = self.passes().await.map_err(SubmitError::Storage)?;
        let current = views.iter().find(|(p, _, _)| p.id == entity);
        apply_pass(current.map(|(p, _, _)| p), &cmd, &actor, now()).map_err(SubmitError::Pass)?;
        let base = current.map(|(_, v, _)| *v).filter(|v| *v > 0);
        self.queue(entity, base, Command::Pass(cmd)).await
    }

    /// Queues a complaint taken at the desk (投诉登记). The device runs the same `register` the
    /// push runs, so a refusal shows at once; `Ok` only once the outbox entry is on disk. The
    /// desk's intake goes on with no signal and lands exactly once when the line is back.
    pub async fn submit_complaint(self: &Rc<Self>, cmd: IntakeCommand) -> Result<(), SubmitError> {
        let IntakeCommand::Register { complaint, .. } = &cmd;
        let entity = complaint.id;
        cmd.register(entity, &self.actor(), now())
            .map_err(SubmitError::Complaint)?;
        self.queue(entity, None, Command::Complaint(cmd)).await
    }

    /// Queues a resident visit (业户访问记录) made at the door; `entity` is the visit's id. The
    /// device checks the role, the site and the form first; the site's hours and the month's
    /// sign-off are the server's to check when it lands.
    pub async fn submit_visit(
        self: &Rc<Self>,
        entity: Uuid,
        cmd: VisitCommand,
    ) -> Result<(), SubmitError> {
        cmd.check(&self.actor(), now())
            .map_err(SubmitError::Visit)?;
        self.queue(entity, None, Command::Visit(cmd)).await
    }

    /// Passes as this device shows them: the stored ones with the outbox replayed on top.
    pub async fn passes(&self) -> Result<Vec<(Pass, i64, bool)>, String> {
        let store = self.store.lock().await;
        let passes = store.passes().await?;
        let actor = self.actor();
        Ok(store.pass_view(passes, |cur, cmd, at| apply_pass(cur, cmd, &actor, at).ok()))
    }

    /// An object URL of a photo kept on this device, for an `<img>`; the caller revokes it.
    pub async fn photo_url(&self, sha: &str) -> Option<String> {
        let (bytes, ct) = self.store.lock().await.blob_bytes(sha).await.ok()??;
        let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes.as_slice()));
        let opts = web_sys::BlobPropertyBag::new();
        opts.set_type(&ct);
        let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &opts).ok()?;
        web_sys::Url::create_object_url_with_blob(&blob).ok()
    }

    pub async fn reference(&self) -> Option<ReferenceData> {
        self.store.lock().await.reference().await.ok().flatten()
    }

    pub async fn outbox(&self) -> Vec<OutboxEntry> {
        self.store.lock().await.outbox.entries.clone()
    }

    pub async fn discard(self: &Rc<Self>, id: MutationId) -> Result<(), String> {
        self.store.lock().await.discard(id).await?;
        self.changed().await;
        Ok(())
    }

    pub async fn retry(self: &Rc<Self>, id: MutationId) -> Result<(), String> {
        self.store.lock().await.retry(id).await?;
        self.changed().await;
        self.clone().kick();
        Ok(())
    }

    pub async fn put_photo(&self, bytes: &[u8], content_type: &str) -> Result<BlobRef, String> {
        self.store.lock().await.put_blob(bytes, content_type).await
    }
}

/// Why a command was not queued.
#[derive(Debug)]
pub enum SubmitError {
    /// The rules refuse it (shown to the user; nothing saved).
    Rule(WorkOrderError),
    /// The round rules refuse it (shown to the user; nothing saved).
    Round(RoundError),
    /// The release-pass rules refuse it (shown to the user; nothing saved).
    Pass(ReleaseError),
    /// The complaint intake rules refuse it (shown to the user; nothing saved).
    Complaint(IntakeRefusal),
    /// The visit record's rules refuse it (shown to the user; nothing saved).
    Visit(QueuedVisitRefusal),
    /// The device could not save it.
    Storage(String),
}

impl SubmitError {
    /// The refusal's text (or the storage failure) for the message under the form.
    pub fn detail(&self) -> String {
        match self {
            SubmitError::Rule(r) => r.to_string(),
            SubmitError::Round(r) => r.to_string(),
            SubmitError::Pass(r) => r.to_string(),
            SubmitError::Complaint(r) => r.code().to_string(),
            SubmitError::Visit(r) => r.code().to_string(),
            SubmitError::Storage(s) => s.clone(),
        }
    }

    pub fn msg(&self) -> Msg {
        match self {
            SubmitError::Rule(_)
            | SubmitError::Round(_)
            | SubmitError::Pass(_)
            | SubmitError::Complaint(_)
            | SubmitError::Visit(_) => Msg::SyncRefused,
            SubmitError::Storage(_) => Msg::SyncStorageFailed,
        }
    }
}

fn check(status: u16) -> Result<(), Stop> {
    match status {
        200..=299 => Ok(()),
        401 => Err(Stop::Unauthenticated),
        s => Err(Stop::Server(s)),
    }
}
