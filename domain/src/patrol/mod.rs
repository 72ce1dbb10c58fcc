//! 巡检: checkpoint rounds with the seeds' checklists (requirements §2.10).
//!
//! Where each rule lives: the five area checklists in [`checklist`]; the round's state machine
//! (start, scan, answer, finding, finish, finish early) in [`round`]; what an 异常 becomes
//! (repair order or customer-service case) and de-duplication in [`findings`]; completion,
//! good-order rate and suspicious patterns in [`report`].

pub mod checklist;
pub mod findings;
pub mod report;
pub mod round;
pub mod route;
pub mod views;

#[cfg(test)]
mod tests;
