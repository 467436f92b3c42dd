//! BIND zone files written from live record sets (`get-zones --format bind`). Alias record sets
//! and routing policies have no BIND syntax; they are written as comments so nothing is hidden.

use crate::model::{HostedZone, RecordSet};

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
    let owner = crate::name::relative(&rs.name, apex);
    if rs.alias.is_some() || rs.set_identifier.is_some() {
        return format!("; {}\n", crate::output::describe(rs));
    }
    let ttl = rs.ttl.unwrap_or_default();
    rs.values
        .iter()
        .map(|value| format!("{owner}\t{ttl}\tIN\t{}\t{value}\n", rs.rtype))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_plain_record_sets_and_comments_the_rest() {
        let zone = HostedZone {
            id: "Z1".into(),
            name: "example.tld.".into(),
            private: false,
            record_set_count: None,
            comment: None,
        };
        let mut weighted = RecordSet::simple("api.example.tld.", "A", 60, vec!["1.1.1.1".into()]);
        weighted.set_identifier = Some("eu".into());
        weighted.routing = Some(crate::model::Routing::Weighted { weight: 5 });
        let text = zone_file(
            &zone,
            &[
                RecordSet::simple("example.tld.", "MX", 300, vec!["10 mx.example.tld.".into()]),
                RecordSet::simple(
                    "www.example.tld.",
                    "A",
                    300,
                    vec!["1.2.3.4".into(), "5.6.7.8".into()],
                ),
                weighted,
            ],
        );
        assert_eq!(
            text,
            "$ORIGIN example.tld.\n; Route 53 hosted zone Z1 (public)\n\
             @\t300\tIN\tMX\t10 mx.example.tld.\n\
             www\t300\tIN\tA\t1.2.3.4\n\
             www\t300\tIN\tA\t5.6.7.8\n\
             ; api.example.tld A [eu weight=5] 60 1.1.1.1\n\n"
        );
    }
}
