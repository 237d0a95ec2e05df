"""Storage: the database, its migrations, and the records of cases, plans, teams and cluster decisions."""
