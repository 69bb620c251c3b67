"""Schemathesis hooks of the api's contract test (loaded through schemathesis.toml).

The OpenAPI document states each field on its own. A few rules relate fields to each other, to
the clock, to stored state or to the DNS, which JSON Schema cannot state; a schema-valid request
breaking one is a 400 (or 422) naming the field, as documented. Only those answers are taken out
of the checks, each by the operation and the field, code and message the API answers with; every
other failure stands.
"""

import json
import os
import re

import schemathesis

SEGMENTS = re.compile(r"needs \d+ (GSM-7|UCS-2) segments; at most \d+ are allowed")
E164 = re.compile(r"\+[1-9]\d{1,14}")


def _anywhere(field, message):
    # A cursor is opaque: only one the API issued (a list's `next_cursor`) names a position.
    if field == "cursor" and message == "is not a cursor this API issued":
        return True
    # A callback URL's host must resolve to public addresses (the outbound address policy); the
    # test machine resolves no generated host name.
    if message.startswith(("does not resolve: ", "must be on a public address: ")):
        return True
    # A text's segment count depends on its encoding (GSM 03.38): 1,600 GSM-7 characters are 11
    # segments, 700 UCS-2 ones too; the schema bounds the length only.
    return SEGMENTS.fullmatch(message) is not None


def _flow_document(prefix):
    """Flow documents are checked against GET /v1/flows/schema and the DSL's label rules (JSON Pointers)."""
    return lambda field, message: field == prefix or field.startswith(prefix + "/")


def _no_project_id(field, message):
    """Only some dead-letter queues carry a project id (the queue is a path parameter)."""
    return field == "project_id" and message.endswith("dead letters carry no project id")


# A dead-letter selection is `ids` or `all: true` (with an optional `project_id`), never both.
_DEAD_LETTER_SELECTION = [
    _no_project_id,
    lambda f, m: f == "ids" and m in ("give either ids or all: true, not both", "give ids or all: true"),
    lambda f, m: f == "project_id" and m == "filters only all: true",
]

# operation label -> predicates over (field, message) of a 400's `error.fields`.
ACCEPTED = {
    "GET /v1/usage": [lambda f, m: f == "from" and m == "must not be after to"],
    "POST /v1/flows": [_flow_document("/document")],
    "POST /v1/flows/{flowId}/versions": [_flow_document("/document")],
    "POST /v1/calls": [
        _flow_document("/flow"),
        lambda f, m: f == "flow_id" and m == "give exactly one of flow_id and flow",
        lambda f, m: f == "flow_version" and m == "only goes with flow_id",
    ],
    "POST /admin/projects/{projectId}/api-keys": [lambda f, m: f == "expires_at" and m == "must be in the future"],
    "GET /admin/dead-letters/{queue}": [_no_project_id, lambda f, m: f == "cursor" and m == "is not a cursor this API issued"],
    "POST /admin/dead-letters/{queue}/replay": _DEAD_LETTER_SELECTION,
    "DELETE /admin/dead-letters/{queue}": _DEAD_LETTER_SELECTION,
}

SENDER_ID_REVOKE = "DELETE /admin/projects/{projectId}/sender-ids/{senderId}"
PROTOTYPE_KEY = re.compile(r'"(__proto__|prototype)"\s*:')


def _json(body):
    return json.dumps(body) if body is not None else ""


# 422 codes that depend on stored state: a recipient that opted out (POST /v1/opt-outs, or an MO
# STOP), an Idempotency-Key an earlier request used with another body.
STATE_CODES = {"recipient_opted_out", "idempotency_key_mismatch"}


def _error(response):
    try:
        error = response.json()["error"]
        return error["code"], error.get("fields") or []
    except (ValueError, KeyError, TypeError):
        return None, []


@schemathesis.hook
def filter_failure(context, failure, case, response):
    """Keeps every failure but the documented answers to the rules above."""
    kind = type(failure).__name__
    code, fields = _error(response)
    if kind == "EnsureResourceAvailability":
        # A 404 naming a body field is a reference in the body (a `voice_flow_id` of no flow), not
        # the resource just created.
        if response.status_code == 404 and fields:
            return False
        # A sender id grant is idempotent: a second POST of the same sender id answers the same
        # grant (201), which the walk may already have revoked through the first answer's link.
        return not (case.operation.label == SENDER_ID_REVOKE and response.status_code == 404 and code == "not_found")
    if kind != "RejectedPositiveData":
        return True
    if response.status_code == 422:
        return code not in STATE_CODES
    # A sender depends on stored state too: the stateful phase may release the run's own number
    # (DELETE /v1/numbers/{numberId}) before it places a call from it.
    if response.status_code == 403 and code == "forbidden" and fields and all(f["field"] == "from" for f in fields):
        return False
    if response.status_code != 400:
        return True
    # A JSON body with a `__proto__` or `constructor.prototype` key is refused as malformed
    # (prototype poisoning; the api's body parser), though JSON Schema allows any key name.
    if code == "malformed_json" and PROTOTYPE_KEY.search(case.body if isinstance(case.body, str) else _json(case.body)):
        return False
    rules = [_anywhere, *ACCEPTED.get(case.operation.label, [])]
    expected = fields and all(any(rule(f["field"], f["message"]) for rule in rules) for f in fields)
    return not expected


@schemathesis.hook
def before_call(context, case, **kwargs):
    """A call's `from` must be a number of the project: a generated E.164 `from` becomes the run's own
    number (GW_FROM_NUMBER, assigned by scripts/schemathesis.sh), so calls are placed, not refused
    with 403. A `from` that is not E.164 is left as generated, to be refused as the schema says."""
    own = os.environ.get("GW_FROM_NUMBER")
    body = case.body
    if own and case.operation.label == "POST /v1/calls" and isinstance(body, dict):
        sender = body.get("from")
        if isinstance(sender, str) and E164.fullmatch(sender):
            body["from"] = own
