"""One measurement in its own process, so its peak memory is its own: prints one JSON object.

python -m benchmarks.measure peergraph FOLDER STORE
python -m benchmarks.measure rdflib FILE.nt
python -m benchmarks.measure bulk_load FILE.nt STORE
python -m benchmarks.measure stages FOLDER
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    what, *args = sys.argv[1:]
    result: dict[str, object] = {"what": what}
    if what == "peergraph":
        from graph.rdf.store import RdfStore
        from graph.services.store import ingest_paths, init_store
        from graph.settings import Settings

        settings = Settings(store=Path(args[1]), _env_file=None)
        store = RdfStore(settings.store)
        init_store(store)
        start = time.perf_counter()
        batch, _ = ingest_paths(store, [Path(args[0])], settings)
        result["seconds"] = time.perf_counter() - start
        result["triples"] = batch.triple_count
        result["records"] = sum(s.report.record_count for s in batch.sources)
        store.close()
    elif what == "rdflib":
        from rdflib import Graph

        start = time.perf_counter()
        graph = Graph()
        graph.parse(args[0], format="nt")
        result["seconds"] = time.perf_counter() - start
        result["triples"] = len(graph)
    elif what == "bulk_load":
        import pyoxigraph as ox

        start = time.perf_counter()
        store = ox.Store(args[1])
        store.bulk_load(path=args[0], format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode("urn:bench"))
        store.flush()
        result["seconds"] = time.perf_counter() - start
        result["triples"] = len(store)
    elif what == "stages":
        # The validation half of an ingest (read, validate, map, SHACL) and, again on its output, the
        # compiled SHACL check alone, with the fixed cost of compiling the shapes and reading the ontology.
        from ingest.pipeline import prepare
        from ingest.shacl import check_shapes, compiled_shapes, ontology_triples

        start = time.perf_counter()
        compiled_shapes()
        ontology_triples()
        result["shapes_setup_s"] = time.perf_counter() - start
        start = time.perf_counter()
        batch = prepare([Path(args[0])])
        result["prepare_s"] = time.perf_counter() - start
        triples = [t for s in batch.sources for t in s.triples]
        start = time.perf_counter()
        problems = check_shapes(triples)
        result["shapes_s"] = time.perf_counter() - start
        result["triples"] = len(triples)
        result["problems"] = len(problems)
    else:
        raise SystemExit(f"unknown measurement {what!r}")
    result["peak_rss_mb"] = round(_peak_rss_mb(), 1)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
