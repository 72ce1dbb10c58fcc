//! Sync protocol v1 on the wire. Golden tests (`tests/golden.rs`) freeze the exact JSON; a
//! change that breaks a v1 fixture needs protocol v2 alongside, never an edit of v1.

use crate::care::complaint::IntakeCommand;
use crate::ids::{DeviceId, MutationId};
use crate::patrol::round::{Round, RoundCommand};
use crate::release::pass::{Pass, PassCommand};
use crate::visits::record::VisitCommand;
use crate::work_orders::{WorkOrder, WorkOrderCommand};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub const PROTOCOL_VERSION: u32 = 1;
/// Mutations in one push request at most.
pub const MAX_BATCH: usize = 200;
/// Serialized size of one mutation at most.
pub const MAX_MUTATION_BYTES: usize = 32 * 1024;

/// The kind of record a mutation changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    WorkOrder,
    /// A patrol round (巡检记录).
    Round,
    /// A release pass (放行条).
    Pass,
    /// A complaint (投诉) taken at the desk.
    Complaint,
    /// A resident visit (走访, 业户访问记录).
    Visit,
}

impl EntityKind {
    pub const fn code(self) -> &'static str {
        match self {
            EntityKind::WorkOrder => "work_order",
            EntityKind::Round => "round",
            EntityKind::Pass => "pass",
            EntityKind::Complaint => "complaint",
            EntityKind::Visit => "visit",
        }
    }
}

/// A command, by the capability it belongs to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "cmd", rename_all = "snake_case")]
pub enum Command {
    WorkOrder(WorkOrderCommand),
    Round(RoundCommand),
    /// A release pass at the gate (放行条).
    Pass(PassCommand),
    /// A complaint's intake at the desk (投诉登记), added after v1 shipped: additive.
    Complaint(IntakeCommand),
    /// A resident visit recorded at the door (业户访问记录), added after v1 shipped: additive.
    Visit(VisitCommand),
}

impl Command {
    pub fn entity_kind(&self) -> EntityKind {
        match self {
            Command::WorkOrder(_) => EntityKind::WorkOrder,
            Command::Round(_) => EntityKind::Round,
            Command::Pass(_) => EntityKind::Pass,
            Command::Complaint(_) => EntityKind::Complaint,
            Command::Visit(_) => EntityKind::Visit,
        }
    }

    /// Blobs the command names; the server applies it only once they are all uploaded.
    pub fn blobs(&self) -> Vec<BlobRef> {
        match self {
            Command::WorkOrder(c) => c.blobs(),
            Command::Round(c) => c.blobs(),
            Command::Pass(c) => c.blobs(),
            Command::Complaint(c) => c.blobs(),
            Command::Visit(c) => c.blobs(),
        }
    }

    /// A short stable name for logs and the outbox page.
    pub fn type_name(&self) -> &'static str {
        match self {
            Command::WorkOrder(c) => c.type_name(),
            Command::Round(c) => c.type_name(),
            Command::Pass(c) => c.type_name(),
            Command::Complaint(c) => c.type_name(),
            Command::Visit(c) => c.type_name(),
        }
    }
}

/// One change made on a device, queued in its outbox until the server answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mutation {
    /// UUIDv7 made on the device.
    pub mutation_id: MutationId,
    pub device_id: DeviceId,
    /// Per-device sequence number, 1, 2, 3…, in the order the user did things.
    pub seq: u64,
    /// The record changed (made on the device for a create).
    pub entity_id: Uuid,
    /// The record's version the device saw when it acted; `None` for a create.
    pub base_version: Option<i64>,
    /// The device's clock when the user acted.
    pub occurred_at: DateTime<Utc>,
    pub command: Command,
}

/// `POST /api/sync/v1/push`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushRequest {
    pub protocol: u32,
    pub device_id: DeviceId,
    /// The device's clock when it sent the request (for the clock-offset estimate).
    pub sent_at: DateTime<Utc>,
    /// Kept as raw JSON so one corrupt mutation is refused alone, not the whole batch.
    pub mutations: Vec<serde_json::Value>,
}

/// What the server made of one mutation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    Applied {
        version: i64,
    },
    /// Permanent unless the code says otherwise ([`RejectCode::is_permanent`]).
    Rejected {
        code: RejectCode,
        message: String,
    },
    /// The record changed under the device; `current` is the server's record now.
    Conflict {
        code: ConflictCode,
        message: String,
        server_version: i64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        current: Option<serde_json::Value>,
    },
    /// Not processed this time (a blob is missing, or an earlier mutation of the batch waits);
    /// send again later. Nothing was recorded.
    Deferred {
        reason: DeferReason,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        missing_blobs: Vec<String>,
    },
}

impl Outcome {
    /// Whether the device is done with the mutation (it may leave the outbox's active list).
    pub fn is_final(&self) -> bool {
        match self {
            Outcome::Applied { .. } | Outcome::Conflict { .. } => true,
            Outcome::Rejected { code, .. } => code.is_permanent(),
            Outcome::Deferred { .. } => false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeferReason {
    BlobMissing,
    EarlierMutationWaiting,
}

/// Why a mutation was refused. Stable codes: the device switches on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectCode {
    /// Not a valid v1 mutation.
    MalformedMutation,
    MutationTooLarge,
    /// The mutation names another device than the request.
    DeviceMismatch,
    /// The sequence number is not above what this device already used.
    StaleSeq,
    /// The mutation id was used before for different content.
    MutationIdReused,
    /// The staff member's role may not do this.
    Forbidden,
    /// The record belongs to a site the staff member is not assigned to.
    SiteForbidden,
    /// The unit is unknown or belongs to another site.
    UnitNotInSite,
    /// The command needs a record that does not exist.
    UnknownEntity,
    /// A create for a record that exists already.
    AlreadyExists,
    InvalidInput,
    /// The record's status does not allow this step.
    InvalidTransition,
    /// Only the assigned technician may do this.
    NotAssignee,
    /// The named technician is unknown, inactive, not a technician or not at the site.
    UnknownStaff,
    // Added with the repair flow (additive: older devices show them as unknown codes).
    /// A quote names an item outside the site's catalogue.
    UnknownCatalogueItem,
    /// A referral names an item outside the site's supplier list.
    UnknownSupplierItem,
    /// A catalogue line's price differs from the fee standard.
    PriceMismatch,
    /// A negative or absurd amount.
    AmountOutOfRange,
    /// The signature was made for other content than the record now holds.
    SignatureMismatch,
    /// A second repair waits for the engineering manager's visit.
    SecondRepairNeedsVisit,
    /// The job is closed, declined, referred or answered already.
    AlreadyFinal,
    // Added with patrol rounds (additive: older devices show them as unknown codes).
    /// No checkpoint has the scanned code.
    UnknownCheckpoint,
    /// The scanned code is another site's checkpoint.
    OtherSiteCheckpoint,
    /// The checkpoint is not on this round.
    NotOnRound,
    /// A checklist answered before its checkpoint was scanned.
    NotScanned,
    /// The item is not on the checkpoint's checklist.
    UnknownChecklistItem,
    /// An 异常 answer without a note or a photo.
    FaultNeedsEvidence,
    /// Finish with checkpoints left: finish early with a reason instead.
    CheckpointsLeft,
    /// The route is unknown, inactive, empty or of another site.
    UnknownRoute,
    /// Only the round's officer may change it.
    NotOfficer,
    // Added with release passes (additive: older devices show them as unknown codes).
    /// The 放行条 was used at the gate already.
    AlreadyUsed,
    /// The 放行条 is void (作废).
    PassVoid,
    /// No 放行条 with this id was issued.
    PassNotIssued,
    /// The server failed; try again.
    Internal,
}

impl RejectCode {
    /// Whether sending the same mutation again can never help.
    pub const fn is_permanent(self) -> bool {
        !matches!(self, RejectCode::Internal)
    }

    pub fn code(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConflictCode {
    /// Someone else moved the record on first (e.g. reassigned, finished).
    StatusChanged,
    /// Both sides changed the same text; it waits in the managers' review list.
    TextConflict,
}

/// The answer for one mutation of a push.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MutationResult {
    /// `None` only when the mutation was too broken to carry an id.
    pub mutation_id: Option<MutationId>,
    pub seq: Option<u64>,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushResponse {
    pub protocol: u32,
    pub server_time: DateTime<Utc>,
    /// Server clock minus device clock, as estimated from this request, in milliseconds.
    pub clock_offset_ms: i64,
    pub results: Vec<MutationResult>,
}

/// A record as the server holds it now, sent by pull.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "record", rename_all = "snake_case")]
// Records travel a page at a time and are unpacked at once: boxing would only add indirection.
#[allow(clippy::large_enum_variant)]
pub enum Record {
    WorkOrder(WorkOrder),
    Round(Round),
    Pass(Pass),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub version: i64,
    pub record: Record,
}

/// `GET /api/sync/v1/pull?cursor=…&limit=…`: changes after the cursor, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PullResponse {
    pub protocol: u32,
    pub server_time: DateTime<Utc>,
    pub changes: Vec<Change>,
    /// Opaque to the device: pass it back on the next pull.
    pub cursor: String,
    pub has_more: bool,
}

/// A photo or signature image, content-addressed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BlobRef {
    /// Lower-case hex SHA-256 of the bytes.
    pub sha256: String,
    pub size: u64,
    pub content_type: String,
}

/// Largest blob accepted (a compressed phone photo is far smaller).
pub const MAX_BLOB_BYTES: u64 = 8 * 1024 * 1024;

impl BlobRef {
    pub fn is_valid(&self) -> bool {
        is_sha256_hex(&self.sha256)
            && self.size > 0
            && self.size <= MAX_BLOB_BYTES
            && matches!(
                self.content_type.as_str(),
                "image/jpeg" | "image/png" | "image/webp"
            )
    }
}

pub fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}
