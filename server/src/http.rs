//! What every JSON API shares: the error body with a stable code, and a JSON extractor whose
//! rejections (malformed, wrong type, too large) become such codes instead of axum's plain text.

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use domain::session::ApiErrorBody;
use serde::de::DeserializeOwned;

/// Builds the JSON error response every API module returns.
pub fn error_response(status: StatusCode, code: &str, message: impl Into<String>) -> Response {
    (
        status,
        Json(ApiErrorBody {
            code: code.to_owned(),
            message: message.into(),
            retry_after_secs: None,
        }),
    )
        .into_response()
}

/// A request body that failed to parse. Always 4xx; nothing was changed.
#[derive(Debug)]
pub struct BodyRejection {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl IntoResponse for BodyRejection {
    fn into_response(self) -> Response {
        error_response(self.status, self.code, self.message)
    }
}

impl From<JsonRejection> for BodyRejection {
    fn from(r: JsonRejection) -> Self {
        let (status, code) = match &r {
            JsonRejection::MissingJsonContentType(_) => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type")
            }
            JsonRejection::JsonSyntaxError(_) => (StatusCode::BAD_REQUEST, "malformed_json"),
            JsonRejection::JsonDataError(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid_body"),
            JsonRejection::BytesRejection(_) if r.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                (StatusCode::PAYLOAD_TOO_LARGE, "body_too_large")
            }
            _ => (r.status(), "bad_body"),
        };
        BodyRejection {
            status,
            code,
            message: r.body_text(),
        }
    }
}

/// `Json<T>` with coded rejections.
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = BodyRejection;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let Json(v) = Json::<T>::from_request(req, state).await?;
        Ok(ApiJson(v))
    }
}

/// The error of JSON API handlers that need no module-specific enum: an access refusal, a coded
/// refusal, or a database failure (logged, never sent).
#[derive(Debug)]
pub enum ApiError {
    Access(crate::auth::extract::AccessError),
    Coded {
        status: StatusCode,
        code: &'static str,
        message: String,
    },
    Db(sqlx::Error),
}

impl ApiError {
    pub fn coded(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError::Coded {
            status,
            code,
            message: message.into(),
        }
    }

    pub fn not_found(what: &str) -> Self {
        Self::coded(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("no such {what}"),
        )
    }

    /// A path segment that should have been an id.
    pub fn bad_id() -> Self {
        Self::coded(StatusCode::BAD_REQUEST, "bad_id", "not an id")
    }
}

impl From<crate::auth::extract::AccessError> for ApiError {
    fn from(e: crate::auth::extract::AccessError) -> Self {
        ApiError::Access(e)
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        ApiError::Db(e)
    }
}

/// Database failures worth retrying: no connection, a serialization failure, a deadlock, a lock
/// or statement timeout.
fn transient(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => true,
        sqlx::Error::Database(d) => matches!(
            d.code().as_deref(),
            Some("40001" | "40P01" | "55P03" | "57014")
        ),
        _ => false,
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            ApiError::Access(e) => e.into_response(),
            ApiError::Coded {
                status,
                code,
                message,
            } => error_response(status, code, message),
            ApiError::Db(e) if transient(&e) => {
                tracing::warn!(error = %e, "API request failed on the database; retry");
                error_response(StatusCode::SERVICE_UNAVAILABLE, "retry_later", "try again")
            }
            ApiError::Db(e) => {
                tracing::error!(error = %e, "API request failed on the database");
                error_response(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "internal error",
                )
            }
        }
    }
}

/// Today's date in China (the documents' days and months are local).
pub fn today_in_china() -> chrono::NaiveDate {
    chrono::Utc::now()
        .with_timezone(&domain::work_orders::sla::china())
        .date_naive()
}

/// A `?month=YYYY-MM` filter, this month in China when absent: the month and its first and
/// next-month's first day.
pub fn month_or_current(
    month: Option<&str>,
) -> Result<(String, chrono::NaiveDate, chrono::NaiveDate), ApiError> {
    let month = match month.map(str::trim).filter(|m| !m.is_empty()) {
        Some(m) => m.to_owned(),
        None => today_in_china().format("%Y-%m").to_string(),
    };
    let (from, until) = domain::work_orders::sla::month_bounds(&month).ok_or_else(|| {
        ApiError::coded(
            StatusCode::BAD_REQUEST,
            "bad_month",
            "month must be YYYY-MM",
        )
    })?;
    Ok((month, from, until))
}

/// A path segment that must be an id (`400 bad_id` otherwise).
pub fn parse_id(s: &str) -> Result<uuid::Uuid, ApiError> {
    uuid::Uuid::parse_str(s.trim()).map_err(|_| ApiError::bad_id())
}

/// A unique constraint refused the write (SQLSTATE 23505).
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.code().as_deref() == Some("23505"))
}

/// The site's name, or `404 site_not_found`.
pub async fn require_site_exists(
    conn: &mut sqlx::PgConnection,
    site: domain::ids::SiteId,
) -> Result<String, ApiError> {
    crate::work_orders::repo::site_name(conn, site)
        .await?
        .ok_or_else(|| ApiError::coded(StatusCode::NOT_FOUND, "site_not_found", "site not found"))
}
