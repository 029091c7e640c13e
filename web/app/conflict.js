// Lead manager page, the edit conflict: when a save answers 412 (someone changed the lead
// after this page read it), both versions are shown side by side; "keep mine" saves this
// page's changes over the current version, "take theirs" drops them. Loaded after dialogs.js.
(function () {
  'use strict';

  var app = window.PCUSTOMER_APP;
  var $ = app.$;
  var state = app.state;
  var t = app.t;
  var api = app.api;

  var FIELDS = ['fullName', 'phone', 'age', 'productCode'];

  function ifMatch(lead) {
    return lead && lead.version ? { headers: { 'If-Match': '"' + lead.version + '"' } } : undefined;
  }

  function cell(text, className) {
    var td = document.createElement('td');
    td.textContent = text;
    if (className) td.className = className;
    return td;
  }

  // One row per field: its label, what "keep mine" would store, what is stored; rows that
  // differ marked.
  function renderComparison(mine, theirs) {
    var rows = $('conflict-rows');
    rows.textContent = '';
    FIELDS.forEach(function (field) {
      var tr = document.createElement('tr');
      var differs = String(mine[field]) !== String(theirs[field]);
      if (differs) tr.className = 'conflict-differs';
      var th = document.createElement('th');
      th.scope = 'row';
      th.textContent = t(field);
      tr.appendChild(th);
      tr.appendChild(cell(String(mine[field])));
      tr.appendChild(cell(String(theirs[field])));
      rows.appendChild(tr);
    });
  }

  // `edited` is the lead as this page read it, `changes` the fields it sent.
  function showConflict(edited, changes) {
    return api('GET', '/pcustomers/' + encodeURIComponent(edited.id)).then(function (res) {
      if (res.sessionEnded) return;
      app.closeDialog($('customer-dialog'));
      if (res.status !== 200 || !res.json || !res.json.data) {
        app.showError(app.failureMessage(res));
        return app.loadPage({ keepMessages: true });
      }
      var theirs = res.json.data;
      // Keeping mine writes the fields this page changed over the current version.
      var mine = {};
      FIELDS.forEach(function (field) {
        mine[field] = field in changes ? changes[field] : theirs[field];
      });
      state.conflict = { theirs: theirs, changes: changes };
      renderComparison(mine, theirs);
      $('conflict-error').textContent = '';
      $('conflict-dialog').showModal();
      $('conflict-theirs').focus();
    }, function () {
      $('customer-form-error').textContent = t('errNetwork');
    });
  }

  function keepMine() {
    var conflict = state.conflict;
    if (!conflict) return;
    var theirs = conflict.theirs;
    api('PATCH', '/pcustomers/' + encodeURIComponent(theirs.id), conflict.changes, ifMatch(theirs))
      .then(function (res) {
        if (res.sessionEnded) return;
        if (res.status === 200) {
          app.closeDialog($('conflict-dialog'));
          app.showNotice({ key: 'updated', params: { name: res.json.data.fullName } });
          return app.loadPage({ keepMessages: true });
        }
        // Changed once more meanwhile: compare again with what is stored now.
        if (res.status === 412) {
          app.closeDialog($('conflict-dialog'));
          return showConflict(theirs, conflict.changes);
        }
        $('conflict-error').textContent = app.messageText(app.failureMessage(res));
      }, function () {
        $('conflict-error').textContent = t('errNetwork');
      });
  }

  function takeTheirs() {
    app.closeDialog($('conflict-dialog'));
    app.showNotice({ key: 'conflictTookTheirs' });
    app.loadPage({ keepMessages: true });
  }

  app.ifMatch = ifMatch;
  app.showConflict = showConflict;
  app.keepMine = keepMine;
  app.takeTheirs = takeTheirs;
})();
