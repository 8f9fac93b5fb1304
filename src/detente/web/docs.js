// A small offline API reference rendered from /openapi.json (no CDN): every operation, its
// parameters and a "try it" form for GET operations.
"use strict";
const escd = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
function typeOf(schema) {
  if (!schema) return "";
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  if (schema.anyOf) return schema.anyOf.map(typeOf).filter((t) => t !== "null").join(" | ");
  let t = schema.type || (schema.$ref ? schema.$ref.split("/").pop() : "");
  if (schema.pattern) t += ` /${schema.pattern}/`;
  if (schema.maximum !== undefined || schema.minimum !== undefined) t += ` [${schema.minimum ?? ""}..${schema.maximum ?? ""}]`;
  return t;
}
async function main() {
  const spec = await (await fetch("/openapi.json")).json();
  const box = document.getElementById("ops");
  box.innerHTML = `<h1>${escd(spec.info.title)} ${escd(spec.info.version)}</h1><p>${escd(spec.info.description || "")}</p>`;
  for (const [path, ops] of Object.entries(spec.paths)) {
    for (const [verb, op] of Object.entries(ops)) {
      const div = document.createElement("section");
      div.className = "op";
      const params = op.parameters || [];
      div.innerHTML = `<h2><span class="verb ${verb}">${verb.toUpperCase()}</span>${escd(path)}</h2><p>${escd(op.summary || "")}</p>`
        + (params.length ? `<table><tr><th>parameter</th><th>in</th><th>type</th><th>default</th><th>description</th></tr>${params.map((p) =>
          `<tr><td><code>${escd(p.name)}</code>${p.required ? " *" : ""}</td><td>${escd(p.in)}</td><td>${escd(typeOf(p.schema))}</td>`
          + `<td>${escd(p.schema && p.schema.default !== undefined ? JSON.stringify(p.schema.default) : "")}</td><td>${escd(p.description || (p.schema && p.schema.description) || "")}</td></tr>`).join("")}</table>` : "")
        + (op.requestBody ? `<p>Body: JSON list of documents <code>{"text", "id"?, "date"?, "title"?, "url"?, "source"?}</code>; header <code>Authorization: Bearer &lt;DETENTE_TOKEN&gt;</code>.</p>` : "")
        + `<p class="muted">responses: ${Object.keys(op.responses || {}).map(escd).join(", ")}</p>`;
      if (verb === "get") {
        const form = document.createElement("form");
        form.className = "try";
        form.innerHTML = params.map((p) => `<input name="${escd(p.name)}" data-in="${escd(p.in)}" placeholder="${escd(p.name)}${p.required ? " *" : ""}" size="10">`).join("")
          + `<button type="submit">try it</button>`;
        const out = document.createElement("pre");
        out.hidden = true;
        form.addEventListener("submit", async (e) => {
          e.preventDefault();
          let url = path;
          const q = new URLSearchParams();
          for (const input of form.querySelectorAll("input")) {
            if (!input.value) continue;
            if (input.dataset.in === "path") url = url.replace(`{${input.name}}`, encodeURIComponent(input.value));
            else q.set(input.name, input.value);
          }
          const r = await fetch(url + (q.toString() ? "?" + q : ""));
          const text = await r.text();
          out.hidden = false;
          let pretty = text;
          try { pretty = JSON.stringify(JSON.parse(text), null, 2); } catch (_) { /* csv or parquet */ }
          out.textContent = `${r.status} ${url}${q.toString() ? "?" + q : ""}\n\n${pretty.slice(0, 20000)}`;
        });
        div.appendChild(form);
        div.appendChild(out);
      }
      box.appendChild(div);
    }
  }
}
main();
