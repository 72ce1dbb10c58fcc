//! Every step and every refusal of move-in, move-out, resident cards and the TV tail line.

#![allow(clippy::unwrap_used)]

use super::cards::*;
use super::move_in::*;
use super::move_out::*;
use super::next_working_day;
use crate::ids::{SiteId, StaffId, UnitId};
use crate::money::Fen;
use crate::people::Role;
use crate::sync::wire::BlobRef;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use uuid::Uuid;

const ID_OWNER: &str = "110101199003070011";
const ID_OTHER: &str = "33010619850612004X";

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 2, 0, 0).unwrap()
}
fn desk() -> StaffId {
    StaffId(Uuid::from_u128(1))
}
fn sig() -> BlobRef {
    BlobRef {
        sha256: "a".repeat(64),
        size: 100,
        content_type: "image/png".into(),
    }
}

fn opened() -> MoveIn {
    MoveIn::open(
        Uuid::nil(),
        SiteId(Uuid::nil()),
        &NewMoveIn {
            unit_id: UnitId(Uuid::nil()),
            owner_name: "林海".into(),
            owner_id_card: ID_OWNER.into(),
            owner_phone: "13800138000".into(),
        },
        desk(),
        now(),
    )
    .unwrap()
}

fn papers(agent: Option<AgentInput>) -> MoveInCommand {
    MoveInCommand::CheckPapers {
        registration_form: true,
        notice_taken_back: true,
        purchase_contract: true,
        owner_id_matches: true,
        covenants_signed: true,
        agent,
    }
}

fn run(
    m: &MoveIn,
    cmd: MoveInCommand,
    role: Role,
    today: NaiveDate,
) -> Result<MoveIn, MoveInRefusal> {
    m.apply(&cmd, desk(), role, now(), today)
}

fn inspect(accepted: bool, items: &[&str], reinspect: Option<NaiveDate>) -> MoveInCommand {
    MoveInCommand::Inspect {
        accepted,
        opinion: if accepted {
            "满意".into()
        } else {
            "墙面有裂缝".into()
        },
        signer_name: "林海".into(),
        signature: Some(sig()),
        items: items.iter().map(|s| s.to_string()).collect(),
        reinspect_on: reinspect,
    }
}

fn paid() -> MoveIn {
    let m = run(&opened(), papers(None), Role::Desk, day(20)).unwrap();
    run(
        &m,
        MoveInCommand::RecordFees {
            receipt_no: "SK-001".into(),
            amount_fen: 360_000,
        },
        Role::Finance,
        day(20),
    )
    .unwrap()
}

#[test]
fn working_days_skip_the_weekend() {
    // 2026-11-20 is a Friday.
    assert_eq!(next_working_day(day(20)), day(23));
    assert_eq!(next_working_day(day(21)), day(23));
    assert_eq!(next_working_day(day(22)), day(23));
    assert_eq!(next_working_day(day(23)), day(24));
}

#[test]
fn opening_masks_the_owner_and_checks_the_id() {
    let m = opened();
    assert_eq!(m.owner_id_card_masked, "1101**********0011");
    assert_eq!(m.owner_phone_masked, "138****8000");
    let bad = MoveIn::open(
        Uuid::nil(),
        SiteId(Uuid::nil()),
        &NewMoveIn {
            unit_id: UnitId(Uuid::nil()),
            owner_name: "林海".into(),
            owner_id_card: "123".into(),
            owner_phone: String::new(),
        },
        desk(),
        now(),
    );
    assert_eq!(bad.unwrap_err().code(), "invalid_input");
}

#[test]
fn a_missing_paper_is_refused_by_name() {
    let m = opened();
    let cmd = MoveInCommand::CheckPapers {
        registration_form: true,
        notice_taken_back: false,
        purchase_contract: true,
        owner_id_matches: true,
        covenants_signed: true,
        agent: None,
    };
    assert_eq!(
        run(&m, cmd, Role::Desk, day(20)).unwrap_err(),
        MoveInRefusal::PapersIncomplete("notice_taken_back")
    );
}

#[test]
fn an_agent_brings_the_letter_and_a_valid_id() {
    let m = opened();
    let agent = |letter: bool, id: &str| {
        papers(Some(AgentInput {
            name: "林小海".into(),
            id_card: id.into(),
            authority_letter: letter,
        }))
    };
    assert_eq!(
        run(&m, agent(false, ID_OTHER), Role::Desk, day(20))
            .unwrap_err()
            .code(),
        "agent_papers_missing"
    );
    assert_eq!(
        run(&m, agent(true, "bad"), Role::Desk, day(20))
            .unwrap_err()
            .code(),
        "agent_papers_missing"
    );
    let ok = run(&m, agent(true, ID_OTHER), Role::Desk, day(20)).unwrap();
    let a = ok.papers.unwrap().agent.unwrap();
    assert_eq!(a.id_card_masked, "3301**********004X");
}

#[test]
fn fees_come_from_finance_after_the_papers() {
    let m = opened();
    let fees = MoveInCommand::RecordFees {
        receipt_no: "SK-001".into(),
        amount_fen: 100,
    };
    assert_eq!(
        run(&m, fees.clone(), Role::Finance, day(20)).unwrap_err(),
        MoveInRefusal::PapersNotChecked
    );
    let m = run(&m, papers(None), Role::Desk, day(20)).unwrap();
    assert_eq!(
        run(&m, fees.clone(), Role::Desk, day(20)).unwrap_err(),
        MoveInRefusal::FinanceOnly
    );
    // Finance does not check papers or inspect.
    assert_eq!(
        run(&opened(), papers(None), Role::Finance, day(20)).unwrap_err(),
        MoveInRefusal::Forbidden
    );
    let m = run(&m, fees, Role::Finance, day(20)).unwrap();
    assert_eq!(m.status, MoveInStatus::FeesPaid);
    assert_eq!(m.fees.unwrap().amount, Fen(100));
}

#[test]
fn no_inspection_before_the_fees_and_none_without_the_owners_signature() {
    let m = run(&opened(), papers(None), Role::Desk, day(20)).unwrap();
    assert_eq!(
        run(&m, inspect(true, &[], None), Role::Desk, day(20)).unwrap_err(),
        MoveInRefusal::FeesNotPaid
    );
    let m = paid();
    let unsigned = MoveInCommand::Inspect {
        accepted: true,
        opinion: String::new(),
        signer_name: "林海".into(),
        signature: None,
        items: vec![],
        reinspect_on: None,
    };
    assert_eq!(
        run(&m, unsigned, Role::Desk, day(20)).unwrap_err(),
        MoveInRefusal::OwnerSignatureRequired
    );
}

#[test]
fn keys_are_never_handed_over_before_acceptance() {
    for m in [opened(), paid()] {
        assert_eq!(
            run(&m, MoveInCommand::HandOverKeys, Role::Desk, day(20)).unwrap_err(),
            MoveInRefusal::KeysBeforeAcceptance
        );
    }
}

#[test]
fn a_refused_handover_becomes_rectification_then_reinspection_then_keys() {
    let m = paid();
    // Refusing needs items and a date not in the past.
    assert_eq!(
        run(&m, inspect(false, &[], Some(day(27))), Role::Desk, day(20)).unwrap_err(),
        MoveInRefusal::RectificationItemsRequired
    );
    assert_eq!(
        run(&m, inspect(false, &["墙面裂缝"], None), Role::Desk, day(20)).unwrap_err(),
        MoveInRefusal::ReinspectionDateRequired
    );
    assert_eq!(
        run(
            &m,
            inspect(false, &["墙面裂缝"], Some(day(19))),
            Role::Desk,
            day(20)
        )
        .unwrap_err(),
        MoveInRefusal::ReinspectionDateRequired
    );
    let m = run(
        &m,
        inspect(false, &["主卧墙面裂缝", "厨房水龙头漏水"], Some(day(27))),
        Role::Desk,
        day(20),
    )
    .unwrap();
    assert_eq!(m.status, MoveInStatus::Rectifying);
    assert_eq!(m.items.len(), 2);
    assert_eq!(m.reinspect_on, Some(day(27)));
    assert_eq!(
        run(&m, MoveInCommand::HandOverKeys, Role::Desk, day(20)).unwrap_err(),
        MoveInRefusal::KeysBeforeAcceptance
    );
    // Acceptance waits for every item.
    assert_eq!(
        run(&m, inspect(true, &[], None), Role::Desk, day(20)).unwrap_err(),
        MoveInRefusal::RectificationOpen
    );
    // The owner is answered only about a fix reported done.
    assert_eq!(
        run(
            &m,
            MoveInCommand::ReplyOwner { item_no: 1 },
            Role::Desk,
            day(20)
        )
        .unwrap_err(),
        MoveInRefusal::NotFixed
    );
    // A technician may not report; the engineering manager may.
    assert_eq!(
        run(
            &m,
            MoveInCommand::ReportFixed { item_no: 1 },
            Role::Tech,
            day(20)
        )
        .unwrap_err(),
        MoveInRefusal::Forbidden
    );
    // Reported fixed on Friday the 20th: the owner is answered by Monday the 23rd.
    let m = run(
        &m,
        MoveInCommand::ReportFixed { item_no: 1 },
        Role::EngMgr,
        day(20),
    )
    .unwrap();
    assert_eq!(m.items[0].reply_due, Some(day(23)));
    assert!(m.overdue_replies(day(23)).is_empty());
    assert_eq!(m.overdue_replies(day(24)).len(), 1);
    assert_eq!(
        run(
            &m,
            MoveInCommand::ReportFixed { item_no: 1 },
            Role::Desk,
            day(20)
        )
        .unwrap_err(),
        MoveInRefusal::AlreadyFixed
    );
    assert_eq!(
        run(
            &m,
            MoveInCommand::ReportFixed { item_no: 9 },
            Role::Desk,
            day(20)
        )
        .unwrap_err(),
        MoveInRefusal::UnknownItem
    );
    let m = run(
        &m,
        MoveInCommand::ReplyOwner { item_no: 1 },
        Role::Desk,
        day(23),
    )
    .unwrap();
    assert!(m.overdue_replies(day(30)).is_empty());
    assert_eq!(
        run(
            &m,
            MoveInCommand::ReplyOwner { item_no: 1 },
            Role::Desk,
            day(23)
        )
        .unwrap_err(),
        MoveInRefusal::AlreadyReplied
    );
    let m = run(
        &m,
        MoveInCommand::ReportFixed { item_no: 2 },
        Role::Desk,
        day(24),
    )
    .unwrap();
    let m = run(&m, inspect(true, &[], None), Role::Desk, day(27)).unwrap();
    assert_eq!(m.status, MoveInStatus::Accepted);
    assert_eq!(m.inspections.len(), 2);
    assert!(!m.inspections[0].accepted && m.inspections[1].accepted);
    let m = run(&m, MoveInCommand::HandOverKeys, Role::Desk, day(27)).unwrap();
    assert_eq!(m.status, MoveInStatus::KeysHanded);
    assert_eq!(
        run(&m, MoveInCommand::HandOverKeys, Role::Desk, day(27))
            .unwrap_err()
            .code(),
        "invalid_transition"
    );
    assert_eq!(
        run(&m, inspect(true, &[], None), Role::Desk, day(27))
            .unwrap_err()
            .code(),
        "invalid_transition"
    );
}

// --- resident cards and the TV tail line -----------------------------------------------------

fn card_req(holder: CardHolder, deposit: i64) -> CardRequest {
    CardRequest {
        unit_id: UnitId(Uuid::nil()),
        holder_name: "林海".into(),
        id_card: ID_OWNER.into(),
        holder,
        documents_checked: true,
        photos: holder.photos_required(),
        fee_fen: 1000,
        deposit_fen: deposit,
    }
}

fn issue(req: &CardRequest, active: bool) -> Result<ResidentCard, CardRefusal> {
    issue_card(
        Uuid::nil(),
        SiteId(Uuid::nil()),
        "ZH-0001".into(),
        req,
        active,
        desk(),
        now(),
    )
}

#[test]
fn one_person_one_card() {
    let req = card_req(CardHolder::Owner, 0);
    let card = issue(&req, false).unwrap();
    assert_eq!(card.status, CardStatus::Active);
    assert_eq!(
        issue(&req, true).unwrap_err(),
        CardRefusal::CardAlreadyActive
    );
    let back = card.returned(now()).unwrap();
    assert_eq!(back.status, CardStatus::Returned);
    assert_eq!(back.returned(now()).unwrap_err().code(), "card_not_active");
}

#[test]
fn tenants_and_non_direct_relatives_pay_the_deposit() {
    for h in [CardHolder::Tenant, CardHolder::OtherRelative] {
        assert_eq!(
            issue(&card_req(h, 0), false).unwrap_err(),
            CardRefusal::DepositRequired
        );
        assert_eq!(issue(&card_req(h, 5000), false).unwrap().deposit, Fen(5000));
    }
    for h in [CardHolder::Owner, CardHolder::DirectRelative] {
        assert_eq!(issue(&card_req(h, 5000), false).unwrap().deposit, Fen(0));
    }
}

#[test]
fn documents_photos_and_amounts_are_checked() {
    let mut r = card_req(CardHolder::Owner, 0);
    r.documents_checked = false;
    assert_eq!(
        issue(&r, false).unwrap_err(),
        CardRefusal::DocumentsNotChecked
    );
    let mut r = card_req(CardHolder::Owner, 0);
    r.photos = 2;
    assert_eq!(
        issue(&r, false).unwrap_err(),
        CardRefusal::PhotosMissing { required: 4 }
    );
    let mut r = card_req(CardHolder::DirectRelative, 0);
    r.photos = 2;
    assert!(issue(&r, false).is_ok());
    let mut r = card_req(CardHolder::Owner, 0);
    r.fee_fen = -1;
    assert_eq!(issue(&r, false).unwrap_err().code(), "invalid_input");
    let mut r = card_req(CardHolder::Owner, 0);
    r.id_card = "110101199003070012".into();
    assert_eq!(issue(&r, false).unwrap_err().code(), "invalid_input");
}

#[test]
fn one_tail_line_per_household_against_a_signature() {
    assert_eq!(
        collect_tail_line(true, true).unwrap_err(),
        CardRefusal::TailLineAlreadyCollected
    );
    assert_eq!(
        collect_tail_line(false, false).unwrap_err(),
        CardRefusal::RegisterNotSigned
    );
    assert!(collect_tail_line(false, true).is_ok());
}

// --- move-out ---------------------------------------------------------------------------------

fn new_out(signed: bool, signature: Option<BlobRef>) -> NewMoveOut {
    NewMoveOut {
        unit_id: UnitId(Uuid::nil()),
        tenant_name: "周租户".into(),
        owner_name: "林海".into(),
        entrustment_signed: signed,
        entrustment_signature: signature,
    }
}

fn out_open() -> MoveOut {
    MoveOut::open(
        Uuid::nil(),
        SiteId(Uuid::nil()),
        &new_out(true, Some(sig())),
        desk(),
        now(),
    )
    .unwrap()
}

fn step(m: &MoveOut, cmd: MoveOutCommand, role: Role) -> Result<MoveOut, MoveOutRefusal> {
    m.apply(&cmd, desk(), role, 2, now(), day(20))
}

fn settle() -> MoveOutCommand {
    MoveOutCommand::Settle {
        receipt_no: "SK-009".into(),
        amount_fen: 12_000,
    }
}

#[test]
fn no_move_out_without_the_owners_signed_entrustment() {
    for input in [
        new_out(false, Some(sig())),
        new_out(true, None),
        new_out(false, None),
    ] {
        assert_eq!(
            MoveOut::open(Uuid::nil(), SiteId(Uuid::nil()), &input, desk(), now()).unwrap_err(),
            MoveOutRefusal::OwnerEntrustmentRequired
        );
    }
}

#[test]
fn the_move_out_runs_in_the_seeds_order() {
    let m = out_open();
    let inspect = MoveOutCommand::Inspect {
        note: String::new(),
        dispute: None,
    };
    assert_eq!(
        step(&m, inspect.clone(), Role::Desk).unwrap_err(),
        MoveOutRefusal::SecurityReviewRequired
    );
    assert_eq!(
        step(&m, settle(), Role::Finance).unwrap_err(),
        MoveOutRefusal::SettlementBeforeInspection
    );
    // The desk is not the security team.
    assert_eq!(
        step(
            &m,
            MoveOutCommand::SecurityReview {
                note: String::new()
            },
            Role::Desk
        )
        .unwrap_err(),
        MoveOutRefusal::Forbidden
    );
    let m = step(
        &m,
        MoveOutCommand::SecurityReview {
            note: "无欠费记录".into(),
        },
        Role::Security,
    )
    .unwrap();
    assert_eq!(
        step(&m, settle(), Role::Finance).unwrap_err(),
        MoveOutRefusal::SettlementBeforeInspection
    );
    let m = step(&m, inspect, Role::Desk).unwrap();
    assert_eq!(
        step(
            &m,
            MoveOutCommand::ReturnPasses {
                release_pass_no: "FX-1".into()
            },
            Role::Security
        )
        .unwrap_err(),
        MoveOutRefusal::SettlementRequired
    );
    assert_eq!(
        step(&m, settle(), Role::Desk).unwrap_err(),
        MoveOutRefusal::FinanceOnly
    );
    let m = step(&m, settle(), Role::Finance).unwrap();
    assert_eq!(
        step(&m, MoveOutCommand::MoveOut, Role::Desk).unwrap_err(),
        MoveOutRefusal::PassesNotReturned
    );
    assert_eq!(
        step(
            &m,
            MoveOutCommand::ReturnPasses {
                release_pass_no: " ".into()
            },
            Role::Security
        )
        .unwrap_err(),
        MoveOutRefusal::ReleasePassRequired
    );
    let m = step(
        &m,
        MoveOutCommand::ReturnPasses {
            release_pass_no: "FX-2026-0007".into(),
        },
        Role::Security,
    )
    .unwrap();
    assert_eq!(m.cards_returned, 2);
    assert_eq!(m.release_pass_no.as_deref(), Some("FX-2026-0007"));
    let m = step(&m, MoveOutCommand::MoveOut, Role::Desk).unwrap();
    assert_eq!(m.status, MoveOutStatus::MovedOut);
}

#[test]
fn a_dispute_is_fixed_by_the_tenant_or_compensated() {
    let m = out_open();
    let m = step(
        &m,
        MoveOutCommand::SecurityReview {
            note: String::new(),
        },
        Role::Security,
    )
    .unwrap();
    let fix = |deadline| MoveOutCommand::Inspect {
        note: String::new(),
        dispute: Some(DisputeInput {
            description: "客厅墙面污损".into(),
            resolution: Resolution::TenantFixes { deadline },
        }),
    };
    assert_eq!(
        step(&m, fix(day(19)), Role::Desk).unwrap_err().code(),
        "invalid_input"
    );
    let d = step(&m, fix(day(25)), Role::Desk).unwrap();
    assert_eq!(d.status, MoveOutStatus::Disputed);
    assert_eq!(
        step(&d, settle(), Role::Finance).unwrap_err(),
        MoveOutRefusal::DisputeOpen
    );
    let d = step(&d, MoveOutCommand::ConfirmFixed, Role::Desk).unwrap();
    assert_eq!(d.status, MoveOutStatus::Inspected);
    assert!(d.dispute.unwrap().fixed_at.is_some());

    let pay = |amount_fen| MoveOutCommand::Inspect {
        note: String::new(),
        dispute: Some(DisputeInput {
            description: "门锁损坏".into(),
            resolution: Resolution::Compensate { amount_fen },
        }),
    };
    assert_eq!(
        step(&m, pay(0), Role::Desk).unwrap_err().code(),
        "invalid_input"
    );
    let c = step(&m, pay(30_000), Role::Desk).unwrap();
    assert_eq!(c.status, MoveOutStatus::Inspected);
    assert!(step(&c, settle(), Role::Finance).is_ok());
}
