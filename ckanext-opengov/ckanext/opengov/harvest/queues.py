"""Harvest consumers that survive idle time.

ckanext-harvest's Redis consumers wait for work with ``BLPOP`` and no
timeout, but redis-py 8 gives every connection a 5-second socket timeout by
default: after a few idle seconds (and redis-py's retries) the read times
out, ``TimeoutError`` escapes ``RedisConsumer.consume`` and the
``gather-consumer``/``fetch-consumer`` process exits. The connections the
harvest queues open are given no socket timeout (``ckan.harvest.mq.*`` keeps
everything else), so a consumer waits as long as there is nothing to do.
"""
from __future__ import annotations

import functools

from ckanext.harvest import queue


def keep_consumers_alive() -> None:
    """Wrap ckanext-harvest's Redis connection factory once."""
    original = queue.get_connection_redis
    if getattr(original, "opengov_no_read_timeout", False):
        return

    @functools.wraps(original)
    def get_connection_redis():
        client = original()
        client.connection_pool.connection_kwargs["socket_timeout"] = None
        return client

    get_connection_redis.opengov_no_read_timeout = True
    queue.get_connection_redis = get_connection_redis
