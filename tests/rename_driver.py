"""A driver for tests of signals: ``python -c RENAME_DRIVER SUFFIX N SIGNAL ARGS...`` runs
newscli's own entry point with ARGS and sends the process SIGNAL (a name: SIGTERM,
SIGKILL) just after its N-th rename onto a file whose name ends in SUFFIX."""

RENAME_DRIVER = """
import os, signal, sys
suffix, nth, sent = sys.argv.pop(1), int(sys.argv.pop(1)), sys.argv.pop(1)
seen = [0]
replace = os.replace

def replaced(source, target, *args, **kwargs):
    replace(source, target, *args, **kwargs)
    if str(target).endswith(suffix):
        seen[0] += 1
        if seen[0] == nth:
            os.kill(os.getpid(), getattr(signal, sent))

os.replace = replaced
from newscli.cli import main
sys.argv[0] = "newscli"
main()
"""
