//! Customer care: complaints (投诉) and return visits (回访). Rules live in `domain::care`;
//! `repo.rs` holds the SQL, `routes.rs` the API, `sync.rs` the intake queued offline at the desk.

pub mod repo;
pub mod routes;
pub mod sync;
