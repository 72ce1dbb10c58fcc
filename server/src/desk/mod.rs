//! Front-desk procedures: lock-opening (撬锁) and renovation permits (装修). `repo.rs` holds
//! the SQL, `routes.rs` the REST API, `orders.rs` the engineering order a lock-opening raises.

pub mod orders;
pub mod repo;
pub mod routes;
