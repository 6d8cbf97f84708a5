"""The VPC Lattice operations the product uses, as rest-json handlers on moto's
VPCLatticeResponse: new ones (GetRule, ListRules, UpdateRule, BatchUpdateRule, DeleteRule,
UpdateListener) and replacements (CreateListener, GetListener, ListListeners, CreateRule,
ListServices, GetService, GetTargetGroup) that find resources by id or ARN and answer in the
model's shapes.

moto routes every `/services/...` request to VPCLatticeResponse and picks the operation from
botocore's model by method and path, so a handler is a method named after the operation.
Identifiers come percent-decoded from the URI labels (`self._get_param`), which is what lets an
ARN (with its `/`) stand in for an id; moto's handlers looked ids up in dicts or split
`self.path`, so an ARN was "not found" (ListListeners, CreateListener) or ended up inside the
new resource's ARN (CreateRule).
Answers have `Content-Type: application/json` and the model's success status (201 for
CreateListener / CreateRule, 200 otherwise); moto answered 200 with text/html.
"""

import json

from moto.vpclattice import models, responses

from canary_emulator.patches import vpclattice_model as model
from canary_emulator.patches import vpclattice_rules as rules
from canary_emulator.patches.vpclattice_model import shaped

Response = responses.VPCLatticeResponse


def apply() -> None:
    model.apply()
    models.VPCLatticeRule.is_default = False
    for name, handler in _HANDLERS.items():
        setattr(Response, name, handler)


def _json(body: dict, status: int = 200):
    return json.dumps(body), {"status": status, "Content-Type": "application/json"}


def _ids(self) -> tuple[str, str]:
    return self._get_param("serviceIdentifier"), self._get_param("listenerIdentifier")


def _rule_json(rule, shape_name: str) -> dict:
    return shaped(shape_name, {
        "arn": rule.arn, "id": rule.id, "name": rule.name, "isDefault": rule.is_default,
        "match": rule.match or None, "priority": rule.priority, "action": rule.action,
        "createdAt": model.timestamp(rule.created_at),
        "lastUpdatedAt": model.timestamp(rule.last_updated_at),
    })


def page(self, items: list) -> tuple[list, str | None]:
    """The page of ITEMS a List* request asks for (maxResults 1-100, default 100; nextToken an
    offset) and the next token, if more follow. vpclattice_targets.py's ListTargets uses it too."""
    token = self._get_param("nextToken")
    size = self._get_param("maxResults")
    size = int(size) if size is not None else 100
    if not 1 <= size <= 100:
        raise model.constraint("maxResults", size, "Member must have value between 1 and 100")
    try:
        start = int(token) if token else 0
    except ValueError:
        raise model.Invalid(f"Invalid nextToken {token}", "nextToken") from None
    end = start + size
    return items[start:end], (str(end) if end < len(items) else None)


# ---- listeners -----------------------------------------------------------------------------------


def create_listener(self):
    listener = rules.create_listener(
        self.backend, self._get_param("serviceIdentifier"), self._get_param("name"),
        self._get_param("protocol"), self._get_param("port"), self._get_param("defaultAction"),
        self._get_param("clientToken"), self._get_param("tags"))
    return _json(model.listener_json(listener, "CreateListenerResponse"), 201)


def get_listener(self):
    service = model.find_service(self.backend, self._get_param("serviceIdentifier"))
    listener = model.find_listener(self.backend, service, self._get_param("listenerIdentifier"))
    return _json(model.listener_json(listener, "GetListenerResponse"))


def list_listeners(self):
    service = model.find_service(self.backend, self._get_param("serviceIdentifier"))
    listeners = [listener for listener in self.backend.listeners.values()
                 if listener.service_identifier == service.id]
    listed, token = page(self, listeners)
    return _json(shaped("ListListenersResponse", {
        "items": [model.listener_json(listener, "ListenerSummary") for listener in listed],
        "nextToken": token}))


def update_listener(self):
    listener = rules.update_listener(self.backend, *_ids(self), self._get_param("defaultAction"))
    return _json(model.listener_json(listener, "UpdateListenerResponse"))


# ---- rules ---------------------------------------------------------------------------------------


def create_rule(self):
    rule = rules.create_rule(self.backend, *_ids(self), self._get_param("name"),
                             self._get_param("match"), self._get_param("priority"),
                             self._get_param("action"), self._get_param("tags"))
    return _json(_rule_json(rule, "CreateRuleResponse"), 201)


def delete_rule(self):
    rules.delete_rule(self.backend, *_ids(self), self._get_param("ruleIdentifier"))
    return "", {"status": 204}


def get_rule(self):
    rule = rules.get_rule(self.backend, *_ids(self), self._get_param("ruleIdentifier"))
    return _json(_rule_json(rule, "GetRuleResponse"))


def list_rules(self):
    service = model.find_service(self.backend, self._get_param("serviceIdentifier"))
    listener = model.find_listener(self.backend, service, self._get_param("listenerIdentifier"))
    listed, token = page(self, rules.listener_rules(self.backend, listener))
    return _json(shaped("ListRulesResponse", {
        "items": [_rule_json(r, "RuleSummary") for r in listed], "nextToken": token}))


def update_rule(self):
    update = {k: self._get_param(k) for k in ("ruleIdentifier", "match", "priority", "action")}
    updated, failures = rules.update_rules(self.backend, *_ids(self), [update], batch=False)
    if failures:
        raise failures[0][1]
    return _json(_rule_json(updated[0], "UpdateRuleResponse"))


def batch_update_rule(self):
    updates = self._get_param("rules") or []
    if not 1 <= len(updates) <= 10:
        bound = "greater than or equal to 1" if not updates else "less than or equal to 10"
        raise model.constraint("rules", [u.get("ruleIdentifier") for u in updates],
                               f"Member must have length {bound}")
    updated, failures = rules.update_rules(self.backend, *_ids(self), updates, batch=True)
    return _json({
        "successful": [_rule_json(r, "RuleUpdateSuccess") for r in updated],
        "unsuccessful": [{"ruleIdentifier": u.get("ruleIdentifier"),
                          "failureCode": e.error_type, "failureMessage": e.message}
                         for u, e in failures],
    })


# ---- services and target groups ---------------------------------------------------------------


def list_services(self):
    """moto's read `MaxResults` / `NextToken`, which no client sends (the model's query names
    are `maxResults` / `nextToken`): past its first 50 services a name was never found."""
    listed, token = page(self, list(self.backend.services.values()))
    return _json(shaped("ListServicesResponse", {
        "items": [model.service_json(s, "ServiceSummary") for s in listed], "nextToken": token}))


def get_service(self):
    service = model.find_service(self.backend, self._get_param("serviceIdentifier"))
    return _json(model.service_json(service, "GetServiceResponse"))


def get_target_group(self):
    backend = self.backend
    target_group = model.find_target_group(backend, self._get_param("targetGroupIdentifier"))
    return _json(model.target_group_json(
        target_group, _services_using(backend, target_group), "GetTargetGroupResponse"))


def _services_using(backend, target_group) -> list[str]:
    """ARNs of the services whose listener or rule actions forward to the target group."""
    arns = []
    for listener in backend.listeners.values():
        for rule in rules.listener_rules(backend, listener):
            groups = (rule.action.get("forward") or {}).get("targetGroups") or []
            if any(g["targetGroupIdentifier"] in (target_group.id, target_group.arn)
                   for g in groups) and listener.service_arn not in arns:
                arns.append(listener.service_arn)
    return arns


_HANDLERS = {f.__name__: f for f in (
    create_listener, get_listener, list_listeners, update_listener, create_rule, delete_rule,
    get_rule, list_rules, update_rule, batch_update_rule, list_services, get_service,
    get_target_group)}
