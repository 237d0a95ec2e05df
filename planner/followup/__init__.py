"""After the visit: outcomes, two-way feedback, clarifications, return visits, statistics."""
