//! 走访 resident visits (业户访问, requirements §2.8, §3.3, §5.3 rules 25, 26, 35): the monthly
//! quota by occupied households and the year's coverage ([`quota`]), the visit record and when
//! a visit may be recorded ([`record`]), the monthly reporting chain ([`reporting`]), the
//! visiting cadence ([`cadence`]) and each site's reading of the documents ([`policy`]).

pub mod cadence;
pub mod policy;
pub mod quota;
pub mod record;
pub mod reporting;
pub mod views;

#[cfg(test)]
mod tests;
