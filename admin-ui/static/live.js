// Live refresh for sections marked data-live="<seconds>": the page is fetched again and the sections replaced
// with their new selves, so forms elsewhere on the page keep what is being typed. Pauses while the tab is hidden.
(function () {
  'use strict';
  var sections = document.querySelectorAll('[data-live]');
  if (sections.length === 0) {
    return;
  }
  var seconds = Math.max(2, parseInt(sections[0].getAttribute('data-live'), 10) || 5);
  function refresh() {
    if (document.hidden) {
      return;
    }
    fetch(window.location.href, {credentials: 'same-origin', headers: {'Accept': 'text/html', 'X-Live-Refresh': '1'}})
      .then(function (response) {
        if (response.redirected && response.url.indexOf('/admin/signin') >= 0) {
          window.location.assign(response.url); // the session ended: show the sign-in page, which says so
        }
        if (!response.ok || response.redirected) {
          throw new Error('not refreshed: ' + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, 'text/html');
        document.querySelectorAll('[data-live]').forEach(function (section) {
          var replacement = section.id && fresh.getElementById(section.id);
          if (replacement) {
            section.replaceWith(document.importNode(replacement, true));
          }
        });
      })
      .catch(function () { /* the next tick tries again; a signed-out session shows on the next navigation */ });
  }
  window.setInterval(refresh, seconds * 1000);
}());
