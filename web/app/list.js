// Lead manager page, the customer list: one page of customers at a time (cursor pages: the
// server's lastKey leads to the next page, the keys of the pages before are kept for
// "previous"), its table and its pager. The query (search, filters, sort) comes from
// search.js. Loaded after api.js.
(function () {
  'use strict';

  var app = window.PCUSTOMER_APP;
  var $ = app.$;
  var state = app.state;
  var t = app.t;
  var api = app.api;
  var canWrite = app.canWrite;
  var failureMessage = app.failureMessage;

  var PAGE_SIZE_KEY = 'pcustomer.pageSize';
  var PAGE_SIZES = [10, 20, 50, 100];

  // Loads the page of state.cursor for state.search. Only the latest call's answer is shown:
  // each call takes a number and aborts the request before it, and an answer whose number is
  // no longer the latest is dropped (typing fast, or a slow answer overtaken by a newer one).
  function loadPage(options) {
    var keepMessages = options && options.keepMessages;
    if (!keepMessages) state.banner = null;
    app.renderMessages();
    var seq = ++state.listRequest;
    if (state.listAbort) state.listAbort.abort();
    var controller = new AbortController();
    state.listAbort = controller;
    var search = state.search;
    var latest = function () { return seq === state.listRequest; };
    app.clearSearchErrors();
    // A query the page can tell is wrong (e.g. "to" before "from") is not sent.
    var problems = app.searchProblems(search);
    if (problems.length) {
      showQueryProblems(search, problems);
      return Promise.resolve();
    }
    state.loading = true;
    $('customer-table').setAttribute('aria-busy', 'true');
    $('list-status').textContent = t('loading');
    updatePager();
    var query = '?limit=' + state.pageSize + app.searchParams(search) +
      (state.cursor ? '&startKey=' + encodeURIComponent(state.cursor) : '');
    return api('GET', '/pcustomers' + query, undefined, { signal: controller.signal }).then(function (res) {
      if (!latest() || res.sessionEnded) return;
      if (res.status === 200 && res.json && Array.isArray(res.json.data)) {
        // A page emptied by deletes: go back to the page before it.
        if (res.json.data.length === 0 && state.previous.length) {
          state.cursor = state.previous.pop();
          return loadPage({ keepMessages: true });
        }
        state.rows = res.json.data;
        state.rowsSearch = search;
        state.nextCursor = res.json.meta ? res.json.meta.lastKey : null;
        state.total = res.json.meta && typeof res.json.meta.total === 'number' ? res.json.meta.total : null;
        renderRows();
        return;
      }
      var reasons = app.reasonsOf(res);
      var source = reasons.length ? reasons[0].source : '';
      // A cursor that stopped working (e.g. the key changed): start again from the top.
      if (res.status === 400 && state.cursor && (source === 'startKey' || !source)) {
        state.cursor = '';
        state.previous = [];
        return loadPage({ keepMessages: true });
      }
      // A search parameter the server refused: the reason goes beside its field.
      if (res.status === 400 && app.showSearchErrors(reasons)) {
        showQueryProblems(search, null);
        return;
      }
      clearRows(search);
      app.showError(failureMessage(res));
    }, function () {
      if (latest()) app.showError({ key: 'errNetwork' });
    }).finally(function () {
      if (!latest()) return;
      state.loading = false;
      state.listAbort = null;
      $('customer-table').setAttribute('aria-busy', 'false');
      if ($('list-status').textContent === t('loading')) $('list-status').textContent = '';
      renderListStatus();
      updatePager();
    });
  }

  function clearRows(search) {
    state.rows = [];
    state.rowsSearch = search;
    state.nextCursor = null;
    state.total = null;
    renderRows();
  }

  // The query cannot be answered: no rows, and the marked fields say why.
  function showQueryProblems(search, problems) {
    if (problems) app.showSearchErrors(problems);
    state.loading = false;
    state.listAbort = null;
    $('customer-table').setAttribute('aria-busy', 'false');
    clearRows(search);
  }

  function renderListStatus() {
    if (state.loading) return;
    var text = '';
    if (state.rows.length === 0 && state.session) {
      if (app.hasSearchErrors()) text = t('fixFilters');
      else text = app.hasFilter(state.rowsSearch) ? t('noMatches') : t('emptyList');
    }
    $('list-status').textContent = text;
  }

  function formatDate(iso) {
    var date = new Date(iso);
    if (isNaN(date.getTime())) return iso || '';
    try {
      return new Intl.DateTimeFormat(state.lang === 'vi' ? 'vi-VN' : 'en-GB', {
        dateStyle: 'short', timeStyle: 'short',
      }).format(date);
    } catch (ignored) {
      return date.toISOString();
    }
  }

  function cell(row, className, label, text) {
    var td = document.createElement('td');
    if (className) td.className = className;
    td.setAttribute('data-label', label);
    td.textContent = text;
    row.appendChild(td);
    return td;
  }

  function renderRows() {
    var body = $('customer-rows');
    body.textContent = '';
    var writable = canWrite();
    state.rows.forEach(function (customer) {
      var tr = document.createElement('tr');
      tr.setAttribute('data-id', customer.id);
      app.fillMatched(cell(tr, 'cell-name', t('colName'), ''), customer.fullName, app.nameMatches(customer.fullName, state.rowsSearch));
      app.fillMatched(cell(tr, 'cell-phone', t('colPhone'), ''), customer.phone, app.phoneMatches(customer.phone, state.rowsSearch));
      cell(tr, 'cell-age', t('colAge'), String(customer.age));
      cell(tr, 'cell-product', t('colProduct'), customer.productCode);
      var created = cell(tr, 'cell-created', t('colCreated'), formatDate(customer.createAt));
      created.title = customer.createAt || '';
      cell(tr, 'cell-id', t('colId'), customer.id);
      // Everyone who reads leads sees their history; writers also edit and delete.
      var actions = cell(tr, 'cell-actions', t('colActions'), '');
      var history = document.createElement('button');
      history.type = 'button';
      history.className = 'button-small history-button';
      history.textContent = t('history');
      history.setAttribute('aria-label', t('historyLabel', { name: customer.fullName }));
      history.addEventListener('click', function () { app.openHistory(customer, history); });
      actions.appendChild(history);
      if (writable) {
        var edit = document.createElement('button');
        edit.type = 'button';
        edit.className = 'button-small edit-button';
        edit.textContent = t('edit');
        edit.setAttribute('aria-label', t('editLabel', { name: customer.fullName }));
        edit.addEventListener('click', function () { app.openCustomerDialog(customer, edit); });
        var del = document.createElement('button');
        del.type = 'button';
        del.className = 'button-small button-link-danger delete-button';
        del.textContent = t('delete');
        del.setAttribute('aria-label', t('deleteLabel', { name: customer.fullName }));
        del.addEventListener('click', function () { app.openDeleteDialog(customer, del); });
        actions.appendChild(edit);
        actions.appendChild(del);
      }
      body.appendChild(tr);
    });
    app.renderResultCount();
    renderListStatus();
    updatePager();
  }

  function updatePager() {
    $('prev-page').disabled = state.loading || state.previous.length === 0;
    $('next-page').disabled = state.loading || !state.nextCursor;
    $('page-info').textContent = t('pageInfo', { page: state.previous.length + 1, size: state.rows.length });
  }

  function nextPage() {
    if (!state.nextCursor || state.loading) return;
    state.previous.push(state.cursor);
    state.cursor = state.nextCursor;
    loadPage().then(function () { $('list-title').scrollIntoView({ block: 'nearest' }); });
  }

  function previousPage() {
    if (!state.previous.length || state.loading) return;
    state.cursor = state.previous.pop();
    loadPage();
  }

  function changePageSize() {
    var size = parseInt($('page-size').value, 10);
    state.pageSize = PAGE_SIZES.indexOf(size) >= 0 ? size : 10;
    try { localStorage.setItem(PAGE_SIZE_KEY, String(state.pageSize)); } catch (ignored) { /* no storage */ }
    state.cursor = '';
    state.previous = [];
    app.updateSearchUrl('step');
    loadPage();
  }

  // At start-up: the page size chosen last time, or 10 (the address bar's `limit`, read by
  // search.js afterwards, wins over both).
  function restorePageSize() {
    var size = 10;
    try { size = parseInt(localStorage.getItem(PAGE_SIZE_KEY) || '10', 10); } catch (ignored) { /* no storage */ }
    setPageSize(size);
  }

  function setPageSize(size) {
    state.pageSize = PAGE_SIZES.indexOf(size) >= 0 ? size : 10;
    $('page-size').value = String(state.pageSize);
  }

  app.loadPage = loadPage;
  app.formatDate = formatDate;
  app.cell = cell;
  app.renderRows = renderRows;
  app.nextPage = nextPage;
  app.previousPage = previousPage;
  app.changePageSize = changePageSize;
  app.restorePageSize = restorePageSize;
  app.setPageSize = setPageSize;
})();
