//! Shared harness of the integration tests: a moto server on a local port of its own, a Route 53
//! client pointed at it, and helpers that create zones and record sets through that client.
//!
//! The moto executable comes from `R53CTL_MOTO`, else `<repo>/.venv/bin/moto_server`
//! (`python3 -m venv .venv && .venv/bin/pip install 'moto[server]'`).

#![allow(dead_code)] // Each test crate uses its own share of these helpers.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use r53ctl::creds::{CredsError, ProvideCredentials};
use r53ctl::http::{Transport, TransportOptions};
use r53ctl::model::{Action, ChangeAction, RecordSet};
use r53ctl::route53::{Call, CallKind, Caller, Client, ClientOptions, CreatedZone};
use r53ctl::rtype::RecordType;
use r53ctl::sigv4::{Credentials, Endpoint};

/// How long moto may take to start listening.
const STARTUP_LIMIT: Duration = Duration::from_secs(60);
/// Changes per ChangeResourceRecordSets request in [`add_record_sets`]; far below every limit.
pub const BATCH_SIZE: usize = 100;

/// The port of moto's `* Running on http://127.0.0.1:PORT` line.
fn listening_port(line: &str) -> Option<u16> {
    let address = line.split("Running on http://127.0.0.1:").nth(1)?;
    let digits: String = address.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// A running moto server; killed when dropped.
pub struct Moto {
    child: Child,
    /// Base URL, e.g. `http://127.0.0.1:38123`.
    pub url: String,
}

impl Moto {
    /// Starts moto on a port the kernel picks (`-p 0`) and waits until it says which: a port
    /// picked beforehand could be taken by another server before moto binds it.
    pub fn start() -> Moto {
        let executable = moto_executable();
        assert!(
            executable.exists(),
            "moto_server not found at {} : set R53CTL_MOTO or create the venv: python3 -m venv \
             .venv && .venv/bin/pip install 'moto[server]'",
            executable.display()
        );
        let mut child = Command::new(&executable)
            .args(["-H", "127.0.0.1", "-p", "0"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", executable.display()));
        let stderr = child.stderr.take().expect("moto's stderr");
        let (sender, port) = std::sync::mpsc::channel();
        // moto logs every request on stderr: read it to the end, or moto blocks on a full pipe.
        thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(port) = listening_port(&line) {
                    let _ = sender.send(port);
                }
            }
        });
        let port = port.recv_timeout(STARTUP_LIMIT).unwrap_or_else(|_| {
            let status = child.try_wait().ok().flatten();
            panic!("moto_server did not say where it listens within {STARTUP_LIMIT:?} ({status:?})")
        });
        Moto {
            child,
            url: format!("http://127.0.0.1:{port}"),
        }
    }

    /// A client for this server, with static test credentials.
    pub fn client(&self) -> Client {
        let transport = Transport::new(&TransportOptions::default()).expect("transport");
        let endpoint = Endpoint {
            url: self.url.clone(),
            region: "us-east-1".into(),
            service: "route53",
        };
        Client::new(transport, endpoint, static_credentials())
    }
}

impl Moto {
    /// Registers `domain` (no trailing dot; a TLD Route 53 sells, e.g. `.com`) in moto's
    /// Route 53 Domains, which also creates its public hosted zone, as real registration does.
    pub fn register_domain(&self, domain: &str) {
        let transport = Transport::new(&TransportOptions::default()).expect("transport");
        let endpoint = Endpoint {
            url: self.url.clone(),
            region: "us-east-1".into(),
            service: "route53domains",
        };
        let caller = Caller::new(
            transport,
            endpoint,
            static_credentials(),
            ClientOptions::default(),
        );
        let contact = serde_json::json!({
            "ContactType": "PERSON", "FirstName": "Test", "LastName": "User",
            "CountryCode": "US", "Email": "dns@example.com"
        });
        let body = serde_json::json!({
            "DomainName": domain, "DurationInYears": 2,
            "AdminContact": contact, "RegistrantContact": contact, "TechContact": contact
        });
        let call = Call {
            operation: "RegisterDomain",
            kind: CallKind::Write,
            method: "POST",
            path_and_query: "/".into(),
            headers: vec![
                ("content-type", "application/x-amz-json-1.1".into()),
                (
                    "x-amz-target",
                    "Route53Domains_v20140515.RegisterDomain".into(),
                ),
            ],
            body: body.to_string().into_bytes(),
            changes: 0,
            scope: domain.into(),
        };
        caller
            .call(&call, r53ctl::domains::parse_error)
            .unwrap_or_else(|e| panic!("register {domain}: {e}"));
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn moto_executable() -> PathBuf {
    match std::env::var_os("R53CTL_MOTO") {
        Some(path) => PathBuf::from(path),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/moto_server"),
    }
}

/// Fixed, fake credentials; moto does not check signatures, real Route 53 would refuse them.
struct StaticCredentials;

impl ProvideCredentials for StaticCredentials {
    fn credentials(&self) -> Result<Credentials, CredsError> {
        Ok(Credentials {
            access_key_id: "AKIAIOSFODNN7EXAMPLE".into(),
            secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".into(),
            session_token: None,
            expires_at: None,
        })
    }

    fn source(&self) -> String {
        "integration-test static credentials".into()
    }
}

/// Credentials for tests.
pub fn static_credentials() -> Arc<dyn ProvideCredentials> {
    Arc::new(StaticCredentials)
}

/// A zone name no other test run uses, e.g. `r53ctl-it-1764199800123-example.com.`.
pub fn unique_zone_name(label: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("r53ctl-it-{nanos}-{label}.com.")
}

/// Creates a public zone named `name` through `client`.
pub fn create_zone(client: &Client, name: &str) -> CreatedZone {
    let reference = format!("r53ctl-test-{name}");
    client
        .create_hosted_zone(name, &reference, Some("r53ctl integration test"))
        .unwrap_or_else(|e| panic!("create zone {name}: {e}"))
}

/// `count` A record sets `host-N.<zone>` with one address each.
pub fn numbered_a_records(zone: &str, count: usize) -> Vec<RecordSet> {
    (0..count)
        .map(|n| {
            let value = format!("10.{}.{}.{}", n / 65_536 % 256, n / 256 % 256, n % 256);
            RecordSet::simple(&format!("host-{n}.{zone}"), RecordType::A, 300, vec![value])
        })
        .collect()
}

/// CREATEs `record_sets` in batches of [`BATCH_SIZE`].
pub fn add_record_sets(client: &Client, zone_id: &str, record_sets: &[RecordSet]) {
    for batch in record_sets.chunks(BATCH_SIZE) {
        let changes: Vec<ChangeAction> = batch
            .iter()
            .map(|record_set| ChangeAction {
                action: Action::Create,
                record_set,
            })
            .collect();
        client
            .change_record_sets(zone_id, &changes, "r53ctl test data")
            .unwrap_or_else(|e| panic!("add record sets to {zone_id}: {e}"));
    }
}
