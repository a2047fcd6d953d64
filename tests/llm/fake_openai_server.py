#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""A scripted OpenAI-compatible chat-completions server for tests, on 127.0.0.1 only.

    fake_openai_server.py SCRIPT.json REQUESTS.ndjson

prints the port it listens on (a free one) on its first line of stdout, then answers each
POST .../chat/completions with the next entry of the script, a JSON array:

    {"tool_calls": [{"name": "Contacts__search", "arguments": {...} or "raw text", "id": "c1"}],
     "content": "text", "usage": {"prompt_tokens": 10, "completion_tokens": 5}}
        a chat completion (finish reason "tool_calls" or "stop")
    {"status": 429, "headers": {"Retry-After": "0"}, "body": {...}}   an HTTP status
    {"raw": "not json"}                                                a malformed body
    {"delay": 3.0, ...}                                                wait first, then answer

Every request received is appended to REQUESTS.ndjson ({"path", "headers", "body"}). When
the script is exhausted the server answers 400, which the client does not retry.
"""
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def completion(entry, index):
    message = {"role": "assistant", "content": entry.get("content")}
    calls = []
    for i, call in enumerate(entry.get("tool_calls", [])):
        args = call.get("arguments", {})
        calls.append({
            "id": call.get("id", "call_%d_%d" % (index, i)),
            "type": "function",
            "function": {"name": call["name"],
                         "arguments": args if isinstance(args, str) else json.dumps(args)},
        })
    if calls:
        message["tool_calls"] = calls
    return {
        "id": "chatcmpl-%d" % index,
        "object": "chat.completion",
        "model": entry.get("model", "fake"),
        "choices": [{"index": 0, "message": message,
                     "finish_reason": "tool_calls" if calls else "stop"}],
        "usage": entry.get("usage", {"prompt_tokens": 100, "completion_tokens": 10,
                                     "total_tokens": 110}),
    }


def main():
    with open(sys.argv[1]) as f:
        script = json.load(f)
    log_path = sys.argv[2]
    lock = threading.Lock()
    state = {"next": 0}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def send(self, status, body, headers=None):
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            raw = self.rfile.read(length)
            try:
                body = json.loads(raw)
            except ValueError:
                body = raw.decode(errors="replace")
            with lock:
                index = state["next"]
                state["next"] += 1
                with open(log_path, "a") as log:
                    log.write(json.dumps({"path": self.path,
                                          "authorization": self.headers.get("Authorization"),
                                          "body": body}) + "\n")
            if not self.path.endswith("/chat/completions"):
                self.send(404, {"error": {"message": "no such path " + self.path}})
                return
            if index >= len(script):
                self.send(400, {"error": {"message": "fake server: no scripted response left"}})
                return
            entry = script[index]
            if entry.get("delay"):
                time.sleep(entry["delay"])
            if "raw" in entry:
                self.send(entry.get("status", 200), entry["raw"].encode())
            elif "status" in entry:
                self.send(entry["status"], entry.get("body", {"error": {"message": "scripted"}}),
                          entry.get("headers"))
            else:
                self.send(200, completion(entry, index))

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
