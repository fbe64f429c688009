"""Running the engine on a Dask cluster (the ``dask`` extra): same code on every worker, same records.

Each worker rebuilds the pipeline from the engine's blueprint and loads its
models once (cached per worker process). A bounded window of batches is in
flight, so a million documents stream through in flat memory.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from typing import Any

from newsprism.document import Document
from newsprism.engine import process_in_worker

BATCHES_PER_WORKER = 2


def connect(address_or_client: str | Any) -> Any:
    """A ``distributed.Client`` for a scheduler address such as ``tcp://127.0.0.1:8786``."""
    try:
        from distributed import Client
    except ImportError:
        raise RuntimeError("--dask needs the dask extra: pip install 'newsprism[dask]'") from None
    if isinstance(address_or_client, Client):
        return address_or_client
    return Client(address_or_client, timeout="20s")


def pipe_on_dask(
    blueprint: tuple, batches: Iterator[list[Document]], address_or_client: str | Any, ordered: bool = True
) -> Iterator[list[Document]]:
    client = connect(address_or_client)
    try:
        window_size = max(1, BATCHES_PER_WORKER * len(client.scheduler_info()["workers"]))
        window: deque = deque()
        for batch in batches:
            window.append(client.submit(process_in_worker, blueprint, batch, pure=False))
            if len(window) >= window_size:
                yield _next_result(window, ordered)
        while window:
            yield _next_result(window, ordered)
    finally:
        if client is not address_or_client:  # ours to close; a caller's client stays open
            client.close()


def _next_result(window: deque, ordered: bool) -> list[Document]:
    if ordered:
        return window.popleft().result()
    from distributed import wait

    done = next(iter(wait(list(window), return_when="FIRST_COMPLETED").done))
    window.remove(done)
    return done.result()
