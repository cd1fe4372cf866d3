"""
Execute, sign and render the project's notebooks in one Python process: scripts/notebooks.ts starts it
with Jupyter's Python and the project-local JUPYTER_* folders, for one notebook or, in `npm run reproduce`,
for all of them.

What `jupyter nbconvert --to notebook --execute --allow-errors`, `jupyter trust` and `jupyter nbconvert
--to html` did in three processes per notebook, with the same nbclient, nbformat and nbconvert code:
nbconvert's ExecutePreprocessor loop (here on nbclient's async API, so that several notebooks execute side by
side, each with its own kernel), nbconvert's coalesce_streams, the executed copy numbered and written as
nbformat writes it, signed with nbformat's NotebookNotary (the `.jupyter/` secret and database), and
rendered with nbconvert's HTMLExporter (its default template) with SVG outputs drawn as <img>s.

Protocol: one JSON request per line on stdin, one JSON reply per line on stdout (the driver's own fd 1 is
reserved for them: anything else printed goes to stderr). Requests are served concurrently and answered as
they finish, in any order; at the end of stdin the driver finishes what it has and exits.

    execute: {"id", "notebook", "output", "kernel", "timeout", "env", "ports", "html"}
        run `notebook` with kernel `kernel` (working directory: the notebook's folder; environment: the
        driver's with `env` on top; the kernel's five ZeroMQ ports `ports`, or jupyter_client's choice when
        null), each cell within `timeout` seconds, errors in cells kept as outputs; write the executed copy
        to `output`, sign it, and when `html` is a folder and no cell failed, render <name>.html there.
        Reply {"id", "ok", "errors", "log", "html"}: ok is false when the notebook could not be run to its
        end (kernel failed to start or died, a cell timed out), with the reason in `log`; `errors` lists
        the error outputs and error-like stderr streams of its cells.
    html: {"id", "notebook", "html"}
        render an executed copy `notebook` to <name>.html in the folder `html`. Reply {"id", "ok", "log",
        "html"}.
"""

import asyncio
import base64
import copy
import datetime
import io
import json
import logging
import os
import re
import signal
import sys
import tempfile
import traceback
from concurrent.futures import ThreadPoolExecutor

import nbformat
from jupyter_client.utils import ensure_async
from nbclient import NotebookClient
from nbconvert import HTMLExporter
from nbconvert.preprocessors.coalescestreams import coalesce_streams
from nbformat.sign import NotebookNotary
from traitlets.config import Config

# The five ZeroMQ ports of a kernel, in the order the caller lists them (jupyter_client's names).
KERNEL_PORT_NAMES = ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")

# A stderr stream that reports an error: the word, or a TypeScript diagnostic "line:col - message".
STDERR_ERROR = re.compile(r"error|^\d+:\d+ - ", re.IGNORECASE | re.MULTILINE)

SVG_SIZE = re.compile(r'<svg[^>]*\swidth="(\d+(?:\.\d+)?)"[^>]*\sheight="(\d+(?:\.\d+)?)"')


def svg_as_img(svg):
    """
    An SVG output as HTML that draws it: <img src="data:image/svg+xml;base64,…"> with the SVG's size.
    nbconvert 6 passes inline SVG through its HTML sanitiser, which strips every SVG element
    (jupyter/nbconvert#1849); nbconvert 7.7 writes SVG this way itself (jupyter/nbconvert#2018). An SVG in
    an <img> cannot run scripts.
    """
    size = SVG_SIZE.search(svg)
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return f'<img class="fedpg-static" src="data:image/svg+xml;base64,{data}"' + (f' width="{size[1]}" height="{size[2]}"' if size else "") + ">"


def with_svg_as_img(nb):
    """A copy of an executed notebook whose SVG outputs are <img>s (svg_as_img), for the HTML copy."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data")
            if not data or "image/svg+xml" not in data:
                continue
            converted = {"text/html": svg_as_img(data["image/svg+xml"])}
            if data.get("text/plain"):
                converted["text/plain"] = data["text/plain"]
            out["data"] = nbformat.from_dict(converted)
    return nb


def cell_errors(nb):
    """The error outputs and the stderr streams that report an error, as `cell <index>: …` lines."""
    errors = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.output_type == "error":
                errors.append(f"cell {i}: {out.ename}: {out.evalue}")
            if out.output_type == "stream" and out.name == "stderr" and STDERR_ERROR.search(out.text):
                errors.append(f"cell {i} stderr: {out.text.strip()}")
    return errors


def number_cells(nb):
    """
    Give the code cells of a notebook run top to bottom the counts 1, 2, … (tslab's replies carry no
    execution count that nbclient keeps, so the executed copy looked as if it had never run).
    """
    n = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        n += 1
        if cell.get("execution_count") is None:
            cell.execution_count = n
        for out in cell.get("outputs", []):
            if out.output_type == "execute_result" and out.get("execution_count") is None:
                out.execution_count = n


class Driver:
    """Serves requests; the steps after a notebook's execution run on one worker thread, in order."""

    def __init__(self, replies):
        self.replies = replies
        # One thread: the trust database's SQLite connection is used only in the thread that opened it, and
        # rendering a notebook (≈ 0.3 s of Python) does not hold up the messages of the other running kernel.
        self.worker = ThreadPoolExecutor(max_workers=1)
        self.notary = None
        self.exporter = None
        self.stopping = False

    def reply(self, message):
        try:
            self.replies.write(json.dumps(message) + "\n")
            self.replies.flush()
        except OSError:
            pass  # the caller is gone (interrupted with it): nobody to tell

    async def serve(self, request):
        try:
            if request.get("output"):
                self.reply(await self.execute(request))
            else:
                path = await asyncio.get_running_loop().run_in_executor(self.worker, self.render, request["notebook"], request["html"])
                self.reply({"id": request["id"], "ok": True, "log": "", "html": path})
        except Exception:
            self.reply({"id": request.get("id"), "ok": False, "errors": [], "log": traceback.format_exc(), "html": None})

    async def execute(self, request):
        """nbconvert's ExecutePreprocessor.preprocess, awaited; then finish() on the worker thread."""
        log_text = io.StringIO()
        log = logging.getLogger(f"notebook-{request['id']}")
        log.propagate = False
        log.setLevel(logging.INFO)
        handler = logging.StreamHandler(log_text)
        handler.setFormatter(logging.Formatter("[%(levelname)s] %(message)s"))
        log.addHandler(handler)
        config = Config()
        for name, port in zip(KERNEL_PORT_NAMES, request.get("ports") or []):
            setattr(config.KernelManager, name, port)
        nb = nbformat.read(request["notebook"], as_version=4)
        client = NotebookClient(
            nb,
            config=config,
            log=log,
            kernel_name=request["kernel"],
            timeout=request["timeout"],
            allow_errors=True,
            resources={"metadata": {"path": os.path.dirname(os.path.abspath(request["notebook"]))}},
        )
        env = {**os.environ, **request.get("env", {})}
        failure = ""
        # The kernel's own output (tslab's messages, a crash) goes to a file of its own, read into the log.
        with tempfile.TemporaryFile() as kernel_output:
            try:
                # nbclient's async_setup_kernel, without the SIGINT/SIGTERM handlers it installs per notebook
                # (with two notebooks in one event loop each would replace the other's): the driver's own
                # handler cancels every execution, and the kernel is shut down here as nbclient does it.
                client.reset_execution_trackers()
                client.km = client.create_kernel_manager()
                try:
                    await client.async_start_new_kernel(env=env, stdout=kernel_output, stderr=kernel_output)
                    await client.async_start_new_kernel_client()
                    info = await client.async_wait_for_reply(await ensure_async(client.kc.kernel_info()))
                    nb.metadata["language_info"] = info["content"]["language_info"]
                    for index, cell in enumerate(nb.cells):
                        await client.async_execute_cell(cell, index, store_history=True)
                finally:
                    if client.km is not None:
                        await client._async_cleanup_kernel()
                client.set_widgets_metadata()
            except (Exception, asyncio.CancelledError):
                failure = ("interrupted: the driver received SIGINT or SIGTERM\n" if self.stopping else "") + traceback.format_exc()
            finally:
                log.removeHandler(handler)
            kernel_output.seek(0)
            said = kernel_output.read().decode("utf-8", "replace")
        log_text = log_text.getvalue() + (f"kernel output:\n{said}" if said.strip() else "") + failure
        if failure:
            return {"id": request["id"], "ok": False, "errors": [], "log": log_text, "html": None}
        errors, html = await asyncio.get_running_loop().run_in_executor(self.worker, self.finish, nb, request["output"], request.get("html"))
        return {"id": request["id"], "ok": True, "errors": errors, "log": log_text, "html": html}

    def finish(self, nb, output, html_dir):
        """Coalesce streams (as nbconvert does), check, number, write and sign the copy; render it if clean."""
        nb, _ = coalesce_streams(nb, {})
        errors = cell_errors(nb)
        number_cells(nb)
        os.makedirs(os.path.dirname(os.path.abspath(output)), exist_ok=True)
        text = nbformat.writes(nb, version=4)
        with open(output, "w", encoding="utf-8") as f:
            f.write(text + ("" if text.endswith("\n") else "\n"))
        # Sign what a reader of the file gets (the signature is over the notebook's content, not its bytes).
        written = nbformat.reads(text, as_version=4)
        if self.notary is None:
            self.notary = NotebookNotary()
        self.notary.sign(written)
        return errors, (self.render_node(written, output, html_dir) if html_dir and not errors else None)

    def render(self, executed, html_dir):
        return self.render_node(nbformat.read(executed, as_version=4), executed, html_dir)

    def render_node(self, nb, executed, html_dir):
        """`jupyter nbconvert --to html` of the copy with SVG outputs as <img>s: the same exporter and resources."""
        if self.exporter is None:
            self.exporter = HTMLExporter()
        name = os.path.splitext(os.path.basename(executed))[0]
        modified = datetime.datetime.fromtimestamp(os.path.getmtime(executed))
        resources = {
            "unique_key": name,
            "output_files_dir": f"{name}_files",
            "metadata": {"name": name, "path": os.path.dirname(executed), "modified_date": modified.strftime("%B %-d, %Y")},
        }
        body, _ = self.exporter.from_notebook_node(with_svg_as_img(nb), resources=resources)
        os.makedirs(html_dir, exist_ok=True)
        path = os.path.join(os.path.abspath(html_dir), f"{name}.html")
        with open(path, "w", encoding="utf-8") as f:
            f.write(body)
        return path


async def main(replies):
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=2**24)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    driver = Driver(replies)
    tasks = set()

    def stop():
        """SIGINT or SIGTERM: no more requests; every execution stops and shuts its kernel down."""
        driver.stopping = True
        reader.feed_eof()
        for task in tasks:
            task.cancel()

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop)
    while line := await reader.readline():
        if line.strip():
            task = asyncio.ensure_future(driver.serve(json.loads(line)))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
    if tasks:
        await asyncio.wait(tasks)
    driver.worker.shutdown()


if __name__ == "__main__":
    # Replies get fd 1 to themselves; what libraries print goes to stderr.
    replies = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    asyncio.run(main(replies))
