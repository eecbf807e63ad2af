# Gureum: every entry point of the project.
#
#   make run     install what is missing, build, start PostgreSQL under var/,
#                migrate, load demo data, index, serve on http://127.0.0.1:8888
#   make test    the same set-up on its own cluster and port, then every test
#   make stop    stop whatever `make run` or `make test` left running
#   make bench   the benchmarks in bench/ (see docs/benchmarks.md)
#
# A plain Makefile, not kodev: the module is compiled with the feature flags
# Debian's kore was built with (they change the layout of struct
# http_request), linked as a shared object, and loaded by /usr/bin/kore.

PORT ?=		8888
TEST_PORT ?=	8899
DATABASE_URL ?=
export PORT TEST_PORT DATABASE_URL

CC ?=		cc
CXX ?=		g++
KORE_FEATURES != cat /usr/share/kore/features 2>/dev/null || true

WARN =		-Wall -Wextra -Wmissing-prototypes -Wstrict-prototypes \
		-Wpointer-arith -Wshadow -Wsign-compare -Wno-format-truncation \
		-Werror
CFLAGS +=	-std=c99 -D_GNU_SOURCE -O2 -g -fPIC $(WARN) -Iapp -Isearch
CXXFLAGS +=	-std=c++17 -O2 -g -fPIC -Wall -Wextra -Werror -Isearch
LIBS =		-ljansson -lsodium -lcmark -lhpdf -lxlsxwriter -lxapian -lstdc++ -lm

B =		build

# Everything that talks to Kore: the files that include gureum.h. The
# command-line tool: gureumctl.c and ctl_*.c. A new file joins the right
# group by what it includes, so features do not edit one shared list.
KORE_SRC !=	grep -l '^\#include "gureum.h"' app/*.c
CTL_SRC =	app/gureumctl.c $(wildcard app/ctl_*.c)
# Pure modules: every other app/*.c. No Kore and no libpq; they go into
# the Kore module, into the command-line tool and into the unit tests.
PURE_SRC =	$(filter-out $(KORE_SRC) $(CTL_SRC),$(wildcard app/*.c))

PURE_OBJ =	$(PURE_SRC:app/%.c=$(B)/pure/%.o)
KORE_OBJ =	$(KORE_SRC:app/%.c=$(B)/kore/%.o)
CTL_OBJ =	$(CTL_SRC:app/%.c=$(B)/ctl/%.o)
XS_OBJ =	$(B)/xsearch.o

UNIT_SRC !=	ls tests/unit/test_*.c 2>/dev/null || true
UNIT_BIN =	$(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)

HDRS !=		ls app/*.h search/*.h 2>/dev/null || true

.PHONY: all build deps run test stop bench clean unit fuzz

all: build

build: $(B)/app.so $(B)/gureumctl $(UNIT_BIN)

deps:
	@sh conf/deps.sh

$(B)/pure/%.o: app/%.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c $< -o $@

$(B)/kore/%.o: app/%.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(KORE_FEATURES) -c $< -o $@

$(B)/ctl/%.o: app/%.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -I/usr/include/postgresql -c $< -o $@

$(XS_OBJ): search/xsearch.cc search/xsearch.h
	@mkdir -p $(@D)
	$(CXX) $(CXXFLAGS) -c $< -o $@

$(B)/libpure.a: $(PURE_OBJ) $(XS_OBJ)
	rm -f $@
	ar rcs $@ $^

# The kore_* and http_* symbols resolve from /usr/bin/kore at load time.
$(B)/app.so: $(KORE_OBJ) $(B)/libpure.a
	$(CC) -shared -o $@ $(KORE_OBJ) $(B)/libpure.a $(LIBS)

$(B)/gureumctl: $(CTL_OBJ) $(B)/libpure.a
	$(CC) -o $@ $(CTL_OBJ) $(B)/libpure.a -lpq $(LIBS)

# One program per unit-test file, linked against the pure modules.
$(B)/tests/%: tests/unit/%.c $(B)/libpure.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $< $(B)/libpure.a -lcmocka $(LIBS)

unit: $(UNIT_BIN)

# deps first, then a fresh make for the build: the Kore feature flags are
# read when the Makefile is parsed, and on a new machine kore is installed
# only by deps.
run: deps
	@$(MAKE) --no-print-directory build
	@sh conf/run.sh

test: deps
	@$(MAKE) --no-print-directory build
	@sh tests/run.sh

stop:
	@sh conf/stop.sh

bench: deps
	@$(MAKE) --no-print-directory build
	@sh bench/run.sh

clean:
	rm -rf $(B)

# libFuzzer over the template renderer (clang from Debian): FUZZ_TIME seconds.
FUZZ_TIME ?=	60
fuzz:
	@mkdir -p $(B)/fuzz
	clang -g -O1 -std=c99 -D_GNU_SOURCE -Iapp \
	    -fsanitize=fuzzer,address,undefined -o $(B)/fuzz/fuzz_tmpl \
	    tests/fuzz/fuzz_tmpl.c app/tmpl.c app/i18n.c -ljansson
	$(B)/fuzz/fuzz_tmpl -max_total_time=$(FUZZ_TIME) -max_len=4096
