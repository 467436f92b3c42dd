//! Route 53 Domains, the registrar API: the name servers registered for a domain, changing them,
//! and following the operation a change starts. JSON 1.1 over POST to `/`, the operation in the
//! `X-Amz-Target` header; signed for `us-east-1`, service `route53domains`.
//!
//! Requests go through a [`Caller`] of their own, so they share Route 53's transport, signing,
//! retries and backoff but not its rate limiter: the registrar API has its own limits.
//!
//! May import: `creds`, `http`, `route53`, `sigv4`.

use serde::de::{DeserializeOwned, IgnoredAny};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::route53::xml::ErrorBody;
use crate::route53::{ApiError, Call, CallKind, Caller};

/// Prefix of every `X-Amz-Target`.
const TARGET_PREFIX: &str = "Route53Domains_v20140515.";

/// A Route 53 Domains client.
pub struct Client {
    caller: Caller,
}

/// Where an UpdateDomainNameservers operation stands (GetOperationDetail).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct OperationStatus {
    /// `SUBMITTED`, `IN_PROGRESS`, `ERROR`, `SUCCESSFUL` or `FAILED`.
    pub status: String,
    /// The registrar's explanation, when it gives one.
    pub message: Option<String>,
}

impl OperationStatus {
    /// Whether the operation will not change any more.
    pub fn is_final(&self) -> bool {
        matches!(self.status.as_str(), "SUCCESSFUL" | "FAILED" | "ERROR")
    }
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct DomainRequest<'a> {
    domain_name: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct UpdateRequest<'a> {
    domain_name: &'a str,
    nameservers: Vec<NameServer>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct NameServer {
    name: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DomainDetail {
    #[serde(default)]
    nameservers: Vec<NameServer>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct OperationRef {
    operation_id: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct ListRequest {
    max_items: u32,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ListPage {
    /// Only counted.
    #[serde(default)]
    domains: Vec<IgnoredAny>,
    next_page_marker: Option<String>,
}

/// The domains of one ListDomains page, and whether more follow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DomainsPage {
    pub count: usize,
    pub more: bool,
}

impl Client {
    /// A client sending through `caller`, whose endpoint is the Route 53 Domains one.
    pub fn new(caller: Caller) -> Client {
        Client { caller }
    }

    /// The caller, for its endpoint and credential source.
    pub fn caller(&self) -> &Caller {
        &self.caller
    }

    /// The name servers registered for `domain` (GetDomainDetail, `Nameservers[].Name`).
    /// `domain` is in wire form without the trailing dot.
    pub fn name_servers(&self, domain: &str) -> Result<Vec<String>, ApiError> {
        let request = DomainRequest {
            domain_name: domain,
        };
        let detail: DomainDetail =
            self.post("GetDomainDetail", CallKind::Read, domain, &request)?;
        Ok(detail.nameservers.into_iter().map(|ns| ns.name).collect())
    }

    /// Registers `servers` as the name servers of `domain` (UpdateDomainNameservers); returns the
    /// id of the operation the registrar started.
    pub fn update_name_servers(
        &self,
        domain: &str,
        servers: &[String],
    ) -> Result<String, ApiError> {
        let request = UpdateRequest {
            domain_name: domain,
            nameservers: servers
                .iter()
                .map(|name| NameServer { name: name.clone() })
                .collect(),
        };
        let answer: OperationRef =
            self.post("UpdateDomainNameservers", CallKind::Write, domain, &request)?;
        Ok(answer.operation_id)
    }

    /// Where operation `id` stands (GetOperationDetail).
    pub fn operation_status(&self, id: &str) -> Result<OperationStatus, ApiError> {
        let request = OperationRef {
            operation_id: id.to_string(),
        };
        let scope = format!("operation {id}");
        self.post("GetOperationDetail", CallKind::Read, &scope, &request)
    }

    /// The first page of the account's registered domains (ListDomains): one cheap read.
    pub fn list_domains_page(&self) -> Result<DomainsPage, ApiError> {
        let request = ListRequest { max_items: 20 };
        let page: ListPage = self.post("ListDomains", CallKind::Read, "account", &request)?;
        Ok(DomainsPage {
            count: page.domains.len(),
            more: page.next_page_marker.is_some_and(|m| !m.is_empty()),
        })
    }

    /// Sends `operation` with the JSON `request` and reads its JSON answer.
    fn post<Answer: DeserializeOwned>(
        &self,
        operation: &'static str,
        kind: CallKind,
        scope: &str,
        request: &impl Serialize,
    ) -> Result<Answer, ApiError> {
        let body = serde_json::to_vec(request).map_err(|e| ApiError::Parse {
            operation,
            detail: format!("cannot write the request: {e}"),
        })?;
        let call = Call {
            operation,
            kind,
            method: "POST",
            path_and_query: "/".to_string(),
            headers: vec![
                ("content-type", "application/x-amz-json-1.1".to_string()),
                ("x-amz-target", format!("{TARGET_PREFIX}{operation}")),
            ],
            body,
            changes: 0,
            scope: scope.to_string(),
        };
        let answer = self.caller.call(&call, parse_error)?;
        serde_json::from_slice(&answer).map_err(|e| ApiError::Parse {
            operation,
            detail: format!("not the JSON Route 53 Domains answers with: {e}"),
        })
    }
}

/// Reads a JSON 1.1 error answer, `{"__type": "…#InvalidInput", "message": "…"}`; `None` when
/// the body is not one.
pub fn parse_error(body: &[u8]) -> Option<ErrorBody> {
    let value: Value = serde_json::from_slice(body).ok()?;
    let kind = value.get("__type")?.as_str()?;
    let code = kind.rsplit('#').next().unwrap_or(kind);
    let message = ["message", "Message"]
        .iter()
        .find_map(|key| value.get(*key).and_then(Value::as_str));
    Some(ErrorBody {
        code: code.to_string(),
        messages: message.map(str::to_string).into_iter().collect(),
        request_id: None,
    })
}

/// Whether `err` says the domain is not registered with Route 53 in this account: AWS answers
/// `InvalidInput` ("… not found in … account"), or `UnsupportedTLD` for a TLD it does not sell.
pub fn is_not_registered(err: &ApiError) -> bool {
    matches!(
        err.code(),
        Some("InvalidInput" | "UnsupportedTLD" | "DomainNotFound")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::route53::AwsError;

    #[test]
    fn json_errors_give_code_and_message() {
        let body = br#"{"__type":"com.amazonaws.route53domains#InvalidInput","message":"Domain example.com not found in 123456789012 account"}"#;
        let error = parse_error(body).expect("an error document");
        assert_eq!(error.code, "InvalidInput");
        assert_eq!(
            error.messages,
            ["Domain example.com not found in 123456789012 account"]
        );
        let capitalised = parse_error(br#"{"__type":"AccessDeniedException","Message":"no"}"#);
        assert_eq!(capitalised.expect("parsed").messages, ["no"]);
        assert_eq!(parse_error(b"<html>404</html>"), None);
        assert_eq!(parse_error(br#"{"message":"no type"}"#), None);
    }

    fn aws(code: &str) -> ApiError {
        ApiError::Aws(Box::new(AwsError {
            service: "route53domains",
            operation: "GetDomainDetail",
            status: 400,
            code: code.into(),
            message: "m".into(),
            messages: vec!["m".into()],
            request_id: Some("r-1".into()),
            server_date: None,
            local_time: std::time::UNIX_EPOCH,
        }))
    }

    #[test]
    fn errors_are_classified_and_name_the_iam_action() {
        assert!(is_not_registered(&aws("InvalidInput")));
        assert!(is_not_registered(&aws("UnsupportedTLD")));
        assert!(!is_not_registered(&aws("AccessDeniedException")));
        let denied = aws("AccessDeniedException").to_string();
        assert!(
            denied.contains("route53domains:GetDomainDetail") && denied.contains("r-1"),
            "{denied}"
        );
    }

    #[test]
    fn a_throttled_read_is_retried_and_requests_are_json_1_1_signed_for_route53domains() {
        use crate::test_server::{Reply, TestServer};
        let throttled = r#"{"__type":"ThrottlingException","message":"Rate exceeded"}"#;
        let detail = r#"{"DomainName":"example.com","Nameservers":[{"Name":"ns-1.example.net"},{"Name":"NS-2.example.org","GlueIps":[]}]}"#;
        let server = TestServer::script(vec![
            Reply::new(400, "application/x-amz-json-1.1", throttled),
            Reply::new(200, "application/x-amz-json-1.1", detail),
        ]);
        let options = crate::route53::ClientOptions {
            clock: std::sync::Arc::new(crate::route53::retry::FakeClock::default()),
            ..crate::route53::ClientOptions::default()
        };
        let endpoint = crate::sigv4::Endpoint {
            url: server.url.clone(),
            region: "us-east-1".into(),
            service: "route53domains",
        };
        let transport =
            crate::http::Transport::new(&crate::http::TransportOptions::default()).unwrap();
        let caller = Caller::new(
            transport,
            endpoint,
            std::sync::Arc::new(crate::route53::tests::StaticCredentials),
            options,
        );
        let servers = Client::new(caller).name_servers("example.com").unwrap();
        assert_eq!(servers, ["ns-1.example.net", "NS-2.example.org"]);
        let seen = server.requests();
        assert_eq!(seen.len(), 2, "the throttled request is sent again");
        let request = &seen[1];
        assert_eq!(request.request_line(), "POST / HTTP/1.1");
        assert_eq!(
            request.header("x-amz-target"),
            Some("Route53Domains_v20140515.GetDomainDetail")
        );
        assert_eq!(
            request.header("content-type"),
            Some("application/x-amz-json-1.1")
        );
        assert_eq!(request.body, r#"{"DomainName":"example.com"}"#);
        let authorization = request.header("authorization").unwrap();
        assert!(
            authorization.contains("/us-east-1/route53domains/aws4_request")
                && authorization.contains("x-amz-target"),
            "{authorization}"
        );
    }

    #[test]
    fn operation_states() {
        let state = |status: &str| OperationStatus {
            status: status.into(),
            message: None,
        };
        assert!(state("SUCCESSFUL").is_final() && state("FAILED").is_final());
        assert!(state("ERROR").is_final());
        assert!(!state("IN_PROGRESS").is_final() && !state("SUBMITTED").is_final());
    }
}
