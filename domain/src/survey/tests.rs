//! Worked numbers for every formula of the survey (requirements §2.9, §5.3 rule 29).

#![allow(clippy::unwrap_used)]

use super::items::{default_items, parse_items, SurveyItem};
use super::policy::{SurveyPolicy, SurveyVariant};
use super::results::{compute, EntranceCount, ItemAnswer, Questionnaire};
use super::scale::{read_marks, Rating, Scale};
use super::views::{MarkInput, ReturnInput};
use super::SurveyRefusal;
use crate::calendar::WorkCalendar;
use crate::ids::UnitId;
use chrono::NaiveDate;
use uuid::Uuid;

fn item(code: &str) -> SurveyItem {
    SurveyItem {
        code: code.into(),
        name_zh: code.into(),
        name_en: code.into(),
    }
}

fn q(answers: &[(&str, Option<Rating>)]) -> Questionnaire {
    Questionnaire {
        answers: answers
            .iter()
            .map(|(i, r)| ItemAnswer {
                item: (*i).into(),
                rating: *r,
            })
            .collect(),
    }
}

/// `n` questionnaires answering the one item `code` with `r`.
fn many(n: usize, code: &str, r: Option<Rating>) -> Vec<Questionnaire> {
    (0..n).map(|_| q(&[(code, r)])).collect()
}

fn a() -> SurveyPolicy {
    SurveyVariant::S0FullOpinion.preset()
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

use Rating::*;

#[test]
fn worked_example_55_percent_returned_and_92_percent_satisfied_gives_67_percent() {
    // 100 handed out, 55 returned (55 %): 46 满意 + 4 不满意 + 5 弃权 → 46/50 = 92 %;
    // 5 points short of 60 % → 25 points off → 67 %.
    let items = [item("security")];
    let mut back = many(40, "security", Some(Satisfied));
    back.extend(many(6, "security", Some(FairlySatisfied)));
    back.extend(many(4, "security", Some(Dissatisfied)));
    back.extend(many(5, "security", None));
    let r = compute(&a(), &items, 100, &[], 100, &back);
    assert_eq!(r.returns.permille, Some(550));
    assert_eq!(r.return_met, Some(false));
    assert_eq!((r.overall.num, r.overall.den), (46, 50));
    assert_eq!(r.overall.permille, Some(920));
    let p = r.penalty.unwrap();
    assert_eq!(p.shortfall_permille, 50);
    assert_eq!(p.cut_permille, 250);
    assert_eq!(r.final_permille, Some(670));
    assert_eq!(r.overall_met, Some(false));
    assert_eq!(r.abstentions, 5);
}

/// The demo's closed survey: 600 handed out, 330 returned, nine items with the counts below.
#[test]
fn demo_numbers_pool_all_items_and_take_the_penalty() {
    let items = default_items();
    // (dissatisfied, abstained) per item; 60 基本满意 each; the rest 满意.
    let spec = [
        (58, 5),
        (29, 5),
        (18, 10),
        (87, 5),
        (11, 15),
        (14, 5),
        (8, 10),
        (4, 10),
        (3, 5),
    ];
    let mut back = vec![Questionnaire { answers: vec![] }; 330];
    for (i, (dis, abst)) in spec.iter().enumerate() {
        for (j, qn) in back.iter_mut().enumerate() {
            let k = (j + 37 * i) % 330;
            let rating = if k < *dis {
                Some(Dissatisfied)
            } else if k < dis + abst {
                None
            } else if k < dis + abst + 60 {
                Some(FairlySatisfied)
            } else {
                Some(Satisfied)
            };
            qn.answers.push(ItemAnswer {
                item: items[i].code.clone(),
                rating,
            });
        }
    }
    let r = compute(&a(), &items, 603, &[], 600, &back);
    assert_eq!(r.returns.permille, Some(550));
    assert_eq!((r.overall.num, r.overall.den), (2668, 2900));
    assert_eq!(r.overall.permille, Some(920));
    assert_eq!(r.final_permille, Some(670));
    assert_eq!(r.abstentions, 70);
    assert_eq!(r.dissatisfied_answers, 232);
    // Pareto: 87 (37.5 %), 58 (62.5 %), 29 (75.0 %) are main; 18 crosses to 82.8 %.
    let codes: Vec<_> = r.pareto.iter().map(|p| (p.code.as_str(), p.main)).collect();
    assert_eq!(
        &codes[..5],
        &[
            ("repairs", true),
            ("security", true),
            ("cleaning", true),
            ("greening", false),
            ("management", false)
        ]
    );
    assert_eq!(r.pareto[2].cumulative_permille, 750);
    assert_eq!(r.pareto[3].cumulative_permille, 828);
    // 维修: (330 − 5 − 87) / (330 − 5) = 238/325.
    let repairs = r.items.iter().find(|i| i.code == "repairs").unwrap();
    assert_eq!((repairs.rate.num, repairs.rate.den), (238, 325));
    assert_eq!(repairs.rate.permille, Some(732));
    assert_eq!(repairs.counts[1].count, 60);
    // 603 occupied, 600 handed out: short of 100 %.
    assert!(!r.handout_met);
    assert_eq!(r.handout.permille, Some(995));
}

#[test]
fn abstentions_are_blank_or_several_boxes_and_leave_the_rate() {
    let s = Scale::ThreeLevel;
    let m = |xs: &[&str]| xs.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(read_marks(s, "x", &m(&[])).unwrap(), None);
    assert_eq!(
        read_marks(s, "x", &m(&["satisfied", "dissatisfied"])).unwrap(),
        None
    );
    // The same box twice is one box.
    assert_eq!(
        read_marks(s, "x", &m(&["satisfied", "satisfied"])).unwrap(),
        Some(Satisfied)
    );
    // 2 满意, 1 基本满意, 1 不满意, 6 abstained → 3/4 = 75 %, not 3/10.
    let items = [item("x")];
    let mut back = many(2, "x", Some(Satisfied));
    back.extend(many(1, "x", Some(FairlySatisfied)));
    back.extend(many(1, "x", Some(Dissatisfied)));
    back.extend(many(6, "x", None));
    let r = compute(&a(), &items, 10, &[], 10, &back);
    assert_eq!(r.items[0].abstained, 6);
    assert_eq!(r.items[0].rate.permille, Some(750));
    assert_eq!(r.overall.permille, Some(750));
    assert!(r.penalty.is_none(), "100 % returned");
}

#[test]
fn a_box_off_the_scale_is_refused_not_abstained() {
    let m = |xs: &[&str]| xs.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let e = read_marks(Scale::FourLevel, "x", &m(&["fairly_satisfied"])).unwrap_err();
    assert_eq!(e.code(), "rating_off_scale");
    let e = read_marks(Scale::ThreeLevel, "x", &m(&["satisfied", "very_satisfied"])).unwrap_err();
    assert_eq!(e.code(), "rating_off_scale");
    let e = read_marks(Scale::ThreeLevel, "x", &m(&["excellent"])).unwrap_err();
    assert_eq!(e.code(), "rating_off_scale");
}

#[test]
fn return_input_parses_in_item_order_and_refuses_unknown_or_twice() {
    let items = [item("a"), item("b"), item("c")];
    let input = |answers: Vec<MarkInput>| ReturnInput {
        unit_id: UnitId(Uuid::nil()),
        answers,
        suggestion: "  多装路灯 ".into(),
    };
    let mark = |i: &str, ms: &[&str]| MarkInput {
        item: i.into(),
        marks: ms.iter().map(|m| m.to_string()).collect(),
    };
    let (qn, s) = input(vec![
        mark("b", &["dissatisfied"]),
        mark("a", &["satisfied"]),
    ])
    .parse(Scale::ThreeLevel, &items)
    .unwrap();
    assert_eq!(s, "多装路灯");
    assert_eq!(qn.answers.len(), 3);
    assert_eq!(qn.answers[0].rating, Some(Satisfied));
    assert_eq!(qn.answers[1].rating, Some(Dissatisfied));
    assert_eq!(qn.answers[2].rating, None);
    let dis: Vec<_> = qn
        .dissatisfied_items(&items)
        .iter()
        .map(|i| i.code.clone())
        .collect();
    assert_eq!(dis, ["b"]);
    assert_eq!(
        input(vec![mark("z", &["satisfied"])])
            .parse(Scale::ThreeLevel, &items)
            .unwrap_err(),
        SurveyRefusal::UnknownItem("z".into())
    );
    assert_eq!(
        input(vec![mark("a", &[]), mark("a", &["satisfied"])])
            .parse(Scale::ThreeLevel, &items)
            .unwrap_err()
            .code(),
        "duplicate_item"
    );
}

#[test]
fn four_levels_count_satisfied_questionnaires_over_returned() {
    let c = SurveyVariant::S0SatisfactionProcedure.preset();
    let items = [item("x"), item("y")];
    let mut back = Vec::new();
    // 7 fully satisfied questionnaires.
    for _ in 0..4 {
        back.push(q(&[("x", Some(VerySatisfied)), ("y", Some(Satisfied))]));
    }
    for _ in 0..3 {
        back.push(q(&[("x", Some(Satisfied)), ("y", Some(Satisfied))]));
    }
    // One satisfied with a blank item: still a satisfied questionnaire.
    back.push(q(&[("x", Some(Satisfied)), ("y", None)]));
    // One with 不太满意 on y, one left blank entirely.
    back.push(q(&[("x", Some(Satisfied)), ("y", Some(NotVerySatisfied))]));
    back.push(q(&[("x", None), ("y", None)]));
    // 90 % handed out of 100 occupied, 10 of 90 returned (11.1 %, far below 80 %; no penalty
    // in 第8篇).
    let r = compute(&c, &items, 100, &[], 90, &back);
    assert!(r.handout_met);
    assert_eq!(r.return_met, Some(false));
    assert!(r.penalty.is_none());
    assert_eq!((r.overall.num, r.overall.den), (8, 10));
    assert_eq!(r.final_permille, Some(800));
    assert_eq!(r.overall_met, Some(false));
    // x: 9 of 10 rated 非常满意/满意 → 90 %, meets the per-item target (inclusive).
    assert_eq!((r.items[0].rate.num, r.items[0].rate.den), (9, 10));
    assert_eq!(r.items[0].met, Some(true));
    // y: 7 of 10 (the blanks stay in the base) → 70 %.
    assert_eq!((r.items[1].rate.num, r.items[1].rate.den), (7, 10));
    assert_eq!(r.items[1].met, Some(false));
    assert_eq!(r.items[1].counts.len(), 4);
    assert_eq!(r.items[1].counts[2].count, 1, "不太满意");
    assert_eq!(r.dissatisfied_households, 1);
}

#[test]
fn pareto_cut_counts_exactly_80_percent_and_not_the_item_that_crosses() {
    let items: Vec<_> = ["a", "b", "c", "d", "e"].iter().map(|c| item(c)).collect();
    // Dissatisfied counts 40 (a), 30 (b), 10 (c), 10 (d), 10 (e) of 100.
    let counts = [("a", 40), ("b", 30), ("c", 10), ("d", 10), ("e", 10)];
    let mut back = Vec::new();
    for (code, n) in counts {
        back.extend(many(n, code, Some(Dissatisfied)));
    }
    let r = compute(&a(), &items, 100, &[], 100, &back);
    let rows: Vec<_> = r
        .pareto
        .iter()
        .map(|p| (p.code.as_str(), p.cumulative_permille, p.main))
        .collect();
    // a 40 %, b 70 %, c 80 % (exactly: main), d 90 % (crosses: not main); c and d tie at 10
    // and keep the questionnaire's order.
    assert_eq!(
        rows,
        [
            ("a", 400, true),
            ("b", 700, true),
            ("c", 800, true),
            ("d", 900, false),
            ("e", 1000, false)
        ]
    );
}

#[test]
fn pareto_first_item_is_main_even_alone_past_80_percent() {
    let items = [item("a"), item("b"), item("c")];
    let mut back = many(9, "a", Some(Dissatisfied));
    back.extend(many(1, "b", Some(Dissatisfied)));
    back.extend(many(5, "c", Some(Satisfied)));
    let r = compute(&a(), &items, 15, &[], 15, &back);
    assert_eq!(r.pareto.len(), 2, "c had no dissatisfied answer");
    assert!(r.pareto[0].main);
    assert_eq!(r.pareto[0].cumulative_permille, 900);
    assert!(!r.pareto[1].main);
    // 50 % and 31 %: 81 % crosses.
    let mut back = many(50, "a", Some(Dissatisfied));
    back.extend(many(31, "b", Some(Dissatisfied)));
    back.extend(many(19, "c", Some(Dissatisfied)));
    let r = compute(&a(), &items, 100, &[], 100, &back);
    let main: Vec<_> = r.pareto.iter().map(|p| p.main).collect();
    assert_eq!(main, [true, false, false]);
}

#[test]
fn penalty_boundaries_exact_threshold_fractions_and_floor() {
    let items = [item("x")];
    let sat = |n| many(n, "x", Some(Satisfied));
    // Exactly 60 %: no penalty.
    let r = compute(&a(), &items, 100, &[], 100, &sat(60));
    assert!(r.penalty.is_none());
    assert_eq!(r.return_met, Some(true));
    assert_eq!(r.final_permille, Some(1000));
    // 59 %: 1 point short, 5 off.
    let r = compute(&a(), &items, 100, &[], 100, &sat(59));
    assert_eq!(r.penalty.unwrap().cut_permille, 50);
    assert_eq!(r.final_permille, Some(950));
    // 111 of 200 = 55.5 %: 4.5 short, 22.5 off.
    let r = compute(&a(), &items, 200, &[], 200, &sat(111));
    assert_eq!(r.penalty.unwrap().shortfall_permille, 45);
    assert_eq!(r.penalty.unwrap().cut_permille, 225);
    assert_eq!(r.final_permille, Some(775));
    // 30 %: 150 points off a 100 % rate → 0 %, never negative.
    let r = compute(&a(), &items, 100, &[], 100, &sat(30));
    assert_eq!(r.final_permille, Some(0));
    assert_eq!(r.overall_met, Some(false));
    // Nothing returned: no rates at all.
    let r = compute(&a(), &items, 100, &[], 100, &[]);
    assert_eq!(r.overall.permille, None);
    assert_eq!(r.final_permille, None);
    assert_eq!(r.overall_met, None);
}

#[test]
fn target_90_percent_is_inclusive() {
    let items = [item("x")];
    let mut back = many(90, "x", Some(Satisfied));
    back.extend(many(10, "x", Some(Dissatisfied)));
    let r = compute(&a(), &items, 100, &[], 100, &back);
    assert_eq!(r.overall_met, Some(true));
    back.push(q(&[("x", Some(Dissatisfied))]));
    let r = compute(&a(), &items, 101, &[], 101, &back);
    assert_eq!(r.overall_met, Some(false));
}

#[test]
fn hand_out_coverage_needs_every_entrance_with_households() {
    let e = |b: &str, en: &str, occ, out| EntranceCount {
        building: b.into(),
        entrance: en.into(),
        occupied: occ,
        handed_out: out,
    };
    let entrances = [
        e("1", "1", 50, 50),
        e("1", "2", 50, 0),
        e("2", "1", 0, 0), // nobody lives there yet: not required
    ];
    let r = compute(&a(), &[item("x")], 100, &entrances, 50, &[]);
    assert_eq!(r.entrances, 2);
    assert_eq!(r.entrances_missed, ["1栋2单元"]);
    assert_eq!(r.coverage_met, Some(false));
    assert!(!r.handout_met, "50 %");
    // 第8篇 asks for 90 % of households, not every entrance.
    let c = SurveyVariant::S0SatisfactionProcedure.preset();
    let r = compute(&c, &[item("x")], 100, &entrances, 90, &[]);
    assert_eq!(r.coverage_met, None);
    assert!(r.handout_met);
    let r = compute(&c, &[item("x")], 100, &entrances, 89, &[]);
    assert!(!r.handout_met);
}

#[test]
fn deadlines_per_variant_count_working_days() {
    let cal = WorkCalendar::default();
    // A: handed out Monday 15 June 2026 → collect by Monday 6 July (15 working days), analysis
    // by 31 July, delivery due 30 June.
    let dl = a().deadlines(d(2026, 6, 15), &cal);
    assert_eq!(dl.handout_by, Some(d(2026, 6, 30)));
    assert!(!dl.handout_late);
    assert_eq!(dl.collect_by, Some(d(2026, 7, 6)));
    assert_eq!(dl.analysis_by, Some(d(2026, 7, 31)));
    assert_eq!(dl.publish_by, None);
    // Handed out in August: late for June.
    assert!(a().deadlines(d(2026, 8, 3), &cal).handout_late);
    // B: Tuesday 1 December → delivered by 31 December, collected by 22 December, analysis
    // and notice-board measures by 12 January (30 working days).
    let b = SurveyVariant::S0TwiceYearly.preset();
    let dl = b.deadlines(d(2026, 12, 1), &cal);
    assert_eq!(dl.handout_by, Some(d(2026, 12, 31)));
    assert_eq!(dl.collect_by, Some(d(2026, 12, 22)));
    assert_eq!(dl.analysis_by, Some(d(2027, 1, 12)));
    assert_eq!(dl.publish_by, Some(d(2027, 1, 12)));
    // B in March belongs to the June round.
    assert_eq!(
        b.deadlines(d(2026, 3, 2), &cal).handout_by,
        Some(d(2026, 6, 30))
    );
    // C: none set.
    let c = SurveyVariant::S0SatisfactionProcedure.preset();
    let dl = c.deadlines(d(2026, 6, 15), &cal);
    assert_eq!(
        (dl.handout_by, dl.collect_by, dl.analysis_by),
        (None, None, None)
    );
}

#[test]
fn presets_follow_their_documents() {
    for v in SurveyVariant::ALL {
        let p = v.preset();
        assert_eq!(p.validate(), Ok(()));
        assert_eq!(SurveyVariant::parse(v.code()), Some(v));
    }
    let c = SurveyVariant::S0SatisfactionProcedure.preset();
    assert_eq!(c.scale, Scale::FourLevel);
    assert_eq!(
        (c.handout_target_permille, c.return_target_permille),
        (900, 800)
    );
    assert!(c.item_target && c.penalty.is_none());
    let mut bad = a();
    bad.return_visit_days = 0;
    assert!(bad.validate().is_err());
}

#[test]
fn items_default_to_the_s0_topics_and_are_checked() {
    let d = default_items();
    assert_eq!(d.len(), 9);
    assert_eq!(d[3].name_zh, "维修人员技能、服务态度及维修及时性");
    assert!(parse_items(d).is_ok());
    assert_eq!(parse_items(vec![]).unwrap_err().code(), "invalid_survey");
    let dup = vec![item("a"), item("a")];
    assert_eq!(parse_items(dup).unwrap_err().code(), "duplicate_item");
    let bad = vec![item("A b")];
    assert!(parse_items(bad).is_err());
}
