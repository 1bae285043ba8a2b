from datetime import date

import pytest

from retention.models import RetentionPolicy

# Long before any day these tests purge on: the policy's own 30 days of notice never stand in
# their way unless a test sets the policy itself.
IN_FORCE_SINCE = date(2000, 1, 1)


@pytest.fixture(autouse=True)
def policy_in_force(request):
    """The default policy, set by the director long ago, for every test with the world; a test
    about a policy never set deletes it."""
    worlds = [name for name in ("world", "committed_world") if name in request.fixturenames]
    if not worlds:
        return
    request.getfixturevalue(worlds[0])
    RetentionPolicy.objects.update_or_create(pk=1, defaults={"set_on": IN_FORCE_SINCE})
