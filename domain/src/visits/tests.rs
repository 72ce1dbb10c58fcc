//! The visit record's rules at their boundaries: 22:00 against 21:59, the future, a refused
//! signature, calls after 21:00, a month already signed off.

use super::policy::VisitPolicy;
use super::record::*;
use crate::ids::{SiteId, StaffId, UnitId};
use crate::sync::wire::BlobRef;
use crate::work_orders::sla::china;
use chrono::{DateTime, Duration, TimeZone, Utc};
use uuid::Uuid;

fn local(h: u32, m: u32) -> DateTime<Utc> {
    china()
        .with_ymd_and_hms(2026, 11, 20, h, m, 0)
        .single()
        .expect("time")
        .with_timezone(&Utc)
}

fn input(at: DateTime<Utc>, method: VisitMethod, signature: SignatureOutcome) -> VisitInput {
    VisitInput {
        unit_id: UnitId(Uuid::from_u128(3)),
        visited_at: Some(at),
        topics: vec![VisitTopic::Repairs, VisitTopic::Security],
        method,
        notes: "  楼道灯不亮  ".into(),
        resident_name: "".into(),
        signature,
        feedback_requested: true,
    }
}

fn check(
    i: VisitInput,
    policy: &VisitPolicy,
    now: DateTime<Utc>,
) -> Result<(Visit, Vec<VisitWarning>), VisitRefusal> {
    check_visit(
        i,
        VisitId(Uuid::from_u128(9)),
        SiteId(Uuid::from_u128(1)),
        StaffId(Uuid::from_u128(2)),
        VisitFacts {
            policy,
            month_signed_off: false,
        },
        now,
    )
}

fn image() -> BlobRef {
    BlobRef {
        sha256: "a".repeat(64),
        size: 1200,
        content_type: "image/png".into(),
    }
}

#[test]
fn a_visit_at_21_59_is_recorded_and_at_22_00_refused() {
    let p = VisitPolicy::default();
    let now = local(23, 30);
    let (v, w) = check(
        input(local(21, 59), VisitMethod::Home, SignatureOutcome::Refused),
        &p,
        now,
    )
    .expect("21:59");
    assert!(w.is_empty());
    assert_eq!(v.signature, SignatureOutcome::Refused);
    assert_eq!(v.notes, "楼道灯不亮");
    // Topics in the documents' order.
    assert_eq!(v.topics, vec![VisitTopic::Security, VisitTopic::Repairs]);
    let e = check(
        input(local(22, 0), VisitMethod::Home, SignatureOutcome::Refused),
        &p,
        now,
    );
    assert_eq!(e, Err(VisitRefusal::TooLate));
    assert_eq!(VisitRefusal::TooLate.code(), "visit_too_late");
    // The night runs past midnight until the site's morning.
    let early = check(
        input(
            local(5, 59),
            VisitMethod::Outdoors,
            SignatureOutcome::NotTaken,
        ),
        &p,
        now,
    );
    assert_eq!(early, Err(VisitRefusal::TooLate));
    assert!(check(
        input(
            local(6, 0),
            VisitMethod::Outdoors,
            SignatureOutcome::NotTaken
        ),
        &p,
        now
    )
    .is_ok());
}

#[test]
fn a_site_without_the_limit_records_late_visits() {
    let p = VisitPolicy {
        visits_until: None,
        ..VisitPolicy::default()
    };
    assert!(check(
        input(local(22, 30), VisitMethod::Home, SignatureOutcome::NotTaken),
        &p,
        local(23, 0)
    )
    .is_ok());
    let p = VisitPolicy {
        visits_until: chrono::NaiveTime::from_hms_opt(21, 0, 0),
        ..VisitPolicy::default()
    };
    assert_eq!(
        check(
            input(local(21, 0), VisitMethod::Home, SignatureOutcome::NotTaken),
            &p,
            local(23, 0)
        ),
        Err(VisitRefusal::TooLate)
    );
}

#[test]
fn a_call_after_21_00_is_a_warning_not_a_refusal() {
    let p = VisitPolicy::default();
    let now = local(23, 0);
    let (_, w) = check(
        input(
            local(20, 59),
            VisitMethod::Phone,
            SignatureOutcome::NotTaken,
        ),
        &p,
        now,
    )
    .expect("20:59");
    assert!(w.is_empty());
    let (_, w) = check(
        input(local(21, 0), VisitMethod::Phone, SignatureOutcome::NotTaken),
        &p,
        now,
    )
    .expect("21:00");
    assert_eq!(w, vec![VisitWarning::CallOutsideHours]);
    // Even after 22:00 a call is recorded (S4 warns; the 22:00 rule is for visits at the door).
    let (_, w) = check(
        input(
            local(22, 30),
            VisitMethod::Phone,
            SignatureOutcome::NotTaken,
        ),
        &p,
        now,
    )
    .expect("22:30");
    assert_eq!(w, vec![VisitWarning::CallOutsideHours]);
}

#[test]
fn a_visit_in_the_future_is_refused() {
    let p = VisitPolicy::default();
    let now = local(15, 0);
    let tol = Duration::minutes(FUTURE_TOLERANCE_MINUTES);
    assert!(check(
        input(now + tol, VisitMethod::Home, SignatureOutcome::NotTaken),
        &p,
        now
    )
    .is_ok());
    assert_eq!(
        check(
            input(
                now + tol + Duration::seconds(1),
                VisitMethod::Home,
                SignatureOutcome::NotTaken
            ),
            &p,
            now
        ),
        Err(VisitRefusal::InFuture)
    );
    // Left out, the time is now.
    let mut i = input(now, VisitMethod::Home, SignatureOutcome::NotTaken);
    i.visited_at = None;
    assert_eq!(check(i, &p, now).expect("now").0.visited_at, now);
}

#[test]
fn signatures_are_optional_and_refusal_is_an_outcome() {
    let p = VisitPolicy::default();
    let now = local(15, 0);
    let signed = SignatureOutcome::Signed {
        image: image(),
        signer: " 王女士 ".into(),
    };
    let (v, _) = check(input(local(10, 0), VisitMethod::Home, signed), &p, now).expect("signed");
    assert_eq!(
        v.signature,
        SignatureOutcome::Signed {
            image: image(),
            signer: "王女士".into()
        }
    );
    for bad in [
        SignatureOutcome::Signed {
            image: image(),
            signer: " ".into(),
        },
        SignatureOutcome::Signed {
            image: BlobRef {
                sha256: "xyz".into(),
                ..image()
            },
            signer: "王".into(),
        },
        SignatureOutcome::Signed {
            image: BlobRef {
                content_type: "text/plain".into(),
                ..image()
            },
            signer: "王".into(),
        },
    ] {
        assert_eq!(
            check(input(local(10, 0), VisitMethod::Home, bad), &p, now),
            Err(VisitRefusal::BadSignature)
        );
    }
    let by_phone = SignatureOutcome::Signed {
        image: image(),
        signer: "王".into(),
    };
    assert_eq!(
        check(input(local(10, 0), VisitMethod::Phone, by_phone), &p, now),
        Err(VisitRefusal::SignatureByPhone)
    );
    let v = serde_json::to_value(SignatureOutcome::Refused).expect("json");
    assert_eq!(v, serde_json::json!({"outcome": "refused"}));
}

#[test]
fn topics_and_notes_are_checked() {
    let p = VisitPolicy::default();
    let now = local(15, 0);
    let mut i = input(local(10, 0), VisitMethod::Home, SignatureOutcome::NotTaken);
    i.topics.clear();
    assert_eq!(check(i, &p, now), Err(VisitRefusal::NoTopics));
    let mut i = input(local(10, 0), VisitMethod::Home, SignatureOutcome::NotTaken);
    i.topics.push(VisitTopic::Repairs);
    assert_eq!(check(i, &p, now), Err(VisitRefusal::DuplicateTopic));
    let mut i = input(local(10, 0), VisitMethod::Home, SignatureOutcome::NotTaken);
    i.notes = "字".repeat(MAX_NOTES_CHARS + 1);
    assert_eq!(check(i, &p, now), Err(VisitRefusal::NotesTooLong));
    let mut i = input(local(10, 0), VisitMethod::Home, SignatureOutcome::NotTaken);
    i.notes = "字".repeat(MAX_NOTES_CHARS);
    assert!(check(i, &p, now).is_ok());
    assert_eq!(VisitTopic::ALL.len(), 10);
    assert_eq!(VisitMethod::ALL.len(), 6);
    for t in VisitTopic::ALL {
        assert_eq!(VisitTopic::parse(t.code()), Some(t));
    }
}

#[test]
fn a_month_signed_off_takes_no_more_visits() {
    let p = VisitPolicy::default();
    let r = check_visit(
        input(local(10, 0), VisitMethod::Home, SignatureOutcome::NotTaken),
        VisitId(Uuid::from_u128(9)),
        SiteId(Uuid::from_u128(1)),
        StaffId(Uuid::from_u128(2)),
        VisitFacts {
            policy: &p,
            month_signed_off: true,
        },
        local(15, 0),
    );
    assert_eq!(r, Err(VisitRefusal::MonthClosed));
}

fn actor(role: crate::people::Role) -> crate::work_orders::Actor {
    crate::work_orders::Actor {
        staff_id: StaffId(Uuid::from_u128(2)),
        role,
        sites: vec![SiteId(Uuid::from_u128(1))],
    }
}

fn queued(visit: VisitInput) -> VisitCommand {
    VisitCommand::Record {
        site_id: SiteId(Uuid::from_u128(1)),
        visit,
    }
}

#[test]
fn a_queued_visit_is_checked_like_the_form_and_names_its_signature() {
    use crate::people::Role;
    let now = local(10, 0);
    let signed = SignatureOutcome::Signed {
        image: image(),
        signer: "张阿姨".into(),
    };
    let cmd = queued(input(local(9, 30), VisitMethod::Home, signed));
    // 客户主任 on rounds, the desk and the managers record visits; a technician does not.
    for role in [Role::Patrol, Role::Desk, Role::CsMgr, Role::CenterMgr] {
        assert_eq!(cmd.check(&actor(role), now), Ok(()), "{role:?}");
    }
    for role in [Role::Tech, Role::EngMgr, Role::Security, Role::Admin] {
        assert_eq!(
            cmd.check(&actor(role), now),
            Err(QueuedVisitRefusal::Forbidden),
            "{role:?}"
        );
    }
    assert_eq!(cmd.blobs(), vec![image()]);
    assert_eq!(cmd.type_name(), "visit.record");

    // Another site's visit.
    let other = VisitCommand::Record {
        site_id: SiteId(Uuid::from_u128(77)),
        visit: input(local(9, 30), VisitMethod::Home, SignatureOutcome::Refused),
    };
    let refusal = other
        .check(&actor(Role::Patrol), now)
        .expect_err("another site");
    assert_eq!(refusal, QueuedVisitRefusal::SiteForbidden);
    assert_eq!(refusal.code(), "site_forbidden");

    // The form's own rules, on the device, before anything is queued.
    let mut no_topics = input(local(9, 30), VisitMethod::Home, SignatureOutcome::Refused);
    no_topics.topics.clear();
    assert_eq!(
        queued(no_topics).check(&actor(Role::Patrol), now),
        Err(QueuedVisitRefusal::Rule(VisitRefusal::NoTopics))
    );
    let by_phone = SignatureOutcome::Signed {
        image: image(),
        signer: "张阿姨".into(),
    };
    let refusal = queued(input(local(9, 30), VisitMethod::Phone, by_phone))
        .check(&actor(Role::Patrol), now)
        .expect_err("a phone call cannot be signed");
    assert_eq!(refusal.code(), "signature_by_phone");
    // Six minutes ahead of the device's clock is the future; five is clock drift.
    let ahead = queued(input(
        now + Duration::minutes(6),
        VisitMethod::Home,
        SignatureOutcome::NotTaken,
    ));
    assert_eq!(
        ahead.check(&actor(Role::Patrol), now),
        Err(QueuedVisitRefusal::Rule(VisitRefusal::InFuture))
    );
    let drift = queued(input(
        now + Duration::minutes(5),
        VisitMethod::Home,
        SignatureOutcome::NotTaken,
    ));
    assert_eq!(drift.check(&actor(Role::Patrol), now), Ok(()));
    // The device does not know the site's hours: a visit at 22:30 is queued, and the server
    // (which does) refuses it with `visit_too_late`.
    let late = queued(input(
        local(22, 30),
        VisitMethod::Home,
        SignatureOutcome::Refused,
    ));
    assert_eq!(late.check(&actor(Role::Patrol), local(23, 0)), Ok(()));
    let VisitCommand::Record { visit, .. } = late;
    assert_eq!(
        check(visit, &VisitPolicy::default(), local(23, 0)).expect_err("after 22:00"),
        VisitRefusal::TooLate
    );
}

#[test]
fn warnings_are_the_same_for_the_form_and_the_saved_visit() {
    let policy = VisitPolicy::default();
    let call = input(
        local(21, 30),
        VisitMethod::Phone,
        SignatureOutcome::NotTaken,
    );
    let (visit, warnings) = check(call, &policy, local(22, 0)).expect("a late call is recorded");
    assert_eq!(warnings, vec![VisitWarning::CallOutsideHours]);
    assert_eq!(
        visit_warnings(visit.method, visit.visited_at, &policy),
        warnings
    );
    assert!(visit_warnings(VisitMethod::Home, local(21, 30), &policy).is_empty());
    assert!(visit_warnings(VisitMethod::Phone, local(10, 0), &policy).is_empty());
}

#[test]
fn a_visit_counts_in_its_month_of_china_time() {
    use chrono::NaiveDate;
    // 30 November 16:30 UTC is 1 December 00:30 in China.
    let at = Utc
        .with_ymd_and_hms(2026, 11, 30, 16, 30, 0)
        .single()
        .expect("time");
    assert_eq!(
        visit_month(at),
        NaiveDate::from_ymd_opt(2026, 12, 1).expect("date")
    );
    let before = Utc
        .with_ymd_and_hms(2026, 11, 30, 15, 59, 0)
        .single()
        .expect("time");
    assert_eq!(
        visit_month(before),
        NaiveDate::from_ymd_opt(2026, 11, 1).expect("date")
    );
}
