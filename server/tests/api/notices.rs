//! Notices through the real router: the board by today's date in China (an expired notice
//! archived, a current one shown), the 3-day drill rule, role and site checks.

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

fn drill(days_ahead: i64) -> Value {
    let d = today() + Duration::days(days_ahead);
    json!({"kind": "fire_drill", "title": "消防演习通知", "body": "届时请勿惊慌。",
           "effective_from": d, "effective_until": d})
}

#[sqlx::test(migrations = "./migrations")]
async fn a_drill_is_published_three_days_ahead_or_refused(pool: PgPool) {
    let app = spawn_app(pool).await;
    let site = app.site_id("cuihu").await;
    let desk = app.signed_in("desk1").await;
    let url = format!("/api/v1/sites/{site}/notices");
    let before = app.count("SELECT count(*) FROM notices").await;
    let (s, v) = post(&desk, &app, &url, drill(2)).await;
    assert_eq!(
        (s, v["code"].as_str()),
        (409, Some("drill_notice_too_late"))
    );
    assert_eq!(app.count("SELECT count(*) FROM notices").await, before);
    let (s, v) = post(&desk, &app, &url, drill(3)).await;
    assert_eq!(s, 201, "{v}");
    assert_eq!(v["state"], "upcoming");

    let mut bad = drill(5);
    bad["effective_until"] = json!(today());
    let (s, v) = post(&desk, &app, &url, bad).await;
    assert_eq!((s, v["code"].as_str()), (409, Some("bad_period")));
    let (s, v) = post(&desk, &app, &url, json!({"kind": "party"})).await;
    assert_eq!((s, v["code"].as_str()), (422, Some("invalid_body")));
    let (s, v) = post(&app.signed_in("tech1").await, &app, &url, drill(5)).await;
    assert_eq!((s, v["code"].as_str()), (403, Some("forbidden")));
    let (s, v) = post(&app.signed_in("fldesk").await, &app, &url, drill(5)).await;
    assert_eq!((s, v["code"].as_str()), (403, Some("site_forbidden")));
    assert_eq!(app.count("SELECT count(*) FROM notices").await, before + 1);
}

#[sqlx::test(migrations = "./migrations")]
async fn an_expired_notice_is_archived_while_a_current_one_shows(pool: PgPool) {
    let app = spawn_app(pool).await;
    let site = app.site_id("cuihu").await;
    let desk = app.signed_in("desk1").await;
    let url = format!("/api/v1/sites/{site}/notices");
    let (s, v) = post(
        &desk,
        &app,
        &url,
        json!({"kind": "outage", "title": "停水通知",
        "body": "8栋水箱清洗，停水半天。", "effective_from": today(), "effective_until": today()}),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    let current = v["record"]["id"].as_str().unwrap().to_owned();
    let (s, v) = post(&desk, &app, &url, json!({"kind": "pest_control", "title": "四害消杀",
        "body": "地下室投放鼠药。", "effective_from": today(), "effective_until": today() + Duration::days(1)})).await;
    assert_eq!(s, 201, "{v}");
    let old = v["record"]["id"].as_str().unwrap().to_owned();
    // Days pass for this one: it ended and expired yesterday.
    let y = today() - Duration::days(3);
    let e = today() - Duration::days(1);
    sqlx::query(
        "UPDATE notices SET effective_from = $2, effective_until = $3, expires_on = $3,
             record = record || jsonb_build_object('effective_from', $2::text,
                 'effective_until', $3::text, 'expires_on', $3::text)
         WHERE id = $1::uuid",
    )
    .bind(&old)
    .bind(y)
    .bind(e)
    .execute(&app.pool)
    .await
    .unwrap();

    // Any staff member of the site reads the board.
    let tech = app.signed_in("tech1").await;
    let board: Value = tech
        .get(app.url(&url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let ids = |k: &str| {
        board[k]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["record"]["id"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert!(ids("current").contains(&current));
    assert!(!ids("current").contains(&old));
    assert!(ids("archived").contains(&old));
    assert_eq!(board["today"], json!(today()));

    let one: Value = tech
        .get(app.url(&format!("/api/v1/notices/{old}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(one["state"], "archived");
    let r = app
        .signed_in("fldesk")
        .await
        .get(app.url(&format!("/api/v1/notices/{old}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
}

#[sqlx::test(migrations = "./migrations")]
async fn the_demo_board_has_an_archived_and_a_current_notice(pool: PgPool) {
    let app = spawn_app(pool).await;
    let site = app.site_id("cuihu").await;
    let board: Value = app
        .signed_in("desk1")
        .await
        .get(app.url(&format!("/api/v1/sites/{site}/notices")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let titles = |k: &str| {
        board[k]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["record"]["title"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert!(titles("current").contains(&"电梯保养通知".to_owned()));
    assert!(titles("current").contains(&"消防演习通知".to_owned()));
    assert_eq!(titles("archived"), vec!["四害消杀温馨提示".to_owned()]);
}
