//! Offline sync, protocol v1: the wire types, the device outbox's pure operations, the server's
//! pure push processing (exactly once per mutation), text merge and retry backoff. The wasm
//! client and the server call the same code.

pub mod backoff;
pub mod merge;
pub mod outbox;
pub mod push;
pub mod reference;
pub mod wire;
