//! `credential_process`: run a command and read the credentials it prints as JSON (Version 1).

use std::process::{Command, Output, Stdio};

use serde_json::Value;

use super::error::CredsError;
use super::net::credentials_from_value;
use super::ProvideCredentials;
use crate::sigv4::Credentials;

/// How much of the command's stderr a message quotes.
const STDERR_LIMIT: usize = 500;

/// Runs a profile's `credential_process` each time credentials are needed.
pub(crate) struct ProcessProvider {
    pub(crate) profile: String,
    pub(crate) command: String,
    /// `profile "x" in /path`.
    pub(crate) source: String,
}

impl ProvideCredentials for ProcessProvider {
    fn credentials(&self) -> Result<Credentials, CredsError> {
        let failed = |problem: String| CredsError::CredentialProcess {
            profile: self.profile.clone(),
            program: program_of(&self.command).to_string(),
            problem,
        };
        let output = shell(&self.command)
            .output()
            .map_err(|error| failed(format!("cannot start it: {error}")))?;
        check_status(&output).map_err(failed)?;
        parse_output(&output.stdout).map_err(failed)
    }

    fn source(&self) -> String {
        format!("credential_process of {}", self.source)
    }
}

/// Runs `command` through the shell for a `"!command"` value of creds.json, as dnscontrol does,
/// and returns what it printed on stdout. Its stdin and stderr are the user's, so that a password
/// manager can ask for a passphrase and its messages are seen as written.
pub(crate) fn stdout_of(command: &str) -> Result<Vec<u8>, String> {
    let output = shell(command)
        .stdin(Stdio::inherit())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|error| format!("could not be started: {error}"))?;
    check_status(&output)?;
    Ok(output.stdout)
}

/// The program a shell command line runs, without its arguments (they may hold secrets): its
/// first word after any `NAME=value` assignments, without quotes.
pub(crate) fn program_of(command: &str) -> &str {
    let mut rest = command;
    loop {
        let (word, after) = first_word(rest.trim_start());
        if !is_assignment(word) {
            return word;
        }
        rest = after;
    }
}

/// The first word of `text` (quoted words may hold spaces) and what follows it.
fn first_word(text: &str) -> (&str, &str) {
    if let Some(quote) = text.chars().next().filter(|c| matches!(c, '"' | '\'')) {
        let inner = &text[1..];
        return match inner.find(quote) {
            Some(end) => (&inner[..end], &inner[end + 1..]),
            None => (inner, ""),
        };
    }
    let end = text.find(char::is_whitespace).unwrap_or(text.len());
    text.split_at(end)
}

/// `NAME=value`, a variable assignment before the program.
fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| {
        !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

#[cfg(unix)]
fn shell(command: &str) -> Command {
    let mut shell = Command::new("sh");
    shell.arg("-c").arg(command);
    shell
}

#[cfg(not(unix))]
fn shell(command: &str) -> Command {
    let mut shell = Command::new("cmd");
    shell.arg("/C").arg(command);
    shell
}

fn check_status(output: &Output) -> Result<(), String> {
    if output.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stderr: String = stderr.trim().chars().take(STDERR_LIMIT).collect();
    let status = match output.status.code() {
        None => "was killed by a signal".to_string(),
        Some(127) => "exited with status 127 (the shell did not find the program)".to_string(),
        Some(code) => format!("exited with status {code}"),
    };
    Err(if stderr.is_empty() {
        status
    } else {
        format!("{status}: {stderr}")
    })
}

/// Parses `{"Version": 1, "AccessKeyId", "SecretAccessKey", "SessionToken"?, "Expiration"?}`.
/// Messages never quote the output (it holds secrets).
pub(crate) fn parse_output(stdout: &[u8]) -> Result<Credentials, String> {
    let value: Value = serde_json::from_slice(stdout)
        .map_err(|error| format!("its output is not JSON ({error})"))?;
    match value.get("Version").and_then(Value::as_u64) {
        Some(1) => {}
        Some(other) => {
            return Err(format!(
                "its output has Version {other}; only Version 1 is known"
            ))
        }
        None => return Err("its output has no \"Version\": 1".into()),
    }
    credentials_from_value(&value, "SessionToken", "its output")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::creds::read_fixture;
    use crate::time::parse_iso8601;

    #[test]
    fn parses_version_1_output() {
        let credentials = parse_output(&read_fixture("process-output.json")).unwrap();
        assert_eq!(credentials.access_key_id, "ASIAPROCESSEXAMPLE");
        assert_eq!(credentials.secret_access_key, "process/secret/EXAMPLE");
        assert_eq!(
            credentials.session_token.as_deref(),
            Some("process-session-token")
        );
        assert_eq!(
            credentials.expires_at,
            parse_iso8601("2031-05-04T03:02:01Z")
        );
        let long_term =
            parse_output(br#"{"Version":1,"AccessKeyId":"AKIA","SecretAccessKey":"s"}"#).unwrap();
        assert_eq!(
            (long_term.session_token, long_term.expires_at),
            (None, None)
        );
    }

    #[test]
    fn refuses_other_output_without_quoting_it() {
        let cases: [(&[u8], &str); 5] = [
            (b"AKIA sekrit", "not JSON"),
            (br#"{"Version":2,"AccessKeyId":"A","SecretAccessKey":"sekrit"}"#, "Version 2"),
            (br#"{"AccessKeyId":"A","SecretAccessKey":"sekrit"}"#, "no \"Version\": 1"),
            (br#"{"Version":1,"SecretAccessKey":"sekrit"}"#, "no AccessKeyId"),
            (br#"{"Version":1,"AccessKeyId":"A","SecretAccessKey":"sekrit","Expiration":"tomorrow"}"#, "\"tomorrow\""),
        ];
        for (output, expected) in cases {
            let error = parse_output(output).unwrap_err();
            assert!(
                error.contains(expected) && !error.contains("sekrit"),
                "{error}"
            );
        }
    }

    #[test]
    fn the_program_is_named_without_its_arguments() {
        let cases = [
            ("aws-vault export --format=json prod", "aws-vault"),
            ("  op read op://vault/aws/secret", "op"),
            (
                "TOKEN=s3cret HOME=/x /usr/bin/get-creds --key s3cret",
                "/usr/bin/get-creds",
            ),
            ("\"/opt/my tools/get\" --pw s3cret", "/opt/my tools/get"),
            ("'unterminated quote", "unterminated quote"),
            ("SECRET=s3cret", ""),
            ("", ""),
        ];
        for (command, program) in cases {
            assert_eq!(program_of(command), program, "{command}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_value_command_gives_its_stdout_and_its_exit_status() {
        assert_eq!(stdout_of("printf 'AKIA\\n'").unwrap(), b"AKIA\n");
        assert_eq!(stdout_of("exit 4").unwrap_err(), "exited with status 4");
        let missing = stdout_of("r53ctl-no-such-program-x 2>/dev/null").unwrap_err();
        assert!(missing.contains("did not find the program"), "{missing}");
    }

    #[cfg(unix)]
    #[test]
    fn runs_the_command_and_reports_its_failure() {
        let provider = |command: &str| ProcessProvider {
            profile: "p".into(),
            command: command.into(),
            source: "profile \"p\" in /cfg".into(),
        };
        let ok = provider(
            "printf '{\"Version\":1,\"AccessKeyId\":\"AKIASH\",\"SecretAccessKey\":\"s\"}'",
        );
        assert_eq!(ok.credentials().unwrap().access_key_id, "AKIASH");
        assert_eq!(ok.source(), "credential_process of profile \"p\" in /cfg");
        let text = provider("echo 'please run aws sso login' >&2; exit 3")
            .credentials()
            .unwrap_err()
            .to_string();
        assert!(
            text.contains("exited with status 3: please run aws sso login"),
            "{text}"
        );
        assert!(text.contains("profile \"p\""), "{text}");
        let text = provider("echo nope >&2; exit 1 # --token s3cret")
            .credentials()
            .unwrap_err()
            .to_string();
        assert!(
            text.contains("(echo)") && !text.contains("s3cret"),
            "{text}"
        );
    }
}
