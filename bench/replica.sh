#!/usr/bin/env bash
# A streaming hot standby of the local PostgreSQL cluster, for the load run's
# second table (make load ARGS="--replica-port 5433"). Debian's cluster tools;
# run as root (or as postgres).
#
#   bench/replica.sh start   create it from a base backup if needed, start it
#   bench/replica.sh stop    stop it (Odoo then reads from the primary)
#   bench/replica.sh drop    remove it
set -euo pipefail

VERSION=${PG_VERSION:-15}
PRIMARY=${PRIMARY_CLUSTER:-main}
NAME=${REPLICA_CLUSTER:-replica}
PORT=${REPLICA_PORT:-5433}
DATA=/var/lib/postgresql/$VERSION/$NAME

as_postgres() {
    if [ "$(id -un)" = postgres ]; then "$@"; else su postgres -c "$(printf '%q ' "$@")"; fi
}

exists() {
    pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$VERSION $NAME"
}

case "${1:-start}" in
start)
    primary_port=$(pg_lsclusters -h | awk -v v="$VERSION" -v c="$PRIMARY" '$1 == v && $2 == c {print $3}')
    [ -n "$primary_port" ] || { echo "No cluster $VERSION/$PRIMARY." >&2; exit 1; }
    if ! exists; then
        echo "Creating $VERSION/$NAME on port $PORT as a hot standby of $VERSION/$PRIMARY..."
        pg_createcluster "$VERSION" "$NAME" -p "$PORT" >/dev/null
        rm -rf "$DATA"
        # -R writes standby.signal and primary_conninfo: streaming replication.
        as_postgres pg_basebackup -p "$primary_port" -D "$DATA" -R -X stream -c fast
    fi
    pg_ctlcluster "$VERSION" "$NAME" start 2>/dev/null || true
    for _ in $(seq 1 30); do
        if [ "$(psql -p "$PORT" -d postgres -tAc 'SELECT pg_is_in_recovery()' 2>/dev/null)" = t ]; then
            echo "Replica $VERSION/$NAME is streaming on port $PORT."
            exit 0
        fi
        sleep 1
    done
    echo "The replica did not start: see /var/log/postgresql/postgresql-$VERSION-$NAME.log" >&2
    exit 1
    ;;
stop)
    if exists; then pg_ctlcluster "$VERSION" "$NAME" stop -m fast; fi
    ;;
drop)
    if exists; then pg_dropcluster --stop "$VERSION" "$NAME"; fi
    ;;
*)
    echo "usage: $0 start|stop|drop" >&2
    exit 2
    ;;
esac
