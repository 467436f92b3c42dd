//! Every parser of Route 53 answers, on the same bytes: a result or an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use r53ctl::route53::{protection, xml};

fuzz_target!(|body: &[u8]| {
    let _ = xml::parse_list_hosted_zones(body);
    let _ = xml::parse_list_hosted_zones_by_name(body);
    let _ = xml::parse_get_hosted_zone(body);
    let _ = xml::parse_hosted_zone_count(body);
    let _ = xml::parse_create_hosted_zone(body);
    let _ = xml::parse_change_info(body);
    let _ = xml::parse_list_record_sets(body);
    let _ = xml::parse_error(body);
    let _ = protection::parse_list_protections(body);
});
