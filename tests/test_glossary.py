"""The methodology appendix and glossary: one definition per figure, plain words for clients."""

from __future__ import annotations

import re
from types import SimpleNamespace

from adoption_lib.metrics import METRICS, metric_label
from adoption_lib.reports.glossary import glossary, methods_appendix
from tests.test_client_plain_language import plain_language_problems

STATISTICS = ("Welch", "Cohen", "Benjamini", "Newcombe", "Johnson", "bootstrap", "q <")


def _data(audience: str) -> SimpleNamespace:
    return SimpleNamespace(audience=audience, engagement={"min_group_size": 5})


def test_every_headline_figure_is_defined_with_the_registrys_words() -> None:
    terms = {t.term: t.plain for t in glossary("client")}
    for key, metric in METRICS.items():
        label = metric_label(key)
        assert label in terms, label
        assert terms[label].lower().startswith(metric.definition.lower()), label


def test_the_client_reads_plain_words_and_the_consultant_the_statistics() -> None:
    client = methods_appendix(_data("client"))
    consultant = methods_appendix(_data("consultant"))
    text = " ".join(re.sub(r"<[^>]+>", " ", client).split())
    assert plain_language_problems(text) == []
    assert not any(word in client for word in STATISTICS)
    assert all(word in consultant for word in ("Welch", "Benjamini-Hochberg", "Johnson"))
    assert "fewer than 5 people" in client
    assert client.startswith('<div class="appendix methods">')
    assert client.count("<dt>") == len(glossary("client")) == consultant.count("<dt>")
