// The desk's page.  Every piece of store text reaches the page as JSON and is put in as a text
// node (el() below): nothing here parses HTML, so a stored "<script>" is shown, never run.
"use strict";

const $ = (id) => document.getElementById(id);

/** An element with attributes and children; a string child becomes a text node. */
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Mixed-direction text (an Arabic name in an English row) kept in its own direction. */
const bdi = (text, lang) => el("bdi", { dir: "auto", lang: lang || null }, text);

function say(message, isError) {
  const status = $("status");
  status.textContent = message || "";
  status.classList.toggle("error", Boolean(isError));
}

async function api(method, path, body) {
  const headers = { Accept: "application/json" };
  const token = sessionStorage.getItem("glossary-token");
  if (method !== "GET" && token) headers.Authorization = "Bearer " + token;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const data = await response.json().catch(() => ({ error: response.statusText }));
  if (!response.ok) throw new Error(data.error || response.statusText);
  return data;
}

async function guarded(action) {
  try {
    await action();
  } catch (err) {
    say(err.message, true);
  }
}

// ---------------------------------------------------------------- panes
function show(pane) {
  for (const button of document.querySelectorAll("nav button")) {
    button.setAttribute("aria-pressed", String(button.dataset.pane === pane));
  }
  for (const section of document.querySelectorAll(".pane")) section.hidden = section.id !== "pane-" + pane;
  if (pane === "review") guarded(loadReview);
}

// ---------------------------------------------------------------- search as you type (ARIA 1.2 combobox)
const combo = { options: [], active: -1, timer: 0, seq: 0 };

function closeList() {
  $("q-list").hidden = true;
  $("q").setAttribute("aria-expanded", "false");
  $("q").removeAttribute("aria-activedescendant");
  combo.active = -1;
}

function setActive(index) {
  const items = $("q-list").querySelectorAll("[role=option]");
  combo.active = index;
  items.forEach((item, i) => item.setAttribute("aria-selected", String(i === index)));
  if (index >= 0 && items[index]) {
    $("q").setAttribute("aria-activedescendant", items[index].id);
    items[index].scrollIntoView({ block: "nearest" });
  } else {
    $("q").removeAttribute("aria-activedescendant");
  }
}

function renderOptions(matches) {
  const list = $("q-list");
  list.replaceChildren();
  combo.options = matches;
  matches.forEach((m, i) => {
    list.append(el("li", { role: "option", id: "opt-" + i, "aria-selected": "false",
      "data-entity": m.entity_id, onmousedown: (ev) => { ev.preventDefault(); choose(i); } },
      bdi(m.english), bdi(m.arabic, "ar"),
      el("span", { class: "why" }, bdi(m.matched), " · ", m.reason, " ", String(m.score))));
  });
  const open = matches.length > 0;
  list.hidden = !open;
  $("q").setAttribute("aria-expanded", String(open));
  setActive(-1);
}

async function suggest(query) {
  const seq = ++combo.seq;
  const q = encodeURIComponent(query);
  const [byPrefix, byLookup] = await Promise.all([
    api("GET", `/api/prefix?q=${q}&limit=8`).catch(() => []),
    api("GET", `/api/lookup?q=${q}&limit=8`).catch(() => []),
  ]);
  if (seq !== combo.seq) return; // a later keystroke has its own answer on the way
  const seen = new Set();
  const merged = [];
  for (const m of [...byLookup.filter((m) => m.score >= 99), ...byPrefix, ...byLookup]) {
    if (seen.has(m.entity_id)) continue;
    seen.add(m.entity_id);
    merged.push(m);
  }
  renderOptions(merged.slice(0, 10));
}

function choose(index) {
  const m = combo.options[index];
  if (!m) return;
  closeList();
  location.hash = "entity/" + m.entity_id;
}

function onSearchKey(ev) {
  const count = combo.options.length;
  const open = !$("q-list").hidden;
  if (ev.key === "ArrowDown") {
    ev.preventDefault();
    if (!open && count) { $("q-list").hidden = false; $("q").setAttribute("aria-expanded", "true"); }
    setActive(count ? (combo.active + 1) % count : -1);
  } else if (ev.key === "ArrowUp") {
    ev.preventDefault();
    setActive(count ? (combo.active - 1 + count) % count : -1);
  } else if (ev.key === "Enter") {
    ev.preventDefault();
    choose(combo.active >= 0 ? combo.active : 0);
  } else if (ev.key === "Escape") {
    if (open) closeList(); else $("q").value = "";
  }
}

// ---------------------------------------------------------------- entity page
let current = null;

async function openEntity(id) {
  show("search");
  const e = await api("GET", "/api/entities/" + encodeURIComponent(id));
  current = e;
  $("e-english").textContent = e.english;
  $("e-arabic").textContent = e.arabic;
  $("e-kind").textContent = e.kind;
  $("e-id").textContent = String(e.id);
  $("e-source").textContent = e.source ? "· from " + e.source : "";
  $("e-note").textContent = e.note || "";
  const rows = e.names.map((n) => el("tr", { "data-name": n.id },
    el("td", {}, bdi(n.text, n.lang)), el("td", {}, n.lang), el("td", {}, n.role), el("td", {}, n.status),
    el("td", {}, n.source || ""),
    el("td", {}, n.role === "canonical" ? "" : el("button", { type: "button",
      onclick: () => guarded(async () => { await api("DELETE", "/api/names/" + n.id); await openEntity(e.id); say("spelling removed"); }) },
      "Remove"))));
  $("e-names").replaceChildren(...rows);
  const form = $("edit-entity");
  form.english.value = e.english;
  form.arabic.value = e.arabic;
  form.note.value = e.note || "";
  $("entity").hidden = false;
  document.title = e.english + " — glossary";
}

// ---------------------------------------------------------------- normalize pane
function markedText(text, mentions) {
  const parts = [];
  let at = 0;
  for (const m of mentions) {
    if (m.start < at) continue;
    parts.push(text.slice(at, m.start));
    const classes = [m.ambiguous ? "ambiguous" : "", m.stored ? "" : "guessed"].filter(Boolean).join(" ");
    const hover = m.arabic + " · " + m.english + " (" + m.reason + " " + m.score + (m.ambiguous ? ", ambiguous" : "") + ")";
    parts.push(el("mark", { class: classes || null, title: hover, "data-entity": m.entity_id,
      "data-canonical": m.arabic }, text.slice(m.start, m.end)));
    at = m.end;
  }
  parts.push(text.slice(at));
  return parts;
}

async function runNormalize() {
  const text = $("text").value;
  const result = await api("POST", "/api/normalize", { text });
  $("marked").replaceChildren(...markedText(text, result.mentions));
  $("normalized").textContent = result.text;
  say(result.mentions.length + " mentions, " + result.mentions.filter((m) => m.replaced).length + " rewritten");
}

// ---------------------------------------------------------------- translation memory
async function runTM(ev) {
  ev.preventDefault();
  const q = encodeURIComponent($("tm-q").value);
  const path = $("tm-concordance").checked ? "/api/tm/concordance?q=" + q : "/api/tm/search?q=" + q;
  const hits = await api("GET", path);
  $("tm-hits").replaceChildren(...hits.map((h) => el("tr", {},
    el("td", {}, h.score.toFixed(1)), el("td", {}, bdi(h.source)), el("td", {}, bdi(h.target)),
    el("td", {}, h.repaired_target ? bdi(h.repaired_target) : ""))));
  say(hits.length ? hits.length + " units" : "no unit matches");
}

// ---------------------------------------------------------------- review queue
async function loadReview() {
  const rows = await api("GET", "/api/review");
  $("review-count").textContent = rows.length ? "(" + rows.length + ")" : "";
  const decide = (id, verb) => guarded(async () => {
    await api("POST", `/api/review/${id}/${verb}`, {});
    say(verb === "approve" ? "approved" : "rejected");
    await loadReview();
  });
  $("review-rows").replaceChildren(...rows.map((r) => el("tr", { "data-name": r.id },
    el("td", {}, el("a", { href: "#entity/" + r.entity_id }, bdi(r.english))), el("td", {}, bdi(r.arabic, "ar")),
    el("td", {}, bdi(r.spelling, "ar")), el("td", {}, r.source || ""),
    el("td", {}, el("button", { type: "button", onclick: () => decide(r.id, "approve") }, "Approve"), " ",
      el("button", { type: "button", class: "danger", onclick: () => decide(r.id, "reject") }, "Reject")))));
}

// ---------------------------------------------------------------- wiring
function route() {
  const found = /^#entity\/(\d+)$/.exec(location.hash);
  if (found) guarded(() => openEntity(found[1]));
}

document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("nav button")) button.addEventListener("click", () => show(button.dataset.pane));
  const token = $("token");
  token.value = sessionStorage.getItem("glossary-token") || "";
  token.addEventListener("change", () => sessionStorage.setItem("glossary-token", token.value.trim()));

  const q = $("q");
  q.addEventListener("input", () => {
    clearTimeout(combo.timer);
    const value = q.value.trim();
    if (!value) { closeList(); return; }
    combo.timer = setTimeout(() => guarded(() => suggest(value)), 120);
  });
  q.addEventListener("keydown", onSearchKey);
  q.addEventListener("blur", () => setTimeout(closeList, 150));

  $("add-name").addEventListener("submit", (ev) => guarded(async () => {
    ev.preventDefault();
    const form = ev.target;
    await api("POST", `/api/entities/${current.id}/names`, { text: form.text.value, role: form.role.value });
    form.text.value = "";
    await openEntity(current.id);
    say("spelling added");
  }));
  $("edit-entity").addEventListener("submit", (ev) => guarded(async () => {
    ev.preventDefault();
    const form = ev.target;
    await api("PATCH", "/api/entities/" + current.id, { english: form.english.value, arabic: form.arabic.value, note: form.note.value });
    await openEntity(current.id);
    say("saved");
  }));
  $("delete-entity").addEventListener("click", () => guarded(async () => {
    if (!confirm("Delete " + current.english + " and all its spellings?")) return;
    await api("DELETE", "/api/entities/" + current.id);
    $("entity").hidden = true;
    say("deleted");
  }));
  $("add-entity").addEventListener("submit", (ev) => guarded(async () => {
    ev.preventDefault();
    const form = ev.target;
    const e = await api("POST", "/api/entities", { english: form.english.value, arabic: form.arabic.value, kind: form.kind.value });
    form.reset();
    location.hash = "entity/" + e.id;
  }));
  $("run-normalize").addEventListener("click", () => guarded(runNormalize));
  $("tm-form").addEventListener("submit", (ev) => guarded(() => runTM(ev)));

  window.addEventListener("hashchange", route);
  route();
  guarded(async () => {
    const s = await api("GET", "/api/stats");
    $("stats").textContent = `${s.entities} entities · ${s.names} spellings · ${s.tm_units} TM units`;
    $("review-count").textContent = s.suggested ? "(" + s.suggested + ")" : "";
  });
});
