"""What a person sees: the one output path (stdout, or a file written atomically),
tables, the article view and charts. With cli, the only stage that imports rich.

May import: formats, select, edit, index, article and the shared top-level modules.
"""
