// The API reference page: fetches this server's /openapi.json and renders its operations,
// parameters, request bodies and responses. Text from the document is only ever set as text
// (never parsed as HTML), and the page loads nothing from elsewhere.
"use strict";

(function () {
  const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v !== undefined && v !== null) node.setAttribute(k, v);
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) continue;
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  // A small subset of Markdown (paragraphs, `code`, **bold**), built as DOM nodes.
  function markdown(text) {
    const out = document.createDocumentFragment();
    for (const para of String(text || "").split(/\n\s*\n/)) {
      if (!para.trim()) continue;
      const p = el("p");
      const re = /`([^`]+)`|\*\*([^*]+)\*\*/g;
      let last = 0;
      let m;
      while ((m = re.exec(para)) !== null) {
        p.append(document.createTextNode(para.slice(last, m.index)));
        p.append(m[1] !== undefined ? el("code", {}, m[1]) : el("strong", {}, m[2]));
        last = re.lastIndex;
      }
      p.append(document.createTextNode(para.slice(last)));
      out.append(p);
    }
    return out;
  }

  function resolve(doc, node) {
    let seen = 0;
    while (node && node.$ref && seen++ < 20) {
      const parts = node.$ref.replace(/^#\//, "").split("/").map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
      node = parts.reduce((o, k) => (o ? o[k] : undefined), doc);
    }
    return node || {};
  }

  function refName(node) {
    return node && node.$ref ? node.$ref.split("/").pop() : null;
  }

  function typeLabel(doc, schema) {
    const name = refName(schema);
    const s = resolve(doc, schema);
    let label = name || (Array.isArray(s.type) ? s.type.join(" | ") : s.type) || "";
    if (!name && s.type === "array" && s.items) label = "array of " + typeLabel(doc, s.items);
    if (s.const !== undefined) label += " = " + JSON.stringify(s.const);
    if (s.enum) label += " (" + s.enum.map((v) => JSON.stringify(v)).join(", ") + ")";
    if (s.format) label += " <" + s.format + ">";
    if (!label && (s.anyOf || s.oneOf)) label = "one of";
    if (!label && s.allOf) label = "all of";
    return label || "any";
  }

  // A schema as a tree of <details>: properties, items and alternatives, to a fixed depth.
  function schemaTree(doc, schema, depth) {
    const s = resolve(doc, schema);
    const head = el("span", { class: "schema" }, typeLabel(doc, schema));
    const xmlName = s.xml && s.xml.name ? " XML <" + s.xml.name + ">" + (s.xml.wrapped ? " (wrapped)" : "") : "";
    const body = el("ul", { class: "props" });
    if (s.description && depth > 0) body.append(el("li", { class: "meta" }, s.description));
    if (s.properties) {
      const required = new Set(s.required || []);
      for (const [name, prop] of Object.entries(s.properties)) {
        const p = resolve(doc, prop);
        body.append(el("li", {}, el("code", {}, name), " ",
          required.has(name) ? el("span", { class: "required" }, "required") : "", " ",
          depth < 6 ? schemaTree(doc, prop, depth + 1) : el("span", { class: "schema" }, typeLabel(doc, prop)),
          p.description && !(p.properties || p.items || p.anyOf || p.oneOf || p.allOf) ? el("span", { class: "meta" }, " — " + p.description) : ""));
      }
    }
    if (s.patternProperties) {
      for (const [pattern, prop] of Object.entries(s.patternProperties)) {
        body.append(el("li", {}, el("code", {}, pattern), " ", schemaTree(doc, prop, depth + 1)));
      }
    }
    if (s.type === "array" && s.items && depth < 6) {
      body.append(el("li", {}, "items: ", schemaTree(doc, s.items, depth + 1)));
    }
    for (const key of ["anyOf", "oneOf", "allOf"]) {
      if (!s[key] || depth >= 6) continue;
      for (const alt of s[key]) {
        const a = resolve(doc, alt);
        body.append(el("li", {}, key + ": ", a.title ? el("em", {}, a.title + " ") : "", schemaTree(doc, alt, depth + 1)));
      }
    }
    if (!body.childNodes.length) return el("span", {}, head, xmlName ? el("span", { class: "meta" }, xmlName) : "");
    return el("details", depth === 0 ? { open: "" } : {}, el("summary", {}, head, xmlName ? el("span", { class: "meta" }, xmlName) : ""), body);
  }

  function contentList(doc, content) {
    const list = el("ul", { class: "props" });
    for (const [type, media] of Object.entries(content || {})) {
      list.append(el("li", {}, el("code", {}, type), " ", media.schema ? schemaTree(doc, media.schema, 1) : ""));
    }
    return list;
  }

  function parameters(doc, params) {
    if (!params.length) return null;
    const table = el("table", {}, el("tr", {}, el("th", {}, "name"), el("th", {}, "in"), el("th", {}, "type"), el("th", {}, "description")));
    for (const raw of params) {
      const p = resolve(doc, raw);
      table.append(el("tr", {},
        el("td", {}, el("code", {}, p.name), p.required ? el("div", { class: "required" }, "required") : ""),
        el("td", {}, p.in),
        el("td", {}, el("span", { class: "schema" }, typeLabel(doc, p.schema || {}))),
        el("td", {}, markdown(p.description))));
    }
    return [el("h4", {}, "Parameters"), table];
  }

  function responses(doc, responsesObj) {
    const table = el("table", {}, el("tr", {}, el("th", {}, "status"), el("th", {}, "description")));
    for (const [status, raw] of Object.entries(responsesObj || {})) {
      const r = resolve(doc, raw);
      const headers = Object.keys(r.headers || {});
      table.append(el("tr", {},
        el("td", { class: "status" }, status),
        el("td", {}, markdown(r.description),
          headers.length ? el("div", { class: "meta" }, "Headers: " + headers.join(", ")) : "",
          r.content ? contentList(doc, r.content) : "")));
    }
    return [el("h4", {}, "Responses"), table];
  }

  function anchor(method, path) {
    return "op-" + method + "-" + path.replace(/[^A-Za-z0-9]+/g, "-");
  }

  function render(doc) {
    document.title = (doc.info.title || "API") + " — API reference";
    document.getElementById("title").textContent = (doc.info.title || "API") + " " + (doc.info.version || "");
    const summary = document.getElementById("summary");
    summary.textContent = doc.info.summary || "";
    const main = document.getElementById("main");
    const nav = document.getElementById("nav");
    main.textContent = "";
    const intro = el("section", {}, markdown(doc.info.description));
    const servers = (doc.servers || []).map((s) => s.url);
    intro.append(el("p", {}, "Server: ", el("code", {}, servers.join(", ") || location.origin),
      " · OpenAPI ", doc.openapi, " · ", el("a", { href: "/openapi.json" }, "openapi.json")));
    const profile = doc.info["x-open311-profile"];
    if (profile) {
      const rows = Object.entries(profile).map(([k, v]) => el("tr", {}, el("td", {}, el("code", {}, k)), el("td", {}, JSON.stringify(v))));
      intro.append(el("details", {}, el("summary", {}, "Profile: " + profile.name), el("table", {}, rows)));
    }
    main.append(intro);

    const byTag = new Map((doc.tags || []).map((t) => [t.name, { tag: t, ops: [] }]));
    for (const [path, item] of Object.entries(doc.paths || {})) {
      for (const method of METHODS) {
        const op = item[method];
        if (!op) continue;
        const tag = (op.tags && op.tags[0]) || "Other";
        if (!byTag.has(tag)) byTag.set(tag, { tag: { name: tag }, ops: [] });
        byTag.get(tag).ops.push({ path, method, op, shared: item.parameters || [] });
      }
    }
    for (const { tag, ops } of byTag.values()) {
      if (!ops.length) continue;
      nav.append(el("h2", {}, tag.name));
      const section = el("section", { class: "tag" }, el("h2", {}, tag.name), tag.description ? markdown(tag.description) : "");
      for (const { path, method, op, shared } of ops) {
        const id = anchor(method, path);
        nav.append(el("a", { href: "#" + id }, method.toUpperCase() + " " + path));
        const security = (op.security || doc.security || []).flatMap((req) => Object.keys(req));
        const article = el("article", { class: "op", id },
          el("h3", {}, el("span", { class: "method " + method }, method), path),
          op.summary ? el("p", { class: "summary" }, op.summary) : "",
          markdown(op.description),
          security.length ? el("p", { class: "meta" }, "Authentication: " + security.join(" or ") + (op["x-open311-role"] ? " (role " + op["x-open311-role"] + ")" : "")) : "",
          parameters(doc, shared.concat(op.parameters || [])),
          op.requestBody ? [el("h4", {}, "Request body"), contentList(doc, resolve(doc, op.requestBody).content)] : "",
          responses(doc, op.responses));
        section.append(article);
      }
      main.append(section);
    }
    if (location.hash) {
      const target = document.getElementById(location.hash.slice(1));
      if (target) target.scrollIntoView();
    }
  }

  fetch("/openapi.json", { headers: { Accept: "application/json" } })
    .then((r) => {
      if (!r.ok) throw new Error("/openapi.json answered " + r.status);
      return r.json();
    })
    .then(render)
    .catch((e) => {
      const status = document.getElementById("status");
      status.className = "error";
      status.textContent = "Could not load the API description: " + e.message;
    });
})();
