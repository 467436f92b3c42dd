//! creds.json as dnscontrol reads it: `{"r53_main": {"TYPE": "ROUTE53", "KeyId": "…", …}}`.

use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::error::CredsError;
use super::process::{program_of, stdout_of};
use super::Env;

/// The keys a ROUTE53 entry may have.
const KNOWN_KEYS: [&str; 13] = [
    "TYPE",
    "KeyId",
    "SecretKey",
    "Token",
    "Profile",
    "RoleArn",
    "ExternalId",
    "Partition",
    "Endpoint",
    "Region",
    "CaBundle",
    "DelegationSet",
    "DomainsEndpoint",
];

/// One creds.json entry with every `"$NAME"` value read from the environment and empty values
/// dropped. `Debug` never shows the secret key or the token.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct CredsEntry {
    /// The entry name, e.g. `r53_main`.
    pub name: String,
    /// The creds.json it was read from.
    pub path: PathBuf,
    pub key_id: Option<String>,
    pub secret_key: Option<String>,
    pub token: Option<String>,
    /// A profile of the AWS shared files to take credentials from.
    pub profile: Option<String>,
    /// A role to assume with the base credentials.
    pub role_arn: Option<String>,
    pub external_id: Option<String>,
    pub partition: Option<String>,
    /// Route 53 URL override.
    pub endpoint: Option<String>,
    /// Signing region override.
    pub region: Option<String>,
    /// PEM file of CA certificates to trust for this entry's requests, instead of
    /// `AWS_CA_BUNDLE` or the built-in roots; a relative path is relative to creds.json.
    pub ca_bundle: Option<PathBuf>,
    /// dnscontrol's `DelegationSet`: the reusable delegation set new public zones take their
    /// name servers from.
    pub delegation_set: Option<String>,
    /// Route 53 Domains URL override.
    pub domains_endpoint: Option<String>,
    /// Keys of the entry r53ctl does not know, which it ignores.
    pub unknown_keys: Vec<String>,
}

impl fmt::Debug for CredsEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let redacted = |value: &Option<String>| value.as_ref().map(|_| "<redacted>");
        f.debug_struct("CredsEntry")
            .field("name", &self.name)
            .field("path", &self.path)
            .field("key_id", &self.key_id)
            .field("secret_key", &redacted(&self.secret_key))
            .field("token", &redacted(&self.token))
            .field("profile", &self.profile)
            .field("role_arn", &self.role_arn)
            .field("external_id", &self.external_id)
            .field("partition", &self.partition)
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("ca_bundle", &self.ca_bundle)
            .field("delegation_set", &self.delegation_set)
            .field("domains_endpoint", &self.domains_endpoint)
            .field("unknown_keys", &self.unknown_keys)
            .finish()
    }
}

impl CredsEntry {
    /// The warning that the entry has keys r53ctl ignores, naming them and the keys it knows.
    pub(crate) fn unknown_keys_warning(&self) -> Option<String> {
        if self.unknown_keys.is_empty() {
            return None;
        }
        let unknown: Vec<String> = self.unknown_keys.iter().map(|k| format!("{k:?}")).collect();
        Some(format!(
            "entry \"{}\" in {}: r53ctl ignores {}, which it does not know; the keys it knows are {}",
            self.name,
            self.path.display(),
            unknown.join(", "),
            KNOWN_KEYS.join(", ")
        ))
    }
}

/// creds.json as found on disk: missing, or an object of entries.
pub enum CredsFile {
    Missing(PathBuf),
    Present {
        path: PathBuf,
        entries: Map<String, Value>,
    },
}

impl CredsFile {
    /// Reads creds.json. A missing file is an error when the user `named` it; at the default
    /// path it only means the AWS chain gives the credentials.
    pub fn load(path: &Path, named: bool) -> Result<CredsFile, CredsError> {
        let text = match crate::input::read_text(path) {
            Ok(text) => text,
            Err(error) if error.is_not_found() && named => {
                return Err(CredsError::CredsFileMissing {
                    path: path.to_path_buf(),
                })
            }
            Err(error) if error.is_not_found() => {
                return Ok(CredsFile::Missing(path.to_path_buf()))
            }
            Err(source) => {
                return Err(CredsError::ReadCredsFile {
                    path: path.to_path_buf(),
                    source,
                })
            }
        };
        let parse_error = |problem: String| CredsError::ParseCredsFile {
            path: path.to_path_buf(),
            problem,
        };
        // Parsed as a Value first: serde_json's syntax errors never quote the input.
        match serde_json::from_str::<Value>(&text) {
            Ok(Value::Object(entries)) => Ok(CredsFile::Present {
                path: path.to_path_buf(),
                entries,
            }),
            Ok(_) => Err(parse_error("the top level is not a JSON object".into())),
            Err(error) => Err(parse_error(error.to_string())),
        }
    }

    /// The entry `name`; `None` when there is no creds file. A file without the entry is an
    /// error: dnscontrol's "creds key mismatch", which must not quietly pick other credentials.
    pub fn entry(&self, name: &str, env: Env<'_>) -> Result<Option<CredsEntry>, CredsError> {
        let CredsFile::Present { path, entries } = self else {
            return Ok(None);
        };
        let Some(value) = entries.get(name) else {
            return Err(CredsError::NoSuchEntry {
                path: path.clone(),
                entry: name.to_string(),
                entries: entries.keys().cloned().collect(),
            });
        };
        let reader = EntryReader { path, name, env };
        reader.read(value).map(Some)
    }

    /// The file read, if there was one.
    pub(crate) fn path(&self) -> Option<&Path> {
        match self {
            CredsFile::Missing(_) => None,
            CredsFile::Present { path, .. } => Some(path),
        }
    }

    /// Why the AWS chain gives the credentials of entry `name`: there is no creds file, or the
    /// entry has no keys.
    pub(crate) fn chain_reason(&self, name: &str) -> String {
        match self {
            CredsFile::Missing(path) => format!("creds file {} does not exist", path.display()),
            CredsFile::Present { path, .. } => format!(
                "entry \"{name}\" in {} has neither KeyId/SecretKey nor Profile",
                path.display()
            ),
        }
    }
}

/// Turns one entry's JSON into a [`CredsEntry`], with errors that name the file and entry.
struct EntryReader<'a> {
    path: &'a Path,
    name: &'a str,
    env: Env<'a>,
}

impl EntryReader<'_> {
    fn read(&self, value: &Value) -> Result<CredsEntry, CredsError> {
        let Value::Object(fields) = value else {
            return Err(self.invalid("the entry must be a JSON object of strings".into()));
        };
        self.check_key_names(fields)?;
        self.check_type(fields)?;
        let get = |key: &str| self.string(fields, key);
        let entry = CredsEntry {
            name: self.name.to_string(),
            path: self.path.to_path_buf(),
            key_id: get("KeyId")?,
            secret_key: get("SecretKey")?,
            token: get("Token")?,
            profile: get("Profile")?,
            role_arn: get("RoleArn")?,
            external_id: get("ExternalId")?,
            partition: get("Partition")?,
            endpoint: get("Endpoint")?,
            region: get("Region")?,
            ca_bundle: self.ca_bundle(get("CaBundle")?)?,
            delegation_set: get("DelegationSet")?,
            domains_endpoint: get("DomainsEndpoint")?,
            unknown_keys: fields
                .keys()
                .filter(|key| !KNOWN_KEYS.contains(&key.as_str()))
                .cloned()
                .collect(),
        };
        self.check_combination(&entry)?;
        Ok(entry)
    }

    /// `CaBundle` as a path, relative to the directory of creds.json; it must be a file.
    fn ca_bundle(&self, value: Option<String>) -> Result<Option<PathBuf>, CredsError> {
        let Some(value) = value else {
            return Ok(None);
        };
        let base = self.path.parent().unwrap_or(Path::new(""));
        let path = base.join(value);
        if !path.is_file() {
            return Err(self.invalid(format!(
                "CaBundle names {}, which is not a file; point it at a PEM file of CA certificates",
                path.display()
            )));
        }
        Ok(Some(path))
    }

    /// Catches `KeyID`, `secretkey` and the like, which would otherwise be silently ignored.
    fn check_key_names(&self, fields: &Map<String, Value>) -> Result<(), CredsError> {
        for key in fields.keys() {
            let near_miss = KNOWN_KEYS
                .iter()
                .find(|known| known.eq_ignore_ascii_case(key) && *known != key);
            if let Some(known) = near_miss {
                return Err(self.invalid(format!("key \"{key}\" must be spelled \"{known}\"")));
            }
        }
        Ok(())
    }

    fn check_type(&self, fields: &Map<String, Value>) -> Result<(), CredsError> {
        match fields.get("TYPE") {
            None => Ok(()),
            Some(Value::String(kind)) if kind == "ROUTE53" => Ok(()),
            Some(Value::String(kind)) if kind == "NONE" => Err(self.invalid(
                "TYPE is \"NONE\", which only suits the \"none\" registrar; a Route 53 DNS provider's entry needs \"TYPE\": \"ROUTE53\"".into(),
            )),
            Some(Value::String(kind)) => Err(self.invalid(format!(
                "TYPE is \"{kind}\"; a Route 53 DNS provider's entry needs \"TYPE\": \"ROUTE53\""
            ))),
            Some(_) => Err(self.invalid("TYPE must be the string \"ROUTE53\"".into())),
        }
    }

    /// The string value of `key`, as dnscontrol reads it: `"$NAME"` from the environment,
    /// `"!command"` from what the command prints; empty as absent.
    fn string(&self, fields: &Map<String, Value>, key: &str) -> Result<Option<String>, CredsError> {
        let text = match fields.get(key) {
            None | Some(Value::Null) => return Ok(None),
            Some(Value::String(text)) => text,
            Some(_) => return Err(self.invalid(format!("{key} must be a string"))),
        };
        let value = if let Some(variable) = text.strip_prefix('$') {
            self.variable(key, variable)?
        } else if let Some(command) = text.strip_prefix('!') {
            self.command_output(key, command)?
        } else {
            text.clone()
        };
        Ok(Some(value).filter(|value| !value.is_empty()))
    }

    fn variable(&self, key: &str, variable: &str) -> Result<String, CredsError> {
        if variable.is_empty() {
            return Err(self.invalid(format!("{key} is \"$\" without a variable name")));
        }
        (self.env)(variable).ok_or_else(|| CredsError::UnsetVariable {
            path: self.path.to_path_buf(),
            entry: self.name.to_string(),
            key: key.to_string(),
            variable: variable.to_string(),
        })
    }

    /// What `command` prints on stdout, trimmed. Errors name the program, never its arguments
    /// or its output (both may hold secrets).
    fn command_output(&self, key: &str, command: &str) -> Result<String, CredsError> {
        let program = program_of(command);
        if program.is_empty() {
            return Err(self.invalid(format!("{key} is \"!\" without a command")));
        }
        let failed = |problem: &str| CredsError::ValueCommand {
            path: self.path.to_path_buf(),
            entry: self.name.to_string(),
            key: key.to_string(),
            program: program.to_string(),
            problem: problem.to_string(),
        };
        let stdout = stdout_of(command).map_err(|problem| failed(&problem))?;
        let text = String::from_utf8(stdout)
            .map_err(|_| failed("printed something that is not UTF-8 text"))?;
        match text.trim() {
            "" => Err(failed("printed nothing")),
            value => Ok(value.to_string()),
        }
    }

    fn check_combination(&self, entry: &CredsEntry) -> Result<(), CredsError> {
        let problem = match (&entry.key_id, &entry.secret_key, &entry.profile) {
            (Some(_), None, _) => Some("KeyId is set but SecretKey is not; set both"),
            (None, Some(_), _) => Some("SecretKey is set but KeyId is not; set both"),
            (Some(_), Some(_), Some(_)) => {
                Some("both KeyId/SecretKey and Profile are set; keep one of them")
            }
            _ if entry.token.is_some() && entry.key_id.is_none() => {
                Some("Token is set without KeyId and SecretKey; a session token needs both")
            }
            _ if entry.external_id.is_some() && entry.role_arn.is_none() => {
                Some("ExternalId is set without RoleArn; it only applies when assuming a role")
            }
            _ => None,
        };
        problem.map_or(Ok(()), |problem| Err(self.invalid(problem.to_string())))
    }

    fn invalid(&self, problem: String) -> CredsError {
        CredsError::InvalidEntry {
            path: self.path.to_path_buf(),
            entry: self.name.to_string(),
            problem,
        }
    }
}

/// A warning when creds.json can be read by its group or by others (it holds secrets), for the
/// caller to print; `None` when the permissions are tight or `path` is not a file.
#[cfg(unix)]
pub fn permission_warning(path: &Path) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    let metadata = std::fs::metadata(path).ok().filter(|m| m.is_file())?;
    let mode = metadata.permissions().mode() & 0o777;
    let readers = match (mode & 0o040 != 0, mode & 0o004 != 0) {
        (true, true) => "its group and by others",
        (true, false) => "its group",
        (false, true) => "others",
        (false, false) => return None,
    };
    Some(format!(
        "{} holds secrets but can be read by {readers} (mode {mode:03o}); run: chmod 600 {}",
        path.display(),
        path.display()
    ))
}

/// A warning when creds.json can be read by others; never on systems without unix modes.
#[cfg(not(unix))]
pub fn permission_warning(path: &Path) -> Option<String> {
    let _ = path;
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::creds::fixtures_dir;

    fn env_with(name: &str) -> Option<String> {
        match name {
            "R53_KEY" => Some("AKIAFROMENV".into()),
            "R53_SECRET" => Some("secret-from-env".into()),
            "EMPTY" => Some(String::new()),
            _ => None,
        }
    }

    fn entry_of(json: &str, env: Env<'_>) -> Result<Option<CredsEntry>, CredsError> {
        let entries = match serde_json::from_str(json).unwrap() {
            Value::Object(entries) => entries,
            _ => panic!("test JSON must be an object"),
        };
        let file = CredsFile::Present {
            path: PathBuf::from("/c/creds.json"),
            entries,
        };
        file.entry("r53_main", env)
    }

    #[test]
    fn reads_a_dnscontrol_creds_file() {
        let file = CredsFile::load(&fixtures_dir().join("creds.json"), true).unwrap();
        let entry = file.entry("r53_main", &env_with).unwrap().unwrap();
        assert_eq!(entry.key_id.as_deref(), Some("AKIAIOSFODNN7EXAMPLE"));
        assert_eq!(
            entry.secret_key.as_deref(),
            Some("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
        );
        assert_eq!(entry.token, None, "an empty Token is no token");
        let roles = file.entry("r53_role", &env_with).unwrap().unwrap();
        assert_eq!(roles.key_id.as_deref(), Some("AKIAFROMENV"));
        assert_eq!(roles.secret_key.as_deref(), Some("secret-from-env"));
        assert_eq!(
            roles.role_arn.as_deref(),
            Some("arn:aws:iam::123456789012:role/dns")
        );
        assert_eq!(roles.external_id.as_deref(), Some("ext-1"));
        assert_eq!(roles.partition.as_deref(), Some("aws"));
        assert_eq!(roles.region.as_deref(), Some("us-east-1"));
        assert_eq!(roles.delegation_set.as_deref(), Some("N1PA6795SAMPLE"));
        assert_eq!(entry.delegation_set, None);
        let none = file.entry("none", &env_with).unwrap_err().to_string();
        assert!(none.contains("\"none\" registrar"), "{none}");
    }

    #[test]
    fn only_a_missing_default_file_and_an_entry_without_keys_leave_it_to_the_chain() {
        let path = fixtures_dir().join("no-such-creds.json");
        let named = CredsFile::load(&path, true)
            .err()
            .expect("a named file must exist");
        assert!(named.is_usage(), "{named}");
        assert!(named
            .to_string()
            .contains("no-such-creds.json does not exist"));
        let missing = CredsFile::load(&path, false).unwrap();
        assert_eq!(missing.entry("r53_main", &env_with).unwrap(), None);
        assert_eq!(missing.path(), None);
        assert!(missing
            .chain_reason("r53_main")
            .ends_with("no-such-creds.json does not exist"));

        let file = CredsFile::load(&fixtures_dir().join("creds.json"), false).unwrap();
        let error = file.entry("r53_other", &env_with).unwrap_err();
        assert!(!error.is_usage());
        let text = error.to_string();
        assert!(
            text.contains("has no entry \"r53_other\" (it has \"none\", \"r53_main\"")
                && text.contains("{\"r53_other\": {\"TYPE\": \"ROUTE53\"}}"),
            "{text}"
        );
        let reason = file.chain_reason("r53_keyless");
        assert!(reason.contains("\"r53_keyless\" in") && reason.contains("neither KeyId"));
    }

    #[test]
    fn delegation_set_is_read_and_unknown_keys_are_named_with_the_known_ones() {
        let entry = entry_of(
            r#"{"r53_main": {"DelegationSet": "N1PA6795SAMPLE", "Color": "blue", "zone": "x"}}"#,
            &env_with,
        )
        .unwrap()
        .unwrap();
        assert_eq!(entry.delegation_set.as_deref(), Some("N1PA6795SAMPLE"));
        let warning = entry.unknown_keys_warning().unwrap();
        assert!(
            warning.contains("entry \"r53_main\" in /c/creds.json")
                && warning.contains("ignores \"Color\", \"zone\"")
                && warning.contains("KeyId, SecretKey")
                && warning.contains("DelegationSet"),
            "{warning}"
        );
        let known = entry_of(r#"{"r53_main": {"TYPE": "ROUTE53"}}"#, &env_with);
        assert_eq!(known.unwrap().unwrap().unknown_keys_warning(), None);
    }

    #[cfg(unix)]
    #[test]
    fn a_bang_value_is_the_trimmed_output_of_its_command() {
        let entry = entry_of(
            r#"{"r53_main": {"KeyId": "!printf ' AKIAFROMCMD\\n'", "SecretKey": "!echo s3cret"}}"#,
            &env_with,
        )
        .unwrap()
        .unwrap();
        assert_eq!(entry.key_id.as_deref(), Some("AKIAFROMCMD"));
        assert_eq!(entry.secret_key.as_deref(), Some("s3cret"));
        let cases = [
            (r#""!echo s3cret; exit 3""#, "(echo) exited with status 3"),
            (r#""!printf ''""#, "(printf) printed nothing"),
            (r#""!printf '\\377 s3cret'""#, "not UTF-8 text"),
            (r#""!  ""#, "\"!\" without a command"),
        ];
        for (value, expected) in cases {
            let json = format!(r#"{{"r53_main": {{"KeyId": "A", "SecretKey": {value}}}}}"#);
            let text = entry_of(&json, &env_with).unwrap_err().to_string();
            assert!(
                text.contains(expected) && text.contains("r53_main") && text.contains("SecretKey"),
                "{value}: {text}"
            );
            assert!(!text.contains("s3cret"), "{text}");
        }
    }

    #[test]
    fn an_endless_creds_file_fails_fast() {
        let text = CredsFile::load(Path::new("/dev/zero"), true)
            .err()
            .expect("must fail")
            .to_string();
        assert!(
            text.contains("/dev/zero") && text.contains("larger than"),
            "{text}"
        );
    }

    #[test]
    fn unset_variable_is_named() {
        let error = entry_of(
            r#"{"r53_main": {"KeyId": "$NOPE", "SecretKey": "x"}}"#,
            &env_with,
        )
        .unwrap_err();
        let text = error.to_string();
        assert!(
            text.contains("NOPE") && text.contains("KeyId") && text.contains("r53_main"),
            "{text}"
        );
    }

    #[test]
    fn variable_set_to_empty_counts_as_absent() {
        let entry = entry_of(
            r#"{"r53_main": {"KeyId": "$R53_KEY", "SecretKey": "$R53_SECRET", "Token": "$EMPTY"}}"#,
            &env_with,
        )
        .unwrap()
        .unwrap();
        assert_eq!(entry.token, None);
    }

    #[test]
    fn bad_entries_are_refused_with_the_reason() {
        let cases = [
            (r#"{"r53_main": "AKIA"}"#, "JSON object"),
            (r#"{"r53_main": {"TYPE": "NONE"}}"#, "\"none\" registrar"),
            (
                r#"{"r53_main": {"TYPE": "CLOUDFLAREAPI"}}"#,
                "CLOUDFLAREAPI",
            ),
            (
                r#"{"r53_main": {"KeyID": "AKIA", "SecretKey": "s"}}"#,
                "must be spelled \"KeyId\"",
            ),
            (r#"{"r53_main": {"KeyId": "AKIA"}}"#, "SecretKey is not"),
            (r#"{"r53_main": {"SecretKey": "s"}}"#, "KeyId is not"),
            (
                r#"{"r53_main": {"KeyId": "A", "SecretKey": "s", "Profile": "p"}}"#,
                "keep one",
            ),
            (r#"{"r53_main": {"Token": "t"}}"#, "Token is set"),
            (
                r#"{"r53_main": {"Profile": "p", "ExternalId": "e"}}"#,
                "without RoleArn",
            ),
            (
                r#"{"r53_main": {"KeyId": 12, "SecretKey": "s"}}"#,
                "KeyId must be a string",
            ),
            (
                r#"{"r53_main": {"KeyId": "$", "SecretKey": "s"}}"#,
                "without a variable name",
            ),
        ];
        for (json, expected) in cases {
            let text = entry_of(json, &env_with).unwrap_err().to_string();
            assert!(text.contains(expected), "{json}: {text}");
            assert!(text.contains("r53_main"), "{json}: {text}");
        }
    }

    #[test]
    fn malformed_files_are_refused_without_quoting_them() {
        let dir = std::env::temp_dir().join(format!("r53ctl-creds-file-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for (name, text) in [
            ("syntax.json", "{\"a\": {\"SecretKey\": \"sekrit\",}"),
            ("string.json", "\"sekrit\""),
        ] {
            let path = dir.join(name);
            std::fs::write(&path, text).unwrap();
            let error = CredsFile::load(&path, true).err().expect("must fail");
            let message = error.to_string();
            assert!(
                message.contains(name) && !message.contains("sekrit"),
                "{message}"
            );
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn ca_bundle_is_relative_to_the_creds_file_and_must_exist() {
        let dir = std::env::temp_dir().join(format!("r53ctl-ca-bundle-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("ca.pem"), "pem").unwrap();
        let creds = dir.join("creds.json");
        std::fs::write(
            &creds,
            r#"{"r53_main": {"CaBundle": "ca.pem"}, "r53_bad": {"CaBundle": "nope.pem"}}"#,
        )
        .unwrap();
        let file = CredsFile::load(&creds, true).unwrap();
        let entry = file.entry("r53_main", &env_with).unwrap().unwrap();
        assert_eq!(entry.ca_bundle, Some(dir.join("ca.pem")));
        let text = file.entry("r53_bad", &env_with).unwrap_err().to_string();
        assert!(
            text.contains("r53_bad") && text.contains(&dir.join("nope.pem").display().to_string()),
            "{text}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn debug_output_redacts_secrets() {
        let entry = CredsEntry {
            key_id: Some("AKIAVISIBLE".into()),
            secret_key: Some("very-secret".into()),
            token: Some("session-secret".into()),
            ..CredsEntry::default()
        };
        let debug = format!("{entry:?}");
        assert!(debug.contains("AKIAVISIBLE"));
        assert!(
            !debug.contains("very-secret") && !debug.contains("session-secret"),
            "{debug}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn warns_when_creds_file_is_readable_by_others() {
        use std::os::unix::fs::PermissionsExt;
        let path = std::env::temp_dir().join(format!("r53ctl-perm-{}.json", std::process::id()));
        std::fs::write(&path, "{}").unwrap();
        let set_mode =
            |mode| std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        set_mode(0o600);
        assert_eq!(permission_warning(&path), None);
        set_mode(0o644);
        let warning = permission_warning(&path).unwrap();
        assert!(
            warning.contains("its group and by others") && warning.contains("chmod 600"),
            "{warning}"
        );
        set_mode(0o640);
        assert!(permission_warning(&path)
            .unwrap()
            .contains("by its group (mode 640)"));
        std::fs::remove_file(&path).unwrap();
        assert_eq!(permission_warning(&path), None);
        assert_eq!(
            permission_warning(&std::env::temp_dir()),
            None,
            "not a file"
        );
    }
}
