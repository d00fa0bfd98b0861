"""newscli: a command-line news feed curator."""

__version__ = "0.1.0"
