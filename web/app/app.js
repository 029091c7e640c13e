// Lead manager page: sign-in, the customer list (cursor pages, search, filters, sorting),
// create, edit and delete, in Vietnamese or English. This script, loaded last, holds the
// language switch, the banner and notice, the sign-in and list views and sign-out, and wires
// the page's controls at start-up; api.js (the API client, the shared state), list.js,
// search.js and dialogs.js hold the rest.
(function () {
  'use strict';

  var app = window.PCUSTOMER_APP;
  var $ = app.$;
  var state = app.state;
  var t = app.t;
  var send = app.send;
  var canWrite = app.canWrite;
  var sessionFromTokens = app.sessionFromTokens;
  var saveSession = app.saveSession;
  var reasonsOf = app.reasonsOf;
  var failureMessage = app.failureMessage;

  var LANG_KEY = 'pcustomer.lang';

  // ---- texts ------------------------------------------------------------------------------------

  function applyLanguage() {
    document.documentElement.lang = state.lang;
    document.querySelectorAll('[data-i18n]').forEach(function (el) {
      el.textContent = t(el.getAttribute('data-i18n'));
    });
    document.querySelectorAll('[data-i18n-label]').forEach(function (el) {
      el.setAttribute('aria-label', t(el.getAttribute('data-i18n-label')));
    });
    document.querySelectorAll('[data-i18n-placeholder]').forEach(function (el) {
      el.setAttribute('placeholder', t(el.getAttribute('data-i18n-placeholder')));
    });
    $('lang-toggle').lang = state.lang === 'vi' ? 'en' : 'vi';
    $('customer-dialog-title').textContent = t(state.editing ? 'editTitle' : 'createTitle');
    renderWhoami();
    app.renderSearch();
    app.renderRows();
    renderMessages();
    if (state.deleting) app.renderDeleteQuestion();
  }

  function setLanguage(lang) {
    state.lang = lang === 'en' ? 'en' : 'vi';
    try { localStorage.setItem(LANG_KEY, state.lang); } catch (ignored) { /* storage disabled */ }
    applyLanguage();
  }

  // ---- messages -----------------------------------------------------------------------------------

  // A message is {key, params} (translated when shown, so it follows a language switch).
  function showError(message) {
    state.banner = message;
    state.notice = null;
    renderMessages();
  }
  function showNotice(message) {
    state.notice = message;
    state.banner = null;
    renderMessages();
  }
  function clearMessages() {
    state.banner = null;
    state.notice = null;
    renderMessages();
  }
  function messageText(message) {
    return message.text !== undefined ? message.text : t(message.key, message.params);
  }
  function renderMessages() {
    $('banner').hidden = !state.banner;
    $('banner-text').textContent = state.banner ? messageText(state.banner) : '';
    $('notice').hidden = !state.notice;
    $('notice').textContent = state.notice ? messageText(state.notice) : '';
  }

  // ---- views ---------------------------------------------------------------------------------------

  function showSignIn() {
    app.closeDialog($('customer-dialog'));
    app.closeDialog($('delete-dialog'));
    state.rows = [];
    $('list-view').hidden = true;
    $('trash-view').hidden = true;
    $('sign-in-view').hidden = false;
    $('sign-out').hidden = true;
    $('whoami').hidden = true;
    $('password').value = '';
    app.clearFieldErrors($('sign-in-form'));
    $('sign-in-error').textContent = '';
    $('username').focus();
  }

  function showList() {
    $('sign-in-view').hidden = true;
    $('trash-view').hidden = true;
    $('list-view').hidden = false;
    $('sign-out').hidden = false;
    var writable = canWrite();
    $('create-button').hidden = !writable;
    $('read-only-note').hidden = writable;
    document.body.classList.toggle('read-only', !writable);
    renderWhoami();
    state.cursor = '';
    state.previous = [];
    app.loadPage();
  }

  function renderWhoami() {
    var s = state.session;
    $('whoami').hidden = !s || $('list-view').hidden;
    if (!s) return;
    $('whoami').textContent = t('whoami', {
      username: s.username, teams: s.teams.join(', ') || '—', role: s.role || '—',
    });
  }

  // ---- sign-in --------------------------------------------------------------------------------------

  function onSignIn(event) {
    event.preventDefault();
    var form = $('sign-in-form');
    app.clearFieldErrors(form);
    $('sign-in-error').textContent = '';
    var username = $('username').value.trim();
    var password = $('password').value;
    var missing = [];
    if (!username) missing.push(['username', t('required', { field: t('username').toLowerCase() })]);
    if (!password) missing.push(['password', t('required', { field: t('password').toLowerCase() })]);
    if (missing.length) {
      missing.forEach(function (m) { app.setFieldError(form, m[0], m[1]); });
      app.focusFirstError(form);
      return;
    }
    var button = $('sign-in-submit');
    button.disabled = true;
    button.textContent = t('signingIn');
    send('POST', '/auth/sign-in', { username: username, password: password }).then(function (res) {
      if (res.status === 200 && res.json && res.json.data && res.json.data.auth) {
        clearMessages();
        saveSession(sessionFromTokens(res.json.data.auth, { username: username }));
        $('password').value = '';
        showList();
        return;
      }
      if (res.status === 400 && app.showFieldReasons(form, reasonsOf(res))) return;
      $('sign-in-error').textContent = res.status === 401 ? t('errWrongCredentials') : messageText(failureMessage(res));
      $('password').focus();
    }, function () {
      $('sign-in-error').textContent = t('errNetwork');
    }).finally(function () {
      button.disabled = false;
      button.textContent = t('signIn');
    });
  }

  function onSignOut() {
    var session = state.session;
    saveSession(null);
    showSignIn();
    showNotice({ key: 'signedOut' });
    // Revoke the refresh token; the page is signed out whatever the answer.
    if (session && session.refreshToken) {
      send('POST', '/auth/sign-out', { refreshToken: session.refreshToken }).catch(function () {});
    }
  }

  // ---- start ---------------------------------------------------------------------------------------------

  function start() {
    var lang = null;
    try { lang = localStorage.getItem(LANG_KEY); } catch (ignored) { /* no storage */ }
    state.lang = lang === 'en' ? 'en' : 'vi';
    app.restorePageSize();
    app.initSearch();

    $('lang-toggle').addEventListener('click', function () { setLanguage(state.lang === 'vi' ? 'en' : 'vi'); });
    $('sign-in-form').addEventListener('submit', onSignIn);
    $('sign-out').addEventListener('click', onSignOut);
    $('banner-close').addEventListener('click', function () { state.banner = null; renderMessages(); });
    $('create-button').addEventListener('click', function (event) { app.openCustomerDialog(null, event.currentTarget); });
    $('reload-button').addEventListener('click', function () { app.loadPage(); });
    $('page-size').addEventListener('change', app.changePageSize);
    $('next-page').addEventListener('click', app.nextPage);
    $('prev-page').addEventListener('click', app.previousPage);
    $('customer-form').addEventListener('submit', app.onSaveCustomer);
    $('customer-cancel').addEventListener('click', function () { app.closeDialog($('customer-dialog')); });
    $('delete-cancel').addEventListener('click', function () { app.closeDialog($('delete-dialog')); });
    $('delete-confirm').addEventListener('click', app.onConfirmDelete);
    // Escape closes a dialog (the browser's "cancel"); focus goes back to what opened it.
    $('customer-dialog').addEventListener('close', app.onDialogClosed);
    $('delete-dialog').addEventListener('close', app.onDialogClosed);
    // The edit dialog's own close event comes after the conflict opened: only this one ends it.
    $('conflict-dialog').addEventListener('close', function () { state.conflict = null; app.onDialogClosed(); });
    $('conflict-mine').addEventListener('click', app.keepMine);
    $('conflict-theirs').addEventListener('click', app.takeTheirs);
    $('history-dialog').addEventListener('close', function () { state.history = null; app.onDialogClosed(); });
    $('history-close').addEventListener('click', function () { app.closeDialog($('history-dialog')); });
    $('history-more').addEventListener('click', app.showMoreHistory);
    app.initTrash();
    $('list-title').setAttribute('tabindex', '-1');

    applyLanguage();
    var session = app.loadSession();
    if (session) {
      // An access token that expired meanwhile gets a 401, which refreshes it.
      saveSession(session);
      showList();
    } else {
      showSignIn();
    }
  }

  app.showError = showError;
  app.showNotice = showNotice;
  app.messageText = messageText;
  app.renderMessages = renderMessages;
  app.showSignIn = showSignIn;

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
