/* The map, drawn once per page load and then updated in place.
 *
 * ``NMG.build(data, container)`` creates every feature of the map data once: corridors as
 * polylines on one canvas (thin lines stay clickable: the renderer's tolerance), facilities and
 * regional items as clustered markers, provinces on a canvas of their own below, province labels
 * in a pane above the markers. ``NMG.apply(args)`` then takes what a page run sends (language,
 * which features are visible, the status store's changes, highlighted partners, basemap) and
 * changes only what differs: layers are added or removed, restyled, relabelled. The frame and
 * the user's view stay; the view changes only when the user presses "fit to selection".
 */
(function (NMG) {
  "use strict";

  var S = NMG.state = {map: null, feats: [], sectors: [], groups: {}, lines: {}, clusters: {}, labels: [],
                       lang: null, mask: undefined, changes: {}, partners: [], basemap: null, tiles: [],
                       applied: false, seq: 0, painted: 0, clicks: 0, popupFeat: null};

  /* Google's encoded polyline of x, y deltas on a grid of 1 / scale degrees → [L.LatLng, …],
   * decoded in one pass straight into the objects Leaflet keeps (at 10,000 corridors there are
   * half a million vertices: no intermediate arrays). */
  function latLngs(text, scale) {
    var out = [], value = 0, shift = 0, x = 0, y = 0, odd = false;
    for (var i = 0; i < text.length; i++) {
      var b = text.charCodeAt(i) - 63;
      value |= (b & 0x1f) << shift; shift += 5;
      if (b < 0x20) {
        var d = value & 1 ? ~(value >> 1) : value >> 1;
        value = 0; shift = 0;
        if (odd) { y += d; out.push(new L.LatLng(y / scale, x / scale)); } else x += d;
        odd = !odd;
      }
    }
    return out;
  }

  function statusOf(f) { var c = S.changes[f.p.id]; return c ? c.st : f.p.st; }
  function drawClass(f) { return NMG.data.style.classes[statusOf(f)] || "planned"; }

  function color(f) {
    var style = NMG.data.style;
    return drawClass(f) === "stopped" ? style.grey : (style.colors[f.p.s] || style.fallback);
  }

  function lineStyle(f) {
    var style = NMG.data.style, p = f.p, dash = style.dashes[drawClass(f)] || null;
    return {color: color(f), weight: style.weights[p.k] || style.weight, opacity: p.ro === "schematic" ? 0.6 : 0.95,
            dashArray: dash, lineCap: NMG.lineCap(dash), lineJoin: "round", renderer: S.lineRenderer};
  }

  function markerIcon(f) {
    var style = NMG.data.style, cls = drawClass(f), icon = style.icons[f.p.k] || "location-dot";
    var node = NMG.el("div", "nmg-pin nmg-" + (cls in style.dashes ? cls : "planned") + (f.p.r ? " nmg-region" : ""));
    node.style.setProperty("--c", color(f));
    node.appendChild(NMG.el("i", "fa-solid fa-" + icon));
    return L.divIcon({html: node, className: "nmg-marker", iconSize: [24, 24], iconAnchor: [12, 12], popupAnchor: [0, -10]});
  }

  function clusterIcon(sector) {
    return function (cluster) {
      var node = NMG.el("div", "nmg-cluster", String(cluster.getChildCount()));
      node.style.setProperty("--c", NMG.data.style.colors[sector] || NMG.data.style.fallback);
      return L.divIcon({html: node, className: "nmg-marker", iconSize: [30, 30]});
    };
  }

  // -- building ------------------------------------------------------------------------------

  NMG.build = function (data, container) {
    NMG.data = data;
    var map = S.map = L.map(container, {zoomSnap: 0.25, zoomDelta: 0.5, minZoom: 3, maxZoom: 18,
                                        zoomControl: false, attributionControl: false});
    map.createPane("nmgProvinces").style.zIndex = 350;
    var labelPane = map.createPane("nmgLabels");
    labelPane.style.zIndex = 640;  // above the markers (600), below tooltips (650) and popups (700)
    labelPane.style.pointerEvents = "none";
    S.lineRenderer = L.canvas({tolerance: 6, padding: 0.3});
    S.provinceRenderer = L.canvas({pane: "nmgProvinces", padding: 0.3});
    S.zoom = L.control.zoom({position: "topleft"}).addTo(map);
    S.fit = NMG.fitControl().addTo(map);
    L.control.scale({position: "bottomleft", imperial: false}).addTo(map);
    S.attribution = L.control.attribution({position: "bottomright", prefix: false}).addTo(map);
    S.legend = NMG.legendControl().addTo(map);
    S.tip = L.tooltip({direction: "top", opacity: 0.95, offset: [0, -6]});
    S.popup = L.popup({maxWidth: 360, minWidth: 240, autoPanPaddingTopLeft: [50, 20], autoPanPaddingBottomRight: [20, 20]});
    map.on("popupclose", function () { S.popupFeat = null; });
    map.on("moveend resize", NMG.declutter);
    if (document.fonts) document.fonts.ready.then(NMG.declutter);
    // Until the map is moved by anything but the fit itself (a hand, a key, a popup panning into
    // view, a script), the first view follows the frame's size as the page settles.
    S.autoFit = true;
    ["mousedown", "touchstart", "wheel", "keydown"].forEach(function (type) {
      container.addEventListener(type, function () { S.autoFit = false; }, {capture: true, passive: true});
    });
    map.on("resize", function () { if (S.autoFit && S.applied) NMG.fitSelection(true); });
    buildProvinces(data);
    buildFeatures(data);
    map.setView([42, 112], 4.5, {animate: false});
    map.on("movestart", function () { if (!S.fitting) S.autoFit = false; });
  };

  function buildProvinces(data) {
    var scale = data.ringScale;
    S.provinces = data.provinces.map(function (pr) {
      var rings = pr.g.map(function (polygon) { return polygon.map(function (r) { return latLngs(r, scale); }); });
      var layer = L.polygon(rings, {renderer: S.provinceRenderer, interactive: false}).addTo(S.map);
      var label = NMG.el("span");
      var marker = L.marker([pr.y, pr.x], {pane: "nmgLabels", interactive: false, keyboard: false,
        icon: L.divIcon({html: label, className: "nmg-prov-label" + (pr.n === data.style.home ? " nmg-home-label" : ""),
                         iconSize: [0, 0]})}).addTo(S.map);
      S.labels.push({pr: pr, marker: marker, node: label});
      if (pr.n === data.style.home) S.homeBounds = layer.getBounds();
      return {pr: pr, layer: layer};
    });
  }

  function buildFeatures(data) {
    data.features.forEach(function (p, i) {
      var g = p.g, f = {p: p, i: i, layers: [], line: g.t === "L" || g.t === "ML", on: false};
      if (!S.groups[p.s]) addSector(p.s);
      if (f.line) {
        var layer = L.polyline(g.t === "L" ? latLngs(g.e, data.scale) : g.e.map(function (e) { return latLngs(e, data.scale); }),
                               lineStyle(f));
        layer._nmg = f;
        f.layers.push(layer);
        f.bounds = layer.getBounds();
      } else {
        var coords = g.t === "P" ? [g.c] : g.c;
        coords.forEach(function (c) {
          var marker = L.marker([c[1], c[0]], {icon: markerIcon(f), riseOnHover: true});
          marker._nmg = f;
          f.layers.push(marker);
        });
        f.bounds = L.latLngBounds(coords.map(function (c) { return [c[1], c[0]]; }));
      }
      S.feats.push(f);
    });
  }

  function addSector(sector) {
    var lines = L.featureGroup(), cluster = L.markerClusterGroup({showCoverageOnHover: false, maxClusterRadius: 36,
      spiderfyDistanceMultiplier: 1.4, iconCreateFunction: clusterIcon(sector)});
    [lines, cluster].forEach(function (group) {
      group.on("click", onClick).on("mouseover", onOver).on("mousemove", onMove).on("mouseout", onOut);
    });
    S.lines[sector] = lines;
    S.clusters[sector] = cluster;
    S.groups[sector] = L.layerGroup([lines, cluster]).addTo(S.map);
    S.sectors.push(sector);
  }

  // -- interaction ---------------------------------------------------------------------------

  function onClick(e) {
    var f = e.layer && e.layer._nmg;
    if (!f) return;
    S.popupFeat = f;
    S.popup.options.maxWidth = Math.min(360, S.map.getSize().x - 60);
    S.popup.setLatLng(f.line ? e.latlng : e.layer.getLatLng())
      .setContent(NMG.popup(f.p, S.changes[f.p.id], S.lang)).openOn(S.map);
    NMG.setValue({ready: true, id: f.p.id, n: ++S.clicks});
  }

  function onOver(e) {
    var f = e.layer && e.layer._nmg;
    if (!f) return;
    S.tip.setContent(NMG.tooltip(f.p, S.lang)).setLatLng(e.latlng);
    S.map.openTooltip(S.tip);
    if (f.line) e.layer.setStyle({weight: (NMG.data.style.weights[f.p.k] || NMG.data.style.weight) + 2.5});
  }

  function onMove(e) { if (S.map.hasLayer(S.tip)) S.tip.setLatLng(e.latlng); }

  function onOut(e) {
    S.map.closeTooltip(S.tip);
    var f = e.layer && e.layer._nmg;
    if (f && f.line) e.layer.setStyle(lineStyle(f));
  }

  // -- updates in place ----------------------------------------------------------------------

  NMG.apply = function (args) {
    var lang = args.lang === "en" ? "en" : "zh", relabel = lang !== S.lang;
    S.lang = lang;
    document.documentElement.lang = lang === "en" ? "en" : "zh-CN";
    restyle(args.changes || {});
    var changes = markVisible(args.visible == null ? null : args.visible);
    setBasemap(args.basemap || null);
    setPartners(args.partners || [], args.basemap);
    if (relabel || changes || !S.layers) NMG.relabel();
    // The first view is fitted before the layers are added, so that every corridor is projected
    // once, at the zoom it is first drawn at, not once before the fit and again after.
    if (!S.applied) { S.applied = true; NMG.fitSelection(true); }
    if (changes) showLayers(changes);
    var seq = ++S.seq;
    requestAnimationFrame(function () {
      requestAnimationFrame(function () {
        S.painted = seq;
        S.paintedAt = performance.timeOrigin + performance.now();  // when it was on screen (epoch ms)
        NMG.declutter();
        // The page holds back its heavier parts (the table) until the map is on screen.
        if (seq === 1) NMG.setValue({ready: true, id: null, n: S.clicks});
      });
    });
  };

  function restyle(changes) {
    var before = S.changes, ids = {};
    Object.keys(before).concat(Object.keys(changes)).forEach(function (id) { ids[id] = true; });
    S.changes = changes;
    var byId = S.byId || (S.byId = indexById());
    Object.keys(ids).forEach(function (id) {
      var f = byId[id];
      if (!f || JSON.stringify(before[id] || null) === JSON.stringify(changes[id] || null)) return;
      f.layers.forEach(function (layer) {
        if (f.line) layer.setStyle(lineStyle(f)); else layer.setIcon(markerIcon(f));
      });
      if (S.popupFeat === f) S.popup.setContent(NMG.popup(f.p, changes[id], S.lang));
    });
  }

  function indexById() {
    var out = {};
    S.feats.forEach(function (f) { out[f.p.id] = f; });
    return out;
  }

  /* ``mask``: base64 of one bit per feature, or null for all. Marks each feature and returns
   * the layers to add and remove by sector, or null when nothing changed. */
  function markVisible(mask) {
    if (mask === S.mask) return null;
    S.mask = mask;
    var bytes = null;
    if (mask != null) {
      var raw = atob(mask);
      bytes = new Uint8Array(raw.length);
      for (var b = 0; b < raw.length; b++) bytes[b] = raw.charCodeAt(b);
    }
    var lists = {addLines: {}, dropLines: {}, addPoints: {}, dropPoints: {}};
    S.sectors.forEach(function (s) { Object.keys(lists).forEach(function (k) { lists[k][s] = []; }); });
    S.feats.forEach(function (f) {
      var on = bytes === null || ((bytes[f.i >> 3] >> (f.i & 7)) & 1) === 1;
      if (on === f.on) return;
      f.on = on;
      var target = f.line ? (on ? lists.addLines : lists.dropLines) : (on ? lists.addPoints : lists.dropPoints);
      Array.prototype.push.apply(target[f.p.s], f.layers);
    });
    return lists;
  }

  function showLayers(lists) {
    S.sectors.forEach(function (s) {
      lists.dropLines[s].forEach(function (l) { S.lines[s].removeLayer(l); });
      lists.addLines[s].forEach(function (l) { S.lines[s].addLayer(l); });
      if (lists.dropPoints[s].length) S.clusters[s].removeLayers(lists.dropPoints[s]);
      if (lists.addPoints[s].length) S.clusters[s].addLayers(lists.addPoints[s]);
    });
    if (S.popupFeat && !S.popupFeat.on) S.map.closePopup(S.popup);
  }

  function setPartners(partners, basemap) {
    var filled = !basemap || S.tilesFailed, key = partners.join("\n") + "|" + filled;
    if (key === S.partnerKey) return;
    S.partnerKey = key;
    S.partners = partners;
    var home = NMG.data.style.home;
    S.provinces.forEach(function (item) {
      var n = item.pr.n, style;
      if (n === home) style = {color: "#a3261b", weight: 2.6, fillColor: "#f7e9cf", fillOpacity: filled ? 0.95 : 0.25};
      else if (partners.indexOf(n) >= 0) style = {color: "#d49b00", weight: 1.6, fillColor: "#ffd766", fillOpacity: filled ? 0.85 : 0.35};
      else style = {color: "#a7a196", weight: 0.8, fillColor: "#f3f1ec", fillOpacity: filled ? 1 : 0};
      item.layer.setStyle(style);
    });
  }

  function setBasemap(basemap) {
    var key = basemap ? JSON.stringify(basemap) : "";
    if (key === S.basemapKey) return;
    S.basemapKey = key;
    S.tiles.forEach(function (layer) { S.map.removeLayer(layer); });
    S.tiles = [];
    clearTimeout(S.tileTimer);
    NMG.notice(null);
    S.tilesFailed = false;
    if (!basemap) return;
    var loaded = 0;
    var failed = function () {  // say so, and fill the provinces again as without a basemap
      NMG.notice("map_tiles_failed");
      if (!S.tilesFailed) { S.tilesFailed = true; setPartners(S.partners, basemap); }
    };
    basemap.tiles.forEach(function (url, i) {
      var layer = L.tileLayer(url, {subdomains: basemap.subdomains, maxZoom: basemap.maxZoom,
                                    attribution: i === 0 ? basemap.attribution : ""});
      layer.on("tileload", function () { loaded++; });
      layer.on("tileerror", failed);
      layer.addTo(S.map).bringToBack();
      S.tiles.push(layer);
    });
    // A tile that never answers fires no error for minutes: say so after a few seconds without any.
    S.tileTimer = setTimeout(function () { if (!loaded) failed(); }, 4000);
  }

  // -- labels, fitting, decluttering -----------------------------------------------------------

  NMG.relabel = function () {
    var t = NMG.labels(S.lang).t;
    NMG.legend(S.legend.details, S.lang);
    S.labels.forEach(function (lb) { lb.node.textContent = S.lang === "en" ? lb.pr.e : lb.pr.l; });
    S.zoom._zoomInButton.title = t.map_zoom_in;
    S.zoom._zoomOutButton.title = t.map_zoom_out;
    S.fit.button.title = t.map_fit;
    S.fit.button.setAttribute("aria-label", t.map_fit);
    if (S.noticeKey) NMG.notice(S.noticeKey);
    var counts = {};
    S.feats.forEach(function (f) { if (f.on) counts[f.p.s] = (counts[f.p.s] || 0) + 1; });
    var overlays = {};
    NMG.data.style.sectorOrder.forEach(function (s) {
      if (S.groups[s]) overlays[NMG.layerLabel(s, counts[s] || 0, S.lang)] = S.groups[s];
    });
    if (S.layers) S.layers.remove();
    S.layers = L.control.layers(null, overlays, {collapsed: S.map.getSize().x < 700, position: "topright"}).addTo(S.map);
    if (S.popupFeat) S.popup.setContent(NMG.popup(S.popupFeat.p, S.changes[S.popupFeat.p.id], S.lang));
  };

  /* Fit the visible features (and Inner Mongolia, at the first view) clear of every control. */
  NMG.fitSelection = function (withHome) {
    if (withHome) S.legend.fitToMap();
    var bounds = null;
    S.feats.forEach(function (f) {
      if (f.on) bounds = bounds ? bounds.extend(f.bounds) : L.latLngBounds(f.bounds.getSouthWest(), f.bounds.getNorthEast());
    });
    if ((withHome || !bounds) && S.homeBounds) {
      bounds = bounds ? bounds.extend(S.homeBounds) : L.latLngBounds(S.homeBounds.getSouthWest(), S.homeBounds.getNorthEast());
    }
    if (!bounds) return;
    var pad = NMG.padding(bounds);
    // A fit without animation moves the map synchronously, so the flag covers its movestart.
    S.fitting = true;
    try {
      S.map.fitBounds(bounds, {paddingTopLeft: pad[0], paddingBottomRight: pad[1], maxZoom: 9, animate: !withHome});
    } finally {
      S.fitting = false;
    }
  };

  /* Padding that keeps ``bounds`` off every control: each corner's controls are kept clear
   * either beside them or above/below them, whichever leaves the larger zoom. */
  NMG.padding = function (bounds) {
    var box = S.map.getContainer().getBoundingClientRect(), corners = {};
    ["topleft", "topright", "bottomleft", "bottomright"].forEach(function (name) {
      var w = 0, h = 0;
      Array.prototype.forEach.call(S.map._controlCorners[name].children, function (c) {
        var r = c.getBoundingClientRect();
        if (!r.width || !r.height) return;
        w = Math.max(w, name.indexOf("left") > 0 ? r.right - box.left : box.right - r.left);
        h = Math.max(h, name.indexOf("top") === 0 ? r.bottom - box.top : box.bottom - r.top);
      });
      corners[name] = {w: w ? w + 10 : 0, h: h ? h + 10 : 0};
    });
    var best = null, names = Object.keys(corners);
    for (var combo = 0; combo < 16; combo++) {
      var l = 0, r = 0, t = 0, b = 0;
      names.forEach(function (name, i) {
        var c = corners[name], beside = (combo >> i) & 1;
        if (beside) { if (name.indexOf("left") > 0) l = Math.max(l, c.w); else r = Math.max(r, c.w); }
        else if (name.indexOf("top") === 0) t = Math.max(t, c.h); else b = Math.max(b, c.h);
      });
      var size = S.map.getSize();
      l = Math.max(l, 12); r = Math.max(r, 12); t = Math.max(t, 12); b = Math.max(b, 12);
      if (l + r >= size.x - 40 || t + b >= size.y - 40) continue;
      var zoom = S.map.getBoundsZoom(bounds, false, L.point(l + r, t + b));
      if (!best || zoom > best.zoom || (zoom === best.zoom && l + r + t + b < best.sum)) {
        best = {zoom: zoom, sum: l + r + t + b, pad: [[l, t], [r, b]]};
      }
    }
    return best ? best.pad : [[10, 10], [10, 10]];
  };

  /* Hide province labels that would overlap a label of higher rank (home, partners, larger).
   * Boxes come from where the labels will stand in this view (not from the screen, which may
   * still be animating a zoom); while the frame is not laid out yet, look again shortly. */
  NMG.declutter = function () {
    var partners = S.partners, home = NMG.data && NMG.data.style.home, kept = [], unsized = false;
    var rank = function (lb) { return lb.pr.n === home ? 2 : partners.indexOf(lb.pr.n) >= 0 ? 1 : 0; };
    S.labels.slice().sort(function (a, b) { return rank(b) - rank(a) || b.pr.a - a.pr.a; }).forEach(function (lb) {
      var w = lb.node.offsetWidth, h = lb.node.offsetHeight;
      if (!w) { unsized = unsized || lb.node.textContent !== ""; return; }
      var c = S.map.latLngToContainerPoint([lb.pr.y, lb.pr.x]);
      var r = {left: c.x - w / 2 - 2, right: c.x + w / 2 + 2, top: c.y - h / 2 - 2, bottom: c.y + h / 2 + 2};
      var clash = kept.some(function (k) { return r.left < k.right && r.right > k.left && r.top < k.bottom && r.bottom > k.top; });
      lb.node.style.visibility = clash ? "hidden" : "";
      if (!clash) kept.push(r);
    });
    clearTimeout(S.declutterTimer);
    if (unsized) S.declutterTimer = setTimeout(NMG.declutter, 250);
  };

  /* What tests and the benchmark read: the corridors on the map now, and the last painted update. */
  NMG.drawnLineIds = function () {
    return S.feats.filter(function (f) { return f.line && f.on && S.map.hasLayer(f.layers[0]); })
      .map(function (f) { return f.p.id; });
  };
  NMG.shownIds = function () {
    return S.feats.filter(function (f) { return f.on; }).map(function (f) { return f.p.id; });
  };
})(window.NMG = window.NMG || {});
