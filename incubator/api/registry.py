"""The API's endpoints, registered by each app from its `AppConfig.ready()` (incubator imports no app): an app's
`api.register(endpoints)` calls `endpoints.register(prefix, viewset, basename=...)` as it would on a router."""

_endpoints: list[tuple[str, type, str]] = []


def register(prefix: str, viewset: type, basename: str) -> None:
    _endpoints.append((prefix, viewset, basename))


def registered() -> list[tuple[str, type, str]]:
    return list(_endpoints)
