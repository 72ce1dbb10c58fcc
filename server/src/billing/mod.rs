//! Repair fees to 付款请求书 (requirements §2.15, S1 §六.3): the batch run by finance, the
//! lists, and marking a request paid. The rules are `domain::work_orders::billing`; this module
//! stores their output. A job is never billed twice: `payment_request_lines.work_order_id` is
//! unique, and runs for one site take turns on an advisory lock.

pub mod repo;
pub mod routes;
