//! Patrol rounds through the real push endpoint, the work their faults raise, pull scope, the
//! managers' REST API (checkpoints, routes, QR labels, day list, report, stats, cases,
//! notifications) and the demo set-up, against the real router and PostgreSQL.

#![allow(clippy::unwrap_used)]

use crate::helpers::{outcome, spawn_app, staff_id, upload_blob, Device, TestApp};
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use domain::ids::{RoundId, RouteId, SiteId, StaffId};
use domain::patrol::round::{apply_round, AnswerValue, Round, RoundCommand};
use domain::people::Role;
use domain::sync::reference::ReferenceData;
use domain::work_orders::sla::china;
use domain::work_orders::Actor;
use serde_json::{json, Value};
use sqlx::PgPool;
use uuid::Uuid;

fn today() -> NaiveDate {
    Utc::now().with_timezone(&china()).date_naive()
}

async fn checkpoint(app: &TestApp, code: &str) -> Uuid {
    sqlx::query_scalar("SELECT id FROM checkpoints WHERE code = $1")
        .bind(code)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

async fn route(app: &TestApp, site: &str, name: &str) -> Uuid {
    sqlx::query_scalar(
        "SELECT r.id FROM routes r JOIN sites s ON s.id = r.site_id WHERE s.code = $1 AND r.name = $2",
    )
    .bind(site)
    .bind(name)
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

fn create(route: Uuid) -> Value {
    json!({"type": "create", "route_id": route, "date": today()})
}

fn scan(code: &str) -> Value {
    json!({"type": "scan", "code": code})
}

fn answer(cp: Uuid, item: &str, value: &str, note: &str, photos: Value) -> Value {
    json!({"type": "answer", "checkpoint_id": cp, "item_code": item, "value": value,
           "note": note, "photos": photos})
}

/// Pushes each command as its own mutation of `round`, in one batch; asserts all applied.
async fn walk(
    app: &TestApp,
    dev: &mut Device,
    round: Uuid,
    cmds: Vec<Value>,
) -> (Value, Vec<Value>) {
    let ms: Vec<Value> = cmds
        .into_iter()
        .map(|c| dev.round(round, None, c))
        .collect();
    let r = dev.push(app, &ms).await;
    for (i, _) in ms.iter().enumerate() {
        assert_eq!(
            outcome(&r, i)["status"],
            "applied",
            "{i}: {}",
            outcome(&r, i)
        );
    }
    (r, ms)
}

async fn stored_round(app: &TestApp, id: Uuid) -> (String, i64, Value) {
    sqlx::query_as("SELECT status, version, doc FROM rounds WHERE id = $1")
        .bind(id)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

async fn patrol_orders(app: &TestApp) -> Vec<Value> {
    sqlx::query_scalar(
        "SELECT doc FROM work_orders WHERE doc ? 'patrol_source' ORDER BY received_at, number",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap()
}

/// Rows that a replay must not add to.
async fn counts(app: &TestApp) -> Vec<i64> {
    let mut out = Vec::new();
    for sql in [
        "SELECT count(*) FROM work_orders",
        "SELECT count(*) FROM sync_changes",
        "SELECT count(*) FROM notifications",
        "SELECT count(*) FROM service_cases",
        "SELECT max(version) FROM rounds",
    ] {
        out.push(app.count(sql).await);
    }
    out
}

async fn get(app: &TestApp, c: &reqwest::Client, path: &str) -> (u16, Value) {
    let r = c.get(app.url(path)).send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn send(
    app: &TestApp,
    c: &reqwest::Client,
    method: &str,
    path: &str,
    body: Value,
) -> (u16, Value) {
    let req = match method {
        "POST" => c.post(app.url(path)),
        "PUT" => c.put(app.url(path)),
        _ => unreachable!(),
    };
    let r = req.json(&body).send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

#[sqlx::test(migrations = "./migrations")]
async fn a_fire_door_found_open_becomes_an_urgent_repair_with_its_photo(pool: PgPool) {
    let app = spawn_app(pool).await;
    let mut officer = Device::new(&app, "patrol1").await;
    let site = app.site_id("cuihu").await;
    let photo = upload_blob(&app, &officer, "image/jpeg", 3_000).await;
    let round = Uuid::now_v7();
    let stair = checkpoint(&app, "CH-3-1-LT").await;
    let cmds = vec![
        create(route(&app, "cuihu", "3栋 日常巡楼").await),
        json!({"type": "start"}),
        scan("CH-3-MT"),
        scan("CH-3-1-DT"),
        scan("CH-3-1-LT"),
        answer(stair, "1a", "normal", "", json!([])),
        answer(stair, "1c3", "fault", "3楼防火门被杂物顶开", json!([photo])),
        json!({"type": "finish_early", "reason": "暴雨，先处理防火门"}),
    ];
    let n = cmds.len() as i64;
    let (first, ms) = walk(&app, &mut officer, round, cmds).await;
    assert_eq!(outcome(&first, ms.len() - 1)["version"], n);

    let (status, version, doc) = stored_round(&app, round).await;
    assert_eq!((status.as_str(), version), ("finished_early", n));
    assert_eq!(doc["scans"].as_array().unwrap().len(), 3);
    assert_eq!(
        doc["stops"].as_array().unwrap().len(),
        6,
        "planned from the server's route"
    );

    // One urgent repair order for the place, with the photo, for engineering's board.
    let orders = patrol_orders(&app).await;
    assert_eq!(orders.len(), 1);
    let o = &orders[0];
    assert_eq!(o["kind"], "urgent");
    assert_eq!(o["channel"], "field");
    assert_eq!(o["common_area"], true);
    assert_eq!(o["location"], "3栋1单元 楼梯间");
    assert_eq!(o["content"], "防火门是否关闭 — 异常：3楼防火门被杂物顶开");
    assert_eq!(o["photos"][0]["sha256"], photo.sha256);
    assert_eq!(o["reporter_name"], "赵敏");
    assert_eq!(
        o["reporter_phone"], "057187651234",
        "the centre's phone: the officer has none"
    );
    assert_eq!(o["status"], "reported");
    assert_eq!(o["patrol_source"]["round_id"], round.to_string());
    assert_eq!(
        o["patrol_source"]["fault"],
        json!({"type": "item", "checkpoint_id": stair, "item_code": "1c3"})
    );
    assert!(o["number"].as_str().unwrap().starts_with("BX-"));
    assert!(o["eng_notified_at"].is_string());
    assert_eq!(o["created_by"], staff_id(&app, "patrol1").await.to_string());

    // The engineering manager's phone gets the order, not the round.
    let eng = Device::new(&app, "engmgr").await;
    let p = eng.pull(&app, None).await;
    let kinds: Vec<&str> = p["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["record"]["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, vec!["work_order"]);

    // The customer-service manager is told of the urgent repair and the early finish.
    let cs = app.signed_in("csmgr").await;
    let (_, notes) = get(&app, &cs, "/api/v1/notifications").await;
    let mut kinds: Vec<&str> = notes
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["kind"].as_str().unwrap())
        .collect();
    kinds.sort();
    assert_eq!(kinds, vec!["patrol_urgent_repair", "round_finished_early"]);
    assert_eq!(notes[0]["link"], format!("/patrol/reports/{round}"));

    // The report: every scan, the answers, the missed stops, the order it raised.
    let (code, rep) = get(&app, &cs, &format!("/api/v1/rounds/{round}")).await;
    assert_eq!(code, 200, "{rep}");
    assert_eq!(rep["summary"]["progress"], json!({"num": 3, "den": 6}));
    assert_eq!(rep["summary"]["missed"].as_array().unwrap().len(), 3);
    assert_eq!(rep["summary"]["early_reason"], "暴雨，先处理防火门");
    assert_eq!(rep["summary"]["officer_name"], "赵敏");
    let stop = rep["stops"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["code"] == "CH-3-1-LT")
        .unwrap();
    assert_eq!(stop["scans"].as_array().unwrap().len(), 1);
    let fire = stop["answers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["item_code"] == "1c3")
        .unwrap();
    assert_eq!(fire["value"], "fault");
    assert_eq!(fire["text_zh"], "防火门是否关闭");
    assert_eq!(fire["photos"][0]["sha256"], photo.sha256);
    assert_eq!(rep["orders"].as_array().unwrap().len(), 1);
    assert_eq!(rep["orders"][0]["number"], o["number"]);
    assert_eq!(rep["orders"][0]["kind"], "urgent");
    assert_eq!(rep["cases"], json!([]));
    // The officer reads their own report; a technician or engineering may not.
    let (code, _) = get(&app, &officer.client, &format!("/api/v1/rounds/{round}")).await;
    assert_eq!(code, 200);
    for who in ["tech1", "engmgr"] {
        let c = app.signed_in(who).await;
        let (code, body) = get(&app, &c, &format!("/api/v1/rounds/{round}")).await;
        assert_eq!(
            (code, body["code"].as_str()),
            (403, Some("forbidden")),
            "{who}"
        );
    }
    // The day list.
    let (code, day) = get(&app, &cs, &format!("/api/v1/sites/{site}/patrol/rounds")).await;
    assert_eq!(code, 200, "{day}");
    assert_eq!(day["rounds"].as_array().unwrap().len(), 1);
    assert_eq!(day["rounds"][0]["status"], "finished_early");
    assert_eq!(day["rounds"][0]["faults"], 1);
    assert_eq!(
        day["daily_routes_without_round"].as_array().unwrap().len(),
        6,
        "five other buildings and the grounds"
    );

    // The same batch again: the same answers, nothing applied twice, nothing raised twice.
    let before = counts(&app).await;
    let again = officer.push(&app, &ms).await;
    assert_eq!(first["results"], again["results"]);
    assert_eq!(counts(&app).await, before);
}

#[sqlx::test(migrations = "./migrations")]
async fn a_fault_with_its_order_still_open_raises_no_second_order(pool: PgPool) {
    let app = spawn_app(pool).await;
    let mut officer = Device::new(&app, "patrol1").await;
    let mut guard = Device::new(&app, "security1").await;
    let stair = checkpoint(&app, "CH-3-1-LT").await;
    let fault = |note: &str| answer(stair, "1c3", "fault", note, json!([]));

    let a = Uuid::now_v7();
    walk(
        &app,
        &mut officer,
        a,
        vec![
            create(route(&app, "cuihu", "3栋 日常巡楼").await),
            json!({"type": "start"}),
            scan("CH-3-1-LT"),
            fault("防火门被顶开"),
        ],
    )
    .await;
    assert_eq!(patrol_orders(&app).await.len(), 1);

    // Another officer finds the same door open on the holiday round: the order is open.
    let b = Uuid::now_v7();
    walk(
        &app,
        &mut guard,
        b,
        vec![
            create(route(&app, "cuihu", "节假日 空置住户巡查").await),
            json!({"type": "start"}),
            scan("CH-3-1-LT"),
            fault("防火门仍未关闭"),
        ],
    )
    .await;
    assert_eq!(patrol_orders(&app).await.len(), 1, "no duplicate");

    // The door is repaired and the order closed. Round B going on does not raise the fault it
    // recorded while the order was open; a new round finding it again does.
    sqlx::query(
        "UPDATE work_orders SET status = 'closed', closed_at = now(),
                doc = jsonb_set(doc, '{status}', '\"closed\"')
         WHERE doc ? 'patrol_source'",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    walk(&app, &mut guard, b, vec![scan("CH-3-2-LT")]).await;
    assert_eq!(patrol_orders(&app).await.len(), 1);
    let c = Uuid::now_v7();
    walk(
        &app,
        &mut officer,
        c,
        vec![
            create(route(&app, "cuihu", "3栋 日常巡楼").await),
            json!({"type": "start"}),
            scan("CH-3-1-LT"),
            fault("防火门又被顶开"),
        ],
    )
    .await;
    let orders = patrol_orders(&app).await;
    assert_eq!(orders.len(), 2);
    assert_eq!(orders[1]["patrol_source"]["round_id"], c.to_string());
    // Two officers, two call-back names.
    assert_eq!(orders[1]["reporter_name"], "赵敏");
}

#[sqlx::test(migrations = "./migrations")]
async fn a_fault_a_repair_cannot_fix_opens_a_case_for_customer_service(pool: PgPool) {
    let app = spawn_app(pool).await;
    let mut officer = Device::new(&app, "patrol1").await;
    let site = app.site_id("cuihu").await;
    let roof = checkpoint(&app, "CH-3-TT").await;
    let round = Uuid::now_v7();
    let photo = upload_blob(&app, &officer, "image/png", 1_500).await;
    walk(
        &app,
        &mut officer,
        round,
        vec![
            create(route(&app, "cuihu", "3栋 日常巡楼").await),
            json!({"type": "start"}),
            scan("CH-3-TT"),
            answer(roof, "2b1", "fault", "天台东侧搭建彩钢棚", json!([photo])),
            answer(roof, "2a", "normal", "", json!([])),
        ],
    )
    .await;
    assert!(patrol_orders(&app).await.is_empty(), "not a repair");
    let cs = app.signed_in("csmgr").await;
    let (code, cases) = get(
        &app,
        &cs,
        &format!("/api/v1/sites/{site}/cases?status=open"),
    )
    .await;
    assert_eq!(code, 200, "{cases}");
    assert_eq!(cases.as_array().unwrap().len(), 1);
    let case = &cases[0];
    assert_eq!(case["place"], "3栋 楼顶天台");
    assert_eq!(
        case["content"],
        "有无私搭乱建现象 — 异常：天台东侧搭建彩钢棚"
    );
    assert_eq!(case["photos"][0]["sha256"], photo.sha256);
    assert_eq!(case["round_id"], round.to_string());
    assert_eq!(case["created_by_name"], "赵敏");
    assert_eq!(case["status"], "open");

    // Only the customer-service manager's role is told.
    let (_, notes) = get(&app, &cs, "/api/v1/notifications?unread=true").await;
    assert_eq!(notes.as_array().unwrap().len(), 1);
    assert_eq!(notes[0]["kind"], "patrol_case");
    assert!(notes[0]["text"].as_str().unwrap().contains("3栋 楼顶天台"));
    let (_, mine) = get(&app, &officer.client, "/api/v1/notifications").await;
    assert_eq!(mine, json!([]));
    let eng = app.signed_in("engmgr").await;
    let (_, theirs) = get(&app, &eng, "/api/v1/notifications").await;
    assert_eq!(theirs, json!([]));
    // Someone else's notification cannot be marked read; one's own can.
    let id = notes[0]["id"].as_str().unwrap();
    let r = eng
        .post(app.url(&format!("/api/v1/notifications/{id}/read")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let r = cs
        .post(app.url(&format!("/api/v1/notifications/{id}/read")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let (_, unread) = get(&app, &cs, "/api/v1/notifications?unread=true").await;
    assert_eq!(unread, json!([]));

    // The report lists the case; the manager closes it with what was done.
    let (_, rep) = get(&app, &cs, &format!("/api/v1/rounds/{round}")).await;
    assert_eq!(rep["cases"][0]["id"], case["id"]);
    let path = format!("/api/v1/cases/{}/close", case["id"].as_str().unwrap());
    let (code, closed) = send(
        &app,
        &cs,
        "POST",
        &path,
        json!({"note": "已约业主限期拆除"}),
    )
    .await;
    assert_eq!(code, 200, "{closed}");
    assert_eq!(closed["status"], "closed");
    let (code, again) = send(&app, &cs, "POST", &path, json!({"note": "再次关闭"})).await;
    assert_eq!(
        (code, again["code"].as_str()),
        (409, Some("already_closed"))
    );
    let (code, body) = send(&app, &officer.client, "POST", &path, json!({"note": "x"})).await;
    assert_eq!((code, body["code"].as_str()), (403, Some("forbidden")));
}

#[sqlx::test(migrations = "./migrations")]
async fn refused_round_steps_say_why_and_change_nothing(pool: PgPool) {
    let app = spawn_app(pool).await;
    let mut officer = Device::new(&app, "patrol1").await;
    let round = Uuid::now_v7();
    walk(
        &app,
        &mut officer,
        round,
        vec![
            create(route(&app, "cuihu", "3栋 日常巡楼").await),
            json!({"type": "start"}),
            scan("CH-3-1-LT"),
        ],
    )
    .await;
    let before = stored_round(&app, round).await;
    let stair = checkpoint(&app, "CH-3-1-LT").await;
    let other_stair = checkpoint(&app, "CH-3-2-LT").await;
    let elsewhere = checkpoint(&app, "CH-1-1-LT").await;
    let cases = [
        (scan("CH-9-9-XX"), "unknown_checkpoint"),
        (scan("FL-1-1-LT"), "other_site_checkpoint"),
        (scan("CH-1-1-LT"), "not_on_round"),
        (
            answer(elsewhere, "1a", "normal", "", json!([])),
            "not_on_round",
        ),
        (
            answer(other_stair, "1a", "normal", "", json!([])),
            "not_scanned",
        ),
        (
            answer(stair, "1c3", "fault", "  ", json!([])),
            "fault_needs_evidence",
        ),
        (
            answer(stair, "9z", "normal", "", json!([])),
            "unknown_checklist_item",
        ),
        (json!({"type": "finish"}), "checkpoints_left"),
        (
            json!({"type": "finish_early", "reason": ""}),
            "invalid_input",
        ),
        (json!({"type": "start"}), "invalid_transition"),
    ];
    for (cmd, code) in cases {
        let m = officer.round(round, Some(before.1), cmd.clone());
        let r = officer.push(&app, &[m]).await;
        assert_eq!(outcome(&r, 0)["status"], "rejected", "{cmd}");
        assert_eq!(outcome(&r, 0)["code"], code, "{cmd}: {}", outcome(&r, 0));
    }
    // Someone else's round, another site's route, a role that does not walk rounds.
    let mut guard = Device::new(&app, "security1").await;
    let r = guard.one_round(&app, round, scan("CH-3-2-LT")).await;
    assert_eq!(outcome(&r, 0)["code"], "not_officer");
    let r = officer
        .one_round(
            &app,
            Uuid::now_v7(),
            create(route(&app, "fenglin", "1栋 日常巡楼").await),
        )
        .await;
    assert_eq!(outcome(&r, 0)["code"], "unknown_route");
    let mut tech = Device::new(&app, "tech1").await;
    let r = tech
        .one_round(
            &app,
            Uuid::now_v7(),
            create(route(&app, "cuihu", "3栋 日常巡楼").await),
        )
        .await;
    assert_eq!(outcome(&r, 0)["code"], "forbidden");
    let r = officer
        .one_round(&app, Uuid::now_v7(), json!({"type": "start"}))
        .await;
    assert_eq!(outcome(&r, 0)["code"], "unknown_entity");

    assert_eq!(
        stored_round(&app, round).await,
        before,
        "the round is as it was"
    );
    assert_eq!(app.count("SELECT count(*) FROM rounds").await, 1);
    assert_eq!(app.count("SELECT count(*) FROM work_orders").await, 0);
    assert_eq!(app.count("SELECT count(*) FROM service_cases").await, 0);
    assert_eq!(app.count("SELECT count(*) FROM notifications").await, 0);
}

#[sqlx::test(migrations = "./migrations")]
async fn officers_pull_their_own_rounds_and_managers_every_round_of_the_site(pool: PgPool) {
    let app = spawn_app(pool).await;
    let mut officer = Device::new(&app, "patrol1").await;
    let mut guard = Device::new(&app, "security1").await;
    let a = Uuid::now_v7();
    let b = Uuid::now_v7();
    walk(
        &app,
        &mut officer,
        a,
        vec![create(route(&app, "cuihu", "3栋 日常巡楼").await)],
    )
    .await;
    walk(
        &app,
        &mut guard,
        b,
        vec![create(route(&app, "cuihu", "园区外观 日常巡查").await)],
    )
    .await;

    let rounds_of = |p: &Value| -> Vec<String> {
        let mut ids: Vec<String> = p["changes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["record"]["kind"] == "round")
            .map(|c| c["record"]["record"]["id"].as_str().unwrap().to_owned())
            .collect();
        ids.sort();
        ids
    };
    let mut both = vec![a.to_string(), b.to_string()];
    both.sort();
    assert_eq!(
        rounds_of(&officer.pull(&app, None).await),
        vec![a.to_string()]
    );
    assert_eq!(
        rounds_of(&guard.pull(&app, None).await),
        vec![b.to_string()]
    );
    let cs = Device::new(&app, "csmgr").await;
    let first = cs.pull(&app, None).await;
    assert_eq!(rounds_of(&first), both);
    for who in ["center", "admin"] {
        let d = Device::new(&app, who).await;
        assert_eq!(rounds_of(&d.pull(&app, None).await), both, "{who}");
    }
    for who in ["engmgr", "desk1", "tech1", "fldesk"] {
        let d = Device::new(&app, who).await;
        assert!(rounds_of(&d.pull(&app, None).await).is_empty(), "{who}");
    }

    // Through the feed: the manager sees the officer's next step; engineering does not.
    let eng = Device::new(&app, "engmgr").await;
    let eng_cursor = eng.pull(&app, None).await["cursor"]
        .as_str()
        .unwrap()
        .to_owned();
    let cursor = first["cursor"].as_str().unwrap().to_owned();
    let r = officer.one_round(&app, a, json!({"type": "start"})).await;
    assert_eq!(outcome(&r, 0)["version"], 2);
    let p = cs.pull_until(&app, &cursor, 1).await;
    let got: Vec<(String, i64)> = p["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["record"]["record"]["id"].as_str().unwrap().to_owned(),
                c["version"].as_i64().unwrap(),
            )
        })
        .collect();
    assert!(got.contains(&(a.to_string(), 2)), "{got:?}");
    let p = officer.pull_until(&app, &cursor, 1).await;
    assert_eq!(rounds_of(&p), vec![a.to_string()]);
    // (The feed is read below the oldest running transaction: give it the same time.)
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let p = eng.pull(&app, Some(&eng_cursor)).await;
    assert!(rounds_of(&p).is_empty());

    // Reference data: checkpoints and routes for those who walk or manage rounds.
    let reference = |c: reqwest::Client| {
        let url = app.url("/api/sync/v1/reference");
        async move {
            c.get(url)
                .send()
                .await
                .unwrap()
                .json::<ReferenceData>()
                .await
                .unwrap()
        }
    };
    let r = reference(officer.client.clone()).await;
    assert_eq!(r.checkpoints.len(), 47, "every place, and the balconies");
    assert_eq!(r.routes.len(), 9);
    assert!(r.checkpoints.iter().all(|c| c.code.starts_with("CH-")));
    let facts = r.patrol_facts();
    assert!(facts.known("CH-3-1-LT").is_some());
    let r = reference(app.signed_in("tech1").await).await;
    assert!(r.checkpoints.is_empty() && r.routes.is_empty());
}

/// A finished round of `route` planned and walked by the domain, stored as a push would.
struct Seeder {
    facts: domain::patrol::round::PatrolFacts,
    actor: Actor,
}

impl Seeder {
    fn walk(&self, route: Uuid, date: NaiveDate, steps: &[RoundCommand]) -> Round {
        let t0 = Utc.from_utc_datetime(&date.and_hms_opt(1, 0, 0).unwrap());
        let id = RoundId(Uuid::now_v7());
        let mut r = apply_round(
            None,
            id,
            &RoundCommand::Create {
                route_id: RouteId(route),
                date,
            },
            &self.actor,
            &self.facts,
            t0,
        )
        .unwrap();
        for (i, cmd) in steps.iter().enumerate() {
            let at: DateTime<Utc> = t0 + Duration::seconds(120 * (i as i64 + 1));
            r = apply_round(Some(&r), id, cmd, &self.actor, &self.facts, at)
                .unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
        }
        r
    }

    fn answers(&self, code: &str, fault: &[&str]) -> Vec<RoundCommand> {
        let c = self
            .facts
            .checkpoints
            .iter()
            .find(|c| c.code == code)
            .unwrap();
        let mut out = vec![RoundCommand::Scan {
            code: code.into(),
            position: None,
        }];
        out.extend(c.items.iter().map(|i| RoundCommand::Answer {
            checkpoint_id: c.id,
            item_code: i.code.clone(),
            value: if fault.contains(&i.code.as_str()) {
                AnswerValue::Fault
            } else {
                AnswerValue::Normal
            },
            note: "异常".into(),
            photos: Vec::new(),
        }));
        out
    }
}

async fn store(app: &TestApp, route: Uuid, r: &Round) {
    sqlx::query(
        "INSERT INTO rounds (id, site_id, officer, route_id, date, status, version, doc,
                             occurred_at, received_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, 9, $7, now(), now(), now())",
    )
    .bind(r.id.0)
    .bind(r.site_id.0)
    .bind(r.officer.0)
    .bind(route)
    .bind(r.date)
    .bind(r.status.code())
    .bind(serde_json::to_value(r).unwrap())
    .execute(&app.pool)
    .await
    .unwrap();
}

#[sqlx::test(migrations = "./migrations")]
async fn the_months_figures_count_a_seeded_set(pool: PgPool) {
    let app = spawn_app(pool).await;
    let site = app.site_id("cuihu").await;
    let officer = app.signed_in("patrol1").await;
    let reference: ReferenceData = officer
        .get(app.url("/api/sync/v1/reference"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let s = Seeder {
        facts: reference.patrol_facts(),
        actor: Actor {
            staff_id: StaffId(staff_id(&app, "patrol1").await),
            role: Role::Patrol,
            sites: vec![SiteId(site)],
        },
    };
    let d = |day| NaiveDate::from_ymd_opt(2026, 10, day).unwrap();
    let building = route(&app, "cuihu", "3栋 日常巡楼").await;
    let grounds = route(&app, "cuihu", "园区外观 日常巡查").await;

    // 3栋, all six stops, every item answered; the fire door and the roof door at fault.
    let mut steps = vec![RoundCommand::Start];
    for (code, faults) in [
        ("CH-3-MT", &[][..]),
        ("CH-3-1-DT", &[][..]),
        ("CH-3-2-DT", &[][..]),
        ("CH-3-TT", &["2a"][..]),
        ("CH-3-1-LT", &["1c3"][..]),
        ("CH-3-2-LT", &[][..]),
    ] {
        steps.extend(s.answers(code, faults));
    }
    steps.push(RoundCommand::Finish);
    store(&app, building, &s.walk(building, d(5), &steps)).await;
    // The grounds: two of five stops, one scanned twice within a minute is suspicious only if
    // closer than 60 s (these are 120 s apart); throwing from height seen at the second.
    let mut steps = vec![RoundCommand::Start];
    steps.extend(s.answers("CH-YQ-01", &[]));
    steps.extend(s.answers("CH-YQ-02", &["5d2"]));
    steps.push(RoundCommand::FinishEarly {
        reason: "下雨".into(),
    });
    store(&app, grounds, &s.walk(grounds, d(6), &steps)).await;
    // Another month: left out.
    let nov = s.walk(
        building,
        NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        &[RoundCommand::Start],
    );
    store(&app, building, &nov).await;

    let cs = app.signed_in("csmgr").await;
    let (code, st) = get(
        &app,
        &cs,
        &format!("/api/v1/sites/{site}/patrol/stats?month=2026-10"),
    )
    .await;
    assert_eq!(code, 200, "{st}");
    assert_eq!(st["rounds"], 2);
    assert_eq!(st["rounds_finished"], 1);
    assert_eq!(st["rounds_finished_early"], 1);
    // Scanned 6 + 2 of 6 + 5 planned.
    assert_eq!(st["completion"], json!({"num": 8, "den": 11}));
    assert_eq!(st["completion_permille"], 727);
    // 3栋: 3 + 3 + 3 + 4 + 9 + 9 = 31 checked, 2 faults; grounds: 10 checked, 1 fault.
    assert_eq!(st["good_order"], json!({"num": 38, "den": 41}));
    assert_eq!(st["good_order_permille"], 927);
    assert_eq!(st["good_order_target_permille"], 980);
    assert_eq!(st["meets_target"], false);
    let area = |a: &str| {
        let x = st["by_area"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["area"] == a)
            .unwrap()
            .clone();
        (
            x["checked"].as_i64().unwrap(),
            x["faults"].as_i64().unwrap(),
        )
    };
    assert_eq!(area("stairwell"), (18, 1));
    assert_eq!(area("roof"), (4, 1));
    assert_eq!(area("lift"), (6, 0));
    assert_eq!(area("lobby"), (3, 0));
    assert_eq!(area("grounds"), (10, 1));
    assert_eq!(
        st["by_building"],
        json!([
            {"building": "3", "checked": 31, "faults": 2, "findings": 0},
            {"building": null, "checked": 10, "faults": 1, "findings": 0},
        ])
    );
    assert_eq!(st["suspicious_rounds"], 0);

    let (_, day) = get(
        &app,
        &cs,
        &format!("/api/v1/sites/{site}/patrol/rounds?date=2026-10-05"),
    )
    .await;
    assert_eq!(day["completion"], json!({"num": 6, "den": 6}));
    assert_eq!(day["rounds"][0]["faults"], 2);
    assert_eq!(day["rounds"][0]["late"], json!([]));
    let (code, body) = get(
        &app,
        &cs,
        &format!("/api/v1/sites/{site}/patrol/stats?month=2026-1"),
    )
    .await;
    assert_eq!((code, body["code"].as_str()), (400, Some("bad_month")));
    let (code, body) = get(
        &app,
        &officer,
        &format!("/api/v1/sites/{site}/patrol/stats"),
    )
    .await;
    assert_eq!((code, body["code"].as_str()), (403, Some("forbidden")));
    let fl = app.site_id("fenglin").await;
    let (code, body) = get(&app, &cs, &format!("/api/v1/sites/{fl}/patrol/stats")).await;
    assert_eq!((code, body["code"].as_str()), (403, Some("site_forbidden")));
}

/// Reads the QR code of an SVG label as the server draws it (`M x y h w v h h -w z` runs).
fn decode_label(svg: &str) -> String {
    let attr = |name: &str| -> usize {
        let key = format!(" {name}=\"");
        let start = svg.find(&key).unwrap() + key.len();
        svg[start..].split('"').next().unwrap().parse().unwrap()
    };
    let (w, h) = (attr("width"), attr("height"));
    let key = "<path fill=\"#000\" d=\"";
    let start = svg.find(key).unwrap() + key.len();
    let d = svg[start..].split('"').next().unwrap();
    let mut img = vec![255u8; w * h];
    for seg in d.split('M').filter(|s| !s.is_empty()) {
        let (x, rest) = seg.split_once(' ').unwrap();
        let (y, rest) = rest.split_once('h').unwrap();
        let (run, rest) = rest.split_once('v').unwrap();
        let (height, _) = rest.split_once('h').unwrap();
        let (x, y, run, height): (usize, usize, usize, usize) = (
            x.parse().unwrap(),
            y.parse().unwrap(),
            run.parse().unwrap(),
            height.parse().unwrap(),
        );
        for yy in y..y + height {
            for xx in x..x + run {
                img[yy * w + xx] = 0;
            }
        }
    }
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| img[y * w + x]);
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code on the label");
    grids[0].decode().unwrap().1
}

#[sqlx::test(migrations = "./migrations")]
async fn managers_edit_checkpoints_and_routes_and_print_labels_that_scan(pool: PgPool) {
    let app = spawn_app(pool).await;
    let site = app.site_id("cuihu").await;
    let cs = app.signed_in("csmgr").await;
    let (code, list) = get(&app, &cs, &format!("/api/v1/sites/{site}/checkpoints")).await;
    assert_eq!(code, 200);
    assert_eq!(list.as_array().unwrap().len(), 47);

    let path = format!("/api/v1/sites/{site}/checkpoints");
    let new = json!({"code": " ch-7-1-lt ", "name_zh": "7栋1单元 楼梯间", "area": "stairwell",
                     "building": "7", "position": {"lat": 30.2601, "lng": 120.1302}});
    let (code, cp) = send(&app, &cs, "POST", &path, new.clone()).await;
    assert_eq!(code, 201, "{cp}");
    assert_eq!(cp["code"], "CH-7-1-LT");
    assert_eq!(
        cp["items"].as_array().unwrap().len(),
        9,
        "the document's stairwell checklist"
    );
    let (code, body) = send(&app, &cs, "POST", &path, new.clone()).await;
    assert_eq!((code, body["code"].as_str()), (409, Some("code_taken")));
    let mut foreign = new.clone();
    foreign["code"] = json!("FL-1-1-LT");
    let (code, body) = send(&app, &cs, "POST", &path, foreign).await;
    assert_eq!(
        (code, body["code"].as_str()),
        (409, Some("code_taken")),
        "codes are unique across sites"
    );
    let mut nameless = new.clone();
    nameless["code"] = json!("CH-7-2-LT");
    nameless["name_zh"] = json!(" ");
    let (code, body) = send(&app, &cs, "POST", &path, nameless).await;
    assert_eq!(
        (code, body["code"].as_str()),
        (422, Some("invalid_checkpoint"))
    );
    for who in ["tech1", "patrol1", "engmgr"] {
        let c = app.signed_in(who).await;
        let (code, body) = send(&app, &c, "POST", &path, new.clone()).await;
        assert_eq!(
            (code, body["code"].as_str()),
            (403, Some("forbidden")),
            "{who}"
        );
    }

    // The site's own checklist: two items, one of them its own.
    let id = cp["id"].as_str().unwrap().to_owned();
    let mut edit = new.clone();
    edit["items"] = json!([
        {"code": "1c3", "text_zh": "防火门是否关闭", "on_fault": {"type": "repair", "urgent": true}},
        {"code": "X1", "text_zh": "电动车是否在楼道充电", "on_fault": {"type": "case"}},
    ]);
    let (code, cp) = send(
        &app,
        &cs,
        "PUT",
        &format!("/api/v1/checkpoints/{id}"),
        edit.clone(),
    )
    .await;
    assert_eq!(code, 200, "{cp}");
    assert_eq!(cp["items"].as_array().unwrap().len(), 2);
    // Left out, the checklist stays as edited.
    let (_, cp) = send(
        &app,
        &cs,
        "PUT",
        &format!("/api/v1/checkpoints/{id}"),
        new.clone(),
    )
    .await;
    assert_eq!(cp["items"].as_array().unwrap().len(), 2);

    // A route through it; another site's checkpoint is refused.
    let rpath = format!("/api/v1/sites/{site}/routes");
    let stair = checkpoint(&app, "CH-3-1-LT").await;
    let body = json!({"name": "7栋 日常巡楼", "schedule": "daily", "checkpoints": [id, stair]});
    let (code, rt) = send(&app, &cs, "POST", &rpath, body).await;
    assert_eq!(code, 201, "{rt}");
    assert_eq!(rt["ordered"], true);
    let fl = checkpoint(&app, "FL-1-1-LT").await;
    let bad = json!({"name": "混合", "schedule": "weather", "checkpoints": [id, fl]});
    let (code, body) = send(&app, &cs, "POST", &rpath, bad).await;
    assert_eq!(
        (code, body["code"].as_str()),
        (422, Some("unknown_checkpoint"))
    );
    let dup = json!({"name": "重复", "schedule": "holiday", "checkpoints": [id, id]});
    let (code, body) = send(&app, &cs, "POST", &rpath, dup).await;
    assert_eq!((code, body["code"].as_str()), (422, Some("invalid_route")));
    // On an active route, a checkpoint cannot be switched off.
    let mut off = new.clone();
    off["active"] = json!(false);
    let (code, body) = send(&app, &cs, "PUT", &format!("/api/v1/checkpoints/{id}"), off).await;
    assert_eq!(
        (code, body["code"].as_str()),
        (409, Some("checkpoint_in_use"))
    );
    let route_id = rt["id"].as_str().unwrap().to_owned();
    let reorder = json!({"name": "7栋 日常巡楼", "schedule": "daily", "ordered": false,
                         "checkpoints": [stair, id]});
    let (code, rt) = send(
        &app,
        &cs,
        "PUT",
        &format!("/api/v1/routes/{route_id}"),
        reorder,
    )
    .await;
    assert_eq!(code, 200, "{rt}");
    let (_, routes) = get(&app, &cs, &rpath).await;
    let stored = routes
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == route_id.as_str())
        .unwrap();
    assert_eq!(stored["checkpoints"], json!([stair, id]));
    assert_eq!(stored["ordered"], false);

    // A round planned now carries the site's checklist as edited.
    let mut officer = Device::new(&app, "patrol1").await;
    let round = Uuid::now_v7();
    walk(
        &app,
        &mut officer,
        round,
        vec![create(Uuid::parse_str(&route_id).unwrap())],
    )
    .await;
    let (_, _, doc) = stored_round(&app, round).await;
    assert_eq!(doc["stops"][1]["code"], "CH-7-1-LT");
    assert_eq!(doc["stops"][1]["items"].as_array().unwrap().len(), 2);

    // The printed labels scan back to their codes.
    for cid in [id.clone(), stair.to_string()] {
        let r = cs
            .get(app.url(&format!("/api/v1/checkpoints/{cid}/qr.svg")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert!(r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("image/svg+xml"));
        let svg = r.text().await.unwrap();
        let code: String = sqlx::query_scalar("SELECT code FROM checkpoints WHERE id = $1::uuid")
            .bind(&cid)
            .fetch_one(&app.pool)
            .await
            .unwrap();
        assert_eq!(decode_label(&svg), code);
        assert!(
            svg.contains(&format!(">{code}</text>")),
            "the code printed for typing"
        );
    }
    let (code, _) = get(
        &app,
        &officer.client,
        &format!("/api/v1/checkpoints/{id}/qr.svg"),
    )
    .await;
    assert_eq!(code, 403);
    let other = app.signed_in("fldesk").await;
    let (code, _) = get(&app, &other, &format!("/api/v1/checkpoints/{id}/qr.svg")).await;
    assert_eq!(code, 403);
}

#[sqlx::test(migrations = "./migrations")]
async fn the_demo_has_checkpoints_and_routes_and_an_older_demo_gets_them(pool: PgPool) {
    let app = spawn_app(pool).await;
    let per_site = |site: &'static str| {
        let pool = app.pool.clone();
        async move {
            sqlx::query_as::<_, (i64, i64)>(
                "SELECT (SELECT count(*) FROM checkpoints c WHERE c.site_id = s.id),
                        (SELECT count(*) FROM routes r WHERE r.site_id = s.id)
                 FROM sites s WHERE s.code = $1",
            )
            .bind(site)
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    // 翠湖花园: per building a lobby, two lifts, the roof, two stairwells and the balconies;
    // five grounds spots. Routes: six buildings, the grounds, weather, holiday.
    assert_eq!(per_site("cuihu").await, (6 * 7 + 5, 9));
    assert_eq!(per_site("fenglin").await, (5, 4));
    let names: Vec<(String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT code, name_zh, area, building FROM checkpoints WHERE code IN ('CH-3-1-LT', 'CH-3-TT', 'CH-3-1-DT', 'CH-YQ-01')
         ORDER BY code",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        names,
        vec![
            (
                "CH-3-1-DT".into(),
                "3栋1单元 电梯".into(),
                "lift".into(),
                Some("3".into())
            ),
            (
                "CH-3-1-LT".into(),
                "3栋1单元 楼梯间".into(),
                "stairwell".into(),
                Some("3".into())
            ),
            (
                "CH-3-TT".into(),
                "3栋 楼顶天台".into(),
                "roof".into(),
                Some("3".into())
            ),
            (
                "CH-YQ-01".into(),
                "中心花园 儿童游乐区".into(),
                "grounds".into(),
                None
            ),
        ]
    );
    let schedules: Vec<(String, i64)> = sqlx::query_as(
        "SELECT r.schedule, count(*) FROM routes r JOIN sites s ON s.id = r.site_id
         WHERE s.code = 'cuihu' GROUP BY r.schedule ORDER BY r.schedule",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        schedules,
        vec![
            ("daily".into(), 7),
            ("holiday".into(), 1),
            ("weather".into(), 1)
        ]
    );
    assert_eq!(
        app.count("SELECT count(*) FROM sites WHERE phone = ''")
            .await,
        0,
        "every centre has its phone"
    );

    // A demo database from before patrols: the next start adds them, once.
    for sql in [
        "DELETE FROM route_checkpoints",
        "DELETE FROM routes",
        "DELETE FROM checkpoints",
        "UPDATE sites SET phone = ''",
    ] {
        sqlx::query(sql).execute(&app.pool).await.unwrap();
    }
    assert!(!server::demo::load_if_missing(&app.pool).await.unwrap());
    assert!(!server::demo::load_if_missing(&app.pool).await.unwrap());
    assert_eq!(per_site("cuihu").await, (47, 9));
    assert_eq!(
        app.count("SELECT count(*) FROM sites WHERE phone = ''")
            .await,
        0
    );
}

#[sqlx::test(migrations = "./migrations")]
async fn two_officers_reporting_one_fault_at_once_raise_one_order(pool: PgPool) {
    let app = spawn_app(pool).await;
    let mut first = Device::new(&app, "patrol1").await;
    let mut second = Device::new(&app, "security1").await;
    let stair = checkpoint(&app, "CH-3-1-LT").await;
    let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
    let walk_to_the_door = |r: Uuid| vec![create(r), json!({"type": "start"}), scan("CH-3-1-LT")];
    walk(
        &app,
        &mut first,
        a,
        walk_to_the_door(route(&app, "cuihu", "3栋 日常巡楼").await),
    )
    .await;
    walk(
        &app,
        &mut second,
        b,
        walk_to_the_door(route(&app, "cuihu", "节假日 空置住户巡查").await),
    )
    .await;
    // Each item of the stairwell is found at fault by both at the same moment.
    let items = ["1a", "1b", "1c1", "1c2", "1c3", "1c4", "1c5", "1c6"];
    for item in items {
        let ma = first.round(
            a,
            None,
            answer(stair, item, "fault", "两人同时发现", json!([])),
        );
        let mb = second.round(
            b,
            None,
            answer(stair, item, "fault", "两人同时发现", json!([])),
        );
        let (ba, bb) = ([ma], [mb]);
        let (ra, rb) = tokio::join!(first.push(&app, &ba), second.push(&app, &bb));
        assert_eq!(outcome(&ra, 0)["status"], "applied");
        assert_eq!(outcome(&rb, 0)["status"], "applied");
    }
    let orders = patrol_orders(&app).await;
    let mut items_raised: Vec<&str> = orders
        .iter()
        .map(|o| o["patrol_source"]["fault"]["item_code"].as_str().unwrap())
        .collect();
    items_raised.sort();
    assert_eq!(items_raised, items, "one order per fault");
}
