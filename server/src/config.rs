//! Typed configuration in layers: defaults, then an optional TOML file (`APP_CONFIG_FILE`,
//! default `wuye.toml` if present), then `APP_…` environment variables. Loading has no side
//! effects; secrets are redacted in `Debug`.

use domain::login_policy::LoginLimits;
use serde::Deserialize;
use std::fmt;

/// Whether the session cookie carries `Secure`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CookieSecure {
    /// `Secure` when the request came over https (directly or per `X-Forwarded-Proto` from a
    /// trusted proxy).
    Auto,
    Always,
    Never,
}

#[derive(Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// PostgreSQL URL. Required at run time; the launcher sets it for the embedded cluster.
    pub database_url: String,
    pub max_db_connections: u32,
    /// Load the demo compound (翠湖花园) at start-up if it is not there yet.
    pub load_demo: bool,
    pub cookie_secure: CookieSecure,
    /// Trust `X-Forwarded-For` / `X-Forwarded-Proto` (only behind your own proxy).
    pub trust_proxy: bool,
    /// A session lives this long without a round trip; each renewal starts it again.
    pub session_days: i64,
    pub login_limits: LoginLimits,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            database_url: String::new(),
            max_db_connections: 32,
            load_demo: false,
            cookie_secure: CookieSecure::Auto,
            trust_proxy: false,
            session_days: 30,
            login_limits: LoginLimits::default(),
        }
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &redact_url(&self.database_url))
            .field("max_db_connections", &self.max_db_connections)
            .field("load_demo", &self.load_demo)
            .field("cookie_secure", &self.cookie_secure)
            .field("trust_proxy", &self.trust_proxy)
            .field("session_days", &self.session_days)
            .field("login_limits", &self.login_limits)
            .finish()
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            let user = creds.split(':').next().unwrap_or("");
            format!("{}://{}:***{}", &url[..s], user, &url[at..])
        }
        _ => url.to_owned(),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("bad config file {path}: {source}")]
    Parse {
        path: String,
        source: toml::de::Error,
    },
    #[error("bad value for {var}: {value:?}")]
    Env { var: String, value: String },
    #[error("DATABASE_URL (or APP_DATABASE_URL) is not set")]
    NoDatabase,
}

impl Config {
    /// Reads the layers from the given environment (a function, so tests pass their own).
    pub fn load(env: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let explicit = env("APP_CONFIG_FILE");
        let path = explicit.clone().unwrap_or_else(|| "wuye.toml".to_owned());
        let mut cfg = match std::fs::read_to_string(&path) {
            Ok(text) => toml::from_str(&text).map_err(|source| ConfigError::Parse {
                path: path.clone(),
                source,
            })?,
            Err(e) if explicit.is_none() && e.kind() == std::io::ErrorKind::NotFound => {
                Config::default()
            }
            Err(source) => return Err(ConfigError::Read { path, source }),
        };
        fn parse<T: std::str::FromStr>(var: &str, v: String) -> Result<T, ConfigError> {
            v.parse().map_err(|_| ConfigError::Env {
                var: var.to_owned(),
                value: v,
            })
        }
        if let Some(v) = env("APP_DATABASE_URL").or_else(|| env("DATABASE_URL")) {
            cfg.database_url = v;
        }
        if let Some(v) = env("APP_MAX_DB_CONNECTIONS") {
            cfg.max_db_connections = parse("APP_MAX_DB_CONNECTIONS", v)?;
        }
        if let Some(v) = env("APP_LOAD_DEMO") {
            cfg.load_demo = parse("APP_LOAD_DEMO", v)?;
        }
        if let Some(v) = env("APP_TRUST_PROXY") {
            cfg.trust_proxy = parse("APP_TRUST_PROXY", v)?;
        }
        if let Some(v) = env("APP_SESSION_DAYS") {
            cfg.session_days = parse("APP_SESSION_DAYS", v)?;
        }
        if let Some(v) = env("APP_COOKIE_SECURE") {
            cfg.cookie_secure = match v.as_str() {
                "auto" => CookieSecure::Auto,
                "always" | "true" => CookieSecure::Always,
                "never" | "false" => CookieSecure::Never,
                _ => {
                    return Err(ConfigError::Env {
                        var: "APP_COOKIE_SECURE".into(),
                        value: v,
                    })
                }
            };
        }
        if cfg.database_url.is_empty() {
            return Err(ConfigError::NoDatabase);
        }
        // A push may hold two connections; fewer than four would leave nothing for the rest.
        if cfg.max_db_connections < 4 {
            return Err(ConfigError::Env {
                var: "APP_MAX_DB_CONNECTIONS".into(),
                value: format!("{} (at least 4)", cfg.max_db_connections),
            });
        }
        Ok(cfg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn env_overrides_defaults_and_debug_hides_the_password() {
        let env: HashMap<&str, &str> = [
            ("DATABASE_URL", "postgres://wuye:s3cret@127.0.0.1:5432/wuye"),
            ("APP_LOAD_DEMO", "true"),
            ("APP_CONFIG_FILE", "/nonexistent/wuye.toml"),
        ]
        .into();
        // An explicit file that is missing is an error, not silently ignored.
        assert!(matches!(
            Config::load(|k| env.get(k).map(|v| v.to_string())),
            Err(ConfigError::Read { .. })
        ));
        let env2: HashMap<&str, &str> = [
            ("DATABASE_URL", "postgres://wuye:s3cret@127.0.0.1:5432/wuye"),
            ("APP_LOAD_DEMO", "true"),
        ]
        .into();
        let cfg = Config::load(|k| env2.get(k).map(|v| v.to_string())).expect("config");
        assert!(cfg.load_demo);
        assert_eq!(cfg.session_days, 30);
        let dbg = format!("{cfg:?}");
        assert!(!dbg.contains("s3cret"), "{dbg}");
        assert!(dbg.contains("wuye:***@127.0.0.1"), "{dbg}");
    }

    #[test]
    fn bad_values_are_named() {
        let env: HashMap<&str, &str> = [("DATABASE_URL", "x"), ("APP_LOAD_DEMO", "maybe")].into();
        let err = Config::load(|k| env.get(k).map(|v| v.to_string())).expect_err("bad");
        assert!(err.to_string().contains("APP_LOAD_DEMO"));
        let tiny: HashMap<&str, &str> =
            [("DATABASE_URL", "x"), ("APP_MAX_DB_CONNECTIONS", "2")].into();
        let err = Config::load(|k| tiny.get(k).map(|v| v.to_string())).expect_err("too small");
        assert!(err.to_string().contains("APP_MAX_DB_CONNECTIONS"));
        assert!(matches!(
            Config::load(|_| None),
            Err(ConfigError::NoDatabase)
        ));
    }
}
