#![allow(clippy::unwrap_used)]

use super::pass::*;
use super::policy::ReleasePolicy;
use crate::ids::{SiteId, StaffId, UnitId};
use crate::people::{IdCardNumber, Role};
use crate::sync::wire::BlobRef;
use crate::work_orders::Actor;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use uuid::Uuid;

fn site() -> SiteId {
    SiteId(Uuid::from_u128(1))
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 21, 2, 0, 0).unwrap()
}

fn actor(role: Role) -> Actor {
    Actor {
        staff_id: StaffId(Uuid::from_u128(9)),
        role,
        sites: vec![site()],
    }
}

fn id_number() -> String {
    let first = b"11010519491231002";
    let mut s = String::from_utf8(first.to_vec()).unwrap();
    s.push(IdCardNumber::check_char(first) as char);
    s
}

fn signature() -> BlobRef {
    BlobRef {
        sha256: "a".repeat(64),
        size: 1200,
        content_type: "image/png".into(),
    }
}

fn draft() -> PassDraft {
    PassDraft {
        unit_id: UnitId(Uuid::from_u128(5)),
        owner_name: "王建国".into(),
        tenant_name: "李四".into(),
        identity: IdentityCheck::Phone {
            id_number: true,
            family_members: true,
            employer: true,
        },
        moving_at: NaiveDate::from_ymd_opt(2026, 11, 21)
            .unwrap()
            .and_hms_opt(15, 0, 0)
            .unwrap(),
        mover_name: "张师傅".into(),
        mover_id_number: id_number(),
        items: vec![
            ItemLine {
                name: "冰箱".into(),
                quantity: 1,
            },
            ItemLine {
                name: " ".into(),
                quantity: 0,
            },
        ],
        owner_opinion: "同意租户搬出".into(),
        handler_signature: signature(),
    }
}

fn facts() -> IssueFacts {
    IssueFacts {
        unit: Some((site(), "5栋1单元101".into())),
        open_bills: Vec::new(),
        policy: ReleasePolicy::default(),
        handler_name: "前台小刘".into(),
        signature_uploaded: true,
    }
}

fn issued() -> Pass {
    issue(
        Uuid::from_u128(77),
        serial("2026-11", 1),
        &draft(),
        &actor(Role::Desk),
        &facts(),
        now(),
    )
    .unwrap()
}

fn refused(d: &PassDraft, f: &IssueFacts) -> &'static str {
    issue(
        Uuid::from_u128(77),
        serial("2026-11", 1),
        d,
        &actor(Role::Desk),
        f,
        now(),
    )
    .unwrap_err()
    .code()
}

#[test]
fn a_complete_draft_is_issued_with_the_mover_id_masked() {
    let p = issued();
    assert_eq!(p.number, "FX-2026-11-0001");
    assert_eq!(p.status, PassStatus::Issued);
    assert_eq!(p.items.len(), 1, "the empty line is dropped");
    let id = id_number();
    assert_eq!(
        p.mover_id_masked,
        format!("{}**********{}", &id[..4], &id[14..])
    );
    let json = serde_json::to_string(&p).unwrap();
    assert!(
        !json.contains(&id_number()),
        "the full ID number never enters the record"
    );
    assert_eq!(p.handler_name, "前台小刘");
}

#[test]
fn unpaid_fees_block_the_pass() {
    let mut f = facts();
    f.open_bills.push(OpenBill {
        number: "FK-2026-11-0003".into(),
        amount_fen: 5000,
    });
    assert_eq!(refused(&draft(), &f), "unpaid_fees");
}

#[test]
fn every_identity_box_must_be_ticked() {
    for (a, b, c) in [
        (false, true, true),
        (true, false, true),
        (true, true, false),
    ] {
        let mut d = draft();
        d.identity = IdentityCheck::Phone {
            id_number: a,
            family_members: b,
            employer: c,
        };
        assert_eq!(refused(&d, &facts()), "identity_incomplete");
    }
    let mut d = draft();
    d.identity = IdentityCheck::InPerson { original_id: false };
    assert_eq!(refused(&d, &facts()), "identity_incomplete");
    d.identity = IdentityCheck::InPerson { original_id: true };
    assert!(issue(
        Uuid::nil(),
        "x".into(),
        &d,
        &actor(Role::Desk),
        &facts(),
        now()
    )
    .is_ok());
}

#[test]
fn a_site_may_refuse_phone_confirmation() {
    let mut f = facts();
    f.policy.phone_confirmation = false;
    assert_eq!(refused(&draft(), &f), "phone_confirmation_not_allowed");
}

#[test]
fn a_pass_needs_items() {
    let mut d = draft();
    d.items.truncate(1);
    d.items[0].name = "  ".into();
    d.items[0].quantity = 0;
    assert_eq!(refused(&d, &facts()), "no_items");
    d.items[0].name = "沙发".into();
    assert_eq!(
        refused(&d, &facts()),
        "invalid_input",
        "a name without a quantity"
    );
    d.items[0].quantity = 1000;
    assert_eq!(refused(&d, &facts()), "invalid_input");
}

#[test]
fn details_are_required() {
    let mut d = draft();
    d.owner_opinion = " ".into();
    assert_eq!(refused(&d, &facts()), "invalid_input");
    let mut d = draft();
    d.mover_id_number = "110105194912310021".into();
    assert_eq!(refused(&d, &facts()), "invalid_input");
    let mut d = draft();
    d.mover_name = String::new();
    assert_eq!(refused(&d, &facts()), "invalid_input");
}

#[test]
fn the_handler_signs() {
    let mut f = facts();
    f.signature_uploaded = false;
    assert_eq!(refused(&draft(), &f), "signature_missing");
    let mut d = draft();
    d.handler_signature.sha256 = "nope".into();
    assert_eq!(refused(&d, &facts()), "signature_missing");
}

#[test]
fn only_the_desk_of_the_unit_site_issues() {
    let e = issue(
        Uuid::nil(),
        "x".into(),
        &draft(),
        &actor(Role::Security),
        &facts(),
        now(),
    );
    assert_eq!(e.unwrap_err().code(), "forbidden");
    let mut f = facts();
    f.unit = Some((SiteId(Uuid::from_u128(2)), "x".into()));
    assert_eq!(refused(&draft(), &f), "site_forbidden");
    f.unit = None;
    assert_eq!(refused(&draft(), &f), "unit_not_in_site");
}

#[test]
fn the_gate_uses_a_pass_once() {
    let p = issued();
    let sec = actor(Role::Security);
    let used = apply_pass(Some(&p), &PassCommand::Use, &sec, now()).unwrap();
    assert_eq!(used.status, PassStatus::Used);
    assert_eq!(used.used_by, Some(sec.staff_id));
    let again = apply_pass(Some(&used), &PassCommand::Use, &sec, now());
    assert_eq!(again.unwrap_err().code(), "already_used");
    let void = apply_pass(
        Some(&used),
        &PassCommand::Void {
            reason: "写错".into(),
        },
        &actor(Role::Desk),
        now(),
    );
    assert_eq!(void.unwrap_err().code(), "already_used");
}

#[test]
fn a_void_pass_is_refused_at_the_gate() {
    let p = issued();
    let desk = actor(Role::Desk);
    let empty = apply_pass(
        Some(&p),
        &PassCommand::Void { reason: " ".into() },
        &desk,
        now(),
    );
    assert_eq!(
        empty.unwrap_err().code(),
        "invalid_input",
        "a reason is required"
    );
    let v = apply_pass(
        Some(&p),
        &PassCommand::Void {
            reason: "业主取消搬家".into(),
        },
        &desk,
        now(),
    )
    .unwrap();
    assert_eq!(v.status, PassStatus::Void);
    assert_eq!(v.void_reason, "业主取消搬家");
    let sec = actor(Role::Security);
    assert_eq!(
        apply_pass(Some(&v), &PassCommand::Use, &sec, now())
            .unwrap_err()
            .code(),
        "void"
    );
    assert_eq!(check_at_gate(Some(&v)).unwrap_err().code(), "void");
}

#[test]
fn an_unknown_pass_is_not_issued_and_roles_are_checked() {
    let sec = actor(Role::Security);
    assert_eq!(
        apply_pass(None, &PassCommand::Use, &sec, now())
            .unwrap_err()
            .code(),
        "not_issued"
    );
    let p = issued();
    assert_eq!(
        apply_pass(Some(&p), &PassCommand::Use, &actor(Role::Desk), now())
            .unwrap_err()
            .code(),
        "forbidden"
    );
    let mut other = actor(Role::Security);
    other.sites = vec![SiteId(Uuid::from_u128(2))];
    assert_eq!(
        apply_pass(Some(&p), &PassCommand::Use, &other, now())
            .unwrap_err()
            .code(),
        "site_forbidden"
    );
}

#[test]
fn typed_numbers_are_found() {
    let mut a = issued();
    let mut b = issued();
    a.number = serial("2026-11", 1);
    b.number = serial("2026-11", 12);
    let all = vec![a, b];
    assert_eq!(
        find_by_number(&all, " fx－2026－11－0012 ").unwrap().number,
        "FX-2026-11-0012"
    );
    assert_eq!(
        find_by_number(&all, "0001").unwrap().number,
        "FX-2026-11-0001"
    );
    assert_eq!(
        find_by_number(&all, "12").unwrap().number,
        "FX-2026-11-0012"
    );
    assert!(find_by_number(&all, "3").is_none());
    assert!(find_by_number(&all, "").is_none());
    let mut c = all[0].clone();
    c.number = serial("2026-12", 1);
    let ambiguous = vec![all[0].clone(), c];
    assert!(
        find_by_number(&ambiguous, "1").is_none(),
        "two months, one suffix"
    );
}
