"""A hostile vault, generated at test time: see `make_hostile.py`."""
