//! Table-driven tests of `apply`: who may do what, in which status, with what input.

#![allow(clippy::unwrap_used)]

use super::*;
use crate::ids::{SiteId, StaffId, UnitId, WorkOrderId};
use crate::people::Role;
use crate::sync::wire::{BlobRef, MAX_BLOB_BYTES};
use chrono::{DateTime, TimeZone, Utc};
use uuid::Uuid;

pub(super) fn site(n: u128) -> SiteId {
    SiteId::from_uuid(Uuid::from_u128(0x5100 + n))
}
pub(super) fn unit(n: u128) -> UnitId {
    UnitId::from_uuid(Uuid::from_u128(0x0700 + n))
}
pub(super) fn staff(n: u128) -> StaffId {
    StaffId::from_uuid(Uuid::from_u128(0x5700 + n))
}
pub(super) fn order_id() -> WorkOrderId {
    WorkOrderId::from_uuid(Uuid::from_u128(0xb0))
}
pub(super) fn t(min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 9, min, 0).unwrap()
}

pub(super) const SITE_A: u128 = 1;
pub(super) const SITE_B: u128 = 2;
/// Unit 1 is in site A, unit 2 in site B.
pub(super) const UNIT_A: u128 = 1;
pub(super) const UNIT_B: u128 = 2;

// Staff numbers.
pub(super) const DESK: u128 = 1;
pub(super) const ENG_MGR: u128 = 2;
pub(super) const CENTER_MGR: u128 = 3;
pub(super) const CS_MGR: u128 = 4;
pub(super) const FINANCE: u128 = 5;
pub(super) const ADMIN: u128 = 6;
pub(super) const TECH1: u128 = 10;
pub(super) const TECH2: u128 = 11;
pub(super) const TECH_INACTIVE: u128 = 12;
pub(super) const TECH_SITE_B: u128 = 13;
pub(super) const PATROL: u128 = 14;
pub(super) const ENG_MGR_SITE_B: u128 = 15;
pub(super) const UNKNOWN: u128 = 99;

pub(super) fn facts() -> Facts {
    let mut f = Facts::default();
    f.unit_sites.insert(unit(UNIT_A), site(SITE_A));
    f.unit_sites.insert(unit(UNIT_B), site(SITE_B));
    let people = [
        (DESK, Role::Desk, true, SITE_A),
        (ENG_MGR, Role::EngMgr, true, SITE_A),
        (CENTER_MGR, Role::CenterMgr, true, SITE_A),
        (CS_MGR, Role::CsMgr, true, SITE_A),
        (FINANCE, Role::Finance, true, SITE_A),
        (ADMIN, Role::Admin, true, SITE_A),
        (TECH1, Role::Tech, true, SITE_A),
        (TECH2, Role::Tech, true, SITE_A),
        (TECH_INACTIVE, Role::Tech, false, SITE_A),
        (TECH_SITE_B, Role::Tech, true, SITE_B),
        (PATROL, Role::Patrol, true, SITE_A),
        (ENG_MGR_SITE_B, Role::EngMgr, true, SITE_B),
    ];
    // The fee standard of site A: two items and one that needs the disclaimer (二-04).
    for (code, fen, disclaimer) in [
        ("一-01", 3_000, false),
        ("二-03", 2_500, false),
        ("二-04", 5_000, true),
    ] {
        f.catalogue.insert(
            (site(SITE_A), code.to_owned()),
            CatalogueFact {
                price: crate::money::Fen(fen),
                requires_disclaimer: disclaimer,
                active: true,
            },
        );
    }
    f.catalogue.insert(
        (site(SITE_A), "一-99".to_owned()),
        CatalogueFact {
            price: crate::money::Fen(1_000),
            requires_disclaimer: false,
            active: false,
        },
    );
    f.suppliers.insert((site(SITE_A), "S-05".to_owned()));
    for (n, role, active, s) in people {
        f.staff.insert(
            staff(n),
            StaffFacts {
                role,
                active,
                sites: vec![site(s)],
            },
        );
    }
    f
}

/// The acting staff member, as the facts say.
pub(super) fn actor(n: u128) -> Actor {
    let f = facts();
    let s = &f.staff[&staff(n)];
    Actor {
        staff_id: staff(n),
        role: s.role,
        sites: s.sites.clone(),
    }
}

pub(super) fn photo(n: u8) -> BlobRef {
    BlobRef {
        sha256: format!("{n:02x}").repeat(32),
        size: 120_000,
        content_type: "image/jpeg".into(),
    }
}

/// An in-home repair at unit A of site A.
pub(super) fn in_home() -> NewRepairRequest {
    NewRepairRequest {
        site_id: site(SITE_A),
        unit_id: Some(unit(UNIT_A)),
        common_area: false,
        location: String::new(),
        channel: Channel::Phone,
        kind: RepairKind::Daily,
        reporter_name: "王先生".into(),
        reporter_phone: "+86 138-1234-5678".into(),
        content: "  厨房水龙头漏水  ".into(),
        timing: Timing::Immediate,
        photos: vec![photo(1)],
        contacted_at: None,
        matched: CatalogueMatch::None,
        leak: false,
        second_repair_reported: false,
        patrol_source: None,
    }
}

pub(super) fn common_area() -> NewRepairRequest {
    NewRepairRequest {
        unit_id: None,
        common_area: true,
        location: "3栋2单元 5楼楼梯间".into(),
        content: "楼梯灯不亮".into(),
        ..in_home()
    }
}

pub(super) fn invalid(field: &'static str, reason: &'static str) -> WorkOrderError {
    WorkOrderError::InvalidInput { field, reason }
}

pub(super) fn run(
    current: Option<&WorkOrder>,
    cmd: &WorkOrderCommand,
    by: u128,
    at: DateTime<Utc>,
) -> Result<WorkOrder, WorkOrderError> {
    apply(current, order_id(), cmd, &actor(by), &facts(), at)
}

/// A new order created by the desk at minute 0.
pub(super) fn reported() -> WorkOrder {
    run(None, &WorkOrderCommand::Create(in_home()), DESK, t(0)).unwrap()
}

/// The order after these steps (each `(command, by)`, one minute apart).
pub(super) fn after(steps: &[(WorkOrderCommand, u128)]) -> WorkOrder {
    let mut wo = reported();
    for (i, (cmd, by)) in steps.iter().enumerate() {
        wo = run(Some(&wo), cmd, *by, t(i as u32 + 1)).unwrap();
    }
    wo
}

pub(super) fn assign(n: u128) -> WorkOrderCommand {
    WorkOrderCommand::Assign {
        technician: staff(n),
    }
}
pub(super) fn decline(reason: &str) -> WorkOrderCommand {
    WorkOrderCommand::Decline {
        reason: reason.into(),
    }
}
pub(super) fn edit(field: TextField, base: &str, value: &str) -> WorkOrderCommand {
    WorkOrderCommand::EditText {
        field,
        base: base.into(),
        value: value.into(),
    }
}

pub(super) fn assigned() -> WorkOrder {
    after(&[(assign(TECH1), ENG_MGR)])
}
pub(super) fn accepted() -> WorkOrder {
    after(&[(assign(TECH1), ENG_MGR), (WorkOrderCommand::Accept, TECH1)])
}
pub(super) fn on_site() -> WorkOrder {
    after(&[(assign(TECH1), ENG_MGR), (WorkOrderCommand::Arrive, TECH1)])
}

/// Checks the history grew by exactly one line for this command.
pub(super) fn assert_one_history_line(
    before: Option<&WorkOrder>,
    after: &WorkOrder,
    cmd: &WorkOrderCommand,
    by: u128,
    at: DateTime<Utc>,
    case: &str,
) {
    let had = before.map_or(0, |b| b.history.len());
    assert_eq!(
        after.history.len(),
        had + 1,
        "{case}: one history line per command"
    );
    if let Some(b) = before {
        assert_eq!(
            after.history[..had],
            b.history[..],
            "{case}: history is append-only"
        );
    }
    let last = after.history.last().unwrap();
    assert_eq!(last.action, cmd.type_name(), "{case}");
    assert_eq!(last.by, staff(by), "{case}");
    assert_eq!(last.at, at, "{case}");
}

/// A change made to a valid request before creating it.
type Tweak = fn(&mut NewRepairRequest);
/// `(case, acting staff, request, change made to it, the exact answer)`.
type CreateCase = (
    &'static str,
    u128,
    NewRepairRequest,
    Tweak,
    Result<(), WorkOrderError>,
);

#[test]
fn create() {
    use WorkOrderError::*;
    // Tables are laid out one case per line by hand; rustfmt would stretch each over 7 lines.
    #[rustfmt::skip]
    let cases: Vec<CreateCase> = vec![
        ("in-home by the desk", DESK, in_home(), |_| {}, Ok(())),
        ("common area by the desk", DESK, common_area(), |_| {}, Ok(())),
        ("found in the field by a technician", TECH1, in_home(), |_| {}, Ok(())),
        ("found on patrol", PATROL, common_area(), |_| {}, Ok(())),
        ("by the engineering manager", ENG_MGR, in_home(), |_| {}, Ok(())),
        ("common area needs a location", DESK, common_area(), |r| r.location = "  ".into(), Err(invalid("location", "required"))),
        ("common area has no unit", DESK, common_area(), |r| r.unit_id = Some(unit(UNIT_A)), Err(invalid("unit_id", "a common-area job has no unit"))),
        ("in-home needs a unit", DESK, in_home(), |r| r.unit_id = None, Err(invalid("unit_id", "required for an in-home job"))),
        ("unit of another site", DESK, in_home(), |r| r.unit_id = Some(unit(UNIT_B)), Err(UnitNotInSite)),
        ("unknown unit", DESK, in_home(), |r| r.unit_id = Some(unit(77)), Err(UnitNotInSite)),
        ("site not among the actor's", DESK, in_home(), |r| { r.site_id = site(SITE_B); r.unit_id = Some(unit(UNIT_B)) }, Err(SiteForbidden)),
        ("finance may not", FINANCE, in_home(), |_| {}, Err(Forbidden("take repair requests"))),
        ("admin may not", ADMIN, in_home(), |_| {}, Err(Forbidden("take repair requests"))),
        ("bad phone", DESK, in_home(), |r| r.reporter_phone = "12345".into(), Err(invalid("reporter_phone", "not a phone number"))),
        ("empty phone", DESK, in_home(), |r| r.reporter_phone = String::new(), Err(invalid("reporter_phone", "not a phone number"))),
        ("landline phone", DESK, in_home(), |r| r.reporter_phone = "0755-12345678".into(), Ok(())),
        ("empty content", DESK, in_home(), |r| r.content = " \n ".into(), Err(invalid("content", "required"))),
        ("content too long", DESK, in_home(), |r| r.content = "漏".repeat(MAX_CONTENT_CHARS + 1), Err(invalid("content", "too long"))),
        ("content at the limit", DESK, in_home(), |r| r.content = "漏".repeat(MAX_CONTENT_CHARS), Ok(())),
        ("empty reporter name", DESK, in_home(), |r| r.reporter_name = String::new(), Err(invalid("reporter_name", "required"))),
        ("location too long", DESK, in_home(), |r| r.location = "楼".repeat(MAX_SHORT_TEXT_CHARS + 1), Err(invalid("location", "too long"))),
        ("no photos", DESK, in_home(), |r| r.photos.clear(), Ok(())),
        ("as many photos as allowed", DESK, in_home(), |r| r.photos = (0..MAX_PHOTOS as u8).map(photo).collect(), Ok(())),
        ("too many photos", DESK, in_home(), |r| r.photos = (0..=MAX_PHOTOS as u8).map(photo).collect(), Err(invalid("photos", "too many"))),
        ("photo hash not hex", DESK, in_home(), |r| r.photos[0].sha256 = "z".repeat(64), Err(invalid("photos", "not a valid photo reference"))),
        ("photo hash upper case", DESK, in_home(), |r| r.photos[0].sha256 = "AB".repeat(32), Err(invalid("photos", "not a valid photo reference"))),
        ("photo hash too short", DESK, in_home(), |r| r.photos[0].sha256.truncate(63), Err(invalid("photos", "not a valid photo reference"))),
        ("empty photo", DESK, in_home(), |r| r.photos[0].size = 0, Err(invalid("photos", "not a valid photo reference"))),
        ("photo too big", DESK, in_home(), |r| r.photos[0].size = MAX_BLOB_BYTES + 1, Err(invalid("photos", "not a valid photo reference"))),
        ("photo not an image", DESK, in_home(), |r| r.photos[0].content_type = "application/pdf".into(), Err(invalid("photos", "not a valid photo reference"))),
    ];
    for (case, by, mut req, tweak, want) in cases {
        tweak(&mut req);
        let cmd = WorkOrderCommand::Create(req.clone());
        let got = run(None, &cmd, by, t(5));
        match (got, want) {
            (Ok(wo), Ok(())) => {
                assert_eq!(wo.id, order_id(), "{case}");
                assert_eq!(wo.site_id, req.site_id, "{case}");
                assert_eq!(wo.unit_id, req.unit_id, "{case}");
                assert_eq!(wo.common_area, req.common_area, "{case}");
                assert_eq!(wo.number, None, "{case}: the server numbers it");
                assert_eq!(wo.status, WorkOrderStatus::Reported, "{case}");
                assert_eq!(wo.assignee, None, "{case}");
                assert_eq!(wo.created_by, staff(by), "{case}");
                assert_eq!(wo.reported_at, t(5), "{case}");
                assert_eq!(wo.content, req.content.trim(), "{case}: text is trimmed");
                assert_eq!(wo.photos, req.photos, "{case}");
                assert_one_history_line(None, &wo, &cmd, by, t(5), case);
            }
            (Err(e), Err(w)) => assert_eq!(e, w, "{case}"),
            (got, want) => panic!("{case}: got {got:?}, want {want:?}"),
        }
    }
}

#[test]
fn create_normalises_the_phone_number() {
    let cases = [
        ("+86 138-1234-5678", "13812345678"),
        ("0755-12345678", "075512345678"),
    ];
    for (typed, stored) in cases {
        let mut req = in_home();
        req.reporter_phone = typed.into();
        let wo = run(None, &WorkOrderCommand::Create(req), DESK, t(0)).unwrap();
        assert_eq!(wo.reporter_phone, stored, "{typed}");
    }
}

/// A check of a successful step: `(before, after)`.
type Check = fn(&WorkOrder, &WorkOrder);
/// `(case, the order before, acting staff, command, the check or the exact error)`.
type StepCase = (
    &'static str,
    fn() -> WorkOrder,
    u128,
    WorkOrderCommand,
    Result<Check, WorkOrderError>,
);

pub(super) fn no_check(_: &WorkOrder, _: &WorkOrder) {}

#[test]
fn assign_cases() {
    use WorkOrderError::*;
    #[rustfmt::skip]
    let cases: Vec<StepCase> = vec![
        ("engineering manager assigns", reported, ENG_MGR, assign(TECH1), Ok(|_, w| {
            assert_eq!(w.status, WorkOrderStatus::Assigned);
            assert_eq!(w.assignee, Some(staff(TECH1)));
            assert_eq!(w.assigned_at, Some(t(30)));
            assert_eq!(w.accepted_at, None);
        })),
        ("service-centre manager assigns", reported, CENTER_MGR, assign(TECH2), Ok(|_, w| assert_eq!(w.assignee, Some(staff(TECH2))))),
        ("desk may not", reported, DESK, assign(TECH1), Err(Forbidden("assign work orders"))),
        ("customer-service manager may not", reported, CS_MGR, assign(TECH1), Err(Forbidden("assign work orders"))),
        ("technician may not", reported, TECH1, assign(TECH1), Err(Forbidden("assign work orders"))),
        ("manager of another site", reported, ENG_MGR_SITE_B, assign(TECH1), Err(SiteForbidden)),
        ("inactive technician", reported, ENG_MGR, assign(TECH_INACTIVE), Err(UnknownStaff)),
        ("technician of another site", reported, ENG_MGR, assign(TECH_SITE_B), Err(UnknownStaff)),
        ("not a technician", reported, ENG_MGR, assign(PATROL), Err(UnknownStaff)),
        ("unknown staff", reported, ENG_MGR, assign(UNKNOWN), Err(UnknownStaff)),
        ("reassign from assigned", assigned, ENG_MGR, assign(TECH2), Ok(|b, w| {
            assert_eq!(b.assignee, Some(staff(TECH1)));
            assert_eq!(w.status, WorkOrderStatus::Assigned);
            assert_eq!(w.assignee, Some(staff(TECH2)));
            assert_eq!(w.assigned_at, Some(t(30)));
        })),
        ("reassign from accepted", accepted, ENG_MGR, assign(TECH2), Ok(|b, w| {
            assert!(b.accepted_at.is_some());
            assert_eq!(w.status, WorkOrderStatus::Assigned);
            assert_eq!(w.assignee, Some(staff(TECH2)));
            assert_eq!(w.accepted_at, None, "the new technician has not accepted");
        })),
        ("not once on site", on_site, ENG_MGR, assign(TECH2), Err(InvalidTransition { from: "on_site", action: "work_order.assign" })),
    ];
    run_steps(cases);
}

#[test]
fn technician_steps() {
    use WorkOrderCommand::{Accept, Arrive};
    use WorkOrderError::*;
    #[rustfmt::skip]
    let cases: Vec<StepCase> = vec![
        ("accept", assigned, TECH1, Accept, Ok(|_, w| {
            assert_eq!(w.status, WorkOrderStatus::Accepted);
            assert_eq!(w.accepted_at, Some(t(30)));
            assert_eq!(w.assignee, Some(staff(TECH1)));
        })),
        ("accept by another technician", assigned, TECH2, Accept, Err(NotAssignee)),
        ("accept an unassigned order", reported, TECH1, Accept, Err(NotAssignee)),
        ("accept by a manager", assigned, ENG_MGR, Accept, Err(Forbidden("act as the technician"))),
        ("accept twice", accepted, TECH1, Accept, Err(InvalidTransition { from: "accepted", action: "work_order.accept" })),
        ("accept on site", on_site, TECH1, Accept, Err(InvalidTransition { from: "on_site", action: "work_order.accept" })),
        ("technician of another site", assigned, TECH_SITE_B, Accept, Err(SiteForbidden)),
        ("arrive from assigned accepts too", assigned, TECH1, Arrive, Ok(|_, w| {
            assert_eq!(w.status, WorkOrderStatus::OnSite);
            assert_eq!(w.accepted_at, Some(t(30)));
            assert_eq!(w.arrived_at, Some(t(30)));
        })),
        ("arrive from accepted keeps the accept time", accepted, TECH1, Arrive, Ok(|b, w| {
            assert_eq!(w.status, WorkOrderStatus::OnSite);
            assert_eq!(w.accepted_at, b.accepted_at);
            assert_ne!(w.accepted_at, Some(t(30)));
            assert_eq!(w.arrived_at, Some(t(30)));
        })),
        ("arrive by another technician", accepted, TECH2, Arrive, Err(NotAssignee)),
        ("arrive on an unassigned order", reported, TECH1, Arrive, Err(NotAssignee)),
        ("arrive twice", on_site, TECH1, Arrive, Err(InvalidTransition { from: "on_site", action: "work_order.arrive" })),
        ("decline from assigned", assigned, TECH1, decline("  不在片区  "), Ok(|_, w| {
            assert_eq!(w.status, WorkOrderStatus::Reported);
            assert_eq!(w.assignee, None);
            assert_eq!(w.assigned_at, None);
            assert_eq!(w.accepted_at, None);
            assert_eq!(w.history.last().unwrap().note, "不在片区", "the reason is kept, trimmed");
        })),
        ("decline from accepted", accepted, TECH1, decline("缺少配件"), Ok(|_, w| {
            assert_eq!(w.status, WorkOrderStatus::Reported);
            assert_eq!(w.assignee, None);
            assert_eq!(w.accepted_at, None);
        })),
        ("decline needs a reason", assigned, TECH1, decline("   "), Err(invalid("reason", "required"))),
        ("decline reason too long", assigned, TECH1, decline(&"因".repeat(MAX_SHORT_TEXT_CHARS + 1)), Err(invalid("reason", "too long"))),
        ("decline by another technician", assigned, TECH2, decline("忙"), Err(NotAssignee)),
        ("decline on site", on_site, TECH1, decline("忙"), Err(InvalidTransition { from: "on_site", action: "work_order.decline" })),
    ];
    run_steps(cases);
}

#[test]
fn edit_text_merges_field_by_field() {
    use TextField::*;
    use WorkOrderError::*;
    // The order's content is "厨房水龙头漏水" (trimmed at create) and its location is empty.
    #[rustfmt::skip]
    let cases: Vec<StepCase> = vec![
        ("take: nobody else changed it", reported, DESK, edit(Content, "厨房水龙头漏水", "厨房和卫生间水龙头漏水"), Ok(|_, w| assert_eq!(w.content, "厨房和卫生间水龙头漏水"))),
        ("take: the value is trimmed", reported, DESK, edit(Content, "厨房水龙头漏水", " 漏水 "), Ok(|_, w| assert_eq!(w.content, "漏水"))),
        ("keep: someone else made the same change", reported, DESK, edit(Content, "旧内容", "厨房水龙头漏水"), Ok(|b, w| assert_eq!(w.content, b.content))),
        ("keep: the device changed nothing", reported, DESK, edit(Content, "旧内容", "旧内容"), Ok(|b, w| assert_eq!(w.content, b.content))),
        ("conflict: both changed it", reported, DESK, edit(Content, "旧内容", "新内容"), Err(TextConflict)),
        ("location take", reported, DESK, edit(Location, "", "主卧卫生间"), Ok(|b, w| {
            assert_eq!(w.location, "主卧卫生间");
            assert_eq!(w.content, b.content, "other fields untouched");
        })),
        ("content may not be emptied", reported, DESK, edit(Content, "厨房水龙头漏水", "  "), Err(invalid("content", "required"))),
        ("content too long", reported, DESK, edit(Content, "厨房水龙头漏水", &"漏".repeat(MAX_CONTENT_CHARS + 1)), Err(invalid("content", "too long"))),
        ("location too long", reported, DESK, edit(Location, "", &"楼".repeat(MAX_SHORT_TEXT_CHARS + 1)), Err(invalid("location", "too long"))),
        ("the assignee may edit", assigned, TECH1, edit(Location, "", "厨房"), Ok(|_, w| assert_eq!(w.location, "厨房"))),
        ("a manager may edit", reported, CS_MGR, edit(Location, "", "厨房"), Ok(no_check)),
        ("another technician may not", assigned, TECH2, edit(Location, "", "厨房"), Err(Forbidden("edit this work order"))),
        ("finance may not", reported, FINANCE, edit(Location, "", "厨房"), Err(Forbidden("edit this work order"))),
        ("not at another site", reported, ENG_MGR_SITE_B, edit(Location, "", "厨房"), Err(SiteForbidden)),
    ];
    run_steps(cases);
}

/// Runs step cases at minute 30, each on a fresh order: the exact error, or the check and
/// exactly one new history line.
pub(super) fn run_steps(cases: Vec<StepCase>) {
    let at = t(30);
    for (case, make, by, cmd, want) in cases {
        let before = make();
        let got = run(Some(&before), &cmd, by, at);
        match (got, want) {
            (Ok(after), Ok(check)) => {
                assert_eq!(after.id, before.id, "{case}");
                assert_eq!(after.created_by, before.created_by, "{case}");
                assert_one_history_line(Some(&before), &after, &cmd, by, at, case);
                check(&before, &after);
            }
            (Err(e), Err(w)) => assert_eq!(e, w, "{case}"),
            (Ok(after), Err(w)) => panic!("{case}: got {after:?}, want {w:?}"),
            (Err(e), Ok(_)) => panic!("{case}: got {e:?}, want success"),
        }
    }
}

#[test]
fn history_has_one_line_per_successful_command() {
    // (command, by, succeeds?)
    let steps = [
        (assign(TECH1), ENG_MGR, true),
        (decline("不在片区"), TECH1, true),
        (WorkOrderCommand::Accept, TECH1, false),
        (assign(TECH2), ENG_MGR, true),
        (WorkOrderCommand::Accept, TECH2, true),
        (WorkOrderCommand::Accept, TECH2, false),
        (
            edit(TextField::Content, "厨房水龙头漏水", "卫生间漏水"),
            TECH2,
            true,
        ),
        (edit(TextField::Content, "旧", "新"), TECH2, false),
        (WorkOrderCommand::Arrive, TECH2, true),
    ];
    let mut wo = reported();
    let mut want = vec![("work_order.create", staff(DESK), t(0))];
    for (i, (cmd, by, ok)) in steps.iter().enumerate() {
        let at = t(i as u32 + 1);
        match run(Some(&wo), cmd, *by, at) {
            Ok(next) => {
                assert!(ok, "step {i} should have failed");
                want.push((cmd.type_name(), staff(*by), at));
                wo = next;
            }
            Err(e) => assert!(!ok, "step {i} failed: {e}"),
        }
    }
    let got: Vec<_> = wo
        .history
        .iter()
        .map(|h| (h.action.as_str(), h.by, h.at))
        .collect();
    assert_eq!(got, want);
    assert_eq!(wo.status, WorkOrderStatus::OnSite);
    assert_eq!(wo.assignee, Some(staff(TECH2)));
}

#[test]
fn create_on_existing_and_commands_on_nothing() {
    for wo in [reported(), assigned(), on_site()] {
        for by in [DESK, ENG_MGR, TECH1] {
            assert_eq!(
                run(Some(&wo), &WorkOrderCommand::Create(in_home()), by, t(40)),
                Err(WorkOrderError::AlreadyExists),
                "{:?} by {by}",
                wo.status
            );
        }
    }
    let commands = [
        (assign(TECH1), ENG_MGR),
        (WorkOrderCommand::Accept, TECH1),
        (WorkOrderCommand::Arrive, TECH1),
        (decline("忙"), TECH1),
        (edit(TextField::Content, "a", "b"), DESK),
    ];
    for (cmd, by) in commands {
        assert_eq!(
            run(None, &cmd, by, t(40)),
            Err(WorkOrderError::NotFound),
            "{}",
            cmd.type_name()
        );
    }
}

#[test]
fn a_common_area_order_cannot_lose_its_location() {
    let wo = apply(
        None,
        order_id(),
        &WorkOrderCommand::Create(common_area()),
        &actor(DESK),
        &facts(),
        t(0),
    )
    .expect("created");
    let clear = WorkOrderCommand::EditText {
        field: TextField::Location,
        base: wo.location.clone(),
        value: "   ".into(),
    };
    assert_eq!(
        apply(Some(&wo), wo.id, &clear, &actor(DESK), &facts(), t(1)),
        Err(invalid("location", "required"))
    );
    let moved = WorkOrderCommand::EditText {
        field: TextField::Location,
        base: wo.location.clone(),
        value: "3栋2单元 6楼楼梯间".into(),
    };
    let next = apply(Some(&wo), wo.id, &moved, &actor(DESK), &facts(), t(1)).expect("edited");
    assert_eq!(next.location, "3栋2单元 6楼楼梯间");
}
