// Small enhancements for clinicians' pages; every page works without them.
(function () {
  'use strict';
  document.addEventListener('DOMContentLoaded', function () {
    var focus = document.querySelector('[data-focus]');
    if (focus) focus.focus();

    var source = document.querySelector('[data-copy-source]');
    var button = document.querySelector('[data-copy-button]');
    var status = document.querySelector('[data-copy-status]');
    if (source && button && navigator.clipboard) {
      button.hidden = false;
      button.addEventListener('click', function () {
        navigator.clipboard.writeText(source.value).then(
          function () {
            status.textContent = 'Copied.';
          },
          function () {
            source.select();
            status.textContent = 'Select the link and copy it.';
          },
        );
      });
    }
  });
})();
