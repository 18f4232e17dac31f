"""The shared kernel: base pieces every bounded context stands on. Never imports apps.*"""
