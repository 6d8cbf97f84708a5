#!/usr/bin/env bash
# The action's "Prepare the install" step: decides what the install step installs, and the
# cache key of the result. The action installs the release binary for its own ref by default:
# `uses: canary-deploy/canary-deploy@v0.2.0` gets release 0.2.0, which needs no Rust toolchain
# and no build. The `version` input names another release instead. A branch, a commit or a
# major-version tag (`@main`, `@<sha>`, `@v1`) names no release: its source is built.
#
# Reads ACTION_PATH, ACTION_REF (github.action_ref) and INPUT_VERSION; writes to $GITHUB_OUTPUT:
#   version   the release to download, or empty to build the action's source
#   fallback  what to build when that release has no binary for this runner: `crate` (the
#             `version` input's release, from crates.io) or `source` (the action's own source,
#             which is that release's when the ref is its tag)
#   key       the binary's cache key: one per release, or one per source tree
#   root      where the binary is installed (<root>/bin/canary-deploy)
set -euo pipefail

release='^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$'
version=""
fallback=source
if [ -n "${INPUT_VERSION:-}" ]; then
  version=$INPUT_VERSION
  fallback=crate
elif [[ "${ACTION_REF:-}" == v* ]] && [[ "${ACTION_REF#v}" =~ $release ]]; then
  version=${ACTION_REF#v}
fi

if [ -n "$version" ]; then
  key="release-$version"
else
  # One key per source tree, so a scheduled tick with an unchanged action restores the binary
  # instead of building it.
  cd "$ACTION_PATH"
  key="source-$(find Cargo.toml Cargo.lock src -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-32)"
fi

{
  echo "version=$version"
  echo "fallback=$fallback"
  echo "key=$key"
  echo "root=$HOME/.canary-deploy"
} >>"$GITHUB_OUTPUT"
