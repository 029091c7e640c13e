// Lead manager page, the customer list: one page of customers at a time (cursor pages: the
// server's lastKey leads to the next page, the keys of the pages before are kept for
// "previous"), its table and its pager. Loaded after api.js.
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

  function loadPage(options) {
    var keepMessages = options && options.keepMessages;
    if (!keepMessages) state.banner = null;
    app.renderMessages();
    state.loading = true;
    $('customer-table').setAttribute('aria-busy', 'true');
    $('list-status').textContent = t('loading');
    updatePager();
    var query = '?limit=' + state.pageSize + (state.cursor ? '&startKey=' + encodeURIComponent(state.cursor) : '');
    return api('GET', '/pcustomers' + query).then(function (res) {
      if (res.sessionEnded) return;
      if (res.status === 200 && res.json && Array.isArray(res.json.data)) {
        // A page emptied by deletes: go back to the page before it.
        if (res.json.data.length === 0 && state.previous.length) {
          state.cursor = state.previous.pop();
          return loadPage({ keepMessages: true });
        }
        state.rows = res.json.data;
        state.nextCursor = res.json.meta ? res.json.meta.lastKey : null;
        renderRows();
        return;
      }
      // A cursor that stopped working (e.g. the key changed): start again from the top.
      if (res.status === 400 && state.cursor) {
        state.cursor = '';
        state.previous = [];
        return loadPage();
      }
      state.rows = [];
      state.nextCursor = null;
      renderRows();
      app.showError(failureMessage(res));
    }, function () {
      app.showError({ key: 'errNetwork' });
    }).finally(function () {
      state.loading = false;
      $('customer-table').setAttribute('aria-busy', 'false');
      if ($('list-status').textContent === t('loading')) $('list-status').textContent = '';
      renderListStatus();
      updatePager();
    });
  }

  function renderListStatus() {
    if (state.loading) return;
    $('list-status').textContent = state.rows.length === 0 && state.session ? t('emptyList') : '';
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
    document.querySelectorAll('.col-actions').forEach(function (th) { th.hidden = !writable; });
    state.rows.forEach(function (customer) {
      var tr = document.createElement('tr');
      tr.setAttribute('data-id', customer.id);
      cell(tr, 'cell-name', t('colName'), customer.fullName);
      cell(tr, 'cell-phone', t('colPhone'), customer.phone);
      cell(tr, 'cell-age', t('colAge'), String(customer.age));
      cell(tr, 'cell-product', t('colProduct'), customer.productCode);
      var created = cell(tr, 'cell-created', t('colCreated'), formatDate(customer.createAt));
      created.title = customer.createAt || '';
      cell(tr, 'cell-id', t('colId'), customer.id);
      if (writable) {
        var actions = cell(tr, 'cell-actions', t('colActions'), '');
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
    loadPage();
  }

  // At start-up: the page size chosen last time, or 10.
  function restorePageSize() {
    var size = 10;
    try { size = parseInt(localStorage.getItem(PAGE_SIZE_KEY) || '10', 10); } catch (ignored) { /* no storage */ }
    state.pageSize = PAGE_SIZES.indexOf(size) >= 0 ? size : 10;
    $('page-size').value = String(state.pageSize);
  }

  app.loadPage = loadPage;
  app.renderRows = renderRows;
  app.nextPage = nextPage;
  app.previousPage = previousPage;
  app.changePageSize = changePageSize;
  app.restorePageSize = restorePageSize;
})();
