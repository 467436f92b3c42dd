//! Keys from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN.

use super::error::CredsError;
use super::{var, Env, StaticProvider};
use crate::sigv4::Credentials;

/// Why the environment gave no keys, for the "no credentials" message.
pub(crate) const ABSENCE: &str =
    "environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set";

/// The environment's keys; `None` when neither variable is set, an error when only one is.
pub(crate) fn keys(env: Env<'_>) -> Result<Option<StaticProvider>, CredsError> {
    let key_id = var(env, "AWS_ACCESS_KEY_ID");
    let secret = var(env, "AWS_SECRET_ACCESS_KEY");
    let incomplete = |set: &str, missing: &str| CredsError::IncompleteEnvironment {
        set: set.to_string(),
        missing: missing.to_string(),
    };
    match (key_id, secret) {
        (None, None) => Ok(None),
        (Some(_), None) => Err(incomplete("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")),
        (None, Some(_)) => Err(incomplete("AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID")),
        (Some(access_key_id), Some(secret_access_key)) => Ok(Some(StaticProvider {
            credentials: Credentials {
                access_key_id,
                secret_access_key,
                session_token: var(env, "AWS_SESSION_TOKEN"),
                expires_at: None,
            },
            source: "environment (AWS_ACCESS_KEY_ID)".into(),
        })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::creds::ProvideCredentials;

    #[test]
    fn reads_keys_and_token() {
        let env = |name: &str| match name {
            "AWS_ACCESS_KEY_ID" => Some("AKIAENV".to_string()),
            "AWS_SECRET_ACCESS_KEY" => Some("env-secret".to_string()),
            "AWS_SESSION_TOKEN" => Some("env-token".to_string()),
            _ => None,
        };
        let provider = keys(&env).unwrap().unwrap();
        let credentials = provider.credentials().unwrap();
        assert_eq!(credentials.access_key_id, "AKIAENV");
        assert_eq!(credentials.session_token.as_deref(), Some("env-token"));
        assert_eq!(provider.source(), "environment (AWS_ACCESS_KEY_ID)");
    }

    #[test]
    fn one_key_without_the_other_is_an_error_and_none_is_absence() {
        let only_id = |name: &str| (name == "AWS_ACCESS_KEY_ID").then(|| "AKIA".to_string());
        let text = keys(&only_id).err().unwrap().to_string();
        assert_eq!(text, "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not; set both, or unset AWS_ACCESS_KEY_ID");
        let empty = |_: &str| Some(String::new());
        assert!(
            keys(&empty).unwrap().is_none(),
            "empty variables count as unset"
        );
    }
}
