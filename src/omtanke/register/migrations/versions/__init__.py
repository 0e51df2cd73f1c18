"""The register's migration scripts, oldest first."""
