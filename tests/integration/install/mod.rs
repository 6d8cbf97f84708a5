//! Installing without a build: install.sh, and the GitHub Action's install step
//! (.github/action/), against a release made from the binary under test and served over HTTP by
//! a local server laid out as GitHub serves releases. They check what a user relies on: the
//! binary installed runs, a download whose checksum does not match is refused with nothing
//! installed, a missing release is told apart from a failed download (exit 3 against 1), and the
//! action builds with cargo only when there is no release binary to install.

mod action;
mod fixtures;
mod script;
