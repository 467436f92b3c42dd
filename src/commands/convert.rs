//! `r53ctl convert`: writes an r53ctl config from dnscontrol's IR or a BIND zone file, offline.

use crate::cli::Args;
use crate::config::{self, export};
use crate::error::{Error, EXIT_OK};

pub fn run(args: &Args) -> Result<i32, Error> {
    let usage = |problem: &str| {
        Error::Usage(format!(
            "{problem}; usage: r53ctl convert --from dnscontrol-ir|bind [--domain NAME] FILE"
        ))
    };
    let [input] = args.positional.as_slice() else {
        return Err(usage("give exactly one input file"));
    };
    let input = std::path::Path::new(input);
    let config = match (args.from.as_deref(), &args.domain) {
        (Some("dnscontrol-ir"), None) => config::load_ir(input)?,
        (Some("dnscontrol-ir"), Some(_)) => {
            return Err(usage(
                "--domain is for --from bind; the IR names its domains",
            ))
        }
        (Some("bind"), Some(domain)) => config::bind_import::load(input, domain)?,
        (Some("bind"), None) => return Err(usage("--from bind needs --domain, the zone's name")),
        (Some(other), _) => return Err(usage(&format!("--from {other} is not a known format"))),
        (None, _) => return Err(usage("--from is required")),
    };
    let text = export::config_text(&config, args.include_apex_ns);
    crate::output::data_to(args.out.as_deref(), args.force, &text)?;
    Ok(EXIT_OK)
}
