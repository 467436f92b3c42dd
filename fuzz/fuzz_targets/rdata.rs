//! Record values and names: every parser on any text, never a panic. A value a config may hold
//! converts to a wire form that a plan file may hold.
#![no_main]

use libfuzzer_sys::fuzz_target;
use r53ctl::rtype::RecordType;
use r53ctl::{name, rdata};

const APEX: &str = "example.tld.";

fuzz_target!(|input: (u8, &str)| {
    let (pick, value) = input;
    let rtype = RecordType::ALL[usize::from(pick) % RecordType::ALL.len()];
    if let Ok(wire) = rdata::to_wire(rtype, value, APEX) {
        if let Err(err) = rdata::check_wire(rtype, &wire) {
            panic!("{rtype} {value:?} converts to {wire:?}, which check_wire refuses: {err}");
        }
    }
    let _ = rdata::check_wire(rtype, value);
    let _ = rdata::canonical(rtype, value);
    let _ = rdata::to_user(rtype, value, APEX);
    let _ = rdata::txt_strings_to_wire(&[value.to_string()]);
    let _ = rdata::target_to_wire(value, APEX);
    let _ = name::to_wire(value);
    let _ = name::join(value, APEX);
    let normal = name::normalize(value);
    let _ = name::display(&normal);
    let _ = name::relative(&normal, APEX);
});
