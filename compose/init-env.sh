#!/usr/bin/env bash
# Writes compose/.env from .env.example, filling every empty value with a random secret.
# Refuses to overwrite an existing .env. Usage: ./init-env.sh   (from any directory)
set -euo pipefail
cd "$(dirname "$0")"
if [[ -e .env ]]; then
  echo ".env exists already; remove it first to generate new secrets" >&2
  exit 1
fi
random_secret() {
  # 32 random bytes as 64 hex characters (enough for AUTH_JWT_SECRET's 32-byte minimum)
  od -An -N32 -tx1 /dev/urandom | tr -d ' \n'
}
umask 077
while IFS= read -r line || [[ -n "$line" ]]; do
  if [[ "$line" =~ ^([A-Z][A-Z0-9_]*)=$ ]]; then
    printf '%s=%s\n' "${BASH_REMATCH[1]}" "$(random_secret)"
  else
    printf '%s\n' "$line"
  fi
done < .env.example > .env
echo "wrote $(pwd)/.env (mode 600); next: docker compose up -d"
