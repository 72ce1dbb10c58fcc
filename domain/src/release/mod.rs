//! 物品放行 (requirements §2.11, §5.2 rule 23; S3 篇1 "某小区物品放行流程"): the 放行条 a
//! front desk issues when a household moves items out, and its use at the gate.
//!
//! Where each rule lives: the record, its commands and refusals in [`pass`] (identity check in
//! person or by phone, the details, fees cleared, the handler's signature, issue, void, use at
//! the gate); the per-site reading of the identity rule (C25) in [`policy`]; the JSON of the
//! REST API in [`views`].
//!
//! Issuing happens online at the desk (the server checks the unit's open bills at that moment);
//! the gate marks a pass used offline, through the sync engine (`Command::Pass`), and the
//! server applies a use exactly once.

pub mod pass;
pub mod policy;
pub mod views;

#[cfg(test)]
mod tests;
