# Shared by the command-line test scripts: a scratch folder, and
# run/want_out/want_err/unchanged to compare a command's exit code, output
# and the database file with what is expected. BIN is the program.
set -u
BIN=$1
T=$(mktemp -d)
[ -n "${KEEP:-}" ] || trap 'chmod -R u+w "$T"; rm -rf "$T"' EXIT
export LC_ALL=C.UTF-8
unset LANGUAGE MOHINH_DB
umask 022 # the modes of new files are checked
export HOME="$T/home" XDG_DATA_HOME="$T/xdg"
# the forms of this tree, wherever the program was built
export MOHINH_FORMS="$PWD/forms"
P="$T/province.db"
D="$T/district.db"
: >"$T/want.out"
: >"$T/want.err"

want_out() { cat >"$T/want.out"; }
want_err() { cat >"$T/want.err"; }

# run NAME RC COMMAND...: compares exit code, standard output and error
run() {
	name=$1 rc_want=$2
	shift 2
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	if [ "$rc" -eq "$rc_want" ] && cmp -s "$T/out" "$T/want.out" && cmp -s "$T/err" "$T/want.err"; then
		echo "ok $name"
	else
		echo "FAIL $name"
		{
			echo "--- $name: exit $rc (want $rc_want)"
			diff "$T/want.out" "$T/out" | head -20
			diff "$T/want.err" "$T/err" | head -10
		} >&2
	fi
	: >"$T/want.out"
	: >"$T/want.err"
}

# the database file must not change: its checksum before and after
sum() { sha256sum "$1" | cut -d' ' -f1; }
unchanged() {
	if [ "$(sum "$2")" = "$3" ]; then echo "ok $1"; else echo "FAIL $1"; fi
}

quiet() { "$@" >"$T/q.out"; rc=$?; grep -v '^Cột\|^Xem\|^Bảng' "$T/q.out"; return $rc; }
last() { "$@" >"$T/q.out"; rc=$?; tail -1 "$T/q.out"; return $rc; }
fresh() { rm -f "$1" "$1-wal" "$1-shm"; "$BIN" --db "$1" init --unit 60 --on 2017-01-01 >/dev/null; }
# mohinh check without what depends on this machine's disk (encrypted or not):
# that line and its warning; run-cli checks them apart
check_here() {
	"$BIN" "$@" check >"$T/chk.out" 2>"$T/chk.err"
	rc=$?
	grep -v "^ổ đĩa mã hóa: \|^encrypted disk: " "$T/chk.out"
	grep -v "ổ đĩa không mã hóa: \|disk that is not encrypted: " "$T/chk.err" >&2
	return $rc
}
