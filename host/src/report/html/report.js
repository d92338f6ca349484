'use strict';
// Draws the report from the JSON the host embedded in the page. Every piece of
// text from the report goes into the page as a text node (append / textContent),
// never as markup: check output is untrusted.
(function () {
  const data = JSON.parse(document.getElementById('report-data').textContent);
  const STATUSES = ['fail', 'error', 'manual', 'waived', 'pass', 'not-applicable', 'not-assessed'];
  const LABELS = {
    fail: 'Fail', error: 'Error', manual: 'Manual', waived: 'Waived', pass: 'Pass',
    'not-applicable': 'N/A', 'not-assessed': 'Not assessed',
  };
  // Finding rows drawn at a time: a check with thousands of findings opens at once.
  const ROWS_PER_PAGE = 200;
  const state = { version: null, status: '', section: '', level: '', query: '' };
  let views = [];

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === 'class') node.className = value;
      else if (name === 'onclick') node.addEventListener('click', value);
      else node.setAttribute(name, value === true ? '' : String(value));
    }
    node.append(...children.filter((child) => child !== null && child !== undefined)
      .map((child) => (child instanceof Node ? child : String(child))));
    return node;
  }

  function svg(tag, attributes, text) {
    const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function badge(status) {
    return el('span', { class: `badge status-${status}` }, LABELS[status] || status);
  }

  function currentVersion() {
    return data.versions.find((version) => version.version === state.version);
  }

  // How many of each status: { fail: 3, pass: 1 }.
  function tally(statuses) {
    const counts = {};
    for (const status of statuses) counts[status] = (counts[status] || 0) + 1;
    return counts;
  }

  function appliesTo(finding, version) {
    return version === null || finding.versions.length === 0 || finding.versions.includes(version);
  }

  function facts() {
    const regions = data.regions.length ? data.regions.join(', ') : 'none';
    const rows = [
      ['Account', `${data.account} (${data.partition})`],
      ['Regions', regions],
      ['Scanned', data.evaluated_at],
      ['Benchmark', data.benchmark_version ? `CIS AWS Foundations v${data.benchmark_version}` : 'none referenced'],
      ['Checks', `${data.checks.length} loaded`],
      ['Tool', `plumbline ${data.tool_version}`],
    ];
    document.getElementById('scan-facts').replaceChildren(
      ...rows.flatMap(([term, value]) => [el('dt', {}, term), el('dd', {}, value)]));
    document.title = `Plumbline report: account ${data.account}, ${data.evaluated_at}`;
  }

  function scoreText(score) {
    const assessed = score.recommendations === null
      ? `${score.assessed} assessed`
      : `${score.assessed} of ${score.recommendations} assessed`;
    const errors = score.errors ? `; ${score.errors} could not be evaluated` : '';
    if (score.percent === null) return `not judged (${assessed}${errors})`;
    return `${Math.round(score.percent)}% (${score.passed}/${score.passed + score.failed} passed; ${assessed}${errors})`;
  }

  function chart() {
    const byVersion = new Map();
    for (const score of data.scores) {
      if (!byVersion.has(score.version)) byVersion.set(score.version, []);
      byVersion.get(score.version).push(score);
    }
    const versions = [...byVersion.keys()].reverse();
    const rowHeight = 20, gap = 12, top = 22, labelWidth = 110, barWidth = 380, width = 1000;
    const height = top + versions.length * (2 * rowHeight + gap);
    const root = svg('svg', {
      viewBox: `0 0 ${width} ${height}`, role: 'img',
      'aria-label': 'Score per CIS version and profile level',
    });
    for (const tick of [0, 25, 50, 75, 100]) {
      const x = labelWidth + (barWidth * tick) / 100;
      root.append(svg('line', { x1: x, x2: x, y1: top - 4, y2: height, stroke: '#d1d9e0' }));
      root.append(svg('text', { x, y: top - 8, 'text-anchor': 'middle', fill: '#59636e' }, `${tick}%`));
    }
    versions.forEach((version, index) => {
      const y = top + index * (2 * rowHeight + gap);
      const group = svg('g', { class: 'version-row', 'data-version': version, cursor: 'pointer' });
      group.append(svg('rect', { class: 'row-bg', x: 0, y: y - 3, width, height: 2 * rowHeight + 6 }));
      group.append(svg('text', { x: 0, y: y + rowHeight + 4 }, `v${version}`));
      for (const score of byVersion.get(version)) {
        const barY = y + (score.level - 1) * rowHeight;
        const filled = score.percent === null ? 0 : (barWidth * score.percent) / 100;
        group.append(svg('text', { x: labelWidth - 28, y: barY + 14, fill: '#59636e' }, `L${score.level}`));
        group.append(svg('rect', { class: 'bar-bg', x: labelWidth, y: barY + 2, width: barWidth, height: rowHeight - 5 }));
        group.append(svg('rect', {
          class: `bar level-${score.level}`, x: labelWidth, y: barY + 2, width: filled.toFixed(1),
          height: rowHeight - 5, 'data-version': version, 'data-level': score.level,
          'data-percent': score.percent === null ? '' : score.percent.toFixed(1),
        }));
        group.append(svg('text', { x: labelWidth + barWidth + 10, y: barY + 14 }, scoreText(score)));
      }
      group.addEventListener('click', () => switchVersion(version));
      root.append(group);
    });
    document.getElementById('chart').replaceChildren(root);
  }

  function highlightChart() {
    for (const row of document.querySelectorAll('#chart .version-row')) {
      row.classList.toggle('selected', row.dataset.version === state.version);
    }
  }

  function sectionsTable(version) {
    const head = el('tr', {}, el('th', {}, 'Section'), ...STATUSES.map((status) => el('th', {}, LABELS[status])));
    const sections = [...new Set(version.recommendations.map((recommendation) => recommendation.section))];
    const statusesIn = (section) => version.recommendations
      .filter((recommendation) => section === null || recommendation.section === section)
      .map((recommendation) => recommendation.status);
    const total = tally(statusesIn(null));
    const rows = sections.map((section) => {
      const counts = tally(statusesIn(section));
      const name = el('button', { type: 'button', onclick: () => setFilter('section', section) }, section);
      return el('tr', { 'data-section': section }, el('td', {}, name),
        ...STATUSES.map((status) => el('td', { 'data-status': status }, counts[status] || 0)));
    });
    const totals = el('tr', { class: 'total' }, el('th', {}, 'All recommendations'),
      ...STATUSES.map((status) => el('th', {}, total[status] || 0)));
    document.getElementById('sections').replaceChildren(el('thead', {}, head), el('tbody', {}, ...rows), el('tfoot', {}, totals));
  }

  function waiversBlock() {
    if (!data.waivers) return;
    const describe = (waiver) => {
      const scope = ['check', 'cis', 'resource', 'region', 'account']
        .filter((field) => waiver[field]).map((field) => `${field} ${waiver[field]}`).join(', ');
      return el('li', {}, `line ${waiver.line}: ${scope || 'every failure'}; "${waiver.reason}" (owner ${waiver.owner}, expires ${waiver.expires})`);
    };
    const lists = [];
    for (const [kind, title] of [['expired', 'Expired: no longer applied'], ['unused', 'Unused: matched no failing finding']]) {
      const waivers = data.waivers[kind];
      lists.push(el('h3', {}, `${title} (${waivers.length})`));
      lists.push(waivers.length ? el('ul', { class: `waivers-${kind}` }, ...waivers.map(describe)) : el('p', { class: 'empty' }, 'none'));
    }
    document.getElementById('waiver-lists').replaceChildren(...lists);
    document.getElementById('waivers').hidden = false;
  }

  // The text a search looks through, per check: its id, title, error and findings.
  const checkText = data.checks.map((check) => [
    check.id, check.title, check.error || '',
    ...check.findings.map((finding) => `${finding.resource} ${finding.region} ${finding.message}`),
  ].join('\n').toLowerCase());

  function findingRows(check, version, tbody, more) {
    const findings = check.findings.filter((finding) => appliesTo(finding, version));
    let drawn = 0;
    const drawPage = () => {
      const page = findings.slice(drawn, drawn + ROWS_PER_PAGE).map((finding) => el('tr', { 'data-status': finding.status },
        el('td', {}, badge(finding.status)),
        el('td', { class: 'resource' }, finding.resource),
        el('td', {}, finding.region),
        el('td', {}, finding.message, finding.waiver
          ? el('div', { class: 'waiver-note' }, `waived: ${finding.waiver.reason} (owner ${finding.waiver.owner}, until ${finding.waiver.expires})`)
          : null)));
      tbody.append(...page);
      drawn += page.length;
      const left = findings.length - drawn;
      more.hidden = left <= 0;
      more.textContent = `Show ${Math.min(left, ROWS_PER_PAGE)} more (${left} not shown)`;
    };
    more.addEventListener('click', drawPage);
    drawPage();
    return findings.length;
  }

  function checkBody(check, version) {
    const guidance = [['What is checked', check.description], ['Why', check.rationale],
      ['How to fix', check.remediation], ['Source', check.origin]]
      .filter(([, text]) => text)
      .flatMap(([term, text]) => [el('dt', {}, term), el('dd', {}, text)]);
    const body = [el('dl', { class: 'guidance' }, ...guidance)];
    if (check.error) body.push(el('p', { class: 'check-error' }, `Could not evaluate: ${check.error}`));
    const tbody = el('tbody');
    const more = el('button', { type: 'button', class: 'more', hidden: true });
    const table = el('table', { class: 'findings' },
      el('thead', {}, el('tr', {}, el('th', {}, 'Status'), el('th', {}, 'Resource'), el('th', {}, 'Region'), el('th', {}, 'Finding'))),
      tbody);
    const count = findingRows(check, version, tbody, more);
    body.push(count ? table : el('p', { class: 'empty' }, 'No findings for this version.'), more);
    return body;
  }

  function checkView(verdict, version) {
    const check = data.checks[verdict.check];
    const counts = tally(check.findings.filter((finding) => appliesTo(finding, version)).map((finding) => finding.status));
    const summary = el('summary', {}, badge(verdict.status), el('span', { class: 'check-id' }, check.id), ` ${check.title} `,
      el('span', { class: 'check-counts' }, `${check.severity}; ${STATUSES.filter((status) => counts[status])
        .map((status) => `${counts[status]} ${LABELS[status].toLowerCase()}`).join(', ') || 'no findings'}`));
    const findings = Object.values(counts).reduce((sum, count) => sum + count, 0);
    const node = el('details', {
      class: 'check', 'data-check': check.id, 'data-status': verdict.status, 'data-findings': findings,
    }, summary);
    // Drawn on first open: a report with thousands of findings loads at once.
    node.addEventListener('toggle', () => {
      if (node.open && node.childElementCount === 1) node.append(...checkBody(check, version));
    });
    return { node, status: verdict.status, text: checkText[verdict.check] };
  }

  function recommendationView(recommendation, version) {
    const scope = recommendation.id === null ? null : version.version;
    const checks = recommendation.checks.map((verdict) => checkView(verdict, scope));
    const meta = recommendation.level === null ? 'no CIS recommendation'
      : `Level ${recommendation.level} · ${recommendation.scoring}`;
    const header = el('header', {}, badge(recommendation.status),
      el('span', { class: 'rec-id' }, recommendation.id || '–'),
      el('span', { class: 'rec-title' }, recommendation.title),
      el('span', { class: 'rec-meta' }, meta));
    const node = el('section', {
      class: 'rec', 'data-id': recommendation.id || '', 'data-status': recommendation.status,
      'data-section': recommendation.section, 'data-level': recommendation.level || '',
    }, header, ...checks.map((check) => check.node));
    if (!checks.length) node.append(el('p', { class: 'check empty' }, 'Not assessed: no loaded check implements this recommendation.'));
    return {
      node, checks, section: recommendation.section, level: String(recommendation.level || ''),
      text: `${recommendation.id || ''} ${recommendation.title}`.toLowerCase(),
    };
  }

  function statusFilter(version) {
    // Checks by status, and the recommendations no check assesses.
    const counts = tally(version.recommendations.flatMap((recommendation) => (recommendation.checks.length
      ? recommendation.checks.map((check) => check.status) : ['not-assessed'])));
    const button = (status, label) => el('button', {
      type: 'button', 'data-status': status, 'aria-pressed': String(state.status === status),
      onclick: () => setFilter('status', status),
    }, label);
    document.getElementById('status-filter').replaceChildren(button('', 'All'),
      ...STATUSES.filter((status) => counts[status]).map((status) => button(status, `${LABELS[status]} ${counts[status]}`)));
  }

  function sectionOptions(version) {
    const select = document.getElementById('section-filter');
    const sections = [...new Set(version.recommendations.map((recommendation) => recommendation.section))];
    if (!sections.includes(state.section)) state.section = '';
    select.replaceChildren(el('option', { value: '' }, 'All sections'),
      ...sections.map((section) => el('option', { value: section }, section)));
    select.value = state.section;
  }

  function applyFilters() {
    const query = state.query;
    let recommendations = 0, checks = 0;
    for (const view of views) {
      let visible = (!state.section || view.section === state.section) && (!state.level || view.level === state.level);
      const textMatches = !query || view.text.includes(query);
      if (visible && view.checks.length) {
        visible = false;
        for (const check of view.checks) {
          const shown = (!state.status || check.status === state.status) && (textMatches || check.text.includes(query));
          check.node.hidden = !shown;
          if (shown) { visible = true; checks += 1; }
        }
      } else if (visible) {
        visible = (!state.status || state.status === 'not-assessed') && textMatches;
      }
      view.node.hidden = !visible;
      if (visible) recommendations += 1;
    }
    for (const button of document.querySelectorAll('#status-filter button')) {
      button.setAttribute('aria-pressed', String(button.dataset.status === state.status));
    }
    document.getElementById('shown').textContent =
      `Showing ${recommendations} of ${views.length} recommendations, ${checks} checks.`;
    saveView();
  }

  // The view (version and filters) lives in the address's fragment, so a
  // link to the file with `#status=fail&section=...` opens that view.
  const VIEW = ['version', 'status', 'section', 'level', 'query'];

  function saveView() {
    const view = new URLSearchParams();
    for (const name of VIEW) if (state[name]) view.set(name, state[name]);
    history.replaceState(null, '', `#${view}`);
  }

  function restoreView(versions) {
    const view = new URLSearchParams(location.hash.slice(1));
    const wanted = view.get('version');
    const fallback = versions.includes(data.benchmark_version) ? data.benchmark_version : versions[versions.length - 1];
    switchVersion(versions.includes(wanted) ? wanted : fallback);
    const sections = new Set(currentVersion().recommendations.map((recommendation) => recommendation.section));
    const status = view.get('status') || '';
    const section = view.get('section') || '';
    const level = view.get('level') || '';
    state.status = STATUSES.includes(status) ? status : '';
    state.section = sections.has(section) ? section : '';
    state.level = ['1', '2'].includes(level) ? level : '';
    state.query = (view.get('query') || '').trim().toLowerCase();
    document.getElementById('section-filter').value = state.section;
    document.getElementById('level-filter').value = state.level;
    document.getElementById('search').value = state.query;
    applyFilters();
  }

  function setFilter(name, value) {
    state[name] = value;
    if (name === 'section') document.getElementById('section-filter').value = value;
    applyFilters();
  }

  function switchVersion(version) {
    state.version = version;
    document.getElementById('version').value = version;
    const current = currentVersion();
    for (const label of document.querySelectorAll('.version-label')) label.textContent = `(CIS v${version})`;
    highlightChart();
    sectionsTable(current);
    statusFilter(current);
    sectionOptions(current);
    views = current.recommendations.map((recommendation) => recommendationView(recommendation, current));
    document.getElementById('recommendations').replaceChildren(...views.map((view) => view.node));
    applyFilters();
  }

  function start() {
    facts();
    chart();
    waiversBlock();
    const select = document.getElementById('version');
    select.replaceChildren(...[...data.versions].reverse()
      .map((version) => el('option', { value: version.version }, `v${version.version}`)));
    select.addEventListener('change', () => switchVersion(select.value));
    document.getElementById('section-filter').addEventListener('change', (event) => setFilter('section', event.target.value));
    document.getElementById('level-filter').addEventListener('change', (event) => setFilter('level', event.target.value));
    let pending = null;
    document.getElementById('search').addEventListener('input', (event) => {
      clearTimeout(pending);
      pending = setTimeout(() => setFilter('query', event.target.value.trim().toLowerCase()), 120);
    });
    const versions = data.versions.map((version) => version.version);
    if (versions.length) {
      restoreView(versions);
    } else {
      document.getElementById('recommendations').replaceChildren(el('p', { class: 'empty' }, 'No loaded check references a CIS version.'));
    }
    document.body.dataset.ready = 'true';
  }

  start();
}());
