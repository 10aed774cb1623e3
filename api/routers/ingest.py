"""``POST /api/ingest``: upload records (the formats of ``peergraph ingest``); needs an editor API key."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, UploadFile

from api.deps import AccessDep, SettingsDep
from graph.errors import UploadTooLarge
from graph.services.uploads import Upload, ingest_uploads

router = APIRouter(prefix="/api", tags=["ingest"])


@router.post(
    "/ingest",
    responses={
        401: {"description": "No or unknown API key."},
        403: {"description": "The key is not an editor key."},
        409: {"description": "Another process is writing to the store."},
        413: {"description": "The upload is larger than PEERGRAPH_MAX_UPLOAD_BYTES."},
        422: {"description": "The records do not validate; every problem is listed and nothing was written."},
    },
)
def post_ingest(
    request: Request,
    settings: SettingsDep,
    access: AccessDep,
    files: list[UploadFile],
    dataset: Annotated[str, Form(description="Dataset name; uploading it again replaces its sources.")] = "upload",
    force: Annotated[bool, Form(description="Reload unchanged files too.")] = False,
) -> dict[str, Any]:
    """Validate the uploaded files and load them, all or nothing (then into Neo4j when configured)."""
    access.require("editor")
    declared = int(request.headers.get("content-length") or 0)
    if declared > settings.max_upload_bytes + 64 * 1024:  # multipart overhead allowed
        raise UploadTooLarge(f"the upload is {declared} bytes; the limit is {settings.max_upload_bytes}")
    uploads = [Upload(file.filename or "", file.file.read(settings.max_upload_bytes + 1)) for file in files]
    report = ingest_uploads(settings, uploads, dataset=dataset, force=force, neo4j_store=request.app.state.neo4j_store)
    if request.app.state.live_store is not None:  # the uploader waits for its own data; other readers do not
        request.app.state.live_store.reload_now()
    return {
        "dataset": report.dataset,
        "run": report.load.run,
        "loaded": [source.name for source in report.load.loaded],
        "unchanged": [source.name for source in report.load.unchanged],
        "records": {source.name: source.report.records for source in report.load.loaded},
        "neo4j": None
        if report.neo4j is None
        else {"nodes": report.neo4j.nodes, "relationships": report.neo4j.relationships},
    }
