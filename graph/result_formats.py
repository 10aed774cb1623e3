r"""SELECT/ASK results written exactly as the SPARQL 1.1 Query Results JSON, XML, CSV and TSV formats say.

Each writer takes the rows of a :class:`graph.results.SparqlResult` (rdflib terms) and gives text that
pyoxigraph's own parsers read back to the same terms (JSON, XML, TSV); the tests compare them byte for byte
with pyoxigraph's Rust writers where both are exact. Points where the formats are easy to get wrong:

* JSON: ``xml:lang`` or ``datatype`` (never both, never ``xsd:string``); blank nodes by label.
* XML: a carriage return is written ``&#13;`` (a parser would turn a raw one into a newline); characters XML
  1.0 cannot hold at all (U+0000, most C0 controls, U+FFFE, U+FFFF) stop the writer with
  :class:`ResultNotRepresentable` rather than produce a document no parser reads.
* CSV (RFC 4180): CRLF line ends; a field holding ``,`` ``"`` CR or LF is quoted, quotes doubled; IRIs and
  literals as plain strings (lexical form, no language or datatype), blank nodes ``_:label``.
* TSV: terms in Turtle syntax: ``<iri>``, ``_:label``, ``"…"`` with ``\``, ``"``, tab, LF and CR escaped, then
  ``@lang`` or ``^^<datatype>``; integers, decimals, doubles and booleans bare when their lexical form is
  Turtle's; LF line ends; header ``?var``.

Unbound variables are left out (JSON, XML) or empty fields (CSV, TSV). CSV and TSV define no ASK form:
peergraph writes one ``boolean`` column (``true``/``false``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping

from rdflib import BNode, Literal, URIRef

_XSD = "http://www.w3.org/2001/XMLSchema#"
_XSD_STRING = _XSD + "string"
_RESULTS_NS = "http://www.w3.org/2005/sparql-results#"

# Turtle's bare numeric and boolean forms (INTEGER, DECIMAL, DOUBLE, BooleanLiteral).
_BARE = {
    _XSD + "integer": re.compile(r"[+-]?[0-9]+"),
    _XSD + "decimal": re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    _XSD + "double": re.compile(r"[+-]?(?:[0-9]+\.[0-9]*[eE][+-]?[0-9]+|\.?[0-9]+[eE][+-]?[0-9]+)"),
    _XSD + "boolean": re.compile(r"true|false"),
}
_TSV_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#13;"})
# Characters outside XML 1.0's Char production.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_CSV_QUOTE = re.compile('[,"\r\n]')

Row = Mapping[str, object]


class ResultNotRepresentable(ValueError):
    """A result holds a character the chosen format cannot carry (XML 1.0 and U+0000, for instance)."""


def _datatype(term: Literal) -> str | None:
    """Return the datatype IRI to write, or None for a plain or language-tagged string."""
    if term.language or term.datatype is None or str(term.datatype) == _XSD_STRING:
        return None
    return str(term.datatype)


def _json_term(term: object) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    if not isinstance(term, Literal):
        raise TypeError(f"not an RDF term: {term!r}")
    value = {"type": "literal", "value": str(term)}
    if term.language:
        value["xml:lang"] = term.language
    elif (datatype := _datatype(term)) is not None:
        value["datatype"] = datatype
    return value


def write_json(variables: list[str], rows: Iterable[Row] | None, boolean: bool | None = None) -> str:
    """Return SPARQL 1.1 Query Results JSON: ``rows`` for SELECT, or ``boolean`` for ASK (``rows`` None).

    Parameters
    ----------
    variables : list of str
        Projected variable names, without ``?``.
    rows : iterable of mapping, or None
        Variable name to rdflib term; an unbound variable is absent.
    boolean : bool, optional
        The ASK answer, when ``rows`` is None.

    Returns
    -------
    str
        The compact JSON document.

    Examples
    --------
    >>> write_json(["x"], [{"x": Literal("chat", lang="fr")}, {}])
    '{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal","value":"chat","xml:lang":"fr"}},{}]}}'
    >>> write_json([], None, True)
    '{"head":{},"boolean":true}'
    """
    if rows is None:
        return json.dumps({"head": {}, "boolean": bool(boolean)}, separators=(",", ":"))
    document = {
        "head": {"vars": variables},
        "results": {"bindings": [{name: _json_term(term) for name, term in row.items()} for row in rows]},
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def _xml_text(text: str, where: str) -> str:
    if (bad := _NOT_XML.search(text)) is not None:
        raise ResultNotRepresentable(
            f"{where} holds U+{ord(bad.group()):04X}, which XML 1.0 cannot carry: ask for JSON or TSV instead"
        )
    return text.translate(_XML_ESCAPES)


def _xml_term(name: str, term: object) -> str:
    where = f"?{name}"
    if isinstance(term, URIRef):
        return f"<uri>{_xml_text(str(term), where)}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{_xml_text(str(term), where)}</bnode>"
    if not isinstance(term, Literal):
        raise TypeError(f"not an RDF term: {term!r}")
    if term.language:
        attribute = f' xml:lang="{_xml_text(term.language, where)}"'
    elif (datatype := _datatype(term)) is not None:
        attribute = f' datatype="{_xml_text(datatype, where)}"'
    else:
        attribute = ""
    return f"<literal{attribute}>{_xml_text(str(term), where)}</literal>"


def write_xml(variables: list[str], rows: Iterable[Row] | None, boolean: bool | None = None) -> str:
    r"""Return the SPARQL Query Results XML document: ``rows`` for SELECT, or ``boolean`` for ASK.

    Parameters
    ----------
    variables : list of str
        Projected variable names.
    rows : iterable of mapping, or None
        Variable name to rdflib term; None for an ASK answer.
    boolean : bool, optional
        The ASK answer.

    Returns
    -------
    str
        The XML document.

    Raises
    ------
    ResultNotRepresentable
        When a value holds a character XML 1.0 cannot carry.

    Examples
    --------
    >>> write_xml(["x"], [{"x": Literal("a\rb")}]).split("<results>")[1]
    '<result><binding name="x"><literal>a&#13;b</literal></binding></result></results></sparql>'
    """
    out = [f'<?xml version="1.0"?><sparql xmlns="{_RESULTS_NS}">']
    if rows is None:
        out.append(f"<head/><boolean>{'true' if boolean else 'false'}</boolean></sparql>")
        return "".join(out)
    out.append("<head>" + "".join(f'<variable name="{_xml_text(v, "a name")}"/>' for v in variables) + "</head>")
    out.append("<results>")
    for row in rows:
        out.append("<result>")
        out.extend(f'<binding name="{name}">{_xml_term(name, term)}</binding>' for name, term in row.items())
        out.append("</result>")
    out.append("</results></sparql>")
    return "".join(out)


def _csv_field(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if _CSV_QUOTE.search(text) else text


def csv_value(term: object) -> str:
    """Return a term as the CSV format writes it: the IRI, the lexical form, or ``_:label``.

    Parameters
    ----------
    term : rdflib term or None
        The value (None when unbound).

    Returns
    -------
    str
        The unquoted field.

    Examples
    --------
    >>> csv_value(BNode("b0")), csv_value(Literal("4", datatype=URIRef(_XSD + "integer"))), csv_value(None)
    ('_:b0', '4', '')
    """
    if term is None:
        return ""
    return f"_:{term}" if isinstance(term, BNode) else str(term)


def write_csv(variables: list[str], rows: Iterable[Row] | None, boolean: bool | None = None) -> str:
    r"""Return SPARQL 1.1 Query Results CSV (RFC 4180, CRLF line ends).

    Parameters
    ----------
    variables : list of str
        Projected variable names (the header, without ``?``).
    rows : iterable of mapping, or None
        Variable name to rdflib term; None for an ASK answer (one ``boolean`` column).
    boolean : bool, optional
        The ASK answer.

    Returns
    -------
    str
        The table.

    Examples
    --------
    >>> write_csv(["a", "b"], [{"a": Literal('say "hi", then\nleave')}])
    'a,b\r\n"say ""hi"", then\nleave",\r\n'
    """
    if rows is None:
        return f"boolean\r\n{'true' if boolean else 'false'}\r\n"
    lines = [",".join(_csv_field(v) for v in variables)]
    lines += [",".join(_csv_field(csv_value(row.get(name))) for name in variables) for row in rows]
    return "\r\n".join(lines) + "\r\n"


def tsv_value(term: object) -> str:
    r"""Return a term in the TSV format's Turtle syntax (empty for an unbound variable).

    Parameters
    ----------
    term : rdflib term or None
        The value.

    Returns
    -------
    str
        The field, free of raw tabs and line breaks.

    Examples
    --------
    >>> tsv_value(Literal("a\tb")), tsv_value(Literal("4", datatype=URIRef(_XSD + "integer")))
    ('"a\\tb"', '4')
    >>> tsv_value(Literal("04x", datatype=URIRef(_XSD + "integer"))), tsv_value(Literal("chat", lang="fr"))
    ('"04x"^^<http://www.w3.org/2001/XMLSchema#integer>', '"chat"@fr')
    """
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    if not isinstance(term, Literal):
        raise TypeError(f"not an RDF term: {term!r}")
    lexical = str(term)
    if term.language:
        return f'"{lexical.translate(_TSV_ESCAPES)}"@{term.language}'
    datatype = _datatype(term)
    if datatype is None:
        return f'"{lexical.translate(_TSV_ESCAPES)}"'
    if (bare := _BARE.get(datatype)) is not None and bare.fullmatch(lexical):
        return lexical
    return f'"{lexical.translate(_TSV_ESCAPES)}"^^<{datatype}>'


def write_tsv(variables: list[str], rows: Iterable[Row] | None, boolean: bool | None = None) -> str:
    r"""Return SPARQL 1.1 Query Results TSV (LF line ends, header ``?var``).

    Parameters
    ----------
    variables : list of str
        Projected variable names.
    rows : iterable of mapping, or None
        Variable name to rdflib term; None for an ASK answer (one ``?boolean`` column).
    boolean : bool, optional
        The ASK answer.

    Returns
    -------
    str
        The table.

    Examples
    --------
    >>> write_tsv(["a", "b"], [{"b": Literal("line\none")}])
    '?a\t?b\n\t"line\\none"\n'
    """
    if rows is None:
        return f"?boolean\n{'true' if boolean else 'false'}\n"
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join(tsv_value(row.get(name)) for name in variables) for row in rows]
    return "\n".join(lines) + "\n"


#: Format name to writer.
WRITERS = {"json": write_json, "xml": write_xml, "csv": write_csv, "tsv": write_tsv}
