//! Golden tests of the sync wire format and of the outbox as devices store it.
//!
//! These fixtures are protocol v1: phones run old app bundles for weeks and keep old outbox
//! records in IndexedDB, so NEVER edit a fixture in `tests/fixtures/v1` once v1 is released.
//! A change that breaks one needs protocol v2: add `tests/fixtures/v2` next to it and keep every
//! v1 fixture decoding.
//!
//! Each fixture is written by hand from the types. Each test builds the value with fixed ids
//! and times, asserts its JSON equals the fixture (compared as `serde_json::Value`, so layout
//! does not matter), and asserts the fixture decodes back to an equal value.

#![allow(clippy::unwrap_used)]

use chrono::{DateTime, TimeZone, Utc};
use domain::ids::{DeviceId, MutationId, SiteId, StaffId, UnitId, WorkOrderId};
use domain::sync::outbox::{EntryState, Outbox, OutboxEntry};
use domain::sync::wire::{
    BlobRef, Change, Command, ConflictCode, DeferReason, Mutation, MutationResult, Outcome,
    PullResponse, PushRequest, PushResponse, Record, RejectCode, PROTOCOL_VERSION,
};
use domain::work_orders::{
    Channel, HistoryEntry, NewRepairRequest, RepairKind, TextField, Timing, WorkOrder,
    WorkOrderCommand, WorkOrderStatus,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use std::fmt::Debug;
use std::path::{Path, PathBuf};
use uuid::Uuid;

// ---------------------------------------------------------------------------------------------
// Fixed ids and times.

fn uuid(last: &str) -> Uuid {
    Uuid::parse_str(&format!("01936f0e-6a4c-7b6e-8f00-{last}")).unwrap()
}
fn device() -> DeviceId {
    DeviceId::from_uuid(uuid("00000000d001"))
}
fn mutation_id(n: u32) -> MutationId {
    MutationId::from_uuid(uuid(&format!("00000000a{n:03}")))
}
fn order() -> WorkOrderId {
    WorkOrderId::from_uuid(uuid("00000000b001"))
}
fn site() -> SiteId {
    SiteId::from_uuid(uuid("000000005001"))
}
fn unit() -> UnitId {
    UnitId::from_uuid(uuid("00000000c001"))
}
fn desk() -> StaffId {
    StaffId::from_uuid(uuid("00000000e001"))
}
fn eng_mgr() -> StaffId {
    StaffId::from_uuid(uuid("00000000e002"))
}
fn tech() -> StaffId {
    StaffId::from_uuid(uuid("00000000e010"))
}
fn tech2() -> StaffId {
    StaffId::from_uuid(uuid("00000000e011"))
}
/// 2026-03-01 at h:m:s UTC.
fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, h, m, s).unwrap()
}
fn at_ms(h: u32, m: u32, s: u32, ms: i64) -> DateTime<Utc> {
    at(h, m, s) + chrono::Duration::milliseconds(ms)
}

/// SHA-256 of the bytes `test`.
const PHOTO_SHA: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

fn photo() -> BlobRef {
    BlobRef {
        sha256: PHOTO_SHA.into(),
        size: 183_204,
        content_type: "image/jpeg".into(),
    }
}

// ---------------------------------------------------------------------------------------------
// Values.

fn new_request() -> NewRepairRequest {
    NewRepairRequest {
        site_id: site(),
        unit_id: Some(unit()),
        common_area: false,
        location: "主卧卫生间".into(),
        channel: Channel::Phone,
        kind: RepairKind::Daily,
        reporter_name: "王先生".into(),
        reporter_phone: "13812345678".into(),
        content: "卫生间地漏堵塞".into(),
        timing: Timing::Appointment {
            at: Utc.with_ymd_and_hms(2026, 3, 2, 1, 30, 0).unwrap(),
        },
        photos: vec![photo()],
        contacted_at: None,
        matched: Default::default(),
        leak: false,
        second_repair_reported: false,
        patrol_source: None,
    }
}

fn mutation(
    n: u32,
    base_version: Option<i64>,
    occurred_at: DateTime<Utc>,
    cmd: WorkOrderCommand,
) -> Mutation {
    Mutation {
        mutation_id: mutation_id(n),
        device_id: device(),
        seq: u64::from(n),
        entity_id: *order().as_uuid(),
        base_version,
        occurred_at,
        command: Command::WorkOrder(cmd),
    }
}

/// One mutation per command, seq 1–6, named as their fixtures are.
fn mutations() -> Vec<(&'static str, Mutation)> {
    vec![
        (
            "mutation_create.json",
            mutation(
                1,
                None,
                at(8, 0, 0),
                WorkOrderCommand::Create(new_request()),
            ),
        ),
        (
            "mutation_assign.json",
            mutation(
                2,
                Some(1),
                at(8, 5, 0),
                WorkOrderCommand::Assign { technician: tech() },
            ),
        ),
        (
            "mutation_accept.json",
            mutation(3, Some(2), at(8, 10, 0), WorkOrderCommand::Accept),
        ),
        (
            "mutation_decline.json",
            mutation(
                4,
                Some(3),
                at(8, 15, 0),
                WorkOrderCommand::Decline {
                    reason: "缺少配件，明天再来".into(),
                },
            ),
        ),
        // Sub-second device time: chrono writes exactly the digits needed (here 3).
        (
            "mutation_arrive.json",
            mutation(5, Some(3), at_ms(8, 20, 30, 250), WorkOrderCommand::Arrive),
        ),
        (
            "mutation_edit_text.json",
            mutation(
                6,
                Some(4),
                at(8, 25, 0),
                WorkOrderCommand::EditText {
                    field: TextField::Location,
                    base: "主卧卫生间".into(),
                    value: "主卧卫生间地漏".into(),
                },
            ),
        ),
    ]
}

fn by_name(name: &str) -> Mutation {
    mutations()
        .into_iter()
        .find(|(n, _)| *n == name)
        .map(|(_, m)| m)
        .unwrap()
}

fn work_order() -> WorkOrder {
    let line = |at, by, action: &str, note: &str| HistoryEntry {
        at,
        by,
        action: action.into(),
        note: note.into(),
    };
    WorkOrder {
        id: order(),
        site_id: site(),
        number: Some("BX-2026-03-0042".into()),
        unit_id: Some(unit()),
        common_area: false,
        location: "主卧卫生间".into(),
        channel: Channel::Phone,
        kind: RepairKind::Daily,
        reporter_name: "王先生".into(),
        reporter_phone: "13812345678".into(),
        content: "卫生间地漏堵塞".into(),
        timing: Timing::Immediate,
        photos: vec![photo()],
        status: WorkOrderStatus::Accepted,
        assignee: Some(tech()),
        created_by: desk(),
        reported_at: at(8, 0, 0),
        assigned_at: Some(at(8, 8, 0)),
        accepted_at: Some(at(8, 10, 0)),
        arrived_at: None,
        history: vec![
            line(at(8, 0, 0), desk(), "work_order.create", ""),
            line(at(8, 5, 0), eng_mgr(), "work_order.assign", ""),
            line(at(8, 6, 0), tech2(), "work_order.decline", "今天不在片区"),
            line(at(8, 8, 0), eng_mgr(), "work_order.assign", ""),
            line(at(8, 10, 0), tech(), "work_order.accept", ""),
        ],
        // Added after v1 froze; empty values stay out of the JSON.
        contacted_at: None,
        eng_notified_at: None,
        matched: Default::default(),
        leak: false,
        retroactive: false,
        paperwork_completed_at: None,
        second_repair_of: None,
        manager_visited_at: None,
        reply: None,
        referred_to: None,
        scope: String::new(),
        lines: Vec::new(),
        quoted_at: None,
        consent: None,
        finished_at: None,
        after_photos: Vec::new(),
        acceptance: None,
        declined: None,
        attempts: Vec::new(),
        fee_note: None,
        fee_approvals: Vec::new(),
        shortage: None,
        warranty: None,
        closed_at: None,
        patrol_source: None,
    }
}

// ---------------------------------------------------------------------------------------------
// The check.

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v1")
}

fn fixture(name: &str) -> Value {
    let path = fixtures_dir().join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The value's JSON is exactly the fixture, and the fixture decodes to the value.
fn assert_golden<T: Serialize + DeserializeOwned + PartialEq + Debug>(name: &str, value: &T) {
    let want = fixture(name);
    let got = serde_json::to_value(value).unwrap();
    assert!(
        got == want,
        "{name}: the JSON no longer matches the v1 fixture (v1 is frozen: add v2 instead)\n\
         got:  {}\nwant: {}",
        serde_json::to_string_pretty(&got).unwrap(),
        serde_json::to_string_pretty(&want).unwrap(),
    );
    let back: T =
        serde_json::from_value(want).unwrap_or_else(|e| panic!("{name} no longer decodes: {e}"));
    assert_eq!(&back, value, "{name} decodes to another value");
}

const ALL_FIXTURES: [&str; 16] = [
    "mutation_register_complaint.json",
    "mutation_record_visit.json",
    "mutation_create.json",
    "mutation_assign.json",
    "mutation_accept.json",
    "mutation_decline.json",
    "mutation_arrive.json",
    "mutation_edit_text.json",
    "push_request.json",
    "push_response.json",
    "reject_codes.json",
    "pull_response.json",
    "work_order.json",
    "blob_ref.json",
    "outbox_entry.json",
    "outbox.json",
];

#[test]
fn every_fixture_has_a_test() {
    let mut on_disk: Vec<String> = std::fs::read_dir(fixtures_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut known: Vec<String> = ALL_FIXTURES.iter().map(|s| s.to_string()).collect();
    known.sort();
    assert_eq!(on_disk, known);
}

#[test]
fn mutation_of_each_command() {
    let list = mutations();
    assert_eq!(list.len(), 6, "one per WorkOrderCommand variant");
    for (name, m) in &list {
        assert_golden(name, m);
    }
}

/// A complaint taken at the desk offline (added after v1 shipped: a new command kind, additive).
#[test]
fn mutation_register_complaint() {
    use domain::care::complaint::{Channel as ComplaintChannel, IntakeCommand, NewComplaint};
    let id = uuid("00000000f001");
    let m = Mutation {
        mutation_id: mutation_id(7),
        device_id: device(),
        seq: 7,
        entity_id: id,
        base_version: None,
        occurred_at: at(9, 0, 0),
        command: Command::Complaint(IntakeCommand::Register {
            site_id: site(),
            complaint: NewComplaint {
                id,
                unit_id: Some(unit()),
                channel: ComplaintChannel::Written,
                complainant_name: "王女士".into(),
                complainant_phone: "13800001234".into(),
                content: "楼道灯坏了一周无人修".into(),
                received_at: at(8, 55, 0),
                apologised: true,
                raised_from: None,
            },
        }),
    };
    assert_golden("mutation_register_complaint.json", &m);
}

/// A resident visit recorded at a door with no signal (added after v1 shipped: additive).
#[test]
fn mutation_record_visit() {
    use domain::visits::record::{
        SignatureOutcome, VisitCommand, VisitInput, VisitMethod, VisitTopic,
    };
    let m = Mutation {
        mutation_id: mutation_id(8),
        device_id: device(),
        seq: 8,
        entity_id: uuid("00000000f002"),
        base_version: None,
        occurred_at: at(10, 0, 0),
        command: Command::Visit(VisitCommand::Record {
            site_id: site(),
            visit: VisitInput {
                unit_id: unit(),
                visited_at: Some(at(9, 40, 0)),
                topics: vec![VisitTopic::Cleaning, VisitTopic::Repairs],
                method: VisitMethod::Home,
                notes: "楼道保洁满意，希望维修更及时".into(),
                resident_name: "李先生".into(),
                signature: SignatureOutcome::Signed {
                    image: photo(),
                    signer: "李先生".into(),
                },
                feedback_requested: true,
            },
        }),
    };
    assert_golden("mutation_record_visit.json", &m);
}

#[test]
fn push_request() {
    let req = PushRequest {
        protocol: PROTOCOL_VERSION,
        device_id: device(),
        sent_at: at_ms(8, 30, 0, 125),
        mutations: ["mutation_create.json", "mutation_edit_text.json"]
            .into_iter()
            .map(|n| serde_json::to_value(by_name(n)).unwrap())
            .collect(),
    };
    assert_golden("push_request.json", &req);
}

#[test]
fn push_response_with_each_outcome() {
    let result = |n: u32, outcome| MutationResult {
        mutation_id: Some(mutation_id(n)),
        seq: Some(u64::from(n)),
        outcome,
    };
    let resp = PushResponse {
        protocol: PROTOCOL_VERSION,
        server_time: at(8, 30, 1),
        clock_offset_ms: -1250,
        results: vec![
            result(1, Outcome::Applied { version: 1 }),
            result(
                2,
                Outcome::Rejected {
                    code: RejectCode::UnknownStaff,
                    message:
                        "the technician is unknown, inactive, not a technician or not at this site"
                            .into(),
                },
            ),
            result(
                3,
                Outcome::Conflict {
                    code: ConflictCode::StatusChanged,
                    message: "the work order was reassigned".into(),
                    server_version: 5,
                    current: Some(serde_json::to_value(work_order()).unwrap()),
                },
            ),
            result(
                4,
                Outcome::Conflict {
                    code: ConflictCode::TextConflict,
                    message: "both you and someone else changed this text".into(),
                    server_version: 5,
                    current: None,
                },
            ),
            result(
                5,
                Outcome::Deferred {
                    reason: DeferReason::BlobMissing,
                    missing_blobs: vec![PHOTO_SHA.into()],
                },
            ),
            result(
                6,
                Outcome::Deferred {
                    reason: DeferReason::EarlierMutationWaiting,
                    missing_blobs: vec![],
                },
            ),
            result(
                7,
                Outcome::Rejected {
                    code: RejectCode::Internal,
                    message: "try again later".into(),
                },
            ),
            // Too broken to carry an id.
            MutationResult {
                mutation_id: None,
                seq: None,
                outcome: Outcome::Rejected {
                    code: RejectCode::MalformedMutation,
                    message: "missing field `command`".into(),
                },
            },
        ],
    };
    assert_golden("push_response.json", &resp);
}

/// The device switches on these codes; each is frozen.
#[test]
fn reject_codes() {
    use RejectCode::*;
    let all = vec![
        MalformedMutation,
        MutationTooLarge,
        DeviceMismatch,
        StaleSeq,
        MutationIdReused,
        Forbidden,
        SiteForbidden,
        UnitNotInSite,
        UnknownEntity,
        AlreadyExists,
        InvalidInput,
        InvalidTransition,
        NotAssignee,
        UnknownStaff,
        Internal,
    ];
    assert_golden("reject_codes.json", &all);
    for c in all {
        assert_eq!(c.is_permanent(), c != Internal, "{c:?}");
    }
}

#[test]
fn pull_response_with_a_work_order() {
    let resp = PullResponse {
        protocol: PROTOCOL_VERSION,
        server_time: at(8, 31, 0),
        changes: vec![Change {
            version: 5,
            record: Record::WorkOrder(work_order()),
        }],
        cursor: "5".into(),
        has_more: false,
    };
    assert_golden("pull_response.json", &resp);
}

/// The record alone, with an appointment (the pull fixture has an immediate job).
#[test]
fn work_order_record() {
    let wo = WorkOrder {
        number: None,
        unit_id: None,
        common_area: true,
        location: "3栋2单元 5楼楼梯间".into(),
        channel: Channel::Field,
        kind: RepairKind::Urgent,
        timing: Timing::Appointment {
            at: Utc.with_ymd_and_hms(2026, 3, 2, 1, 30, 0).unwrap(),
        },
        photos: vec![],
        status: WorkOrderStatus::OnSite,
        arrived_at: Some(at_ms(8, 20, 30, 250)),
        history: vec![],
        ..work_order()
    };
    assert_golden("work_order.json", &wo);
}

#[test]
fn blob_ref() {
    assert_golden("blob_ref.json", &photo());
}

fn entry(
    name: &str,
    state: EntryState,
    attempts: u32,
    last_attempt_at: Option<DateTime<Utc>>,
) -> OutboxEntry {
    let mutation = by_name(name);
    OutboxEntry {
        enqueued_at: mutation.occurred_at,
        mutation,
        state,
        attempts,
        last_attempt_at,
    }
}

#[test]
fn outbox_entry() {
    let e = entry(
        "mutation_create.json",
        EntryState::Deferred {
            reason: DeferReason::BlobMissing,
            missing_blobs: vec![PHOTO_SHA.into()],
        },
        2,
        Some(at_ms(8, 30, 0, 125)),
    );
    assert_golden("outbox_entry.json", &e);
}

/// An outbox with an entry in each state.
#[test]
fn outbox_with_each_state() {
    let sent = Some(at_ms(8, 30, 0, 125));
    let outbox = Outbox {
        device_id: device(),
        next_seq: 7,
        entries: vec![
            entry(
                "mutation_create.json",
                EntryState::Applied { version: 1 },
                0,
                sent,
            ),
            entry(
                "mutation_assign.json",
                EntryState::Rejected {
                    code: RejectCode::UnknownStaff,
                    message:
                        "the technician is unknown, inactive, not a technician or not at this site"
                            .into(),
                },
                0,
                sent,
            ),
            entry(
                "mutation_accept.json",
                EntryState::Conflict {
                    code: ConflictCode::StatusChanged,
                    message: "the work order was reassigned".into(),
                    server_version: 5,
                },
                0,
                sent,
            ),
            entry(
                "mutation_decline.json",
                EntryState::Deferred {
                    reason: DeferReason::EarlierMutationWaiting,
                    missing_blobs: vec![],
                },
                1,
                sent,
            ),
            entry("mutation_arrive.json", EntryState::Sending, 1, sent),
            entry("mutation_edit_text.json", EntryState::Waiting, 0, None),
        ],
    };
    assert_golden("outbox.json", &outbox);
}
