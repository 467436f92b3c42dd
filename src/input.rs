//! Reading the files a user hands r53ctl (config, creds.json, plan files, the shared AWS files,
//! token files) with a size cap, so that a wrong path such as `/dev/zero` fails at once with a
//! clear error instead of growing until the kernel stops the process.
//!
//! May import: nothing of the crate.

use std::fmt;
use std::io::Read;
use std::path::Path;

/// The largest input file r53ctl reads: far above any real config (100,000 record sets take about
/// 6 MB), far below what would hurt a small host.
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// Why an input file could not be read; callers name the file.
#[derive(Debug)]
pub enum InputError {
    /// Opening or reading failed.
    Io(std::io::Error),
    /// The file holds more than [`MAX_INPUT_BYTES`].
    TooLarge,
    /// The file is not UTF-8 text.
    NotText,
}

impl InputError {
    /// Whether the file does not exist.
    pub fn is_not_found(&self) -> bool {
        matches!(self, InputError::Io(e) if e.kind() == std::io::ErrorKind::NotFound)
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::Io(err) => write!(f, "{err}"),
            InputError::TooLarge => write!(
                f,
                "it is larger than {} MiB (is it the right file?)",
                MAX_INPUT_BYTES / (1024 * 1024)
            ),
            InputError::NotText => f.write_str("it is not UTF-8 text"),
        }
    }
}

impl std::error::Error for InputError {}

/// The bytes of the file at `path`, refused when they exceed [`MAX_INPUT_BYTES`].
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, InputError> {
    let file = std::fs::File::open(path).map_err(InputError::Io)?;
    // Sized from the metadata, so a large config is not copied while the buffer doubles; a file
    // that grows meanwhile still reads whole, and one without a size (a pipe) starts empty.
    let size = file
        .metadata()
        .map_or(0, |m| m.len().min(MAX_INPUT_BYTES + 1));
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(InputError::Io)?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(InputError::TooLarge);
    }
    Ok(bytes)
}

/// The text of the file at `path`, refused when it exceeds [`MAX_INPUT_BYTES`] or is not UTF-8.
pub fn read_text(path: &Path) -> Result<String, InputError> {
    String::from_utf8(read_bytes(path)?).map_err(|_| InputError::NotText)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_endless_file_fails_fast() {
        let err = read_bytes(Path::new("/dev/zero")).unwrap_err();
        assert!(matches!(err, InputError::TooLarge), "{err}");
        assert!(err.to_string().contains("larger than 64 MiB"), "{err}");
    }

    #[test]
    fn missing_and_binary_files_say_so() {
        let err = read_text(Path::new("/nonexistent/r53ctl.json")).unwrap_err();
        assert!(err.is_not_found(), "{err}");
        let path = std::env::temp_dir().join(format!("r53ctl-input-{}", std::process::id()));
        std::fs::write(&path, [0xff, 0xfe]).unwrap();
        let err = read_text(&path).unwrap_err();
        std::fs::remove_file(&path).unwrap();
        assert!(matches!(err, InputError::NotText), "{err}");
        assert!(read_text(Path::new("Cargo.toml")).is_ok());
    }
}
