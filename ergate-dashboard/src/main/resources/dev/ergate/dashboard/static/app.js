'use strict';
// The dashboard's pages. Every value from the backend reaches the document through
// textContent or an attribute set by the DOM API, never as markup: a job's data stays text.
(() => {
  const body = document.body;
  const csrf = body.dataset.csrf;
  const readOnly = body.dataset.readOnly === 'true';
  const main = document.getElementById('main');
  let session = { capabilities: {}, refreshMs: 2000 };

  // ---- small helpers --------------------------------------------------------------------
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'text') node.textContent = String(value);
      else if (key === 'className') node.className = value;
      else if (key === 'dataset') Object.assign(node.dataset, value);
      else if (key.startsWith('on')) node.addEventListener(key.substring(2), value);
      else node.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  async function getJson(url) {
    const response = await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
    const data = await response.json().catch(() => ({ error: response.status + ' ' + response.statusText }));
    if (!response.ok) throw new Error(data.error || response.statusText);
    return data;
  }

  async function postJson(url, payload) {
    const response = await fetch(url, {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-Ergate-Csrf': csrf },
      body: JSON.stringify(payload || {}),
    });
    const data = await response.json().catch(() => ({ error: response.status + ' ' + response.statusText }));
    if (!response.ok) throw new Error(data.error || response.statusText);
    return data;
  }

  function toast(message, isError) {
    const box = document.getElementById('toast');
    const item = el('div', { className: isError ? 'error' : '', text: message });
    box.append(item);
    setTimeout(() => item.remove(), 6000);
  }

  function showError(error) {
    main.replaceChildren(el('p', { className: 'error-box', id: 'error', text: 'Error: ' + error.message }));
  }

  function badge(status) {
    return el('span', { className: 'badge ' + status, text: status });
  }

  function progress(percent) {
    const bar = el('span', { className: 'bar', title: percent.toFixed(1) + ' %' }, el('span'));
    bar.firstChild.style.width = Math.max(0, Math.min(100, percent)) + '%';
    return bar;
  }

  function time(iso) {
    if (!iso) return '';
    const date = new Date(iso);
    return isNaN(date) ? iso : date.toLocaleString();
  }

  function jobLink(id) {
    return el('a', { href: '/job?id=' + encodeURIComponent(id), className: 'job-link', text: id });
  }

  // An action button: destructive ones ask for a second click instead of a native dialog.
  function actionButton(label, className, confirmText, run) {
    let armed = false;
    const button = el('button', { type: 'button', className, text: label });
    button.addEventListener('click', async () => {
      if (confirmText && !armed) {
        armed = true;
        button.textContent = confirmText;
        setTimeout(() => { armed = false; button.textContent = label; }, 4000);
        return;
      }
      button.disabled = true;
      try {
        const result = await run();
        toast(result.message, !result.done);
      } catch (error) {
        toast(error.message, true);
      } finally {
        button.disabled = false;
        armed = false;
        button.textContent = label;
      }
    });
    return button;
  }

  function notes() {
    const list = (session.capabilities.notes || []);
    if (!list.length) return null;
    return el('div', { className: 'notes', id: 'capability-notes' }, list.map((n) => el('div', { text: n })));
  }

  // ---- overview -------------------------------------------------------------------------
  function overviewPage() {
    const cards = el('div', { className: 'cards', id: 'queue-cards' });
    const table = el('table', { id: 'counts' });
    const chart = el('div', { className: 'chart', id: 'throughput' });
    const updated = el('p', { className: 'muted', id: 'updated' });
    main.replaceChildren(...[
      el('h1', { text: 'Overview' }), notes(),
      el('h2', { text: 'Queue' }), cards,
      el('h2', { text: 'Jobs by workflow and status' }), table,
      el('h2', { text: 'Throughput' }), chart, updated].filter(Boolean));

    async function refresh() {
      let data;
      try {
        data = await getJson('/api/overview');
      } catch (error) {
        updated.textContent = 'Refresh failed: ' + error.message;
        return;
      }
      renderQueue(cards, data.queue);
      renderCounts(table, data);
      renderChart(chart, data.throughput);
      updated.textContent = 'Updated ' + new Date(data.at).toLocaleTimeString();
      updated.dataset.at = data.at;
    }
    refresh();
    setInterval(refresh, session.refreshMs);
  }

  function renderQueue(cards, queue) {
    const key = JSON.stringify(queue);
    if (cards.dataset.key === key) return;
    cards.dataset.key = key;
    if (!queue) {
      cards.replaceChildren(el('p', { className: 'muted', text: 'This queue does not report its counts.' }));
      return;
    }
    const shown = (n) => (n < 0 ? 'unknown' : (queue.approximate ? '~' : '') + n);
    const card = (id, label, value) => el('div', { className: 'card' },
      el('div', { className: 'label', text: label }), el('div', { className: 'value', id, text: shown(value) }));
    cards.replaceChildren(
      card('queue-ready', 'Ready', queue.ready),
      card('queue-delayed', 'Delayed', queue.delayed),
      card('queue-in-flight', 'In flight', queue.inFlight),
      card('queue-dead-letters', 'Dead letters', queue.deadLetters));
  }

  function renderCounts(table, data) {
    // rebuilt only when a figure changed, so a refresh doesn't pull links from under the pointer
    const key = JSON.stringify([data.workflows, data.totals]);
    if (table.dataset.key === key) return;
    table.dataset.key = key;
    const statuses = data.statuses;
    const head = el('tr', {}, el('th', { text: 'Workflow' }),
      statuses.map((s) => el('th', { className: 'num', text: s })), el('th', { className: 'num', text: 'Total' }));
    const cell = (workflow, status, n) => {
      const td = el('td', { className: 'num' + (n === 0 ? ' zero' : ''), dataset: { workflow: workflow || '*', status } });
      if (n === 0) {
        td.textContent = '0';
      } else {
        const params = new URLSearchParams();
        if (status !== 'TOTAL') params.set('status', status);
        if (workflow) params.set('workflow', workflow);
        td.append(el('a', { href: '/jobs?' + params.toString(), text: n }));
      }
      return td;
    };
    const rows = data.workflows.map((w) => el('tr', { dataset: { workflow: w.name } },
      el('td', { text: w.name }), statuses.map((s) => cell(w.name, s, w.counts[s])), cell(w.name, 'TOTAL', w.total)));
    const grand = Object.values(data.totals).reduce((a, b) => a + b, 0);
    const total = el('tr', { className: 'total' }, el('td', { text: 'All workflows' }),
      statuses.map((s) => cell(null, s, data.totals[s])), cell(null, 'TOTAL', grand));
    table.replaceChildren(el('thead', {}, head), el('tbody', {}, rows, total));
  }

  function renderChart(box, throughput) {
    const slots = throughput.slots;
    const ns = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(ns, 'svg');
    const count = Math.max(slots.length, 1);
    svg.setAttribute('viewBox', '0 0 ' + (count * 10) + ' 100');
    svg.setAttribute('preserveAspectRatio', 'none');
    const max = Math.max(1, ...slots.map((s) => s.finished));
    slots.forEach((slot, i) => {
      const h = (slot.finished / max) * 96;
      const rect = document.createElementNS(ns, 'rect');
      rect.setAttribute('x', i * 10 + 1);
      rect.setAttribute('y', 100 - h);
      rect.setAttribute('width', 8);
      rect.setAttribute('height', h);
      const title = document.createElementNS(ns, 'title');
      title.textContent = slot.finished + ' finished from ' + new Date(slot.start).toLocaleTimeString();
      rect.append(title);
      svg.append(rect);
    });
    const sum = slots.reduce((a, s) => a + s.finished, 0);
    const minutes = Math.max(1, slots.length * throughput.slotSeconds / 60);
    box.replaceChildren(svg, el('div', { className: 'muted', id: 'throughput-caption',
      text: 'Jobs finished per ' + throughput.slotSeconds + ' s since this dashboard started watching (max ' + max
        + ' per bar; ' + (sum / minutes).toFixed(1) + ' per minute on average)' }));
  }

  // ---- jobs list ------------------------------------------------------------------------
  function jobsPage() {
    const params = new URLSearchParams(location.search);
    const status = el('select', { name: 'status', id: 'filter-status' },
      el('option', { value: '', text: 'any status' }),
      ['SCHEDULED', 'QUEUED', 'RUNNING', 'COMPLETED', 'FAILED', 'ABORTED', 'PENDING', 'CANCELLING', 'CANCELLED']
        .map((s) => el('option', { value: s, text: s })));
    status.value = params.get('status') || '';
    const workflow = el('input', { name: 'workflow', id: 'filter-workflow', placeholder: 'any workflow',
      value: params.get('workflow') || '' });
    const id = el('input', { name: 'id', id: 'filter-id', placeholder: 'id or its start', value: params.get('id') || '' });
    const form = el('form', { className: 'filters', id: 'job-filters' },
      el('label', {}, 'Status', status), el('label', {}, 'Workflow', workflow), el('label', {}, 'Job id', id),
      el('button', { type: 'submit', id: 'apply-filters', text: 'Search' }));
    const table = el('table', { id: 'jobs' });
    const pager = el('div', { className: 'pager' });
    main.replaceChildren(el('h1', { text: 'Jobs' }), form, table, pager);

    const cursors = [null];
    async function load(cursor) {
      const query = new URLSearchParams();
      if (status.value) query.set('status', status.value);
      if (workflow.value.trim()) query.set('workflow', workflow.value.trim());
      if (id.value.trim()) query.set('id', id.value.trim());
      history.replaceState(null, '', '/jobs' + (query.toString() ? '?' + query : ''));
      if (cursor) query.set('cursor', cursor);
      let data;
      try {
        data = await getJson('/api/jobs?' + query);
      } catch (error) {
        table.replaceChildren(el('tbody', {}, el('tr', {}, el('td', { className: 'error-box', id: 'error', text: error.message }))));
        return;
      }
      const head = el('tr', {}, ['Id', 'Workflow', 'Status', 'Step', 'Progress', 'Steps done', 'Updated']
        .map((h) => el('th', { text: h })));
      const rows = data.jobs.map((job) => el('tr', { dataset: { id: job.id, status: job.status } },
        el('td', {}, jobLink(job.id)), el('td', { text: job.workflow }), el('td', {}, badge(job.status)),
        el('td', { text: job.step || '' }),
        el('td', {}, progress(job.percent), ' ', job.percent.toFixed(0) + ' %'),
        el('td', { className: 'num', text: job.stepsCompleted }), el('td', { text: time(job.updatedAt) })));
      if (!rows.length) rows.push(el('tr', {}, el('td', { colspan: 7, className: 'muted', id: 'no-jobs', text: 'No jobs match.' })));
      table.replaceChildren(el('thead', {}, head), el('tbody', {}, rows));
      const page = cursors.length;
      pager.replaceChildren(
        el('button', { type: 'button', className: 'secondary', id: 'first-page', text: 'First page', disabled: page <= 1,
          onclick: () => { cursors.length = 1; load(null); } }),
        el('button', { type: 'button', className: 'secondary', id: 'previous-page', text: 'Previous', disabled: page <= 1,
          onclick: () => { cursors.pop(); load(cursors[cursors.length - 1]); } }),
        el('span', { className: 'muted', id: 'page-number', text: 'Page ' + page }),
        el('button', { type: 'button', className: 'secondary', id: 'next-page', text: 'Next page', disabled: !data.nextCursor,
          onclick: () => { cursors.push(data.nextCursor); load(data.nextCursor); } }));
    }
    form.addEventListener('submit', (event) => { event.preventDefault(); cursors.length = 1; load(null); });
    load(null);
  }

  // ---- one job --------------------------------------------------------------------------
  function jobPage() {
    const id = new URLSearchParams(location.search).get('id');
    if (!id) { showError(new Error('no job id in the address (/job?id=...)')); return; }
    let timer = null;
    let shown = null;
    async function load() {
      let data;
      try {
        data = await getJson('/api/job?id=' + encodeURIComponent(id));
      } catch (error) {
        showError(error);
        return;
      }
      if (!data.found) {
        main.replaceChildren(el('h1', { text: 'Job ' + id }), el('p', { id: 'not-found', text: 'No job with this id.' }));
        return;
      }
      // re-rendered only when the job changed, so a refresh never resets a half-confirmed button
      const key = JSON.stringify(data);
      if (key !== shown) {
        shown = key;
        renderJob(data, load);
      }
      clearTimeout(timer);
      if (!data.summary.final) timer = setTimeout(load, session.refreshMs);
    }
    load();
  }

  function renderJob(data, reload) {
    const job = data.summary;
    const caps = session.capabilities;
    const act = (action) => async () => {
      const result = await postJson('/api/job/' + action, { id: job.id });
      if (action === 'delete' && result.done) setTimeout(() => location.assign('/jobs'), 600);
      else setTimeout(reload, 300);
      return result;
    };
    const actions = el('div', { className: 'actions', id: 'job-actions' });
    if (!readOnly) {
      if (!job.final) actions.append(actionButton('Cancel', 'secondary', 'Click again to cancel', act('cancel')));
      if (caps.retry && ['FAILED', 'ABORTED', 'CANCELLED'].includes(job.status)) {
        actions.append(actionButton('Retry', '', null, act('retry')));
      }
      if (caps.delete) actions.append(actionButton('Delete', 'danger', 'Click again to delete', act('delete')));
    }
    actions.querySelectorAll('button').forEach((b) => { b.id = 'action-' + b.textContent.toLowerCase(); });

    const fields = el('table', { className: 'fields', id: 'job-fields' }, el('tbody', {},
      Object.entries(data.fields).map(([name, value]) =>
        el('tr', { dataset: { field: name } }, el('th', { text: name }), el('td', {}, el('pre', { text: value }))))));

    const parts = [
      el('h1', {}, 'Job ', el('span', { id: 'job-id', text: job.id }), ' ', el('span', { id: 'job-status' }, badge(job.status))),
      el('p', {}, 'Workflow ', el('strong', { id: 'job-workflow', text: job.workflow }),
        job.step ? [' · step ', el('strong', { text: job.step })] : null,
        ' · ', progress(job.percent), ' ', el('span', { id: 'job-percent', text: job.percent.toFixed(1) + ' %' }),
        ' · ' + job.stepsCompleted + ' steps done'),
      actions,
    ];
    if (data.traceback) {
      parts.push(el('h2', { text: 'Traceback' }), el('pre', { className: 'traceback', id: 'traceback', text: data.traceback }));
    }
    parts.push(el('h2', { text: 'History' }));
    if (data.history) {
      parts.push(el('ol', { className: 'timeline', id: 'history' }, data.history.map((h) =>
        el('li', {}, el('strong', {}, badge(h.status)), ' ', h.step ? el('span', { text: h.step }) : null,
          el('span', { className: 'muted', text: ' · ' + time(h.at) + ' · ' + h.stepsCompleted + ' steps done' }),
          h.detail ? el('div', { className: 'muted', text: h.detail }) : null))));
      if (!data.history.length) parts.push(el('p', { className: 'muted', text: 'No history recorded yet.' }));
    } else {
      parts.push(el('p', { className: 'muted', id: 'history-note', text: data.historyNote }));
    }
    parts.push(el('h2', { text: 'Fields' }), fields);
    main.replaceChildren(...parts);
  }

  // ---- dead letters ---------------------------------------------------------------------
  function deadLettersPage() {
    const caps = session.capabilities;
    const table = el('table', { id: 'dead-letters' });
    const pager = el('div', { className: 'pager' });
    const actions = el('div', { className: 'actions', id: 'dead-letter-actions' });
    const minutes = el('input', { type: 'number', min: 0, value: 0, id: 'purge-minutes', className: 'narrow' });
    const cursors = [null];
    if (!readOnly) {
      if (caps.requeue) {
        const all = actionButton('Requeue all', '', 'Click again to requeue all',
          async () => { const r = await postJson('/api/dead-letters/requeue', { all: true }); load(null); return r; });
        all.id = 'requeue-all';
        actions.append(all);
      }
      if (caps.purgeDeadLetters) {
        const purge = actionButton('Purge', 'danger', 'Click again to purge', async () => {
          const r = await postJson('/api/dead-letters/purge', { olderThanMinutes: Number(minutes.value || 0) });
          cursors.length = 1;
          load(null);
          return r;
        });
        purge.id = 'purge';
        actions.append(el('label', {}, 'older than (minutes)', minutes), purge);
      }
    }
    main.replaceChildren(...[el('h1', { text: 'Dead letters' }), notes(), actions, table, pager].filter(Boolean));
    if (!caps.listDeadLetters) {
      table.replaceWith(el('p', { className: 'muted', id: 'no-listing', text: 'This backend cannot list its dead letters.' }));
      return;
    }

    async function load(cursor) {
      let data;
      try {
        data = await getJson('/api/dead-letters' + (cursor ? '?cursor=' + encodeURIComponent(cursor) : ''));
      } catch (error) {
        table.replaceChildren(el('tbody', {}, el('tr', {}, el('td', { className: 'error-box', id: 'error', text: error.message }))));
        return;
      }
      const head = el('tr', {}, ['When', 'Reason', 'Queue', 'Job', 'Deliveries', 'Body', '']
        .map((h) => el('th', { text: h })));
      const rows = data.items.map((d) => {
        const requeue = !readOnly && caps.requeue
          ? actionButton('Requeue', 'secondary', null, async () => {
            const r = await postJson('/api/dead-letters/requeue', { id: d.id });
            load(cursors[cursors.length - 1]);
            return r;
          })
          : null;
        if (requeue) requeue.className += ' requeue';
        const preview = d.body.length > 80 ? d.body.substring(0, 80).replace(/\s+/g, ' ') + '…' : d.body.replace(/\s+/g, ' ');
        return el('tr', { dataset: { id: d.id } },
          el('td', { text: time(d.at) }), el('td', { className: 'reason', text: d.reason }),
          el('td', { text: d.sourceQueue }), el('td', {}, d.jobId ? jobLink(d.jobId) : ''),
          el('td', { className: 'num', text: d.deliveryCount || '' }),
          el('td', {}, el('details', {}, el('summary', { text: preview }), el('pre', { className: 'body', text: d.body }))),
          el('td', {}, requeue));
      });
      if (!rows.length) rows.push(el('tr', {}, el('td', { colspan: 7, className: 'muted', id: 'no-dead-letters', text: 'No dead letters.' })));
      table.replaceChildren(el('thead', {}, head), el('tbody', {}, rows));
      pager.replaceChildren(
        el('button', { type: 'button', className: 'secondary', id: 'first-page', text: 'First page', disabled: cursors.length <= 1,
          onclick: () => { cursors.length = 1; load(null); } }),
        el('button', { type: 'button', className: 'secondary', id: 'next-page', text: 'Next page', disabled: !data.nextCursor,
          onclick: () => { cursors.push(data.nextCursor); load(data.nextCursor); } }));
    }
    load(null);
  }

  // ---- start ----------------------------------------------------------------------------
  async function start() {
    const page = body.dataset.page;
    document.querySelectorAll('nav a').forEach((a) => a.classList.toggle('active', a.dataset.nav === page));
    try {
      session = await getJson('/api/session');
    } catch (error) {
      showError(error);
      return;
    }
    document.getElementById('mode').textContent = readOnly ? 'read-only' : '';
    const pages = { overview: overviewPage, jobs: jobsPage, job: jobPage, 'dead-letters': deadLettersPage };
    (pages[page] || overviewPage)();
    body.dataset.ready = 'true';
  }
  start();
})();
