#!/usr/bin/env bash
# Regenerates docs/schemas/ and docs/asyncapi.yaml from the services' event catalogs.
set -euo pipefail
cd "$(dirname "$0")/.."
BANSHI_WRITE_CONTRACT=1 swift test --filter ContractDocumentTests
# Then check what was written, as the test command does: writing alone proves nothing.
swift test --skip-build --filter ContractDocumentTests
