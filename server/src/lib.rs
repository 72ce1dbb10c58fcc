//! The server: SSR of the Leptos app, the JSON API (`/api/v1`), accounts and sessions, the
//! demo compound, and (behind `repo.rs` files only) all SQL.

pub mod auth;
pub mod billing;
pub mod care;
pub mod config;
pub mod demo;
pub mod desk;
pub mod facilities;
pub mod http;
pub mod notices;
pub mod occupancy;
pub mod patrol;
pub mod privacy;
pub mod pwa;
pub mod reference;
pub mod release;
pub mod survey;
pub mod sync;
pub mod visits;
pub mod work_orders;

use axum::extract::{DefaultBodyLimit, FromRef};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{any, get, post};
use axum::Router;
use config::Config;
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;
use std::sync::Arc;
use std::time::Duration;

/// Shared by every handler. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    pub config: Arc<Config>,
    pub leptos_options: LeptosOptions,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(s: &AppState) -> Self {
        s.leptos_options.clone()
    }
}

/// Connects and applies the embedded migrations (forward-only, `server/migrations`).
pub async fn connect(cfg: &Config) -> anyhow::Result<PgPool> {
    let pool = PgPoolOptions::new()
        .max_connections(cfg.max_db_connections)
        .acquire_timeout(Duration::from_secs(5))
        .connect(&cfg.database_url)
        .await?;
    migrate(&pool).await?;
    Ok(pool)
}

pub async fn migrate(pool: &PgPool) -> Result<(), sqlx::migrate::MigrateError> {
    sqlx::migrate!("./migrations").run(pool).await
}

/// JSON API bodies are small; the limit keeps a hostile client from filling memory.
const API_BODY_LIMIT: usize = 64 * 1024;
/// A full batch of mutations with room to spare (each mutation is capped separately).
const PUSH_BODY_LIMIT: usize = 2 * 1024 * 1024;
/// Pushes applied at once per server; the rest wait their turn. A push holds two pool
/// connections at most (its transaction and, briefly, the serial counter), so a quarter of the
/// pool keeps half of it for sign-in, pages and pulls and can never exhaust it.
fn push_concurrency(pool_size: u32) -> usize {
    (pool_size as usize / 4).max(1)
}

async fn api_not_found() -> Response {
    http::error_response(StatusCode::NOT_FOUND, "not_found", "no such API")
}

/// The whole application: API, pages, static files.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/api/v1/auth/login", post(auth::routes::login))
        .route("/api/v1/auth/logout", post(auth::routes::logout))
        .route("/api/v1/me", get(auth::routes::me))
        .route(
            "/api/v1/sites/{site}/summary",
            get(reference::routes::site_summary),
        )
        .route(
            "/api/v1/sites/{site}/units",
            get(reference::routes::search_units),
        )
        .route("/api/v1/work-orders/{id}", get(work_orders::routes::detail))
        .route(
            "/api/v1/sites/{site}/policy",
            get(work_orders::routes::get_policy).put(work_orders::routes::put_policy),
        )
        .route(
            "/api/v1/sites/{site}/billing/batches",
            post(billing::routes::run_batch),
        )
        .route(
            "/api/v1/sites/{site}/billing/requests",
            get(billing::routes::list),
        )
        .route(
            "/api/v1/billing/requests/{id}/pay",
            post(billing::routes::pay),
        )
        .route(
            "/api/v1/sites/{site}/checkpoints",
            get(patrol::routes::list_checkpoints).post(patrol::routes::create_checkpoint),
        )
        .route(
            "/api/v1/checkpoints/{id}",
            axum::routing::put(patrol::routes::update_checkpoint),
        )
        .route(
            "/api/v1/checkpoints/{id}/qr.svg",
            get(patrol::routes::checkpoint_qr),
        )
        .route(
            "/api/v1/sites/{site}/routes",
            get(patrol::routes::list_routes).post(patrol::routes::create_route),
        )
        .route(
            "/api/v1/routes/{id}",
            axum::routing::put(patrol::routes::update_route),
        )
        .route(
            "/api/v1/sites/{site}/patrol/rounds",
            get(patrol::routes::day_rounds),
        )
        .route("/api/v1/rounds/{id}", get(patrol::routes::round_report))
        .route(
            "/api/v1/sites/{site}/patrol/stats",
            get(patrol::routes::stats),
        )
        .route(
            "/api/v1/sites/{site}/cases",
            get(patrol::routes::list_cases),
        )
        .route("/api/v1/cases/{id}/close", post(patrol::routes::close_case))
        .route(
            "/api/v1/notifications",
            get(patrol::routes::list_notifications),
        )
        .route(
            "/api/v1/notifications/{id}/read",
            post(patrol::routes::read_notification),
        )
        .route("/api/v1/sync/conflicts", get(sync::conflicts::list))
        .route(
            "/api/v1/sync/conflicts/{id}/resolve",
            post(sync::conflicts::resolve),
        )
        .route("/api/sync/v1/pull", get(sync::pull::pull))
        .route("/api/sync/v1/reference", get(sync::pull::reference))
        .route(
            "/api/sync/v1/blobs/{sha256}/status",
            get(sync::blobs::status),
        )
        .route("/api/sync/v1/blobs/{sha256}", get(sync::blobs::download));
    // Each capability brings its own `/api/v1` routes (`<module>::routes::router()`).
    let api = api.merge(occupancy::routes::router());
    let api = api.merge(facilities::routes::router());
    let api = api.merge(notices::routes::router());
    let api = api.merge(survey::routes::router());
    let api = api.merge(visits::routes::router());
    let api = api.merge(desk::routes::router());
    let api = api.merge(privacy::routes::router());
    let api = api.merge(release::routes::router());
    let api = api.merge(care::routes::router());
    let api = api
        .route("/api/{*rest}", any(api_not_found))
        .layer(DefaultBodyLimit::max(API_BODY_LIMIT));
    // Bigger bodies only where they belong: a push batch, a blob chunk.
    let api = api
        .route(
            "/api/sync/v1/push",
            post(sync::push::push).layer(
                tower::ServiceBuilder::new()
                    .layer(DefaultBodyLimit::max(PUSH_BODY_LIMIT))
                    // Admission control: in a reconnect storm pushes queue here, in order,
                    // instead of all waiting on the pool and timing out.
                    .layer(tower::limit::ConcurrencyLimitLayer::new(push_concurrency(
                        state.config.max_db_connections,
                    ))),
            ),
        )
        .route(
            "/api/sync/v1/blobs/{sha256}",
            axum::routing::put(sync::blobs::upload)
                .layer(DefaultBodyLimit::max(sync::blobs::MAX_CHUNK_BYTES + 1024)),
        );

    let sw = pwa::service_worker(
        &state.leptos_options.site_root,
        &state.leptos_options.output_name,
    );
    let opts = state.leptos_options.clone();
    let routes = generate_route_list(app::App);
    let ctx_state = state.clone();
    Router::new()
        .merge(api)
        .route("/sw.js", get(move || async move { pwa::serve(sw.clone()) }))
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(ctx_state.config.clone()),
            move || app::shell(opts.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(
            app::shell,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::extract::resolve_session,
        ))
        // The wasm is ~1.7 MB raw, ~0.5 MB compressed: it matters on a phone's data plan.
        .layer(tower_http::compression::CompressionLayer::new())
        .with_state(state)
}
