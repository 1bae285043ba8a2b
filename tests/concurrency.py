"""Two writes at the same moment, on real PostgreSQL, each in its own thread and connection."""

import threading

from django.db import connection, transaction


def first_then_second(first, second) -> tuple[list, list]:
    """Run ``first`` in a transaction held open a moment after it wrote, and ``second`` meanwhile.

    Returns what each returned (in the order they finished) and the exceptions they raised.
    Without a lock, ``second`` reads what ``first`` has not committed yet and clashes with it.
    """
    written, errors, results = threading.Event(), [], []

    def run_first():
        try:
            with transaction.atomic():
                results.append(first())
                written.set()
                threading.Event().wait(0.5)
        except Exception as error:  # reported by the caller's assertions
            errors.append(error)
            written.set()
        finally:
            connection.close()

    def run_second():
        try:
            written.wait(10)
            results.append(second())
        except Exception as error:  # reported by the caller's assertions
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run_first), threading.Thread(target=run_second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not any(thread.is_alive() for thread in threads), "a write is stuck (a deadlock?)"
    return results, errors
