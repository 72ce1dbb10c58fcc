//! Front desk: lock-openings (撬锁) and renovations (装修) through the real router — refusals
//! with their codes, role and site checks, the engineering order a dispatch makes, masked
//! worker numbers.

#![allow(clippy::unwrap_used)]

use crate::helpers::{spawn_app, TestApp};
use chrono::{Duration, Utc};
use reqwest::Client;
use serde_json::{json, Value};
use server::demo::desk::id_card;
use sqlx::PgPool;
use uuid::Uuid;

/// The unit `6栋<entrance>单元<room>` of 翠湖花园.
pub async fn unit(app: &TestApp, entrance: &str, room: &str) -> Uuid {
    sqlx::query_scalar(
        "SELECT u.id FROM units u JOIN buildings b ON b.id = u.building_id JOIN sites s ON s.id = u.site_id
         WHERE s.code = 'cuihu' AND b.number = '6' AND u.entrance = $1 AND u.room = $2",
    )
    .bind(entrance)
    .bind(room)
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

pub async fn resident(app: &TestApp, name: &str) -> Uuid {
    sqlx::query_scalar("SELECT id FROM residents WHERE name = $1 AND id_card IS NOT NULL")
        .bind(name)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

/// Office hours that contain now (`open`) or never do.
async fn set_hours(app: &TestApp, open: bool) {
    let center = app.signed_in("center").await;
    let site = app.site_id("cuihu").await;
    let body = if open {
        json!({"start": "00:00:00", "end": "23:59:59", "weekends": true})
    } else {
        json!({"start": "03:00:00", "end": "03:00:01", "weekends": false})
    };
    let r = center
        .put(app.url(&format!("/api/v1/sites/{site}/desk/settings")))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["in_office_hours"], open);
}

fn blob(c: char) -> Value {
    json!({"sha256": c.to_string().repeat(64), "size": 2048, "content_type": "image/png"})
}

async fn post(c: &Client, app: &TestApp, path: &str, body: Value) -> (u16, Value) {
    let r = c.post(app.url(path)).json(&body).send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn get(c: &Client, app: &TestApp, path: &str) -> (u16, Value) {
    let r = c.get(app.url(path)).send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn tenant_request(app: &TestApp, c: &Client, docs: Value, number: &str) -> (u16, Value) {
    let site = app.site_id("cuihu").await;
    let body = json!({
        "id": Uuid::now_v7(),
        "unit_id": unit(app, "2", "802").await,
        "resident_id": resident(app, "吴晓梅").await,
        "documents": docs,
        "id_number": number,
        "reason": "钥匙遗失",
    });
    post(c, app, &format!("/api/v1/sites/{site}/lock-openings"), body).await
}

fn tenant_id() -> String {
    id_card("33010319920808002")
}

#[sqlx::test]
async fn tenant_lock_opening_needs_the_owners_consent_and_makes_a_paid_service_order(pool: PgPool) {
    let app = spawn_app(pool).await;
    set_hours(&app, true).await;
    let desk = app.signed_in("desk1").await;
    // Tenant: 身份证 alone is not enough.
    let (s, v) = tenant_request(&app, &desk, json!(["id_card"]), &tenant_id()).await;
    assert_eq!((s, v["code"].as_str()), (422, Some("wrong_document_type")));
    // The number must match the archive.
    let (s, v) = tenant_request(
        &app,
        &desk,
        json!(["id_card", "lease_contract"]),
        &id_card("33010619780315001"),
    )
    .await;
    assert_eq!((s, v["code"].as_str()), (422, Some("id_mismatch")));
    assert_eq!(app.count("SELECT count(*) FROM lock_openings").await, 0);

    let (s, v) = tenant_request(
        &app,
        &desk,
        json!(["id_card", "lease_contract"]),
        &tenant_id(),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    assert_eq!(v["record"]["status"], "identity_verified");
    assert_eq!(v["record"]["department"], "property");
    // Masked on the wire.
    assert!(!v.to_string().contains(&tenant_id()));
    let id = v["record"]["id"].as_str().unwrap().to_owned();
    let steps = format!("/api/v1/lock-openings/{id}/steps");
    let order_id = Uuid::now_v7();
    let dispatch = json!({"type": "dispatch", "work_order_id": order_id});

    let (s, v) = post(&desk, &app, &steps, dispatch.clone()).await;
    assert_eq!((s, v["code"].as_str()), (422, Some("entrustment_unsigned")));
    let (s, v) = post(
        &desk,
        &app,
        &steps,
        json!({"type": "sign_entrustment", "signature": blob('a'), "document_photo": blob('b')}),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    let (s, v) = post(&desk, &app, &steps, dispatch.clone()).await;
    assert_eq!(
        (s, v["code"].as_str()),
        (422, Some("tenant_without_owner_consent"))
    );
    assert_eq!(app.count("SELECT count(*) FROM work_orders").await, 0);

    // The tenant cannot consent for the owner; the owner on file can, by phone.
    let (s, v) = post(
        &desk,
        &app,
        &steps,
        json!({"type": "record_owner_consent", "owner_id": resident(&app, "吴晓梅").await,
               "method": "phone", "consented_at": Utc::now() - Duration::minutes(2)}),
    )
    .await;
    assert_eq!((s, v["code"].as_str()), (422, Some("consent_not_by_owner")));
    let (s, v) = post(
        &desk,
        &app,
        &steps,
        json!({"type": "record_owner_consent", "owner_id": resident(&app, "钱国平").await,
               "method": "phone", "consented_at": Utc::now() - Duration::minutes(2)}),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["record"]["owner_consent"]["owner_name"], "钱国平");

    let (s, v) = post(&desk, &app, &steps, dispatch.clone()).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["record"]["status"], "dispatched");
    assert_eq!(v["record"]["form"], "paid_service");
    let number = v["order"]["number"].as_str().unwrap();
    assert!(number.starts_with("BX-"), "{number}");
    assert_eq!(v["order"]["status"], "reported");
    // A real order, on the engineering manager's side.
    let eng = app.signed_in("engmgr").await;
    let (s, o) = get(&eng, &app, &format!("/api/v1/work-orders/{order_id}")).await;
    assert_eq!(s, 200, "{o}");
    let text = o.to_string();
    assert!(text.contains("有偿服务单"), "{text}");
    assert!(text.contains("撬锁"), "{text}");
    // Twice is refused and makes nothing more.
    let (s, v) = post(&desk, &app, &steps, dispatch).await;
    assert_eq!((s, v["code"].as_str()), (409, Some("wrong_status")));
    assert_eq!(app.count("SELECT count(*) FROM work_orders").await, 1);
    // The list shows it with the order number.
    let site = app.site_id("cuihu").await;
    let (_, list) = get(&desk, &app, &format!("/api/v1/sites/{site}/lock-openings")).await;
    assert_eq!(list[0]["order_number"], number);
}

#[sqlx::test]
async fn after_hours_belong_to_security_with_a_repair_ticket(pool: PgPool) {
    let app = spawn_app(pool).await;
    set_hours(&app, false).await;
    let site = app.site_id("cuihu").await;
    let body = || {
        json!({
            "id": Uuid::now_v7(),
            "unit_id": Value::Null,
            "resident_id": Value::Null,
            "documents": ["driving_licence"],
            "id_number": id_card("33010619780315001"),
        })
    };
    let mut b = body();
    b["unit_id"] = json!(owner_unit(&app).await);
    b["resident_id"] = json!(resident(&app, "周建华").await);
    let desk = app.signed_in("desk1").await;
    let path = format!("/api/v1/sites/{site}/lock-openings");
    let (s, v) = post(&desk, &app, &path, b.clone()).await;
    assert_eq!((s, v["code"].as_str()), (403, Some("wrong_role_for_hours")));
    let security = app.signed_in("security1").await;
    let (s, v) = post(&security, &app, &path, b).await;
    assert_eq!(s, 201, "{v}");
    assert_eq!(v["record"]["department"], "security");
    let id = v["record"]["id"].as_str().unwrap().to_owned();
    let steps = format!("/api/v1/lock-openings/{id}/steps");
    let (s, _) = post(
        &security,
        &app,
        &steps,
        json!({"type": "sign_entrustment", "signature": blob('c'), "document_photo": blob('d')}),
    )
    .await;
    assert_eq!(s, 200);
    let order_id = Uuid::now_v7();
    let (s, v) = post(
        &security,
        &app,
        &steps,
        json!({"type": "dispatch", "work_order_id": order_id}),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["record"]["form"], "repair_ticket");
    let (s, o) = get(&security, &app, &format!("/api/v1/work-orders/{order_id}")).await;
    assert_eq!(s, 200, "{o}");
    assert!(o.to_string().contains("报修或投诉处理单"));
}

async fn owner_unit(app: &TestApp) -> Uuid {
    unit(app, "1", "801").await
}

#[sqlx::test]
async fn lock_openings_check_role_and_site(pool: PgPool) {
    let app = spawn_app(pool).await;
    set_hours(&app, true).await;
    let ch = app.site_id("cuihu").await;
    let fl = app.site_id("fenglin").await;
    // The second site's office is open too, whatever the time the test runs at.
    sqlx::query(
        "INSERT INTO desk_settings (site_id, office_hours)
         VALUES ($1, '{\"start\": \"00:00:00\", \"end\": \"23:59:59\", \"weekends\": true}')
         ON CONFLICT (site_id) DO UPDATE SET office_hours = EXCLUDED.office_hours",
    )
    .bind(fl)
    .execute(&app.pool)
    .await
    .unwrap();
    let body = json!({
        "id": Uuid::now_v7(),
        "unit_id": owner_unit(&app).await,
        "resident_id": resident(&app, "周建华").await,
        "documents": ["id_card"],
        "id_number": id_card("33010619780315001"),
    });
    // Another site's desk: not its site, and the unit is not of its own site either.
    let fldesk = app.signed_in("fldesk").await;
    let (s, v) = post(
        &fldesk,
        &app,
        &format!("/api/v1/sites/{ch}/lock-openings"),
        body.clone(),
    )
    .await;
    assert_eq!((s, v["code"].as_str()), (403, Some("site_forbidden")));
    let (s, v) = post(
        &fldesk,
        &app,
        &format!("/api/v1/sites/{fl}/lock-openings"),
        body.clone(),
    )
    .await;
    assert_eq!((s, v["code"].as_str()), (404, Some("unit_not_found")));
    // A technician has no part in it.
    let tech = app.signed_in("tech1").await;
    let (s, _) = post(
        &tech,
        &app,
        &format!("/api/v1/sites/{ch}/lock-openings"),
        body.clone(),
    )
    .await;
    assert_eq!(s, 403);
    assert_eq!(app.count("SELECT count(*) FROM lock_openings").await, 0);
    // Residents of another site's unit are not listed to fldesk.
    let (s, _) = get(
        &fldesk,
        &app,
        &format!("/api/v1/units/{}/residents", owner_unit(&app).await),
    )
    .await;
    assert_eq!(s, 403);
    // The desk sees them masked.
    let desk = app.signed_in("desk1").await;
    let (s, v) = get(
        &desk,
        &app,
        &format!("/api/v1/units/{}/residents", owner_unit(&app).await),
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(v["residents"][0]["name"], "周建华");
    assert!(!v.to_string().contains(&id_card("33010619780315001")));
    // Only managers change the office hours.
    let (s, _) = desk
        .put(app.url(&format!("/api/v1/sites/{ch}/desk/settings")))
        .json(&json!({"start": "08:00:00", "end": "18:00:00"}))
        .send()
        .await
        .map(|r| (r.status().as_u16(), ()))
        .unwrap();
    assert_eq!(s, 403);
    // Another site's desk reads no detail.
    let (s, v) = post(
        &desk,
        &app,
        &format!("/api/v1/sites/{ch}/lock-openings"),
        body,
    )
    .await;
    assert_eq!(s, 201, "{v}");
    let id = v["record"]["id"].as_str().unwrap();
    let (s, _) = get(&fldesk, &app, &format!("/api/v1/lock-openings/{id}")).await;
    assert_eq!(s, 403);
}

fn application(unit: Uuid, end_in_days: i64) -> Value {
    let today = Utc::now().date_naive();
    json!({
        "id": Uuid::now_v7(),
        "unit_id": unit,
        "applicant": "冯志远",
        "applicant_phone": "13905716803",
        "company": "杭州安居装饰有限公司",
        "scope": "厨房、卫生间翻新",
        "planned_start": today,
        "declared_end": today + Duration::days(end_in_days),
        "documents": [
            {"document": "owner_id"}, {"document": "ownership_proof"},
            {"document": "company_licence", "photo": blob('e')}, {"document": "plan"}
        ],
    })
}

#[sqlx::test]
async fn renovation_from_application_to_deposit_refund(pool: PgPool) {
    let app = spawn_app(pool).await;
    let site = app.site_id("cuihu").await;
    let u = unit(&app, "1", "803").await;
    let desk = app.signed_in("desk1").await;
    let eng = app.signed_in("engmgr").await;
    let finance = app.signed_in("finance1").await;
    let security = app.signed_in("security1").await;
    let list = format!("/api/v1/sites/{site}/renovations");

    let mut missing = application(u, 60);
    missing["documents"].as_array_mut().unwrap().pop();
    let (s, v) = post(&desk, &app, &list, missing).await;
    assert_eq!((s, v["code"].as_str()), (422, Some("documents_missing")));

    let (s, v) = post(&desk, &app, &list, application(u, 60)).await;
    assert_eq!(s, 201, "{v}");
    assert_eq!(v["record"]["status"], "applied");
    assert!(v["record"]["review_due"].is_string());
    assert_eq!(v["review_overdue"], false);
    assert!(!v.to_string().contains("13905716803"));
    let id = v["record"]["id"].as_str().unwrap().to_owned();
    let steps = format!("/api/v1/renovations/{id}/steps");

    let (s, v) = post(
        &desk,
        &app,
        &steps,
        json!({"type": "issue_permit", "permit_number": ""}),
    )
    .await;
    assert_eq!((s, v["code"].as_str()), (422, Some("deposit_unpaid")));
    let (s, v) = post(
        &desk,
        &app,
        &steps,
        json!({"type": "review", "approved": true}),
    )
    .await;
    assert_eq!((s, v["code"].as_str()), (403, Some("forbidden")));
    let (s, _) = post(
        &eng,
        &app,
        &steps,
        json!({"type": "review", "approved": true, "note": "图纸无不妥"}),
    )
    .await;
    assert_eq!(s, 200);
    let (s, _) = post(
        &desk,
        &app,
        &steps,
        json!({"type": "set_fees", "deposit": 200000, "fees": 35000}),
    )
    .await;
    assert_eq!(s, 200);
    let (s, v) = post(
        &desk,
        &app,
        &steps,
        json!({"type": "issue_permit", "permit_number": ""}),
    )
    .await;
    assert_eq!((s, v["code"].as_str()), (422, Some("deposit_unpaid")));
    let (s, _) = post(&desk, &app, &steps, json!({"type": "mark_paid"})).await;
    assert_eq!(s, 403);
    let (s, _) = post(&finance, &app, &steps, json!({"type": "mark_paid"})).await;
    assert_eq!(s, 200);
    let (s, v) = post(
        &desk,
        &app,
        &steps,
        json!({"type": "issue_permit", "permit_number": ""}),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert!(v["record"]["permit_number"]
        .as_str()
        .unwrap()
        .starts_with("ZX-"));

    let worker = Uuid::now_v7();
    let (s, v) = post(
        &desk,
        &app,
        &steps,
        json!({"type": "add_worker", "worker_id": worker, "name": "张师傅",
               "id_card": id_card("33010619800101123"), "phone": "13900139000"}),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert!(!v.to_string().contains(&id_card("33010619800101123")));
    assert!(!v.to_string().contains("13900139000"));
    assert_eq!(v["workers"][0]["phone_masked"], "139****9000");
    let (s, v) = post(
        &security,
        &app,
        &steps,
        json!({"type": "patrol", "record_id": Uuid::now_v7(), "findings": "未经批准拆改墙体，已制止并责令恢复", "violation": true}),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    let (s, v) = post(
        &security,
        &app,
        &steps,
        json!({"type": "revoke_worker", "worker_id": worker, "reason": "证件与施工人员不符，收缴"}),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert!(v["workers"][0]["revoked_reason"].is_string());

    let (s, v) = post(&desk, &app, &steps, json!({"type": "request_completion"})).await;
    assert_eq!(s, 200, "{v}");
    let (s, v) = post(&finance, &app, &steps, json!({"type": "refund_deposit"})).await;
    assert_eq!((s, v["code"].as_str()), (422, Some("inspection_unsigned")));
    let (s, v) = post(
        &eng,
        &app,
        &steps,
        json!({"type": "inspect", "engineer_signature": blob('1'), "owner_name": "冯志远",
               "owner_signature": blob('2'), "note": "验收合格"}),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    let (s, v) = post(&finance, &app, &steps, json!({"type": "refund_deposit"})).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["record"]["status"], "refunded");
    // Another site's staff reads nothing of it.
    let fldesk = app.signed_in("fldesk").await;
    let (s, _) = get(&fldesk, &app, &format!("/api/v1/renovations/{id}")).await;
    assert_eq!(s, 403);
    let (s, _) = get(&fldesk, &app, &list).await;
    assert_eq!(s, 403);
}

#[sqlx::test]
async fn renovation_extension_too_late_and_other_sites_unit(pool: PgPool) {
    let app = spawn_app(pool).await;
    let site = app.site_id("cuihu").await;
    let fl = app.site_id("fenglin").await;
    let u = unit(&app, "1", "803").await;
    let desk = app.signed_in("desk1").await;
    let fldesk = app.signed_in("fldesk").await;
    // A unit of 翠湖花园 applied for at 枫林苑: refused, nothing stored.
    let (s, v) = post(
        &fldesk,
        &app,
        &format!("/api/v1/sites/{fl}/renovations"),
        application(u, 30),
    )
    .await;
    assert_eq!((s, v["code"].as_str()), (404, Some("unit_not_found")));
    // Declared to end in three days: an extension now is too late.
    let (s, v) = post(
        &desk,
        &app,
        &format!("/api/v1/sites/{site}/renovations"),
        application(u, 3),
    )
    .await;
    assert_eq!(s, 201);
    let id = v["record"]["id"].as_str().unwrap().to_owned();
    let steps = format!("/api/v1/renovations/{id}/steps");
    let eng = app.signed_in("engmgr").await;
    let finance = app.signed_in("finance1").await;
    post(
        &eng,
        &app,
        &steps,
        json!({"type": "review", "approved": true}),
    )
    .await;
    post(
        &desk,
        &app,
        &steps,
        json!({"type": "set_fees", "deposit": 100000, "fees": 0}),
    )
    .await;
    post(&finance, &app, &steps, json!({"type": "mark_paid"})).await;
    let (s, _) = post(
        &desk,
        &app,
        &steps,
        json!({"type": "issue_permit", "permit_number": ""}),
    )
    .await;
    assert_eq!(s, 200);
    let new_end = Utc::now().date_naive() + Duration::days(30);
    let (s, v) = post(
        &desk,
        &app,
        &steps,
        json!({"type": "extend", "new_end": new_end, "reason": "材料延误"}),
    )
    .await;
    assert_eq!((s, v["code"].as_str()), (422, Some("extension_too_late")));
    assert_eq!(
        app.count("SELECT count(*) FROM renovations WHERE doc->'extensions' <> '[]'::jsonb")
            .await,
        0
    );
}

async fn put(c: &Client, app: &TestApp, path: &str, body: Value) -> (u16, Value) {
    let r = c.put(app.url(path)).json(&body).send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// The site's work calendar: only the centre manager (or admin) sets it, a slip is refused and
/// changes nothing, the rest of the care policy stays, and the renovation review deadline
/// (3 working days) follows the holidays.
#[sqlx::test]
async fn the_site_calendar_moves_the_renovation_review_deadline(pool: PgPool) {
    use domain::calendar::{local_date, WorkCalendar};
    let app = spawn_app(pool).await;
    let site = app.site_id("cuihu").await;
    let path = format!("/api/v1/sites/{site}/calendar");
    let desk = app.signed_in("desk1").await;
    let center = app.signed_in("center").await;
    let today = local_date(Utc::now());
    // The next five weekdays after today are holidays (a 国庆-like week).
    let holidays: Vec<chrono::NaiveDate> = (1..=14)
        .map(|i| today + Duration::days(i))
        .filter(|d| WorkCalendar::default().is_working_day(*d))
        .take(5)
        .collect();
    let saturday = (1..=7)
        .map(|i| today + Duration::days(i))
        .find(|d| d.format("%u").to_string() == "6")
        .unwrap();

    let (s, v) = put(
        &desk,
        &app,
        &path,
        json!({"holidays": holidays, "extra_workdays": []}),
    )
    .await;
    assert_eq!((s, v["code"].as_str()), (403, Some("forbidden")), "{v}");
    let (s, v) = put(
        &center,
        &app,
        &path,
        json!({"holidays": [saturday], "extra_workdays": [saturday]}),
    )
    .await;
    assert_eq!(
        (s, v["code"].as_str()),
        (422, Some("holiday_and_workday")),
        "{v}"
    );
    let (s, v) = put(
        &center,
        &app,
        &path,
        json!({"holidays": [], "extra_workdays": [holidays[0]]}),
    )
    .await;
    assert_eq!(
        (s, v["code"].as_str()),
        (422, Some("workday_not_weekend")),
        "{v}"
    );
    let (s, v) = put(&center, &app, &path, json!({"holidays": "soon"})).await;
    assert_eq!(s, 422, "{v}");
    let (_, v) = get(&desk, &app, &path).await;
    assert_eq!(
        v,
        json!({"holidays": [], "extra_workdays": []}),
        "nothing changed"
    );

    // A care policy setting made before stays when the calendar is saved.
    let care = format!("/api/v1/sites/{site}/care/policy");
    let (_, mut p) = get(&center, &app, &care).await;
    p["repair_visit_rate_percent"] = json!(45);
    assert_eq!(put(&center, &app, &care, p).await.0, 200);
    let mut unsorted = holidays.clone();
    unsorted.reverse();
    unsorted.push(holidays[0]);
    let (s, v) = put(
        &center,
        &app,
        &path,
        json!({"holidays": unsorted, "extra_workdays": []}),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["holidays"], json!(holidays), "sorted, the repeat dropped");
    let (_, v) = get(&desk, &app, &path).await;
    assert_eq!(v["holidays"], json!(holidays));
    let (_, p) = get(&center, &app, &care).await;
    assert_eq!(p["repair_visit_rate_percent"], 45);

    // A renovation applied for today: the review is due 3 working days on, after the holidays.
    let calendar = WorkCalendar {
        holidays: holidays.clone(),
        extra_workdays: vec![],
    };
    let u = unit(&app, "1", "803").await;
    let (s, v) = post(
        &desk,
        &app,
        &format!("/api/v1/sites/{site}/renovations"),
        application(u, 60),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    let due = calendar.add_working_days(today, 3);
    assert_eq!(v["record"]["review_due"], json!(due));
    assert!(due > WorkCalendar::default().add_working_days(today, 3));
}
