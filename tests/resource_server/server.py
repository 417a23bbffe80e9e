"""A resource server as a ZITADEL user writes one: it trusts the issuer's JWKS and PyJWT (a
published JOSE library, not this project's code), allow-lists RS256, and requires exp, iat,
aud, iss and sub. GET /orders with a bearer token answers 200 with the caller and its roles in
this API's project, or 401 with the library's reason.

Usage: python server.py --issuer URL --audience PROJECT_ID
Prints the port it listens on (127.0.0.1, chosen by the OS) as its first line.
"""

import argparse
import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt

parser = argparse.ArgumentParser()
parser.add_argument("--issuer", required=True)
parser.add_argument("--audience", required=True)
args = parser.parse_args()

# The JWKS is fetched for every request, so a key taken out of it stops working at once
# (PyJWKClient's default caches the set for five minutes).
keys = jwt.PyJWKClient(f"{args.issuer}/oauth/v2/keys", cache_jwk_set=False)
ROLES_CLAIM = f"urn:zitadel:iam:org:project:{args.audience}:roles"


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        header = self.headers.get("Authorization", "")
        token = header[len("Bearer "):] if header.startswith("Bearer ") else ""
        try:
            key = keys.get_signing_key_from_jwt(token)
            claims = jwt.decode(
                token,
                key.key,
                algorithms=["RS256"],
                audience=args.audience,
                issuer=args.issuer,
                options={"require": ["exp", "iat", "aud", "iss", "sub"]},
            )
        except Exception as refused:  # every refusal is a 401, with the library's reason
            self.answer(401, {"error": type(refused).__name__, "reason": str(refused)})
            return
        roles = sorted(claims.get(ROLES_CLAIM, {}).keys())
        self.answer(200, {"sub": claims["sub"], "roles": roles})

    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *_):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
