/* Omtanke – small enhancements on top of server-rendered pages. Everything works without
   this file: it only adds copy buttons and guards against sending a form twice. */
(function () {
  "use strict";

  function copyText(textarea) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(textarea.value);
    }
    // http on a LAN address is not a secure context: fall back to selecting the text
    textarea.focus();
    textarea.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    return ok ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  }

  function setupCopyButtons() {
    var buttons = document.querySelectorAll(".js-copy[data-copy-target]");
    Array.prototype.forEach.call(buttons, function (button) {
      var target = document.getElementById(button.getAttribute("data-copy-target"));
      if (!target) { return; }
      var status = button.parentNode.querySelector(".copy-status");
      button.hidden = false;
      button.addEventListener("click", function () {
        copyText(target).then(function () {
          if (status) { status.textContent = "Kopieret til udklipsholderen."; }
        }, function () {
          target.focus();
          target.select();
          if (status) { status.textContent = "Teksten er markeret – tryk Ctrl+C (eller ⌘+C) for at kopiere."; }
        });
      });
    });
  }

  // A register or status form sent twice would register twice: disable its button once sent.
  function setupSubmitGuards() {
    var forms = document.querySelectorAll("form[method='post']");
    Array.prototype.forEach.call(forms, function (form) {
      form.addEventListener("submit", function () {
        var buttons = form.querySelectorAll("button[type='submit']");
        window.setTimeout(function () {
          Array.prototype.forEach.call(buttons, function (b) {
            b.disabled = true;
            b.setAttribute("aria-disabled", "true");
          });
        }, 0);
      });
    });
    // coming back with the browser's back button re-enables them
    window.addEventListener("pageshow", function (event) {
      if (!event.persisted) { return; }
      Array.prototype.forEach.call(document.querySelectorAll("button[aria-disabled='true']"), function (b) {
        b.disabled = false;
        b.removeAttribute("aria-disabled");
      });
    });
  }

  // Bring the first error into view and focus, so that keyboard and screen-reader users
  // land on what needs fixing.
  function focusErrors() {
    var summary = document.querySelector(".error-summary");
    if (summary) { summary.focus(); }
  }

  // A photo over the server's size limit would be refused after a long upload: say so at once.
  function setupFileLimits() {
    var inputs = document.querySelectorAll("input[type='file'][data-max-bytes]");
    Array.prototype.forEach.call(inputs, function (input) {
      var limit = parseInt(input.getAttribute("data-max-bytes"), 10);
      var message = input.parentNode.querySelector(".js-file-error");
      input.addEventListener("change", function () {
        var file = input.files && input.files[0];
        var tooBig = !!file && limit > 0 && file.size > limit;
        if (message) {
          message.hidden = !tooBig;
          message.textContent = tooBig
            ? "Billedet er for stort (" + (file.size / 1e6).toFixed(1).replace(".", ",") +
              " MB). Det største, serveren tager imod, er " +
              (limit / 1e6).toFixed(1).replace(".", ",") + " MB. Vælg et mindre billede."
            : "";
        }
        if (tooBig) { input.value = ""; }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupCopyButtons();
    setupFileLimits();
    setupSubmitGuards();
    focusErrors();
  });
})();
