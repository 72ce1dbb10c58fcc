//! Sign-in, sessions, the rate limit, sign-out.

#![allow(clippy::unwrap_used)]

use crate::helpers::{spawn_app, spawn_app_with, test_config};
use serde_json::{json, Value};
use sqlx::PgPool;

#[sqlx::test(migrations = "./migrations")]
async fn sign_in_sets_a_hardened_cookie_and_me_answers(pool: PgPool) {
    let app = spawn_app(pool).await;
    let c = app.client();
    let r = c
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"username": "Tech1 ", "password": "wuye2026"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("wuye_session="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(
        !cookie.contains("Secure"),
        "plain http gets no Secure flag: {cookie}"
    );
    assert!(cookie.contains("Max-Age=2592000"), "30 days: {cookie}");
    let profile: Value = r.json().await.unwrap();
    assert_eq!(profile["role"], "tech");
    assert_eq!(profile["sites"][0]["name"], "翠湖花园");

    let me: Value = c
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["username"], "tech1");
    // Only the hash of the token is stored.
    let stored: Vec<u8> = sqlx::query_scalar("SELECT token_sha256 FROM sessions")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(stored.len(), 32);
    let token = cookie
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("wuye_session=");
    assert!(!token.is_empty() && token.as_bytes() != stored.as_slice());
}

#[sqlx::test(migrations = "./migrations")]
async fn secure_cookie_behind_a_trusted_https_proxy(pool: PgPool) {
    let mut cfg = test_config();
    cfg.trust_proxy = true;
    let app = spawn_app_with(pool, cfg).await;
    let r = app
        .client()
        .post(app.url("/api/v1/auth/login"))
        .header("x-forwarded-proto", "https")
        .json(&json!({"username": "desk1", "password": "wuye2026"}))
        .send()
        .await
        .unwrap();
    assert!(r.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Secure"));
}

#[sqlx::test(migrations = "./migrations")]
async fn wrong_password_and_unknown_user_look_the_same(pool: PgPool) {
    let app = spawn_app(pool).await;
    for (u, p) in [("tech1", "nope"), ("nobody", "wuye2026")] {
        let r = app
            .client()
            .post(app.url("/api/v1/auth/login"))
            .json(&json!({"username": u, "password": p}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["code"], "bad_credentials");
    }
    assert_eq!(app.count("SELECT count(*) FROM sessions").await, 0);
}

#[sqlx::test(migrations = "./migrations")]
async fn five_failures_lock_the_account_even_for_the_right_password(pool: PgPool) {
    let app = spawn_app(pool).await;
    let c = app.client();
    let login = |pw: &'static str| {
        c.post(app.url("/api/v1/auth/login"))
            .json(&json!({"username": "desk1", "password": pw}))
            .send()
    };
    for _ in 0..5 {
        assert_eq!(login("wrong").await.unwrap().status(), 401);
    }
    let r = login("wuye2026").await.unwrap();
    assert_eq!(r.status(), 429);
    let retry: i64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((800..=900).contains(&retry), "about 15 minutes: {retry}");
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["code"], "login_locked");
    // Another account from the same address is not locked by one account's failures.
    let other = app
        .client()
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"username": "tech1", "password": "wuye2026"}))
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 200);
    // When the window has passed, the right password works again.
    sqlx::query("UPDATE login_attempts SET at = at - interval '16 minutes'")
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(login("wuye2026").await.unwrap().status(), 200);
}

#[sqlx::test(migrations = "./migrations")]
async fn one_address_guessing_many_accounts_is_locked(pool: PgPool) {
    let app = spawn_app(pool).await;
    let c = app.client();
    for i in 0..30 {
        let r = c
            .post(app.url("/api/v1/auth/login"))
            .json(&json!({"username": format!("guess{i}"), "password": "x"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
    }
    let r = c
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"username": "tech1", "password": "wuye2026"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
}

#[sqlx::test(migrations = "./migrations")]
async fn sign_out_revokes_the_session(pool: PgPool) {
    let app = spawn_app(pool).await;
    let c = app.signed_in("csmgr").await;
    assert_eq!(
        c.get(app.url("/api/v1/me")).send().await.unwrap().status(),
        200
    );
    let r = c.post(app.url("/api/v1/auth/logout")).send().await.unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(app.count("SELECT count(*) FROM sessions").await, 0);
    let r = c.get(app.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(r.status(), 401);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["code"], "unauthenticated");
}

#[sqlx::test(migrations = "./migrations")]
async fn an_active_phone_is_renewed_and_an_expired_session_is_refused(pool: PgPool) {
    let app = spawn_app(pool).await;
    let c = app.signed_in("tech1").await;
    // A phone that was offline for 20 days still works, and its session is renewed.
    sqlx::query(
        "UPDATE sessions SET renewed_at = now() - interval '20 days',
                             expires_at = now() + interval '10 days'",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let r = c.get(app.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers().get("set-cookie").is_some(), "cookie re-issued");
    let days_left: f64 = sqlx::query_scalar(
        "SELECT extract(epoch FROM expires_at - now())::float8 / 86400 FROM sessions",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert!(days_left > 29.9, "renewed to 30 days: {days_left}");
    sqlx::query("UPDATE sessions SET expires_at = now() - interval '1 second'")
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        c.get(app.url("/api/v1/me")).send().await.unwrap().status(),
        401
    );
}
