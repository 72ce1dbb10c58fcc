//! Pages, one module per capability.

pub mod errors;
pub mod home;
pub mod login;
pub mod me;
pub mod outbox;
pub mod repairs;
pub mod review;
pub mod units;
