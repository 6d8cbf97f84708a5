//! GitHub Actions workflow commands: the escaping the runner requires of a command's message
//! and properties, and the `::stop-commands::` token that fences untrusted text in the log.
//!
//! The runner reads a command from any line of a step's stdout or stderr that begins with
//! `::` after leading whitespace. [`super::line()`] already keeps untrusted text from beginning a
//! line; a [`StopToken`] around a block of it is the second wall: between
//! `::stop-commands::TOKEN` and `::TOKEN::` the runner obeys no command, and the token is random
//! from the operating system, so text inside cannot name it to end the fence early.

/// A workflow command's message, escaped as GitHub requires (`%`, `\r`, `\n`).
pub fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property value (such as `title`): the message escapes plus `:` and `,`.
pub fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

/// A fresh stop-commands token: 128 bits from the operating system's random source, in hex.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StopToken(String);

impl StopToken {
    /// A new token, or the reason the operating system gave none.
    pub fn random() -> Result<StopToken, getrandom::Error> {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes)?;
        Ok(StopToken(
            bytes.iter().map(|byte| format!("{byte:02x}")).collect(),
        ))
    }

    /// `block` (lines without a final newline) between `::stop-commands::TOKEN` and
    /// `::TOKEN::`, each on a line of its own, with a final newline.
    pub fn fence(&self, block: &str) -> String {
        let token = &self.0;
        format!("::stop-commands::{token}\n{block}\n::{token}::\n")
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}
