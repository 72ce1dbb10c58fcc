//! 走访 resident visits and 回访 follow-ups: quotas and schedules (requirements §2.7, §2.8, §3.3).

pub mod quota;
