//! The reader of the AWS shared files (`~/.aws/config`, `~/.aws/credentials`): never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    for is_config in [false, true] {
        let _ = r53ctl::creds::parse_ini(text, is_config);
    }
});
