"""Stage 1, the article: the model, reading one file, its YAML front matter (the
hardened loader, the fast path, the scalar resolver), dates and the stored record.

May import: the shared top-level modules (errors, sanitize) only.
"""
