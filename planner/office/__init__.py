"""The office: accounts and authorisation, audit, privacy, settings, backup, logs."""
