//! Credential sources end to end: creds.json, environment, shared files, STS, web identity,
//! container credentials and IMDSv2, against small servers on 127.0.0.1.

mod support;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use r53ctl::creds::{open_account, open_account_with_clock, Account, Clock, CredsError, Overrides};
use support::http_server::{Recorded, Reply, TestServer};

/// 2099-01-01T00:00:00Z, the expiry of every credential the test servers hand out.
const EXPIRY_SECONDS: u64 = 4_070_908_800;
const EXPIRY: &str = "2099-01-01T00:00:00Z";
const ROLE: &str = "arn:aws:iam::123456789012:role/dns";

/// An environment with no AWS settings, no home and instance metadata disabled, plus `pairs`.
fn env_with(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    let mut env: HashMap<String, String> = [
        ("HOME", "/nonexistent-r53ctl-home"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    for (name, value) in pairs {
        env.insert(name.to_string(), value.to_string());
    }
    env
}

fn open(creds: &Path, env: &HashMap<String, String>) -> Result<Account, CredsError> {
    open_account(
        creds,
        "r53_main",
        &|name: &str| env.get(name).cloned(),
        &Overrides::default(),
    )
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/creds")
}

/// Writes `text` to a file of its own under the temp directory.
fn temp_file(test: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("r53ctl-creds-{}-{test}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("file");
    std::fs::write(&path, text).unwrap();
    path
}

fn no_creds_file() -> PathBuf {
    fixtures().join("no-such-creds.json")
}

fn sts_reply(action: &str, key_id: &str) -> Reply {
    let body = format!(
        "<{action}Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><{action}Result>\
         <Credentials><AccessKeyId>{key_id}</AccessKeyId><SecretAccessKey>secret-of-{key_id}</SecretAccessKey>\
         <SessionToken>token-of-{key_id}</SessionToken><Expiration>{EXPIRY}</Expiration></Credentials>\
         </{action}Result><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></{action}Response>"
    );
    Reply::new(200, "text/xml", body)
}

/// An STS that answers AssumeRole only when signed by a key id it knows, with credentials
/// named after the role.
fn sts_server() -> TestServer {
    TestServer::start(|request: &Recorded| {
        let authorization = request.header("authorization").unwrap_or_default();
        let known = ["AKIAENTRY", "AKIAPRODEXAMPLE", "ASIA-ROLE-first"];
        let signed_by_known = known
            .iter()
            .any(|key| authorization.contains(&format!("Credential={key}/")));
        if !signed_by_known || !authorization.contains("/sts/aws4_request") {
            return Reply::new(
                403,
                "text/xml",
                std::fs::read_to_string(fixtures().join("sts-error.xml")).unwrap(),
            );
        }
        let role = request
            .body
            .split('&')
            .find_map(|pair| pair.strip_prefix("RoleArn="))
            .and_then(|arn| arn.rsplit("%2F").next())
            .unwrap_or("unknown");
        sts_reply("AssumeRole", &format!("ASIA-ROLE-{role}"))
    })
}

#[test]
fn creds_entry_keys_are_used_first_and_named_as_source() {
    let creds = temp_file(
        "entry-first",
        r#"{"r53_main": {"TYPE": "ROUTE53", "KeyId": "AKIAENTRY", "SecretKey": "s"}}"#,
    );
    let env = env_with(&[
        ("AWS_ACCESS_KEY_ID", "AKIAENV"),
        ("AWS_SECRET_ACCESS_KEY", "e"),
    ]);
    let account = open(&creds, &env).unwrap();
    assert_eq!(
        account.credentials.credentials().unwrap().access_key_id,
        "AKIAENTRY"
    );
    assert_eq!(
        account.credentials.source(),
        "creds.json entry \"r53_main\" (KeyId)"
    );
    assert_eq!(account.endpoint.url, "https://route53.amazonaws.com");
    assert_eq!(account.endpoint.region, "us-east-1");
    assert_eq!(account.name, "r53_main");
}

#[test]
fn environment_keys_serve_when_creds_json_is_missing() {
    let env = env_with(&[
        ("AWS_ACCESS_KEY_ID", "AKIAENV"),
        ("AWS_SECRET_ACCESS_KEY", "e"),
        ("AWS_SESSION_TOKEN", "t"),
    ]);
    let account = open(&no_creds_file(), &env).unwrap();
    let credentials = account.credentials.credentials().unwrap();
    assert_eq!(
        (
            credentials.access_key_id.as_str(),
            credentials.session_token.as_deref()
        ),
        ("AKIAENV", Some("t"))
    );
    assert_eq!(
        account.credentials.source(),
        "environment (AWS_ACCESS_KEY_ID)"
    );
}

#[test]
fn environment_beats_shared_files_and_aws_profile_picks_one() {
    let credentials_file = fixtures().join("aws-credentials");
    let shared = [
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            credentials_file.to_str().unwrap(),
        ),
        ("AWS_PROFILE", "prod"),
    ];
    let mut with_env_keys = shared.to_vec();
    with_env_keys.extend([
        ("AWS_ACCESS_KEY_ID", "AKIAENV"),
        ("AWS_SECRET_ACCESS_KEY", "e"),
    ]);
    let account = open(&no_creds_file(), &env_with(&with_env_keys)).unwrap();
    assert_eq!(
        account.credentials.credentials().unwrap().access_key_id,
        "AKIAENV"
    );
    let account = open(&no_creds_file(), &env_with(&shared)).unwrap();
    assert_eq!(
        account.credentials.credentials().unwrap().access_key_id,
        "AKIAPRODEXAMPLE"
    );
    assert_eq!(
        account.credentials.source(),
        format!("profile \"prod\" in {}", credentials_file.display())
    );
}

#[test]
fn entry_profile_and_credential_process() {
    let creds = temp_file("entry-profile", r#"{"r53_main": {"Profile": "process"}}"#);
    let config = fixtures().join("aws-config");
    let env = env_with(&[("AWS_CONFIG_FILE", config.to_str().unwrap())]);
    let account = open(&creds, &env).unwrap();
    let credentials = account.credentials.credentials().unwrap();
    assert_eq!(credentials.access_key_id, "ASIAPROCESSEXAMPLE");
    assert!(account
        .credentials
        .source()
        .starts_with("credential_process of profile \"process\" in "));
    let missing = temp_file(
        "entry-profile-missing",
        r#"{"r53_main": {"Profile": "nobody"}}"#,
    );
    let text = open(&missing, &env).unwrap_err().to_string();
    assert!(
        text.contains("\"nobody\"") && text.contains("not found"),
        "{text}"
    );
}

#[test]
fn role_arn_is_assumed_through_sts_signed_with_the_base_keys() {
    let sts = sts_server();
    let creds = temp_file(
        "role",
        &format!(
            r#"{{"r53_main": {{"KeyId": "AKIAENTRY", "SecretKey": "s", "RoleArn": "{ROLE}", "ExternalId": "ext-7"}}}}"#
        ),
    );
    let env = env_with(&[("AWS_ENDPOINT_URL_STS", sts.url.as_str())]);
    let account = open(&creds, &env).unwrap();
    assert!(sts.requests().is_empty(), "open_account makes no request");
    let credentials = account.credentials.credentials().unwrap();
    assert_eq!(credentials.access_key_id, "ASIA-ROLE-dns");
    assert_eq!(
        credentials.session_token.as_deref(),
        Some("token-of-ASIA-ROLE-dns")
    );
    assert_eq!(
        credentials.expires_at,
        Some(UNIX_EPOCH + Duration::from_secs(EXPIRY_SECONDS))
    );
    assert_eq!(
        account.credentials.source(),
        format!("assumed role {ROLE} via creds.json entry \"r53_main\" (KeyId)")
    );
    let requests = sts.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(
        (request.method.as_str(), request.path.as_str()),
        ("POST", "/")
    );
    let authorization = request.header("authorization").unwrap();
    assert!(
        authorization.contains("Credential=AKIAENTRY/")
            && authorization.contains("/us-east-1/sts/aws4_request")
    );
    assert!(request
        .body
        .contains("Action=AssumeRole&Version=2011-06-15"));
    assert!(request
        .body
        .contains("RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdns"));
    assert!(
        request.body.contains("ExternalId=ext-7")
            && request.body.contains("RoleSessionName=r53ctl-")
    );
}

#[test]
fn profile_role_chain_assumes_each_role_with_the_previous_credentials() {
    let sts = sts_server();
    let env = env_with(&[
        ("AWS_ENDPOINT_URL_STS", sts.url.as_str()),
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            fixtures().join("aws-credentials").to_str().unwrap(),
        ),
        (
            "AWS_CONFIG_FILE",
            fixtures().join("aws-config").to_str().unwrap(),
        ),
        ("AWS_PROFILE", "chained"),
    ]);
    let account = open(&no_creds_file(), &env).unwrap();
    assert_eq!(
        account.credentials.credentials().unwrap().access_key_id,
        "ASIA-ROLE-second"
    );
    let requests = sts.requests();
    assert_eq!(requests.len(), 2);
    assert!(requests[0]
        .header("authorization")
        .unwrap()
        .contains("Credential=AKIAPRODEXAMPLE/"));
    assert!(requests[0].body.contains("RoleSessionName=dns-session"));
    assert!(requests[1]
        .header("authorization")
        .unwrap()
        .contains("Credential=ASIA-ROLE-first/"));
    assert_eq!(
        requests[1].header("x-amz-security-token"),
        Some("token-of-ASIA-ROLE-first")
    );
    assert!(requests[1]
        .header("authorization")
        .unwrap()
        .contains("/eu-west-2/sts/aws4_request"));
}

#[test]
fn sts_errors_show_code_message_status_and_request_id() {
    let sts = sts_server();
    let creds = temp_file(
        "sts-error",
        &format!(
            r#"{{"r53_main": {{"KeyId": "AKIASTRANGER", "SecretKey": "s", "RoleArn": "{ROLE}"}}}}"#
        ),
    );
    let env = env_with(&[("AWS_ENDPOINT_URL_STS", sts.url.as_str())]);
    let text = open(&creds, &env)
        .unwrap()
        .credentials
        .credentials()
        .unwrap_err()
        .to_string();
    for part in [
        "AssumeRole",
        ROLE,
        "AccessDenied (HTTP 403)",
        "is not authorized",
        "request id 4a5b0e1c",
    ] {
        assert!(text.contains(part), "{part:?} missing from {text}");
    }
}

#[test]
fn temporary_credentials_are_renewed_before_they_expire() {
    let sts = sts_server();
    let creds = temp_file(
        "renewal",
        &format!(
            r#"{{"r53_main": {{"KeyId": "AKIAENTRY", "SecretKey": "s", "RoleArn": "{ROLE}"}}}}"#
        ),
    );
    let env = env_with(&[("AWS_ENDPOINT_URL_STS", sts.url.as_str())]);
    let now = Arc::new(AtomicU64::new(EXPIRY_SECONDS - 3600));
    let clock_now = now.clone();
    let clock: Clock =
        Arc::new(move || UNIX_EPOCH + Duration::from_secs(clock_now.load(Ordering::SeqCst)));
    let lookup = |name: &str| env.get(name).cloned();
    let account =
        open_account_with_clock(&creds, "r53_main", &lookup, &Overrides::default(), clock).unwrap();
    account.credentials.credentials().unwrap();
    now.fetch_add(3600 - 301, Ordering::SeqCst);
    account.credentials.credentials().unwrap();
    assert_eq!(
        sts.requests().len(),
        1,
        "still valid for more than 5 minutes"
    );
    now.fetch_add(2, Ordering::SeqCst);
    account.credentials.credentials().unwrap();
    assert_eq!(
        sts.requests().len(),
        2,
        "renewed within 5 minutes of expiry"
    );
}

#[test]
fn web_identity_token_is_exchanged_without_signing() {
    let sts = TestServer::start(|request: &Recorded| {
        if request.header("authorization").is_some() {
            return Reply::text(400, "AssumeRoleWithWebIdentity must not be signed");
        }
        sts_reply("AssumeRoleWithWebIdentity", "ASIAWEB")
    });
    let token_file = temp_file("web-identity", "eyJhbGciOiJSUzI1NiJ9.payload.sig\n");
    let env = env_with(&[
        ("AWS_ENDPOINT_URL_STS", sts.url.as_str()),
        ("AWS_WEB_IDENTITY_TOKEN_FILE", token_file.to_str().unwrap()),
        ("AWS_ROLE_ARN", ROLE),
        ("AWS_ROLE_SESSION_NAME", "ci-42"),
    ]);
    let account = open(&no_creds_file(), &env).unwrap();
    assert_eq!(
        account.credentials.credentials().unwrap().access_key_id,
        "ASIAWEB"
    );
    assert!(account
        .credentials
        .source()
        .contains("via web identity token"));
    let requests = sts.requests();
    let body = &requests[0].body;
    assert!(
        body.contains("Action=AssumeRoleWithWebIdentity") && body.contains("RoleSessionName=ci-42")
    );
    assert!(
        body.ends_with("&WebIdentityToken=eyJhbGciOiJSUzI1NiJ9.payload.sig"),
        "{body}"
    );
}

fn container_server() -> TestServer {
    TestServer::start(|request: &Recorded| {
        if request.header("authorization") != Some("container-token") {
            return Reply::text(401, "unauthorized");
        }
        let body = format!(
            r#"{{"AccessKeyId":"ASIACONTAINER","SecretAccessKey":"c","Token":"ct","Expiration":"{EXPIRY}","RoleArn":"{ROLE}"}}"#
        );
        Reply::new(200, "application/json", body)
    })
}

#[test]
fn container_credentials_send_the_authorization_token() {
    let server = container_server();
    let full_uri = format!("{}/v2/credentials", server.url);
    let token_file = temp_file("container-token", "container-token\n");
    let env = env_with(&[
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", full_uri.as_str()),
        (
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
            token_file.to_str().unwrap(),
        ),
    ]);
    let account = open(&no_creds_file(), &env).unwrap();
    let credentials = account.credentials.credentials().unwrap();
    assert_eq!(credentials.access_key_id, "ASIACONTAINER");
    assert_eq!(
        account.credentials.source(),
        format!("container credentials at {full_uri}")
    );
    assert_eq!(server.requests()[0].path, "/v2/credentials");

    let wrong = env_with(&[
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", full_uri.as_str()),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "wrong"),
    ]);
    let text = open(&no_creds_file(), &wrong)
        .unwrap()
        .credentials
        .credentials()
        .unwrap_err()
        .to_string();
    assert!(
        text.contains("container credentials") && text.contains("HTTP 401"),
        "{text}"
    );
}

fn imds_server() -> TestServer {
    TestServer::start(|request: &Recorded| {
        let path = request.path.as_str();
        if request.method == "PUT" && path == "/latest/api/token" {
            return match request.header("x-aws-ec2-metadata-token-ttl-seconds") {
                Some(_) => Reply::text(200, "imds-session-token"),
                None => Reply::text(400, "missing TTL"),
            };
        }
        if request.header("x-aws-ec2-metadata-token") != Some("imds-session-token") {
            return Reply::text(401, "");
        }
        match path {
            "/latest/meta-data/iam/security-credentials/" => Reply::text(200, "dns-role"),
            "/latest/meta-data/iam/security-credentials/dns-role" => Reply::new(
                200,
                "application/json",
                format!(
                    r#"{{"Code":"Success","Type":"AWS-HMAC","AccessKeyId":"ASIAIMDS","SecretAccessKey":"i","Token":"it","Expiration":"{EXPIRY}"}}"#
                ),
            ),
            _ => Reply::text(404, ""),
        }
    })
}

#[test]
fn instance_metadata_uses_an_imdsv2_session_token() {
    let server = imds_server();
    let mut env = env_with(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url.as_str())]);
    env.remove("AWS_EC2_METADATA_DISABLED");
    let account = open(&no_creds_file(), &env).unwrap();
    let credentials = account.credentials.credentials().unwrap();
    assert_eq!(credentials.access_key_id, "ASIAIMDS");
    assert_eq!(credentials.session_token.as_deref(), Some("it"));
    let steps: Vec<(String, String)> = server
        .requests()
        .into_iter()
        .map(|r| (r.method, r.path))
        .collect();
    assert_eq!(
        steps,
        [
            ("PUT".to_string(), "/latest/api/token".to_string()),
            (
                "GET".to_string(),
                "/latest/meta-data/iam/security-credentials/".to_string()
            ),
            (
                "GET".to_string(),
                "/latest/meta-data/iam/security-credentials/dns-role".to_string()
            ),
        ]
    );
}

#[test]
fn a_creds_file_without_the_entry_is_an_error_even_when_the_environment_has_keys() {
    let creds = temp_file(
        "other-entry",
        r#"{"r53_other": {"KeyId": "A", "SecretKey": "s"}}"#,
    );
    let env = env_with(&[
        ("AWS_ACCESS_KEY_ID", "AKIAENV"),
        ("AWS_SECRET_ACCESS_KEY", "env-secret"),
    ]);
    let error = open(&creds, &env).unwrap_err();
    assert!(matches!(error, CredsError::NoSuchEntry { .. }), "{error}");
    let text = error.to_string();
    assert!(
        text.contains("has no entry \"r53_main\" (it has \"r53_other\")")
            && text.contains(&creds.display().to_string()),
        "{text}"
    );
}

#[test]
fn nothing_anywhere_explains_what_was_tried() {
    let creds = temp_file("keyless-entry", r#"{"r53_main": {"TYPE": "ROUTE53"}}"#);
    let error = open(&creds, &env_with(&[])).unwrap_err();
    assert!(matches!(error, CredsError::NoCredentials { .. }));
    let text = error.to_string();
    for part in [
        "DNS provider \"r53_main\"",
        "entry \"r53_main\" in",
        "has neither KeyId/SecretKey nor Profile",
        "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set",
        "/nonexistent-r53ctl-home/.aws/credentials (does not exist)",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "disabled by AWS_EC2_METADATA_DISABLED=true",
        "must match the DNS provider's name",
    ] {
        assert!(text.contains(part), "{part:?} missing from:\n{text}");
    }
    assert!(!text.contains("NoCredentialProviders"));
    let missing = open(&no_creds_file(), &env_with(&[]))
        .unwrap_err()
        .to_string();
    assert!(
        missing.contains("no-such-creds.json does not exist"),
        "{missing}"
    );
}

#[test]
fn failing_instance_metadata_as_last_resort_reports_no_credentials() {
    let server = TestServer::start(|_: &Recorded| Reply::text(404, "not here"));
    let mut env = env_with(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url.as_str())]);
    env.remove("AWS_EC2_METADATA_DISABLED");
    let text = open(&no_creds_file(), &env)
        .unwrap()
        .credentials
        .credentials()
        .unwrap_err()
        .to_string();
    assert!(
        text.contains("no AWS credentials found for DNS provider \"r53_main\""),
        "{text}"
    );
    assert!(
        text.contains("EC2 instance metadata (tried last)") && text.contains("HTTP 404"),
        "{text}"
    );
}

#[test]
fn endpoint_and_region_follow_partition_entry_and_command_line() {
    let creds = temp_file(
        "endpoint",
        r#"{"r53_main": {"KeyId": "A", "SecretKey": "s", "Partition": "aws-cn", "Endpoint": "http://127.0.0.1:5000/"}}"#,
    );
    let env = env_with(&[("AWS_ENDPOINT_URL_ROUTE_53", "http://127.0.0.1:6000")]);
    let lookup = |name: &str| env.get(name).cloned();
    let account = open_account(&creds, "r53_main", &lookup, &Overrides::default()).unwrap();
    assert_eq!(account.endpoint.url, "http://127.0.0.1:5000");
    assert_eq!(account.endpoint.region, "cn-northwest-1");
    let overrides = Overrides {
        endpoint: Some("http://127.0.0.1:7000".into()),
        ..Overrides::default()
    };
    let account = open_account(&creds, "r53_main", &lookup, &overrides).unwrap();
    assert_eq!(account.endpoint.url, "http://127.0.0.1:7000");
    let bad = Overrides {
        endpoint: Some("127.0.0.1:7000".into()),
        ..Overrides::default()
    };
    let text = open_account(&creds, "r53_main", &lookup, &bad)
        .unwrap_err()
        .to_string();
    assert!(
        text.contains("--endpoint") && text.contains("https://"),
        "{text}"
    );
    let gov = temp_file(
        "gov",
        r#"{"r53_main": {"KeyId": "A", "SecretKey": "s", "Region": "us-gov-west-1"}}"#,
    );
    let account = open(&gov, &env_with(&[])).unwrap();
    assert_eq!(account.endpoint.url, "https://route53.us-gov.amazonaws.com");
    assert_eq!(
        account.partition,
        r53ctl::creds::Partition::AwsUsGov,
        "its limits differ"
    );
    let unknown = temp_file(
        "unknown-partition",
        r#"{"r53_main": {"KeyId": "A", "SecretKey": "s", "Partition": "aws-mars"}}"#,
    );
    assert!(open(&unknown, &env_with(&[]))
        .unwrap_err()
        .to_string()
        .contains("aws-mars"));
}

#[test]
fn account_debug_output_never_shows_secrets() {
    let creds = temp_file(
        "redaction",
        r#"{"r53_main": {"KeyId": "AKIAVISIBLE", "SecretKey": "hidden-secret", "Token": "hidden-token"}}"#,
    );
    let account = open(&creds, &env_with(&[])).unwrap();
    let debug = format!(
        "{account:?} {:?}",
        account.credentials.credentials().unwrap()
    );
    assert!(
        debug.contains("AKIAVISIBLE") && debug.contains("credentials: \"creds.json entry"),
        "{debug}"
    );
    assert!(
        !debug.contains("hidden-secret") && !debug.contains("hidden-token"),
        "{debug}"
    );
    assert!(!account.credentials.source().contains("hidden"));
}
