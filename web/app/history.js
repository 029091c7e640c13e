// Lead manager page, a lead's history (CONTRACT.md section 8): a timeline of its changes,
// newest first, each with who made it, when, and which fields went from what to what; older
// entries page in with "show more". Open to everyone who may read leads. Loaded after
// dialogs.js.
(function () {
  'use strict';

  var app = window.PCUSTOMER_APP;
  var $ = app.$;
  var state = app.state;
  var t = app.t;
  var api = app.api;
  var failureMessage = app.failureMessage;

  var PAGE_SIZE = 20;
  var ACTION_KEYS = {
    created: 'historyActionCreated',
    updated: 'historyActionUpdated',
    trashed: 'historyActionTrashed',
    restored: 'historyActionRestored',
    imported: 'historyActionImported',
    assigned: 'historyActionAssigned',
    noted: 'historyActionNoted',
  };

  function valueText(value) {
    return value === null || value === undefined || value === '' ? t('historyEmptyValue') : String(value);
  }

  // "Tuổi: 30 → 44", or "Tuổi: 30" for a field a new lead was given.
  function changeText(field, change) {
    var label = t(field) !== field ? t(field) : field;
    if (change.from === null || change.from === undefined) return t('historySet', { field: label, to: valueText(change.to) });
    return t('historyChange', { field: label, from: valueText(change.from), to: valueText(change.to) });
  }

  function renderEntry(entry) {
    var item = document.createElement('li');
    item.className = 'history-entry history-' + entry.action;
    var head = document.createElement('p');
    head.className = 'history-head';
    var what = document.createElement('strong');
    what.textContent = t('historyEntry', {
      action: t(ACTION_KEYS[entry.action] || 'historyActionUpdated'),
      user: entry.by && entry.by.username ? entry.by.username : '?',
    });
    var when = document.createElement('time');
    when.dateTime = entry.at;
    when.title = entry.at;
    when.textContent = app.formatDate(entry.at);
    head.appendChild(what);
    head.appendChild(document.createTextNode(' · '));
    head.appendChild(when);
    item.appendChild(head);
    var fields = Object.keys(entry.changes || {});
    if (fields.length) {
      var list = document.createElement('ul');
      list.className = 'history-changes';
      fields.forEach(function (field) {
        var line = document.createElement('li');
        line.textContent = changeText(field, entry.changes[field]);
        list.appendChild(line);
      });
      item.appendChild(list);
    }
    return item;
  }

  // Loads the page after `cursor` (the newest when empty) and appends it to the timeline.
  function loadHistory(customer, cursor) {
    var more = $('history-more');
    more.disabled = true;
    $('history-status').textContent = t('historyLoading');
    var path = '/pcustomers/' + encodeURIComponent(customer.id) + '/history?limit=' + PAGE_SIZE +
      (cursor ? '&startKey=' + encodeURIComponent(cursor) : '');
    return api('GET', path).then(function (res) {
      if (res.sessionEnded || state.history !== customer) return;
      $('history-status').textContent = '';
      if (res.status !== 200 || !res.json || !Array.isArray(res.json.data)) {
        $('history-error').textContent = app.messageText(failureMessage(res));
        more.hidden = true;
        return;
      }
      var list = $('history-list');
      res.json.data.forEach(function (entry) { list.appendChild(renderEntry(entry)); });
      if (!list.children.length) $('history-status').textContent = t('historyEmpty');
      state.historyCursor = res.json.meta ? res.json.meta.lastKey : null;
      more.hidden = !state.historyCursor;
    }, function () {
      if (state.history !== customer) return;
      $('history-status').textContent = '';
      $('history-error').textContent = t('errNetwork');
    }).finally(function () { more.disabled = false; });
  }

  function openHistory(customer, opener) {
    state.history = customer;
    state.historyCursor = null;
    $('history-title').textContent = t('historyTitle', { name: customer.fullName });
    $('history-list').textContent = '';
    $('history-error').textContent = '';
    $('history-more').hidden = true;
    app.openDialog($('history-dialog'), opener);
    $('history-close').focus();
    return loadHistory(customer, '');
  }

  function showMore() {
    if (state.history && state.historyCursor) loadHistory(state.history, state.historyCursor);
  }

  app.openHistory = openHistory;
  app.showMoreHistory = showMore;
})();
