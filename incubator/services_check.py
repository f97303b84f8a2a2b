"""Connectivity checks that name the setting to fix, for `make run` and `make test`."""

import redis
from django.conf import settings
from django.db import connection
from django.db.utils import OperationalError


def services_problems() -> list[str]:
    problems = []
    try:
        connection.ensure_connection()
    except OperationalError as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        problems.append(f"DATABASE_URL: cannot connect to PostgreSQL ({reason})")
    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=3, socket_timeout=3).ping()
    except (redis.RedisError, OSError) as error:
        problems.append(f"REDIS_URL: cannot connect to Redis ({error})")
    return problems
