//! `spawn_app()`: the real router, served on an ephemeral port, with the demo loaded.

#![allow(clippy::unwrap_used)]

use leptos::config::LeptosOptions;
use server::config::Config;
use server::{demo, router, AppState};
use sqlx::PgPool;
use std::net::SocketAddr;
use std::sync::Arc;

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
