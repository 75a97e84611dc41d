// Progressive enhancement of the unit editor: refreshes the reminder preview while the name is typed.
// The server computes text and segments (one implementation of R25/R27); without JavaScript the
// "Förhandsgranska" button does the same through a form post.
(function () {
  'use strict';
  var input = document.querySelector('[data-preview-source]');
  var panel = document.getElementById('preview');
  if (!input || !panel || !window.fetch) {
    return;
  }

  var timer = null;
  function ensure(selector, tag) {
    var element = panel.querySelector(selector);
    if (!element) {
      element = document.createElement(tag);
      element.setAttribute(selector.slice(1, -1), '');
      panel.insertBefore(element, panel.querySelector('.hint'));
    }
    return element;
  }

  function refresh() {
    var url = panel.getAttribute('data-preview-url') + '&name=' + encodeURIComponent(input.value);
    fetch(url, { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) {
          return;
        }
        ensure('[data-preview-text]', 'p').textContent = data.text;
        ensure('[data-preview-size]', 'p').textContent = data.segments + ' sms (' + data.units + ' tecken, ' + (data.encoding === 'Gsm7' ? 'GSM' : 'UCS-2') + ')';
        var message = ensure('[data-preview-message]', 'p');
        message.textContent = data.message;
        message.className = 'notice ' + (data.segments === 1 ? 'ok' : (data.refused ? 'bad' : 'warn'));
      })
      .catch(function () { /* the button still works */ });
  }

  input.addEventListener('input', function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 250);
  });
}());
