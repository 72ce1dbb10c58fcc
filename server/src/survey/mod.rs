//! Satisfaction surveys (满意度调查 / 全面意见征询, requirements §2.9) on the server: surveys
//! opened under the site's policy preset, hand-out and returned questionnaires per household,
//! the results by `domain::survey::results`, and the return visits (回访) of dissatisfied
//! respondents written into the care slice's `return_visits`. SQL only in `repo.rs`.

pub mod repo;
pub mod routes;
