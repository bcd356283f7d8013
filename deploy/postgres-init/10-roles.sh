#!/usr/bin/env bash
# The database roles of a clinic's deployment (see the README, "Security model").
# The postgres image runs this once, as the superuser POSTGRES_USER, when the db volume is new
# (it is mounted into /docker-entrypoint-initdb.d). For a volume made before the two roles, run
# it once by hand, then start the app:
#   docker compose exec db bash /docker-entrypoint-initdb.d/10-roles.sh
#
#   hormone_owner    owns the database and its schema; the app runs migrations as it
#   hormone_app      a group (no login) that migrations grant row access to, and no more
#   hormone_service  the login the web app and the render workers use: a member of hormone_app only
#
# Safe to run again: it creates what is missing, sets both passwords from the environment, and
# hands what the superuser owns in the database (tables made before) to hormone_owner.
set -euo pipefail
: "${DATABASE_OWNER_PASSWORD:?set DATABASE_OWNER_PASSWORD}"
: "${DATABASE_SERVICE_PASSWORD:?set DATABASE_SERVICE_PASSWORD}"

psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v db="$POSTGRES_DB" \
  -v owner_password="$DATABASE_OWNER_PASSWORD" \
  -v service_password="$DATABASE_SERVICE_PASSWORD" <<'SQL'
SELECT 'CREATE ROLE hormone_app NOLOGIN'
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'hormone_app') \gexec
SELECT 'CREATE ROLE hormone_owner LOGIN'
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'hormone_owner') \gexec
SELECT 'CREATE ROLE hormone_service LOGIN'
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'hormone_service') \gexec
ALTER ROLE hormone_owner WITH LOGIN PASSWORD :'owner_password';
ALTER ROLE hormone_service WITH LOGIN PASSWORD :'service_password';
GRANT hormone_app TO hormone_service;
ALTER DATABASE :"db" OWNER TO hormone_owner;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

-- A volume from before the two roles: the superuser made the tables; the owner takes them.
DO $$
DECLARE
  object text;
BEGIN
  FOR object IN
    SELECT c.oid::regclass::text FROM pg_class c
    WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
      AND pg_get_userbyid(c.relowner) = current_user
      AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                      AND d.objid = c.oid AND d.deptype IN ('e', 'a', 'i'))
  LOOP
    EXECUTE format('ALTER TABLE %s OWNER TO hormone_owner', object);
  END LOOP;
  FOR object IN
    SELECT p.oid::regprocedure::text FROM pg_proc p
    WHERE p.pronamespace = 'public'::regnamespace AND pg_get_userbyid(p.proowner) = current_user
      AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                      AND d.objid = p.oid AND d.deptype = 'e')
  LOOP
    EXECUTE format('ALTER ROUTINE %s OWNER TO hormone_owner', object);
  END LOOP;
END
$$;
SQL
