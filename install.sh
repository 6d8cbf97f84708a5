#!/bin/sh
# Installs a canary-deploy release binary for this machine, so it can be used without a Rust
# toolchain or a build. It downloads the release archive for this OS and CPU and checks its
# SHA-256 against the release's checksum file before anything is installed: a mismatch installs
# nothing. The binary replaces an older one in one rename, so no half-written file is ever run.
#
#   curl -fsSL https://github.com/canary-deploy/canary-deploy/releases/latest/download/install.sh | sh
#   sh install.sh [--version X.Y.Z] [--to DIR]
#
# --version  the release to install (default: the latest release)
# --to       where to put the binary (default: $CARGO_HOME/bin when CARGO_HOME is set, else
#            ~/.local/bin)
# CANARY_DEPLOY_RELEASES_URL  where releases are downloaded from (a mirror), default
#            https://github.com/canary-deploy/canary-deploy/releases/download: it must serve
#            v<version>/canary-deploy-<version>-<target>.tar.gz and its .sha256, and, for the
#            latest release, ../latest as GitHub does (a redirect to .../tag/v<version>) or as a
#            file whose first line is v<version>.
#
# Exit codes: 0 installed; 1 failed (download, checksum mismatch, unusable binary: nothing
# installed); 2 usage; 3 no such release: no release of that version, or none for this OS and
# CPU, so a caller (such as the GitHub Action) can build from source instead.
set -eu

releases=${CANARY_DEPLOY_RELEASES_URL:-https://github.com/canary-deploy/canary-deploy/releases/download}
releases=${releases%/}
version=latest
dest=""

say() { printf 'canary-deploy install: %s\n' "$*" >&2; }
fail() {
    say "$1"
    exit "${2:-1}"
}
usage() {
    say "usage: install.sh [--version X.Y.Z] [--to DIR]  (see the comment at the top of install.sh)"
    exit 2
}

while [ "$#" -gt 0 ]; do
    case "$1" in
    --version)
        [ "$#" -ge 2 ] || usage
        version=$2
        shift 2
        ;;
    --version=*)
        version=${1#--version=}
        shift
        ;;
    --to)
        [ "$#" -ge 2 ] || usage
        dest=$2
        shift 2
        ;;
    --to=*)
        dest=${1#--to=}
        shift
        ;;
    -h | --help)
        printf '%s\n' "usage: install.sh [--version X.Y.Z] [--to DIR]" \
            "  --version  the release to install (default: the latest)" \
            "  --to       where to put the binary (default: \$CARGO_HOME/bin, else ~/.local/bin)" \
            "  CANARY_DEPLOY_RELEASES_URL  where to download releases from (default: $releases)"
        exit 0
        ;;
    *)
        say "unknown argument '$1'"
        usage
        ;;
    esac
done

# A release version: X.Y.Z with an optional pre-release, as Cargo.toml and the tags spell it.
is_version() {
    printf '%s\n' "$1" | grep -Eq '^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$'
}

version=${version#v}
if [ "$version" != latest ] && ! is_version "$version"; then
    fail "--version must be a release such as 0.2.0 or latest, not '$version'" 2
fi
if [ -z "$dest" ]; then
    if [ -n "${CARGO_HOME:-}" ]; then
        dest=$CARGO_HOME/bin
    else
        [ -n "${HOME:-}" ] || fail "HOME is not set: pass --to DIR" 2
        dest=$HOME/.local/bin
    fi
fi

# The release's target triple for this machine. Linux binaries are static (musl), so they run
# on any distribution.
os=$(uname -s)
cpu=$(uname -m)
case "$cpu" in
x86_64 | amd64) cpu=x86_64 ;;
aarch64 | arm64) cpu=aarch64 ;;
*) fail "no release binary for the CPU $cpu (there are x86_64 and aarch64): build from source with cargo" 3 ;;
esac
case "$os" in
Linux) target=$cpu-unknown-linux-musl ;;
Darwin)
    # A shell under Rosetta reports x86_64 on Apple silicon: the native binary is better.
    if [ "$cpu" = x86_64 ] && [ "$(sysctl -n sysctl.proc_translated 2>/dev/null || true)" = 1 ]; then
        cpu=aarch64
    fi
    target=$cpu-apple-darwin
    ;;
*) fail "no release binary for $os (there are Linux and macOS ones): build from source with cargo" 3 ;;
esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/canary-deploy-install.XXXXXX") || fail "cannot create a temporary directory"
staged=""
cleanup() {
    rm -rf "$tmp"
    if [ -n "$staged" ]; then rm -f "$staged"; fi
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

# download URL FILE: 0 when the server answered 200, 3 when it answered 404, 1 otherwise (with
# the reason said). Writes the URL it ended at, after redirects, to $tmp/final.
download() {
    if command -v curl >/dev/null 2>&1; then
        if ! answer=$(curl -sSL --proto '=https,http' --retry 2 -o "$2" -w '%{http_code} %{url_effective}' "$1"); then
            say "cannot download $1"
            return 1
        fi
        status=${answer%% *}
        printf '%s\n' "${answer#* }" >"$tmp/final"
    elif command -v wget >/dev/null 2>&1; then
        wget -q -S -O "$2" "$1" 2>"$tmp/headers" || true
        status=$(sed -n 's/^ *HTTP\/[0-9.]* \([0-9][0-9]*\).*/\1/p' "$tmp/headers" | tail -n 1)
        location=$(sed -n 's/^ *[Ll]ocation: *\([^[:space:]]*\).*/\1/p' "$tmp/headers" | tail -n 1)
        printf '%s\n' "${location:-$1}" >"$tmp/final"
    else
        say "neither curl nor wget is installed: install one of them"
        return 1
    fi
    case "$status" in
    200) return 0 ;;
    404) return 3 ;;
    "") say "cannot download $1 (no answer)" ;;
    *) say "cannot download $1 (HTTP $status)" ;;
    esac
    return 1
}

# The SHA-256 of a file, in lowercase hex.
sha256() {
    if command -v sha256sum >/dev/null 2>&1; then
        sha256sum "$1" | cut -d ' ' -f 1
    elif command -v shasum >/dev/null 2>&1; then
        shasum -a 256 "$1" | cut -d ' ' -f 1
    else
        return 1
    fi
}

if [ "$version" = latest ]; then
    case "$releases" in
    */download) latest=${releases%/download}/latest ;;
    *) fail "cannot tell the latest release from $releases (it does not end in /download): pass --version" 2 ;;
    esac
    code=0
    download "$latest" "$tmp/latest" || code=$?
    [ "$code" -ne 3 ] || fail "no release found at $latest" 3
    [ "$code" -eq 0 ] || exit 1
    final=$(cat "$tmp/final")
    version=${final##*/}
    case "$final" in
    */tag/v*) ;;
    *) version=$(head -n 1 "$tmp/latest" | tr -d '[:space:]') ;;
    esac
    version=${version#v}
    is_version "$version" || fail "no release found at $latest (it names no version)" 3
fi

name=canary-deploy-$version-$target
url=$releases/v$version/$name.tar.gz

code=0
download "$url.sha256" "$tmp/sha256" || code=$?
[ "$code" -ne 3 ] || fail "no release binary for canary-deploy $version on $target ($url.sha256 is not there)" 3
[ "$code" -eq 0 ] || exit 1
expected=$(cut -d ' ' -f 1 "$tmp/sha256" | head -n 1 | tr 'A-F' 'a-f')
printf '%s\n' "$expected" | grep -Eq '^[0-9a-f]{64}$' || fail "$url.sha256 holds no SHA-256 digest"

code=0
download "$url" "$tmp/archive.tar.gz" || code=$?
[ "$code" -ne 3 ] || fail "no release binary for canary-deploy $version on $target ($url is not there)" 3
[ "$code" -eq 0 ] || exit 1

actual=$(sha256 "$tmp/archive.tar.gz") || fail "neither sha256sum nor shasum is installed: the download cannot be verified, so nothing is installed"
if [ "$actual" != "$expected" ]; then
    fail "checksum mismatch for $url: expected SHA-256 $expected, got $actual; nothing installed"
fi

mkdir "$tmp/unpacked"
tar -xzf "$tmp/archive.tar.gz" -C "$tmp/unpacked" "$name/canary-deploy" 2>/dev/null ||
    fail "$url does not hold $name/canary-deploy"

# Staged beside its final path, so the last step is a rename within one directory. The staged
# binary must run and be the version asked for before it replaces anything.
mkdir -p "$dest" || fail "cannot create $dest"
staged=$dest/.canary-deploy.install.$$
cp "$tmp/unpacked/$name/canary-deploy" "$staged" || fail "cannot write to $dest"
chmod 755 "$staged"
reported=$("$staged" --version 2>&1) || fail "the downloaded binary does not run on this machine: $reported"
[ "$reported" = "canary-deploy $version" ] ||
    fail "the downloaded binary says '$reported', not 'canary-deploy $version'; nothing installed"
mv -f "$staged" "$dest/canary-deploy" || fail "cannot move the binary into $dest"
staged=""

printf 'installed %s: %s\n' "$dest/canary-deploy" "$("$dest/canary-deploy" --version)"
case ":${PATH:-}:" in
*":$dest:"*) ;;
*) say "$dest is not on PATH: add it, or run $dest/canary-deploy" ;;
esac
