"""What a loaded article keeps of its file, in one small object: its export JSON (from
the index cache, else kept from parsing, else made again from the file), its typed front
matter (parsed again from the file on first use) and its field map (article.field_map).

It is both an Article's ``data`` (a read-only mapping) and its ``export_text`` (called
for the text), so that 100,000 loaded articles cost one object each for these.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from newscli.article.reading import load_file
from newscli.article.record import StoredText, front_matter_json
from newscli.errors import ArticleChangedError, InvalidArticleError


class _NoStore:
    """Where articles loaded without a cache keep their export JSON: nowhere."""

    def export(self, key: str) -> None:
        return None

    def matches(self, key: str, text: str, version: bytes) -> bool:
        return True

    def forget(self, key: str) -> None:
        return None

    def prefetch(self, keys: object) -> None:
        return None

    def cells(self, versions: object) -> dict[str, str]:
        return {}

    def keep_cells(self, rows: object) -> None:
        return None


NO_STORE = _NoStore()


class FileData(StoredText, Mapping[str, Any]):
    """``store`` has export(key), matches(key, text, version), prefetch(keys),
    cells(keys, versions) and keep_cells(rows) (the index cache, or NO_STORE);
    ``text`` is the export JSON when it was kept instead; ``version``: the stored one's
    version, as the run selected it (StoredText)."""

    __slots__ = ("_data", "_text", "field_map")

    def __init__(
        self,
        path: str,
        key: str,
        store: Any,
        text: str | None,
        field_map: str | None,
        version: bytes | None = None,
    ) -> None:
        self.store = store
        self.key = key
        self.path = path
        self.version = version
        self._text = text
        self._data: Mapping[str, Any] | None = None
        self.field_map = field_map or ""  # "": nothing beyond the model's fields

    def made_again(self) -> str:
        """The export JSON made again from the file ("{}" if it went bad)."""
        try:
            article = load_file(self.path)
        except InvalidArticleError:
            return "{}"
        return front_matter_json(article.data, article.published_at, article.updated_at)

    def __call__(self) -> str:
        if self._text is not None:
            return self._text
        return super().__call__()

    def _parsed(self) -> Mapping[str, Any]:
        """The typed front matter, parsed again from the file: of the version selected
        (its export JSON is the one kept, or of the version stored), else
        ArticleChangedError (h155 F3: `--fields title,images` gave a title of one
        version and images of another)."""
        if self._data is None:
            checked = StoredText.checked and (self._text is not None or self.version is not None)
            try:
                article = load_file(self.path)
            except InvalidArticleError:
                if checked:
                    raise ArticleChangedError(self.path) from None  # (it went bad, or went)
                self._data = {}
                return self._data
            if checked:
                text = front_matter_json(article.data, article.published_at, article.updated_at)
                if self._text is not None:
                    same = text == self._text
                else:
                    same = self.store.matches(self.key, text, self.version)
                if not same:
                    raise ArticleChangedError(self.path)
            self._data = article.data
        return self._data

    def __getitem__(self, key: str) -> Any:
        return self._parsed()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._parsed())

    def __len__(self) -> int:
        return len(self._parsed())

    def __bool__(self) -> bool:
        """True without reading the file: a valid article's front matter has a title."""
        return True
