//! The in-home flow after arrival, with the documents' rules: quote against the fee standard,
//! signatures bound to content, the resident's acceptance or refusal, nobody home, fee pending,
//! referral, second repairs, emergencies, and every clock at its boundary.

#![allow(clippy::unwrap_used)]

use super::sla::{clocks, ClockKind, ClockState, SlaPolicy};
use super::tests::*;
use super::*;
use crate::ids::WorkOrderId;
use crate::money::Fen;
use crate::sync::wire::BlobRef;
use chrono::{DateTime, Duration, TimeZone, Utc};

fn item(code: &str, quantity: u32, fen: i64) -> QuoteLine {
    QuoteLine::Item {
        code: code.into(),
        quantity,
        unit_price: Fen(fen),
        disclaimer_acknowledged: false,
    }
}

fn material(fen: i64, source: MaterialSource, approved: bool) -> QuoteLine {
    QuoteLine::Material {
        name: "水龙头".into(),
        spec: "DN15".into(),
        quantity: 1,
        unit_price: Fen(fen),
        source,
        resident_approved: approved,
    }
}

/// Two catalogue items and one material the office bought with the resident's approval:
/// 2 × ¥30.00 + 1 × ¥25.00 + ¥48.50 = ¥133.50.
fn lines() -> Vec<QuoteLine> {
    vec![
        item("一-01", 2, 3_000),
        item("二-03", 1, 2_500),
        material(4_850, MaterialSource::Office, true),
    ]
}

fn quote(lines: Vec<QuoteLine>) -> WorkOrderCommand {
    WorkOrderCommand::Quote {
        scope: "更换厨房水龙头及角阀".into(),
        lines,
    }
}

fn sig(hash: String) -> SignatureInput {
    SignatureInput {
        image: BlobRef {
            sha256: "ab".repeat(32),
            size: 8_000,
            content_type: "image/png".into(),
        },
        signer_name: "王先生".into(),
        content_hash: hash,
    }
}

fn consent_for(wo: &WorkOrder) -> WorkOrderCommand {
    WorkOrderCommand::Consent {
        signature: sig(quote::consent_hash(wo.id, &wo.scope, &wo.lines)),
    }
}

fn acceptance_for(wo: &WorkOrder, rating: Option<Rating>) -> AcceptanceInput {
    AcceptanceInput {
        signature: Some(sig(quote::acceptance_hash(wo.id, &wo.scope, &wo.lines))),
        opinion: "师傅来得晚".into(),
        rating,
    }
}

/// Runs one step by `by` at minute `m`, expecting success.
fn step(wo: &WorkOrder, cmd: WorkOrderCommand, by: u128, m: u32) -> WorkOrder {
    run(Some(wo), &cmd, by, t(m)).unwrap_or_else(|e| panic!("{}: {e}", cmd.type_name()))
}

fn quoted() -> WorkOrder {
    step(&on_site(), quote(lines()), TECH1, 10)
}

fn in_progress() -> WorkOrder {
    let q = quoted();
    step(&q, consent_for(&q), TECH1, 11)
}

fn finished() -> WorkOrder {
    step(
        &in_progress(),
        WorkOrderCommand::Finish {
            photos: vec![photo(2)],
        },
        TECH1,
        40,
    )
}

#[test]
fn the_whole_paid_in_home_repair() {
    let q = quoted();
    assert_eq!(q.status, WorkOrderStatus::Quoted);
    assert_eq!(q.total(), Some(Fen(13_350)));
    let w = step(&q, consent_for(&q), TECH1, 11);
    assert_eq!(w.status, WorkOrderStatus::InProgress);
    assert_eq!(w.consent.as_ref().unwrap().signed_at, t(11));
    let w = step(
        &w,
        WorkOrderCommand::Finish {
            photos: vec![photo(2)],
        },
        TECH1,
        40,
    );
    assert_eq!(w.status, WorkOrderStatus::Finished);
    let a = acceptance_for(&w, Some(Rating::Dissatisfied));
    let w = step(
        &w,
        WorkOrderCommand::ResidentAccept { acceptance: a },
        TECH1,
        41,
    );
    assert_eq!(w.status, WorkOrderStatus::Closed);
    assert_eq!(w.closed_at, Some(t(41)));
    assert_eq!(w.mandatory_visit(), Some(MandatoryVisit::Dissatisfied));
    let mut numbered = w.clone();
    numbered.number = Some("BX-2026-03-0001".into());
    let charge = billing::charge_of(&numbered).unwrap();
    assert_eq!(charge.amount, Fen(13_350));
    // A second completion of a closed job changes nothing.
    let again = WorkOrderCommand::ResidentAccept {
        acceptance: acceptance_for(&w, Some(Rating::Satisfied)),
    };
    assert_eq!(
        run(Some(&w), &again, TECH1, t(42)),
        Err(WorkOrderError::AlreadyFinal("closed"))
    );
}

#[test]
fn bad_amounts_and_items_are_refused_with_their_code() {
    use WorkOrderError::*;
    let os = on_site();
    let mut disclaimed = item("二-04", 1, 5_000);
    let cases: Vec<(&str, Vec<QuoteLine>, WorkOrderError)> = vec![
        (
            "negative material",
            vec![material(-100, MaterialSource::Office, true)],
            AmountOutOfRange,
        ),
        (
            "absurd material",
            vec![material(500_001, MaterialSource::Office, true)],
            AmountOutOfRange,
        ),
        (
            "unknown item",
            vec![item("九-99", 1, 3_000)],
            UnknownCatalogueItem,
        ),
        (
            "inactive item",
            vec![item("一-99", 1, 1_000)],
            UnknownCatalogueItem,
        ),
        (
            "item of another site's list",
            vec![item("S-05", 1, 0)],
            UnknownCatalogueItem,
        ),
        (
            "price not the fee standard",
            vec![item("一-01", 1, 2_999)],
            PriceMismatch,
        ),
        (
            "zero quantity",
            vec![item("一-01", 0, 3_000)],
            invalid("lines", "quantity out of range"),
        ),
        (
            "quantity 1000",
            vec![item("一-01", 1_000, 3_000)],
            invalid("lines", "quantity out of range"),
        ),
        (
            "bought without approval",
            vec![material(4_850, MaterialSource::Office, false)],
            invalid(
                "lines",
                "materials bought for the resident need their approval first",
            ),
        ),
        (
            "resident's own material charged",
            vec![material(100, MaterialSource::Resident, true)],
            invalid("lines", "materials the resident bought are not charged"),
        ),
        (
            "disclaimer not acknowledged",
            vec![disclaimed.clone()],
            invalid(
                "lines",
                "the resident must acknowledge the item's disclaimer",
            ),
        ),
        (
            "total above ¥50,000",
            vec![material(500_000, MaterialSource::Office, true); 11],
            AmountOutOfRange,
        ),
    ];
    for (case, l, want) in cases {
        assert_eq!(run(Some(&os), &quote(l), TECH1, t(10)), Err(want), "{case}");
    }
    if let QuoteLine::Item {
        disclaimer_acknowledged,
        ..
    } = &mut disclaimed
    {
        *disclaimer_acknowledged = true;
    }
    assert!(run(Some(&os), &quote(vec![disclaimed]), TECH1, t(10)).is_ok());
    // Materials the resident bought are recorded at no charge.
    let own = run(
        Some(&os),
        &quote(vec![material(0, MaterialSource::Resident, false)]),
        TECH1,
        t(10),
    )
    .unwrap();
    assert_eq!(own.total(), Some(Fen(0)));
    // Only the assigned technician quotes.
    assert_eq!(
        run(Some(&os), &quote(lines()), TECH2, t(10)),
        Err(NotAssignee)
    );
    assert_eq!(
        run(Some(&os), &quote(lines()), DESK, t(10)),
        Err(Forbidden("act as the technician"))
    );
}

#[test]
fn a_signature_is_bound_to_what_it_approved() {
    let q = quoted();
    // Signed for other lines than the record holds.
    let other = quote::consent_hash(q.id, &q.scope, &[item("一-01", 1, 3_000)]);
    let bad = WorkOrderCommand::Consent {
        signature: sig(other),
    };
    assert_eq!(
        run(Some(&q), &bad, TECH1, t(11)),
        Err(WorkOrderError::SignatureMismatch)
    );
    // An acceptance hash is not a consent hash.
    let wrong_purpose = quote::acceptance_hash(q.id, &q.scope, &q.lines);
    let bad = WorkOrderCommand::Consent {
        signature: sig(wrong_purpose),
    };
    assert_eq!(
        run(Some(&q), &bad, TECH1, t(11)),
        Err(WorkOrderError::SignatureMismatch)
    );
    // Changing the quote after consent drops the consent and asks for a new signature.
    let signed = in_progress();
    let old = consent_for(&signed);
    let requoted = step(&signed, quote(vec![item("一-01", 3, 3_000)]), TECH1, 20);
    assert_eq!(requoted.status, WorkOrderStatus::Quoted);
    assert_eq!(requoted.consent, None);
    assert_eq!(
        run(Some(&requoted), &old, TECH1, t(21)),
        Err(WorkOrderError::SignatureMismatch)
    );
    assert!(run(Some(&requoted), &consent_for(&requoted), TECH1, t(21)).is_ok());
    // No work before consent.
    assert_eq!(
        run(
            Some(&q),
            &WorkOrderCommand::Finish { photos: vec![] },
            TECH1,
            t(12)
        ),
        Err(WorkOrderError::InvalidTransition {
            from: "quoted",
            action: "work_order.finish"
        })
    );
    // An acceptance signed for other amounts is refused.
    let f = finished();
    let mut a = acceptance_for(&f, Some(Rating::Satisfied));
    a.signature.as_mut().unwrap().content_hash = quote::acceptance_hash(f.id, &f.scope, &[]);
    assert_eq!(
        run(
            Some(&f),
            &WorkOrderCommand::ResidentAccept { acceptance: a },
            TECH1,
            t(41)
        ),
        Err(WorkOrderError::SignatureMismatch)
    );
}

#[test]
fn unsigned_or_unrated_acceptance_needs_a_visit() {
    let f = finished();
    let cases = [
        (Some(Rating::Satisfied), true, None),
        (Some(Rating::FairlySatisfied), true, None),
        (
            Some(Rating::Dissatisfied),
            true,
            Some(MandatoryVisit::Dissatisfied),
        ),
        (None, true, Some(MandatoryVisit::Unrated)),
        (
            Some(Rating::Satisfied),
            false,
            Some(MandatoryVisit::Unsigned),
        ),
    ];
    for (rating, signed, want) in cases {
        let mut a = acceptance_for(&f, rating);
        if !signed {
            a.signature = None;
        }
        let w = step(
            &f,
            WorkOrderCommand::ResidentAccept { acceptance: a },
            TECH1,
            41,
        );
        assert_eq!(w.mandatory_visit(), want, "{rating:?} signed={signed}");
    }
}

#[test]
fn the_resident_declines_the_quote() {
    let q = quoted();
    let reason = "价格太高，业户自行找人维修";
    let cmd = |hash| WorkOrderCommand::ResidentDecline {
        reason: reason.into(),
        technician_signature: sig(hash),
    };
    assert_eq!(
        run(
            Some(&q),
            &cmd(quote::decline_hash(q.id, "别的理由")),
            TECH1,
            t(12)
        ),
        Err(WorkOrderError::SignatureMismatch)
    );
    let w = step(&q, cmd(quote::decline_hash(q.id, reason)), TECH1, 12);
    assert_eq!(w.status, WorkOrderStatus::ResidentDeclined);
    assert_eq!(w.declined.as_ref().unwrap().reason, reason);
    assert_eq!(w.history.last().unwrap().note, reason);
    assert_eq!(billing::charge_of(&w), None);
    assert_eq!(
        run(Some(&w), &quote(lines()), TECH1, t(13)),
        Err(WorkOrderError::AlreadyFinal("resident_declined"))
    );
}

#[test]
fn nobody_home_leaves_a_slip_and_the_desk_rebooks() {
    let a = accepted();
    let w = step(
        &a,
        WorkOrderCommand::NobodyHome {
            photo: Some(photo(3)),
        },
        TECH1,
        20,
    );
    assert_eq!(w.status, WorkOrderStatus::AwaitingRebook);
    assert_eq!(w.attempts.len(), 1);
    assert_eq!(w.attempts[0].at, t(20));
    let rebook = WorkOrderCommand::Rebook {
        timing: Timing::Appointment { at: t(59) },
    };
    assert_eq!(
        run(Some(&w), &rebook, TECH1, t(21)),
        Err(WorkOrderError::Forbidden("rebook visits"))
    );
    let r = step(&w, rebook, DESK, 21);
    assert_eq!(r.status, WorkOrderStatus::Accepted);
    assert_eq!(r.assignee, Some(staff(TECH1)));
    assert_eq!(r.attempts.len(), 1, "the attempt stays on record");
    // The slip uses the office's standard wording, in China time: 09:20 UTC is 17:20.
    assert_eq!(
        quote::message_slip(t(20), "3栋2单元1502"),
        "尊敬的业户,您好!我处今天17时20分上门为您3栋2单元1502单元维修,碰巧您不在家,烦请您能在百忙之中与我处联系,再次确认上门维修时间,谢谢合作!"
    );
}

#[test]
fn a_fee_pending_job_closes_when_both_sides_agree() {
    let f = finished();
    let pending = step(
        &f,
        WorkOrderCommand::FeePending {
            note: "业户对材料费有异议".into(),
            acceptance: acceptance_for(&f, Some(Rating::FairlySatisfied)),
        },
        TECH1,
        41,
    );
    assert_eq!(pending.status, WorkOrderStatus::FeePending);
    let decide = |l: Vec<QuoteLine>| WorkOrderCommand::DecideFee { lines: l };
    assert_eq!(
        run(Some(&pending), &decide(lines()), TECH1, t(50)),
        Err(WorkOrderError::Forbidden("decide fees"))
    );
    let eng = step(&pending, decide(lines()), ENG_MGR, 50);
    assert_eq!(eng.status, WorkOrderStatus::FeePending);
    // Customer service proposes other lines: engineering's approval no longer counts.
    let cheaper = vec![item("一-01", 2, 3_000)];
    let cs = step(&eng, decide(cheaper.clone()), CS_MGR, 51);
    assert_eq!(cs.status, WorkOrderStatus::FeePending);
    assert_eq!(cs.fee_approvals.len(), 1);
    let done = step(&cs, decide(cheaper), ENG_MGR, 52);
    assert_eq!(done.status, WorkOrderStatus::Closed);
    assert_eq!(
        done.mandatory_visit(),
        None,
        "no resident to visit for a common area"
    );
    assert_eq!(done.total(), Some(Fen(6_000)));
    assert_eq!(done.closed_at, Some(t(52)));
}

#[test]
fn supplier_items_are_referred_and_never_dispatched() {
    let mut req = in_home();
    req.matched = CatalogueMatch::Supplier {
        code: "S-05".into(),
    };
    let w = run(None, &WorkOrderCommand::Create(req.clone()), DESK, t(0)).unwrap();
    assert_eq!(w.status, WorkOrderStatus::Referred);
    assert_eq!(w.referred_to.as_deref(), Some("S-05"));
    assert_eq!(
        run(Some(&w), &assign(TECH1), ENG_MGR, t(1)),
        Err(WorkOrderError::AlreadyFinal("referred"))
    );
    req.matched = CatalogueMatch::Supplier {
        code: "S-99".into(),
    };
    assert_eq!(
        run(None, &WorkOrderCommand::Create(req.clone()), DESK, t(0)),
        Err(WorkOrderError::UnknownSupplierItem)
    );
    req.matched = CatalogueMatch::Catalogue {
        code: "九-99".into(),
    };
    assert_eq!(
        run(None, &WorkOrderCommand::Create(req), DESK, t(0)),
        Err(WorkOrderError::UnknownCatalogueItem)
    );
    // The technician may refer after looking at it.
    let refer = WorkOrderCommand::Refer {
        supplier_code: "S-05".into(),
    };
    assert_eq!(
        step(&on_site(), refer, TECH1, 10).status,
        WorkOrderStatus::Referred
    );
}

#[test]
fn out_of_standard_items_get_the_managers_reply() {
    let w = reported();
    let reply = |close| WorkOrderCommand::Reply {
        text: "该项目不在收费标准内，建议联系专业厂家".into(),
        close,
    };
    assert_eq!(
        run(Some(&w), &reply(true), DESK, t(5)),
        Err(WorkOrderError::Forbidden("reply for engineering"))
    );
    let open = step(&w, reply(false), ENG_MGR, 5);
    assert_eq!(open.status, WorkOrderStatus::Reported);
    assert_eq!(open.reply.as_ref().unwrap().at, t(5));
    assert_eq!(
        step(&w, reply(true), ENG_MGR, 5).status,
        WorkOrderStatus::Answered
    );
}

fn prior(code: &str, closed: DateTime<Utc>) -> PriorRepair {
    PriorRepair {
        order_id: WorkOrderId::from_uuid(uuid::Uuid::from_u128(0xeee)),
        number: Some("BX-2026-01-0007".into()),
        code: code.into(),
        closed_at: closed,
    }
}

#[test]
fn a_second_repair_waits_for_the_managers_visit() {
    let mut req = in_home();
    req.matched = CatalogueMatch::Catalogue {
        code: "一-01".into(),
    };
    let create_with = |p: PriorRepair| {
        let mut f = facts();
        f.prior_repairs.insert(unit(UNIT_A), vec![p]);
        apply(
            None,
            order_id(),
            &WorkOrderCommand::Create(req.clone()),
            &actor(DESK),
            &f,
            t(0),
        )
        .unwrap()
    };
    // 90 days to the minute is still within the window; a day more is not; another item is not.
    assert!(create_with(prior("一-01", t(0) - Duration::days(90)))
        .second_repair_of
        .is_some());
    assert!(create_with(prior("一-01", t(0) - Duration::days(91)))
        .second_repair_of
        .is_none());
    assert!(create_with(prior("二-03", t(0) - Duration::days(5)))
        .second_repair_of
        .is_none());
    let w = create_with(prior("一-01", t(0) - Duration::days(30)));
    assert_eq!(
        w.second_repair_of.as_ref().unwrap().number.as_deref(),
        Some("BX-2026-01-0007")
    );
    assert_eq!(
        run(Some(&w), &assign(TECH1), ENG_MGR, t(1)),
        Err(WorkOrderError::SecondRepairNeedsVisit)
    );
    let visit = WorkOrderCommand::ManagerVisit {
        note: "经理已到现场查看，确认为同一问题".into(),
    };
    assert_eq!(
        run(Some(&w), &visit, DESK, t(2)),
        Err(WorkOrderError::Forbidden("record the manager's visit"))
    );
    let v = step(&w, visit, ENG_MGR, 2);
    assert_eq!(
        step(&v, assign(TECH1), ENG_MGR, 3).status,
        WorkOrderStatus::Assigned
    );
    // The resident saying so is enough to flag it.
    let mut said = in_home();
    said.second_repair_reported = true;
    let w = run(None, &WorkOrderCommand::Create(said), DESK, t(0)).unwrap();
    assert!(w.second_repair_of.is_some());
}

#[test]
fn an_emergency_starts_at_once_and_its_paperwork_follows() {
    let mut req = common_area();
    req.kind = RepairKind::Emergency;
    req.reporter_name = String::new();
    req.reporter_phone = String::new();
    req.content = "地下车库跑水".into();
    let w = run(None, &WorkOrderCommand::Create(req.clone()), TECH1, t(0)).unwrap();
    assert_eq!(w.status, WorkOrderStatus::OnSite);
    assert_eq!(w.assignee, Some(staff(TECH1)));
    assert_eq!(w.arrived_at, Some(t(0)));
    assert!(w.retroactive && w.paperwork_pending());
    // A daily repair still needs its reporter.
    req.kind = RepairKind::Daily;
    assert_eq!(
        run(None, &WorkOrderCommand::Create(req), TECH1, t(0)),
        Err(invalid("reporter_name", "required"))
    );
    // A common-area job finishes straight from site: no resident to quote to.
    let f = step(&w, WorkOrderCommand::Finish { photos: vec![] }, TECH1, 30);
    assert_eq!(f.status, WorkOrderStatus::Finished);
    let closed = step(
        &f,
        WorkOrderCommand::ResidentAccept {
            acceptance: acceptance_for(&f, Some(Rating::Satisfied)),
        },
        TECH1,
        31,
    );
    let paperwork = WorkOrderCommand::CompletePaperwork {
        reporter_name: "物业巡逻岗".into(),
        reporter_phone: "13800138000".into(),
        content: "地下车库B2消防水管爆裂跑水，已关阀更换管段".into(),
    };
    let done = step(&closed, paperwork.clone(), DESK, 50);
    assert!(!done.paperwork_pending());
    assert_eq!(done.paperwork_completed_at, Some(t(50)));
    assert_eq!(done.status, WorkOrderStatus::Closed);
    assert_eq!(
        done.mandatory_visit(),
        None,
        "no resident to visit for a common area"
    );
    assert_eq!(
        run(Some(&done), &paperwork, DESK, t(51)),
        Err(invalid("paperwork", "nothing to complete"))
    );
}

#[test]
fn warranty_repairs_are_free_and_go_to_the_developer() {
    let mut req = in_home();
    req.kind = RepairKind::WarrantyComplaint;
    let w = run(None, &WorkOrderCommand::Create(req), DESK, t(0)).unwrap();
    let notify = WorkOrderCommand::NotifyDeveloper {
        contact: "开发商监理部 李工".into(),
        survey_at: Some(t(59)),
    };
    let n = step(&w, notify, ENG_MGR, 4);
    assert_eq!(
        n.warranty.as_ref().unwrap().developer_notified_at,
        Some(t(4))
    );
    let os = step(
        &step(&n, assign(TECH1), ENG_MGR, 5),
        WorkOrderCommand::Arrive,
        TECH1,
        6,
    );
    assert_eq!(
        run(
            Some(&os),
            &quote(vec![item("一-01", 1, 3_000)]),
            TECH1,
            t(7)
        ),
        Err(WorkOrderError::PriceMismatch)
    );
    let free = step(&os, quote(vec![item("一-01", 1, 0)]), TECH1, 7);
    assert_eq!(free.total(), Some(Fen(0)));
    assert!(matches!(
        run(
            Some(&reported()),
            &WorkOrderCommand::NotifyDeveloper {
                contact: "x".into(),
                survey_at: None
            },
            ENG_MGR,
            t(1)
        ),
        Err(WorkOrderError::InvalidInput { field: "kind", .. })
    ));
}

#[test]
fn material_shortage_opens_and_closes() {
    let a = accepted();
    let s = step(
        &a,
        WorkOrderCommand::MaterialShortage {
            note: "缺DN20角阀".into(),
        },
        TECH1,
        5,
    );
    assert!(run(
        Some(&s),
        &WorkOrderCommand::MaterialShortage {
            note: "again".into()
        },
        TECH1,
        t(6)
    )
    .is_err());
    let back = step(&s, WorkOrderCommand::MaterialsArrived, ENG_MGR, 7);
    assert_eq!(back.shortage.unwrap().arrived_at, Some(t(7)));
}

// ---------------------------------------------------------------------------------------------
// Clocks, at the documents' boundaries (China time in the names, UTC in the values).

fn cst(h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 21, h, m, 0).unwrap() - Duration::hours(8)
}

fn state(wo: &WorkOrder, p: &SlaPolicy, kind: ClockKind, now: DateTime<Utc>) -> ClockState {
    clocks(wo, p, now)
        .into_iter()
        .find(|c| c.kind == kind)
        .unwrap()
        .state
}

fn base(at: DateTime<Utc>) -> WorkOrder {
    run(None, &WorkOrderCommand::Create(in_home()), DESK, at).unwrap()
}

#[test]
fn on_site_within_fifteen_minutes_of_accepting_an_immediate_job() {
    let p = SlaPolicy::S3_PROPERTY_DISTRICT;
    let mut w = base(cst(14, 40));
    w.accepted_at = Some(cst(14, 45));
    let now = cst(16, 0);
    w.arrived_at = Some(cst(15, 0));
    assert!(matches!(
        state(&w, &p, ClockKind::OnSite, now),
        ClockState::Met { .. }
    ));
    w.arrived_at = Some(cst(15, 1));
    assert!(state(&w, &p, ClockKind::OnSite, now).is_breached());
    // S2's reading gives 30 minutes.
    assert!(matches!(
        state(
            &w,
            &SlaPolicy::S2_HOUSE_REPAIR_CENTRE,
            ClockKind::OnSite,
            now
        ),
        ClockState::Met { .. }
    ));
    // Not yet arrived: running until 15:00, breached after.
    w.arrived_at = None;
    assert!(matches!(
        state(&w, &p, ClockKind::OnSite, cst(15, 0)),
        ClockState::Running { .. }
    ));
    assert!(state(&w, &p, ClockKind::OnSite, cst(15, 1)).is_breached());
}

#[test]
fn urgent_jobs_count_from_the_call_and_appointments_five_minutes_early() {
    let p = SlaPolicy::S3_PROPERTY_DISTRICT;
    let mut u = base(cst(9, 0));
    u.kind = RepairKind::Urgent;
    u.arrived_at = Some(cst(9, 16));
    assert!(state(&u, &p, ClockKind::OnSite, cst(10, 0)).is_breached());
    u.arrived_at = Some(cst(9, 15));
    assert!(!state(&u, &p, ClockKind::OnSite, cst(10, 0)).is_breached());

    let mut a = base(cst(9, 0));
    a.timing = Timing::Appointment { at: cst(15, 0) };
    a.arrived_at = Some(cst(14, 55));
    assert!(matches!(
        state(&a, &p, ClockKind::Appointment, cst(16, 0)),
        ClockState::Met { .. }
    ));
    a.arrived_at = Some(cst(14, 56));
    assert!(state(&a, &p, ClockKind::Appointment, cst(16, 0)).is_breached());
    assert!(clocks(&a, &p, cst(16, 0))
        .iter()
        .all(|c| c.kind != ClockKind::OnSite));
}

#[test]
fn ticket_engineering_reply_and_developer_clocks() {
    let p = SlaPolicy::S3_PROPERTY_DISTRICT;
    let mut w = base(cst(10, 5));
    w.contacted_at = Some(cst(10, 0));
    w.eng_notified_at = Some(cst(10, 7));
    let now = cst(12, 0);
    assert!(matches!(
        state(&w, &p, ClockKind::Ticket, now),
        ClockState::Met { .. }
    ));
    assert!(matches!(
        state(&w, &p, ClockKind::EngineeringNotified, now),
        ClockState::Met { .. }
    ));
    w.reported_at = cst(10, 6);
    assert!(state(&w, &p, ClockKind::Ticket, now).is_breached());
    w.eng_notified_at = Some(cst(10, 9));
    assert!(state(&w, &p, ClockKind::EngineeringNotified, now).is_breached());
    // Out of the fee standard: the reply is due 15 minutes after engineering got the ticket.
    w.reply = Some(Reply {
        text: "x".into(),
        at: cst(10, 24),
        by: staff(ENG_MGR),
    });
    assert!(matches!(
        state(&w, &p, ClockKind::OutOfStandardReply, now),
        ClockState::Met { .. }
    ));
    w.reply.as_mut().unwrap().at = cst(10, 25);
    assert!(state(&w, &p, ClockKind::OutOfStandardReply, now).is_breached());
    // A catalogue item has no reply clock.
    w.matched = CatalogueMatch::Catalogue {
        code: "一-01".into(),
    };
    assert!(clocks(&w, &p, now)
        .iter()
        .all(|c| c.kind != ClockKind::OutOfStandardReply));

    let mut d = base(cst(10, 0));
    d.kind = RepairKind::WarrantyComplaint;
    d.warranty = Some(WarrantyCoordination {
        developer_notified_at: Some(cst(10, 5)),
        ..Default::default()
    });
    assert!(matches!(
        state(&d, &p, ClockKind::DeveloperNotified, now),
        ClockState::Met { .. }
    ));
    d.warranty.as_mut().unwrap().developer_notified_at = Some(cst(10, 6));
    assert!(state(&d, &p, ClockKind::DeveloperNotified, now).is_breached());
}

#[test]
fn tickets_return_within_three_days_and_shortages_escalate_at_three() {
    let p = SlaPolicy::S3_PROPERTY_DISTRICT;
    let mut w = base(cst(10, 0));
    let three_days = cst(10, 0) + Duration::days(3);
    assert!(matches!(
        state(&w, &p, ClockKind::Returned, three_days),
        ClockState::Running { .. }
    ));
    assert!(state(
        &w,
        &p,
        ClockKind::Returned,
        three_days + Duration::seconds(1)
    )
    .is_breached());
    // S2: 6 days, 12 for leaks.
    let s2 = SlaPolicy::S2_HOUSE_REPAIR_CENTRE;
    w.leak = true;
    let eleven = cst(10, 0) + Duration::days(11);
    assert!(!state(&w, &s2, ClockKind::Returned, eleven).is_breached());
    w.leak = false;
    assert!(state(&w, &s2, ClockKind::Returned, eleven).is_breached());
    w.shortage = Some(Shortage {
        note: "缺件".into(),
        reported_at: cst(10, 0),
        arrived_at: None,
    });
    assert!(state(
        &w,
        &p,
        ClockKind::MaterialEscalation,
        three_days + Duration::minutes(1)
    )
    .is_breached());
}

#[test]
fn a_slow_phone_clock_is_corrected_before_judging() {
    let p = SlaPolicy::S3_PROPERTY_DISTRICT;
    let mut w = base(cst(14, 40));
    w.accepted_at = Some(cst(14, 45));
    // The phone runs 7 minutes slow: it stamped 14:58 on an arrival at 15:05.
    let device = cst(14, 58);
    w.arrived_at = Some(sla::trusted(device, 7 * 60_000, cst(15, 30)));
    assert_eq!(w.arrived_at, Some(cst(15, 5)));
    assert!(state(&w, &p, ClockKind::OnSite, cst(16, 0)).is_breached());
}

#[test]
fn the_board_puts_emergencies_first_then_the_earliest_due() {
    let p = SlaPolicy::S3_PROPERTY_DISTRICT;
    let now = cst(10, 30);
    let mut daily_late = base(cst(9, 0));
    daily_late.accepted_at = Some(cst(9, 5));
    let mut daily_soon = base(cst(10, 0));
    daily_soon.accepted_at = Some(cst(10, 20));
    let mut urgent = base(cst(10, 25));
    urgent.kind = RepairKind::Urgent;
    let mut emergency = base(cst(10, 29));
    emergency.kind = RepairKind::Emergency;
    for w in [
        &mut daily_late,
        &mut daily_soon,
        &mut urgent,
        &mut emergency,
    ] {
        w.eng_notified_at = Some(w.reported_at);
        w.matched = CatalogueMatch::Catalogue {
            code: "一-01".into(),
        };
    }
    let mut all = [&daily_soon, &urgent, &daily_late, &emergency];
    all.sort_by_key(|w| sla::board_key(w, &p, now));
    assert_eq!(
        all.iter().map(|w| w.reported_at).collect::<Vec<_>>(),
        vec![cst(10, 29), cst(10, 25), cst(9, 0), cst(10, 0)]
    );
    assert!(sla::any_breached(&daily_late, &p, now));
    assert!(!sla::any_breached(&daily_soon, &p, now));
}
