"""The plain loop a user would write: python-frontmatter on every file, filter, json.dump.

Usage: python bench/baseline.py FOLDER OUTPUT
"""

import json
import pathlib
import sys

import frontmatter


def main() -> None:
    root, output = sys.argv[1], sys.argv[2]
    selected = []
    for path in sorted(pathlib.Path(root).rglob("*.md")):
        try:
            post = frontmatter.load(path)
        except Exception:
            continue
        topics = post.get("topics") or []
        quality = post.get("quality")
        if "AI" in topics and isinstance(quality, int) and quality >= 50:
            record = dict(post.metadata)
            record["path"] = str(path)
            selected.append(record)
    with open(output, "w", encoding="utf-8") as handle:
        json.dump(selected, handle, default=str)


if __name__ == "__main__":
    main()
