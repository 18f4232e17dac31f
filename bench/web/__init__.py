"""Bench-only HTTP endpoints, mounted under /bench/ only when BENCH_VIEWS=true (never in production defaults)."""
