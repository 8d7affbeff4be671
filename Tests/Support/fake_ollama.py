#!/usr/bin/env python3
"""A stand-in for the `ollama` binary, Python 3 stdlib only, for placeplan's end-to-end tests.

Behaves like the real CLI where the emitted scripts depend on it:
- `ollama serve` takes its address from OLLAMA_HOST only and rejects flags
  (`Error: unknown flag: --port`, exit 1), as cmd/cmd.go's serveCmd registers none.
- the server answers GET/HEAD /, /api/version, /api/tags, /api/ps, POST /api/pull,
  /api/create, /api/show, /api/generate and /api/chat (without a prompt or messages, keep_alive
  -1 loads and 0 unloads; with them, a fixed one-token answer), DELETE /api/delete.
- `ollama pull NAME` and `ollama create NAME -f FILE` talk HTTP to the server at OLLAMA_HOST;
  create parses the Modelfile with a port of parser/parser.go ParseFile, so a Modelfile the
  real parser would reject (or read differently) fails here too.
The model store is a directory (OLLAMA_MODELS), so instances sharing it see the same models.

Fault injection for `placeplan verify` tests (read once by `serve`; unset means normal):
- FAKE_OLLAMA_RESIDENT: a JSON list of models already running, as /api/ps entries
  (`[{"name": "m:tag", "size_vram": 1, "size": 1, "context_length": 8192}]`); each is also
  listed by /api/tags.
- FAKE_OLLAMA_DELAY: seconds to wait before answering any GET under /api/ (a slow instance).
- FAKE_OLLAMA_STATUS: an HTTP status (e.g. 503) answered to every GET under /api/.
With OLLAMA_HOST=127.0.0.1:0 the server binds a free port; the "Listening on" line names it.
"""
import hashlib
import http.server
import json
import os
import socketserver
import sys
import threading
import time
import urllib.error
import urllib.request

VERSION = "0.0.0-placeplan-fake"


# ---------------------------------------------------------------- OLLAMA_HOST (envconfig.Host)
def parse_host(raw, default_host="127.0.0.1"):
    s = (raw or "").strip().strip("\"'")
    scheme = "http"
    if "://" in s:
        scheme, s = s.split("://", 1)
    s = s.split("/", 1)[0]
    port = {"http": 80, "https": 443}[scheme] if raw and "://" in raw else 11434
    host = s
    if s.startswith("["):
        host, _, rest = s[1:].partition("]")
        if rest.startswith(":"):
            port = int(rest[1:])
    elif ":" in s:
        host, p = s.rsplit(":", 1)
        port = int(p)
    return (host or ("0.0.0.0" if s.startswith(":") else default_host)), port


def client_base():
    host, port = parse_host(os.environ.get("OLLAMA_HOST", ""))
    if host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"  # ConnectableHost
    return f"http://{host}:{port}"


# ---------------------------------------------------------------- Modelfile (parser/parser.go)
NIL, NAME, VALUE, PARAM, MESSAGE, COMMENT = range(6)
COMMANDS = {"from", "license", "template", "system", "adapter", "draft", "renderer", "parser",
            "parameter", "message", "requires"}


class ParseError(Exception):
    pass


def _space(r):
    return r in (" ", "\t")


def _newline(r):
    return r in ("\r", "\n")


def _alpha(r):
    return ("a" <= r <= "z") or ("A" <= r <= "Z")


def unquote(s):
    if s[:3] == '"""':
        if len(s) >= 6 and s[-3:] == '"""':
            return s[3:-3], True
        return "", False
    if s[:1] == '"':
        if len(s) >= 2 and s[-1] == '"':
            return s[1:-1], True
        return "", False
    return s, True


def _rune(r, cs):
    if cs == NIL:
        if r == "#":
            return COMMENT, "", None
        if _space(r) or _newline(r):
            return NIL, "", None
        return NAME, r, None
    if cs == NAME:
        if _alpha(r):
            return NAME, r, None
        if _space(r):
            return VALUE, "", None
        return NIL, "", "command must be one of \"from\", \"license\", ... (invalid command)"
    if cs == VALUE:
        if _newline(r) or _space(r):
            return NIL, r, None
        return VALUE, r, None
    if cs == PARAM:
        if _alpha(r) or r.isdigit() and r.isascii() or r == "_":
            return PARAM, r, None
        if _space(r):
            return VALUE, "", None
        return NIL, "", "unexpected EOF"
    if cs == MESSAGE:
        if _alpha(r):
            return MESSAGE, r, None
        if _space(r):
            return VALUE, "", None
        return NIL, "", "unexpected EOF"
    if cs == COMMENT:
        if _newline(r):
            return NIL, "", None
        return COMMENT, "", None
    raise ParseError("bad state")


def parse_modelfile(text):
    if text.startswith("\ufeff"):
        text = text[1:]
    cmds, curr, b, name, role, line = [], NIL, [], None, "", 1
    for r in text:
        if _newline(r):
            line += 1
        nxt, r, err = _rune(r, curr)
        if err == "unexpected EOF":
            raise ParseError("unexpected EOF: " + "".join(b))
        if err:
            raise ParseError(f"(line {line}): {err}")
        if nxt != curr:
            if curr == NAME:
                s = "".join(b)
                if s.lower() not in COMMANDS:
                    raise ParseError(f"(line {line}): invalid command {s!r}")
                low = s.lower()
                if low == "from":
                    name = "model"
                elif low == "parameter":
                    nxt = PARAM
                elif low == "message":
                    nxt = MESSAGE
                    name = low
                else:
                    name = low
            elif curr == PARAM:
                name = "".join(b)
            elif curr == MESSAGE:
                role = "".join(b)
                if role not in ("system", "user", "assistant"):
                    raise ParseError(f"(line {line}): message role must be one of system, user, assistant")
            elif curr == VALUE:
                s, ok = unquote("".join(b).strip())
                if not ok or _space(r):
                    b.append(r)
                    continue
                if role:
                    s, role = role + ": " + s, ""
                cmds.append((name, s))
            b = []
            curr = nxt
        if r and r.isprintable():
            b.append(r)
    if curr == VALUE:
        s, ok = unquote("".join(b).strip())
        if not ok:
            raise ParseError("unexpected EOF")
        if role:
            s = role + ": " + s
        cmds.append((name, s))
    elif curr not in (NIL, COMMENT):
        raise ParseError("unexpected EOF")
    if not any(n == "model" for n, _ in cmds):
        raise ParseError("no FROM line")
    return cmds


# api/types.go: Options (num_keep, seed, num_predict, top_k, top_p, min_p, typical_p, repeat_last_n,
# temperature, repeat_penalty, presence_penalty, frequency_penalty, stop) and Runner (num_ctx,
# num_batch, num_gpu, main_gpu, use_mmap, num_thread); FormatParams types each value with
# strconv.ParseInt(v, 10, 64) / ParseFloat(v, 32) / ParseBool and fails on an unknown name.
INT_PARAMS = {"num_keep", "seed", "num_predict", "top_k", "repeat_last_n", "num_ctx", "num_batch",
              "num_gpu", "main_gpu", "num_thread"}
FLOAT_PARAMS = {"top_p", "min_p", "typical_p", "temperature", "repeat_penalty", "presence_penalty",
                "frequency_penalty"}
BOOL_PARAMS = {"use_mmap"}
DEPRECATED_PARAMS = {"mirostat", "mirostat_eta", "mirostat_tau"}
GO_BOOLS = {"1": True, "t": True, "T": True, "TRUE": True, "true": True, "True": True,
            "0": False, "f": False, "F": False, "FALSE": False, "false": False, "False": False}


def go_int(v):
    body = v[1:] if v[:1] in "+-" else v
    if not body or not all("0" <= c <= "9" for c in body):
        raise ParseError(f"invalid int value [{v}]")
    return int(v)


def go_float(v):
    if "_" in v or v.strip() != v:
        raise ParseError(f"invalid float value [{v}]")
    try:
        return float(v)
    except ValueError:
        raise ParseError(f"invalid float value [{v}]")


def create_request(cmds, relative_dir):
    req, params = {}, {}
    for name, args in cmds:
        if name == "model":
            path = os.path.expanduser(args)
            if not os.path.isabs(path):
                path = os.path.join(relative_dir, path)
            if os.path.exists(path):
                with open(path, "rb") as f:
                    req.setdefault("files", {})[os.path.basename(path)] = "sha256:" + hashlib.sha256(f.read()).hexdigest()
            else:
                req["from"] = args
        elif name in ("template", "system", "license", "adapter", "renderer", "parser", "requires", "draft"):
            req[name] = args
        elif name == "message":
            pass
        else:
            if name in INT_PARAMS:
                params[name] = go_int(args)
            elif name in FLOAT_PARAMS:
                params[name] = go_float(args)
            elif name in BOOL_PARAMS:
                if args not in GO_BOOLS:
                    raise ParseError(f"invalid bool value [{args}]")
                params[name] = GO_BOOLS[args]
            elif name in DEPRECATED_PARAMS:
                pass
            elif name == "stop":
                params.setdefault("stop", []).append(args)
            else:
                raise ParseError(f"unknown parameter '{name}'")
    if params:
        req["parameters"] = params
    return req


# ---------------------------------------------------------------- server
class Store:
    def __init__(self, root):
        self.root = root
        os.makedirs(os.path.join(root, "fake-manifests"), exist_ok=True)
        self.loaded = {}
        self.lock = threading.Lock()

    def _path(self, name):
        return os.path.join(self.root, "fake-manifests", name.encode().hex())

    def get(self, name):
        try:
            with open(self._path(name)) as f:
                return json.load(f)
        except FileNotFoundError:
            return None

    def put(self, name, record):
        tmp = self._path(name) + ".tmp"
        with open(tmp, "w") as f:
            json.dump(record, f)
        os.replace(tmp, self._path(name))

    def delete(self, name):
        try:
            os.remove(self._path(name))
            return True
        except FileNotFoundError:
            return False

    def names(self):
        d = os.path.join(self.root, "fake-manifests")
        return sorted(bytes.fromhex(n).decode() for n in os.listdir(d) if not n.endswith(".tmp"))


def normalize(name):
    return name if ":" in name.rsplit("/", 1)[-1] else name + ":latest"


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    store = None

    def log_message(self, fmt, *args):
        sys.stderr.write("fake-ollama %s\n" % (fmt % args))

    def reply(self, code, obj=None, text=None):
        body = (text if text is not None else json.dumps(obj)).encode()
        self.send_response(code)
        self.send_header("Content-Type", "text/plain" if text is not None else "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b"{}"
        return json.loads(raw or b"{}")

    def do_HEAD(self):
        self.do_GET()

    delay = 0.0
    status = None

    def do_GET(self):
        p = self.path.split("?", 1)[0]
        if p.startswith("/api/") and self.delay > 0:
            time.sleep(self.delay)
        if p.startswith("/api/") and self.status:
            return self.reply(self.status, {"error": "server busy, please try again.  maximum pending requests exceeded"})
        if p == "/":
            return self.reply(200, text="Ollama is running")
        if p == "/api/version":
            return self.reply(200, {"version": VERSION})
        if p == "/api/tags":
            return self.reply(200, {"models": [{"name": n, "model": n} for n in self.store.names()]})
        if p == "/api/ps":
            with self.store.lock:
                names = sorted(self.store.loaded)
                running = [dict({"name": n, "model": n}, **self.store.loaded[n]) for n in names]
            return self.reply(200, {"models": running})
        return self.reply(404, text="404 page not found")

    def do_DELETE(self):
        if self.path != "/api/delete":
            return self.reply(404, text="404 page not found")
        req = self.body()
        name = normalize(req.get("model") or req.get("name") or "")
        if not self.store.delete(name):
            return self.reply(404, {"error": f"model '{name}' not found"})
        return self.reply(200, {})

    def do_POST(self):
        try:
            req = self.body()
        except ValueError as e:
            return self.reply(400, {"error": f"invalid JSON: {e}"})
        p = self.path
        if p == "/api/delete":
            return self.reply(405, text="405 method not allowed")
        if p == "/api/pull":
            name = normalize(req.get("model") or req.get("name") or "")
            if self.store.get(name) is None:
                self.store.put(name, {"from": "registry", "parameters": {}})
            return self.reply(200, {"status": "success"})
        if p == "/api/create":
            name = normalize(req.get("model") or req.get("name") or "")
            if not name or name == ":latest":
                return self.reply(400, {"error": "missing model name"})
            base = {}
            if req.get("from"):
                base = self.store.get(normalize(req["from"]))
                if base is None:
                    return self.reply(404, {"error": f"model '{req['from']}' not found"})
            elif not req.get("files"):
                return self.reply(400, {"error": "neither 'from' nor 'files' was specified"})
            record = {"from": req.get("from"), "files": req.get("files"), "system": req.get("system", base.get("system")),
                      "template": req.get("template", base.get("template")),
                      "parameters": dict(base.get("parameters", {}), **req.get("parameters", {}))}
            self.store.put(name, record)
            return self.reply(200, {"status": "success"})
        if p == "/api/show":
            rec = self.store.get(normalize(req.get("model") or ""))
            if rec is None:
                return self.reply(404, {"error": "model not found"})
            return self.reply(200, rec)
        if p in ("/api/generate", "/api/chat"):
            name = normalize(req.get("model") or "")
            rec = self.store.get(name)
            if rec is None:
                return self.reply(404, {"error": f"model '{req.get('model')}' not found"})
            ka = req.get("keep_alive")
            if req.get("messages") or req.get("prompt"):
                # A real generation (api/types.go ChatResponse / GenerateResponse, stream or not:
                # one final object); the text is fixed so proxies can be checked end to end.
                with self.store.lock:
                    self.store.loaded[name] = {"context_length": rec.get("parameters", {}).get("num_ctx", 4096)}
                out = {"model": name, "created_at": "2026-01-01T00:00:00Z", "done": True, "done_reason": "stop",
                       "total_duration": 1000, "load_duration": 0, "prompt_eval_count": 1, "prompt_eval_duration": 1,
                       "eval_count": 1, "eval_duration": 1}
                if p == "/api/chat":
                    out["message"] = {"role": "assistant", "content": "ok"}
                else:
                    out["response"] = "ok"
                return self.reply(200, out)
            with self.store.lock:
                if ka == 0 or ka == "0":
                    self.store.loaded.pop(name, None)
                    return self.reply(200, {"model": name, "done": True, "done_reason": "unload", "response": ""})
                self.store.loaded[name] = {"context_length": rec.get("parameters", {}).get("num_ctx", 4096)}
            return self.reply(200, {"model": name, "done": True, "done_reason": "load", "response": ""})
        return self.reply(404, text="404 page not found")


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def serve(args):
    for a in args:
        if a.startswith("-"):
            print(f"Error: unknown flag: {a.split('=', 1)[0]}", file=sys.stderr)
            return 1
    if args:
        print(f'Error: accepts 0 arg(s), received {len(args)}', file=sys.stderr)
        return 1
    host, port = parse_host(os.environ.get("OLLAMA_HOST", ""))
    root = os.environ.get("OLLAMA_MODELS") or os.path.join(os.path.expanduser("~"), ".ollama", "models")
    Handler.store = Store(root)
    for m in json.loads(os.environ.get("FAKE_OLLAMA_RESIDENT") or "[]"):
        name = normalize(m["name"])
        if Handler.store.get(name) is None:
            Handler.store.put(name, {"from": "registry", "parameters": {}})
        Handler.store.loaded[name] = {k: v for k, v in m.items() if k not in ("name", "model")}
    Handler.delay = float(os.environ.get("FAKE_OLLAMA_DELAY") or 0)
    Handler.status = int(os.environ.get("FAKE_OLLAMA_STATUS") or 0) or None
    srv = Server((host or "0.0.0.0", port), Handler)
    print(f"Listening on {host}:{srv.server_address[1]} (version {VERSION})", file=sys.stderr, flush=True)
    srv.serve_forever()
    return 0


def call(method, path, obj):
    data = json.dumps(obj).encode()
    req = urllib.request.Request(client_base() + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return json.loads(r.read() or b"{}")
    except urllib.error.HTTPError as e:
        msg = e.read().decode(errors="replace")
        try:
            msg = json.loads(msg).get("error", msg)
        except ValueError:
            pass
        raise SystemExit(f"Error: {msg}")
    except urllib.error.URLError as e:
        raise SystemExit(f"Error: could not connect to ollama server at {client_base()}: {e.reason}")


def main(argv):
    if not argv:
        print("Usage: ollama [command]", file=sys.stderr)
        return 1
    cmd, args = argv[0], argv[1:]
    if cmd in ("serve", "start"):
        return serve(args)
    if cmd == "ps" and not args:
        # cmd/cmd.go ListRunningHandler: a table whose first column is NAME.
        req = urllib.request.Request(client_base() + "/api/ps")
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                models = json.loads(r.read() or b"{}").get("models") or []
        except (urllib.error.URLError, OSError) as e:
            raise SystemExit(f"Error: could not connect to ollama server at {client_base()}: {e}")
        print("NAME\tID\tSIZE\tPROCESSOR\tUNTIL")
        for m in models:
            print(f"{m.get('name')}\t-\t-\t100% GPU\tForever")
        return 0
    if cmd == "pull" and len(args) == 1:
        call("POST", "/api/pull", {"model": args[0], "stream": False})
        print("success")
        return 0
    if cmd == "parse-modelfile" and len(args) == 1:
        # Test hook (not an ollama command): the commands ParseFile reads, as JSON, or exit 1.
        try:
            with open(args[0], encoding="utf-8", newline="") as f:
                cmds = parse_modelfile(f.read())
            create_request(cmds, os.path.dirname(os.path.abspath(args[0])))
        except (OSError, ParseError, ValueError) as e:
            print(f"Error: {e}", file=sys.stderr)
            return 1
        print(json.dumps([[n, v] for n, v in cmds]))
        return 0
    if cmd == "create" and len(args) == 3 and args[1] == "-f":
        path = args[2]
        try:
            with open(path, encoding="utf-8", newline="") as f:  # raw CR/LF, as Go reads the file
                cmds = parse_modelfile(f.read())
            req = create_request(cmds, os.path.dirname(os.path.abspath(path)))
        except (OSError, ParseError, ValueError) as e:
            print(f"Error: {e}", file=sys.stderr)
            return 1
        req.update({"model": args[0], "stream": False})
        call("POST", "/api/create", req)
        print("success")
        return 0
    print(f"Error: unknown command or arguments: {' '.join(argv)}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
