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

  // Marks a question as the server read it: the message under it, or none.
  function markQuestion(form, id, message) {
    var question = document.getElementById('q-' + id);
    if (!question) return;
    var error = question.querySelector('[data-live-error]');
    var input = document.getElementById('field-' + id);
    question.classList.toggle('question--error', Boolean(message));
    if (message) {
      if (!error) {
        error = document.createElement('p');
        error.className = 'question__error';
        error.id = 'live-error-' + id;
        error.setAttribute('data-live-error', '');
        var label = question.querySelector('.question__label');
        label.parentNode.insertBefore(error, label.nextSibling);
      }
      error.textContent = 'Not saved: ' + message.charAt(0).toLowerCase() + message.slice(1);
      if (input) {
        input.setAttribute('aria-invalid', 'true');
        var described = (input.getAttribute('aria-describedby') || '').split(' ');
        if (described.indexOf(error.id) < 0) described.push(error.id);
        input.setAttribute('aria-describedby', described.join(' ').trim());
      }
    } else if (error) {
      error.remove();
      if (input) input.removeAttribute('aria-invalid');
    }
  }

  function autosave(form) {
    var pending = null;
    var inFlight = false;
    var again = false;
    var marked = {};

    function showProblems(problems) {
      var now = {};
      problems.forEach(function (problem) {
        now[problem.field] = true;
        markQuestion(form, problem.field, problem.detail);
      });
      Object.keys(marked).forEach(function (field) {
        if (!now[field]) markQuestion(form, field, '');
      });
      marked = now;
    }

    function save() {
      if (inFlight) {
        again = true;
        return;
      }
      inFlight = true;
      setStatus(form, 'Saving…');
      var body = new URLSearchParams(new FormData(form));
      // form.action would be the buttons named "action": read the attribute.
      fetch(form.getAttribute('action') + '/autosave', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { Accept: 'application/json' },
        body: body,
      })
        .then(function (response) {
          return response.json().then(function (data) {
            return { ok: response.ok, data: data };
          });
        })
        .then(function (result) {
          if (result.ok) {
            var problems = result.data.problems || [];
            showProblems(problems);
            showProgress(result.data.progress);
            setStatus(
              form,
              problems.length
                ? 'Saved, except ' +
                    (problems.length === 1 ? 'one answer' : problems.length + ' answers') +
                    ' marked below.'
                : 'Saved',
              problems.length > 0,
            );
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
