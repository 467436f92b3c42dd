//! Record values per type: validation of what a user writes, conversion to Route 53's wire form,
//! and the canonical form two values are compared in.

/// The canonical form of a wire-form `value` of type `rtype`, for comparison only.
pub fn canonical(rtype: &str, value: &str) -> String {
    let _ = rtype;
    value.to_string()
}
