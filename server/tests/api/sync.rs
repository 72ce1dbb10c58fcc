//! Sync protocol v1 against the real router and PostgreSQL.

#![allow(clippy::unwrap_used)]

use crate::helpers::{a_unit, outcome, spawn_app, staff_id, Device, TestApp};
use chrono::Utc;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use uuid::Uuid;

async fn create_cmd(app: &TestApp, photos: Value) -> Value {
    json!({
        "type": "create",
        "site_id": app.site_id("cuihu").await,
        "unit_id": a_unit(app, "cuihu").await,
        "common_area": false,
        "location": "",
        "channel": "phone",
        "kind": "daily",
        "reporter_name": "张先生",
        "reporter_phone": "13812345678",
        "content": "卫生间水龙头漏水",
        "timing": {"type": "immediate"},
        "photos": photos,
    })
}

#[sqlx::test(migrations = "./migrations")]
async fn the_first_repair_steps_sync_across_three_devices(pool: PgPool) {
    let app = spawn_app(pool).await;
    let mut desk = Device::new(&app, "desk1").await;
    let mut mgr = Device::new(&app, "engmgr").await;
    let mut tech = Device::new(&app, "tech1").await;
    let order = Uuid::now_v7();

    let m = desk.mutation(order, None, create_cmd(&app, json!([])).await);
    let r = desk.push(&app, &[m]).await;
    assert_eq!(outcome(&r, 0), &json!({"status": "applied", "version": 1}));

    let tech_id = staff_id(&app, "tech1").await;
    let m = mgr.mutation(
        order,
        Some(1),
        json!({"type": "assign", "technician": tech_id}),
    );
    assert_eq!(outcome(&mgr.push(&app, &[m]).await, 0)["version"], 2);

    // The technician's phone pulls its job, then accepts and arrives in one offline batch.
    let p = tech.pull(&app, None).await;
    assert_eq!(p["changes"].as_array().unwrap().len(), 1);
    let rec = &p["changes"][0]["record"]["record"];
    let number = rec["number"].as_str().unwrap();
    assert!(
        number.starts_with("BX-") && number.ends_with("-0001"),
        "{number}"
    );
    let a = tech.mutation(order, Some(2), json!({"type": "accept"}));
    let b = tech.mutation(order, Some(3), json!({"type": "arrive"}));
    let r = tech.push(&app, &[a, b]).await;
    assert_eq!(outcome(&r, 0)["version"], 3);
    assert_eq!(outcome(&r, 1)["version"], 4);

    let (status, version, doc): (String, i64, Value) =
        sqlx::query_as("SELECT status, version, doc FROM work_orders WHERE id = $1")
            .bind(order)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!((status.as_str(), version), ("on_site", 4));
    assert_eq!(doc["history"].as_array().unwrap().len(), 4);
    assert!(doc["arrived_at"].is_string());
    // Each device's ledger and clock offset are kept; each mutation keeps both times.
    let rows: i64 = app.count("SELECT count(*) FROM sync_mutations WHERE received_at >= occurred_at - interval '1 minute'").await;
    assert_eq!(rows, 4);
    let offset: Option<i64> =
        sqlx::query_scalar("SELECT clock_offset_ms FROM sync_devices WHERE device_id = $1")
            .bind(tech.id)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert!(offset.unwrap().abs() < 60_000);
}

#[sqlx::test(migrations = "./migrations")]
async fn a_replayed_push_answers_the_same_and_applies_nothing_twice(pool: PgPool) {
    let app = spawn_app(pool).await;
    let mut desk = Device::new(&app, "desk1").await;
    let order = Uuid::now_v7();
    let create = desk.mutation(order, None, create_cmd(&app, json!([])).await);
    let edit = desk.mutation(
        order,
        Some(1),
        json!({"type": "edit_text", "field": "content", "base": "卫生间水龙头漏水", "value": "卫生间和厨房水龙头漏水"}),
    );
    let first = desk.push(&app, &[create.clone(), edit.clone()]).await;
    let again = desk.push(&app, &[create, edit]).await;
    assert_eq!(first["results"], again["results"]);
    assert_eq!(app.count("SELECT count(*) FROM sync_mutations").await, 2);
    assert_eq!(
        app.count("SELECT count(*) FROM sync_changes").await,
        1,
        "one change row per push"
    );
    assert_eq!(app.count("SELECT max(version) FROM work_orders").await, 2);
}

#[sqlx::test(migrations = "./migrations")]
async fn bad_mutations_are_refused_one_by_one_and_change_nothing_else(pool: PgPool) {
    let app = spawn_app(pool).await;
    let mut desk = Device::new(&app, "desk1").await;
    let mut tech = Device::new(&app, "tech1").await;
    let good = desk.mutation(Uuid::now_v7(), None, create_cmd(&app, json!([])).await);

    // Another site's unit.
    let mut other = create_cmd(&app, json!([])).await;
    other["unit_id"] = json!(a_unit(&app, "fenglin").await);
    let out_of_scope_unit = desk.mutation(Uuid::now_v7(), None, other);
    // Another site altogether.
    let mut other_site = create_cmd(&app, json!([])).await;
    other_site["site_id"] = json!(app.site_id("fenglin").await);
    other_site["unit_id"] = json!(a_unit(&app, "fenglin").await);
    let out_of_scope_site = desk.mutation(Uuid::now_v7(), None, other_site);
    // Corrupt outbox record: no command.
    let mut corrupt = desk.mutation(Uuid::now_v7(), None, json!({"type": "accept"}));
    corrupt.as_object_mut().unwrap().remove("command");
    // Absurd input.
    let mut absurd = create_cmd(&app, json!([])).await;
    absurd["reporter_phone"] = json!("12345");
    let absurd = desk.mutation(Uuid::now_v7(), None, absurd);
    // Oversized mutation.
    let mut huge = create_cmd(&app, json!([])).await;
    huge["content"] = json!("漏".repeat(20_000));
    let huge = desk.mutation(Uuid::now_v7(), None, huge);

    let r = desk
        .push(
            &app,
            &[
                good,
                out_of_scope_unit,
                out_of_scope_site,
                corrupt,
                absurd,
                huge,
            ],
        )
        .await;
    let codes: Vec<&str> = (0..6)
        .map(|i| outcome(&r, i)["code"].as_str().unwrap_or("applied"))
        .collect();
    assert_eq!(
        codes,
        [
            "applied",
            "unit_not_in_site",
            "site_forbidden",
            "malformed_mutation",
            "invalid_input",
            "mutation_too_large"
        ]
    );
    assert_eq!(app.count("SELECT count(*) FROM work_orders").await, 1);

    // Wrong role: a technician cannot dispatch.
    let order: Uuid = sqlx::query_scalar("SELECT id FROM work_orders")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let tech_id = staff_id(&app, "tech1").await;
    let m = tech.mutation(
        order,
        Some(1),
        json!({"type": "assign", "technician": tech_id}),
    );
    assert_eq!(
        outcome(&tech.push(&app, &[m]).await, 0)["code"],
        "forbidden"
    );

    // Envelope abuse: a stale sequence number, another device's mutation, a reused id.
    let mut stale = tech.mutation(order, Some(1), json!({"type": "accept"}));
    stale["seq"] = json!(1);
    let mut foreign = tech.mutation(order, Some(1), json!({"type": "accept"}));
    foreign["device_id"] = json!(Uuid::now_v7());
    let r = tech.push(&app, &[stale, foreign]).await;
    assert_eq!(outcome(&r, 0)["code"], "stale_seq");
    assert_eq!(outcome(&r, 1)["code"], "device_mismatch");
    let mut desk2 = Device::new(&app, "desk1").await;
    let mut reused = desk2.mutation(
        order,
        Some(1),
        json!({"type": "edit_text", "field": "location", "base": "", "value": "门口"}),
    );
    let first_id: Uuid =
        sqlx::query_scalar("SELECT mutation_id FROM sync_mutations ORDER BY received_at LIMIT 1")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    reused["mutation_id"] = json!(first_id);
    assert_eq!(
        outcome(&desk2.push(&app, &[reused]).await, 0)["code"],
        "mutation_id_reused"
    );
    assert_eq!(
        app.count("SELECT max(version) FROM work_orders").await,
        1,
        "nothing changed"
    );

    // Request-level abuse: wrong protocol, too many mutations, not signed in.
    let r = tech
        .client
        .post(app.url("/api/sync/v1/push"))
        .json(&json!({"protocol": 2, "device_id": tech.id, "sent_at": Utc::now(), "mutations": []}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let many: Vec<Value> = (0..201).map(|_| json!({})).collect();
    let r = tech
        .client
        .post(app.url("/api/sync/v1/push"))
        .json(
            &json!({"protocol": 1, "device_id": tech.id, "sent_at": Utc::now(), "mutations": many}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    let r = app
        .client()
        .post(app.url("/api/sync/v1/push"))
        .json(&json!({"protocol": 1, "device_id": tech.id, "sent_at": Utc::now(), "mutations": []}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
}

#[sqlx::test(migrations = "./migrations")]
async fn a_race_is_won_by_the_first_and_the_loser_sees_a_conflict(pool: PgPool) {
    let app = spawn_app(pool).await;
    let mut desk = Device::new(&app, "desk1").await;
    let mut mgr = Device::new(&app, "engmgr").await;
    let mut tech1 = Device::new(&app, "tech1").await;
    let order = Uuid::now_v7();
    let create = create_cmd(&app, json!([])).await;
    desk.one(&app, order, None, create).await;
    let (t1, t2) = (staff_id(&app, "tech1").await, staff_id(&app, "tech2").await);
    mgr.one(
        &app,
        order,
        Some(1),
        json!({"type": "assign", "technician": t1}),
    )
    .await;
    // Tech 1 pulls (sees version 2), then arrives offline while the manager reassigns to tech 2.
    let seen = tech1.pull(&app, None).await;
    let cursor = seen["cursor"].as_str().unwrap().to_owned();
    let arrive = tech1.mutation(order, Some(2), json!({"type": "arrive"}));
    mgr.one(
        &app,
        order,
        Some(2),
        json!({"type": "assign", "technician": t2}),
    )
    .await;
    let r = tech1.push(&app, &[arrive]).await;
    let o = outcome(&r, 0);
    assert_eq!(o["status"], "conflict");
    assert_eq!(o["code"], "status_changed");
    assert_eq!(o["server_version"], 3);
    assert_eq!(o["current"]["assignee"], json!(t2));
    // Tech 1 still receives the change that took the job away; a fresh snapshot omits it.
    let p = tech1.pull_until(&app, &cursor, 1).await;
    assert_eq!(p["changes"][0]["record"]["record"]["assignee"], json!(t2));
    let fresh = tech1.pull(&app, None).await;
    assert_eq!(
        fresh["changes"].as_array().unwrap().len(),
        0,
        "no longer tech 1's job"
    );
}

#[sqlx::test(migrations = "./migrations")]
async fn text_merges_field_by_field_and_true_conflicts_wait_for_a_manager(pool: PgPool) {
    let app = spawn_app(pool).await;
    let mut desk = Device::new(&app, "desk1").await;
    let mut mgr = Device::new(&app, "engmgr").await;
    let order = Uuid::now_v7();
    let create = create_cmd(&app, json!([])).await;
    desk.one(&app, order, None, create).await;
    let base = "卫生间水龙头漏水";
    // Different fields: both apply.
    let a = desk.mutation(
        order,
        Some(1),
        json!({"type": "edit_text", "field": "location", "base": "", "value": "主卫"}),
    );
    let b = mgr.mutation(order, Some(1), json!({"type": "edit_text", "field": "content", "base": base, "value": "主卫水龙头漏水，需换阀芯"}));
    assert_eq!(
        outcome(&desk.push(&app, &[a]).await, 0)["status"],
        "applied"
    );
    assert_eq!(outcome(&mgr.push(&app, &[b]).await, 0)["status"], "applied");
    // Same field, different text: a conflict and a review item.
    let c = desk.mutation(
        order,
        Some(1),
        json!({"type": "edit_text", "field": "content", "base": base, "value": "厨房水龙头漏水"}),
    );
    let r = desk.push(&app, &[c]).await;
    assert_eq!(outcome(&r, 0)["code"], "text_conflict");
    let list: Vec<Value> = mgr
        .client
        .get(app.url("/api/v1/sync/conflicts"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["device_value"], "厨房水龙头漏水");
    // Technicians may not open the review list.
    let tech = app.signed_in("tech1").await;
    assert_eq!(
        tech.get(app.url("/api/v1/sync/conflicts"))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    let id = list[0]["id"].as_str().unwrap();
    let r = mgr
        .client
        .post(app.url(&format!("/api/v1/sync/conflicts/{id}/resolve")))
        .json(&json!({"keep": "device"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let content: String = sqlx::query_scalar("SELECT doc->>'content' FROM work_orders")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(content, "厨房水龙头漏水");
    let again = mgr
        .client
        .post(app.url(&format!("/api/v1/sync/conflicts/{id}/resolve")))
        .json(&json!({"keep": "server"}))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 409);
}

#[sqlx::test(migrations = "./migrations")]
async fn a_mutation_waits_for_its_photo_and_uploads_resume(pool: PgPool) {
    let app = spawn_app(pool).await;
    let mut desk = Device::new(&app, "desk1").await;
    let photo: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    let sha = hex::encode(Sha256::digest(&photo));
    let blob = json!([{"sha256": sha, "size": photo.len(), "content_type": "image/jpeg"}]);
    let order = Uuid::now_v7();
    let create = desk.mutation(order, None, create_cmd(&app, blob).await);
    let after = desk.mutation(
        order,
        Some(1),
        json!({"type": "edit_text", "field": "location", "base": "", "value": "阳台"}),
    );
    let r = desk.push(&app, &[create.clone(), after.clone()]).await;
    assert_eq!(outcome(&r, 0)["status"], "deferred");
    assert_eq!(outcome(&r, 0)["reason"], "blob_missing");
    assert_eq!(outcome(&r, 1)["reason"], "earlier_mutation_waiting");
    assert_eq!(app.count("SELECT count(*) FROM work_orders").await, 0);

    let put = |start: usize, end: usize| {
        desk.client
            .put(app.url(&format!("/api/sync/v1/blobs/{sha}")))
            .header(
                "content-range",
                format!("bytes {start}-{}/{}", end - 1, photo.len()),
            )
            .header("x-blob-type", "image/jpeg")
            .body(photo[start..end].to_vec())
            .send()
    };
    let r = put(0, 200_000).await.unwrap();
    assert_eq!(r.status(), 200);
    // The same chunk again (a retried request) is fine; a gap is refused with where to resume.
    assert_eq!(put(0, 200_000).await.unwrap().status(), 200);
    let gap = put(250_000, 300_000).await.unwrap();
    assert_eq!(gap.status(), 409);
    let v: Value = gap.json().await.unwrap();
    assert_eq!(v["received"], 200_000);
    let status: Value = desk
        .client
        .get(app.url(&format!("/api/sync/v1/blobs/{sha}/status")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(status["received"], 200_000);
    let done: Value = put(200_000, 300_000).await.unwrap().json().await.unwrap();
    assert_eq!(done["complete"], true);

    let r = desk.push(&app, &[create, after]).await;
    assert_eq!(outcome(&r, 0)["status"], "applied");
    assert_eq!(outcome(&r, 1)["status"], "applied");
    let bytes = desk
        .client
        .get(app.url(&format!("/api/sync/v1/blobs/{sha}")))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(bytes.as_ref(), photo.as_slice());

    // Bytes that do not hash to their name are refused and forgotten.
    let wrong = "0".repeat(64);
    let r = desk
        .client
        .put(app.url(&format!("/api/sync/v1/blobs/{wrong}")))
        .header("content-range", "bytes 0-2/3")
        .body(vec![1u8, 2, 3])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert_eq!(app.count("SELECT count(*) FROM blobs").await, 1);
    // An oversized chunk is refused with a code, and a missing range too.
    let big = vec![0u8; 700_000];
    let r = desk
        .client
        .put(app.url(&format!("/api/sync/v1/blobs/{wrong}")))
        .header(
            "content-range",
            format!("bytes 0-{}/{}", big.len() - 1, big.len()),
        )
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["code"], "chunk_too_large");
    let r = desk
        .client
        .put(app.url(&format!("/api/sync/v1/blobs/{wrong}")))
        .body(vec![1u8])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["code"], "bad_blob_upload");
    assert_eq!(app.count("SELECT count(*) FROM blobs").await, 1);
}

#[sqlx::test(migrations = "./migrations")]
async fn pull_is_scoped_by_site_and_role_and_resumes_from_its_cursor(pool: PgPool) {
    let app = spawn_app(pool).await;
    let mut desk = Device::new(&app, "desk1").await;
    let mut mgr = Device::new(&app, "engmgr").await;
    let tech1 = Device::new(&app, "tech1").await;
    let tech2 = Device::new(&app, "tech2").await;
    let other_site = Device::new(&app, "fldesk").await;
    let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
    let start = desk.pull(&app, None).await;
    let cursor = start["cursor"].as_str().unwrap().to_owned();
    let ma = desk.mutation(a, None, create_cmd(&app, json!([])).await);
    let mb = desk.mutation(b, None, create_cmd(&app, json!([])).await);
    desk.push(&app, &[ma, mb]).await;
    let t1 = staff_id(&app, "tech1").await;
    mgr.one(
        &app,
        a,
        Some(1),
        json!({"type": "assign", "technician": t1}),
    )
    .await;

    // Both orders, `a` at its assigned version: the feed shows a transaction only once every
    // older one in the cluster has ended, so the assignment can show a moment after the creates.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let feed = loop {
        let feed = desk.pull_until(&app, &cursor, 2).await;
        let assigned = feed["changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["record"]["record"]["id"] == json!(a) && c["version"] == 2);
        if assigned || std::time::Instant::now() > deadline {
            break feed;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert_eq!(
        feed["changes"].as_array().unwrap().len(),
        2,
        "the desk sees the whole site, each order once at its latest version"
    );
    let next = feed["cursor"].as_str().unwrap().to_owned();
    assert_ne!(next, cursor);
    assert_eq!(
        desk.pull(&app, Some(&next)).await["changes"]
            .as_array()
            .unwrap()
            .len(),
        0
    );

    let mine = tech1.pull_until(&app, &cursor, 1).await;
    let ids: Vec<&str> = mine["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["record"]["record"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [a.to_string()], "a technician sees only his job");
    assert_eq!(
        tech2.pull(&app, Some(&cursor)).await["changes"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    assert_eq!(
        other_site.pull(&app, None).await["changes"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    let bad = desk
        .client
        .get(app.url("/api/sync/v1/pull?cursor=garbage"))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);

    let reference: Value = tech1
        .client
        .get(app.url("/api/sync/v1/reference"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(reference["units"].as_array().unwrap().len(), 648);
    assert_eq!(reference["catalogue"].as_array().unwrap().len(), 43);
}
