"""Leaf app: staff screens that span contexts (front desk board, staff bookings, reports), in the admin."""
