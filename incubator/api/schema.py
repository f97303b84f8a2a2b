"""The OpenAPI schema names the problem documents every operation may answer, so that a client (and schemathesis)
knows them."""

PROBLEM = {
    "type": "object",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": True},
    },
    "required": ["type", "title", "status"],
}
STATUSES = {
    "400": "Invalid parameters or body",
    "401": "No token, or an unknown, expired or revoked one",
    "403": "The token lacks the scope",
    "404": "No such object among the token's programs",
    "409": "Conflicts with the current state (taken, already cancelled)",
    "429": "Too many requests; see Retry-After",
}


def problem_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM
    content = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for status, description in STATUSES.items():
                operation["responses"].setdefault(status, {"description": description, "content": content})
    return result
