//! The one XML reader of the crate: a whole document read with quick-xml into a small tree of
//! elements (local name, direct text, children), for the Route 53 and STS answer parsers to pick
//! apart by name.
//!
//! Names and text borrow from the document wherever they can (a page of 300 record sets is some
//! 2,000 elements: owned strings would be two allocations each).
//!
//! It owns the reading rules those answers share: namespace prefixes are dropped, character
//! references and the five predefined entities are resolved and any other entity is refused,
//! nesting is limited, and comments, declarations and processing instructions are skipped. It
//! knows no AWS document and uses nothing else of the crate.
//!
//! May import: nothing of the crate.

use std::borrow::Cow;

use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::Reader;

/// Deeper documents are refused: the AWS answers we read are at most about eight levels deep.
const MAX_DEPTH: usize = 32;

/// One element of a parsed document: local name, direct text and children.
#[derive(Debug, Default)]
pub(crate) struct Element<'a> {
    pub name: Cow<'a, str>,
    pub text: Cow<'a, str>,
    pub children: Vec<Element<'a>>,
}

impl<'a> Element<'a> {
    /// The first child element named `name`.
    pub fn child(&self, name: &str) -> Option<&Element<'a>> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Every child element named `name`.
    pub fn children<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s Element<'a>> + 's {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The text of the first child named `name`.
    pub fn text_of(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.as_ref())
    }

    /// The text of the first child named `name`, trimmed; `None` when it is missing or blank.
    pub fn trimmed_text_of(&self, name: &str) -> Option<&str> {
        self.text_of(name)
            .map(str::trim)
            .filter(|text| !text.is_empty())
    }

    /// The text of a child that must be present.
    pub fn required(&self, name: &str) -> Result<&str, String> {
        self.text_of(name)
            .ok_or_else(|| format!("<{}> has no <{name}>", self.name))
    }

    /// Every element below this one, depth first in document order.
    pub fn descendants(&self) -> Vec<&Element<'a>> {
        let mut found = Vec::new();
        self.push_descendants(&mut found);
        found
    }

    fn push_descendants<'s>(&'s self, found: &mut Vec<&'s Element<'a>>) {
        for child in &self.children {
            found.push(child);
            child.push_descendants(found);
        }
    }
}

/// Parses a whole document into its root element.
pub(crate) fn parse_document(body: &[u8]) -> Result<Element<'_>, String> {
    let text = std::str::from_utf8(body).map_err(|e| format!("not UTF-8: {e}"))?;
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Element> = Vec::new();
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("malformed XML at byte {}: {e}", reader.buffer_position()))?;
        match event {
            Event::Start(start) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(format!("XML nested deeper than {MAX_DEPTH} elements"));
                }
                stack.push(element_named(text, &start));
            }
            Event::Empty(start) => {
                let element = element_named(text, &start);
                match stack.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None => return Ok(element),
                }
            }
            Event::End(_) => {
                let element = stack.pop().ok_or("unexpected closing tag")?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None => return Ok(element),
                }
            }
            Event::Text(text) => append_text(&mut stack, text.xml10_content()),
            Event::CData(data) => append_text(&mut stack, data.xml10_content()),
            Event::GeneralRef(reference) => {
                let resolved = resolve_reference(&reference)?;
                append_text(&mut stack, Cow::Owned(resolved));
            }
            Event::Eof => return Err("the document ends before its root element closes".into()),
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
}

fn element_named<'a>(document: &'a str, start: &BytesStart<'_>) -> Element<'a> {
    let name = start.local_name();
    let name: &str = name.as_ref();
    // Names from a `&str` reader always lie in the document; should a quick-xml release hand
    // out copies, a name costs an allocation rather than a failure.
    Element {
        name: within(document, name).map_or_else(|| Cow::Owned(name.to_string()), Cow::Borrowed),
        ..Element::default()
    }
}

/// `part` as a slice of `document` with the document's lifetime, when it lies inside it. The
/// reader hands out names borrowed from the document but with its own, shorter lifetime.
fn within<'a>(document: &'a str, part: &str) -> Option<&'a str> {
    let offset = (part.as_ptr() as usize).checked_sub(document.as_ptr() as usize)?;
    document
        .get(offset..offset.checked_add(part.len())?)
        .filter(|found| found.as_ptr() == part.as_ptr())
}

fn append_text<'a>(stack: &mut [Element<'a>], text: Cow<'a, str>) {
    let Some(current) = stack.last_mut() else {
        return;
    };
    if current.text.is_empty() {
        current.text = text;
    } else {
        current.text.to_mut().push_str(&text);
    }
}

fn resolve_reference(reference: &BytesRef<'_>) -> Result<String, String> {
    if let Some(ch) = reference
        .resolve_char_ref()
        .map_err(|e| format!("bad character reference: {e}"))?
    {
        return Ok(ch.to_string());
    }
    let name = reference.xml10_content();
    resolve_predefined_entity(&name)
        .map(str::to_string)
        .ok_or_else(|| format!("unknown entity &{name};"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_names_text_and_children_without_namespaces() {
        let root = parse_document(
            b"<?xml version=\"1.0\"?><!-- c --><r:Root xmlns:r=\"urn:x\"><A> a </A>\
              <B/><A>second</A><C><![CDATA[<raw>]]></C></r:Root>",
        )
        .unwrap();
        assert_eq!(root.name, "Root");
        assert_eq!(root.text_of("A"), Some(" a "));
        assert_eq!(root.trimmed_text_of("A"), Some("a"));
        assert_eq!(root.children("A").count(), 2);
        assert_eq!(root.text_of("B"), Some(""));
        assert_eq!(root.trimmed_text_of("B"), None);
        assert_eq!(root.text_of("C"), Some("<raw>"));
        assert_eq!(root.required("D").unwrap_err(), "<Root> has no <D>");
    }

    #[test]
    fn names_and_plain_text_borrow_from_the_document() {
        let root = parse_document(
            b"<r:Root xmlns:r=\"urn:x\"><Name>www.</Name><Value>a&amp;b</Value></r:Root>",
        )
        .unwrap();
        let name = root.child("Name").unwrap();
        assert!(matches!(root.name, Cow::Borrowed("Root")));
        assert!(matches!(name.name, Cow::Borrowed("Name")));
        assert!(matches!(name.text, Cow::Borrowed("www.")));
        assert_eq!(root.text_of("Value"), Some("a&b"));
        let document = "abcdef";
        assert_eq!(within(document, &document[2..4]), Some("cd"));
        assert_eq!(within(document, "other"), None);
    }

    #[test]
    fn text_in_pieces_is_joined() {
        let root = parse_document(b"<V>a<![CDATA[b]]>&amp;c\r\nd</V>").unwrap();
        assert_eq!(root.text, "ab&c\nd");
    }

    #[test]
    fn descendants_are_in_document_order() {
        let root = parse_document(b"<a><b><c/></b><d/></a>").unwrap();
        let names: Vec<&str> = root.descendants().iter().map(|e| e.name.as_ref()).collect();
        assert_eq!(names, ["b", "c", "d"]);
    }

    #[test]
    fn resolves_character_and_predefined_entities_only() {
        let root = parse_document(b"<a>&lt;&amp;&gt;&quot;&apos;&#65;&#x42;</a>").unwrap();
        assert_eq!(root.text, "<&>\"'AB");
        let unknown = parse_document(b"<a>&bogus;</a>").unwrap_err();
        assert_eq!(unknown, "unknown entity &bogus;");
        assert!(parse_document(b"<a>&#xZZ;</a>")
            .unwrap_err()
            .contains("bad character reference"));
    }

    #[test]
    fn refuses_broken_documents() {
        assert!(parse_document(b"\xff\xfe")
            .unwrap_err()
            .contains("not UTF-8"));
        assert!(parse_document(b"<a><b></a>")
            .unwrap_err()
            .contains("malformed XML"));
        assert!(parse_document(b"<a>")
            .unwrap_err()
            .contains("ends before its root element closes"));
        assert!(parse_document(b"").is_err());
    }

    #[test]
    fn refuses_deep_nesting() {
        let deep = "<a>".repeat(100) + &"</a>".repeat(100);
        assert_eq!(
            parse_document(deep.as_bytes()).unwrap_err(),
            format!("XML nested deeper than {MAX_DEPTH} elements")
        );
        let deepest = "<a>".repeat(MAX_DEPTH) + &"</a>".repeat(MAX_DEPTH);
        assert!(parse_document(deepest.as_bytes()).is_ok());
    }
}
