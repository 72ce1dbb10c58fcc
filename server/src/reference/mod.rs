//! Reference data: sites, buildings, units and residents, read by the desk and managers.

pub mod repo;
pub mod routes;
