//! Starts the server: config, database (migrated), optional demo data, then HTTP until Ctrl-C.

use anyhow::Context;
use server::config::Config;
use server::{connect, demo, router, AppState};
use std::net::SocketAddr;
use std::sync::Arc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .init();
    let config = Config::load(|k| std::env::var(k).ok()).context("loading configuration")?;
    tracing::info!(?config, "starting");
    let leptos = leptos::config::get_configuration(None).context("leptos configuration")?;
    let addr = leptos.leptos_options.site_addr;
    let pool = connect(&config).await.context("connecting to PostgreSQL")?;
    if config.load_demo
        && demo::load_if_missing(&pool)
            .await
            .context("loading demo data")?
    {
        tracing::info!("demo compound 翠湖花园 loaded");
    }
    let state = AppState {
        pool,
        config: Arc::new(config),
        leptos_options: leptos.leptos_options,
    };
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("binding {addr}"))?;
    tracing::info!("listening on http://{addr}");
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
