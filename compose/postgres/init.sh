#!/usr/bin/env bash
# Runs once, inside the postgres container, when its data volume is empty
# (/docker-entrypoint-initdb.d). Creates one database per service, owned by a user of the same name
# whose password comes from the environment (compose/.env via docker-compose.yml), and keeps every
# other user out of it: no service can read another's database (CONTRACT.md).
#
#   database    user       password from
#   orders      orders     ORDERS_DB_PASSWORD
#   inventory   inventory  INVENTORY_DB_PASSWORD
#   payments    payments   PAYMENTS_DB_PASSWORD
#   shipping    shipping   SHIPPING_DB_PASSWORD
set -euo pipefail

create_service_database() {
  local db="$1" password_var="$2"
  local password="${!password_var:-}"
  if [[ -z "$password" ]]; then
    echo "init.sh: $password_var is empty: set it in compose/.env" >&2
    exit 1
  fi
  # the password travels as a psql variable (:'pw' quotes it as a literal), never inside the SQL text
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
       -v db="$db" -v pw="$password" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'db', :'pw')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'db') \gexec
SELECT format('ALTER ROLE %I LOGIN PASSWORD %L', :'db', :'pw') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'db')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'db') \gexec
SELECT format('GRANT ALL ON DATABASE %I TO %I', :'db', :'db') \gexec
SQL
  echo "init.sh: database $db ready, owned by user $db"
}

create_service_database orders    ORDERS_DB_PASSWORD
create_service_database inventory INVENTORY_DB_PASSWORD
create_service_database payments  PAYMENTS_DB_PASSWORD
create_service_database shipping  SHIPPING_DB_PASSWORD
