//! Request bodies written and response bodies read with quick-xml.
