#!/usr/bin/env bash
# Importing a large OpenAPI description end to end, Courier against Postman's own converter
# (openapi-to-postmanv2, what Postman's importer runs), on the same file in the same run.
#
# The description: OpenAPI 3.0 YAML, OPERATIONS operations (default 1,000; a GET and a POST
# per path) under 50 tags, schemas shared by $ref with allOf and a recursive one, three
# responses each: the shape of benches/import.rs's, written here by Python.
#   - courier import: read, follow references, make bodies and examples, write the files;
#   - openapi2postmanv2: the same description to one Postman collection file.
# Prints wall time (best of RUNS, default 5) and peak memory (max RSS) for each, and the
# ratio. Needs a release build (cargo build --release) and Node.js; openapi-to-postmanv2 is
# installed with npm into a temporary directory when it is not on PATH.
#
# Usage: scripts/measure-openapi-import.sh [OPERATIONS] [RUNS]
set -euo pipefail

operations=${1:-1000}
runs=${2:-5}
here=$(cd "$(dirname "$0")/.." && pwd)
courier="$here/target/release/courier"
[ -x "$courier" ] || { echo "build first: cargo build --release" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

converter=$(command -v openapi2postmanv2 || true)
if [ -z "$converter" ]; then
    (cd "$work" && npm install --silent --no-audit --no-fund openapi-to-postmanv2 >/dev/null)
    converter="$work/node_modules/.bin/openapi2postmanv2"
fi

python3 - "$operations" > "$work/big.openapi.yaml" <<'EOF'
import sys
operations = int(sys.argv[1])
tags = 50
print("openapi: 3.0.3\ninfo:\n  title: Big\n  version: '1'\nservers:\n  - url: http://127.0.0.1:8808")
print("security:\n  - bearer: []\npaths:")
for path in range(operations // 2):
    tag = path % tags
    print(f"  /things{tag}/{{id}}/part{path}:\n    parameters:")
    print(f"      - {{name: id, in: path, required: true, schema: {{type: integer, example: {path}}}}}")
    for method in ["get", "post"]:
        print(f"    {method}:\n      tags: [tag{tag}]\n      summary: {method} part {path}")
        print(f"      operationId: {method}Part{path}\n      parameters:")
        print("        - {name: page, in: query, schema: {type: integer, minimum: 1}}")
        print("        - {name: X-Trace, in: header, schema: {type: string, format: uuid}}")
        if method == "post":
            print("      requestBody:\n        content:\n          application/json:")
            print("            schema: {$ref: '#/components/schemas/NewThing'}")
        print("      responses:")
        for code, schema in [("200", "Thing"), ("404", "Error"), ("default", "Error")]:
            print(f"        '{code}':\n          description: a {schema}\n          content:")
            print(f"            application/json:\n              schema: {{$ref: '#/components/schemas/{schema}'}}")
print("""components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
  schemas:
    NewThing:
      type: object
      properties:
        name: {type: string, example: widget}
        size: {type: number}
        created: {type: string, format: date-time}
        tags: {type: array, items: {type: string}}
        owner: {$ref: '#/components/schemas/Owner'}
    Owner:
      type: object
      properties:
        id: {type: integer}
        email: {type: string, format: email}
        manager: {$ref: '#/components/schemas/Owner'}
    Thing:
      allOf:
        - $ref: '#/components/schemas/NewThing'
        - type: object
          properties:
            id: {type: integer, readOnly: true}
            state: {type: string, enum: [new, used]}
    Error:
      type: object
      properties:
        code: {type: integer}
        message: {type: string}""")
EOF

# Best wall time and the peak RSS of that run, over $runs runs of "$@".
measure() {
    local best="" rss=""
    for _ in $(seq "$runs"); do
        rm -rf "$work/out"
        mkdir -p "$work/out"
        /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>&1
        read -r seconds kb < "$work/time"
        if [ -z "$best" ] || awk "BEGIN{exit !($seconds < $best)}"; then
            best=$seconds
            rss=$kb
        fi
    done
    echo "$best $rss"
}

size=$(du -k "$work/big.openapi.yaml" | cut -f1)
echo "description: $operations operations, ${size} KB of YAML; best of $runs runs"
read -r c_time c_rss < <(measure "$courier" import "$work/big.openapi.yaml" --into "$work/out")
read -r p_time p_rss < <(measure "$converter" -s "$work/big.openapi.yaml" -o "$work/out/big.postman.json")
printf '%-48s %8s s %8s MB\n' "courier import (read + write $operations requests)" "$c_time" "$((c_rss / 1024))"
printf '%-48s %8s s %8s MB\n' "openapi2postmanv2 (one collection file)" "$p_time" "$((p_rss / 1024))"
awk "BEGIN{printf \"openapi2postmanv2 / courier: %.1fx the time, %.1fx the memory\n\", $p_time / $c_time, $p_rss / $c_rss}"
