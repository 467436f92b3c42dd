//! Drives the r53ctl binary in a scratch folder holding a creds.json, against a given endpoint.

#![allow(dead_code)] // Each test crate uses its own share of these helpers.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{json, Value};

/// A scratch folder with a creds.json, and the endpoint r53ctl talks to.
pub struct Workspace {
    pub dir: PathBuf,
    pub endpoint: String,
}

impl Workspace {
    /// A fresh folder for test `name` whose creds entry `r53_main` holds fake keys.
    pub fn new(name: &str, endpoint: &str) -> Workspace {
        let dir = std::env::temp_dir().join(format!("r53ctl-it-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch dir");
        let creds = dir.join("creds.json");
        std::fs::write(
            &creds,
            r#"{"r53_main": {"TYPE": "ROUTE53", "KeyId": "AKIDTEST", "SecretKey": "test-secret"}}"#,
        )
        .expect("creds.json");
        set_owner_only(&creds);
        Workspace {
            dir,
            endpoint: endpoint.to_string(),
        }
    }

    /// Writes `config` as `name` in the folder.
    pub fn write_config(&self, name: &str, config: &Value) {
        std::fs::write(self.dir.join(name), config.to_string()).expect("write config");
    }

    /// Runs r53ctl in the folder against `self.endpoint`, with nothing of the caller's environment.
    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_r53ctl"))
            .args(args)
            .current_dir(&self.dir)
            .env_clear()
            .env("HOME", &self.dir)
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("AWS_ENDPOINT_URL_ROUTE_53", &self.endpoint)
            .output()
            .expect("run r53ctl")
    }

    /// Runs r53ctl and checks its exit code; returns stdout.
    #[track_caller]
    pub fn run_ok(&self, args: &[&str], code: i32) -> String {
        let out = self.run(args);
        assert_exit(&out, code);
        stdout(&out)
    }
}

fn set_owner_only(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[track_caller]
pub fn assert_exit(out: &Output, code: i32) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "stdout:\n{}\nstderr:\n{}",
        stdout(out),
        stderr(out)
    );
}

/// A config with one domain `domain` on provider `r53_main`, extended by the fields of `extra`.
pub fn config_with(domain: &str, records: Value, extra: Value) -> Value {
    let mut domain_object = json!({ "name": domain, "registrar": "none",
                                    "dns_providers": ["r53_main"], "records": records });
    if let (Some(target), Value::Object(fields)) = (domain_object.as_object_mut(), extra) {
        target.extend(fields);
    }
    json!({
        "registrars": { "none": { "type": "NONE" } },
        "dns_providers": { "r53_main": { "type": "ROUTE53" } },
        "domains": [domain_object]
    })
}

/// A config with one domain `domain` holding `records`.
pub fn config(domain: &str, records: Value) -> Value {
    config_with(domain, records, json!({}))
}
