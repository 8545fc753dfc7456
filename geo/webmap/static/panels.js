/* What the map shows about a project and about itself: popup, tooltip, legend, layer labels.
 *
 * Every text from the data (names, agencies, notes, clause texts) reaches the page through
 * textContent; the only markup made here is our own (legend swatches, layer-control labels),
 * with every label escaped. Labels come from the map data in both languages
 * (geo.mapdata.browser_labels), so a language switch needs no new download.
 */
(function (NMG) {
  "use strict";

  function esc(s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
  }

  /* "{editor} at {at}" with values put in as text (the result goes to textContent). */
  function fill(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (_, key) {
      return values[key] == null ? "" : String(values[key]);
    });
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text != null) node.textContent = text;
    return node;
  }

  function labels(lang) { return NMG.data.labels[lang] || NMG.data.labels.zh; }

  function projectName(p, lang) { return lang === "en" ? (p.ne || p.nz) : p.nz; }

  function provinceName(name, lang) {
    if (lang !== "en") return name;
    var found = (NMG.data.provinces || []).filter(function (pr) { return pr.n === name; })[0];
    return found ? found.e : name;
  }

  function agencies(p, key, lang) {
    var ids = lang === "en" && p[key + "e"] && p[key + "e"].length ? p[key + "e"] : (p[key] || []);
    return ids.map(function (i) { return NMG.data.names[i]; });
  }

  function row(table, label, value, lang) {
    if (value == null || value === "" || (Array.isArray(value) && !value.length)) return;
    var tr = table.insertRow(), th = el("th", "", label);
    tr.appendChild(th);
    tr.insertCell().textContent = Array.isArray(value) ? value.join(lang === "en" ? "; " : "、") : value;
  }

  /* The popup of project ``p``; ``change`` is the status store's record of it, if any. */
  function popup(p, change, lang) {
    var L10n = labels(lang), t = L10n.t, box = el("div", "nmg-popup");
    box.appendChild(el("h4", "", p.nz));
    if (p.ne) box.appendChild(el("div", "nmg-en", p.ne));
    if (p.r) box.appendChild(el("div", "nmg-region-note", t.pp_region));
    var table = document.createElement("table");
    box.appendChild(table);
    row(table, t.pp_sector, (L10n.sectors[p.s] || p.s) + " · " + (L10n.kinds[p.k] || p.k), lang);
    row(table, t.pp_lead, agencies(p, "la", lang), lang);
    row(table, t.pp_coop, agencies(p, "ca", lang), lang);
    row(table, t.pp_partners, (p.pp || []).map(function (i, n) {
      var why = p.pw && t["reason_" + p.pw[n]];
      return provinceName(NMG.data.names[i], lang) + (why ? (lang === "en" ? " (" + why + ")" : "(" + why + ")") : "");
    }), lang);
    row(table, t.pp_countries, agencies(p, "pc", lang), lang);  /* countries abroad, as names and English like agencies */
    var status = change ? change.st : p.st;
    row(table, t.pp_status, L10n.statuses[status] || status, lang);
    if (change) {
      row(table, t.pp_effective, change.eff, lang);
      row(table, t.pp_recorded, fill(t.pp_recorded_by, {editor: change.by, at: change.at}), lang);
      row(table, t.pp_note, change.note, lang);
    } else {
      row(table, t.pp_origin, t.pp_origin_plan, lang);
    }
    row(table, t.pp_plan_wording, p.w, lang);
    if (p.len != null) {
      var notes = [p.ls === "published" ? t.len_published : t.len_drawn];
      if (p.pub != null) notes.push(fill(t.len_published_other, {km: Math.round(p.pub).toLocaleString("en")}));
      if (p.ro) notes.push(t["route_" + p.ro] || p.ro);
      var joined = notes.join(lang === "en" ? "; " : ";");
      row(table, t.pp_length, Math.round(p.len).toLocaleString("en") + " km " + (lang === "en" ? "(" + joined + ")" : "(" + joined + ")"), lang);
    }
    if (p.pr != null) row(table, t.pp_precision, L10n.precision[p.pr] || String(p.pr), lang);
    row(table, t.pp_clause, p.cl, lang);
    if (p.py && p.py.length) row(table, t.pp_plans, p.py.join(lang === "en" ? ", " : "、"), lang);
    var clause = NMG.data.clauses[p.cl];
    if (clause) box.appendChild(el("div", "nmg-clause", clause));
    box.appendChild(el("div", "nmg-id", t.pp_id + ": " + p.id));
    return box;
  }

  function tooltip(p, lang) { return el("span", "", projectName(p, lang)); }

  /* The layer control's label of one sector: our own markup, the label escaped. */
  function layerLabel(sector, count, lang) {
    var style = NMG.data.style, color = style.colors[sector] || style.fallback;
    return '<span class="nmg-swatch" style="background:' + esc(color) + '"></span>' +
      esc(labels(lang).sectors[sector] || sector) + " <small>(" + esc(count) + ")</small>";
  }

  /* A line's ends: dashes get square ends, so the pattern is drawn as given (a round cap would
   * lengthen every dash by the line's width, and rounding both ends of thousands of dashes is
   * what the canvas spends most of its drawing time on); solid lines keep round ends. The map's
   * lines and the legend's samples both take it from here, so the two always match. */
  function lineCap(dash) { return dash ? "butt" : "round"; }

  var SVG = "http://www.w3.org/2000/svg";

  function sample(color, weight, dash, opacity) {
    var svg = document.createElementNS(SVG, "svg"), line = document.createElementNS(SVG, "line");
    svg.setAttribute("width", "34"); svg.setAttribute("height", "12");
    var attrs = {x1: 2, y1: 6, x2: 32, y2: 6, stroke: color, "stroke-width": weight,
                 "stroke-opacity": opacity == null ? 0.95 : opacity, "stroke-linecap": lineCap(dash)};
    if (dash) attrs["stroke-dasharray"] = dash;
    Object.keys(attrs).forEach(function (k) { line.setAttribute(k, attrs[k]); });
    svg.appendChild(line);
    return svg;
  }

  function legendRow(parent, swatch, text) {
    var r = el("div", "nmg-lg-row");
    r.appendChild(swatch);
    r.appendChild(document.createTextNode(text));
    parent.appendChild(r);
  }

  function pin(cls, icon) {
    var span = el("span", "nmg-pin nmg-built nmg-lg-pin " + cls);
    span.style.setProperty("--c", "#444");
    span.appendChild(el("i", "fa-solid fa-" + icon));
    return span;
  }

  /* The legend's content in ``lang``, built as DOM (no markup from strings). */
  function legend(details, lang) {
    var L10n = labels(lang), t = L10n.t, style = NMG.data.style, open = details.open;
    details.textContent = "";
    details.open = open;
    details.appendChild(el("summary", "", t.lg_title));
    var cols = el("div", "nmg-lg-cols");
    details.appendChild(cols);
    var kinds = el("div"), status = el("div"), other = el("div");
    [kinds, status, other].forEach(function (c) { cols.appendChild(c); });
    kinds.appendChild(el("h5", "", t.lg_kinds));
    style.legendKinds.forEach(function (k) { legendRow(kinds, sample("#444", style.weights[k]), L10n.kinds[k] || k); });
    status.appendChild(el("h5", "", t.lg_status));
    legendRow(status, sample("#444", 3), t.lg_status_built);
    legendRow(status, sample("#444", 3, style.dashes.construction), t.lg_status_construction);
    legendRow(status, sample("#444", 3, style.dashes.planned), t.lg_status_planned);
    legendRow(status, sample(style.grey, 3, style.dashes.stopped), t.lg_status_stopped);
    other.appendChild(el("h5", "", t.lg_route));
    legendRow(other, sample("#444", 3), t.route_traced);
    legendRow(other, sample("#444", 3, null, 0.5), t.route_schematic);
    other.appendChild(el("h5", "", t.lg_points));
    legendRow(other, pin("", "industry"), t.lg_facility);
    legendRow(other, pin("nmg-region", "handshake"), t.lg_region);
    legendRow(other, el("span", "nmg-swatch nmg-home"), t.lg_home);
    legendRow(other, el("span", "nmg-swatch nmg-partner"), t.lg_partner);
  }

  NMG.esc = esc;
  NMG.el = el;
  NMG.labels = labels;
  NMG.projectName = projectName;
  NMG.popup = popup;
  NMG.tooltip = tooltip;
  NMG.layerLabel = layerLabel;
  NMG.legend = legend;
  NMG.lineCap = lineCap;
})(window.NMG = window.NMG || {});
