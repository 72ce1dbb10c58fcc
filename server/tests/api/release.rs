//! Release passes (放行条) through the real router: refused while the unit owes, issued once
//! finance marks the bill paid, voided (never deleted), used at the gate through push exactly
//! once, and pulled by the site's desk and security.

#![allow(clippy::unwrap_used)]

use crate::helpers::{outcome, spawn_app, staff_id, upload_blob, Device, TestApp};
use domain::people::IdCardNumber;
use serde_json::{json, Value};
use sqlx::PgPool;
use uuid::Uuid;

async fn unit(app: &TestApp, site: &str, b: &str, e: &str, room: &str) -> Uuid {
    sqlx::query_scalar(
        "SELECT u.id FROM units u JOIN buildings b ON b.id = u.building_id
         JOIN sites s ON s.id = u.site_id
         WHERE s.code = $1 AND b.number = $2 AND u.entrance = $3 AND u.room = $4",
    )
    .bind(site)
    .bind(b)
    .bind(e)
    .bind(room)
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

/// An unpaid 付款请求书 for the unit, as a billing run would leave it.
async fn unpaid_request(app: &TestApp, unit: Uuid) -> Uuid {
    let id = Uuid::now_v7();
    let finance = staff_id(app, "finance1").await;
    sqlx::query(
        "INSERT INTO payment_requests (id, site_id, unit_id, number, issued_on, due_on, total_fen,
                                       created_at, created_by)
         SELECT $1, site_id, id, 'FK-2026-11-9001', current_date, current_date + 15, 8000, now(), $2
         FROM units WHERE id = $3",
    )
    .bind(id)
    .bind(finance)
    .bind(unit)
    .execute(&app.pool)
    .await
    .unwrap();
    id
}

fn id_number() -> String {
    let first = b"33010619800101123";
    let mut s = String::from_utf8(first.to_vec()).unwrap();
    s.push(IdCardNumber::check_char(first) as char);
    s
}

async fn send(
    c: &reqwest::Client,
    app: &TestApp,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let url = app.url(path);
    let req = match method {
        "POST" => c.post(url),
        "PUT" => c.put(url),
        _ => c.get(url),
    };
    let req = match body {
        Some(b) => req.json(&b),
        None => req,
    };
    let r = req.send().await.unwrap();
    let code = r.status().as_u16();
    (code, r.json().await.unwrap_or(Value::Null))
}

/// A desk device with an uploaded signature, and the body of a complete pass for `unit`.
async fn draft(app: &TestApp, desk: &Device, unit: Uuid) -> Value {
    let sig = upload_blob(app, desk, "image/png", 1500).await;
    json!({
        "id": Uuid::now_v7(),
        "unit_id": unit,
        "owner_name": "王建国",
        "tenant_name": "李明",
        "identity": {"method": "phone", "id_number": true, "family_members": true, "employer": true},
        "moving_at": "2026-11-21T15:00:00",
        "mover_name": "张师傅",
        "mover_id_number": id_number(),
        "items": [{"name": "冰箱", "quantity": 1}, {"name": "纸箱", "quantity": 6}],
        "owner_opinion": "同意租户搬出",
        "handler_signature": sig,
    })
}

async fn issue_one(app: &TestApp, desk: &Device, site: Uuid, unit: Uuid) -> Value {
    let body = draft(app, desk, unit).await;
    let (code, pass) = send(
        &desk.client,
        app,
        "POST",
        &format!("/api/v1/sites/{site}/release/passes"),
        Some(body),
    )
    .await;
    assert_eq!(code, 201, "{pass}");
    pass
}

#[sqlx::test]
async fn a_pass_is_refused_while_the_unit_owes_and_issued_once_paid(pool: PgPool) {
    let app = spawn_app(pool).await;
    let site = app.site_id("cuihu").await;
    let u = unit(&app, "cuihu", "5", "2", "601").await;
    let request = unpaid_request(&app, u).await;
    let desk = Device::new(&app, "desk1").await;
    let path = format!("/api/v1/sites/{site}/release/passes");
    let body = draft(&app, &desk, u).await;

    let (code, err) = send(&desk.client, &app, "POST", &path, Some(body.clone())).await;
    assert_eq!(code, 409, "{err}");
    assert_eq!(err["code"], "unpaid_fees");
    assert_eq!(app.count("SELECT count(*) FROM release_passes").await, 0);
    assert_eq!(
        app.count("SELECT count(*) FROM site_counters WHERE prefix = 'FX'")
            .await,
        0,
        "a refused pass uses no serial number"
    );
    let (_, bills) = send(
        &desk.client,
        &app,
        "GET",
        &format!("/api/v1/release/units/{u}/bills"),
        None,
    )
    .await;
    assert_eq!(bills["open_bills"][0]["number"], "FK-2026-11-9001");

    // Incomplete identity is refused before anything else is looked at.
    let mut partial = body.clone();
    partial["identity"]["employer"] = json!(false);
    let (code, err) = send(&desk.client, &app, "POST", &path, Some(partial)).await;
    assert_eq!(
        (code, err["code"].as_str()),
        (422, Some("identity_incomplete"))
    );
    let mut empty = body.clone();
    empty["items"] = json!([]);
    let (code, err) = send(&desk.client, &app, "POST", &path, Some(empty)).await;
    assert_eq!((code, err["code"].as_str()), (422, Some("no_items")));

    // Security cannot issue; finance pays.
    let security = app.signed_in("security1").await;
    assert_eq!(
        send(&security, &app, "POST", &path, Some(body.clone()))
            .await
            .0,
        403
    );
    let finance = app.signed_in("finance1").await;
    let (code, _) = send(
        &finance,
        &app,
        "POST",
        &format!("/api/v1/billing/requests/{request}/pay"),
        Some(json!({"method": "cash_at_office"})),
    )
    .await;
    assert_eq!(code, 200);

    let (code, pass) = send(&desk.client, &app, "POST", &path, Some(body.clone())).await;
    assert_eq!(code, 201, "{pass}");
    let number = pass["pass"]["number"].as_str().unwrap();
    assert!(
        number.starts_with("FX-") && number.ends_with("-0001"),
        "{number}"
    );
    assert_eq!(pass["pass"]["status"], "issued");
    assert_eq!(pass["pass"]["handler_name"], "陈静");
    let text = pass.to_string();
    assert!(
        !text.contains(&id_number()),
        "the mover's ID number leaves masked"
    );
    assert!(text.contains(&format!(
        "{}**********{}",
        &id_number()[..4],
        &id_number()[14..]
    )));
    let full: String = sqlx::query_scalar("SELECT mover_id_card FROM release_passes")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        full,
        id_number(),
        "kept in full on the server for the audited reveal"
    );

    // The same request again answers the same pass, with no second number.
    let (code, again) = send(&desk.client, &app, "POST", &path, Some(body)).await;
    assert_eq!(code, 200);
    assert_eq!(again["pass"]["number"], number);
    assert_eq!(app.count("SELECT count(*) FROM release_passes").await, 1);

    let (code, list) = send(
        &desk.client,
        &app,
        "GET",
        &format!("{path}?status=issued"),
        None,
    )
    .await;
    assert_eq!(code, 200);
    assert_eq!(list.as_array().unwrap().len(), 1);
    let qr = desk
        .client
        .get(app.url(&format!(
            "/api/v1/release/passes/{}/qr.svg",
            pass["pass"]["id"].as_str().unwrap()
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(qr.status(), 200);
}

#[sqlx::test]
async fn other_open_bills_block_until_finance_clears_them(pool: PgPool) {
    let app = spawn_app(pool).await;
    let site = app.site_id("cuihu").await;
    // The demo's household with a management fee outstanding.
    let u = unit(&app, "cuihu", "5", "2", "602").await;
    let desk = Device::new(&app, "desk1").await;
    let path = format!("/api/v1/sites/{site}/release/passes");
    let body = draft(&app, &desk, u).await;
    let (code, err) = send(&desk.client, &app, "POST", &path, Some(body.clone())).await;
    assert_eq!((code, err["code"].as_str()), (409, Some("unpaid_fees")));

    let finance = app.signed_in("finance1").await;
    let (code, bills) = send(
        &finance,
        &app,
        "GET",
        &format!("/api/v1/sites/{site}/release/other-bills"),
        None,
    )
    .await;
    assert_eq!(code, 200);
    let bill = bills[0]["id"].as_str().unwrap().to_owned();
    // The desk reads but does not clear; finance clears once.
    let clear = format!("/api/v1/release/other-bills/{bill}/clear");
    assert_eq!(send(&desk.client, &app, "POST", &clear, None).await.0, 403);
    assert_eq!(send(&finance, &app, "POST", &clear, None).await.0, 200);
    let (code, err) = send(&finance, &app, "POST", &clear, None).await;
    assert_eq!((code, err["code"].as_str()), (409, Some("already_cleared")));
    assert_eq!(
        send(&desk.client, &app, "POST", &path, Some(body)).await.0,
        201
    );

    // Finance records a new one; the site may switch the rule off (C25 sits beside it).
    let (code, _) = send(
        &finance,
        &app,
        "POST",
        &format!("/api/v1/sites/{site}/release/other-bills"),
        Some(json!({"unit_id": u, "description": "停车费", "amount_fen": 0})),
    )
    .await;
    assert_eq!(code, 422, "an amount is required");
    let (code, _) = send(
        &finance,
        &app,
        "POST",
        &format!("/api/v1/sites/{site}/release/other-bills"),
        Some(json!({"unit_id": u, "description": "停车费", "amount_fen": 30000})),
    )
    .await;
    assert_eq!(code, 201);
    let (code, err) = send(
        &desk.client,
        &app,
        "POST",
        &path,
        Some(draft(&app, &desk, u).await),
    )
    .await;
    assert_eq!((code, err["code"].as_str()), (409, Some("unpaid_fees")));
}

#[sqlx::test]
async fn a_site_may_accept_identity_in_person_only(pool: PgPool) {
    let app = spawn_app(pool).await;
    let site = app.site_id("cuihu").await;
    let u = unit(&app, "cuihu", "5", "2", "601").await;
    let desk = Device::new(&app, "desk1").await;
    let policy = format!("/api/v1/sites/{site}/release/policy");
    let center = app.signed_in("center").await;
    assert_eq!(
        send(
            &desk.client,
            &app,
            "PUT",
            &policy,
            Some(json!({"phone_confirmation": false}))
        )
        .await
        .0,
        403
    );
    let (code, p) = send(
        &center,
        &app,
        "PUT",
        &policy,
        Some(json!({"phone_confirmation": false})),
    )
    .await;
    assert_eq!(code, 200, "{p}");
    let body = draft(&app, &desk, u).await;
    let path = format!("/api/v1/sites/{site}/release/passes");
    let (code, err) = send(&desk.client, &app, "POST", &path, Some(body.clone())).await;
    assert_eq!(
        (code, err["code"].as_str()),
        (422, Some("phone_confirmation_not_allowed"))
    );
    let mut in_person = body;
    in_person["identity"] = json!({"method": "in_person", "original_id": true});
    assert_eq!(
        send(&desk.client, &app, "POST", &path, Some(in_person))
            .await
            .0,
        201
    );
}

#[sqlx::test]
async fn another_sites_unit_or_pass_is_refused(pool: PgPool) {
    let app = spawn_app(pool).await;
    let ch = app.site_id("cuihu").await;
    let fl = app.site_id("fenglin").await;
    let fl_unit = unit(&app, "fenglin", "1", "1", "101").await;
    let ch_unit = unit(&app, "cuihu", "5", "2", "601").await;
    let desk = Device::new(&app, "desk1").await;
    // desk1 (翠湖花园) at 枫林苑's path: 403.
    let body = draft(&app, &desk, fl_unit).await;
    let (code, err) = send(
        &desk.client,
        &app,
        "POST",
        &format!("/api/v1/sites/{fl}/release/passes"),
        Some(body.clone()),
    )
    .await;
    assert_eq!((code, err["code"].as_str()), (403, Some("site_forbidden")));
    // 枫林苑's unit on 翠湖花园's path: 404.
    let (code, err) = send(
        &desk.client,
        &app,
        "POST",
        &format!("/api/v1/sites/{ch}/release/passes"),
        Some(body),
    )
    .await;
    assert_eq!(
        (code, err["code"].as_str()),
        (404, Some("unit_not_in_site"))
    );
    assert_eq!(app.count("SELECT count(*) FROM release_passes").await, 0);

    let pass = issue_one(&app, &desk, ch, ch_unit).await;
    let id = pass["pass"]["id"].as_str().unwrap();
    let fldesk = app.signed_in("fldesk").await;
    assert_eq!(
        send(
            &fldesk,
            &app,
            "GET",
            &format!("/api/v1/release/passes/{id}"),
            None
        )
        .await
        .0,
        403
    );
    let (code, _) = send(
        &fldesk,
        &app,
        "POST",
        &format!("/api/v1/release/passes/{id}/void"),
        Some(json!({"reason": "x"})),
    )
    .await;
    assert_eq!(code, 403);
    assert_eq!(
        send(
            &fldesk,
            &app,
            "GET",
            &format!("/api/v1/sites/{ch}/release/passes"),
            None
        )
        .await
        .0,
        403
    );
    let tech = app.signed_in("tech1").await;
    assert_eq!(
        send(
            &tech,
            &app,
            "GET",
            &format!("/api/v1/release/passes/{id}"),
            None
        )
        .await
        .0,
        403
    );
}

fn use_pass(dev: &mut Device, pass: Uuid, base: Option<i64>) -> Value {
    let mut m = dev.mutation(pass, base, json!({"type": "use"}));
    m["command"]["kind"] = json!("pass");
    m
}

#[sqlx::test]
async fn a_void_pass_is_refused_at_the_gate_and_never_deleted(pool: PgPool) {
    let app = spawn_app(pool).await;
    let site = app.site_id("cuihu").await;
    let u = unit(&app, "cuihu", "5", "2", "601").await;
    let desk = Device::new(&app, "desk1").await;
    let pass = issue_one(&app, &desk, site, u).await;
    let id = Uuid::parse_str(pass["pass"]["id"].as_str().unwrap()).unwrap();
    let void = format!("/api/v1/release/passes/{id}/void");
    let (code, err) = send(
        &desk.client,
        &app,
        "POST",
        &void,
        Some(json!({"reason": "  "})),
    )
    .await;
    assert_eq!((code, err["code"].as_str()), (422, Some("invalid_input")));
    let (code, v) = send(
        &desk.client,
        &app,
        "POST",
        &void,
        Some(json!({"reason": "业主取消搬家"})),
    )
    .await;
    assert_eq!(code, 200, "{v}");
    assert_eq!(v["pass"]["status"], "void");
    assert_eq!(v["pass"]["void_reason"], "业主取消搬家");
    assert_eq!(v["void_by_name"], "陈静");
    let (code, err) = send(
        &desk.client,
        &app,
        "POST",
        &void,
        Some(json!({"reason": "再作废"})),
    )
    .await;
    assert_eq!((code, err["code"].as_str()), (409, Some("void")));

    let mut gate = Device::new(&app, "security1").await;
    let m = use_pass(&mut gate, id, Some(1));
    let r = gate.push(&app, &[m]).await;
    assert_eq!(outcome(&r, 0)["status"], "rejected");
    assert_eq!(outcome(&r, 0)["code"], "pass_void");

    let deleted = sqlx::query("DELETE FROM release_passes WHERE id = $1")
        .bind(id)
        .execute(&app.pool)
        .await;
    assert!(deleted.is_err(), "a pass is never deleted");
    assert_eq!(app.count("SELECT count(*) FROM release_passes").await, 1);
}

#[sqlx::test]
async fn a_pass_is_used_once_whatever_device_tries_again(pool: PgPool) {
    let app = spawn_app(pool).await;
    let site = app.site_id("cuihu").await;
    let u = unit(&app, "cuihu", "5", "2", "601").await;
    let desk = Device::new(&app, "desk1").await;
    let pass = issue_one(&app, &desk, site, u).await;
    let id = Uuid::parse_str(pass["pass"]["id"].as_str().unwrap()).unwrap();

    // The gate phone got the pass through pull, scoped to the site's security and desk.
    let mut a = Device::new(&app, "security1").await;
    let snapshot = a.pull(&app, None).await;
    let got: Vec<&Value> = snapshot["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["record"]["kind"] == "pass")
        .collect();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0]["record"]["record"]["number"], pass["pass"]["number"]);
    assert!(!snapshot.to_string().contains(&id_number()));
    let tech = Device::new(&app, "tech1").await;
    let t = tech.pull(&app, None).await;
    assert!(
        !t.to_string().contains("\"pass\""),
        "a technician's phone gets no passes"
    );

    // The desk cannot mark it used; a use through push by the gate applies once.
    let mut d2 = Device::new(&app, "desk1").await;
    let m = use_pass(&mut d2, id, Some(1));
    let r = d2.push(&app, &[m]).await;
    assert_eq!(outcome(&r, 0)["code"], "forbidden");

    let first = use_pass(&mut a, id, Some(1));
    let r = a.push(&app, std::slice::from_ref(&first)).await;
    assert_eq!(outcome(&r, 0)["status"], "applied", "{r}");
    assert_eq!(outcome(&r, 0)["version"], 2);

    // A second phone that saw the pass unused, offline, tries too: refused with a stable code.
    let mut b = Device::new(&app, "security1").await;
    let second = use_pass(&mut b, id, Some(1));
    let r = b.push(&app, &[second]).await;
    assert_eq!(outcome(&r, 0)["status"], "rejected");
    assert_eq!(outcome(&r, 0)["code"], "already_used");

    // The first phone's request again (a lost answer): the stored result, nothing applied.
    let r = a.push(&app, std::slice::from_ref(&first)).await;
    assert_eq!(outcome(&r, 0)["status"], "applied");
    assert_eq!(outcome(&r, 0)["version"], 2);
    // The same pass again under a new mutation from the same phone: refused.
    let again = use_pass(&mut a, id, Some(2));
    let r = a.push(&app, &[again]).await;
    assert_eq!(outcome(&r, 0)["code"], "already_used");
    // The same mutation id with other content: refused as reused.
    let mut tampered = first;
    tampered["entity_id"] = json!(Uuid::now_v7());
    let r = a.push(&app, &[tampered]).await;
    assert_eq!(outcome(&r, 0)["status"], "rejected");

    let (version, status): (i64, String) =
        sqlx::query_as("SELECT version, status FROM release_passes WHERE id = $1")
            .bind(id)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!((version, status.as_str()), (2, "used"));
    let (_, v) = send(
        &desk.client,
        &app,
        "GET",
        &format!("/api/v1/release/passes/{id}"),
        None,
    )
    .await;
    assert_eq!(v["pass"]["status"], "used");
    assert!(v["used_by_name"].as_str().is_some());
    let (code, err) = send(
        &desk.client,
        &app,
        "POST",
        &format!("/api/v1/release/passes/{id}/void"),
        Some(json!({"reason": "迟了"})),
    )
    .await;
    assert_eq!((code, err["code"].as_str()), (409, Some("already_used")));

    // The desk's phone learns of the use through the feed.
    let cursor = snapshot["cursor"].as_str().unwrap().to_owned();
    let next = b.pull_until(&app, &cursor, 1).await;
    let used = next["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["record"]["kind"] == "pass")
        .unwrap();
    assert_eq!(used["record"]["record"]["status"], "used");
    assert_eq!(used["version"], 2);

    // An unknown pass: not issued.
    let stray = use_pass(&mut b, Uuid::now_v7(), None);
    let r = b.push(&app, &[stray]).await;
    assert_eq!(outcome(&r, 0)["code"], "pass_not_issued");
}
