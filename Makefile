# EdgeEmotion: `make run` and `make test` are the two commands a newcomer needs (README.md).
SHELL := /bin/bash
DOTNET ?= dotnet
PYTHON := /usr/bin/python3
CONFIG ?= Release
ARCH := $(shell uname -m)
RID := $(if $(filter aarch64 arm64,$(ARCH)),linux-arm64,linux-x64)
BIN := bin
RESULTS := TestResults

.PHONY: setup build publish-jetson test run replay-samples models models-tiny face-models expression-pack examples bench soak flops docs-examples clean

setup:
	@bash scripts/setup.sh
	@bash scripts/build-dashboard.sh
	@bash scripts/setup-faceapi.sh

# The CLI lands at ./bin/edgeemo (framework-dependent, this machine's architecture).
build: setup
	$(DOTNET) publish src/EdgeAgent/EdgeEmotion.EdgeAgent.csproj -c $(CONFIG) -r $(RID) --self-contained false -o $(BIN) -nologo -v quiet

# The Jetson deploy bundle: dist/edgeemo-<version>-linux-arm64.tar.gz (deploy/jetson/INSTALL.md).
publish-jetson: setup
	@DOTNET=$(DOTNET) CONFIG=$(CONFIG) bash scripts/publish-jetson.sh

# The bundle is built first: its check (tests/EdgeAgent.Tests/Deploy) runs in the suite.
test: setup publish-jetson
	@rm -rf $(RESULTS)
	@set +e; $(DOTNET) test EdgeEmotion.sln -c $(CONFIG) -nologo --logger "trx" --logger "console;verbosity=minimal" --results-directory $(RESULTS); rc=$$?; \
	  $(PYTHON) scripts/test-summary.py $(RESULTS); sum=$$?; \
	  if [ $$rc -ne 0 ] || [ $$sum -ne 0 ]; then exit 1; fi

# The main job: the agent on synthetic sensors with dropouts, publishing to a local mosquitto,
# with a live console view (until Ctrl+C; `make run DURATION=30` to stop by itself).
# PACK: affect (default), pain, a pack name under models/packs (affect-full) or a pack folder.
# VIDEO: a video file the camera plays, looping, instead of the synthetic face (any pack);
# `make run PACK=expression` plays tests/media/expressions.mp4, a real man changing expression.
DURATION ?= 0
PACK ?= affect
VIDEO ?=
run: build
	@PACK=$(PACK) VIDEO=$(VIDEO) scripts/run-demo.sh --duration $(DURATION)

# Score the committed media with both tiny packs (replay, no broker).
replay-samples: build
	./$(BIN)/edgeemo replay --pack models/packs/affect-tiny --video tests/media/face.mp4 --audio tests/media/speech.wav --out $(RESULTS)/affect.jsonl --plot $(RESULTS)/affect.html
	@head -n 3 $(RESULTS)/affect.jsonl
	./$(BIN)/edgeemo replay --pack models/packs/pain-tiny --video tests/media/face.mp4 --eda tests/media/eda.csv --out $(RESULTS)/pain.jsonl --plot $(RESULTS)/pain.html
	@head -n 3 $(RESULTS)/pain.jsonl
	./$(BIN)/edgeemo replay --pack models/packs/expression --video tests/media/face.mp4 --out $(RESULTS)/expression.jsonl --plot $(RESULTS)/expression.html
	@head -n 3 $(RESULTS)/expression.jsonl

# Full-size packs (the paper's widths): generated here, git-ignored. Also re-exports the
# committed face models (models/face) from the npm package.
models: setup face-models
	$(PYTHON) models/export/export_packs.py --out models/packs --sizes full tiny
	$(MAKE) expression-pack

# face-api.js's trained detector, landmark and expression nets, re-created in PyTorch from the
# pinned npm package (models/faceapi), as ONNX with goldens in models/face (committed).
face-models: setup
	$(PYTHON) models/faceapi/export_face.py --out models/face

# The expression pack: face-api.js's trained expression net (models/face) through the import path.
expression-pack: build
	$(PYTHON) models/export/expression_pack.py --out build/packs/expression
	./$(BIN)/edgeemo models import build/packs/expression --out models/packs/expression --force
	./$(BIN)/edgeemo models verify models/packs/expression

# Re-export the committed tiny packs (after changing models/export).
models-tiny: setup
	$(PYTHON) models/export/export_packs.py --out models/packs --sizes tiny

# The four foreign example models (models/examples/README.md): each export.py writes an
# import-ready folder through models/export/edgeemo_import.py, `models import` seals it into the
# committed pack (replacing it), and `models verify` checks it against the PyTorch goldens.
EXAMPLES := jmt_two_audio jca_window8 per_clip_visual affect_imagine
examples: build
	@set -e; for e in $(EXAMPLES); do \
	  echo "[$$e]"; \
	  $(PYTHON) models/examples/$$e/export.py --out build/examples/$$e; \
	  ./$(BIN)/edgeemo models import build/examples/$$e --out models/examples/packs/$$e --force; \
	done; \
	for e in $(EXAMPLES); do ./$(BIN)/edgeemo models verify models/examples/packs/$$e; done

bench: build
	@for p in models/packs/affect-full models/packs/pain-full; do \
	  if [ -d $$p ]; then ./$(BIN)/edgeemo bench --pack $$p; else echo "$$p missing: run 'make models' first"; fi; done

# MACs/FLOPs per clip of every model, counted from our PyTorch definitions and cross-checked
# against each pack's ONNX graph; then the Jetson Orin estimates (docs/performance.md).
FULL_PACKS := $(wildcard models/packs/affect-full models/packs/pain-full)
flops: setup
	$(PYTHON) models/export/flops.py $(FULL_PACKS) models/packs/affect-tiny models/packs/pain-tiny
	@if [ -n "$(FULL_PACKS)" ]; then echo; $(PYTHON) models/export/jetson_estimate.py $(FULL_PACKS); \
	  else echo "full packs missing: run 'make models' for their figures and the Jetson estimates"; fi

# Accelerated replay soak (not part of `make test`): synthetic media as fast as it goes for
# SOAK_MINUTES of wall time with the full affect pack (tiny if `make models` has not run);
# samples RSS, heap and queue depths, fails if RSS or a queue keeps growing (docs/benchmarks.md).
SOAK_MINUTES ?= 60
SOAK_EVERY ?= 30s
soak: build
	@p=models/packs/affect-full; [ -d $$p ] || p=models/packs/affect-tiny; \
	  ./$(BIN)/edgeemo bench --pack $$p --soak $(SOAK_MINUTES)m --sample-every $(SOAK_EVERY)

# Rewrite docs/mqtt.md's JSON examples from real runs of both tiny packs (synthetic sources, a
# real mosquitto); `make test` fails when they drift from what the agent publishes.
docs-examples: setup
	$(DOTNET) build tests/EdgeAgent.Tests -c $(CONFIG) -nologo -v quiet
	EDGEEMO_WRITE_DOC_EXAMPLES=1 $(DOTNET) test tests/EdgeAgent.Tests -c $(CONFIG) --no-build -nologo \
	  --filter "FullyQualifiedName~MqttDocExamplesTests.The_generated_examples_are_what_the_agent_publishes_now"
	@git --no-pager diff --stat -- docs/mqtt.md 2>/dev/null || true

clean:
	rm -rf $(BIN) $(RESULTS) dist build dashboard/dist
	$(DOTNET) clean EdgeEmotion.sln -nologo -v quiet
