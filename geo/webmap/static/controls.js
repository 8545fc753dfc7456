/* The map's own controls: "fit to selection", the legend toggle, and a notice line. */
(function (NMG) {
  "use strict";

  /* A button under the zoom buttons that fits the view to the visible features. */
  NMG.fitControl = function () {
    var control = L.control({position: "topleft"});
    control.onAdd = function (map) {
      var bar = L.DomUtil.create("div", "leaflet-bar nmg-fit");
      var button = control.button = L.DomUtil.create("a", "", bar);
      button.href = "#";
      button.setAttribute("role", "button");
      button.appendChild(NMG.el("i", "fa-solid fa-expand"));
      L.DomEvent.disableClickPropagation(bar);
      L.DomEvent.on(button, "click", function (e) {
        L.DomEvent.preventDefault(e);
        NMG.fitSelection(false);
        map.getContainer().focus();
      });
      return bar;
    };
    return control;
  };

  /* The legend, folded into one line ("Legend") unless the map has room for it open. */
  NMG.legendControl = function () {
    var control = L.control({position: "bottomright"});
    control.onAdd = function (map) {
      var box = L.DomUtil.create("div", "nmg-legend");
      var details = control.details = document.createElement("details");
      details.addEventListener("click", function () { control.touched = true; });
      control.fitToMap();
      box.appendChild(details);
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    /* Open only where the map has room for it, until the user opens or closes it. */
    control.fitToMap = function () {
      var size = control._map ? control._map.getSize() : null;
      if (size && !control.touched) control.details.open = size.x >= 900 && size.y >= 700;
    };
    return control;
  };

  /* One line of text over the top of the map (``key`` of the interface strings), or none. */
  NMG.notice = function (key) {
    var S = NMG.state, container = S.map.getContainer();
    S.noticeKey = key;
    if (!S.noticeNode) {
      S.noticeNode = NMG.el("div", "nmg-notice");
      S.noticeNode.setAttribute("role", "status");
      L.DomEvent.disableClickPropagation(S.noticeNode);
      container.appendChild(S.noticeNode);
    }
    S.noticeNode.textContent = key ? NMG.labels(S.lang || "zh").t[key] : "";
    S.noticeNode.style.display = key ? "" : "none";
  };
})(window.NMG = window.NMG || {});
