"""Checks a composite action's metadata (action.yml) for what jactionlint leaves out.

jactionlint lints workflows with actionlint's checks and reads a composite action's inputs for
`uses: ./`, but it does not check the action metadata file itself. This checks those rules:

- top-level `name`, `description` and `runs`, and a `description` on every input and output;
- `branding.color`, when given, is one of the colours GitHub accepts;
- `runs.using` is `composite`, and every step with `run:` has a `shell:` (required there);
- every output's `value` is `${{ steps.<id>.outputs.<name> }}` for a step whose script writes
  `<name>=` to `$GITHUB_OUTPUT`.

And this action's own rule: no `${{ }}` anywhere in a `run:` script. An expression there is
pasted into the shell script before it runs, so an input could inject shell code; inputs reach
the scripts through `env:` instead.

Usage: python check_action.py action.yml (needs PyYAML). Prints one line per problem and exits
1 when there is any, else 0.
"""

import re
import sys

import yaml

COLORS = {"white", "black", "yellow", "blue", "green", "orange", "red", "purple", "gray-dark"}
OUTPUT_VALUE = re.compile(r"\$\{\{\s*steps\.([\w-]+)\.outputs\.([\w-]+)\s*\}\}")


def problems(action):
    """The rules above that `action` (the parsed action.yml) breaks, as sentences."""
    found = []

    def need(ok, problem):
        if not ok:
            found.append(problem)

    for key in ("name", "description", "runs"):
        need(action.get(key), f"no top-level `{key}`")
    for kind in ("inputs", "outputs"):
        for name, spec in (action.get(kind) or {}).items():
            need(
                isinstance(spec, dict) and spec.get("description"),
                f"{kind[:-1]} `{name}` has no description",
            )
    need(
        (action.get("branding") or {}).get("color", "white") in COLORS,
        f"branding color is not one of {sorted(COLORS)}",
    )
    runs = action.get("runs") or {}
    need(runs.get("using") == "composite", "runs.using is not `composite`")
    scripts = {}
    for number, step in enumerate(runs.get("steps") or [], 1):
        label = f"step {number} ({step.get('name') or step.get('id') or step.get('uses')})"
        if "run" in step:
            scripts[step.get("id")] = step["run"]
            need(step.get("shell"), f"{label} runs a script without `shell:`")
            need(
                "${{" not in step["run"],
                f"{label} has `${{{{ }}}}` in its script: pass the value through `env:`",
            )
    for name, spec in (action.get("outputs") or {}).items():
        value = OUTPUT_VALUE.fullmatch(str(spec.get("value", "")).strip())
        written = value and re.search(
            rf"{re.escape(value[2])}=.*GITHUB_OUTPUT", scripts.get(value[1], "")
        )
        need(
            written,
            f"output `{name}` is not a `steps.<id>.outputs.<name>` that the step's script writes",
        )
    return found


def main(path):
    with open(path) as f:
        action = yaml.safe_load(f)
    found = problems(action)
    for problem in found:
        print(f"{path}: {problem}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
