"""Stage 2, the index: finding article files (discovery, walk), loading them (in
parallel when there are many), the index cache and the part of a selection it tests in
SQL, and validating files.

May import: article and the shared top-level modules.
"""
