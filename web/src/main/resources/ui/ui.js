// fedsearch pages: search-box suggestions (from /api/suggest) and keyboard navigation of results.
// Dependency-free; the pages work without it. Text is inserted with textContent only, never as markup.
(function () {
  'use strict';
  var input = document.getElementById('q');
  var list = document.getElementById('suggestions');
  var active = -1;
  var timer = null;
  var lastAsked = '';

  function items() { return list ? Array.prototype.slice.call(list.children) : []; }

  function close() {
    if (!list) { return; }
    list.hidden = true;
    active = -1;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
  }

  function mark(i) {
    var all = items();
    all.forEach(function (li, j) { li.setAttribute('aria-selected', j === i ? 'true' : 'false'); });
    active = i;
    if (i >= 0 && all[i]) { input.setAttribute('aria-activedescendant', all[i].id); }
  }

  function choose(text) {
    input.value = text;
    close();
    input.form.submit();
  }

  function show(suggestions) {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    suggestions.forEach(function (s, i) {
      var li = document.createElement('li');
      li.id = 'suggestion-' + i;
      li.setAttribute('role', 'option');
      li.textContent = s;
      li.addEventListener('mousedown', function (e) { e.preventDefault(); choose(s); });
      list.appendChild(li);
    });
    list.hidden = suggestions.length === 0;
    input.setAttribute('aria-expanded', suggestions.length ? 'true' : 'false');
    active = -1;
  }

  function ask() {
    var q = input.value;
    if (q.trim().length < 2 || q === lastAsked) { if (q.trim().length < 2) { close(); } return; }
    lastAsked = q;
    fetch('/api/suggest?limit=8&q=' + encodeURIComponent(q), { headers: { 'Accept': 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
      .then(function (body) { if (input.value === q) { show(body.suggestions || []); } })
      .catch(function () { close(); });
  }

  if (input && list) {
    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(ask, 150);
    });
    input.addEventListener('keydown', function (e) {
      var all = items();
      if (list.hidden || all.length === 0) { return; }
      if (e.key === 'ArrowDown') { e.preventDefault(); mark((active + 1) % all.length); }
      else if (e.key === 'ArrowUp') { e.preventDefault(); mark(active <= 0 ? all.length - 1 : active - 1); }
      else if (e.key === 'Enter' && active >= 0) { e.preventDefault(); choose(all[active].textContent); }
      else if (e.key === 'Escape') { close(); }
    });
    input.addEventListener('blur', function () { setTimeout(close, 100); });
  }

  // j/k move through results, Enter opens, / focuses the search box (not while typing in a field).
  var hits = Array.prototype.slice.call(document.querySelectorAll('li.hit'));
  var current = -1;
  function select(i) {
    if (hits.length === 0) { return; }
    current = Math.max(0, Math.min(hits.length - 1, i));
    hits.forEach(function (h, j) { h.classList.toggle('selected', j === current); });
    var link = hits[current].querySelector('a.open');
    if (link) { link.focus(); }
  }
  document.addEventListener('keydown', function (e) {
    var t = e.target;
    var typing = t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.isContentEditable);
    if (e.ctrlKey || e.metaKey || e.altKey) { return; }
    if (e.key === '/' && !typing && input) { e.preventDefault(); input.focus(); input.select(); }
    else if (!typing && e.key === 'j') { select(current + 1); }
    else if (!typing && e.key === 'k') { select(current - 1); }
  });
}());
