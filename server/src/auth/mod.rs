//! Accounts: Argon2id passwords, cookie sessions stored as token hashes, the login rate limit,
//! and the extractors every route uses to check role and site on the server.

pub mod extract;
pub mod password;
pub mod repo;
pub mod routes;
pub mod token;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "wuye_session";
