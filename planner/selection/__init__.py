"""Selection (选件): ranking cases and turning chosen cases into visits."""
