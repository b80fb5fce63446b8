# Thin wrapper around meson: the two commands of the README's quick start.
BUILD ?= build
MESON_OPTS ?=

.PHONY: all bootstrap demo check fuzz bench install clean

all: $(BUILD)/build.ninja
	ninja -C $(BUILD)

bootstrap:
	@scripts/bootstrap

$(BUILD)/build.ninja:
	@scripts/bootstrap
	meson setup $(BUILD) $(MESON_OPTS)

demo: all
	@scripts/demo $(BUILD)

check: all
	@scripts/check $(BUILD)

fuzz: all
	@scripts/fuzz-smoke $(BUILD) 60

bench: all
	@bench/run --mefw $(BUILD)/tools/mefw

# make install [PREFIX=/usr/local] [DESTDIR=/tmp/root]: the binary, libmefw.so.0, headers, mefw.pc,
# man pages, completions, licence
PREFIX ?= /usr/local
install: all
	meson configure $(BUILD) -Dprefix=$(PREFIX)
	meson install -C $(BUILD) $(if $(DESTDIR),--destdir $(DESTDIR))

clean:
	rm -rf $(BUILD) $(BUILD)-fuzz
