#!/bin/sh
# Creates Forumdesk's own database next to Temporal's on first start of the PostgreSQL container.
# The password goes to psql as a variable and into the SQL as :'pw' (a literal psql quotes itself),
# and the here-document is quoted: no quote, $ or backtick in it can break the SQL or reach the shell.
set -e
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" -v pw="${FORUMDESK_DB_PASSWORD:-forumdesk}" <<'SQL'
CREATE USER forumdesk WITH PASSWORD :'pw';
CREATE DATABASE forumdesk OWNER forumdesk;
SQL
