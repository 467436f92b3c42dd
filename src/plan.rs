//! A push plan: for each domain, the zone it maps to, the diff, and the requests that apply it.

use crate::diff::ZoneDiff;
use crate::model::{ChangeAction, HostedZone};

/// What a push would do to one zone.
#[derive(Clone, Debug)]
pub struct ZonePlan {
    /// The domain as the user wrote it.
    pub domain: String,
    pub zone: HostedZone,
    pub diff: ZoneDiff,
    /// The ChangeResourceRecordSets requests, in order.
    pub batches: Vec<Vec<ChangeAction>>,
}
