"""The search engine of a team library: PostgreSQL's own text search, in the server.

Importing this package loads nothing; `clipper.search.postgres.backend` holds the
`PostgresSearch` backend.
"""
