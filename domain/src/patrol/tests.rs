//! The round state machine, fault → work with de-duplication, and the rates.

#![allow(clippy::unwrap_used)]

use super::checklist::{default_checklist, AreaType};
use super::findings::{derive_work, FaultSource, WorkKind};
use super::report::{completion, good_order, suspicions, Rate, Suspicion};
use super::round::*;
use crate::ids::{CheckpointId, FindingId, RoundId, SiteId, StaffId};
use crate::sync::wire::BlobRef;
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use uuid::Uuid;

fn cp(n: u128) -> CheckpointId {
    CheckpointId(Uuid::from_u128(0xc0 + n))
}
const SITE: SiteId = SiteId(Uuid::from_u128(1));
const OTHER_SITE: SiteId = SiteId(Uuid::from_u128(2));
const OFFICER: StaffId = StaffId(Uuid::from_u128(0x10));
const SOMEONE: StaffId = StaffId(Uuid::from_u128(0x11));

fn t(s: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 21, 1, 0, 0).unwrap() + Duration::seconds(s)
}

fn stop(n: u128, area: AreaType, name: &str, lat: f64) -> Stop {
    Stop {
        checkpoint_id: cp(n),
        code: format!("CP-{n}"),
        name_zh: name.into(),
        area,
        items: default_checklist(area),
        position: Some(GeoPoint { lat, lng: 120.0 }),
    }
}

/// Three stairwells and a roof, ~100 m apart (0.0009° of latitude).
fn planned() -> Round {
    Round {
        id: RoundId(Uuid::from_u128(0x77)),
        site_id: SITE,
        officer: OFFICER,
        date: NaiveDate::from_ymd_opt(2026, 11, 21).unwrap(),
        route_name: "3栋日常巡检".into(),
        ordered: true,
        stops: vec![
            stop(1, AreaType::Stairwell, "3栋1单元 楼梯间", 30.0),
            stop(2, AreaType::Stairwell, "3栋2单元 楼梯间", 30.0009),
            stop(3, AreaType::Roof, "3栋 楼顶天台", 30.0018),
            stop(4, AreaType::Lift, "3栋1单元 电梯", 30.0027),
        ],
        status: RoundStatus::Planned,
        started_at: None,
        finished_at: None,
        early_reason: None,
        scans: vec![],
        answers: vec![],
        findings: vec![],
    }
}

fn known(code: &str) -> Option<KnownCode> {
    match code {
        "CP-9" => Some(KnownCode {
            site_id: SITE,
            checkpoint_id: cp(9),
        }),
        "FL-1" => Some(KnownCode {
            site_id: OTHER_SITE,
            checkpoint_id: cp(99),
        }),
        _ => None,
    }
}

fn run(r: &Round, cmd: RoundCommand, at: i64) -> Result<Round, RoundError> {
    r.apply(&cmd, OFFICER, &known, t(at))
}

fn ok(r: &Round, cmd: RoundCommand, at: i64) -> Round {
    run(r, cmd, at).unwrap()
}

fn scan(code: &str) -> RoundCommand {
    RoundCommand::Scan {
        code: code.into(),
        position: None,
    }
}

fn answer(
    c: u128,
    item: &str,
    value: AnswerValue,
    note: &str,
    photos: Vec<BlobRef>,
) -> RoundCommand {
    RoundCommand::Answer {
        checkpoint_id: cp(c),
        item_code: item.into(),
        value,
        note: note.into(),
        photos,
    }
}

fn photo() -> BlobRef {
    BlobRef {
        sha256: "cd".repeat(32),
        size: 90_000,
        content_type: "image/jpeg".into(),
    }
}

fn started() -> Round {
    ok(&planned(), RoundCommand::Start, 0)
}

#[test]
fn a_round_from_start_to_finish() {
    let mut r = started();
    assert_eq!(r.status, RoundStatus::InProgress);
    for (i, code) in ["CP-1", "CP-2", "CP-3", "CP-4"].iter().enumerate() {
        r = ok(&r, scan(code), 120 * (i as i64 + 1));
    }
    r = ok(&r, answer(1, "1a", AnswerValue::Normal, "", vec![]), 500);
    let done = ok(&r, RoundCommand::Finish, 600);
    assert_eq!(done.status, RoundStatus::Finished);
    assert_eq!(done.finished_at, Some(t(600)));
    assert_eq!(
        run(&done, scan("CP-1"), 601),
        Err(RoundError::InvalidTransition {
            from: "finished",
            action: "round.scan"
        })
    );
}

#[test]
fn every_refusal_the_procedure_needs() {
    let r = started();
    assert_eq!(
        run(&planned(), scan("CP-1"), 1),
        Err(RoundError::InvalidTransition {
            from: "planned",
            action: "round.scan"
        })
    );
    assert_eq!(
        run(&r, RoundCommand::Start, 1),
        Err(RoundError::InvalidTransition {
            from: "in_progress",
            action: "round.start"
        })
    );
    assert_eq!(
        r.apply(&scan("CP-1"), SOMEONE, &known, t(1)),
        Err(RoundError::NotOfficer)
    );
    assert_eq!(
        run(&r, scan("ZZ-404"), 1),
        Err(RoundError::UnknownCheckpoint)
    );
    assert_eq!(run(&r, scan("FL-1"), 1), Err(RoundError::OtherSite));
    assert_eq!(run(&r, scan("CP-9"), 1), Err(RoundError::NotOnRound));
    // Answers: only for a scanned checkpoint of this round, only its own items.
    assert_eq!(
        run(&r, answer(1, "1a", AnswerValue::Normal, "", vec![]), 2),
        Err(RoundError::NotScanned)
    );
    assert_eq!(
        run(&r, answer(9, "1a", AnswerValue::Normal, "", vec![]), 2),
        Err(RoundError::NotOnRound)
    );
    let s = ok(&r, scan(" CP-1 "), 3);
    assert_eq!(
        run(&s, answer(1, "2a", AnswerValue::Normal, "", vec![]), 4),
        Err(RoundError::UnknownItem)
    );
    // 异常 needs a note or a photo; either is enough.
    assert_eq!(
        run(&s, answer(1, "1c3", AnswerValue::Fault, "  ", vec![]), 4),
        Err(RoundError::FaultNeedsEvidence)
    );
    assert!(run(
        &s,
        answer(1, "1c3", AnswerValue::Fault, "", vec![photo()]),
        4
    )
    .is_ok());
    assert!(run(
        &s,
        answer(1, "1c3", AnswerValue::Fault, "防火门被顶开", vec![]),
        4
    )
    .is_ok());
    // Finishing with checkpoints left needs a reason.
    assert_eq!(
        run(&s, RoundCommand::Finish, 5),
        Err(RoundError::CheckpointsLeft)
    );
    assert_eq!(
        run(&s, RoundCommand::FinishEarly { reason: " ".into() }, 5),
        Err(RoundError::InvalidInput {
            field: "note",
            reason: "required"
        })
    );
    let early = ok(
        &s,
        RoundCommand::FinishEarly {
            reason: "暴雨，天台积水无法进入".into(),
        },
        5,
    );
    assert_eq!(early.status, RoundStatus::FinishedEarly);
    assert_eq!(early.missed().len(), 3);
    // A finding away from a checkpoint needs a place; a finding id is used once.
    let f = |place: &str| RoundCommand::Finding {
        finding_id: FindingId(Uuid::from_u128(0xf1)),
        checkpoint_id: None,
        place: place.into(),
        note: "绿化带有高空抛物的垃圾".into(),
        photos: vec![photo()],
        severity: Severity::Medium,
        for_customer_service: true,
    };
    assert!(matches!(
        run(&s, f(""), 6),
        Err(RoundError::InvalidInput { field: "place", .. })
    ));
    let with = ok(&s, f("3栋南侧绿化带"), 6);
    assert!(matches!(
        run(&with, f("3栋南侧绿化带"), 7),
        Err(RoundError::InvalidInput {
            field: "finding_id",
            ..
        })
    ));
}

#[test]
fn faults_become_work_once() {
    let mut r = started();
    r = ok(&r, scan("CP-1"), 60);
    r = ok(&r, scan("CP-3"), 300);
    r = ok(
        &r,
        answer(
            1,
            "1c3",
            AnswerValue::Fault,
            "3楼防火门被杂物顶开",
            vec![photo()],
        ),
        70,
    );
    r = ok(
        &r,
        answer(1, "1d", AnswerValue::Fault, "楼梯间有大量垃圾", vec![]),
        71,
    );
    r = ok(
        &r,
        answer(3, "2a", AnswerValue::Fault, "天台门被上锁", vec![]),
        310,
    );
    // Corrected to 正常 before leaving: no work for it.
    r = ok(
        &r,
        answer(3, "2b2", AnswerValue::Fault, "护栏松动", vec![]),
        311,
    );
    r = ok(&r, answer(3, "2b2", AnswerValue::Normal, "", vec![]), 312);
    let work = derive_work(&r, &[]);
    assert_eq!(work.len(), 3);
    assert_eq!(work[0].kind, WorkKind::Repair { urgent: true });
    assert_eq!(work[0].place, "3栋1单元 楼梯间");
    assert_eq!(
        work[0].content,
        "防火门是否关闭 — 异常：3楼防火门被杂物顶开"
    );
    assert_eq!(work[0].photos, vec![photo()]);
    assert_eq!(work[1].kind, WorkKind::Case);
    assert_eq!(
        work[2].kind,
        WorkKind::Repair { urgent: true },
        "a locked roof door is urgent"
    );
    // The fire door is already reported and open: no duplicate.
    let open = [FaultSource::Item {
        checkpoint_id: cp(1),
        item_code: "1c3".into(),
    }];
    let again = derive_work(&r, &open);
    assert_eq!(again.len(), 2);
    assert!(again.iter().all(|w| w.source != open[0]));
}

#[test]
fn completion_and_good_order_rates() {
    let mut r = started();
    r = ok(&r, scan("CP-1"), 60);
    r = ok(&r, scan("CP-2"), 180);
    r = ok(&r, scan("CP-3"), 300);
    for code in ["1a", "1b", "1c1", "1c2"] {
        r = ok(&r, answer(1, code, AnswerValue::Normal, "", vec![]), 70);
    }
    r = ok(&r, answer(1, "1c3", AnswerValue::Fault, "x", vec![]), 71);
    r = ok(
        &r,
        answer(1, "1d", AnswerValue::NotApplicable, "", vec![]),
        72,
    );
    assert_eq!(completion(&[&r]), Rate { num: 3, den: 4 });
    assert_eq!(completion(&[&r]).permille(), Some(750));
    let g = good_order(&[&r]);
    assert_eq!(g, Rate { num: 4, den: 5 }, "不适用 is left out");
    assert_eq!(g.permille(), Some(800));
    assert!(g.permille().unwrap() < super::report::GOOD_ORDER_TARGET_PERMILLE);
    assert_eq!(Rate { num: 49, den: 50 }.permille(), Some(980));
    assert_eq!(Rate { num: 0, den: 0 }.permille(), None);
    // Rounding half up: 2/3 = 666.67‰ → 667.
    assert_eq!(Rate { num: 2, den: 3 }.permille(), Some(667));
}

#[test]
fn double_scans_and_impossible_walks_are_flagged() {
    let mut r = started();
    r = ok(&r, scan("CP-1"), 0);
    r = ok(&r, scan("CP-1"), 59); // twice within a minute
    r = ok(&r, scan("CP-2"), 200); // 100 m in 141 s: walking
    r = ok(&r, scan("CP-3"), 210); // 100 m in 10 s: 10 m/s
    r = ok(&r, scan("CP-3"), 300); // 90 s later: fine
    let s = suspicions(&r);
    assert_eq!(s.len(), 2, "{s:?}");
    assert!(matches!(s[0], Suspicion::DoubleScan { checkpoint_id, .. } if checkpoint_id == cp(1)));
    assert!(
        matches!(s[1], Suspicion::TooFast { from, to, seconds: 10, .. } if from == cp(2) && to == cp(3))
    );
    let d = GeoPoint {
        lat: 30.0,
        lng: 120.0,
    }
    .distance_m(GeoPoint {
        lat: 30.0009,
        lng: 120.0,
    });
    assert!((d - 100.0).abs() < 1.0, "{d}");
}
