#!/bin/sh
# The cron recipe (docs/operations.md): `make refresh`, acting on its exit code.
#   0      published                         → silent (cron mails nothing)
#   10,11  input rejected / validation failed → not retried: a person must look; one summary line
#   12,13  locked / operational error         → retried DCI_RETRIES times (default 2),
#                                               DCI_RETRY_DELAY seconds apart (default 300)
# Exits with the last exit code; anything printed goes to cron's mail (MAILTO).
cd "$(dirname "$0")/.." || exit 13
retries=${DCI_RETRIES:-2}
delay=${DCI_RETRY_DELAY:-300}
log=${DCI_CRON_LOG:-logs/cron.log}
mkdir -p "$(dirname "$log")" 2>/dev/null
attempt=0
while :; do
    make --no-print-directory refresh >>"$log" 2>&1
    code=$?
    case $code in
        0) exit 0 ;;
        10) echo "digital-city-index refresh: input rejected (exit 10), not retried; see $log" ;;
        11) echo "digital-city-index refresh: validation failed (exit 11), not retried; see $log" ;;
        12 | 13)
            if [ "$attempt" -lt "$retries" ]; then
                attempt=$((attempt + 1))
                echo "digital-city-index refresh: exit $code, retry $attempt of $retries in ${delay}s" >>"$log"
                sleep "$delay"
                continue
            fi
            echo "digital-city-index refresh: exit $code after $retries retries; see $log" ;;
        *) echo "digital-city-index refresh: unexpected exit $code; see $log" ;;
    esac
    tail -n 5 "$log"
    exit "$code"
done
