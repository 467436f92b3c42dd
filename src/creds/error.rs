//! Why credentials or an endpoint could not be had, each with what to do about it.

use std::fmt;
use std::path::PathBuf;
use std::time::SystemTime;

use crate::input::InputError;
use crate::time::format_iso8601;

/// A failure to find, read or obtain credentials, or to work out where to send requests.
/// No variant ever holds a secret.
#[derive(Debug)]
pub enum CredsError {
    /// The creds file `--creds` names does not exist.
    CredsFileMissing { path: PathBuf },
    /// creds.json exists but could not be read.
    ReadCredsFile { path: PathBuf, source: InputError },
    /// creds.json is not a JSON object of objects.
    ParseCredsFile { path: PathBuf, problem: String },
    /// The creds.json entry exists but cannot be used as it is.
    InvalidEntry {
        path: PathBuf,
        entry: String,
        problem: String,
    },
    /// creds.json has no entry named after the DNS provider.
    NoSuchEntry {
        path: PathBuf,
        entry: String,
        /// The entries it has.
        entries: Vec<String>,
    },
    /// A `"!command"` value in the entry could not be run or printed nothing usable.
    ValueCommand {
        path: PathBuf,
        entry: String,
        key: String,
        /// The program the command runs, without its arguments (they may hold secrets).
        program: String,
        problem: String,
    },
    /// A `"$NAME"` value in the entry names a variable that is not set.
    UnsetVariable {
        path: PathBuf,
        entry: String,
        key: String,
        variable: String,
    },
    /// No source had credentials; `tried` says what was looked at, one line per source.
    NoCredentials { entry: String, tried: Vec<String> },
    /// Only one of a pair of variables that belong together is set.
    IncompleteEnvironment { set: String, missing: String },
    /// An environment variable has a value that cannot be used.
    InvalidVariable {
        name: String,
        value: String,
        problem: String,
    },
    /// `~/.aws/credentials` or `~/.aws/config` could not be read or parsed.
    SharedFile { path: PathBuf, problem: String },
    /// A profile exists but cannot give credentials.
    Profile { profile: String, problem: String },
    /// A file that holds a token could not be read.
    ReadTokenFile {
        what: &'static str,
        path: PathBuf,
        source: InputError,
    },
    /// A profile's `credential_process` failed or printed something unusable.
    CredentialProcess {
        profile: String,
        /// The program it runs, without its arguments (they may hold secrets).
        program: String,
        problem: String,
    },
    /// STS answered with an error.
    Sts(Box<StsFailure>),
    /// A credentials endpoint (STS, container, instance metadata) could not be reached or
    /// answered with something unusable.
    Http {
        what: String,
        url: String,
        problem: String,
    },
    /// An endpoint URL is unusable; `origin` says where it was set.
    InvalidEndpoint {
        origin: String,
        url: String,
        problem: String,
    },
    /// A partition name that is not one of the five we know.
    UnknownPartition { origin: String, value: String },
    /// A source handed out credentials that have already expired.
    Expired {
        source: String,
        expired_at: SystemTime,
    },
}

/// An error answer of STS: what was asked, and what STS said.
#[derive(Debug)]
pub struct StsFailure {
    /// `AssumeRole` or `AssumeRoleWithWebIdentity`.
    pub action: &'static str,
    pub role_arn: String,
    pub url: String,
    /// HTTP status.
    pub status: u16,
    /// STS error code, e.g. `AccessDenied`.
    pub code: String,
    pub message: String,
    pub request_id: Option<String>,
}

impl fmt::Display for StsFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "STS {} for role {} at {} failed: {} (HTTP {}): {}",
            self.action, self.role_arn, self.url, self.code, self.status, self.message
        )?;
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        if let Some(hint) = sts_hint(&self.code) {
            write!(f, "; {hint}")?;
        }
        Ok(())
    }
}

impl fmt::Display for CredsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CredsError::CredsFileMissing { path } => write!(
                f,
                "creds file {} does not exist; check --creds (only the default creds.json may be \
                 absent: then the AWS credential chain is used)",
                path.display()
            ),
            CredsError::ReadCredsFile { path, source } => write!(
                f,
                "cannot read creds file {}: {source}; check the path given with --creds and the file's permissions",
                path.display()
            ),
            CredsError::ParseCredsFile { path, problem } => write!(
                f,
                "creds file {} is not valid: {problem}; it must be a JSON object like {{\"r53_main\": {{\"TYPE\": \"ROUTE53\", \"KeyId\": \"…\", \"SecretKey\": \"…\"}}}}",
                path.display()
            ),
            CredsError::InvalidEntry { path, entry, problem } => write!(
                f,
                "entry \"{entry}\" in {}: {problem}",
                path.display()
            ),
            CredsError::NoSuchEntry { path, entry, entries } => {
                let listed: Vec<String> = entries.iter().map(|name| format!("{name:?}")).collect();
                let listed = if listed.is_empty() {
                    "it has no entries".to_string()
                } else {
                    format!("it has {}", listed.join(", "))
                };
                write!(
                    f,
                    "creds file {} has no entry \"{entry}\" ({listed}). The creds.json entry name \
                     must match the DNS provider's name in the config (\"{entry}\"): add \
                     {{\"{entry}\": {{\"TYPE\": \"ROUTE53\", \"KeyId\": \"$AWS_ACCESS_KEY_ID\", \
                     \"SecretKey\": \"$AWS_SECRET_ACCESS_KEY\"}}}}, \
                     or {{\"{entry}\": {{\"TYPE\": \"ROUTE53\"}}}} to use the AWS credential chain \
                     (environment, ~/.aws, instance role)",
                    path.display()
                )
            }
            CredsError::ValueCommand { path, entry, key, program, problem } => write!(
                f,
                "entry \"{entry}\" in {}: the command of {key} ({program}) {problem}",
                path.display()
            ),
            CredsError::UnsetVariable { path, entry, key, variable } => write!(
                f,
                "entry \"{entry}\" in {} sets {key} to \"${variable}\", but the environment variable {variable} is not set; export it or put the value in the file",
                path.display()
            ),
            CredsError::NoCredentials { entry, tried } => {
                writeln!(f, "no AWS credentials found for DNS provider \"{entry}\". Looked at:")?;
                for line in tried {
                    writeln!(f, "  - {line}")?;
                }
                write!(
                    f,
                    "The creds.json entry name must match the DNS provider's name in the config (\"{entry}\"). \
                     Add {{\"{entry}\": {{\"TYPE\": \"ROUTE53\", \"KeyId\": \"$AWS_ACCESS_KEY_ID\", \"SecretKey\": \"$AWS_SECRET_ACCESS_KEY\"}}}} to creds.json, \
                     or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE"
                )
            }
            CredsError::IncompleteEnvironment { set, missing } => write!(
                f,
                "{set} is set but {missing} is not; set both, or unset {set}"
            ),
            CredsError::InvalidVariable { name, value, problem } => {
                write!(f, "{name}={value:?} is not usable: {problem}")
            }
            CredsError::SharedFile { path, problem } => {
                write!(f, "cannot use AWS shared file {}: {problem}", path.display())
            }
            CredsError::Profile { profile, problem } => {
                write!(f, "AWS profile \"{profile}\": {problem}")
            }
            CredsError::ReadTokenFile { what, path, source } => {
                write!(f, "cannot read the {what} file {}: {source}", path.display())
            }
            CredsError::CredentialProcess { profile, program, problem } => write!(
                f,
                "credential_process of profile \"{profile}\" ({program}): {problem}"
            ),
            CredsError::Sts(failure) => failure.fmt(f),
            CredsError::Http { what, url, problem } => write!(f, "{what} at {url}: {problem}"),
            CredsError::InvalidEndpoint { origin, url, problem } => write!(
                f,
                "endpoint {url:?} from {origin} is not usable: {problem}; write it like https://route53.amazonaws.com"
            ),
            CredsError::UnknownPartition { origin, value } => write!(
                f,
                "unknown partition {value:?} in {origin}; use one of aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b"
            ),
            CredsError::Expired { source, expired_at } => write!(
                f,
                "the credentials from {source} expired at {}; refresh them at their source (or check the system clock)",
                format_iso8601(*expired_at)
            ),
        }
    }
}

/// What usually fixes an STS error code.
fn sts_hint(code: &str) -> Option<&'static str> {
    match code {
        "AccessDenied" => Some(
            "the base credentials may not call sts:AssumeRole on this role, or the role's trust policy does not allow them (or needs an ExternalId)",
        ),
        "InvalidClientTokenId" => Some("the base credentials' access key id is unknown to AWS"),
        "SignatureDoesNotMatch" => Some("the base credentials' secret key is wrong"),
        "ExpiredToken" => Some("the base credentials' session token has expired; refresh it"),
        "RegionDisabledException" => Some("STS is not activated in this region for the account"),
        _ => None,
    }
}

impl CredsError {
    /// Whether the command line is at fault (exit code 2): it names a creds file that does not
    /// exist.
    pub fn is_usage(&self) -> bool {
        matches!(self, CredsError::CredsFileMissing { .. })
    }
}

impl std::error::Error for CredsError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CredsError::ReadCredsFile { source, .. } | CredsError::ReadTokenFile { source, .. } => {
                Some(source)
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sts_error_shows_code_message_status_request_id_and_hint() {
        let error = CredsError::Sts(Box::new(StsFailure {
            action: "AssumeRole",
            role_arn: "arn:aws:iam::123456789012:role/dns".into(),
            url: "https://sts.us-east-1.amazonaws.com".into(),
            status: 403,
            code: "AccessDenied".into(),
            message: "User is not authorized".into(),
            request_id: Some("c6104cbe-af31-11e0-8154-cbc7ccf896c7".into()),
        }));
        let text = error.to_string();
        for part in [
            "AssumeRole",
            "arn:aws:iam::123456789012:role/dns",
            "AccessDenied (HTTP 403): User is not authorized",
            "request id c6104cbe-af31-11e0-8154-cbc7ccf896c7",
            "trust policy",
        ] {
            assert!(text.contains(part), "{part:?} missing from {text}");
        }
    }

    #[test]
    fn no_credentials_lists_every_source_and_the_naming_rule() {
        let error = CredsError::NoCredentials {
            entry: "r53_main".into(),
            tried: vec![
                "creds.json /x/creds.json does not exist".into(),
                "environment: unset".into(),
            ],
        };
        let text = error.to_string();
        assert!(text.contains("\"r53_main\""));
        assert!(text.contains("  - creds.json /x/creds.json does not exist\n"));
        assert!(text.contains("  - environment: unset\n"));
        assert!(text.contains("must match the DNS provider's name"));
        assert!(!text.contains("NoCredentialProviders"));
    }
}
