// Damselfly dashboard: polls the supernode's JSON feed and draws tasks, piece maps, throughput and peers.
// Plain browser JavaScript, no build step. Feed: GET /api/v1/dashboard and /api/v1/dashboard/tasks/{id}.
"use strict";

const POLL_MS = Number(new URLSearchParams(location.search).get("interval")) || 1000;
const MAX_COLUMNS = 256; // a wider piece map groups pieces into cells
const SVG = "http://www.w3.org/2000/svg";
let selected = new URLSearchParams(location.search).get("task");

function bytes(n) {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  while (Math.abs(n) >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return (i === 0 ? n : n.toFixed(1)) + " " + units[i];
}

function text(id, value) { document.getElementById(id).textContent = value; }

function el(name, attrs, content) {
  const e = name.startsWith("svg:") ? document.createElementNS(SVG, name.slice(4)) : document.createElement(name);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (content !== undefined) e.textContent = content;
  return e;
}

function cell(tr, content, cls) {
  const td = el("td", cls ? { class: cls } : {}, content);
  tr.appendChild(td);
  return td;
}

/** Piece i's bit from the base64 little-endian bitmap the feed sends. */
function bitmap(base64) {
  const raw = atob(base64 || "");
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return i => (i >> 3) < out.length && ((out[i >> 3] >> (i & 7)) & 1) === 1;
}

function drawTasks(feed) {
  const body = document.querySelector("#tasks tbody");
  body.replaceChildren();
  document.getElementById("no-tasks").hidden = feed.tasks.length > 0;
  if (!selected && feed.tasks.length > 0) selected = feed.tasks[0].taskId;
  for (const t of feed.tasks) {
    const tr = el("tr", { "data-task": t.taskId, class: t.taskId === selected ? "selected" : "" });
    cell(tr, t.taskId.slice(0, 12));
    cell(tr, t.url, "url").title = t.url;
    cell(tr, t.status, "status " + t.status);
    cell(tr, t.contentLength >= 0 ? bytes(t.contentLength) : "?");
    cell(tr, t.piecesStored + " / " + (t.pieceCount >= 0 ? t.pieceCount : "?"));
    cell(tr, t.peersNow + " / " + t.peersEver);
    cell(tr, bytes(t.bytesFromCdn + t.bytesFromPeers));
    cell(tr, bytes(t.originBytes));
    tr.onclick = () => { selected = t.taskId; refresh(); };
    body.appendChild(tr);
  }
}

function drawSummary(t) {
  const delivered = t.bytesFromCdn + t.bytesFromPeers;
  text("task-id", t.taskId.slice(0, 12) + " · " + t.url);
  text("delivered", bytes(delivered));
  text("from-peers", bytes(t.bytesFromPeers));
  text("from-cdn", bytes(t.bytesFromCdn));
  text("origin", bytes(t.originBytes));
  const saved = delivered > 0 ? Math.max(0, 1 - t.originBytes / delivered) : 0;
  text("saved", delivered > 0 ? (saved * 100).toFixed(0) + " %" : "–");
  document.getElementById("origin-bar").style.width = (delivered > 0 ? (100 - saved * 100) : 0) + "%";
}

function drawThroughput(samples) {
  const svg = document.getElementById("throughput");
  svg.replaceChildren();
  const rates = [];
  for (let i = 1; i < samples.length; i++) {
    const dt = (samples[i].atMillis - samples[i - 1].atMillis) / 1000;
    if (dt <= 0) continue;
    rates.push({
      t: samples[i].atMillis,
      delivered: (samples[i].deliveredBytes - samples[i - 1].deliveredBytes) / dt,
      origin: (samples[i].originBytes - samples[i - 1].originBytes) / dt,
    });
  }
  if (rates.length === 0) { text("throughput-scale", "no samples yet"); return; }
  const max = Math.max(1, ...rates.map(r => Math.max(r.delivered, r.origin)));
  const t0 = rates[0].t, span = Math.max(1, rates[rates.length - 1].t - t0);
  for (const key of ["origin", "delivered"]) {
    const pts = rates.map(r => ((r.t - t0) / span * 800).toFixed(1) + "," + (155 - r[key] / max * 150).toFixed(1));
    svg.appendChild(el("svg:polyline", { class: key, points: pts.join(" ") }));
  }
  text("throughput-scale", "peak " + bytes(max) + "/s over the last " + Math.round(span / 1000) + " s");
}

function drawPieceMap(p) {
  const svg = document.getElementById("piecemap");
  svg.replaceChildren();
  const count = p.pieceCount >= 0 ? p.pieceCount : p.piecesStored;
  const group = Math.max(1, Math.ceil(count / MAX_COLUMNS));
  const columns = Math.ceil(count / group);
  const size = Math.max(4, Math.min(14, Math.floor(900 / Math.max(1, columns))));
  const labelWidth = 190;
  text("piecemap-note", group > 1 ? "each cell is " + group + " pieces; held = all of them" : count + " pieces");
  const rows = [{ peerId: "CDN (supernode)", state: "CDN", have: null, piecesHave: p.piecesStored }].concat(p.peers);
  svg.setAttribute("width", labelWidth + columns * size + 4);
  svg.setAttribute("height", rows.length * (size + 3) + 4);
  rows.forEach((row, r) => {
    const held = row.have === null ? (i => i < p.piecesStored) : bitmap(row.have);
    const g = el("svg:g", { class: "row row-" + row.state.toLowerCase(), "data-peer": row.peerId,
      "data-state": row.state, "data-have": row.piecesHave });
    const y = 2 + r * (size + 3);
    g.appendChild(el("svg:text", { class: "label", x: 2, y: y + size - 1 }, row.peerId.slice(0, 28)));
    for (let c = 0; c < columns; c++) {
      let all = true;
      for (let i = c * group; i < Math.min(count, (c + 1) * group); i++) if (!held(i)) { all = false; break; }
      g.appendChild(el("svg:rect", { class: "cell " + (all ? "have" : "missing"), x: labelWidth + c * size,
        y: y, width: size - 1, height: size, "data-piece": c * group }));
    }
    svg.appendChild(g);
  });
}

function drawPeers(p) {
  const body = document.querySelector("#peers tbody");
  body.replaceChildren();
  for (const peer of p.peers) {
    const tr = el("tr", { "data-peer": peer.peerId, "data-state": peer.state });
    cell(tr, peer.peerId);
    cell(tr, peer.host ? peer.host + ":" + peer.port : "–");
    cell(tr, "").appendChild(el("span", { class: "state " + peer.state }, peer.state));
    cell(tr, String(peer.piecesHave));
    cell(tr, String(peer.uploadsInFlight));
    cell(tr, bytes(peer.bytesUploaded));
    cell(tr, String(peer.failures));
    body.appendChild(tr);
  }
}

async function json(url) {
  const r = await fetch(url, { cache: "no-store" });
  if (!r.ok) throw new Error(url + " answered " + r.status);
  return r.json();
}

async function refresh() {
  try {
    const feed = await json("/api/v1/dashboard");
    const s = feed.scheduler;
    text("tasks-count", s.tasks + " (" + s.activeTasks + ")");
    text("peers-count", s.peersActive + " / " + s.peersIsolated);
    text("waiting", String(s.parked));
    text("origin-total", bytes(feed.originBytes));
    text("cdn-total", bytes(feed.cdnBytes));
    drawTasks(feed);
    const task = feed.tasks.find(t => t.taskId === selected);
    document.getElementById("task").hidden = !task;
    if (task) {
      drawSummary(task);
      drawThroughput(task.samples);
      const pieces = await json("/api/v1/dashboard/tasks/" + encodeURIComponent(task.taskId));
      drawPieceMap(pieces);
      drawPeers(pieces);
    }
    text("health", "updated " + new Date(feed.now).toLocaleTimeString());
    document.body.dataset.updates = String(Number(document.body.dataset.updates || 0) + 1);
  } catch (e) {
    text("health", "cannot reach the supernode: " + e.message);
  }
}

refresh();
setInterval(refresh, POLL_MS);
