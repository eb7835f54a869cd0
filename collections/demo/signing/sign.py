"""A before_send hook in Python: signs the request as the demo's /signed endpoint checks it.

X-Signature is hex HMAC-SHA256 of "TIMESTAMP\nMETHOD\nPATH". The key is the secret
SIGNING_KEY when the hook is given it (named in the hook's "secrets" and set in the
collection's .env); the demo's own key otherwise.
"""

import hashlib
import hmac
import json
import sys
import time
from urllib.parse import urlsplit

given = json.load(sys.stdin)
request = given["request"]
key = given["secrets"].get("SIGNING_KEY", "demo-signing-key")
timestamp = str(int(time.time()))
signed = f"{timestamp}\n{request['method']}\n{urlsplit(request['url']).path}"
signature = hmac.new(key.encode(), signed.encode(), hashlib.sha256).hexdigest()
print("signed " + repr(signed), file=sys.stderr)
json.dump({"headers": {"X-Timestamp": timestamp, "X-Signature": signature}}, sys.stdout)
