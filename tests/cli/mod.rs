//! Drives the r53ctl binary from integration tests: a scratch folder with creds.json and a
//! config, an endpoint, and helpers that read the outcome.

#![allow(dead_code)] // Each test crate uses its own share of these helpers.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::{json, Value};

/// A scratch folder with a creds.json, the endpoint r53ctl talks to and extra environment.
pub struct Workspace {
    pub dir: PathBuf,
    pub endpoint: String,
    env: Vec<(String, String)>,
}

impl Workspace {
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
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&creds, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        Workspace {
            dir,
            endpoint: endpoint.to_string(),
            env: Vec::new(),
        }
    }

    /// The same folder, talking to `endpoint` instead.
    pub fn via(&self, endpoint: &str) -> Workspace {
        Workspace {
            dir: self.dir.clone(),
            endpoint: endpoint.to_string(),
            env: self.env.clone(),
        }
    }

    /// Sets an environment variable for every later run.
    pub fn set_env(&mut self, name: &str, value: &str) {
        self.env.push((name.to_string(), value.to_string()));
    }

    pub fn write_config(&self, name: &str, config: &Value) {
        std::fs::write(self.dir.join(name), config.to_string()).expect("write config");
    }

    /// Runs r53ctl in the workspace against `self.endpoint`, with a clean environment.
    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_r53ctl"))
            .args(args)
            .current_dir(&self.dir)
            .env_clear()
            .env("HOME", &self.dir)
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("AWS_ENDPOINT_URL_ROUTE_53", &self.endpoint)
            .envs(self.env.iter().map(|(k, v)| (k, v)))
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

    /// The zone's record sets as `get-zones` exports them, without SOA and NS.
    pub fn live_records(&self, domain: &str) -> Vec<Value> {
        let out = self.run(&["get-zones", "r53_main", domain]);
        assert_exit(&out, 0);
        let exported: Value = serde_json::from_str(&stdout(&out)).expect("get-zones JSON");
        exported["domains"][0]["records"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .filter(|r| r["type"] != "SOA" && r["type"] != "NS")
            .collect()
    }
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

/// A config of one domain with `records`, served by the DNS provider `r53_main`.
pub fn config(domain: &str, records: Value) -> Value {
    config_with(domain, records, json!({}))
}
