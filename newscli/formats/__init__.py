"""Stage 4, output text: export records (JSON, JSON Lines, TSV), CSV/TSV tables, RSS and
Atom feeds, the Markdown digest and the statistics. Text only: nothing here writes.

May import: select, index, article and the shared top-level modules.
"""
