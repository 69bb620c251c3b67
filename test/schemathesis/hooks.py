"""Schemathesis hooks of the api's contract test (loaded through schemathesis.toml).

The OpenAPI document states each field on its own. A few rules relate fields to each other or
to stored state, which JSON Schema cannot state; a schema-valid request breaking one is a 400
naming the field, as documented. Only those answers are taken out of the `positive_data_acceptance`
check, each by the operation and the field and message the API answers with; every other
failure stands.
"""

import schemathesis


def _cursor(field, message):
    """A cursor is opaque: only one the API issued (a list's `next_cursor`) names a position."""
    return field == "cursor" and message == "is not a cursor this API issued"


def _flow_document(prefix):
    """Flow documents are checked against GET /v1/flows/schema and the DSL's label rules (JSON Pointers)."""
    return lambda field, message: field == prefix or field.startswith(prefix + "/")


# operation label -> predicates over (field, message) of the 400's `error.fields`.
ACCEPTED = {
    "GET /v1/usage": [lambda f, m: f == "from" and m == "must not be after to"],
    "POST /v1/flows": [_flow_document("/document")],
    "POST /v1/flows/{flowId}/versions": [_flow_document("/document")],
    "POST /v1/calls": [
        _flow_document("/flow"),
        lambda f, m: f == "flow_id" and m == "give exactly one of flow_id and flow",
        lambda f, m: f == "flow_version" and m == "only goes with flow_id",
    ],
}


@schemathesis.hook
def filter_failure(context, failure, case, response):
    """Keeps every failure but a 400 to schema-valid data whose every field breaks an accepted rule."""
    if type(failure).__name__ != "RejectedPositiveData" or response.status_code != 400:
        return True
    try:
        fields = response.json()["error"]["fields"]
    except (ValueError, KeyError, TypeError):
        return True
    rules = [_cursor, *ACCEPTED.get(case.operation.label, [])]
    expected = fields and all(any(rule(f["field"], f["message"]) for rule in rules) for f in fields)
    return not expected
