'use strict';
// Renders the report from the data in #report-data. Article text is untrusted: every value from
// the data reaches the page through textContent or a DOM attribute, never as markup.

// The data is gzip-compressed JSON in base64 (a page a fifth the size), inflated by the browser's
// own DecompressionStream; base64 holds no character that could end its script element.
async function load() {
  const binary = atob(document.getElementById('report-data').textContent.trim());
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return JSON.parse(await new Response(stream).text());
}

(async function () {
  const D = await load();
  window.lintnewsReport = D;  // the data as decoded, left unchanged, for whoever inspects the page
  const SEV = ['col', 'info', 'warning', 'error'];  // 0: a bar of all severities
  const PAGE = 100;
  const TOP = 12;
  const SVG = 'http://www.w3.org/2000/svg';
  // file row: [folder, name, title, section, source, editor, month, findings]; paths[f] is its path
  const F_FOLDER = 0, F_NAME = 1, F_TITLE = 2, F_SECTION = 3, F_SOURCE = 4, F_EDITOR = 5, F_MONTH = 6, F_COUNT = 7;

  // -- unpacking: one typed array per finding column ------------------------------------
  const C = D.files;  // columns, made rows here
  const files = C.findings.map((count, f) => [C.folder[f], C.name[f], C.title[f], C.section[f], C.source[f],
    C.editor[f], C.month[f], count]);
  const nFindings = D.findings.kind.length;
  const paths = files.map((file) => {
    const folder = D.folders[file[F_FOLDER]];
    return folder === '.' ? file[F_NAME] : folder + '/' + file[F_NAME];
  });
  const fFile = new Int32Array(nFindings), fRule = new Int32Array(nFindings), fSnip = new Int32Array(nFindings);
  const fSev = new Int8Array(nFindings), fKnown = new Int8Array(nFindings);
  const fLine = new Int32Array(nFindings), fColumn = new Int32Array(nFindings);
  const fileStart = new Int32Array(files.length + 1);
  for (let i = 0, k = 0; i < files.length; i++) { fileStart[i] = k; k += files[i][F_COUNT]; fileStart[i + 1] = k; }
  // the source line of each finding: the next entry of D.lines when the line changes or the
  // column falls outside the stored window (as the data was written)
  const codePoints = (index) => Array.from(D.texts[index] || '');
  const characters = (index) => {  // a text's length in characters, as columns count them
    const text = D.texts[index] || '';
    return /[\uD800-\uDFFF]/.test(text) ? Array.from(text).length : text.length;
  };
  for (let i = 0, file = 0, snip = -1, lastFile = -1, lastLine = -1, from = 0, to = 0; i < nFindings; i++) {
    while (fileStart[file + 1] <= i) file++;
    const kind = D.findings.kind[i], column = D.findings.column[i];
    const line = D.findings.line[i] + (i > fileStart[file] ? fLine[i - 1] : 0);  // lines are stored as steps
    fFile[i] = file; fRule[i] = kind >> 3; fSev[i] = (kind >> 1) & 3; fKnown[i] = kind & 1;
    fLine[i] = line; fColumn[i] = column;
    if (file !== lastFile || line !== lastLine || column < from || column >= to) {
      snip++; lastFile = file; lastLine = line;
      const entry = D.lines[snip] || [1, -1];
      from = entry[0]; to = from + Math.max(characters(entry[1]), 1);
    }
    fSnip[i] = snip;
  }

  // -- small DOM helpers: text only ------------------------------------------------------
  function el(tag, props, children) {
    const node = document.createElement(tag);
    if (props) for (const key in props) {
      if (key === 'text') node.textContent = props[key];
      else if (key === 'class') node.className = props[key];
      else node.setAttribute(key, props[key]);
    }
    if (children) for (const child of children) if (child != null) node.appendChild(child);
    return node;
  }
  function svg(tag, attrs) {
    const node = document.createElementNS(SVG, tag);
    for (const key in attrs) node.setAttribute(key, attrs[key]);
    return node;
  }
  const fmt = new Intl.NumberFormat('en');
  const num = (n) => fmt.format(n);
  const NOTHING = () => nFindings ? 'Nothing matches the filters.' : 'No problems found.';
  const plural = (n, noun) => num(n) + ' ' + noun + (n === 1 ? '' : 's');
  const ruleAnchor = (id) => 'rule-' + encodeURIComponent(id);

  // -- summary tiles: the new findings of the run, as the other formats report them ------
  const totals = [0, 0, 0, 0], withProblems = new Set(), fired = new Set();
  let known = 0;
  for (let i = 0; i < nFindings; i++) {
    if (fKnown[i]) { known++; continue; }
    totals[fSev[i]]++; withProblems.add(fFile[i]); fired.add(fRule[i]);
  }
  const tiles = [['checked', 'files checked', D.checked], ['with-problems', 'files with problems', withProblems.size],
    ['error', 'errors', totals[3]], ['warning', 'warnings', totals[2]], ['info', 'info', totals[1]],
    ['rules', 'rules fired', fired.size]];
  if (D.baseline) tiles.push(['known', 'known (baseline)', known]);
  const tileBox = document.getElementById('tiles');
  for (const [key, label, value] of tiles) {
    tileBox.appendChild(el('div', {class: 'tile ' + key, 'data-tile': key},
      [el('span', {class: 'value', text: num(value)}), el('span', {class: 'label', text: label})]));
  }
  document.getElementById('root').textContent = D.root;
  document.getElementById('generated').textContent = 'Generated ' + D.generated + ' · ' + num(nFindings) +
    ' findings' + (D.baseline ? ' (new and known)' : '');

  // -- filters ---------------------------------------------------------------------------
  const ruleSelect = document.getElementById('f-rule'), sevSelect = document.getElementById('f-severity');
  const folderSelect = document.getElementById('f-folder'), statusSelect = document.getElementById('f-status');
  const search = document.getElementById('f-search');
  const ruleCounts = new Int32Array(D.rules.length);
  for (let i = 0; i < nFindings; i++) ruleCounts[fRule[i]]++;
  D.rules.map((rule, index) => [rule.id, index]).sort().forEach(([id, index]) =>
    ruleSelect.appendChild(el('option', {value: String(index), text: id + ' (' + num(ruleCounts[index]) + ')'})));
  // every folder and its parents, with how many files with findings each holds
  const folderFiles = new Map();
  files.forEach((file) => {
    if (!file[F_COUNT]) return;
    const parts = D.folders[file[F_FOLDER]].split('/');
    for (let depth = 1; depth <= parts.length; depth++) {
      const name = parts.slice(0, depth).join('/');
      folderFiles.set(name, (folderFiles.get(name) || 0) + 1);
    }
  });
  [...folderFiles.keys()].sort().forEach((name) => folderSelect.appendChild(el('option', {value: name,
    text: '\u2002'.repeat(name.split('/').length - 1) + name.split('/').pop() + ' (' + num(folderFiles.get(name)) +
      ')'})));
  if (D.baseline) document.getElementById('status-filter').hidden = false;
  // a breakdown by what no article names (an English blog credits no editor) would be one bar
  // of every finding, and its column of the table empty: both are left out, whatever the filters
  [['source', D.sources], ['editor', D.editors]].forEach(([name, labels]) => {
    if (labels.some((label) => label)) return;
    document.getElementById('chart-' + name).hidden = true;
    document.getElementById('files').classList.add('no-' + name);
  });
  // an odd number of half-width charts left would leave a gap beside the last: the chart over
  // time, else a row of its own, takes it
  if (document.querySelectorAll('.charts figure:not(.wide):not([hidden])').length % 2) {
    document.getElementById('chart-month').classList.remove('wide');
  }

  const state = {rule: -1, sev: 0, folder: '', status: '', query: '', sortKey: 'total', sortDir: -1, shown: PAGE};
  let view = null;  // what the filters keep: per-file counts and the sorted list of files

  function folderMatches(folder) {
    return !state.folder || folder === state.folder || folder.startsWith(state.folder + '/');
  }
  function findingMatches(i) {
    return (state.rule < 0 || fRule[i] === state.rule) && (!state.sev || fSev[i] === state.sev) &&
      (!state.status || fKnown[i] === (state.status === 'known' ? 1 : 0));
  }

  function compute() {
    const query = state.query.toLowerCase();
    const counts = new Int32Array(files.length * 4);  // total, info, warning, error
    const byRule = new Int32Array(D.rules.length * 4);
    const bySection = new Int32Array(D.sections.length), bySource = new Int32Array(D.sources.length);
    const byEditor = new Int32Array(D.editors.length), byMonth = new Int32Array(D.months.length);
    let matched = 0;
    for (let f = 0; f < files.length; f++) {
      const file = files[f];
      if (!file[F_COUNT] || !folderMatches(D.folders[file[F_FOLDER]])) continue;
      if (query && !paths[f].toLowerCase().includes(query) &&
          !file[F_TITLE].toLowerCase().includes(query)) continue;
      for (let i = fileStart[f]; i < fileStart[f + 1]; i++) {
        if (!findingMatches(i)) continue;
        matched++; counts[f * 4]++; counts[f * 4 + fSev[i]]++; byRule[fRule[i] * 4 + fSev[i]]++;
      }
      const n = counts[f * 4];
      if (!n) continue;
      bySection[file[F_SECTION]] += n; bySource[file[F_SOURCE]] += n;
      byEditor[file[F_EDITOR]] += n; byMonth[file[F_MONTH]] += n;
    }
    const rows = [];
    for (let f = 0; f < files.length; f++) if (counts[f * 4]) rows.push(f);
    view = {counts, rows, matched, byRule, bySection, bySource, byEditor, byMonth};
    sortRows();
  }

  const SORT_COLUMNS = {section: F_SECTION, source: F_SOURCE, editor: F_EDITOR, month: F_MONTH};
  const SORT_TABLES = {section: 'sections', source: 'sources', editor: 'editors', month: 'months'};
  const SORT_COUNTS = {total: 0, info: 1, warning: 2, error: 3};
  function sortRows() {
    const key = state.sortKey, dir = state.sortDir, counts = view.counts;
    let value;
    if (key in SORT_COUNTS) value = (f) => counts[f * 4 + SORT_COUNTS[key]];
    else if (key === 'path') value = (f) => paths[f];
    else value = (f) => D[SORT_TABLES[key]][files[f][SORT_COLUMNS[key]]];
    view.rows.sort((a, b) => {
      const x = value(a), y = value(b);
      if (x < y) return -dir;
      if (x > y) return dir;
      return paths[a] < paths[b] ? -1 : 1;
    });
  }

  // -- charts: inline SVG -----------------------------------------------------------------
  function stackedBar(parts, max) {  // parts: [[severity, count], ...]
    const box = svg('svg', {role: 'img', 'aria-hidden': 'true'});
    box.appendChild(svg('rect', {class: 'track', x: '0', y: '0', width: '100%', height: '100%', rx: '2'}));
    let x = 0;
    for (const [severity, count] of parts) {
      if (!count) continue;
      const width = count / max * 100;
      box.appendChild(svg('rect', {class: SEV[severity], x: x + '%', y: '0', width: width + '%', height: '100%'}));
      x += width;
    }
    return box;
  }

  function barChart(id, items, onPick, active, others) {  // items: [{label, parts, total, key}]
    const box = document.querySelector('#' + id + ' .chart');
    box.textContent = '';
    if (!items.length) { box.appendChild(el('p', {class: 'empty', text: NOTHING()})); return; }
    const max = Math.max(...items.map((item) => item.total));
    const grid = el('div', {class: 'bars'});
    for (const item of items) {
      const row = el('div', {class: 'row' + (onPick && item.key != null ? ' clickable' : '') +
        (item.key != null && item.key === active ? ' active' : ''), title: item.label + ': ' + num(item.total)}, [
        el('span', {class: 'name', text: item.label}), stackedBar(item.parts, max),
        el('span', {class: 'count', text: num(item.total)})]);
      if (onPick && item.key != null) {
        row.setAttribute('role', 'button'); row.tabIndex = 0;
        row.addEventListener('click', () => onPick(item.key));
        row.addEventListener('keydown', (event) => { if (event.key === 'Enter') onPick(item.key); });
      }
      grid.appendChild(row);
    }
    box.appendChild(grid);
    if (others) box.appendChild(el('p', {class: 'empty', text: others}));
    if (items.some((item) => item.parts.some((part) => part[0]))) {
      box.appendChild(el('div', {class: 'legend'}, [3, 2, 1].map((s) =>
        el('span', null, [el('i', {class: SEV[s]}), document.createTextNode(SEV[s])]))));
    }
  }

  function topItems(counts, labels, empty) {  // the TOP largest, the rest summed as "other"
    const order = [];
    for (let i = 0; i < counts.length; i++) if (counts[i]) order.push(i);
    order.sort((a, b) => counts[b] - counts[a]);
    const items = order.slice(0, TOP).map((i) => ({label: labels[i] || empty, total: counts[i]}));
    const rest = order.slice(TOP);
    const others = rest.length ? '… and ' + num(rest.length) + ' more with ' +
      num(rest.reduce((sum, i) => sum + counts[i], 0)) + ' findings' : '';
    return [items, others];
  }

  function plainBars(id, counts, labels, empty) {  // one colour: these count findings of every severity
    const [items, others] = topItems(counts, labels, empty);
    barChart(id, items.map((item) => ({...item, parts: [[0, item.total]]})), null, null, others);
  }

  function monthChart(counts) {
    const box = document.querySelector('#chart-month .chart');
    box.textContent = '';
    let months = [], undated = 0;
    D.months.forEach((month, i) => {
      if (month) months.push([month, counts[i]]);
      else undated += counts[i];
    });
    months = months.filter((month) => month[1]);
    months.sort();
    if (!months.length) {
      box.appendChild(el('p', {class: 'empty', text: nFindings ? 'No dated articles match the filters.' : NOTHING()}));
      return;
    }
    const series = fillMonths(months);
    const max = Math.max(...series.map((m) => m[1]));
    const width = Math.max(series.length, 1) * 10;
    const chart = svg('svg', {viewBox: '0 0 ' + width + ' 100', preserveAspectRatio: 'none', role: 'img',
      'aria-label': 'findings per month'});
    series.forEach(([month, count], i) => {
      if (!count) return;
      const height = Math.max(count / max * 100, 1);
      const bar = svg('rect', {class: 'col', x: i * 10 + 1, y: 100 - height, width: 8, height});
      const tip = svg('title', {});
      tip.textContent = month + ': ' + num(count);
      bar.appendChild(tip);
      chart.appendChild(bar);
    });
    box.appendChild(el('div', {class: 'months'}, [chart]));
    const middle = series[Math.floor(series.length / 2)][0];
    box.appendChild(el('div', {class: 'axis'}, [el('span', {text: series[0][0]}),
      el('span', {text: series.length > 2 ? middle : ''}), el('span', {text: series[series.length - 1][0]})]));
    box.appendChild(el('p', {class: 'empty', text: 'Busiest month: ' + num(max) + ' findings' +
      (undated ? ' · ' + num(undated) + ' findings in undated articles' : '')}));
  }

  function fillMonths(months) {  // consecutive months with zeros, unless the span is absurd
    const index = (m) => parseInt(m.slice(0, 4), 10) * 12 + parseInt(m.slice(5, 7), 10) - 1;
    const first = index(months[0][0]), last = index(months[months.length - 1][0]);
    if (last - first > 600) return months;
    const have = new Map(months);
    const series = [];
    for (let i = first; i <= last; i++) {
      const name = Math.floor(i / 12) + '-' + String(i % 12 + 1).padStart(2, '0');
      series.push([name, have.get(name) || 0]);
    }
    return series;
  }

  function drawCharts() {
    const ruleItems = [];
    for (let r = 0; r < D.rules.length; r++) {
      const parts = [[3, view.byRule[r * 4 + 3]], [2, view.byRule[r * 4 + 2]], [1, view.byRule[r * 4 + 1]]];
      const total = parts.reduce((sum, part) => sum + part[1], 0);
      if (total) ruleItems.push({label: D.rules[r].id, parts, total, key: r});
    }
    ruleItems.sort((a, b) => b.total - a.total || (a.label < b.label ? -1 : 1));
    barChart('chart-rule', ruleItems, (r) => setFilter('rule', state.rule === r ? -1 : r), state.rule);
    plainBars('chart-section', view.bySection, D.sections, '(none)');
    plainBars('chart-source', view.bySource, D.sources, '(not given)');
    plainBars('chart-editor', view.byEditor, D.editors, '(no credit)');
    monthChart(view.byMonth);
  }

  // -- the table of files --------------------------------------------------------------------
  const tbody = document.querySelector('#files tbody');
  const more = document.getElementById('more');
  function drawTable() {
    tbody.textContent = '';
    const rows = view.rows.slice(0, state.shown);
    for (const f of rows) tbody.appendChild(fileRow(f));
    const left = view.rows.length - rows.length;
    more.hidden = left <= 0;
    more.textContent = 'Show ' + num(Math.min(PAGE, left)) + ' more of ' + num(left);
    document.getElementById('f-summary').textContent = plural(view.matched, 'finding') + ' in ' +
      plural(view.rows.length, 'file') + ' match' +
      (rows.length < view.rows.length ? '; showing ' + num(rows.length) : '');
  }

  function fileRow(f) {
    const file = files[f], counts = view.counts;
    const pathCell = el('td', {class: 'path'}, [el('span', {text: paths[f]}),
      file[F_TITLE] ? el('span', {class: 'title', text: file[F_TITLE]}) : null]);
    const cell = (className, text) => el('td', {class: className, text});
    const row = el('tr', {class: 'file', tabindex: '0', 'data-file': String(f)}, [pathCell,
      cell('opt', D.sections[file[F_SECTION]]), cell('opt col-source', D.sources[file[F_SOURCE]]),
      cell('opt col-editor', D.editors[file[F_EDITOR]]), cell('opt', D.months[file[F_MONTH]]),
      cell('num e', num(counts[f * 4 + 3])), cell('num w', num(counts[f * 4 + 2])),
      cell('num i opt', num(counts[f * 4 + 1])), cell('num', num(counts[f * 4]))]);
    const toggle = () => toggleDetail(row, f);
    row.addEventListener('click', toggle);
    row.addEventListener('keydown', (event) => { if (event.key === 'Enter') toggle(); });
    return row;
  }

  function toggleDetail(row, f) {
    const next = row.nextElementSibling;
    if (next && next.classList.contains('detail')) { next.remove(); row.classList.remove('open'); return; }
    row.classList.add('open');
    const cell = el('td', {colspan: '9'});
    for (let i = fileStart[f]; i < fileStart[f + 1]; i++) if (findingMatches(i)) cell.appendChild(findingView(i));
    row.after(el('tr', {class: 'detail'}, [cell]));
  }

  function findingView(i) {
    const rule = D.rules[fRule[i]];
    const head = el('div', {class: 'head'}, [
      el('span', {class: 'pos', text: fLine[i] + ':' + fColumn[i]}),
      el('span', {class: 'sev ' + SEV[fSev[i]], text: SEV[fSev[i]]}),
      el('a', {href: '#' + ruleAnchor(rule.id), text: rule.id}),
      el('span', {class: 'message', text: D.messages[D.findings.message[i]]}),
      fKnown[i] ? el('span', {class: 'tag-known', text: 'known'}) : null]);
    return el('div', {class: 'finding'}, [head, sourceLine(fSnip[i], fLine[i], fColumn[i])]);
  }

  function sourceLine(snip, line, column) {
    const [start, textIndex] = D.lines[snip] || [1, -1];
    const chars = codePoints(textIndex);  // columns count characters, not UTF-16 units
    if (!chars.length) return null;
    const at = Math.min(Math.max(column - start, 0), chars.length);
    return el('pre', {class: 'src'}, [el('span', {class: 'ln', text: String(line)}),
      document.createTextNode((start > 1 ? '…' : '') + chars.slice(0, at).join('')),
      el('mark', {text: chars[at] || ' '}), document.createTextNode(chars.slice(at + 1).join(''))]);
  }

  // -- the rules, with their documentation --------------------------------------------------
  const rulesBox = document.getElementById('rules');
  const byCount = D.rules.map((rule, index) => [rule, index]).sort((a, b) => ruleCounts[b[1]] - ruleCounts[a[1]]);
  byCount.forEach(([rule, index]) => {
    const options = Object.keys(rule.options || {});
    rulesBox.appendChild(el('details', {class: 'rule', id: ruleAnchor(rule.id)}, [
      el('summary', null, [el('code', {text: rule.id}), document.createTextNode(' · ' + rule.severity + ' · ' +
        plural(ruleCounts[index], 'finding') + ' · ' + rule.summary)]),
      rule.doc ? el('pre', {text: rule.doc}) : null,
      options.length ? el('pre', {text: 'Options and their defaults:\n' + options.map((name) =>
        '  ' + name + ': ' + JSON.stringify(rule.options[name])).join('\n')}) : null,
      rule.url ? el('p', null, [el('a', {href: rule.url, target: '_blank', rel: 'noopener noreferrer',
        text: 'Rule reference'})]) : null]));
  });
  function openTarget() {
    let id = '';
    try {
      id = decodeURIComponent(location.hash.slice(1));
    } catch (error) {  // a fragment that does not decode (a link cut short: #%E0%A4%A) names nothing
      return;
    }
    const target = id && document.getElementById(id);
    if (target && target.tagName === 'DETAILS') target.open = true;
  }
  window.addEventListener('hashchange', openTarget);

  // -- wiring ---------------------------------------------------------------------------------
  function refresh() { compute(); drawCharts(); drawTable(); }
  function setFilter(key, value) {
    state[key] = value; state.shown = PAGE;
    ruleSelect.value = state.rule < 0 ? '' : String(state.rule);
    refresh();
  }
  ruleSelect.addEventListener('change', () => setFilter('rule', ruleSelect.value === '' ? -1 : +ruleSelect.value));
  sevSelect.addEventListener('change', () => setFilter('sev', +sevSelect.value || 0));
  folderSelect.addEventListener('change', () => setFilter('folder', folderSelect.value));
  statusSelect.addEventListener('change', () => setFilter('status', statusSelect.value));
  let typing = 0;
  search.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(() => setFilter('query', search.value.trim()), 150);
  });
  document.getElementById('f-clear').addEventListener('click', () => {
    clearTimeout(typing);
    sevSelect.value = ''; folderSelect.value = ''; statusSelect.value = ''; search.value = '';
    Object.assign(state, {sev: 0, folder: '', status: '', query: ''});
    setFilter('rule', -1);
  });
  document.querySelectorAll('#files th[data-sort]').forEach((th) => th.addEventListener('click', () => {
    const key = th.dataset.sort;
    state.sortDir = state.sortKey === key ? -state.sortDir : (key in SORT_COUNTS ? -1 : 1);
    state.sortKey = key;
    document.querySelectorAll('#files th').forEach((other) => other.removeAttribute('aria-sort'));
    th.setAttribute('aria-sort', state.sortDir < 0 ? 'descending' : 'ascending');
    sortRows(); drawTable();
  }));
  more.addEventListener('click', () => { state.shown += PAGE; drawTable(); });

  refresh();
  openTarget();
  document.documentElement.dataset.ready = String(performance.now());
})().catch((error) => {
  document.getElementById('f-summary').textContent = 'This browser cannot show the report: ' + error;
  throw error;
});
