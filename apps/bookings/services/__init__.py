"""Booking writes. Each service owns its transaction and locks the booking row before inventory."""
