//! The difference between the record sets a zone should hold and those it holds. Pure: no I/O.

use crate::model::RecordSet;

/// Live record sets matching a rule are never created, changed or deleted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IgnoreRule {
    /// A glob over the wire-form name relative to the zone (`*` any run of characters, `@` apex).
    pub name: String,
    /// Record types; empty means all.
    pub types: Vec<String>,
}

/// One change to a zone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    Create(RecordSet),
    /// The live record set, exactly as read.
    Delete(RecordSet),
    /// `old` is the live record set exactly as read.
    Modify {
        old: RecordSet,
        new: RecordSet,
    },
}

/// Why a live record set was left alone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LeftAlone {
    /// The zone's SOA, or its apex NS the config does not name.
    ZoneApex,
    /// Made by a traffic policy instance.
    TrafficPolicy,
    /// Matched an `ignore` rule.
    Ignored,
    /// Not in the config, and the domain keeps unknown record sets.
    NotInConfig,
}

/// The changes for one zone and what was deliberately not touched.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ZoneDiff {
    pub changes: Vec<Change>,
    pub left_alone: Vec<(RecordSet, LeftAlone)>,
}

/// How to diff one zone.
#[derive(Clone, Debug)]
pub struct DiffOptions<'a> {
    /// Wire-form zone name.
    pub apex: &'a str,
    pub ignore: &'a [IgnoreRule],
    pub keep_unknown: bool,
}

/// Compares `desired` with `live`, keyed by (name, type, set identifier).
pub fn diff_zone(desired: &[RecordSet], live: &[RecordSet], options: &DiffOptions<'_>) -> ZoneDiff {
    let _ = (desired, live, options);
    todo!("diff::diff_zone")
}
