//! `r53ctl completion bash|zsh|fish`: writes the shell's completion script on stdout.

use crate::cli::{completion, Args};
use crate::error::{Error, EXIT_OK};

pub fn run(args: &Args) -> Result<i32, Error> {
    let [shell] = args.positional.as_slice() else {
        return Err(Error::Usage(format!(
            "'r53ctl completion' takes one shell: {}",
            completion::SHELLS.join(", ")
        )));
    };
    crate::output::data(&completion::script(shell)?);
    Ok(EXIT_OK)
}
