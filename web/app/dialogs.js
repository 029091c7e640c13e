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
      : api('POST', '/pcustomers', body);
    request.then(function (res) {
      if (res.sessionEnded) return;
      if ((res.status === 200 || res.status === 201) && res.json && res.json.data) {
        var saved = res.json.data;
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
      if (res.status === 409) return showPhoneConflict(form, reasonsOf(res));
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
  app.closeDialog = closeDialog;
  app.onDialogClosed = onDialogClosed;
  app.openCustomerDialog = openCustomerDialog;
  app.onSaveCustomer = onSaveCustomer;
  app.renderDeleteQuestion = renderDeleteQuestion;
  app.openDeleteDialog = openDeleteDialog;
  app.onConfirmDelete = onConfirmDelete;
})();
