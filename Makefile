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
# make builds in parallel, one job per core; a make run by another shares its jobs
ifeq ($(MAKELEVEL),0)
MAKEFLAGS += -j$(shell nproc 2>/dev/null || echo 2)
endif
# workbooks (libzip, expat, freexl, libxlsxwriter) and PDF (pango on cairo): README, "Dependencies"
PDF_PKGS     = pangocairo cairo-pdf
LDLIBS_PROG  = -lsqlite3 -lunistring -lsodium -lm
LDLIBS_SHEET = -lzip -lexpat -lfreexl -lxlsxwriter
LDLIBS_PDF   = $(shell pkg-config --libs $(PDF_PKGS) 2>/dev/null)
LDLIBS_CORE  = $(LDLIBS_PROG) $(LDLIBS_SHEET) $(LDLIBS_PDF)
LDLIBS_UI   = $(shell pkg-config --libs $(UI_PKGS) 2>/dev/null || echo -lformw -lmenuw -lncursesw)
UI_CFLAGS   = $(shell pkg-config --cflags $(UI_PKGS) 2>/dev/null)

# The layers, lowest first, each a folder of src/ and an archive: base (memory,
# strings, errors, files, messages) -> text (Vietnamese, encodings, CSV, form
# files and the edit model, report layout) -> store (SQLite, sync, units) ->
# app (use cases) -> ui and cli. A layer includes only the headers of those
# below it (scripts/check-layers), and the link lists the archives highest first.
objs      = $(patsubst %.c,$(BUILD)/%.o,$(wildcard src/$(1)/*.c))
BASE_OBJ  = $(call objs,base)
TEXT_OBJ  = $(call objs,text)
STORE_OBJ = $(call objs,store) $(BUILD)/src/store/embed.o
APP_OBJ   = $(call objs,app)
CLI_OBJ   = $(call objs,cli)
UI_OBJ    = $(call objs,ui)
MAIN_OBJ  = $(BUILD)/src/main.o
# the PDF drawing and the workbooks, loaded by the program when first asked (src/modules.c says why)
PDF_MODULE   = $(BUILD)/mohinh-pdf.so
SHEET_MODULE = $(BUILD)/mohinh-sheet.so
MODULES      = $(PDF_MODULE) $(SHEET_MODULE)
SHEET_SRC    = src/text/sheet.c src/text/sheet-xlsx.c src/text/sheet-biff.c src/text/sheet-out.c \
               src/text/report-xlsx.c
CORE_LIBS = $(BUILD)/libmohinh-app.a $(BUILD)/libmohinh-store.a $(BUILD)/libmohinh-text.a \
            $(BUILD)/libmohinh-base.a

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

.PHONY: all deps run check test check-layers check-po check-format bench clean format install uninstall deb
all: $(BUILD)/mohinh $(MODULES) $(UNIT_BIN) $(FUZZ_BIN) $(ORACLE) $(TOOLS) $(MO) $(BUILD)/bench/gen-national

deps:
	@scripts/install-deps

$(BUILD)/libmohinh-base.a: $(BASE_OBJ)
$(BUILD)/libmohinh-text.a: $(TEXT_OBJ)
$(BUILD)/libmohinh-store.a: $(STORE_OBJ)
$(BUILD)/libmohinh-app.a: $(APP_OBJ)
$(BUILD)/libmohinh-%.a:
	@mkdir -p $(@D)
	rm -f $@ && $(AR) rcs $@ $^

# -rdynamic: a module finds the core's functions it calls in the program;
# -Bsymbolic: its calls to its own functions stay in it
$(BUILD)/mohinh: $(MAIN_OBJ) $(BUILD)/src/modules.o $(CLI_OBJ) $(UI_OBJ) $(CORE_LIBS)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -rdynamic -o $@ $^ $(LDLIBS_UI) $(LDLIBS_PROG)

$(PDF_MODULE): $(BUILD)/pic/src/text/report-pdf.o
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -shared -Wl,-Bsymbolic -o $@ $^ $(LDLIBS_PDF)
$(SHEET_MODULE): $(SHEET_SRC:%.c=$(BUILD)/pic/%.o)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -shared -Wl,-Bsymbolic -o $@ $^ $(LDLIBS_SHEET)
$(BUILD)/pic/src/text/%.o: src/text/%.c Makefile
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -fPIC $(LAYER_CFLAGS) -Isrc/text -c -o $@ $<

# A file sees the public headers (include/) and those of its own folder, nothing
# beside it: the command line cannot include the screens' headers, nor the store's
# internals anything above the store. main.c puts the two front-ends together.
$(UI_OBJ): LAYER_CFLAGS = $(UI_CFLAGS)
$(BUILD)/src/text/report-pdf.o $(BUILD)/pic/src/text/report-pdf.o: LAYER_CFLAGS = $(shell pkg-config --cflags $(PDF_PKGS) 2>/dev/null)
$(MAIN_OBJ): LAYER_CFLAGS = -Isrc/cli -Isrc/ui
$(BUILD)/src/%.o: src/%.c Makefile
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LAYER_CFLAGS) -I$(<D) -c -o $@ $<

# The units lists are embedded in the program: a database can be created anywhere.
UNIT_DATA = data/units-vn-2025-03.csv data/units-2025-07.csv data/unit-links-2025.csv
$(BUILD)/src/store/embed.o: src/store/embed.S $(UNIT_DATA)
	@mkdir -p $(@D)
	$(CC) -c -o $@ -DUNITS_CSV='"$(CURDIR)/data/units-vn-2025-03.csv"' \
		-DUNITS_2025_CSV='"$(CURDIR)/data/units-2025-07.csv"' -DLINKS_2025_CSV='"$(CURDIR)/data/unit-links-2025.csv"' $<

$(BUILD)/tests/test-%: tests/unit/test-%.c tests/unit/testutil.h $(CORE_LIBS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -Isrc/store -Itests/unit -o $@ $< $(CORE_LIBS) -lcmocka $(LDLIBS_CORE)

$(BUILD)/tests/fuzz-%: tests/fuzz/fuzz-%.c tests/fuzz/driver.c $(CORE_LIBS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -Isrc/store -Isrc/text -o $@ $< tests/fuzz/driver.c $(CORE_LIBS) $(LDLIBS_CORE)

# makes hostile bundles for the sync tests
$(BUILD)/tests/mkbundle: tests/tools/mkbundle.c $(CORE_LIBS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(CORE_LIBS) $(LDLIBS_CORE)

# ICU is only a test oracle for the sort order; mohinh does not link it.
$(ORACLE): tests/oracle/icu-oracle.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(shell pkg-config --libs icu-i18n icu-uc)

$(BUILD)/bench/%: bench/%.c $(CORE_LIBS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -Isrc/store -o $@ $< $(CORE_LIBS) $(LDLIBS_CORE) \
		$(shell pkg-config --libs icu-i18n icu-uc)

# the header dependencies the compiler wrote (-MMD -MP)
-include $(wildcard $(BUILD)/src/*.d $(BUILD)/src/*/*.d $(BUILD)/pic/src/*/*.d $(BUILD)/tests/*.d $(BUILD)/bench/*.d)

$(BUILD)/locale/%/LC_MESSAGES/mohinh.mo: locale/%.po
	@mkdir -p $(@D)
	msgfmt --check -o $@ $<

# --- installing: PREFIX (default /usr/local) and DESTDIR, as everywhere --------
PREFIX  ?= /usr/local
DESTDIR ?=
install: $(BUILD)/mohinh $(MODULES) $(MO)
	@scripts/install install "$(BUILD)" "$(PREFIX)" "$(DESTDIR)"
uninstall:
	@scripts/install uninstall "$(BUILD)" "$(PREFIX)" "$(DESTDIR)"

# --- the Debian package: built apart with Debian's hardening flags ----------
DEB_BUILD = $(BUILD)/deb
DEB_FLAGS = DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --get
deb: deps
	@$(MAKE) --no-print-directory BUILD=$(DEB_BUILD) CFLAGS="$$($(DEB_FLAGS) CFLAGS)" \
		CPPFLAGS="$$($(DEB_FLAGS) CPPFLAGS)" LDFLAGS="$$($(DEB_FLAGS) LDFLAGS)" \
		$(DEB_BUILD)/mohinh $(MODULES:$(BUILD)/%=$(DEB_BUILD)/%) $(MO:$(BUILD)/%=$(DEB_BUILD)/%)
	@scripts/deb $(DEB_BUILD) $(VERSION) $(BUILD)/mohinh_$(VERSION)_$$(dpkg --print-architecture).deb

# --- the two commands -------------------------------------------------------
DEMO_DB = $(CURDIR)/$(BUILD)/demo.db

# the program and its catalogues only: not the tests, fuzzers and benchmarks
run:
	@scripts/install-deps run
	@$(MAKE) --no-print-directory $(BUILD)/mohinh $(MODULES) $(MO)
	@test -f $(DEMO_DB) || { $(BUILD)/mohinh --db $(DEMO_DB) init --unit 68 </dev/null && \
		$(BUILD)/mohinh --db $(DEMO_DB) demo; }
	$(BUILD)/mohinh --db $(DEMO_DB)

check: deps
	$(MAKE) all deb
	$(MAKE) check-layers check-po check-format
	tests/run-tests $(BUILD) plain
	$(MAKE) BUILD=build/asan CFLAGS="-O1 -g -fno-omit-frame-pointer" \
		SANFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all" all
	tests/run-tests build/asan asan
	@tests/summary build/results-plain build/asan/results-asan

test: all
	tests/run-tests $(BUILD) plain

# The layers hold: each file includes only its layer's headers and those below;
# curses, sqlite3.h and iconv.h where they belong; the screens never read text
# back from a window (scripts/check-layers says how).
check-layers:
	@scripts/check-layers

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
