# mohinh — see README.md. `make run` and `make check` install what is missing.
BUILD    ?= build
CC       ?= cc
PKGS      = sqlite3 libunistring libsodium
UI_PKGS   = ncursesw formw menuw
VERSION   = 0.1.0

# Warnings are errors for developers and CI; a packager may say WERROR= .
WERROR   ?= -Werror
WARN      = -Wall -Wextra $(WERROR) -Wshadow -Wmissing-prototypes -Wstrict-prototypes
CFLAGS   ?= -O2 -g
# -MMD -MP: each object's header dependencies, written beside it by the compiler
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(CPPFLAGS) $(CFLAGS) -Iinclude -MMD -MP \
             -DMOHINH_VERSION='"$(VERSION)"' $(SANFLAGS)
# every recursive make builds in parallel, one job per core
MAKEFLAGS += -j$(shell nproc 2>/dev/null || echo 2)
LDLIBS_CORE = -lsqlite3 -lunistring -lsodium
LDLIBS_UI   = $(shell pkg-config --libs $(UI_PKGS) 2>/dev/null || echo -lformw -lmenuw -lncursesw)
UI_CFLAGS   = $(shell pkg-config --cflags $(UI_PKGS) 2>/dev/null)

CORE_SRC = $(wildcard src/core/*.c)
CLI_SRC  = $(wildcard src/cli/*.c)
UI_SRC   = $(wildcard src/ui/*.c)
CORE_OBJ = $(CORE_SRC:%.c=$(BUILD)/%.o) $(BUILD)/src/core/embed.o
CLI_OBJ  = $(CLI_SRC:%.c=$(BUILD)/%.o)
UI_OBJ   = $(UI_SRC:%.c=$(BUILD)/%.o)
MAIN_OBJ = $(BUILD)/src/main.o

UNIT_SRC  = $(wildcard tests/unit/test-*.c)
UNIT_BIN  = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_SRC  = $(wildcard tests/fuzz/fuzz-*.c)
FUZZ_BIN  = $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/tests/%)
ORACLE    = $(BUILD)/tests/icu-oracle
TOOLS     = $(BUILD)/tests/mkbundle
BENCH_BIN = $(BUILD)/bench/gen-national $(BUILD)/bench/raw-first-page $(BUILD)/bench/text-speed \
            $(BUILD)/bench/screens $(BUILD)/bench/seal-speed

PO        = $(wildcard locale/*.po)
MO        = $(PO:locale/%.po=$(BUILD)/locale/%/LC_MESSAGES/mohinh.mo)

.PHONY: all deps run check test check-layers check-po check-format bench clean format
all: $(BUILD)/mohinh $(UNIT_BIN) $(FUZZ_BIN) $(ORACLE) $(TOOLS) $(MO) $(BUILD)/bench/gen-national

deps:
	@scripts/install-deps

$(BUILD)/libmohinh-core.a: $(CORE_OBJ)
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

$(BUILD)/mohinh: $(MAIN_OBJ) $(CLI_OBJ) $(UI_OBJ) $(BUILD)/libmohinh-core.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS_UI) $(LDLIBS_CORE)

# Each layer sees its own headers and the core's (include/), nothing beside it:
# the command line cannot include the screens' headers, nor the core either.
$(BUILD)/src/ui/%.o: src/ui/%.c Makefile
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(UI_CFLAGS) -Isrc/ui -c -o $@ $<

$(BUILD)/src/cli/%.o: src/cli/%.c Makefile
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Isrc/cli -c -o $@ $<

$(BUILD)/src/core/%.o: src/core/%.c Makefile
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Isrc/core -c -o $@ $<

# main.c puts the two front-ends together
$(MAIN_OBJ): src/main.c Makefile
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Isrc/cli -Isrc/ui -c -o $@ $<

# The units lists are embedded in the program: a database can be created anywhere.
UNIT_DATA = data/units-vn-2025-03.csv data/units-2025-07.csv data/unit-links-2025.csv
$(BUILD)/src/core/embed.o: src/core/embed.S $(UNIT_DATA)
	@mkdir -p $(@D)
	$(CC) -c -o $@ -DUNITS_CSV='"$(CURDIR)/data/units-vn-2025-03.csv"' \
		-DUNITS_2025_CSV='"$(CURDIR)/data/units-2025-07.csv"' -DLINKS_2025_CSV='"$(CURDIR)/data/unit-links-2025.csv"' $<

$(BUILD)/tests/test-%: tests/unit/test-%.c tests/unit/testutil.h $(BUILD)/libmohinh-core.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -Isrc/core -Itests/unit -o $@ $< $(BUILD)/libmohinh-core.a -lcmocka $(LDLIBS_CORE)

$(BUILD)/tests/fuzz-%: tests/fuzz/fuzz-%.c tests/fuzz/driver.c $(BUILD)/libmohinh-core.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -Isrc/core -o $@ $< tests/fuzz/driver.c $(BUILD)/libmohinh-core.a $(LDLIBS_CORE)

# makes hostile bundles for the sync tests
$(BUILD)/tests/mkbundle: tests/tools/mkbundle.c $(BUILD)/libmohinh-core.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libmohinh-core.a $(LDLIBS_CORE)

# ICU is only a test oracle for the sort order; mohinh does not link it.
$(ORACLE): tests/oracle/icu-oracle.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(shell pkg-config --libs icu-i18n icu-uc)

$(BUILD)/bench/%: bench/%.c $(BUILD)/libmohinh-core.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -Isrc/core -o $@ $< $(BUILD)/libmohinh-core.a $(LDLIBS_CORE) \
		$(shell pkg-config --libs icu-i18n icu-uc)

# the header dependencies the compiler wrote (-MMD -MP)
-include $(wildcard $(BUILD)/src/*.d $(BUILD)/src/*/*.d $(BUILD)/tests/*.d $(BUILD)/bench/*.d)

$(BUILD)/locale/%/LC_MESSAGES/mohinh.mo: locale/%.po
	@mkdir -p $(@D)
	msgfmt --check -o $@ $<

# --- the two commands -------------------------------------------------------
DEMO_DB = $(CURDIR)/$(BUILD)/demo.db

# the program and its catalogues only: not the tests, fuzzers and benchmarks
run: deps
	@$(MAKE) --no-print-directory $(BUILD)/mohinh $(MO)
	@test -f $(DEMO_DB) || { $(BUILD)/mohinh --db $(DEMO_DB) init --unit 68 </dev/null && \
		$(BUILD)/mohinh --db $(DEMO_DB) demo; }
	$(BUILD)/mohinh --db $(DEMO_DB)

check: deps
	$(MAKE) all
	$(MAKE) check-layers check-po check-format
	tests/run-tests $(BUILD) plain
	$(MAKE) BUILD=build/asan CFLAGS="-O1 -g -fno-omit-frame-pointer" \
		SANFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all" all
	tests/run-tests build/asan asan
	@tests/summary build/results-plain build/asan/results-asan

test: all
	tests/run-tests $(BUILD) plain

# The core never includes curses; only the store includes sqlite3.h; only the
# charset module includes iconv.h; the UI and CLI never run SQL; the UI never
# reads text back from a window or a form field, so no window holds the only
# copy of what was typed (it lives in a plain model: formedit.h).
check-layers:
	@! grep -nE '#include *[<"](n?curses|form|menu|ncursesw/.*)\.h' src/core/*.[ch] include/*.h || \
		{ echo "check-layers: curses in the core"; exit 1; }
	@! grep -lE '#include *<sqlite3\.h>' src/core/*.c src/cli/*.c src/ui/*.c include/*.h | \
		grep -vE 'src/core/store[^/]*\.c$$' || { echo "check-layers: sqlite3.h outside the store"; exit 1; }
	@! grep -lE '#include *<iconv\.h>' src/*/*.c include/*.h | grep -v 'src/core/charset.c' || \
		{ echo "check-layers: iconv.h outside charset.c"; exit 1; }
	@! grep -nE '\b(field_buffer|set_field_buffer|(mv)?w?inn?w?str|(mv)?w?in_wchn?str)\b' src/ui/*.c || \
		{ echo "check-layers: the UI reads text back from the screen (what is typed lives in a model)"; exit 1; }
	@echo "check-layers: ok"

# Every message id in the sources has a Vietnamese translation.
check-po:
	@scripts/check-po

check-format:
	@if command -v clang-format >/dev/null; then \
		clang-format --dry-run --Werror src/*.c src/*/*.c src/*/*.h include/*.h tests/unit/*.c tests/unit/*.h tests/fuzz/*.c tests/fuzz/*.h tests/oracle/*.c tests/tools/*.c bench/*.c && \
		echo "check-format: ok"; \
	else echo "check-format: clang-format is missing (scripts/install-deps installs it)"; exit 1; fi

format:
	clang-format -i src/*.c src/*/*.c src/*/*.h include/*.h tests/unit/*.c tests/unit/*.h tests/fuzz/*.c tests/fuzz/*.h tests/oracle/*.c tests/tools/*.c bench/*.c

bench: deps all $(BENCH_BIN)
	bench/run $(BUILD)

clean:
	rm -rf build
