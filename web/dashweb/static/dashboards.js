// Draws every chart whose option the server put in data-option, after the
// first load and after each htmx swap. No inline scripts: the option is an
// HTML-escaped attribute, so text inside it cannot end a script, and the old
// chart on an element is disposed before a new one is drawn there.
(function () {
  "use strict";
  // Charts take room only where they can be drawn: without scripts the
  // page shows the tables alone (dashboards.css, html:not(.js)).
  document.documentElement.classList.add("js");
  var maps = {};
  function ensureMap(name, url) {
    if (!name) return Promise.resolve();
    if (!maps[name]) {
      maps[name] = fetch(url, {credentials: "same-origin"})
        .then(function (r) { return r.json(); })
        .then(function (geo) { echarts.registerMap(name, geo); });
    }
    return maps[name];
  }
  function draw(el) {
    var opt;
    try { opt = JSON.parse(el.getAttribute("data-option")); } catch (e) { return; }
    // ECharts' HTML tooltips are made of inline styles, which the site's
    // CSP refuses; rich-text tooltips are drawn on the canvas instead.
    var tips = Array.isArray(opt.tooltip) ? opt.tooltip : (opt.tooltip ? [opt.tooltip] : []);
    for (var i = 0; i < tips.length; i++) tips[i].renderMode = "richText";
    ensureMap(el.getAttribute("data-map"), el.getAttribute("data-map-url")).then(function () {
      var old = echarts.getInstanceByDom(el);
      if (old) old.dispose();
      echarts.init(el, null, {renderer: "canvas"}).setOption(opt);
    });
  }
  function drawAll(root) {
    var els = (root || document).querySelectorAll(".chart[data-option]");
    for (var i = 0; i < els.length; i++) draw(els[i]);
  }
  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  document.addEventListener("htmx:afterSettle", function (e) { drawAll(e.target); });
  window.addEventListener("resize", function () {
    var els = document.querySelectorAll(".chart");
    for (var i = 0; i < els.length; i++) { var c = echarts.getInstanceByDom(els[i]); if (c) c.resize(); }
  });
})();
