//! `PUT /api/sync/v1/blobs/{sha256}`: resumable, chunked uploads of photos and signature
//! images. Each chunk carries `Content-Range: bytes START-END/TOTAL`; the server appends it when
//! START is what it already has, answers 409 with what it has otherwise, and on the last byte
//! checks the SHA-256 of the whole before the blob counts as uploaded.
//! `GET …/blobs/{sha256}/status` tells a resuming device where to continue;
//! `GET …/blobs/{sha256}` returns the bytes.

use super::SyncError;
use crate::auth::extract::Authenticated;
use crate::AppState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::Json;
use domain::sync::wire::{is_sha256_hex, MAX_BLOB_BYTES};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// Largest chunk accepted in one request.
pub const MAX_CHUNK_BYTES: usize = 512 * 1024;

#[derive(Debug, Serialize)]
pub struct BlobStatus {
    pub received: i64,
    pub size: Option<i64>,
    pub complete: bool,
}

/// `bytes START-END/TOTAL` (END inclusive).
fn parse_range(h: &str) -> Option<(u64, u64, u64)> {
    let rest = h.trim().strip_prefix("bytes ")?;
    let (range, total) = rest.split_once('/')?;
    let (start, end) = range.split_once('-')?;
    let (start, end, total) = (start.parse().ok()?, end.parse().ok()?, total.parse().ok()?);
    (start <= end && end < total).then_some((start, end, total))
}

fn check_sha(sha: &str) -> Result<(), SyncError> {
    if is_sha256_hex(sha) {
        Ok(())
    } else {
        Err(SyncError::BadBlob(
            "the name must be the lower-case hex SHA-256",
        ))
    }
}

pub async fn upload(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(sha): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Json<BlobStatus>, SyncError> {
    check_sha(&sha)?;
    let body = body.map_err(|_| SyncError::ChunkTooLarge(MAX_CHUNK_BYTES))?;
    let (start, end, total) = headers
        .get(header::CONTENT_RANGE)
        .and_then(|v| v.to_str().ok())
        .and_then(parse_range)
        .ok_or(SyncError::BadBlob(
            "Content-Range: bytes START-END/TOTAL is required",
        ))?;
    if total > MAX_BLOB_BYTES {
        return Err(SyncError::BadBlob("blob too large"));
    }
    if body.len() as u64 != end - start + 1 || body.len() > MAX_CHUNK_BYTES {
        return Err(SyncError::BadBlob(
            "chunk length does not match Content-Range",
        ));
    }
    let content_type = headers
        .get("x-blob-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("image/jpeg");
    if !matches!(content_type, "image/jpeg" | "image/png" | "image/webp") {
        return Err(SyncError::BadBlob("only JPEG, PNG or WebP images"));
    }
    let (start, total) = (start as i64, total as i64);
    let mut tx = state.pool.begin().await?;
    sqlx::query(
        "INSERT INTO blobs (sha256, size, content_type, uploaded_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (sha256) DO NOTHING",
    )
    .bind(&sha)
    .bind(total)
    .bind(content_type)
    .bind(auth.profile().staff_id.0)
    .execute(&mut *tx)
    .await?;
    let (size, received, complete): (i64, i64, bool) =
        sqlx::query_as("SELECT size, received, complete FROM blobs WHERE sha256 = $1 FOR UPDATE")
            .bind(&sha)
            .fetch_one(&mut *tx)
            .await?;
    if complete {
        return Ok(Json(BlobStatus {
            received,
            size: Some(size),
            complete,
        }));
    }
    if size != total {
        return Err(SyncError::BadBlob(
            "TOTAL differs from the size given first",
        ));
    }
    if start != received {
        // A chunk we already have (a retried request) or a gap: tell the device where we are.
        if start < received && start + body.len() as i64 <= received {
            return Ok(Json(BlobStatus {
                received,
                size: Some(size),
                complete,
            }));
        }
        return Err(SyncError::RangeMismatch { received });
    }
    sqlx::query("INSERT INTO blob_chunks (sha256, offset_bytes, data) VALUES ($1, $2, $3)")
        .bind(&sha)
        .bind(start)
        .bind(body.as_ref())
        .execute(&mut *tx)
        .await?;
    let received = received + body.len() as i64;
    let mut complete = false;
    if received == size {
        let chunks: Vec<Vec<u8>> = sqlx::query_scalar(
            "SELECT data FROM blob_chunks WHERE sha256 = $1 ORDER BY offset_bytes",
        )
        .bind(&sha)
        .fetch_all(&mut *tx)
        .await?;
        let mut h = Sha256::new();
        for c in &chunks {
            h.update(c);
        }
        if hex::encode(h.finalize()) != sha {
            sqlx::query("DELETE FROM blobs WHERE sha256 = $1")
                .bind(&sha)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            return Err(SyncError::HashMismatch);
        }
        complete = true;
    }
    sqlx::query("UPDATE blobs SET received = $2, complete = $3 WHERE sha256 = $1")
        .bind(&sha)
        .bind(received)
        .bind(complete)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Json(BlobStatus {
        received,
        size: Some(size),
        complete,
    }))
}

pub async fn status(
    State(state): State<AppState>,
    _auth: Authenticated,
    Path(sha): Path<String>,
) -> Result<Json<BlobStatus>, SyncError> {
    check_sha(&sha)?;
    let mut conn = state.pool.acquire().await?;
    let row: Option<(i64, i64, bool)> =
        sqlx::query_as("SELECT size, received, complete FROM blobs WHERE sha256 = $1")
            .bind(&sha)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(Json(match row {
        Some((size, received, complete)) => BlobStatus {
            received,
            size: Some(size),
            complete,
        },
        None => BlobStatus {
            received: 0,
            size: None,
            complete: false,
        },
    }))
}

pub async fn download(
    State(state): State<AppState>,
    _auth: Authenticated,
    Path(sha): Path<String>,
) -> Result<Response, SyncError> {
    check_sha(&sha)?;
    let mut conn = state.pool.acquire().await?;
    let row: Option<(String, bool)> =
        sqlx::query_as("SELECT content_type, complete FROM blobs WHERE sha256 = $1")
            .bind(&sha)
            .fetch_optional(&mut *conn)
            .await?;
    let Some((content_type, true)) = row else {
        return Err(SyncError::NotFound);
    };
    let chunks: Vec<Vec<u8>> =
        sqlx::query_scalar("SELECT data FROM blob_chunks WHERE sha256 = $1 ORDER BY offset_bytes")
            .bind(&sha)
            .fetch_all(&mut *conn)
            .await?;
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (
                header::CACHE_CONTROL,
                "private, max-age=31536000, immutable".to_owned(),
            ),
        ],
        chunks.concat(),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::parse_range;

    #[test]
    fn content_range() {
        assert_eq!(parse_range("bytes 0-99/1000"), Some((0, 99, 1000)));
        assert_eq!(parse_range("bytes 900-999/1000"), Some((900, 999, 1000)));
        assert_eq!(parse_range("bytes 900-1000/1000"), None);
        assert_eq!(parse_range("bytes 5-4/10"), None);
        assert_eq!(parse_range("items 0-1/2"), None);
    }
}
