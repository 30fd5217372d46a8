#!/bin/sh
# Re-extract the UI strings into the .ts catalogues and rebuild the .qm files.
set -e
cd "$(dirname "$0")/../.."
exec uv run python -m sfdesk.ui.i18n --update
