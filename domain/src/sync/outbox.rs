//! The device outbox's pure operations (written next).
