// Lead manager page: sign-in, the customer list (cursor pages), create, edit and delete, in
// Vietnamese or English. Talks only to this origin's API; tokens live in sessionStorage
// (gone when the tab closes) and are refreshed shortly before they expire and once on a 401.
(function () {
  'use strict';

  var I18N = window.PCUSTOMER_I18N;
  var LANG_KEY = 'pcustomer.lang';
  var PAGE_SIZE_KEY = 'pcustomer.pageSize';
  var SESSION_KEY = 'pcustomer.session';
  var PAGE_SIZES = [10, 20, 50, 100];
  var FIELDS = ['fullName', 'phone', 'age', 'productCode'];
  // Refresh this long before the access token expires, so a request never meets an expired one.
  var REFRESH_MARGIN_MS = 60 * 1000;
  var REQUEST_TIMEOUT_MS = 20 * 1000;

  var $ = function (id) { return document.getElementById(id); };

  var state = {
    lang: 'vi',
    session: null,        // {accessToken, idToken, refreshToken, expiresAt, username, role, teams}
    refreshTimer: 0,
    refreshing: null,     // the refresh in progress (one at a time)
    pageSize: 10,
    cursor: '',           // startKey of the page shown ('' = first page)
    previous: [],         // startKeys of the pages before it, for "previous"
    nextCursor: null,     // meta.lastKey of the page shown
    rows: [],
    loading: false,
    editing: null,        // the customer being edited, or null when creating
    deleting: null,       // the customer to delete
    opener: null,         // element to focus again when a dialog closes
    banner: null,         // {key, params} or {text}
    notice: null,
  };

  // ---- texts ------------------------------------------------------------------------------------

  function t(key, params) {
    var text = (I18N[state.lang] && I18N[state.lang][key]) || I18N.en[key] || key;
    return text.replace(/\{(\w+)\}/g, function (_, name) {
      return params && params[name] !== undefined ? String(params[name]) : '';
    });
  }

  // A server reason in the page's language (the server speaks English).
  function reasonText(desc) {
    if (state.lang === 'vi') {
      if (I18N.serverReasonsVi[desc]) return I18N.serverReasonsVi[desc];
      var unknown = /^"(.*)" is not allowed$/.exec(desc);
      if (unknown) return 'Trường "' + unknown[1] + '" không được phép.';
    }
    return desc;
  }

  function applyLanguage() {
    document.documentElement.lang = state.lang;
    document.querySelectorAll('[data-i18n]').forEach(function (el) {
      el.textContent = t(el.getAttribute('data-i18n'));
    });
    document.querySelectorAll('[data-i18n-label]').forEach(function (el) {
      el.setAttribute('aria-label', t(el.getAttribute('data-i18n-label')));
    });
    $('lang-toggle').lang = state.lang === 'vi' ? 'en' : 'vi';
    $('customer-dialog-title').textContent = t(state.editing ? 'editTitle' : 'createTitle');
    renderWhoami();
    renderRows();
    renderMessages();
    if (state.deleting) renderDeleteQuestion();
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

  // ---- session ------------------------------------------------------------------------------------

  function decodeClaims(jwt) {
    try {
      var part = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      while (part.length % 4) part += '=';
      var bytes = Uint8Array.from(atob(part), function (c) { return c.charCodeAt(0); });
      return JSON.parse(new TextDecoder().decode(bytes));
    } catch (ignored) {
      return {};
    }
  }

  function sessionFromTokens(auth, previous) {
    var claims = decodeClaims(auth.accessToken);
    var teams = Array.isArray(claims['cognito:groups']) ? claims['cognito:groups'] : [];
    return {
      accessToken: auth.accessToken,
      idToken: auth.idToken,
      // A refresh that does not rotate the token answers none: keep the old one.
      refreshToken: auth.refreshToken || (previous && previous.refreshToken),
      expiresAt: Date.now() + Math.max(1, Number(auth.expiresIn) || 3600) * 1000,
      username: claims.username || claims['cognito:username'] || (previous && previous.username) || '',
      // Cognito puts custom:role into access tokens only with a trigger; id tokens carry it.
      role: claims['custom:role'] || decodeClaims(auth.idToken)['custom:role'] || '',
      teams: teams,
    };
  }

  function canWrite() {
    var s = state.session;
    return !!s && (s.role === 'employee' || s.role === 'admin') && s.teams.indexOf('sales') >= 0;
  }

  function saveSession(session) {
    state.session = session;
    try {
      if (session) sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
      else sessionStorage.removeItem(SESSION_KEY);
    } catch (ignored) { /* storage disabled: the session lives in memory only */ }
    scheduleRefresh();
  }

  function loadSession() {
    try {
      var stored = JSON.parse(sessionStorage.getItem(SESSION_KEY) || 'null');
      if (stored && stored.accessToken && stored.refreshToken) return stored;
    } catch (ignored) { /* unreadable: sign in again */ }
    return null;
  }

  function scheduleRefresh() {
    clearTimeout(state.refreshTimer);
    state.refreshTimer = 0;
    if (!state.session) return;
    var wait = Math.max(5000, state.session.expiresAt - Date.now() - REFRESH_MARGIN_MS);
    state.refreshTimer = setTimeout(function () {
      refreshTokens().then(function (outcome) {
        if (outcome === 'network') {
          // Offline for now: try again soon; a 401 later also triggers a refresh.
          clearTimeout(state.refreshTimer);
          state.refreshTimer = setTimeout(scheduleRefresh, 30000);
        }
      });
    }, Math.min(wait, 2147483000));
  }

  // 'ok', 'expired' (the refresh token no longer works: signed out) or 'network'.
  function refreshTokens() {
    if (state.refreshing) return state.refreshing;
    var session = state.session;
    if (!session || !session.refreshToken) return Promise.resolve('expired');
    // The username lets Cognito compute SECRET_HASH when the app client has a secret.
    state.refreshing = send('POST', '/auth/refresh-tokens', { refreshToken: session.refreshToken, username: session.username })
      .then(function (res) {
        if (res.status === 200 && res.json && res.json.data && res.json.data.auth) {
          if (state.session === session) saveSession(sessionFromTokens(res.json.data.auth, session));
          return 'ok';
        }
        if (res.status === 400 || res.status === 401) {
          if (state.session === session) sessionExpired();
          return 'expired';
        }
        return 'network';
      }, function () { return 'network'; })
      .finally(function () { state.refreshing = null; });
    return state.refreshing;
  }

  function sessionExpired() {
    saveSession(null);
    showSignIn();
    showError({ key: 'errSessionExpired' });
  }

  // ---- HTTP ----------------------------------------------------------------------------------------

  function NetworkError(cause) { this.name = 'NetworkError'; this.cause = cause; }

  // One request; resolves {status, json, headers} or rejects with NetworkError.
  function send(method, path, body, token) {
    var headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (token) headers.Authorization = 'Bearer ' + token;
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, REQUEST_TIMEOUT_MS);
    return fetch(path, {
      method: method,
      headers: headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit',
      signal: controller.signal,
    }).then(function (res) {
      return res.text().then(function (text) {
        var json = null;
        try { json = text ? JSON.parse(text) : null; } catch (ignored) { /* not JSON */ }
        return { status: res.status, json: json, headers: res.headers };
      });
    }, function (error) {
      throw new NetworkError(error);
    }).finally(function () { clearTimeout(timer); });
  }

  // A request with the session's token. A 401 refreshes the tokens once and retries; when
  // that fails the session is over (sign-in page, "session expired"). Resolves the response
  // (never a 401 with a live session) or rejects with NetworkError.
  function api(method, path, body) {
    var session = state.session;
    if (!session) return Promise.reject(new NetworkError('signed out'));
    return send(method, path, body, session.accessToken).then(function (res) {
      if (res.status !== 401) return res;
      return refreshTokens().then(function (outcome) {
        if (outcome !== 'ok') {
          if (outcome === 'network') throw new NetworkError('refresh failed');
          return { status: 401, json: res.json, headers: res.headers, sessionEnded: true };
        }
        return send(method, path, body, state.session.accessToken).then(function (again) {
          if (again.status === 401) {
            sessionExpired();
            again.sessionEnded = true;
          }
          return again;
        });
      });
    });
  }

  function reasonsOf(res) {
    var reasons = res.json && res.json.error && res.json.error.details && res.json.error.details.reasons;
    return Array.isArray(reasons) ? reasons : [];
  }

  // The message for an answer that is not the hoped-for one (for banners).
  function failureMessage(res) {
    if (res.status === 403) return { key: 'errForbidden' };
    if (res.status === 404) return { key: 'errNotFound' };
    if (res.status === 429) return { key: 'errTooMany', params: { seconds: retryAfter(res) } };
    if (res.status === 503) return { key: 'errBusy' };
    if (res.status >= 500) return { key: 'errServer', params: { status: res.status } };
    var serverMessage = res.json && res.json.error && res.json.error.message;
    var reasons = reasonsOf(res).map(function (r) { return reasonText(r.desc); }).join(' ');
    return { key: 'errRequest', params: { message: reasons || serverMessage || res.status } };
  }

  function retryAfter(res) {
    var seconds = parseInt(res.headers.get('Retry-After') || '', 10);
    return seconds > 0 ? seconds : 1;
  }

  // ---- views ---------------------------------------------------------------------------------------

  function showSignIn() {
    closeDialog($('customer-dialog'));
    closeDialog($('delete-dialog'));
    state.rows = [];
    $('list-view').hidden = true;
    $('sign-in-view').hidden = false;
    $('sign-out').hidden = true;
    $('whoami').hidden = true;
    $('password').value = '';
    clearFieldErrors($('sign-in-form'));
    $('sign-in-error').textContent = '';
    $('username').focus();
  }

  function showList() {
    $('sign-in-view').hidden = true;
    $('list-view').hidden = false;
    $('sign-out').hidden = false;
    var writable = canWrite();
    $('create-button').hidden = !writable;
    $('read-only-note').hidden = writable;
    document.body.classList.toggle('read-only', !writable);
    renderWhoami();
    state.cursor = '';
    state.previous = [];
    loadPage();
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
    clearFieldErrors(form);
    $('sign-in-error').textContent = '';
    var username = $('username').value.trim();
    var password = $('password').value;
    var missing = [];
    if (!username) missing.push(['username', t('required', { field: t('username').toLowerCase() })]);
    if (!password) missing.push(['password', t('required', { field: t('password').toLowerCase() })]);
    if (missing.length) {
      missing.forEach(function (m) { setFieldError(form, m[0], m[1]); });
      focusFirstError(form);
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
      if (res.status === 400 && showFieldReasons(form, reasonsOf(res))) return;
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

  // ---- list -------------------------------------------------------------------------------------------

  function loadPage(options) {
    var keepMessages = options && options.keepMessages;
    if (!keepMessages) state.banner = null;
    renderMessages();
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
      showError(failureMessage(res));
    }, function () {
      showError({ key: 'errNetwork' });
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
        edit.addEventListener('click', function () { openCustomerDialog(customer, edit); });
        var del = document.createElement('button');
        del.type = 'button';
        del.className = 'button-small button-link-danger delete-button';
        del.textContent = t('delete');
        del.setAttribute('aria-label', t('deleteLabel', { name: customer.fullName }));
        del.addEventListener('click', function () { openDeleteDialog(customer, del); });
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

  // ---- forms -------------------------------------------------------------------------------------------

  function fieldInput(form, field) {
    return form.querySelector('[name="' + field + '"]');
  }

  function setFieldError(form, field, text) {
    var slot = form.querySelector('[data-field-error="' + field + '"]');
    var input = fieldInput(form, field);
    if (!slot || !input) return false;
    slot.textContent = slot.textContent ? slot.textContent + ' ' + text : text;
    input.setAttribute('aria-invalid', 'true');
    return true;
  }

  function clearFieldErrors(form) {
    form.querySelectorAll('[data-field-error]').forEach(function (slot) { slot.textContent = ''; });
    form.querySelectorAll('[aria-invalid]').forEach(function (input) { input.removeAttribute('aria-invalid'); });
  }

  function focusFirstError(form) {
    var first = form.querySelector('[aria-invalid="true"]');
    if (first) first.focus();
  }

  // Puts each reason beside its field; the rest go to the form's message. False when none
  // could be placed beside a field.
  function showFieldReasons(form, reasons, formError) {
    var placed = false;
    var rest = [];
    reasons.forEach(function (reason) {
      if (setFieldError(form, reason.source, reasonText(reason.desc))) placed = true;
      else rest.push(reasonText(reason.desc));
    });
    if (formError) formError.textContent = rest.length ? rest.join(' ') : (placed ? t('errInvalid') : '');
    if (placed) focusFirstError(form);
    return placed;
  }

  function openDialog(dialog, opener) {
    state.opener = opener || document.activeElement;
    if (!dialog.open) dialog.showModal();
  }

  function closeDialog(dialog) {
    if (dialog.open) dialog.close();
  }

  function onDialogClosed() {
    state.editing = null;
    state.deleting = null;
    var opener = state.opener;
    state.opener = null;
    if (opener && document.body.contains(opener) && !opener.hidden) opener.focus();
    else if (!$('list-view').hidden) $('list-title').focus();
  }

  function openCustomerDialog(customer, opener) {
    if (!canWrite()) return;
    var form = $('customer-form');
    state.editing = customer || null;
    clearFieldErrors(form);
    $('customer-form-error').textContent = '';
    $('customer-dialog-title').textContent = t(customer ? 'editTitle' : 'createTitle');
    FIELDS.forEach(function (field) {
      fieldInput(form, field).value = customer ? String(customer[field]) : '';
    });
    openDialog($('customer-dialog'), opener);
    fieldInput(form, 'fullName').focus();
  }

  // The JSON value of a form field: age as a number when it reads as one (else the text, so
  // the server explains what is wrong).
  function fieldValue(field, text) {
    if (field !== 'age') return text;
    var trimmed = text.trim();
    return /^-?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : trimmed;
  }

  function onSaveCustomer(event) {
    event.preventDefault();
    var form = $('customer-form');
    var editing = state.editing;
    clearFieldErrors(form);
    $('customer-form-error').textContent = '';
    var body = {};
    FIELDS.forEach(function (field) {
      var text = fieldInput(form, field).value;
      if (editing) {
        if (text.trim() !== String(editing[field])) body[field] = fieldValue(field, text);
      } else if (text.trim() !== '') {
        // A field left empty is left out, so the server answers "... is required" for it.
        body[field] = fieldValue(field, text);
      }
    });
    if (editing && Object.keys(body).length === 0) {
      closeDialog($('customer-dialog'));
      showNotice({ key: 'unchanged' });
      return;
    }
    var save = $('customer-save');
    save.disabled = true;
    save.textContent = t('saving');
    var request = editing
      ? api('PATCH', '/pcustomers/' + encodeURIComponent(editing.id), body)
      : api('POST', '/pcustomers', body);
    request.then(function (res) {
      if (res.sessionEnded) return;
      if ((res.status === 200 || res.status === 201) && res.json && res.json.data) {
        var saved = res.json.data;
        closeDialog($('customer-dialog'));
        showNotice({ key: editing ? 'updated' : 'created', params: { name: saved.fullName } });
        return loadPage({ keepMessages: true });
      }
      if (res.status === 400) {
        if (!showFieldReasons(form, reasonsOf(res), $('customer-form-error'))) {
          $('customer-form-error').textContent = messageText(failureMessage(res));
        }
        return;
      }
      if (res.status === 409) return showPhoneConflict(form, reasonsOf(res));
      if (res.status === 404 && editing) {
        closeDialog($('customer-dialog'));
        showError({ key: 'errNotFound' });
        return loadPage({ keepMessages: true });
      }
      $('customer-form-error').textContent = messageText(failureMessage(res));
    }, function () {
      $('customer-form-error').textContent = t('errNetwork');
    }).finally(function () {
      save.disabled = false;
      save.textContent = t('save');
    });
  }

  // 409: the phone belongs to another customer; name them beside the phone field.
  function showPhoneConflict(form, reasons) {
    var holder = reasons.filter(function (r) { return r.source === 'phone'; })[0];
    var holderId = holder ? holder.desc : '';
    var show = function (label) {
      setFieldError(form, 'phone', t('errPhoneTaken', { customer: label }));
      focusFirstError(form);
    };
    if (!holderId) return show('?');
    return api('GET', '/pcustomers/' + encodeURIComponent(holderId)).then(function (res) {
      var other = res.status === 200 && res.json && res.json.data;
      show(other ? other.fullName + ' (' + holderId + ')' : holderId);
    }, function () { show(holderId); });
  }

  // ---- delete ---------------------------------------------------------------------------------------------

  function renderDeleteQuestion() {
    var c = state.deleting;
    $('delete-question').textContent = c ? t('deleteQuestion', { name: c.fullName, phone: c.phone }) : '';
  }

  function openDeleteDialog(customer, opener) {
    if (!canWrite()) return;
    state.deleting = customer;
    renderDeleteQuestion();
    $('delete-error').textContent = '';
    openDialog($('delete-dialog'), opener);
    // The safe choice has the focus: Enter or Space on it does not delete.
    $('delete-cancel').focus();
  }

  function onConfirmDelete() {
    var customer = state.deleting;
    if (!customer) return;
    var confirm = $('delete-confirm');
    confirm.disabled = true;
    confirm.textContent = t('deleting');
    api('DELETE', '/pcustomers/' + encodeURIComponent(customer.id)).then(function (res) {
      if (res.sessionEnded) return;
      if (res.status === 200 || res.status === 404) {
        closeDialog($('delete-dialog'));
        if (res.status === 200) showNotice({ key: 'deleted', params: { name: customer.fullName } });
        else showError({ key: 'errNotFound' });
        return loadPage({ keepMessages: true });
      }
      $('delete-error').textContent = messageText(failureMessage(res));
    }, function () {
      $('delete-error').textContent = t('errNetwork');
    }).finally(function () {
      confirm.disabled = false;
      confirm.textContent = t('delete');
    });
  }

  // ---- start ---------------------------------------------------------------------------------------------

  function start() {
    var lang = null;
    try { lang = localStorage.getItem(LANG_KEY); } catch (ignored) { /* no storage */ }
    state.lang = lang === 'en' ? 'en' : 'vi';
    var size = 10;
    try { size = parseInt(localStorage.getItem(PAGE_SIZE_KEY) || '10', 10); } catch (ignored) { /* no storage */ }
    state.pageSize = PAGE_SIZES.indexOf(size) >= 0 ? size : 10;
    $('page-size').value = String(state.pageSize);

    $('lang-toggle').addEventListener('click', function () { setLanguage(state.lang === 'vi' ? 'en' : 'vi'); });
    $('sign-in-form').addEventListener('submit', onSignIn);
    $('sign-out').addEventListener('click', onSignOut);
    $('banner-close').addEventListener('click', function () { state.banner = null; renderMessages(); });
    $('create-button').addEventListener('click', function (event) { openCustomerDialog(null, event.currentTarget); });
    $('reload-button').addEventListener('click', function () { loadPage(); });
    $('page-size').addEventListener('change', changePageSize);
    $('next-page').addEventListener('click', nextPage);
    $('prev-page').addEventListener('click', previousPage);
    $('customer-form').addEventListener('submit', onSaveCustomer);
    $('customer-cancel').addEventListener('click', function () { closeDialog($('customer-dialog')); });
    $('delete-cancel').addEventListener('click', function () { closeDialog($('delete-dialog')); });
    $('delete-confirm').addEventListener('click', onConfirmDelete);
    // Escape closes a dialog (the browser's "cancel"); focus goes back to what opened it.
    $('customer-dialog').addEventListener('close', onDialogClosed);
    $('delete-dialog').addEventListener('close', onDialogClosed);
    $('list-title').setAttribute('tabindex', '-1');

    applyLanguage();
    var session = loadSession();
    if (session) {
      // An access token that expired meanwhile gets a 401, which refreshes it.
      saveSession(session);
      showList();
    } else {
      showSignIn();
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
