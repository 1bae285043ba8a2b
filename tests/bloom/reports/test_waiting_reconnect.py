"""The header's "to decide" counts after the database connection is replaced (a test that commits)."""

import pytest
from django.db import connection

from bloom.accounts.models import Role
from tests.bloom.reports.test_waiting_speed import counted, queues_own
from tests.factories import make_user


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_new_connection_prepares_the_count_again():
    director = make_user(Role.PROGRAM_DIRECTOR)
    director.get_all_permissions()  # loaded with the person on a page
    counted(director)

    connection.close()
    counts, sql = counted(director)

    assert counts == queues_own(director)
    assert len(sql) == 1
    assert sql[0].startswith("PREPARE bloom_to_decide_")
