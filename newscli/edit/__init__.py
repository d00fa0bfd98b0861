"""Changing files safely: byte-preserving edits verified by re-parsing, atomic writes,
folder locks.

May import: index, article and the shared top-level modules; only terminal (atomic
output files) and cli import it.
"""
