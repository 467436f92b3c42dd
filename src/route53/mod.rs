//! The Route 53 REST API, version 2013-04-01: requests built, signed, sent and their answers parsed.
//! It knows record sets and zones ([`crate::model`]), never the config file.
//!
//! Every call waits for the shared [`Limiter`], is retried per [`retry::decide`], and a write
//! whose outcome cannot be known ends in [`ApiError::OutcomeUnknown`]. A [`Client`] is `Sync`:
//! several threads may read zones through one client.
//!
//! May import: `creds`, `http`, `interrupt`, `log`, `model`, `name`, `rtype`, `sigv4`, `time`, `xml_tree`.

pub mod error;
pub mod limiter;
pub mod protection;
pub mod retry;
pub mod xml;

use std::collections::HashSet;
use std::hash::Hash;
use std::sync::Arc;
use std::time::SystemTime;

use crate::creds::ProvideCredentials;
use crate::http::{Request, Response, Transport};
use crate::model::{bare_id, ChangeAction, ChangeInfo, HostedZone, RecordSet, Vpc};
use crate::sigv4::{self, percent_encode, Endpoint, SigningParams};

pub use error::{ApiError, AwsError};
pub use limiter::{BucketLimit, Limiter, Limits};
pub use retry::{CallKind, Clock, Jitter, RetryPolicy, SystemClock};
pub use xml::{CreatedZone, NewZone, RecordPosition};

/// The path prefix of every operation.
const API_PREFIX: &str = "/2013-04-01";
/// Largest page ListHostedZones and ListHostedZonesByName allow.
pub const ZONES_PAGE_SIZE: u32 = 100;
/// Largest page ListResourceRecordSets allows.
const RECORDS_PAGE_SIZE: u32 = 300;
/// Most record sets reserved ahead of a listing from the zone's count: ten times Route 53's
/// default quota per zone, so that a count a server makes up cannot reserve much. A larger zone
/// still lists whole; its vector grows past this.
const MAX_RESERVED_RECORD_SETS: u64 = 100_000;
const GET_HOSTED_ZONE: &str = "GetHostedZone";
/// How many bytes of a non-XML error body are shown.
const BODY_EXCERPT: usize = 200;

/// How a [`Client`] paces and retries its calls.
#[derive(Clone)]
pub struct ClientOptions {
    /// Client-side token buckets, shared by every thread using the client.
    pub limits: Limits,
    /// Backoff and attempts for retried calls.
    pub retry: RetryPolicy,
    /// Time source for pacing and backoff; tests pass a fake.
    pub clock: Arc<dyn Clock>,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            limits: Limits::default(),
            retry: RetryPolicy::default(),
            clock: Arc::new(SystemClock::default()),
        }
    }
}

/// A Route 53 API client.
pub struct Client {
    caller: Caller,
}

/// How the calls of one AWS API reach it: signed with the endpoint's region and service, paced by
/// a [`Limiter`] of their own, retried per [`retry::decide`]. [`Client`] uses one for Route 53;
/// other AWS APIs r53ctl speaks (Route 53 Domains) use one each.
pub struct Caller {
    transport: Transport,
    endpoint: Endpoint,
    credentials: Arc<dyn ProvideCredentials>,
    limiter: Limiter,
    retry: RetryPolicy,
    clock: Arc<dyn Clock>,
    jitter: Jitter,
}

// Zones are read from several threads through one client.
const _: fn() = || {
    fn shareable<T: Send + Sync>() {}
    shareable::<Client>();
};

/// One API call, as sent on every attempt.
pub struct Call {
    pub operation: &'static str,
    pub kind: CallKind,
    pub method: &'static str,
    pub path_and_query: String,
    /// Headers besides the signature's, e.g. `content-type`.
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
    /// Tokens it takes from the change-throughput bucket.
    pub changes: u32,
    /// What it concerns (a zone, a domain), for messages.
    pub scope: String,
}

/// Reads the body of an error answer (`None` when it is not one); each API has its error format.
pub type ErrorReader = fn(&[u8]) -> Option<xml::ErrorBody>;

impl Client {
    /// A client with the default limits and retry policy.
    pub fn new(
        transport: Transport,
        endpoint: Endpoint,
        credentials: Arc<dyn ProvideCredentials>,
    ) -> Client {
        Client::with_options(transport, endpoint, credentials, ClientOptions::default())
    }

    /// A client with the given limits, retry policy and clock.
    pub fn with_options(
        transport: Transport,
        endpoint: Endpoint,
        credentials: Arc<dyn ProvideCredentials>,
        options: ClientOptions,
    ) -> Client {
        Client {
            caller: Caller::new(transport, endpoint, credentials, options),
        }
    }

    /// The endpoint requests go to.
    pub fn endpoint(&self) -> &Endpoint {
        self.caller.endpoint()
    }

    /// The buckets this client paces its requests to.
    pub fn limits(&self) -> &Limits {
        self.caller.limiter.limits()
    }

    /// How many of this client's requests Route 53 throttled so far.
    pub fn throttles(&self) -> usize {
        self.caller.limiter.throttles()
    }

    /// Where the client's credentials come from; never a secret.
    pub fn credentials_source(&self) -> String {
        self.caller.credentials_source()
    }

    /// How many hosted zones the account has (GetHostedZoneCount): one cheap read.
    pub fn hosted_zone_count(&self) -> Result<u64, ApiError> {
        const OPERATION: &str = "GetHostedZoneCount";
        let body = self.call(&Call::read(
            OPERATION,
            format!("{API_PREFIX}/hostedzonecount"),
            "account",
        ))?;
        xml::parse_hosted_zone_count(&body).map_err(parse_error(OPERATION))
    }

    /// Every hosted zone of the account (ListHostedZones, all pages).
    pub fn list_hosted_zones(&self) -> Result<Vec<HostedZone>, ApiError> {
        const OPERATION: &str = "ListHostedZones";
        let scope = "the account's hosted zones";
        let read_page = |marker: Option<&String>| {
            let mut query = Query::default();
            if let Some(marker) = marker {
                query.add("marker", marker);
            }
            query.add("maxitems", &ZONES_PAGE_SIZE.to_string());
            let body = self.call(&Call::read(
                OPERATION,
                format!("{API_PREFIX}/hostedzone{}", query.finish()),
                scope,
            ))?;
            let page = xml::parse_list_hosted_zones(&body).map_err(parse_error(OPERATION))?;
            Ok((page.zones, page.next_marker))
        };
        let listing = Listing {
            operation: OPERATION,
            scope,
            items: None,
            page_size: ZONES_PAGE_SIZE,
        };
        read_all_pages(listing, read_page, |marker| format!("marker={marker}"))
    }

    /// The hosted zones named `dns_name` (ListHostedZonesByName). Several zones may share a name
    /// (public and private ones); all of them are returned.
    pub fn hosted_zones_named(&self, dns_name: &str) -> Result<Vec<HostedZone>, ApiError> {
        const OPERATION: &str = "ListHostedZonesByName";
        let wanted = crate::name::normalize(dns_name);
        let scope = format!("hosted zones named {wanted}");
        let read_page = |position: Option<&(String, String)>| {
            let mut query = Query::default();
            match position {
                Some((name, id)) => {
                    query.add("dnsname", name);
                    query.add("hostedzoneid", id);
                }
                None => query.add("dnsname", dns_name),
            }
            query.add("maxitems", &ZONES_PAGE_SIZE.to_string());
            let body = self.call(&Call::read(
                OPERATION,
                format!("{API_PREFIX}/hostedzonesbyname{}", query.finish()),
                &scope,
            ))?;
            let page =
                xml::parse_list_hosted_zones_by_name(&body).map_err(parse_error(OPERATION))?;
            // The listing starts at `dns_name` in Route 53's order, so the zones of that name
            // come first; the first other name ends them.
            let page_len = page.zones.len();
            let zones: Vec<HostedZone> = page
                .zones
                .into_iter()
                .take_while(|zone| crate::name::normalize(&zone.name) == wanted)
                .collect();
            let passed_the_name = zones.len() < page_len;
            Ok((zones, page.next.filter(|_| !passed_the_name)))
        };
        let listing = Listing {
            operation: OPERATION,
            scope: &scope,
            items: None,
            page_size: ZONES_PAGE_SIZE,
        };
        read_all_pages(listing, read_page, |(name, id)| {
            format!("dnsname={name} hostedzoneid={id}")
        })
    }

    /// GetHostedZone.
    pub fn get_hosted_zone(&self, zone_id: &str) -> Result<HostedZone, ApiError> {
        let body = self.get_hosted_zone_document(zone_id)?;
        xml::parse_get_hosted_zone(&body).map_err(parse_error(GET_HOSTED_ZONE))
    }

    /// The name servers of the zone's delegation set (GetHostedZone): those a registrar points
    /// the domain at. A private zone has none.
    pub fn delegation_name_servers(&self, zone_id: &str) -> Result<Vec<String>, ApiError> {
        let body = self.get_hosted_zone_document(zone_id)?;
        xml::parse_delegation_set(&body).map_err(parse_error(GET_HOSTED_ZONE))
    }

    fn get_hosted_zone_document(&self, zone_id: &str) -> Result<Vec<u8>, ApiError> {
        let zone_id = bare_id(zone_id);
        self.call(&Call::read(
            GET_HOSTED_ZONE,
            format!("{API_PREFIX}/hostedzone/{}", percent_encode(zone_id)),
            &format!("zone {zone_id}"),
        ))
    }

    /// Every record set of the zone (ListResourceRecordSets, all pages). `record_count` is the
    /// zone's ResourceRecordSetCount when known; it bounds how many pages the listing may take
    /// and sizes the vector they are read into.
    pub fn list_record_sets(
        &self,
        zone_id: &str,
        record_count: Option<u64>,
    ) -> Result<Vec<RecordSet>, ApiError> {
        const OPERATION: &str = "ListResourceRecordSets";
        let zone_id = bare_id(zone_id);
        let scope = format!("zone {zone_id}");
        let read_page = |position: Option<&RecordPosition>| {
            let body = self.call(&Call::read(
                OPERATION,
                format!(
                    "{API_PREFIX}/hostedzone/{}/rrset{}",
                    percent_encode(zone_id),
                    record_query(position)
                ),
                &scope,
            ))?;
            let page = xml::parse_list_record_sets(&body).map_err(parse_error(OPERATION))?;
            Ok((page.record_sets, page.next))
        };
        let listing = Listing {
            operation: OPERATION,
            scope: &scope,
            items: record_count,
            page_size: RECORDS_PAGE_SIZE,
        };
        read_all_pages(listing, read_page, |next| {
            format!(
                "name={} type={} identifier={}",
                next.name,
                next.rtype,
                next.identifier.as_deref().unwrap_or("-")
            )
        })
    }

    /// ChangeResourceRecordSets: applies all `changes` atomically, or none.
    pub fn change_record_sets(
        &self,
        zone_id: &str,
        changes: &[ChangeAction],
        comment: &str,
    ) -> Result<ChangeInfo, ApiError> {
        let zone_id = bare_id(zone_id);
        let call = Call::xml_write(
            "ChangeResourceRecordSets",
            format!("{API_PREFIX}/hostedzone/{}/rrset/", percent_encode(zone_id)),
            xml::change_batch_request(changes, comment),
            change_count(changes),
            format!("zone {zone_id}"),
        );
        self.write(&call, xml::parse_change_info)
    }

    /// GetChange.
    pub fn get_change(&self, change_id: &str) -> Result<ChangeInfo, ApiError> {
        const OPERATION: &str = "GetChange";
        let change_id = bare_id(change_id);
        let body = self.call(&Call::read(
            OPERATION,
            format!("{API_PREFIX}/change/{}", percent_encode(change_id)),
            &format!("change {change_id}"),
        ))?;
        xml::parse_change_info(&body).map_err(parse_error(OPERATION))
    }

    /// CreateHostedZone: a public zone named `name`. `caller_reference` must be unique per
    /// zone created; sending the same one again does not create a second zone.
    pub fn create_hosted_zone(
        &self,
        name: &str,
        caller_reference: &str,
        comment: Option<&str>,
    ) -> Result<CreatedZone, ApiError> {
        let request = NewZone {
            name,
            caller_reference,
            comment,
            ..NewZone::default()
        };
        self.create_zone(&request)
    }

    /// CreateHostedZone as `request` describes it: public or private (in its first VPC), in a
    /// reusable delegation set or not.
    pub fn create_zone(&self, request: &NewZone<'_>) -> Result<CreatedZone, ApiError> {
        const OPERATION: &str = "CreateHostedZone";
        let call = Call::xml_write(
            OPERATION,
            format!("{API_PREFIX}/hostedzone"),
            xml::create_hosted_zone_request(request),
            limiter::ZONE_CHANGE_TOKENS,
            format!("new zone {}", request.name),
        );
        self.write(&call, xml::parse_create_hosted_zone)
    }

    /// Sends the write `call` and parses its answer. A success answer that cannot be read says
    /// nothing of whether the write was applied: that is [`ApiError::OutcomeUnknown`], never a
    /// refusal.
    fn write<T>(
        &self,
        call: &Call,
        parse: impl FnOnce(&[u8]) -> Result<T, String>,
    ) -> Result<T, ApiError> {
        let body = self.call(call)?;
        parse(&body).map_err(|detail| ApiError::OutcomeUnknown {
            operation: call.operation,
            scope: call.scope.clone(),
            cause: Box::new(parse_error(call.operation)(detail)),
        })
    }

    /// AssociateVPCWithHostedZone: makes private zone `zone_id` answer in one more VPC.
    pub fn associate_vpc(&self, zone_id: &str, vpc: &Vpc) -> Result<ChangeInfo, ApiError> {
        const OPERATION: &str = "AssociateVPCWithHostedZone";
        let zone_id = bare_id(zone_id);
        let call = Call::xml_write(
            OPERATION,
            format!(
                "{API_PREFIX}/hostedzone/{}/associatevpc",
                percent_encode(zone_id)
            ),
            xml::associate_vpc_request(vpc),
            limiter::ZONE_CHANGE_TOKENS,
            format!("zone {zone_id}"),
        );
        self.write(&call, xml::parse_change_info)
    }

    fn call(&self, call: &Call) -> Result<Vec<u8>, ApiError> {
        self.caller.call(call, xml::parse_error)
    }
}

impl Caller {
    /// A caller of the API at `endpoint`, with its own limiter.
    pub fn new(
        transport: Transport,
        endpoint: Endpoint,
        credentials: Arc<dyn ProvideCredentials>,
        options: ClientOptions,
    ) -> Caller {
        let endpoint = Endpoint {
            url: endpoint.url.trim_end_matches('/').to_string(),
            ..endpoint
        };
        Caller {
            transport,
            endpoint,
            credentials,
            limiter: Limiter::new(options.limits),
            retry: options.retry,
            clock: options.clock,
            jitter: Jitter::from_time(),
        }
    }

    /// The endpoint requests go to.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// Where the credentials come from; never a secret.
    pub fn credentials_source(&self) -> String {
        self.credentials.source()
    }

    /// Sends `call`, pacing and retrying it; returns the body of its 2xx answer.
    /// `read_error` reads the API's error document from the body of any other answer.
    pub fn call(&self, call: &Call, read_error: ErrorReader) -> Result<Vec<u8>, ApiError> {
        let mut attempt = 0;
        let started = self.clock.now();
        loop {
            let clock = self.clock.as_ref();
            self.limiter.acquire(call.operation, call.changes, clock);
            // A signal during the wait: the write is not sent (every earlier attempt of it was
            // certainly not applied, or it would not be retried).
            if call.kind == CallKind::Write && crate::interrupt::received().is_some() {
                return Err(ApiError::Interrupted {
                    operation: call.operation,
                    scope: call.scope.clone(),
                });
            }
            let err = match self.send_once(call, read_error) {
                Ok(body) => {
                    self.limiter.succeeded(call.operation, call.changes, clock);
                    return Ok(body);
                }
                Err(err) => err,
            };
            if err.is_throttling() {
                self.limiter.throttled(call.operation, call.changes, clock);
            }
            let attempts = self.retry.attempts_for(&err);
            match retry::decide(call.kind, &err) {
                retry::Decision::Retry if attempt + 1 < attempts => {
                    let wait = self.retry.backoff(attempt, &self.jitter);
                    let spent = self.clock.now().saturating_sub(started);
                    if spent + wait > self.retry.max_total {
                        return Err(ApiError::RetryTimeSpent {
                            attempts: attempt + 1,
                            spent,
                            limit: self.retry.max_total,
                            cause: Box::new(err),
                        });
                    }
                    crate::debug!("{err}");
                    limiter::show_wait(
                        wait,
                        &format!(
                            "{} failed ({}); attempt {} of {attempts} follows",
                            call.operation,
                            err.code().unwrap_or("no answer"),
                            attempt + 2
                        ),
                    );
                    self.clock.sleep(wait);
                    attempt += 1;
                }
                retry::Decision::OutcomeUnknown => {
                    return Err(ApiError::OutcomeUnknown {
                        operation: call.operation,
                        scope: call.scope.clone(),
                        cause: Box::new(err),
                    })
                }
                _ => return Err(err),
            }
        }
    }

    /// One signed attempt.
    fn send_once(&self, call: &Call, read_error: ErrorReader) -> Result<Vec<u8>, ApiError> {
        let credentials = self
            .credentials
            .credentials()
            .map_err(ApiError::Credentials)?;
        let mut request = Request {
            method: call.method.to_string(),
            url: format!("{}{}", self.endpoint.url, call.path_and_query),
            headers: call
                .headers
                .iter()
                .map(|(name, value)| (name.to_string(), value.clone()))
                .collect(),
            body: call.body.clone(),
        };
        let params = SigningParams {
            credentials: &credentials,
            region: &self.endpoint.region,
            service: self.endpoint.service,
            time: SystemTime::now(),
        };
        sigv4::sign(&mut request, &params).map_err(|source| ApiError::Signing {
            operation: call.operation,
            source,
        })?;
        crate::debug!(
            "request {} {} ({})",
            call.method,
            request.url,
            call.operation
        );
        let response = self
            .transport
            .send(&request)
            .map_err(|source| ApiError::Transport {
                operation: call.operation,
                source,
            })?;
        crate::debug!(
            "response {} to {} (request id {})",
            response.status,
            call.operation,
            response.header("x-amzn-RequestId").unwrap_or("-")
        );
        if (200..300).contains(&response.status) {
            Ok(response.body)
        } else {
            let error_body = read_error(&response.body);
            Err(error_of_answer(
                self.endpoint.service,
                call.operation,
                &response,
                error_body,
            ))
        }
    }
}

impl Call {
    fn read(operation: &'static str, path_and_query: String, scope: &str) -> Call {
        Call {
            operation,
            kind: CallKind::Read,
            method: "GET",
            path_and_query,
            headers: Vec::new(),
            body: Vec::new(),
            changes: 0,
            scope: scope.to_string(),
        }
    }

    /// A POST of the XML document `body`.
    fn xml_write(
        operation: &'static str,
        path_and_query: String,
        body: Vec<u8>,
        changes: u32,
        scope: String,
    ) -> Call {
        Call {
            operation,
            kind: CallKind::Write,
            method: "POST",
            path_and_query,
            headers: vec![("content-type", "text/xml".to_string())],
            body,
            changes,
            scope,
        }
    }
}

/// The change tokens of a ChangeResourceRecordSets request of `changes`.
fn change_count(changes: &[ChangeAction]) -> u32 {
    let count: usize = changes.iter().map(|c| c.action.change_tokens()).sum();
    u32::try_from(count).unwrap_or(u32::MAX)
}

fn parse_error(operation: &'static str) -> impl Fn(String) -> ApiError {
    move |detail| ApiError::Parse { operation, detail }
}

/// The error of a non-2xx `response` to `operation` of AWS `service` (its IAM prefix, which is
/// also its signing name): from `body` when the API's error format could be read from it, else
/// from the status and the first bytes of the answer.
fn error_of_answer(
    service: &'static str,
    operation: &'static str,
    response: &Response,
    body: Option<xml::ErrorBody>,
) -> ApiError {
    let header_request_id = response.header("x-amzn-RequestId").map(str::to_string);
    match body {
        Some(body) => ApiError::Aws(Box::new(AwsError {
            service,
            operation,
            status: response.status,
            code: body.code,
            message: body.messages.first().cloned().unwrap_or_default(),
            messages: body.messages,
            request_id: header_request_id.or(body.request_id),
            server_date: response.header("date").map(str::to_string),
            local_time: SystemTime::now(),
        })),
        None => {
            let end = response.body.len().min(BODY_EXCERPT);
            let excerpt = response.body.get(..end).unwrap_or_default();
            ApiError::Http {
                operation,
                status: response.status,
                request_id: header_request_id,
                body_start: String::from_utf8_lossy(excerpt).into_owned(),
            }
        }
    }
}

/// How many pages a listing may take when the number of items is unknown: far more than any
/// account or zone holds, yet a bound on the memory a broken server can make us use.
const MAX_PAGES_UNKNOWN: usize = 20_000;

/// How many pages a listing of about `items` items, `page_size` per page, may take. The slack is
/// generous (pages a tenth full, a hundred more pages) because the count may be stale and a
/// compatible server may send smaller pages.
fn page_bound(items: Option<u64>, page_size: u32) -> usize {
    match items {
        Some(items) => {
            let full_pages = items.div_ceil(u64::from(page_size.max(1)));
            usize::try_from(full_pages.saturating_mul(10).saturating_add(100)).unwrap_or(usize::MAX)
        }
        None => MAX_PAGES_UNKNOWN,
    }
}

/// Reads every page of a listing. `read_page` reads the page that starts at a position (`None`:
/// the first) and returns its items and where the next page starts (`None`: it was the last).
/// A listing that names a position it already handed out, or takes more than `max_pages`
/// pages, would never end: that is [`ApiError::PagingBroken`], with the position as `describe`
/// writes it.
fn read_all_pages<Position: Eq + Hash + Clone, Item>(
    listing: Listing<'_>,
    mut read_page: impl FnMut(Option<&Position>) -> Result<(Vec<Item>, Option<Position>), ApiError>,
    describe: impl Fn(&Position) -> String,
) -> Result<Vec<Item>, ApiError> {
    let broken = |problem: String| ApiError::PagingBroken {
        operation: listing.operation,
        scope: listing.scope.to_string(),
        problem,
    };
    let mut items = Vec::with_capacity(listing.capacity());
    let mut seen = HashSet::new();
    let mut position: Option<Position> = None;
    for _ in 0..listing.max_pages() {
        let (page, next) = read_page(position.as_ref())?;
        items.extend(page);
        match next {
            None => return Ok(items),
            Some(next) if !seen.insert(next.clone()) => {
                return Err(broken(format!(
                    "it named a page it had already named ({})",
                    describe(&next)
                )))
            }
            Some(next) => position = Some(next),
        }
    }
    Err(broken(format!(
        "it still named a next page after {} pages ({} items), more than the listing can hold",
        listing.max_pages(),
        items.len()
    )))
}

/// What [`read_all_pages`] reads, for its errors, and how large it is.
struct Listing<'a> {
    operation: &'static str,
    scope: &'a str,
    /// How many items it holds, when known (a hint: it may hold more or fewer).
    items: Option<u64>,
    page_size: u32,
}

impl Listing<'_> {
    /// How many pages it may take (see [`page_bound`]).
    fn max_pages(&self) -> usize {
        page_bound(self.items, self.page_size)
    }

    /// How many items to make room for up front: those it holds, within a cap, as a server may
    /// give any count.
    fn capacity(&self) -> usize {
        self.items
            .map_or(0, |items| items.min(MAX_RESERVED_RECORD_SETS) as usize)
    }
}

/// The query of a ListResourceRecordSets page starting at `position`.
fn record_query(position: Option<&RecordPosition>) -> String {
    let mut query = Query::default();
    if let Some(identifier) = position.and_then(|p| p.identifier.as_deref()) {
        query.add("identifier", identifier);
    }
    query.add("maxitems", &RECORDS_PAGE_SIZE.to_string());
    if let Some(position) = position {
        query.add("name", &position.name);
        query.add("type", position.rtype.as_str());
    }
    query.finish()
}

/// A query string built in the order parameters are added (keep them sorted by name).
#[derive(Default)]
struct Query(Vec<String>);

impl Query {
    fn add(&mut self, name: &str, value: &str) {
        self.0.push(format!("{name}={}", percent_encode(value)));
    }

    fn finish(self) -> String {
        match self.0.is_empty() {
            true => String::new(),
            false => format!("?{}", self.0.join("&")),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests;
