//! Resident visits (业户访问 / 走访, requirements §2.8, §3.3) on the server: recording
//! 《业户访问记录》 through `domain::visits::record::check_visit`, the month's progress toward the
//! quota, the year's not-visited list, the monthly reporting chain through
//! `domain::visits::reporting::apply_step`, and each site's visit policy. A visit made with no
//! signal arrives through the sync push (`sync`). The rules are
//! `domain::visits`; this module loads their inputs and stores their outputs.

pub mod repo;
pub mod routes;
pub mod sync;
