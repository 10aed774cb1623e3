# peergraph API image: serves the bundled data (or a mounted store) on port 8000.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY ontology ontology
COPY ingest ingest
COPY graph graph
COPY api api
COPY viz viz
RUN pip install --no-cache-dir .
ENV PEERGRAPH_STORE=/data/store
EXPOSE 8000
# Loads the bundled data on first start (unchanged files are skipped afterwards), then serves it.
CMD ["peergraph", "demo", "--host", "0.0.0.0", "--port", "8000"]
