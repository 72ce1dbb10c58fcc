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
