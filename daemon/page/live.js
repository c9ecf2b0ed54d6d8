// The live page: events arrive as server-sent events (the last 100 first,
// then each one as every sink confirms it) and are drawn with DOM nodes and
// textContent only. Dispatch text is untrusted and never parsed as HTML; the
// Content-Security-Policy forbids inline script besides.
'use strict';

(function () {
  const KEEP = 300; // events kept on the page
  const list = document.getElementById('events');
  const empty = document.getElementById('empty');
  const conn = document.getElementById('conn');
  const fSpeaker = document.getElementById('f-speaker');
  const fLanguage = document.getElementById('f-language');
  const count = document.getElementById('count');
  const languages = new Set();
  const seen = new Set();

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function fold(s) {
    return String(s || '').normalize('NFKC').toLowerCase();
  }

  // One shape for newswired.event/1 and /2 (/2 adds the story object).
  function view(ev) {
    const d = ev.dateline || {};
    const quotes = (ev.quotes || []).map(function (q) {
      const sp = q.speaker || {};
      return { text: q.text, kind: q.kind, name: sp.name, title: sp.title };
    });
    return {
      id: ev.id,
      time: ev.published_at || ev.received_at,
      agency: ev.agency || d.agency,
      dateline: d.text,
      city: d.city,
      headline: ev.headline || ev.lede || (ev.body && ev.body[0]) || '',
      language: ev.language || '',
      story: ev.story && typeof ev.story === 'object' ? ev.story : null,
      speakers: (ev.speakers || []).map(function (s) { return s.name; }),
      quotes: quotes,
      source: ev.source && ev.source.name
    };
  }

  function render(v) {
    const art = el('li', 'event');
    art.dataset.id = v.id || '';
    art.dataset.language = v.language;
    art.dataset.speakers = fold(v.speakers.concat(v.quotes.map(function (q) { return q.name; })).join('\n'));
    const meta = el('div', 'meta');
    meta.appendChild(el('time', 'time', v.time ? new Date(v.time).toLocaleTimeString() : ''));
    meta.appendChild(el('span', 'agency', v.agency || ''));
    if (v.language) meta.appendChild(el('span', 'language', v.language));
    if (v.source) meta.appendChild(el('span', 'source', v.source));
    if (v.story) {
      const kind = String(v.story.kind || '');
      meta.appendChild(el('span', 'story ' + kind.replace(/[^a-z]/g, ''),
        'v' + v.story.version + (kind ? ' ' + kind : '')));
    }
    art.appendChild(meta);
    const h = el('div', 'headline');
    if (v.dateline) h.appendChild(el('span', 'dateline', v.dateline + ' '));
    h.appendChild(el('span', 'headline-text', v.headline));
    art.appendChild(h);
    if (v.quotes.length) {
      const ql = el('ul', 'quotes');
      v.quotes.forEach(function (q) {
        const li = el('li', 'quote ' + (q.kind === 'direct' ? 'direct' : 'reported'));
        li.appendChild(el('span', 'speaker', q.name || 'unattributed'));
        if (q.title) li.appendChild(el('span', 'title', ', ' + q.title));
        li.appendChild(document.createTextNode(q.kind === 'direct' ? ': \u201c' : ': '));
        li.appendChild(el('span', 'text', q.text));
        if (q.kind === 'direct') li.appendChild(document.createTextNode('\u201d'));
        ql.appendChild(li);
      });
      art.appendChild(ql);
    } else if (v.speakers.length) {
      art.appendChild(el('div', 'speakers', v.speakers.join('; ')));
    }
    return art;
  }

  function visible(node) {
    const s = fold(fSpeaker.value.trim());
    const l = fLanguage.value;
    return (!s || node.dataset.speakers.indexOf(s) >= 0) &&
      (!l || node.dataset.language === l);
  }

  function refilter() {
    let shown = 0;
    for (const node of list.children) {
      const ok = visible(node);
      node.classList.toggle('hidden', !ok);
      if (ok) shown++;
    }
    count.textContent = shown + ' of ' + list.children.length + ' events';
    empty.hidden = list.children.length > 0;
  }

  function add(ev) {
    if (!ev || !ev.id || seen.has(ev.id)) return;
    seen.add(ev.id);
    const v = view(ev);
    if (v.language && !languages.has(v.language)) {
      languages.add(v.language);
      fLanguage.appendChild(el('option', null, v.language)).value = v.language;
    }
    const node = render(v);
    list.insertBefore(node, list.firstChild);
    while (list.children.length > KEEP) {
      seen.delete(list.lastChild.dataset.id);
      list.removeChild(list.lastChild);
    }
    refilter();
  }

  function connect() {
    const es = new EventSource('events/stream');
    es.addEventListener('open', function () {
      conn.textContent = 'live';
      conn.className = 'conn live';
    });
    es.addEventListener('error', function () {
      conn.textContent = 'reconnecting';
      conn.className = 'conn down';
    });
    es.addEventListener('dispatch', function (e) {
      try { add(JSON.parse(e.data)); } catch (err) { /* not an event */ }
    });
  }

  function ago(t, now) {
    if (!t) return 'never';
    const s = Math.max(0, Math.round(now - t));
    if (s < 120) return s + ' s ago';
    if (s < 7200) return Math.round(s / 60) + ' min ago';
    return Math.round(s / 3600) + ' h ago';
  }

  function failures(f) {
    return Object.keys(f || {}).map(function (k) { return k + ' ' + f[k]; }).join(', ') || '0';
  }

  function row(cells, cls) {
    const tr = el('tr', cls);
    cells.forEach(function (c) { tr.appendChild(el('td', null, c)); });
    return tr;
  }

  function health() {
    fetch('status', { cache: 'no-store' }).then(function (r) {
      if (!r.ok) throw new Error('HTTP ' + r.status);
      return r.json();
    }).then(function (st) {
      const sb = document.querySelector('#sources tbody');
      const kb = document.querySelector('#sinks tbody');
      sb.replaceChildren();
      kb.replaceChildren();
      st.sources.forEach(function (s) {
        const bad = s.stale || Object.keys(s.failed || {}).length > 0;
        sb.appendChild(row([s.name + ' (' + s.type + ')' + (s.stale ? ' stale' : ''),
          ago(s.last_success, st.now), s.received, failures(s.failed)],
        s.stale ? 'stale' : (bad ? 'bad' : '')));
      });
      st.sinks.forEach(function (k) {
        kb.appendChild(row([k.name + ' (' + k.type + ')', k.queue_depth + ' / ' + k.capacity,
          k.delivered, failures(k.failed)], k.queue_depth > 0.8 * k.capacity ? 'bad' : ''));
      });
      document.getElementById('health-note').textContent =
        st.inflight + ' in flight, ' + st.watchers + ' watching';
    }).catch(function (err) {
      document.getElementById('health-note').textContent = 'status: ' + err.message;
    });
  }

  fSpeaker.addEventListener('input', refilter);
  fLanguage.addEventListener('change', refilter);
  document.getElementById('filters').addEventListener('submit', function (e) { e.preventDefault(); });
  refilter();
  connect();
  health();
  setInterval(health, 5000);
}());
