# Hand-written; edit freely.  Compile and link commands come from line 1
# of conf-cc and conf-ld, as in the original.
#
#   make                 build every program, into build/
#   make test            build and run the whole suite (tests/run)
#   make test SANITIZE=1 the same under AddressSanitizer + UBSan, built
#                        apart in build/sanitize
#   make demo            the cache on a simulated internet (offline, as root)
#   make B=/tmp/x ...    build in another directory (B: the build dir)
#   make install PREFIX=/usr/local DESTDIR=
#   make clean           remove everything the build made
#
# Each flavour has its own build dir, and every object also depends on
# $(B)/flags.stamp (the compile and link commands, rewritten only when
# they change), so objects built with one set of flags are never linked
# into a build with another, whatever B says.

ifeq ($(SANITIZE),1)
B ?= build/sanitize
else
B ?= build
endif
# No built-in rules: with B=. their `%: %.c` would shadow ours below.
MAKEFLAGS += --no-builtin-rules
.SUFFIXES:
PREFIX ?= /usr/local
DESTDIR ?=

CC_CMD := $(shell head -n 1 conf-cc)
LD_CMD := $(shell head -n 1 conf-ld)
ifeq ($(SANITIZE),1)
CC_CMD += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LD_CMD += -fsanitize=address,undefined
endif

# Programs: each NAME.c holds main() and is linked against lib.a.
PROGS = dnscache dnscache-conf dnsq dnsqr dnsip dnsipq dnsip6 dnsip6q dnsname dnsmx dnstxt dnstrace dnstracesort dnscache-stats cachetest
# Every other top-level .c is library code.
PROGSRC = $(wildcard $(PROGS:=.c))
LIBSRC = $(filter-out $(PROGS:=.c),$(wildcard *.c))
LIBOBJ = $(LIBSRC:%.c=$(B)/%.o)
# Programs whose source exists yet (lets the tree build while it grows).
BUILT = $(PROGSRC:%.c=$(B)/%)

# tests/unit_NAME.c -> $(B)/tests/unit_NAME.bin, each with tests/unit.h.
UNITSRC = $(wildcard tests/unit_*.c)
UNITBIN = $(UNITSRC:tests/%.c=$(B)/tests/%.bin)

all: $(BUILT)

$(B)/%.o: %.c $(B)/flags.stamp
	$(CC_CMD) -MMD -MP -c -o $@ $<

$(B)/tests/%.o: tests/%.c $(B)/flags.stamp
	@mkdir -p $(dir $@)
	$(CC_CMD) -I. -MMD -MP -c -o $@ $<

$(B)/flags.stamp: FORCE
	@mkdir -p $(dir $@)
	@echo '$(CC_CMD) | $(LD_CMD)' | cmp -s - $@ || echo '$(CC_CMD) | $(LD_CMD)' > $@

# dnscache-conf writes $(PREFIX)/bin/dnscache into each run file: the
# install home is compiled in, and the stamp (rewritten only when PREFIX
# changes) makes `make install PREFIX=...` rebuild it.
$(B)/dnscache-conf.o: CC_CMD += -DAUTO_HOME='"$(PREFIX)"'
$(B)/dnscache-conf.o: $(B)/prefix.stamp
$(B)/prefix.stamp: FORCE
	@mkdir -p $(dir $@)
	@echo '$(PREFIX)' | cmp -s - $@ || echo '$(PREFIX)' > $@
FORCE:

$(B)/lib.a: $(LIBOBJ)
	rm -f $@
	ar cr $@ $^

$(B)/%: $(B)/%.o $(B)/lib.a $(B)/flags.stamp
	$(LD_CMD) -o $@ $(filter-out %.stamp,$^)

$(B)/tests/%.bin: $(B)/tests/%.o $(B)/lib.a $(B)/flags.stamp
	$(LD_CMD) -o $@ $(filter-out %.stamp,$^)

# A malloc counter the integration tests preload (tests/malloccount.c).
$(B)/tests/malloccount.so: tests/malloccount.c $(B)/flags.stamp
	@mkdir -p $(dir $@)
	$(CC_CMD) -fPIC -shared -o $@ $<

# A suspend, as a process sees it (tests/clockshift.c).
$(B)/tests/clockshift.so: tests/clockshift.c
	@mkdir -p $(dir $@)
	$(CC_CMD) -fPIC -shared -o $@ $<

units: $(UNITBIN) $(B)/tests/malloccount.so $(B)/tests/clockshift.so

test: all units
	B=$(abspath $(B)) sh tests/run

# The cache at work on the fakenet (tests/fakenet), offline, in a private
# network namespace as tests/run gives each suite (tests/demo.sh).
demo: all
	@if [ "$$(id -u)" = 0 ]; then ns="unshare -n"; else ns="unshare -rn"; fi; \
	B=$(abspath $(B)) DEMO_NS=1 $$ns sh -c 'ip link set lo up && exec sh tests/demo.sh'

install: all
	mkdir -p $(DESTDIR)$(PREFIX)/bin
	for p in $(PROGSRC:.c=); do [ $$p = cachetest ] || install -m 755 $(B)/$$p $(DESTDIR)$(PREFIX)/bin/$$p; done

# Everything a build makes: build/ (both flavours), and the same names
# (programs, objects, lib.a, stamps, tests/, bench/ and fuzz/ binaries)
# in $(B) when it is elsewhere and at the top level (the build dir of
# old), never anything else that lives there.
clean:
	rm -rf build
	for d in $(B) .; do \
	  rm -f $$d/*.o $$d/*.d $$d/lib.a $$d/prefix.stamp $$d/flags.stamp \
	    $(addprefix $$d/,$(PROGS)) $$d/tests/*.o $$d/tests/*.d $$d/tests/*.bin \
	    $$d/tests/*.so $$d/bench/loadgen $$d/bench/bare $$d/bench/auth; \
	  rm -rf $$d/fuzz; \
	done

# Benchmarks (bench/; never part of `make test`): helpers built standalone,
# then bench/run (ROUNDS=1 QUICK=1 make bench for a smoke run).  Our daemon
# is built if it can be; bench/run skips it if $(B)/dnscache is missing.
BENCHBIN = $(B)/bench/loadgen $(B)/bench/bare $(B)/bench/auth
$(BENCHBIN): $(B)/bench/%: bench/%.c $(B)/flags.stamp
	@mkdir -p $(dir $@)
	$(CC_CMD) -o $@ $<

bench: $(BENCHBIN)
	-@$(MAKE) --no-print-directory B=$(B) $(B)/dnscache
	B=$(abspath $(B)) sh bench/run

.PHONY: bench

.PHONY: all units test demo install clean FORCE
.SECONDARY:

-include $(wildcard $(B)/*.d $(B)/tests/*.d $(B)/fuzz/obj/*.d)

# Fuzzing (tests/fuzz_*.c, libFuzzer; never part of `make`): the library
# sources are compiled once with clang into $(B)/fuzz/obj/ and each target
# is linked with them into $(B)/fuzz/ (one compile per source, not one per
# source and target: t_fuzz_smoke builds them all within its time limit),
# then `make fuzz` runs each for FUZZ_SECONDS starting from its seed
# corpus tests/fuzz_corpus/NAME/ (new inputs go to $(B)/fuzz/corpus/NAME,
# crashes to $(B)/fuzz/NAME-crash-*).  `make fuzz-build` only builds.
# Needs clang and libclang-rt-14-dev (tests/t_fuzz_smoke.sh runs them 10 s).
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_FLAGS = -g -O1 -std=gnu11 -I. -Wall -Wextra -Wshadow -Wstrict-prototypes \
  -Wmissing-prototypes -fsanitize=fuzzer,address,undefined \
  -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZSRC = $(wildcard tests/fuzz_*.c)
FUZZBIN = $(FUZZSRC:tests/%.c=$(B)/fuzz/%)
FUZZOBJ = $(LIBSRC:%.c=$(B)/fuzz/obj/%.o)
$(B)/fuzz/obj/%.o: %.c $(B)/fuzz/flags.stamp
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -MMD -MP -c -o $@ $<

$(B)/fuzz/%: tests/%.c $(FUZZOBJ) $(wildcard *.h) $(B)/fuzz/flags.stamp
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $< $(FUZZOBJ)

$(B)/fuzz/flags.stamp: FORCE
	@mkdir -p $(dir $@)
	@echo '$(FUZZ_CC) $(FUZZ_FLAGS)' | cmp -s - $@ || echo '$(FUZZ_CC) $(FUZZ_FLAGS)' > $@

fuzz-build: $(FUZZBIN)

fuzz: fuzz-build
	@for f in $(FUZZBIN); do n=$$(basename $$f); \
	  mkdir -p $(B)/fuzz/corpus/$$n; \
	  echo "== $$n: $(FUZZ_SECONDS) s"; \
	  $$f -max_len=65535 -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
	    -close_fd_mask=3 -print_final_stats=1 -artifact_prefix=$(B)/fuzz/$$n- \
	    $(B)/fuzz/corpus/$$n tests/fuzz_corpus/$$n > $(B)/fuzz/$$n.log 2>&1; \
	  rc=$$?; grep -v '^#[0-9]' $(B)/fuzz/$$n.log | tail -n 40; \
	  [ $$rc = 0 ] || { echo "$$n: crash (input in $(B)/fuzz/$$n-crash-*)"; exit 1; }; \
	done

.PHONY: fuzz fuzz-build
