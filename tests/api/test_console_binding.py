"""A canned question opened in the console keeps its parameters when the shown query is run again."""

from __future__ import annotations

import html
import re


def _rows(page: str) -> int:
    return len(re.findall(r"<tr>", page.split("<tbody>", 1)[1])) if "<tbody>" in page else 0


def test_running_the_shown_query_gives_the_question_s_answer(client):
    question = client.get("/console/questions/providers-for-challenge", params={"challenge": "piracy"})
    assert question.status_code == 200
    shown = html.unescape(re.search(r"<textarea[^>]*>(.*?)</textarea>", question.text, re.S).group(1))
    assert "VALUES (?challenge) { (<https://w3id.org/peergraph/vocab/challenge/piracy>) }" in shown
    run = client.get("/console/sparql", params={"query": shown})
    assert run.status_code == 200
    everything = client.get("/console/sparql", params={"query": shown.split("# the question's")[0]})
    assert 0 < _rows(run.text) == _rows(question.text) < _rows(everything.text)
