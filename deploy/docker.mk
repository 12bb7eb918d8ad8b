# The webshop in Docker (docker-compose.yml): images, up, down, ps, docker-logs, scale. Included by the Makefile.
# Runs the `docker compose` plugin where installed, else the standalone docker-compose, as project kafka-webshop.
# CLUSTER=1 merges deploy/compose.cluster.yml over it: three Kafka brokers instead of one. Once such a stack exists
# (a container of its kafka-2), every target uses the cluster file without being told, so `make down` removes it all.

DOCKER_PROJECT ?= kafka-webshop
UP_TIMEOUT     ?= 120
UI             ?=
VOLUMES        ?=
PAYMENT        ?=
SHIPPING       ?=
NOTIFICATION   ?=
CLUSTER        ?=
OBS            ?=
APP_SERVICES   := order payment shipping notification status

# Detected on first use and then kept, so targets that do not use Docker never run it.
COMPOSE = $(eval COMPOSE := $(or $(shell docker compose version >/dev/null 2>&1 && echo 'docker compose' || \
  { command -v docker-compose >/dev/null && echo docker-compose; }),$(error neither `docker compose` nor \
  `docker-compose` is installed)))$(COMPOSE)
# The project name makes the container names: kafka-webshop-payment-1 (docker-compose 1.x: kafka-webshop_payment_1).
# CLUSTER=1 merges deploy/compose.cluster.yml (three brokers); OBS=1 merges docker-compose.observability.yml
# (Prometheus, Grafana, Jaeger; the OTLP endpoint of the app services). Without either: docker-compose.yml alone.
CLUSTER_FILES = -f docker-compose.yml -f deploy/compose.cluster.yml
OBS_FILES = -f docker-compose.observability.yml --profile observability
STACK     = $(COMPOSE) --project-name $(DOCKER_PROJECT)$(if $(CLUSTER_ON), $(CLUSTER_FILES),$(if $(OBS), -f docker-compose.yml))$(if $(OBS), $(OBS_FILES))
# CLUSTER=1, or a cluster stack of the project exists; asked of Docker on first use only, then kept.
CLUSTER_ON = $(eval CLUSTER_ON := $(or $(filter 1,$(CLUSTER)),$(shell docker ps -a -q --filter \
  label=com.docker.compose.project=$(DOCKER_PROJECT) --filter label=com.docker.compose.service=kafka-2 2>/dev/null)))$(CLUSTER_ON)
# down, ps and docker-logs see every container of the project, whichever profiles started it.
STACK_ALL = $(COMPOSE) --project-name $(DOCKER_PROJECT)$(if $(CLUSTER_ON), $(CLUSTER_FILES), -f docker-compose.yml) $(OBS_FILES) --profile ui
# The three brokers' host addresses: KAFKA_BROKERS for the host's tools while one of them is stopped.
CLUSTER_HOST_BROKERS := 127.0.0.1:9092,127.0.0.1:9094,127.0.0.1:9096
SCALED    = $(strip $(if $(PAYMENT),payment=$(PAYMENT)) $(if $(SHIPPING),shipping=$(SHIPPING)) \
  $(if $(NOTIFICATION),notification=$(NOTIFICATION)))
SCALED_SERVICES = $(foreach s,$(SCALED),$(firstword $(subst =, ,$(s))))

# True while a container of the stack runs; false without a Docker engine, so `make logs` falls back to `make dev`'s.
DOCKER_STACK_UP = docker ps -q --filter label=com.docker.compose.project=$(DOCKER_PROJECT) --filter status=running \
  2>/dev/null | grep -q .

.PHONY: images up down ps docker-logs scale docker-check

images: ## Build the app image kafka-webshop:local (one image for order, payment, shipping and notification)
	$(STACK) build

up: ## Run the shop in Docker: Kafka, topics, the five services (UI=1 kafka-ui, CLUSTER=1 three brokers, OBS=1 Prometheus, Grafana, Jaeger); waits
	$(STACK)$(if $(UI), --profile ui) up -d --build
	@deploy/stack-wait.sh $(UP_TIMEOUT) $(STACK) -- $(APP_SERVICES)
	@echo "order      http://localhost:5001/order  (GET /healthz, /readyz)"
	@echo "kafka      $(if $(CLUSTER_ON),3 brokers: $(CLUSTER_HOST_BROKERS) from the host,127.0.0.1:9092 from the host), kafka:19092 from the containers"
	@$(if $(UI),echo "kafka-ui   http://localhost:8080",true)
	@$(if $(OBS),echo "grafana    http://localhost:3000  prometheus http://localhost:9090  jaeger http://localhost:16686",true)
	@echo "next       make order AMOUNT=350 | make docker-logs SERVICE=notification | make down"

down: ## Stop and remove the Docker stack (VOLUMES=1 also deletes Kafka's data)
	$(STACK_ALL) down --remove-orphans $(if $(VOLUMES),--volumes)

ps: ## List the Docker stack's containers with their state and health
	$(STACK_ALL) ps

docker-logs: ## Follow a container's log in the Docker stack (SERVICE=order|payment|...|kafka|topics; SERVICE= all)
	$(STACK_ALL) logs -f --tail=100 $(SERVICE)

scale: ## Run N instances of an actor in the running Docker stack: PAYMENT=3 (or SHIPPING=, NOTIFICATION=; 6 at most; OBS=1 if up had it)
	$(if $(SCALED),,$(error scale: say how many, e.g. make scale PAYMENT=3))
	$(STACK) up -d --no-recreate --no-deps $(addprefix --scale ,$(SCALED)) $(SCALED_SERVICES)
	@deploy/stack-wait.sh $(UP_TIMEOUT) $(STACK) -- $(SCALED_SERVICES)

docker-check: ## Validate docker-compose.yml offline with a real compose (no Docker engine needed)
	@deploy/check-docker.sh
