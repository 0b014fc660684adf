#!/bin/bash
# The path and input attacks of docs/reliability/paths.md, against an mlbench checkout (built:
# dist/ present). Prints one line per attack: exit status, the first line mlbench wrote, and in
# brackets what landed where it must not. Run as root it also tries `paths.sessions: /etc`.
# Usage: docs/reliability/paths-attacks.sh <checkout>   (MLBENCH_MODELS: the shared models)
M=$(cd "${1:-.}" && pwd)
export MLBENCH_MODELS=${MLBENCH_MODELS:-$(cd "$M/.." && pwd)/shared/models}
B="node $M/bin/mlbench.js"
T=$(mktemp -d /tmp/mlb-attack-XXXX); H=$T/home; mkdir -p $H
$B flow load sine_model --home $H >/dev/null 2>&1
RUN=000-sine_model-mlbaot-host_x86
show() { printf '%-58s exit %-3s %s\n' "$1" "$2" "$(head -c 150 <<<"$3" | head -1)"; }
# 1 resume a folder outside the home
mkdir -p $T/x && cp -r $H/sessions/1/. $T/x/ && rm $T/x/runs/$RUN/result.json
e=$($B flow resume ../../x --home $H 2>&1 >/dev/null); show "flow resume ../../x" $? "$e  [outside written: $(ls $T/x/runs/$RUN/result.json 2>/dev/null && echo yes || echo no)]"
e=$($B sessions show ../../x --home $H 2>&1 >/dev/null); show "sessions show ../../x" $? "$e"
# 2 ../ run id
cp -r $H/sessions/1 $H/sessions/2 && rm $H/sessions/2/runs/$RUN/result.json
sed -i "s#\"id\": \"$RUN\"#\"id\": \"../../../../y/run\"#" $H/sessions/2/session.json
e=$($B flow resume 2 --home $H 2>&1 >/dev/null); show "session.json run id ../../../../y/run" $? "$e  [$T/y written: $(test -e $T/y && echo yes || echo no)]"
rm -rf $H/sessions/2 $T/y
# 3 symlinked run dir
cp -r $H/sessions/1 $H/sessions/3 && rm -rf $H/sessions/3/runs/$RUN && mkdir $T/target && ln -s $T/target $H/sessions/3/runs/$RUN
e=$($B flow resume 3 --home $H 2>&1 >/dev/null); show "run folder is a link out" $? "$e  [target written: $(ls $T/target | wc -l) files]"
rm -rf $H/sessions/3
# 4 crafted report.csv for export
mkdir -p $T/rep/runs && printf 'Run,Status\n../../../../../../../../etc,ok\n' > $T/rep/report.csv
e=$($B report show $T/rep/report.csv -p export -c export.artifacts=hostname --home $H 2>&1 >/dev/null); show "report.csv Run=../../../../etc, export" $? "$e  [hostname in archive: $(tar tzf $T/rep/export.tar.gz 2>/dev/null | grep -c hostname)]"
# 5 paths.sessions: /etc
H5=$T/h5; mkdir -p $H5; printf 'paths: {sessions: /etc}\n' > $H5/environment.yml
e=$($B flow load sine_model --home $H5 2>&1 >/dev/null); show "paths.sessions: /etc" $? "$e  [/etc/1: $(test -e /etc/1 && echo created || echo no)]"
[ -f /etc/1/session.json ] && rm -rf /etc/1 && rm -f /etc/latest  # only a session an unfixed mlbench made there
# 6 -j 0 / -j -3
e=$($B flow load sine_model -j 0 --home $H 2>&1 >/dev/null); show "-j 0" $? "$e"
e=$($B flow load sine_model -j -3 --home $H 2>&1 >/dev/null); show "-j -3" $? "$e"
# 7 mlif.timeout: true
H7=$T/h7; mkdir -p $H7; printf 'config: {mlif.timeout: true}\n' > $H7/environment.yml
e=$($B flow load sine_model --home $H7 2>&1 >/dev/null); show "environment config mlif.timeout: true" $? "$e  [stored: $(grep -ho '"mlif.timeout": [a-z0-9]*' $H7/sessions/1/session.json 2>/dev/null | head -1)]"
# 8 definition.yml output_nodes wrong type
mkdir -p $T/m/bad && cp "${MLBENCH_MODELS%%:*}/sine_model/sine_model.tflite" $T/m/bad/bad.tflite && mkdir $T/m/bad/input && printf 'network_parameters:\n  output_nodes: Identity\n' > $T/m/bad/definition.yml
e=$($B flow load $T/m/bad/bad.tflite --home $H 2>&1 >/dev/null); show "definition.yml output_nodes: Identity" $? "$(grep -h Reason -A0 $H/sessions/latest/report.csv >/dev/null; cut -d, -f1- $H/sessions/latest/report.csv | tail -1 | grep -o 'definition.yml[^,]*\|find is not a function[^,]*' | head -1)"
# 9 sessions clean --keep -1 and a running session
cp -r $H/sessions/1 $H/sessions/9; printf '{"pid": %d, "host": "%s", "since": "x"}' $$ "$(hostname)" > $H/sessions/9/session.lock
sed -i 's/"state": "done"/"state": "running"/' $H/sessions/9/session.json
e=$($B sessions clean --keep -1 --home $H 2>&1); show "sessions clean --keep -1" $? "$e  [left: $(ls $H/sessions | tr '\n' ' ')]"
e=$($B sessions clean --keep 0 --home $H 2>&1); show "sessions clean --keep 0 (9 is running)" $? "$e  [left: $(ls $H/sessions | tr '\n' ' ') latest->$(readlink $H/sessions/latest)]"
rm -rf $T
