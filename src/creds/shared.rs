//! The AWS shared files, `~/.aws/credentials` and `~/.aws/config`: their INI format, profiles,
//! and what a profile says about where its credentials come from.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::error::CredsError;
use super::{var, Env};
use crate::sigv4::Credentials;

/// Profile keys that say where credentials come from; a profile without any (e.g. a `[default]`
/// with only `region`) has no credentials.
const CREDENTIAL_KEYS: [&str; 8] = [
    "aws_access_key_id",
    "aws_secret_access_key",
    "role_arn",
    "credential_process",
    "credential_source",
    "web_identity_token_file",
    "sso_start_url",
    "sso_session",
];

/// One shared file: its path and its profiles, `None` when it does not exist.
struct SharedFile {
    path: PathBuf,
    profiles: Option<BTreeMap<String, BTreeMap<String, String>>>,
}

/// Both shared files, read once.
pub(crate) struct SharedFiles {
    /// `~/.aws/credentials`; `None` when neither HOME nor AWS_SHARED_CREDENTIALS_FILE is set.
    credentials: Option<SharedFile>,
    /// `~/.aws/config`; `None` when neither HOME nor AWS_CONFIG_FILE is set.
    config: Option<SharedFile>,
}

/// How a profile gets its credentials.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum ProfilePlan {
    /// Keys written in the file.
    Static {
        credentials: Credentials,
        source: String,
    },
    /// Run `command` and read its JSON.
    Process {
        profile: String,
        command: String,
        source: String,
    },
    /// Assume `role` with the credentials `base` gives.
    AssumeRole { role: RoleSettings, base: RoleBase },
    /// Assume `role` with a web identity token read from `token_file`.
    WebIdentity {
        role: RoleSettings,
        token_file: PathBuf,
    },
}

/// Where the credentials to assume a role with come from.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum RoleBase {
    /// `source_profile`.
    Profile(Box<ProfilePlan>),
    /// `credential_source`: another source of the default chain.
    CredentialSource(CredentialSource),
}

/// The role a profile assumes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RoleSettings {
    pub(crate) role_arn: String,
    pub(crate) external_id: Option<String>,
    pub(crate) session_name: Option<String>,
    /// The profile's `region`, for the STS endpoint.
    pub(crate) region: Option<String>,
    /// The profile that sets `role_arn`.
    pub(crate) profile: String,
}

/// The values of `credential_source`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CredentialSource {
    Environment,
    Ec2InstanceMetadata,
    EcsContainer,
}

/// A profile's settings merged from both files, each value with the file it came from; the
/// credentials file wins over the config file.
struct Profile<'a> {
    name: &'a str,
    values: BTreeMap<&'a str, (&'a str, &'a Path)>,
}

impl<'a> Profile<'a> {
    fn get(&self, key: &str) -> Option<&'a str> {
        self.values
            .get(key)
            .map(|(value, _)| *value)
            .filter(|v| !v.is_empty())
    }

    fn has_credentials(&self) -> bool {
        CREDENTIAL_KEYS.iter().any(|key| self.get(key).is_some())
    }

    /// `profile "x" in /path/of/key`, naming the file that holds `key`.
    fn describe(&self, key: &str) -> String {
        let file = self.values.get(key).or_else(|| self.values.values().next());
        match file {
            Some((_, path)) => format!("profile \"{}\" in {}", self.name, path.display()),
            None => format!("profile \"{}\"", self.name),
        }
    }

    fn error(&self, problem: impl Into<String>) -> CredsError {
        CredsError::Profile {
            profile: self.name.to_string(),
            problem: problem.into(),
        }
    }
}

impl SharedFiles {
    /// Reads the files named by AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE, else those under
    /// `$HOME/.aws`. A missing file is not an error.
    pub(crate) fn load(env: Env<'_>) -> Result<SharedFiles, CredsError> {
        let home = var(env, "HOME");
        let locate = |variable: &str, default: &str| {
            var(env, variable)
                .map(|path| expand_home(&path, home.as_deref()))
                .or_else(|| {
                    home.as_ref()
                        .map(|home| Path::new(home).join(".aws").join(default))
                })
        };
        let credentials = locate("AWS_SHARED_CREDENTIALS_FILE", "credentials")
            .map(|path| read(path, false))
            .transpose()?;
        let config = locate("AWS_CONFIG_FILE", "config")
            .map(|path| read(path, true))
            .transpose()?;
        Ok(SharedFiles {
            credentials,
            config,
        })
    }

    /// The plan of profile `name`. `None` when the profile does not exist or holds no credential
    /// settings and was not asked for `explicitly` (then the next source is tried); an error when
    /// it was.
    pub(crate) fn plan(
        &self,
        name: &str,
        explicitly: bool,
    ) -> Result<Option<ProfilePlan>, CredsError> {
        match self.profile(name) {
            Some(profile) if profile.has_credentials() => self.resolve(&profile, &mut Vec::new()).map(Some),
            Some(profile) if explicitly => Err(profile.error(format!(
                "{} has no credentials; add aws_access_key_id and aws_secret_access_key, role_arn with source_profile, or credential_process",
                profile.describe("region")
            ))),
            None if explicitly => Err(CredsError::Profile {
                profile: name.to_string(),
                problem: format!("not found in {}", self.describe_files()),
            }),
            _ => Ok(None),
        }
    }

    /// Why profile `name` gave nothing, for the "no credentials" message.
    pub(crate) fn absence(&self, name: &str) -> String {
        if self.credentials.is_none() && self.config.is_none() {
            return "shared files: HOME is not set and neither are AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE".into();
        }
        let state = if self.profile(name).is_some() {
            "with no credentials"
        } else {
            "not found"
        };
        format!(
            "shared files: profile \"{name}\" {state} in {}",
            self.describe_files()
        )
    }

    fn describe_files(&self) -> String {
        let describe = |file: &SharedFile| match file.profiles {
            Some(_) => file.path.display().to_string(),
            None => format!("{} (does not exist)", file.path.display()),
        };
        let files: Vec<String> = [&self.credentials, &self.config]
            .into_iter()
            .flatten()
            .map(describe)
            .collect();
        files.join(" or ")
    }

    fn profile<'a>(&'a self, name: &'a str) -> Option<Profile<'a>> {
        let mut values = BTreeMap::new();
        // Config first so the credentials file overrides it.
        for file in [&self.config, &self.credentials].into_iter().flatten() {
            let found = file
                .profiles
                .as_ref()
                .and_then(|profiles| profiles.get(name));
            for (key, value) in found.into_iter().flatten() {
                values.insert(key.as_str(), (value.as_str(), file.path.as_path()));
            }
        }
        let exists = [&self.config, &self.credentials]
            .into_iter()
            .flatten()
            .any(|file| file.profiles.as_ref().is_some_and(|p| p.contains_key(name)));
        exists.then_some(Profile { name, values })
    }

    /// Follows role_arn / source_profile until a profile with keys, a process or another source.
    /// `visited` holds the profiles already on the chain, to refuse loops.
    fn resolve(
        &self,
        profile: &Profile<'_>,
        visited: &mut Vec<String>,
    ) -> Result<ProfilePlan, CredsError> {
        let is_source_profile = !visited.is_empty();
        visited.push(profile.name.to_string());
        if is_source_profile && profile.get("aws_access_key_id").is_some() {
            return static_plan(profile);
        }
        if let Some(role_arn) = profile.get("role_arn") {
            return self.role_plan(profile, role_arn, visited);
        }
        if let Some(command) = profile.get("credential_process") {
            return Ok(ProfilePlan::Process {
                profile: profile.name.to_string(),
                command: command.to_string(),
                source: profile.describe("credential_process"),
            });
        }
        if profile.get("aws_access_key_id").is_some()
            || profile.get("aws_secret_access_key").is_some()
        {
            return static_plan(profile);
        }
        if profile.get("sso_start_url").is_some() || profile.get("sso_session").is_some() {
            return Err(profile.error(format!(
                "IAM Identity Center (SSO) profiles are not supported directly; add `credential_process = aws configure export-credentials --profile {} --format process` to it, after `aws sso login`",
                profile.name
            )));
        }
        Err(profile.error(format!(
            "{} has no credentials; add aws_access_key_id and aws_secret_access_key, role_arn with source_profile, or credential_process",
            profile.describe("region")
        )))
    }

    fn role_plan(
        &self,
        profile: &Profile<'_>,
        role_arn: &str,
        visited: &mut Vec<String>,
    ) -> Result<ProfilePlan, CredsError> {
        let role = RoleSettings {
            role_arn: role_arn.to_string(),
            external_id: profile.get("external_id").map(str::to_string),
            session_name: profile.get("role_session_name").map(str::to_string),
            region: profile.get("region").map(str::to_string),
            profile: profile.name.to_string(),
        };
        let source_profile = profile.get("source_profile");
        let credential_source = profile.get("credential_source");
        let base = match (source_profile, credential_source) {
            (Some(_), Some(_)) => {
                return Err(profile.error("sets both source_profile and credential_source; keep one"))
            }
            (Some(source), None) if source == profile.name => {
                if profile.get("aws_access_key_id").is_none() {
                    return Err(profile.error("is its own source_profile but has no aws_access_key_id"));
                }
                RoleBase::Profile(Box::new(static_plan(profile)?))
            }
            (Some(source), None) => RoleBase::Profile(Box::new(self.source_plan(profile, source, visited)?)),
            (None, Some(source)) => RoleBase::CredentialSource(parse_credential_source(profile, source)?),
            (None, None) => {
                return match profile.get("web_identity_token_file") {
                    Some(file) => Ok(ProfilePlan::WebIdentity { role, token_file: PathBuf::from(file) }),
                    None => Err(profile.error(
                        "sets role_arn but neither source_profile nor credential_source; add source_profile = <profile with keys>",
                    )),
                }
            }
        };
        Ok(ProfilePlan::AssumeRole { role, base })
    }

    fn source_plan(
        &self,
        profile: &Profile<'_>,
        source: &str,
        visited: &mut Vec<String>,
    ) -> Result<ProfilePlan, CredsError> {
        if visited.iter().any(|seen| seen == source) {
            let chain: Vec<&str> = visited.iter().map(String::as_str).chain([source]).collect();
            return Err(profile.error(format!(
                "source_profile chain loops: {}",
                chain.join(" -> ")
            )));
        }
        let Some(next) = self.profile(source) else {
            return Err(profile.error(format!(
                "its source_profile \"{source}\" is not found in {}",
                self.describe_files()
            )));
        };
        self.resolve(&next, visited)
    }
}

fn static_plan(profile: &Profile<'_>) -> Result<ProfilePlan, CredsError> {
    let (Some(key_id), Some(secret)) = (
        profile.get("aws_access_key_id"),
        profile.get("aws_secret_access_key"),
    ) else {
        return Err(profile.error("needs both aws_access_key_id and aws_secret_access_key"));
    };
    Ok(ProfilePlan::Static {
        credentials: Credentials {
            access_key_id: key_id.to_string(),
            secret_access_key: secret.to_string(),
            session_token: profile.get("aws_session_token").map(str::to_string),
            expires_at: None,
        },
        source: profile.describe("aws_access_key_id"),
    })
}

fn parse_credential_source(
    profile: &Profile<'_>,
    value: &str,
) -> Result<CredentialSource, CredsError> {
    match value {
        "Environment" => Ok(CredentialSource::Environment),
        "Ec2InstanceMetadata" => Ok(CredentialSource::Ec2InstanceMetadata),
        "EcsContainer" => Ok(CredentialSource::EcsContainer),
        other => Err(profile.error(format!(
            "credential_source \"{other}\" is not one of Environment, Ec2InstanceMetadata, EcsContainer"
        ))),
    }
}

/// `~/x` → `$HOME/x`.
fn expand_home(path: &str, home: Option<&str>) -> PathBuf {
    match (path.strip_prefix("~/"), home) {
        (Some(rest), Some(home)) => Path::new(home).join(rest),
        _ => PathBuf::from(path),
    }
}

fn read(path: PathBuf, is_config: bool) -> Result<SharedFile, CredsError> {
    let text = match crate::input::read_text(&path) {
        Ok(text) => text,
        Err(error) if error.is_not_found() => {
            return Ok(SharedFile {
                path,
                profiles: None,
            })
        }
        Err(error) => {
            return Err(CredsError::SharedFile {
                path,
                problem: error.to_string(),
            });
        }
    };
    match parse_ini(&text, is_config) {
        Ok(profiles) => Ok(SharedFile {
            path,
            profiles: Some(profiles),
        }),
        Err(problem) => Err(CredsError::SharedFile { path, problem }),
    }
}

/// Parses the INI dialect of the AWS shared files into profile → key → value. In the config file
/// profiles are `[default]` and `[profile name]`; other sections (`[sso-session x]`,
/// `[services x]`) are skipped. Keys are lower-cased; indented lines (sub-properties such as
/// `s3 =` blocks) are skipped. Errors give the line number, never the line (it may be a secret).
pub fn parse_ini(
    text: &str,
    is_config: bool,
) -> Result<BTreeMap<String, BTreeMap<String, String>>, String> {
    let mut profiles: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    // The profile being read; `Some(None)` is a section that is not a profile.
    let mut current: Option<Option<String>> = None;
    for (index, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        let number = index + 1;
        if let Some(header) = line.strip_prefix('[') {
            let name = header
                .strip_suffix(']')
                .ok_or_else(|| format!("line {number}: a section header must end with ]"))?;
            let profile = profile_name(name.trim(), is_config);
            if let Some(profile) = &profile {
                profiles.entry(profile.clone()).or_default();
            }
            current = Some(profile);
            continue;
        }
        if raw.starts_with([' ', '\t']) {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            return Err(format!(
                "line {number}: expected `key = value` or `[section]`"
            ));
        };
        match &current {
            None => return Err(format!("line {number}: a setting before any [section]")),
            Some(None) => {}
            Some(Some(profile)) => {
                let settings = profiles.entry(profile.clone()).or_default();
                settings.insert(key.trim().to_ascii_lowercase(), value.trim().to_string());
            }
        }
    }
    Ok(profiles)
}

fn profile_name(section: &str, is_config: bool) -> Option<String> {
    if !is_config {
        return Some(section.to_string());
    }
    if section == "default" {
        return Some(section.to_string());
    }
    section
        .strip_prefix("profile")
        .filter(|rest| rest.starts_with([' ', '\t']))
        .map(|rest| rest.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::creds::fixtures_dir;

    fn files() -> SharedFiles {
        let dir = fixtures_dir();
        let env = move |name: &str| match name {
            "AWS_SHARED_CREDENTIALS_FILE" => {
                Some(dir.join("aws-credentials").display().to_string())
            }
            "AWS_CONFIG_FILE" => Some(dir.join("aws-config").display().to_string()),
            _ => None,
        };
        SharedFiles::load(&env).unwrap()
    }

    fn plan(name: &str) -> Result<Option<ProfilePlan>, CredsError> {
        files().plan(name, true)
    }

    fn base_plan(base: RoleBase) -> ProfilePlan {
        match base {
            RoleBase::Profile(plan) => *plan,
            other => panic!("not a profile: {other:?}"),
        }
    }

    fn key_id(plan: &ProfilePlan) -> &str {
        match plan {
            ProfilePlan::Static { credentials, .. } => &credentials.access_key_id,
            other => panic!("not static: {other:?}"),
        }
    }

    #[test]
    fn parses_sections_keys_comments_and_sub_properties() {
        let text = "# comment\n[default]\nregion = eu-west-1\ns3 =\n  max_concurrent_requests = 20\n; other\n[profile prod]\nAWS_Access_Key_Id=AKIA\n[sso-session corp]\nsso_region = us-east-1\n[plain]\nx = y\n";
        let profiles = parse_ini(text, true).unwrap();
        assert_eq!(profiles.keys().collect::<Vec<_>>(), ["default", "prod"]);
        assert_eq!(
            profiles["default"].get("region").map(String::as_str),
            Some("eu-west-1")
        );
        assert_eq!(profiles["default"].get("max_concurrent_requests"), None);
        assert_eq!(
            profiles["prod"]
                .get("aws_access_key_id")
                .map(String::as_str),
            Some("AKIA")
        );
        let credentials = parse_ini("[profile x]\na = b\n", false).unwrap();
        assert!(
            credentials.contains_key("profile x"),
            "the credentials file takes names literally"
        );
    }

    #[test]
    fn malformed_ini_names_the_line_but_not_its_text() {
        let error = parse_ini("[default]\naws_secret_access_key sekrit\n", false).unwrap_err();
        assert_eq!(error, "line 2: expected `key = value` or `[section]`");
        assert!(parse_ini("[default\n", false)
            .unwrap_err()
            .contains("line 1"));
        assert!(parse_ini("a = b\n", false)
            .unwrap_err()
            .contains("before any [section]"));
    }

    #[test]
    fn static_profile_names_its_file() {
        let plan = plan("prod").unwrap().unwrap();
        let ProfilePlan::Static {
            credentials,
            source,
        } = &plan
        else {
            panic!("{plan:?}")
        };
        assert_eq!(credentials.access_key_id, "AKIAPRODEXAMPLE");
        assert_eq!(credentials.session_token.as_deref(), Some("prod-token"));
        assert_eq!(
            *source,
            format!(
                "profile \"prod\" in {}",
                fixtures_dir().join("aws-credentials").display()
            )
        );
    }

    #[test]
    fn credentials_file_wins_over_config() {
        assert_eq!(
            key_id(&plan("both").unwrap().unwrap()),
            "AKIAFROMCREDENTIALS"
        );
    }

    #[test]
    fn role_chains_follow_source_profiles() {
        let plan = plan("chained").unwrap().unwrap();
        let ProfilePlan::AssumeRole { role, base } = plan else {
            panic!()
        };
        assert_eq!(role.role_arn, "arn:aws:iam::111111111111:role/second");
        assert_eq!(role.region.as_deref(), Some("eu-west-2"));
        let ProfilePlan::AssumeRole { role: first, base } = base_plan(base) else {
            panic!()
        };
        assert_eq!(first.role_arn, "arn:aws:iam::111111111111:role/first");
        assert_eq!(first.external_id.as_deref(), Some("ext-42"));
        assert_eq!(first.session_name.as_deref(), Some("dns-session"));
        assert_eq!(key_id(&base_plan(base)), "AKIAPRODEXAMPLE");
    }

    #[test]
    fn source_profile_with_keys_and_a_role_gives_its_keys() {
        let ProfilePlan::AssumeRole { base, .. } = plan("uses-keyed-role").unwrap().unwrap() else {
            panic!()
        };
        assert_eq!(key_id(&base_plan(base)), "AKIAKEYEDROLE");
    }

    #[test]
    fn self_referencing_source_profile_uses_own_keys() {
        let ProfilePlan::AssumeRole { base, .. } = plan("self").unwrap().unwrap() else {
            panic!()
        };
        assert_eq!(key_id(&base_plan(base)), "AKIASELF");
    }

    #[test]
    fn cycles_and_broken_chains_are_explained() {
        let text = plan("loop-a").unwrap_err().to_string();
        assert!(text.contains("loop-a -> loop-b -> loop-a"), "{text}");
        let text = plan("dangling").unwrap_err().to_string();
        assert!(
            text.contains("source_profile \"ghost\" is not found"),
            "{text}"
        );
        let text = plan("role-without-source").unwrap_err().to_string();
        assert!(
            text.contains("neither source_profile nor credential_source"),
            "{text}"
        );
        let text = plan("half-keys").unwrap_err().to_string();
        assert!(text.contains("needs both"), "{text}");
        let text = plan("sso").unwrap_err().to_string();
        assert!(text.contains("export-credentials --profile sso"), "{text}");
        let text = plan("bad-source").unwrap_err().to_string();
        assert!(text.contains("\"Nowhere\""), "{text}");
    }

    #[test]
    fn process_web_identity_and_credential_source_profiles() {
        let ProfilePlan::Process { command, .. } = plan("process").unwrap().unwrap() else {
            panic!()
        };
        assert_eq!(command, "cat fixtures/creds/process-output.json");
        let ProfilePlan::WebIdentity { token_file, role } = plan("web").unwrap().unwrap() else {
            panic!()
        };
        assert_eq!(token_file, PathBuf::from("/var/run/token"));
        assert_eq!(role.role_arn, "arn:aws:iam::111111111111:role/web");
        let ProfilePlan::AssumeRole { base, .. } = plan("on-ec2").unwrap().unwrap() else {
            panic!()
        };
        assert_eq!(
            base,
            RoleBase::CredentialSource(CredentialSource::Ec2InstanceMetadata)
        );
    }

    #[test]
    fn absent_or_empty_profiles_only_fail_when_asked_for() {
        let files = files();
        assert_eq!(files.plan("region-only", false).unwrap(), None);
        assert_eq!(files.plan("nobody", false).unwrap(), None);
        let text = files.plan("region-only", true).unwrap_err().to_string();
        assert!(text.contains("has no credentials"), "{text}");
        let text = files.plan("nobody", true).unwrap_err().to_string();
        assert!(
            text.contains("not found in") && text.contains("aws-config"),
            "{text}"
        );
        assert!(files
            .absence("nobody")
            .contains("profile \"nobody\" not found"));
    }

    #[test]
    fn files_default_to_home_and_may_be_missing() {
        let env = |name: &str| (name == "HOME").then(|| "/nonexistent-home".to_string());
        let files = SharedFiles::load(&env).unwrap();
        let note = files.absence("default");
        assert!(
            note.contains("/nonexistent-home/.aws/credentials (does not exist)"),
            "{note}"
        );
        let nothing = SharedFiles::load(&|_: &str| None).unwrap();
        assert!(nothing.absence("default").contains("HOME is not set"));
        assert_eq!(
            expand_home("~/x/creds", Some("/h")),
            PathBuf::from("/h/x/creds")
        );
    }
}
