"""SHACL shapes compiled once into plain Python checks over triples indexed by subject.

pyshacl answers every constraint with graph look-ups and builds a report graph: about 10,000 triples/s
here. The shapes peergraph ships use a small part of SHACL Core (class targets, predicate paths,
cardinality, datatype, class, node kind, pattern, ``sh:in``, ``sh:uniqueLang``), so :func:`compile_shapes`
turns each into a loop over one predicate's values, and a check costs one pass to index the triples.
A shape using anything else raises :class:`ShapesUnsupported` when compiled, never skipped: the
differential tests hold the results equal to pyshacl's, message for message.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import NamespaceManager
from rdflib.term import Node

from ingest.shape_text import TermText, iri_text
from ingest.types import Triple
from ontology.namespaces import RDF, RDFS, XSD

SH = Namespace("http://www.w3.org/ns/shacl#")

_TARGETS = {SH.targetClass}
_VALUE_PARAMETERS = {SH.datatype, SH["class"], SH.nodeKind, SH.pattern, SH.flags, SH["in"]}
_NODE_PARAMETERS = {*_TARGETS, SH.property, *_VALUE_PARAMETERS}
_PROPERTY_PARAMETERS = {SH.path, SH.minCount, SH.maxCount, SH.uniqueLang, *_VALUE_PARAMETERS}
# Words that change no result (SHACL 1.1, section 2.3: non-validating properties).
_ANNOTATIONS = {SH.name, SH.description, SH.order, SH.group, SH.defaultValue}
_NODE_KINDS = {
    SH.IRI: (URIRef,),
    SH.BlankNode: (BNode,),
    SH.Literal: (Literal,),
    SH.BlankNodeOrIRI: (BNode, URIRef),
    SH.BlankNodeOrLiteral: (BNode, Literal),
    SH.IRIOrLiteral: (URIRef, Literal),
}
# Value types a literal of these datatypes must parse to, as pyshacl requires; others only need a
# well-formed lexical form.
_VALUE_TYPES: dict[Node, type | tuple[type, ...]] = {
    XSD.string: (str, bytes),
    RDF.langString: (str, bytes),
    XSD.integer: int,
    XSD.float: float,
    XSD.decimal: Decimal,
    XSD.boolean: bool,
    XSD.date: date,
    XSD.time: time,
    XSD.dateTime: datetime,
}


_STRING_TYPES = (None, RDF.langString, XSD.string)


class ShapesUnsupported(ValueError):
    """The shapes use a SHACL feature the compiled checker does not implement."""


@dataclass(frozen=True)
class Violation:
    """One validation result: the focus node, the property path (None for the node itself), the message."""

    focus: Node
    path: URIRef | None
    message: str


class _Context:
    """What the checks of one validation share: the indexed data and how to name its terms."""

    def __init__(self, values: dict[Node, dict[Node, list[Node]]], blanks: dict[Node, list[tuple[Node, Node]]], names):
        self.values = values
        self.types = values[RDF.type]
        self.text = TermText(names, blanks)
        self._children: dict[Node, list[Node]] | None = None
        self._subclasses: dict[Node, frozenset[Node]] = {}
        self._instances: dict[Node, list[Node]] | None = None

    def subclasses(self, cls: Node) -> frozenset[Node]:
        """Return the class and every class below it through rdfs:subClassOf."""
        found = self._subclasses.get(cls)
        if found is None:
            if self._children is None:
                self._children = {}
                for sub, supers in self.values[RDFS.subClassOf].items():
                    for sup in supers:
                        self._children.setdefault(sup, []).append(sub)
            seen, todo = {cls}, [cls]
            while todo:
                for child in self._children.get(todo.pop(), ()):
                    if child not in seen:
                        seen.add(child)
                        todo.append(child)
            found = self._subclasses[cls] = frozenset(seen)
        return found

    def instances(self, classes: Iterable[Node]) -> set[Node]:
        """Return every node typed with one of the classes or a subclass of one."""
        if self._instances is None:
            self._instances = {}
            for node, types in self.types.items():
                for cls in types:
                    self._instances.setdefault(cls, []).append(node)
        found: set[Node] = set()
        for cls in classes:
            for sub in self.subclasses(cls):
                found.update(self._instances.get(sub, ()))
        return found


# A rule checks (focus, value nodes) pairs and yields (focus, message) for each result.
Pairs = list[tuple[Node, "tuple[Node, ...] | list[Node] | set[Node]"]]
Rule = Callable[[Pairs, _Context], Iterator[tuple[Node, str]]]


def _min_count(count: int, path_text: str) -> Rule:
    def rule(pairs: Pairs, ctx: _Context) -> Iterator[tuple[Node, str]]:
        for focus, values in pairs:
            if len(values) < count:
                yield focus, f"Less than {count} values on {ctx.text(focus)}->{path_text}"

    return rule


def _max_count(count: int, path_text: str) -> Rule:
    def rule(pairs: Pairs, ctx: _Context) -> Iterator[tuple[Node, str]]:
        for focus, values in pairs:
            if len(values) > count:
                yield focus, f"More than {count} values on {ctx.text(focus)}->{path_text}"

    return rule


def _each_value(test: Callable[[Node], bool], message: str) -> Rule:
    def rule(pairs: Pairs, ctx: _Context) -> Iterator[tuple[Node, str]]:
        for focus, values in pairs:
            for value in values:
                if not test(value):
                    yield focus, message

    return rule


def _datatype_test(datatype: Node) -> Callable[[Node], bool]:
    # The SPARQL datatype() rule with pyshacl's special cases: plain literals are xsd:string, any literal
    # is an rdfs:Literal, and a literal of a known datatype must be well formed. The branches are decided
    # here, once, because rdflib builds a new term on every namespace attribute access.
    wanted = _VALUE_TYPES.get(datatype)
    any_literal, any_typed = datatype == RDFS.Literal, datatype == RDFS.Datatype
    plain_string, lang_string = datatype == XSD.string, datatype == RDF.langString

    def test(value: Node) -> bool:
        if not isinstance(value, Literal):
            return False
        if value.datatype == datatype:
            return value.ill_typed is not True and (wanted is None or isinstance(value.value, wanted))
        if any_literal or (any_typed and value.datatype):
            return True
        if (plain_string and value.datatype is None and value.language is None) or (lang_string and value.language):
            return wanted is None or isinstance(value.value, wanted)
        return False

    return test


def _pattern_test(pattern: re.Pattern[str]) -> Callable[[Node], bool]:
    def test(value: Node) -> bool:
        if isinstance(value, BNode):
            return False
        plain = isinstance(value, Literal) and value.datatype in _STRING_TYPES
        text = str(value.value) if plain and value.value is not None else str(value)
        return pattern.search(text) is not None

    return test


def _class_rule(cls: Node, message: str) -> Rule:
    def rule(pairs: Pairs, ctx: _Context) -> Iterator[tuple[Node, str]]:
        accepted = ctx.subclasses(cls)
        types = ctx.types
        known: dict[Node, bool] = {}
        for focus, values in pairs:
            for value in values:
                ok = known.get(value)
                if ok is None:
                    typed = not isinstance(value, Literal) and any(t in accepted for t in types.get(value, ()))
                    ok = known[value] = typed
                if not ok:
                    yield focus, message

    return rule


def _in_rule(members: set[Node], member_texts: list[str]) -> Rule:
    def rule(pairs: Pairs, ctx: _Context) -> Iterator[tuple[Node, str]]:
        for focus, values in pairs:
            for value in values:
                if value not in members:
                    yield focus, f"Value {ctx.text(value)} not in list {member_texts}"

    return rule


def _unique_lang(pairs: Pairs, ctx: _Context) -> Iterator[tuple[Node, str]]:
    for focus, values in pairs:
        seen: set[str] = set()
        repeated: set[str] = set()
        for value in values:
            if isinstance(value, Literal) and value.language:
                lang = str(value.language).lower()
                (repeated if lang in seen else seen).add(lang)
        for _ in repeated:
            yield focus, "More than one String shares the same Language"


@dataclass(frozen=True)
class _Shape:
    """One shape's compiled rules: over the focus node itself (path None) or over one predicate's values."""

    targets: tuple[Node, ...]
    path: URIRef | None
    rules: tuple[Rule, ...]
    properties: tuple[_Shape, ...] = ()


class _Compiler:
    """Reads a shapes graph and compiles each shape, refusing what it does not know."""

    def __init__(self, graph: Graph):
        self.graph = graph
        self.names = graph.namespace_manager
        self.names.bind("sh", SH, override=False, replace=False)

    def fail(self, shape: Node, what: str) -> ShapesUnsupported:
        return ShapesUnsupported(f"shape {iri_text(shape, self.names) if isinstance(shape, URIRef) else shape}: {what}")

    def one(self, shape: Node, parameter: URIRef) -> Node | None:
        found = list(self.graph.objects(shape, parameter))
        if len(found) > 1:
            raise self.fail(shape, f"more than one {iri_text(parameter, self.names)}")
        return found[0] if found else None

    def known(self, shape: Node, parameters: set[URIRef], kinds: set[URIRef]) -> None:
        for p, o in self.graph.predicate_objects(shape):
            if p == RDF.type and o not in kinds:
                raise self.fail(shape, f"type {iri_text(o, self.names)} is not supported by the compiled checker")
            if str(p).startswith(str(SH)) and p not in parameters and p not in _ANNOTATIONS:
                raise self.fail(shape, f"{iri_text(p, self.names)} is not supported by the compiled checker")

    def value_rules(self, shape: Node) -> list[Rule]:
        rules: list[Rule] = []
        graph, text = self.graph, lambda node: TermText(self.names, {})(node)
        if (datatype := self.one(shape, SH.datatype)) is not None:
            rules.append(_each_value(_datatype_test(datatype), f"Value is not Literal with datatype {text(datatype)}"))
        classes = list(graph.objects(shape, SH["class"]))
        if classes:
            message = (
                f"Value does not have class {text(classes[0])}"
                if len(classes) < 2
                else f"Value class is not in classes ({', '.join(text(c) for c in classes)})"
            )
            rules += [_class_rule(cls, message) for cls in classes]
        if (kind := self.one(shape, SH.nodeKind)) is not None:
            if kind not in _NODE_KINDS:
                raise self.fail(shape, f"unknown node kind {text(kind)}")
            kinds = _NODE_KINDS[kind]
            message = f"Value is not of Node Kind {text(kind)}"
            rules.append(_each_value(lambda v, kinds=kinds: isinstance(v, kinds), message))
        patterns = list(graph.objects(shape, SH.pattern))
        if patterns:
            rules += self.pattern_rules(shape, patterns)
        if (members := self.one(shape, SH["in"])) is not None:
            values: set[Node] = set()
            for item in graph.items(members):
                values.add(item)
            rules.append(_in_rule(values, [text(value) for value in values]))
        return rules

    def pattern_rules(self, shape: Node, patterns: list[Node]) -> list[Rule]:
        if not all(isinstance(p, Literal) for p in patterns):
            raise self.fail(shape, "sh:pattern must be a literal")
        flags = 0
        if (given := self.one(shape, SH.flags)) is not None:
            letters = str(given.value if isinstance(given, Literal) else given).lower()
            flags = (re.I if "i" in letters else 0) | (re.M if "m" in letters else 0)
        if len(patterns) < 2:
            message = f"Value does not match pattern '{patterns[0].value}'"
        else:
            message = "Value does not match every pattern in ('{}')".format("', '".join(str(p.value) for p in patterns))
        rules = []
        for p in patterns:
            source = str(p.value) if p.value is not None and len(p.value) > 1 else str(p)
            rules.append(_each_value(_pattern_test(re.compile(source, flags)), message))
        return rules

    def property_shape(self, shape: Node) -> _Shape:
        self.known(shape, _PROPERTY_PARAMETERS, {SH.PropertyShape})
        path = self.one(shape, SH.path)
        if not isinstance(path, URIRef):
            raise self.fail(shape, "only a single predicate is supported as sh:path")
        path_text = TermText(self.names, {})(path)
        rules: list[Rule] = []
        for parameter, make in ((SH.minCount, _min_count), (SH.maxCount, _max_count)):
            if (bound := self.one(shape, parameter)) is not None:
                if not (isinstance(bound, Literal) and isinstance(bound.value, int) and bound.value >= 0):
                    raise self.fail(shape, f"{iri_text(parameter, self.names)} must be a non-negative integer")
                if parameter != SH.minCount or bound.value > 0:  # sh:minCount 0 always holds
                    rules.append(make(bound.value, path_text))
        rules += self.value_rules(shape)
        if (unique := self.one(shape, SH.uniqueLang)) is not None:
            if not (isinstance(unique, Literal) and isinstance(unique.value, bool)):
                raise self.fail(shape, "sh:uniqueLang must be a boolean")
            if unique.value:
                rules.append(_unique_lang)
        return _Shape((), path, tuple(rules))

    def node_shape(self, shape: Node) -> _Shape:
        self.known(shape, _NODE_PARAMETERS, {SH.NodeShape})
        properties = tuple(self.property_shape(p) for p in self.graph.objects(shape, SH.property))
        targets = tuple(self.graph.objects(shape, SH.targetClass))
        return _Shape(targets, None, tuple(self.value_rules(shape)), properties)

    def compile(self) -> list[_Shape]:
        graph = self.graph
        properties = set(graph.objects(None, SH.property))
        shapes = {
            s for s, p, o in graph if (p == RDF.type and str(o).startswith(str(SH))) or str(p).startswith(str(SH))
        } - {s for s in graph.subjects(RDF.first, None)}
        compiled = []
        for shape in sorted(shapes - properties, key=str):
            if (shape, SH.path, None) in graph:
                raise self.fail(shape, "a property shape must hang off a node shape's sh:property")
            compiled.append(self.node_shape(shape))
        return compiled


class CompiledShapes:
    """A shapes graph compiled into checks; :meth:`check` validates triples against it.

    Parameters
    ----------
    graph : rdflib.Graph
        The shapes. Its prefixes name terms in messages.
    data_names : NamespaceManager
        The prefixes of the data graph, which name focus nodes and values in messages.
    """

    def __init__(self, graph: Graph, data_names: NamespaceManager):
        self._shapes = _Compiler(graph).compile()
        self._names = data_names
        self._names.bind("sh", SH, override=False, replace=False)
        paths = {prop.path for shape in self._shapes for prop in shape.properties}
        self._predicates = frozenset({RDF.type, RDFS.subClassOf, *paths})

    def check(self, *sources: Iterable[Triple]) -> list[Violation]:
        """Validate the union of the given triples and return every result, in no particular order.

        Parameters
        ----------
        *sources : iterable of Triple
            The data graph, in parts (for example the staged triples and the ontology they refer to).

        Returns
        -------
        list of Violation
            Empty when the data conforms.
        """
        values: dict[Node, dict[Node, list[Node]]] = {p: {} for p in self._predicates}
        blanks: dict[Node, list[tuple[Node, Node]]] = {}
        for triples in sources:
            for s, p, o in triples:
                if isinstance(s, BNode):
                    blanks.setdefault(s, []).append((p, o))
                by_subject = values.get(p)
                if by_subject is not None:
                    found = by_subject.get(s)
                    if found is None:
                        by_subject[s] = [o]
                    else:
                        found.append(o)
        ctx = _Context(values, blanks, self._names)
        results: list[Violation] = []
        for shape in self._shapes:
            if not shape.targets:
                continue
            focus = ctx.instances(shape.targets)
            if shape.rules:
                pairs: Pairs = [(node, (node,)) for node in focus]
                results += (Violation(f, None, m) for rule in shape.rules for f, m in rule(pairs, ctx))
            for prop in shape.properties:
                by_subject = values[prop.path]
                pairs = []
                for node in focus:
                    found = by_subject.get(node, ())
                    pairs.append((node, set(found) if len(found) > 1 else found))
                results += (Violation(f, prop.path, m) for rule in prop.rules for f, m in rule(pairs, ctx))
        return results


def compile_shapes(graph: Graph, data_names: NamespaceManager) -> CompiledShapes:
    """Compile a shapes graph, raising :class:`ShapesUnsupported` on any feature the checker lacks."""
    return CompiledShapes(graph, data_names)
