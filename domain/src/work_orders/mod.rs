//! 维修单 work orders: the repair request from intake to arrival on site (the first steps of
//! requirements §2.1–2.2). One state enum and one pure `apply`, run by the device for the
//! optimistic update and by the server to decide.

mod apply;
mod model;
pub mod sla;

pub use apply::{apply, Actor, Facts, StaffFacts, WorkOrderError};
pub use model::*;

#[cfg(test)]
mod tests;
