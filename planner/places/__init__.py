"""Places: resolving addresses to county, town, village and a point."""
