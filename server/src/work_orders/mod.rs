//! Work orders on the server: storage and the serial numbers. Their rules live in
//! `domain::work_orders`; their changes arrive through `sync`.

pub mod repo;
