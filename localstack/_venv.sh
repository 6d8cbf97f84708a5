# Sourced by `start` and `test`: makes sure localstack/.venv exists and holds requirements.txt.
# The venv is rebuilt when requirements.txt changes (its sha256 is kept in a stamp file).
# A lock serialises concurrent callers (parallel Rust tests start several emulators at once).

ensure_venv() {
    local here="$1"
    local venv="$here/.venv"
    local stamp="$venv/.requirements.sha256"
    local want
    want="$(sha256sum "$here/requirements.txt" | cut -d' ' -f1)"
    mkdir -p "$here/.run"
    (
        flock -w 600 9 || { echo "localstack: timed out waiting for the venv lock" >&2; exit 1; }
        if [ -x "$venv/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
            exit 0
        fi
        local log="$here/.run/install.log"
        {
            [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
            "$venv/bin/python" -m pip install --disable-pip-version-check -q -r "$here/requirements.txt"
        } >"$log" 2>&1 || {
            echo "localstack: installing requirements failed; tail of $log:" >&2
            tail -n 30 "$log" >&2
            exit 1
        }
        echo "$want" >"$stamp"
    ) 9>"$here/.run/venv.lock"
}
