"""Staff access: which properties a user works for, and the log of sensitive reads and changes."""
