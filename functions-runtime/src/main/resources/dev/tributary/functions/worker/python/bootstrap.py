"""Tributary's python worker, and the zygotes that fork workers.

Worker: connects to the server's Unix socket, loads the user's handler, says hello and then runs
one activation at a time (line-delimited JSON, see the worker protocol). Prints are captured in
process, never written to the real stdout/stderr.

Zygote (--zygote): a pre-initialised process that forks workers on request, so a cold worker skips
the interpreter start (runtime zygote) and, for a function zygote, the import of the user's module
too. A zygote talks to the server over its own connection:
  server -> zygote: {"fork": {"token", "scratch", "log", "env", "code", "handler", "module", "memory_bytes"}}
                    {"zygote": {same fields}}   (runtime zygote only: fork a function zygote)
  zygote -> server: {"forked": token, "pid": n} | {"fork_failed": token, "error": "..."}
                    {"exited": pid, "code": n} | {"exited": pid, "signal": n}   (a child it forked ended)
The forked child starts its own session, takes the environment, scratch directory and memory limit
it is given, connects with its token and says hello like any worker. A function zygote keeps one
spare child forked ahead (connected, waiting on a pipe for a fork request's settings, which it then
applies as above), so a cold start does not wait for fork() and its copy-on-write faults; right after
handing it out the zygote forks the next. The spare stays in the zygote's process group and dies
with it (PR_SET_PDEATHSIG, and EOF on its pipe).

Started with -I -S: no site processing (.pth files cost tens of ms on some installs); the
interpreter's site-packages directories are put on sys.path by hand instead. A fresh worker's
start is mostly imports, so the bootstrap uses the C modules _socket and _json rather than socket
and json (which pull in re, enum and selectors: ~18 ms); the runtime zygote pre-imports common
modules once instead, for the workers it forks.
"""
import io
import os
import sys
import time

LOG_LIMIT = 65536
LOG_MARKER = "\n[log truncated: activation logs are kept up to 64 KiB]\n"
RESULT_LIMIT = 1048576
# A function zygote forks its next spare after this long (s) without messages, not right after handing one out:
# on two cores the fork then does not compete with the handed-out child's setup and hello (~0.3 ms of p50).
SPARE_AFTER_IDLE = 0.001
ZYGOTE_PRELOAD = ("json", "re", "base64", "datetime", "hashlib", "collections", "functools", "socket", "signal",
                  "select", "threading", "traceback", "resource", "ctypes")


def _not_serialisable(value):
    raise TypeError("Object of type %s is not JSON serializable" % type(value).__name__)


try:
    import _json

    class _ScannerContext:
        strict = True
        object_hook = None
        object_pairs_hook = None
        parse_float = float
        parse_int = int
        memo = None

        @staticmethod
        def parse_constant(name):
            return float(name)

    _scan = _json.make_scanner(_ScannerContext())
    _make_encoder = _json.make_encoder
    _encode_string = _json.encode_basestring

    def _loads(text):
        value, _ = _scan(text, 0)
        return value

    def _dumps_string(value):
        return _encode_string(value) if type(value) is str else _dumps(value)

    def _dumps(value):
        # A new encoder per value: its circular-reference markers are left dirty when encoding fails.
        return "".join(_make_encoder({}, _not_serialisable, _encode_string, None, ":", ",", False, False, False)(value, 0))
except (ImportError, AttributeError):  # not CPython: the json module does the same, a little slower to import
    import json

    _loads = json.loads
    _dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode
    _dumps_string = _dumps


class Capture(io.TextIOBase):
    """Collects what the code prints during one activation, up to LOG_LIMIT UTF-8 bytes."""

    def __init__(self, shared=None):
        self._shared = shared
        if shared is None:
            self.parts = []
            self.size = 0
            self.cut = False
        self.buffer = _BinaryCapture(self)

    def _target(self):
        return self._shared if self._shared is not None else self

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError("write() argument must be str, not " + type(text).__name__)
        self.write_bytes(text.encode("utf-8", "replace"))
        return len(text)

    def write_bytes(self, data):
        target = self._target()
        if target.cut or not data:
            return
        room = LOG_LIMIT - target.size
        if len(data) > room:
            data = data[:room]
            target.cut = True
        target.parts.append(data)
        target.size += len(data)

    def take(self):
        target = self._target()
        if not target.parts and not target.cut:
            return ""
        text = b"".join(target.parts).decode("utf-8", "ignore")
        if target.cut:
            text += LOG_MARKER
        target.parts = []
        target.size = 0
        target.cut = False
        return text

    def writable(self):
        return True

    def isatty(self):
        return False

    @property
    def encoding(self):
        return "utf-8"

    @property
    def errors(self):
        return "replace"

    def flush(self):
        pass


class _BinaryCapture(io.RawIOBase):
    def __init__(self, text):
        self._text = text

    def writable(self):
        return True

    def write(self, data):
        self._text.write_bytes(bytes(data))
        return len(data)


class Context:
    """The Lambda-style context object."""

    __slots__ = ("function_name", "activation_id", "idempotency_key", "attempt", "deadline_ms")

    def __init__(self, fields):
        self.function_name = fields.get("function_name")
        self.activation_id = fields.get("activation_id")
        self.idempotency_key = fields.get("idempotency_key")
        self.attempt = fields.get("attempt")
        self.deadline_ms = fields.get("deadline_ms") or 0

    def get_remaining_time_in_millis(self):
        return max(0, int(self.deadline_ms - time.time() * 1000))


class LoadError(Exception):
    def __init__(self, type_name, message):
        super().__init__(message)
        self.type_name = type_name


def load_handler(code, handler, default_module):
    """Imports the module and returns (function, takes_context)."""
    if code not in sys.path:
        sys.path.insert(0, code)
    module_name, _, function_name = handler.rpartition(".")
    module_name = module_name or default_module
    module = __import__(module_name, fromlist=["_"])
    function = getattr(module, function_name, None)
    if function is None or not callable(function):
        raise LoadError("FunctionError", "the module '%s' has no function '%s' (handler '%s')"
                        % (module_name, function_name, handler))
    code_object = getattr(function, "__code__", None)
    if code_object is not None:
        count = code_object.co_argcount - (1 if hasattr(function, "__self__") else 0)
    else:
        import inspect
        count = len(inspect.signature(function).parameters)
    if count not in (1, 2):
        raise LoadError("FunctionError", "the handler '%s' takes %d parameters, but it must take (args) "
                        "or (event, context)" % (handler, count))
    return function, count == 2


def error_of(exc):
    message = str(exc)
    if not message and isinstance(exc, MemoryError) and _memory_limit:
        message = "out of memory: the worker's address space is limited to %d MB" % (_memory_limit >> 20)
    return {"type": getattr(exc, "type_name", None) or type(exc).__name__, "message": message}


class Worker:
    def __init__(self, sock, capture, function, takes_context):
        self.sock = sock
        self.capture = capture
        self.function = function
        self.takes_context = takes_context

    def serve(self):
        for message in messages(self.sock):
            if "invoke" in message:
                self.sock.sendall(self.run(message))
        os._exit(0)

    def run(self, message):
        activation = message["invoke"]
        context_fields = message.get("context") or {}
        capture = self.capture
        capture.take()
        try:
            if self.takes_context:
                result = self.function(message.get("input"), Context(context_fields))
            else:
                result = self.function(message.get("input"))
            if result is not None and hasattr(result, "__await__"):
                import asyncio
                result = asyncio.run(_awaited(result))
        except BaseException as exc:  # the worker lives on: SystemExit and friends fail the activation only
            return self.failed(activation, error_of(exc))
        try:
            encoded = b"null" if result is None else _dumps(result).encode("utf-8")
        except (TypeError, ValueError, UnicodeError) as exc:
            return self.failed(activation, {"type": "FunctionError", "message": "the result of function '%s' cannot "
                                            "be serialised to JSON: %s" % (context_fields.get("function_name"), exc)})
        if len(encoded) > RESULT_LIMIT:
            return self.failed(activation, {"type": "LimitExceeded", "message": "the result of function '%s' is over "
                                            "the limit 'function result' of %d bytes"
                                            % (context_fields.get("function_name"), RESULT_LIMIT)})
        return b"".join((b'{"done":', _dumps_string(activation).encode("utf-8"), b',"ok":true,"result":', encoded,
                         b',"logs":', _dumps_string(capture.take()).encode("utf-8"), b"}\n"))

    def failed(self, activation, error):
        try:
            logs = self.capture.take()
        except BaseException:
            logs = ""
        return encode_line({"done": activation, "ok": False, "error": error, "logs": logs})


async def _awaited(awaitable):
    return await awaitable


def encode_line(message):
    return (_dumps(message) + "\n").encode("utf-8", "replace")


def send(sock, message):
    sock.sendall(encode_line(message))


def messages(sock):
    """The messages arriving on sock, one per line, until the server closes it."""
    parts = []
    while True:
        data = sock.recv(1 << 16)
        if not data:
            return
        while True:
            end = data.find(b"\n")
            if end < 0:
                parts.append(data)
                break
            parts.append(data[:end])
            line = b"".join(parts)
            parts = []
            data = data[end + 1:]
            if line.strip():
                yield _loads(line.decode("utf-8"))


def connect(path):
    import _socket
    sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    sock.connect(path)
    return sock


_memory_limit = 0


def limit_memory(memory_bytes):
    global _memory_limit
    if memory_bytes:
        _memory_limit = memory_bytes
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))


def load_or_hello_error(sock_path, token, capture, code, handler, module):
    """Loads the handler; on failure tells the server (hello ok:false) and exits."""
    try:
        return load_handler(code, handler, module)
    except BaseException as exc:
        sock = connect(sock_path)
        send(sock, {"hello": token, "pid": os.getpid(), "ok": False, "error": error_of(exc), "logs": capture.take()})
        os._exit(1)


def run_worker(sock_path, token, capture, code, handler, module):
    function, takes_context = load_or_hello_error(sock_path, token, capture, code, handler, module)
    become_worker(sock_path, token, capture, function, takes_context)


def become_worker(sock_path, token, capture, function, takes_context, sock=None):
    sock = sock or connect(sock_path)
    logs = capture.take()
    hello = {"hello": token, "pid": os.getpid(), "ok": True}
    if logs:
        hello["logs"] = logs
    send(sock, hello)
    Worker(sock, capture, function, takes_context).serve()


class Zygote:
    """Forks workers (and, as the runtime zygote, function zygotes) on request; reaps its children."""

    def __init__(self, sock_path, sock, capture, loaded):
        import select
        import signal
        self.select = select.select
        self.signal = signal
        self.sock_path = sock_path
        self.sock = sock
        self.capture = capture
        self.loaded = loaded  # (function, takes_context) in a function zygote, None in the runtime zygote
        self.children = {}
        self.want_spare = False
        self.spare = None  # (pid, write end of its settings pipe) in a function zygote
        self.left = False  # True in a child once it let go of the zygote's resources
        self.pid = os.getpid()
        self.wake_read, self.wake_write = os.pipe()
        os.set_blocking(self.wake_read, False)
        os.set_blocking(self.wake_write, False)
        signal.set_wakeup_fd(self.wake_write)
        signal.signal(signal.SIGCHLD, lambda number, frame: None)
        # Bound once here: building a ctypes function in each child after the fork costs ~0.3 ms.
        self.prctl = libc_prctl()
        if self.prctl is not None:
            self.prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER: adopt orphaned grandchildren, keep them visible and reaped

    def serve(self):
        import gc
        gc.freeze()  # what is loaded now is shared with every child: keep the collector from touching (copying) it
        self.make_spare()
        pending = b""
        while True:
            ready = self.select([self.sock, self.wake_read], [], [], SPARE_AFTER_IDLE if self.want_spare else None)[0]
            if not ready and self.want_spare:
                self.want_spare = False
                self.make_spare()
                continue
            if self.wake_read in ready:
                try:
                    os.read(self.wake_read, 4096)
                except BlockingIOError:
                    pass
                self.reap()
            if self.sock in ready:
                data = self.sock.recv(1 << 16)
                if not data:
                    os._exit(0)
                pending += data
                while b"\n" in pending:
                    line, pending = pending.split(b"\n", 1)
                    if line.strip():
                        self.handle(_loads(line.decode("utf-8")))

    def handle(self, message):
        spec = message.get("fork") or message.get("zygote")
        if spec is None:
            return
        token = spec["token"]
        if "fork" in message and self.hand_out(message):
            self.want_spare = True  # forked once the zygote has been idle a moment: see SPARE_AFTER_IDLE
            return
        try:
            pid = os.fork()
        except OSError as exc:
            send(self.sock, {"fork_failed": token, "error": str(exc)})
            return
        if pid == 0:
            self.run_child(lambda: self.child(spec, "zygote" in message))
        self.children[pid] = token
        send(self.sock, {"forked": token, "pid": pid})
        if self.loaded is not None and self.spare is None:
            self.want_spare = False
            self.make_spare()

    def run_child(self, body):
        status = 1
        try:
            body()
            status = 0
        except BaseException:
            import traceback
            traceback.print_exc(file=sys.__stderr__)
        finally:
            os._exit(status)

    def make_spare(self):
        """A function zygote keeps one child forked ahead, waiting for its settings: a cold start then skips
        the fork. The spare is in the zygote's process group and dies with it (scale to zero)."""
        if self.loaded is None:
            return
        settings_read, settings_write = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(settings_read)
            os.close(settings_write)
            return
        if pid == 0:
            os.close(settings_write)
            self.run_child(lambda: self.spare_child(settings_read))
        os.close(settings_read)
        self.spare = (pid, settings_write)

    def hand_out(self, message):
        """Sends a fork request's settings to the waiting spare; False if there is none (or it is gone)."""
        if self.spare is None:
            return False
        pid, settings_write = self.spare
        self.spare = None
        token = message["fork"]["token"]
        try:
            line = encode_line(message)
            while line:
                line = line[os.write(settings_write, line):]
        except OSError:
            return False  # the spare died: reap() collects it
        finally:
            os.close(settings_write)
        self.children[pid] = token
        send(self.sock, {"forked": token, "pid": pid})
        return True

    def spare_child(self, settings_read):
        self.leave_zygote()
        # Connected ahead too (the server waits for a hello before it trusts a connection): one step less
        # when the settings come. Nothing else happens before them, above all no user code.
        sock = connect(self.sock_path)
        parts = []
        while True:
            data = os.read(settings_read, 1 << 16)
            if not data:
                break
            parts.append(data)
        os.close(settings_read)
        if not parts:
            os._exit(0)  # the zygote stopped (or never handed this spare out)
        message = _loads(b"".join(parts).decode("utf-8"))
        self.child(message["fork"], False, sock)

    def reap(self):
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            if self.spare is not None and self.spare[0] == pid:
                os.close(self.spare[1])  # the spare died waiting: the next fork request forks directly
                self.spare = None
                continue
            if self.children.pop(pid, None) is None:
                continue  # an orphan we adopted as subreaper
            if os.WIFSIGNALED(status):
                send(self.sock, {"exited": pid, "signal": os.WTERMSIG(status)})
            else:
                send(self.sock, {"exited": pid, "code": os.waitstatus_to_exitcode(status)})

    def leave_zygote(self):
        """In a forked child: dies with the zygote, drops the zygote's signal handling and connection."""
        if self.left:
            return
        self.left = True
        die_with_parent(self.prctl, self.pid)
        self.signal.set_wakeup_fd(-1)
        self.signal.signal(self.signal.SIGCHLD, self.signal.SIG_DFL)
        os.close(self.wake_read)
        os.close(self.wake_write)
        self.sock.close()

    def child(self, spec, as_zygote, sock=None):
        self.leave_zygote()
        os.setsid()
        log = os.open(spec["log"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.close(log)
        os.chdir(spec["scratch"])
        os.environ.clear()
        os.environ.update(spec["env"])
        limit_memory(spec.get("memory_bytes"))
        capture = self.capture
        capture.take()
        token = spec["token"]
        if self.loaded is not None:
            become_worker(self.sock_path, token, capture, *self.loaded, sock=sock)
            return
        loaded = load_or_hello_error(self.sock_path, token, capture, spec["code"], spec["handler"], spec["module"])
        if not as_zygote:
            become_worker(self.sock_path, token, capture, *loaded)
            return
        sock = connect(self.sock_path)
        import threading
        if threading.active_count() > 1:
            # Forking a process with threads copies locks held by threads that do not exist in the child.
            send(sock, {"hello": token, "pid": os.getpid(), "ok": False, "error": {
                "type": "NotForkable", "message": "the module started %d threads while it was imported"
                                                  % (threading.active_count() - 1)}, "logs": capture.take()})
            os._exit(0)
        send(sock, {"hello": token, "pid": os.getpid(), "ok": True, "zygote": True})
        Zygote(self.sock_path, sock, capture, loaded).serve()


def libc_prctl():
    """prctl(2) through ctypes, or None where that is not available."""
    try:
        import ctypes
        return ctypes.CDLL(None, use_errno=True).prctl
    except Exception:
        return None


def die_with_parent(prctl, parent):
    """A forked child dies with its zygote (which exits when the server goes), so no worker outlives the server."""
    if prctl is None:
        return
    prctl(1, 9, 0, 0, 0)  # PR_SET_PDEATHSIG, SIGKILL
    if os.getppid() != parent:  # the zygote died before the request took effect
        os._exit(1)


def add_site_packages():
    import site
    for directory in site.getsitepackages():
        if directory not in sys.path and os.path.isdir(directory):
            sys.path.append(directory)


def arguments(argv):
    values = {}
    i = 0
    while i < len(argv):
        if argv[i] == "--zygote":
            values["zygote"] = True
            i += 1
        else:
            values[argv[i][2:].replace("-", "_")] = argv[i + 1]
            i += 2
    return values


def main():
    # Set for the interpreter's start only, so glibc keeps threads to two malloc arenas (64 MB of address space each).
    os.environ.pop("MALLOC_ARENA_MAX", None)
    args = arguments(sys.argv[1:])
    if sys.flags.no_site:
        add_site_packages()
    capture = Capture()
    sys.stdout = capture
    sys.stderr = Capture(capture)
    if args.get("zygote"):
        for name in ZYGOTE_PRELOAD:
            try:
                __import__(name)
            except ImportError:
                pass
        sock = connect(args["socket"])
        send(sock, {"hello": args["token"], "pid": os.getpid(), "ok": True, "zygote": True})
        Zygote(args["socket"], sock, capture, None).serve()
        return
    limit_memory(int(args.get("memory_bytes", "0")))
    run_worker(args["socket"], args["token"], capture, args["code"], args["handler"], args["module"])


if __name__ == "__main__":
    main()
