//! Customer care (客服): complaints (投诉, requirements §2.6) and return visits (回访, §2.7).
//!
//! - [`policy`]: the site's reading of the documents where they disagree (§4 C4, C5, C10, C12),
//!   presets named after their source.
//! - [`complaint`]: the 《投诉处理意见表》 record, its state machine, classification, the reply
//!   deadlines and the one-month escalation to 重大.
//! - [`return_visit`]: which closed work gets a visit and when, the month-end top-up, and the
//!   visit record with its rectification notice.
//! - [`stats`]: the manager's monthly figures (by class, department, month; deadline
//!   compliance; return-visit rates against 100 % and 30 %).
//!
//! Resident visits (走访) live in [`crate::visits`], surveys in [`crate::survey`].

pub mod complaint;
pub mod policy;
pub mod return_visit;
pub mod stats;
pub mod views;

#[cfg(test)]
mod tests;
