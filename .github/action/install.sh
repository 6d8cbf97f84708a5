#!/usr/bin/env bash
# The action's "Install canary-deploy" step: puts the binary at $ROOT/bin/canary-deploy and on
# PATH. In order: the binary restored from the cache; else the release that prepare.sh chose,
# downloaded by the repository's install.sh (its SHA-256 checked); else, when there is no such
# release binary for this runner (install.sh exits 3) or no release was chosen, a build with
# cargo. A download that fails otherwise (a checksum mismatch, a network error) fails the step:
# building instead would hide it.
#
# Reads ACTION_PATH, ACTION_REPOSITORY (github.action_repository), GITHUB_SERVER_URL, VERSION,
# FALLBACK (crate or source), ROOT, CACHED (the binary cache's cache-hit) and GITHUB_PATH.
# CANARY_DEPLOY_RELEASES_URL, when set, is where releases are downloaded from.
set -euo pipefail

bin="$ROOT/bin/canary-deploy"
installed=false
if [ "${CACHED:-}" = true ] && [ -x "$bin" ]; then
  echo "canary-deploy restored from the cache"
  installed=true
elif [ -n "${VERSION:-}" ]; then
  # The release of the repository the action came from (a fork's own releases for a fork).
  if [ -z "${CANARY_DEPLOY_RELEASES_URL:-}" ] && [ -n "${ACTION_REPOSITORY:-}" ]; then
    export CANARY_DEPLOY_RELEASES_URL="${GITHUB_SERVER_URL:-https://github.com}/$ACTION_REPOSITORY/releases/download"
  fi
  code=0
  PATH="$ROOT/bin:$PATH" sh "$ACTION_PATH/install.sh" --version "$VERSION" --to "$ROOT/bin" || code=$?
  case "$code" in
    0) installed=true ;;
    3) echo "::notice title=canary-deploy install::no release binary of canary-deploy $VERSION for this runner; building it with cargo" ;;
    *)
      echo "::error title=canary-deploy install::downloading release $VERSION failed (exit code $code, see above)"
      exit 1
      ;;
  esac
fi

if [ "$installed" = false ]; then
  if ! command -v cargo >/dev/null; then
    echo "::error title=canary-deploy install::cargo is not on PATH: add a Rust toolchain step (such as dtolnay/rust-toolchain) before this action"
    exit 1
  fi
  if [ -n "${VERSION:-}" ] && [ "${FALLBACK:-source}" = crate ]; then
    cargo install canary-deploy --version "$VERSION" --locked --bin canary-deploy \
      --root "$ROOT" --target-dir "$ACTION_PATH/target"
  else
    cargo install --path "$ACTION_PATH" --locked --bin canary-deploy \
      --root "$ROOT" --target-dir "$ACTION_PATH/target"
  fi
fi

echo "$ROOT/bin" >>"$GITHUB_PATH"
"$bin" --version
