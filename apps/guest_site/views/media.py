"""Room photos from the local media folder, for the embedded default and the browser tests.

In production photos live in object storage behind its own URL; SERVE_MEDIA is off there.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.static import serve


def media(request: HttpRequest, path: str) -> HttpResponse:
    if not settings.SERVE_MEDIA:
        raise Http404
    return serve(request, path, document_root=settings.MEDIA_ROOT)
