//! Splits a zone's changes into ChangeResourceRecordSets requests within Route 53's limits.

use crate::diff::Change;
use crate::model::ChangeAction;

/// Route 53's limits for one ChangeResourceRecordSets request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// `ResourceRecord` elements (an UPSERT counts twice).
    pub max_records: usize,
    /// Characters of `Value` text (an UPSERT counts twice).
    pub max_value_chars: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_records: 1000,
            max_value_chars: 32000,
        }
    }
}

/// The requests that apply `changes`, in order: one whenever they fit.
pub fn batches(changes: &[Change], limits: &Limits) -> Result<Vec<Vec<ChangeAction>>, BatchError> {
    let _ = (changes, limits);
    todo!("batch::batches")
}

#[derive(Debug, PartialEq, Eq)]
pub enum BatchError {
    Todo,
}
