"""Bloom's own formats per language (``FORMAT_MODULE_PATH``), over Django's.

Only what differs from Django's is here: everything else (date names and order) is Django's.
"""
