// Citizen pages: after htmx puts new content in place, move the focus to
// what the server marked (the first comment of a page just loaded, the
// button just pressed) and read out its announcement, so that a keyboard
// or screen-reader user lands on what they asked for instead of on a link
// that no longer exists. Without this file the pages work as plain links
// and forms.
(function () {
  'use strict';
  document.addEventListener('htmx:afterSettle', function () {
    var el = document.querySelector('[data-focus]');
    if (!el) {
      return;
    }
    el.removeAttribute('data-focus');
    el.focus();
    var text = el.getAttribute('data-announce');
    var live = document.getElementById('live');
    if (text && live) {
      live.textContent = text;
    }
  });
})();

// The proposal form's map: a tap on the drawing fills the latitude and
// longitude fields (the inverse of the server's projection, whose numbers
// the drawing carries), and the marker follows what is typed there. The
// fields stay the form's answer: without this script, and for keyboard
// users, they are the way to give a point.
(function () {
  'use strict';
  var SVG = 'http://www.w3.org/2000/svg';
  function num(el, name) {
    return parseFloat(el.getAttribute(name));
  }
  function round(v) {
    return Math.round(v * 1e5) / 1e5;
  }
  function picker(root) {
    var svg = root.querySelector('svg');
    var lat = document.getElementById('f-lat');
    var lng = document.getElementById('f-lng');
    var status = root.querySelector('.map-status');
    if (!svg || !lat || !lng || !status || !svg.createSVGPoint) {
      return;
    }
    var west = num(svg, 'data-west'), north = num(svg, 'data-north');
    var kx = num(svg, 'data-kx'), ky = num(svg, 'data-ky');
    var tap = root.querySelector('#map-tap');
    if (tap) {
      tap.hidden = false;
    }
    function marker() {
      var m = svg.querySelector('.marker');
      if (!m) {
        m = document.createElementNS(SVG, 'circle');
        m.setAttribute('class', 'marker');
        m.setAttribute('r', '7');
        svg.appendChild(m);
      }
      return m;
    }
    // regionAt names the area under a point of the drawing, or ''.
    function regionAt(x, y) {
      var pt = svg.createSVGPoint();
      pt.x = x;
      pt.y = y;
      var paths = svg.querySelectorAll('path');
      if (!paths.length || !paths[0].isPointInFill) {
        return ''; // an old browser: the server checks the point
      }
      for (var i = 0; i < paths.length; i++) {
        if (paths[i].isPointInFill(pt)) {
          var t = paths[i].querySelector('title');
          return t ? t.textContent : '';
        }
      }
      return null;
    }
    function announce(name, la, ln) {
      if (name === null) {
        status.textContent = status.getAttribute('data-outside');
        return;
      }
      status.textContent = status.getAttribute(name ? 'data-chosen' : 'data-chosen-plain')
        .replace('{region}', name).replace('{lat}', la).replace('{lng}', ln);
    }
    // follow moves the marker to the typed point; it returns the area
    // there, or undefined when the fields hold no point.
    function follow() {
      var la = parseFloat(lat.value), ln = parseFloat(lng.value);
      var m = svg.querySelector('.marker');
      if (!isFinite(la) || !isFinite(ln)) {
        if (m) {
          m.parentNode.removeChild(m);
        }
        return undefined;
      }
      var x = (ln - west) * kx, y = (north - la) * ky;
      m = marker();
      m.setAttribute('cx', x.toFixed(1));
      m.setAttribute('cy', y.toFixed(1));
      return regionAt(x, y);
    }
    svg.addEventListener('click', function (e) {
      var ctm = svg.getScreenCTM();
      if (!ctm) {
        return;
      }
      var pt = svg.createSVGPoint();
      pt.x = e.clientX;
      pt.y = e.clientY;
      var p = pt.matrixTransform(ctm.inverse());
      var name = regionAt(p.x, p.y);
      if (name === null) {
        announce(null);
        return;
      }
      var la = round(north - p.y / ky), ln = round(west + p.x / kx);
      lat.value = la;
      lng.value = ln;
      follow();
      announce(name, la, ln);
    });
    lat.addEventListener('input', follow);
    lng.addEventListener('input', follow);
    // Read out a typed point once, when the field is left, not on every key.
    function typed() {
      var name = follow();
      if (name !== undefined) {
        announce(name, lat.value.trim(), lng.value.trim());
      }
    }
    lat.addEventListener('change', typed);
    lng.addEventListener('change', typed);
  }
  var roots = document.querySelectorAll('[data-map-picker]');
  for (var i = 0; i < roots.length; i++) {
    picker(roots[i]);
  }
})();
