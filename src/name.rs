//! DNS names in Route 53's wire form: lower case, fully qualified with a trailing dot, characters
//! outside `a-z0-9-_.` as `\ddd` octal escapes (`*` is `\052`), internationalised labels as punycode.
//!
//! Escapes are octal, as Route 53 writes them (`\052` is `*`); `\` before any other character
//! makes that character literal (`\.` is a dot inside a label).
//!
//! May import: nothing of the crate.

use std::borrow::Cow;

/// Longest label, in bytes.
const MAX_LABEL_BYTES: usize = 63;
/// Longest name, in octets of the DNS wire encoding (length bytes included).
const MAX_NAME_OCTETS: usize = 255;

/// One unit of a parsed label: a character as written, or a byte given by an escape.
#[derive(Clone, Copy)]
enum Piece {
    Char(char),
    Byte(u8),
}

/// The wire form of `name`, which may be in any case, with or without the trailing dot, with `*`
/// or `\ddd` escapes, or in UTF-8. Never fails; [`to_wire`] also checks the lengths.
pub fn normalize(name: &str) -> String {
    normalized(name).into_owned()
}

/// [`normalize`] without a copy when `name` is already in wire form, as most names (all of those
/// Route 53 returns) are: for comparing names by the million.
pub fn normalized(name: &str) -> Cow<'_, str> {
    // Checking that is far cheaper than splitting and re-joining the labels.
    if is_plain_wire_form(name) {
        return Cow::Borrowed(name);
    }
    Cow::Owned(join_labels(&labels(name)))
}

/// Whether `name` is fully qualified and uses only bytes that [`normalize`] leaves as they are.
fn is_plain_wire_form(name: &str) -> bool {
    name.ends_with('.') && name.bytes().all(|b| is_plain_wire_byte(b) || b == b'.')
}

/// Whether a label byte stands for itself in wire form.
fn is_plain_wire_byte(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_')
}

/// The wire form of `name` (see [`normalize`]), or why it is not a valid DNS name: an empty
/// label, a label over 63 bytes, or a name over 255 bytes.
pub fn to_wire(name: &str) -> Result<String, String> {
    match plain_to_wire(name) {
        Some(wire) => Ok(wire),
        None => checked_wire_form(name),
    }
}

/// The wire form of `name` when it is a valid name of plain labels (`a-z0-9-_`, with or without
/// the trailing dot), found without parsing its labels: most names of a config are.
fn plain_to_wire(name: &str) -> Option<String> {
    let bare = name.strip_suffix('.').unwrap_or(name);
    let plain = !bare.is_empty() && bare.bytes().all(|b| is_plain_wire_byte(b) || b == b'.');
    // Each label's length byte stands for the dot after it; then one more for the root.
    let fits = bare.len() + 2 <= MAX_NAME_OCTETS
        && bare
            .split('.')
            .all(|label| !label.is_empty() && label.len() <= MAX_LABEL_BYTES);
    // Built at its final size: a record set keeps its name, and format! would leave room to grow.
    (plain && fits).then(|| {
        let mut wire = String::with_capacity(bare.len() + 1);
        wire.push_str(bare);
        wire.push('.');
        wire
    })
}

/// [`to_wire`] by parsing the labels of `name`.
fn checked_wire_form(name: &str) -> Result<String, String> {
    check_escapes(name)?;
    let labels = labels(name);
    for label in &labels {
        if label.is_empty() {
            return Err(format!(
                "name {name:?} has an empty label (two dots in a row)"
            ));
        }
        if label.len() > MAX_LABEL_BYTES {
            return Err(format!(
                "label {:?} of name {name:?} is {} bytes long; the limit is {MAX_LABEL_BYTES}",
                String::from_utf8_lossy(label),
                label.len()
            ));
        }
    }
    let octets: usize = labels.iter().map(|l| l.len() + 1).sum::<usize>() + 1;
    if octets > MAX_NAME_OCTETS {
        return Err(format!(
            "name {name:?} is {octets} bytes long in DNS form; the limit is {MAX_NAME_OCTETS}"
        ));
    }
    Ok(join_labels(&labels))
}

/// The wire form of `relative`, a name written relative to the zone `apex`, below it. Its
/// escapes must be complete: a lone backslash at its end would escape the dot that joins it.
pub fn join(relative: &str, apex: &str) -> Result<String, String> {
    check_escapes(relative)?;
    to_wire(&format!("{relative}.{apex}"))
}

/// Whether every escape in `name` is complete: no backslash at its end, and a backslash before
/// a digit starts three octal digits up to `\377`.
fn check_escapes(name: &str) -> Result<(), String> {
    let mut chars = name.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            continue;
        }
        match chars.next() {
            None => {
                return Err(format!(
                    "name {name:?} ends in a lone backslash, which would escape the dot after it; \
                     remove it, or write two backslashes for a literal one"
                ))
            }
            Some(first) if first.is_ascii_digit() => {
                let digits: String = std::iter::once(first)
                    .chain(chars.by_ref().take(2))
                    .collect();
                if digits.len() != 3 || u8::from_str_radix(&digits, 8).is_err() {
                    return Err(format!(
                        "name {name:?} has an incomplete escape \\{digits}: a backslash before a \
                         digit needs three octal digits up to \\377 (`\\052` is `*`); write two \
                         backslashes for a literal one"
                    ));
                }
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// A readable form of a wire-form name: `*` instead of `\052`, Unicode instead of punycode,
/// no trailing dot (the root stays `.`). [`normalize`] turns it back into the same wire form.
pub fn display(wire: &str) -> String {
    let labels = labels(wire);
    if labels.is_empty() {
        return ".".to_string();
    }
    labels
        .iter()
        .map(|l| display_label(l))
        .collect::<Vec<_>>()
        .join(".")
}

/// The part of wire-form `wire` before the zone `apex` (as written, compared as text): `@` for
/// the apex, `www` for `www.<apex>`; `None` for a name not written under `apex`.
pub fn before_apex<'w>(wire: &'w str, apex: &str) -> Option<&'w str> {
    if wire == apex {
        return Some("@");
    }
    wire.strip_suffix(apex)?.strip_suffix('.')
}

/// `wire` relative to the zone `apex`, as a config names records: `@` for the apex, `www` for
/// `www.<apex>`, and the absolute readable form with a trailing dot for names outside the zone
/// (or names a relative form would make ambiguous, like `<apex>.<apex>`).
pub fn relative(wire: &str, apex: &str) -> String {
    let name = labels(wire);
    let zone = labels(apex);
    if name == zone {
        return "@".to_string();
    }
    let absolute = || format!("{}.", display(wire));
    let Some(prefix_len) = name.len().checked_sub(zone.len()) else {
        return absolute();
    };
    if prefix_len == 0 || name.get(prefix_len..) != Some(zone.as_slice()) {
        return absolute();
    }
    let prefix = name.get(..prefix_len).unwrap_or_default();
    if prefix.ends_with(&zone) {
        return absolute();
    }
    prefix
        .iter()
        .map(|l| display_label(l))
        .collect::<Vec<_>>()
        .join(".")
}

/// `wire` as a BIND zone file writes an owner name under `$ORIGIN apex`: `@` for the apex, the
/// labels before the apex for names inside the zone, else the absolute name with a trailing dot.
/// Labels are ASCII (punycode), a wildcard label is `*`, and every other byte outside
/// `a-z0-9-_` is a `\DDD` escape in decimal, as zone files (RFC 1035) write them.
pub fn zone_file_relative(wire: &str, apex: &str) -> String {
    let name = labels(wire);
    let zone = labels(apex);
    let in_zone = name.len() > zone.len() && name.ends_with(&zone);
    let shown = if name == zone {
        return "@".to_string();
    } else if in_zone {
        name.get(..name.len() - zone.len()).unwrap_or_default()
    } else {
        name.as_slice()
    };
    let text = shown
        .iter()
        .map(|l| zone_file_label(l))
        .collect::<Vec<_>>()
        .join(".");
    if in_zone {
        text
    } else {
        text + "."
    }
}

fn zone_file_label(label: &[u8]) -> String {
    if label == b"*" {
        return "*".to_string();
    }
    let mut out = String::new();
    for &b in label {
        if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("\\{b:03}"));
        }
    }
    out
}

/// Whether wire-form `name` is `apex` or below it.
pub fn is_in_zone(name: &str, apex: &str) -> bool {
    // Without escapes every dot ends a label: a suffix that starts at one is a zone, and no
    // label needs parsing.
    if is_plain_wire_form(name) && is_plain_wire_form(apex) {
        return apex == "." || before_apex(name, apex).is_some();
    }
    labels(name).ends_with(&labels(apex))
}

/// The labels of `name` as bytes: escapes decoded, ASCII lower-cased, Unicode labels in punycode.
fn labels(name: &str) -> Vec<Vec<u8>> {
    let mut labels = Vec::new();
    let mut current: Vec<Piece> = Vec::new();
    let mut chars = name.chars().peekable();
    let mut pending = false;
    while let Some(c) = chars.next() {
        pending = true;
        match c {
            '.' => {
                labels.push(label_bytes(&current));
                current.clear();
                pending = false;
            }
            '\\' => current.push(unescape(&mut chars)),
            c => current.push(Piece::Char(c)),
        }
    }
    if pending {
        labels.push(label_bytes(&current));
    }
    // A lone "." or "" is the root: no labels.
    if labels.len() == 1 && labels.first().is_some_and(|l| l.is_empty()) && !name.contains("..") {
        labels.clear();
    }
    labels
}

/// Decodes what follows a backslash: three octal digits up to `\377`, or a literal character.
fn unescape(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Piece {
    let lookahead: String = chars.clone().take(3).collect();
    if lookahead.len() == 3 && lookahead.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
        if let Ok(byte) = u8::from_str_radix(&lookahead, 8) {
            chars.nth(2);
            return Piece::Byte(byte);
        }
    }
    match chars.next() {
        Some(c) => Piece::Char(c),
        None => Piece::Char('\\'),
    }
}

/// The bytes of one label: punycode when it holds non-ASCII characters, else ASCII lower-cased.
fn label_bytes(pieces: &[Piece]) -> Vec<u8> {
    let unicode = pieces
        .iter()
        .any(|p| matches!(p, Piece::Char(c) if !c.is_ascii()));
    if unicode {
        let text: String = pieces
            .iter()
            .map(|p| match *p {
                Piece::Char(c) => c,
                Piece::Byte(b) => char::from(b),
            })
            .collect::<String>()
            .to_lowercase();
        // Lower-casing may leave plain ASCII (the Kelvin sign becomes `k`): no punycode then.
        if text.is_ascii() {
            return text.into_bytes();
        }
        if let Some(encoded) = punycode_encode(&text) {
            return format!("xn--{encoded}").into_bytes();
        }
    }
    let mut bytes = Vec::new();
    for piece in pieces {
        match *piece {
            Piece::Byte(b) => bytes.push(b.to_ascii_lowercase()),
            Piece::Char(c) => {
                let mut buf = [0u8; 4];
                bytes.extend(
                    c.encode_utf8(&mut buf)
                        .bytes()
                        .map(|b| b.to_ascii_lowercase()),
                );
            }
        }
    }
    bytes
}

fn join_labels(labels: &[Vec<u8>]) -> String {
    if labels.is_empty() {
        return ".".to_string();
    }
    let mut out = String::new();
    for label in labels {
        for &b in label {
            if b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_' {
                out.push(char::from(b));
            } else {
                out.push_str(&format!("\\{b:03o}"));
            }
        }
        out.push('.');
    }
    out
}

/// One label for people: a punycode label decoded when that round-trips, printable ASCII as is,
/// the rest (and `.` and `\`) escaped so that [`normalize`] reads it back unchanged.
fn display_label(label: &[u8]) -> String {
    if let Some(unicode) = decode_idn_label(label) {
        return unicode;
    }
    let mut out = String::new();
    for &b in label {
        if b.is_ascii_graphic() && b != b'.' && b != b'\\' {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("\\{b:03o}"));
        }
    }
    out
}

fn decode_idn_label(label: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(label).ok()?;
    let encoded = text.strip_prefix("xn--")?;
    let decoded = punycode_decode(encoded)?;
    let printable = decoded
        .chars()
        .all(|c| !c.is_control() && c != '.' && c != '\\' && c != ' ');
    let round_trips = punycode_encode(&decoded.to_lowercase()).as_deref() == Some(encoded);
    (printable && round_trips && !decoded.is_ascii()).then_some(decoded)
}

// RFC 3492 parameters.
const BASE: u32 = 36;
const T_MIN: u32 = 1;
const T_MAX: u32 = 26;
const SKEW: u32 = 38;
const DAMP: u32 = 700;
const INITIAL_BIAS: u32 = 72;
const INITIAL_N: u32 = 128;

fn adapt(delta: u32, num_points: u32, first_time: bool) -> u32 {
    let mut delta = if first_time { delta / DAMP } else { delta / 2 };
    delta += delta / num_points;
    let mut k = 0;
    while delta > ((BASE - T_MIN) * T_MAX) / 2 {
        delta /= BASE - T_MIN;
        k += BASE;
    }
    k + (((BASE - T_MIN + 1) * delta) / (delta + SKEW))
}

fn threshold(k: u32, bias: u32) -> u32 {
    if k <= bias {
        T_MIN
    } else if k >= bias + T_MAX {
        T_MAX
    } else {
        k - bias
    }
}

fn encode_digit(d: u32) -> char {
    // 0..25 → a..z, 26..35 → 0..9; d < 36 by construction.
    let byte = if d < 26 {
        b'a' + d as u8
    } else {
        b'0' + (d - 26) as u8
    };
    char::from(byte)
}

fn decode_digit(c: char) -> Option<u32> {
    match c {
        'a'..='z' => Some(c as u32 - 'a' as u32),
        'A'..='Z' => Some(c as u32 - 'A' as u32),
        '0'..='9' => Some(c as u32 - '0' as u32 + 26),
        _ => None,
    }
}

/// RFC 3492 punycode of `input` (without the `xn--` prefix); `None` on arithmetic overflow.
pub fn punycode_encode(input: &str) -> Option<String> {
    let code_points: Vec<u32> = input.chars().map(u32::from).collect();
    let mut output: String = input.chars().filter(char::is_ascii).collect();
    let basic = u32::try_from(output.len()).ok()?;
    if basic > 0 {
        output.push('-');
    }
    let total = u32::try_from(code_points.len()).ok()?;
    let (mut n, mut delta, mut bias, mut handled) = (INITIAL_N, 0u32, INITIAL_BIAS, basic);
    while handled < total {
        let m = code_points.iter().copied().filter(|&c| c >= n).min()?;
        delta = delta.checked_add((m - n).checked_mul(handled + 1)?)?;
        n = m;
        for &c in &code_points {
            if c < n {
                delta = delta.checked_add(1)?;
            }
            if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = threshold(k, bias);
                    if q < t {
                        break;
                    }
                    output.push(encode_digit(t + (q - t) % (BASE - t)));
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                output.push(encode_digit(q));
                bias = adapt(delta, handled + 1, handled == basic);
                delta = 0;
                handled += 1;
            }
        }
        delta = delta.checked_add(1)?;
        n = n.checked_add(1)?;
    }
    Some(output)
}

/// The Unicode string RFC 3492 punycode `input` (without `xn--`) stands for; `None` if invalid.
pub fn punycode_decode(input: &str) -> Option<String> {
    let (basic, extended) = match input.rfind('-') {
        Some(pos) => (input.get(..pos)?, input.get(pos + 1..)?),
        None => ("", input),
    };
    if !basic.is_ascii() {
        return None;
    }
    let mut output: Vec<char> = basic.chars().collect();
    let (mut n, mut i, mut bias) = (INITIAL_N, 0u32, INITIAL_BIAS);
    let mut digits = extended.chars();
    loop {
        let mut peek = digits.clone();
        if peek.next().is_none() {
            break;
        }
        let old_i = i;
        let mut w = 1u32;
        let mut k = BASE;
        loop {
            let digit = decode_digit(digits.next()?)?;
            i = i.checked_add(digit.checked_mul(w)?)?;
            let t = threshold(k, bias);
            if digit < t {
                break;
            }
            w = w.checked_mul(BASE - t)?;
            k += BASE;
        }
        let len = u32::try_from(output.len()).ok()? + 1;
        bias = adapt(i - old_i, len, old_i == 0);
        n = n.checked_add(i / len)?;
        i %= len;
        let position = usize::try_from(i).ok()?;
        output.insert(position, char::from_u32(n)?);
        i += 1;
    }
    Some(output.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_names_take_the_short_way_to_the_same_wire_form() {
        let long_label = "a".repeat(63);
        let longer_label = "a".repeat(64);
        // A name of `len` bytes, `len` odd.
        let name_of = |len: usize| format!("{}tld", "a.".repeat((len - 3) / 2));
        let names = [
            "www".to_string(),
            "www.example.tld.".into(),
            "_dmarc".into(),
            "-x-".into(),
            "0.1".into(),
            "xn--bcher-kva".into(),
            "".into(),
            ".".into(),
            "..".into(),
            ".www".into(),
            "a..b".into(),
            "www..".into(),
            "WWW".into(),
            "*.www".into(),
            long_label.clone(),
            longer_label,
            format!("{long_label}.{long_label}.{long_label}.{long_label}"),
            name_of(251),
            name_of(253),
            name_of(255),
        ];
        let mut short = 0;
        for name in &names {
            assert_eq!(to_wire(name), checked_wire_form(name), "{name:?}");
            short += usize::from(plain_to_wire(name).is_some());
        }
        assert_eq!(short, 9);
    }

    #[test]
    fn zone_file_relative_names() {
        let apex = "example.tld.";
        assert_eq!(zone_file_relative("example.tld.", apex), "@");
        assert_eq!(zone_file_relative("\\052.example.tld.", apex), "*");
        assert_eq!(
            zone_file_relative("bücher.example.tld.", apex),
            "xn--bcher-kva"
        );
        assert_eq!(zone_file_relative("a\\056b.example.tld.", apex), "a\\046b");
        assert_eq!(zone_file_relative("other.tld.", apex), "other.tld.");
        assert_eq!(zone_file_relative("x\\052.tld.", apex), "x\\042.tld.");
    }

    /// Every string of up to five bytes over `a.-_0` and a few others: the shortcut for names
    /// already in wire form must give what the full conversion gives.
    #[test]
    fn plain_wire_form_shortcut_agrees_with_the_full_conversion() {
        let alphabet = ["a", ".", "-", "_", "0", "A", "*", "\\"];
        let mut names = vec![String::new()];
        for _ in 0..5 {
            let longer: Vec<String> = names
                .iter()
                .flat_map(|n| alphabet.iter().map(move |c| format!("{n}{c}")))
                .collect();
            names.extend(longer);
        }
        names.sort();
        names.dedup();
        let mut shortcuts = 0;
        for name in &names {
            if is_plain_wire_form(name) {
                shortcuts += 1;
                assert_eq!(join_labels(&labels(name)), *name, "{name:?}");
            }
        }
        assert!(shortcuts > 100, "only {shortcuts} names took the shortcut");
    }

    #[test]
    fn a_name_joins_its_zone_only_with_complete_escapes() {
        assert_eq!(join("a\\\\b", "ex.tld.").unwrap(), "a\\134b.ex.tld.");
        assert_eq!(join("\\052", "ex.tld.").unwrap(), "\\052.ex.tld.");
        for bad in [
            "evil\\",
            "test\\\\\\",
            "x\\0",
            "x\\05",
            "x\\05a",
            "x\\400",
            "x\\8",
        ] {
            let err = join(bad, "ex.tld.").unwrap_err();
            assert!(err.contains("backslash"), "{bad:?}: {err}");
            assert!(to_wire(bad).is_err(), "{bad:?}");
        }
        assert!(join("evil\\", "ex.tld.")
            .unwrap_err()
            .contains("ends in a lone backslash"));
    }

    #[test]
    fn normalize_case_and_trailing_dot() {
        assert_eq!(normalize("WWW.Example.TLD"), "www.example.tld.");
        assert_eq!(normalize("www.example.tld."), "www.example.tld.");
        assert_eq!(normalize("."), ".");
        assert_eq!(normalize(""), ".");
    }

    #[test]
    fn normalize_wildcard_and_escapes() {
        assert_eq!(normalize("*.example.tld"), "\\052.example.tld.");
        assert_eq!(normalize("\\052.example.tld."), "\\052.example.tld.");
        assert_eq!(normalize("*.x"), normalize("\\052.x."));
        // Escapes of letters decode (and lower-case); other bytes stay escaped, in octal.
        assert_eq!(normalize("\\101b.x"), "ab.x.");
        assert_eq!(normalize("a b.x"), "a\\040b.x.");
        assert_eq!(normalize("a\\.b.x"), "a\\056b.x.");
        assert_eq!(normalize("f\\374bar.x"), "f\\374bar.x.");
        assert_eq!(normalize("_dmarc.x"), "_dmarc.x.");
    }

    #[test]
    fn normalize_idn_both_ways() {
        assert_eq!(normalize("bücher.example"), "xn--bcher-kva.example.");
        assert_eq!(normalize("BÜCHER.example."), "xn--bcher-kva.example.");
        assert_eq!(display("xn--bcher-kva.example."), "bücher.example");
        assert_eq!(normalize("\u{212A}ey.x"), "key.x.");
        assert_eq!(display("\\052.xn--bcher-kva.example."), "*.bücher.example");
        // A punycode label that does not round-trip through lower case stays as written.
        let upper = punycode_encode("bÜcher").unwrap();
        assert_eq!(
            display(&format!("xn--{upper}.x.")),
            format!("xn--{upper}.x")
        );
    }

    #[test]
    fn display_round_trips_through_normalize() {
        for wire in [
            "\\052.example.tld.",
            "a\\056b.x.",
            "a\\134b.x.",
            "f\\374bar.x.",
            "xn--bcher-kva.example.",
            "a\\040b.x.",
        ] {
            assert_eq!(normalize(&display(wire)), wire, "{wire}");
        }
        assert_eq!(display("."), ".");
    }

    #[test]
    fn relative_names() {
        let apex = "example.tld.";
        assert_eq!(relative("example.tld.", apex), "@");
        assert_eq!(relative("www.example.tld.", apex), "www");
        assert_eq!(relative("a.b.example.tld.", apex), "a.b");
        assert_eq!(relative("\\052.example.tld.", apex), "*");
        assert_eq!(relative("other.tld.", apex), "other.tld.");
        assert_eq!(relative("notexample.tld.", apex), "notexample.tld.");
        assert_eq!(
            relative("example.tld.example.tld.", apex),
            "example.tld.example.tld."
        );
        assert_eq!(relative("xn--bcher-kva.example.tld.", apex), "bücher");
    }

    #[test]
    fn to_wire_checks_lengths() {
        let long_label = "a".repeat(64);
        assert!(to_wire(&format!("{long_label}.x"))
            .unwrap_err()
            .contains("64 bytes"));
        assert!(to_wire(&format!("{}.x", "a".repeat(63))).is_ok());
        let long_name = vec!["a".repeat(60); 5].join(".");
        assert!(to_wire(&long_name).unwrap_err().contains("limit is 255"));
        assert!(to_wire("a..b").unwrap_err().contains("empty label"));
        assert_eq!(to_wire("A.b").unwrap(), "a.b.");
    }

    #[test]
    fn in_zone() {
        assert!(is_in_zone("www.example.tld.", "example.tld."));
        assert!(is_in_zone("example.tld.", "example.tld."));
        assert!(!is_in_zone("notexample.tld.", "example.tld."));
        let names = [
            ".",
            "tld.",
            "example.tld.",
            "www.example.tld.",
            "a.b.example.tld.",
            "xample.tld.",
            "www.Example.tld.",
            "\\052.example.tld.",
            "a\\.example.tld.",
            "a..b.",
            "a...",
            "..",
        ];
        // The shortcut for names without escapes or capitals agrees with comparing labels.
        for name in names {
            for apex in names {
                let by_labels = labels(name).ends_with(&labels(apex));
                assert_eq!(is_in_zone(name, apex), by_labels, "{name} in {apex}");
            }
        }
    }

    /// RFC 3492 section 7.1 samples (code points → punycode).
    #[test]
    fn punycode_rfc3492_samples() {
        let samples: [(&[u32], &str); 5] = [
            // (A) Arabic (Egyptian)
            (
                &[
                    0x0644, 0x064A, 0x0647, 0x0645, 0x0627, 0x0628, 0x062A, 0x0643, 0x0644, 0x0645,
                    0x0648, 0x0634, 0x0639, 0x0631, 0x0628, 0x064A, 0x061F,
                ],
                "egbpdaj6bu4bxfgehfvwxn",
            ),
            // (B) Chinese (simplified)
            (
                &[
                    0x4ED6, 0x4EEC, 0x4E3A, 0x4EC0, 0x4E48, 0x4E0D, 0x8BF4, 0x4E2D, 0x6587,
                ],
                "ihqwcrb4cv8a8dqg056pqjye",
            ),
            // (L) 3<nen>B<gumi><kinpachi><sensei>
            (
                &[
                    0x0033, 0x5E74, 0x0042, 0x7D44, 0x91D1, 0x516B, 0x5148, 0x751F,
                ],
                "3B-ww4c5e180e575a65lsy2b",
            ),
            // (P) Maji<de>Koi<suru>5<byou><mae>
            (
                &[
                    0x004D, 0x0061, 0x006A, 0x0069, 0x3067, 0x004B, 0x006F, 0x0069, 0x3059, 0x308B,
                    0x0035, 0x79D2, 0x524D,
                ],
                "MajiKoi5-783gue6qz075azm5e",
            ),
            // (S) -> $1.00 <-
            (
                &[
                    0x002D, 0x003E, 0x0020, 0x0024, 0x0031, 0x002E, 0x0030, 0x0030, 0x0020, 0x003C,
                    0x002D,
                ],
                "-> $1.00 <--",
            ),
        ];
        for (points, encoded) in samples {
            let text: String = points.iter().filter_map(|&p| char::from_u32(p)).collect();
            assert_eq!(
                punycode_encode(&text).as_deref(),
                Some(encoded),
                "{encoded}"
            );
            assert_eq!(punycode_decode(encoded).as_deref(), Some(text.as_str()));
        }
    }

    #[test]
    fn punycode_rejects_garbage() {
        assert_eq!(punycode_decode("a-!"), None);
        assert_eq!(punycode_decode("99999999999999"), None);
        assert_eq!(punycode_decode("bcher-kva").as_deref(), Some("bücher"));
    }
}
