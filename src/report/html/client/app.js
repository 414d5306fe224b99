/* artifact-scan HTML report client. Builds the page from the embedded JSON with createElement and
 * textContent only: nothing from the data is ever parsed as HTML. No network access (CSP). */
(function () {
  'use strict';
  var SVG_NS = 'http://www.w3.org/2000/svg';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var ids = data.classIds;
  var charts = [];

  function h(tag, attrs) {
    var el = document.createElement(tag);
    if (attrs) {
      for (var k in attrs) {
        if (!Object.prototype.hasOwnProperty.call(attrs, k) || attrs[k] === undefined || attrs[k] === null) continue;
        if (k === 'text') el.textContent = String(attrs[k]);
        else if (k === 'onclick') el.addEventListener('click', attrs[k]);
        else el.setAttribute(k, String(attrs[k]));
      }
    }
    for (var i = 2; i < arguments.length; i++) append(el, arguments[i]);
    return el;
  }
  function append(el, child) {
    if (child === undefined || child === null || child === false) return;
    if (Array.isArray(child)) child.forEach(function (c) { append(el, c); });
    else if (typeof child === 'string' || typeof child === 'number') el.appendChild(document.createTextNode(String(child)));
    else el.appendChild(child);
  }
  function svg(tag, attrs) {
    var el = document.createElementNS(SVG_NS, tag);
    for (var k in attrs) if (Object.prototype.hasOwnProperty.call(attrs, k)) el.setAttribute(k, String(attrs[k]));
    return el;
  }
  function fmt(x, digits) { return typeof x === 'number' && isFinite(x) ? x.toFixed(digits === undefined ? 2 : digits) : '–'; }
  function plural(n, word) { return n + ' ' + word + (n === 1 ? '' : 's'); }
  function classColor(id) { return 'var(--c' + Math.max(0, ids.indexOf(id)) + ')'; }
  function cssVar(name) { return getComputedStyle(document.documentElement).getPropertyValue(name).trim(); }
  function stateLabel(state) { return state === 'failing' ? 'failing' : state === 'warning' ? 'warning' : 'clean'; }
  function averageByKey(key) {
    for (var i = 0; i < data.averages.length; i++) if (data.averages[i].key === key) return data.averages[i];
    return undefined;
  }

  function placeholder(text) { return h('div', { class: 'placeholder', role: 'img', 'aria-label': text, text: text }); }

  /** An image with optional region boxes (image pixel coordinates) drawn over it. */
  function picture(src, width, height, regions, alt, missingText) {
    if (!src) return placeholder(missingText || 'Image not available');
    var box = h('div', { class: 'pic' }, h('img', { src: src, alt: alt, width: width, height: height }));
    if (regions && regions.length) {
      var s = svg('svg', { viewBox: '0 0 ' + width + ' ' + height, preserveAspectRatio: 'none', 'aria-hidden': 'true' });
      regions.forEach(function (r) {
        var rect = svg('rect', { x: r.x, y: r.y, width: Math.max(1, r.width), height: Math.max(1, r.height), fill: 'none', 'stroke-width': 2, 'vector-effect': 'non-scaling-stroke' });
        rect.style.stroke = classColor(r.id);
        var t = svg('title', {});
        t.textContent = r.id + ': ' + r.label;
        rect.appendChild(t);
        s.appendChild(rect);
      });
      box.appendChild(s);
    }
    return box;
  }

  function spectrumPicture(spec, alt) {
    if (!spec) return placeholder('Spectrum not available');
    var box = h('div', { class: 'pic pixelated' }, h('img', { src: spec.src, alt: alt, width: spec.width, height: spec.height }));
    if (spec.peaks.length) {
      var s = svg('svg', { viewBox: '0 0 ' + spec.width + ' ' + spec.height, preserveAspectRatio: 'none', 'aria-hidden': 'true' });
      spec.peaks.forEach(function (p) {
        [[p.x, p.y], [spec.width - p.x, spec.height - p.y]].forEach(function (xy) {
          var c = svg('ellipse', { cx: xy[0], cy: xy[1], rx: Math.max(3, spec.width / 40), ry: Math.max(3, spec.height / 40), fill: 'none', stroke: '#ff3d00', 'stroke-width': 2, 'vector-effect': 'non-scaling-stroke' });
          s.appendChild(c);
        });
      });
      box.appendChild(s);
    }
    return box;
  }
  function periodText(p) {
    function one(v) { return v === null || !isFinite(v) ? '∞' : fmt(v, 1); }
    return 'period ' + one(p.periodX) + ' × ' + one(p.periodY) + ' px';
  }
  function peaksCaption(spec) {
    if (!spec) return '';
    if (!spec.peaks.length) return 'No strong peaks: nothing periodic stands out.';
    return 'Peaks (circled): ' + spec.peaks.map(periodText).join('; ') + '.';
  }

  // ---------- header and summary ----------
  function header() {
    var failing = data.classes.filter(function (c) { return c.state === 'failing'; });
    var warning = data.classes.filter(function (c) { return c.state === 'warning'; });
    var state = failing.length ? 'failing' : warning.length ? 'warning' : 'clean';
    var text;
    if (data.gate.configured) text = data.gate.passed ? 'Gate passed' + (data.gate.warnings ? ' with ' + plural(data.gate.warnings, 'warning') : '') + '.' : 'Gate FAILED: ' + plural(data.gate.failures, 'assertion') + ' failed.';
    else text = failing.length ? 'Artifacts found: ' + failing.map(function (c) { return c.id; }).join(', ') + ' (no gate thresholds configured; states come from the detectors).' : 'No artifacts detected (no gate thresholds configured).';
    return [
      h('h1', { text: data.title }),
      h('div', { class: 'muted', text: 'artifact-scan ' + data.run.toolVersion + ' · scanned ' + data.run.startedAt + ' · ' + plural(data.run.imageCount, 'image') + ', ' + plural(data.averages.length, 'group average') + (data.errors.length ? ', ' + data.errors.length + ' unreadable' : '') }),
      h('div', { class: 'banner ' + state, id: 'verdict', text: text }),
      h('nav', { class: 'toc', 'aria-label': 'Sections' },
        [['summary', 'Summary'], ['classes', 'Artifact classes'], ['images', 'Images'], ['averages', 'Averages'], ['charts', 'Charts'], ['run', 'Run facts']].map(function (x) { return h('a', { href: '#' + x[0], text: x[1] }); })),
    ];
  }

  function tile(c) {
    var el = h('div', { class: 'tile ' + c.state, 'data-class': c.id, 'data-state': c.state, tabindex: '0', role: 'link', 'aria-label': c.id + ': ' + c.state },
      h('div', { class: 'id', text: c.id }),
      h('h3', { text: c.state === 'clean' ? c.title : c.failureTitle }),
      h('span', { class: 'badge ' + c.state, text: stateLabel(c.state) }),
      h('div', { class: 'stat' }, h('span', { text: 'worst severity' }), h('strong', { text: fmt(c.worstSeverity) })),
      h('div', { class: 'stat' }, h('span', { text: 'images flagged' }), h('strong', { text: c.flaggedImages + ' / ' + c.totalImages })),
      c.averages.map(function (a) {
        return h('div', { class: 'stat' }, h('span', { text: 'average ' + a.key + ' (n=' + a.count + ')' }), h('strong', { text: fmt(a.severity) + (a.detected ? ' ✖' : '') }));
      }),
      h('div', { class: 'muted', style: 'font-size:0.78rem', text: c.basis === 'gate' ? 'state from the gate thresholds' : 'state from detections (no threshold configured)' }));
    function go() {
      var target = document.getElementById('class-' + c.id);
      if (!target) return;
      var d = target.querySelector('details');
      if (d) d.open = true;
      target.scrollIntoView({ block: 'start' });
    }
    el.addEventListener('click', go);
    el.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); go(); } });
    return el;
  }

  function summary() {
    var notClean = data.classes.filter(function (c) { return c.state !== 'clean'; });
    var clean = data.classes.filter(function (c) { return c.state === 'clean'; });
    var out = [h('h2', { id: 'summary', text: 'Summary' }), h('div', { class: 'tiles', id: 'tiles' }, notClean.map(tile))];
    if (clean.length) {
      out.push(h('details', { class: 'clean-group', id: 'clean-classes' },
        h('summary', { text: clean.length + (clean.length === 1 ? ' clean class: ' : ' clean classes: ') + clean.map(function (c) { return c.id; }).join(', ') }),
        h('div', { class: 'tiles' }, clean.map(tile))));
    }
    return out;
  }

  // ---------- per class ----------
  function copyText(text, button) {
    function done(ok) {
      button.textContent = ok ? 'Copied' : 'Select and copy';
      setTimeout(function () { button.textContent = 'Copy'; }, 1500);
    }
    function fallback(code) {
      var range = document.createRange();
      range.selectNodeContents(code);
      var sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
      var ok = false;
      try { ok = document.execCommand('copy'); } catch { ok = false; }
      done(ok);
    }
    var code = button.parentNode.querySelector('code');
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, function () { fallback(code); });
    } else fallback(code);
  }

  function classSection(c) {
    var body = h('div', {},
      h('p', {}, h('strong', { text: 'What it is. ' }), c.description || '(no description)'),
      h('p', {}, h('strong', { text: 'Why style transfer produces it. ' }), c.cause || '(no explanation)'),
      h('p', { class: 'muted', text: 'Detection threshold on severity: ' + fmt(c.threshold.value) + (c.threshold.method ? ' (' + c.threshold.method.replace(/[.\s]+$/, '') + ')' : '') + '.' }));
    if (c.gate.length) {
      body.appendChild(h('h3', { text: 'Gate' }));
      body.appendChild(h('ul', { class: 'plain' }, c.gate.map(function (g) {
        return h('li', {}, h('span', { class: 'badge ' + (g.level === 'error' ? 'failing' : 'warning'), text: g.level }), ' ' + g.message);
      })));
    }
    body.appendChild(h('h3', { text: 'Evidence' }));
    if (!c.evidence.length) body.appendChild(h('p', { class: 'muted', text: 'No measurements.' }));
    var evidence = h('div', { class: 'evidence' });
    body.appendChild(evidence);
    c.evidence.forEach(function (e) {
      evidence.appendChild(h('div', { class: 'card' },
        h('div', {}, h('strong', { text: e.label }), ' · severity ' + fmt(e.severity) + (e.detected ? ' (detected)' : ' (not detected)')),
        e.measurements.length ? h('table', { class: 'kv' }, h('tbody', {}, e.measurements.map(function (m) { return h('tr', {}, h('th', { class: 'mono', text: m[0] }), h('td', { class: 'mono', text: m[1] })); })))
          : h('div', { class: 'muted', text: 'no measurements reported' })));
    });
    body.appendChild(h('h3', { text: 'Recommended fixes' }));
    if (!c.fixes.length) body.appendChild(h('p', { class: 'muted', text: 'No fixes listed for this class.' }));
    c.fixes.forEach(function (f) {
      var item = h('div', { class: 'fix' }, h('div', { text: f.text }));
      if (f.command) {
        var btn = h('button', { type: 'button', class: 'copy', 'aria-label': 'Copy command', text: 'Copy' });
        btn.addEventListener('click', function () { copyText(f.command, btn); });
        item.appendChild(h('div', { class: 'cmd' }, h('code', { text: f.command }), btn));
      }
      body.appendChild(item);
    });
    var details = h('details', { open: c.state !== 'clean' ? '' : undefined },
      h('summary', {}, h('span', { class: 'badge ' + c.state, text: stateLabel(c.state) }), ' ', c.state === 'clean' ? c.title : c.failureTitle, h('span', { class: 'muted', text: ' (' + c.id + ')' })),
      body);
    return h('section', { class: 'class card', id: 'class-' + c.id, 'data-state': c.state }, details);
  }

  // ---------- images: thumbnails, viewer, table ----------
  var viewer = { path: null, tab: 'original' };
  var viewerRoot = h('div', { id: 'viewer', class: 'card' });
  var TABS = [['original', 'Original'], ['overlay', 'Overlay'], ['spectrum', 'Spectrum'], ['side', 'Side by side']];

  function select(path, scroll) {
    viewer.path = path;
    renderViewer();
    document.querySelectorAll('.thumb').forEach(function (t) { t.classList.toggle('selected', t.getAttribute('data-path') === path); });
    if (scroll) viewerRoot.scrollIntoView({ block: 'nearest' });
  }

  function renderViewer() {
    viewerRoot.textContent = '';
    var d = viewer.path !== null && Object.prototype.hasOwnProperty.call(data.details, viewer.path) ? data.details[viewer.path] : undefined;
    if (viewer.path === null) { viewerRoot.appendChild(h('p', { class: 'muted', text: 'Pick an image above or in the table.' })); return; }
    viewerRoot.appendChild(h('h3', { class: 'mono', text: viewer.path }));
    if (!d) {
      viewerRoot.appendChild(placeholder('No pictures embedded for this image: only the ' + data.worst.length + ' worst images are (see --html-images).'));
      return;
    }
    var tabs = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Viewer' });
    TABS.forEach(function (t) {
      var b = h('button', { type: 'button', role: 'tab', 'data-tab': t[0], 'aria-selected': viewer.tab === t[0] ? 'true' : 'false', text: t[1] });
      b.addEventListener('click', function () { viewer.tab = t[0]; renderViewer(); });
      tabs.appendChild(b);
    });
    viewerRoot.appendChild(tabs);
    var panel = h('div', { class: 'viewer-panel', role: 'tabpanel', 'data-panel': viewer.tab });
    var missing = 'Image not available: ' + d.path + (d.message ? ' (' + d.message + ')' : '');
    if (viewer.tab === 'original') {
      panel.appendChild(picture(d.ok ? d.view : null, d.width, d.height, [], d.path, missing));
      panel.appendChild(h('div', { class: 'muted', text: d.width + '×' + d.height + ' px' }));
    } else if (viewer.tab === 'overlay') {
      panel.appendChild(picture(d.ok ? d.view : null, d.width, d.height, d.regions, d.path, missing));
      panel.appendChild(d.regions.length
        ? h('ul', { class: 'plain' }, d.regions.map(function (r) { return h('li', {}, h('span', { class: 'legend-dot', style: 'background:' + classColor(r.id) }), r.id + ': ' + r.label + ' at ' + r.x + ',' + r.y + ' (' + r.width + '×' + r.height + ')'); }))
        : h('p', { class: 'muted', text: 'No regions: no detector marked an area of this image.' }));
    } else if (viewer.tab === 'spectrum') {
      panel.appendChild(d.ok ? spectrumPicture(d.spectrum, 'Log-power spectrum of ' + d.path) : placeholder(missing));
      panel.appendChild(h('p', { class: 'muted', text: 'Log-power spectrum of the high-pass luma residual, zero frequency at the centre. Regular patterns (grids, conv squares) show as bright off-centre points. ' + peaksCaption(d.spectrum) }));
    } else {
      var avg = averageByKey(d.group);
      panel.className = 'side';
      panel.appendChild(h('figure', {}, picture(d.ok ? d.view : null, d.width, d.height, d.regions, d.path, missing), h('figcaption', { text: 'This image' })));
      panel.appendChild(h('figure', {}, avg ? picture(avg.mean, avg.width, avg.height, avg.regions, 'Group average ' + avg.key, 'Group average not available') : placeholder('No group average: no other image is ' + d.group + '.'),
        h('figcaption', { text: avg ? 'Average of ' + avg.loaded + ' images of ' + avg.key : '' })));
    }
    viewerRoot.appendChild(panel);
  }

  function thumbs() {
    if (!data.worst.length) return h('p', { class: 'muted', text: 'No image pictures embedded.' });
    return h('div', { class: 'thumbs', id: 'thumbs' }, data.worst.map(function (p) {
      var d = data.details[p];
      var row = data.images.find(function (r) { return r.path === p; });
      var fig = h('figure', { class: 'thumb', 'data-path': p, tabindex: '0' },
        picture(d.ok ? d.thumb : null, d.width, d.height, d.regions, p, 'Missing: ' + p + (d.message ? ' (' + d.message + ')' : '')),
        h('figcaption', {}, h('div', { class: 'mono', text: p }), h('div', { class: 'muted', text: 'max ' + fmt(row ? row.maxSeverity : 0) + (row && row.detected.length ? ' · ' + row.detected.join(', ') : '') })));
      fig.addEventListener('click', function () { select(p, true); });
      fig.addEventListener('keydown', function (e) { if (e.key === 'Enter') select(p, true); });
      return fig;
    }));
  }

  var table = { sort: 'max', dir: -1, filter: '', cls: '' };
  var tableBody = h('tbody', {});
  var tableCount = h('span', { class: 'muted' });
  function sortValue(row, key) {
    if (key === 'path') return row.path;
    if (key === 'group') return row.group;
    if (key === 'max') return row.maxSeverity;
    var s = row.severities[ids.indexOf(key)];
    return s === null ? -1 : s;
  }
  function renderTable() {
    var f = table.filter.toLowerCase();
    var rows = data.images.filter(function (r) {
      return (!f || r.path.toLowerCase().indexOf(f) >= 0) && (!table.cls || r.detected.indexOf(table.cls) >= 0);
    });
    rows.sort(function (a, b) {
      var x = sortValue(a, table.sort), y = sortValue(b, table.sort);
      return (x < y ? -1 : x > y ? 1 : 0) * table.dir || (a.path < b.path ? -1 : 1);
    });
    tableBody.textContent = '';
    rows.forEach(function (r) {
      var tr = h('tr', { class: r.detailed ? 'clickable' : undefined, 'data-path': r.path },
        h('td', { class: 'mono', text: r.path }),
        h('td', { text: r.group }),
        h('td', { text: fmt(r.maxSeverity) }),
        r.severities.map(function (s, i) { return h('td', { class: r.detected.indexOf(ids[i]) >= 0 ? 'hit' : undefined, text: s === null ? '–' : fmt(s) }); }));
      tr.addEventListener('click', function () { select(r.path, true); });
      tableBody.appendChild(tr);
    });
    tableCount.textContent = rows.length + ' of ' + data.images.length + ' images';
  }
  function imageTable() {
    var cols = [['path', 'Image'], ['group', 'Size'], ['max', 'Max']].concat(ids.map(function (id) { return [id, id]; }));
    var headRow = h('tr', {}, cols.map(function (c) {
      var b = h('button', { type: 'button', 'data-sort': c[0], text: c[1] });
      b.addEventListener('click', function () {
        if (table.sort === c[0]) table.dir = -table.dir; else { table.sort = c[0]; table.dir = c[0] === 'path' || c[0] === 'group' ? 1 : -1; }
        headRow.querySelectorAll('th').forEach(function (th) { th.removeAttribute('aria-sort'); });
        b.parentNode.setAttribute('aria-sort', table.dir > 0 ? 'ascending' : 'descending');
        renderTable();
      });
      return h('th', { scope: 'col' }, b);
    }));
    var search = h('input', { type: 'search', placeholder: 'Filter by path', 'aria-label': 'Filter images by path', id: 'image-filter' });
    search.addEventListener('input', function () { table.filter = search.value; renderTable(); });
    var cls = h('select', { 'aria-label': 'Only images flagged for', id: 'class-filter' }, h('option', { value: '', text: 'All images' }), ids.map(function (id) { return h('option', { value: id, text: 'Flagged: ' + id }); }));
    cls.addEventListener('change', function () { table.cls = cls.value; renderTable(); });
    renderTable();
    return [h('div', { class: 'table-tools' }, search, cls, tableCount),
      h('div', { class: 'table-wrap' }, h('table', { class: 'images', id: 'image-table' }, h('thead', {}, headRow), tableBody))];
  }

  // ---------- averages ----------
  function averagesSection() {
    var out = [h('h2', { id: 'averages', text: 'Averages' }),
      h('p', { class: 'muted', text: 'Each group of same-size images is averaged. Content differs from seed to seed and averages out; artifacts that sit in the same place every time (conv squares, grids, border lines) stay and become easier to see.' })];
    if (!data.averages.length) out.push(h('p', { class: 'muted', text: 'No group of two or more same-size images, so nothing was averaged.' }));
    data.averages.forEach(function (a, idx) {
      var card = h('div', { class: 'card average', 'data-group': a.key });
      card.appendChild(h('h3', { text: a.key + ' · ' + plural(a.count, 'image') + (a.loaded !== a.count ? ' (' + a.loaded + ' still readable)' : '') }));
      card.appendChild(h('div', {}, a.findings.map(function (f) {
        return h('span', { class: 'badge ' + (f.detected ? 'failing' : 'clean'), style: 'margin-right:6px', text: f.id + ' ' + fmt(f.severity) });
      })));
      if (a.missing.length) card.appendChild(h('details', {}, h('summary', { text: plural(a.missing.length, 'image') + ' could not be read again' }), h('ul', { class: 'plain' }, a.missing.map(function (m) { return h('li', { class: 'mono', text: m.path + ': ' + m.message }); }))));
      var grid = h('div', { class: 'avg-grid' });
      grid.appendChild(h('figure', {}, picture(a.mean, a.width, a.height, a.regions, 'Average ' + a.key, 'Average not available (images missing)'), h('figcaption', { text: 'Average image (boxes: detected regions)' })));
      grid.appendChild(h('figure', {}, picture(a.residual, a.width, a.height, [], 'Residual ' + a.key, 'Residual not available'), h('figcaption', { text: 'Residual: average minus its blur, contrast-stretched. Conv squares and grids show as a regular tiling.' })));
      grid.appendChild(h('figure', {}, spectrumPicture(a.spectrum, 'Spectrum ' + a.key), h('figcaption', { text: 'Power spectrum of the residual. ' + peaksCaption(a.spectrum) })));
      grid.appendChild(h('figure', {}, picture(a.variance, a.width, a.height, [], 'Variance ' + a.key, 'Variance map not available'), h('figcaption', { text: 'Spread across images (std. dev. of luma): dark areas are the same in every output.' })));
      card.appendChild(grid);
      if (a.growth.length) {
        var canvas = h('canvas', { id: 'growth-' + idx, 'aria-label': 'conv-squares severity against the number of images averaged', role: 'img' });
        card.appendChild(h('h3', { style: 'margin-top:12px', text: 'conv-squares severity as more images are averaged' }));
        card.appendChild(h('div', { class: 'chart-box' }, canvas));
        card.appendChild(h('p', { class: 'muted', text: 'A pattern that is the same in every output grows out of the noise as N increases; a chance pattern does not.' }));
        pendingCharts.push(function () {
          return new window.Chart(canvas, {
            type: 'line',
            data: { labels: a.growth.map(function (g) { return String(g.n); }), datasets: [{ label: 'conv-squares severity', data: a.growth.map(function (g) { return g.severity; }), borderColor: cssVar('--c4'), backgroundColor: cssVar('--c4'), pointRadius: 4 }] },
            options: baseOptions({ x: 'images averaged (N)', y: 'severity', yMax: 1 }),
          });
        });
      }
      out.push(card);
    });
    return out;
  }

  // ---------- charts ----------
  var pendingCharts = [];
  function baseOptions(o) {
    var fg = cssVar('--fg'), grid = cssVar('--line');
    return {
      animation: false, responsive: true, maintainAspectRatio: false,
      plugins: { legend: { labels: { color: fg } } },
      scales: {
        x: { title: { display: Boolean(o.x), text: o.x, color: fg }, ticks: { color: fg, autoSkip: true, maxRotation: 60 }, grid: { color: grid } },
        y: { title: { display: Boolean(o.y), text: o.y, color: fg }, ticks: { color: fg }, grid: { color: grid }, min: 0, max: o.yMax },
      },
    };
  }
  function chartsSection() {
    var out = [h('h2', { id: 'charts', text: 'Charts' })];
    var hist = h('canvas', { id: 'chart-histogram', role: 'img', 'aria-label': 'Severity distribution per artifact class' });
    out.push(h('div', { class: 'card' }, h('h3', { text: 'Severity distribution per class (images)' }), h('div', { class: 'chart-box' }, hist)));
    pendingCharts.push(function () {
      var e = data.histograms.edges;
      return new window.Chart(hist, {
        type: 'bar',
        data: {
          labels: e.slice(0, -1).map(function (x, i) { return fmt(x, 1) + '–' + fmt(e[i + 1], 1); }),
          datasets: ids.map(function (id, i) { return { label: id, data: data.histograms.counts[id], backgroundColor: cssVar('--c' + i) }; }),
        },
        options: baseOptions({ x: 'severity', y: 'images' }),
      });
    });
    var bars = h('canvas', { id: 'chart-images', role: 'img', 'aria-label': 'Severity per image' });
    var pick = h('select', { 'aria-label': 'Class shown in the per-image chart', id: 'bar-class' }, ids.map(function (id) { return h('option', { value: id, text: id }); }));
    var worstClass = data.classes.length ? data.classes[0].id : ids[0];
    pick.value = worstClass;
    out.push(h('div', { class: 'card' }, h('h3', { text: 'Severity per image' }), h('div', { class: 'table-tools' }, pick), h('div', { class: 'chart-box' }, bars)));
    pendingCharts.push(function () {
      function dataset(id) {
        var k = ids.indexOf(id);
        var rows = data.images.slice().sort(function (a, b) { return (b.severities[k] || 0) - (a.severities[k] || 0); });
        return { labels: rows.map(function (r) { return r.path; }), values: rows.map(function (r) { return r.severities[k]; }), color: cssVar('--c' + k) };
      }
      var d0 = dataset(worstClass);
      var chart = new window.Chart(bars, {
        type: 'bar',
        data: { labels: d0.labels, datasets: [{ label: worstClass, data: d0.values, backgroundColor: d0.color }] },
        options: (function () { var o = baseOptions({ y: 'severity', yMax: 1 }); o.scales.x.ticks.display = data.images.length <= 40; return o; })(),
      });
      pick.addEventListener('change', function () {
        var d = dataset(pick.value);
        chart.data.labels = d.labels;
        chart.data.datasets[0] = { label: pick.value, data: d.values, backgroundColor: d.color };
        chart.update();
      });
      return chart;
    });
    return out;
  }

  // ---------- run facts ----------
  function runSection() {
    var r = data.run;
    var facts = [['Tool version', 'artifact-scan ' + r.toolVersion], ['Scanned at', r.startedAt], ['Duration', (r.durationMs / 1000).toFixed(1) + ' s'],
      ['Command line', r.command], ['Inputs', String(r.inputCount) + ' files, ' + r.imageCount + ' read'], ['Alpha background', r.background],
      ['Images with pictures here', String(data.worst.length)]];
    var out = [h('h2', { id: 'run', text: 'Run facts' }),
      h('table', { class: 'kv card', id: 'run-facts' }, h('tbody', {}, facts.map(function (f) { return h('tr', {}, h('th', { text: f[0] }), h('td', { class: f[0] === 'Command line' ? 'mono' : undefined, text: f[1] })); })))];
    out.push(h('h3', { text: 'Thresholds in force' }));
    if (!data.gate.thresholds.length) out.push(h('p', { class: 'muted', text: 'None: no gate configured, so nothing could fail the run. Class states above come from the detectors’ own thresholds.' }));
    else out.push(h('div', { class: 'table-wrap' }, h('table', { class: 'images', id: 'thresholds' },
      h('thead', {}, h('tr', {}, ['Class', 'Level', 'Max severity', 'Scope', 'Aggregate', 'Files', 'Source'].map(function (t) { return h('th', { text: t }); }))),
      h('tbody', {}, data.gate.thresholds.map(function (t) {
        return h('tr', {}, h('td', { text: t.id }), h('td', { text: t.level }), h('td', { text: fmt(t.maxSeverity) }), h('td', { text: t.scope }), h('td', { text: t.aggregate }), h('td', { class: 'mono', text: t.files ? t.files.join(', ') : 'all' }), h('td', { class: 'mono', text: t.source }));
      })))));
    out.push(h('h3', { text: 'Errors' }));
    if (!data.errors.length) out.push(h('p', { class: 'muted', text: 'None: every input was read.' }));
    else out.push(h('ul', { class: 'plain', id: 'errors' }, data.errors.map(function (e) { return h('li', { class: 'mono', text: e.path + ': ' + e.message }); })));
    var raw = h('pre', { id: 'raw-json' });
    var det = h('details', {}, h('summary', { text: 'Results JSON (schema v' + data.result.schemaVersion + ')' }), raw);
    det.addEventListener('toggle', function () { if (det.open && !raw.textContent) raw.textContent = JSON.stringify(data.result, null, 2); });
    out.push(det);
    return out;
  }

  function render() {
    var app = document.getElementById('app');
    app.textContent = '';
    var main = h('main', {},
      header(),
      summary(),
      h('h2', { id: 'classes', text: 'Artifact classes' }),
      data.classes.map(classSection),
      h('h2', { id: 'images', text: 'Images' }),
      h('p', { class: 'muted', text: 'The ' + data.worst.length + ' worst images, boxes marking the detected regions. Click one to open it in the viewer.' }),
      thumbs(),
      viewerRoot,
      h('h3', { style: 'margin-top:16px', text: 'All images' }),
      imageTable(),
      averagesSection(),
      chartsSection(),
      runSection());
    app.appendChild(main);
    select(data.worst.length ? data.worst[0] : (data.images.length ? data.images[0].path : null), false);
    if (typeof window.Chart === 'function') {
      pendingCharts.forEach(function (make) { charts.push(make()); });
    }
    document.documentElement.setAttribute('data-ready', 'true');
  }

  render();
})();
