//! `spawn_app()`: the real router, served on an ephemeral port, with the demo loaded.

#![allow(clippy::unwrap_used)]

use chrono::Utc;
use leptos::config::LeptosOptions;
use serde_json::{json, Value};
use server::config::Config;
use server::{demo, router, AppState};
use sqlx::PgPool;
use std::net::SocketAddr;
use std::sync::Arc;
use uuid::Uuid;

pub struct TestApp {
    pub base: String,
    pub pool: PgPool,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// A client with its own cookie jar (one "device").
    pub fn client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
    }

    /// A client signed in as `username` with the demo password.
    pub async fn signed_in(&self, username: &str) -> reqwest::Client {
        let c = self.client();
        let r = c
            .post(self.url("/api/v1/auth/login"))
            .json(&serde_json::json!({"username": username, "password": demo::DEMO_PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "sign-in as {username}");
        c
    }

    pub async fn site_id(&self, code: &str) -> uuid::Uuid {
        sqlx::query_scalar("SELECT id FROM sites WHERE code = $1")
            .bind(code)
            .fetch_one(&self.pool)
            .await
            .unwrap()
    }

    pub async fn count(&self, sql: &'static str) -> i64 {
        sqlx::query_scalar(sql).fetch_one(&self.pool).await.unwrap()
    }
}

pub fn test_config() -> Config {
    Config {
        database_url: "set-by-sqlx-test".into(),
        ..Config::default()
    }
}

pub async fn spawn_app(pool: PgPool) -> TestApp {
    spawn_app_with(pool, test_config()).await
}

pub async fn spawn_app_with(pool: PgPool, config: Config) -> TestApp {
    demo::load_if_missing(&pool).await.unwrap();
    let leptos_options = LeptosOptions::builder()
        .output_name("wuye")
        .site_root("target/site")
        .build();
    let state = AppState {
        pool: pool.clone(),
        config: Arc::new(config),
        leptos_options,
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(
            listener,
            router(state).into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap();
    });
    TestApp {
        base: format!("http://{addr}"),
        pool,
    }
}

/// One device of one signed-in user.
pub struct Device {
    pub client: reqwest::Client,
    pub id: Uuid,
    pub seq: u64,
}

impl Device {
    pub async fn new(app: &TestApp, user: &str) -> Device {
        Device {
            client: app.signed_in(user).await,
            id: Uuid::now_v7(),
            seq: 0,
        }
    }

    pub fn mutation(&mut self, entity: Uuid, base: Option<i64>, cmd: Value) -> Value {
        self.mutation_at(entity, base, cmd, Utc::now())
    }

    /// A mutation made at `at` by the device's clock (a job done offline, or long ago).
    pub fn mutation_at(
        &mut self,
        entity: Uuid,
        base: Option<i64>,
        cmd: Value,
        at: chrono::DateTime<Utc>,
    ) -> Value {
        self.seq += 1;
        json!({
            "mutation_id": Uuid::now_v7(),
            "device_id": self.id,
            "seq": self.seq,
            "entity_id": entity,
            "base_version": base,
            "occurred_at": at,
            "command": {"kind": "work_order", "cmd": cmd},
        })
    }

    /// A mutation of a patrol round.
    pub fn round(&mut self, entity: Uuid, base: Option<i64>, cmd: Value) -> Value {
        let mut m = self.mutation(entity, base, cmd);
        m["command"]["kind"] = json!("round");
        m
    }

    /// Makes one round mutation and pushes it alone.
    pub async fn one_round(&mut self, app: &TestApp, entity: Uuid, cmd: Value) -> Value {
        let m = self.round(entity, None, cmd);
        self.push(app, &[m]).await
    }

    pub async fn push(&self, app: &TestApp, mutations: &[Value]) -> Value {
        self.push_slow(app, mutations, chrono::Duration::zero())
            .await
    }

    /// A push from a device whose clock runs `slow` behind the server's.
    pub async fn push_slow(
        &self,
        app: &TestApp,
        mutations: &[Value],
        slow: chrono::Duration,
    ) -> Value {
        let r = self
            .client
            .post(app.url("/api/sync/v1/push"))
            .json(&json!({
                "protocol": 1,
                "device_id": self.id,
                "sent_at": Utc::now() - slow,
                "mutations": mutations,
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        r.json().await.unwrap()
    }

    /// Makes one mutation and pushes it alone.
    pub async fn one(
        &mut self,
        app: &TestApp,
        entity: Uuid,
        base: Option<i64>,
        cmd: Value,
    ) -> Value {
        let m = self.mutation(entity, base, cmd);
        self.push(app, &[m]).await
    }

    /// Pulls from `cursor` until at least `want` changes have come. The feed only shows
    /// transactions older than every running one in the cluster (parallel tests run their own
    /// transactions), so a change can take a moment to appear; it never goes missing.
    pub async fn pull_until(&self, app: &TestApp, cursor: &str, want: usize) -> Value {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            let p = self.pull(app, Some(cursor)).await;
            if p["changes"].as_array().unwrap().len() >= want
                || std::time::Instant::now() > deadline
            {
                return p;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }

    pub async fn pull(&self, app: &TestApp, cursor: Option<&str>) -> Value {
        let url = match cursor {
            Some(c) => app.url(&format!("/api/sync/v1/pull?cursor={c}")),
            None => app.url("/api/sync/v1/pull"),
        };
        let r = self.client.get(url).send().await.unwrap();
        assert_eq!(r.status(), 200);
        r.json().await.unwrap()
    }
}

pub fn outcome(resp: &Value, i: usize) -> &Value {
    &resp["results"][i]["outcome"]
}

pub async fn a_unit(app: &TestApp, site: &str) -> Uuid {
    sqlx::query_scalar("SELECT u.id FROM units u JOIN sites s ON s.id = u.site_id WHERE s.code = $1 ORDER BY u.room LIMIT 1")
        .bind(site)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

pub async fn staff_id(app: &TestApp, username: &str) -> Uuid {
    sqlx::query_scalar("SELECT id FROM staff WHERE username = $1")
        .bind(username)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

/// `size` bytes of a (fake) image and its reference, not uploaded yet.
pub fn fake_blob(content_type: &str, size: usize) -> (Vec<u8>, domain::sync::wire::BlobRef) {
    use sha2::{Digest, Sha256};
    let bytes: Vec<u8> = Uuid::now_v7()
        .as_bytes()
        .iter()
        .cycle()
        .take(size)
        .copied()
        .collect();
    let blob = domain::sync::wire::BlobRef {
        sha256: hex::encode(Sha256::digest(&bytes)),
        size: bytes.len() as u64,
        content_type: content_type.into(),
    };
    (bytes, blob)
}

/// Uploads a blob's bytes from `dev` in one chunk.
pub async fn put_blob(
    app: &TestApp,
    dev: &Device,
    blob: &domain::sync::wire::BlobRef,
    bytes: &[u8],
) {
    let r = dev
        .client
        .put(app.url(&format!("/api/sync/v1/blobs/{}", blob.sha256)))
        .header(
            "content-range",
            format!("bytes 0-{}/{}", bytes.len() - 1, bytes.len()),
        )
        .header("x-blob-type", &blob.content_type)
        .body(bytes.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

/// Uploads `size` bytes of a (fake) image from `dev` in one chunk and returns its reference.
pub async fn upload_blob(
    app: &TestApp,
    dev: &Device,
    content_type: &str,
    size: usize,
) -> domain::sync::wire::BlobRef {
    let (bytes, blob) = fake_blob(content_type, size);
    put_blob(app, dev, &blob, &bytes).await;
    blob
}
