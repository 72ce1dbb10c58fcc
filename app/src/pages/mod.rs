//! Pages, one module per capability.

pub mod billing;
pub mod board;
pub mod care;
pub mod desk;
pub mod detail;
pub mod errors;
pub mod facilities;
pub mod home;
pub mod login;
pub mod me;
pub mod notices;
pub mod occupancy;
pub mod outbox;
pub mod patrol;
pub mod print;
pub mod privacy;
pub mod release;
pub mod repairs;
pub mod review;
pub mod settings;
pub mod signature;
pub mod survey;
pub mod tech;
pub mod units;
pub mod visits;
