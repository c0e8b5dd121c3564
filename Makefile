# tamis -- the official build. `make` builds libtamis (static and shared) and
# the tamis program; `make demo`, `make check`, `make bench`, `make fuzz`,
# `make install PREFIX=...`. Dependencies are named in one place, below.

PREFIX   ?= /usr/local
CC       ?= cc
BUILD    ?= build
PKGS     := libzstd zlib libutf8proc libxxhash uchardet
VERSION  := 0.1.0

WARN     := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wcast-qual -Wpointer-arith \
            -Wno-missing-field-initializers
OPT      ?= -O2 -g
CFLAGS   ?= $(OPT)
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -pthread $(WARN) $(CFLAGS) $(SAN) -Iinclude -fvisibility=hidden -fPIC \
             $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
CXX      ?= c++
ALL_CXXFLAGS = -std=c++11 -D_GNU_SOURCE -pthread -Wall -Wextra $(CFLAGS) $(SAN) -fvisibility=hidden -fPIC
# CLD2 (libcld2-dev) has no pkg-config file: its full tables (160+ languages)
# must be linked even though nothing names them, before the small default ones
CLD2_LIBS := -Wl,--push-state,--no-as-needed -lcld2_full -Wl,--pop-state -lcld2 -lstdc++
# myhtml (libmodest-dev), the extract stage's HTML5 parser, has no pkg-config file either
HTML_LIBS := -lmodest
LIBS      = $(shell pkg-config --libs $(PKGS) 2>/dev/null) $(HTML_LIBS) $(CLD2_LIBS) -lpthread -lm
LDFLAGS  ?=

LIB_SRC  := $(wildcard src/*.c src/core/*.c src/read/*.c src/text/*.c src/stage/*.c src/stage/lid/*.c src/stage/extract/*.c \
              src/shard/*.c src/write/*.c)
# the language stage's two backends: CLD2 through a C++ shim, and tamis's
# model, embedded from src/stage/lid/model.bin (`make model` rebuilds it)
LIB_CXX  := src/stage/lid/cld2_shim.cc
LIB_ASM  := src/stage/lid/model.S
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o) $(LIB_CXX:%.cc=$(BUILD)/%.o) $(LIB_ASM:%.S=$(BUILD)/%.o)
CLI_OBJ  := $(patsubst %.c,$(BUILD)/%.o,$(wildcard cli/*.c))
UNIT_SRC := $(wildcard tests/unit/*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all deps demo check check-fast bench fuzz fuzz-replay install clean docs eval-lines model-lines model eval-lid \
        eval-neardup eval-html

all: deps $(BUILD)/tamis $(BUILD)/libtamis.a $(BUILD)/libtamis.so $(BUILD)/tamis.pc

deps:
	@scripts/deps.sh build

$(BUILD)/%.o: %.c $(wildcard include/*.h src/*.h src/*/*.h cli/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/%.o: %.cc $(wildcard src/stage/lid/*.h)
	@mkdir -p $(dir $@)
	$(CXX) $(ALL_CXXFLAGS) -c $< -o $@

$(BUILD)/src/stage/lid/model.o: src/stage/lid/model.S src/stage/lid/model.bin
	@mkdir -p $(dir $@)
	$(CC) $(SAN) -c $< -o $@ -DTMS_LID_MODEL_BIN='"$(CURDIR)/src/stage/lid/model.bin"'

$(BUILD)/libtamis.a: $(LIB_OBJ)
	$(AR) rcs $@ $^

$(BUILD)/libtamis.so: $(LIB_OBJ)
	$(CC) -shared -Wl,-soname,libtamis.so.0 $(SAN) -o $@ $^ $(LDFLAGS) $(LIBS)

$(BUILD)/tamis: $(CLI_OBJ) $(BUILD)/libtamis.a
	$(CC) $(SAN) -o $@ $(CLI_OBJ) $(BUILD)/libtamis.a $(LDFLAGS) $(LIBS)

$(BUILD)/tamis.pc: tamis.pc.in
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' -e 's|@PKGS@|$(PKGS)|' $< > $@

# developer tools (not installed): see tools/
$(BUILD)/lines-features: tools/lines-features.c $(BUILD)/libtamis.a
	$(CC) $(ALL_CFLAGS) -Isrc -o $@ $< $(BUILD)/libtamis.a $(LDFLAGS) $(LIBS)

$(BUILD)/minhash-sig: tools/minhash-sig.c $(BUILD)/libtamis.a
	$(CC) $(ALL_CFLAGS) -Isrc -o $@ $< $(BUILD)/libtamis.a $(LDFLAGS) $(LIBS)

$(BUILD)/cld2-raw: tools/cld2-raw.c $(BUILD)/libtamis.a
	$(CC) $(ALL_CFLAGS) -Isrc -o $@ $< $(BUILD)/libtamis.a $(LDFLAGS) $(LIBS)

# main-content extraction: tools/html-extract.c runs the extractor alone on
# HTML files (JSONL of {id, text} out), for scripts/eval-html.py
$(BUILD)/html-extract: tools/html-extract.c $(BUILD)/libtamis.a
	$(CC) $(ALL_CFLAGS) -Isrc -o $@ $< $(BUILD)/libtamis.a $(LDFLAGS) $(LIBS)

# language ID: `make model` fetches the training text (scripts/fetch-lid-data.sh,
# a developer step that uses the network) and retrains src/stage/lid/model.bin;
# `make eval-lid` scores both backends on the dev set (build/eval-lid/eval-lid.md)
$(BUILD)/lid-eval: tools/lid-eval.c $(BUILD)/libtamis.a
	$(CC) $(ALL_CFLAGS) -Isrc -o $@ $< $(BUILD)/libtamis.a $(LDFLAGS) $(LIBS)

LID_DATA ?= build/lid-data
model:
	LID_DATA=$(LID_DATA) scripts/fetch-lid-data.sh
	/usr/bin/python3 scripts/train-lid.py --data $(LID_DATA) --out src/stage/lid/model.bin
	@echo "model: rebuild with make to embed the new src/stage/lid/model.bin"

eval-lid: all $(BUILD)/lid-eval
	LID_DATA=$(LID_DATA) scripts/fetch-lid-data.sh udhr
	/usr/bin/python3 scripts/eval-lid.py --lid-eval $(BUILD)/lid-eval --data $(LID_DATA) --out $(BUILD)/eval-lid

# the lines stage's model: `make model-lines` retrains src/stage/lines_model.h
# from ../shared's labelled lines (a developer step: needs python3-numpy);
# `make eval-lines` scores the committed model on the dev sets
model-lines: $(BUILD)/lines-features
	/usr/bin/python3 scripts/train-lines.py --features $(BUILD)/lines-features
	@echo "model-lines: rebuild with make to use the new src/stage/lines_model.h"

eval-lines: all $(BUILD)/lines-features
	/usr/bin/python3 scripts/eval-lines.py --tamis $(BUILD)/tamis --features $(BUILD)/lines-features --out $(BUILD)/eval-lines

# near-duplicate quality: copies of ../shared's documents at known 5-gram
# Jaccard through the near_dedup stage; recall, precision, the S-curve
# (build/eval-neardup/eval-neardup.md)
eval-neardup: all
	/usr/bin/python3 scripts/eval-neardup.py --tamis $(BUILD)/tamis --out $(BUILD)/eval-neardup

# main-content extraction on the HTML dev sets of ../shared/data/html (build/eval-html/eval-html.md)
eval-html: all
	scripts/eval-html.sh $(BUILD)/tamis $(BUILD)/eval-html

# unit tests see the internal headers and link the static library
$(BUILD)/tests/%: tests/unit/%.c $(wildcard tests/unit/*.h) $(BUILD)/libtamis.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Isrc -o $@ $< $(BUILD)/libtamis.a $(LDFLAGS) $(LIBS)

# ---- the two quick-start commands ----
demo:
	@scripts/deps.sh demo
	@$(MAKE) --no-print-directory all
	@rm -rf out/demo
	$(BUILD)/tamis run samples/ -o out/demo
	@scripts/demo-report.sh out/demo

check:
	@scripts/deps.sh check
	@rm -f build/check-results
	@$(MAKE) --no-print-directory check-fast RESULTS=$(CURDIR)/build/check-results
	@$(MAKE) --no-print-directory check-report RESULTS=$(CURDIR)/build/check-results
	@echo "== the same suite under AddressSanitizer + UndefinedBehaviorSanitizer"
	@$(MAKE) --no-print-directory check-fast BUILD=build-asan CC=clang CXX=clang++ OPT="-O1 -g -fno-omit-frame-pointer" \
	    SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined" RESULTS=$(CURDIR)/build/check-results
	@echo "== the fuzz targets replay their seed corpora (regression inputs included)"
	@$(MAKE) --no-print-directory fuzz-replay
	@awk '{p += $$1; f += $$2} END {printf "check: %d passed, %d failed\n", p, f; exit f > 0}' build/check-results

check-fast: all $(UNIT_BIN) $(BUILD)/minhash-sig
	@RESULTS=$(RESULTS) tests/run-unit.sh $(BUILD)
	@RESULTS=$(RESULTS) tests/cli/run.sh $(BUILD)/tamis
	@RESULTS=$(RESULTS) python3 tests/golden/filters.py $(BUILD)/tamis
	@RESULTS=$(RESULTS) python3 tests/golden/minhash.py $(BUILD)

# the HTML report as headless Chromium renders it (tests/report/run.sh; installs
# chromium when run as root, else says how and skips)
.PHONY: check-report
check-report: all
	@RESULTS=$(RESULTS) tests/report/run.sh $(BUILD)/tamis

# ---- benchmarks and fuzzing ----
bench: all
	@scripts/deps.sh check
	bench/run.sh $(BUILD)/tamis
	python3 bench/quality.py $(BUILD)/tamis
	python3 bench/lines.py $(BUILD)/tamis
	python3 bench/language.py $(BUILD)/tamis
	python3 bench/near_dedup.py $(BUILD)/tamis
	python3 bench/html.py $(BUILD)/tamis
	python3 bench/report.py $(BUILD)/tamis

FUZZ_TARGETS := jsonl warc stream words quality lines lid minhash charset html report
FUZZ_CFLAGS  = -std=c11 -D_GNU_SOURCE -DTMS_C4_CHECK_SENTENCES -pthread -g -O1 -Iinclude -Isrc -fsanitize=fuzzer,address,undefined \
               -fno-sanitize-recover=undefined \
               $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
fuzz:
	@scripts/deps.sh fuzz
	@mkdir -p build-fuzz
	clang++ -std=c++11 -g -O1 -fsanitize=fuzzer-no-link,address,undefined -c $(LIB_CXX) -o build-fuzz/cld2_shim.o
	clang -c src/stage/lid/model.S -o build-fuzz/model.o -DTMS_LID_MODEL_BIN='"$(CURDIR)/src/stage/lid/model.bin"'
	@for t in $(FUZZ_TARGETS); do \
	    echo "clang ... tests/fuzz/fuzz_$$t.c -> build-fuzz/fuzz_$$t"; \
	    clang $(FUZZ_CFLAGS) -o build-fuzz/fuzz_$$t tests/fuzz/fuzz_$$t.c $(LIB_SRC) \
	        build-fuzz/cld2_shim.o build-fuzz/model.o $(LIBS) || exit 1; \
	done
	@echo "fuzzers in build-fuzz/; run one with: build-fuzz/fuzz_jsonl -max_total_time=600 tests/fuzz/corpus/jsonl"

fuzz-replay: fuzz
	@for t in $(FUZZ_TARGETS); do \
	    build-fuzz/fuzz_$$t -runs=0 tests/fuzz/corpus/$$t > build-fuzz/replay-$$t.log 2>&1 \
	        || { cat build-fuzz/replay-$$t.log; echo "fuzz replay: $$t failed"; exit 1; }; \
	    echo "fuzz replay: $$t: $$(ls tests/fuzz/corpus/$$t | wc -l) inputs, no finding"; \
	done

# ---- docs generated from the options table (checked by tests/cli/cases/docs_current.sh) ----
docs: $(BUILD)/tamis
	scripts/update-docs.sh $(BUILD)/tamis

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include \
	    $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BUILD)/tamis $(DESTDIR)$(PREFIX)/bin/tamis
	install -m 644 $(BUILD)/libtamis.a $(DESTDIR)$(PREFIX)/lib/libtamis.a
	install -m 755 $(BUILD)/libtamis.so $(DESTDIR)$(PREFIX)/lib/libtamis.so.0
	ln -sf libtamis.so.0 $(DESTDIR)$(PREFIX)/lib/libtamis.so
	install -m 644 include/tamis.h $(DESTDIR)$(PREFIX)/include/tamis.h
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' -e 's|@PKGS@|$(PKGS)|' tamis.pc.in \
	    > $(DESTDIR)$(PREFIX)/lib/pkgconfig/tamis.pc
	install -m 644 docs/tamis.1 $(DESTDIR)$(PREFIX)/share/man/man1/tamis.1

clean:
	rm -rf build build-asan build-fuzz out
