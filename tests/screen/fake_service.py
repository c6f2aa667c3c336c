"""A tiny HTTPS service that answers fixed JSON, for screen tests of the
client against a broken or hostile service (one that sends what
madoguchid never would).

usage: fake_service.py CERT KEY ROUTES PORT_FILE

ROUTES is a JSON file: an object whose keys are "METHOD /path?query" or
"METHOD /path" (the exact request line wins over the path alone) and
whose values are the JSON bodies answered with 200, or {"status": N,
"body": BODY} for another status; {"cut": N, "body": BODY} closes the
connection without an answer, as a dying instance would, the first N
times the route is asked for, and answers BODY after that.  With the key
"close": true every answer closes its connection, so that each request
goes on a connection of its own.  Anything else is answered 404 with
docs/api.md's error body.  The port (picked free on
127.0.0.1) is written to PORT_FILE once the service listens; it runs
until killed."""

import http.server
import json
import os
import socket
import ssl
import sys
import threading


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        path = self.path.split("?", 1)[0]
        routes = self.server.routes
        body = routes.get(f"{self.command} {self.path}",
                          routes.get(f"{self.command} {path}"))
        status = 200
        if isinstance(body, dict) and "cut" in body and "body" in body:
            with self.server.lock:
                key = f"{self.command} {self.path}"
                seen = self.server.cuts.get(key, 0)
                self.server.cuts[key] = seen + 1
            if seen < body["cut"]:
                sys.stderr.write(f"fake_service: cut {key}\n")
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            body = body["body"]
        if isinstance(body, dict) and set(body) == {"status", "body"}:
            status, body = body["status"], body["body"]
        if body is None:
            status = 404
            body = {"error": {"code": "not_found", "field": None,
                              "params": {}, "message": "no such path"}}
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        if routes.get("close") is True:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PATCH = do_DELETE = answer

    def log_message(self, fmt, *args):
        sys.stderr.write("fake_service: " + (fmt % args) + "\n")


def main():
    cert, key, routes, port_file = sys.argv[1:5]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    with open(routes) as f:
        server.routes = json.load(f)
    server.cuts = {}
    server.lock = threading.Lock()
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    with open(port_file + ".tmp", "w") as f:
        f.write(f"{server.server_address[1]}\n")
    os.replace(port_file + ".tmp", port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
