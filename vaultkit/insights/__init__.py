"""Insights: pure functions of the model and `today`. No I/O, no clock."""
