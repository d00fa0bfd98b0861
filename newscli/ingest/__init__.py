"""Importing sources into article files: feeds (RSS, Atom, JSON Feed), aggregator JSON
documents and OPML lists, read from files or fetched over HTTP(S), each new item
written as one article file in the seed format.

May import: article, index, select (URL normalisation), edit (atomic files, YAML
scalars), and the shared modules. Third-party parsers (feedparser) are imported only
inside the functions that need them, so no other command pays for them.
"""
