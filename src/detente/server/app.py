"""The HTTP API and dashboard: ``create_app(settings)`` -> a FastAPI app; ``detente serve`` runs it.

Routes are thin over the Python API (``Store``, ``detente.analysis``, ``detente.api.ingest``). Each
read opens the store read-only for the length of the request, so an ``ingest`` in another process
can write between requests (and readers wait while it holds the lock). In this process, reads share
and ``POST /articles`` excludes them: DuckDB cannot hold a read-only and a read-write connection to
one file in one process at once.
"""

from __future__ import annotations

import datetime as dt
import hmac
import io
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError
from starlette.concurrency import run_in_threadpool

from .. import __version__, api
from ..analysis import to_json
from ..errors import DetenteError, E
from ..ingest.text import parse_date as parse_article_date
from ..settings import Settings
from ..store import Store
from .queries import Actors, EventFilter, events_page, jsonable, records

MAX_PAGE_SIZE = 500
MAX_EXPORT_ROWS = 100_000
MAX_BODY_BYTES = 2_000_000
MAX_DOCUMENTS = 200
FACTUALITY = Literal["asserted", "hedged", "negated", "intent"]
Code = Annotated[str, PathParam(min_length=1, max_length=16, description="ISO 3166-1 alpha-3 code, e.g. PRK")]


BAD = {400: {"description": "bad parameter: {\"code\": \"E3xx/E4xx\", \"detail\": message}"}}


class ApiError(Exception):
    """A 4xx answer with a numbered message from :class:`detente.errors.E`."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers


class Document(BaseModel):
    """One article to ingest: the fields of a JSONL input line."""

    model_config = ConfigDict(extra="ignore")
    text: str = Field(min_length=1, max_length=1_000_000)
    id: str | None = Field(default=None, max_length=200)
    date: str | None = Field(default=None, max_length=40, description="YYYY-MM-DD")
    title: str | None = Field(default=None, max_length=2000)
    url: str | None = Field(default=None, max_length=4000)
    source: str | None = Field(default=None, max_length=400)


DOCUMENTS = TypeAdapter(list[Document])


class ReadWriteLock:
    """Many readers or one writer (in this process)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writer = False

    @contextmanager
    def read(self) -> Iterator[None]:
        with self._cond:
            while self._writer:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextmanager
    def write(self) -> Iterator[None]:
        with self._cond:
            while self._writer or self._readers:
                self._cond.wait()
            self._writer = True
        try:
            yield
        finally:
            with self._cond:
                self._writer = False
                self._cond.notify_all()


# ------------------------------------------------------------------------------ parameter checks
def parse_date(name: str, value: str | None) -> dt.date | None:
    if value is None or value == "":
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ApiError(400, "E304", E.E304.format(value=value)) from None


def _store(request: Request) -> Iterator[Store]:
    """The store, read-only, for one request (shared with other reads in this process)."""
    state = request.app.state
    with state.lock.read(), Store(state.db, read_only=True) as s:
        yield s


StoreDep = Annotated[Store, Depends(_store)]


def web_asset(name: str) -> Path:
    return Path(str(files("detente") / "web" / name))


def create_app(settings: Settings | None = None, actors: Actors | None = None) -> FastAPI:
    """The FastAPI app over ``settings.db``; the store is created (empty) if it does not exist and
    migrated if it is older than this version."""
    settings = settings or Settings.load()
    db = Path(settings.db)
    try:  # create an empty store, or bring an older one to the current schema, so reads find their tables
        Store(db).close()
    except DetenteError:
        pass  # locked by an ingest (which migrates it) or read-only on disk: serve it as it is
    lock = ReadWriteLock()
    known = actors or Actors()

    app = FastAPI(
        title="detente", version=__version__,
        description="Event data from geopolitical news: who did what to whom, when and where, with the "
                    "sentence behind every event. See docs/http.md.",
        docs_url=None, redoc_url=None,  # the default pages load their scripts from a CDN; /docs is ours
    )
    app.state.settings = settings
    app.state.db = db
    app.state.lock = lock
    app.state.actors = known

    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse({"code": exc.code, "detail": exc.message}, status_code=exc.status, headers=exc.headers)

    @app.exception_handler(DetenteError)
    async def _detente_error(_: Request, exc: DetenteError) -> JSONResponse:
        text = str(exc)
        status = 503 if "locked" in text else 400
        return JSONResponse({"code": "E306" if status == 503 else "invalid", "detail": text}, status_code=status)

    def country(name: str, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        code = value.strip().upper()
        if not known.known(code):
            raise ApiError(400, "E303", E.E303.format(code=value))
        return code

    # ------------------------------------------------------------------ dashboard and docs
    @app.get("/", include_in_schema=False)
    def dashboard() -> FileResponse:
        return FileResponse(web_asset("index.html"), media_type="text/html")

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> FileResponse:
        allowed = {"app.js": "text/javascript", "app.css": "text/css", "docs.js": "text/javascript"}
        if name not in allowed:
            raise ApiError(404, "E401", E.E401.format(name="asset", expected="a dashboard asset", value=name))
        return FileResponse(web_asset(name), media_type=allowed[name], headers={"Cache-Control": "no-cache"})

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(web_asset("docs.html").read_text(encoding="utf-8"))

    # ------------------------------------------------------------------ reads
    @app.get("/health", tags=["meta"], summary="Store path, table counts and whether writes are enabled")
    def health(s: StoreDep) -> dict[str, Any]:
        return {"status": "ok", "version": __version__, "db": str(db), "counts": s.counts(),
                "writes_enabled": bool(settings.token)}

    @app.get("/events", tags=["events"], summary="Events matching the filters, a page at a time",
             responses={200: {"content": {"text/csv": {}, "application/vnd.apache.parquet": {}}},
                        400: {"description": "bad parameter (numbered message)"}})
    def list_events(
        s: StoreDep,
        source: Annotated[str | None, Query(max_length=16, description="source country, ISO3")] = None,
        target: Annotated[str | None, Query(max_length=16, description="target country, ISO3")] = None,
        dyad: Annotated[str | None, Query(max_length=40, description="A,B: both directions")] = None,
        since: Annotated[str | None, Query(max_length=40, description="YYYY-MM-DD, inclusive")] = None,
        until: Annotated[str | None, Query(max_length=40, description="YYYY-MM-DD, inclusive")] = None,
        cameo: Annotated[str | None, Query(pattern=r"^\d{2,4}$", description="CAMEO code or prefix")] = None,
        root: Annotated[str | None, Query(pattern=r"^\d{1,2}$", description="CAMEO root, 01..20")] = None,
        quad: Annotated[int | None, Query(ge=1, le=4, description="QuadClass 1..4")] = None,
        factuality: FACTUALITY | None = None,
        page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
        page_size: Annotated[int, Query(ge=1, description=f"at most {MAX_PAGE_SIZE}")] = 100,
        format: Literal["json", "csv", "parquet"] = "json",  # noqa: A002 - the documented parameter name
    ) -> Any:
        pair = None
        if dyad:
            parts = [p for p in dyad.split(",")]
            if len(parts) != 2:
                raise ApiError(400, "E401", E.E401.format(name="dyad", expected="two codes like PRK,RUS", value=dyad))
            pair = (country("dyad", parts[0]) or "", country("dyad", parts[1]) or "")
        flt = EventFilter(source=country("source", source), target=country("target", target), dyad=pair,
                          since=parse_date("since", since), until=parse_date("until", until), cameo=cameo,
                          root=root, quad=quad, factuality=factuality)
        if format != "json":
            total, df = events_page(s, flt, MAX_EXPORT_ROWS)
            headers = {"X-Total-Count": str(total),
                       "Content-Disposition": f'attachment; filename="events.{format}"'}
            if format == "csv":
                return Response(df.to_csv(index=False), media_type="text/csv; charset=utf-8", headers=headers)
            buf = io.BytesIO()
            df.to_parquet(buf, index=False)
            return Response(buf.getvalue(), media_type="application/vnd.apache.parquet", headers=headers)
        if page_size > MAX_PAGE_SIZE:
            raise ApiError(400, "E402", E.E402.format(value=page_size, limit=MAX_PAGE_SIZE))
        total, df = events_page(s, flt, page_size, (page - 1) * page_size)
        return {"total": total, "page": page, "page_size": page_size, "events": records(df)}

    @app.get("/events/{event_id}", tags=["events"], summary="One event with every mention (the evidence)",
             responses={404: {"description": "no such event (E403)"}})
    def get_event(s: StoreDep, event_id: Annotated[str, PathParam(max_length=64)]) -> dict[str, Any]:
        found = s.event(event_id)
        if found is None:
            raise ApiError(404, "E403", E.E403.format(value=event_id))
        out: dict[str, Any] = jsonable(found)
        return out

    @app.get("/dyads/{a}/{b}/series", tags=["analysis"],
             summary="Per-period counts by QuadClass and the cooperation index of a dyad", responses=BAD)
    def dyad(
        s: StoreDep, a: Code, b: Code,
        freq: Literal["month", "week", "day"] = "month",
        since: Annotated[str | None, Query(max_length=40)] = None,
        until: Annotated[str | None, Query(max_length=40)] = None,
        include_hedged: bool = False,
        directed: bool = False,
    ) -> dict[str, Any]:
        ca, cb = country("a", a) or "", country("b", b) or ""
        lo, hi = parse_date("since", since), parse_date("until", until)
        df = s.dyad(ca, cb, freq=freq, since=lo, until=hi, include_hedged=include_hedged, directed=directed)
        return {"a": ca, "b": cb, "freq": freq, "include_hedged": include_hedged, "directed": directed,
                "undated": jsonable(df.attrs.get("undated")), "mean_share": jsonable(df.attrs.get("mean_share")),
                "series": records(df)}

    @app.get("/network", tags=["analysis"], summary="Country network: source->target edges with counts",
             responses=BAD)
    def get_network(
        s: StoreDep,
        since: Annotated[str | None, Query(max_length=40)] = None,
        until: Annotated[str | None, Query(max_length=40)] = None,
        min_events: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
        include_hedged: bool = False,
    ) -> dict[str, Any]:
        graph = s.network(since=parse_date("since", since), until=parse_date("until", until),
                          min_events=min_events, include_hedged=include_hedged)
        for node in graph.nodes:
            graph.nodes[node]["name"] = known.countries.get(node, node)
        out: dict[str, Any] = jsonable(to_json(graph))
        return out

    @app.get("/alerts", tags=["analysis"], summary="Dyads whose recent weeks depart from their baseline",
             responses=BAD)
    def alerts(
        s: StoreDep,
        until: Annotated[str | None, Query(max_length=40, description="as-of date (default: last event)")] = None,
        baseline: Annotated[str, Query(pattern=r"^\d{1,3}w?$", description="baseline weeks, e.g. 52w")] = "52w",
        recent: Annotated[str, Query(pattern=r"^\d{1,3}w?$", description="recent weeks, e.g. 4w")] = "4w",
        threshold: Annotated[float, Query(gt=0, le=1000)] = 3.0,
        method: Literal["mad", "z"] = "mad",
        min_events: Annotated[int, Query(ge=1, le=1_000_000)] = 3,
        include_hedged: bool = False,
    ) -> dict[str, Any]:
        df = s.alerts(baseline=baseline, recent=recent, threshold=threshold, method=method,
                      until=parse_date("until", until), min_events=min_events, include_hedged=include_hedged)
        return {"alerts": records(df)}

    @app.get("/actors", tags=["meta"], summary="Search the actor dictionary by name, alias or code")
    def actors_search(
        q: Annotated[str | None, Query(max_length=100)] = None,
        kind: Literal["country", "igo", "person", "org", "media", "group", "capital", "demonym"] | None = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 20,
    ) -> JSONResponse:
        # the dictionary is fixed while the server runs: browsers may keep the answer for a while
        return JSONResponse({"actors": known.search(q, kind=kind, limit=limit)},
                            headers={"Cache-Control": "max-age=600"})

    # ------------------------------------------------------------------ writes
    body_schema = {"type": "array", "minItems": 1, "maxItems": MAX_DOCUMENTS, "items": Document.model_json_schema()}

    @app.post("/articles", tags=["write"], status_code=201,
              summary="Code and store articles (bearer token from DETENTE_TOKEN)",
              openapi_extra={"requestBody": {"required": True,
                                             "content": {"application/json": {"schema": body_schema}}},
                             "security": [{"bearer": []}]},
              responses={401: {"description": "missing or wrong token"},
                         403: {"description": "writes disabled (no DETENTE_TOKEN on the server)"},
                         413: {"description": "body too large"}, 422: {"description": "bad body"}})
    async def post_articles(request: Request) -> dict[str, Any]:
        if not settings.token:
            raise ApiError(403, "E404", E.E404)
        given = request.headers.get("authorization", "")
        scheme, _, token = given.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(), settings.token.encode()):
            raise ApiError(401, "E405", E.E405, headers={"WWW-Authenticate": "Bearer"})
        too_big = ApiError(413, "E406", E.E406.format(limit=MAX_BODY_BYTES))
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
            raise too_big
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_BODY_BYTES:
                raise too_big
        try:
            docs = DOCUMENTS.validate_python(json.loads(body))
        except (ValueError, ValidationError) as exc:
            raise ApiError(422, "E407", E.E407.format(detail=str(exc).splitlines()[0][:300])) from None
        if not docs:
            raise ApiError(422, "E407", E.E407.format(detail="the list of documents is empty"))
        if len(docs) > MAX_DOCUMENTS:
            raise ApiError(413, "E407", E.E407.format(detail=f"more than {MAX_DOCUMENTS} documents"))
        for d in docs:
            if d.date and parse_article_date(d.date) is None:
                raise ApiError(422, "E304", E.E304.format(value=d.date))
        articles = list(api.as_articles([d.model_dump() for d in docs]))

        def write() -> api.IngestSummary:
            with lock.write():
                return api.ingest(articles, db=db, settings=settings)

        summary = await run_in_threadpool(write)
        return {**summary.as_dict(), "failure_messages": summary.failure_messages, "ids": [a.id for a in articles]}

    app.openapi_schema = None
    _add_security_scheme(app)
    return app


def _add_security_scheme(app: FastAPI) -> None:
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = original()
        schema.setdefault("components", {}).setdefault("securitySchemes", {})["bearer"] = {
            "type": "http", "scheme": "bearer", "description": "the server's DETENTE_TOKEN"}
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the app with uvicorn (blocking)."""
    import uvicorn

    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
