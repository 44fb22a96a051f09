"""Where the package and its checkout are on disk: the one place that reads ``__file__``.

The instruments, the playbook and the report notebooks sit beside the package in a
checkout (``surveys/``, ``notebooks/``); the nbconvert template and the engagement
template are package data.
"""

from __future__ import annotations

from pathlib import Path

#: the ``adoption_lib`` folder
PACKAGE_DIR = Path(__file__).resolve().parent
#: the checkout (or site-packages folder) that holds the package
CHECKOUT_DIR = PACKAGE_DIR.parent
#: package data: the engagement template and the nbconvert report template
TEMPLATES_DIR = PACKAGE_DIR / "templates"
