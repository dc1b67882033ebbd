# Entry points: make run | make test | make lint | make bench | make bench-load | make bench-archive | make load
# Odoo 18: ODOO_BIN, else `odoo` on PATH, else the virtualenv tools/setup-odoo
# made from ODOO_SRC. Each is looked up once, where first used: in a recipe,
# after check-odoo has set Odoo up.
ifeq ($(strip $(ODOO_BIN)),)
override ODOO_BIN = $(eval override ODOO_BIN := $(shell tools/setup-odoo --which))$(ODOO_BIN)
endif
DB ?= xinfang_demo
PORT ?= 8069
# DEMO=no creates the database without demo data: the office manager (admin)
# is then taken through the first-run set-up.
DEMO ?= yes
ODOO_PY = $(eval ODOO_PY := $(shell head -n1 "$$(readlink -f "$$(command -v "$(ODOO_BIN)")")" | sed 's/^\#!//'))$(ODOO_PY)
ODOO_ADDONS = $(eval ODOO_ADDONS := $(shell $(ODOO_PY) -c 'import importlib.util, os; print(os.path.join(os.path.dirname(list(importlib.util.find_spec("odoo").submodule_search_locations)[0]), "addons"))'))$(ODOO_ADDONS)
ADDONS_PATH ?= $(ODOO_ADDONS),$(CURDIR)
ODOO = "$(ODOO_BIN)" -d $(DB) --addons-path="$(ADDONS_PATH)"

.PHONY: run reset test lint bench bench-load bench-archive load check-odoo

## Find Odoo 18 or set it up from ODOO_SRC; Debian packages, PostgreSQL, the
## addon's requirements (tools/setup-odoo: idempotent, says what it did).
check-odoo:
	@tools/setup-odoo

## Create (or upgrade) the demo database and serve it on 127.0.0.1:$(PORT).
run: check-odoo
	@exists=$$(psql -d postgres -tAc "select 1 from pg_database where datname = '$(DB)'"); \
	if [ -n "$$exists" ] && psql -d $(DB) -tAc "select state from ir_module_module where name = 'xinfang_module'" \
			2>/dev/null | grep -qx installed; then \
		echo "Upgrading xinfang_module in $(DB)..."; \
		$(ODOO) -u xinfang_module --stop-after-init --log-level=warn; \
	else \
		if [ -n "$$exists" ]; then \
			echo "$(DB) exists without xinfang_module (an interrupted creation?): completing it..."; \
		else \
			echo "Creating $(DB) $(if $(filter no,$(DEMO)),without,with) demo data (zh_CN)..."; \
		fi; \
		$(ODOO) -i xinfang_module --load-language=zh_CN --stop-after-init --log-level=warn \
			$(if $(filter no,$(DEMO)),--without-demo=all) || exit 1; \
		script=""; \
		if [ "$(DEMO)" = "no" ]; then \
			script="env.ref('base.user_admin').write({'lang': 'zh_CN', 'tz': 'Asia/Shanghai'})"; \
		elif [ -n "$$exists" ]; then \
			script="env['ir.module.module'].search([('name', '=', 'xinfang_module')]).demo or env['ir.demo'].install_demo()"; \
		fi; \
		if [ -n "$$script" ]; then \
			echo "$$script; env.cr.commit()" | "$(ODOO_BIN)" shell -d $(DB) --addons-path="$(ADDONS_PATH)" \
				--no-http --log-level=warn >/dev/null || exit 1; \
		fi; \
	fi
	@echo ""
	@echo "  信访管理 is served at http://127.0.0.1:$(PORT)/odoo  (database $(DB))"
	@echo "  The first page takes a minute or two: Odoo builds its assets once."
	@echo "  Stop with Ctrl+C; 'make reset DB=$(DB)' drops the database."
	@if [ "$(DEMO)" != "no" ]; then \
		echo "  Demo logins (password = login):"; \
		echo "    admin          / admin          system administrator, office manager"; \
		echo "    xf_registrar   信访登记员 Registrar"; \
		echo "    xf_handler     承办人 Handler (医务科, also 医患关系办公室)"; \
		echo "    xf_handler2    承办人 Handler (护理部)"; \
		echo "    xf_officer     信访办 Office officer"; \
		echo "    xf_leader      领导 Leader"; \
		echo "    xf_discipline  纪检监察 Discipline"; \
		echo "    xf_manager     信访办负责人 Office manager"; \
	else \
		echo "  Log in as admin / admin: the first-run set-up opens."; \
	fi
	@echo ""
	$(ODOO) --http-interface=127.0.0.1 --http-port=$(PORT)

## Drop the database: the next `make run` creates it again.
reset:
	dropdb --if-exists $(DB)
	@echo "Dropped $(DB)."

## The README's test command: exactly what CI runs.
test:
	bash .ci/run

lint: check-odoo
	@"$(ODOO_PY)" -m pip install -q --disable-pip-version-check -r requirements-test.txt
	PATH="$$(dirname "$(ODOO_PY)"):$$PATH" "$(ODOO_PY)" -m pre_commit run --all-files

## Benchmarks: print figures, never pass or fail on time. ARGS are passed on.
bench: check-odoo
	"$(ODOO_PY)" -m pip install -q --disable-pip-version-check --no-deps -r bench/requirements.txt
	ODOO_BIN="$(ODOO_BIN)" "$(ODOO_PY)" bench/bench_xinfang.py --addons-path "$(ADDONS_PATH)" $(ARGS)
	ODOO_BIN="$(ODOO_BIN)" "$(ODOO_PY)" bench/bench_online_load.py --addons-path "$(ADDONS_PATH)"
	ODOO_BIN="$(ODOO_BIN)" "$(ODOO_PY)" bench/bench_archive.py --addons-path "$(ADDONS_PATH)"

## Filing 10,000 closed items into volumes, batch by batch (queries per batch).
bench-archive: check-odoo
	ODOO_BIN="$(ODOO_BIN)" "$(ODOO_PY)" bench/bench_archive.py --addons-path "$(ADDONS_PATH)" $(ARGS)

## The load run of the online petition pages alone (2 workers, 20 + 20 clients, 60 s).
bench-load: check-odoo
	ODOO_BIN="$(ODOO_BIN)" "$(ODOO_PY)" bench/bench_online_load.py --addons-path "$(ADDONS_PATH)" $(ARGS)

## The staff under load: 2 workers, 100,000 items, simulated people over
## JSON-RPC beside the scheduled actions (twice at once), against
## helpdesk_mgmt; ARGS="--replica-port 5433" repeats it on a read replica
## (bench/replica.sh start first). Prints figures and checks; exit 1 on a
## lost, duplicated or half-written item.
load: check-odoo
	"$(ODOO_PY)" -m pip install -q --disable-pip-version-check --no-deps -r bench/requirements.txt
	ODOO_BIN="$(ODOO_BIN)" "$(ODOO_PY)" bench/bench_staff_load.py --addons-path "$(ADDONS_PATH)" $(ARGS)
