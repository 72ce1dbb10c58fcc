//! Pure rules of the 物业 field-service product, shared by the server and the wasm client.
//!
//! Invariant: no IO, no clock, no randomness. Callers pass `now` and freshly made ids in.
//! Everything here builds for `wasm32-unknown-unknown`.

pub mod access;
pub mod calendar;
pub mod care;
pub mod desk;
pub mod facilities;
pub mod ids;
pub mod login_policy;
pub mod money;
pub mod notices;
pub mod occupancy;
pub mod patrol;
pub mod people;
pub mod privacy;
pub mod reference;
pub mod release;
pub mod session;
pub mod survey;
pub mod sync;
pub mod visits;
pub mod work_orders;
