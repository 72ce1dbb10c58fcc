//! Integration tests: the real router on port 0 against a real PostgreSQL; `#[sqlx::test]`
//! gives every test its own freshly migrated database.

mod access;
mod auth;
mod bodies;
mod demo;
mod helpers;
mod patrol;
mod repairs;
mod sync;
