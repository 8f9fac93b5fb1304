// detente dashboard: plain JavaScript and SVG, no libraries, everything from the detente API.
"use strict";

const $ = (id) => document.getElementById(id);
const SVG = "http://www.w3.org/2000/svg";
const QUADS = [
  ["q1", "verbal cooperation", "var(--q1)"], ["q2", "material cooperation", "var(--q2)"],
  ["q3", "verbal conflict", "var(--q3)"], ["q4", "material conflict", "var(--q4)"],
];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const state = { a: "", b: "", since: "", until: "", freq: "month", hedged: true, period: "" };
const countries = { byName: new Map(), byCode: new Map() };

function esc(s) {
  return String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}
function el(tag, attrs = {}, parent = null) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (parent) parent.appendChild(node);
  return node;
}
async function getJSON(url) {
  const r = await fetch(url);
  const body = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error(body.detail ? `${body.code || r.status}: ${body.detail}` : `HTTP ${r.status}`);
  return body;
}
function qs(params) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== "" && v !== null && v !== undefined && v !== false) p.set(k, v);
  return p.toString();
}
function say(text) { $("message").textContent = text || ""; }

// ------------------------------------------------------------------ dates and periods
const iso = (d) => d.toISOString().slice(0, 10);
const parse = (s) => new Date(s + "T00:00:00Z");
function periodEnd(start, freq) {
  const d = parse(start);
  if (freq === "month") return iso(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)));
  if (freq === "week") return iso(new Date(d.getTime() + 6 * 864e5));
  return start;
}
function nextPeriod(start, freq) {
  const d = parse(start);
  if (freq === "month") return iso(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)));
  return iso(new Date(d.getTime() + (freq === "week" ? 7 : 1) * 864e5));
}
function periodLabel(start, freq, long = false) {
  const d = parse(start);
  if (freq === "month") return long ? `${["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"][d.getUTCMonth()]} ${d.getUTCFullYear()}`
    : `${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
  if (freq === "week") return `${long ? "week of " : ""}${start}`;
  return start;
}
function allPeriods(found, freq) {
  // every period from the first to the last, so gaps show as gaps (capped for long daily ranges)
  if (!found.length) return [];
  const out = [];
  let p = found[0];
  const last = found[found.length - 1];
  while (p <= last && out.length < 400) { out.push(p); p = nextPeriod(p, freq); }
  return out.length >= 400 ? found : out;
}

// ------------------------------------------------------------------ countries
function countryCode(text) {
  const t = (text || "").trim();
  if (!t) return "";
  const paren = t.match(/\(([A-Za-z]{3})\)\s*$/);
  if (paren) return paren[1].toUpperCase();
  if (countries.byName.has(t.toLowerCase())) return countries.byName.get(t.toLowerCase());
  if (countries.byCode.has(t.toUpperCase())) return t.toUpperCase();
  return "";
}
const countryName = (code) => countries.byCode.get(code) || code;
async function loadCountries() {
  const data = await getJSON("/actors?kind=country&limit=500");
  const list = $("countries");
  const names = [];
  for (const c of data.actors) {
    if (!c.country || countries.byCode.has(c.country)) continue;
    countries.byCode.set(c.country, c.name);
    countries.byName.set(c.name.toLowerCase(), c.country);
    names.push(c);
  }
  names.sort((x, y) => x.name.localeCompare(y.name));
  list.innerHTML = names.map((c) => `<option value="${esc(c.name)}">${esc(c.country)}</option>`).join("");
}

// ------------------------------------------------------------------ state <-> URL and form
function readHash() {
  const p = new URLSearchParams(location.hash.slice(1));
  for (const k of ["a", "b", "since", "until", "freq", "period"]) if (p.has(k)) state[k] = p.get(k);
  if (p.has("hedged")) state.hedged = p.get("hedged") !== "0";
}
function writeHash() {
  const h = qs({ a: state.a, b: state.b, since: state.since, until: state.until, freq: state.freq,
    hedged: state.hedged ? "1" : "0", period: state.period });
  history.replaceState(null, "", "#" + h);
}
function fillForm() {
  $("a").value = state.a ? countryName(state.a) : "";
  $("b").value = state.b ? countryName(state.b) : "";
  $("since").value = state.since; $("until").value = state.until;
  $("freq").value = state.freq; $("hedged").checked = state.hedged;
}

// ------------------------------------------------------------------ timeline
function legend() {
  $("legend").innerHTML = QUADS.map(([, name, color]) => `<span><i style="background:${color}"></i>${name}</span>`).join("")
    + `<span><i style="background:repeating-linear-gradient(45deg,var(--hedged) 0 2px,#fff 2px 4px)"></i>hedged</span>`
    + `<span><i class="line" style="background:var(--idx)"></i>cooperation index</span>`;
}

function drawTimeline(base, withHedged) {
  const box = $("timeline");
  box.innerHTML = "";
  const byPeriod = new Map(base.series.map((r) => [r.period, r]));
  const hedgedBy = new Map((withHedged ? withHedged.series : []).map((r) => [r.period, r]));
  const found = [...new Set([...byPeriod.keys(), ...hedgedBy.keys()])].sort();
  const periods = allPeriods(found, state.freq);
  if (!periods.length) {
    box.innerHTML = `<p class="empty">No dated events between ${esc(countryName(state.a))} and ${esc(countryName(state.b))}`
      + `${state.since || state.until ? " in this date range" : ""}.</p>`;
    return;
  }
  const narrow = box.clientWidth < 560;
  const W = Math.max(box.clientWidth || 900, 300), H = narrow ? 250 : 300;
  const m = { l: 34, r: 40, t: 14, b: 44 };
  const iw = W - m.l - m.r, ih = H - m.t - m.b;
  const rows = periods.map((p) => {
    const r = byPeriod.get(p) || { n_events: 0, q1: 0, q2: 0, q3: 0, q4: 0, coop_index: null };
    const h = hedgedBy.get(p);
    return { p, r, hedged: h ? Math.max(h.n_events - r.n_events, 0) : 0, has: r.n_events > 0 };
  });
  const maxN = Math.max(1, ...rows.map((x) => x.r.n_events + x.hedged));
  const step = niceStep(maxN);
  const top = Math.ceil((maxN * 1.12) / step) * step;  // headroom for the count labels
  const y = (v) => m.t + ih - (v / top) * ih;
  const yi = (v) => m.t + ih - ((v + 1) / 2) * ih;
  const bw = iw / rows.length;
  const svg = el("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "timeline" }, box);
  const grid = el("g", { class: "grid" }, svg);
  for (let v = 0; v <= top; v += step) {
    el("line", { x1: m.l, x2: W - m.r, y1: y(v), y2: y(v) }, grid);
    el("text", { x: m.l - 6, y: y(v) + 4, "text-anchor": "end" }, svg).textContent = v;
  }
  for (const v of [-1, 0, 1]) {
    el("text", { x: W - m.r + 6, y: yi(v) + 4, fill: "var(--idx)" }, svg).textContent = (v > 0 ? "+" : "") + v;
  }
  el("line", { x1: m.l, x2: W - m.r, y1: yi(0), y2: yi(0), stroke: "var(--idx)", "stroke-dasharray": "2 4",
    "stroke-opacity": ".5" }, svg);
  const pattern = el("pattern", { id: "hatch", width: 6, height: 6, patternUnits: "userSpaceOnUse",
    patternTransform: "rotate(45)" }, el("defs", {}, svg));
  el("rect", { width: 6, height: 6, fill: "#fff" }, pattern);
  el("rect", { width: 3, height: 6, fill: "var(--hedged)" }, pattern);

  const labelEvery = Math.ceil(rows.length / Math.max(1, Math.floor(iw / (narrow ? 62 : 78))));
  rows.forEach((row, i) => {
    const x = m.l + i * bw;
    const g = el("g", { class: "bar-group" + (row.p === state.period ? " selected" : ""), "data-period": row.p,
      tabindex: 0, role: "button" }, svg);
    el("rect", { class: "hit", x: x + 1, y: m.t, width: Math.max(bw - 2, 1), height: ih, fill: "transparent", rx: 3 }, g);
    const pad = Math.max(Math.min(bw * 0.18, 14), (bw - 64) / 2);  // bars at most 64 px wide
    let acc = 0;
    for (const [q, , color] of QUADS) {
      const n = row.r[q] || 0;
      if (!n) continue;
      el("rect", { x: x + pad, width: Math.max(bw - 2 * pad, 1), y: y(acc + n), height: y(acc) - y(acc + n), fill: color }, g);
      acc += n;
    }
    if (row.hedged) {
      el("rect", { x: x + pad, width: Math.max(bw - 2 * pad, 1), y: y(acc + row.hedged), height: y(acc) - y(acc + row.hedged),
        fill: "url(#hatch)", stroke: "var(--hedged)" }, g);
    }
    const total = row.r.n_events + row.hedged;
    if (total) {
      el("text", { x: x + bw / 2, y: y(total) - 4, "text-anchor": "middle", class: "count" }, g).textContent = total;
    }
    const tip = [`${periodLabel(row.p, state.freq, true)}: ${row.r.n_events} events`,
      ...QUADS.map(([q, name]) => `${name}: ${row.r[q] || 0}`)];
    if (row.hedged) tip.push(`hedged: ${row.hedged}`);
    if (row.has) tip.push(`cooperation index: ${Number(row.r.coop_index).toFixed(2)}`);
    el("title", {}, g).textContent = tip.join("\n");
    if (i % labelEvery === 0) {
      el("text", { x: x + bw / 2, y: H - m.b + 18, "text-anchor": "middle" }, svg).textContent = periodLabel(row.p, state.freq);
    }
    g.addEventListener("click", () => selectPeriod(row.p));
    g.addEventListener("keydown", (ev) => { if (ev.key === "Enter" || ev.key === " ") selectPeriod(row.p); });
  });
  // the cooperation index of periods with counted events, as a line with points
  const pts = rows.map((row, i) => row.has ? [m.l + i * bw + bw / 2, yi(row.r.coop_index)] : null);
  let d = "";
  for (const p of pts) if (p) d += `${d ? "L" : "M"}${p[0].toFixed(1)},${p[1].toFixed(1)}`;  // quiet periods have no index
  el("path", { d, fill: "none", stroke: "var(--idx)", "stroke-width": 2.5 }, svg);
  for (const p of pts) if (p) el("circle", { cx: p[0], cy: p[1], r: 4, fill: "#fff", stroke: "var(--idx)", "stroke-width": 2 }, svg);
  el("text", { x: m.l, y: H - 6 }, svg).textContent = "events per " + state.freq;
  el("text", { x: W - m.r + 2, y: H - 6, "text-anchor": "end", fill: "var(--idx)" }, svg).textContent = "cooperation index";
}
function niceStep(max) {
  for (const s of [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000]) if (max / s <= 6) return s;
  return Math.pow(10, Math.ceil(Math.log10(max / 6)));
}

// ------------------------------------------------------------------ events
function highlight(ev) {
  const s = ev.sentence || "";
  const spans = [];
  const ts = Number(ev.trigger_start), te = Number(ev.trigger_end);
  if (Number.isFinite(ts) && te > ts) spans.push([ts, te, "trigger"]);
  for (const text of [ev.source_text, ev.target_text]) {
    if (!text) continue;
    let from = 0, at;
    while ((at = s.indexOf(text, from)) >= 0) {
      const end = at + text.length;
      if (!spans.some(([a, b]) => at < b && end > a)) { spans.push([at, end, "actor"]); break; }
      from = at + 1;
    }
  }
  spans.sort((x, y) => x[0] - y[0]);
  let out = "", pos = 0;
  for (const [a, b, cls] of spans) {
    out += esc(s.slice(pos, a)) + `<mark class="${cls}">${esc(s.slice(a, b))}</mark>`;
    pos = b;
  }
  return out + esc(s.slice(pos));
}
function eventItem(ev) {
  const li = document.createElement("li");
  li.className = "event";
  li.dataset.eventId = ev.event_id;
  const when = ev.date || ev.article_date;
  const quad = QUADS[(ev.quad || 1) - 1];
  const place = ev.place_name ? ` · at ${esc(ev.place_name)}` : "";
  li.innerHTML = `<div class="meta">
      <span class="date">${when ? esc(when.slice(0, 10)) : "undated"}${ev.date_source === "article" ? ' <span class="muted">(article date)</span>' : ""}</span>
      <span class="dyad">${esc(ev.source_name || ev.source_code)} <span class="muted">(${esc(ev.source_country || "–")})</span> →
        ${esc(ev.target_name || ev.target_code)} <span class="muted">(${esc(ev.target_country || "–")})</span></span>
      <span><span class="quad" style="background:${quad ? quad[2] : "#ccc"}" title="${quad ? quad[1] : ""}"></span>
        <span class="code">${esc(ev.cameo)}</span> ${esc(ev.cameo_name)}</span>
      <span class="badge ${esc(ev.factuality)}">${esc(ev.factuality)}</span>
    </div>
    <p class="sentence">${highlight(ev)}</p>
    <div class="foot"><span>rule <code>${esc(ev.rule)}</code></span>${place ? `<span>${place.slice(3)}</span>` : ""}
      ${ev.attribution ? `<span>according to ${esc(ev.attribution)}</span>` : ""}
      <span>${ev.num_mentions || 1} mention${(ev.num_mentions || 1) > 1 ? "s" : ""} in ${ev.num_articles || 1} article${(ev.num_articles || 1) > 1 ? "s" : ""}</span>
      <a href="#" class="evidence">articles</a><a href="/events/${encodeURIComponent(ev.event_id)}" target="_blank">JSON</a></div>`;
  li.querySelector(".evidence").addEventListener("click", (e) => { e.preventDefault(); showMentions(li, ev.event_id); });
  return li;
}
async function showMentions(li, id) {
  const old = li.querySelector(".mentions");
  if (old) { old.remove(); return; }
  const box = document.createElement("ul");
  box.className = "mentions";
  li.appendChild(box);
  try {
    const ev = await getJSON(`/events/${encodeURIComponent(id)}`);
    box.innerHTML = ev.mentions.map((m) => {
      const title = m.article_title || `article ${m.doc_id}`;
      const link = m.article_url ? `<a href="${esc(m.article_url)}" target="_blank" rel="noopener noreferrer">${esc(title)}</a>` : esc(title);
      return `<li>${link}${m.article_date ? ` · ${esc(String(m.article_date).slice(0, 10))}` : ""} · sentence ${Number(m.sentence_index) + 1}`
        + `${m.duplicate_of ? " · near-duplicate" : ""} · <code>${esc(m.rule)}</code> · ${esc(m.factuality)}</li>`;
    }).join("");
  } catch (err) { box.innerHTML = `<li class="empty">${esc(err.message)}</li>`; }
}
function exportLinks(params) {
  $("exports").innerHTML = `<span class="muted">export:</span>`
    + `<a href="/events?${qs({ ...params, format: "csv" })}" download>CSV</a>`
    + `<a href="/events?${qs({ ...params, format: "parquet" })}" download>Parquet</a>`;
}
async function loadEvents() {
  const since = state.period || state.since;
  const until = state.period ? periodEnd(state.period, state.freq) : state.until;
  const params = { dyad: `${state.a},${state.b}`, since, until };
  exportLinks(params);
  const label = state.period ? periodLabel(state.period, state.freq, true) : (since || until ? `${since || "…"} – ${until || "…"}` : "all dates");
  $("events-title").textContent = `Events ${countryName(state.a)} – ${countryName(state.b)}, ${label}`;
  const list = $("events");
  list.innerHTML = `<li class="empty">loading…</li>`;
  delete list.dataset.loaded;
  const data = await getJSON(`/events?${qs({ ...params, page_size: 500 })}`);
  list.innerHTML = "";
  if (!data.events.length) list.innerHTML = `<li class="empty">No events.</li>`;
  for (const ev of data.events) list.appendChild(eventItem(ev));
  if (data.total > data.events.length) {
    list.insertAdjacentHTML("beforeend", `<li class="empty">${data.total - data.events.length} more: use the export links.</li>`);
  }
  $("events-title").textContent += ` (${data.total})`;
  list.dataset.loaded = state.period || "all";
}
async function selectPeriod(p) {
  state.period = state.period === p ? "" : p;
  writeHash();
  for (const g of document.querySelectorAll(".bar-group")) g.classList.toggle("selected", g.dataset.period === state.period);
  await Promise.all([loadEvents(), loadNetwork()]).catch((err) => say(err.message));
  if (state.period && window.innerWidth < 760) $("events-card").scrollIntoView({ behavior: "smooth", block: "start" });
}

// ------------------------------------------------------------------ network
function coopColor(v) {
  const t = Math.max(-1, Math.min(1, Number(v) || 0));
  const [r, g, b] = t >= 0 ? mix([150, 156, 166], [27, 120, 55], t) : mix([150, 156, 166], [192, 57, 43], -t);
  return `rgb(${r},${g},${b})`;
}
const mix = (a, b, t) => a.map((x, i) => Math.round(x + (b[i] - x) * t));
async function loadNetwork() {
  const since = state.period || state.since;
  const until = state.period ? periodEnd(state.period, state.freq) : state.until;
  $("network-title").textContent = `Network, ${state.period ? periodLabel(state.period, state.freq, true) : since || until ? `${since || "…"} – ${until || "…"}` : "all dates"}`;
  const data = await getJSON(`/network?${qs({ since, until, include_hedged: state.hedged ? "true" : "" })}`);
  const box = $("network");
  box.innerHTML = "";
  let nodes = data.nodes.slice().sort((x, y) => y.events - x.events).slice(0, 30);
  const keep = new Set(nodes.map((n) => n.id));
  const edges = data.edges.filter((e) => keep.has(e.source) && keep.has(e.target));
  if (!nodes.length) { box.innerHTML = `<p class="empty">No interstate events in this period.</p>`; return; }
  const W = Math.max(Math.min(box.clientWidth || 420, 560), 280), H = Math.round(Math.min(nodes.length <= 2 ? 200 : 320, W * 0.75));
  const cx = W / 2, cy = H / 2, R = nodes.length <= 2 ? Math.min(110, W / 2 - 50) : Math.min(W, H) / 2 - 40;
  const pos = new Map(nodes.map((n, i) => {
    const a = -Math.PI / 2 + (2 * Math.PI * i) / nodes.length + (nodes.length === 2 ? Math.PI / 2 : 0);
    return [n.id, [cx + R * Math.cos(a), cy + R * Math.sin(a)]];
  }));
  const svg = el("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "network" }, box);
  const defs = el("defs", {}, svg);
  const maxW = Math.max(1, ...edges.map((e) => e.weight));
  const maxE = Math.max(1, ...nodes.map((n) => n.events));
  const rad = (n) => 14 + 12 * Math.sqrt(n.events / maxE);
  const radius = new Map(nodes.map((n) => [n.id, rad(n)]));
  edges.forEach((e, i) => {
    const [x1, y1] = pos.get(e.source), [x2, y2] = pos.get(e.target);
    const color = coopColor(e.coop_index);
    const marker = el("marker", { id: `arrow${i}`, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 5, markerHeight: 5,
      orient: "auto-start-reverse" }, defs);
    el("path", { d: "M0,0L10,5L0,10z", fill: color }, marker);
    const dx = x2 - x1, dy = y2 - y1, len = Math.hypot(dx, dy) || 1;
    const nx = -dy / len, ny = dx / len, bend = 0.18 * len;
    const mx = (x1 + x2) / 2 + nx * bend, my = (y1 + y2) / 2 + ny * bend;
    const r2 = radius.get(e.target) + 3, r1 = radius.get(e.source);
    const ex = x2 - ((x2 - mx) / Math.hypot(x2 - mx, y2 - my)) * r2, ey = y2 - ((y2 - my) / Math.hypot(x2 - mx, y2 - my)) * r2;
    const sx = x1 + ((mx - x1) / Math.hypot(mx - x1, my - y1)) * r1, sy = y1 + ((my - y1) / Math.hypot(mx - x1, my - y1)) * r1;
    const inDyad = [e.source, e.target].every((c) => c === state.a || c === state.b);
    const path = el("path", { d: `M${sx},${sy}Q${mx},${my} ${ex},${ey}`, fill: "none", stroke: color,
      "stroke-width": 1.5 + 5 * Math.log1p(e.weight) / Math.log1p(maxW), "marker-end": `url(#arrow${i})`,
      "stroke-opacity": inDyad ? 1 : 0.7 }, svg);
    el("title", {}, path).textContent = `${countryName(e.source)} → ${countryName(e.target)}: ${e.weight} events, cooperation index ${Number(e.coop_index).toFixed(2)}`;
    el("text", { x: mx, y: my + 4, "text-anchor": "middle", style: "font-weight:400;fill:var(--muted)" }, svg).textContent = e.weight;
  });
  for (const n of nodes) {
    const [x, y] = pos.get(n.id);
    const sel = n.id === state.a || n.id === state.b;
    const g = el("g", {}, svg);
    el("circle", { cx: x, cy: y, r: radius.get(n.id), fill: sel ? "#dbe8f8" : "#eef2f6", stroke: sel ? "var(--accent)" : "#8795a5",
      "stroke-width": sel ? 2 : 1 }, g);
    el("text", { x, y: y + 4, "text-anchor": "middle" }, g).textContent = n.id;
    el("title", {}, g).textContent = `${n.name || n.id}: ${n.events} events`;
  }
}

// ------------------------------------------------------------------ alerts
async function loadAlerts() {
  const box = $("alerts");
  const data = await getJSON(`/alerts?${qs({ until: state.until, include_hedged: state.hedged ? "true" : "" })}`);
  if (!data.alerts.length) {
    box.innerHTML = `<li class="empty">No alerts: no dyad's last 4 weeks depart from its past year (robust z ≥ 3).</li>`;
    return;
  }
  box.innerHTML = "";
  for (const a of data.alerts.slice(0, 30)) {
    const li = document.createElement("li");
    li.innerHTML = `<strong>${esc(countryName(a.a))} – ${esc(countryName(a.b))}</strong> `
      + `<span class="badge ${a.direction === "conflict" || a.direction === "drop" ? "negated" : "intent"}">${esc(a.kind)} · ${esc(a.direction)}</span> `
      + `<span class="muted">${esc(a.window_start)} – ${esc(a.window_end)} · score ${Number(a.score).toFixed(1)}</span><br>`;
    const link = document.createElement("a");
    link.href = "#";
    link.textContent = `${(a.event_ids || []).length} event${(a.event_ids || []).length === 1 ? "" : "s"} behind it`;
    link.addEventListener("click", (e) => {
      e.preventDefault();
      Object.assign(state, { a: a.a, b: a.b, since: a.window_start, until: a.window_end, period: "" });
      fillForm(); show();
    });
    li.appendChild(link);
    box.appendChild(li);
  }
}

// ------------------------------------------------------------------ main
async function show() {
  say("");
  delete document.body.dataset.timeline;
  writeHash();
  const base = { since: state.since, until: state.until, freq: state.freq };
  $("timeline-title").textContent = `Timeline ${countryName(state.a)} – ${countryName(state.b)}`;
  const url = (h) => `/dyads/${encodeURIComponent(state.a)}/${encodeURIComponent(state.b)}/series?${qs({ ...base, include_hedged: h })}`;
  // every panel loads at once: one round of requests after the dyad is known
  const timeline = Promise.all([getJSON(url("")), state.hedged ? getJSON(url("true")) : null]).then(([plain, hedged]) => {
    drawTimeline(plain, hedged);
    $("timeline-hint").textContent = (plain.undated ? `${plain.undated} undated event${plain.undated > 1 ? "s" : ""} not on the timeline. ` : "")
      + "Click a period to read its events; click it again for all dates.";
  });
  try {
    await Promise.all([timeline, loadEvents(), loadNetwork(), loadAlerts()]);
    document.body.dataset.timeline = "ready";
  } catch (err) { say(err.message); }
}
async function defaultDyad() {
  // the busiest pair in the store, so the first view is never empty
  const net = await getJSON("/network");
  const best = net.edges.slice().sort((x, y) => y.weight - x.weight)[0];
  if (best) { state.a = best.source; state.b = best.target; }
}
async function main() {
  legend();
  readHash();
  getJSON("/health").then((h) => { $("health").textContent = `${h.counts.events} events · ${h.counts.articles} articles`; })
    .catch(() => {});
  await Promise.all([loadCountries().catch((err) => say(err.message)),
    !state.a || !state.b ? defaultDyad().catch(() => {}) : null]);
  fillForm();
  $("picker").addEventListener("submit", (e) => {
    e.preventDefault();
    const a = countryCode($("a").value), b = countryCode($("b").value);
    if (!a || !b) { say(`Unknown country: ${!a ? $("a").value : $("b").value}. Pick a name from the list.`); return; }
    Object.assign(state, { a, b, since: $("since").value, until: $("until").value, freq: $("freq").value,
      hedged: $("hedged").checked, period: "" });
    show();
  });
  let resized = null;
  window.addEventListener("resize", () => { clearTimeout(resized); resized = setTimeout(() => state.a && show(), 250); });
  if (state.a && state.b) await show();
}
main();
