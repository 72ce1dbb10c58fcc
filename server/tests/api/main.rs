//! Integration tests: the real router on port 0 against a real PostgreSQL; `#[sqlx::test]`
//! gives every test its own freshly migrated database.

mod access;
mod auth;
mod bodies;
mod care;
mod demo;
mod desk;
mod facilities;
mod helpers;
mod notices;
mod occupancy;
mod patrol;
mod privacy;
mod release;
mod repairs;
mod survey;
mod sync;
mod visits;
