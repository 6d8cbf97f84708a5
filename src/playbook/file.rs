//! Reading the playbook file: a regular file of at most [`MAX_BYTES`], as UTF-8 text. A FIFO
//! would block the command forever and `/dev/zero` would fill memory, so anything but a regular
//! file is refused by its kind before it is opened, and a file is never read past the limit.

use super::error::{Location, PlaybookError, Problem};
use std::io::Read;
use std::path::Path;

/// The largest playbook read: a playbook is a few dozen lines, so 1 MiB is generous.
pub const MAX_BYTES: u64 = 1024 * 1024;

/// The text of the playbook at `path`; problems name `file`.
pub(super) fn read(path: &Path, file: &str) -> Result<String, PlaybookError> {
    let whole_file = |message: String, hint: &str| {
        PlaybookError::of(vec![Problem {
            location: Location {
                file: file.to_string(),
                line: 0,
                column: 0,
            },
            message,
            hint: hint.to_string(),
        }])
    };
    let cannot_read = |e: std::io::Error| {
        whole_file(
            format!("cannot read the playbook: {}", e.to_string().to_lowercase()),
            "check the path and that the file is readable",
        )
    };
    let not_regular = |kind: &str| {
        whole_file(
            format!("the playbook is {kind}, not a regular file"),
            "give the path of a YAML file (a pipe or a device is not read, so that the command cannot hang)",
        )
    };
    let kind = std::fs::metadata(path).map_err(cannot_read)?.file_type();
    if !kind.is_file() {
        return Err(not_regular(kind_of(&kind)));
    }
    let opened = std::fs::File::open(path).map_err(cannot_read)?;
    // The path may have been swapped since: check what was opened as well.
    let kind = opened.metadata().map_err(cannot_read)?.file_type();
    if !kind.is_file() {
        return Err(not_regular(kind_of(&kind)));
    }
    let mut bytes = Vec::new();
    opened
        .take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot_read)?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(whole_file(
            format!(
                "the playbook is larger than {} MiB, the most a playbook may be",
                MAX_BYTES / (1024 * 1024)
            ),
            "give the playbook file itself (a playbook is a few dozen lines); see docs/playbook.md",
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        whole_file(
            format!(
                "the playbook is not utf-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
            "save the file as utf-8 yaml",
        )
    })
}

/// What a file that is not a regular file is, in words.
fn kind_of(kind: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_dir() {
        "a directory"
    } else if kind.is_fifo() {
        "a named pipe (FIFO)"
    } else if kind.is_char_device() || kind.is_block_device() {
        "a device"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(path: &Path) -> String {
        read(path, "pb.yaml").unwrap_err().problems[0]
            .message
            .clone()
    }

    #[test]
    fn only_regular_files_are_read() {
        assert_eq!(
            message(Path::new("/dev/zero")),
            "the playbook is a device, not a regular file"
        );
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            message(dir.path()),
            "the playbook is a directory, not a regular file"
        );
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo");
        assert_eq!(
            message(&fifo),
            "the playbook is a named pipe (FIFO), not a regular file"
        );
    }

    #[test]
    fn a_file_is_read_up_to_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pb.yaml");
        std::fs::write(&path, "#".repeat(MAX_BYTES as usize)).unwrap();
        assert_eq!(read(&path, "pb.yaml").unwrap().len(), MAX_BYTES as usize);
        std::fs::write(&path, "#".repeat(MAX_BYTES as usize + 1)).unwrap();
        assert!(message(&path).contains("larger than 1 MiB"));
        std::fs::write(&path, b"name: \xff").unwrap();
        assert!(message(&path).contains("not utf-8"));
        assert!(message(&dir.path().join("none")).starts_with("cannot read the playbook"));
    }
}
