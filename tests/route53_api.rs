//! The Route 53 client against a local moto server: zones, paging, changes and errors.
//! Assertions hold on real Route 53 too (see route53-notes.md for where moto differs).

mod common;
mod support;

use std::collections::BTreeSet;

use r53ctl::model::{Action, AliasTarget, ChangeAction, RecordSet, Routing, Values};
use r53ctl::route53::ApiError;
use r53ctl::rtype::RecordType;

/// Name, type, set identifier, TTL and sorted values: what a listing must give back.
type Summary = (Box<str>, RecordType, Option<String>, Option<u32>, Values);

fn summary(record_sets: &[RecordSet]) -> BTreeSet<Summary> {
    record_sets
        .iter()
        .filter(|rs| rs.rtype != RecordType::SOA && rs.rtype != RecordType::NS)
        .map(|rs| {
            let mut values = rs.values.clone();
            values.sort();
            (
                rs.name.clone(),
                rs.rtype,
                rs.set_identifier().map(str::to_string),
                rs.ttl,
                values,
            )
        })
        .collect()
}

#[test]
fn twelve_hundred_record_sets_round_trip_through_paging_and_changes() {
    let moto = common::Moto::start();
    let client = moto.client();
    let name = common::unique_zone_name("paging");
    let created = common::create_zone(&client, &name);
    assert_eq!(created.zone.name, name);
    assert!(!created.zone.private);
    assert!(["PENDING", "INSYNC"].contains(&created.change.status.as_str()));

    let written = common::numbered_a_records(&name, 1200);
    common::add_record_sets(&client, &created.zone.id, &written);

    let listed = client.list_record_sets(&created.zone.id, None).unwrap();
    // 1200 written plus the apex SOA and NS every zone has.
    assert_eq!(listed.len(), 1202);
    assert_eq!(summary(&listed), summary(&written));
    assert!(listed
        .iter()
        .any(|rs| rs.rtype == RecordType::SOA && *rs.name == name));

    // Replace one record set (DELETE old + CREATE new) and delete another, atomically.
    let old = written[7].clone();
    let mut new = old.clone();
    new.values = ["192.0.2.77"].into_iter().collect();
    new.ttl = Some(60);
    let changes = [
        ChangeAction {
            action: Action::Delete,
            record_set: &old,
        },
        ChangeAction {
            action: Action::Create,
            record_set: &new,
        },
        ChangeAction {
            action: Action::Delete,
            record_set: &written[8],
        },
    ];
    let change = client
        .change_record_sets(&created.zone.id, &changes, "replace host-7, drop host-8")
        .unwrap();
    assert!(["PENDING", "INSYNC"].contains(&change.status.as_str()));
    let status = client.get_change(&change.id).unwrap();
    assert_eq!(status.id, change.id);
    assert!(["PENDING", "INSYNC"].contains(&status.status.as_str()));

    let after = client.list_record_sets(&created.zone.id, None).unwrap();
    assert_eq!(after.len(), 1201);
    let mut expected: Vec<RecordSet> = written.clone();
    expected[7] = new;
    expected.remove(8);
    assert_eq!(summary(&after), summary(&expected));
}

#[test]
fn routing_policies_alias_and_markup_in_values_survive_a_round_trip() {
    let moto = common::Moto::start();
    let client = moto.client();
    let name = common::unique_zone_name("routing");
    let zone = common::create_zone(&client, &name).zone;
    let www = format!("www.{name}");
    let weighted = |id: &str, weight: u32, value: &str| {
        RecordSet::simple(
            &format!("api.{name}"),
            RecordType::A,
            60,
            vec![value.into()],
        )
        .with_set_identifier(id)
        .with_routing(Routing::Weighted { weight })
    };
    let record_sets = vec![
        RecordSet::simple(
            &www,
            RecordType::A,
            300,
            vec!["192.0.2.1".into(), "192.0.2.2".into()],
        ),
        RecordSet::simple(
            &format!("txt.{name}"),
            RecordType::TXT,
            300,
            vec![r#""a <b> & \"c\" ]]>" "second""#.into()],
        ),
        weighted("blue", 90, "192.0.2.10"),
        weighted("green", 10, "192.0.2.20"),
        RecordSet::aliased(
            &format!("alias.{name}"),
            RecordType::A,
            AliasTarget {
                hosted_zone_id: zone.id.as_str().into(),
                dns_name: www.as_str().into(),
                evaluate_target_health: false,
            },
        ),
        RecordSet::simple(
            &format!("ha.{name}"),
            RecordType::A,
            60,
            vec!["192.0.2.30".into()],
        )
        .with_set_identifier("primary")
        .with_routing(Routing::Failover {
            role: "PRIMARY".into(),
        }),
    ];
    common::add_record_sets(&client, &zone.id, &record_sets);

    let listed = client.list_record_sets(&zone.id, None).unwrap();
    for expected in &record_sets {
        let found = listed
            .iter()
            .find(|rs| rs.key() == expected.key())
            .unwrap_or_else(|| panic!("{} not listed", expected.key()));
        assert_eq!(found.ttl, expected.ttl, "{}", expected.key());
        assert_eq!(found.routing(), expected.routing(), "{}", expected.key());
        assert_eq!(
            found.alias().is_some(),
            expected.alias().is_some(),
            "{}",
            expected.key()
        );
        let mut found_values = found.values.clone();
        found_values.sort();
        assert_eq!(found_values, expected.values, "{}", expected.key());
    }
}

#[test]
fn zones_are_listed_found_by_name_and_unknown_ids_are_reported() {
    let moto = common::Moto::start();
    let client = moto.client();
    let name = common::unique_zone_name("lookup");
    let created = common::create_zone(&client, &name);

    let all = client.list_hosted_zones().unwrap();
    assert!(all.iter().any(|z| z.id == created.zone.id));
    let named = client.hosted_zones_named(&name).unwrap();
    assert_eq!(
        named.iter().map(|z| z.id.as_str()).collect::<Vec<_>>(),
        [created.zone.id.as_str()]
    );
    let fetched = client
        .get_hosted_zone(&format!("/hostedzone/{}", created.zone.id))
        .unwrap();
    assert_eq!(fetched.name, name);

    let err = client.get_hosted_zone("ZNOSUCHZONE0000000000").unwrap_err();
    assert_eq!(err.code(), Some("NoSuchHostedZone"), "{err:?}");
    assert_eq!(err.status(), Some(404));
    let text = err.to_string();
    assert!(
        text.contains("GetHostedZone") && text.contains("NoSuchHostedZone"),
        "{text}"
    );
    assert!(text.contains("HTTP 404"), "{text}");
    assert!(matches!(err, ApiError::Aws(_)));
}
