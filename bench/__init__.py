"""`make bench`: the booking path measured against its own limits (L0 database, L1 raw SQL, L3 framework)."""
