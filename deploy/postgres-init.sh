#!/bin/sh
# Creates Forumdesk's own database next to Temporal's on first start of the PostgreSQL container.
set -e
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" <<SQL
CREATE USER forumdesk WITH PASSWORD '${FORUMDESK_DB_PASSWORD:-forumdesk}';
CREATE DATABASE forumdesk OWNER forumdesk;
SQL
