"""An after_response hook in Python: keeps what the server verified as the variable
`last_signed_text` (a session value in the TUI; a value for the requests after it in
`courier test`)."""

import json
import sys

given = json.load(sys.stdin)
response = given["response"]
if response["status"] != 200:
    json.dump({"refuse": f"the server answered {response['status']}"}, sys.stdout)
else:
    body = json.loads(response["body"])
    json.dump({"variables": {"last_signed_text": body["signed_text"]}}, sys.stdout)
