//! ListResourceRecordSetProtections: which names and types of a zone Route 53 refuses to change.
//!
//! `GET /2013-04-01/hostedzone/{Id}/rrsetprotection?maxresults=…&nexttoken=…` answers
//! `<ListResourceRecordSetProtectionsResponse>` with a `<ResourceRecordSetProtections>` list, each
//! entry holding `<RecordName>`, `<RecordType>` and an optional `<Comment>`, and a `<NextToken>`
//! while more pages follow.
//!
//! A server without this API (an older Route 53 compatible server, moto, fakecloud, LocalStack)
//! answers with an error that [`ApiError::is_unsupported_operation`] recognises; the caller
//! decides what to do without protections.

use super::{parse_error, read_all_pages, xml, ApiError, Call, Client, Listing, Query, API_PREFIX};
use crate::model::{bare_id, RecordSetProtection};
use crate::sigv4::percent_encode;
use crate::xml_tree::{parse_document, Element};

/// Largest page ListResourceRecordSetProtections allows.
const PROTECTIONS_PAGE_SIZE: u32 = 300;

/// One page of protections and the token of the next, if any.
#[derive(Debug, PartialEq, Eq)]
pub struct ProtectionsPage {
    pub protections: Vec<RecordSetProtection>,
    pub next_token: Option<String>,
}

/// Parses a ListResourceRecordSetProtectionsResponse. Every child of the list is one protection,
/// whatever its element name.
pub fn parse_list_protections(body: &[u8]) -> Result<ProtectionsPage, String> {
    let root = parse_document(body)?;
    let protections = match root.child("ResourceRecordSetProtections") {
        Some(list) => list
            .children
            .iter()
            .map(protection)
            .collect::<Result<_, _>>()?,
        None => Vec::new(),
    };
    let next_token = root.trimmed_text_of("NextToken").map(str::to_string);
    Ok(ProtectionsPage {
        protections,
        next_token,
    })
}

fn protection(element: &Element) -> Result<RecordSetProtection, String> {
    Ok(RecordSetProtection {
        name: element.required("RecordName")?.to_string(),
        rtype: xml::record_type(element, "RecordType")?,
        comment: element
            .text_of("Comment")
            .filter(|c| !c.is_empty())
            .map(str::to_string),
    })
}

impl Client {
    /// Every record set protection of the zone (ListResourceRecordSetProtections, all pages).
    pub fn list_record_set_protections(
        &self,
        zone_id: &str,
    ) -> Result<Vec<RecordSetProtection>, ApiError> {
        const OPERATION: &str = "ListResourceRecordSetProtections";
        let zone_id = bare_id(zone_id);
        let scope = format!("zone {zone_id}");
        let read_page = |token: Option<&String>| {
            let mut query = Query::default();
            query.add("maxresults", &PROTECTIONS_PAGE_SIZE.to_string());
            if let Some(token) = token {
                query.add("nexttoken", token);
            }
            let path = format!(
                "{API_PREFIX}/hostedzone/{}/rrsetprotection{}",
                percent_encode(zone_id),
                query.finish()
            );
            let body = self.call(&Call::read(OPERATION, path, &scope))?;
            let page = parse_list_protections(&body).map_err(parse_error(OPERATION))?;
            Ok((page.protections, page.next_token))
        };
        let listing = Listing {
            operation: OPERATION,
            scope: &scope,
            items: None,
            page_size: PROTECTIONS_PAGE_SIZE,
        };
        read_all_pages(listing, read_page, |token| format!("nexttoken={token}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rtype::RecordType;

    fn fixture(name: &str) -> Vec<u8> {
        let path = format!("{}/fixtures/records/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn protected(name: &str, rtype: RecordType, comment: Option<&str>) -> RecordSetProtection {
        RecordSetProtection {
            name: name.to_string(),
            rtype,
            comment: comment.map(str::to_string),
        }
    }

    #[test]
    fn reads_a_page_and_its_next_token() {
        let page = parse_list_protections(&fixture("list_rrset_protections_page1.xml")).unwrap();
        assert_eq!(
            page,
            ProtectionsPage {
                protections: vec![
                    protected(
                        "example.com.",
                        RecordType::MX,
                        Some("mail cut-over frozen & audited")
                    ),
                    protected("\\052.example.com.", RecordType::A, None),
                ],
                next_token: Some("eyJuYW1lIjoid3d3In0=".into()),
            }
        );
    }

    #[test]
    fn last_and_empty_pages_have_no_token() {
        let last = parse_list_protections(&fixture("list_rrset_protections_last.xml")).unwrap();
        assert_eq!(last.next_token, None);
        assert_eq!(
            last.protections,
            vec![protected(
                "www.example.com.",
                RecordType::CNAME,
                Some("owned by the CDN team")
            )]
        );
        let empty = parse_list_protections(&fixture("list_rrset_protections_empty.xml")).unwrap();
        assert_eq!(
            empty,
            ProtectionsPage {
                protections: vec![],
                next_token: None
            }
        );
    }

    #[test]
    fn an_entry_without_name_or_type_is_an_error() {
        let body = b"<ListResourceRecordSetProtectionsResponse><ResourceRecordSetProtections>\
                     <ResourceRecordSetProtection><RecordType>A</RecordType>\
                     </ResourceRecordSetProtection></ResourceRecordSetProtections>\
                     </ListResourceRecordSetProtectionsResponse>";
        let err = parse_list_protections(body).unwrap_err();
        assert!(err.contains("RecordName"), "{err}");
    }

    #[test]
    fn types_are_read_in_any_case_and_unknown_ones_are_errors() {
        let body = |rtype: &str| {
            format!(
                "<L><ResourceRecordSetProtections><ResourceRecordSetProtection>\
                 <RecordName>a.</RecordName><RecordType>{rtype}</RecordType>\
                 </ResourceRecordSetProtection></ResourceRecordSetProtections></L>"
            )
        };
        let page = parse_list_protections(body("mx").as_bytes()).unwrap();
        assert_eq!(page.protections[0].rtype, RecordType::MX);
        let err = parse_list_protections(body("LOC").as_bytes()).unwrap_err();
        assert!(err.contains("unknown record type \"LOC\""), "{err}");
    }
}
