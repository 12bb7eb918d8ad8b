# kafka-webshop: every command a user or CI runs. `make` (or `make help`) lists them.
# Settings come from the environment (see the README's config table); these are the make-only knobs.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# The project's Node 24 (.node/, put there by deploy/install.sh when the machine's Node is older) comes first for
# every recipe and what it spawns; without .node/ the machine's own node is found as before.
export PATH := $(CURDIR)/.node/bin:$(PATH)
NODE        := node --import tsx
RUN_DIR     := .run
LOG_DIR     := $(RUN_DIR)/logs
KAFKA_SH    := deploy/kafka/kafka.sh
CLUSTER_SH  := deploy/kafka/cluster.sh
UNIT_TESTS  = $(shell find test -name '*.test.ts' -not -path 'test/integration/*' -not -path 'test/faults/*' \
  -not -path 'test/docker/*' -not -path 'test/k8s/*' \
  -not -path 'test/cluster/*' | sort)
INT_TESTS   = $(shell find test/integration -name '*.test.ts' | sort)
FAULT_TESTS = $(shell find test/faults -name '*.test.ts' | sort)
K8S_TESTS   = $(shell find test/k8s -name '*.test.ts' | sort)
# kustomize and kubernetes-validate, installed once by deploy/k8s/tools.sh (Go module proxy, PyPI).
export K8S_TOOLS ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/kafka-webshop/k8s-tools
CLUSTER_TESTS = $(shell find test/cluster -name '*.test.ts' | sort)
# Node's own coverage of the unit tests, per file of src/ (test/ and bench/ left out), mapped back to the .ts lines;
# also written as coverage/lcov.info. Node 24 reports only the files a test loads: test-unit names the others.
LCOV        := coverage/lcov.info
COVERAGE    := --experimental-test-coverage --enable-source-maps --test-coverage-include='src/**' \
               --test-reporter=lcov --test-reporter-destination=$(LCOV)

AMOUNT   ?= 50
ORDER_ID ?=
TOPIC    ?= order_created
FROM     ?= beginning
SERVICE  ?= order
OVERLAY  ?= local
export PAYMENT_INSTANCES ?= 1
export SHIPPING_INSTANCES ?= 1
export NOTIFICATION_INSTANCES ?= 1
export STATUS_INSTANCES ?= 1


.PHONY: help install build kafka kafka-stop kafka-status cluster cluster-stop cluster-status topics dev order status logs \
        tail dlq dlq-replay bench test test-unit test-integration test-faults test-cluster test-docker test-docker-cluster \
        k8s test-k8s typecheck lint format contracts clean metrics

help: ## List the targets
	@grep -hE '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{ printf "  \033[36m%-18s\033[0m %s\n", $$1, $$2 }'

install: ## Install system libraries (if needed) and node modules, building the Kafka client when no prebuilt binary downloads
	@deploy/install.sh

node_modules/.package-lock.json: package.json package-lock.json .nvmrc
	@deploy/install.sh

build: node_modules/.package-lock.json ## Compile TypeScript to dist/, with the live page's files (src/order/page)
	npm run --silent build

kafka: ## Start the local Kafka broker from Maven Central jars (idempotent; data kept in .run/kafka)
	@$(KAFKA_SH) start

kafka-stop: ## Stop the local Kafka broker
	@$(KAFKA_SH) stop

kafka-status: ## Is the local broker running and answering?
	@$(KAFKA_SH) status

cluster: ## Start a local three-broker Kafka cluster (KRaft; brokers on 9092/9094/9096, CLUSTER_PORT_BASE moves them; data in .run/cluster)
	@$(CLUSTER_SH) start

cluster-stop: ## Stop the local three-broker cluster
	@$(CLUSTER_SH) stop

cluster-status: ## The cluster's quorum leader and each broker up or down
	@$(CLUSTER_SH) status

topics: node_modules/.package-lock.json ## Create the missing topics of config/topics.conf (says which it created)
	@$(NODE) src/cli/topics.ts

dev: node_modules/.package-lock.json kafka topics ## Broker + topics + the services, restarted when one dies, prefixed output, logs in .run/logs; Ctrl-C stops all (PAYMENT_INSTANCES=3 ..)
	@deploy/dev.sh

order: node_modules/.package-lock.json ## POST an order (AMOUNT=50 [ORDER_ID=..]) and follow its events to the end
	@$(NODE) src/cli/order.ts --amount="$(AMOUNT)" $(if $(ORDER_ID),--order-id="$(ORDER_ID)")

status: node_modules/.package-lock.json ## Print one order's status record from the OrderService (ORDER_ID=..)
	@$(NODE) src/cli/status.ts --order-id="$(ORDER_ID)"

logs: ## Follow one service's log: its container's when the Docker stack runs, else its `make dev` log file (SERVICE=order|payment|..)
	@if $(DOCKER_STACK_UP); then $(MAKE) --no-print-directory docker-logs SERVICE="$(SERVICE)"; \
	else tail -n 50 -F $(LOG_DIR)/$(SERVICE).log; fi

metrics: node_modules/.package-lock.json ## Print one service's Prometheus metrics while `make dev` runs (SERVICE=order|payment|payment-2|..)
	@$(NODE) src/cli/metrics.ts --service "$(SERVICE)"

tail: node_modules/.package-lock.json ## Print a topic's events as they come (TOPIC=order_created FROM=beginning|end)
	@$(NODE) src/cli/tail.ts --topic "$(TOPIC)" --from "$(FROM)"

dlq: node_modules/.package-lock.json ## List dead letters: time, origin, error code and message, key, value, replayed? (CODE=.. LIMIT=..)
	@$(NODE) src/cli/dlq.ts list $(foreach code,$(CODE),--code "$(code)") $(if $(LIMIT),--limit "$(LIMIT)")

dlq-replay: node_modules/.package-lock.json ## Re-publish dead letters to their topic, once each (ALL=1 | CODE=.. | OFFSET=topic/partition/offset) [DRY_RUN=1]
	@$(NODE) src/cli/dlq.ts replay $(if $(ALL),--all) $(foreach code,$(CODE),--code "$(code)") \
	  $(foreach offset,$(OFFSET),--offset "$(offset)") $(if $(DRY_RUN),--dry-run)

test: node_modules/.package-lock.json ## Unit tests, then integration tests against a real broker (started if KAFKA_BROKERS is unset)
	@$(MAKE) --no-print-directory test-unit
	@deploy/test-integration.sh $(INT_TESTS)

test-unit: node_modules/.package-lock.json ## Unit tests only (no broker), then their line, branch and function coverage of src/
	@mkdir -p $(dir $(LCOV))
	$(NODE) --test --test-timeout=60000 --test-reporter=spec --test-reporter-destination=stdout $(COVERAGE) $(UNIT_TESTS)
	@echo "src files that no unit test loads (not in the figure above):"
	@comm -23 <(find src -name '*.ts' | sort) <(sed -n 's/^SF://p' $(LCOV) | sort) | sed 's/^/  /'

test-integration: node_modules/.package-lock.json ## Integration tests only, against a real broker
	@deploy/test-integration.sh $(INT_TESTS)

test-docker: node_modules/.package-lock.json ## The user's Docker path on a real engine: up, both flows, logs, scale, a crash, down (~6 min)
	@COMPOSE_COMMAND="$(COMPOSE)" deploy/test-docker.sh

test-docker-cluster: node_modules/.package-lock.json ## The three-broker stack (make up CLUSTER=1) on a real engine: a broker stopped under load loses no order (~8 min)
	@COMPOSE_COMMAND="$(COMPOSE)" deploy/test-docker.sh test/docker/cluster.test.ts

test-faults: node_modules/.package-lock.json ## Fault tests: kill -9, SIGTERM, broker outage, scaling, a fenced twin, poison, duplicates under load (~5 min)
	@deploy/test-faults.sh $(FAULT_TESTS)

k8s: ## Print the Kubernetes manifests of an overlay of deploy/k8s for kubectl apply -f - (OVERLAY=local|production)
	@if [[ -x $(K8S_TOOLS)/bin/kustomize ]]; then $(K8S_TOOLS)/bin/kustomize build deploy/k8s/overlays/$(OVERLAY); \
	elif command -v kubectl >/dev/null; then kubectl kustomize deploy/k8s/overlays/$(OVERLAY); \
	else "$$(deploy/k8s/tools.sh)/bin/kustomize" build deploy/k8s/overlays/$(OVERLAY); fi

test-k8s: node_modules/.package-lock.json ## Render every overlay of deploy/k8s, validate it against the Kubernetes API schemas offline, check it against the code
	@deploy/k8s/tools.sh >/dev/null
	$(NODE) --test --test-reporter=spec --test-reporter-destination=stdout $(K8S_TESTS)

test-cluster: node_modules/.package-lock.json ## Fault tests on a throwaway three-broker cluster: a broker killed, a second stopped, a rolling restart, all under load (~6 min)
	@deploy/test-cluster.sh $(CLUSTER_TESTS)

bench: node_modules/.package-lock.json ## Orders/s and latency next to their HTTP and broker ceilings, on a throwaway broker (QUICK=1: ~1 min smoke run)
	@$(NODE) bench/run.ts $(if $(filter 1,$(QUICK)),--quick)

typecheck: node_modules/.package-lock.json ## TypeScript type check
	npx tsc --noEmit -p .

lint: node_modules/.package-lock.json ## ESLint, Prettier, and the import rules of .dependency-cruiser.mjs (layers, no cycles)
	npx eslint .
	npx prettier --check .
	npx depcruise --config .dependency-cruiser.mjs src test bench

format: node_modules/.package-lock.json ## Rewrite files with Prettier
	npx prettier --write .

contracts: node_modules/.package-lock.json ## Write docs/openapi.json and docs/asyncapi.json from the code's schemas (a test fails when they differ)
	@$(NODE) src/order/write-contracts.ts

include deploy/docker.mk

clean: kafka-stop ## Stop the broker, remove build output, logs and broker data
	rm -rf dist $(RUN_DIR)
