//! EC2 instance metadata (IMDSv2): a session token from `PUT /latest/api/token`, then the role
//! name and its credentials. Tried last, with a short timeout, as it hangs off EC2.

use std::time::Duration;

use super::endpoint::validate_url;
use super::error::CredsError;
use super::net::{credentials_from_json, expect_ok, request, send};
use super::transport::local_options;
use super::{var, Env, ProvideCredentials};
use crate::sigv4::Credentials;

const DEFAULT_ENDPOINT: &str = "http://169.254.169.254";
const TIMEOUT: Duration = Duration::from_secs(1);
const TOKEN_TTL_SECONDS: &str = "21600";
const CREDENTIALS_PATH: &str = "/latest/meta-data/iam/security-credentials/";
const WHAT: &str = "EC2 instance metadata";

/// Asks the instance metadata service for the credentials of the instance's role.
pub(crate) struct ImdsProvider {
    endpoint: String,
}

impl ImdsProvider {
    /// The provider, or `Err(reason)` when AWS_EC2_METADATA_DISABLED is `true`.
    pub(crate) fn from_env(env: Env<'_>) -> Result<Result<ImdsProvider, String>, CredsError> {
        if var(env, "AWS_EC2_METADATA_DISABLED").is_some_and(|v| v.eq_ignore_ascii_case("true")) {
            return Ok(Err(format!(
                "{WHAT}: disabled by AWS_EC2_METADATA_DISABLED=true"
            )));
        }
        let endpoint = match var(env, "AWS_EC2_METADATA_SERVICE_ENDPOINT") {
            Some(url) => validate_url(
                &url,
                "environment variable AWS_EC2_METADATA_SERVICE_ENDPOINT",
            )?,
            None => DEFAULT_ENDPOINT.to_string(),
        };
        Ok(Ok(ImdsProvider { endpoint }))
    }

    fn get(
        &self,
        path: &str,
        headers: Vec<(String, String)>,
        method: &str,
    ) -> Result<String, CredsError> {
        let url = format!("{}{path}", self.endpoint);
        let response = send(
            &local_options(TIMEOUT),
            &request(method, url.clone(), headers),
            WHAT,
        )?;
        let response = expect_ok(response, WHAT, &url)?;
        String::from_utf8(response.body).map_err(|_| CredsError::Http {
            what: WHAT.into(),
            url,
            problem: "the answer is not UTF-8".into(),
        })
    }
}

impl ProvideCredentials for ImdsProvider {
    fn credentials(&self) -> Result<Credentials, CredsError> {
        let ttl = vec![(
            "X-aws-ec2-metadata-token-ttl-seconds".to_string(),
            TOKEN_TTL_SECONDS.to_string(),
        )];
        let token = self.get("/latest/api/token", ttl, "PUT")?;
        let with_token = || {
            vec![(
                "X-aws-ec2-metadata-token".to_string(),
                token.trim().to_string(),
            )]
        };
        let roles = self.get(CREDENTIALS_PATH, with_token(), "GET")?;
        let Some(role) = roles.lines().map(str::trim).find(|line| !line.is_empty()) else {
            return Err(CredsError::Http {
                what: WHAT.into(),
                url: format!("{}{CREDENTIALS_PATH}", self.endpoint),
                problem: "no IAM role is attached to this instance".into(),
            });
        };
        let path = format!("{CREDENTIALS_PATH}{role}");
        let body = self.get(&path, with_token(), "GET")?;
        check_code(&body)
            .and_then(|()| credentials_from_json(body.as_bytes(), "Token"))
            .map_err(|problem| CredsError::Http {
                what: WHAT.into(),
                url: format!("{}{path}", self.endpoint),
                problem,
            })
    }

    fn source(&self) -> String {
        format!("{WHAT} at {}", self.endpoint)
    }
}

/// IMDS answers `"Code": "Success"` with usable credentials.
fn check_code(body: &str) -> Result<(), String> {
    let value: serde_json::Value =
        serde_json::from_str(body).map_err(|error| format!("the answer is not JSON ({error})"))?;
    match value.get("Code").and_then(serde_json::Value::as_str) {
        None | Some("Success") => Ok(()),
        Some(code) => Err(format!("the answer's Code is {code:?}, not \"Success\"")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disabled_endpoint_and_default() {
        let disabled =
            |name: &str| (name == "AWS_EC2_METADATA_DISABLED").then(|| "TRUE".to_string());
        let reason = ImdsProvider::from_env(&disabled).unwrap().err().unwrap();
        assert!(reason.contains("AWS_EC2_METADATA_DISABLED=true"));
        let provider = ImdsProvider::from_env(&|_: &str| None)
            .unwrap()
            .ok()
            .unwrap();
        assert_eq!(provider.endpoint, "http://169.254.169.254");
        let custom = |name: &str| {
            (name == "AWS_EC2_METADATA_SERVICE_ENDPOINT").then(|| "http://127.0.0.1:9/".to_string())
        };
        assert_eq!(
            ImdsProvider::from_env(&custom)
                .unwrap()
                .ok()
                .unwrap()
                .endpoint,
            "http://127.0.0.1:9"
        );
        let bad = |name: &str| {
            (name == "AWS_EC2_METADATA_SERVICE_ENDPOINT").then(|| "169.254.169.254".to_string())
        };
        assert!(ImdsProvider::from_env(&bad).is_err());
    }

    #[test]
    fn only_success_code_is_accepted() {
        assert_eq!(check_code(r#"{"Code":"Success"}"#), Ok(()));
        assert_eq!(check_code(r#"{"AccessKeyId":"A"}"#), Ok(()));
        assert!(check_code(r#"{"Code":"AssumeRoleUnauthorizedAccess"}"#)
            .unwrap_err()
            .contains("AssumeRoleUnauthorizedAccess"));
    }
}
