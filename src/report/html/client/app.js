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
  var STATE_TEXT = { fail: 'fail', warn: 'warn', pass: 'pass', off: 'off' };
  function stateLabel(state) { return STATE_TEXT[state] || state; }
  /** A path shortened in the middle ("renders/…/seed-3.png"), for places too narrow to wrap it. */
  function midPath(p, max) {
    max = max || 36;
    if (p.length <= max) return p;
    var keep = max - 1, tail = Math.ceil(keep * 0.6);
    return p.slice(0, keep - tail) + '…' + p.slice(p.length - tail);
  }
  /** A path that shows shortened and shows in full on hover and keyboard focus. */
  function pathLabel(p, max) {
    return h('span', { class: 'path', title: p }, h('span', { class: 'path-short', 'aria-hidden': 'true', text: midPath(p, max) }), h('span', { class: 'path-full', text: p }));
  }
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
  // ---------- header and summary ----------
  function header() {
    var fail = data.classes.filter(function (c) { return c.state === 'fail'; });
    var warn = data.classes.filter(function (c) { return c.state === 'warn'; });
    var ungated = data.classes.filter(function (c) { return c.notGated; });
    var state = fail.length ? 'fail' : warn.length ? 'warn' : ungated.length ? 'off' : 'pass';
    var text;
    if (data.gate.configured) text = data.gate.passed ? 'Gate passed' + (data.gate.warnings ? ' with ' + plural(data.gate.warnings, 'warning') : '') + '.' : 'Gate FAILED: ' + plural(data.gate.failures, 'assertion') + ' failed (' + fail.map(function (c) { return c.id; }).join(', ') + ').';
    else text = 'No gate configured: nothing can fail this run.';
    if (ungated.length) text += ' Found, not gated: ' + ungated.map(function (c) { return c.id; }).join(', ') + '.';
    return [
      h('h1', { text: data.title }),
      h('div', { class: 'muted', text: 'artifact-scan ' + data.run.toolVersion + ' · scanned ' + data.run.startedAt + ' · ' + plural(data.run.imageCount, 'image') + ', ' + plural(data.averages.length, 'group average') + (data.errors.length ? ', ' + data.errors.length + ' unreadable' : '') }),
      h('div', { class: 'banner ' + state, id: 'verdict', text: text }),
      h('nav', { class: 'toc', 'aria-label': 'Sections' },
        [['summary', 'Summary'], ['classes', 'Artifact classes'], ['images', 'Images'], ['averages', 'Averages'], ['charts', 'Charts'], ['run', 'Run facts']].map(function (x) { return h('a', { href: '#' + x[0], text: x[1] }); })),
    ];
  }

  function stateBadges(c) {
    return [h('span', { class: 'badge ' + c.state, text: stateLabel(c.state) }),
      h('span', { class: 'sev', text: 'severity ' + fmt(c.worstSeverity) }),
      c.notGated ? h('span', { class: 'badge found', text: 'found, not gated' }) : null];
  }

  function tile(c) {
    var el = h('div', { class: 'tile ' + c.state, 'data-class': c.id, 'data-state': c.state, 'data-found': c.found ? 'true' : 'false', tabindex: '0', role: 'link', 'aria-label': c.id + ': ' + stateLabel(c.state) + (c.notGated ? ', found, not gated' : '') },
      h('div', { class: 'id', text: c.id }),
      h('h3', { text: c.found ? c.failureTitle : c.title }),
      h('div', { class: 'badges' }, stateBadges(c)),
      h('div', { class: 'stat' }, h('span', { text: 'images flagged' }), h('strong', { text: c.flaggedImages + ' / ' + c.totalImages })),
      c.averages.length ? h('div', { class: 'stat' }, h('span', { text: 'group averages flagged' }), h('strong', { text: c.averages.filter(function (a) { return a.detected; }).length + ' / ' + c.averages.length })) : null,
      (function () {
        var worstAvg = c.averages.slice().sort(function (a, b) { return b.severity - a.severity; })[0];
        return worstAvg && worstAvg.severity >= 0.005 ? h('div', { class: 'stat' }, h('span', { text: 'worst average ' + worstAvg.key + ' (n=' + worstAvg.count + ')' }), h('strong', { text: fmt(worstAvg.severity) })) : null;
      })(),
      c.worstPath && c.flaggedImages ? h('div', { class: 'stat' }, h('span', { class: 'wrap' }, 'worst image ', pathLabel(c.worstPath, 24))) : null,
      h('div', { class: 'muted note', text: c.stateNote }));
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
    var notClean = data.classes.filter(function (c) { return c.state === 'fail' || c.state === 'warn' || c.found; });
    var clean = data.classes.filter(function (c) { return notClean.indexOf(c) < 0; });
    var out = [h('h2', { id: 'summary', text: 'Summary' }), h('div', { class: 'tiles', id: 'tiles' }, notClean.map(tile))];
    if (clean.length) {
      out.push(h('details', { class: 'clean-group', id: 'clean-classes' },
        h('summary', { text: clean.length + (clean.length === 1 ? ' class with nothing found: ' : ' classes with nothing found: ') + clean.map(function (c) { return c.id; }).join(', ') }),
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

  function measurementTable(rows, caption) {
    return h('div', { class: 'table-wrap small' }, h('table', { class: 'measures' },
      h('caption', { class: 'sr-only', text: caption }),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: 'Measurement' }), h('th', { scope: 'col', text: 'Value' }), h('th', { scope: 'col', text: 'Unit' }))),
      h('tbody', {}, rows.map(function (r) { return h('tr', {}, h('th', { scope: 'row', text: r.label }), h('td', { class: 'num', text: r.value }), h('td', { class: 'muted', text: r.unit })); }))));
  }

  function evidenceCard(c, e) {
    var show = h('button', { type: 'button', class: 'link', text: 'Show in the viewer' });
    show.addEventListener('click', function () {
      if (e.target.kind === 'image') select(e.target.key, true);
      else { var card = document.querySelector('.average[data-group="' + e.target.key + '"]'); if (card) card.scrollIntoView({ block: 'start' }); }
    });
    var canShow = e.target.kind === 'average' || Boolean(data.details[e.target.key]);
    return h('div', { class: 'card evidence-card', 'data-detected': e.detected ? 'true' : 'false' },
      h('div', { class: 'evidence-head' }, h('strong', { class: 'wrap', text: e.label }), h('span', { class: 'muted', text: ' · severity ' + fmt(e.severity) + (e.detected ? ' (found)' : ' (below the threshold)') })),
      h('ul', { class: 'plain sentences' }, e.sentences.map(function (t) { return h('li', { text: t }); })),
      e.table.length ? measurementTable(e.table, 'Measurements of ' + c.id + ' on ' + e.label) : null,
      h('div', { class: 'evidence-tools' }, canShow ? show : null,
        h('details', { class: 'raw' }, h('summary', { text: 'raw' }), h('pre', { text: e.raw }))));
  }

  function fixItem(f) {
    var item = h('div', { class: 'fix' }, h('p', { text: f.text }));
    if (f.command) item.appendChild(commandLine(f.command));
    if (f.sizes && f.sizes.length) {
      item.appendChild(h('div', { class: 'table-wrap small' }, h('table', { class: 'measures sizes' },
        h('thead', {}, h('tr', {}, ['Output size', 'Images', 'Tiles evenly at', 'How'].map(function (t) { return h('th', { scope: 'col', text: t }); }))),
        h('tbody', {}, f.sizes.map(function (row) {
          return row.options.map(function (o, i) {
            return h('tr', {}, i === 0 ? h('th', { scope: 'row', rowspan: row.options.length, text: row.output }) : null, i === 0 ? h('td', { class: 'num', rowspan: row.options.length, text: String(row.count) }) : null,
              h('td', { class: 'num', text: o.size }), h('td', {}, h('code', { text: o.how })));
          });
        })))));
    }
    return item;
  }

  function commandLine(command) {
    var btn = h('button', { type: 'button', class: 'copy', 'aria-label': 'Copy command', text: 'Copy' });
    btn.addEventListener('click', function () { copyText(command, btn); });
    return h('div', { class: 'cmd' }, h('code', { text: command }), btn);
  }

  function classSection(c) {
    var body = h('div', {},
      h('p', {}, h('strong', { text: 'What it is. ' }), c.description || '(no description)'),
      h('p', {}, h('strong', { text: 'Why style transfer produces it. ' }), c.cause || '(no explanation)'),
      h('p', { class: 'muted', text: 'State: ' + stateLabel(c.state) + ', ' + c.stateNote + '. Detection threshold on severity: ' + fmt(c.threshold.value) + '.' }));
    if (c.gate.length) {
      body.appendChild(h('h3', { text: 'Gate' }));
      body.appendChild(h('ul', { class: 'plain' }, c.gate.map(function (g) {
        return h('li', { class: 'wrap' }, h('span', { class: 'badge ' + (g.level === 'error' ? 'fail' : 'warn'), text: g.level }), ' ' + g.message);
      })));
    }
    body.appendChild(h('h3', { text: 'Evidence' }));
    if (!c.evidence.length) body.appendChild(h('p', { class: 'muted', text: 'Nothing measurable in any image or group average.' }));
    body.appendChild(h('div', { class: 'evidence' }, c.evidence.map(function (e) { return evidenceCard(c, e); })));
    if (c.found) {
      body.appendChild(h('h3', { text: 'Recommended fixes' }));
      if (!c.fixes.length) body.appendChild(h('p', { class: 'muted', text: 'No fix that would change anything for these outputs.' }));
      c.fixes.forEach(function (f) { body.appendChild(fixItem(f)); });
    }
    var details = h('details', { open: c.found || c.state === 'fail' || c.state === 'warn' ? '' : undefined },
      h('summary', {}, stateBadges(c), ' ', c.found ? c.failureTitle : c.title, h('span', { class: 'muted', text: ' (' + c.id + ')' })),
      body);
    return h('section', { class: 'class card', id: 'class-' + c.id, 'data-state': c.state }, details);
  }

  // ---------- images: thumbnails, viewer, table ----------
  // The viewer: pixels at 1x/2x/4x/8x (nearest neighbour), panned by scrolling or dragging, the
  // regions boxed, the image beside its group average and the average's residual, all panned together.
  var viewer = { path: null, tab: 'pixels', zoom: 0, boxes: true, crop: -1 };
  var ZOOMS = [[0, 'Fit'], [1, '1x'], [2, '2x'], [4, '4x'], [8, '8x']];
  var viewerRoot = h('div', { id: 'viewer', class: 'card' });
  var TABS = [['pixels', 'Pixels'], ['spectrum', 'Spectrum']];

  function select(path, scroll) {
    viewer.path = path;
    viewer.crop = -1;
    renderViewer();
    document.querySelectorAll('.thumb').forEach(function (t) { t.classList.toggle('selected', t.getAttribute('data-path') === path); t.setAttribute('aria-pressed', t.getAttribute('data-path') === path ? 'true' : 'false'); });
    if (scroll) { viewerRoot.scrollIntoView({ block: 'nearest' }); var first = viewerRoot.querySelector('button'); if (first) first.focus({ preventScroll: true }); }
  }

  /** One zoomable picture: `src` drawn at `zoom` CSS px per image pixel (0: fit the pane). */
  function pane(name, src, width, height, regions, box, missingText) {
    var fig = h('figure', { class: 'pane-fig' }, h('figcaption', { text: name }));
    if (!src) { fig.appendChild(placeholder(missingText)); return fig; }
    var img = h('img', { src: src, alt: name, draggable: 'false' });
    var stage = h('div', { class: 'stage' }, img);
    var w = box ? box.width : width, ht = box ? box.height : height;
    if (viewer.zoom) { img.style.width = w * viewer.zoom + 'px'; img.style.height = ht * viewer.zoom + 'px'; stage.classList.add('zoomed'); }
    if (viewer.boxes && regions && regions.length) {
      var vb = box ? box.x + ' ' + box.y + ' ' + box.width + ' ' + box.height : '0 0 ' + width + ' ' + height;
      var s = svg('svg', { viewBox: vb, preserveAspectRatio: 'none', 'aria-hidden': 'true' });
      regions.forEach(function (r) {
        var rect = svg('rect', { x: r.x - 0.5, y: r.y - 0.5, width: Math.max(1, r.width) + 1, height: Math.max(1, r.height) + 1, fill: 'none', 'stroke-width': 2, 'vector-effect': 'non-scaling-stroke' });
        rect.style.stroke = classColor(r.id);
        s.appendChild(rect);
      });
      stage.appendChild(s);
    }
    var scroller = h('div', { class: 'pane', tabindex: '0', role: 'group', 'aria-label': name + ', scroll or drag to pan' }, stage);
    enableDragPan(scroller);
    fig.appendChild(scroller);
    return fig;
  }

  function enableDragPan(el) {
    var start = null;
    el.addEventListener('pointerdown', function (e) { if (!viewer.zoom) return; start = { x: e.clientX, y: e.clientY, l: el.scrollLeft, t: el.scrollTop }; el.setPointerCapture(e.pointerId); el.classList.add('dragging'); });
    el.addEventListener('pointermove', function (e) { if (!start) return; el.scrollLeft = start.l - (e.clientX - start.x); el.scrollTop = start.t - (e.clientY - start.y); });
    function end() { start = null; el.classList.remove('dragging'); }
    el.addEventListener('pointerup', end);
    el.addEventListener('pointercancel', end);
  }

  /** Panes showing the same pixels scroll together. */
  function syncPanes(panes) {
    var busy = false;
    panes.forEach(function (p) {
      p.addEventListener('scroll', function () {
        if (busy) return;
        busy = true;
        panes.forEach(function (q) { if (q !== p) { q.scrollLeft = p.scrollLeft; q.scrollTop = p.scrollTop; } });
        busy = false;
      });
    });
  }

  function goToRegion(r, box) {
    if (!viewer.zoom) { viewer.zoom = 4; renderViewer(); }
    var ox = box ? box.x : 0, oy = box ? box.y : 0;
    var p = viewerRoot.querySelector('.pane');
    if (!p) return;
    p.scrollLeft = (r.x - ox + r.width / 2) * viewer.zoom - p.clientWidth / 2;
    p.scrollTop = (r.y - oy + r.height / 2) * viewer.zoom - p.clientHeight / 2;
    p.dispatchEvent(new Event('scroll'));
  }

  function renderViewer() {
    viewerRoot.textContent = '';
    if (viewer.path === null) { viewerRoot.appendChild(h('p', { class: 'muted', text: 'Pick an image above or in the table.' })); return; }
    var d = Object.prototype.hasOwnProperty.call(data.details, viewer.path) ? data.details[viewer.path] : undefined;
    viewerRoot.appendChild(h('h3', { class: 'mono wrap', text: viewer.path }));
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
    viewerRoot.appendChild(panel);
    var missing = 'Image not available: ' + d.path + (d.message ? ' (' + d.message + ')' : '');
    if (viewer.tab === 'spectrum') {
      panel.appendChild(d.ok ? spectrumPicture(d.spectrum, 'Log-power spectrum of ' + d.path) : placeholder(missing));
      panel.appendChild(h('p', { class: 'muted', text: 'Log-power spectrum of the high-pass luma residual, zero frequency at the centre; a regular pattern shows as bright off-centre points. ' + d.spectrumCaption }));
      return;
    }
    var tools = h('div', { class: 'zoom-tools', role: 'toolbar', 'aria-label': 'Zoom' });
    ZOOMS.forEach(function (z) {
      var b = h('button', { type: 'button', 'data-zoom': z[0], 'aria-pressed': viewer.zoom === z[0] ? 'true' : 'false', text: z[1] });
      b.addEventListener('click', function () { viewer.zoom = z[0]; renderViewer(); var again = viewerRoot.querySelector('[data-zoom="' + z[0] + '"]'); if (again) again.focus(); });
      tools.appendChild(b);
    });
    var boxes = h('input', { type: 'checkbox', id: 'viewer-boxes' });
    boxes.checked = viewer.boxes;
    boxes.addEventListener('change', function () { viewer.boxes = boxes.checked; renderViewer(); var again = document.getElementById('viewer-boxes'); if (again) again.focus(); });
    tools.appendChild(h('label', { class: 'check' }, boxes, ' boxes'));
    panel.appendChild(tools);

    var scaled = d.viewWidth && d.viewWidth < d.width;
    var crop = viewer.crop >= 0 && d.crops[viewer.crop] ? d.crops[viewer.crop] : null;
    var avg = averageByKey(d.group);
    var panes = h('div', { class: 'panes' });
    panes.appendChild(pane(crop ? 'This image, full-resolution crop at ' + crop.x + ',' + crop.y : 'This image (' + d.width + '×' + d.height + ' px' + (scaled ? ', shown scaled' : '') + ')',
      crop ? crop.src : d.ok ? d.view : null, d.width, d.height, d.regions, crop, missing));
    if (!crop) {
      if (avg) {
        panes.appendChild(pane('Group average of ' + avg.loaded + ' images', avg.mean, avg.width, avg.height, avg.regions, null, 'Group average not available'));
        panes.appendChild(pane('Residual of the average (minus its blur)', avg.residual, avg.width, avg.height, [], null, 'Residual not available'));
      } else panes.appendChild(h('p', { class: 'muted', text: 'No group average: no other image is ' + d.group + '.' }));
    }
    panel.appendChild(panes);
    syncPanes([].slice.call(panes.querySelectorAll('.pane')));
    panel.appendChild(h('p', { class: 'muted', text: 'Fit shows the whole picture; 1x shows one image pixel per screen pixel and 2x-8x enlarge without smoothing. Scroll, drag or use the arrow keys on a picture to pan; the pictures pan together.' + (scaled ? ' This image is larger than the full-resolution limit, so it is shown scaled; the crops below are at full resolution.' : '') }));
    if (d.crops.length) {
      var cropBar = h('div', { class: 'tabs', 'aria-label': 'Full-resolution crops' }, h('span', { class: 'muted', text: 'Full resolution: ' }));
      [{ i: -1, t: 'whole image' }].concat(d.crops.map(function (c, i) { return { i: i, t: 'crop at ' + c.x + ',' + c.y }; })).forEach(function (o) {
        var b = h('button', { type: 'button', 'aria-pressed': viewer.crop === o.i ? 'true' : 'false', text: o.t });
        b.addEventListener('click', function () { viewer.crop = o.i; if (o.i >= 0 && !viewer.zoom) viewer.zoom = 2; renderViewer(); });
        cropBar.appendChild(b);
      });
      panel.appendChild(cropBar);
    }
    if (d.regions.length) {
      panel.appendChild(h('ul', { class: 'plain regions' }, d.regions.map(function (r) {
        var go = h('button', { type: 'button', class: 'link', text: 'go to' });
        go.addEventListener('click', function () { goToRegion(r, crop); });
        return h('li', { class: 'wrap' }, h('span', { class: 'legend-dot', style: 'background:' + classColor(r.id) }), r.id + ': ' + r.label + ' at x ' + r.x + ', y ' + r.y + ' (' + r.width + '×' + r.height + ' px) ', go);
      })));
    } else panel.appendChild(h('p', { class: 'muted', text: 'No regions: no detector marked an area of this image.' }));
  }

  function thumbs() {
    if (!data.worst.length) return h('p', { class: 'muted', text: 'No image pictures embedded.' });
    return h('div', { class: 'thumbs', id: 'thumbs' }, data.worst.map(function (p) {
      var d = data.details[p];
      var row = data.images.find(function (r) { return r.path === p; });
      var fig = h('figure', { class: 'thumb', 'data-path': p, tabindex: '0', role: 'button', 'aria-pressed': 'false', 'aria-label': 'Open ' + p + ' in the viewer' },
        picture(d.ok ? d.thumb : null, d.width, d.height, d.regions, p, 'Missing: ' + p + (d.message ? ' (' + d.message + ')' : '')),
        h('figcaption', {}, h('div', { class: 'mono' }, pathLabel(p, 28)), h('div', { class: 'muted', text: 'max ' + fmt(row ? row.maxSeverity : 0) + (row && row.detected.length ? ' · ' + row.detected.join(', ') : '') })));
      fig.addEventListener('click', function () { select(p, true); });
      fig.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); select(p, true); } });
      return fig;
    }));
  }

  var table = { sort: 'max', dir: -1, filter: '', cls: '' };
  var tableBody = h('tbody', {});
  var tableCount = h('span', { class: 'muted' });
  function sortValue(row, key) {
    if (key === 'path') return row.path;
    if (key === 'group') return row.width * row.height + row.width / 1e6;
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
        h('td', { class: 'mono wrap' }, h('span', { class: 'cell-path', text: r.path })),
        h('td', { text: r.group }),
        h('td', { text: fmt(r.maxSeverity) }),
        r.severities.map(function (s, i) { return h('td', { class: r.detected.indexOf(ids[i]) >= 0 ? 'hit' : undefined, text: s === null ? '–' : fmt(s) }); }));
      tr.addEventListener('click', function () { select(r.path, true); });
      if (r.detailed) {
        var open = h('button', { type: 'button', class: 'link', 'aria-label': 'Open ' + r.path + ' in the viewer', text: 'view' });
        open.addEventListener('click', function (e) { e.stopPropagation(); select(r.path, true); });
        tr.firstChild.appendChild(document.createTextNode(' '));
        tr.firstChild.appendChild(open);
      }
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
      card.appendChild(h('h3', { text: a.width + 'x' + a.height + ' · ' + plural(a.count, 'image') + (a.loaded !== a.count ? ' (' + a.loaded + ' still readable)' : '') }));
      card.appendChild(h('p', { class: 'grouping', text: a.grouping }));
      card.appendChild(h('div', {}, a.findings.map(function (f) {
        return h('span', { class: 'badge ' + (f.detected ? 'found' : 'off'), style: 'margin-right:6px', text: f.id + ' ' + fmt(f.severity) });
      })));
      if (a.missing.length) card.appendChild(h('details', {}, h('summary', { text: plural(a.missing.length, 'image') + ' could not be read again' }), h('ul', { class: 'plain' }, a.missing.map(function (m) { return h('li', { class: 'mono', text: m.path + ': ' + m.message }); }))));
      var grid = h('div', { class: 'avg-grid' });
      grid.appendChild(h('figure', {}, picture(a.mean, a.width, a.height, a.regions, 'Average ' + a.key, 'Average not available (images missing)'), h('figcaption', { text: 'Average image (boxes: detected regions)' })));
      grid.appendChild(h('figure', {}, picture(a.residual, a.width, a.height, [], 'Residual ' + a.key, 'Residual not available'), h('figcaption', { text: 'Residual: average minus its blur, contrast-stretched. Conv squares and grids show as a regular tiling.' })));
      grid.appendChild(h('figure', {}, spectrumPicture(a.spectrum, 'Spectrum ' + a.key), h('figcaption', { text: 'Power spectrum of the residual. ' + a.spectrumCaption })));
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
      ['Images with pictures here', String(data.worst.length)],
      ['Render settings', data.renders.manifests ? 'read from ' + plural(data.renders.manifests, 'manifest.json') + ' for ' + plural(data.renders.imagesWithSettings, 'image') : 'no manifest.json beside the images: fixes assume the render defaults']];
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
