//! Container credentials (ECS tasks, EKS Pod Identity): AWS_CONTAINER_CREDENTIALS_RELATIVE_URI
//! against 169.254.170.2, or AWS_CONTAINER_CREDENTIALS_FULL_URI, with an optional
//! authorization token.

use std::path::PathBuf;
use std::time::Duration;

use super::endpoint::{host_of, is_loopback_host, validate_url};
use super::error::CredsError;
use super::net::{credentials_from_json, expect_ok, request, send};
use super::transport::local_options;
use super::{var, Env, ProvideCredentials};
use crate::sigv4::Credentials;

/// Why container credentials were not used, for the "no credentials" message.
pub(crate) const ABSENCE: &str =
    "container: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set";

const ECS_HOST: &str = "http://169.254.170.2";
const TIMEOUT: Duration = Duration::from_secs(2);
/// Hosts besides loopback a plain-http full URI may name: the ECS and EKS agents.
const AGENT_HOSTS: [&str; 3] = ["169.254.170.2", "169.254.170.23", "fd00:ec2::23"];

/// The authorization token sent as the `Authorization` header.
#[derive(Clone, Debug)]
enum Token {
    None,
    /// AWS_CONTAINER_AUTHORIZATION_TOKEN (its value is never shown).
    Value(String),
    /// AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE, read on every call as it is rotated.
    File(PathBuf),
}

/// Asks the container agent for credentials.
pub(crate) struct ContainerProvider {
    url: String,
    token: Token,
}

impl ContainerProvider {
    /// The provider the environment describes; `None` when neither URI variable is set.
    pub(crate) fn from_env(env: Env<'_>) -> Result<Option<ContainerProvider>, CredsError> {
        let url = if let Some(relative) = var(env, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            let separator = if relative.starts_with('/') { "" } else { "/" };
            format!("{ECS_HOST}{separator}{relative}")
        } else if let Some(full) = var(env, "AWS_CONTAINER_CREDENTIALS_FULL_URI") {
            check_full_uri(&full)?
        } else {
            return Ok(None);
        };
        let token = match (
            var(env, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"),
            var(env, "AWS_CONTAINER_AUTHORIZATION_TOKEN"),
        ) {
            (Some(file), _) => Token::File(PathBuf::from(file)),
            (None, Some(value)) => Token::Value(value),
            (None, None) => Token::None,
        };
        Ok(Some(ContainerProvider { url, token }))
    }

    fn authorization(&self) -> Result<Option<String>, CredsError> {
        let token = match &self.token {
            Token::None => return Ok(None),
            Token::Value(value) => value.clone(),
            Token::File(path) => crate::input::read_text(path)
                .map_err(|source| CredsError::ReadTokenFile {
                    what: "container authorization token",
                    path: path.clone(),
                    source,
                })?
                .trim()
                .to_string(),
        };
        if token.contains(['\r', '\n']) {
            return Err(self.failed("the authorization token contains a line break".into()));
        }
        Ok(Some(token))
    }

    fn failed(&self, problem: String) -> CredsError {
        CredsError::Http {
            what: "container credentials".into(),
            url: self.url.clone(),
            problem,
        }
    }
}

impl ProvideCredentials for ContainerProvider {
    fn credentials(&self) -> Result<Credentials, CredsError> {
        let headers = self
            .authorization()?
            .map(|token| ("Authorization".to_string(), token))
            .into_iter()
            .collect();
        let what = "container credentials";
        let response = send(
            &local_options(TIMEOUT),
            &request("GET", self.url.clone(), headers),
            what,
        )?;
        let response = expect_ok(response, what, &self.url)?;
        credentials_from_json(&response.body, "Token").map_err(|problem| self.failed(problem))
    }

    fn source(&self) -> String {
        format!("container credentials at {}", self.url)
    }
}

/// A full URI must be https, or plain http to a container agent or loopback address.
fn check_full_uri(url: &str) -> Result<String, CredsError> {
    let origin = "environment variable AWS_CONTAINER_CREDENTIALS_FULL_URI";
    let url = validate_url(url, origin)?;
    if !url.starts_with("http://") || host_of(&url).is_some_and(is_allowed_http_host) {
        return Ok(url);
    }
    Err(CredsError::InvalidEndpoint {
        origin: origin.into(),
        url,
        problem: "plain http is only allowed to 169.254.170.2, 169.254.170.23, fd00:ec2::23 or a loopback address; use https".into(),
    })
}

fn is_allowed_http_host(host: &str) -> bool {
    AGENT_HOSTS.contains(&host) || is_loopback_host(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_uri_goes_to_the_ecs_agent_and_wins_over_full_uri() {
        let env = |name: &str| match name {
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI" => Some("/v2/credentials/abc".to_string()),
            "AWS_CONTAINER_CREDENTIALS_FULL_URI" => Some("http://127.0.0.1:1/x".to_string()),
            _ => None,
        };
        let provider = ContainerProvider::from_env(&env).unwrap().unwrap();
        assert_eq!(provider.url, "http://169.254.170.2/v2/credentials/abc");
        assert_eq!(
            provider.source(),
            "container credentials at http://169.254.170.2/v2/credentials/abc"
        );
        assert!(ContainerProvider::from_env(&|_: &str| None)
            .unwrap()
            .is_none());
    }

    #[test]
    fn full_uri_must_be_https_or_a_known_host() {
        assert!(check_full_uri("http://169.254.170.23/v1/credentials").is_ok());
        assert!(check_full_uri("http://127.0.0.1:8080/creds").is_ok());
        assert!(check_full_uri("http://[::1]:8080/creds").is_ok());
        assert!(check_full_uri("http://[fd00:ec2::23]/creds").is_ok());
        assert!(check_full_uri("http://127.0.0.1.evil.example/creds").is_err());
        assert!(check_full_uri("http://localhost.evil.example/creds").is_err());
        assert!(check_full_uri("HTTP://creds.example/creds").is_err());
        assert!(check_full_uri("https://creds.example/x").is_ok());
        let text = check_full_uri("http://creds.example/x")
            .unwrap_err()
            .to_string();
        assert!(
            text.contains("AWS_CONTAINER_CREDENTIALS_FULL_URI") && text.contains("use https"),
            "{text}"
        );
    }

    #[test]
    fn token_file_wins_over_token_and_is_read_when_used() {
        let env = |name: &str| match name {
            "AWS_CONTAINER_CREDENTIALS_FULL_URI" => Some("http://localhost/creds".to_string()),
            "AWS_CONTAINER_AUTHORIZATION_TOKEN" => Some("inline".to_string()),
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE" => Some("/no/such/token".to_string()),
            _ => None,
        };
        let provider = ContainerProvider::from_env(&env).unwrap().unwrap();
        let text = provider.authorization().unwrap_err().to_string();
        assert!(
            text.contains("container authorization token file /no/such/token"),
            "{text}"
        );
        let inline = ContainerProvider {
            url: provider.url.clone(),
            token: Token::Value("a\nb".into()),
        };
        assert!(inline
            .authorization()
            .unwrap_err()
            .to_string()
            .contains("line break"));
    }
}
