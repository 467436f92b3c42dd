//! The config reader: any text is a config or a config error, never a panic.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = r53ctl::config::parse(Path::new("dnsconfig.json"), text);
});
