"""Carry the request id from whoever enqueued a task into the task's logs."""

from __future__ import annotations

from typing import Any

from celery.signals import before_task_publish, task_postrun, task_prerun

from booking_platform.observability.context import current_request_id, new_request_id, request_id_var

HEADER = "request_id"
_tokens: dict[str, Any] = {}


@before_task_publish.connect(weak=False)
def _stamp_request_id(headers: dict[str, Any] | None = None, **_: Any) -> None:
    if headers is not None and not headers.get(HEADER):
        headers[HEADER] = current_request_id()


@task_prerun.connect(weak=False)
def _restore_request_id(task_id: str | None = None, task: Any = None, **_: Any) -> None:
    incoming = getattr(task.request, HEADER, None) if task is not None else None
    if not incoming or incoming == "-":
        incoming = current_request_id() if current_request_id() != "-" else new_request_id()
    _tokens[task_id or ""] = request_id_var.set(incoming)


@task_postrun.connect(weak=False)
def _clear_request_id(task_id: str | None = None, **_: Any) -> None:
    token = _tokens.pop(task_id or "", None)
    if token is not None:
        request_id_var.reset(token)
