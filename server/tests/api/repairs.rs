//! The repair flow through the real push endpoint, the order detail, site policies, billing and
//! retention, against the real router and PostgreSQL.

#![allow(clippy::unwrap_used)]

use crate::helpers::{a_unit, outcome, spawn_app, staff_id, Device, TestApp};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use domain::ids::WorkOrderId;
use domain::money::Fen;
use domain::sync::wire::BlobRef;
use domain::work_orders::policy::{BillingPolicy, RepairPolicy};
use domain::work_orders::quote::{acceptance_hash, consent_hash};
use domain::work_orders::sla::china;
use domain::work_orders::{MaterialSource, QuoteLine};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use uuid::Uuid;

/// The desk, the engineering manager and a technician, each with a phone.
pub(crate) struct Crew {
    desk: Device,
    mgr: Device,
    tech: Device,
    tech_id: Uuid,
}

impl Crew {
    pub(crate) async fn new(app: &TestApp) -> Crew {
        Crew {
            desk: Device::new(app, "desk1").await,
            mgr: Device::new(app, "engmgr").await,
            tech: Device::new(app, "tech1").await,
            tech_id: staff_id(app, "tech1").await,
        }
    }
}

/// The `n`-th unit of a site, by room.
async fn unit_n(app: &TestApp, site: &str, n: i64) -> Uuid {
    sqlx::query_scalar(
        "SELECT u.id FROM units u JOIN sites s ON s.id = u.site_id JOIN buildings b ON b.id = u.building_id
         WHERE s.code = $1 ORDER BY b.number, u.entrance, u.room OFFSET $2 LIMIT 1",
    )
    .bind(site)
    .bind(n)
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

async fn price(app: &TestApp, code: &str) -> Fen {
    Fen(sqlx::query_scalar(
        "SELECT c.price_fen FROM catalogue_items c JOIN sites s ON s.id = c.site_id
         WHERE s.code = 'cuihu' AND c.code = $1",
    )
    .bind(code)
    .fetch_one(&app.pool)
    .await
    .unwrap())
}

/// An in-home request at `unit`, matched to the catalogue item `code` (or to nothing).
pub(crate) async fn create_cmd(app: &TestApp, unit: Uuid, matched: Value) -> Value {
    json!({
        "type": "create",
        "site_id": app.site_id("cuihu").await,
        "unit_id": unit,
        "common_area": false,
        "location": "",
        "channel": "phone",
        "kind": "daily",
        "reporter_name": "张先生",
        "reporter_phone": "13812345678",
        "content": "卫生间水龙头漏水",
        "timing": {"type": "immediate"},
        "matched": matched,
    })
}

pub(crate) fn catalogue(code: &str) -> Value {
    json!({"type": "catalogue", "code": code})
}

/// The stored version and record of an order.
async fn stored(app: &TestApp, id: Uuid) -> (i64, Value) {
    sqlx::query_as("SELECT version, doc FROM work_orders WHERE id = $1")
        .bind(id)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

/// Uploads a (fake) signature image from `dev` and returns its reference.
async fn upload_signature(app: &TestApp, dev: &Device) -> BlobRef {
    let bytes: Vec<u8> = Uuid::now_v7()
        .as_bytes()
        .iter()
        .cycle()
        .take(2_000)
        .copied()
        .collect();
    let sha = hex::encode(Sha256::digest(&bytes));
    let r = dev
        .client
        .put(app.url(&format!("/api/sync/v1/blobs/{sha}")))
        .header(
            "content-range",
            format!("bytes 0-{}/{}", bytes.len() - 1, bytes.len()),
        )
        .header("x-blob-type", "image/png")
        .body(bytes.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    BlobRef {
        sha256: sha,
        size: bytes.len() as u64,
        content_type: "image/png".into(),
    }
}

fn signature(image: &BlobRef, hash: &str) -> Value {
    json!({"image": image, "signer_name": "张先生", "content_hash": hash})
}

const SCOPE: &str = "更换卫生间水龙头, 清洗水表, 更换两只角阀";

/// Two catalogue items (one needs the resident's acknowledgement) and one material the office
/// bought with the resident's approval.
pub(crate) async fn standard_lines(app: &TestApp, first_code: &str) -> Vec<QuoteLine> {
    vec![
        QuoteLine::Item {
            code: first_code.into(),
            quantity: 1,
            unit_price: price(app, first_code).await,
            disclaimer_acknowledged: false,
        },
        QuoteLine::Item {
            code: "W04".into(),
            quantity: 1,
            unit_price: price(app, "W04").await,
            disclaimer_acknowledged: true,
        },
        QuoteLine::Material {
            name: "角阀".into(),
            spec: "DN15 铜".into(),
            quantity: 2,
            unit_price: Fen(2_550),
            source: MaterialSource::Office,
            resident_approved: true,
        },
    ]
}

fn total(lines: &[QuoteLine]) -> i64 {
    domain::work_orders::quote::total(lines).unwrap().0
}

/// The technician's offline batch at the door: arrive, quote, consent, finish, acceptance.
/// The order is at version 2 (assigned); each step is made at `at` plus a minute.
async fn tech_batch(
    app: &TestApp,
    crew: &mut Crew,
    order: Uuid,
    lines: &[QuoteLine],
    rating: &str,
    at: DateTime<Utc>,
) -> Vec<Value> {
    let consent_sig = upload_signature(app, &crew.tech).await;
    let accept_sig = upload_signature(app, &crew.tech).await;
    let id = WorkOrderId(order);
    let t = |n: i64| at + Duration::minutes(n);
    let tech = &mut crew.tech;
    vec![
        tech.mutation_at(order, Some(2), json!({"type": "arrive"}), t(0)),
        tech.mutation_at(
            order,
            Some(3),
            json!({"type": "quote", "scope": SCOPE, "lines": lines}),
            t(1),
        ),
        tech.mutation_at(
            order,
            Some(4),
            json!({"type": "consent", "signature": signature(&consent_sig, &consent_hash(id, SCOPE, lines))}),
            t(2),
        ),
        tech.mutation_at(order, Some(5), json!({"type": "finish", "photos": []}), t(3)),
        tech.mutation_at(
            order,
            Some(6),
            json!({"type": "resident_accept", "acceptance": {
                "signature": signature(&accept_sig, &acceptance_hash(id, SCOPE, lines)),
                "opinion": "修好了, 但上门晚了",
                "rating": rating,
            }}),
            t(4),
        ),
    ]
}

/// Creates, assigns and closes a job at `unit` matched to `code`, all at `at`; returns its id.
async fn closed_job(
    app: &TestApp,
    crew: &mut Crew,
    unit: Uuid,
    code: &str,
    at: DateTime<Utc>,
) -> Uuid {
    let create = create_cmd(app, unit, catalogue(code)).await;
    let lines = standard_lines(app, code).await;
    close(app, crew, create, &lines, at).await
}

/// Pushes `create`, assigns the job and closes it with `lines`, all at `at`; returns its id.
async fn close(
    app: &TestApp,
    crew: &mut Crew,
    create: Value,
    lines: &[QuoteLine],
    at: DateTime<Utc>,
) -> Uuid {
    close_rated(app, crew, create, lines, at, "satisfied").await
}

/// [`close`] with the resident's rating (`satisfied`, `fairly_satisfied`, `dissatisfied`).
pub(crate) async fn close_rated(
    app: &TestApp,
    crew: &mut Crew,
    create: Value,
    lines: &[QuoteLine],
    at: DateTime<Utc>,
    rating: &str,
) -> Uuid {
    let order = Uuid::now_v7();
    let create = crew.desk.mutation_at(order, None, create, at);
    let r = crew.desk.push(app, &[create]).await;
    assert_eq!(outcome(&r, 0)["version"], 1, "{r}");
    let assign = crew.mgr.mutation_at(
        order,
        Some(1),
        json!({"type": "assign", "technician": crew.tech_id}),
        at + Duration::seconds(30),
    );
    assert_eq!(
        outcome(&crew.mgr.push(app, &[assign]).await, 0)["version"],
        2
    );
    let batch = tech_batch(app, crew, order, lines, rating, at + Duration::minutes(1)).await;
    let r = crew.tech.push(app, &batch).await;
    assert_eq!(outcome(&r, 4)["version"], 7, "{r}");
    order
}

async fn get(c: &reqwest::Client, app: &TestApp, path: &str) -> (u16, Value) {
    let r = c.get(app.url(path)).send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn send(
    c: &reqwest::Client,
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    body: Value,
) -> (u16, Value) {
    let r = c
        .request(method, app.url(path))
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn post(c: &reqwest::Client, app: &TestApp, path: &str, body: Value) -> (u16, Value) {
    send(c, app, reqwest::Method::POST, path, body).await
}

fn today_in_china() -> NaiveDate {
    Utc::now().with_timezone(&china()).date_naive()
}

#[sqlx::test(migrations = "./migrations")]
async fn an_in_home_repair_runs_from_the_desk_to_the_payment_request(pool: PgPool) {
    let app = spawn_app(pool).await;
    let mut crew = Crew::new(&app).await;
    let unit = a_unit(&app, "cuihu").await;
    let order = Uuid::now_v7();

    // The desk takes the call and matches it to the fee standard.
    let r = crew
        .desk
        .one(
            &app,
            order,
            None,
            create_cmd(&app, unit, catalogue("W01")).await,
        )
        .await;
    assert_eq!(outcome(&r, 0), &json!({"status": "applied", "version": 1}));
    let (_, doc) = stored(&app, order).await;
    assert_eq!(doc["matched"], catalogue("W01"));
    assert!(doc.get("second_repair_of").is_none());
    // Engineering sees it the moment the server has it.
    let received: DateTime<Utc> =
        sqlx::query_scalar("SELECT received_at FROM work_orders WHERE id = $1")
            .bind(order)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let notified: DateTime<Utc> = serde_json::from_value(doc["eng_notified_at"].clone()).unwrap();
    assert!(
        (notified - received).num_milliseconds().abs() < 1,
        "{notified} {received}"
    );

    let r = crew
        .mgr
        .one(
            &app,
            order,
            Some(1),
            json!({"type": "assign", "technician": crew.tech_id}),
        )
        .await;
    assert_eq!(outcome(&r, 0)["version"], 2);

    // At the door, offline: arrive, quote, consent, finish, the resident's acceptance.
    let lines = standard_lines(&app, "W01").await;
    let expected_total = total(&lines);
    assert_eq!(expected_total, 3_000 + 3_000 + 5_100);
    let batch = tech_batch(&app, &mut crew, order, &lines, "dissatisfied", Utc::now()).await;
    let first = crew.tech.push(&app, &batch).await;
    for (i, v) in (3..=7).enumerate() {
        assert_eq!(
            outcome(&first, i),
            &json!({"status": "applied", "version": v}),
            "{first}"
        );
    }
    let (version, doc) = stored(&app, order).await;
    assert_eq!(version, 7);
    assert_eq!(doc["status"], "closed");
    assert_eq!(doc["scope"], SCOPE);
    assert_eq!(doc["lines"], serde_json::to_value(&lines).unwrap());
    assert_eq!(doc["acceptance"]["rating"], "dissatisfied");
    assert!(doc["consent"]["signed_at"].is_string());
    let order_rec: domain::work_orders::WorkOrder = serde_json::from_value(doc.clone()).unwrap();
    assert_eq!(
        order_rec.mandatory_visit(),
        Some(domain::work_orders::MandatoryVisit::Dissatisfied)
    );
    let (status, closed_col): (String, Option<DateTime<Utc>>) =
        sqlx::query_as("SELECT status, closed_at FROM work_orders WHERE id = $1")
            .bind(order)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(status, "closed");
    let closed_doc: DateTime<Utc> = serde_json::from_value(doc["closed_at"].clone()).unwrap();
    assert!((closed_col.unwrap() - closed_doc).num_milliseconds().abs() < 1);

    // The same push again (the phone never saw the answer): the stored results, nothing new.
    let changes = app.count("SELECT count(*) FROM sync_changes").await;
    let again = crew.tech.push(&app, &batch).await;
    assert_eq!(first["results"], again["results"]);
    assert_eq!(stored(&app, order).await, (7, doc.clone()));
    assert_eq!(
        app.count("SELECT count(*) FROM sync_changes").await,
        changes
    );

    // The detail page: names for everyone, item names, the site and its policy.
    let (code, detail) = get(
        &crew.desk.client,
        &app,
        &format!("/api/v1/work-orders/{order}"),
    )
    .await;
    assert_eq!(code, 200, "{detail}");
    assert_eq!(detail["version"], 7);
    assert_eq!(detail["order"], doc);
    assert_eq!(detail["site_name"], "翠湖花园");
    let label: String = sqlx::query_scalar(
        "SELECT b.number || '栋' || u.entrance || '单元' || u.room FROM units u
         JOIN buildings b ON b.id = u.building_id WHERE u.id = $1",
    )
    .bind(unit)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(detail["unit_label"], label.as_str());
    let names: Vec<&str> = detail["staff_names"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p[1].as_str().unwrap())
        .collect();
    for n in ["陈静", "刘伟", "王建国"] {
        assert!(names.contains(&n), "{names:?}");
    }
    assert_eq!(
        detail["item_names"],
        json!([["W01", "更换普通水龙头"], ["W04", "清洗用户水表"]])
    );
    assert_eq!(
        detail["policy"],
        serde_json::to_value(RepairPolicy::default()).unwrap()
    );
    // The assigned technician may open it; another technician, another site, junk may not.
    let (code, _) = get(
        &crew.tech.client,
        &app,
        &format!("/api/v1/work-orders/{order}"),
    )
    .await;
    assert_eq!(code, 200);
    let tech2 = app.signed_in("tech2").await;
    let (code, body) = get(&tech2, &app, &format!("/api/v1/work-orders/{order}")).await;
    assert_eq!((code, body["code"].as_str()), (403, Some("forbidden")));
    let fldesk = app.signed_in("fldesk").await;
    let (code, body) = get(&fldesk, &app, &format!("/api/v1/work-orders/{order}")).await;
    assert_eq!((code, body["code"].as_str()), (403, Some("site_forbidden")));
    let (code, body) = get(
        &crew.desk.client,
        &app,
        &format!("/api/v1/work-orders/{}", Uuid::now_v7()),
    )
    .await;
    assert_eq!((code, body["code"].as_str()), (404, Some("not_found")));
    let (code, body) = get(&crew.desk.client, &app, "/api/v1/work-orders/junk").await;
    assert_eq!((code, body["code"].as_str()), (400, Some("bad_id")));

    // Finance's batch bills it with the exact total.
    let site = app.site_id("cuihu").await;
    let finance = app.signed_in("finance1").await;
    let (code, batch) = post(
        &finance,
        &app,
        &format!("/api/v1/sites/{site}/billing/batches"),
        json!({}),
    )
    .await;
    assert_eq!(code, 200, "{batch}");
    let today = today_in_china();
    assert_eq!(batch["issued_on"], json!(today));
    assert_eq!(
        batch["due_on"],
        json!(BillingPolicy::S1_MONTHLY.due_date(today))
    );
    let created = batch["created"].as_array().unwrap();
    assert_eq!(created.len(), 1);
    let req = &created[0];
    assert_eq!(req["total"], expected_total);
    assert_eq!(
        req["number"],
        format!("FK-{}-0001", today.format("%Y-%m")).as_str()
    );
    assert_eq!(req["unit_label"], label.as_str());
    let owner: String =
        sqlx::query_scalar("SELECT name FROM residents WHERE unit_id = $1 AND role = 'owner'")
            .bind(unit)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(req["payer_name"], owner.as_str());
    assert_eq!(req["overdue"], false);
    assert_eq!(req["paid_at"], Value::Null);
    assert_eq!(req["lines"].as_array().unwrap().len(), 1);
    assert_eq!(req["lines"][0]["order_id"], json!(order));
    assert_eq!(req["lines"][0]["order_number"], doc["number"]);
    assert_eq!(req["lines"][0]["amount"], expected_total);
    assert_eq!(req["lines"][0]["description"], SCOPE);
    // … and the month's list shows it.
    let (code, list) = get(
        &finance,
        &app,
        &format!(
            "/api/v1/sites/{site}/billing/requests?month={}",
            today.format("%Y-%m")
        ),
    )
    .await;
    assert_eq!(code, 200);
    assert_eq!(list, json!([req]));
}

#[sqlx::test(migrations = "./migrations")]
async fn bad_repair_input_is_refused_with_its_code_and_leaves_the_order_unchanged(pool: PgPool) {
    let app = spawn_app(pool).await;
    let mut crew = Crew::new(&app).await;
    let unit = a_unit(&app, "cuihu").await;
    let order = Uuid::now_v7();
    crew.desk
        .one(
            &app,
            order,
            None,
            create_cmd(&app, unit, catalogue("W01")).await,
        )
        .await;
    crew.mgr
        .one(
            &app,
            order,
            Some(1),
            json!({"type": "assign", "technician": crew.tech_id}),
        )
        .await;
    let r = crew
        .tech
        .one(&app, order, Some(2), json!({"type": "arrive"}))
        .await;
    assert_eq!(outcome(&r, 0)["version"], 3);

    /// Pushes one command from `dev` and checks the code and that nothing changed.
    async fn refused(app: &TestApp, dev: &mut Device, order: Uuid, cmd: Value, code: &str) {
        let before = stored(app, order).await;
        let r = dev.one(app, order, Some(before.0), cmd).await;
        assert_eq!(outcome(&r, 0)["status"], "rejected", "{r}");
        assert_eq!(outcome(&r, 0)["code"], code, "{r}");
        assert_eq!(stored(app, order).await, before, "{code} changed the order");
    }

    let good = standard_lines(&app, "W01").await;
    let quote = |lines: &[QuoteLine]| json!({"type": "quote", "scope": SCOPE, "lines": lines});
    let mut negative = good.clone();
    negative[2] = QuoteLine::Material {
        name: "角阀".into(),
        spec: String::new(),
        quantity: 1,
        unit_price: Fen(-100),
        source: MaterialSource::Office,
        resident_approved: true,
    };
    refused(
        &app,
        &mut crew.tech,
        order,
        quote(&negative),
        "amount_out_of_range",
    )
    .await;
    let mut unknown = good.clone();
    unknown[0] = QuoteLine::Item {
        code: "W99".into(),
        quantity: 1,
        unit_price: Fen(3_000),
        disclaimer_acknowledged: false,
    };
    refused(
        &app,
        &mut crew.tech,
        order,
        quote(&unknown),
        "unknown_catalogue_item",
    )
    .await;
    let mut cheaper = good.clone();
    cheaper[0] = QuoteLine::Item {
        code: "W01".into(),
        quantity: 1,
        unit_price: Fen(price(&app, "W01").await.0 - 1),
        disclaimer_acknowledged: false,
    };
    refused(
        &app,
        &mut crew.tech,
        order,
        quote(&cheaper),
        "price_mismatch",
    )
    .await;
    // An item the site took off its fee standard is no longer quoted.
    sqlx::query("UPDATE catalogue_items SET active = false WHERE code = 'C13'")
        .execute(&app.pool)
        .await
        .unwrap();
    let mut withdrawn = good.clone();
    withdrawn[0] = QuoteLine::Item {
        code: "C13".into(),
        quantity: 1,
        unit_price: price(&app, "C13").await,
        disclaimer_acknowledged: false,
    };
    refused(
        &app,
        &mut crew.tech,
        order,
        quote(&withdrawn),
        "unknown_catalogue_item",
    )
    .await;
    // 二-04 (W04, cleaning the water meter) needs the resident told of its disclaimer.
    let mut unacknowledged = good.clone();
    unacknowledged[1] = QuoteLine::Item {
        code: "W04".into(),
        quantity: 1,
        unit_price: price(&app, "W04").await,
        disclaimer_acknowledged: false,
    };
    refused(
        &app,
        &mut crew.tech,
        order,
        quote(&unacknowledged),
        "invalid_input",
    )
    .await;

    let r = crew.tech.one(&app, order, Some(3), quote(&good)).await;
    assert_eq!(outcome(&r, 0)["version"], 4, "{r}");
    // A signature made for other content (the device showed other lines).
    let sig = upload_signature(&app, &crew.tech).await;
    let wrong = consent_hash(WorkOrderId(order), SCOPE, &good[..2]);
    refused(
        &app,
        &mut crew.tech,
        order,
        json!({"type": "consent", "signature": signature(&sig, &wrong)}),
        "signature_mismatch",
    )
    .await;
    let right = consent_hash(WorkOrderId(order), SCOPE, &good);
    let r = crew
        .tech
        .one(
            &app,
            order,
            Some(4),
            json!({"type": "consent", "signature": signature(&sig, &right)}),
        )
        .await;
    assert_eq!(outcome(&r, 0)["version"], 5, "{r}");
    crew.tech
        .one(
            &app,
            order,
            Some(5),
            json!({"type": "finish", "photos": []}),
        )
        .await;
    let accept = json!({"type": "resident_accept", "acceptance": {"opinion": "", "rating": "satisfied",
        "signature": signature(&sig, &acceptance_hash(WorkOrderId(order), SCOPE, &good))}});
    let r = crew.tech.one(&app, order, Some(6), accept.clone()).await;
    assert_eq!(outcome(&r, 0)["version"], 7, "{r}");
    // A second acceptance of the closed job.
    refused(&app, &mut crew.tech, order, accept, "already_final").await;

    // A create matched to an item outside the catalogue is refused and stores nothing.
    let ghost = Uuid::now_v7();
    let r = crew
        .desk
        .one(
            &app,
            ghost,
            None,
            create_cmd(&app, unit, catalogue("Z01")).await,
        )
        .await;
    assert_eq!(outcome(&r, 0)["code"], "unknown_catalogue_item");
    let none = app.count("SELECT count(*) FROM work_orders").await;
    assert_eq!(none, 1);

    // A create matched to the supplier list is referred at once; nothing is dispatched.
    let referred = Uuid::now_v7();
    let r = crew
        .desk
        .one(
            &app,
            referred,
            None,
            create_cmd(&app, unit, json!({"type": "supplier", "code": "S05"})).await,
        )
        .await;
    assert_eq!(outcome(&r, 0)["version"], 1, "{r}");
    let (_, doc) = stored(&app, referred).await;
    assert_eq!(doc["status"], "referred");
    assert_eq!(doc["referred_to"], "S05");
    assert!(doc["closed_at"].is_string());
    refused(
        &app,
        &mut crew.mgr,
        referred,
        json!({"type": "assign", "technician": crew.tech_id}),
        "already_final",
    )
    .await;
}

#[sqlx::test(migrations = "./migrations")]
async fn a_second_repair_waits_for_the_engineering_managers_visit(pool: PgPool) {
    let app = spawn_app(pool).await;
    let mut crew = Crew::new(&app).await;
    let unit = unit_n(&app, "cuihu", 2).await;
    let first = closed_job(
        &app,
        &mut crew,
        unit,
        "W01",
        Utc::now() - Duration::days(30),
    )
    .await;
    let first_number = stored(&app, first).await.1["number"].clone();

    // Another item at the same unit is an ordinary job.
    let other = Uuid::now_v7();
    crew.desk
        .one(
            &app,
            other,
            None,
            create_cmd(&app, unit, catalogue("E01")).await,
        )
        .await;
    assert!(stored(&app, other)
        .await
        .1
        .get("second_repair_of")
        .is_none());

    // The same item within 90 days of the first job's completion: 二次返修.
    let again = Uuid::now_v7();
    let r = crew
        .desk
        .one(
            &app,
            again,
            None,
            create_cmd(&app, unit, catalogue("W01")).await,
        )
        .await;
    assert_eq!(outcome(&r, 0)["version"], 1);
    let (_, doc) = stored(&app, again).await;
    assert_eq!(
        doc["second_repair_of"],
        json!({"order_id": first, "number": first_number})
    );
    let assign = json!({"type": "assign", "technician": crew.tech_id});
    let r = crew.mgr.one(&app, again, Some(1), assign.clone()).await;
    assert_eq!(outcome(&r, 0)["code"], "second_repair_needs_visit");
    assert_eq!(stored(&app, again).await, (1, doc));
    // A technician may not record the manager's visit.
    let r = crew
        .tech
        .one(
            &app,
            again,
            Some(1),
            json!({"type": "manager_visit", "note": "看过了"}),
        )
        .await;
    assert_eq!(outcome(&r, 0)["code"], "forbidden");
    let r = crew
        .mgr
        .one(
            &app,
            again,
            Some(1),
            json!({"type": "manager_visit", "note": "上门查看: 阀芯老化, 同一故障"}),
        )
        .await;
    assert_eq!(outcome(&r, 0)["version"], 2);
    let r = crew.mgr.one(&app, again, Some(2), assign).await;
    assert_eq!(outcome(&r, 0), &json!({"status": "applied", "version": 3}));

    // Outside the window (the first job closed 120 days ago) it is an ordinary job again.
    let unit2 = unit_n(&app, "cuihu", 5).await;
    closed_job(
        &app,
        &mut crew,
        unit2,
        "W01",
        Utc::now() - Duration::days(120),
    )
    .await;
    let late = Uuid::now_v7();
    crew.desk
        .one(
            &app,
            late,
            None,
            create_cmd(&app, unit2, catalogue("W01")).await,
        )
        .await;
    assert!(stored(&app, late).await.1.get("second_repair_of").is_none());
}

#[sqlx::test(migrations = "./migrations")]
async fn a_batch_bills_each_job_once_even_when_two_runs_race(pool: PgPool) {
    let app = spawn_app(pool).await;
    let mut crew = Crew::new(&app).await;
    let site = app.site_id("cuihu").await;
    let (a, b) = (
        unit_n(&app, "cuihu", 10).await,
        unit_n(&app, "cuihu", 11).await,
    );
    let now = Utc::now() - Duration::minutes(30);
    let jobs = [
        closed_job(&app, &mut crew, a, "W01", now).await,
        closed_job(&app, &mut crew, a, "E01", now + Duration::minutes(5)).await,
        closed_job(&app, &mut crew, b, "W05", now + Duration::minutes(10)).await,
    ];
    // Jobs that bill nothing: under warranty (free), and one where the resident bought the
    // only material.
    let mut warranty = create_cmd(&app, b, catalogue("W02")).await;
    warranty["kind"] = json!("warranty_complaint");
    let free = vec![QuoteLine::Item {
        code: "W02".into(),
        quantity: 1,
        unit_price: Fen(0),
        disclaimer_acknowledged: false,
    }];
    close(
        &app,
        &mut crew,
        warranty,
        &free,
        now + Duration::minutes(15),
    )
    .await;
    let own_material = vec![QuoteLine::Material {
        name: "水龙头".into(),
        spec: String::new(),
        quantity: 1,
        unit_price: Fen(0),
        source: MaterialSource::Resident,
        resident_approved: false,
    }];
    let create = create_cmd(&app, b, json!({"type": "none"})).await;
    close(
        &app,
        &mut crew,
        create,
        &own_material,
        now + Duration::minutes(20),
    )
    .await;
    // A job still open is not billed.
    let open = Uuid::now_v7();
    crew.desk
        .one(
            &app,
            open,
            None,
            create_cmd(&app, b, catalogue("C01")).await,
        )
        .await;

    let finance = app.signed_in("finance1").await;
    let center = app.signed_in("center").await;
    let path = format!("/api/v1/sites/{site}/billing/batches");
    let (r1, r2) = tokio::join!(
        post(&finance, &app, &path, json!({})),
        post(&center, &app, &path, json!({}))
    );
    assert_eq!((r1.0, r2.0), (200, 200), "{r1:?} {r2:?}");
    let created: Vec<Value> = [r1.1, r2.1]
        .iter()
        .flat_map(|r| r["created"].as_array().unwrap().clone())
        .collect();
    assert_eq!(created.len(), 2, "one request per household: {created:?}");
    let billed: Vec<Value> = created
        .iter()
        .flat_map(|r| r["lines"].as_array().unwrap().clone())
        .map(|l| l["order_id"].clone())
        .collect();
    assert_eq!(billed.len(), 3);
    for j in jobs {
        assert!(billed.contains(&json!(j)), "{j} billed once");
    }
    let for_a = created.iter().find(|r| r["unit_id"] == json!(a)).unwrap();
    let expected =
        total(&standard_lines(&app, "W01").await) + total(&standard_lines(&app, "E01").await);
    assert_eq!(for_a["total"], expected);
    assert_eq!(for_a["lines"].as_array().unwrap().len(), 2);
    let mut numbers: Vec<&str> = created
        .iter()
        .map(|r| r["number"].as_str().unwrap())
        .collect();
    numbers.sort();
    let month = today_in_china().format("%Y-%m").to_string();
    assert_eq!(
        numbers,
        [format!("FK-{month}-0001"), format!("FK-{month}-0002")]
    );
    // Nothing left: a third run creates nothing.
    let (code, third) = post(&finance, &app, &path, json!({})).await;
    assert_eq!(code, 200);
    assert_eq!(third["created"], json!([]));
    assert_eq!(
        app.count("SELECT count(*) FROM payment_request_lines")
            .await,
        3
    );

    // Who may do what.
    let desk = &crew.desk.client;
    let tech = &crew.tech.client;
    let list = format!("/api/v1/sites/{site}/billing/requests");
    for (who, c) in [("desk", desk), ("center", &center), ("finance", &finance)] {
        let (code, body) = get(c, &app, &list).await;
        assert_eq!(code, 200, "{who}");
        assert_eq!(body.as_array().unwrap().len(), 2, "{who}");
    }
    let csmgr = app.signed_in("csmgr").await;
    assert_eq!(get(&csmgr, &app, &list).await.0, 200);
    let (code, body) = get(tech, &app, &list).await;
    assert_eq!((code, body["code"].as_str()), (403, Some("forbidden")));
    assert_eq!(post(tech, &app, &path, json!({})).await.0, 403);
    assert_eq!(post(desk, &app, &path, json!({})).await.0, 403);
    let fldesk = app.signed_in("fldesk").await;
    let (code, body) = get(&fldesk, &app, &list).await;
    assert_eq!((code, body["code"].as_str()), (403, Some("site_forbidden")));
    let (code, body) = get(&finance, &app, &format!("{list}?month=2026-13")).await;
    assert_eq!((code, body["code"].as_str()), (400, Some("bad_month")));
    let tomorrow = today_in_china().succ_opt().unwrap();
    let (code, body) = post(&finance, &app, &path, json!({"issued_on": tomorrow})).await;
    assert_eq!(
        (code, body["code"].as_str()),
        (422, Some("issued_on_in_future"))
    );

    // Paying: finance only, once.
    let id = for_a["id"].as_str().unwrap();
    let pay = format!("/api/v1/billing/requests/{id}/pay");
    let body = json!({"method": "cash_at_office"});
    for c in [tech, desk, &center] {
        let (code, b) = post(c, &app, &pay, body.clone()).await;
        assert_eq!((code, b["code"].as_str()), (403, Some("forbidden")));
    }
    let (code, paid) = post(&finance, &app, &pay, body.clone()).await;
    assert_eq!(code, 200, "{paid}");
    assert!(paid["paid_at"].is_string());
    assert_eq!(paid["paid_method"], "cash_at_office");
    assert_eq!(paid["paid_by"], "吴芳");
    let (code, again) = post(&finance, &app, &pay, json!({"method": "online"})).await;
    assert_eq!((code, again["code"].as_str()), (409, Some("already_paid")));
    let method: String =
        sqlx::query_scalar("SELECT paid_method FROM payment_requests WHERE id = $1::uuid")
            .bind(id)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(method, "cash_at_office");
    let (code, b) = post(
        &finance,
        &app,
        &format!("/api/v1/billing/requests/{}/pay", Uuid::now_v7()),
        body.clone(),
    )
    .await;
    assert_eq!((code, b["code"].as_str()), (404, Some("not_found")));
    let (code, b) = post(&finance, &app, &pay, json!({"method": "technician_cash"})).await;
    assert_eq!((code, b["code"].as_str()), (422, Some("invalid_body")));
}

#[sqlx::test(migrations = "./migrations")]
async fn unpaid_requests_past_their_due_day_go_on_the_door_collection_list(pool: PgPool) {
    let app = spawn_app(pool).await;
    let mut crew = Crew::new(&app).await;
    let site = app.site_id("cuihu").await;
    let unit = unit_n(&app, "cuihu", 20).await;
    // A job done 70 days ago, billed in the batch of its day: long past due now.
    let long_ago = Utc::now() - Duration::days(70);
    let job = closed_job(&app, &mut crew, unit, "C01", long_ago).await;
    let closed_day = (long_ago + Duration::minutes(10))
        .with_timezone(&china())
        .date_naive();
    let finance = app.signed_in("finance1").await;
    let (code, batch) = post(
        &finance,
        &app,
        &format!("/api/v1/sites/{site}/billing/batches"),
        json!({"issued_on": closed_day}),
    )
    .await;
    assert_eq!(code, 200, "{batch}");
    let created = batch["created"].as_array().unwrap();
    assert_eq!(created.len(), 1);
    assert_eq!(created[0]["lines"][0]["order_id"], json!(job));
    assert_eq!(created[0]["overdue"], true);
    let number = created[0]["number"].as_str().unwrap();
    assert!(number.starts_with(&format!("FK-{}-", closed_day.format("%Y-%m"))));

    let list = format!("/api/v1/sites/{site}/billing/requests");
    let (_, overdue) = get(&finance, &app, &format!("{list}?overdue=true")).await;
    assert_eq!(overdue.as_array().unwrap().len(), 1);
    let (_, that_month) = get(
        &finance,
        &app,
        &format!("{list}?month={}", closed_day.format("%Y-%m")),
    )
    .await;
    assert_eq!(that_month.as_array().unwrap().len(), 1);
    let (_, this_month) = get(
        &finance,
        &app,
        &format!("{list}?month={}", today_in_china().format("%Y-%m")),
    )
    .await;
    assert_eq!(this_month, json!([]));

    let id = created[0]["id"].as_str().unwrap();
    let (code, _) = post(
        &finance,
        &app,
        &format!("/api/v1/billing/requests/{id}/pay"),
        json!({"method": "door_collection"}),
    )
    .await;
    assert_eq!(code, 200);
    let (_, overdue) = get(&finance, &app, &format!("{list}?overdue=true")).await;
    assert_eq!(overdue, json!([]));
}

#[sqlx::test(migrations = "./migrations")]
async fn site_policies_are_edited_by_the_centre_manager_and_drive_billing(pool: PgPool) {
    let app = spawn_app(pool).await;
    let mut crew = Crew::new(&app).await;
    let site = app.site_id("cuihu").await;
    let fenglin = app.site_id("fenglin").await;
    let path = format!("/api/v1/sites/{site}/policy");
    let default = serde_json::to_value(RepairPolicy::default()).unwrap();
    for who in ["desk1", "tech1", "finance1"] {
        let c = app.signed_in(who).await;
        assert_eq!(get(&c, &app, &path).await, (200, default.clone()), "{who}");
    }
    let fldesk = app.signed_in("fldesk").await;
    let (code, body) = get(&fldesk, &app, &path).await;
    assert_eq!((code, body["code"].as_str()), (403, Some("site_forbidden")));

    let at_finance = RepairPolicy {
        billing: BillingPolicy::AtFinance,
        ..RepairPolicy::default()
    };
    for who in ["tech1", "finance1", "engmgr"] {
        let c = app.signed_in(who).await;
        let (code, body) = send(&c, &app, reqwest::Method::PUT, &path, json!(at_finance)).await;
        assert_eq!(
            (code, body["code"].as_str()),
            (403, Some("forbidden")),
            "{who}"
        );
    }
    let center = app.signed_in("center").await;
    let mut bad = at_finance;
    bad.second_repair_days = 0;
    let (code, body) = send(&center, &app, reqwest::Method::PUT, &path, json!(bad)).await;
    assert_eq!((code, body["code"].as_str()), (422, Some("invalid_policy")));
    let (code, body) = send(
        &center,
        &app,
        reqwest::Method::PUT,
        &path,
        json!({"sla": 1}),
    )
    .await;
    assert_eq!((code, body["code"].as_str()), (422, Some("invalid_body")));
    assert_eq!(get(&center, &app, &path).await.1, default, "unchanged");
    let (code, body) = send(
        &center,
        &app,
        reqwest::Method::PUT,
        &path,
        json!(at_finance),
    )
    .await;
    assert_eq!((code, body.clone()), (200, json!(at_finance)));
    assert_eq!(
        get(&crew.desk.client, &app, &path).await.1,
        json!(at_finance)
    );

    // Devices get every site's policy with the reference data; a site without a row, the default.
    let admin = app.signed_in("admin").await;
    let (_, reference) = get(&admin, &app, "/api/sync/v1/reference").await;
    let policies = reference["policies"].as_array().unwrap();
    assert_eq!(policies.len(), 2);
    let of =
        |s: Uuid| policies.iter().find(|p| p["site_id"] == json!(s)).unwrap()["policy"].clone();
    assert_eq!(of(site), json!(at_finance));
    assert_eq!(of(fenglin), default);
    // The administrator may set the second site's policy too.
    let (code, _) = send(
        &admin,
        &app,
        reqwest::Method::PUT,
        &format!("/api/v1/sites/{fenglin}/policy"),
        json!(at_finance),
    )
    .await;
    assert_eq!(code, 200);

    // Paying at the finance office: each job its own request, due the day it is issued.
    let unit = unit_n(&app, "cuihu", 30).await;
    let now = Utc::now() - Duration::minutes(30);
    closed_job(&app, &mut crew, unit, "W01", now).await;
    closed_job(&app, &mut crew, unit, "E01", now + Duration::minutes(5)).await;
    let finance = app.signed_in("finance1").await;
    let (code, batch) = post(
        &finance,
        &app,
        &format!("/api/v1/sites/{site}/billing/batches"),
        json!({}),
    )
    .await;
    assert_eq!(code, 200, "{batch}");
    let today = today_in_china();
    assert_eq!(batch["due_on"], json!(today));
    let created = batch["created"].as_array().unwrap();
    assert_eq!(created.len(), 2);
    for r in created {
        assert_eq!(r["lines"].as_array().unwrap().len(), 1);
        assert_eq!(r["due_on"], json!(today));
        assert_eq!(r["issued_on"], json!(today));
    }
}

#[sqlx::test(migrations = "./migrations")]
async fn repair_and_billing_records_are_kept_three_years(pool: PgPool) {
    let app = spawn_app(pool).await;
    let mut crew = Crew::new(&app).await;
    let site = app.site_id("cuihu").await;
    let unit = unit_n(&app, "cuihu", 40).await;
    let billed = closed_job(
        &app,
        &mut crew,
        unit,
        "W01",
        Utc::now() - Duration::hours(1),
    )
    .await;
    let finance = app.signed_in("finance1").await;
    let (code, _) = post(
        &finance,
        &app,
        &format!("/api/v1/sites/{site}/billing/batches"),
        json!({}),
    )
    .await;
    assert_eq!(code, 200);
    let open = Uuid::now_v7();
    crew.desk
        .one(
            &app,
            open,
            None,
            create_cmd(&app, unit, catalogue("E01")).await,
        )
        .await;

    let refused = |sql: &'static str, id: Uuid| {
        let pool = app.pool.clone();
        async move {
            let e = sqlx::query(sql).bind(id).execute(&pool).await.unwrap_err();
            let msg = e.to_string();
            assert!(msg.contains("保存期3年"), "{msg}");
        }
    };
    refused("DELETE FROM work_orders WHERE id = $1", billed).await;
    refused("DELETE FROM work_orders WHERE id = $1", open).await;
    let request: Uuid = sqlx::query_scalar("SELECT request_id FROM payment_request_lines")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    refused(
        "DELETE FROM payment_request_lines WHERE request_id = $1",
        request,
    )
    .await;
    refused("DELETE FROM payment_requests WHERE id = $1", request).await;
    // Even paid, a request is kept three years from its payment.
    sqlx::query(
        "UPDATE payment_requests SET paid_at = now(), paid_method = 'online', paid_by = created_by",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    refused("DELETE FROM payment_requests WHERE id = $1", request).await;
    assert_eq!(app.count("SELECT count(*) FROM work_orders").await, 2);

    // Past retention a record may go (an archive job's business, not the app's).
    let old = closed_job(
        &app,
        &mut crew,
        unit_n(&app, "cuihu", 41).await,
        "C01",
        Utc::now() - Duration::hours(1),
    )
    .await;
    sqlx::query(
        "UPDATE work_orders SET closed_at = now() - interval '3 years 1 day' WHERE id = $1",
    )
    .bind(old)
    .execute(&app.pool)
    .await
    .unwrap();
    sqlx::query("DELETE FROM work_orders WHERE id = $1")
        .bind(old)
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(app.count("SELECT count(*) FROM work_orders").await, 2);
}

#[sqlx::test(migrations = "./migrations")]
async fn office_roles_pull_the_whole_site_and_technicians_their_own_jobs(pool: PgPool) {
    let app = spawn_app(pool).await;
    let mut crew = Crew::new(&app).await;
    let tech2_id = staff_id(&app, "tech2").await;
    let finance = Device::new(&app, "finance1").await;
    let start = finance.pull(&app, None).await["cursor"]
        .as_str()
        .unwrap()
        .to_owned();
    let unit = a_unit(&app, "cuihu").await;
    // A: unassigned; B: assigned to tech1; C: found by tech1 in the field, given to tech2;
    // D: assigned to tech2.
    let (a, b, c, d) = (
        Uuid::now_v7(),
        Uuid::now_v7(),
        Uuid::now_v7(),
        Uuid::now_v7(),
    );
    for id in [a, b, d] {
        crew.desk
            .one(
                &app,
                id,
                None,
                create_cmd(&app, unit, json!({"type": "none"})).await,
            )
            .await;
    }
    let field = json!({
        "type": "create",
        "site_id": app.site_id("cuihu").await,
        "unit_id": null,
        "common_area": true,
        "location": "3栋2单元 5楼楼梯间",
        "channel": "field",
        "kind": "daily",
        "reporter_name": "王建国",
        "reporter_phone": "13812345678",
        "content": "楼梯间灯不亮",
        "timing": {"type": "immediate"},
    });
    let r = crew.tech.one(&app, c, None, field).await;
    assert_eq!(outcome(&r, 0)["version"], 1, "{r}");
    for (id, t) in [(b, crew.tech_id), (c, tech2_id), (d, tech2_id)] {
        let r = crew
            .mgr
            .one(
                &app,
                id,
                Some(1),
                json!({"type": "assign", "technician": t}),
            )
            .await;
        assert_eq!(outcome(&r, 0)["version"], 2);
    }

    let ids = |p: &Value| {
        let mut v: Vec<Uuid> = p["changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| serde_json::from_value(c["record"]["record"]["id"].clone()).unwrap())
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let mut all = vec![a, b, c, d];
    all.sort();
    for who in ["desk1", "engmgr", "csmgr", "center", "finance1", "admin"] {
        let dev = Device::new(&app, who).await;
        assert_eq!(ids(&dev.pull(&app, None).await), all, "{who} snapshot");
    }
    assert_eq!(
        ids(&finance.pull_until(&app, &start, 4).await),
        all,
        "finance feed"
    );
    let mut mine = vec![b, c];
    mine.sort();
    assert_eq!(
        ids(&crew.tech.pull(&app, None).await),
        mine,
        "tech1 snapshot"
    );
    assert_eq!(
        ids(&crew.tech.pull_until(&app, &start, 2).await),
        mine,
        "tech1 feed"
    );
    let mut theirs = vec![c, d];
    theirs.sort();
    let tech2 = Device::new(&app, "tech2").await;
    assert_eq!(ids(&tech2.pull(&app, None).await), theirs, "tech2 snapshot");
    for who in ["patrol1", "fldesk"] {
        let dev = Device::new(&app, who).await;
        assert_eq!(
            ids(&dev.pull(&app, None).await),
            Vec::<Uuid>::new(),
            "{who}"
        );
    }
}

#[sqlx::test(migrations = "./migrations")]
async fn a_fee_decided_by_both_sides_is_billed_and_a_referral_needs_the_supplier_list(
    pool: PgPool,
) {
    let app = spawn_app(pool).await;
    let mut crew = Crew::new(&app).await;
    let site = app.site_id("cuihu").await;
    let unit = unit_n(&app, "cuihu", 50).await;
    let order = Uuid::now_v7();
    crew.desk
        .one(
            &app,
            order,
            None,
            create_cmd(&app, unit, catalogue("W05")).await,
        )
        .await;
    crew.mgr
        .one(
            &app,
            order,
            Some(1),
            json!({"type": "assign", "technician": crew.tech_id}),
        )
        .await;
    let lines = standard_lines(&app, "W05").await;
    let mut batch = tech_batch(&app, &mut crew, order, &lines, "satisfied", Utc::now()).await;
    // The fee could not be settled at the door: the resident accepts the work, unsigned.
    batch.pop();
    batch.push(crew.tech.mutation(
        order,
        Some(6),
        json!({"type": "fee_pending", "note": "业户对角阀价格有异议", "acceptance": {"opinion": "先修好再说"}}),
    ));
    let r = crew.tech.push(&app, &batch).await;
    assert_eq!(
        outcome(&r, 4),
        &json!({"status": "applied", "version": 7}),
        "{r}"
    );

    // Engineering and customer service agree on the catalogue items only.
    let decided = lines[..2].to_vec();
    let decide = json!({"type": "decide_fee", "lines": decided});
    let mut cs = Device::new(&app, "csmgr").await;
    let mut wrong = decided.clone();
    wrong[0] = QuoteLine::Item {
        code: "W05".into(),
        quantity: 1,
        unit_price: Fen(1),
        disclaimer_acknowledged: false,
    };
    let r = crew
        .mgr
        .one(
            &app,
            order,
            Some(7),
            json!({"type": "decide_fee", "lines": wrong}),
        )
        .await;
    assert_eq!(outcome(&r, 0)["code"], "price_mismatch");
    let r = crew.mgr.one(&app, order, Some(7), decide.clone()).await;
    assert_eq!(outcome(&r, 0)["version"], 8, "{r}");
    let r = cs.one(&app, order, Some(8), decide).await;
    assert_eq!(outcome(&r, 0)["version"], 9, "{r}");
    let (_, doc) = stored(&app, order).await;
    assert_eq!(doc["status"], "closed");
    let finance = app.signed_in("finance1").await;
    let (code, batch) = post(
        &finance,
        &app,
        &format!("/api/v1/sites/{site}/billing/batches"),
        json!({}),
    )
    .await;
    assert_eq!(code, 200, "{batch}");
    assert_eq!(batch["created"][0]["total"], total(&decided));

    // On site, the technician finds the job is a supplier's: referred, with a listed item only.
    let other = Uuid::now_v7();
    crew.desk
        .one(
            &app,
            other,
            None,
            create_cmd(&app, unit, json!({"type": "none"})).await,
        )
        .await;
    crew.mgr
        .one(
            &app,
            other,
            Some(1),
            json!({"type": "assign", "technician": crew.tech_id}),
        )
        .await;
    crew.tech
        .one(&app, other, Some(2), json!({"type": "arrive"}))
        .await;
    let r = crew
        .tech
        .one(
            &app,
            other,
            Some(3),
            json!({"type": "refer", "supplier_code": "S99"}),
        )
        .await;
    assert_eq!(outcome(&r, 0)["code"], "unknown_supplier_item");
    let r = crew
        .tech
        .one(
            &app,
            other,
            Some(3),
            json!({"type": "refer", "supplier_code": "S05"}),
        )
        .await;
    assert_eq!(outcome(&r, 0)["version"], 4, "{r}");
    let (_, doc) = stored(&app, other).await;
    assert_eq!(doc["status"], "referred");
    assert_eq!(doc["matched"], json!({"type": "supplier", "code": "S05"}));
}
