//! One file per command (`main.rs` dispatches to their `run`), and the steps they share:
//! [`zones`] reaches Route 53 (clients, the domains a run covers, the zone of each domain),
//! [`planning`] reads zones and plans their changes (from the config or a plan file),
//! [`registrar`] checks and updates the name servers of domains at a ROUTE53 registrar, and
//! [`apply`] sends the requests and reports what was applied.
//!
//! May import: every module below it. No command file imports another command file.

pub mod check;
pub mod check_creds;
pub mod completion;
pub mod convert;
pub mod create_domains;
pub mod get_zones;
pub mod preview;
pub mod push;
pub mod push_plan;
pub mod version;

mod apply;
mod planning;
mod registrar;
mod zones;
