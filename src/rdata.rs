//! Record values per type: validation of what a user writes, conversion to Route 53's wire form,
//! and the canonical form two values are compared in.
//!
//! Character strings (TXT, SPF, CAA values, NAPTR fields) are quoted in wire form, with `"` and `\`
//! escaped by `\` and bytes outside printable ASCII as `\ddd` in octal, as Route 53 documents.
//!
//! May import: `name`, `rtype`.

use std::net::{Ipv4Addr, Ipv6Addr};

use crate::name;
use crate::rtype::RecordType;

/// Longest character string in a TXT or SPF value, in bytes.
pub const MAX_STRING_BYTES: usize = 255;
/// Longest `Value` Route 53 accepts, in characters.
pub const MAX_VALUE_CHARS: usize = 4000;

/// A value in the form a config writes it, for export.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UserValue {
    /// `"value"`: the text as a user writes it.
    Value(String),
    /// `"strings"`: a TXT or SPF value of several character strings, boundaries kept.
    Strings(Vec<String>),
}

/// How a value is read.
#[derive(Clone, Copy)]
enum Targets<'a> {
    /// As a config writes it: in host names a single label is relative to the zone `apex`, `@` is
    /// the apex, names with a dot must end with one; TXT and SPF values are the text meant.
    Relative(&'a str),
    /// As Route 53 returns it: host names fully qualified, trailing dot optional.
    Absolute,
}

/// Validates `value`, written by a user for a record of type `rtype` in zone `apex` (wire form),
/// and returns it in Route 53's wire form. TXT and SPF values are the text meant, unquoted.
pub fn to_wire(rtype: RecordType, value: &str, apex: &str) -> Result<String, String> {
    let wire = convert(rtype, value, Targets::Relative(apex))?;
    check_length(&wire)?;
    Ok(wire)
}

/// The wire form of a TXT or SPF value given as explicit character strings of ≤ 255 bytes each.
pub fn txt_strings_to_wire(strings: &[String]) -> Result<String, String> {
    if strings.is_empty() {
        return Err("`strings` is empty; give at least one string".to_string());
    }
    for (i, s) in strings.iter().enumerate() {
        if s.len() > MAX_STRING_BYTES {
            return Err(format!(
                "strings[{i}] is {} bytes long; each string is at most {MAX_STRING_BYTES} bytes",
                s.len()
            ));
        }
    }
    let quoted: Vec<String> = strings.iter().map(|s| quote(s.as_bytes())).collect();
    let wire = quoted.join(" ");
    check_length(&wire)?;
    Ok(wire)
}

/// A wire-form host name for a target written in a config: `@` is the apex, a single label is
/// relative to the zone, a name with a dot must end with one (dnscontrol's rule).
pub fn target_to_wire(target: &str, apex: &str) -> Result<String, String> {
    if target == "@" {
        return Ok(name::normalize(apex));
    }
    if target.is_empty() {
        return Err("target is empty; write `@` for the apex".to_string());
    }
    if !target.contains('.') {
        return name::join(target, apex);
    }
    if !target.ends_with('.') {
        return Err(format!(
            "target {target:?} must end with a dot (or be a single label relative to the zone)"
        ));
    }
    name::to_wire(target)
}

/// The config form of a wire-form target: `@`, a single label inside the zone, or the readable
/// absolute name with a trailing dot.
pub fn target_to_user(wire: &str, apex: &str) -> String {
    let relative = name::relative(wire, apex);
    if relative == "@" || !relative.contains('.') {
        return relative;
    }
    if name::normalize(wire) == "." {
        return ".".to_string();
    }
    format!("{}.", name::display(wire))
}

/// The canonical form of a wire-form `value` of type `rtype`, for comparison only: host names
/// lower case with a trailing dot, numbers without leading zeros, IPv6 compressed, hex lower case,
/// character strings escaped one way, fields separated by one space. TXT string boundaries are
/// kept: they are part of the data.
pub fn canonical(rtype: RecordType, value: &str) -> String {
    convert(rtype, value, Targets::Absolute)
        .unwrap_or_else(|_| value.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Validates `value`, in Route 53's wire form, as a value of type `rtype`: what a plan file
/// holds. The checks are those of [`to_wire`]; an SOA value (which only an apex UPSERT carries)
/// is left to Route 53, as no config writes one.
pub fn check_wire(rtype: RecordType, value: &str) -> Result<(), String> {
    if rtype != RecordType::SOA {
        convert(rtype, value, Targets::Absolute)?;
    }
    check_length(value)
}

/// The inverse of [`to_wire`], for writing a config from live record sets.
pub fn to_user(rtype: RecordType, wire: &str, apex: &str) -> UserValue {
    if has_strings(rtype) {
        let mut strings: Vec<String> = txt_strings(wire)
            .iter()
            .map(|s| String::from_utf8_lossy(s).into_owned())
            .collect();
        return match strings.len() {
            1 => UserValue::Value(strings.remove(0)),
            _ => UserValue::Strings(strings),
        };
    }
    let (Some(index), Ok(tokens)) = (target_index(rtype), tokenize(wire)) else {
        return UserValue::Value(wire.to_string());
    };
    let fields: Vec<String> = tokens
        .iter()
        .enumerate()
        .map(|(i, t)| {
            if i == index {
                target_to_user(t.inner, apex)
            } else {
                t.text.to_string()
            }
        })
        .collect();
    UserValue::Value(fields.join(" "))
}

/// Whether values of type `rtype` are character strings (TXT and SPF), which a config may give
/// as `strings`.
pub fn has_strings(rtype: RecordType) -> bool {
    matches!(rtype, RecordType::TXT | RecordType::SPF)
}

/// Which field of a value of type `rtype` is a host name.
pub fn target_index(rtype: RecordType) -> Option<usize> {
    use RecordType::*;
    match rtype {
        CNAME | NS | PTR => Some(0),
        MX | HTTPS | SVCB => Some(1),
        SRV => Some(3),
        NAPTR => Some(5),
        A | AAAA | CAA | DS | SOA | SPF | SSHFP | TLSA | TXT => None,
    }
}

fn check_length(wire: &str) -> Result<(), String> {
    let chars = wire.chars().count();
    if chars > MAX_VALUE_CHARS {
        return Err(format!(
            "value is {chars} characters long in Route 53's form; the limit is {MAX_VALUE_CHARS}"
        ));
    }
    Ok(())
}

/// Validates and converts `value` of type `rtype`: the one place that knows how each type's
/// value is written. Every type but TXT and SPF is read as fields, and a value that does not split
/// into fields (an unterminated quote) is an error whatever its type.
fn convert(rtype: RecordType, value: &str, targets: Targets<'_>) -> Result<String, String> {
    use RecordType::*;
    match rtype {
        TXT | SPF => Ok(text(value, targets)),
        SOA => Err("SOA cannot be written: Route 53 manages the zone's SOA".to_string()),
        A => with_fields(value, |_| ipv4(value.trim()).map(|ip| ip.to_string())),
        AAAA => with_fields(value, |_| ipv6(value.trim()).map(|ip| ip.to_string())),
        CNAME | NS | PTR => with_fields(value, |fields| {
            let [host] = expect_fields(fields, ["host name"])?;
            host_name(host, targets)
        }),
        MX => with_fields(value, |fields| mx(fields, targets)),
        SRV => with_fields(value, |fields| srv(fields, targets)),
        CAA => caa(&tokenize(value)?),
        DS => with_fields(value, ds),
        SSHFP => with_fields(value, sshfp),
        TLSA => with_fields(value, tlsa),
        HTTPS | SVCB => svcb(&tokenize(value)?, targets),
        NAPTR => naptr(&tokenize(value)?, targets),
    }
}

/// `convert` applied to the fields of `value`, as written (quotes kept).
fn with_fields(
    value: &str,
    convert: impl FnOnce(&[&str]) -> Result<String, String>,
) -> Result<String, String> {
    let tokens = tokenize(value)?;
    let fields: Vec<&str> = tokens.iter().map(|t| t.text).collect();
    convert(&fields)
}

/// A TXT or SPF value: from the text a config means, or canonical from the wire form.
fn text(value: &str, targets: Targets<'_>) -> String {
    match targets {
        Targets::Relative(_) => txt_to_wire(value),
        Targets::Absolute => txt_strings(value)
            .iter()
            .map(|s| quote(s))
            .collect::<Vec<_>>()
            .join(" "),
    }
}

fn ipv4(value: &str) -> Result<Ipv4Addr, String> {
    value
        .parse()
        .map_err(|_| format!("{value:?} is not an IPv4 address like 192.0.2.1"))
}

fn ipv6(value: &str) -> Result<Ipv6Addr, String> {
    value
        .parse()
        .map_err(|_| format!("{value:?} is not an IPv6 address like 2001:db8::1"))
}

fn host_name(host: &str, targets: Targets<'_>) -> Result<String, String> {
    match targets {
        Targets::Relative(apex) => target_to_wire(host, apex),
        Targets::Absolute => Ok(name::normalize(host)),
    }
}

/// The fields of a value when there must be exactly `N`, named for the error message.
fn expect_fields<'a, const N: usize>(
    fields: &[&'a str],
    names: [&str; N],
) -> Result<[&'a str; N], String> {
    <[&str; N]>::try_from(fields).map_err(|_| {
        format!(
            "expected {N} field(s) `{}`, found {}",
            names.join(" "),
            fields.len()
        )
    })
}

/// An unsigned decimal number in `0..=max`, without leading zeros.
fn number(field: &str, what: &str, max: u32) -> Result<u32, String> {
    match field.parse::<u32>() {
        Ok(n) if n <= max => Ok(n),
        _ => Err(format!("{what} {field:?} is not a number from 0 to {max}")),
    }
}

fn mx(fields: &[&str], targets: Targets<'_>) -> Result<String, String> {
    let [pref, host] = expect_fields(fields, ["preference", "mail server"])?;
    Ok(format!(
        "{} {}",
        number(pref, "preference", 65535)?,
        host_name(host, targets)?
    ))
}

fn srv(fields: &[&str], targets: Targets<'_>) -> Result<String, String> {
    let [priority, weight, port, target] =
        expect_fields(fields, ["priority", "weight", "port", "target"])?;
    Ok(format!(
        "{} {} {} {}",
        number(priority, "priority", 65535)?,
        number(weight, "weight", 65535)?,
        number(port, "port", 65535)?,
        host_name(target, targets)?
    ))
}

fn caa(tokens: &[Token]) -> Result<String, String> {
    let [flag, tag, value] = tokens else {
        return Err(format!(
            "expected 3 fields `flag tag \"value\"`, found {}",
            tokens.len()
        ));
    };
    let tag_text = tag.text.to_ascii_lowercase();
    if tag_text.is_empty() || !tag_text.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(format!(
            "CAA tag {:?} must be letters and digits, like issue, issuewild or iodef",
            tag.text
        ));
    }
    Ok(format!(
        "{} {tag_text} {}",
        number(flag.text, "flag", 255)?,
        quote(&value.bytes())
    ))
}

/// Hex data: one or more fields joined, checked for `expected` hex digits when known.
fn hex(fields: &[&str], what: &str, expected: Option<usize>) -> Result<String, String> {
    let hex: String = fields.concat().to_ascii_lowercase();
    if hex.is_empty() || !hex.len().is_multiple_of(2) || !hex.bytes().all(|b| b.is_ascii_hexdigit())
    {
        return Err(format!(
            "{what} {hex:?} is not hexadecimal data (an even number of 0-9a-f)"
        ));
    }
    match expected {
        Some(len) if hex.len() != len => Err(format!(
            "{what} has {} hex digits; this digest type needs {len}",
            hex.len()
        )),
        _ => Ok(hex),
    }
}

fn ds(fields: &[&str]) -> Result<String, String> {
    let [key_tag, algorithm, digest_type, digest @ ..] = fields else {
        return Err("expected `keytag algorithm digesttype digest`".to_string());
    };
    let digest_type = number(digest_type, "digest type", 255)?;
    let expected = match digest_type {
        1 => Some(40),
        2 => Some(64),
        4 => Some(96),
        _ => None,
    };
    Ok(format!(
        "{} {} {digest_type} {}",
        number(key_tag, "key tag", 65535)?,
        number(algorithm, "algorithm", 255)?,
        hex(digest, "digest", expected)?
    ))
}

fn sshfp(fields: &[&str]) -> Result<String, String> {
    let [algorithm, fp_type, fingerprint @ ..] = fields else {
        return Err("expected `algorithm fptype fingerprint`".to_string());
    };
    let fp_type = number(fp_type, "fingerprint type", 255)?;
    let expected = match fp_type {
        1 => Some(40),
        2 => Some(64),
        _ => None,
    };
    Ok(format!(
        "{} {fp_type} {}",
        number(algorithm, "algorithm", 255)?,
        hex(fingerprint, "fingerprint", expected)?
    ))
}

fn tlsa(fields: &[&str]) -> Result<String, String> {
    let [usage, selector, matching_type, data @ ..] = fields else {
        return Err("expected `usage selector matchingtype data`".to_string());
    };
    let matching_type = number(matching_type, "matching type", 255)?;
    let expected = match matching_type {
        1 => Some(64),
        2 => Some(128),
        _ => None,
    };
    Ok(format!(
        "{} {} {matching_type} {}",
        number(usage, "usage", 255)?,
        number(selector, "selector", 255)?,
        hex(data, "certificate data", expected)?
    ))
}

fn svcb(tokens: &[Token], targets: Targets<'_>) -> Result<String, String> {
    let [priority, target, params @ ..] = tokens else {
        return Err("expected `priority target [key=value ...]`".to_string());
    };
    let mut out = format!(
        "{} {}",
        number(priority.text, "priority", 65535)?,
        host_name(target.text, targets)?
    );
    let mut seen = Vec::new();
    for param in params {
        let (key, text) = svc_param(param.text)?;
        if seen.contains(&key) {
            return Err(format!("parameter {key} is given twice"));
        }
        seen.push(key);
        out.push(' ');
        out.push_str(&text);
    }
    Ok(out)
}

/// Checks one SvcParam `key=value` (RFC 9460); returns its key and its text with the key lower
/// case and the value quoted only when it holds whitespace or is empty.
fn svc_param(param: &str) -> Result<(String, String), String> {
    let (key, value) = match param.split_once('=') {
        Some((k, v)) => (k, Some(v.trim_matches('"'))),
        None => (param, None),
    };
    let key = key.to_ascii_lowercase();
    let list = |v: Option<&str>| -> Result<Vec<String>, String> {
        match v {
            Some(v) if !v.is_empty() => Ok(v.split(',').map(str::to_string).collect()),
            _ => Err(format!("parameter {key} needs a value")),
        }
    };
    match key.as_str() {
        "alpn" | "mandatory" => list(value).map(drop)?,
        "port" => {
            number(value.unwrap_or_default(), "port", 65535)?;
        }
        "ipv4hint" => list(value)?.iter().try_for_each(|a| ipv4(a).map(drop))?,
        "ipv6hint" => list(value)?.iter().try_for_each(|a| ipv6(a).map(drop))?,
        "ech" => {
            let v = list(value)?.concat();
            if !v
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b))
            {
                return Err(format!("ech value {v:?} is not base64"));
            }
        }
        "no-default-alpn" if value.is_none() => {}
        "no-default-alpn" => return Err("no-default-alpn takes no value".to_string()),
        k => match k
            .strip_prefix("key")
            .map(|n| number(n, "parameter key", 65535))
        {
            Some(Ok(_)) => {}
            _ => {
                return Err(format!(
                    "unknown parameter {k:?}; use alpn, port, ipv4hint, ipv6hint, \
                     no-default-alpn, mandatory, ech or keyNNNNN"
                ))
            }
        },
    }
    let text = match value {
        None => key.clone(),
        Some(v) if v.is_empty() || v.contains(char::is_whitespace) => format!("{key}=\"{v}\""),
        Some(v) => format!("{key}={v}"),
    };
    Ok((key, text))
}

fn naptr(tokens: &[Token], targets: Targets<'_>) -> Result<String, String> {
    let [order, preference, flags, service, regexp, replacement] = tokens else {
        return Err(format!(
            "expected 6 fields `order preference \"flags\" \"service\" \"regexp\" replacement`, \
             found {}",
            tokens.len()
        ));
    };
    let flag_bytes = flags.bytes();
    if !flag_bytes.iter().all(u8::is_ascii_alphanumeric) {
        return Err(format!(
            "NAPTR flags {:?} must be letters and digits, like \"U\" or \"S\"",
            flags.inner
        ));
    }
    Ok(format!(
        "{} {} {} {} {} {}",
        number(order.text, "order", 65535)?,
        number(preference.text, "preference", 65535)?,
        quote(&flag_bytes),
        quote(&service.bytes()),
        quote(&regexp.bytes()),
        host_name(replacement.text, targets)?
    ))
}

/// The wire form of TXT text a user means: split into strings of at most 255 bytes (never inside
/// a character, so each string stays readable), each quoted.
fn txt_to_wire(text: &str) -> String {
    let mut strings = Vec::new();
    let mut current = String::new();
    for c in text.chars() {
        if current.len() + c.len_utf8() > MAX_STRING_BYTES {
            strings.push(quote(current.as_bytes()));
            current.clear();
        }
        current.push(c);
    }
    if !current.is_empty() || strings.is_empty() {
        strings.push(quote(current.as_bytes()));
    }
    strings.join(" ")
}

/// The character strings of a wire-form TXT value, unescaped.
fn txt_strings(wire: &str) -> Vec<Vec<u8>> {
    match tokenize(wire) {
        Ok(tokens) => tokens.iter().map(Token::bytes).collect(),
        Err(_) => vec![wire.as_bytes().to_vec()],
    }
}

/// `bytes` as a quoted character string, in Route 53's form (and the form a config value takes).
pub fn quote(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + 2);
    out.push('"');
    for &b in bytes {
        match b {
            b'"' | b'\\' => {
                out.push('\\');
                out.push(char::from(b));
            }
            0x20..=0x7e => out.push(char::from(b)),
            _ => out.push_str(&format!("\\{b:03o}")),
        }
    }
    out.push('"');
    out
}

/// One whitespace-separated field of a value.
#[derive(Debug)]
struct Token<'a> {
    /// As written, quotes included.
    text: &'a str,
    /// Without surrounding quotes, escapes still in.
    inner: &'a str,
    quoted: bool,
}

impl Token<'_> {
    /// The bytes a character string stands for: `\ddd` (octal) and `\X` decoded when quoted.
    fn bytes(&self) -> Vec<u8> {
        if !self.quoted {
            return self.inner.as_bytes().to_vec();
        }
        let mut out = Vec::new();
        let mut chars = self.inner.chars().peekable();
        while let Some(c) = chars.next() {
            if c != '\\' {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                continue;
            }
            let digits: String = chars.clone().take(3).collect();
            let octal = digits.len() == 3 && digits.bytes().all(|b| (b'0'..=b'7').contains(&b));
            match u8::from_str_radix(&digits, 8) {
                Ok(byte) if octal => {
                    out.push(byte);
                    chars.nth(2);
                }
                _ => {
                    let next = chars.next().unwrap_or('\\');
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(next.encode_utf8(&mut buf).as_bytes());
                }
            }
        }
        out
    }
}

/// Splits a value into fields at whitespace; `"…"` with `\` escapes is one field even with
/// spaces inside, also when it starts mid-field (`alpn="h2 h3"`).
fn tokenize(value: &str) -> Result<Vec<Token<'_>>, String> {
    let mut tokens = Vec::new();
    let mut chars = value.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let mut end = value.len();
        let mut in_quotes = false;
        while let Some(&(at, c)) = chars.peek() {
            if c.is_whitespace() && !in_quotes {
                end = at;
                break;
            }
            chars.next();
            match c {
                '"' => in_quotes = !in_quotes,
                '\\' => {
                    chars.next();
                }
                _ => {}
            }
        }
        if in_quotes {
            return Err(format!("unterminated quote in {value:?}"));
        }
        // `start` and `end` come from `char_indices`: always char boundaries.
        let text = value.get(start..end).unwrap_or_default();
        let inner = text.strip_prefix('"').and_then(|t| t.strip_suffix('"'));
        tokens.push(Token {
            text,
            inner: inner.unwrap_or(text),
            quoted: inner.is_some(),
        });
    }
    Ok(tokens)
}

#[cfg(test)]
mod tests {
    use super::*;
    use RecordType::*;

    const APEX: &str = "example.tld.";

    fn wire(rtype: RecordType, value: &str) -> String {
        to_wire(rtype, value, APEX).unwrap_or_else(|e| panic!("{rtype} {value:?}: {e}"))
    }

    fn error(rtype: RecordType, value: &str) -> String {
        to_wire(rtype, value, APEX).expect_err(value)
    }

    #[test]
    fn a_and_aaaa() {
        assert_eq!(wire(A, "1.2.3.4"), "1.2.3.4");
        assert!(error(A, "1.2.3").contains("IPv4"));
        assert!(error(A, "::1").contains("IPv4"));
        assert_eq!(wire(AAAA, "2001:0db8:0:0::1"), "2001:db8::1");
        assert!(error(AAAA, "2001:db8::g").contains("IPv6"));
        assert_eq!(
            canonical(AAAA, "2001:0DB8:0:0:0:0:0:1"),
            canonical(AAAA, "2001:db8::1")
        );
    }

    #[test]
    fn host_name_targets() {
        assert_eq!(wire(CNAME, "test"), "test.example.tld.");
        assert_eq!(wire(CNAME, "@"), "example.tld.");
        assert_eq!(wire(CNAME, "Other.COM."), "other.com.");
        assert_eq!(
            error(CNAME, "x.com"),
            "target \"x.com\" must end with a dot (or be a single label relative to the zone)"
        );
        assert_eq!(wire(NS, "ns1.example.net."), "ns1.example.net.");
        assert_eq!(wire(PTR, "host"), "host.example.tld.");
        assert!(error(CNAME, "a b").contains("expected 1 field"));
    }

    #[test]
    fn mx_and_srv() {
        assert_eq!(wire(MX, "10 mail"), "10 mail.example.tld.");
        assert_eq!(wire(MX, "0 ."), "0 .");
        assert!(error(MX, "70000 mail").contains("preference"));
        assert!(error(MX, "mail").contains("expected 2 field"));
        assert_eq!(
            wire(SRV, "10 5 5060 sip.example.net."),
            "10 5 5060 sip.example.net."
        );
        assert!(error(SRV, "10 5 65536 sip").contains("port"));
        assert!(error(SRV, "10 5 sip").contains("expected 4"));
    }

    #[test]
    fn caa_quotes_the_value() {
        assert_eq!(
            wire(CAA, "0 issue letsencrypt.org"),
            "0 issue \"letsencrypt.org\""
        );
        assert_eq!(
            wire(CAA, "0 iodef \"mailto:a@example.tld\""),
            "0 iodef \"mailto:a@example.tld\""
        );
        assert!(error(CAA, "256 issue x").contains("flag"));
        assert!(error(CAA, "0 is-sue x").contains("tag"));
        assert!(error(CAA, "0 issue").contains("expected 3"));
    }

    #[test]
    fn ds_sshfp_tlsa_hex() {
        let sha256 = "E2D3C916F6DEEAC73294E8268FB5885044A833FC5459588F4A9184CFC41A5766";
        assert_eq!(
            wire(DS, &format!("60485 5 2 {sha256}")),
            format!("60485 5 2 {}", sha256.to_ascii_lowercase())
        );
        assert!(error(DS, "60485 5 1 abcd").contains("needs 40"));
        assert!(error(DS, "60485 5 2 zz").contains("hexadecimal"));
        assert!(error(DS, "70000 5 2 ab").contains("key tag"));
        assert_eq!(
            wire(SSHFP, &format!("1 1 {}", "a".repeat(40))),
            format!("1 1 {}", "a".repeat(40))
        );
        assert!(error(SSHFP, "1 2 abcd").contains("needs 64"));
        assert_eq!(
            wire(TLSA, &format!("3 1 1 {}", "B".repeat(64))),
            format!("3 1 1 {}", "b".repeat(64))
        );
        assert!(error(TLSA, &format!("3 1 2 {}", "b".repeat(64))).contains("needs 128"));
        assert_eq!(
            canonical(DS, &format!("60485 5 2 {sha256}")),
            canonical(DS, &format!("60485 5 2 {}", sha256.to_ascii_lowercase()))
        );
    }

    #[test]
    fn https_and_svcb() {
        assert_eq!(
            wire(HTTPS, "1 . ALPN=\"h2,h3\" port=443"),
            "1 . alpn=h2,h3 port=443"
        );
        assert_eq!(
            canonical(HTTPS, "1 . alpn=\"h2,h3\""),
            canonical(HTTPS, "1 . alpn=h2,h3")
        );
        assert_eq!(
            wire(
                SVCB,
                "1 svc ipv4hint=192.0.2.1,192.0.2.2 ipv6hint=2001:db8::1"
            ),
            "1 svc.example.tld. ipv4hint=192.0.2.1,192.0.2.2 ipv6hint=2001:db8::1"
        );
        assert_eq!(wire(HTTPS, "0 cdn.example.net."), "0 cdn.example.net.");
        assert_eq!(
            wire(HTTPS, "1 . no-default-alpn key65000=x ech=AEj+"),
            "1 . no-default-alpn key65000=x ech=AEj+"
        );
        assert!(error(HTTPS, "1 . foo=1").contains("unknown parameter"));
        assert!(error(HTTPS, "1 . port=99999").contains("port"));
        assert!(error(HTTPS, "1 . ipv4hint=1.2.3").contains("IPv4"));
        assert!(error(HTTPS, "1 . alpn=h2 alpn=h3").contains("twice"));
        assert!(error(HTTPS, "1 . no-default-alpn=1").contains("no value"));
        assert!(error(HTTPS, "70000 .").contains("priority"));
    }

    #[test]
    fn naptr() {
        assert_eq!(
            wire(NAPTR, "100 10 \"S\" \"SIP+D2U\" \"\" sip"),
            "100 10 \"S\" \"SIP+D2U\" \"\" sip.example.tld."
        );
        assert!(error(NAPTR, "100 10 \"S\" \"x\" \"\" _sip._udp").contains("end with a dot"));
        assert_eq!(
            wire(NAPTR, "100 10 U E2U+sip \"!^.*$!sip:info@example.tld!\" ."),
            "100 10 \"U\" \"E2U+sip\" \"!^.*$!sip:info@example.tld!\" ."
        );
        assert!(error(NAPTR, "100 10 \"S+\" \"x\" \"\" .").contains("flags"));
        assert!(error(NAPTR, "100 10 \"S\" \"x\" .").contains("expected 6"));
    }

    #[test]
    fn txt_quoting_and_escaping() {
        assert_eq!(wire(TXT, "hello world"), "\"hello world\"");
        assert_eq!(wire(TXT, ""), "\"\"");
        assert_eq!(
            wire(TXT, "quotes \" and \\ backslash"),
            "\"quotes \\\" and \\\\ backslash\""
        );
        assert_eq!(wire(TXT, "tab\there"), "\"tab\\011here\"");
        assert_eq!(wire(SPF, "é"), "\"\\303\\251\"");
    }

    #[test]
    fn txt_splits_at_255_bytes() {
        let text = "x".repeat(600);
        let value = wire(TXT, &text);
        let strings = txt_strings(&value);
        assert_eq!(
            strings.iter().map(Vec::len).collect::<Vec<_>>(),
            [255, 255, 90]
        );
        assert_eq!(strings.concat(), text.as_bytes());
        // A two-byte character is never split across strings.
        let value = wire(TXT, &format!("{}é", "x".repeat(254)));
        assert_eq!(txt_strings(&value).len(), 2);
    }

    #[test]
    fn txt_limits() {
        assert!(error(TXT, &"x".repeat(4000)).contains("limit is 4000"));
        assert_eq!(
            txt_strings_to_wire(&["a b".to_string(), "c".to_string()]).unwrap(),
            "\"a b\" \"c\""
        );
        assert!(txt_strings_to_wire(&["x".repeat(256)])
            .unwrap_err()
            .contains("256 bytes"));
        assert!(txt_strings_to_wire(&[]).is_err());
    }

    #[test]
    fn txt_canonical_keeps_boundaries_and_unifies_escapes() {
        assert_eq!(canonical(TXT, "\"a\\142c\""), canonical(TXT, "\"abc\""));
        assert_eq!(canonical(TXT, "\"a\\bc\""), "\"abc\"");
        assert_ne!(canonical(TXT, "\"ab\" \"c\""), canonical(TXT, "\"abc\""));
        assert_eq!(canonical(TXT, "\"ab\"   \"c\""), "\"ab\" \"c\"");
        assert_eq!(canonical(TXT, "\"\\303\\251\""), canonical(TXT, "\"é\""));
    }

    #[test]
    fn canonical_of_multi_field_types() {
        assert_eq!(
            canonical(MX, "10   Mail.Example.TLD"),
            "10 mail.example.tld."
        );
        assert_eq!(
            canonical(MX, "010 mail.example.tld."),
            "10 mail.example.tld."
        );
        assert_eq!(canonical(CNAME, "WWW.example.tld"), "www.example.tld.");
        assert_eq!(
            canonical(CAA, "0 ISSUE \"x.org\""),
            canonical(CAA, "0 issue \"x.org\"")
        );
        // Values that do not parse still compare with whitespace collapsed.
        assert_eq!(canonical(MX, "bad   value"), "bad value");
    }

    fn fields(value: &str) -> Vec<(&str, &str, bool)> {
        let tokens = tokenize(value).unwrap();
        tokens.iter().map(|t| (t.text, t.inner, t.quoted)).collect()
    }

    #[test]
    fn fields_are_slices_of_the_value_with_quotes_and_escapes_kept() {
        assert_eq!(fields(r"a\"), [(r"a\", r"a\", false)]);
        assert_eq!(
            fields(r"a\ b  c"),
            [(r"a\ b", r"a\ b", false), ("c", "c", false)]
        );
        assert_eq!(
            fields(r#""é z" x"#),
            [(r#""é z""#, "é z", true), ("x", "x", false)]
        );
        let alpn = r#"alpn="h2 h3""#;
        assert_eq!(fields(alpn), [(alpn, alpn, false)]);
        assert_eq!(fields(r#""""#), [(r#""""#, "", true)]);
        assert_eq!(fields(r#""a"b"c""#), [(r#""a"b"c""#, r#"a"b"c"#, true)]);
        assert!(fields(" \t ").is_empty());
        assert!(tokenize(r#""a b"#).is_err());
    }

    /// Odd input never panics, whatever the type.
    #[test]
    fn odd_input_does_not_panic() {
        let odd = [
            "",
            " ",
            "\"",
            "\\",
            "\"\\",
            "\\9",
            "\\777",
            "1 \"",
            "é\u{0}",
            "0 0 0 0 0 0 0",
            "1 . =",
            "1 . key",
            "1 . key99999=",
            "@",
            ".",
            "..",
            "*",
            "xn--",
            "xn--99999999999",
        ];
        for rtype in RecordType::ALL {
            for value in odd {
                let _ = to_wire(rtype, value, APEX);
                let _ = canonical(rtype, value);
                let _ = to_user(rtype, value, APEX);
                let _ = name::display(value);
                let _ = name::relative(value, APEX);
            }
        }
    }

    #[test]
    fn soa_cannot_be_written() {
        assert!(error(SOA, "x").contains("SOA cannot be written"));
    }

    #[test]
    fn to_user_inverts_to_wire() {
        let cases = [
            (CNAME, "test"),
            (CNAME, "@"),
            (CNAME, "x.other.tld."),
            (MX, "10 mail"),
            (SRV, "1 2 3 sip"),
            (HTTPS, "1 . alpn=h2"),
            (
                NAPTR,
                "100 10 \"S\" \"SIP+D2U\" \"\" _sip._udp.example.tld.",
            ),
            (A, "1.2.3.4"),
            (TXT, "quotes \" and \\"),
        ];
        for (rtype, value) in cases {
            let w = wire(rtype, value);
            let UserValue::Value(user) = to_user(rtype, &w, APEX) else {
                panic!("{value} gave strings");
            };
            assert_eq!(wire(rtype, &user), w, "{rtype} {value}");
        }
        // In-zone names of several labels are written absolute (a dotted target needs a dot).
        assert_eq!(
            to_user(CNAME, "a.b.example.tld.", APEX),
            UserValue::Value("a.b.example.tld.".to_string())
        );
        assert_eq!(
            to_user(TXT, "\"ab\" \"c\"", APEX),
            UserValue::Strings(vec!["ab".to_string(), "c".to_string()])
        );
    }
}
