//! Sync protocol v1 on the server: `POST /api/sync/v1/push`, `GET /api/sync/v1/pull`,
//! `GET /api/sync/v1/reference`, resumable blob uploads, and the managers' review list of
//! text conflicts. The decisions are `domain::sync::push::process_push` and the domain's
//! `apply` functions; this module loads their inputs and persists their outputs in one
//! transaction per push.

pub mod blobs;
pub mod conflicts;
pub mod pull;
pub mod push;
pub mod repo;

use crate::auth::extract::AccessError;
use crate::http::error_response;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// Request-level failures of the sync API (per-mutation refusals are results, not errors).
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Access(#[from] AccessError),
    #[error("unsupported protocol version {0}; this server speaks 1")]
    Protocol(u32),
    #[error("at most {0} mutations per push")]
    BatchTooLarge(usize),
    #[error("this device is registered to another staff member; sign in again on it")]
    DeviceOwner,
    #[error("bad cursor")]
    BadCursor,
    #[error("{0}")]
    BadBlob(&'static str),
    #[error("a chunk may hold at most {0} bytes")]
    ChunkTooLarge(usize),
    #[error("upload out of order: the server has {received} bytes")]
    RangeMismatch { received: i64 },
    #[error("the uploaded bytes do not hash to the name")]
    HashMismatch,
    #[error("not found")]
    NotFound,
    #[error("already resolved")]
    AlreadyResolved,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl IntoResponse for SyncError {
    fn into_response(self) -> Response {
        let message = self.to_string();
        let (status, code) = match self {
            SyncError::Access(e) => return e.into_response(),
            SyncError::Protocol(_) => (StatusCode::BAD_REQUEST, "unsupported_protocol"),
            SyncError::BatchTooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, "batch_too_large"),
            SyncError::DeviceOwner => (StatusCode::CONFLICT, "device_owner_mismatch"),
            SyncError::BadCursor => (StatusCode::BAD_REQUEST, "bad_cursor"),
            SyncError::BadBlob(_) => (StatusCode::BAD_REQUEST, "bad_blob_upload"),
            SyncError::ChunkTooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, "chunk_too_large"),
            SyncError::RangeMismatch { received } => {
                return (
                    StatusCode::CONFLICT,
                    axum::Json(serde_json::json!({
                        "code": "range_mismatch",
                        "message": message,
                        "received": received,
                    })),
                )
                    .into_response()
            }
            SyncError::HashMismatch => (StatusCode::UNPROCESSABLE_ENTITY, "hash_mismatch"),
            SyncError::NotFound => (StatusCode::NOT_FOUND, "not_found"),
            SyncError::AlreadyResolved => (StatusCode::CONFLICT, "already_resolved"),
            SyncError::Db(e) => {
                tracing::error!(error = %e, "sync request failed on the database");
                return error_response(StatusCode::SERVICE_UNAVAILABLE, "retry_later", "try again");
            }
        };
        error_response(status, code, message)
    }
}
