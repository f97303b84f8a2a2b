"""The API schema's settings (settings.py imports them), and the problem documents every operation may answer, named
in the schema so that a client (and schemathesis) knows them."""

SPECTACULAR_SETTINGS = {
    "TITLE": "Incubator portal API",
    "DESCRIPTION": "Read a program's data and make the few changes outside tools need. See README.md, “API”.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    # Swagger UI from our own static files (static/vendor/swagger-ui, STATIC_URL being /static/), no favicon: the
    # reference page loads nothing from elsewhere.
    "SWAGGER_UI_DIST": "/static/vendor/swagger-ui",
    "SWAGGER_UI_FAVICON_HREF": "",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a `status` (or an `outcome`): each choice set named after its model.
    "ENUM_NAME_OVERRIDES": {
        "ApplicationStatusEnum": "applications.models.Application.Status",
        "ReviewStatusEnum": "applications.scoring.models.Review.Status",
        "DecisionStatusEnum": "applications.scoring.models.Decision.Status",
        "DecisionOutcomeEnum": "applications.scoring.models.Decision.Outcome",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "incubator.api.schema.problem_responses",
    ],
}

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
