//! Table-driven tests of `apply` (written next).
