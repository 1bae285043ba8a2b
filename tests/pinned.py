"""Run a Python module or script with the clock the tests pinned, and let it run on from there.

    python -m tests.pinned -m celery -A bloom worker ...
    python -m tests.pinned manage.py migrate

``BLOOM_TEST_AT`` is the instant. With ``BLOOM_TEST_AT_SINCE``, the machine's time when the
test process was at it, the clock runs on, starting where the test's running clock is now
(not a few seconds behind); without it, it stands still at the instant, as the test's does.
Without ``BLOOM_TEST_AT`` the command runs on the machine's clock.
"""

import os
import runpy
import sys
import time
from datetime import datetime, timedelta


def main(argv: list[str]) -> None:
    if at := os.environ.get("BLOOM_TEST_AT"):
        import time_machine  # noqa: PLC0415 (only the tests' processes need it)

        instant = datetime.fromisoformat(at)
        since = os.environ.get("BLOOM_TEST_AT_SINCE")
        if since:
            instant += timedelta(seconds=max(0.0, time.time() - float(since)))
        time_machine.travel(instant, tick=bool(since)).start()
    if argv[:1] == ["-m"]:
        sys.argv = [argv[1], *argv[2:]]
        runpy.run_module(argv[1], run_name="__main__", alter_sys=True)
    else:
        sys.argv = argv
        runpy.run_path(argv[0], run_name="__main__")


if __name__ == "__main__":
    main(sys.argv[1:])
