//! 维修单 work orders: the repair request from intake to closure (requirements §2.1–2.5, §5.1–
//! 5.2). One state enum and one pure `apply`, run by the device for the optimistic update and by
//! the server to decide.
//!
//! Where each rule lives:
//! - who may do what in which status: [`apply`] (apply.rs);
//! - amounts, the fee standard, signature hashes, the 留言条 wording: [`quote`];
//! - the clocks and the board order: [`sla`];
//! - per-site readings of the documents (presets): [`policy`];
//! - the monthly 付款请求书: [`billing`];
//! - the REST API's JSON for orders and billing: [`views`].

mod apply;
pub mod billing;
mod model;
pub mod policy;
pub mod quote;
pub mod sla;
pub mod views;

pub use apply::{apply, Actor, CatalogueFact, Facts, PriorRepair, StaffFacts, WorkOrderError};
pub use model::*;

#[cfg(test)]
mod flow_tests;
#[cfg(test)]
mod tests;
