"""Intake: reading letter registers, checking uploads, the built-in demo register."""
