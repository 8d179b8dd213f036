#!/usr/bin/env bash
# A warehouse spread over three PostgreSQL instances on this machine: a coordinator and
# two shards joined by postgres_fdw, with kensho_rows hash-partitioned on the
# fingerprint (each shard holds one partition). kensho talks to the coordinator only;
# pushes are routed to the shards in batches, and grouping or joining on the
# fingerprint runs partition by partition on the shards.
#
#   bash docs/scale-fdw.sh            # set up, sweep the example case, compare, tear down
#   eval "$(bash docs/scale-fdw.sh --keep)"   # ... then empty the warehouse and leave the
#                                     # servers running: sets KENSHO_FDW_URL, PGPASSFILE,
#                                     # and KENSHO_FDW_STOP (the command that stops them)
#   KENSHO=path/to/kensho bash docs/scale-fdw.sh
#
# The sweep pushes every system of examples/case to the coordinator and checks that
# `occurrences` and `matrix` over the warehouse give, row for row, the embedded
# engine's answers. Needs PostgreSQL (apt-get install postgresql) and a built kensho.
set -euo pipefail
cd "$(dirname "$0")/.."
keep=no
[ "${1:-}" = "--keep" ] && keep=yes
kensho=${KENSHO:-.build/debug/kensho}
[ -x "$kensho" ] || kensho=.build/release/kensho
[ -x "$kensho" ] || { echo "scale-fdw: build kensho first (swift build)" >&2; exit 1; }

declare -A url port pass dir
# The three servers' passwords, merged into one password file, in a directory of this
# run's own (two runs at once must not share it).
secrets=$(mktemp -d /tmp/kensho-fdw-pass.XXXXXX)
chmod 700 "$secrets"
for node in coordinator shard0 shard1; do
  eval "$(bash .ci/start-postgres)"
  url[$node]=$KENSHO_TEST_PG_URL
  port[$node]=$KENSHO_TEST_PG_PORT
  pass[$node]=$(head -1 "$PGPASSFILE" | cut -d: -f5)
  dir[$node]=$KENSHO_TEST_PG_DIR
  bin=$KENSHO_TEST_PG_BIN
  cp "$PGPASSFILE" "$secrets/pgpass-$node"
done
cat "$secrets"/pgpass-{coordinator,shard0,shard1} > "$secrets/pgpass"
chmod 600 "$secrets/pgpass"
export PGPASSFILE=$secrets/pgpass

stop() {
  for node in coordinator shard0 shard1; do
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$bin/pg_ctl" -D "${dir[$node]}" stop -m fast >/dev/null
    else "$bin/pg_ctl" -D "${dir[$node]}" stop -m fast >/dev/null; fi
    rm -rf "$(dirname "${dir[$node]}")"
  done
  rm -rf "$secrets"
}
[ "$keep" = yes ] || trap stop EXIT

columns="dataset text NOT NULL, ordinal bigint NOT NULL, fingerprint bytea, source text, line bigint,
  sig_area text, sig_registered text, sig_id_shape text, name text, kana text, birthdate text, phone text,
  email text, postal text, address text, id text, registered text"

# Each shard holds one hash partition of kensho_rows.
for n in 0 1; do
  psql "${url[shard$n]}" -q -v ON_ERROR_STOP=1 -c "CREATE TABLE kensho_rows_$n ($columns)"
done

# The coordinator: the partitioned table, its partitions foreign tables on the shards.
# INSERTs into a foreign partition go in batches (batch_size); shards are scanned at
# once (async_capable); aggregates and joins on the fingerprint, the partition key, are
# planned partition by partition and pushed to the shards.
admin=( "$bin/psql" -h "$(dirname "${dir[coordinator]}")" -p "${port[coordinator]}" -U postgres -d kensho -q -v ON_ERROR_STOP=1 -X )
if [ "$(id -u)" -eq 0 ]; then admin=(runuser -u postgres -- "${admin[@]}"); fi
"${admin[@]}" -c "CREATE EXTENSION postgres_fdw" -c "GRANT USAGE ON FOREIGN DATA WRAPPER postgres_fdw TO kensho"
psql "${url[coordinator]}" -q -v ON_ERROR_STOP=1 <<SQL
CREATE TABLE kensho_rows ($columns) PARTITION BY HASH (fingerprint);
$(for n in 0 1; do cat <<PART
CREATE SERVER shard$n FOREIGN DATA WRAPPER postgres_fdw
  OPTIONS (host '127.0.0.1', port '${port[shard$n]}', dbname 'kensho', batch_size '1000', fetch_size '10000', async_capable 'true');
CREATE USER MAPPING FOR kensho SERVER shard$n OPTIONS (user 'kensho', password '${pass[shard$n]}');
CREATE FOREIGN TABLE kensho_rows_$n PARTITION OF kensho_rows FOR VALUES WITH (MODULUS 2, REMAINDER $n)
  SERVER shard$n OPTIONS (table_name 'kensho_rows_$n');
PART
done)
ALTER DATABASE kensho SET enable_partitionwise_aggregate = on;
ALTER DATABASE kensho SET enable_partitionwise_join = on;
SQL
echo "coordinator ${url[coordinator]}, shards ${url[shard0]} and ${url[shard1]}" >&2

# The sweep: every system pushed to the coordinator, then each answer computed by the
# embedded engine and by the warehouse.
systems="hoshinooka kasumida minatokita shiohama shirasagidai tsubakihara midorigase"
work=$(mktemp -d /tmp/kensho-fdw.XXXXXX)
load='load "examples/case/*.csv"
load examples/case/midorigase.tsv
fingerprint person = name + birthdate + phone'
attach="attach postgres \"${url[coordinator]}\" as wh"
{ echo "$load"; echo "$attach"; for system in $systems; do echo "push $system using person to wh with personal=all"; done; } > "$work/push.kensho"
"$kensho" run "$work/push.kensho" --no-journal 2>&1 | grep '^pushed' >&2
for what in "occurrences person" "matrix person"; do
  printf '%s\n%s\n' "$load" "$what" > "$work/local.kensho"
  printf 'fingerprint person = name + birthdate + phone\n%s\n%s in wh.*\n' "$attach" "$what" > "$work/warehouse.kensho"
  local_answer=$("$kensho" run "$work/local.kensho" --format csv --no-journal 2>/dev/null)
  warehouse_answer=$("$kensho" run "$work/warehouse.kensho" --format csv --no-journal 2>/dev/null)
  if [ "$local_answer" != "$warehouse_answer" ] || [ -z "$local_answer" ]; then
    echo "scale-fdw: '$what in wh.*' differs from the embedded engine's answer" >&2
    diff <(echo "$local_answer") <(echo "$warehouse_answer") | head -20 >&2
    exit 1
  fi
  echo "$what: $(($(echo "$local_answer" | wc -l) - 1)) rows, the same on the fdw warehouse" >&2
done
rm -rf "$work"
for n in 0 1; do
  echo "shard$n holds $(psql "${url[shard$n]}" -tA -c "SELECT count(*) FROM kensho_rows_$n") rows" >&2
done

if [ "$keep" = yes ]; then
  psql "${url[coordinator]}" -q -c "DELETE FROM kensho_rows" -c "DROP TABLE kensho_datasets"
  stop_command="for d in ${dir[coordinator]} ${dir[shard0]} ${dir[shard1]}; do"
  if [ "$(id -u)" -eq 0 ]; then stop_command+=" runuser -u postgres --"; fi
  stop_command+=" $bin/pg_ctl -D \$d stop -m fast >/dev/null; rm -rf \$(dirname \$d); done; rm -rf $secrets"
  echo "export KENSHO_FDW_URL='${url[coordinator]}'"
  echo "export PGPASSFILE='$PGPASSFILE'"
  echo "export KENSHO_FDW_STOP='$stop_command'"
fi
