// Lead manager page, finding leads: the search box (searches as you type), the filters, the
// sortable column headers, the result count and the highlight of what matched. The query
// lives in the address bar, so a reload keeps it and Back/Forward restore the one before.
// list.js asks for the rows; this script says which. Loaded after list.js.
(function () {
  'use strict';

  var app = window.PCUSTOMER_APP;
  var $ = app.$;
  var state = app.state;
  var t = app.t;

  // Long enough to let a word be typed, short enough to feel immediate.
  var DEBOUNCE_MS = 300;
  var SORTS = ['createAt', '-createAt', 'fullName', '-fullName', 'age', '-age'];
  var DEFAULT_SORT = 'createAt';
  var DEFAULT_PAGE_SIZE = 10;
  var FILTER_FIELDS = ['productCode', 'ageMin', 'ageMax', 'createdFrom', 'createdTo'];

  var timer = 0;
  var currentSort = DEFAULT_SORT;
  // True while the current history entry is a search being typed: it was pushed when the
  // typing began and each pause replaces it, so Back skips the half-typed steps and goes to
  // the query before the typing.
  var draftEntry = false;
  var searchErrors = [];  // [{source, desc} from the server or {source, key} found here]

  // ---- the query ------------------------------------------------------------------------------

  function emptySearch() {
    return { q: '', productCodes: [], ageMin: '', ageMax: '', from: '', to: '', sort: DEFAULT_SORT };
  }

  function sameSearch(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  function hasFilter(search) {
    return !!search && !!(search.q || search.productCodes.length || search.ageMin || search.ageMax ||
      search.from || search.to);
  }

  function filterCount(search) {
    return ['productCodes', 'ageMin', 'ageMax', 'from', 'to'].filter(function (key) {
      return key === 'productCodes' ? search.productCodes.length > 0 : !!search[key];
    }).length;
  }

  function normalText(text) {
    return String(text || '').replace(/\s+/g, ' ').trim().slice(0, 200);
  }

  // "book, Home_Loan  tool" -> ["book", "home_loan", "tool"]: product codes are lower case.
  function splitProductCodes(text) {
    var codes = [];
    String(text || '').toLowerCase().split(/[\s,;]+/).forEach(function (code) {
      if (code && codes.indexOf(code) < 0) codes.push(code);
    });
    return codes;
  }

  // 00:00 of the browser's day `date` (yyyy-mm-dd) plus `days`, as a UTC instant: the table
  // shows times in the browser's zone, so the days of the filter are those days too. A text
  // that is not such a date goes as it is (the server then names the field).
  function startOfLocalDay(date, days) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
    if (!m) return date;
    var d = new Date(2000, 0, 1);
    d.setFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days);
    d.setHours(0, 0, 0, 0);
    return isNaN(d.getTime()) ? date : d.toISOString();
  }

  // The query string for GET /pcustomers (without limit and startKey), each part "&name=value".
  function searchParams(search) {
    var parts = [];
    if (search.q) parts.push(['q', search.q]);
    search.productCodes.forEach(function (code) { parts.push(['productCode', code]); });
    if (search.ageMin) parts.push(['ageMin', search.ageMin]);
    if (search.ageMax) parts.push(['ageMax', search.ageMax]);
    if (search.from) parts.push(['createdFrom', startOfLocalDay(search.from, 0)]);
    // The user's "to" day is included; the API's createdTo is exclusive: the next day's start.
    if (search.to) parts.push(['createdTo', startOfLocalDay(search.to, 1)]);
    if (search.sort !== DEFAULT_SORT) parts.push(['sort', search.sort]);
    parts.push(['withTotal', 'true']);
    return parts.map(function (p) { return '&' + p[0] + '=' + encodeURIComponent(p[1]); }).join('');
  }

  // Problems the page sees before asking: the server answers them with an empty list only.
  function searchProblems(search) {
    var problems = [];
    ['ageMin', 'ageMax'].forEach(function (field) {
      var input = fieldInput(field);
      if (input && input.validity && input.validity.badInput) problems.push({ source: field, key: 'errAgeNumber' });
    });
    if (search.from && search.to && search.to < search.from) problems.push({ source: 'createdTo', key: 'errDateRange' });
    return problems;
  }

  // ---- the address bar ------------------------------------------------------------------------------

  // The page's own query string: what the user picked (both dates inclusive), not the API's.
  function pageQuery(search, pageSize) {
    var params = new URLSearchParams();
    if (search.q) params.set('q', search.q);
    search.productCodes.forEach(function (code) { params.append('productCode', code); });
    if (search.ageMin) params.set('ageMin', search.ageMin);
    if (search.ageMax) params.set('ageMax', search.ageMax);
    if (search.from) params.set('from', search.from);
    if (search.to) params.set('to', search.to);
    if (search.sort !== DEFAULT_SORT) params.set('sort', search.sort);
    if (pageSize !== DEFAULT_PAGE_SIZE) params.set('limit', String(pageSize));
    var text = params.toString();
    return text ? '?' + text : '';
  }

  // What the address bar asks for; anything the controls cannot hold is left out.
  function readPageQuery(text) {
    var params = new URLSearchParams(text);
    var search = emptySearch();
    search.q = normalText(params.get('q'));
    search.productCodes = splitProductCodes(params.getAll('productCode').join(' '));
    ['ageMin', 'ageMax'].forEach(function (key) {
      var value = (params.get(key) || '').trim();
      if (/^\d{1,4}$/.test(value)) search[key] = value;
    });
    ['from', 'to'].forEach(function (key) {
      var value = params.get(key) || '';
      if (/^\d{4}-\d{2}-\d{2}$/.test(value)) search[key] = value;
    });
    if (SORTS.indexOf(params.get('sort')) >= 0) search.sort = params.get('sort');
    var size = parseInt(params.get('limit') || '', 10);
    return { search: search, pageSize: size > 0 ? size : null };
  }

  // Writes the query into the address bar. `how`: 'typing' (a pause in typing: the first
  // pushes a history entry, the next ones replace it), 'enter' (ends the typing: its entry
  // stays as it is now) or 'step' (a click: a sort, a clear button, the page size; always an
  // entry of its own).
  function updateSearchUrl(how) {
    var url = location.pathname + pageQuery(state.search, state.pageSize) + location.hash;
    var current = location.pathname + location.search + location.hash;
    if (url !== current) {
      if (draftEntry && how !== 'step') history.replaceState(null, '', url);
      else history.pushState(null, '', url);
    }
    draftEntry = how === 'typing' && (draftEntry || url !== current);
  }

  // ---- the controls ------------------------------------------------------------------------------------

  function form() { return $('search-form'); }

  function fieldInput(name) {
    return form().querySelector('[name="' + name + '"]');
  }

  function readControls() {
    var search = emptySearch();
    search.q = normalText(fieldInput('q').value);
    search.productCodes = splitProductCodes(fieldInput('productCode').value);
    search.ageMin = fieldInput('ageMin').value.trim();
    search.ageMax = fieldInput('ageMax').value.trim();
    search.from = fieldInput('createdFrom').value;
    search.to = fieldInput('createdTo').value;
    search.sort = currentSort;
    return search;
  }

  function writeControls(search) {
    fieldInput('q').value = search.q;
    fieldInput('productCode').value = search.productCodes.join(', ');
    fieldInput('ageMin').value = search.ageMin;
    fieldInput('ageMax').value = search.ageMax;
    fieldInput('createdFrom').value = search.from;
    fieldInput('createdTo').value = search.to;
    currentSort = search.sort;
    renderSearch();
  }

  function listShown() {
    return !!state.session && !$('list-view').hidden;
  }

  // Takes the controls' query (`how` as for updateSearchUrl). A changed query starts again
  // from its first page; Enter or a click asks again even when nothing changed.
  function applyControls(how) {
    clearTimeout(timer);
    timer = 0;
    var next = readControls();
    var changed = !sameSearch(next, state.search);
    state.search = next;
    updateSearchUrl(how);
    renderSearch();
    if (!changed && how === 'typing') return;
    state.cursor = '';
    state.previous = [];
    if (listShown()) app.loadPage();
  }

  function scheduleSearch() {
    renderClearButton();
    clearTimeout(timer);
    timer = setTimeout(function () { applyControls('typing'); }, DEBOUNCE_MS);
  }

  function onSubmit(event) {
    event.preventDefault();
    applyControls('enter');
  }

  function clearSearchText() {
    fieldInput('q').value = '';
    renderClearButton();
    fieldInput('q').focus();
    applyControls('step');
  }

  function clearFilters() {
    FILTER_FIELDS.forEach(function (name) { fieldInput(name).value = ''; });
    applyControls('step');
  }

  // A header's button: another column sorts ascending; the same one flips the direction.
  function sortBy(field) {
    currentSort = currentSort === field ? '-' + field : field;
    $('sort-select').value = currentSort;
    applyControls('step');
  }

  function toggleFilters(open) {
    var toggle = $('filters-toggle');
    var expanded = open === undefined ? toggle.getAttribute('aria-expanded') !== 'true' : open;
    toggle.setAttribute('aria-expanded', expanded ? 'true' : 'false');
    form().classList.toggle('filters-open', expanded);
  }

  // Back or Forward: the controls take that entry's query.
  function onPopState() {
    clearTimeout(timer);
    timer = 0;
    draftEntry = false;
    var read = readPageQuery(location.search);
    var pageSize = read.pageSize || DEFAULT_PAGE_SIZE;
    // Only the fragment changed (the skip link): the list stays as it is.
    if (sameSearch(read.search, state.search) && pageSize === state.pageSize) return;
    app.setPageSize(pageSize);
    state.search = read.search;
    writeControls(read.search);
    state.cursor = '';
    state.previous = [];
    if (listShown()) app.loadPage();
  }

  // ---- what is shown --------------------------------------------------------------------------------------

  function sortLabelKey(sort) {
    var field = sort.replace(/^-/, '');
    return 'sort' + field.charAt(0).toUpperCase() + field.slice(1) + (sort.charAt(0) === '-' ? 'Desc' : 'Asc');
  }

  function renderSearch() {
    document.querySelectorAll('th[data-sort-column]').forEach(function (th) {
      var field = th.getAttribute('data-sort-column');
      var active = currentSort.replace(/^-/, '') === field;
      var descending = currentSort.charAt(0) === '-';
      if (active) th.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
      else th.removeAttribute('aria-sort');
      th.classList.toggle('sorted', active);
      th.querySelector('.sort-arrow').textContent = active ? (descending ? '▼' : '▲') : '↕';
    });
    $('sort-select').value = currentSort;
    $('table-caption').textContent = t('tableCaption', { sort: t(sortLabelKey(currentSort)) });
    var count = state.search ? filterCount(state.search) : 0;
    $('filters-toggle-text').textContent = count ? t('filtersCount', { count: count }) : t('filters');
    renderClearButton();
    renderSearchErrors();
  }

  function renderClearButton() {
    $('search-clear').hidden = fieldInput('q').value === '';
  }

  function renderResultCount() {
    var total = state.total;
    var text = '';
    if (typeof total === 'number') {
      var found = hasFilter(state.rowsSearch);
      var key = found ? 'countFound' : 'countTotal';
      text = t(total === 1 ? key + 'One' : key, { count: total.toLocaleString(state.lang === 'vi' ? 'vi-VN' : 'en-GB') });
    }
    $('result-count').textContent = text;
  }

  // ---- errors beside the fields -------------------------------------------------------------------------

  function errorText(reason) {
    if (reason.key) return t(reason.key);
    var key = window.PCUSTOMER_I18N.searchReasons[reason.desc];
    return key ? t(key) : app.reasonText(reason.desc);
  }

  function renderSearchErrors() {
    if (!app.clearFieldErrors) return;  // dialogs.js not run yet (start-up)
    app.clearFieldErrors(form());
    searchErrors.forEach(function (reason) { app.setFieldError(form(), reason.source, errorText(reason)); });
  }

  // Puts each reason beside the field it names; false when none names a field of the form.
  function showSearchErrors(reasons) {
    searchErrors = reasons.filter(function (reason) { return !!fieldInput(reason.source); });
    renderSearchErrors();
    if (searchErrors.some(function (r) { return FILTER_FIELDS.indexOf(r.source) >= 0; })) toggleFilters(true);
    return searchErrors.length > 0;
  }

  function clearSearchErrors() {
    if (!searchErrors.length) return;
    searchErrors = [];
    renderSearchErrors();
  }

  // ---- what matched -------------------------------------------------------------------------------------

  // The form the server searches in: case folded, marks dropped, đ made d.
  function fold(text) {
    return text.normalize('NFD').replace(/\p{Mn}/gu, '').replace(/[đĐ]/g, 'd').toLowerCase();
  }

  var WORD_CHAR = /[\p{L}\p{Nd}]/u;

  // As the server tells a phone search from a name search.
  function isPhoneSearch(q) {
    return /^[0-9 .\-+()]*$/.test(q) && (q.match(/[0-9]/g) || []).length >= 3;
  }

  function queryWords(q) {
    return fold(q).split(/[^\p{L}\p{Nd}]+/u).filter(Boolean);
  }

  // [start, end) code point ranges of `name` to mark: in each word of the name, the part
  // whose folded form is the longest word of q it starts with. Walks the name's code points,
  // folding each, so a highlighted letter keeps its marks ("tha" marks "Thả" of "Thảo").
  function nameMatches(name, search) {
    if (!search || !search.q || isPhoneSearch(search.q)) return [];
    var words = queryWords(search.q);
    if (!words.length) return [];
    var points = Array.from(name);
    var folded = points.map(fold);
    var ranges = [];
    var i = 0;
    while (i < points.length) {
      if (!WORD_CHAR.test(folded[i])) { i += 1; continue; }
      var end = i;
      // A word, with any lone combining mark (folded to '') that follows a letter.
      while (end < points.length && (folded[end] === '' || WORD_CHAR.test(folded[end]))) end += 1;
      var word = folded.slice(i, end).join('');
      var best = '';
      words.forEach(function (w) { if (w.length > best.length && word.indexOf(w) === 0) best = w; });
      if (best) {
        var covered = 0;
        var k = i;
        while (k < end && covered < best.length) { covered += folded[k].length; k += 1; }
        while (k < end && folded[k] === '') k += 1;
        ranges.push([i, k]);
      }
      i = end;
    }
    return ranges;
  }

  // The digits of a phone search within `phone`; the whole phone when the server matched the
  // number as a whole ("+84 912 345 678" finds 0912345678).
  function phoneMatches(phone, search) {
    if (!search || !search.q || !isPhoneSearch(search.q)) return [];
    var digits = search.q.replace(/[^0-9]/g, '');
    var at = phone.indexOf(digits);
    if (at >= 0) return [[at, at + digits.length]];
    return [[0, Array.from(phone).length]];
  }

  // Fills `cell` with `text`, the code point ranges in <mark>, all in one <span> (at phone
  // width the cell is a flex box: loose pieces would each be an item of their own). DOM nodes
  // only: the page's CSP and the data's safety both rule out HTML strings.
  function fillMatched(cell, text, ranges) {
    var span = document.createElement('span');
    var points = Array.from(text);
    var at = 0;
    ranges.forEach(function (range) {
      if (range[0] > at) span.appendChild(document.createTextNode(points.slice(at, range[0]).join('')));
      var mark = document.createElement('mark');
      mark.textContent = points.slice(range[0], range[1]).join('');
      span.appendChild(mark);
      at = range[1];
    });
    if (at < points.length) span.appendChild(document.createTextNode(points.slice(at).join('')));
    cell.textContent = '';
    cell.appendChild(span);
  }

  // ---- start ---------------------------------------------------------------------------------------------

  // At start-up, after list.js restored the page size: the address bar's query, which is then
  // written back in its clean form (so every entry of the history states its page size).
  function initSearch() {
    var read = readPageQuery(location.search);
    if (read.pageSize) app.setPageSize(read.pageSize);
    state.search = read.search;
    writeControls(read.search);
    if (filterCount(read.search)) toggleFilters(true);
    var url = location.pathname + pageQuery(state.search, state.pageSize) + location.hash;
    if (url !== location.pathname + location.search + location.hash) history.replaceState(null, '', url);

    form().addEventListener('submit', onSubmit);
    fieldInput('q').addEventListener('input', scheduleSearch);
    FILTER_FIELDS.forEach(function (name) { fieldInput(name).addEventListener('input', scheduleSearch); });
    $('search-clear').addEventListener('click', clearSearchText);
    $('clear-filters').addEventListener('click', clearFilters);
    $('filters-toggle').addEventListener('click', function () { toggleFilters(); });
    $('sort-select').addEventListener('change', function () {
      currentSort = SORTS.indexOf($('sort-select').value) >= 0 ? $('sort-select').value : DEFAULT_SORT;
      applyControls('step');
    });
    document.querySelectorAll('th[data-sort-column] .sort-button').forEach(function (button) {
      button.addEventListener('click', function () {
        sortBy(button.closest('th').getAttribute('data-sort-column'));
      });
    });
    window.addEventListener('popstate', onPopState);
  }

  app.initSearch = initSearch;
  app.searchParams = searchParams;
  app.searchProblems = searchProblems;
  app.updateSearchUrl = updateSearchUrl;
  app.hasFilter = hasFilter;
  app.renderSearch = renderSearch;
  app.renderResultCount = renderResultCount;
  app.showSearchErrors = showSearchErrors;
  app.clearSearchErrors = clearSearchErrors;
  app.hasSearchErrors = function () { return searchErrors.length > 0; };
  app.nameMatches = nameMatches;
  app.phoneMatches = phoneMatches;
  app.fillMatched = fillMatched;
})();
