"""flow_jupyter.render_html: executed notebooks to HTML, and a page saying why for a broken one."""

from __future__ import annotations

import json

from flow_jupyter.render_html import main


def test_renders_a_notebook_and_explains_one_it_cannot(tmp_path):
    good = tmp_path / "good.ipynb"
    good.write_text(
        json.dumps(
            {
                "nbformat": 4,
                "nbformat_minor": 5,
                "metadata": {},
                "cells": [{"cell_type": "markdown", "id": "a", "metadata": {}, "source": "# Hello"}],
            }
        )
    )
    broken = tmp_path / "broken.ipynb"
    broken.write_text("{not json")
    out = tmp_path / "html"

    assert main([str(out), str(good), str(broken)]) == 0

    page = (out / "good.html").read_text()
    assert "<html" in page and "Hello" in page
    failed = (out / "broken.html").read_text()
    assert "could not render" in failed and "broken.ipynb" in failed
    assert not list(out.glob("*.partial"))


def test_a_run_directory_deleted_meanwhile_is_not_made_again(tmp_path):
    gone = tmp_path / "deleted-run" / "html"

    assert main([str(gone), str(tmp_path / "x.ipynb")]) == 0

    assert not gone.parent.exists()
