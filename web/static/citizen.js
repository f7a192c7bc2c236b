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
