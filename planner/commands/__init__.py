"""CLI subcommands: each module defines ``register(subparsers)``; ``planner.cli`` discovers them."""
