"""Email and SMS for domain events: a Delivery ledger, channels, and a renderer registry."""
