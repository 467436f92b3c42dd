//! The parsers of STS answers (credentials, error documents): never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    let _ = r53ctl::creds::parse_sts_credentials(body);
    let _ = r53ctl::creds::parse_sts_error(body);
});
