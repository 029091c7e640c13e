// Lead manager page, the dialogs: create or edit a customer (the server's field errors shown
// beside their fields), and delete one after a confirmation; edits and deletes carry the
// version read (If-Match), and a 412 goes to conflict.js. Also the field-error helpers the
// sign-in form uses. Loaded after api.js.
(function () {
  'use strict';

  var app = window.PCUSTOMER_APP;
  var $ = app.$;
  var state = app.state;
  var t = app.t;
  var reasonText = app.reasonText;
  var api = app.api;
  var canWrite = app.canWrite;
  var reasonsOf = app.reasonsOf;
  var failureMessage = app.failureMessage;

  var FIELDS = ['fullName', 'phone', 'age', 'productCode'];

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
      app.showNotice({ key: 'unchanged' });
      return;
    }
    var save = $('customer-save');
    save.disabled = true;
    save.textContent = t('saving');
    var request = editing
      ? api('PATCH', '/pcustomers/' + encodeURIComponent(editing.id), body, app.ifMatch(editing))
      : createCustomer(body, createKeyFor(body), IN_FLIGHT_RETRIES);
    request.then(function (res) {
      if (res.sessionEnded) return;
      if ((res.status === 200 || res.status === 201) && res.json && res.json.data) {
        var saved = res.json.data;
        if (!editing) state.createAttempt = null;
        closeDialog($('customer-dialog'));
        app.showNotice({ key: editing ? 'updated' : 'created', params: { name: saved.fullName } });
        return app.loadPage({ keepMessages: true });
      }
      if (res.status === 400) {
        if (!showFieldReasons(form, reasonsOf(res), $('customer-form-error'))) {
          $('customer-form-error').textContent = app.messageText(failureMessage(res));
        }
        return;
      }
      var phoneTaken = reasonsOf(res).some(function (r) { return r.source === 'phone'; });
      if (res.status === 409 && phoneTaken) return showPhoneConflict(form, res);
      // Someone changed the lead since it was read: show both versions (conflict.js).
      if (res.status === 412 && editing) return app.showConflict(editing, body);
      if (res.status === 404 && editing) {
        closeDialog($('customer-dialog'));
        app.showError({ key: 'errNotFound' });
        return app.loadPage({ keepMessages: true });
      }
      $('customer-form-error').textContent = app.messageText(failureMessage(res));
    }, function () {
      $('customer-form-error').textContent = t('errNetwork');
    }).finally(function () {
      save.disabled = false;
      save.textContent = t('save');
    });
  }

  // ---- safe creates ---------------------------------------------------------------------------------

  // How often a create whose first try is still running on the server is asked again.
  var IN_FLIGHT_RETRIES = 5;

  // Every create carries an Idempotency-Key: the same key while the form sends the same fields
  // (a second click, a retry after an answer lost on the network), so the server makes one lead
  // and answers the retry with its first answer; changed fields are a new request, a new key.
  function createKeyFor(body) {
    var fields = JSON.stringify(body);
    if (!state.createAttempt || state.createAttempt.fields !== fields) {
      state.createAttempt = { fields: fields, key: newIdempotencyKey() };
    }
    return state.createAttempt.key;
  }

  // 128 random bits in hex; crypto.randomUUID would need a secure context (https).
  function newIdempotencyKey() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join('');
  }

  // POST with the key; while the server still runs the first try (409 naming the key) it is
  // asked again after Retry-After, and then answers with that try's result.
  function createCustomer(body, key, retriesLeft) {
    return api('POST', '/pcustomers', body, { headers: { 'Idempotency-Key': key } }).then(function (res) {
      var inFlight = res.status === 409 && reasonsOf(res).some(function (r) { return r.source === 'Idempotency-Key'; });
      if (!inFlight || retriesLeft === 0) return res;
      var seconds = Number(res.headers.get('Retry-After')) || 1;
      return new Promise(function (resolve) { setTimeout(resolve, seconds * 1000); }).then(function () {
        return createCustomer(body, key, retriesLeft - 1);
      });
    });
  }

  // The customer a 409's phone reason names, as "Name (id)": looked up, or the id alone when
  // the lookup fails, or "?" without a reason. Resolves the label (never rejects).
  function phoneHolderLabel(res) {
    var holder = reasonsOf(res).filter(function (r) { return r.source === 'phone'; })[0];
    if (!holder || !holder.desc) return Promise.resolve('?');
    var holderId = holder.desc;
    return api('GET', '/pcustomers/' + encodeURIComponent(holderId)).then(function (found) {
      var other = found.status === 200 && found.json && found.json.data;
      return other ? other.fullName + ' (' + holderId + ')' : holderId;
    }, function () { return holderId; });
  }

  // 409: the phone belongs to another customer; name them beside the phone field.
  function showPhoneConflict(form, res) {
    return phoneHolderLabel(res).then(function (label) {
      setFieldError(form, 'phone', t('errPhoneTaken', { customer: label }));
      focusFirstError(form);
    });
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
    api('DELETE', '/pcustomers/' + encodeURIComponent(customer.id), undefined, app.ifMatch(customer)).then(function (res) {
      if (res.sessionEnded) return;
      if (res.status === 412) {
        // Changed since it was shown: nothing is deleted; the list shows what it is now.
        closeDialog($('delete-dialog'));
        app.showError({ key: 'errChangedBeforeDelete', params: { name: customer.fullName } });
        return app.loadPage({ keepMessages: true });
      }
      if (res.status === 200 || res.status === 404) {
        closeDialog($('delete-dialog'));
        if (res.status === 200) app.showNotice({ key: 'deleted', params: { name: customer.fullName } });
        else app.showError({ key: 'errNotFound' });
        return app.loadPage({ keepMessages: true });
      }
      $('delete-error').textContent = app.messageText(failureMessage(res));
    }, function () {
      $('delete-error').textContent = t('errNetwork');
    }).finally(function () {
      confirm.disabled = false;
      confirm.textContent = t('delete');
    });
  }

  app.setFieldError = setFieldError;
  app.clearFieldErrors = clearFieldErrors;
  app.focusFirstError = focusFirstError;
  app.showFieldReasons = showFieldReasons;
  app.openDialog = openDialog;
  app.phoneHolderLabel = phoneHolderLabel;
  app.newIdempotencyKey = newIdempotencyKey;
  app.closeDialog = closeDialog;
  app.onDialogClosed = onDialogClosed;
  app.openCustomerDialog = openCustomerDialog;
  app.onSaveCustomer = onSaveCustomer;
  app.renderDeleteQuestion = renderDeleteQuestion;
  app.openDeleteDialog = openDeleteDialog;
  app.onConfirmDelete = onConfirmDelete;
})();
