"""Stratus's Python runtime (python3.x): standard library only.

Runs inside an execution environment as its own process (``python3 -u bootstrap.py``), imports
the function's handler from LAMBDA_TASK_ROOT and serves invocations from the Lambda Runtime API
at AWS_LAMBDA_RUNTIME_API.

Behaviour follows the Lambda Developer Guide ("Define Lambda function handler in Python",
"Using the Lambda context object to retrieve Python function information", "Log and monitor
Python Lambda functions", "Using the Lambda runtime API for custom runtimes") and the facts of
AWS's runtime interface client (aws/aws-lambda-python-runtime-interface-client):

- handler ``path/to/module.function``: the module path's slashes become dots; LAMBDA_TASK_ROOT is
  first on sys.path.
- init failures go to /runtime/init/error: Runtime.ImportModuleError
  ("Unable to import module 'm': <error>"), Runtime.UserCodeSyntaxError
  ("Syntax error in module 'm': <error>"), Runtime.HandlerNotFound
  ("Handler 'f' missing on module 'm'"), Runtime.MalformedHandlerName ("Bad handler 'h': ...").
- handler errors go to /runtime/invocation/{id}/error as
  ``{"errorMessage", "errorType", "requestId", "stackTrace"}`` and are logged as
  ``[ERROR] Type: message`` followed by the traceback, as one log event.
- print() output becomes log lines as written; the logging module's root handler formats
  ``[LEVEL]\\t<time>Z\\t<request id>\\t<message>``.
- a multi-line log record is written as one line with ``\\r`` for each newline (one log event).
- this runs on the host's interpreter with the packages it has: where ``import boto3`` (or
  botocore) fails, which AWS's runtimes never let happen, the error says so and how to fix it.
"""

import http.client
import importlib
import json
import logging
import os
import sys
import time
import traceback

API = os.environ.get("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9001")
BASE = "/2018-06-01/runtime"

_connection = None
_request_id = None


def _call(method, path, body=None, headers=None):
    global _connection
    for attempt in (0, 1):
        if _connection is None:
            host, port = API.rsplit(":", 1)
            _connection = http.client.HTTPConnection(host, int(port))
        try:
            _connection.request(method, BASE + path, body=body, headers=headers or {})
            response = _connection.getresponse()
            return response.status, response.headers, response.read()
        except (http.client.HTTPException, ConnectionError):
            _connection.close()
            _connection = None
            if attempt == 1:
                raise


def _fence(request_id):
    # Marks the end of the invocation's output on stdout and stderr just before its answer: the
    # engine reads output and answers on different channels and waits for this marker.
    line = "\x00stratus:end:" + request_id + "\n"
    sys.stdout.write(line)
    sys.stdout.flush()
    sys.stderr.write(line)
    sys.stderr.flush()


def _post_error(path, document):
    body = json.dumps(document).encode("utf-8")
    _call("POST", path, body, {
        "Content-Type": "application/json",
        "Lambda-Runtime-Function-Error-Type": document.get("errorType", "Unhandled"),
    })


def _write_event(text):
    sys.stdout.write(text.replace("\r\n", "\r").replace("\n", "\r") + "\n")
    sys.stdout.flush()


class FaultError(Exception):
    def __init__(self, error_type, message, trace=None):
        super().__init__(message)
        self.error_type = error_type
        self.message = message
        self.trace = trace or []


def _error_document(error_type, message, stack, request_id=""):
    return {
        "errorMessage": message,
        "errorType": error_type,
        "requestId": request_id,
        "stackTrace": stack,
    }


# Packages AWS's Python runtimes include and a host's Python may lack.
_RUNTIME_INCLUDED = ("boto3", "botocore")


def _missing_package_advice(error):
    if not isinstance(error, ModuleNotFoundError):
        return ""
    package = (getattr(error, "name", None) or "").split(".")[0]
    if package not in _RUNTIME_INCLUDED:
        return ""
    return (". AWS's Python runtimes include {0}, but Stratus runs this function on the host's Python ({1}), "
            "which does not have it: install it there ({1} -m pip install boto3), or add it to the function's "
            "package or to a layer (python/)".format(package, sys.executable))


def _load_handler():
    handler = os.environ.get("_HANDLER", "")
    try:
        modname, fname = handler.rsplit(".", 1)
    except ValueError as e:
        raise FaultError("Runtime.MalformedHandlerName", "Bad handler '{}': {}".format(handler, e))
    modname = modname.replace("/", ".")
    try:
        if modname.split(".")[0] in sys.builtin_module_names:
            raise FaultError("Runtime.BuiltInModuleConflict",
                             "Cannot use built-in module {} as a handler module".format(modname))
        module = importlib.import_module(modname)
    except ImportError as e:
        raise FaultError("Runtime.ImportModuleError",
                         "Unable to import module '{}': {}{}".format(modname, e, _missing_package_advice(e)))
    except SyntaxError as e:
        trace = ['  File "%s" Line %s\n    %s' % (e.filename, e.lineno, e.text)]
        raise FaultError("Runtime.UserCodeSyntaxError", "Syntax error in module '{}': {}".format(modname, e), trace)
    try:
        return getattr(module, fname)
    except AttributeError:
        raise FaultError("Runtime.HandlerNotFound", "Handler '{}' missing on module '{}'".format(fname, modname))


class LambdaContext:
    def __init__(self, headers):
        self.aws_request_id = headers.get("Lambda-Runtime-Aws-Request-Id", "")
        self.invoked_function_arn = headers.get("Lambda-Runtime-Invoked-Function-Arn", "")
        self._deadline_ms = int(headers.get("Lambda-Runtime-Deadline-Ms", "0") or 0)
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.identity = _json_or_none(headers.get("Lambda-Runtime-Cognito-Identity"))
        self.client_context = _json_or_none(headers.get("Lambda-Runtime-Client-Context"))

    def get_remaining_time_in_millis(self):
        return max(0, self._deadline_ms - int(time.time() * 1000))

    def __repr__(self):
        return "LambdaContext([aws_request_id={},function_name={},function_version={}])".format(
            self.aws_request_id, self.function_name, self.function_version)


def _json_or_none(text):
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


class _LambdaLogHandler(logging.Handler):
    def emit(self, record):
        try:
            _write_event(self.format(record))
        except Exception:
            self.handleError(record)


class _RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.aws_request_id = _request_id
        return True


def _install_logging():
    handler = _LambdaLogHandler()
    formatter = logging.Formatter(
        "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s", "%Y-%m-%dT%H:%M:%S")
    formatter.converter = time.gmtime
    handler.setFormatter(formatter)
    handler.addFilter(_RequestIdFilter())
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)


def _log_fault(error_type, message, trace):
    _write_event("[ERROR] {}: {}\n{}".format(error_type, message, "".join(trace)).rstrip("\n"))


def main():
    global _request_id
    task_root = os.environ.get("LAMBDA_TASK_ROOT", os.getcwd())
    if task_root not in sys.path:
        sys.path.insert(0, task_root)
    _install_logging()
    try:
        handler = _load_handler()
    except FaultError as fault:
        _log_fault(fault.error_type, fault.message, ["Traceback (most recent call last):\n"] + fault.trace if fault.trace else [])
        _post_error("/init/error", _error_document(fault.error_type, fault.message, fault.trace))
        sys.exit(1)
    except Exception as e:  # an exception raised by the module's own top-level code
        stack = traceback.format_list(traceback.extract_tb(e.__traceback__))
        error_type = type(e).__name__
        _log_fault(error_type, str(e), ["Traceback (most recent call last):\n"] + stack)
        _post_error("/init/error", _error_document(error_type, str(e), stack))
        sys.exit(1)

    while True:
        status, headers, body = _call("GET", "/invocation/next")
        if status != 200:
            raise RuntimeError("Runtime API answered {} to /invocation/next".format(status))
        context = LambdaContext(headers)
        _request_id = context.aws_request_id
        trace_id = headers.get("Lambda-Runtime-Trace-Id")
        if trace_id:
            os.environ["_X_AMZN_TRACE_ID"] = trace_id
        else:
            os.environ.pop("_X_AMZN_TRACE_ID", None)
        try:
            event = json.loads(body) if body else {}
        except ValueError:
            event = body.decode("utf-8", "replace")
        try:
            result = handler(event, context)
        except Exception as e:
            tb = traceback.extract_tb(e.__traceback__)[1:]  # drop this bootstrap's own frame
            stack = traceback.format_list(tb)
            error_type = type(e).__name__
            message = str(e) + _missing_package_advice(e)
            _log_fault(error_type, message, ["Traceback (most recent call last):\n"] + stack)
            _fence(_request_id)
            _post_error("/invocation/{}/error".format(_request_id),
                        _error_document(error_type, message, stack, _request_id))
            continue
        try:
            payload = json.dumps(result).encode("utf-8")
        except (TypeError, ValueError) as e:
            message = "Unable to marshal response: {}".format(e)
            _log_fault("Runtime.MarshalError", message, [])
            _fence(_request_id)
            _post_error("/invocation/{}/error".format(_request_id),
                        _error_document("Runtime.MarshalError", message, [], _request_id))
            continue
        _fence(_request_id)
        _call("POST", "/invocation/{}/response".format(_request_id), payload,
              {"Content-Type": "application/json"})


if __name__ == "__main__":
    try:
        main()
    except (ConnectionError, http.client.HTTPException, OSError) as e:
        # The Runtime API went away (Stratus stopped): nothing left to serve.
        sys.stderr.write("Stratus runtime: {}\n".format(e))
        sys.exit(1)
