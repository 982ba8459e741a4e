"""Per-user write limit counted in Redis (anti-spam for data requests,
comments, feedback, replies and reports)."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.redis import connect_to_redis

from ckanext.reuse import utils


def _key(user_id: str) -> str:
    return "{}:reuse:writes:{}".format(tk.config.get("ckan.site_id"), user_id)


def check_write(user_name: str) -> None:
    """Count one write for the user; ValidationError on ``rate_limit`` once
    ``ckanext.reuse.rate_limit.writes`` writes were made in the window.
    Moderators are never limited."""
    limit = tk.config.get("ckanext.reuse.rate_limit.writes")
    user = model.User.get(user_name)
    if not limit or not user or utils.is_moderator(user.name):
        return
    window = tk.config.get("ckanext.reuse.rate_limit.window")
    redis = connect_to_redis()
    key = _key(user.id)
    count = redis.incr(key)
    if count == 1:
        redis.expire(key, window)
    if count > limit:
        wait = max(int(redis.ttl(key)), 1)
        raise tk.ValidationError({"rate_limit": [
            tk._("You have posted too much in a short time; try again in {minutes} minutes")
            .format(minutes=(wait + 59) // 60)]})


def reset(user_id: str) -> None:
    connect_to_redis().delete(_key(user_id))
