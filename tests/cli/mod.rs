//! Drives the r53ctl binary from integration tests: a scratch folder with creds.json and a
//! config, an endpoint, and helpers that read the outcome.

#![allow(dead_code)] // Each test crate uses its own share of these helpers.

use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::sync::Mutex;

use serde_json::{json, Value};

/// A scratch folder with a creds.json (mode 600), the endpoint r53ctl talks to and extra
/// environment.
pub struct Workspace {
    pub dir: PathBuf,
    /// Given to r53ctl as AWS_ENDPOINT_URL_ROUTE_53; `None` leaves it to `--endpoint`.
    endpoint: Option<String>,
    env: Vec<(String, String)>,
}

impl Workspace {
    pub fn new(name: &str, endpoint: &str) -> Workspace {
        Workspace::create(name, Some(endpoint.to_string()))
    }

    /// A workspace whose runs name their endpoint with `--endpoint` (none in the environment).
    pub fn without_endpoint(name: &str) -> Workspace {
        Workspace::create(name, None)
    }

    fn create(name: &str, endpoint: Option<String>) -> Workspace {
        let dir = std::env::temp_dir().join(format!("r53ctl-it-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch dir");
        let workspace = Workspace {
            dir,
            endpoint,
            env: Vec::new(),
        };
        workspace.write_creds(&json!({ "r53_main": {
            "TYPE": "ROUTE53", "KeyId": "AKIDTEST", "SecretKey": "test-secret"
        }}));
        workspace
    }

    /// The same folder, talking to `endpoint` instead.
    pub fn via(&self, endpoint: &str) -> Workspace {
        Workspace {
            dir: self.dir.clone(),
            endpoint: Some(endpoint.to_string()),
            env: self.env.clone(),
        }
    }

    /// Sets an environment variable for every later run.
    pub fn set_env(&mut self, name: &str, value: &str) {
        self.env.push((name.to_string(), value.to_string()));
    }

    pub fn write_config(&self, name: &str, config: &Value) {
        self.write(name, &config.to_string());
    }

    /// Writes `text` to `name` in the workspace, creating folders on the way.
    pub fn write(&self, name: &str, text: &str) {
        let path = self.dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(path, text).expect("write file");
    }

    /// Replaces creds.json, readable by its owner only.
    pub fn write_creds(&self, creds: &Value) {
        self.write("creds.json", &creds.to_string());
        self.chmod("creds.json", 0o600);
    }

    pub fn chmod(&self, name: &str, mode: u32) {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(self.dir.join(name), std::fs::Permissions::from_mode(mode))
            .expect("chmod");
    }

    /// Runs r53ctl in the workspace against `self.endpoint`, with a clean environment.
    pub fn run(&self, args: &[&str]) -> Output {
        self.run_with_env(args, &[])
    }

    /// Like [`Workspace::run`], with `env` added to the environment of this run only.
    pub fn run_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut command = self.command(args);
        command
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        spawn(&mut command).wait_with_output().expect("run r53ctl")
    }

    /// Starts r53ctl as [`Workspace::run`] would, with stdout and stderr piped.
    pub fn spawn(&self, args: &[&str]) -> Child {
        let mut command = self.command(args);
        command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        spawn(&mut command)
    }

    /// The command that runs r53ctl with `args` in the workspace, for a test that sets up its
    /// standard streams itself.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_r53ctl"));
        command
            .args(args)
            .current_dir(&self.dir)
            .env_clear()
            .env("HOME", &self.dir)
            .env("AWS_EC2_METADATA_DISABLED", "true");
        if let Some(endpoint) = &self.endpoint {
            command.env("AWS_ENDPOINT_URL_ROUTE_53", endpoint);
        }
        command.envs(self.env.iter().map(|(k, v)| (k, v)));
        command
    }

    /// Runs r53ctl and checks its exit code; returns stdout.
    #[track_caller]
    pub fn run_ok(&self, args: &[&str], code: i32) -> String {
        let out = self.run(args);
        assert_exit(&out, code);
        stdout(&out)
    }

    /// The zone's record sets as `get-zones` exports them, without SOA and NS, each with its
    /// TTL (get-zones leaves out TTLs equal to `default_ttl`).
    pub fn live_records(&self, domain: &str) -> Vec<Value> {
        let out = self.run(&["get-zones", "r53_main", domain]);
        assert_exit(&out, 0);
        let exported: Value = serde_json::from_str(&stdout(&out)).expect("get-zones JSON");
        let default_ttl = exported["default_ttl"].clone();
        exported["domains"][0]["records"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .filter(|r| r["type"] != "SOA" && r["type"] != "NS")
            .map(|mut r| {
                if r.get("ttl").is_none() && r.get("alias").is_none() {
                    r["ttl"] = default_ttl.clone();
                }
                r
            })
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

/// A domain entry of a config, served by the DNS provider `r53_main`.
pub fn domain(name: &str, records: Value) -> Value {
    json!({ "name": name, "registrar": "none", "dns_providers": ["r53_main"], "records": records })
}

/// A config of several domains, each served by the DNS provider `r53_main`.
pub fn config_of(domains: Vec<Value>) -> Value {
    json!({
        "registrars": { "none": { "type": "NONE" } },
        "dns_providers": { "r53_main": { "type": "ROUTE53" } },
        "domains": domains
    })
}

/// A config with one domain `domain_name` on provider `r53_main`, extended by the fields of `extra`.
pub fn config_with(domain_name: &str, records: Value, extra: Value) -> Value {
    let mut domain_object = domain(domain_name, records);
    if let (Some(target), Value::Object(fields)) = (domain_object.as_object_mut(), extra) {
        target.extend(fields);
    }
    config_of(vec![domain_object])
}

/// A config of one domain with `records`, served by the DNS provider `r53_main`.
pub fn config(domain: &str, records: Value) -> Value {
    config_with(domain, records, json!({}))
}

/// Held while this test process starts a child. A fork copies every open descriptor of the
/// process into the child until it execs, so a pipe end made while another test forks may live on
/// in that child for a moment: a pipe whose reader was dropped would then not be closed yet.
static FORKING: Mutex<()> = Mutex::new(());

/// Starts `command` while no other test of this process starts one.
fn spawn(command: &mut Command) -> Child {
    let _alone = FORKING.lock().unwrap_or_else(|e| e.into_inner());
    command.spawn().expect("start r53ctl")
}

/// Runs `command` with stdout, and stderr when `stderr_too`, going to a pipe whose reader is
/// already gone (as under `| head` once head has what it wants); a stream not closed is captured.
pub fn run_into_closed_pipe(command: &mut Command, stderr_too: bool) -> Output {
    let closed = || {
        let (reader, writer) = std::io::pipe().expect("pipe");
        drop(reader);
        Stdio::from(writer)
    };
    let child = {
        let _alone = FORKING.lock().unwrap_or_else(|e| e.into_inner());
        command.stdin(Stdio::null()).stdout(closed());
        command.stderr(if stderr_too { closed() } else { Stdio::piped() });
        command.spawn().expect("start r53ctl")
    };
    child.wait_with_output().expect("run r53ctl")
}
