"""Django's Redis cache, with one redis client kept instead of a new one for every operation.

Django's client builds a ``redis.Redis`` around its connection pool for each get or set (its
response callbacks table included: about 0.1 ms of CPU each time, several times before every
upstream call of a page). A ``redis.Redis`` is safe to share between threads, so with the one
server the dashboard uses, one is kept; several servers keep Django's choice per operation.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient
from redis import Redis


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, servers: list[str], **options: Any) -> None:
        super().__init__(servers, **options)
        self._single_server = len(servers) == 1
        self._client_kept: Redis | None = None

    def get_client(self, key: Any = None, *, write: bool = False) -> Redis:
        if not self._single_server:
            return super().get_client(key, write=write)
        if self._client_kept is None:
            self._client_kept = super().get_client(key, write=write)
        return self._client_kept


class RedisCache(DjangoRedisCache):
    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
