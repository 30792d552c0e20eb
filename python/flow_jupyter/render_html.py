"""Render executed notebooks to HTML with nbconvert, for a run's report.

Usage: python -m flow_jupyter.render_html OUT_DIR NOTEBOOK...

Each NOTEBOOK becomes OUT_DIR/<stem>.html, written atomically. One that nbconvert cannot render
gets a short page saying why instead, so that every link of the report leads somewhere.
"""

from __future__ import annotations

import html
import sys
from pathlib import Path


def failure_page(path: str, error: BaseException) -> str:
    """A page that says which notebook could not be rendered, and why."""
    name = html.escape(Path(path).name)
    why = html.escape(f"{type(error).__name__}: {error}")
    return (
        f'<!doctype html><meta charset="utf-8"><title>{name}: not rendered</title>'
        f"<p>flow could not render <code>{html.escape(path)}</code> with nbconvert:</p>"
        f"<pre>{why}</pre><p>The notebook itself is next to the report.</p>\n"
    )


def render(out_dir: Path, notebooks: list[str]) -> int:
    """Renders each notebook; returns how many could not be rendered."""
    import nbformat
    from nbconvert import HTMLExporter

    if not out_dir.parent.is_dir():
        return 0  # the run directory is gone (deleted while this ran in the background)
    out_dir.mkdir(exist_ok=True)
    exporter = HTMLExporter()
    failures = 0
    for path in notebooks:
        if not out_dir.is_dir():
            break  # deleted meanwhile: nothing to render for
        try:
            body, _ = exporter.from_notebook_node(nbformat.read(path, as_version=4))
        except Exception as error:  # noqa: BLE001 - any failure becomes the page's message
            body = failure_page(path, error)
            failures += 1
        target = out_dir / f"{Path(path).stem}.html"
        partial = target.with_name(target.name + ".partial")
        try:
            partial.write_text(body, encoding="utf-8")
            partial.replace(target)
        except FileNotFoundError:
            break  # the run directory was deleted meanwhile
    return failures


def main(argv: list[str]) -> int:
    if len(argv) < 1:
        print(__doc__, file=sys.stderr)
        return 2
    render(Path(argv[0]), argv[1:])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
