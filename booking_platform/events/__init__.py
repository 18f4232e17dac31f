"""Domain events through a transactional outbox (see outbox.py)."""
