"""The portal's REST API (`/api/v1/`): token authentication, scopes, problem documents, pagination and the query
parameters every list shares. Each app writes its own endpoints in its `api.py` with the pieces here."""
