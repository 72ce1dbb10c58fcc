//! Facility bookings (slots assigned by the office, double booking refused), damage,
//! parking rentals and lending through the real router, with role and site checks.

#![allow(clippy::unwrap_used)]

use crate::helpers::{spawn_app, TestApp};
use chrono::{Duration, Utc};
use domain::work_orders::sla::china;
use serde_json::{json, Value};
use sqlx::PgPool;

fn today() -> chrono::NaiveDate {
    Utc::now().with_timezone(&china()).date_naive()
}

async fn post(c: &reqwest::Client, app: &TestApp, path: &str, body: Value) -> (u16, Value) {
    let r = c.post(app.url(path)).json(&body).send().await.unwrap();
    let s = r.status().as_u16();
    (s, r.json().await.unwrap_or(Value::Null))
}

async fn get(c: &reqwest::Client, app: &TestApp, path: &str) -> (u16, Value) {
    let r = c.get(app.url(path)).send().await.unwrap();
    let s = r.status().as_u16();
    (s, r.json().await.unwrap_or(Value::Null))
}

fn court() -> Value {
    json!({"name": "羽毛球场", "opens": "08:00:00", "closes": "21:00:00", "slot_minutes": 60})
}

#[sqlx::test(migrations = "./migrations")]
async fn the_office_assigns_slots_and_refuses_a_double_booking(pool: PgPool) {
    let app = spawn_app(pool).await;
    let site = app.site_id("cuihu").await;
    let desk = app.signed_in("desk1").await;
    let csmgr = app.signed_in("csmgr").await;
    let facilities = format!("/api/v1/sites/{site}/facilities");

    // Settings are the managers'.
    let (s, v) = post(&desk, &app, &facilities, court()).await;
    assert_eq!((s, v["code"].as_str()), (403, Some("forbidden")));
    let mut bad = court();
    bad["closes"] = json!("07:00:00");
    let (s, v) = post(&csmgr, &app, &facilities, bad).await;
    assert_eq!((s, v["code"].as_str()), (422, Some("invalid_input")));
    let (s, v) = post(&csmgr, &app, &facilities, court()).await;
    assert_eq!(s, 201, "{v}");
    let fid = v["id"].as_str().unwrap().to_owned();
    let (s, v) = post(&csmgr, &app, &facilities, court()).await;
    assert_eq!((s, v["code"].as_str()), (409, Some("name_taken")));

    let request = |name: &str| {
        json!({"unit": "4-1-801", "resident_name": name,
        "phone": "13800138000", "wanted": "明天上午"})
    };
    let (s, a) = post(
        &desk,
        &app,
        &format!("/api/v1/facilities/{fid}/bookings"),
        request("林先生"),
    )
    .await;
    assert_eq!(s, 201, "{a}");
    assert_eq!(a["record"]["phone_masked"], "138****8000");
    let (_, b) = post(
        &desk,
        &app,
        &format!("/api/v1/facilities/{fid}/bookings"),
        request("王女士"),
    )
    .await;
    let a = a["record"]["id"].as_str().unwrap().to_owned();
    let b = b["record"]["id"].as_str().unwrap().to_owned();
    let day = today() + Duration::days(1);

    let assign = |start: &str| json!({"date": day, "start": start});
    let (s, v) = post(
        &desk,
        &app,
        &format!("/api/v1/bookings/{a}/assign"),
        assign("09:00:00"),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["record"]["status"], "assigned");
    let (s, v) = post(
        &desk,
        &app,
        &format!("/api/v1/bookings/{b}/assign"),
        assign("09:00:00"),
    )
    .await;
    assert_eq!((s, v["code"].as_str()), (409, Some("slot_taken")));
    let (s, v) = post(
        &desk,
        &app,
        &format!("/api/v1/bookings/{b}/assign"),
        assign("07:00:00"),
    )
    .await;
    assert_eq!(
        (s, v["code"].as_str()),
        (409, Some("outside_opening_hours"))
    );
    let (s, v) = post(
        &desk,
        &app,
        &format!("/api/v1/bookings/{b}/assign"),
        assign("09:30:00"),
    )
    .await;
    assert_eq!((s, v["code"].as_str()), (409, Some("slot_misaligned")));
    let (s, v) = post(
        &desk,
        &app,
        &format!("/api/v1/bookings/{b}/assign"),
        json!({"date": "2020-01-01", "start": "09:00:00"}),
    )
    .await;
    assert_eq!((s, v["code"].as_str()), (409, Some("slot_in_past")));
    let (s, v) = post(
        &desk,
        &app,
        &format!("/api/v1/bookings/{b}/assign"),
        json!({"date": "soon"}),
    )
    .await;
    assert_eq!((s, v["code"].as_str()), (422, Some("invalid_body")));
    let still: String =
        sqlx::query_scalar("SELECT status FROM facility_bookings WHERE id = $1::uuid")
            .bind(&b)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(still, "requested");
    assert_eq!(
        post(
            &desk,
            &app,
            &format!("/api/v1/bookings/{b}/assign"),
            assign("10:00:00")
        )
        .await
        .0,
        200
    );

    // Damage against the booking, with compensation in fen.
    let (s, v) = post(
        &desk,
        &app,
        &format!("/api/v1/bookings/{a}/damage"),
        json!({"description": "球网撕破", "compensation_fen": 5000}),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["record"]["damage"]["compensation"], 5000);
    let (s, v) = post(
        &desk,
        &app,
        &format!("/api/v1/bookings/{a}/damage"),
        json!({"description": "", "compensation_fen": 5000}),
    )
    .await;
    assert_eq!((s, v["code"].as_str()), (422, Some("invalid_input")));

    let (s, v) = get(&desk, &app, &format!("/api/v1/sites/{site}/bookings")).await;
    assert_eq!(s, 200);
    assert!(v.as_array().unwrap().len() >= 2);

    // Other sites and roles.
    let fldesk = app.signed_in("fldesk").await;
    let (s, v) = post(
        &fldesk,
        &app,
        &format!("/api/v1/bookings/{b}/cancel"),
        json!({}),
    )
    .await;
    assert_eq!((s, v["code"].as_str()), (403, Some("site_forbidden")));
    let (s, v) = get(&fldesk, &app, &facilities).await;
    assert_eq!((s, v["code"].as_str()), (403, Some("site_forbidden")));
    let (s, v) = get(&app.signed_in("tech1").await, &app, &facilities).await;
    assert_eq!((s, v["code"].as_str()), (403, Some("forbidden")));
    let (s, v) = post(&desk, &app, "/api/v1/bookings/x/cancel", json!({})).await;
    assert_eq!((s, v["code"].as_str()), (400, Some("bad_id")));
    assert_eq!(
        post(
            &desk,
            &app,
            &format!("/api/v1/bookings/{b}/cancel"),
            json!({})
        )
        .await
        .0,
        200
    );
}

#[sqlx::test(migrations = "./migrations")]
async fn a_parking_space_needs_the_agreement_and_payment_before_the_card(pool: PgPool) {
    let app = spawn_app(pool).await;
    let site = app.site_id("cuihu").await;
    let desk = app.signed_in("desk1").await;
    let url = format!("/api/v1/sites/{site}/parking");
    let body = |space: &str, signed: bool| {
        json!({"unit": "4-1-802", "space_no": space,
        "holder_name": "林先生", "plate": "浙A·12345", "rent_fen": 30000,
        "card_deposit_fen": 10000, "months": 12, "agreement_signed": signed})
    };
    let (s, v) = post(&desk, &app, &url, body("B1-101", false)).await;
    assert_eq!((s, v["code"].as_str()), (409, Some("agreement_not_signed")));
    let (s, v) = post(&desk, &app, &url, body("B1-101", true)).await;
    assert_eq!(s, 201, "{v}");
    assert_eq!(v["record"]["plate"], "浙A12345");
    let id = v["record"]["id"].as_str().unwrap().to_owned();
    let (s, v) = post(&desk, &app, &url, body("B1-101", true)).await;
    assert_eq!((s, v["code"].as_str()), (409, Some("space_taken")));
    let (s, v) = post(
        &desk,
        &app,
        &format!("/api/v1/parking/{id}/card"),
        json!({"card_no": "CK-01"}),
    )
    .await;
    assert_eq!((s, v["code"].as_str()), (409, Some("card_before_payment")));
    assert_eq!(
        post(
            &desk,
            &app,
            &format!("/api/v1/parking/{id}/pay"),
            json!({"receipt_no": "SK-77"})
        )
        .await
        .0,
        200
    );
    let (s, v) = post(
        &desk,
        &app,
        &format!("/api/v1/parking/{id}/card"),
        json!({"card_no": "CK-01"}),
    )
    .await;
    assert_eq!(
        (s, v["record"]["status"].as_str()),
        (200, Some("card_issued"))
    );
    assert_eq!(app.count("SELECT count(*) FROM parking_rentals").await, 1);
    let (s, v) = get(&app.signed_in("fldesk").await, &app, &url).await;
    assert_eq!((s, v["code"].as_str()), (403, Some("site_forbidden")));
}

#[sqlx::test(migrations = "./migrations")]
async fn lending_registers_the_borrower_and_lists_late_returns(pool: PgPool) {
    let app = spawn_app(pool).await;
    let site = app.site_id("cuihu").await;
    let desk = app.signed_in("desk1").await;
    let url = format!("/api/v1/sites/{site}/loans");
    let body = |item: &str, id_shown: &str| {
        json!({"item": "wheelchair", "item_name": item,
        "unit": "4-1-803", "borrower_name": "王阿姨", "phone": "13900001111",
        "id_shown": id_shown, "due_on": today() + Duration::days(2)})
    };
    let before = app.count("SELECT count(*) FROM loans").await;
    let (s, v) = post(&desk, &app, &url, body("测试轮椅", "")).await;
    assert_eq!((s, v["code"].as_str()), (409, Some("id_not_shown")));
    let (s, v) = post(&desk, &app, &url, body("测试轮椅", "身份证")).await;
    assert_eq!(s, 201, "{v}");
    assert_eq!(v["record"]["phone_masked"], "139****1111");
    let id = v["record"]["id"].as_str().unwrap().to_owned();
    let (s, v) = post(&desk, &app, &url, body("测试轮椅", "身份证")).await;
    assert_eq!((s, v["code"].as_str()), (409, Some("item_out")));
    assert_eq!(app.count("SELECT count(*) FROM loans").await, before + 1);

    // Time passes: it is late.
    let past = today() - Duration::days(1);
    sqlx::query("UPDATE loans SET due_on = $2, record = jsonb_set(record, '{due_on}', to_jsonb($2::text)) WHERE id = $1::uuid")
        .bind(&id)
        .bind(past)
        .execute(&app.pool)
        .await
        .unwrap();
    let (s, v) = get(&desk, &app, &format!("{url}?overdue=true")).await;
    assert_eq!(s, 200);
    let late = v.as_array().unwrap();
    assert!(late
        .iter()
        .any(|l| l["record"]["id"] == id.as_str() && l["overdue"] == true));
    assert_eq!(
        post(
            &desk,
            &app,
            &format!("/api/v1/loans/{id}/return"),
            json!({})
        )
        .await
        .0,
        200
    );
    let (s, v) = post(
        &desk,
        &app,
        &format!("/api/v1/loans/{id}/return"),
        json!({}),
    )
    .await;
    assert_eq!((s, v["code"].as_str()), (409, Some("already_returned")));
    let (_, v) = get(&desk, &app, &format!("{url}?overdue=true")).await;
    assert!(!v
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l["record"]["id"] == id.as_str()));
    let (s, v) = post(
        &app.signed_in("fldesk").await,
        &app,
        &format!("/api/v1/loans/{id}/return"),
        json!({}),
    )
    .await;
    assert_eq!((s, v["code"].as_str()), (403, Some("site_forbidden")));
}
