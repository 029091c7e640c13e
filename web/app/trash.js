// Lead manager page, the trash (CONTRACT.md section 8): deleted customers, newest deletion
// first, with when and by whom; writers restore one (the version shown goes as If-Match, and
// a key makes a retried restore safe), admins erase one for good after a confirmation. Older
// deletions page in with "show more". Loaded after history.js.
(function () {
  'use strict';

  var app = window.PCUSTOMER_APP;
  var $ = app.$;
  var state = app.state;
  var t = app.t;
  var api = app.api;
  var canWrite = app.canWrite;
  var failureMessage = app.failureMessage;

  var PAGE_SIZE = 20;

  function isAdmin() {
    return canWrite() && state.session.role === 'admin';
  }

  function actionButton(text, label, className, onClick) {
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'button-small ' + className;
    button.textContent = text;
    button.setAttribute('aria-label', label);
    button.addEventListener('click', function () { onClick(button); });
    return button;
  }

  function renderRow(lead) {
    var tr = document.createElement('tr');
    tr.setAttribute('data-id', lead.id);
    app.cell(tr, 'cell-name', t('colName'), lead.fullName);
    app.cell(tr, '', t('colPhone'), lead.phone);
    var when = app.cell(tr, '', t('colDeletedAt'), app.formatDate(lead.deletedAt));
    when.title = lead.deletedAt;
    app.cell(tr, '', t('colDeletedBy'), lead.deletedBy);
    var actions = app.cell(tr, 'cell-actions', t('colActions'), '');
    actions.appendChild(actionButton(t('history'), t('historyLabel', { name: lead.fullName }), 'history-button',
      function (button) { app.openHistory(lead, button); }));
    if (canWrite()) {
      actions.appendChild(actionButton(t('restore'), t('restoreLabel', { name: lead.fullName }), 'restore-button',
        function (button) { restore(lead, button); }));
    }
    if (isAdmin()) {
      actions.appendChild(actionButton(t('erase'), t('eraseLabel', { name: lead.fullName }),
        'button-link-danger erase-button', function (button) { openErase(lead, button); }));
    }
    return tr;
  }

  function renderStatus() {
    var empty = !state.trashLoading && $('trash-rows').children.length === 0;
    $('trash-status').textContent = state.trashLoading ? t('loading') : empty ? t('trashEmpty') : '';
  }

  // Loads the page after `cursor` ('' = the newest deletions) and appends its rows.
  function loadTrash(cursor) {
    var seq = ++state.trashRequest;
    state.trashLoading = true;
    $('trash-more').disabled = true;
    $('trash-table').setAttribute('aria-busy', 'true');
    if (!cursor) $('trash-rows').textContent = '';
    renderStatus();
    var path = '/trash?limit=' + PAGE_SIZE + (cursor ? '&startKey=' + encodeURIComponent(cursor) : '');
    return api('GET', path).then(function (res) {
      if (seq !== state.trashRequest || res.sessionEnded) return;
      if (res.status !== 200 || !res.json || !Array.isArray(res.json.data)) {
        app.showError(failureMessage(res));
        return;
      }
      res.json.data.forEach(function (lead) { $('trash-rows').appendChild(renderRow(lead)); });
      state.trashCursor = res.json.meta ? res.json.meta.lastKey : null;
    }, function () {
      if (seq === state.trashRequest) app.showError({ key: 'errNetwork' });
    }).finally(function () {
      if (seq !== state.trashRequest) return;
      state.trashLoading = false;
      $('trash-more').disabled = false;
      $('trash-more').hidden = !state.trashCursor;
      $('trash-table').setAttribute('aria-busy', 'false');
      renderStatus();
    });
  }

  function showTrash() {
    state.banner = null;
    state.notice = null;
    app.renderMessages();
    $('list-view').hidden = true;
    $('trash-view').hidden = false;
    $('trash-title').focus();
    state.trashCursor = null;
    return loadTrash('');
  }

  function showListAgain() {
    $('trash-view').hidden = true;
    $('list-view').hidden = false;
    $('trash-button').focus();
    return app.loadPage({ keepMessages: true });
  }

  function removeRow(lead) {
    var row = $('trash-rows').querySelector('tr[data-id="' + CSS.escape(lead.id) + '"]');
    if (row) row.remove();
    renderStatus();
    $('trash-title').focus();
  }

  // 409: another customer holds the phone now; name them.
  function showPhoneTaken(lead, res) {
    return app.phoneHolderLabel(res).then(function (label) {
      app.showError({ key: 'errRestorePhoneTaken', params: { name: lead.fullName, phone: lead.phone, customer: label } });
    });
  }

  function restore(lead, button) {
    button.disabled = true;
    button.textContent = t('restoring');
    var key = lead.restoreKey || (lead.restoreKey = app.newIdempotencyKey());
    var headers = { 'If-Match': '"' + lead.version + '"', 'Idempotency-Key': key };
    api('POST', '/trash/' + encodeURIComponent(lead.id) + '/restore', undefined, { headers: headers }).then(function (res) {
      if (res.sessionEnded) return;
      if (res.status === 200) {
        app.showNotice({ key: 'restored', params: { name: lead.fullName } });
        return removeRow(lead);
      }
      if (res.status === 409 && app.reasonsOf(res).some(function (r) { return r.source === 'phone'; })) {
        return showPhoneTaken(lead, res);
      }
      // Restored, erased or changed by someone else meanwhile: show the trash as it is now.
      if (res.status === 404 || res.status === 412) {
        app.showError({ key: 'errTrashChanged' });
        return loadTrash('');
      }
      app.showError(failureMessage(res));
    }, function () {
      app.showError({ key: 'errNetwork' });
    }).finally(function () {
      if (!document.body.contains(button)) return;
      button.disabled = false;
      button.textContent = t('restore');
    });
  }

  function openErase(lead, opener) {
    state.erasing = lead;
    $('erase-question').textContent = t('eraseQuestion', { name: lead.fullName, phone: lead.phone });
    $('erase-error').textContent = '';
    app.openDialog($('erase-dialog'), opener);
    // The safe choice has the focus.
    $('erase-cancel').focus();
  }

  function onConfirmErase() {
    var lead = state.erasing;
    if (!lead) return;
    var confirm = $('erase-confirm');
    confirm.disabled = true;
    confirm.textContent = t('erasing');
    api('DELETE', '/trash/' + encodeURIComponent(lead.id)).then(function (res) {
      if (res.sessionEnded) return;
      if (res.status === 200 || res.status === 404) {
        app.closeDialog($('erase-dialog'));
        if (res.status === 200) {
          app.showNotice({ key: 'erased', params: { name: lead.fullName } });
          return removeRow(lead);
        }
        app.showError({ key: 'errTrashChanged' });
        return loadTrash('');
      }
      $('erase-error').textContent = app.messageText(failureMessage(res));
    }, function () {
      $('erase-error').textContent = t('errNetwork');
    }).finally(function () {
      confirm.disabled = false;
      confirm.textContent = t('erase');
    });
  }

  function initTrash() {
    state.trashRequest = 0;
    $('trash-button').addEventListener('click', showTrash);
    $('trash-back').addEventListener('click', showListAgain);
    $('trash-more').addEventListener('click', function () { if (state.trashCursor) loadTrash(state.trashCursor); });
    $('erase-cancel').addEventListener('click', function () { app.closeDialog($('erase-dialog')); });
    $('erase-confirm').addEventListener('click', onConfirmErase);
    $('erase-dialog').addEventListener('close', function () { state.erasing = null; app.onDialogClosed(); });
  }

  app.initTrash = initTrash;
  app.showTrash = showTrash;
})();
