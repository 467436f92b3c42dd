use super::*;
use crate::model::{Action, Vpc};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/fixtures/route53/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn find<'a>(sets: &'a [RecordSet], name: &str, id: Option<&str>) -> &'a RecordSet {
    sets.iter()
        .find(|rs| &*rs.name == name && rs.set_identifier() == id)
        .unwrap_or_else(|| panic!("{name} {id:?} not parsed"))
}

#[test]
fn list_hosted_zones_first_page_has_an_opaque_marker() {
    let page = parse_list_hosted_zones(&fixture("list_hosted_zones_page1.xml")).unwrap();
    assert_eq!(
        page.next_marker.as_deref(),
        Some("AYADeHdhLWE9PT1_opaque+/token==")
    );
    assert_eq!(
        page.zones,
        vec![
            HostedZone {
                id: "Z0123456789ABCDEFGHIJ".into(),
                name: "example.com.".into(),
                private: false,
                record_set_count: Some(12),
                comment: Some("main site".into()),
            },
            HostedZone {
                id: "Z9876543210ZYXWVUTSRQ".into(),
                name: "example.com.".into(),
                private: true,
                record_set_count: Some(3),
                comment: Some("internal view".into()),
            },
        ]
    );
}

#[test]
fn list_hosted_zones_last_page_and_unpaged_listing() {
    let page = parse_list_hosted_zones(&fixture("list_hosted_zones_page2.xml")).unwrap();
    assert_eq!(page.next_marker, None);
    assert_eq!(page.zones.len(), 1);
    assert_eq!(page.zones[0].name, "xn--bcher-kva.example.");
    assert_eq!(page.zones[0].comment, None);

    let single = parse_list_hosted_zones(&fixture("list_hosted_zones_single.xml")).unwrap();
    assert_eq!(single.next_marker, None);
    assert_eq!(single.zones[0].id, "Z1D633PJN98FT9");
    assert_eq!(
        single.zones[0].comment.as_deref(),
        Some("Tom & Jerry's <zone>")
    );
}

#[test]
fn list_hosted_zones_by_name_pages() {
    let page = parse_list_hosted_zones_by_name(&fixture("list_hosted_zones_by_name.xml")).unwrap();
    assert_eq!(page.zones.len(), 2);
    assert_eq!(
        page.next,
        Some(("example.com.".into(), "Z2ABCDEFEXAMPLE".into()))
    );
    let last =
        parse_list_hosted_zones_by_name(&fixture("list_hosted_zones_by_name_last.xml")).unwrap();
    assert_eq!(last.next, None);
    assert_eq!(last.zones[1].name, "example.net.");
}

#[test]
fn get_and_create_hosted_zone() {
    let zone = parse_get_hosted_zone(&fixture("get_hosted_zone.xml")).unwrap();
    assert_eq!(zone.id, "Z0123456789ABCDEFGHIJ");
    let created = parse_create_hosted_zone(&fixture("create_hosted_zone.xml")).unwrap();
    assert_eq!(created.zone.id, "Z1PA6795UKMFR9");
    assert_eq!(created.change.id, "C1PA6795UKMFR9");
    assert_eq!(created.change.status, "PENDING");
    assert_eq!(created.name_servers.len(), 4);
    assert_eq!(created.name_servers[3], "ns-2051.awsdns-67.co.uk");
}

#[test]
fn change_info_of_change_and_get_change() {
    let change = parse_change_info(&fixture("change_resource_record_sets.xml")).unwrap();
    assert_eq!(
        change,
        ChangeInfo {
            id: "C2682N5HXP0BZ4".into(),
            status: "PENDING".into(),
            submitted_at: "2026-11-26T23:31:00.519Z".into(),
        }
    );
    let done = parse_change_info(&fixture("get_change.xml")).unwrap();
    assert_eq!(done.status, "INSYNC");
}

#[test]
fn record_sets_of_every_routing_policy() {
    let page = parse_list_record_sets(&fixture("list_record_sets_routing.xml")).unwrap();
    let sets = &page.record_sets;
    assert_eq!(sets.len(), 19);
    assert_eq!(
        page.next,
        Some(RecordPosition {
            name: "weighted.example.com.".into(),
            rtype: RecordType::AAAA,
            identifier: Some("w-2".into()),
        })
    );

    let apex_alias = find(sets, "example.com.", None);
    assert_eq!(apex_alias.ttl, None);
    assert!(apex_alias.values.is_empty());
    assert_eq!(
        apex_alias.alias(),
        Some(&AliasTarget {
            hosted_zone_id: "Z2FDTNDATAQYW2".into(),
            dns_name: "d111111abcdef8.cloudfront.net.".into(),
            evaluate_target_health: false,
        })
    );

    let txt = sets.iter().find(|rs| rs.rtype == RecordType::TXT).unwrap();
    assert_eq!(&*txt.values[1], r#""say \"hi\" & <bye>" "part two""#);

    let wildcard = find(sets, "\\052.example.com.", None);
    assert_eq!(wildcard.rtype, RecordType::CNAME);
    assert_eq!(wildcard.ttl, Some(60));

    let blue = find(sets, "api.example.com.", Some("blue"));
    assert_eq!(blue.routing(), Some(&Routing::Weighted { weight: 90 }));
    assert_eq!(
        blue.health_check_id(),
        Some("abcdef11-2222-3333-4444-555555fedcba")
    );
    let green = find(sets, "api.example.com.", Some("green"));
    assert_eq!(green.routing(), Some(&Routing::Weighted { weight: 0 }));

    let latency = find(sets, "app.example.com.", Some("eu"));
    assert_eq!(
        latency.routing(),
        Some(&Routing::Latency {
            region: "eu-west-1".into()
        })
    );
    assert!(latency.alias().unwrap().evaluate_target_health);

    assert_eq!(
        find(sets, "geo.example.com.", Some("us-wa")).routing(),
        Some(&Routing::Geolocation {
            continent: None,
            country: Some("US".into()),
            subdivision: Some("WA".into()),
        })
    );
    assert_eq!(
        find(sets, "geo.example.com.", Some("europe")).routing(),
        Some(&Routing::Geolocation {
            continent: Some("EU".into()),
            country: None,
            subdivision: None,
        })
    );
    assert_eq!(
        find(sets, "ha.example.com.", Some("secondary")).routing(),
        Some(&Routing::Failover {
            role: "SECONDARY".into()
        })
    );
    assert_eq!(
        find(sets, "near.example.com.", Some("seattle")).routing(),
        Some(&Routing::Geoproximity {
            aws_region: None,
            local_zone_group: None,
            coordinates: Some(("47.61".into(), "-122.33".into())),
            bias: Some(-10),
        })
    );
    assert_eq!(
        find(sets, "near.example.com.", Some("frankfurt")).routing(),
        Some(&Routing::Geoproximity {
            aws_region: Some("eu-central-1".into()),
            local_zone_group: None,
            coordinates: None,
            bias: Some(25),
        })
    );
    assert_eq!(
        find(sets, "near.example.com.", Some("lax")).routing(),
        Some(&Routing::Geoproximity {
            aws_region: None,
            local_zone_group: Some("us-west-2-lax-1".into()),
            coordinates: None,
            bias: None,
        })
    );
    assert_eq!(
        find(sets, "net.example.com.", Some("office")).routing(),
        Some(&Routing::Cidr {
            collection_id: "c8c02a84-aaaa-bbbb-e0d2-d833a2f80106".into(),
            location_name: "office".into(),
        })
    );
    assert_eq!(
        find(sets, "multi.example.com.", Some("m1")).routing(),
        Some(&Routing::MultiValue)
    );
    let traffic = find(sets, "tp.example.com.", None);
    assert_eq!(
        traffic.traffic_policy_instance_id(),
        Some("12345678-abcd-abcd-abcd-123456789012")
    );
}

#[test]
fn last_record_page_has_no_next_position() {
    let page = parse_list_record_sets(&fixture("list_record_sets_last.xml")).unwrap();
    assert_eq!(page.next, None);
    assert_eq!(page.record_sets[0].values, vec!["2001:db8::2".to_string()]);
}

#[test]
fn error_response_of_every_usual_code() {
    let cases = [
        ("invalid_client_token_id", "InvalidClientTokenId", "1"),
        ("signature_does_not_match", "SignatureDoesNotMatch", "2"),
        ("expired_token", "ExpiredToken", "3"),
        ("access_denied", "AccessDenied", "4"),
        ("request_time_too_skewed", "RequestTimeTooSkewed", "5"),
        ("no_such_hosted_zone", "NoSuchHostedZone", "6"),
        ("invalid_change_batch", "InvalidChangeBatch", "7"),
        ("throttling", "Throttling", "8"),
        ("prior_request_not_complete", "PriorRequestNotComplete", "9"),
    ];
    for (file, code, id_suffix) in cases {
        let body = parse_error(&fixture(&format!("error_{file}.xml"))).unwrap();
        assert_eq!(body.code, code);
        assert_eq!(body.messages.len(), 1, "{file}");
        assert!(!body.messages[0].is_empty());
        assert_eq!(
            body.request_id,
            Some(format!("0b1c2d3e-1111-4a5b-8c9d-00000000000{id_suffix}"))
        );
    }
}

#[test]
fn invalid_change_batch_keeps_every_message() {
    let body = parse_error(&fixture("error_invalid_change_batch_messages.xml")).unwrap();
    assert_eq!(body.code, "InvalidChangeBatch");
    assert_eq!(body.messages.len(), 2);
    assert!(body.messages[1].contains("old.example.com."));
    assert_eq!(
        body.request_id.as_deref(),
        Some("0b1c2d3e-1111-4a5b-8c9d-00000000000a")
    );
}

#[test]
fn non_xml_bodies_are_not_error_documents() {
    assert_eq!(parse_error(&fixture("error_proxy_page.html")), None);
    assert_eq!(parse_error(b""), None);
    assert_eq!(parse_error(b"<a><b></a>"), None);
}

#[test]
fn unknown_record_types_are_errors_that_name_them() {
    let set = b"<L><ResourceRecordSets><ResourceRecordSet><Name>a.</Name><Type>LOC</Type>\
                </ResourceRecordSet></ResourceRecordSets></L>";
    assert_eq!(
        parse_list_record_sets(set).unwrap_err(),
        "a.: <Type>LOC</Type>: unknown record type \"LOC\""
    );
    let next = b"<L><IsTruncated>true</IsTruncated><NextRecordName>a.</NextRecordName>\
                 <NextRecordType>LOC</NextRecordType></L>";
    assert_eq!(
        parse_list_record_sets(next).unwrap_err(),
        "<NextRecordType>LOC</NextRecordType>: unknown record type \"LOC\""
    );
}

#[test]
fn malformed_documents_are_errors_not_panics() {
    for body in [
        &b""[..],
        b"<ListResourceRecordSetsResponse>",
        b"<a>&bogus;</a>",
        b"\xff\xfe",
        b"<ListResourceRecordSetsResponse><ResourceRecordSets><ResourceRecordSet><Type>A</Type></ResourceRecordSet></ResourceRecordSets></ListResourceRecordSetsResponse>",
        b"<L><ResourceRecordSets><ResourceRecordSet><Name>a.</Name><Type>A</Type><TTL>-1</TTL></ResourceRecordSet></ResourceRecordSets></L>",
        b"<L><IsTruncated>true</IsTruncated></L>",
    ] {
        assert!(parse_list_record_sets(body).is_err(), "{body:?}");
    }
}

fn record(name: &str, rtype: RecordType) -> RecordSet {
    RecordSet::simple(name, rtype, 300, vec!["192.0.2.1".into()])
}

/// Record sets of every shape the model can hold.
fn every_shape() -> Vec<RecordSet> {
    let routed = |id: &str, routing: Routing| {
        record("r.example.com.", RecordType::A)
            .with_set_identifier(id)
            .with_routing(routing)
            .with_health_check_id("11111111-2222-3333-4444-555555555555")
    };
    vec![
        record("\\052.example.com.", RecordType::A),
        RecordSet::simple(
            "txt.example.com.",
            RecordType::TXT,
            300,
            vec![
                r#""<tag> & \"quoted\" ]]> 'x'""#.into(),
                "\"second\" \"third\"".into(),
            ],
        ),
        RecordSet::aliased(
            "example.com.",
            RecordType::AAAA,
            AliasTarget {
                hosted_zone_id: "Z2FDTNDATAQYW2".into(),
                dns_name: "d1.cloudfront.net.".into(),
                evaluate_target_health: true,
            },
        ),
        routed("w", Routing::Weighted { weight: 7 }),
        routed(
            "l",
            Routing::Latency {
                region: "ap-southeast-2".into(),
            },
        ),
        routed(
            "f",
            Routing::Failover {
                role: "PRIMARY".into(),
            },
        ),
        routed(
            "g",
            Routing::Geolocation {
                continent: None,
                country: Some("US".into()),
                subdivision: Some("CA".into()),
            },
        ),
        routed(
            "p",
            Routing::Geoproximity {
                aws_region: Some("us-east-1".into()),
                local_zone_group: Some("us-east-1-bos-1".into()),
                coordinates: Some(("42.36".into(), "-71.06".into())),
                bias: Some(-99),
            },
        ),
        routed("m", Routing::MultiValue),
        routed(
            "c",
            Routing::Cidr {
                collection_id: "c8c02a84-aaaa-bbbb-e0d2-d833a2f80106".into(),
                location_name: "site \"<1>\"".into(),
            },
        ),
        record("tp.example.com.", RecordType::A).with_traffic_policy_instance_id("12345678-abcd"),
    ]
}

#[test]
fn change_batch_round_trips_every_shape() {
    let shapes = every_shape();
    let changes: Vec<ChangeAction> = shapes
        .iter()
        .zip(
            [Action::Create, Action::Delete, Action::Upsert]
                .into_iter()
                .cycle(),
        )
        .map(|(record_set, action)| ChangeAction { action, record_set })
        .collect();
    let body = change_batch_request(&changes, "push by r53ctl <&> ]]>");
    let root = parse_document(&body).unwrap();
    assert_eq!(root.name, "ChangeResourceRecordSetsRequest");
    let batch = root.child("ChangeBatch").unwrap();
    assert_eq!(batch.text_of("Comment"), Some("push by r53ctl <&> ]]>"));
    let parsed: Vec<(Action, RecordSet)> = batch
        .child("Changes")
        .unwrap()
        .children("Change")
        .map(|change| {
            let action = match change.text_of("Action").unwrap() {
                "CREATE" => Action::Create,
                "DELETE" => Action::Delete,
                _ => Action::Upsert,
            };
            let record_set = record_set(change.child("ResourceRecordSet").unwrap()).unwrap();
            (action, record_set)
        })
        .collect();
    let sent: Vec<(Action, RecordSet)> = changes
        .iter()
        .map(|c| (c.action, c.record_set.clone()))
        .collect();
    assert_eq!(parsed, sent);
}

#[test]
fn request_carries_namespace_and_escapes_markup() {
    let txt = RecordSet::simple(
        "t.example.com.",
        RecordType::TXT,
        300,
        vec!["\"</Value></ResourceRecord><x>&amp;]]>\"".into()],
    );
    let changes = [ChangeAction {
        action: Action::Upsert,
        record_set: &txt,
    }];
    let body = String::from_utf8(change_batch_request(&changes, "")).unwrap();
    assert!(body.contains(r#"xmlns="https://route53.amazonaws.com/doc/2013-04-01/""#));
    assert!(!body.contains("<x>"), "{body}");
    assert!(body.contains("&lt;/Value&gt;"), "{body}");
    assert!(body.contains("&amp;amp;"), "{body}");
    assert!(!body.contains("]]>"), "{body}");
    assert!(!body.contains("<Comment>"), "an empty comment is left out");
}

#[test]
fn record_set_elements_follow_the_schema_order() {
    let geoproximity = record("o.example.com.", RecordType::A)
        .with_set_identifier("p")
        .with_routing(Routing::Geoproximity {
            aws_region: Some("us-east-1".into()),
            local_zone_group: None,
            coordinates: None,
            bias: Some(5),
        })
        .with_health_check_id("hc");
    let changes = [ChangeAction {
        action: Action::Create,
        record_set: &geoproximity,
    }];
    let body = String::from_utf8(change_batch_request(&changes, "c")).unwrap();
    let order = [
        "<Comment>",
        "<Action>",
        "<Name>",
        "<Type>",
        "<SetIdentifier>",
        "<TTL>",
        "<ResourceRecords>",
        "<HealthCheckId>",
        "<GeoProximityLocation>",
        "<AWSRegion>",
        "<Bias>",
    ];
    let positions: Vec<usize> = order.iter().map(|tag| body.find(tag).unwrap()).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{body}");

    let weighted = record("o.example.com.", RecordType::A)
        .with_set_identifier("w")
        .with_routing(Routing::Weighted { weight: 1 });
    let weighted = [ChangeAction {
        action: Action::Create,
        record_set: &weighted,
    }];
    let body = String::from_utf8(change_batch_request(&weighted, "")).unwrap();
    assert!(body.find("<Weight>").unwrap() < body.find("<TTL>").unwrap());
}

#[test]
fn create_hosted_zone_request_shape() {
    let zone = |caller_reference, comment| NewZone {
        name: "example.com.",
        caller_reference,
        comment,
        ..NewZone::default()
    };
    let body = create_hosted_zone_request(&zone("ref-1", Some("a & b")));
    let root = parse_document(&body).unwrap();
    assert_eq!(root.name, "CreateHostedZoneRequest");
    assert_eq!(root.text_of("Name"), Some("example.com."));
    assert_eq!(root.text_of("CallerReference"), Some("ref-1"));
    assert_eq!(
        root.child("HostedZoneConfig").unwrap().text_of("Comment"),
        Some("a & b")
    );
    let bare = create_hosted_zone_request(&zone("ref-2", None));
    let bare = parse_document(&bare).unwrap();
    assert!(bare.child("HostedZoneConfig").is_none());
    assert!(bare.child("VPC").is_none() && bare.child("DelegationSetId").is_none());
}

#[test]
fn private_zone_and_delegation_set_requests() {
    let vpc = Vpc {
        id: "vpc-1a2b3c4d".into(),
        region: "eu-west-1".into(),
    };
    let private = NewZone {
        name: "internal.example.",
        caller_reference: "ref-3",
        vpc: Some(&vpc),
        ..NewZone::default()
    };
    let request = create_hosted_zone_request(&private);
    let root = parse_document(&request).unwrap();
    let names: Vec<&str> = root.children.iter().map(|c| c.name.as_ref()).collect();
    assert_eq!(
        names,
        ["Name", "VPC", "CallerReference", "HostedZoneConfig"],
        "schema order"
    );
    let written = root.child("VPC").unwrap();
    assert_eq!(written.text_of("VPCRegion"), Some("eu-west-1"));
    assert_eq!(written.text_of("VPCId"), Some("vpc-1a2b3c4d"));
    let config = root.child("HostedZoneConfig").unwrap();
    assert_eq!(config.text_of("PrivateZone"), Some("true"));
    assert_eq!(config.text_of("Comment"), None);

    let reusable = NewZone {
        name: "example.com.",
        caller_reference: "ref-4",
        delegation_set_id: Some("/delegationset/N1PA6795SAMPLE"),
        ..NewZone::default()
    };
    let request = create_hosted_zone_request(&reusable);
    let root = parse_document(&request).unwrap();
    assert_eq!(root.text_of("DelegationSetId"), Some("N1PA6795SAMPLE"));

    let request = associate_vpc_request(&vpc);
    let associate = parse_document(&request).unwrap();
    assert_eq!(associate.name, "AssociateVPCWithHostedZoneRequest");
    assert_eq!(
        associate.child("VPC").unwrap().text_of("VPCId"),
        Some("vpc-1a2b3c4d")
    );
}

#[test]
fn delegation_set_of_a_public_zone_and_none_of_a_private_one() {
    let servers = parse_delegation_set(&fixture("get_hosted_zone.xml")).unwrap();
    assert_eq!(servers.len(), 4);
    assert_eq!(servers[0], "ns-2048.awsdns-64.com");
    let private = br#"<GetHostedZoneResponse><HostedZone><Id>/hostedzone/Z2</Id><Name>in.example.</Name><Config><PrivateZone>true</PrivateZone></Config></HostedZone><VPCs><VPC><VPCRegion>eu-west-1</VPCRegion><VPCId>vpc-1</VPCId></VPC></VPCs></GetHostedZoneResponse>"#;
    assert_eq!(parse_delegation_set(private).unwrap(), Vec::<String>::new());
}

/// Every prefix of `body` at up to ~300 evenly spread cut points, plus the whole.
fn cuts(body: &[u8]) -> impl Iterator<Item = &[u8]> {
    let step = (body.len() / 300).max(1);
    (0..body.len())
        .step_by(step)
        .chain([body.len()])
        .map(move |end| &body[..end])
}

#[test]
fn cut_responses_parse_or_fail_without_panicking() {
    let dir = format!("{}/fixtures/route53", env!("CARGO_MANIFEST_DIR"));
    let mut files = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{dir}: {e}")) {
        let body = std::fs::read(entry.expect("directory entry").path()).expect("fixture");
        files += 1;
        for cut in cuts(&body) {
            // Each must return (Ok or Err); a panic fails the test.
            let _ = parse_list_hosted_zones(cut);
            let _ = parse_list_hosted_zones_by_name(cut);
            let _ = parse_get_hosted_zone(cut);
            let _ = parse_hosted_zone_count(cut);
            let _ = parse_create_hosted_zone(cut);
            let _ = parse_change_info(cut);
            let _ = parse_list_record_sets(cut);
            let _ = parse_error(cut);
        }
    }
    assert!(files > 10, "fixtures found: {files}");
}
