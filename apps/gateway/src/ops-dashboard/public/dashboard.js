// Canopy ops dashboard: a static page that polls the ops API with the admin token.
// The token comes from the login field or the URL fragment (#token=…, never sent by browsers),
// lives in this tab's sessionStorage, and leaves the page only as an Authorization header.
'use strict';

(() => {
  const REFRESH_MS = 2000;
  const STORAGE_KEY = 'canopy.ops.token';
  const FAULT_MODES = ['down', 'error', 'timeout', 'slow'];
  const SLOW_LATENCY_MS = 1500;

  const $ = (id) => document.getElementById(id);
  let token = null;
  let timer = null;
  let lastTree = '';
  let lastPayments = '';
  let lastNotifications = '';
  let lastSeries = '';
  let generation = 0;

  /** Creates an element; children are nodes or strings (always text, never HTML). */
  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'class') node.className = value;
      else if (key === 'text') node.textContent = value;
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  // ---------------------------------------------------------------- session

  function takeTokenFromFragment() {
    const params = new URLSearchParams(location.hash.slice(1));
    const fromFragment = params.get('token');
    if (fromFragment) {
      // Keep the secret out of the address bar and the history.
      history.replaceState(null, '', location.pathname + location.search);
      return fromFragment.trim();
    }
    return null;
  }

  function signIn(value) {
    token = value;
    sessionStorage.setItem(STORAGE_KEY, value);
    $('login').hidden = true;
    $('dashboard').hidden = false;
    $('live').hidden = false;
    $('logout').hidden = false;
    lastTree = '';
    lastPayments = '';
    lastNotifications = '';
    lastSeries = '';
    refresh();
  }

  function signOut(message) {
    token = null;
    generation += 1;
    clearTimeout(timer);
    sessionStorage.removeItem(STORAGE_KEY);
    $('dashboard').hidden = true;
    $('live').hidden = true;
    $('logout').hidden = true;
    $('login').hidden = false;
    $('login-error').textContent = message || '';
    $('token').value = '';
    $('token').focus();
  }

  class Unauthorized extends Error {}

  async function api(method, path, body) {
    const headers = { authorization: `Bearer ${token}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit',
    });
    if (response.status === 401) throw new Unauthorized();
    const payload = await response.json().catch(() => null);
    if (!response.ok) {
      throw new Error(payload?.error?.message || `${method} ${path} answered ${response.status}`);
    }
    return payload;
  }

  // ---------------------------------------------------------------- polling

  async function refresh() {
    clearTimeout(timer);
    const mine = ++generation;
    try {
      const [tree, payments, notifications, series] = await Promise.all([
        api('GET', '/v1/ops/tree'),
        api('GET', '/v1/ops/payments?limit=20'),
        api('GET', '/v1/ops/notifications?limit=20'),
        api('GET', '/v1/ops/routing/series'),
      ]);
      if (mine !== generation) return;
      render(tree, payments, notifications, series);
      setLive(true);
      $('error').hidden = true;
    } catch (error) {
      if (mine !== generation) return;
      if (error instanceof Unauthorized) return signOut('The admin token was refused.');
      setLive(false);
      $('error').textContent = `Could not refresh: ${error.message}`;
      $('error').hidden = false;
    }
    if (mine === generation && token) timer = setTimeout(refresh, REFRESH_MS);
  }

  function setLive(ok) {
    $('live-dot').className = `live-dot ${ok ? 'on' : 'stale'}`;
    $('live-text').textContent = ok ? `live · updated ${new Date().toLocaleTimeString()}` : 'connection lost · retrying';
  }

  // ---------------------------------------------------------------- rendering

  function render(tree, payments, notifications, series) {
    const treeJson = JSON.stringify(tree);
    if (treeJson !== lastTree) {
      lastTree = treeJson;
      $('summary').replaceChildren(...summaryTiles(tree));
      $('tree').replaceChildren(nodeView(tree, null));
      $('tree-hint').textContent = `${flatten(tree).length} nodes · last ${Math.round(tree.recent.window_seconds / 60)} min`;
    }
    const paymentsJson = JSON.stringify(payments);
    if (paymentsJson !== lastPayments) {
      lastPayments = paymentsJson;
      $('payments').replaceChildren(
        ...(payments.data.length ? payments.data.map(paymentView) : [el('div', { class: 'empty', text: 'No payments yet.' })]),
      );
    }
    const notificationsJson = JSON.stringify(notifications);
    if (notificationsJson !== lastNotifications) {
      lastNotifications = notificationsJson;
      $('notification-counts').replaceChildren(...notificationCounts(notifications));
      $('notifications').replaceChildren(notificationsView(notifications.data));
    }
    const seriesJson = JSON.stringify(series);
    if (seriesJson !== lastSeries) {
      lastSeries = seriesJson;
      renderRouting(series);
    }
    // Relative times move even when nothing else does.
    for (const when of document.querySelectorAll('[data-ago]')) when.textContent = ago(when.dataset.ago);
  }

  function flatten(node) {
    return [node, ...node.children.flatMap(flatten)];
  }

  const percent = (value) => (value === null || value === undefined ? '—' : `${Math.round(value * 100)}%`);
  const healthTone = (status) => ({ up: 'ok', degraded: 'warn', down: 'bad' })[status] || '';
  const breakerTone = (state) => ({ closed: 'ok', half_open: 'warn', open: 'bad' })[state] || '';

  function summaryTiles(root) {
    const nodes = flatten(root);
    const down = nodes.filter((n) => n.health?.status === 'down').length;
    const breakers = nodes.filter((n) => n.breaker && n.breaker.state !== 'closed').length;
    const faults = nodes.filter((n) => n.fault).length;
    const rate = root.recent.approval_rate;
    const tile = (label, value, tone, testId) =>
      el('div', { class: 'tile', 'data-testid': testId }, el('div', { class: 'tile-label', text: label }), el('div', { class: `tile-value ${tone || ''}`, text: value }));
    return [
      tile('Tree health', root.health?.status ?? 'unknown', healthTone(root.health?.status), 'summary-health'),
      tile('Nodes down', `${down} / ${nodes.length}`, down ? 'bad' : 'ok', 'summary-down'),
      tile(`Attempts · ${Math.round(root.recent.window_seconds / 60)} min`, String(root.recent.attempts), '', 'summary-attempts'),
      tile('Approval rate', percent(rate), rate === null ? '' : rate >= 0.9 ? 'ok' : rate >= 0.6 ? 'warn' : 'bad', 'summary-approval'),
      tile('Breakers not closed', String(breakers), breakers ? 'warn' : 'ok', 'summary-breakers'),
      tile('Faults injected', String(faults), faults ? 'bad' : '', 'summary-faults'),
    ];
  }

  function nodeView(node, parent) {
    const status = node.health?.status ?? 'unknown';
    const pills = el('span', { class: 'pills' });
    pills.append(el('span', { class: `pill ${healthTone(status)}`, 'data-testid': `health-${node.id}`, text: node.health?.partial ? `${status} (partial)` : status }));
    if (node.breaker) {
      pills.append(el('span', { class: `pill ${breakerTone(node.breaker.state)}`, title: 'circuit breaker', text: `breaker ${node.breaker.state.replace('_', '-')}` }));
    }
    if (node.fault) pills.append(el('span', { class: 'pill bad', text: `fault: ${node.fault.mode}` }));

    const meta = [node.type !== node.kind ? node.type : null, node.strategy, node.boundary ? `${node.boundary.transport} → ${node.boundary.target}` : null]
      .filter(Boolean)
      .join(' · ');
    const card = el(
      'div',
      { class: `card ${status}`, 'data-testid': `node-${node.id}`, 'data-health': status, 'data-fault': node.fault ? node.fault.mode : 'none' },
      el(
        'div',
        { class: 'card-head' },
        el('span', { class: 'node-id', text: node.id }),
        el('span', { class: `pill plain kind ${node.kind}`, text: node.kind }),
        meta ? el('span', { class: 'node-meta', text: meta }) : null,
        pills,
      ),
      statsView(node, parent),
      'fault' in node ? faultControl(node) : null,
    );
    const view = el('div', { class: 'node' }, card);
    if (node.children.length) view.append(el('div', { class: 'node-children' }, node.children.map((child) => nodeView(child, node))));
    return view;
  }

  function bar(fraction, extraClass) {
    const fill = el('span');
    fill.style.width = `${Math.max(0, Math.min(1, fraction || 0)) * 100}%`;
    return el('span', { class: `bar ${extraClass || ''}` }, fill);
  }

  function statsView(node, parent) {
    const { attempts, approval_rate: rate } = node.recent;
    const stats = el(
      'div',
      { class: 'stats' },
      el('span', { class: 'stat volume', 'data-testid': `volume-${node.id}` }, el('strong', { text: String(attempts) }), attempts === 1 ? 'attempt' : 'attempts'),
      el(
        'span',
        { class: 'stat rate', 'data-testid': `approval-${node.id}` },
        'approved',
        el('strong', { text: percent(rate) }),
        bar(rate, `approval ${rate === null ? '' : rate >= 0.9 ? '' : rate >= 0.6 ? 'warn' : 'bad'}`),
      ),
    );
    if (parent) {
      const siblings = parent.children.reduce((sum, child) => sum + child.recent.attempts, 0);
      const share = siblings ? attempts / siblings : null;
      stats.append(el('span', { class: 'stat share', 'data-testid': `share-${node.id}`, title: `share of ${parent.id}'s recent attempts` }, 'share', el('strong', { text: percent(share) }), bar(share)));
    }
    return stats;
  }

  function faultControl(node) {
    const current = node.fault ? node.fault.mode : 'off';
    const group = el('span', { class: 'segmented', role: 'group', 'aria-label': `fault of ${node.id}` });
    for (const mode of ['off', ...FAULT_MODES]) {
      group.append(
        el('button', {
          type: 'button',
          class: mode === 'off' ? '' : 'fault',
          'aria-pressed': String(mode === current),
          'data-testid': `fault-${node.id}-${mode}`,
          title: mode === 'off' ? 'no fault' : mode === 'slow' ? `answer after ${SLOW_LATENCY_MS} ms` : `inject ${mode}`,
          text: mode,
          onclick: (event) => setFault(node.id, mode, event.currentTarget),
        }),
      );
    }
    return el('div', { class: 'faults' }, el('span', { class: 'faults-label', text: 'Fault' }), group);
  }

  async function setFault(id, mode, button) {
    for (const sibling of button.parentElement.children) sibling.disabled = true;
    const path = `/v1/ops/nodes/${encodeURIComponent(id)}/faults`;
    try {
      if (mode === 'off') await api('DELETE', path);
      else await api('PUT', path, mode === 'slow' ? { mode, latency_ms: SLOW_LATENCY_MS } : { mode });
    } catch (error) {
      if (error instanceof Unauthorized) return signOut('The admin token was refused.');
      $('error').textContent = `Could not change the fault of ${id}: ${error.message}`;
      $('error').hidden = false;
    }
    lastTree = '';
    refresh();
  }

  const STATUS_TONE = {
    captured: 'ok',
    authorized: 'info',
    partially_refunded: 'info',
    refunded: 'info',
    voided: '',
    pending: 'warn',
    requires_action: 'action',
    declined: 'warn',
    failed: 'bad',
  };

  function money(amount, currency) {
    try {
      const format = new Intl.NumberFormat(undefined, { style: 'currency', currency });
      const digits = format.resolvedOptions().maximumFractionDigits;
      return format.format(amount / 10 ** digits);
    } catch {
      return `${amount} ${currency}`;
    }
  }

  function ago(iso) {
    const seconds = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
    if (seconds < 60) return `${seconds} s ago`;
    if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
    return new Date(iso).toLocaleString();
  }

  function routeView(path) {
    if (!path) return [el('span', { class: 'hint', text: 'no route' })];
    const hops = path.split('/');
    return hops.flatMap((hop, index) => [
      index ? el('span', { class: 'sep', text: '›' }) : null,
      el('span', { class: `hop ${index === hops.length - 1 ? 'leaf' : ''}`, text: hop }),
    ]);
  }

  const humanize = (value) => value.replaceAll('_', ' ');

  /** `pending` is also an accepted capture or void awaiting the provider's word: say which. */
  function statusLabel(payment) {
    if (payment.status === 'pending' && payment.pending_operation) return `${payment.pending_operation.type} pending`;
    return humanize(payment.status);
  }

  /** What a payment waits for, when it waits for someone other than the gateway. */
  function statusNote(payment) {
    const operation = payment.pending_operation;
    if (payment.status === 'pending' && operation) {
      const amount = operation.amount === null || operation.amount === undefined ? '' : ` of ${money(operation.amount, payment.currency)}`;
      return el(
        'div',
        { class: 'status-note', 'data-testid': 'status-note' },
        `${operation.type}${amount} accepted by the provider, awaiting its confirmation · `,
        el('span', { 'data-ago': operation.accepted_at, text: ago(operation.accepted_at) }),
      );
    }
    if (payment.status === 'requires_action') {
      const how = payment.next_action?.type === 'redirect_to_url' ? ' (3-D Secure redirect)' : '';
      return el('div', { class: 'status-note action', 'data-testid': 'status-note', text: `waiting for the shopper to authenticate${how}` });
    }
    return null;
  }

  function paymentView(payment) {
    const attempts = payment.route.attempts;
    const interesting = attempts.length > 1 || attempts.some((a) => a.outcome !== 'approved');
    return el(
      'div',
      { class: 'payment', 'data-testid': `payment-${payment.id}`, 'data-status': payment.status },
      el('span', { class: `pill ${STATUS_TONE[payment.status] ?? ''}`, 'data-testid': 'status', text: statusLabel(payment) }),
      el(
        'span',
        {},
        el('span', { class: 'amount', text: money(payment.amount, payment.currency) }),
        ' ',
        el('span', { class: 'pid', title: `${payment.id} · ${payment.merchant_id}`, text: payment.id }),
      ),
      el('span', { class: 'when', 'data-ago': payment.created_at, text: ago(payment.created_at) }),
      statusNote(payment),
      el('div', { class: 'route', 'data-testid': 'route' }, routeView(payment.route.path)),
      interesting
        ? el(
            'div',
            { class: 'attempts' },
            el('span', { class: 'attempts-label', text: attempts.length > 1 ? `${attempts.length} attempts` : 'attempt' }),
            attempts.flatMap((attempt, index) => [
              index ? el('span', { class: 'sep', text: '→' }) : null,
              el('span', {
                class: `attempt ${attempt.outcome}`,
                title: attempt.reason,
                text: `${attempt.path.split('/').pop()} ${humanize(attempt.outcome)}${attempt.code ? ` (${attempt.code})` : ''}`,
              }),
            ]),
          )
        : null,
    );
  }

  const RESULT_TONE = { applied: 'ok', ignored: '', unmatched: 'bad' };
  const RESULTS = ['applied', 'ignored', 'unmatched'];

  /** Counts of all time by result (any result the API adds shows too), repeated deliveries, and what this process refused. */
  function notificationCounts({ counts, data, duplicates: allDuplicates, refused = {} }) {
    const results = [...RESULTS, ...Object.keys(counts).filter((result) => !RESULTS.includes(result))];
    const duplicates = allDuplicates ?? data.reduce((sum, row) => sum + row.duplicates, 0);
    const refusals = Object.entries(refused).map(([reason, count]) =>
      el('span', { class: `pill ${reason === 'bad_signature' && count > 0 ? 'bad' : 'plain'}`, 'data-testid': `notification-refused-${reason}`, title: 'refused by this gateway process since it started; nothing stored', text: `refused ${humanize(reason)} ${count}` }),
    );
    return [
      ...results.map((result) => {
        const count = counts[result] ?? 0;
        const tone = result === 'unmatched' && count === 0 ? 'ok' : (RESULT_TONE[result] ?? '');
        return el('span', { class: `pill ${tone}`, 'data-testid': `notification-count-${result}`, text: `${humanize(result)} ${count}` });
      }),
      el('span', { class: 'pill plain', 'data-testid': 'notification-count-duplicates', title: 'repeated deliveries of facts already taken (applied once)', text: `duplicates ${duplicates}` }),
      ...refusals,
    ];
  }

  function notificationsView(rows) {
    if (!rows.length) return el('div', { class: 'empty', text: 'No provider notifications yet.' });
    const head = el('tr', {}, ['Received', 'Node', 'Fact', 'Payment', 'Result', 'Detail'].map((title) => el('th', { text: title })));
    return el('div', { class: 'table-scroll' }, el('table', { class: 'facts' }, el('thead', {}, head), el('tbody', {}, rows.map(notificationView))));
  }

  function notificationView(row) {
    const subject = [row.payment_id, row.refund_id].filter(Boolean);
    return el(
      'tr',
      { class: `fact ${row.result}`, 'data-testid': `notification-${row.id}`, 'data-result': row.result },
      el(
        'td',
        { class: 'when' },
        el('span', { 'data-ago': row.received_at, title: row.received_at, text: ago(row.received_at) }),
        row.duplicates
          ? el('span', { class: 'dupes', title: `last delivered ${new Date(row.last_seen_at).toLocaleString()}`, text: ` +${row.duplicates} dup` })
          : null,
      ),
      el('td', { class: 'mono', text: row.node_id }),
      el('td', {}, el('span', { text: row.kind }), el('span', { class: 'event-id', title: 'provider event id', text: row.event_id })),
      el('td', { class: 'mono' }, subject.length ? subject.join(' · ') : el('span', { class: 'hint', text: 'none' })),
      el('td', {}, el('span', { class: `pill ${RESULT_TONE[row.result] ?? ''}`, text: humanize(row.result) })),
      el('td', { class: 'detail', 'data-testid': 'detail', text: row.detail }),
    );
  }

  // ---------------------------------------------------------------- routing charts

  const CHART_HEIGHT = 120;
  const SERIES_COLORS = ['#0f766e', '#3538cd', '#c01048', '#b54708', '#6941c6', '#12805c', '#0086c9', '#667085'];
  const CHARTS = [
    { kind: 'share', title: 'Traffic share', values: (child) => child.share },
    { kind: 'approval', title: 'Approval rate', values: (child) => child.approval_rate },
  ];
  /** The uPlot instances on the page, redrawn in place while the routers and their children stay the same. */
  let plots = [];
  let routingLayout = '';
  const resizer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(fitCharts);

  function renderRouting(series) {
    if (typeof uPlot === 'undefined') {
      $('routing').replaceChildren(el('div', { class: 'empty', text: 'The chart library did not load.' }));
      return;
    }
    const layout = JSON.stringify(series.routers.map((router) => [router.id, router.strategy, router.children.map((child) => child.id)]));
    if (layout !== routingLayout) {
      routingLayout = layout;
      buildRouting(series.routers);
    }
    const times = series.buckets.map((start) => start / 1000);
    for (const plot of plots) {
      const router = series.routers.find((candidate) => candidate.id === plot.routerId);
      const chart = CHARTS.find((candidate) => candidate.kind === plot.kind);
      // Read by the draw hook: what the chart shows is counted where it is drawn.
      plot.uplot.attempts = router.children.reduce((sum, child) => sum + child.attempts.reduce((a, b) => a + b, 0), 0);
      plot.uplot.setData([times, ...router.children.map(chart.values)]);
    }
  }

  function buildRouting(routers) {
    for (const plot of plots) {
      resizer?.unobserve(plot.container);
      plot.uplot.destroy();
    }
    plots = [];
    if (!routers.length) {
      $('routing').replaceChildren(el('div', { class: 'empty', text: 'The tree has no routers.' }));
      return;
    }
    const cards = routers.map((router) => {
      const containers = CHARTS.map((chart) => el('div', { class: 'chart-plot', 'data-chart': chart.kind, 'data-router': router.id, 'data-testid': `chart-${chart.kind}-${router.id}` }));
      const card = el(
        'div',
        { class: 'router-series', 'data-testid': `router-series-${router.id}` },
        el('div', { class: 'card-head' }, el('span', { class: 'node-id', text: router.id }), router.strategy ? el('span', { class: 'node-meta', text: router.strategy }) : null),
        el(
          'div',
          { class: 'router-charts' },
          CHARTS.map((chart, index) => el('figure', { class: 'chart' }, el('figcaption', { text: chart.title }), containers[index])),
        ),
      );
      return { router, card, containers };
    });
    $('routing').replaceChildren(...cards.map(({ card }) => card));
    // uPlot measures nothing itself: the charts are created once their containers have a width.
    for (const { router, containers } of cards) {
      CHARTS.forEach((chart, index) => {
        const container = containers[index];
        const uplot = new uPlot(chartOptions(router, container), [[], ...router.children.map(() => [])], container);
        plots.push({ routerId: router.id, kind: chart.kind, container, uplot });
        resizer?.observe(container);
      });
    }
  }

  function chartOptions(router, container) {
    const asPercent = (value) => (value === null || value === undefined ? '—' : `${Math.round(value * 100)}%`);
    return {
      width: chartWidth(container),
      height: CHART_HEIGHT,
      legend: { live: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true }, y: { range: [0, 1] } },
      axes: [
        { size: 28, font: '11px system-ui, sans-serif', stroke: '#667085', grid: { stroke: '#eef0f3' }, ticks: { stroke: '#d6dbe3' } },
        { size: 50, font: '11px system-ui, sans-serif', stroke: '#667085', grid: { stroke: '#eef0f3' }, ticks: { stroke: '#d6dbe3' }, splits: () => [0, 0.5, 1], values: (_, splits) => splits.map(asPercent) },
      ],
      series: [
        {},
        ...router.children.map((child, index) => ({
          label: child.id,
          stroke: SERIES_COLORS[index % SERIES_COLORS.length],
          width: 1.5,
          // Minutes without traffic are gaps; a lone busy minute still shows as a dot.
          points: { show: true, size: 5, fill: SERIES_COLORS[index % SERIES_COLORS.length] },
          value: (_, value) => asPercent(value),
        })),
      ],
      hooks: {
        draw: [
          (uplot) => {
            const points = uplot.data.slice(1).reduce((sum, values) => sum + values.filter((value) => value !== null && value !== undefined).length, 0);
            container.dataset.points = String(points);
            container.dataset.attempts = String(uplot.attempts ?? 0);
          },
        ],
      },
    };
  }

  function chartWidth(container) {
    return Math.max(160, Math.floor(container.getBoundingClientRect().width) || 280);
  }

  function fitCharts() {
    for (const plot of plots) {
      const width = chartWidth(plot.container);
      if (width !== plot.uplot.width) plot.uplot.setSize({ width, height: CHART_HEIGHT });
    }
  }

  // ---------------------------------------------------------------- start

  document.addEventListener('DOMContentLoaded', () => {
    $('login-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const value = $('token').value.trim();
      if (value) signIn(value);
    });
    $('logout').addEventListener('click', () => signOut(''));
    window.addEventListener('hashchange', () => {
      const fromFragment = takeTokenFromFragment();
      if (fromFragment) signIn(fromFragment);
    });
    const initial = takeTokenFromFragment() || sessionStorage.getItem(STORAGE_KEY);
    if (initial) signIn(initial);
    else signOut('');
  });
})();
