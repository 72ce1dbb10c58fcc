//! Patrol (巡检, requirements §2.10) on the server: checkpoints and routes as the managers
//! define them (with printable QR labels), rounds applied by push through
//! `domain::patrol::round::apply_round`, the work their faults raise (`work.rs`: repair orders
//! and customer-service cases, never twice for one open fault), the managers' day list, round
//! report and month figures, cases and notifications. The rules are `domain::patrol`; this
//! module loads their inputs and stores their outputs.

pub mod qr;
pub mod repo;
pub mod routes;
pub mod work;
