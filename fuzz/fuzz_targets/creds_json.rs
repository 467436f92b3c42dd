//! The creds.json reader, from the file to every entry in it: never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use r53ctl::creds::CredsFile;

fuzz_target!(|text: &[u8]| {
    let path = std::env::temp_dir().join(format!("r53ctl-fuzz-creds-{}.json", std::process::id()));
    if std::fs::write(&path, text).is_err() {
        return;
    }
    let Ok(file) = CredsFile::load(&path, true) else {
        return;
    };
    if let CredsFile::Present { entries, .. } = &file {
        let env = |name: &str| (name == "SET").then(|| "from-env".to_string());
        for name in entries.keys() {
            let _ = file.entry(name, &env);
        }
    }
});
