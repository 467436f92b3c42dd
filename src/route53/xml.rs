//! Request bodies written and response bodies read with quick-xml.
//!
//! Responses are read into a small element tree first ([`crate::xml_tree`]; they are at most a
//! few hundred record sets), then picked apart by name; unknown elements are ignored so that new
//! fields Route 53 adds do not break reading.

use std::io::Cursor;

use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::Writer;

use crate::model::{
    bare_id, AliasTarget, ChangeAction, ChangeInfo, Extra, HostedZone, RecordSet, Routing, Values,
    Vpc,
};
use crate::rtype::RecordType;
use crate::xml_tree::{parse_document, Element};

/// The XML namespace of every Route 53 request and response.
pub const NAMESPACE: &str = "https://route53.amazonaws.com/doc/2013-04-01/";

// ---------------------------------------------------------------------------------------------
// Responses

/// One page of ListHostedZones.
#[derive(Debug, PartialEq, Eq)]
pub struct ZonesPage {
    pub zones: Vec<HostedZone>,
    /// `NextMarker` when the listing is truncated; opaque.
    pub next_marker: Option<String>,
}

/// One page of ListHostedZonesByName.
#[derive(Debug, PartialEq, Eq)]
pub struct ZonesByNamePage {
    pub zones: Vec<HostedZone>,
    /// `(NextDNSName, NextHostedZoneId)` when the listing is truncated.
    pub next: Option<(String, String)>,
}

/// Where a page of ListResourceRecordSets starts.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RecordPosition {
    pub name: String,
    pub rtype: RecordType,
    pub identifier: Option<String>,
}

/// One page of ListResourceRecordSets.
#[derive(Debug, PartialEq, Eq)]
pub struct RecordSetsPage {
    pub record_sets: Vec<RecordSet>,
    pub next: Option<RecordPosition>,
}

/// The answer to CreateHostedZone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreatedZone {
    pub zone: HostedZone,
    pub change: ChangeInfo,
    /// The delegation set's name servers, for the registrar.
    pub name_servers: Vec<String>,
}

/// The parts of an error document.
#[derive(Debug, PartialEq, Eq)]
pub struct ErrorBody {
    pub code: String,
    pub messages: Vec<String>,
    pub request_id: Option<String>,
}

fn is_truncated(root: &Element) -> bool {
    root.text_of("IsTruncated") == Some("true")
}

fn hosted_zones(root: &Element) -> Result<Vec<HostedZone>, String> {
    let Some(list) = root.child("HostedZones") else {
        return Ok(Vec::new());
    };
    list.children("HostedZone").map(hosted_zone).collect()
}

fn hosted_zone(element: &Element) -> Result<HostedZone, String> {
    let config = element.child("Config");
    let record_set_count = element
        .text_of("ResourceRecordSetCount")
        .map(|n| {
            n.parse::<u64>()
                .map_err(|e| format!("ResourceRecordSetCount {n:?}: {e}"))
        })
        .transpose()?;
    Ok(HostedZone {
        id: bare_id(element.required("Id")?).to_string(),
        name: element.required("Name")?.to_string(),
        private: config.and_then(|c| c.text_of("PrivateZone")) == Some("true"),
        record_set_count,
        comment: config
            .and_then(|c| c.text_of("Comment"))
            .map(str::to_string),
    })
}

/// Parses a ListHostedZonesResponse.
pub fn parse_list_hosted_zones(body: &[u8]) -> Result<ZonesPage, String> {
    let root = parse_document(body)?;
    let next_marker = match is_truncated(&root) {
        true => Some(root.required("NextMarker")?.to_string()),
        false => None,
    };
    Ok(ZonesPage {
        zones: hosted_zones(&root)?,
        next_marker,
    })
}

/// Parses a ListHostedZonesByNameResponse.
pub fn parse_list_hosted_zones_by_name(body: &[u8]) -> Result<ZonesByNamePage, String> {
    let root = parse_document(body)?;
    let next = match is_truncated(&root) {
        true => Some((
            root.required("NextDNSName")?.to_string(),
            bare_id(root.required("NextHostedZoneId")?).to_string(),
        )),
        false => None,
    };
    Ok(ZonesByNamePage {
        zones: hosted_zones(&root)?,
        next,
    })
}

/// Parses a GetHostedZoneResponse.
pub fn parse_get_hosted_zone(body: &[u8]) -> Result<HostedZone, String> {
    let root = parse_document(body)?;
    hosted_zone(root.child("HostedZone").ok_or("no <HostedZone>")?)
}

/// Parses a GetHostedZoneCountResponse.
pub fn parse_hosted_zone_count(body: &[u8]) -> Result<u64, String> {
    let root = parse_document(body)?;
    parse_number(&root, "HostedZoneCount")?.ok_or_else(|| "no <HostedZoneCount>".to_string())
}

/// The name servers of a GetHostedZoneResponse's delegation set; none for a private zone.
pub fn parse_delegation_set(body: &[u8]) -> Result<Vec<String>, String> {
    Ok(delegation_name_servers(&parse_document(body)?))
}

/// `DelegationSet/NameServers/NameServer…` of a GetHostedZone or CreateHostedZone answer.
fn delegation_name_servers(root: &Element) -> Vec<String> {
    root.child("DelegationSet")
        .and_then(|d| d.child("NameServers"))
        .map(|ns| {
            ns.children("NameServer")
                .map(|n| n.text.to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// Parses a CreateHostedZoneResponse.
pub fn parse_create_hosted_zone(body: &[u8]) -> Result<CreatedZone, String> {
    let root = parse_document(body)?;
    Ok(CreatedZone {
        zone: hosted_zone(root.child("HostedZone").ok_or("no <HostedZone>")?)?,
        change: change_info(root.child("ChangeInfo").ok_or("no <ChangeInfo>")?)?,
        name_servers: delegation_name_servers(&root),
    })
}

/// Parses a ChangeResourceRecordSetsResponse or a GetChangeResponse.
pub fn parse_change_info(body: &[u8]) -> Result<ChangeInfo, String> {
    let root = parse_document(body)?;
    change_info(root.child("ChangeInfo").ok_or("no <ChangeInfo>")?)
}

fn change_info(element: &Element) -> Result<ChangeInfo, String> {
    Ok(ChangeInfo {
        id: bare_id(element.required("Id")?).to_string(),
        status: element.required("Status")?.to_string(),
        submitted_at: element.required("SubmittedAt")?.to_string(),
    })
}

/// Parses a ListResourceRecordSetsResponse.
pub fn parse_list_record_sets(body: &[u8]) -> Result<RecordSetsPage, String> {
    let root = parse_document(body)?;
    let record_sets = match root.child("ResourceRecordSets") {
        Some(list) => list
            .children("ResourceRecordSet")
            .map(record_set)
            .collect::<Result<_, _>>()?,
        None => Vec::new(),
    };
    let next = match is_truncated(&root) {
        true => Some(RecordPosition {
            name: root.required("NextRecordName")?.to_string(),
            rtype: record_type(&root, "NextRecordType")?,
            identifier: root.text_of("NextRecordIdentifier").map(str::to_string),
        }),
        false => None,
    };
    Ok(RecordSetsPage { record_sets, next })
}

fn parse_number<T: std::str::FromStr>(element: &Element, name: &str) -> Result<Option<T>, String>
where
    T::Err: std::fmt::Display,
{
    element
        .text_of(name)
        .map(|text| {
            text.trim()
                .parse::<T>()
                .map_err(|e| format!("<{name}>{text}</{name}>: {e}"))
        })
        .transpose()
}

/// The record type in `<name>`; see [`RecordType`] on why an unknown one is an error.
pub(super) fn record_type(element: &Element, name: &str) -> Result<RecordType, String> {
    let text = element.required(name)?;
    text.parse()
        .map_err(|e| format!("<{name}>{text}</{name}>: {e}"))
}

fn owned(element: Option<&Element>, name: &str) -> Option<String> {
    element.and_then(|e| e.text_of(name)).map(str::to_string)
}

/// Reads one `<ResourceRecordSet>`.
pub(crate) fn record_set(element: &Element) -> Result<RecordSet, String> {
    let name = element.required("Name")?.to_string();
    let with_name = |e: String| format!("{name}: {e}");
    let values = match element.child("ResourceRecords") {
        Some(records) => values(records)?,
        None => Values::default(),
    };
    let alias = element
        .child("AliasTarget")
        .map(|alias| -> Result<AliasTarget, String> {
            Ok(AliasTarget {
                hosted_zone_id: alias.required("HostedZoneId")?.into(),
                dns_name: alias.required("DNSName")?.into(),
                evaluate_target_health: alias.text_of("EvaluateTargetHealth") == Some("true"),
            })
        })
        .transpose()
        .map_err(with_name)?;
    let rtype = record_type(element, "Type").map_err(with_name)?;
    let ttl = parse_number(element, "TTL").map_err(with_name)?;
    let extra = Extra {
        set_identifier: element.text_of("SetIdentifier").map(Box::from),
        alias,
        routing: routing(element).map_err(with_name)?.map(Box::new),
        health_check_id: element.text_of("HealthCheckId").map(Box::from),
        traffic_policy_instance_id: element.text_of("TrafficPolicyInstanceId").map(Box::from),
    };
    Ok(RecordSet::new(name.into(), rtype, ttl, values, extra))
}

/// The values of `<ResourceRecords>`.
fn values(records: &Element) -> Result<Values, String> {
    records
        .children("ResourceRecord")
        .map(|record| record.required("Value"))
        .collect()
}

fn routing(element: &Element) -> Result<Option<Routing>, String> {
    if let Some(weight) = parse_number(element, "Weight")? {
        return Ok(Some(Routing::Weighted { weight }));
    }
    if let Some(region) = element.text_of("Region") {
        return Ok(Some(Routing::Latency {
            region: region.to_string(),
        }));
    }
    if let Some(role) = element.text_of("Failover") {
        return Ok(Some(Routing::Failover {
            role: role.to_string(),
        }));
    }
    if let Some(geo) = element.child("GeoLocation") {
        return Ok(Some(Routing::Geolocation {
            continent: owned(Some(geo), "ContinentCode"),
            country: owned(Some(geo), "CountryCode"),
            subdivision: owned(Some(geo), "SubdivisionCode"),
        }));
    }
    if let Some(geo) = element.child("GeoProximityLocation") {
        let coordinates = geo.child("Coordinates");
        return Ok(Some(Routing::Geoproximity {
            aws_region: owned(Some(geo), "AWSRegion"),
            local_zone_group: owned(Some(geo), "LocalZoneGroup"),
            coordinates: owned(coordinates, "Latitude").zip(owned(coordinates, "Longitude")),
            bias: parse_number(geo, "Bias")?,
        }));
    }
    if element.text_of("MultiValueAnswer") == Some("true") {
        return Ok(Some(Routing::MultiValue));
    }
    if let Some(cidr) = element.child("CidrRoutingConfig") {
        return Ok(Some(Routing::Cidr {
            collection_id: cidr.required("CollectionId")?.to_string(),
            location_name: cidr.required("LocationName")?.to_string(),
        }));
    }
    Ok(None)
}

/// Reads an error document: `ErrorResponse` (Error/Code, Error/Message, RequestId) or
/// `InvalidChangeBatch` (Messages/Message…, RequestId). `None` when the body is not one.
pub fn parse_error(body: &[u8]) -> Option<ErrorBody> {
    let root = parse_document(body).ok()?;
    let error = root.child("Error");
    let code = match error.and_then(|e| e.text_of("Code")) {
        Some(code) => code.to_string(),
        None if root.name == "InvalidChangeBatch" => root.name.to_string(),
        None => return None,
    };
    Some(ErrorBody {
        code,
        messages: root
            .descendants()
            .into_iter()
            .filter(|e| e.name == "Message")
            .map(|m| m.text.to_string())
            .collect(),
        request_id: root.text_of("RequestId").map(str::to_string),
    })
}

// ---------------------------------------------------------------------------------------------
// Requests

type XmlWriter = Writer<Cursor<Vec<u8>>>;

/// Writes `<name>text</name>`; the text is escaped by quick-xml.
fn leaf(w: &mut XmlWriter, name: &str, text: &str) -> std::io::Result<()> {
    w.create_element(name)
        .write_text_content(BytesText::new(text))?;
    Ok(())
}

fn leaf_opt(w: &mut XmlWriter, name: &str, text: Option<&str>) -> std::io::Result<()> {
    match text {
        Some(text) => leaf(w, name, text),
        None => Ok(()),
    }
}

/// Writes a document whose root element carries the Route 53 namespace.
fn document(root: &str, content: impl FnOnce(&mut XmlWriter) -> std::io::Result<()>) -> Vec<u8> {
    let mut w = Writer::new(Cursor::new(Vec::new()));
    let written = w
        .write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
        .and_then(|()| {
            w.create_element(root)
                .with_attribute(("xmlns", NAMESPACE))
                .write_inner_content(content)
                .map(|_| ())
        });
    // Writing into a Vec cannot fail.
    debug_assert!(written.is_ok());
    w.into_inner().into_inner()
}

/// The body of a ChangeResourceRecordSets request.
pub fn change_batch_request(changes: &[ChangeAction], comment: &str) -> Vec<u8> {
    document("ChangeResourceRecordSetsRequest", |w| {
        w.create_element("ChangeBatch").write_inner_content(|w| {
            if !comment.is_empty() {
                leaf(w, "Comment", comment)?;
            }
            w.create_element("Changes").write_inner_content(|w| {
                for change in changes {
                    w.create_element("Change").write_inner_content(|w| {
                        leaf(w, "Action", change.action.as_str())?;
                        write_record_set(w, change.record_set)
                    })?;
                }
                Ok(())
            })?;
            Ok(())
        })?;
        Ok(())
    })
}

/// What CreateHostedZone is asked to create.
#[derive(Clone, Debug, Default)]
pub struct NewZone<'a> {
    pub name: &'a str,
    /// Unique per zone created; sending the same one again does not create a second zone.
    pub caller_reference: &'a str,
    pub comment: Option<&'a str>,
    /// For a private zone: the first VPC it answers in (others are associated afterwards).
    pub vpc: Option<&'a Vpc>,
    /// A reusable delegation set to take the name servers from (public zones only).
    pub delegation_set_id: Option<&'a str>,
}

/// The body of a CreateHostedZone request, its elements in the order of the API schema.
pub fn create_hosted_zone_request(zone: &NewZone<'_>) -> Vec<u8> {
    document("CreateHostedZoneRequest", |w| {
        leaf(w, "Name", zone.name)?;
        if let Some(vpc) = zone.vpc {
            write_vpc(w, vpc)?;
        }
        leaf(w, "CallerReference", zone.caller_reference)?;
        if zone.comment.is_some() || zone.vpc.is_some() {
            w.create_element("HostedZoneConfig")
                .write_inner_content(|w| {
                    leaf_opt(w, "Comment", zone.comment)?;
                    if zone.vpc.is_some() {
                        leaf(w, "PrivateZone", "true")?;
                    }
                    Ok(())
                })?;
        }
        leaf_opt(w, "DelegationSetId", zone.delegation_set_id.map(bare_id))
    })
}

/// The body of an AssociateVPCWithHostedZone request.
pub fn associate_vpc_request(vpc: &Vpc) -> Vec<u8> {
    document("AssociateVPCWithHostedZoneRequest", |w| write_vpc(w, vpc))
}

fn write_vpc(w: &mut XmlWriter, vpc: &Vpc) -> std::io::Result<()> {
    w.create_element("VPC").write_inner_content(|w| {
        leaf(w, "VPCRegion", &vpc.region)?;
        leaf(w, "VPCId", &vpc.id)
    })?;
    Ok(())
}

/// Writes a `<ResourceRecordSet>` with its elements in the order of the API schema.
fn write_record_set(w: &mut XmlWriter, rs: &RecordSet) -> std::io::Result<()> {
    w.create_element("ResourceRecordSet")
        .write_inner_content(|w| {
            leaf(w, "Name", &rs.name)?;
            leaf(w, "Type", rs.rtype.as_str())?;
            leaf_opt(w, "SetIdentifier", rs.set_identifier())?;
            write_routing_head(w, rs.routing())?;
            if let Some(ttl) = rs.ttl {
                leaf(w, "TTL", &ttl.to_string())?;
            }
            if !rs.values.is_empty() {
                w.create_element("ResourceRecords")
                    .write_inner_content(|w| {
                        for value in &rs.values {
                            w.create_element("ResourceRecord")
                                .write_inner_content(|w| leaf(w, "Value", value))?;
                        }
                        Ok(())
                    })?;
            }
            if let Some(alias) = rs.alias() {
                w.create_element("AliasTarget").write_inner_content(|w| {
                    leaf(w, "HostedZoneId", &alias.hosted_zone_id)?;
                    leaf(w, "DNSName", &alias.dns_name)?;
                    leaf(
                        w,
                        "EvaluateTargetHealth",
                        bool_text(alias.evaluate_target_health),
                    )
                })?;
            }
            leaf_opt(w, "HealthCheckId", rs.health_check_id())?;
            leaf_opt(
                w,
                "TrafficPolicyInstanceId",
                rs.traffic_policy_instance_id(),
            )?;
            write_routing_tail(w, rs.routing())
        })?;
    Ok(())
}

fn bool_text(value: bool) -> &'static str {
    if value {
        "true"
    } else {
        "false"
    }
}

/// The routing elements the schema places before `TTL`:
/// Weight, Region, GeoLocation, Failover, MultiValueAnswer.
fn write_routing_head(w: &mut XmlWriter, routing: Option<&Routing>) -> std::io::Result<()> {
    match routing {
        Some(Routing::Weighted { weight }) => leaf(w, "Weight", &weight.to_string()),
        Some(Routing::Latency { region }) => leaf(w, "Region", region),
        Some(Routing::Geolocation {
            continent,
            country,
            subdivision,
        }) => {
            w.create_element("GeoLocation").write_inner_content(|w| {
                leaf_opt(w, "ContinentCode", continent.as_deref())?;
                leaf_opt(w, "CountryCode", country.as_deref())?;
                leaf_opt(w, "SubdivisionCode", subdivision.as_deref())
            })?;
            Ok(())
        }
        Some(Routing::Failover { role }) => leaf(w, "Failover", role),
        Some(Routing::MultiValue) => leaf(w, "MultiValueAnswer", "true"),
        _ => Ok(()),
    }
}

/// The routing elements the schema places last: CidrRoutingConfig, GeoProximityLocation.
fn write_routing_tail(w: &mut XmlWriter, routing: Option<&Routing>) -> std::io::Result<()> {
    match routing {
        Some(Routing::Cidr {
            collection_id,
            location_name,
        }) => {
            w.create_element("CidrRoutingConfig")
                .write_inner_content(|w| {
                    leaf(w, "CollectionId", collection_id)?;
                    leaf(w, "LocationName", location_name)
                })?;
            Ok(())
        }
        Some(Routing::Geoproximity {
            aws_region,
            local_zone_group,
            coordinates,
            bias,
        }) => {
            w.create_element("GeoProximityLocation")
                .write_inner_content(|w| {
                    leaf_opt(w, "AWSRegion", aws_region.as_deref())?;
                    leaf_opt(w, "LocalZoneGroup", local_zone_group.as_deref())?;
                    if let Some((latitude, longitude)) = coordinates {
                        w.create_element("Coordinates").write_inner_content(|w| {
                            leaf(w, "Latitude", latitude)?;
                            leaf(w, "Longitude", longitude)
                        })?;
                    }
                    leaf_opt(w, "Bias", bias.map(|b| b.to_string()).as_deref())
                })?;
            Ok(())
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests;
