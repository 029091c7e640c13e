// Lead manager page, the script loaded first: the namespace the page's scripts share
// (window.PCUSTOMER_APP) with the page state and the texts, and the API client. Talks only to
// this origin's API; tokens live in sessionStorage (gone when the tab closes) and are refreshed
// shortly before they expire and once on a 401.
// The other scripts, in the order index.html loads them: list.js (the customer table and its
// pages), search.js (search box, filters, sorting, the query in the address bar), dialogs.js
// (the create/edit and delete dialogs), app.js (language, messages, sign-in and start-up).
(function () {
  'use strict';

  // Every script adds its functions here. The later scripts may keep what this one defines in
  // variables of their own (it has run by then); anything else they call through `app` when it
  // is needed, so the scripts can call each other whatever their order.
  var app = window.PCUSTOMER_APP = {};

  var I18N = window.PCUSTOMER_I18N;
  var SESSION_KEY = 'pcustomer.session';
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
    total: null,          // meta.total of the query shown, or null
    search: null,         // the query asked for (search.js): {q, productCodes, ageMin, ageMax, from, to, sort}
    rowsSearch: null,     // the query the rows shown answer (the highlight follows it)
    listRequest: 0,       // number of the latest list request: an older answer is dropped
    listAbort: null,      // AbortController of the list request in flight
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
    app.showSignIn();
    app.showError({ key: 'errSessionExpired' });
  }

  // ---- HTTP ----------------------------------------------------------------------------------------

  function NetworkError(cause) { this.name = 'NetworkError'; this.cause = cause; }

  // One request; resolves {status, json, headers} or rejects with NetworkError (also when
  // `signal`, an optional AbortSignal, aborts it). `extra` adds headers (If-Match).
  function send(method, path, body, token, signal, extra) {
    var headers = { Accept: 'application/json' };
    Object.keys(extra || {}).forEach(function (name) { headers[name] = extra[name]; });
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (token) headers.Authorization = 'Bearer ' + token;
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, REQUEST_TIMEOUT_MS);
    if (signal) {
      if (signal.aborted) controller.abort();
      else signal.addEventListener('abort', function () { controller.abort(); });
    }
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
  // (never a 401 with a live session) or rejects with NetworkError. `options.signal` aborts it;
  // `options.headers` are sent too.
  function api(method, path, body, options) {
    var session = state.session;
    var signal = options && options.signal;
    var extra = options && options.headers;
    if (!session) return Promise.reject(new NetworkError('signed out'));
    return send(method, path, body, session.accessToken, signal, extra).then(function (res) {
      if (res.status !== 401) return res;
      return refreshTokens().then(function (outcome) {
        if (outcome !== 'ok') {
          if (outcome === 'network') throw new NetworkError('refresh failed');
          return { status: 401, json: res.json, headers: res.headers, sessionEnded: true };
        }
        return send(method, path, body, state.session.accessToken, signal, extra).then(function (again) {
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

  app.$ = $;
  app.state = state;
  app.t = t;
  app.reasonText = reasonText;
  app.sessionFromTokens = sessionFromTokens;
  app.canWrite = canWrite;
  app.saveSession = saveSession;
  app.loadSession = loadSession;
  app.send = send;
  app.api = api;
  app.reasonsOf = reasonsOf;
  app.failureMessage = failureMessage;
})();
