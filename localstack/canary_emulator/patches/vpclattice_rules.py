"""VPC Lattice listeners and listener rules as AWS keeps them; moto 5.2.5 had no UpdateListener,
GetRule, ListRules, UpdateRule, BatchUpdateRule or DeleteRule, and its CreateRule built a broken ARN
(`listener/listener-listener-...`, or the whole service ARN inside it when given ARNs).

- Every listener has a default rule (the API reference for ListRules/GetRule: "Each listener
  has a default rule"; GetRule "can also retrieve information about the default listener
  rule"). Here it is created with the listener, named `default`, `isDefault: true`, no match
  and no priority (what AWS shows for those two is not confirmed), and its action is the
  listener's defaultAction: UpdateListener changes both, and so does an UpdateRule of the
  default rule's action. Its priority and match cannot be changed (user guide: "You cannot
  change the priority of the default rule", "Default rules can't have conditions"):
  ValidationException.
- ListRules lists the rules by priority, the default rule last (the order AWS evaluates them;
  AWS's listing order is not confirmed), paged by maxResults / nextToken.
- UpdateRule changes only the members it is given (match, priority, action); the rest stays
  as it was.
- Priorities are unique within a listener (RuleUpdate docs: "A listener can't have multiple
  rules with the same priority"): a clash is a ConflictException (409). BatchUpdateRule
  ("useful when bulk updating or swapping rule priority") checks clashes against the batch's
  end state, so two rules can swap priorities in one call.
- BatchUpdateRule: input constraints (weights, priorities, 1-10 rules as in the model; the API
  reference says at most 5) fail the whole call with a 400, as does an unknown service or
  listener (404); a rule that is unknown, whose action names a missing target group, or whose
  priority clashes is reported in `unsuccessful` (ruleIdentifier as sent, failureCode = the
  error code the single UpdateRule would give, failureMessage) while the others are applied
  and reported in `successful`. The failureCode strings are not confirmed against AWS.
- Names are unique per listener (rules) and per service (listeners), per the API reference;
  a duplicate is a ConflictException.
"""

from moto.vpclattice import models

from canary_emulator.patches.vpclattice_actions import (
    check_action,
    check_match,
    check_priority,
    require,
    resolve_action,
)
from canary_emulator.patches.vpclattice_model import (
    LISTENER,
    RULE,
    Conflict,
    Invalid,
    LatticeError,
    find_listener,
    find_rule,
    find_service,
    new_id,
    now,
)

DEFAULT_RULE_NAME = "default"
_PROTOCOL_PORTS = {"HTTP": 80, "HTTPS": 443}  # CreateListener: "For HTTP, the default is 80..."


# ---- listeners -----------------------------------------------------------------------------------


def create_listener(backend, service_identifier, name, protocol, port, default_action,
                    client_token, tags):
    require(name, "name")
    require(protocol, "protocol")
    check_action(default_action, "defaultAction")
    service = find_service(backend, service_identifier)
    action = resolve_action(backend, default_action, "defaultAction")
    same_name = next((other for other in backend.listeners.values()
                      if other.name == name and other.service_identifier == service.id), None)
    if same_name is not None:
        raise Conflict(f"A listener named {name} already exists in service {service.id}",
                       LISTENER, same_name.id)
    listener = models.VPCLatticeListener(
        backend.region_name, backend.account_id, service.id, name, protocol,
        port or _PROTOCOL_PORTS.get(protocol), action, client_token, tags)
    backend.listeners[listener.id] = listener
    backend.tag_resource(listener.arn, tags or {})
    default_rule(backend, listener)
    return listener


def update_listener(backend, service_identifier, listener_identifier, default_action):
    check_action(default_action, "defaultAction")
    listener = find_listener(backend, find_service(backend, service_identifier),
                             listener_identifier)
    _set_default_action(backend, listener, resolve_action(backend, default_action, "defaultAction"))
    return listener


def _set_default_action(backend, listener, action) -> None:
    listener.default_action = action
    listener.last_updated_at = now().isoformat()
    rule = default_rule(backend, listener)
    rule.action, rule.last_updated_at = action, now()


# ---- rules ---------------------------------------------------------------------------------------


def _new_rule(backend, listener, name, match, priority, action, tags, is_default=False):
    rule = models.VPCLatticeRule(backend.region_name, backend.account_id, action, None,
                                 listener.id, match, name, priority, listener.service_identifier,
                                 tags)
    rule.id = new_id("rule")
    rule.arn = f"{listener.arn}/rule/{rule.id}"
    rule.is_default = is_default
    rule.created_at = rule.last_updated_at = now()
    backend.rules[rule.id] = rule
    backend.tag_resource(rule.arn, tags or {})
    return rule


def default_rule(backend, listener):
    """The listener's default rule (created with the listener)."""
    for rule in backend.rules.values():
        if rule.listener_identifier == listener.id and getattr(rule, "is_default", False):
            return rule
    return _new_rule(backend, listener, DEFAULT_RULE_NAME, None, None, listener.default_action,
                     None, is_default=True)


def listener_rules(backend, listener) -> list:
    """The listener's rules in evaluation order: by priority, the default rule last."""
    default = default_rule(backend, listener)
    others = [r for r in backend.rules.values()
              if r.listener_identifier == listener.id and r is not default]
    return sorted(others, key=lambda r: r.priority) + [default]


def create_rule(backend, service_identifier, listener_identifier, name, match, priority, action,
                tags):
    require(name, "name")
    check_match(match, "match")
    require(priority, "priority")
    check_priority(priority, "priority")
    check_action(action, "action")
    listener = find_listener(backend, find_service(backend, service_identifier),
                             listener_identifier)
    action = resolve_action(backend, action, "action")
    rules = listener_rules(backend, listener)
    same_name = next((r for r in rules if r.name == name), None)
    if same_name is not None:
        raise Conflict(f"A rule named {name} already exists in listener {listener.id}", RULE,
                       same_name.id)
    holder = next((r for r in rules if not r.is_default and r.priority == int(priority)), None)
    if holder is not None:
        raise Conflict(f"Priority {priority} is already used by rule {holder.id} of the listener",
                       RULE, holder.id)
    return _new_rule(backend, listener, name, match, int(priority), action, tags)


def delete_rule(backend, service_identifier, listener_identifier, rule_identifier):
    """DeleteRule: the rule and its tags are gone (a second delete is ResourceNotFound). The
    listener's default rule cannot be deleted (it goes with its listener): ValidationException
    (the exact message AWS gives is not confirmed)."""
    rule = get_rule(backend, service_identifier, listener_identifier, rule_identifier)
    if rule.is_default:
        raise Invalid("The default rule of a listener cannot be deleted", "ruleIdentifier")
    del backend.rules[rule.id]
    backend.tagger.delete_all_tags_for_resource(rule.arn)


def get_rule(backend, service_identifier, listener_identifier, rule_identifier):
    listener = find_listener(backend, find_service(backend, service_identifier),
                             listener_identifier)
    return find_rule(listener_rules(backend, listener), rule_identifier)


def check_update(update: dict, prefix: str) -> None:
    """Input constraints of an UpdateRule request or a RuleUpdate ('rules.N.member.' prefix)."""
    if update.get("match") is not None:
        check_match(update["match"], f"{prefix}match")
    check_priority(update.get("priority"), f"{prefix}priority")
    if update.get("action") is not None:
        check_action(update["action"], f"{prefix}action")


def update_rules(backend, service_identifier, listener_identifier, updates: list[dict],
                 batch: bool):
    """Applies RuleUpdates to one listener, input constraints first. Returns (the updated
    rules, failures), both in request order; a failure is (the update as sent, the
    LatticeError an UpdateRule of it alone would raise)."""
    prefixes = [f"rules.{n}.member." if batch else "" for n in range(1, len(updates) + 1)]
    for update, prefix in zip(updates, prefixes, strict=True):
        check_update(update, prefix)
    listener = find_listener(backend, find_service(backend, service_identifier),
                             listener_identifier)
    rules = listener_rules(backend, listener)
    planned, failures = [], []
    for n, (update, prefix) in enumerate(zip(updates, prefixes, strict=True)):
        try:
            planned.append((n, update, *_plan(backend, rules, update, prefix)))
        except LatticeError as error:
            failures.append((n, update, error))
    planned = _without_priority_clashes(rules, planned, failures)
    for _, _, rule, changes in planned:
        for attr, value in changes.items():
            setattr(rule, attr, value)
        rule.last_updated_at = now()
        if rule.is_default and "action" in changes:
            _set_default_action(backend, listener, changes["action"])
    return ([rule for _, _, rule, _ in planned],
            [(update, error) for _, update, error in sorted(failures, key=lambda f: f[0])])


def _plan(backend, rules, update: dict, prefix: str):
    rule = find_rule(rules, update["ruleIdentifier"])
    changes = {}
    if update.get("match") is not None:
        if rule.is_default:
            raise Invalid("The match of the default rule cannot be changed", f"{prefix}match")
        changes["match"] = update["match"]
    if update.get("priority") is not None:
        if rule.is_default:
            raise Invalid("The priority of the default rule cannot be changed",
                          f"{prefix}priority")
        changes["priority"] = int(update["priority"])
    if update.get("action") is not None:
        changes["action"] = resolve_action(backend, update["action"], f"{prefix}action")
    return rule, changes


def _without_priority_clashes(rules, planned, failures):
    """Moves to `failures` each planned update whose new priority another rule holds once the
    batch is applied; repeats, since a dropped update leaves its rule at its old priority."""
    while True:
        final = {r: r.priority for r in rules if not r.is_default}
        final.update({rule: c["priority"] for _, _, rule, c in planned if "priority" in c})
        for entry in planned:
            n, update, rule, changes = entry
            holder = next((other for other, p in final.items() if other is not rule
                           and "priority" in changes and p == changes["priority"]), None)
            if holder is not None:
                break
        else:
            return planned
        planned = [p for p in planned if p is not entry]
        failures.append((n, update, Conflict(
            f"Priority {changes['priority']} is already used by rule {holder.id} of the "
            "listener", RULE, holder.id)))
