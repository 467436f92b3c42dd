//! BIND zone files written from live record sets (`get-zones --format bind`). Alias record sets
//! and routing policies have no BIND syntax; they are written as comments so nothing is hidden.
//!
//! May import: `model`, `name`, `output`, `rdata`, `rtype`.

use crate::model::{HostedZone, RecordSet};
use crate::rtype::RecordType;

/// The zone file of `zone` holding `record_sets`.
pub fn zone_file(zone: &HostedZone, record_sets: &[RecordSet]) -> String {
    let mut text = format!(
        "$ORIGIN {}\n; Route 53 hosted zone {} ({})\n",
        zone.name,
        zone.id,
        if zone.private { "private" } else { "public" }
    );
    for rs in record_sets {
        text.push_str(&record_set_lines(&zone.name, rs));
    }
    text.push('\n');
    text
}

fn record_set_lines(apex: &str, rs: &RecordSet) -> String {
    if rs.alias().is_some() || rs.set_identifier().is_some() {
        return format!("; {}\n", crate::output::describe(rs));
    }
    let owner = crate::name::zone_file_relative(&rs.name, apex);
    let ttl = rs.ttl.unwrap_or_default();
    rs.values
        .iter()
        .map(|value| {
            let value = zone_file_value(rs.rtype, value);
            format!("{owner}\t{ttl}\tIN\t{}\t{value}\n", rs.rtype)
        })
        .collect()
}

/// A wire-form value as a zone file writes it: host names fully qualified (Route 53 may store
/// them without the final dot, which a zone file would read as relative to `$ORIGIN`), and the
/// octal `\ddd` escapes of Route 53 turned into the decimal `\DDD` of zone files.
fn zone_file_value(rtype: RecordType, value: &str) -> String {
    let canonical = crate::rdata::canonical(rtype, value);
    let mut out = String::with_capacity(canonical.len());
    let mut rest = canonical.as_str();
    while let Some(at) = rest.find('\\') {
        let (before, escape) = rest.split_at(at);
        out.push_str(before);
        let digits = escape
            .get(1..4)
            .filter(|d| d.bytes().all(|b| (b'0'..=b'7').contains(&b)));
        match digits.and_then(|d| u8::from_str_radix(d, 8).ok()) {
            Some(byte) => {
                out.push_str(&format!("\\{byte:03}"));
                rest = escape.get(4..).unwrap_or_default();
            }
            None => {
                let escaped_len = escape.chars().nth(1).map_or(1, |c| 1 + c.len_utf8());
                out.push_str(escape.get(..escaped_len).unwrap_or(escape));
                rest = escape.get(escaped_len..).unwrap_or_default();
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_plain_record_sets_in_zone_file_form_and_comments_the_rest() {
        let zone = HostedZone::example();
        let weighted = RecordSet::simple(
            "api.example.tld.",
            RecordType::A,
            60,
            vec!["1.1.1.1".into()],
        )
        .with_set_identifier("eu")
        .with_routing(crate::model::Routing::Weighted { weight: 5 });
        let text = zone_file(
            &zone,
            &[
                RecordSet::simple(
                    "example.tld.",
                    RecordType::MX,
                    300,
                    vec!["10 mx.example.tld.".into()],
                ),
                RecordSet::simple(
                    "www.example.tld.",
                    RecordType::A,
                    300,
                    vec!["1.2.3.4".into(), "5.6.7.8".into()],
                ),
                weighted,
                RecordSet::simple(
                    "\\052.example.tld.",
                    RecordType::CNAME,
                    60,
                    vec!["www.other.tld".into()],
                ),
                RecordSet::simple(
                    "xn--bcher-kva.example.tld.",
                    RecordType::NS,
                    60,
                    vec!["ns.other.tld".into()],
                ),
                RecordSet::simple(
                    "a\\040b.example.tld.",
                    RecordType::TXT,
                    60,
                    vec!["\"tab\\011 \\\"q\\\" \\\\\"".into()],
                ),
            ],
        );
        assert_eq!(
            text,
            "$ORIGIN example.tld.\n; Route 53 hosted zone Z1 (public)\n\
             @\t300\tIN\tMX\t10 mx.example.tld.\n\
             www\t300\tIN\tA\t1.2.3.4\n\
             www\t300\tIN\tA\t5.6.7.8\n\
             ; api.example.tld A [eu weight=5] 60 1.1.1.1\n\
             *\t60\tIN\tCNAME\twww.other.tld.\n\
             xn--bcher-kva\t60\tIN\tNS\tns.other.tld.\n\
             a\\032b\t60\tIN\tTXT\t\"tab\\009 \\\"q\\\" \\\\\"\n\n"
        );
    }
}
