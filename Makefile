# VirtCapture: `make run` runs the box on the simulated board, `make test` runs every test.
# Both install what they need on a fresh Debian 12 machine that has only the .NET 10 SDK.
SHELL := /bin/bash
.DEFAULT_GOAL := build

APT_PACKAGES := libpcap0.8 libpcap0.8-dev tshark tcpdump netsniff-ng iproute2 iputils-ping netcat-openbsd curl ethtool procps bc chromium openssl gcc libc6-dev python3-scapy mosquitto mosquitto-clients \
  clang llvm lld binutils-aarch64-linux-gnu gcc-aarch64-linux-gnu
BUILD := build
CONFIGURATION ?= Release
DOTNET := DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 dotnet

.PHONY: deps web restore build run test check fuzz bench bench-live publish-host bench-ring bench-start bench-fleet bench-page profile-live publish-prof fleet lab publish image clean

RID ?= linux-arm64
HOST_RID := linux-$(if $(filter aarch64,$(shell uname -m)),arm64,x64)
# The engineer's laptop, for the Wireshark extcap (the same code builds for win-x64 and osx-arm64).
LAPTOP_RID ?= linux-x64
VERSION := $(shell sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props)
PUBLISH := $(BUILD)/publish/$(RID)
# How the box's firmware is published (make publish for the board, publish-host for this machine's benchmarks).
# Native AOT: one native executable, no JIT at start (a third of the start-up CPU, 16 MB less resident than the
# ReadyToRun single file; make bench-live). Linked by clang; for linux-arm64 with Debian's aarch64 cross binutils and gcc.
BOX_PUBLISH := -p:PublishAot=true -p:DebugType=none -p:GenerateDocumentationFile=false -v quiet -nologo
IMAGE := $(BUILD)/image/virtcapture-$(VERSION)-$(RID)

deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" != 0 ]; then echo "make: missing packages:$$missing (run as root, or: sudo apt-get install$$missing)"; exit 1; fi; \
	  echo "installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi
	@# The web page test drives Debian's Chromium with playwright-core from npm (no browser download).
	@command -v npm >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; }

# The web page's chart library (uPlot, MIT) from npm, copied into the firmware and checked against the checksums we
# reviewed (web/vendor.sha256); npm ci checks the package itself against package-lock.json's integrity.
WEB := firmware/VirtCapture/Management
web:
	@command -v npm >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; }
	cd $(WEB)/web && npm ci --no-audit --no-fund --silent
	mkdir -p $(WEB)/wwwroot/vendor
	cp $(WEB)/web/node_modules/uplot/dist/uPlot.iife.min.js $(WEB)/web/node_modules/uplot/dist/uPlot.min.css $(WEB)/wwwroot/vendor/
	cp $(WEB)/web/node_modules/uplot/LICENSE $(WEB)/wwwroot/vendor/uPlot.LICENSE.txt
	cd $(WEB)/wwwroot/vendor && sha256sum --check --quiet ../../web/vendor.sha256

restore: web
	$(DOTNET) restore VirtCapture.sln

build: restore
	@# ReadyToRun: start-up code is precompiled (a third less CPU to start); the capture path's methods are marked
	@# AggressiveOptimization, and hal and the format library are left out, so they are still compiled by the JIT with
	@# everything it knows of this CPU (make bench-live: precompiled, they cost 1.3x the CPU per frame).
	$(DOTNET) publish firmware/VirtCapture/VirtCapture.csproj -c $(CONFIGURATION) -r $(HOST_RID) --self-contained false -p:PublishReadyToRun=true -o $(BUILD) -p:UseAppHost=true -v quiet -nologo
	$(DOTNET) build tests/VirtCapture.Bench/VirtCapture.Bench.csproj -c $(CONFIGURATION) --no-restore -o $(BUILD)/bench -v quiet -nologo
	@echo "built $(BUILD)/virtcapture"

# The simulated board: synthetic VM-like traffic on ports A and B, captures in ./var/captures. Ctrl+C stops cleanly.
# The runtime's settings as the box's service sets them (its Environment=DOTNET_* lines).
BOX_ENV := $(shell bash images/runtime-env.sh)

run: deps build
	mkdir -p var/captures
	VIRTCAPTURE_CONFIG_DIR=hardware/sim $(BOX_ENV) ./$(BUILD)/virtcapture run

# Every test that runs the firmware as a process runs the box's own build (Native AOT, make publish-host): what ships
# is what is tested (VIRTCAPTURE_TEST_BIN; unset, the tests run the JIT build under dotnet exec).
test: deps restore publish-host
	cd tests/web && npm ci --no-audit --no-fund --silent
	@VIRTCAPTURE_TEST_BIN=$(CURDIR)/$(HOST_PUBLISH)/virtcapture bash tests/run-tests.sh

# The unit tier alone: no root, no network, no other process; seconds.
check: restore
	dotnet test tests/VirtCapture.Tests/VirtCapture.Tests.csproj -c Release --no-restore --filter "FullyQualifiedName~VirtCapture.Tests.Unit."

# The fuzz test of `make test` at length: FUZZ_ITERATIONS mutations (default 50000) from FUZZ_SEED.
fuzz: deps restore
	FUZZ_ITERATIONS=$${FUZZ_ITERATIONS:-50000} FUZZ_SEED=$${FUZZ_SEED:-$$RANDOM} dotnet test tests/VirtCapture.Tests/VirtCapture.Tests.csproj -c Release --no-restore --filter "FullyQualifiedName~VirtCapture.Tests.Integration.Fuzz." --logger "console;verbosity=normal"

bench: deps build publish-host
	@VIRTCAPTURE_BIN=$${VIRTCAPTURE_BIN:-$(CURDIR)/$(HOST_PUBLISH)/virtcapture} bash tests/bench/bench.sh

# The real capture path without the hardware: network namespaces wired like the box, the firmware on AF_PACKET,
# VM-like traffic across it. Needs root. Ctrl+C stops the firmware; `bash hardware/lab/lab.sh down` removes the lab.
lab: deps build
	bash hardware/lab/lab.sh up
	bash hardware/lab/lab.sh traffic vclab 3600 & trap 'kill %1 2>/dev/null' EXIT; bash hardware/lab/lab.sh run vclab

# The box as it ships (make publish's recipe, for this machine): self-contained, trimmed, one file; it starts with about
# half the CPU of make build's and maps 16 MB less (measured side by side). VIRTCAPTURE_BIN=... measures another.
HOST_PUBLISH := $(BUILD)/publish/$(HOST_RID)
publish-host: deps restore
	$(DOTNET) publish firmware/VirtCapture/VirtCapture.csproj -c $(CONFIGURATION) -r $(HOST_RID) $(BOX_PUBLISH) -o $(HOST_PUBLISH)

# The same build with its symbols, for perf; its native compile has a directory of its own, so the two never
# mistake each other's output for up to date.
PROF_PUBLISH := $(BUILD)/publish-prof/$(HOST_RID)
publish-prof: deps restore
	$(DOTNET) publish firmware/VirtCapture/VirtCapture.csproj -c $(CONFIGURATION) -r $(HOST_RID) $(BOX_PUBLISH) -p:StripSymbols=false \
	  -p:NativeIntermediateOutputPath=$(CURDIR)/$(BUILD)/native-prof/ -o $(PROF_PUBLISH)

bench-live: deps build publish-host
	@VIRTCAPTURE_BIN=$${VIRTCAPTURE_BIN:-$(CURDIR)/$(HOST_PUBLISH)/virtcapture} bash tests/bench/bench-live.sh
	@VIRTCAPTURE_BIN=$${VIRTCAPTURE_BIN:-$(CURDIR)/$(HOST_PUBLISH)/virtcapture} FLOOD=erspan3 CAPTURES="virtcapture-collector tcpdump dumpcap" bash tests/bench/bench-live.sh

# A site of three simulated boxes on a Mosquitto of its own (Ctrl+C stops it).
fleet: deps build
	bash hardware/fleet/fleet.sh

# 500 simulated boxes on one Mosquitto: event latency and broker CPU at 1 and 10 events per box per second.
bench-fleet: deps build
	@bash tests/bench/bench-fleet.sh

# Where the CPU goes during bench-live's flood: perf per thread, library and function (WHAT=tcpdump for tcpdump's).
# It profiles the box's AOT build with its symbols kept (publish-prof: the shipped build strips them).
profile-live: deps publish-prof
	@VIRTCAPTURE_BIN=$${VIRTCAPTURE_BIN:-$(CURDIR)/$(PROF_PUBLISH)/virtcapture} bash tests/bench/profile-live.sh

# The management API against a large ring (FILES × FILE_MB, default 60 × 50 MB): start, file list, time window.
bench-ring: deps build publish-host
	@VIRTCAPTURE_BIN=$${VIRTCAPTURE_BIN:-$(CURDIR)/$(HOST_PUBLISH)/virtcapture} bash tests/bench/bench-ring.sh

# Cold start on the simulated board: exec to "Capture started" and to /health.
bench-start: deps publish-host
	@bash tests/bench/bench-start.sh

# A web page left open (MINUTES, default 10): the memory of a box with the page beside one without.
bench-page: deps publish-host
	cd tests/web && npm ci --no-audit --no-fund --silent
	@bash tests/bench/bench-page.sh

# The board's build (linux-arm64) or a PC's (linux-x64): one Native AOT executable (BOX_PUBLISH). Trim and AOT
# warnings are errors like every other warning (bar IL2104, see the csproj).
publish: deps restore
	$(DOTNET) publish firmware/VirtCapture/VirtCapture.csproj -c $(CONFIGURATION) -r $(RID) $(BOX_PUBLISH) -o $(PUBLISH)
	@echo "published $(PUBLISH)/virtcapture"
	$(DOTNET) publish firmware/VirtCapture/VirtCapture.csproj -c $(CONFIGURATION) -r $(LAPTOP_RID) --self-contained \
	  -p:PublishSingleFile=true -p:PublishTrimmed=true -p:IncludeNativeLibrariesForSelfExtract=true -p:DebugType=none -p:GenerateDocumentationFile=false \
	  -o $(BUILD)/publish/laptop-$(LAPTOP_RID) -v quiet -nologo
	@echo "published the Wireshark extcap for a laptop: $(BUILD)/publish/laptop-$(LAPTOP_RID)/virtcapture (then: virtcapture extcap --add-box URL --token-file F; virtcapture extcap --install)"

# The firmware bundle: application, systemd units, networkd bridge, udev names, sysctl, default configuration,
# install script; a tarball and its SHA-256.
image: publish
	rm -rf $(IMAGE) && mkdir -p $(IMAGE)/app
	cp -a $(PUBLISH)/. $(IMAGE)/app/
	cp README.md $(IMAGE)/app/
	cp -a images/systemd images/network images/udev images/sysctl images/config images/install.sh $(IMAGE)/
	echo $(VERSION) > $(IMAGE)/VERSION
	tar -C $(BUILD)/image -czf $(IMAGE).tar.gz $(notdir $(IMAGE))
	cd $(BUILD)/image && sha256sum $(notdir $(IMAGE)).tar.gz > $(notdir $(IMAGE)).tar.gz.sha256
	@echo "image $(IMAGE).tar.gz"

clean:
	rm -rf $(BUILD) var
	$(DOTNET) clean VirtCapture.sln -v quiet
