"""One response for every file the portal serves: attachments, reply files, evidence,
exports. A file someone uploaded must stay a download, whatever it contains:

- `Content-Disposition: attachment` with the file's own name (RFC 5987 `filename*` for
  a Chinese name; Django encodes it, a line break included, so no header can be added);
- the type the server determined (at upload, or what it generated), never the client's,
  and `nosniff`, so a browser does not guess HTML out of it;
- `Content-Security-Policy: default-src 'none'; sandbox`, for a browser that renders it
  anyway (a PDF viewer, "open" after downloading in some browsers): no script, no
  requests, no forms, its own origin;
- `private=True` for what only one person may read (a resident's reply files, what
  staff read): `Cache-Control: private, no-store`, kept by no proxy and no disk cache.
"""

from __future__ import annotations

from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header

SANDBOX = "default-src 'none'; sandbox"
PRIVATE = "private, no-store"
OCTET_STREAM = "application/octet-stream"


def file_download(
    file, *, filename: str, content_type: str = "", private: bool = False
) -> FileResponse | HttpResponse:
    """The response for `file` with the headers above: streamed from an open file, or
    in one piece for `bytes` made in memory (an export)."""
    content_type = content_type or OCTET_STREAM
    if isinstance(file, bytes):
        response = HttpResponse(file, content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(True, filename)
    else:
        response = FileResponse(file, as_attachment=True, filename=filename,
                                content_type=content_type)  # fmt: skip
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX
    if private:
        response["Cache-Control"] = PRIVATE
    return response
