//! 设施使用 / 预定 on the server (requirements §2.16): facilities with their hours and slot
//! length (the site's setting), bookings whose slot the office assigns (a double-booked slot is
//! refused, with a unique index as the backstop), damage with compensation, parking rentals and
//! lending. The rules are `domain::facilities`.

pub mod repo;
pub mod routes;
