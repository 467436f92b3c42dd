//! Where Route 53 and STS requests go, and the region they are signed for, per AWS partition.

use std::net::IpAddr;

use super::error::CredsError;
use super::{var, Env};
use crate::sigv4::Endpoint;

/// An AWS partition: a separate set of regions with its own Route 53 endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Partition {
    Aws,
    AwsCn,
    AwsUsGov,
    AwsIso,
    AwsIsoB,
}

/// `(partition, name, Route 53 URL, Route 53 signing region, DNS suffix)`.
const PARTITIONS: [(Partition, &str, &str, &str, &str); 5] = [
    (
        Partition::Aws,
        "aws",
        "https://route53.amazonaws.com",
        "us-east-1",
        "amazonaws.com",
    ),
    (
        Partition::AwsCn,
        "aws-cn",
        "https://route53.amazonaws.com.cn",
        "cn-northwest-1",
        "amazonaws.com.cn",
    ),
    (
        Partition::AwsUsGov,
        "aws-us-gov",
        "https://route53.us-gov.amazonaws.com",
        "us-gov-west-1",
        "amazonaws.com",
    ),
    (
        Partition::AwsIso,
        "aws-iso",
        "https://route53.c2s.ic.gov",
        "us-iso-east-1",
        "c2s.ic.gov",
    ),
    (
        Partition::AwsIsoB,
        "aws-iso-b",
        "https://route53.sc2s.sgov.gov",
        "us-isob-east-1",
        "sc2s.sgov.gov",
    ),
];

impl Partition {
    /// The partition named `name` (`aws`, `aws-cn`, `aws-us-gov`, `aws-iso`, `aws-iso-b`).
    pub fn parse(name: &str) -> Option<Partition> {
        PARTITIONS
            .iter()
            .find(|row| row.1.eq_ignore_ascii_case(name.trim()))
            .map(|row| row.0)
    }

    /// The partition a region belongs to, e.g. `cn-north-1` → `aws-cn`.
    pub fn of_region(region: &str) -> Partition {
        let prefixes = [
            ("cn-", Partition::AwsCn),
            ("us-gov-", Partition::AwsUsGov),
            ("us-isob-", Partition::AwsIsoB),
            ("us-iso-", Partition::AwsIso),
        ];
        prefixes
            .iter()
            .find(|(prefix, _)| region.starts_with(prefix))
            .map_or(Partition::Aws, |(_, partition)| *partition)
    }

    /// The partition's name, e.g. `aws-us-gov`.
    pub fn name(self) -> &'static str {
        self.row().1
    }

    /// The partition's Route 53 endpoint and signing region.
    pub fn route53(self) -> Endpoint {
        let row = self.row();
        Endpoint {
            url: row.2.to_string(),
            region: row.3.to_string(),
            service: "route53",
        }
    }

    /// The region used when nothing names one (the Route 53 signing region).
    pub fn default_region(self) -> &'static str {
        self.row().3
    }

    fn dns_suffix(self) -> &'static str {
        self.row().4
    }

    fn row(
        self,
    ) -> &'static (
        Partition,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
    ) {
        // Every variant has exactly one row; the fallback is never taken.
        PARTITIONS
            .iter()
            .find(|row| row.0 == self)
            .unwrap_or(&PARTITIONS[0])
    }
}

/// What the creds.json entry says about endpoints.
#[derive(Clone, Copy, Debug, Default)]
pub struct EndpointSettings<'a> {
    /// `--endpoint`.
    pub command_line: Option<&'a str>,
    /// The entry's `Endpoint`, with the entry name for messages.
    pub entry_endpoint: Option<(&'a str, &'a str)>,
    /// The entry's `Region`.
    pub entry_region: Option<&'a str>,
}

/// The Route 53 endpoint, and where its URL came from (for `--debug`).
///
/// URL precedence: `--endpoint` > creds entry `Endpoint` > `AWS_ENDPOINT_URL_ROUTE_53` >
/// `AWS_ENDPOINT_URL` > the partition's. The signing region is the entry's `Region`, else the
/// partition's, whatever the URL.
pub fn route53_endpoint(
    partition: Partition,
    settings: EndpointSettings<'_>,
    env: Env<'_>,
) -> Result<(Endpoint, String), CredsError> {
    let region = settings
        .entry_region
        .map_or_else(|| partition.default_region().to_string(), str::to_string);
    let candidates = [
        settings
            .command_line
            .map(|url| (url.to_string(), "--endpoint".to_string())),
        settings.entry_endpoint.map(|(entry, url)| {
            (
                url.to_string(),
                format!("creds.json entry \"{entry}\" (Endpoint)"),
            )
        }),
        env_url(env, "AWS_ENDPOINT_URL_ROUTE_53"),
        env_url(env, "AWS_ENDPOINT_URL"),
    ];
    let default = (
        partition.route53().url,
        format!("partition {}", partition.name()),
    );
    let (url, origin) = first_url(candidates, default)?;
    let endpoint = Endpoint {
        url,
        region,
        service: "route53",
    };
    Ok((endpoint, origin))
}

/// Route 53 Domains, the registrar API: it exists in `us-east-1` only, and is signed for it.
pub const DOMAINS_URL: &str = "https://route53domains.us-east-1.amazonaws.com";

/// The Route 53 Domains endpoint, and where its URL came from (for `--debug`).
///
/// URL precedence: creds entry `DomainsEndpoint` > `AWS_ENDPOINT_URL_ROUTE_53_DOMAINS` >
/// `AWS_ENDPOINT_URL` > [`DOMAINS_URL`]. `--endpoint` names Route 53's endpoint, not this one.
pub fn domains_endpoint(
    entry_endpoint: Option<(&str, &str)>,
    env: Env<'_>,
) -> Result<(Endpoint, String), CredsError> {
    let candidates = [
        entry_endpoint.map(|(entry, url)| {
            (
                url.to_string(),
                format!("creds.json entry \"{entry}\" (DomainsEndpoint)"),
            )
        }),
        env_url(env, "AWS_ENDPOINT_URL_ROUTE_53_DOMAINS"),
        env_url(env, "AWS_ENDPOINT_URL"),
    ];
    let default = (DOMAINS_URL.to_string(), "the default".to_string());
    let (url, origin) = first_url(candidates, default)?;
    let endpoint = Endpoint {
        url,
        region: "us-east-1".to_string(),
        service: "route53domains",
    };
    Ok((endpoint, origin))
}

/// The first of `candidates` (URL, origin), validated, else `default`.
fn first_url<const N: usize>(
    candidates: [Option<(String, String)>; N],
    default: (String, String),
) -> Result<(String, String), CredsError> {
    match candidates.into_iter().flatten().next() {
        Some((url, origin)) => Ok((validate_url(&url, &origin)?, origin)),
        None => Ok(default),
    }
}

/// The STS endpoint for `region`: `AWS_ENDPOINT_URL_STS` > `AWS_ENDPOINT_URL` >
/// `https://sts.<region>.<partition suffix>`.
pub fn sts_endpoint(region: &str, env: Env<'_>) -> Result<Endpoint, CredsError> {
    let default = format!(
        "https://sts.{region}.{}",
        Partition::of_region(region).dns_suffix()
    );
    let (url, _) = first_url(
        [
            env_url(env, "AWS_ENDPOINT_URL_STS"),
            env_url(env, "AWS_ENDPOINT_URL"),
        ],
        (default, String::new()),
    )?;
    Ok(Endpoint {
        url,
        region: region.to_string(),
        service: "sts",
    })
}

/// The region for STS: `AWS_REGION` > `AWS_DEFAULT_REGION` > the profile's `region` > the
/// partition's default.
pub fn sts_region(env: Env<'_>, profile_region: Option<&str>, partition: Partition) -> String {
    var(env, "AWS_REGION")
        .or_else(|| var(env, "AWS_DEFAULT_REGION"))
        .or_else(|| profile_region.map(str::to_string))
        .unwrap_or_else(|| partition.default_region().to_string())
}

fn env_url(env: Env<'_>, name: &str) -> Option<(String, String)> {
    var(env, name).map(|url| (url, format!("environment variable {name}")))
}

/// Checks that `url` is `http(s)://host[:port][/path]` and returns it with a lower-case scheme
/// and without a trailing slash.
pub fn validate_url(url: &str, origin: &str) -> Result<String, CredsError> {
    let invalid = |problem: &str| CredsError::InvalidEndpoint {
        origin: origin.to_string(),
        url: url.to_string(),
        problem: problem.to_string(),
    };
    let trimmed = url.trim();
    if trimmed.chars().any(char::is_whitespace) {
        return Err(invalid("it contains white space"));
    }
    let Some((scheme, rest)) = trimmed.split_once("://") else {
        return Err(invalid("it has no scheme; start it with https://"));
    };
    if !scheme.eq_ignore_ascii_case("https") && !scheme.eq_ignore_ascii_case("http") {
        return Err(invalid("the scheme must be https or http"));
    }
    if rest.contains(['?', '#']) {
        return Err(invalid("it must not have a query or fragment"));
    }
    let authority = rest.split('/').next().unwrap_or_default();
    check_authority(authority).map_err(invalid)?;
    let scheme = scheme.to_ascii_lowercase();
    Ok(format!("{scheme}://{}", rest.trim_end_matches('/')))
}

fn check_authority(authority: &str) -> Result<(), &'static str> {
    let (host, port) = split_authority(authority)?;
    if host.is_empty() {
        return Err("it has no host");
    }
    let host_ok = host
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | ':'));
    if !host_ok {
        return Err("the host has characters a host name cannot have");
    }
    match port {
        Some(port) if port.parse::<u16>().map_or(true, |p| p == 0) => {
            Err("the port must be a number from 1 to 65535")
        }
        _ => Ok(()),
    }
}

/// `host:port` → (`host`, `Some("port")`); `[::1]:80` → (`::1`, `Some("80")`).
fn split_authority(authority: &str) -> Result<(&str, Option<&str>), &'static str> {
    if authority.contains('@') {
        return Err("it must not contain user info (user@)");
    }
    let Some(bracketed) = authority.strip_prefix('[') else {
        return Ok(match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        });
    };
    let (host, after) = bracketed
        .split_once(']')
        .ok_or("an IPv6 host lacks its ]")?;
    match after {
        "" => Ok((host, None)),
        _ => after
            .strip_prefix(':')
            .map(|port| (host, Some(port)))
            .ok_or("an IPv6 host must be followed by :port or nothing"),
    }
}

/// Whether `host` is this machine: 127.0.0.0/8, ::1 or localhost.
pub(crate) fn is_loopback_host(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The warning for an endpoint reached by plain http on another machine: whoever is on the way
/// reads the signed requests and any session token. `None` for https and for this machine.
pub(crate) fn cleartext_warning(endpoint: &Endpoint) -> Option<String> {
    if !endpoint.url.starts_with("http://") || host_of(&endpoint.url).is_some_and(is_loopback_host)
    {
        return None;
    }
    let service = match endpoint.service {
        "sts" => "STS",
        _ => "Route 53",
    };
    Some(format!(
        "the {service} endpoint {} is plain http to another machine: signed requests and any \
         session token travel in clear text, readable by anyone on the way; use https",
        endpoint.url
    ))
}

/// The host of a URL that [`validate_url`] accepted, without brackets or port.
pub(crate) fn host_of(url: &str) -> Option<&str> {
    let (_, rest) = url.split_once("://")?;
    let authority = rest.split('/').next()?;
    split_authority(authority).ok().map(|(host, _)| host)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn each_partition_has_its_endpoint_and_signing_region() {
        let expected = [
            ("aws", "https://route53.amazonaws.com", "us-east-1"),
            (
                "aws-cn",
                "https://route53.amazonaws.com.cn",
                "cn-northwest-1",
            ),
            (
                "aws-us-gov",
                "https://route53.us-gov.amazonaws.com",
                "us-gov-west-1",
            ),
            ("aws-iso", "https://route53.c2s.ic.gov", "us-iso-east-1"),
            (
                "aws-iso-b",
                "https://route53.sc2s.sgov.gov",
                "us-isob-east-1",
            ),
        ];
        for (name, url, region) in expected {
            let partition = Partition::parse(name).expect(name);
            assert_eq!(partition.name(), name);
            let (endpoint, origin) =
                route53_endpoint(partition, EndpointSettings::default(), &no_env).unwrap();
            assert_eq!(
                endpoint,
                Endpoint {
                    url: url.into(),
                    region: region.into(),
                    service: "route53",
                }
            );
            assert_eq!(origin, format!("partition {name}"));
        }
        assert_eq!(Partition::parse("aws-moon"), None);
    }

    #[test]
    fn partition_of_region() {
        assert_eq!(Partition::of_region("cn-north-1"), Partition::AwsCn);
        assert_eq!(Partition::of_region("us-gov-east-1"), Partition::AwsUsGov);
        assert_eq!(Partition::of_region("us-iso-west-1"), Partition::AwsIso);
        assert_eq!(Partition::of_region("us-isob-east-1"), Partition::AwsIsoB);
        assert_eq!(Partition::of_region("eu-west-1"), Partition::Aws);
    }

    #[test]
    fn endpoint_precedence() {
        let env = |name: &str| match name {
            "AWS_ENDPOINT_URL_ROUTE_53" => Some("http://127.0.0.1:5001/".to_string()),
            "AWS_ENDPOINT_URL" => Some("http://127.0.0.1:5002".to_string()),
            _ => None,
        };
        let only_generic = |name: &str| env(name).filter(|_| name == "AWS_ENDPOINT_URL");
        let mut settings = EndpointSettings {
            command_line: Some("https://cli.example:8443"),
            entry_endpoint: Some(("r53_main", "https://entry.example")),
            entry_region: None,
        };
        let url_of = |settings, env: Env<'_>| {
            route53_endpoint(Partition::Aws, settings, env)
                .unwrap()
                .0
                .url
        };
        assert_eq!(url_of(settings, &env), "https://cli.example:8443");
        settings.command_line = None;
        assert_eq!(url_of(settings, &env), "https://entry.example");
        settings.entry_endpoint = None;
        assert_eq!(url_of(settings, &env), "http://127.0.0.1:5001");
        assert_eq!(url_of(settings, &only_generic), "http://127.0.0.1:5002");
        assert_eq!(url_of(settings, &no_env), "https://route53.amazonaws.com");
    }

    #[test]
    fn domains_endpoint_precedence_and_signing() {
        let env = |name: &str| match name {
            "AWS_ENDPOINT_URL_ROUTE_53_DOMAINS" => Some("http://127.0.0.1:5003/".to_string()),
            "AWS_ENDPOINT_URL" => Some("http://127.0.0.1:5002".to_string()),
            "AWS_ENDPOINT_URL_ROUTE_53" => Some("http://127.0.0.1:5001".to_string()),
            _ => None,
        };
        let only_generic = |name: &str| env(name).filter(|_| name == "AWS_ENDPOINT_URL");
        let entry = Some(("r53_main", "https://domains.example"));
        let (endpoint, origin) = domains_endpoint(entry, &env).unwrap();
        assert_eq!(endpoint.url, "https://domains.example");
        assert!(origin.contains("DomainsEndpoint"), "{origin}");
        let url_of = |env: Env<'_>| domains_endpoint(None, env).unwrap().0.url;
        assert_eq!(url_of(&env), "http://127.0.0.1:5003");
        assert_eq!(url_of(&only_generic), "http://127.0.0.1:5002");
        let (endpoint, _) = domains_endpoint(None, &no_env).unwrap();
        assert_eq!(
            endpoint,
            Endpoint {
                url: DOMAINS_URL.into(),
                region: "us-east-1".into(),
                service: "route53domains",
            }
        );
        assert!(domains_endpoint(Some(("e", "ftp://x")), &no_env).is_err());
    }

    #[test]
    fn custom_endpoint_keeps_partition_region_unless_region_is_set() {
        let mut settings = EndpointSettings {
            command_line: Some("http://localhost:5000"),
            ..EndpointSettings::default()
        };
        let (endpoint, origin) = route53_endpoint(Partition::AwsCn, settings, &no_env).unwrap();
        assert_eq!(endpoint.region, "cn-northwest-1");
        assert_eq!(origin, "--endpoint");
        settings.entry_region = Some("cn-north-1");
        let (endpoint, _) = route53_endpoint(Partition::AwsCn, settings, &no_env).unwrap();
        assert_eq!(endpoint.region, "cn-north-1");
    }

    #[test]
    fn invalid_urls_are_refused_with_their_origin() {
        for bad in [
            "route53.amazonaws.com",
            "ftp://route53.amazonaws.com",
            "https://",
            "https:///path",
            "https://user:pw@host",
            "https://host:port",
            "https://host:0",
            "https://host?x=1",
            "https://ho st",
            "https://[::1",
            "https://h%41st",
            "https://[::1]x",
        ] {
            let error = validate_url(bad, "--endpoint").unwrap_err();
            let text = error.to_string();
            assert!(text.contains("--endpoint") && text.contains(bad), "{text}");
        }
        for good in [
            "http://127.0.0.1:5000",
            "https://[::1]:443/",
            "HTTPS://Route53.example/x/",
        ] {
            assert!(validate_url(good, "test").is_ok(), "{good}");
        }
        assert_eq!(
            validate_url(" https://a.example/ ", "t").unwrap(),
            "https://a.example"
        );
        assert_eq!(
            validate_url("HTTP://a.example/p/", "t").unwrap(),
            "http://a.example/p"
        );
    }

    #[test]
    fn host_of_strips_port_and_brackets() {
        assert_eq!(host_of("http://127.0.0.1:8080/x"), Some("127.0.0.1"));
        assert_eq!(host_of("http://[fd00:ec2::23]/x"), Some("fd00:ec2::23"));
        assert_eq!(host_of("https://a.example"), Some("a.example"));
    }

    #[test]
    fn plain_http_off_this_machine_is_warned_about() {
        let endpoint = |url: &str, service| Endpoint {
            url: url.into(),
            region: "us-east-1".into(),
            service,
        };
        for local in [
            "http://127.0.0.1:5000",
            "http://127.9.9.9",
            "http://[::1]:80/x",
            "http://LOCALHOST:5000",
            "https://route53.example",
        ] {
            assert_eq!(
                cleartext_warning(&endpoint(local, "route53")),
                None,
                "{local}"
            );
        }
        for remote in [
            "http://route53.example",
            "http://localhost.evil.example",
            "http://10.0.0.1:5000",
            "http://0.0.0.0:5000",
        ] {
            let warning = cleartext_warning(&endpoint(remote, "route53")).expect(remote);
            assert!(
                warning.contains(remote) && warning.contains("clear text"),
                "{warning}"
            );
        }
        let sts = cleartext_warning(&endpoint("http://sts.example", "sts")).unwrap();
        assert!(sts.starts_with("the STS endpoint"), "{sts}");
    }

    #[test]
    fn sts_endpoint_is_regional_and_partition_aware() {
        assert_eq!(
            sts_endpoint("eu-west-1", &no_env).unwrap().url,
            "https://sts.eu-west-1.amazonaws.com"
        );
        assert_eq!(
            sts_endpoint("cn-north-1", &no_env).unwrap().url,
            "https://sts.cn-north-1.amazonaws.com.cn"
        );
        assert_eq!(
            sts_endpoint("us-iso-east-1", &no_env).unwrap().url,
            "https://sts.us-iso-east-1.c2s.ic.gov"
        );
        let env = |name: &str| {
            (name == "AWS_ENDPOINT_URL_STS").then(|| "http://127.0.0.1:9/".to_string())
        };
        let endpoint = sts_endpoint("us-east-1", &env).unwrap();
        assert_eq!(
            endpoint,
            Endpoint {
                url: "http://127.0.0.1:9".into(),
                region: "us-east-1".into(),
                service: "sts",
            }
        );
    }

    #[test]
    fn sts_region_precedence() {
        let env = |name: &str| (name == "AWS_DEFAULT_REGION").then(|| "eu-central-1".to_string());
        assert_eq!(
            sts_region(&env, Some("eu-west-3"), Partition::Aws),
            "eu-central-1"
        );
        assert_eq!(
            sts_region(&no_env, Some("eu-west-3"), Partition::Aws),
            "eu-west-3"
        );
        assert_eq!(
            sts_region(&no_env, None, Partition::AwsUsGov),
            "us-gov-west-1"
        );
    }
}
