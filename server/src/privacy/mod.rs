//! Residents' personal data: the audited reveal, the append-only audit log and the police
//! data-access procedure (查业户资料程序). `repo.rs` holds the SQL, `routes.rs` the REST API.

pub mod repo;
pub mod routes;
