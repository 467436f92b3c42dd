//! Errors of Route 53 requests, with AWS's Code, Message, HTTP status and request id.

use std::fmt;
use std::time::{Duration, SystemTime};

use crate::creds::CredsError;
use crate::http::TransportError;
use crate::sigv4::SignError;
use crate::time::http_date;

/// An error answer from Route 53 (an `ErrorResponse` or `InvalidChangeBatch` document).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AwsError {
    /// The AWS service as IAM names it: `route53` or `route53domains`.
    pub service: &'static str,
    /// The API operation, e.g. `ChangeResourceRecordSets`.
    pub operation: &'static str,
    pub status: u16,
    /// AWS's error code, e.g. `InvalidChangeBatch`.
    pub code: String,
    /// The first `<Message>`.
    pub message: String,
    /// Every `<Message>`; InvalidChangeBatch has one per refused change.
    pub messages: Vec<String>,
    /// From the `x-amzn-RequestId` header or `<RequestId>`.
    pub request_id: Option<String>,
    /// The response's `Date` header, shown for RequestTimeTooSkewed.
    pub server_date: Option<String>,
    /// When the answer arrived by the local clock.
    pub local_time: SystemTime,
}

/// Why a Route 53 call failed.
#[derive(Debug)]
pub enum ApiError {
    /// Route 53 answered with an error document (boxed: it is large).
    Aws(Box<AwsError>),
    /// An error status whose body is not a Route 53 error document (e.g. a proxy's HTML page).
    Http {
        operation: &'static str,
        status: u16,
        request_id: Option<String>,
        /// The first bytes of the body, lossily decoded.
        body_start: String,
    },
    /// No HTTP response arrived.
    Transport {
        operation: &'static str,
        source: TransportError,
    },
    /// A success response could not be understood.
    Parse {
        operation: &'static str,
        detail: String,
    },
    /// A listing would never end: a page named a position already named, or the pages went on
    /// past any size the listing can have.
    PagingBroken {
        operation: &'static str,
        /// What was being listed, e.g. `zone Z0123` or `hosted zones named example.com.`.
        scope: String,
        /// What went wrong, e.g. with the position named twice.
        problem: String,
    },
    /// No credentials to sign with.
    Credentials(CredsError),
    /// The request could not be signed (a malformed endpoint URL).
    Signing {
        operation: &'static str,
        source: SignError,
    },
    /// A call still failing when the time allowed for its retries ran out.
    RetryTimeSpent {
        attempts: u32,
        /// From the first attempt's start to the last one's failure.
        spent: Duration,
        limit: Duration,
        cause: Box<ApiError>,
    },
    /// A write may or may not have been applied; re-read the zone before acting again.
    OutcomeUnknown {
        operation: &'static str,
        /// What the write concerned, e.g. `zone Z0123` or `new zone example.com.`.
        scope: String,
        cause: Box<ApiError>,
    },
    /// A write not sent because a signal stopped r53ctl (see `crate::interrupt`).
    Interrupted {
        operation: &'static str,
        scope: String,
    },
}

/// The codes of a throttled request: Route 53's and Route 53 Domains'.
pub(crate) fn is_throttling_code(code: &str) -> bool {
    matches!(code, "Throttling" | "ThrottlingException")
}

impl ApiError {
    /// AWS's error code (`Throttling`, `InvalidChangeBatch`, …) when Route 53 sent one.
    pub fn code(&self) -> Option<&str> {
        match self {
            ApiError::Aws(aws) => Some(aws.code.as_str()),
            _ => self.wrapped().and_then(ApiError::code),
        }
    }

    /// The error inside one that only says what became of it (an unknown outcome, retries given
    /// up).
    fn wrapped(&self) -> Option<&ApiError> {
        match self {
            ApiError::OutcomeUnknown { cause, .. } | ApiError::RetryTimeSpent { cause, .. } => {
                Some(cause)
            }
            _ => None,
        }
    }

    /// Whether the server throttled the request (either of Route 53's buckets, or Route 53
    /// Domains'); it applied nothing, and a later attempt may succeed.
    pub fn is_throttling(&self) -> bool {
        self.code().is_some_and(is_throttling_code)
    }

    /// Whether the server does not offer the operation at all, as Route 53-compatible servers
    /// answer for APIs they lack: HTTP 501, the codes `InvalidArgument`, `UnknownOperation`
    /// (`UnknownOperationException` in JSON APIs) or `NotImplemented`, or HTTP 404 with or without
    /// an error document, unless its code names a missing resource (`NoSuchHostedZone`).
    /// Optional APIs (record set protections, Route 53 Domains) use this one rule to go on without
    /// the operation.
    pub fn is_unsupported_operation(&self) -> bool {
        let code = self.code();
        if matches!(
            code,
            Some(
                "InvalidArgument"
                    | "UnknownOperation"
                    | "UnknownOperationException"
                    | "NotImplemented"
            )
        ) {
            return true;
        }
        match self.status() {
            Some(501) => true,
            Some(404) => !code.is_some_and(|code| code.starts_with("NoSuch")),
            _ => false,
        }
    }

    /// The HTTP status when a response arrived.
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Aws(aws) => Some(aws.status),
            ApiError::Http { status, .. } => Some(*status),
            _ => self.wrapped().and_then(ApiError::status),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Aws(aws) => aws.fmt(f),
            ApiError::Http {
                operation,
                status,
                request_id,
                body_start,
            } => {
                write!(f, "{operation} failed: HTTP {status}")?;
                if let Some(id) = request_id {
                    write!(f, ", request id {id}")?;
                }
                write!(
                    f,
                    ", with an answer that is not Route 53's: {body_start:?}\n  hint: {}",
                    non_route53_hint(*status)
                )
            }
            ApiError::Transport { operation, source } => write!(f, "{operation} failed: {source}"),
            ApiError::Parse { operation, detail } => write!(
                f,
                "{operation}: cannot understand Route 53's answer: {detail}; is the endpoint a \
                 Route 53 API?"
            ),
            ApiError::PagingBroken {
                operation,
                scope,
                problem,
            } => write!(
                f,
                "{operation} of {scope}: the server's paging is broken: {problem}; stopped \
                 instead of looping forever"
            ),
            ApiError::Credentials(err) => write!(f, "cannot sign the request: {err}"),
            ApiError::Signing { operation, source } => write!(f, "{operation}: {source}"),
            ApiError::RetryTimeSpent {
                attempts,
                spent,
                limit,
                cause,
            } => write!(
                f,
                "{cause}\n  gave up after {attempts} attempt{} in {:.1}s: retries of one request \
                 stop after {}s",
                if *attempts == 1 { "" } else { "s" },
                spent.as_secs_f64(),
                limit.as_secs()
            ),
            ApiError::OutcomeUnknown {
                operation,
                scope,
                cause,
            } => write!(
                f,
                "{operation} ({scope}): the outcome is unknown ({cause}); the change may or may \
                 not have been applied, so re-read the zone (run preview) before pushing again"
            ),
            ApiError::Interrupted { operation, scope } => write!(
                f,
                "{operation} ({scope}) was not sent: r53ctl was interrupted"
            ),
        }
    }
}

impl std::error::Error for ApiError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ApiError::Transport { source, .. } => Some(source),
            ApiError::Credentials(err) => Some(err),
            ApiError::Signing { source, .. } => Some(source),
            _ => self.wrapped().map(|cause| cause as _),
        }
    }
}

impl fmt::Display for AwsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} failed: {}: {} (HTTP {}, request id {})",
            self.operation,
            self.code,
            self.message,
            self.status,
            self.request_id.as_deref().unwrap_or("none")
        )?;
        for message in self.messages.iter().skip(1) {
            write!(f, "\n  {message}")?;
        }
        if let Some(hint) = self.hint() {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

impl AwsError {
    /// What usually causes this code, and the fix.
    pub fn hint(&self) -> Option<String> {
        let hint = match self.code.as_str() {
            "InvalidClientTokenId" | "UnrecognizedClientException" => {
                "the access key id is not known to AWS: check KeyId in creds.json or \
                 AWS_ACCESS_KEY_ID"
                    .to_string()
            }
            "SignatureDoesNotMatch" => "the secret key is wrong: check SecretKey in creds.json or \
                 AWS_SECRET_ACCESS_KEY for quoting, whitespace or a trailing newline"
                .to_string(),
            "ExpiredToken" | "ExpiredTokenException" => {
                "the session token has expired: refresh the temporary credentials".to_string()
            }
            "AccessDenied" | "AccessDeniedException" => format!(
                "the IAM policy of these credentials does not allow {}:{}; add it to the \
                 policy of the IAM user or role (README lists every action r53ctl needs)",
                self.service, self.operation
            ),
            "RequestTimeTooSkewed" => format!(
                "the local clock is off: local time {}, server time {}; fix the clock (NTP)",
                http_date(self.local_time),
                self.server_date.as_deref().unwrap_or("unknown")
            ),
            "NoSuchHostedZone" => "no hosted zone has that id in the account these credentials \
                 belong to: check the zone id and the account"
                .to_string(),
            "InvalidChangeBatch" => "Route 53 refused the whole batch and applied none of it: \
                 someone changed the zone since it was read (run preview again), a CREATE names a \
                 record set that exists, or a DELETE does not match the live record set exactly"
                .to_string(),
            code if is_throttling_code(code) => {
                "Route 53's request rate limit for the account was exceeded (shared \
                 with every tool and the console); retried with backoff, try again later or use \
                 fewer parallel zones"
                    .to_string()
            }
            "PriorRequestNotComplete" => "Route 53 is still applying the previous change to this \
                 zone; wait a moment and try again"
                .to_string(),
            _ => return None,
        };
        Some(hint)
    }
}

/// What an error status with a body Route 53 would not send usually means.
fn non_route53_hint(status: u16) -> &'static str {
    match status {
        404 | 405 => {
            "the endpoint URL is likely wrong: Route 53's is https://route53.amazonaws.com (no \
             path); check --endpoint, Endpoint in creds.json and AWS_ENDPOINT_URL_ROUTE_53"
        }
        407 => {
            "the proxy wants credentials: give them in HTTPS_PROXY as \
             http://user:password@host:port"
        }
        _ => {
            "something other than Route 53 answered, such as a proxy, a firewall or a wrong \
             endpoint; check the endpoint and HTTPS_PROXY / NO_PROXY"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    fn aws(operation: &'static str, code: &str, messages: &[&str]) -> AwsError {
        AwsError {
            service: "route53",
            operation,
            status: 400,
            code: code.to_string(),
            message: messages.first().map(|m| m.to_string()).unwrap_or_default(),
            messages: messages.iter().map(|m| m.to_string()).collect(),
            request_id: Some("b25f48e8-84fd-11e6-80d9-574e0c4664cb".into()),
            server_date: Some("Thu, 26 Nov 2026 23:30:00 GMT".into()),
            local_time: UNIX_EPOCH + Duration::from_secs(784_111_777),
        }
    }

    #[test]
    fn an_unsupported_operation_is_told_from_a_missing_resource() {
        let answer = |status, code: &str| {
            ApiError::Aws(Box::new(AwsError {
                status,
                ..aws("ListResourceRecordSetProtections", code, &["x"])
            }))
        };
        let page = |status| ApiError::Http {
            operation: "ListResourceRecordSetProtections",
            status,
            request_id: None,
            body_start: "<!doctype html>".into(),
        };
        for unsupported in [
            answer(404, "InvalidArgument"),
            answer(400, "UnknownOperation"),
            answer(400, "UnknownOperationException"),
            answer(501, "NotImplemented"),
            answer(501, "InternalError"),
            answer(404, "NotFound"),
            page(404),
            page(501),
        ] {
            assert!(unsupported.is_unsupported_operation(), "{unsupported}");
        }
        for supported in [
            answer(404, "NoSuchHostedZone"),
            answer(403, "AccessDenied"),
            answer(400, "InvalidInput"),
            answer(500, "InternalError"),
            page(403),
            page(502),
        ] {
            assert!(!supported.is_unsupported_operation(), "{supported}");
        }
    }

    #[test]
    fn display_shows_operation_code_message_status_request_id() {
        let err = aws("GetHostedZone", "NoSuchHostedZone", &["No hosted zone"]);
        let text = ApiError::Aws(Box::new(err)).to_string();
        for part in [
            "GetHostedZone",
            "NoSuchHostedZone",
            "No hosted zone",
            "HTTP 400",
            "b25f48e8-84fd-11e6-80d9-574e0c4664cb",
            "check the zone id",
        ] {
            assert!(text.contains(part), "{part} missing from {text}");
        }
    }

    #[test]
    fn a_foreign_error_answer_gets_a_hint_by_status() {
        let http = |status, request_id: Option<&str>| ApiError::Http {
            operation: "GetHostedZoneCount",
            status,
            request_id: request_id.map(str::to_string),
            body_start: "<html>Not Found</html>".into(),
        };
        let not_found = http(404, None).to_string();
        assert!(
            not_found.contains("HTTP 404, with an answer that is not Route 53's")
                && not_found.contains("endpoint URL is likely wrong")
                && !not_found.contains("request id"),
            "{not_found}"
        );
        let proxy = http(407, Some("r-1")).to_string();
        assert!(
            proxy.contains("request id r-1") && proxy.contains("proxy wants credentials"),
            "{proxy}"
        );
        assert!(http(502, None).to_string().contains("HTTPS_PROXY"));
    }

    #[test]
    fn access_denied_names_the_iam_action() {
        let err = aws("ChangeResourceRecordSets", "AccessDenied", &["denied"]);
        assert!(err.to_string().contains("route53:ChangeResourceRecordSets"));
    }

    #[test]
    fn skewed_clock_shows_both_times() {
        let text = aws("ListHostedZones", "RequestTimeTooSkewed", &["skewed"]).to_string();
        assert!(text.contains("Sun, 06 Nov 1994 08:49:37 GMT"), "{text}");
        assert!(text.contains("Thu, 26 Nov 2026 23:30:00 GMT"), "{text}");
    }

    #[test]
    fn every_message_of_an_invalid_change_batch_is_shown() {
        let text = aws(
            "ChangeResourceRecordSets",
            "InvalidChangeBatch",
            &["first refused", "second refused"],
        )
        .to_string();
        assert!(text.contains("first refused") && text.contains("second refused"));
    }

    #[test]
    fn every_usual_code_has_a_hint_with_the_fix() {
        let cases = [
            ("InvalidClientTokenId", "AWS_ACCESS_KEY_ID"),
            ("SignatureDoesNotMatch", "trailing newline"),
            ("ExpiredToken", "refresh"),
            ("AccessDenied", "route53:GetChange"),
            ("RequestTimeTooSkewed", "fix the clock"),
            ("NoSuchHostedZone", "zone id"),
            ("InvalidChangeBatch", "changed the zone since it was read"),
            ("Throttling", "rate limit"),
            ("PriorRequestNotComplete", "previous change"),
        ];
        for (code, phrase) in cases {
            let hint = aws("GetChange", code, &["m"]).hint().unwrap_or_default();
            assert!(hint.contains(phrase), "{code}: {hint}");
        }
        assert_eq!(aws("GetChange", "InvalidInput", &["m"]).hint(), None);
    }

    #[test]
    fn code_and_status_see_through_outcome_unknown() {
        let err = ApiError::OutcomeUnknown {
            operation: "ChangeResourceRecordSets",
            scope: "zone Z1".into(),
            cause: Box::new(ApiError::Aws(Box::new(AwsError {
                service: "route53",
                status: 503,
                ..aws("ChangeResourceRecordSets", "ServiceUnavailable", &["x"])
            }))),
        };
        assert_eq!(err.code(), Some("ServiceUnavailable"));
        assert_eq!(err.status(), Some(503));
        assert!(err.to_string().contains("re-read the zone"));
    }
}
