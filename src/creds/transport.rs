//! How to connect, from the environment: CA bundle, proxies and timeouts.

use std::path::PathBuf;
use std::time::Duration;

use super::error::CredsError;
use super::{var, Env};
use crate::http::TransportOptions;

const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const READ_TIMEOUT: Duration = Duration::from_secs(30);

/// TransportOptions from AWS_CA_BUNDLE, HTTPS_PROXY, HTTP_PROXY, NO_PROXY (upper or lower case)
/// and R53CTL_CONNECT_TIMEOUT / R53CTL_READ_TIMEOUT (seconds; defaults 5 and 30).
pub fn transport_options(env: Env<'_>) -> Result<TransportOptions, CredsError> {
    let either = |upper: &str, lower: &str| var(env, upper).or_else(|| var(env, lower));
    let ca_bundle = var(env, "AWS_CA_BUNDLE").map(PathBuf::from);
    if let Some(path) = ca_bundle.as_ref().filter(|path| !path.is_file()) {
        return Err(CredsError::InvalidVariable {
            name: "AWS_CA_BUNDLE".into(),
            value: path.display().to_string(),
            problem: "no such file; point it at a PEM file of CA certificates".into(),
        });
    }
    Ok(TransportOptions {
        ca_bundle,
        https_proxy: either("HTTPS_PROXY", "https_proxy"),
        http_proxy: either("HTTP_PROXY", "http_proxy"),
        no_proxy: either("NO_PROXY", "no_proxy"),
        connect_timeout: timeout(env, "R53CTL_CONNECT_TIMEOUT", CONNECT_TIMEOUT)?,
        read_timeout: timeout(env, "R53CTL_READ_TIMEOUT", READ_TIMEOUT)?,
    })
}

/// Options for link-local credential endpoints: never through a proxy, short timeouts.
pub(crate) fn local_options(timeout: Duration) -> TransportOptions {
    TransportOptions {
        ca_bundle: None,
        https_proxy: None,
        http_proxy: None,
        no_proxy: None,
        connect_timeout: timeout,
        read_timeout: timeout,
    }
}

fn timeout(env: Env<'_>, name: &str, default: Duration) -> Result<Duration, CredsError> {
    let Some(value) = var(env, name) else {
        return Ok(default);
    };
    match value.trim().parse::<f64>() {
        Ok(seconds) if seconds > 0.0 && seconds <= 3600.0 => Ok(Duration::from_secs_f64(seconds)),
        _ => Err(CredsError::InvalidVariable {
            name: name.to_string(),
            value,
            problem: "it must be a number of seconds above 0 and at most 3600".into(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_without_variables() {
        let options = transport_options(&|_: &str| None).unwrap();
        assert_eq!(options.connect_timeout, Duration::from_secs(5));
        assert_eq!(options.read_timeout, Duration::from_secs(30));
        assert!(
            options.ca_bundle.is_none()
                && options.https_proxy.is_none()
                && options.no_proxy.is_none()
        );
    }

    #[test]
    fn reads_proxies_upper_case_first_and_timeouts() {
        let manifest = env!("CARGO_MANIFEST_DIR").to_string();
        let env = move |name: &str| match name {
            "HTTPS_PROXY" => Some("http://proxy:3128".to_string()),
            "https_proxy" => Some("http://lower:3128".to_string()),
            "http_proxy" => Some("http://plain:3128".to_string()),
            "no_proxy" => Some("localhost,127.0.0.1".to_string()),
            "R53CTL_CONNECT_TIMEOUT" => Some("2".to_string()),
            "R53CTL_READ_TIMEOUT" => Some("0.5".to_string()),
            "AWS_CA_BUNDLE" => Some(format!("{manifest}/Cargo.toml")),
            _ => None,
        };
        let options = transport_options(&env).unwrap();
        assert_eq!(options.https_proxy.as_deref(), Some("http://proxy:3128"));
        assert_eq!(options.http_proxy.as_deref(), Some("http://plain:3128"));
        assert_eq!(options.no_proxy.as_deref(), Some("localhost,127.0.0.1"));
        assert_eq!(options.connect_timeout, Duration::from_secs(2));
        assert_eq!(options.read_timeout, Duration::from_millis(500));
        assert!(options.ca_bundle.is_some());
    }

    #[test]
    fn bad_values_are_named() {
        let env = |name: &str| (name == "R53CTL_READ_TIMEOUT").then(|| "soon".to_string());
        let text = transport_options(&env).unwrap_err().to_string();
        assert!(text.contains("R53CTL_READ_TIMEOUT=\"soon\""), "{text}");
        let env = |name: &str| (name == "AWS_CA_BUNDLE").then(|| "/no/such/ca.pem".to_string());
        let text = transport_options(&env).unwrap_err().to_string();
        assert!(
            text.contains("AWS_CA_BUNDLE") && text.contains("/no/such/ca.pem"),
            "{text}"
        );
    }
}
