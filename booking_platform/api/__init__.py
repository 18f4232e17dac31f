"""Kernel API plumbing: problem+json errors, cursor pages, the idempotency store. Knows no context."""
