"""`newscli review`: the interactive review queue (a Textual app) over the selected
stories, deciding them through the one edit engine.

Textual is imported only here (and only by the review command).

May import: textual, rich, article, index, select, formats, edit, terminal (and the
shared modules).
"""
