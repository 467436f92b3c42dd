//! BIND zone files (RFC 1035 master files) read as a config of one domain, for `convert`.
//!
//! Understood: `$ORIGIN`, `$TTL` (with units: `1h30m`), names relative to the origin, `@`, an
//! omitted owner (the previous one), parentheses across lines, `;` comments, quoted strings,
//! `\DDD` (decimal) and `\X` escapes, class `IN` optional, TTL and class in either order. A
//! record without a TTL takes `$TTL`, else the last TTL given. The SOA is skipped (Route 53 keeps
//! its own). `$INCLUDE` and `$GENERATE` are errors.
//!
//! The records become a domain in r53ctl's format (registrar `none`, DNS provider `r53_main`),
//! checked by the same reader as a `dnsconfig.json`; errors name the line.

use serde_json::{json, Map, Value};

use super::reader::{self, Errors};
use super::records::Problem;
use super::{Config, ConfigError, ConfigErrors};
use crate::name;
use crate::rdata::{self, UserValue};
use crate::rtype::RecordType;

/// Reads the zone file at `path` holding the zone `domain`.
pub fn load(path: &std::path::Path, domain: &str) -> Result<Config, ConfigErrors> {
    let text = super::read(path, "the zone file")?;
    parse(path, &text, domain)
}

/// Reads zone file `text` (from `path`, named in errors) holding the zone `domain`.
pub fn parse(path: &std::path::Path, text: &str, domain: &str) -> Result<Config, ConfigErrors> {
    let mut errors = Errors::new(path);
    let apex = match name::to_wire(domain) {
        Ok(apex) if apex != "." => apex,
        _ => {
            let problem = Problem::new(format!("--domain {domain:?} is not a zone name"))
                .with_fix("give the zone's name, e.g. --domain example.tld");
            errors.push(None, None, problem);
            return Err(errors.into());
        }
    };
    let mut records = Vec::new();
    let mut lines = Vec::new();
    match entries(text) {
        Ok(entries) => {
            let mut state = State::new(&apex);
            for entry in entries {
                match state.record(&entry) {
                    Ok(Some(record)) => {
                        records.push(record);
                        lines.push(entry.line);
                    }
                    Ok(None) => {}
                    Err(p) => errors.push(Some(domain), Some(&format!("line {}", entry.line)), p),
                }
            }
        }
        Err((line, p)) => errors.push(Some(domain), Some(&format!("line {line}")), p),
    }
    let config = json!({
        "registrars": { "none": { "type": "NONE" } },
        "dns_providers": { "r53_main": { "type": "ROUTE53" } },
        "domains": [{ "name": domain, "registrar": "none", "dns_providers": ["r53_main"],
                      "records": records }],
    });
    reader::from_json(path, config, errors).map_err(|mut e| {
        e.0.iter_mut().for_each(|error| name_line(error, &lines));
        e
    })
}

/// Names zone file lines in an error where the config reader wrote `(records[i])`.
fn name_line(error: &mut ConfigError, lines: &[usize]) {
    if let Some(record) = &error.record {
        error.record = Some(with_lines(record, lines));
    }
    error.message = with_lines(&error.message, lines);
}

/// `text` with each `(records[i])` replaced by `(line N)`, the line record `i` was read from.
fn with_lines(text: &str, lines: &[usize]) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("(records[") {
        let (before, tail) = rest.split_at(at);
        out.push_str(before);
        let inside = &tail["(records[".len()..];
        let line = inside
            .split_once("])")
            .and_then(|(index, after)| Some((lines.get(index.parse::<usize>().ok()?)?, after)));
        match line {
            Some((line, after)) => {
                out.push_str(&format!("(line {line})"));
                rest = after;
            }
            None => {
                out.push_str("(records[");
                rest = inside;
            }
        }
    }
    out.push_str(rest);
    out
}

/// One field of an entry: its text with escapes as written, without the quotes of a quoted one.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Field {
    text: String,
    quoted: bool,
}

/// One entry: a directive or a record, its fields joined across parentheses.
#[derive(Debug)]
struct Entry {
    /// Where it starts.
    line: usize,
    /// Whether its first field starts the line (an owner or a directive), rather than following
    /// blanks (the owner is the previous one).
    owner_given: bool,
    fields: Vec<Field>,
}

/// Splits `text` into entries; an unclosed quote or parenthesis is an error at its line.
fn entries(text: &str) -> Result<Vec<Entry>, (usize, Problem)> {
    let mut entries = Vec::new();
    let mut current: Option<Entry> = None;
    let (mut line, mut depth, mut depth_line) = (1, 0usize, 1);
    let mut chars = text.chars().peekable();
    let mut at_line_start = true;
    while let Some(&c) = chars.peek() {
        let starts_line = std::mem::replace(&mut at_line_start, false);
        match c {
            '\n' => {
                chars.next();
                line += 1;
                at_line_start = true;
                if depth == 0 {
                    entries.extend(current.take());
                }
            }
            ';' => while chars.next_if(|&c| c != '\n').is_some() {},
            '(' => {
                chars.next();
                depth += 1;
                depth_line = line;
            }
            ')' => {
                chars.next();
                depth = depth.checked_sub(1).ok_or_else(|| {
                    (
                        line,
                        Problem::new("`)` without `(`").with_fix("remove it or add the `(`"),
                    )
                })?;
            }
            c if c.is_whitespace() => {
                chars.next();
            }
            _ => {
                let start = line;
                let field = field(&mut chars, &mut line).ok_or_else(|| {
                    let fix = "close the string with `\"` (write `\\\"` for a quote inside it)";
                    (
                        start,
                        Problem::new("unterminated quoted string").with_fix(fix),
                    )
                })?;
                current
                    .get_or_insert(Entry {
                        line: start,
                        owner_given: starts_line,
                        fields: Vec::new(),
                    })
                    .fields
                    .push(field);
            }
        }
    }
    if depth > 0 {
        let problem = Problem::new("`(` is never closed").with_fix("add the `)`");
        return Err((depth_line, problem));
    }
    entries.extend(current);
    Ok(entries)
}

/// One field at `chars`: a quoted string (which may span lines, counted in `line`) or a run of
/// characters up to a blank, `;`, `(`, `)` or `"`. `None` for an unterminated quote.
fn field(chars: &mut std::iter::Peekable<std::str::Chars<'_>>, line: &mut usize) -> Option<Field> {
    let quoted = chars.next_if_eq(&'"').is_some();
    let mut text = String::new();
    loop {
        let c = match chars.peek() {
            None if quoted => return None,
            None => break,
            Some(&c) => c,
        };
        if quoted && c == '"' {
            chars.next();
            break;
        }
        if !quoted && (c.is_whitespace() || matches!(c, ';' | '(' | ')' | '"')) {
            break;
        }
        chars.next();
        if c == '\n' {
            *line += 1;
        }
        text.push(c);
        if c == '\\' {
            text.extend(chars.next());
        }
    }
    Some(Field { text, quoted })
}

/// What earlier entries set: the origin, `$TTL`, the last owner and TTL.
struct State {
    origin: String,
    default_ttl: Option<u32>,
    last_owner: Option<String>,
    last_ttl: Option<u32>,
    /// The zone (wire form), which record names are written relative to.
    apex: String,
}

impl State {
    fn new(apex: &str) -> State {
        State {
            origin: apex.to_string(),
            default_ttl: None,
            last_owner: None,
            last_ttl: None,
            apex: apex.to_string(),
        }
    }

    /// The config record of `entry`; `None` for a directive or the SOA.
    fn record(&mut self, entry: &Entry) -> Result<Option<Value>, Problem> {
        let mut fields = entry.fields.iter();
        let first = fields.clone().next().map(|f| f.text.as_str());
        if let Some(directive) = first.filter(|t| entry.owner_given && t.starts_with('$')) {
            fields.next();
            self.directive(directive, fields.as_slice())?;
            return Ok(None);
        }
        let owner = match entry.owner_given {
            true => absolute(
                &fields.next().map(|f| f.text.clone()).unwrap_or_default(),
                &self.origin,
            )?,
            false => self.last_owner.clone().ok_or_else(|| {
                Problem::new("the first record has no owner name")
                    .with_fix("start the line with the name (`@` for the origin)")
            })?,
        };
        self.last_owner = Some(owner.clone());
        let mut ttl = None;
        let mut rest = fields.as_slice();
        while let [field, tail @ ..] = rest {
            if let Some(seconds) = ttl.is_none().then(|| parse_ttl(&field.text)).flatten() {
                ttl = Some(seconds);
            } else if field.text.eq_ignore_ascii_case("IN") {
            } else if ["CH", "HS", "CS"]
                .iter()
                .any(|c| field.text.eq_ignore_ascii_case(c))
            {
                return Err(Problem::new(format!("class {} is not IN", field.text))
                    .with_fix("Route 53 serves class IN only: remove this record"));
            } else {
                break;
            }
            rest = tail;
        }
        let [rtype, rdata @ ..] = rest else {
            return Err(Problem::new("the record has no type")
                .with_fix("write `name [ttl] [IN] TYPE data`"));
        };
        let rtype = rtype.text.to_ascii_uppercase();
        // A type r53ctl does not know is passed on as written: the config check names it.
        let known = rtype.parse::<RecordType>().ok();
        if known == Some(RecordType::SOA) {
            return Ok(None);
        }
        if ttl.is_some() {
            self.last_ttl = ttl;
        }
        let ttl = ttl.or(self.default_ttl).or(self.last_ttl).ok_or_else(|| {
            Problem::new("the record has no TTL and no $TTL is set")
                .with_fix("add `$TTL 3600` at the top of the file, or a TTL to this record")
        })?;
        let mut record = Map::new();
        record.insert("name".into(), name::relative(&owner, &self.apex).into());
        record.insert("type".into(), rtype.into());
        match self.value(known, rdata)? {
            UserValue::Value(value) => record.insert("value".into(), value.into()),
            UserValue::Strings(strings) => record.insert("strings".into(), strings.into()),
        };
        record.insert("ttl".into(), ttl.into());
        Ok(Some(record.into()))
    }

    fn directive(&mut self, directive: &str, args: &[Field]) -> Result<(), Problem> {
        let arg = args.first().map(|f| f.text.as_str());
        match (directive.to_ascii_uppercase().as_str(), arg) {
            ("$ORIGIN", Some(origin)) => self.origin = absolute(origin, &self.origin)?,
            ("$TTL", Some(ttl)) => {
                self.default_ttl = Some(parse_ttl(ttl).ok_or_else(|| {
                    Problem::new(format!("$TTL {ttl:?} is not a TTL"))
                        .with_fix("write seconds (3600) or units (1h)")
                })?)
            }
            ("$ORIGIN" | "$TTL", None) => {
                return Err(Problem::new(format!("{directive} needs a value")).with_fix("give one"))
            }
            _ => {
                return Err(Problem::new(format!("{directive} is not supported"))
                    .with_fix("expand it by hand (r53ctl reads $ORIGIN and $TTL only)"))
            }
        }
        Ok(())
    }

    /// The config value of a record of type `parsed` (`None`: a type r53ctl does not know) with
    /// `fields`: its host name made absolute (relative to the origin), then written as a config
    /// writes it.
    fn value(&self, parsed: Option<RecordType>, fields: &[Field]) -> Result<UserValue, Problem> {
        let host = parsed.and_then(rdata::target_index);
        let mut wire = Vec::new();
        for (index, field) in fields.iter().enumerate() {
            if !field.quoted && host == Some(index) {
                wire.push(absolute(&field.text, &self.origin)?);
                continue;
            }
            let text = octal_escapes(&field.text)?;
            let quoted = field.quoted || parsed.is_some_and(rdata::has_strings);
            wire.push(if quoted { format!("\"{text}\"") } else { text });
        }
        let wire = wire.join(" ");
        Ok(match parsed {
            Some(rtype) => rdata::to_user(rtype, &wire, &self.apex),
            None => UserValue::Value(wire),
        })
    }
}

/// The wire form of name `text` under `origin`: `@` is the origin, a name without a final dot
/// is relative to it.
fn absolute(text: &str, origin: &str) -> Result<String, Problem> {
    let bad = |e: String| Problem::new(e).with_fix("correct the name");
    if text == "@" {
        return Ok(origin.to_string());
    }
    let escaped = octal_escapes(text)?;
    let trailing_dot = escaped.ends_with('.') && !escaped.ends_with("\\.");
    if trailing_dot {
        name::to_wire(&escaped).map_err(bad)
    } else {
        name::join(&escaped, origin).map_err(bad)
    }
}

/// `text` with the decimal `\DDD` escapes of zone files turned into the octal `\ooo` of Route 53
/// (and r53ctl's config); other escapes are kept.
fn octal_escapes(text: &str) -> Result<String, Problem> {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let digits: String = chars.clone().take(3).collect();
        if digits.len() == 3 && digits.bytes().all(|b| b.is_ascii_digit()) {
            let byte = digits.parse::<u8>().map_err(|_| {
                Problem::new(format!("escape \\{digits} is not a byte"))
                    .with_fix("write \\000 to \\255")
            })?;
            out.push_str(&format!("\\{byte:03o}"));
            chars.nth(2);
        } else {
            out.push('\\');
            out.extend(chars.next());
        }
    }
    Ok(out)
}

/// A TTL in seconds (`3600`) or with units (`1h30m`, `1w`); `None` if `text` is none.
fn parse_ttl(text: &str) -> Option<u32> {
    if text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().ok();
    }
    let mut total: u32 = 0;
    let mut number = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let unit = match c.to_ascii_lowercase() {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86400,
            'w' => 604800,
            _ => return None,
        };
        let n: u32 = std::mem::take(&mut number).parse().ok()?;
        total = total.checked_add(n.checked_mul(unit)?)?;
    }
    number.is_empty().then_some(total)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn a_relative_name_joins_its_origin_only_with_complete_escapes() {
        assert_eq!(absolute("www", "example.tld.").unwrap(), "www.example.tld.");
        assert_eq!(
            absolute("a\\.b", "example.tld.").unwrap(),
            "a\\056b.example.tld."
        );
        let err = absolute("evil\\", "example.tld.").unwrap_err();
        assert!(format!("{err:?}").contains("lone backslash"), "{err:?}");
    }

    use crate::model::RecordSet;

    fn zone(text: &str) -> Vec<RecordSet> {
        let config =
            parse(Path::new("zone.db"), text, "example.tld").unwrap_or_else(|e| panic!("{e}"));
        config.domains[0].records.clone()
    }

    fn errors(text: &str) -> Vec<ConfigError> {
        parse(Path::new("zone.db"), text, "example.tld")
            .expect_err(text)
            .0
    }

    fn one(sets: &[RecordSet], name: &str, rtype: RecordType) -> (Option<u32>, Vec<String>) {
        let set = sets
            .iter()
            .find(|s| &*s.name == name && s.rtype == rtype)
            .unwrap_or_else(|| panic!("no {name} {rtype} in {sets:#?}"));
        (set.ttl, set.values.iter().map(|v| v.to_string()).collect())
    }

    #[test]
    fn origin_ttl_relative_names_and_at() {
        let sets = zone(
            "$TTL 1h\n@ A 192.0.2.1\nwww 60 CNAME @\n$ORIGIN sub.example.tld.\nhost A 192.0.2.2\n\
             mail.example.tld. MX 10 host\n",
        );
        assert_eq!(
            one(&sets, "example.tld.", RecordType::A),
            (Some(3600), vec!["192.0.2.1".into()])
        );
        assert_eq!(
            one(&sets, "www.example.tld.", RecordType::CNAME),
            (Some(60), vec!["example.tld.".into()])
        );
        assert_eq!(
            one(&sets, "host.sub.example.tld.", RecordType::A).1,
            ["192.0.2.2"]
        );
        assert_eq!(
            one(&sets, "mail.example.tld.", RecordType::MX).1,
            ["10 host.sub.example.tld."]
        );
    }

    #[test]
    fn omitted_owner_repeats_the_previous_one_and_ttl_carries_over() {
        let sets = zone("www 300 IN A 192.0.2.1\n    A 192.0.2.2\n\t600 TXT hello\n");
        assert_eq!(one(&sets, "www.example.tld.", RecordType::A).1.len(), 2);
        assert_eq!(
            one(&sets, "www.example.tld.", RecordType::TXT),
            (Some(600), vec!["\"hello\"".into()])
        );
    }

    #[test]
    fn parentheses_comments_and_soa_are_read() {
        let sets = zone(
            "$TTL 300 ; five minutes\n\
             @ IN SOA ns1.example.tld. admin.example.tld. (\n  1 ; serial\n  7200 900\n  1209600 86400 )\n\
             @ MX ( 10 ; preference\n  mail )\n; a comment line\nmail A 192.0.2.3 ; trailing\n",
        );
        assert!(sets.iter().all(|s| s.rtype != RecordType::SOA));
        assert_eq!(
            one(&sets, "example.tld.", RecordType::MX).1,
            ["10 mail.example.tld."]
        );
        assert_eq!(
            one(&sets, "mail.example.tld.", RecordType::A).1,
            ["192.0.2.3"]
        );
    }

    #[test]
    fn quoted_strings_and_decimal_escapes() {
        let sets = zone(
            "$TTL 300\ntxt TXT \"a ; not a comment\" \"say \\\"hi\\\"\"\nu TXT \"\\195\\188ber\"\n\
             a\\032b A 192.0.2.4\n@ CAA 0 issue \"letsencrypt.org\"\n",
        );
        assert_eq!(
            one(&sets, "txt.example.tld.", RecordType::TXT).1,
            ["\"a ; not a comment\" \"say \\\"hi\\\"\""]
        );
        assert_eq!(
            one(&sets, "u.example.tld.", RecordType::TXT).1,
            ["\"\\303\\274ber\""]
        );
        assert_eq!(
            one(&sets, "a\\040b.example.tld.", RecordType::A).1,
            ["192.0.2.4"]
        );
        assert_eq!(
            one(&sets, "example.tld.", RecordType::CAA).1,
            ["0 issue \"letsencrypt.org\""]
        );
    }

    #[test]
    fn class_and_ttl_in_either_order_and_optional_class() {
        let sets = zone(
            "a IN 60 A 192.0.2.1\nb 70 IN A 192.0.2.2\nc 80 A 192.0.2.3\nd in 1d a 192.0.2.4\n",
        );
        assert_eq!(one(&sets, "a.example.tld.", RecordType::A).0, Some(60));
        assert_eq!(one(&sets, "b.example.tld.", RecordType::A).0, Some(70));
        assert_eq!(one(&sets, "c.example.tld.", RecordType::A).0, Some(80));
        assert_eq!(one(&sets, "d.example.tld.", RecordType::A).0, Some(86400));
    }

    #[test]
    fn ttl_units() {
        assert_eq!(parse_ttl("3600"), Some(3600));
        assert_eq!(parse_ttl("1h30m"), Some(5400));
        assert_eq!(parse_ttl("2W"), Some(1_209_600));
        assert_eq!(parse_ttl("IN"), None);
        assert_eq!(parse_ttl("1h30"), None);
        assert_eq!(parse_ttl("99999999w"), None);
    }

    #[test]
    fn problems_name_the_line_and_a_fix() {
        let cases = [
            ("www A 192.0.2.1\n", "line 1", "no TTL"),
            (
                "$TTL 60\n$INCLUDE other.db\n",
                "line 2",
                "$INCLUDE is not supported",
            ),
            ("$TTL 60\nwww A (192.0.2.1\n\n", "line 2", "never closed"),
            ("$TTL 60\n\nwww TXT \"open\n", "line 3", "unterminated"),
            ("$TTL 60\nwww CH A 192.0.2.1\n", "line 2", "class CH"),
            (
                "$TTL 60\nwww A 192.0.2.1\nbad A 300.1.1.1\n",
                "bad A (line 3)",
                "IPv4",
            ),
            ("$TTL 60\nx A \\999\n", "line 2", "not a byte"),
            (
                "$TTL 60\nw 5 A 192.0.2.1\nw A 192.0.2.2\n",
                "w A (line 3)",
                "of w A (line 2)",
            ),
        ];
        for (text, record, message) in cases {
            let errors = errors(text);
            let error = &errors[0];
            assert_eq!(
                error.record.as_deref(),
                Some(record),
                "{text:?}: {errors:?}"
            );
            assert!(error.message.contains(message), "{text:?}: {errors:?}");
            assert!(error.fix.is_some(), "{text:?}");
        }
    }

    #[test]
    fn cut_zone_files_parse_or_fail_without_panicking() {
        let text = "$ORIGIN example.tld.\n$TTL 1h\n@ IN SOA ns. admin. ( 1 2 3 4 5 )\n\
                    www 60 IN A 192.0.2.1 ; c\n  TXT \"a\\\"b\" \\065\n";
        for end in 0..=text.len() {
            let _ = parse(Path::new("zone.db"), &text[..end], "example.tld");
        }
    }
}
