//! Calls to the server's JSON API from the browser. On the server these are never called
//! (they run in event handlers and local resources only), and answer `NotInBrowser`.

use domain::session::{ApiErrorBody, LoginRequest, StaffProfile};
use serde::de::DeserializeOwned;

/// Why a call failed, in the terms the UI distinguishes.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiFailure {
    /// No answer: offline, DNS, connection refused.
    Network,
    /// The server answered with an error body.
    Api {
        status: u16,
        body: ApiErrorBody,
    },
    /// The server answered something this client does not understand.
    Decode,
    NotInBrowser,
}

impl ApiFailure {
    pub fn code(&self) -> String {
        match self {
            ApiFailure::Network => "network".into(),
            ApiFailure::Api { body, .. } => body.code.clone(),
            ApiFailure::Decode => "decode".into(),
            ApiFailure::NotInBrowser => "not_in_browser".into(),
        }
    }
}

#[cfg(feature = "hydrate")]
mod imp {
    use super::*;
    use gloo_net::http::{Request, Response};

    async fn answer<T: DeserializeOwned>(resp: Response) -> Result<T, ApiFailure> {
        if resp.ok() {
            resp.json::<T>().await.map_err(|_| ApiFailure::Decode)
        } else {
            let status = resp.status();
            match resp.json::<ApiErrorBody>().await {
                Ok(body) => Err(ApiFailure::Api { status, body }),
                Err(_) => Err(ApiFailure::Decode),
            }
        }
    }

    pub async fn get_json<T: DeserializeOwned>(url: &str) -> Result<T, ApiFailure> {
        let resp = Request::get(url)
            .send()
            .await
            .map_err(|_| ApiFailure::Network)?;
        answer(resp).await
    }

    pub async fn post_json<T: DeserializeOwned>(
        url: &str,
        body: &serde_json::Value,
    ) -> Result<T, ApiFailure> {
        let resp = Request::post(url)
            .json(body)
            .map_err(|_| ApiFailure::Decode)?
            .send()
            .await
            .map_err(|_| ApiFailure::Network)?;
        answer(resp).await
    }

    pub async fn put_json<T: DeserializeOwned>(
        url: &str,
        body: &serde_json::Value,
    ) -> Result<T, ApiFailure> {
        let resp = Request::put(url)
            .json(body)
            .map_err(|_| ApiFailure::Decode)?
            .send()
            .await
            .map_err(|_| ApiFailure::Network)?;
        answer(resp).await
    }

    pub async fn login(req: &LoginRequest) -> Result<StaffProfile, ApiFailure> {
        let resp = Request::post("/api/v1/auth/login")
            .json(req)
            .map_err(|_| ApiFailure::Decode)?
            .send()
            .await
            .map_err(|_| ApiFailure::Network)?;
        answer(resp).await
    }

    pub async fn logout() -> Result<(), ApiFailure> {
        let resp = Request::post("/api/v1/auth/logout")
            .send()
            .await
            .map_err(|_| ApiFailure::Network)?;
        if resp.ok() {
            Ok(())
        } else {
            Err(ApiFailure::Decode)
        }
    }
}

#[cfg(not(feature = "hydrate"))]
mod imp {
    use super::*;

    pub async fn get_json<T: DeserializeOwned>(_url: &str) -> Result<T, ApiFailure> {
        Err(ApiFailure::NotInBrowser)
    }
    pub async fn post_json<T: DeserializeOwned>(
        _url: &str,
        _body: &serde_json::Value,
    ) -> Result<T, ApiFailure> {
        Err(ApiFailure::NotInBrowser)
    }
    pub async fn put_json<T: DeserializeOwned>(
        _url: &str,
        _body: &serde_json::Value,
    ) -> Result<T, ApiFailure> {
        Err(ApiFailure::NotInBrowser)
    }
    pub async fn login(_req: &LoginRequest) -> Result<StaffProfile, ApiFailure> {
        Err(ApiFailure::NotInBrowser)
    }
    pub async fn logout() -> Result<(), ApiFailure> {
        Err(ApiFailure::NotInBrowser)
    }
}

pub use imp::{get_json, login, logout, post_json, put_json};
