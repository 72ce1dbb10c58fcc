//! Work orders on the server: storage, the serial numbers, the detail API and the sites' repair
//! policies. Their rules live in `domain::work_orders`; their changes arrive through `sync`.

pub mod repo;
pub mod routes;
