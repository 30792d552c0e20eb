#!/usr/bin/env python3
"""Build the example notebooks (notebooks/<group>/*.ipynb) from their sources (notebooks/src/<group>/*.py).

Sources use the "percent" format that Jupytext, VS Code and Spyder understand:

    # %% [markdown]          a markdown cell; each line starts with "# "
    # %% tags=["parameters"] a code cell with tags
    # %%                      a code cell
    # %% include: record      the shared cell in notebooks/src/_<name>.py (here _record.py)

Notebooks are written as nbformat 4.5 with a python3 kernelspec and stable cell ids, so a rebuild
of unchanged sources gives byte-identical files.

    .venv/bin/python notebooks/build_notebooks.py          # rebuild every notebook
    .venv/bin/python notebooks/build_notebooks.py --check  # exit 1 if a notebook is out of date
"""
from __future__ import annotations

import argparse
import ast
import json
import re
import sys
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"
MARKER = re.compile(r"^# %%(?P<rest>.*)$")

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
LANGUAGE_INFO = {"name": "python", "pygments_lexer": "ipython3", "file_extension": ".py",
                 "mimetype": "text/x-python", "codemirror_mode": {"name": "ipython", "version": 3},
                 "nbconvert_exporter": "python"}


def parse_header(rest: str) -> tuple[str, list[str], str | None]:
    """'# %% [markdown]' → kind; 'tags=[...]' → tags; 'include: name' → include."""
    rest = rest.strip()
    if rest.startswith("include:"):
        return "code", [], rest.split(":", 1)[1].strip()
    kind = "markdown" if rest.startswith("[markdown]") else "code"
    tags: list[str] = []
    match = re.search(r"tags=(\[.*\])", rest)
    if match:
        tags = list(ast.literal_eval(match.group(1)))
    return kind, tags, None


def split_cells(text: str) -> list[tuple[str, list[str], str]]:
    cells: list[tuple[str, list[str], str]] = []
    current: tuple[str, list[str]] | None = None
    lines: list[str] = []

    def flush() -> None:
        if current is None:
            return
        kind, tags = current
        body = "\n".join(lines).strip("\n")
        if kind == "markdown":
            body = "\n".join(l[2:] if l.startswith("# ") else l.lstrip("#") for l in body.split("\n"))
        if body.strip():
            cells.append((kind, tags, body))

    for line in text.split("\n"):
        match = MARKER.match(line)
        if match:
            flush()
            kind, tags, include = parse_header(match.group("rest"))
            if include:
                shared = (SRC / f"_{include}.py").read_text().strip("\n")
                cells.append(("code", [], shared))
                current, lines = None, []
                continue
            current, lines = (kind, tags), []
        elif current is not None:
            lines.append(line)
    flush()
    return cells


def build(source: Path) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.nbformat, nb.nbformat_minor = 4, 5
    nb.metadata = {"kernelspec": KERNELSPEC, "language_info": LANGUAGE_INFO}
    for index, (kind, tags, body) in enumerate(split_cells(source.read_text())):
        make = nbformat.v4.new_markdown_cell if kind == "markdown" else nbformat.v4.new_code_cell
        cell = make(body)
        cell.id = f"{source.stem.replace('_', '-')}-{index:02d}"
        if tags:
            cell.metadata["tags"] = tags
        nb.cells.append(cell)
    nbformat.validate(nb)
    return nb


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="fail if a notebook differs from its source")
    args = parser.parse_args()
    stale = []
    for source in sorted(SRC.glob("*/*.py")):
        target = HERE / source.parent.name / f"{source.stem}.ipynb"
        text = json.dumps(build(source), indent=1, ensure_ascii=False) + "\n"
        if args.check:
            if not target.exists() or target.read_text() != text:
                stale.append(str(target.relative_to(HERE.parent)))
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
        print(f"wrote {target.relative_to(HERE.parent)}")
    if stale:
        print("out of date (run notebooks/build_notebooks.py):\n  " + "\n  ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
