"""The application core: stores, loading, and the use cases the API and CLI call."""
