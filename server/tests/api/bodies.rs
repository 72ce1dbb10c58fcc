//! Malformed and oversized bodies get a 4xx with a code, never a 500, and change nothing.

#![allow(clippy::unwrap_used)]

use crate::helpers::spawn_app;
use serde_json::Value;
use sqlx::PgPool;

#[sqlx::test(migrations = "./migrations")]
async fn bad_bodies_are_coded_and_change_nothing(pool: PgPool) {
    let app = spawn_app(pool).await;
    let c = app.client();
    let url = app.url("/api/v1/auth/login");
    let huge = format!(
        r#"{{"username":"tech1","password":"{}"}}"#,
        "x".repeat(100_000)
    );
    let cases: Vec<(&str, Option<&str>, String, u16, &str)> = vec![
        (
            "not json",
            Some("application/json"),
            "{oops".into(),
            400,
            "malformed_json",
        ),
        (
            "wrong type",
            Some("application/json"),
            r#"{"username":1,"password":"x"}"#.into(),
            422,
            "invalid_body",
        ),
        (
            "missing field",
            Some("application/json"),
            r#"{"username":"tech1"}"#.into(),
            422,
            "invalid_body",
        ),
        (
            "unknown field",
            Some("application/json"),
            r#"{"username":"tech1","password":"x","admin":true}"#.into(),
            422,
            "invalid_body",
        ),
        (
            "no content type",
            None,
            r#"{"username":"tech1","password":"x"}"#.into(),
            415,
            "unsupported_media_type",
        ),
        (
            "oversized",
            Some("application/json"),
            huge,
            413,
            "body_too_large",
        ),
        (
            "empty strings",
            Some("application/json"),
            r#"{"username":"","password":""}"#.into(),
            422,
            "invalid_credentials_format",
        ),
    ];
    for (name, ct, body, status, code) in cases {
        let mut req = c.post(&url).body(body);
        if let Some(ct) = ct {
            req = req.header("content-type", ct);
        }
        let r = req.send().await.unwrap();
        assert_eq!(r.status().as_u16(), status, "{name}");
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["code"], code, "{name}");
    }
    assert_eq!(app.count("SELECT count(*) FROM sessions").await, 0);
    assert_eq!(app.count("SELECT count(*) FROM login_attempts").await, 0);

    let r = c.get(app.url("/api/v1/nope")).send().await.unwrap();
    assert_eq!(r.status(), 404);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["code"], "not_found");
}
