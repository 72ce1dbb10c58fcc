//! The system under test: a fresh database (migrated, demo loaded), the real router served
//! in-process on 127.0.0.1:0, and signed-in staff accounts on the client side.

use crate::payload::Unit;
use anyhow::{bail, Context};
use domain::sync::wire::{Outcome, PushResponse};
use leptos::config::LeptosOptions;
use reqwest::cookie::Jar;
use server::config::Config;
use server::{demo, router, AppState};
use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use uuid::Uuid;

/// Staff accounts whose devices push (all may take repair requests at 翠湖花园).
pub const PUSHERS: &[&str] = &["desk1", "tech1", "tech2", "patrol1"];

pub struct Account {
    pub staff_id: Uuid,
    /// The session cookie, shared by every client made for this account.
    jar: Arc<Jar>,
    pub client: reqwest::Client,
}

impl Account {
    /// A new client (its own connection pool, so new TCP connections) with the same session.
    pub fn fresh_client(&self) -> anyhow::Result<reqwest::Client> {
        client(self.jar.clone())
    }
}

fn client(jar: Arc<Jar>) -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .cookie_provider(jar)
        .redirect(reqwest::redirect::Policy::none())
        .tcp_nodelay(true)
        .timeout(Duration::from_secs(30))
        .build()?)
}

pub struct World {
    pub base: String,
    /// The benchmark's pool: set-up, the raw ceiling, checks. Separate from the server's.
    pub db: PgPool,
    pub site: Uuid,
    pub units: Arc<Vec<Unit>>,
    pub accounts: Vec<Account>,
}

/// The server side: the production start-up path (the same pool options, 5 s acquire timeout,
/// and migrations as `server`'s main), the demo, the real router on 127.0.0.1:0.
async fn serve(cfg: Config, ready: tokio::sync::oneshot::Sender<anyhow::Result<SocketAddr>>) {
    let started = async {
        let pool = server::connect(&cfg).await.context("connect and migrate")?;
        demo::load_if_missing(&pool)
            .await
            .context("load the demo")?;
        let leptos_options = LeptosOptions::builder()
            .output_name("wuye")
            .site_root("target/site")
            .build();
        let state = AppState {
            pool,
            config: Arc::new(cfg),
            leptos_options,
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        anyhow::Ok((state, listener, addr))
    };
    let (state, listener, addr) = match started.await {
        Ok(x) => x,
        Err(e) => {
            let _ = ready.send(Err(e));
            return;
        }
    };
    let _ = ready.send(Ok(addr));
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    if let Err(e) = axum::serve(listener, app).await {
        eprintln!("server stopped: {e}");
    }
}

impl World {
    pub fn push_url(&self) -> String {
        format!("{}/api/sync/v1/push", self.base)
    }

    pub fn account_for(&self, device_index: usize) -> &Account {
        &self.accounts[device_index % self.accounts.len()]
    }

    /// Starts the server on its own runtime and threads (named `srv-…`, one worker per CPU as
    /// `server`'s `#[tokio::main]` has), as if it were another process, and waits until it
    /// listens.
    pub async fn start(database_url: &str, server_pool: u32) -> anyhow::Result<World> {
        let cfg = Config {
            database_url: database_url.to_owned(),
            max_db_connections: server_pool,
            ..Config::default()
        };
        let (ready_tx, ready_rx) = tokio::sync::oneshot::channel::<anyhow::Result<SocketAddr>>();
        std::thread::Builder::new()
            .name("srv-main".into())
            .spawn(move || {
                let rt = match tokio::runtime::Builder::new_multi_thread()
                    .enable_all()
                    .thread_name("srv-worker")
                    .build()
                {
                    Ok(rt) => rt,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e.into()));
                        return;
                    }
                };
                rt.block_on(serve(cfg, ready_tx));
            })?;
        let addr = ready_rx.await.context("the server thread ended")??;
        let db = PgPoolOptions::new()
            .max_connections(40)
            .connect(database_url)
            .await?;
        let base = format!("http://{addr}");

        let site: Uuid = sqlx::query_scalar("SELECT id FROM sites WHERE code = $1")
            .bind(demo::MAIN_SITE_CODE)
            .fetch_one(&db)
            .await?;
        let rows: Vec<(Uuid, String, String, String)> = sqlx::query_as(
            "SELECT u.id, b.number, u.entrance, u.room FROM units u
             JOIN buildings b ON b.id = u.building_id
             WHERE u.site_id = $1 ORDER BY b.number, u.entrance, u.room",
        )
        .bind(site)
        .fetch_all(&db)
        .await?;
        if rows.is_empty() {
            bail!("the demo site has no units");
        }
        let units = rows
            .into_iter()
            .map(|(id, b, e, r)| Unit {
                id,
                label: format!("{b}栋{e}单元{r}室"),
            })
            .collect();

        let mut accounts = Vec::new();
        for &username in PUSHERS {
            let jar = Arc::new(Jar::default());
            let c = client(jar.clone())?;
            let r = c
                .post(format!("{base}/api/v1/auth/login"))
                .json(&serde_json::json!({"username": username, "password": demo::DEMO_PASSWORD}))
                .send()
                .await?;
            if r.status() != 200 {
                bail!("sign-in as {username}: HTTP {}", r.status());
            }
            let staff_id: Uuid = sqlx::query_scalar("SELECT id FROM staff WHERE username = $1")
                .bind(username)
                .fetch_one(&db)
                .await?;
            accounts.push(Account {
                staff_id,
                jar,
                client: c,
            });
        }
        Ok(World {
            base,
            db,
            site,
            units: Arc::new(units),
            accounts,
        })
    }

    /// A checkpoint before each timed phase, so one phase does not pay for the last one's
    /// dirty pages.
    pub async fn checkpoint(&self) -> anyhow::Result<()> {
        sqlx::query("CHECKPOINT").execute(&self.db).await?;
        Ok(())
    }
}

/// How one push request went.
pub enum PushResult {
    /// HTTP 200 and every mutation applied.
    Applied,
    /// Something else; the text says what ("HTTP 503 retry_later", "rejected invalid_input").
    Failed { retry: bool, what: String },
}

/// Sends one push request for `device` with the pre-serialized `mutations` array, stamping
/// `sent_at` now (the device's clock when it sends).
pub async fn push(
    client: &reqwest::Client,
    url: &str,
    device: Uuid,
    mutations: &str,
    expected: usize,
) -> PushResult {
    let sent_at = match serde_json::to_string(&chrono::Utc::now()) {
        Ok(s) => s,
        Err(e) => {
            return PushResult::Failed {
                retry: false,
                what: format!("encode: {e}"),
            }
        }
    };
    let body = format!(
        r#"{{"protocol":1,"device_id":"{device}","sent_at":{sent_at},"mutations":{mutations}}}"#
    );
    let resp = match client
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(body)
        .send()
        .await
    {
        Ok(r) => r,
        Err(e) => {
            return PushResult::Failed {
                retry: true,
                what: format!("transport: {}", short_error(&e)),
            }
        }
    };
    let status = resp.status();
    if status != 200 {
        let code = resp
            .json::<serde_json::Value>()
            .await
            .ok()
            .and_then(|v| v.get("code").and_then(|c| c.as_str()).map(str::to_owned))
            .unwrap_or_default();
        return PushResult::Failed {
            retry: true,
            what: format!("HTTP {} {code}", status.as_u16()),
        };
    }
    let body: PushResponse = match resp.json().await {
        Ok(b) => b,
        Err(e) => {
            return PushResult::Failed {
                retry: true,
                what: format!("bad reply: {}", short_error(&e)),
            }
        }
    };
    if body.results.len() != expected {
        return PushResult::Failed {
            retry: false,
            what: format!("{} results for {expected} mutations", body.results.len()),
        };
    }
    for r in &body.results {
        match &r.outcome {
            Outcome::Applied { .. } => {}
            Outcome::Rejected { code, .. } => {
                return PushResult::Failed {
                    retry: false,
                    what: format!("rejected {}", code.code()),
                }
            }
            Outcome::Conflict { .. } => {
                return PushResult::Failed {
                    retry: false,
                    what: "conflict".into(),
                }
            }
            Outcome::Deferred { .. } => {
                return PushResult::Failed {
                    retry: false,
                    what: "deferred".into(),
                }
            }
        }
    }
    PushResult::Applied
}

fn short_error(e: &reqwest::Error) -> String {
    let mut s = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(inner) = src {
        s = format!("{s}: {inner}");
        src = inner.source();
    }
    s.chars().take(160).collect()
}
