// Progressive enhancement for the intake form. Without this script every
// step still works: follow-up questions show a "skip this if" note, and the
// buttons save. With it: follow-ups appear only when they apply, each change
// is saved as the patient goes ("Saved"), and progress updates.
(function () {
  'use strict';
  document.documentElement.classList.replace('no-js', 'js');

  function valueOf(form, name) {
    var checked = form.querySelector('input[name="' + name + '"]:checked');
    if (checked) return checked.value;
    var field = form.querySelector(
      'input[name="' + name + '"]:not([type=radio]):not([type=checkbox])',
    );
    return field ? field.value.trim() : '';
  }

  function applies(form, condition) {
    var answer = valueOf(form, condition.question);
    if (answer === '') return false; // a blank answer never satisfies a condition
    if ('notEquals' in condition) return answer !== String(condition.notEquals);
    var number = Number(answer.replace(',', '.'));
    return isFinite(number) && number > condition.greaterThan;
  }

  function updateConditions(form) {
    form.querySelectorAll('[data-show-if]').forEach(function (question) {
      var shown = applies(form, JSON.parse(question.getAttribute('data-show-if')));
      question.hidden = !shown;
      question.querySelectorAll('input, textarea').forEach(function (input) {
        input.disabled = !shown; // a question not asked is not sent
      });
    });
  }

  function setStatus(form, text, isError) {
    var status = form.querySelector('[data-save-status]');
    if (!status) return;
    status.textContent = text;
    status.classList.toggle('save-status--error', Boolean(isError));
  }

  function showProgress(progress) {
    var bar = document.getElementById('progress-bar');
    var text = document.querySelector('[data-progress-text]');
    if (bar) {
      bar.value = progress.percent;
      bar.textContent = progress.percent + '%';
    }
    if (text) text.textContent = progress.answered + ' of ' + progress.applicable + ' questions';
  }

  function autosave(form) {
    var pending = null;
    var inFlight = false;
    var again = false;

    function save() {
      if (inFlight) {
        again = true;
        return;
      }
      inFlight = true;
      setStatus(form, 'Saving…');
      var body = new URLSearchParams(new FormData(form));
      // form.action would be the buttons named "action": read the attribute.
      fetch(form.getAttribute('action'), {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'X-Autosave': '1', Accept: 'application/json' },
        body: body,
      })
        .then(function (response) {
          return response.json().then(function (data) {
            return { ok: response.ok, data: data };
          });
        })
        .then(function (result) {
          if (result.ok) {
            setStatus(form, 'Saved');
            showProgress(result.data.progress);
          } else if (result.data && result.data.fields && result.data.fields.length) {
            var first = result.data.fields[0];
            setStatus(form, 'Not saved yet: ' + first.message, true);
          } else {
            setStatus(
              form,
              (result.data && result.data.message) || 'Not saved. Use the Save button below.',
              true,
            );
          }
        })
        .catch(function () {
          setStatus(
            form,
            'Not saved: no connection. Your answers stay on this page; try the Save button.',
            true,
          );
        })
        .then(function () {
          inFlight = false;
          if (again) {
            again = false;
            save();
          }
        });
    }

    function later(delay) {
      clearTimeout(pending);
      pending = setTimeout(save, delay);
    }

    form.addEventListener('change', function () {
      updateConditions(form);
      later(150);
    });
    form.addEventListener('input', function (event) {
      if (event.target.matches('input[type=text], input[type=time], textarea')) {
        updateConditions(form);
        later(900);
      }
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('form[data-autosave]').forEach(function (form) {
      updateConditions(form);
      autosave(form);
    });
    document.querySelectorAll('form[data-submit-once]').forEach(function (form) {
      form.addEventListener('submit', function () {
        var button = form.querySelector('button[type=submit]');
        // Disable after this event, so the submit itself still goes out once.
        setTimeout(function () {
          button.disabled = true;
          button.textContent = 'Sending…';
        }, 0);
      });
    });
    var summary = document.querySelector('.error-summary');
    if (summary) summary.focus();
  });
})();
