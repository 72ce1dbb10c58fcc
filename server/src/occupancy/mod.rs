//! 入伙 / 退租 on the server (requirements §2.13): move-ins, tenant move-outs, 住户卡 and the TV
//! tail line. The rules are `domain::occupancy`; this module loads their inputs (the record,
//! whether a person holds a card, whether a household has its tail line) under row locks and
//! stores their outputs.

pub mod repo;
pub mod routes;
