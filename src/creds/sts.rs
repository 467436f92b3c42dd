//! AWS STS over its Query API: AssumeRole, signed with the base credentials, and
//! AssumeRoleWithWebIdentity, unsigned.

use std::time::{SystemTime, UNIX_EPOCH};

use super::error::{CredsError, StsFailure};
use super::net::{expiration, send};
use super::ProvideCredentials;
use crate::http::{Request, Response, TransportOptions};
use crate::sigv4::{self, percent_encode, Credentials, Endpoint, SigningParams};
use crate::xml_tree::{parse_document, Element};

const API_VERSION: &str = "2011-06-15";

/// Where STS is and how to reach it.
#[derive(Clone, Debug)]
pub(crate) struct Sts {
    pub(crate) endpoint: Endpoint,
    pub(crate) transport: TransportOptions,
}

/// The role to assume.
#[derive(Clone, Debug)]
pub(crate) struct Role {
    pub(crate) arn: String,
    pub(crate) external_id: Option<String>,
    /// `RoleSessionName`; `r53ctl-<unix time>` when `None`.
    pub(crate) session_name: Option<String>,
}

impl Role {
    fn session_name(&self) -> String {
        self.session_name.clone().unwrap_or_else(|| {
            let seconds = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |since| since.as_secs());
            format!("r53ctl-{seconds}")
        })
    }
}

/// Assumes a role with the credentials of another source, each time it is asked.
pub(crate) struct AssumeRoleProvider {
    pub(crate) base: Box<dyn ProvideCredentials>,
    pub(crate) role: Role,
    pub(crate) sts: Sts,
}

impl ProvideCredentials for AssumeRoleProvider {
    fn credentials(&self) -> Result<Credentials, CredsError> {
        let base = self.base.credentials()?;
        let session_name = self.role.session_name();
        let mut params = vec![
            ("Action", "AssumeRole"),
            ("Version", API_VERSION),
            ("RoleArn", self.role.arn.as_str()),
            ("RoleSessionName", session_name.as_str()),
        ];
        if let Some(external_id) = &self.role.external_id {
            params.push(("ExternalId", external_id));
        }
        call(
            &self.sts,
            "AssumeRole",
            &self.role.arn,
            &params,
            Some(&base),
        )
    }

    fn source(&self) -> String {
        format!("assumed role {} via {}", self.role.arn, self.base.source())
    }
}

/// AssumeRoleWithWebIdentity: the token is the proof, so the request is not signed.
pub(crate) fn assume_role_with_web_identity(
    sts: &Sts,
    role: &Role,
    token: &str,
) -> Result<Credentials, CredsError> {
    let session_name = role.session_name();
    let params = [
        ("Action", "AssumeRoleWithWebIdentity"),
        ("Version", API_VERSION),
        ("RoleArn", role.arn.as_str()),
        ("RoleSessionName", session_name.as_str()),
        ("WebIdentityToken", token),
    ];
    call(sts, "AssumeRoleWithWebIdentity", &role.arn, &params, None)
}

fn call(
    sts: &Sts,
    action: &'static str,
    role_arn: &str,
    params: &[(&str, &str)],
    signer: Option<&Credentials>,
) -> Result<Credentials, CredsError> {
    let url = format!("{}/", sts.endpoint.url);
    let mut request = Request {
        method: "POST".into(),
        url: url.clone(),
        headers: vec![(
            "content-type".into(),
            "application/x-www-form-urlencoded; charset=utf-8".into(),
        )],
        body: form_encode(params).into_bytes(),
    };
    let what = format!("STS {action} for role {role_arn}");
    if let Some(credentials) = signer {
        let params = SigningParams {
            credentials,
            region: &sts.endpoint.region,
            service: sts.endpoint.service,
            time: SystemTime::now(),
        };
        sigv4::sign(&mut request, &params).map_err(|error| CredsError::Http {
            what: what.clone(),
            url: url.clone(),
            problem: error.to_string(),
        })?;
    }
    crate::debug!("{what}: POST {url}");
    let response = send(&sts.transport, &request, &what)?;
    if response.status == 200 {
        return parse_credentials(&response.body).map_err(|problem| CredsError::Http {
            what,
            url,
            problem,
        });
    }
    Err(sts_error(&response, action, role_arn, url))
}

fn sts_error(response: &Response, action: &'static str, role_arn: &str, url: String) -> CredsError {
    match parse_error(&response.body) {
        Some(error) => CredsError::Sts(Box::new(StsFailure {
            action,
            role_arn: role_arn.to_string(),
            url,
            status: response.status,
            code: error.code,
            message: error.message,
            request_id: error
                .request_id
                .or_else(|| response.header("x-amzn-requestid").map(str::to_string)),
        })),
        None => CredsError::Http {
            what: format!("STS {action} for role {role_arn}"),
            url,
            problem: format!(
                "HTTP {} with an answer that is not an STS error document",
                response.status
            ),
        },
    }
}

/// `application/x-www-form-urlencoded` with RFC 3986 escaping (what AWS expects).
fn form_encode(params: &[(&str, &str)]) -> String {
    let pairs: Vec<String> = params
        .iter()
        .map(|(name, value)| format!("{}={}", percent_encode(name), percent_encode(value)))
        .collect();
    pairs.join("&")
}

/// The `<Credentials>` of an AssumeRole(WithWebIdentity)Response.
pub fn parse_credentials(body: &[u8]) -> Result<Credentials, String> {
    let root =
        parse_document(body).map_err(|error| format!("the STS answer is not XML ({error})"))?;
    let credentials = credentials_element(&root);
    let required = |name: &str| {
        credentials
            .and_then(|element| element.trimmed_text_of(name))
            .map(str::to_string)
            .ok_or_else(|| format!("the STS answer has no Credentials/{name}"))
    };
    Ok(Credentials {
        access_key_id: required("AccessKeyId")?,
        secret_access_key: required("SecretAccessKey")?,
        session_token: Some(required("SessionToken")?),
        expires_at: Some(expiration(&required("Expiration")?)?),
    })
}

/// The first `<Credentials>` in an element whose name ends in `Result`, at any depth, as in
/// `<AssumeRoleResponse><AssumeRoleResult><Credentials>`.
fn credentials_element<'d>(root: &'d Element<'d>) -> Option<&'d Element<'d>> {
    std::iter::once(root)
        .chain(root.descendants())
        .filter(|element| element.name.ends_with("Result"))
        .find_map(|result| result.child("Credentials"))
}

/// What an STS `<ErrorResponse>` says.
#[derive(Debug, PartialEq, Eq)]
pub struct StsErrorDocument {
    pub code: String,
    pub message: String,
    pub request_id: Option<String>,
}

/// Reads `<ErrorResponse><Error><Code/><Message/></Error><RequestId/></ErrorResponse>`.
pub fn parse_error(body: &[u8]) -> Option<StsErrorDocument> {
    let root = parse_document(body).ok()?;
    if root.name != "ErrorResponse" {
        return None;
    }
    let error = root.child("Error")?;
    let text = |element: &Element, name: &str| element.trimmed_text_of(name).map(str::to_string);
    Some(StsErrorDocument {
        code: text(error, "Code")?,
        message: text(error, "Message").unwrap_or_default(),
        request_id: text(&root, "RequestId"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::creds::read_fixture;
    use crate::time::parse_iso8601;

    #[test]
    fn parses_assume_role_response() {
        let credentials = parse_credentials(&read_fixture("sts-assume-role.xml")).unwrap();
        assert_eq!(credentials.access_key_id, "ASIAIOSFODNN7EXAMPLE");
        assert_eq!(
            credentials.secret_access_key,
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"
        );
        assert_eq!(
            credentials.session_token.as_deref(),
            Some("IQoJb3JpZ2luX2Vj&lt;EXAMPLE")
        );
        assert_eq!(
            credentials.expires_at,
            parse_iso8601("2019-11-09T13:34:41Z")
        );
    }

    #[test]
    fn parses_web_identity_response() {
        let credentials =
            parse_credentials(&read_fixture("sts-assume-role-with-web-identity.xml")).unwrap();
        assert_eq!(credentials.access_key_id, "ASIAWEBIDENTITYEXAMPLE");
        assert_eq!(
            credentials.expires_at,
            parse_iso8601("2014-10-24T23:00:23Z")
        );
    }

    #[test]
    fn parses_error_response() {
        let error = parse_error(&read_fixture("sts-error.xml")).unwrap();
        assert_eq!(error.code, "AccessDenied");
        assert_eq!(
            error.message,
            "User: arn:aws:iam::123456789012:user/dns is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/dns"
        );
        assert_eq!(
            error.request_id.as_deref(),
            Some("4a5b0e1c-7c9e-4a3e-8b32-EXAMPLE")
        );
    }

    #[test]
    fn refuses_incomplete_or_broken_answers() {
        let missing = b"<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>A</AccessKeyId></Credentials></AssumeRoleResult></AssumeRoleResponse>";
        assert_eq!(
            parse_credentials(missing).unwrap_err(),
            "the STS answer has no Credentials/SecretAccessKey"
        );
        assert!(parse_credentials(b"<a><b></a>")
            .unwrap_err()
            .contains("not XML"));
        assert!(parse_credentials(&[0xff, 0xfe])
            .unwrap_err()
            .contains("UTF-8"));
        assert!(parse_credentials(b"<x>&bogus;</x>").is_err());
        assert_eq!(parse_error(b"Service Unavailable"), None);
        assert_eq!(parse_error(&read_fixture("sts-assume-role.xml")), None);
    }

    #[test]
    fn form_encoding_escapes_reserved_characters() {
        let body = form_encode(&[
            ("RoleArn", "arn:aws:iam::1:role/a b"),
            ("ExternalId", "x+y=z&~"),
        ]);
        assert_eq!(
            body,
            "RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fa%20b&ExternalId=x%2By%3Dz%26~"
        );
    }
}
