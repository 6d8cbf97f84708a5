//! The emulator's own test suite (`localstack/test`, pytest): the CBOR protocol translation,
//! percentile statistics, alarms and the ELBv2 round trips the product relies on. Run from
//! `cargo test` so one command tests everything; it creates the virtualenv on first use.

use std::process::Command;

#[test]
fn the_emulator_extension_passes_its_own_tests() {
    let script = super::emulator::repo_root().join("localstack/test");
    let output = Command::new(&script)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", script.display()));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "localstack/test failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains(" passed"), "pytest ran no test:\n{stdout}");
}
