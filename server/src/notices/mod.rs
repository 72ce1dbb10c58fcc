//! 通知 / 温馨提示 on the server (requirements §2.23): published by the front office, read by
//! every staff member of the site. A notice archives itself: the list splits by today's date in
//! China (`http::today_in_china`) against each notice's expiry date; nothing runs on a timer.

pub mod repo;
pub mod routes;
