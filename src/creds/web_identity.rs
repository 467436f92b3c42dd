//! Web identity (EKS IRSA, GitHub OIDC): AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN, exchanged
//! for credentials by STS AssumeRoleWithWebIdentity.

use std::path::PathBuf;

use super::error::CredsError;
use super::sts::{assume_role_with_web_identity, Role, Sts};
use super::{var, Env, ProvideCredentials};
use crate::sigv4::Credentials;

/// Why web identity was not used, for the "no credentials" message.
pub(crate) const ABSENCE: &str =
    "web identity: AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are not set";

/// Reads the token file (it is rotated, so on every call) and asks STS for credentials.
pub(crate) struct WebIdentityProvider {
    pub(crate) token_file: PathBuf,
    pub(crate) role: Role,
    pub(crate) sts: Sts,
}

impl ProvideCredentials for WebIdentityProvider {
    fn credentials(&self) -> Result<Credentials, CredsError> {
        let token = crate::input::read_text(&self.token_file).map_err(|source| {
            CredsError::ReadTokenFile {
                what: "web identity token",
                path: self.token_file.clone(),
                source,
            }
        })?;
        assume_role_with_web_identity(&self.sts, &self.role, token.trim())
    }

    fn source(&self) -> String {
        format!(
            "assumed role {} via web identity token {}",
            self.role.arn,
            self.token_file.display()
        )
    }
}

/// The token file and role from the environment; `None` when neither is set.
pub(crate) fn from_env(env: Env<'_>) -> Result<Option<(PathBuf, Role)>, CredsError> {
    let token_file = var(env, "AWS_WEB_IDENTITY_TOKEN_FILE");
    let role_arn = var(env, "AWS_ROLE_ARN");
    let incomplete = |set: &str, missing: &str| CredsError::IncompleteEnvironment {
        set: set.to_string(),
        missing: missing.to_string(),
    };
    match (token_file, role_arn) {
        (None, None) => Ok(None),
        (Some(_), None) => Err(incomplete("AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN")),
        (None, Some(_)) => Err(incomplete("AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE")),
        (Some(file), Some(arn)) => Ok(Some((
            PathBuf::from(file),
            Role {
                arn,
                external_id: None,
                session_name: var(env, "AWS_ROLE_SESSION_NAME"),
            },
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_three_variables() {
        let env = |name: &str| match name {
            "AWS_WEB_IDENTITY_TOKEN_FILE" => Some("/var/run/secrets/token".to_string()),
            "AWS_ROLE_ARN" => Some("arn:aws:iam::1:role/ci".to_string()),
            "AWS_ROLE_SESSION_NAME" => Some("ci-run".to_string()),
            _ => None,
        };
        let (file, role) = from_env(&env).unwrap().unwrap();
        assert_eq!(file, PathBuf::from("/var/run/secrets/token"));
        assert_eq!(
            (role.arn.as_str(), role.session_name.as_deref()),
            ("arn:aws:iam::1:role/ci", Some("ci-run"))
        );
        assert!(from_env(&|_: &str| None).unwrap().is_none());
        let half = |name: &str| (name == "AWS_ROLE_ARN").then(|| "arn".to_string());
        assert!(from_env(&half)
            .unwrap_err()
            .to_string()
            .contains("AWS_WEB_IDENTITY_TOKEN_FILE is not"));
    }
}
