//! Worked examples for every complaint and return-visit rule (issue 6 "done when").

#![allow(clippy::unwrap_used, clippy::field_reassign_with_default)]

use super::complaint::*;
use super::policy::*;
use super::return_visit::{
    self as rv, complete, plan_for_complaint, plan_for_repair, top_up_needed, top_up_window,
    Method, SignatureOutcome, VisitInput, VisitReason,
};
use super::stats::*;
use crate::ids::{SiteId, StaffId, UnitId};
use crate::people::Role;
use crate::work_orders::{Rating, WorkOrder};
use chrono::{DateTime, Utc};
use uuid::Uuid;

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn staff() -> StaffId {
    StaffId(Uuid::from_u128(7))
}

fn new(channel: Channel, received: &str) -> Complaint {
    register(
        SiteId(Uuid::from_u128(1)),
        NewComplaint {
            id: Uuid::from_u128(42),
            unit_id: Some(UnitId(Uuid::from_u128(3))),
            channel,
            complainant_name: "王女士".into(),
            complainant_phone: "13800001234".into(),
            content: "楼道灯坏了一周无人修".into(),
            received_at: t(received),
            apologised: true,
            raised_from: None,
        },
        staff(),
        Role::Desk,
        t(received),
    )
    .unwrap()
}

fn assess(c: &Complaint, class: Class) -> Complaint {
    apply(
        c,
        &Command::Assess {
            valid: true,
            class: Some(class),
            major_ground: None,
            department: Some(Department::Engineering),
        },
        staff(),
        Role::Desk,
        c.received_at,
    )
    .unwrap()
}

fn go(c: &Complaint, cmd: Command, role: Role, now: &str) -> Result<Complaint, Refusal> {
    apply(c, &cmd, staff(), role, t(now))
}

#[test]
fn verbal_complaint_is_due_the_same_day_in_china() {
    // 10:00 China time on Friday 20 Nov 2026 = 02:00 UTC.
    let c = new(Channel::Verbal, "2026-11-20T02:00:00Z");
    let p = CarePolicy::default();
    assert_eq!(first_reply_due(&c, &p), t("2026-11-20T15:59:59Z"));
    assert_eq!(written_answer_due(&c, &p), None);
}

#[test]
fn written_complaint_on_friday_gets_its_written_answer_by_monday() {
    let c = new(Channel::Written, "2026-11-20T02:00:00Z");
    let p = CarePolicy::default();
    assert_eq!(first_reply_due(&c, &p), t("2026-11-20T15:59:59Z"));
    // Next working day after Friday is Monday 23rd; end of that day in China.
    assert_eq!(written_answer_due(&c, &p), Some(t("2026-11-23T15:59:59Z")));
    // Received on Saturday: reply the same Saturday, written answer by Monday.
    let sat = new(Channel::Written, "2026-11-21T03:00:00Z");
    assert_eq!(first_reply_due(&sat, &p), t("2026-11-21T15:59:59Z"));
    assert_eq!(
        written_answer_due(&sat, &p),
        Some(t("2026-11-23T15:59:59Z"))
    );
}

#[test]
fn other_readings_are_presets() {
    let c = new(Channel::Phone, "2026-11-20T02:00:00Z");
    let mut p = CarePolicy::default();
    p.complaint_reply = ComplaintReplyPreset::S2Hours2;
    assert_eq!(first_reply_due(&c, &p), t("2026-11-20T04:00:00Z"));
    p.complaint_reply = ComplaintReplyPreset::S1Hours24;
    assert_eq!(first_reply_due(&c, &p), t("2026-11-21T02:00:00Z"));
    p.complaint_reply = ComplaintReplyPreset::S0Hours48;
    assert_eq!(first_reply_due(&c, &p), t("2026-11-22T02:00:00Z"));
    assert_eq!(resolution_due(&c, &p), Some(t("2026-11-27T02:00:00Z")));
}

#[test]
fn written_complaint_runs_from_intake_to_closure() {
    let c = new(Channel::Written, "2026-11-20T02:00:00Z");
    // Nothing before assessment.
    assert_eq!(
        go(
            &c,
            Command::Reply {
                text: "已收到".into(),
                at: t("2026-11-20T03:00:00Z")
            },
            Role::Desk,
            "2026-11-20T03:00:00Z"
        ),
        Err(Refusal::NotAssessed)
    );
    let c = assess(&c, Class::Important);
    // A reply dated before intake is refused and changes nothing.
    assert_eq!(
        go(
            &c,
            Command::Reply {
                text: "已收到".into(),
                at: t("2026-11-20T01:00:00Z")
            },
            Role::Desk,
            "2026-11-20T03:00:00Z"
        ),
        Err(Refusal::ReplyBeforeIntake)
    );
    let c = go(
        &c,
        Command::Reply {
            text: "已收到，今日安排工程部处理".into(),
            at: t("2026-11-20T03:00:00Z"),
        },
        Role::Desk,
        "2026-11-20T03:00:00Z",
    )
    .unwrap();
    assert_eq!(c.status, Status::Replied);
    let c = go(
        &c,
        Command::DraftAnswer {
            text: "书面答复：已更换灯具".into(),
        },
        Role::Desk,
        "2026-11-20T06:00:00Z",
    )
    .unwrap();
    // Only the head of customer service approves.
    assert_eq!(
        go(
            &c,
            Command::ApproveAnswer,
            Role::Desk,
            "2026-11-20T07:00:00Z"
        ),
        Err(Refusal::ApproverNotCsHead)
    );
    let c = go(
        &c,
        Command::Resolve {
            text: "已更换楼道灯".into(),
        },
        Role::Desk,
        "2026-11-20T08:00:00Z",
    )
    .unwrap();
    // Closing needs the approved written answer.
    assert_eq!(
        go(
            &c,
            Command::Close {
                rating: Rating::Satisfied,
                text: String::new()
            },
            Role::Desk,
            "2026-11-20T09:00:00Z"
        ),
        Err(Refusal::WrittenAnswerMissing)
    );
    let c = go(
        &c,
        Command::ApproveAnswer,
        Role::CsMgr,
        "2026-11-20T09:00:00Z",
    )
    .unwrap();
    let p = CarePolicy::default();
    let now = t("2026-11-20T09:30:00Z");
    assert!(!overdue(&c, &p, now));
    let c = go(
        &c,
        Command::Close {
            rating: Rating::Satisfied,
            text: "满意".into(),
        },
        Role::Desk,
        "2026-11-20T09:30:00Z",
    )
    .unwrap();
    assert_eq!(c.status, Status::Closed);
    assert_eq!(c.closed_at, Some(now));
    // Closed is final.
    assert_eq!(
        go(
            &c,
            Command::Resolve { text: "x".into() },
            Role::Desk,
            "2026-11-20T10:00:00Z"
        ),
        Err(Refusal::Closed)
    );
}

#[test]
fn close_needs_resolution_and_feedback_rating() {
    let c = assess(&new(Channel::Verbal, "2026-11-20T02:00:00Z"), Class::Minor);
    assert_eq!(
        go(
            &c,
            Command::Close {
                rating: Rating::Satisfied,
                text: String::new()
            },
            Role::Desk,
            "2026-11-20T03:00:00Z"
        ),
        Err(Refusal::NotResolved)
    );
    assert_eq!(
        go(
            &c,
            Command::Resolve {
                text: "修好了".into()
            },
            Role::Desk,
            "2026-11-20T03:00:00Z"
        ),
        Err(Refusal::NotReplied)
    );
}

#[test]
fn an_unanswered_complaint_turns_overdue_after_the_day_ends() {
    let c = assess(&new(Channel::Verbal, "2026-11-20T02:00:00Z"), Class::Minor);
    let p = CarePolicy::default();
    assert!(!overdue(&c, &p, t("2026-11-20T15:59:59Z")));
    assert!(overdue(&c, &p, t("2026-11-20T16:00:00Z")));
}

#[test]
fn invalid_complaint_is_explained_patiently_and_closed() {
    let c = new(Channel::Phone, "2026-11-20T02:00:00Z");
    let c = go(
        &c,
        Command::Assess {
            valid: false,
            class: None,
            major_ground: None,
            department: None,
        },
        Role::Desk,
        "2026-11-20T02:10:00Z",
    )
    .unwrap();
    assert_eq!(
        go(
            &c,
            Command::Reply {
                text: "x".into(),
                at: t("2026-11-20T02:20:00Z")
            },
            Role::Desk,
            "2026-11-20T02:20:00Z"
        ),
        Err(Refusal::NotValid)
    );
    assert_eq!(
        go(
            &c,
            Command::Explain {
                text: "".into(),
                at: t("2026-11-20T02:20:00Z")
            },
            Role::Desk,
            "2026-11-20T02:20:00Z"
        ),
        Err(Refusal::EmptyText)
    );
    let c = go(
        &c,
        Command::Explain {
            text: "该事项属市政管辖，已耐心解释并告知热线".into(),
            at: t("2026-11-20T02:20:00Z"),
        },
        Role::Desk,
        "2026-11-20T02:20:00Z",
    )
    .unwrap();
    assert_eq!(c.status, Status::Closed);
    assert_eq!(effective_class(&c, t("2027-01-01T00:00:00Z")), None);
}

#[test]
fn valid_complaint_unresolved_one_month_becomes_major() {
    let c = assess(&new(Channel::Verbal, "2026-11-20T02:00:00Z"), Class::Minor);
    assert_eq!(escalation_at(&c), t("2026-12-20T02:00:00Z"));
    assert_eq!(
        effective_class(&c, t("2026-12-20T01:59:59Z")),
        Some((Class::Minor, None))
    );
    assert_eq!(
        effective_class(&c, t("2026-12-20T02:00:00Z")),
        Some((Class::Major, Some(MajorGround::UnresolvedOneMonth)))
    );
    // Resolved in time: stays minor for good.
    let r = go(
        &c,
        Command::Reply {
            text: "收到".into(),
            at: t("2026-11-20T03:00:00Z"),
        },
        Role::Desk,
        "2026-11-20T03:00:00Z",
    )
    .unwrap();
    let r = go(
        &r,
        Command::Resolve {
            text: "已处理".into(),
        },
        Role::Desk,
        "2026-12-19T00:00:00Z",
    )
    .unwrap();
    assert_eq!(
        effective_class(&r, t("2027-02-01T00:00:00Z")),
        Some((Class::Minor, None))
    );
    // 31 January + one month is the end of February.
    let jan = assess(&new(Channel::Verbal, "2027-01-31T02:00:00Z"), Class::Minor);
    assert_eq!(escalation_at(&jan), t("2027-02-28T02:00:00Z"));
}

#[test]
fn major_needs_its_ground_and_valid_needs_class() {
    let c = new(Channel::Verbal, "2026-11-20T02:00:00Z");
    let cmd = |class, ground| Command::Assess {
        valid: true,
        class,
        major_ground: ground,
        department: Some(Department::Security),
    };
    assert_eq!(
        go(
            &c,
            cmd(Some(Class::Major), None),
            Role::Desk,
            "2026-11-20T02:00:00Z"
        ),
        Err(Refusal::MajorGroundMismatch)
    );
    assert_eq!(
        go(
            &c,
            cmd(Some(Class::Minor), Some(MajorGround::LossOrInjury)),
            Role::Desk,
            "2026-11-20T02:00:00Z"
        ),
        Err(Refusal::MajorGroundMismatch)
    );
    assert_eq!(
        go(&c, cmd(None, None), Role::Desk, "2026-11-20T02:00:00Z"),
        Err(Refusal::ClassRequired)
    );
    assert!(go(
        &c,
        cmd(Some(Class::Major), Some(MajorGround::LossOrInjury)),
        Role::Desk,
        "2026-11-20T02:00:00Z"
    )
    .is_ok());
    assert_eq!(
        go(
            &c,
            cmd(Some(Class::Minor), None),
            Role::Tech,
            "2026-11-20T02:00:00Z"
        ),
        Err(Refusal::Forbidden)
    );
}

#[test]
fn stats_count_classes_departments_and_reply_compliance() {
    let p = CarePolicy::default();
    let on_time = assess(&new(Channel::Verbal, "2026-11-20T02:00:00Z"), Class::Minor);
    let on_time = go(
        &on_time,
        Command::Reply {
            text: "收到".into(),
            at: t("2026-11-20T03:00:00Z"),
        },
        Role::Desk,
        "2026-11-20T03:00:00Z",
    )
    .unwrap();
    let late = assess(
        &new(Channel::Verbal, "2026-10-05T02:00:00Z"),
        Class::Important,
    );
    let s = complaint_stats(&[on_time, late], &p, t("2026-11-20T12:00:00Z"));
    assert_eq!(s.total, 2);
    assert_eq!((s.reply_on_time, s.reply_late), (1, 1));
    assert_eq!(s.reply_compliance_permille(), Some(500));
    // The October one is unresolved past a month: it counts as major now.
    assert_eq!(s.by_class.get(&Class::Major), Some(&1));
    assert_eq!(s.by_class.get(&Class::Minor), Some(&1));
    assert_eq!(s.by_department.get(&Department::Engineering), Some(&2));
    assert_eq!(s.by_month.get("2026-10"), Some(&1));
}

fn closed_repair(rating: Option<Rating>, signed: bool, kind: &str, leak: bool) -> WorkOrder {
    let sig = if signed {
        serde_json::json!({"image": {"sha256": "a".repeat(64), "size": 10, "content_type": "image/png"}, "signer_name": "王", "content_hash": "h", "signed_at": "2026-11-20T03:00:00Z"})
    } else {
        serde_json::Value::Null
    };
    let mut v = serde_json::json!({
        "id": Uuid::from_u128(9), "site_id": Uuid::from_u128(1), "number": "BX-2026-11-0001",
        "unit_id": Uuid::from_u128(3), "common_area": false, "location": "厨房", "channel": "phone",
        "kind": kind, "reporter_name": "王", "reporter_phone": "13800001234", "content": "水龙头漏水",
        "timing": {"type": "immediate"}, "photos": [], "status": "closed", "assignee": Uuid::from_u128(5),
        "created_by": Uuid::from_u128(7), "reported_at": "2026-11-20T01:00:00Z", "assigned_at": null,
        "accepted_at": null, "arrived_at": null, "history": [],
        "finished_at": "2026-11-20T03:00:00Z", "closed_at": "2026-11-20T03:00:00Z",
        "acceptance": {"signature": sig, "opinion": "", "rating": rating, "at": "2026-11-20T03:00:00Z"}
    });
    if leak {
        v["leak"] = true.into();
    }
    serde_json::from_value(v).unwrap()
}

#[test]
fn dissatisfied_unrated_or_unsigned_repairs_get_a_mandatory_visit_next_day() {
    let p = CarePolicy::default();
    for (rating, signed, reason) in [
        (
            Some(Rating::Dissatisfied),
            true,
            VisitReason::RepairDissatisfied,
        ),
        (None, true, VisitReason::RepairUnrated),
        (Some(Rating::Satisfied), false, VisitReason::RepairUnsigned),
    ] {
        let v = plan_for_repair(&closed_repair(rating, signed, "daily", false), &p);
        assert_eq!(v.len(), 1, "{reason:?}");
        assert_eq!(v[0].reason, reason);
        assert!(v[0].mandatory);
        // Closed Friday 11:00 China time → due end of Saturday.
        assert_eq!(v[0].due_at, t("2026-11-21T15:59:59Z"));
    }
    // Satisfied and signed, S3: sampled at month end, nothing now.
    assert!(plan_for_repair(
        &closed_repair(Some(Rating::Satisfied), true, "daily", false),
        &p
    )
    .is_empty());
}

#[test]
fn s1_visits_by_category() {
    let p = CarePolicy {
        repair_visits: RepairVisitPreset::S1ByCategory,
        ..CarePolicy::default()
    };
    let urgent = plan_for_repair(
        &closed_repair(Some(Rating::Satisfied), true, "urgent", false),
        &p,
    );
    assert_eq!(urgent.len(), 2);
    assert_eq!(urgent[0].due_at, t("2026-11-21T03:00:00Z"));
    assert_eq!(urgent[1].visit_no, 2);
    assert_eq!(urgent[1].earliest_at, t("2026-11-22T03:00:00Z"));
    let leak = plan_for_repair(
        &closed_repair(Some(Rating::Satisfied), true, "daily", true),
        &p,
    );
    assert_eq!(leak[0].due_at, t("2026-11-23T03:00:00Z"));
    assert!(leak[1].after_rain);
    let other = plan_for_repair(
        &closed_repair(Some(Rating::Satisfied), true, "daily", false),
        &p,
    );
    assert_eq!(other.len(), 1);
    assert_eq!(other[0].due_at, t("2026-11-27T03:00:00Z"));
    // A dissatisfied urgent job: the mandatory visit replaces the first, the second stays.
    let bad = plan_for_repair(
        &closed_repair(Some(Rating::Dissatisfied), true, "urgent", false),
        &p,
    );
    assert_eq!(
        bad.iter().map(|v| v.reason).collect::<Vec<_>>(),
        [VisitReason::RepairDissatisfied, VisitReason::RepairPolicy]
    );
}

#[test]
fn s0_visits_every_repair_within_24h() {
    let p = CarePolicy {
        repair_visits: RepairVisitPreset::S0Within24h,
        ..CarePolicy::default()
    };
    let v = plan_for_repair(
        &closed_repair(Some(Rating::Satisfied), true, "daily", false),
        &p,
    );
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].due_at, t("2026-11-21T03:00:00Z"));
}

#[test]
fn complaint_visit_within_three_days_of_closing() {
    let v = plan_for_complaint(t("2026-11-20T09:00:00Z"), &CarePolicy::default());
    assert!(v.mandatory);
    assert_eq!(v.due_at, t("2026-11-23T15:59:59Z"));
}

#[test]
fn month_end_top_up_reaches_thirty_percent() {
    // 10 closed, 2 visited: 30 % of 10 is 3 → one more.
    assert_eq!(top_up_needed(10, 2, 30), 1);
    // 11 closed: 3.3 → 4 visits needed (a floor "≥30 %").
    assert_eq!(top_up_needed(11, 2, 30), 2);
    assert_eq!(top_up_needed(10, 5, 30), 0);
    assert_eq!(top_up_needed(0, 0, 30), 0);
    let r = VisitRate {
        base: 10,
        visited: 3,
        target_percent: 30,
    };
    assert!(r.met());
    assert_eq!(r.rate_permille(), Some(300));
    assert!(!VisitRate {
        base: 10,
        visited: 2,
        target_percent: 30
    }
    .met());
    let (from, to) = top_up_window(t("2026-10-31T02:00:00Z"));
    assert_eq!(
        (from, to),
        (t("2026-11-30T02:00:00Z"), t("2026-12-31T02:00:00Z"))
    );
}

fn visit(method: Method, signature: SignatureOutcome, at: &str) -> VisitInput {
    VisitInput {
        method,
        quality: Rating::FairlySatisfied,
        service: Rating::Satisfied,
        satisfaction: Rating::FairlySatisfied,
        shortcomings: String::new(),
        suggestions: String::new(),
        problem: String::new(),
        open_complaint: false,
        signature,
        at: t(at),
    }
}

#[test]
fn visit_record_rules() {
    let p = CarePolicy::default();
    let earliest = t("2026-11-20T03:00:00Z");
    let now = t("2026-11-21T03:00:00Z");
    let ok = complete(
        visit(
            Method::Phone,
            SignatureOutcome::NotAsked,
            "2026-11-21T02:00:00Z",
        ),
        earliest,
        false,
        &p,
        now,
    )
    .unwrap();
    assert_eq!(ok.rectification_due_at, None);
    assert_eq!(
        complete(
            visit(
                Method::Phone,
                SignatureOutcome::NotAsked,
                "2026-11-21T02:00:00Z"
            ),
            earliest,
            true,
            &p,
            now
        ),
        Err(rv::Refusal::AlreadyDone)
    );
    assert_eq!(
        complete(
            visit(
                Method::Phone,
                SignatureOutcome::NotAsked,
                "2026-11-22T02:00:00Z"
            ),
            earliest,
            false,
            &p,
            now
        ),
        Err(rv::Refusal::InFuture)
    );
    assert_eq!(
        complete(
            visit(
                Method::Phone,
                SignatureOutcome::NotAsked,
                "2026-11-18T02:00:00Z"
            ),
            earliest,
            false,
            &p,
            now
        ),
        Err(rv::Refusal::TooEarly)
    );
    // A door visit may be signed or refused; a refusal is recorded, not insisted on.
    assert!(complete(
        visit(
            Method::Door,
            SignatureOutcome::Refused,
            "2026-11-21T02:00:00Z"
        ),
        earliest,
        false,
        &p,
        now
    )
    .is_ok());
    // A problem: the technician's written notice is due 12 hours later.
    let mut v = visit(
        Method::Phone,
        SignatureOutcome::NotAsked,
        "2026-11-21T02:00:00Z",
    );
    v.problem = "龙头仍有滴水".into();
    let r = complete(v.clone(), earliest, false, &p, now).unwrap();
    assert_eq!(r.rectification_due_at, Some(t("2026-11-21T14:00:00Z")));
    v.problem.clear();
    v.open_complaint = true;
    assert_eq!(
        complete(v, earliest, false, &p, now),
        Err(rv::Refusal::ProblemRequired)
    );
    // A rating outside the scale does not even parse.
    let bad = serde_json::json!({"method": "phone", "quality": "great", "service": "satisfied", "satisfaction": "satisfied", "signature": {"type": "not_asked"}, "at": "2026-11-21T02:00:00Z"});
    assert!(serde_json::from_value::<VisitInput>(bad).is_err());
}

// --- intake queued offline (sync engine) ----------------------------------------------------

fn intake(site: u128, id: u128) -> IntakeCommand {
    IntakeCommand::Register {
        site_id: SiteId(Uuid::from_u128(site)),
        complaint: NewComplaint {
            id: Uuid::from_u128(id),
            unit_id: None,
            channel: Channel::Phone,
            complainant_name: "李先生".into(),
            complainant_phone: String::new(),
            content: "夜间施工噪音".into(),
            received_at: t("2026-11-21T13:00:00Z"),
            apologised: true,
            raised_from: None,
        },
    }
}

fn actor(role: Role) -> crate::work_orders::Actor {
    crate::work_orders::Actor {
        staff_id: staff(),
        role,
        sites: vec![SiteId(Uuid::from_u128(1))],
    }
}

#[test]
fn queued_intake_registers_like_the_desk_form() {
    let now = t("2026-11-21T14:00:00Z");
    let c = intake(1, 42)
        .register(Uuid::from_u128(42), &actor(Role::Desk), now)
        .unwrap();
    assert_eq!(c.status, Status::Registered);
    assert_eq!(c.received_by, staff());
    assert_eq!(c.number, None, "the server gives the serial when it lands");
    assert_eq!(c.received_at, t("2026-11-21T13:00:00Z"));
    assert_eq!(intake(1, 42).type_name(), "complaint.register");
    assert!(intake(1, 42).blobs().is_empty());
}

#[test]
fn queued_intake_refusals() {
    let now = t("2026-11-21T14:00:00Z");
    // The mutation names another record.
    assert_eq!(
        intake(1, 42).register(Uuid::from_u128(43), &actor(Role::Desk), now),
        Err(IntakeRefusal::EntityMismatch)
    );
    // Another site's complaint.
    assert_eq!(
        intake(2, 42).register(Uuid::from_u128(42), &actor(Role::Desk), now),
        Err(IntakeRefusal::SiteForbidden)
    );
    // A technician does not take complaints.
    let r = intake(1, 42).register(Uuid::from_u128(42), &actor(Role::Tech), now);
    assert_eq!(r, Err(IntakeRefusal::Rule(Refusal::Forbidden)));
    assert_eq!(r.unwrap_err().code(), "forbidden");
    // Received two hours after the device says it is now: a clock gone wrong.
    let early = t("2026-11-21T11:00:00Z");
    assert_eq!(
        intake(1, 42).register(Uuid::from_u128(42), &actor(Role::Desk), early),
        Err(IntakeRefusal::Rule(Refusal::ReceivedInFuture))
    );
    // Blank content.
    let IntakeCommand::Register {
        site_id,
        mut complaint,
    } = intake(1, 42);
    complaint.content = "  ".into();
    let blank = IntakeCommand::Register { site_id, complaint };
    assert_eq!(
        blank
            .register(Uuid::from_u128(42), &actor(Role::Desk), now)
            .unwrap_err()
            .code(),
        "empty_text"
    );
}
