# Hand-written; edit freely.  Compile and link commands come from line 1
# of conf-cc and conf-ld, as in the original.
#
#   make                 build every program
#   make test            build and run the whole suite (tests/run)
#   make test SANITIZE=1 the same under AddressSanitizer + UBSan
#   make B=/tmp/x ...    build out of tree (several builds side by side)
#   make install PREFIX=/usr/local DESTDIR=
#   make clean

B ?= .
PREFIX ?= /usr/local
DESTDIR ?=

CC_CMD := $(shell head -n 1 conf-cc)
LD_CMD := $(shell head -n 1 conf-ld)
ifeq ($(SANITIZE),1)
CC_CMD += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LD_CMD += -fsanitize=address,undefined
endif

# Programs: each NAME.c holds main() and is linked against lib.a.
PROGS = dnscache dnscache-conf dnsq dnsqr dnsip dnsipq dnsname dnsmx dnstxt cachetest
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

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC_CMD) -MMD -MP -c -o $@ $<

$(B)/tests/%.o: tests/%.c
	@mkdir -p $(dir $@)
	$(CC_CMD) -I. -MMD -MP -c -o $@ $<

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

$(B)/%: $(B)/%.o $(B)/lib.a
	$(LD_CMD) -o $@ $^

$(B)/tests/%.bin: $(B)/tests/%.o $(B)/lib.a
	$(LD_CMD) -o $@ $^

units: $(UNITBIN)

test: all units
	B=$(abspath $(B)) sh tests/run

install: all
	mkdir -p $(DESTDIR)$(PREFIX)/bin
	for p in $(PROGSRC:.c=); do [ $$p = cachetest ] || install -m 755 $(B)/$$p $(DESTDIR)$(PREFIX)/bin/$$p; done

clean:
	rm -f *.o *.d lib.a prefix.stamp $(PROGS) tests/*.o tests/*.d tests/*.bin
	rm -rf build

# Benchmarks (bench/; never part of `make test`): helpers built standalone,
# then bench/run (ROUNDS=1 QUICK=1 make bench for a smoke run).  Our daemon
# is built if it can be; bench/run skips it if $(B)/dnscache is missing.
BENCHBIN = $(B)/bench/loadgen $(B)/bench/bare $(B)/bench/auth
$(BENCHBIN): $(B)/bench/%: bench/%.c
	@mkdir -p $(dir $@)
	$(CC_CMD) -o $@ $<

bench: $(BENCHBIN)
	-@$(MAKE) --no-print-directory B=$(B) $(B)/dnscache
	B=$(abspath $(B)) sh bench/run

.PHONY: bench

.PHONY: all units test install clean FORCE
.SECONDARY:

-include $(wildcard $(B)/*.d $(B)/tests/*.d)
