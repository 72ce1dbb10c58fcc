//! The device side of offline work: the local store (IndexedDB), the outbox, and the sync
//! engine that pushes, pulls and uploads blobs. The rules are `domain::sync`; this module does
//! the browser IO. On the server (SSR) only [`SyncStatus`] exists, with neutral values, so pages
//! render the same on both sides.

#[cfg(feature = "hydrate")]
pub mod engine;
#[cfg(feature = "hydrate")]
pub mod idb;
#[cfg(feature = "hydrate")]
pub mod store;

use leptos::prelude::*;

/// What every screen shows about unsynced work. Signals, so the badge follows the engine.
#[derive(Clone, Copy)]
pub struct SyncStatus {
    /// Entries in the outbox not yet applied; `None` until the store is open.
    pub pending: RwSignal<Option<usize>>,
    /// Rejected or conflicting entries that need the user.
    pub attention: RwSignal<usize>,
    /// Device time of the last sync that reached the server (RFC 3339).
    pub last_sync: RwSignal<Option<String>>,
    pub syncing: RwSignal<bool>,
    /// Code of the last failure (`network`, `unauthenticated`, …), cleared on success.
    pub last_error: RwSignal<Option<String>>,
    /// Bumped whenever local data changes, so lists reload.
    pub data_version: RwSignal<u64>,
}

impl SyncStatus {
    pub fn new() -> Self {
        SyncStatus {
            pending: RwSignal::new(None),
            attention: RwSignal::new(0),
            last_sync: RwSignal::new(None),
            syncing: RwSignal::new(false),
            last_error: RwSignal::new(None),
            data_version: RwSignal::new(0),
        }
    }
}

impl Default for SyncStatus {
    fn default() -> Self {
        Self::new()
    }
}

pub fn use_sync_status() -> SyncStatus {
    use_context::<SyncStatus>().unwrap_or_default()
}

/// The calls pages make. In the browser they go to the engine; on the server they answer
/// "nothing here" (the server renders placeholders that the browser fills in).
pub mod client {
    use crate::i18n::Msg;
    use domain::care::complaint::{IntakeCommand, NewComplaint};
    use domain::ids::MutationId;
    use domain::ids::SiteId;
    use domain::patrol::round::{Round, RoundCommand, RoundError};
    use domain::release::pass::{Pass, PassCommand, ReleaseError};
    use domain::sync::outbox::OutboxEntry;
    use domain::sync::reference::ReferenceData;
    use domain::sync::wire::BlobRef;
    use domain::visits::record::{VisitCommand, VisitInput};
    use domain::work_orders::{WorkOrder, WorkOrderCommand};
    use uuid::Uuid;

    /// A work order as this device shows it.
    #[derive(Debug, Clone, PartialEq)]
    pub struct OrderView {
        pub order: WorkOrder,
        /// The server's version (0 = never synced).
        pub version: i64,
        /// This device has unsynced changes to it.
        pub unsynced: bool,
    }

    /// A patrol round as this device shows it.
    #[derive(Debug, Clone, PartialEq)]
    pub struct RoundView {
        pub round: Round,
        /// The server's version (0 = never synced).
        pub version: i64,
        /// This device has unsynced changes to it.
        pub unsynced: bool,
    }

    /// Why a round command was not queued.
    #[derive(Debug, Clone, PartialEq)]
    pub enum RoundSubmitError {
        /// The round rules refuse it; nothing was saved.
        Rule(RoundError),
        /// The device could not save it (or its store is not open).
        Storage(String),
    }

    #[cfg(feature = "hydrate")]
    use super::engine::engine;

    pub async fn work_orders() -> Vec<OrderView> {
        #[cfg(feature = "hydrate")]
        if let Some(e) = engine() {
            let mut v: Vec<OrderView> = e
                .work_orders()
                .await
                .unwrap_or_default()
                .into_iter()
                .map(|(order, version, unsynced)| OrderView {
                    order,
                    version,
                    unsynced,
                })
                .collect();
            v.sort_by_key(|o| std::cmp::Reverse(o.order.reported_at));
            return v;
        }
        Vec::new()
    }

    /// Runs one of the engine's submits and words its refusal for the form: the message and
    /// the reason. With no engine (the store could not open) nothing is queued.
    #[cfg(feature = "hydrate")]
    async fn on_engine<F, Fut>(submit: F) -> Result<(), (Msg, String)>
    where
        F: FnOnce(std::rc::Rc<super::engine::Engine>) -> Fut,
        Fut: std::future::Future<Output = Result<(), super::engine::SubmitError>>,
    {
        let Some(e) = engine() else {
            return Err((Msg::SyncStorageFailed, String::new()));
        };
        submit(e).await.map_err(|err| (err.msg(), err.detail()))
    }

    /// The server's render has no outbox.
    #[cfg(not(feature = "hydrate"))]
    fn no_engine<T>(_: T) -> Result<(), (Msg, String)> {
        Err((Msg::SyncStorageFailed, String::new()))
    }

    /// Queues a command; `Err` carries the message to show (the reason first).
    pub async fn submit(entity: Uuid, cmd: WorkOrderCommand) -> Result<(), (Msg, String)> {
        #[cfg(feature = "hydrate")]
        return on_engine(|e| async move { e.submit(entity, cmd).await }).await;
        #[cfg(not(feature = "hydrate"))]
        no_engine((entity, cmd))
    }

    /// The patrol rounds on this device (the officer's own; every round of the sites for a
    /// manager), newest first.
    pub async fn rounds() -> Vec<RoundView> {
        #[cfg(feature = "hydrate")]
        if let Some(e) = engine() {
            let mut v: Vec<RoundView> = e
                .rounds()
                .await
                .unwrap_or_default()
                .into_iter()
                .map(|(round, version, unsynced)| RoundView {
                    round,
                    version,
                    unsynced,
                })
                .collect();
            v.sort_by(|a, b| {
                (b.round.date, b.round.started_at, b.round.id.0).cmp(&(
                    a.round.date,
                    a.round.started_at,
                    a.round.id.0,
                ))
            });
            return v;
        }
        Vec::new()
    }

    /// Queues a round command (`Create` plans a round with `entity` as its id). The device's own
    /// `apply_round` checks it first; `Ok` only once the outbox entry is on disk.
    pub async fn submit_round(entity: Uuid, cmd: RoundCommand) -> Result<(), RoundSubmitError> {
        #[cfg(feature = "hydrate")]
        {
            let Some(e) = engine() else {
                return Err(RoundSubmitError::Storage("no store".into()));
            };
            return e.submit_round(entity, cmd).await.map_err(|err| match err {
                super::engine::SubmitError::Round(r) => RoundSubmitError::Rule(r),
                other => RoundSubmitError::Storage(other.detail()),
            });
        }
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = (entity, cmd);
            Err(RoundSubmitError::Storage("no store".into()))
        }
    }

    /// A release pass as this device shows it.
    #[derive(Debug, Clone, PartialEq)]
    pub struct PassView {
        pub pass: Pass,
        /// The server's version (0 = never synced).
        pub version: i64,
        /// This device has an unsynced use of it.
        pub unsynced: bool,
    }

    /// Why a pass command was not queued.
    #[derive(Debug, Clone, PartialEq)]
    pub enum PassSubmitError {
        /// The pass rules refuse it (used, void, not on this device); nothing was saved.
        Rule(ReleaseError),
        /// The device could not save it (or its store is not open).
        Storage(String),
    }

    /// The release passes on this device (the sites' passes for the desk and security),
    /// newest first.
    pub async fn passes() -> Vec<PassView> {
        #[cfg(feature = "hydrate")]
        if let Some(e) = engine() {
            let mut v: Vec<PassView> = e
                .passes()
                .await
                .unwrap_or_default()
                .into_iter()
                .map(|(pass, version, unsynced)| PassView {
                    pass,
                    version,
                    unsynced,
                })
                .collect();
            v.sort_by_key(|p| std::cmp::Reverse(p.pass.issued_at));
            return v;
        }
        Vec::new()
    }

    /// Queues a pass command (the gate's 确认放行). The device's own `apply_pass` checks it
    /// first; `Ok` only once the outbox entry is on disk.
    pub async fn submit_pass(entity: Uuid, cmd: PassCommand) -> Result<(), PassSubmitError> {
        #[cfg(feature = "hydrate")]
        {
            let Some(e) = engine() else {
                return Err(PassSubmitError::Storage("no store".into()));
            };
            return e.submit_pass(entity, cmd).await.map_err(|err| match err {
                super::engine::SubmitError::Pass(r) => PassSubmitError::Rule(r),
                other => PassSubmitError::Storage(other.detail()),
            });
        }
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = (entity, cmd);
            Err(PassSubmitError::Storage("no store".into()))
        }
    }

    /// A complaint taken on this device and not yet registered by the server (queued, being
    /// sent, or refused and waiting for the user on the outbox page).
    #[derive(Debug, Clone, PartialEq)]
    pub struct PendingComplaint {
        pub site_id: SiteId,
        pub complaint: NewComplaint,
        /// Why the server refused it (it waits on the outbox page).
        pub refused: Option<domain::sync::wire::RejectCode>,
    }

    /// Queues a complaint taken at the desk; `Err` carries the message to show (the reason
    /// first). `Ok` only once the outbox entry is on disk.
    pub async fn submit_complaint(cmd: IntakeCommand) -> Result<(), (Msg, String)> {
        #[cfg(feature = "hydrate")]
        return on_engine(|e| async move { e.submit_complaint(cmd).await }).await;
        #[cfg(not(feature = "hydrate"))]
        no_engine(cmd)
    }

    /// The outbox entries the server has not applied, of the commands `pick` takes: what each
    /// carries and, when the server refused it, the code and message (the entry waits on the
    /// outbox page for the user).
    async fn unapplied<T>(
        pick: impl Fn(&OutboxEntry) -> Option<T>,
    ) -> Vec<(T, Option<(domain::sync::wire::RejectCode, String)>)> {
        use domain::sync::outbox::EntryState;
        outbox()
            .await
            .into_iter()
            .filter_map(|e| {
                let refused = match &e.state {
                    EntryState::Applied { .. } => return None,
                    EntryState::Rejected { code, message } => Some((*code, message.clone())),
                    _ => None,
                };
                Some((pick(&e)?, refused))
            })
            .collect()
    }

    /// The complaints this device took that the server has not registered yet, newest first.
    pub async fn pending_complaints() -> Vec<PendingComplaint> {
        use domain::sync::wire::Command;
        let mut v: Vec<PendingComplaint> = unapplied(|e| match &e.mutation.command {
            Command::Complaint(IntakeCommand::Register { site_id, complaint }) => {
                Some((*site_id, complaint.clone()))
            }
            _ => None,
        })
        .await
        .into_iter()
        .map(|((site_id, complaint), refused)| PendingComplaint {
            site_id,
            complaint,
            refused: refused.map(|(code, _)| code),
        })
        .collect();
        v.sort_by_key(|p| std::cmp::Reverse(p.complaint.received_at));
        v
    }

    /// A visit recorded on this device and not yet stored by the server (queued, being sent,
    /// or refused and waiting for the user on the outbox page).
    #[derive(Debug, Clone, PartialEq)]
    pub struct PendingVisit {
        pub id: Uuid,
        pub site_id: SiteId,
        pub visit: VisitInput,
        /// Why the server refused it: the wire code and the visit rule's own code
        /// (`visit_too_late`, `unit_vacant`, …).
        pub refused: Option<(domain::sync::wire::RejectCode, String)>,
    }

    /// Queues a visit made at the door; `Err` carries the message to show (the reason first).
    /// `Ok` only once the outbox entry is on disk.
    pub async fn submit_visit(id: Uuid, cmd: VisitCommand) -> Result<(), (Msg, String)> {
        #[cfg(feature = "hydrate")]
        return on_engine(|e| async move { e.submit_visit(id, cmd).await }).await;
        #[cfg(not(feature = "hydrate"))]
        no_engine((id, cmd))
    }

    /// The visits this device recorded that the server has not stored yet, newest first.
    pub async fn pending_visits() -> Vec<PendingVisit> {
        use domain::sync::wire::Command;
        let mut v: Vec<PendingVisit> = unapplied(|e| match &e.mutation.command {
            Command::Visit(VisitCommand::Record { site_id, visit }) => {
                Some((e.mutation.entity_id, *site_id, visit.clone()))
            }
            _ => None,
        })
        .await
        .into_iter()
        .map(|((id, site_id, visit), refused)| PendingVisit {
            id,
            site_id,
            visit,
            // The push words a visit rule's code with spaces (`visit too late`).
            refused: refused.map(|(code, message)| (code, message.replace(' ', "_"))),
        })
        .collect();
        v.sort_by_key(|p| std::cmp::Reverse(p.visit.visited_at));
        v
    }

    /// An object URL for a photo kept on this device (taken here, maybe not uploaded yet);
    /// `None` when it is not here. The caller revokes it.
    pub async fn local_photo_url(sha256: String) -> Option<String> {
        #[cfg(feature = "hydrate")]
        if let Some(e) = engine() {
            return e.photo_url(&sha256).await;
        }
        let _ = sha256;
        None
    }

    pub async fn outbox() -> Vec<OutboxEntry> {
        #[cfg(feature = "hydrate")]
        if let Some(e) = engine() {
            return e.outbox().await;
        }
        Vec::new()
    }

    pub async fn discard(id: MutationId) -> Result<(), String> {
        #[cfg(feature = "hydrate")]
        if let Some(e) = engine() {
            return e.discard(id).await;
        }
        let _ = id;
        Err("no store".into())
    }

    pub async fn retry(id: MutationId) -> Result<(), String> {
        #[cfg(feature = "hydrate")]
        if let Some(e) = engine() {
            return e.retry(id).await;
        }
        let _ = id;
        Err("no store".into())
    }

    pub fn sync_now() {
        #[cfg(feature = "hydrate")]
        if let Some(e) = engine() {
            e.sync_now();
        }
    }

    pub async fn reference() -> Option<ReferenceData> {
        #[cfg(feature = "hydrate")]
        if let Some(e) = engine() {
            return e.reference().await;
        }
        None
    }

    pub async fn put_photo(bytes: Vec<u8>, content_type: String) -> Result<BlobRef, String> {
        #[cfg(feature = "hydrate")]
        if let Some(e) = engine() {
            return e.put_photo(&bytes, &content_type).await;
        }
        let _ = (bytes, content_type);
        Err("no store".into())
    }
}
