"""Answer each permission question once per server, not once per table per page.

Datasette 0.65.5 answers "may this actor see this table?" with a query on sqlite_master and a deep copy
of the whole metadata, and the index page asks it about 190 times (twice per table, each of the 44
tables and views, search tables included). At 100 times the data that was 40 of the index page's 64 ms.

The answers cannot change while this site runs: the database is immutable, the metadata is read once
at start, and no plugin here logs anyone in or grants anything. So each answer is kept, keyed by
everything it depends on (actor, action, resource, default). Datasette has no setting or plugin for
this, hence the wrapper. The cache is bounded, since resources come from URLs: an attacker asking
about endless made-up tables only pushes old answers out.
"""

import functools
import json

from datasette import hookimpl

ANSWERS_KEPT = 4096  # the site has about 60 resources; a few actors at most


@hookimpl
def startup(datasette):
    ask = datasette.permission_allowed
    answers: dict[str, bool] = {}

    @functools.wraps(ask)
    async def permission_allowed(actor, action, resource=None, default=False):
        key = json.dumps([actor, action, resource, default], sort_keys=True, default=repr)
        if key not in answers:
            answer = await ask(actor, action, resource=resource, default=default)
            if len(answers) >= ANSWERS_KEPT:
                answers.pop(next(iter(answers)))
            answers[key] = answer
        return answers[key]

    permission_allowed.answers, permission_allowed.limit = answers, ANSWERS_KEPT  # for the tests
    datasette.permission_allowed = permission_allowed
