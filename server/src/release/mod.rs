//! 物品放行 on the server (requirements §2.11): the desk issues a 放行条 once the unit owes
//! nothing (unpaid 付款请求书 and, where the site counts them, other recorded bills), with a
//! per-site serial `FX-YYYY-MM-NNNN`; voids it with a reason (never deletes: a trigger refuses
//! it); security marks it used at the gate through the sync push, exactly once. The rules are
//! `domain::release`; this module loads their inputs and stores their outputs.

pub mod repo;
pub mod routes;
pub mod sync;
