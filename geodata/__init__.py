"""Zhangzhou geography: counties, towns, villages, their codes, aliases and coordinates (offline)."""
