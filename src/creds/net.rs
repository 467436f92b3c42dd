//! HTTP calls of the credential sources, and the JSON credentials the container and instance
//! metadata endpoints answer with.

use std::time::SystemTime;

use serde_json::Value;

use super::error::CredsError;
use crate::http::{Request, Response, Transport, TransportOptions};
use crate::sigv4::Credentials;
use crate::time::parse_iso8601;

/// Sends `request`, whatever the status; `what` names the source for messages.
pub(crate) fn send(
    options: &TransportOptions,
    request: &Request,
    what: &str,
) -> Result<Response, CredsError> {
    let failed = |problem: String| CredsError::Http {
        what: what.to_string(),
        url: request.url.clone(),
        problem,
    };
    let transport = Transport::new(options).map_err(|error| failed(error.to_string()))?;
    transport
        .send(request)
        .map_err(|error| failed(error.to_string()))
}

/// A request with no body.
pub(crate) fn request(method: &str, url: String, headers: Vec<(String, String)>) -> Request {
    Request {
        method: method.to_string(),
        url,
        headers,
        body: Vec::new(),
    }
}

/// Fails unless `response` is a 200.
pub(crate) fn expect_ok(response: Response, what: &str, url: &str) -> Result<Response, CredsError> {
    if response.status == 200 {
        return Ok(response);
    }
    Err(CredsError::Http {
        what: what.to_string(),
        url: url.to_string(),
        problem: format!("HTTP {} instead of 200", response.status),
    })
}

/// Reads `{"AccessKeyId", "SecretAccessKey", <token_key>, "Expiration"}`. Errors name the
/// missing or malformed field, never a value other than Expiration.
pub(crate) fn credentials_from_json(body: &[u8], token_key: &str) -> Result<Credentials, String> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|error| format!("the answer is not JSON ({error})"))?;
    credentials_from_value(&value, token_key, "the answer")
}

/// Takes `AccessKeyId`, `SecretAccessKey`, `token_key` and `Expiration` out of a JSON object;
/// `document` names it in messages ("the answer has no AccessKeyId"). Empty strings count as
/// missing. Messages never quote a value other than Expiration.
pub(crate) fn credentials_from_value(
    value: &Value,
    token_key: &str,
    document: &str,
) -> Result<Credentials, String> {
    let text = |key: &str| {
        value
            .get(key)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    };
    let required = |key: &str| {
        text(key)
            .map(str::to_string)
            .ok_or_else(|| format!("{document} has no {key}"))
    };
    Ok(Credentials {
        access_key_id: required("AccessKeyId")?,
        secret_access_key: required("SecretAccessKey")?,
        session_token: text(token_key).map(str::to_string),
        expires_at: text("Expiration").map(expiration).transpose()?,
    })
}

/// Parses an `Expiration` value.
pub(crate) fn expiration(text: &str) -> Result<SystemTime, String> {
    parse_iso8601(text).ok_or_else(|| format!("Expiration {text:?} is not an ISO 8601 time"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_container_style_json() {
        let body = br#"{"AccessKeyId":"ASIAX","SecretAccessKey":"s","Token":"t","Expiration":"2026-11-27T00:00:00Z","RoleArn":"arn"}"#;
        let credentials = credentials_from_json(body, "Token").unwrap();
        assert_eq!(credentials.access_key_id, "ASIAX");
        assert_eq!(credentials.session_token.as_deref(), Some("t"));
        assert_eq!(
            credentials.expires_at,
            parse_iso8601("2026-11-27T00:00:00Z")
        );
    }

    #[test]
    fn explains_bad_json_without_quoting_secrets() {
        assert!(credentials_from_json(b"<html>", "Token")
            .unwrap_err()
            .contains("not JSON"));
        let error = credentials_from_json(br#"{"AccessKeyId":"A","SecretAccessKey":""}"#, "Token")
            .unwrap_err();
        assert_eq!(error, "the answer has no SecretAccessKey");
        let error = credentials_from_json(
            br#"{"AccessKeyId":"A","SecretAccessKey":"sekrit","Expiration":"soon"}"#,
            "Token",
        )
        .unwrap_err();
        assert!(
            error.contains("\"soon\"") && !error.contains("sekrit"),
            "{error}"
        );
    }
}
