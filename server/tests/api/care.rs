//! Complaints and return visits through the real API and PostgreSQL.

#![allow(clippy::unwrap_used)]

use crate::helpers::{spawn_app, staff_id, TestApp};
use crate::repairs::{catalogue, close_rated, create_cmd, standard_lines, Crew};
use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};
use sqlx::PgPool;
use uuid::Uuid;

async fn unit(app: &TestApp, site: &str, building: &str, room: &str) -> Uuid {
    sqlx::query_scalar(
        "SELECT u.id FROM units u JOIN sites s ON s.id = u.site_id JOIN buildings b ON b.id = u.building_id
         WHERE s.code = $1 AND b.number = $2 AND u.entrance = '1' AND u.room = $3",
    )
    .bind(site)
    .bind(building)
    .bind(room)
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

async fn call(
    c: &reqwest::Client,
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut r = c.request(method, app.url(path));
    if let Some(b) = body {
        r = r.json(&b);
    }
    let r = r.send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn post(c: &reqwest::Client, app: &TestApp, path: &str, body: Value) -> (u16, Value) {
    call(c, app, reqwest::Method::POST, path, Some(body)).await
}

async fn get(c: &reqwest::Client, app: &TestApp, path: &str) -> (u16, Value) {
    call(c, app, reqwest::Method::GET, path, None).await
}

fn new_complaint(unit: Uuid, channel: &str, received_at: DateTime<Utc>) -> Value {
    json!({
        "id": Uuid::now_v7(),
        "unit_id": unit,
        "channel": channel,
        "complainant_name": "李女士",
        "complainant_phone": "13900001111",
        "content": "楼下装修噪音每天早上七点开始",
        "received_at": received_at,
        "apologised": true,
    })
}

async fn version(app: &TestApp, id: &str) -> i64 {
    sqlx::query_scalar("SELECT version FROM complaints WHERE id = $1::uuid")
        .bind(id)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

#[sqlx::test(migrations = "./migrations")]
async fn a_written_complaint_runs_from_intake_to_its_return_visit(pool: PgPool) {
    let app = spawn_app(pool).await;
    let site = app.site_id("cuihu").await;
    let desk = app.signed_in("desk1").await;
    let csmgr = app.signed_in("csmgr").await;
    let u = unit(&app, "cuihu", "3", "501").await;
    // Just now: the same-day reply deadline holds at any hour the test runs.
    let received = Utc::now() - Duration::seconds(5);
    let body = new_complaint(u, "written", received);
    let (s, c) = post(
        &desk,
        &app,
        &format!("/api/v1/sites/{site}/complaints"),
        body.clone(),
    )
    .await;
    assert_eq!(s, 201, "{c}");
    let id = c["complaint"]["id"].as_str().unwrap().to_string();
    assert!(c["complaint"]["number"]
        .as_str()
        .unwrap()
        .starts_with("TS-"));
    assert_eq!(c["unit_label"], "3栋1单元501");
    assert!(c["written_answer_due"].is_string());
    // A replay of the same intake returns it, and registers nothing twice.
    let (s, again) = post(
        &desk,
        &app,
        &format!("/api/v1/sites/{site}/complaints"),
        body,
    )
    .await;
    assert_eq!(
        (s, &again["complaint"]["number"]),
        (200, &c["complaint"]["number"])
    );
    assert_eq!(app.count("SELECT count(*) FROM complaints").await, 1);

    let path = format!("/api/v1/complaints/{id}/commands");
    let (s, _) = post(
        &desk,
        &app,
        &path,
        json!({"type": "assess", "valid": true, "class": "important", "department": "security"}),
    )
    .await;
    assert_eq!(s, 200);
    // A reply dated before the intake: refused, nothing changes.
    let v0 = version(&app, &id).await;
    let (s, e) = post(
        &desk,
        &app,
        &path,
        json!({"type": "reply", "text": "已收到", "at": received - Duration::hours(1)}),
    )
    .await;
    assert_eq!((s, e["code"].as_str()), (422, Some("reply_before_intake")));
    assert_eq!(version(&app, &id).await, v0);
    let (s, _) = post(
        &desk,
        &app,
        &path,
        json!({"type": "reply", "text": "已收到，今日协调", "at": Utc::now()}),
    )
    .await;
    assert_eq!(s, 200);
    let (s, _) = post(
        &desk,
        &app,
        &path,
        json!({"type": "draft_answer", "text": "书面答复：已与装修户约定九点后施工"}),
    )
    .await;
    assert_eq!(s, 200);
    // Only the head of customer service approves the written answer.
    let (s, e) = post(&desk, &app, &path, json!({"type": "approve_answer"})).await;
    assert_eq!((s, e["code"].as_str()), (403, Some("approver_not_cs_head")));
    let (s, _) = post(&csmgr, &app, &path, json!({"type": "approve_answer"})).await;
    assert_eq!(s, 200);
    let (s, _) = post(
        &desk,
        &app,
        &path,
        json!({"type": "resolve", "text": "装修户已调整施工时间"}),
    )
    .await;
    assert_eq!(s, 200);
    // A rating outside the scale is refused at the door.
    let (s, e) = post(
        &desk,
        &app,
        &path,
        json!({"type": "close", "rating": "very_happy", "text": ""}),
    )
    .await;
    assert_eq!(s, 422, "{e}");
    let (s, closed) = post(
        &desk,
        &app,
        &path,
        json!({"type": "close", "rating": "satisfied", "text": "满意"}),
    )
    .await;
    assert_eq!(s, 200, "{closed}");
    assert_eq!(closed["complaint"]["status"], "closed");
    assert_eq!(closed["overdue"], false);
    let visit = closed["return_visit_id"].as_str().unwrap();
    let (s, v) = get(&desk, &app, &format!("/api/v1/return-visits/{visit}")).await;
    assert_eq!(s, 200);
    assert_eq!(v["reason"], "complaint_closed");
    assert_eq!(v["mandatory"], true);
    let due: DateTime<Utc> = v["due_at"].as_str().unwrap().parse().unwrap();
    assert!(due > Utc::now() + Duration::days(2) && due < Utc::now() + Duration::days(4));
    // Closed is final.
    let (s, e) = post(&desk, &app, &path, json!({"type": "resolve", "text": "x"})).await;
    assert_eq!((s, e["code"].as_str()), (409, Some("complaint_closed")));

    let (s, stats) = get(&csmgr, &app, &format!("/api/v1/sites/{site}/care/stats")).await;
    assert_eq!(s, 200, "{stats}");
    assert_eq!(stats["complaints"]["total"], 1);
    assert_eq!(stats["complaints"]["reply_on_time"], 1);
    assert_eq!(stats["complaint_visits"]["base"], 1);
    assert_eq!(stats["complaint_visits"]["visited"], 0);
    let (s, _) = get(&desk, &app, &format!("/api/v1/sites/{site}/care/stats")).await;
    assert_eq!(s, 403);
}

#[sqlx::test(migrations = "./migrations")]
async fn bad_complaint_input_is_refused_and_saves_nothing(pool: PgPool) {
    let app = spawn_app(pool).await;
    let site = app.site_id("cuihu").await;
    let desk = app.signed_in("desk1").await;
    let tech = app.signed_in("tech1").await;
    let other_site_unit: Uuid = sqlx::query_scalar(
        "SELECT u.id FROM units u JOIN sites s ON s.id = u.site_id WHERE s.code = 'fenglin' LIMIT 1",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let path = format!("/api/v1/sites/{site}/complaints");
    let (s, e) = post(
        &desk,
        &app,
        &path,
        new_complaint(other_site_unit, "verbal", Utc::now()),
    )
    .await;
    assert_eq!((s, e["code"].as_str()), (422, Some("unit_of_other_site")));
    let u = unit(&app, "cuihu", "3", "502").await;
    let mut empty = new_complaint(u, "verbal", Utc::now());
    empty["content"] = json!("  ");
    let (s, e) = post(&desk, &app, &path, empty).await;
    assert_eq!((s, e["code"].as_str()), (422, Some("empty_text")));
    let (s, e) = post(
        &desk,
        &app,
        &path,
        new_complaint(u, "verbal", Utc::now() + Duration::hours(2)),
    )
    .await;
    assert_eq!((s, e["code"].as_str()), (422, Some("received_in_future")));
    let (s, _) = post(&desk, &app, &path, new_complaint(u, "fax", Utc::now())).await;
    assert_eq!(s, 422);
    let (s, _) = post(&tech, &app, &path, new_complaint(u, "verbal", Utc::now())).await;
    assert_eq!(s, 403);
    assert_eq!(app.count("SELECT count(*) FROM complaints").await, 0);
    // The other site's desk can't read this site's list.
    let fl = app.signed_in("fldesk").await;
    let (s, _) = get(&fl, &app, &path).await;
    assert_eq!(s, 403);
}

#[sqlx::test(migrations = "./migrations")]
async fn a_dissatisfied_repair_gets_a_mandatory_visit_whose_problem_reaches_the_technician(
    pool: PgPool,
) {
    let app = spawn_app(pool).await;
    let site = app.site_id("cuihu").await;
    let mut crew = Crew::new(&app).await;
    let u = unit(&app, "cuihu", "3", "601").await;
    let create = create_cmd(&app, u, catalogue("W01")).await;
    let lines = standard_lines(&app, "W01").await;
    let order = close_rated(
        &app,
        &mut crew,
        create,
        &lines,
        Utc::now() - Duration::hours(1),
        "dissatisfied",
    )
    .await;

    let desk = app.signed_in("desk1").await;
    let (s, list) = get(
        &desk,
        &app,
        &format!("/api/v1/sites/{site}/return-visits?open=true"),
    )
    .await;
    assert_eq!(s, 200, "{list}");
    let task = list
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["source_id"] == json!(order))
        .expect("the mandatory visit");
    assert_eq!(task["reason"], "repair_dissatisfied");
    assert_eq!(task["mandatory"], true);
    assert_eq!(task["unit_label"], "3栋1单元601");
    // Listing again schedules nothing twice.
    let _ = get(&desk, &app, &format!("/api/v1/sites/{site}/return-visits")).await;
    assert_eq!(app.count("SELECT count(*) FROM return_visits").await, 1);

    let id = task["id"].as_str().unwrap();
    let path = format!("/api/v1/return-visits/{id}/complete");
    let visit = |quality: &str| {
        json!({"method": "phone", "quality": quality, "service": "fairly_satisfied",
               "satisfaction": "fairly_satisfied", "shortcomings": "上门晚了",
               "problem": "龙头仍有滴水", "signature": {"type": "not_asked"}, "at": Utc::now()})
    };
    let (s, _) = post(&desk, &app, &path, visit("superb")).await;
    assert_eq!(s, 422);
    assert_eq!(
        app.count("SELECT count(*) FROM return_visits WHERE status = 'open'")
            .await,
        1
    );
    // Another site's staff can't touch it.
    let fl = app.signed_in("fldesk").await;
    let (s, _) = post(&fl, &app, &path, visit("satisfied")).await;
    assert_eq!(s, 403);
    let (s, done) = post(&desk, &app, &path, visit("satisfied")).await;
    assert_eq!(s, 200, "{done}");
    assert_eq!(done["status"], "done");
    let due: DateTime<Utc> = done["rectification_due_at"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((due - Utc::now() - Duration::hours(12)).num_minutes().abs() < 5);
    let tech = staff_id(&app, "tech1").await;
    let notes: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM notifications WHERE staff_id = $1 AND kind = 'rectification' AND text LIKE '%龙头仍有滴水%'",
    )
    .bind(tech)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(notes, 1);
    let (s, e) = post(&desk, &app, &path, visit("satisfied")).await;
    assert_eq!((s, e["code"].as_str()), (409, Some("visit_already_done")));

    let csmgr = app.signed_in("csmgr").await;
    let (_, stats) = get(&csmgr, &app, &format!("/api/v1/sites/{site}/care/stats")).await;
    assert_eq!(stats["repair_visits"]["base"], 1);
    assert_eq!(stats["repair_visits"]["visited"], 1);
    assert_eq!(stats["top_up_needed"], 0);
}

#[sqlx::test(migrations = "./migrations")]
async fn month_end_top_up_reaches_the_sites_rate(pool: PgPool) {
    let app = spawn_app(pool).await;
    let site = app.site_id("cuihu").await;
    let mut crew = Crew::new(&app).await;
    let lines = standard_lines(&app, "W01").await;
    for room in ["701", "702", "703", "801"] {
        let u = unit(&app, "cuihu", "3", room).await;
        let create = create_cmd(&app, u, catalogue("W01")).await;
        close_rated(
            &app,
            &mut crew,
            create,
            &lines,
            Utc::now() - Duration::hours(2),
            "satisfied",
        )
        .await;
    }
    let csmgr = app.signed_in("csmgr").await;
    let (_, stats) = get(&csmgr, &app, &format!("/api/v1/sites/{site}/care/stats")).await;
    // 30 % of 4 closed = 1.2 → 2 visits.
    assert_eq!(stats["top_up_needed"], 2, "{stats}");
    let (s, r) = post(
        &csmgr,
        &app,
        &format!("/api/v1/sites/{site}/return-visits/top-up"),
        json!({}),
    )
    .await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(
        (r["needed"].as_u64(), r["created"].as_u64()),
        (Some(2), Some(2))
    );
    let (_, r) = post(
        &csmgr,
        &app,
        &format!("/api/v1/sites/{site}/return-visits/top-up"),
        json!({}),
    )
    .await;
    assert_eq!(r["created"], 0, "a second run adds nothing");
    let desk = app.signed_in("desk1").await;
    let (s, _) = post(
        &desk,
        &app,
        &format!("/api/v1/sites/{site}/return-visits/top-up"),
        json!({}),
    )
    .await;
    assert_eq!(s, 403);
}

/// The desk's intake queued offline lands through the sync push exactly once, with its serial;
/// each bad intake is refused with its code and registers nothing.
#[sqlx::test(migrations = "./migrations")]
async fn a_complaint_taken_offline_lands_once_through_sync(pool: PgPool) {
    let app = spawn_app(pool).await;
    let site = app.site_id("cuihu").await;
    let fenglin = app.site_id("fenglin").await;
    let u = unit(&app, "cuihu", "3", "501").await;
    let other_unit: Uuid = sqlx::query_scalar(
        "SELECT u.id FROM units u JOIN sites s ON s.id = u.site_id WHERE s.code = 'fenglin' LIMIT 1",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let mut desk = crate::helpers::Device::new(&app, "desk1").await;
    // Taken ten minutes ago with no signal; queued, then pushed now.
    let taken = Utc::now() - Duration::minutes(10);
    let intake =
        |site: &Uuid, body: &Value| json!({"type": "register", "site_id": site, "complaint": body});
    let complaint_mutation = |dev: &mut crate::helpers::Device, id: Uuid, cmd: Value| {
        let mut m = dev.mutation_at(id, None, cmd, taken);
        m["command"]["kind"] = json!("complaint");
        m
    };
    let body = new_complaint(u, "phone", taken);
    let id: Uuid = body["id"].as_str().unwrap().parse().unwrap();
    let m = complaint_mutation(&mut desk, id, intake(&site, &body));
    let r = desk.push(&app, std::slice::from_ref(&m)).await;
    assert_eq!(r["results"][0]["outcome"]["status"], "applied", "{r}");
    let count = || async {
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM complaints WHERE id = $1")
            .bind(id)
            .fetch_one(&app.pool)
            .await
            .unwrap()
    };
    assert_eq!(count().await, 1);
    // Lands like the form's: serial, receiver, receiving time.
    let (s, v) = get(&desk.client, &app, &format!("/api/v1/complaints/{id}")).await;
    assert_eq!(s, 200, "{v}");
    assert!(
        v["complaint"]["number"]
            .as_str()
            .unwrap()
            .starts_with("TS-"),
        "{v}"
    );
    assert_eq!(
        v["complaint"]["received_by"],
        json!(staff_id(&app, "desk1").await)
    );
    assert_eq!(v["complaint"]["status"], "registered");
    assert_eq!(v["unit_label"], "3栋1单元501");
    let received: DateTime<Utc> = v["complaint"]["received_at"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        (received - taken).num_seconds().abs() <= 2,
        "the time it was taken: {received}"
    );

    // The same mutation again (the answer was lost): the same answer, nothing twice.
    let r = desk.push(&app, std::slice::from_ref(&m)).await;
    assert_eq!(r["results"][0]["outcome"]["status"], "applied", "{r}");
    assert_eq!(count().await, 1);

    let refused = |r: &Value| {
        r["results"][0]["outcome"]["code"]
            .as_str()
            .unwrap_or("")
            .to_string()
    };
    // Another mutation for the same complaint id.
    let m = complaint_mutation(&mut desk, id, intake(&site, &body));
    assert_eq!(refused(&desk.push(&app, &[m]).await), "already_exists");
    assert_eq!(count().await, 1);

    let before = app.count("SELECT count(*) FROM complaints").await;
    // A household of another site.
    let other = new_complaint(other_unit, "phone", taken);
    let oid: Uuid = other["id"].as_str().unwrap().parse().unwrap();
    let m = complaint_mutation(&mut desk, oid, intake(&site, &other));
    assert_eq!(refused(&desk.push(&app, &[m]).await), "unit_not_in_site");
    // A site the desk does not work at.
    let mut there = new_complaint(u, "phone", taken);
    there["unit_id"] = Value::Null;
    let tid: Uuid = there["id"].as_str().unwrap().parse().unwrap();
    let m = complaint_mutation(&mut desk, tid, intake(&fenglin, &there));
    assert_eq!(refused(&desk.push(&app, &[m]).await), "site_forbidden");
    // The mutation names another record than the complaint it carries.
    let m = complaint_mutation(
        &mut desk,
        Uuid::now_v7(),
        intake(&site, &new_complaint(u, "phone", taken)),
    );
    assert_eq!(refused(&desk.push(&app, &[m]).await), "invalid_input");
    // Received two hours after the device says it acted.
    let late = new_complaint(u, "phone", taken + Duration::hours(2));
    let lid: Uuid = late["id"].as_str().unwrap().parse().unwrap();
    let m = complaint_mutation(&mut desk, lid, intake(&site, &late));
    assert_eq!(refused(&desk.push(&app, &[m]).await), "invalid_input");
    // A technician does not take complaints.
    let mut tech = crate::helpers::Device::new(&app, "tech1").await;
    let t = new_complaint(u, "verbal", taken);
    let tid: Uuid = t["id"].as_str().unwrap().parse().unwrap();
    let m = complaint_mutation(&mut tech, tid, intake(&site, &t));
    assert_eq!(refused(&tech.push(&app, &[m]).await), "forbidden");
    // A complaint with an unknown field (an old or corrupt outbox record) is refused alone.
    let mut bad = new_complaint(u, "phone", taken);
    bad["mood"] = json!("angry");
    let bid: Uuid = bad["id"].as_str().unwrap().parse().unwrap();
    let m = complaint_mutation(&mut desk, bid, intake(&site, &bad));
    assert_eq!(refused(&desk.push(&app, &[m]).await), "malformed_mutation");
    assert_eq!(
        app.count("SELECT count(*) FROM complaints").await,
        before,
        "nothing registered"
    );
}
