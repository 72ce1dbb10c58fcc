//! Satisfaction surveys through the real router: the demo's closed survey and its known
//! numbers, hand-out and returned questionnaires, refusals that change nothing, role and site
//! checks, and the return visits of dissatisfied respondents (idempotent).

#![allow(clippy::unwrap_used)]

use crate::helpers::{spawn_app, TestApp};
use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};
use sqlx::PgPool;
use uuid::Uuid;

/// The `n`-th unit of a site with the given occupancy test, in building/entrance/room order.
async fn unit(app: &TestApp, site: &str, occupied: bool, n: i64) -> Uuid {
    sqlx::query_scalar(
        "SELECT u.id FROM units u JOIN sites s ON s.id = u.site_id JOIN buildings b ON b.id = u.building_id
         WHERE s.code = $1 AND (u.occupancy <> 'vacant') = $2
         ORDER BY b.number, u.entrance, u.floor, u.room OFFSET $3 LIMIT 1",
    )
    .bind(site)
    .bind(occupied)
    .bind(n)
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

async fn demo_survey(app: &TestApp) -> Uuid {
    sqlx::query_scalar("SELECT id FROM surveys WHERE title = '2026年度全面意见征询'")
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

async fn get(c: &reqwest::Client, app: &TestApp, path: &str) -> (u16, Value) {
    let r = c.get(app.url(path)).send().await.unwrap();
    let s = r.status().as_u16();
    (s, r.json().await.unwrap_or(Value::Null))
}

async fn post(c: &reqwest::Client, app: &TestApp, path: &str, body: Value) -> (u16, Value) {
    let r = c.post(app.url(path)).json(&body).send().await.unwrap();
    let s = r.status().as_u16();
    (s, r.json().await.unwrap_or(Value::Null))
}

/// Opens a survey on 翠湖花园 as the customer-service manager.
async fn open_survey(app: &TestApp, variant: Option<&str>) -> Uuid {
    let c = app.signed_in("csmgr").await;
    let site = app.site_id("cuihu").await;
    let mut body = json!({"title": "测试问卷", "handed_out_on": "2026-12-01"});
    if let Some(v) = variant {
        body["variant"] = json!(v);
    }
    let (s, v) = post(&c, app, &format!("/api/v1/sites/{site}/surveys"), body).await;
    assert_eq!(s, 201, "{v}");
    v["id"].as_str().unwrap().parse().unwrap()
}

fn answers(pairs: &[(&str, &[&str])]) -> Value {
    Value::Array(
        pairs
            .iter()
            .map(|(item, marks)| json!({"item": item, "marks": marks}))
            .collect(),
    )
}

async fn stored_answers(app: &TestApp, survey: Uuid) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM survey_answers WHERE survey_id = $1")
        .bind(survey)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

#[sqlx::test]
async fn the_demo_survey_has_its_known_numbers(pool: PgPool) {
    let app = spawn_app(pool).await;
    let id = demo_survey(&app).await;
    let c = app.signed_in("center").await;
    let (s, v) = get(&c, &app, &format!("/api/v1/surveys/{id}/results")).await;
    assert_eq!(s, 200, "{v}");
    let r = &v["results"];
    assert_eq!(v["survey"]["status"], "closed");
    assert_eq!(v["survey"]["policy"]["variant"], "s0_full_opinion");
    assert_eq!(v["survey"]["deadlines"]["collect_by"], "2026-07-06");
    assert_eq!(v["survey"]["deadlines"]["analysis_by"], "2026-07-31");
    assert_eq!(r["handout"]["num"], 600);
    // The occupied households as counted when the survey was opened.
    let occupied: i32 = sqlx::query_scalar("SELECT occupied_households FROM surveys WHERE id = $1")
        .bind(id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(r["handout"]["den"], occupied);
    assert_eq!(r["handout_met"], occupied <= 600);
    assert_eq!(r["coverage_met"], true);
    assert_eq!(r["returns"]["num"], 330);
    assert_eq!(r["returns"]["permille"], 550);
    assert_eq!(r["return_met"], false);
    assert_eq!(r["overall"]["num"], 2668);
    assert_eq!(r["overall"]["den"], 2900);
    assert_eq!(r["overall"]["permille"], 920);
    assert_eq!(r["penalty"]["shortfall_permille"], 50);
    assert_eq!(r["penalty"]["cut_permille"], 250);
    assert_eq!(r["final_permille"], 670);
    assert_eq!(r["overall_met"], false);
    assert_eq!(r["abstentions"], 70);
    assert_eq!(r["dissatisfied_answers"], 232);
    let pareto: Vec<(String, bool)> = r["pareto"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["code"].as_str().unwrap().to_owned(),
                p["main"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(pareto.len(), 9);
    assert_eq!(
        pareto[..4],
        [
            ("repairs".to_owned(), true),
            ("security".to_owned(), true),
            ("cleaning".to_owned(), true),
            ("greening".to_owned(), false)
        ]
    );
    let repairs = r["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == "repairs")
        .unwrap();
    assert_eq!(repairs["rate"]["num"], 238);
    assert_eq!(repairs["rate"]["den"], 325);
    assert_eq!(repairs["abstained"], 5);
    // Half the abstentions were two boxes marked; they are kept as marked.
    let two_boxes: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM survey_answers WHERE survey_id = $1 AND rating IS NULL AND cardinality(marks) = 2",
    )
    .bind(id)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert!(two_boxes > 0 && two_boxes < 70, "{two_boxes}");
    // The front desk reads it too; the list has it.
    let desk = app.signed_in("desk1").await;
    let site = app.site_id("cuihu").await;
    let (s, list) = get(&desk, &app, &format!("/api/v1/sites/{site}/surveys")).await;
    assert_eq!(s, 200);
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["id"] == id.to_string()));
}

#[sqlx::test]
async fn a_returned_questionnaire_counts_and_schedules_one_return_visit(pool: PgPool) {
    let app = spawn_app(pool).await;
    let id = open_survey(&app, None).await;
    let desk = app.signed_in("desk1").await;
    let u = unit(&app, "cuihu", true, 10).await;
    // Not handed out yet: refused, nothing stored.
    let body = json!({"unit_id": u, "answers": answers(&[
        ("security", &["satisfied"]),
        ("cleaning", &["fairly_satisfied"]),
        ("repairs", &["dissatisfied"]),
        ("greening", &["satisfied", "dissatisfied"]),
        ("culture", &["dissatisfied"]),
    ]), "suggestion": "维修太慢"});
    let (s, v) = post(
        &desk,
        &app,
        &format!("/api/v1/surveys/{id}/returns"),
        body.clone(),
    )
    .await;
    assert_eq!((s, v["code"].as_str()), (409, Some("not_handed_out")));

    let (s, v) = post(
        &desk,
        &app,
        &format!("/api/v1/surveys/{id}/handouts"),
        json!({"unit_ids": [u]}),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(
        (v["added"].as_u64(), v["handed_out"].as_u64()),
        (Some(1), Some(1))
    );
    // Handing out again changes nothing.
    let (_, v) = post(
        &desk,
        &app,
        &format!("/api/v1/surveys/{id}/handouts"),
        json!({"unit_ids": [u]}),
    )
    .await;
    assert_eq!(v["added"], 0);

    let before = Utc::now();
    let (s, v) = post(
        &desk,
        &app,
        &format!("/api/v1/surveys/{id}/returns"),
        body.clone(),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    // 9 items: greening (two boxes) and the four not entered are abstentions.
    assert_eq!(v["abstained"], 5);
    assert_eq!(v["dissatisfied_items"], json!(["repairs", "culture"]));
    let visit: Uuid = v["return_visit_id"].as_str().unwrap().parse().unwrap();
    let household: Uuid = v["household_id"].as_str().unwrap().parse().unwrap();
    let (source, source_id, reason, mandatory, earliest, due, subject, unit_id): (
        String,
        Uuid,
        String,
        bool,
        DateTime<Utc>,
        DateTime<Utc>,
        String,
        Uuid,
    ) = sqlx::query_as(
        "SELECT source, source_id, reason, mandatory, earliest_at, due_at, subject, unit_id
         FROM return_visits WHERE id = $1",
    )
    .bind(visit)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        (source.as_str(), reason.as_str()),
        ("survey", "survey_dissatisfied")
    );
    assert_eq!((source_id, unit_id), (household, u));
    assert!(mandatory);
    assert!(earliest >= before - Duration::seconds(5));
    assert_eq!(due - earliest, Duration::days(7));
    assert!(
        subject.contains("维修人员技能") && subject.contains("社区文化建设"),
        "{subject}"
    );

    // Entered twice: refused.
    let (s, v) = post(&desk, &app, &format!("/api/v1/surveys/{id}/returns"), body).await;
    assert_eq!((s, v["code"].as_str()), (409, Some("already_returned")));

    let (_, v) = get(&desk, &app, &format!("/api/v1/surveys/{id}/results")).await;
    let r = &v["results"];
    assert_eq!(r["returns"]["num"], 1);
    assert_eq!(r["returns"]["den"], 1);
    // 满意 + 基本满意 = 2 of 4 rated answers (greening abstained).
    assert_eq!(
        (r["overall"]["num"].as_u64(), r["overall"]["den"].as_u64()),
        (Some(2), Some(4))
    );
    assert!(r["penalty"].is_null(), "100 % returned");
    assert_eq!(v["return_visits_total"], 1);
    assert_eq!(v["return_visits_open"], 1);
    // The household row shows the state.
    let (_, rows) = get(&desk, &app, &format!("/api/v1/surveys/{id}/households?q=")).await;
    assert!(rows.as_array().unwrap().len() <= 30);

    // Scheduling again adds nothing, however often it is asked.
    let mgr = app.signed_in("csmgr").await;
    for _ in 0..2 {
        let (s, v) = post(
            &mgr,
            &app,
            &format!("/api/v1/surveys/{id}/return-visits"),
            json!({}),
        )
        .await;
        assert_eq!(s, 200, "{v}");
        assert_eq!(
            (v["created"].as_u64(), v["dissatisfied_households"].as_u64()),
            (Some(0), Some(1))
        );
    }
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM return_visits WHERE source = 'survey'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(n, 1);
    // The desk may not schedule them.
    let (s, _) = post(
        &desk,
        &app,
        &format!("/api/v1/surveys/{id}/return-visits"),
        json!({}),
    )
    .await;
    assert_eq!(s, 403);

    // Closed: no more hand-outs or returns.
    let (s, v) = post(
        &mgr,
        &app,
        &format!("/api/v1/surveys/{id}/close"),
        json!({}),
    )
    .await;
    assert_eq!((s, v["status"].as_str()), (200, Some("closed")));
    let u2 = unit(&app, "cuihu", true, 11).await;
    let (s, v) = post(
        &desk,
        &app,
        &format!("/api/v1/surveys/{id}/handouts"),
        json!({"unit_ids": [u2]}),
    )
    .await;
    assert_eq!((s, v["code"].as_str()), (409, Some("survey_closed")));
}

#[sqlx::test]
async fn the_demo_survey_schedules_its_return_visits_once(pool: PgPool) {
    let app = spawn_app(pool).await;
    let id = demo_survey(&app).await;
    let mgr = app.signed_in("csmgr").await;
    let (_, v) = get(&mgr, &app, &format!("/api/v1/surveys/{id}/results")).await;
    let households = v["results"]["dissatisfied_households"].as_u64().unwrap();
    assert!(households > 100, "{households}");
    assert_eq!(v["return_visits_total"], 0);
    let (s, v) = post(
        &mgr,
        &app,
        &format!("/api/v1/surveys/{id}/return-visits"),
        json!({}),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["created"].as_u64(), Some(households));
    let (_, v) = post(
        &mgr,
        &app,
        &format!("/api/v1/surveys/{id}/return-visits"),
        json!({}),
    )
    .await;
    assert_eq!(v["created"], 0);
    let (_, v) = get(&mgr, &app, &format!("/api/v1/surveys/{id}/results")).await;
    assert_eq!(v["return_visits_total"].as_u64(), Some(households));
}

#[sqlx::test]
async fn a_rating_off_the_scale_is_refused_and_changes_nothing(pool: PgPool) {
    let app = spawn_app(pool).await;
    // 第8篇: four levels; 基本满意 is not one of them.
    let id = open_survey(&app, Some("s0_satisfaction_procedure")).await;
    let desk = app.signed_in("desk1").await;
    let u = unit(&app, "cuihu", true, 3).await;
    let (s, _) = post(
        &desk,
        &app,
        &format!("/api/v1/surveys/{id}/handouts"),
        json!({"unit_ids": [u]}),
    )
    .await;
    assert_eq!(s, 200);
    for marks in [
        &["fairly_satisfied"][..],
        &["excellent"],
        &["satisfied", "dissatisfied"],
    ] {
        let body = json!({"unit_id": u, "answers": answers(&[("security", &["very_satisfied"]), ("repairs", marks)])});
        let (s, v) = post(&desk, &app, &format!("/api/v1/surveys/{id}/returns"), body).await;
        assert_eq!(
            (s, v["code"].as_str()),
            (422, Some("rating_off_scale")),
            "{marks:?}"
        );
    }
    let body = json!({"unit_id": u, "answers": answers(&[("nosuch", &["satisfied"])])});
    let (s, v) = post(&desk, &app, &format!("/api/v1/surveys/{id}/returns"), body).await;
    assert_eq!((s, v["code"].as_str()), (422, Some("unknown_item")));
    assert_eq!(stored_answers(&app, id).await, 0);
    let returned: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM survey_households WHERE survey_id = $1 AND returned_at IS NOT NULL",
    )
    .bind(id)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(returned, 0);
    // The right boxes go through: 不太满意 + 很不满意 on two items, one questionnaire.
    let body = json!({"unit_id": u, "answers": answers(&[
        ("security", &["very_satisfied"]), ("repairs", &["not_very_satisfied"]), ("cleaning", &["very_dissatisfied"])])});
    let (s, v) = post(&desk, &app, &format!("/api/v1/surveys/{id}/returns"), body).await;
    assert_eq!(s, 201, "{v}");
    assert_eq!(v["dissatisfied_items"], json!(["cleaning", "repairs"]));
    let (_, v) = get(&desk, &app, &format!("/api/v1/surveys/{id}/results")).await;
    let r = &v["results"];
    assert_eq!(r["scale"], "four_level");
    // Not a satisfied questionnaire: 0 of 1.
    assert_eq!(
        (r["overall"]["num"].as_u64(), r["overall"]["den"].as_u64()),
        (Some(0), Some(1))
    );
    assert!(r["penalty"].is_null());
    let security = r["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == "security")
        .unwrap();
    assert_eq!(security["met"], true);
}

#[sqlx::test]
async fn other_sites_and_roles_are_refused(pool: PgPool) {
    let app = spawn_app(pool).await;
    let id = open_survey(&app, None).await;
    let desk = app.signed_in("desk1").await;
    let other = unit(&app, "fenglin", true, 0).await;
    // A household of another site: neither handed out nor entered.
    let (s, v) = post(
        &desk,
        &app,
        &format!("/api/v1/surveys/{id}/handouts"),
        json!({"unit_ids": [other]}),
    )
    .await;
    assert_eq!((s, v["code"].as_str()), (422, Some("unit_not_in_site")));
    let body = json!({"unit_id": other, "answers": answers(&[("security", &["satisfied"])])});
    let (s, v) = post(&desk, &app, &format!("/api/v1/surveys/{id}/returns"), body).await;
    assert_eq!((s, v["code"].as_str()), (422, Some("unit_not_in_site")));
    // A vacant unit gets no questionnaire.
    let vacant = unit(&app, "cuihu", false, 0).await;
    let (s, v) = post(
        &desk,
        &app,
        &format!("/api/v1/surveys/{id}/handouts"),
        json!({"unit_ids": [vacant]}),
    )
    .await;
    assert_eq!((s, v["code"].as_str()), (422, Some("unit_vacant")));
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM survey_households WHERE survey_id = $1")
        .bind(id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(n, 0);
    // The second site's desk may not see 翠湖花园's survey; a technician none at all.
    let fl = app.signed_in("fldesk").await;
    let (s, v) = get(&fl, &app, &format!("/api/v1/surveys/{id}/results")).await;
    assert_eq!((s, v["code"].as_str()), (403, Some("site_forbidden")));
    let (s, _) = post(
        &fl,
        &app,
        &format!("/api/v1/surveys/{id}/handouts"),
        json!({"unit_ids": [other]}),
    )
    .await;
    assert_eq!(s, 403);
    let tech = app.signed_in("tech1").await;
    let (s, v) = get(&tech, &app, &format!("/api/v1/surveys/{id}")).await;
    assert_eq!((s, v["code"].as_str()), (403, Some("forbidden")));
    // Only managers open surveys.
    let site = app.site_id("cuihu").await;
    let (s, _) = post(
        &desk,
        &app,
        &format!("/api/v1/sites/{site}/surveys"),
        json!({"title": "x", "handed_out_on": "2026-06-01"}),
    )
    .await;
    assert_eq!(s, 403);
    let fl_site = app.site_id("fenglin").await;
    let mgr = app.signed_in("csmgr").await;
    let (s, _) = post(
        &mgr,
        &app,
        &format!("/api/v1/sites/{fl_site}/surveys"),
        json!({"title": "x", "handed_out_on": "2026-06-01"}),
    )
    .await;
    assert_eq!(s, 403);
    // Signed out: 401.
    let (s, _) = get(&app.client(), &app, &format!("/api/v1/surveys/{id}")).await;
    assert_eq!(s, 401);
}

#[sqlx::test]
async fn the_site_policy_picks_the_preset_of_new_surveys(pool: PgPool) {
    let app = spawn_app(pool).await;
    let site = app.site_id("cuihu").await;
    let mgr = app.signed_in("csmgr").await;
    let (_, v) = get(&mgr, &app, &format!("/api/v1/sites/{site}/survey-policy")).await;
    assert_eq!(
        (v["chosen"].as_bool(), v["policy"]["variant"].as_str()),
        (Some(false), Some("s0_full_opinion"))
    );
    let r = mgr
        .put(app.url(&format!("/api/v1/sites/{site}/survey-policy")))
        .json(&json!({"variant": "s0_twice_yearly", "return_visit_days": 3}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = mgr
        .put(app.url(&format!("/api/v1/sites/{site}/survey-policy")))
        .json(&json!({"variant": "s0_nonsense"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let id = open_survey(&app, None).await;
    let (_, v) = get(&mgr, &app, &format!("/api/v1/surveys/{id}")).await;
    assert_eq!(v["policy"]["variant"], "s0_twice_yearly");
    assert_eq!(v["policy"]["return_visit_days"], 3);
    // 1 December 2026 + 30 working days.
    assert_eq!(v["deadlines"]["analysis_by"], "2027-01-12");
    assert_eq!(v["items"].as_array().unwrap().len(), 9);
    // Hand out to every occupied household at once.
    let (s, v) = post(
        &mgr,
        &app,
        &format!("/api/v1/surveys/{id}/handouts"),
        json!({"all_occupied": true}),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    let occupied: i64 = app
        .count("SELECT count(*) FROM units u JOIN sites s ON s.id = u.site_id WHERE s.code = 'cuihu' AND occupancy <> 'vacant'")
        .await;
    assert_eq!(v["handed_out"].as_i64(), Some(occupied));
    let (_, v) = get(&mgr, &app, &format!("/api/v1/surveys/{id}/results")).await;
    assert_eq!(v["results"]["handout_met"], true);
    assert_eq!(v["results"]["coverage_met"], true);
    assert_eq!(v["results"]["returns"]["permille"], 0);
}
