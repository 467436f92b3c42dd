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

/// `wire` as a person reads it.
pub fn display(wire: &str) -> String {
    wire.replace("\\052", "*")
}

/// `wire` relative to the zone `apex`: `@` for the apex itself, `www` for `www.<apex>`.
pub fn relative(wire: &str, apex: &str) -> String {
    let wire = normalize(wire);
    let apex = normalize(apex);
    if wire == apex {
        return "@".into();
    }
    match wire.strip_suffix(&format!(".{apex}")) {
        Some(label) => label.to_string(),
        None => wire,
    }
}
