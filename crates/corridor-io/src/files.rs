//! Bounded reading of input files: every text file a user names goes through [`read_text`], so
//! a FIFO, a device such as `/dev/zero` or a file of unexpected size is refused with a clear
//! error before anything blocks or allocates without bound.

use std::io::Read;
use std::path::Path;

/// Default largest input text file (a dataset file, a CSV of pairs, a scenario, a key file):
/// the embedded dataset's largest file is under 2 MB, a pairs file of a 10,000 x 10,000 sweep
/// about 400 MB.
pub const MAX_TEXT_BYTES: u64 = 512 << 20;

/// Reads the regular file `path` as UTF-8 text of at most `limit` bytes.
///
/// Refuses what is not a regular file (checked before opening: opening a FIFO blocks until a
/// writer appears), a file larger than `limit` (checked on the metadata and again while
/// reading, for a file that grows), and text that is not UTF-8 (with the byte offset).
pub fn read_text(path: &Path, limit: u64) -> std::io::Result<String> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    if meta.len() > limit {
        return Err(std::io::Error::other(format!(
            "{} bytes; files larger than {limit} bytes are refused",
            meta.len()
        )));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(path)?.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(std::io::Error::other(format!("grew beyond {limit} bytes while being read")));
    }
    String::from_utf8(bytes).map_err(|e| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("not UTF-8 text (invalid byte at offset {})", e.utf8_error().valid_up_to()),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_directories_and_large_files_are_refused() {
        let e = read_text(Path::new("/dev/zero"), MAX_TEXT_BYTES).unwrap_err().to_string();
        assert_eq!(e, "not a regular file");
        let dir = std::env::temp_dir();
        assert_eq!(read_text(&dir, MAX_TEXT_BYTES).unwrap_err().to_string(), "not a regular file");
        let f = dir.join(format!("corridor-files-{}.txt", std::process::id()));
        std::fs::write(&f, "0123456789").unwrap();
        assert_eq!(read_text(&f, 10).unwrap(), "0123456789");
        let e = read_text(&f, 9).unwrap_err().to_string();
        assert!(e.starts_with("10 bytes; files larger than 9 bytes"), "{e}");
        std::fs::write(&f, b"ok\xff").unwrap();
        let e = read_text(&f, 10).unwrap_err().to_string();
        assert!(e.contains("not UTF-8 text (invalid byte at offset 2)"), "{e}");
        std::fs::remove_file(&f).ok();
    }
}
