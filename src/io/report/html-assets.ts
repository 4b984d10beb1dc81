/**
 * The style sheet and the one script of `report.html`, and the Content-Security-Policy that
 * lets the page run them and nothing else (SPEC §5.5): both are allowed by their SHA-256
 * hash, and every other source — network, images, frames, forms — is `'none'`.
 */
import { createHash } from 'node:crypto';

/** The page's style sheet. */
export const REPORT_CSS = `
:root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", sans-serif; color: #222; }
body { margin: 0 auto; max-width: 1200px; padding: 16px 24px 48px; line-height: 1.4; }
h1 { margin: 8px 0 4px; font-size: 24px; } h2 { margin: 28px 0 8px; font-size: 18px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
.muted { color: #666; }
.banner { background: #fff4e5; border: 1px solid #f0a040; border-left: 6px solid #e07b00; padding: 8px 14px; margin: 12px 0; border-radius: 4px; }
.banner strong { color: #9a4a00; } .banner ul { margin: 4px 0; padding-left: 20px; }
.headline { font-size: 20px; font-weight: 600; margin: 12px 0; padding: 10px 14px; background: #f3f6fb; border-radius: 6px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 10px; margin: 0; }
.cards div { border: 1px solid #e2e2e2; border-radius: 6px; padding: 8px 12px; }
.cards dt { font-size: 12px; color: #555; } .cards dd { margin: 2px 0 0; font-size: 18px; font-variant-numeric: tabular-nums; }
.cards .key { border-color: #c8553d; } .cards .key dd { color: #a33b25; font-weight: 600; }
.bad { color: #b00020; font-weight: 600; }
.charts { display: grid; grid-template-columns: 1fr; gap: 16px; }
.chart { width: 100%; max-width: 900px; height: auto; display: block; }
figure { margin: 0; } figcaption { font-weight: 600; margin-bottom: 4px; }
table { border-collapse: collapse; font-size: 13px; width: 100%; }
th, td { border-bottom: 1px solid #eee; padding: 4px 6px; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
thead th { background: #fafafa; }
.scroll thead th { position: sticky; top: 0; z-index: 1; }
th button { font: inherit; font-weight: 600; border: 0; background: none; cursor: pointer; padding: 0; }
th[aria-sort="ascending"] button::after { content: " ▲"; } th[aria-sort="descending"] button::after { content: " ▼"; }
.controls { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; margin: 8px 0; }
.controls input, .controls select { font: inherit; padding: 3px 6px; }
.scroll { max-height: 640px; overflow: auto; border: 1px solid #eee; }
td.detail { min-width: 22em; max-width: 36em; }
td.id { min-width: 14em; max-width: 22em; overflow-wrap: anywhere; font-size: 12px; }
#rows { min-width: 1500px; }
td.nowrap { white-space: nowrap; }
`;

/** The page's script: sorts the discrepancy table by a clicked column, filters, searches. */
export const REPORT_SCRIPT = `
(function () {
  'use strict';
  var table = document.getElementById('rows');
  if (!table) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var kind = document.getElementById('filter-kind');
  var action = document.getElementById('filter-action');
  var search = document.getElementById('search');
  var shown = document.getElementById('shown');
  var texts = null;
  function textOf(row) {
    if (texts === null) texts = new Map();
    var t = texts.get(row);
    if (t === undefined) { t = row.textContent.toLowerCase(); texts.set(row, t); }
    return t;
  }
  function apply() {
    var k = kind.value, a = action.value, q = search.value.trim().toLowerCase();
    var n = 0;
    for (var i = 0; i < rows.length; i++) {
      var r = rows[i];
      var ok = (!k || r.getAttribute('data-kind') === k) && (!a || r.getAttribute('data-action') === a) && (!q || textOf(r).indexOf(q) >= 0);
      r.hidden = !ok;
      if (ok) n++;
    }
    shown.textContent = shown.getAttribute('data-template')
      .replace('{shown}', n.toLocaleString('en-US')).replace('{total}', rows.length.toLocaleString('en-US'));
  }
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var sorted = -1, direction = 0;
  function sortBy(col) {
    var numeric = heads[col].getAttribute('data-type') === 'num';
    direction = sorted === col ? -direction : (numeric ? -1 : 1);
    sorted = col;
    var keyed = rows.map(function (r, i) {
      var t = r.cells[col].textContent;
      return { r: r, i: i, empty: t === '', k: numeric ? Number(t) : t };
    });
    keyed.sort(function (x, y) {
      if (x.empty !== y.empty) return x.empty ? 1 : -1;
      var c = numeric ? x.k - y.k : (x.k < y.k ? -1 : x.k > y.k ? 1 : 0);
      return c !== 0 ? c * direction : x.i - y.i;
    });
    var fragment = document.createDocumentFragment();
    rows = keyed.map(function (e) { fragment.appendChild(e.r); return e.r; });
    body.appendChild(fragment);
    heads.forEach(function (h, i) {
      if (i === col) h.setAttribute('aria-sort', direction > 0 ? 'ascending' : 'descending');
      else h.removeAttribute('aria-sort');
    });
  }
  heads.forEach(function (h, i) {
    var button = h.querySelector('button');
    if (button) button.addEventListener('click', function () { sortBy(i); });
  });
  kind.addEventListener('change', apply);
  action.addEventListener('change', apply);
  search.addEventListener('input', apply);
  apply();
})();
`;

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/**
 * The page's Content-Security-Policy: its own style and script by hash, nothing else —
 * no request of any kind.
 *
 * @example
 * REPORT_CSP.startsWith("default-src 'none'"); // true
 */
export const REPORT_CSP = [
  "default-src 'none'",
  `script-src ${sha256(REPORT_SCRIPT)}`,
  `style-src ${sha256(REPORT_CSS)}`,
  "img-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');
