//! The plan reader: any text is a plan or a plan error; a plan it accepts is written and read back
//! unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use r53ctl::plan;

fuzz_target!(|text: &str| {
    let Ok(plans) = plan::from_json(text) else {
        return;
    };
    let written = serde_json::to_string(&plan::to_file(&plans)).expect("a plan serialises");
    let again = plan::from_json(&written).expect("a plan r53ctl wrote reads back");
    assert_eq!(again, plans);
});
