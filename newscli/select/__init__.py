"""Stage 3, selecting: the query (filters, sort, paging), the `--where` language, the
fields it names, and story grouping.

May import: index, article and the shared top-level modules.
"""
