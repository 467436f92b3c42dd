//! Route 53's rules for ChangeResourceRecordSets, which moto does not enforce: a CREATE of a
//! record set that exists fails, and a DELETE fails unless name, type, set identifier, TTL, every
//! value, the alias target and the routing policy match the live record set exactly. Changes
//! apply in order, so a DELETE followed by a CREATE of the same record set is fine. A request
//! with any failing change is refused whole with `400 InvalidChangeBatch`, one `<Message>` per
//! failing change, in the wording Route 53 uses.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;

use quick_xml::events::Event;
use quick_xml::Reader;
use r53ctl::model::{RecordKey, RecordSet};
use r53ctl::route53::xml::parse_list_record_sets;

/// Largest page ListResourceRecordSets allows.
const PAGE_SIZE: u32 = 300;
/// moto picks the service from the credential scope and does not check signatures.
const FAKE_AUTHORIZATION: &str = "AWS4-HMAC-SHA256 \
    Credential=AKIDPROXY/20240101/us-east-1/route53/aws4_request, SignedHeaders=host, \
    Signature=0000";

/// The hosted zone id of a ChangeResourceRecordSets request
/// (`POST /2013-04-01/hostedzone/{Id}/rrset/`), or `None` for any other request.
pub fn change_request_zone(method: &str, path: &str) -> Option<String> {
    if method != "POST" {
        return None;
    }
    let rest = path.strip_prefix("/2013-04-01/hostedzone/")?;
    let (zone, tail) = rest.split_once('/')?;
    tail.trim_end_matches('/')
        .eq("rrset")
        .then(|| zone.to_string())
}

/// The messages Route 53 would refuse the change batch `body` with against the zone's live
/// record sets read from `upstream`; empty when every change passes.
pub fn violations(upstream: &str, zone_id: &str, body: &[u8]) -> Result<Vec<String>, String> {
    let changes = requested_changes(body)?;
    let mut zone: BTreeMap<RecordKey, RecordSet> = live_record_sets(upstream, zone_id)?
        .into_iter()
        .map(|rs| (rs.key(), rs))
        .collect();
    let mut messages = Vec::new();
    for (action, record_set) in changes {
        if let Some(problem) = apply(&mut zone, &action, record_set) {
            messages.push(problem);
        }
    }
    Ok(messages)
}

/// The `InvalidChangeBatch` document Route 53 answers with.
pub fn invalid_change_batch(messages: &[String]) -> String {
    let messages: String = messages
        .iter()
        .map(|m| format!("<Message>{}</Message>", escape(m)))
        .collect();
    format!(
        "<?xml version=\"1.0\"?>\n<InvalidChangeBatch \
         xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\"><Messages>{messages}</Messages>\
         <RequestId>proxy-strict</RequestId></InvalidChangeBatch>"
    )
}

/// Applies one change to the simulated zone; why it fails, if it does.
fn apply(
    zone: &mut BTreeMap<RecordKey, RecordSet>,
    action: &str,
    record_set: RecordSet,
) -> Option<String> {
    let key = record_set.key();
    let label = label(&key);
    match action {
        "CREATE" if zone.contains_key(&key) => Some(format!(
            "Tried to create resource record set {label} but it already exists"
        )),
        "CREATE" | "UPSERT" => {
            zone.insert(key, record_set);
            None
        }
        "DELETE" => match zone.get(&key) {
            None => Some(format!(
                "Tried to delete resource record set {label} but it was not found"
            )),
            Some(live) if !matches_exactly(live, &record_set) => Some(format!(
                "Tried to delete resource record set {label} but the values provided do not \
                 match the current values"
            )),
            Some(_) => {
                zone.remove(&key);
                None
            }
        },
        other => Some(format!("Unknown action {other:?} for {label}")),
    }
}

fn label(key: &RecordKey) -> String {
    match &key.set_identifier {
        Some(id) => format!(
            "[name='{}', type='{}', set-identifier='{id}']",
            key.name, key.rtype
        ),
        None => format!("[name='{}', type='{}']", key.name, key.rtype),
    }
}

/// Whether a DELETE of `requested` names the live record set exactly: same TTL, the same values
/// (in any order), the same alias target, routing policy and health check.
fn matches_exactly(live: &RecordSet, requested: &RecordSet) -> bool {
    let comparable = |rs: &RecordSet| {
        let mut values = rs.values.clone();
        values.sort();
        let alias = rs.alias().map(|a| {
            (
                a.hosted_zone_id.clone(),
                r53ctl::name::normalize(&a.dns_name),
                a.evaluate_target_health,
            )
        });
        (
            rs.ttl,
            values,
            alias,
            rs.routing().cloned(),
            rs.health_check_id().map(str::to_string),
        )
    };
    comparable(live) == comparable(requested)
}

/// `(action, record set)` of every `<Change>` in a ChangeResourceRecordSetsRequest. Each
/// `<ResourceRecordSet>` is cut out of the body and read by r53ctl's own response parser.
pub fn requested_changes(body: &[u8]) -> Result<Vec<(String, RecordSet)>, String> {
    let text = std::str::from_utf8(body).map_err(|e| format!("request not UTF-8: {e}"))?;
    let mut reader = Reader::from_str(text);
    let mut changes = Vec::new();
    let mut action = String::new();
    let mut in_action = false;
    let mut set_start = None;
    loop {
        let before = usize::try_from(reader.buffer_position()).map_err(|e| e.to_string())?;
        let event = reader
            .read_event()
            .map_err(|e| format!("malformed change batch: {e}"))?;
        match event {
            Event::Start(start) => match start.local_name().into_inner() {
                "Action" => in_action = true,
                "ResourceRecordSet" => set_start = Some(before),
                _ => {}
            },
            Event::Text(t) if in_action => action = t.xml10_content().trim().to_string(),
            Event::End(end) => {
                in_action = false;
                if end.local_name().into_inner() == "ResourceRecordSet" {
                    let start = set_start
                        .take()
                        .ok_or("</ResourceRecordSet> without start")?;
                    let end =
                        usize::try_from(reader.buffer_position()).map_err(|e| e.to_string())?;
                    let element = text.get(start..end).ok_or("bad element bounds")?;
                    changes.push((std::mem::take(&mut action), one_record_set(element)?));
                }
            }
            Event::Eof => return Ok(changes),
            _ => {}
        }
    }
}

fn one_record_set(element: &str) -> Result<RecordSet, String> {
    let document = format!(
        "<ListResourceRecordSetsResponse><ResourceRecordSets>{element}</ResourceRecordSets>\
         <IsTruncated>false</IsTruncated><MaxItems>1</MaxItems></ListResourceRecordSetsResponse>"
    );
    parse_list_record_sets(document.as_bytes())?
        .record_sets
        .pop()
        .ok_or_else(|| format!("no record set in {element}"))
}

/// Every live record set of the zone, read page by page straight from `upstream`.
fn live_record_sets(upstream: &str, zone_id: &str) -> Result<Vec<RecordSet>, String> {
    let mut record_sets = Vec::new();
    let mut query = format!("maxitems={PAGE_SIZE}");
    loop {
        let path = format!("/2013-04-01/hostedzone/{zone_id}/rrset?{query}");
        let page = parse_list_record_sets(&get(upstream, &path)?)?;
        record_sets.extend(page.record_sets);
        let Some(next) = page.next else {
            return Ok(record_sets);
        };
        let mut next_query = format!(
            "maxitems={PAGE_SIZE}&name={}&type={}",
            encode(&next.name),
            encode(next.rtype.as_str())
        );
        if let Some(id) = &next.identifier {
            next_query = format!("identifier={}&{next_query}", encode(id));
        }
        if next_query == query {
            return Err(format!(
                "paging of zone {zone_id} does not advance at {query}"
            ));
        }
        query = next_query;
    }
}

/// The body of a `200` answer to `GET path` from `upstream`.
fn get(upstream: &str, path: &str) -> Result<Vec<u8>, String> {
    let mut server =
        TcpStream::connect(upstream).map_err(|e| format!("connect {upstream}: {e}"))?;
    let head = format!(
        "GET {path} HTTP/1.0\r\nhost: {upstream}\r\nauthorization: {FAKE_AUTHORIZATION}\r\n\r\n"
    );
    server
        .write_all(head.as_bytes())
        .map_err(|e| format!("send GET {path}: {e}"))?;
    let mut response = Vec::new();
    server
        .read_to_end(&mut response)
        .map_err(|e| format!("read answer to GET {path}: {e}"))?;
    let head_end = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| format!("GET {path}: no HTTP head in the answer"))?;
    let status_line = String::from_utf8_lossy(&response[..head_end]);
    if !status_line.starts_with("HTTP/1.1 200") && !status_line.starts_with("HTTP/1.0 200") {
        return Err(format!("GET {path}: {status_line}"));
    }
    Ok(response[head_end + 4..].to_vec())
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
